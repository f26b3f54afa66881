import math

import numpy as np
import pytest
import torch
from torch import nn

from model import fastpaths
from model.attention import KVCache
from model.config import POSITIONAL_KINDS, ModelConfig
from model.positional import sinusoidal_table
from model.transformer import DecoderLayer, Dropout, EncoderLayer, Seq2Seq

PAD, BOS = 0, 1


def tiny(**kw):
    base = {
        "src_vocab": 23,
        "tgt_vocab": 19,
        "d_model": 16,
        "n_heads": 2,
        "n_layers": 2,
        "n_dec_layers": 1,
        "d_ff": 32,
        "dropout": 0.1,
        "max_len": 16,
    }
    return ModelConfig(**{**base, **kw})


def batch():
    g = torch.Generator().manual_seed(0)
    src = torch.randint(3, 23, (3, 7), generator=g)
    src[1, 5:] = PAD
    tgt = torch.randint(3, 19, (3, 5), generator=g)
    tgt[:, 0] = BOS
    tgt[2, 3:] = PAD
    return src, tgt


def model(cfg):
    torch.manual_seed(0)
    return Seq2Seq(cfg).eval()


@pytest.mark.parametrize("norm_first", [True, False])
@pytest.mark.parametrize("pos", POSITIONAL_KINDS)
def test_fast_path_equals_traced_path(pos, norm_first):
    m = model(tiny(pos_encoding=pos, norm_first=norm_first))
    src, tgt = batch()
    logits = m(src, tgt)
    assert logits.shape == (3, 5, 19)
    for b in range(3):  # the traced path for each pair equals the batched fast path
        s = src[b : b + 1, : int((src[b] != PAD).sum())]
        t = tgt[b : b + 1, : int((tgt[b] != PAD).sum())]
        tr = m.trace(s, t, [f"s{i}" for i in range(s.size(1))], [f"t{i}" for i in range(t.size(1))])
        np.testing.assert_allclose(tr.logits, logits[b, : t.size(1)].detach().numpy(), atol=1e-5)
        # attention blocks chain: each layer's output feeds the next
        assert len(tr.enc_self) == 2 and len(tr.dec_self) == 1 and len(tr.cross) == 1


def test_layer_states_are_recorded_like_a_trace():
    m = model(tiny())
    src, tgt = batch()
    rec = m.layer_states(src, tgt)
    assert len(rec.enc_out) == 2 and len(rec.dec_out) == 1 and not rec.enc_self  # fast attention
    memory, _allowed = m.encode(src)
    torch.testing.assert_close(m.enc_norm(rec.enc_out[-1]), memory)
    torch.testing.assert_close(m._logits(m.dec_norm(rec.dec_out[-1])), m(src, tgt))
    assert [name for name, _ in m.attention_blocks()] == [
        "encoder.0.self_attn", "encoder.1.self_attn", "decoder.0.self_attn", "decoder.0.cross_attn"]


@pytest.mark.parametrize("pos", POSITIONAL_KINDS)
def test_padding_does_not_change_real_positions(pos):
    m = model(tiny(pos_encoding=pos))
    src, tgt = batch()
    padded = m(src, tgt)
    alone = m(src[1:2, :5], tgt[1:2])  # sentence 1 without its source padding
    torch.testing.assert_close(padded[1], alone[0], atol=1e-5, rtol=1e-5)
    alone = m(src[2:3], tgt[2:3, :3])  # sentence 2 without its target padding
    torch.testing.assert_close(padded[2, :3], alone[0], atol=1e-5, rtol=1e-5)


def test_trace_contents_and_shapes():
    cfg = tiny(n_dec_layers=2)
    m = model(cfg)
    src = torch.tensor([[5, 6, 7, 8, 2, PAD]])  # a padded source position
    tgt = torch.tensor([[BOS, 4, 9, 11]])
    S, T, H, Dh, D = 6, 4, 2, 8, 16
    m.train()
    tr = m.trace(
        src,
        tgt,
        list("abcde") + ["<pad>"],
        ["<bos>", "x", "y", "z"],
        id_to_token=lambda i: f"w{i}",
        step=7,
    )
    assert m.training  # mode restored
    assert tr.step == 7 and tr.src_tokens[-1] == "<pad>" and tr.tgt_tokens[0] == "<bos>"
    assert tr.out_tokens == tuple(f"w{i}" for i in tr.logits.argmax(-1))
    assert tr.logits.shape == (T, 19)
    np.testing.assert_array_equal(tr.src_ids, src[0].numpy())
    np.testing.assert_allclose(
        tr.src_embed, m.src_embed.weight[src[0]].detach().numpy() * math.sqrt(D), rtol=1e-6
    )
    np.testing.assert_allclose(tr.tgt_pos, sinusoidal_table(T, D).numpy())
    for blocks, kind, q_len, k_len in (
        (tr.enc_self, "enc_self", S, S),
        (tr.dec_self, "dec_self", T, T),
        (tr.cross, "cross", T, S),
    ):
        assert [b.layer for b in blocks] == list(range(len(blocks))) and all(
            b.kind == kind for b in blocks
        )
        for b in blocks:
            assert b.weights.shape == b.scores.shape == (H, q_len, k_len)
            assert b.q.shape == (H, q_len, Dh) and b.k.shape == b.v.shape == (H, k_len, Dh)
            assert b.context.shape == (H, q_len, Dh) and b.concat.shape == b.output.shape == (
                q_len,
                D,
            )
            assert b.x_q.shape == (q_len, D) and b.x_kv.shape == (k_len, D)
            np.testing.assert_allclose(b.weights.sum(-1), 1.0, atol=1e-6)
            assert np.all(b.weights[:, ~b.allowed] == 0)
    for b in tr.dec_self:
        assert np.all(b.weights[:, np.triu(np.ones((T, T), bool), 1)] == 0)
        np.testing.assert_array_equal(b.allowed, np.tril(np.ones((T, T), bool)))
    for b in tr.enc_self + tr.cross:
        assert np.all(b.weights[..., -1] == 0) and not b.allowed[:, -1].any()
    # encoder output is cross-attention's key/value input; pre-norm puts the final LayerNorm first
    m.eval()
    memory, _ = m.encode(src)
    np.testing.assert_allclose(tr.cross[0].x_kv, memory[0].detach().numpy(), atol=1e-6)
    # arrays are copies, not views of the live weights
    assert not np.shares_memory(
        tr.cross[0].w_q, m.decoder[0].cross_attn.in_proj.weight.detach().numpy()
    )


def test_trace_positions_for_rotary_and_default_out_tokens():
    m = model(tiny(pos_encoding="rotary"))
    tr = m.trace(
        torch.tensor([[4, 5, 2]]), torch.tensor([[BOS, 6]]), ["a", "b", "c"], ["<bos>", "d"]
    )
    assert np.all(tr.src_pos == 0) and tr.src_pos.shape == (3, 16)
    assert tr.out_tokens == tuple(str(i) for i in tr.logits.argmax(-1))
    with pytest.raises(ValueError):
        m.trace(torch.tensor([[4, 5]]), torch.tensor([[BOS]]), ["a"], ["<bos>"])


def copy_attn(ref_mha, ours):
    with torch.no_grad():
        ref_mha.in_proj_weight.copy_(ours.in_proj.weight)
        ref_mha.in_proj_bias.copy_(ours.in_proj.bias)
        ref_mha.out_proj.weight.copy_(ours.out_proj.weight)
        ref_mha.out_proj.bias.copy_(ours.out_proj.bias)


def copy_common(ref, ours, n_norms):
    with torch.no_grad():
        ref.linear1.weight.copy_(ours.ff.fc1.weight)
        ref.linear1.bias.copy_(ours.ff.fc1.bias)
        ref.linear2.weight.copy_(ours.ff.fc2.weight)
        ref.linear2.bias.copy_(ours.ff.fc2.bias)
        for i in range(1, n_norms + 1):
            getattr(ref, f"norm{i}").weight.copy_(torch.randn(16))
            getattr(ours, f"norm{i}").weight.copy_(getattr(ref, f"norm{i}").weight)


@pytest.mark.parametrize("norm_first", [True, False])
def test_layers_match_torch_transformer_layers(norm_first):
    """Residuals and LayerNorm placement (pre/post) as in torch's reference layers."""
    torch.manual_seed(0)
    cfg = tiny(norm_first=norm_first, dropout=0.0)
    enc, dec = EncoderLayer(cfg).eval(), DecoderLayer(cfg).eval()
    kw = {
        "d_model": 16,
        "nhead": 2,
        "dim_feedforward": 32,
        "dropout": 0.0,
        "batch_first": True,
        "norm_first": norm_first,
    }
    ref_enc, ref_dec = (
        nn.TransformerEncoderLayer(**kw).eval(),
        nn.TransformerDecoderLayer(**kw).eval(),
    )
    copy_attn(ref_enc.self_attn, enc.self_attn)
    copy_common(ref_enc, enc, 2)
    copy_attn(ref_dec.self_attn, dec.self_attn)
    copy_attn(ref_dec.multihead_attn, dec.cross_attn)
    copy_common(ref_dec, dec, 3)
    x, y = torch.randn(2, 6, 16), torch.randn(2, 4, 16)
    valid = torch.tensor([[True] * 6, [True] * 4 + [False] * 2])
    memory = enc(x, valid[:, None, None, :])
    torch.testing.assert_close(
        memory, ref_enc(x, src_key_padding_mask=~valid), atol=1e-5, rtol=1e-5
    )
    causal = torch.ones(4, 4, dtype=torch.bool).tril()
    out = dec(y, memory, causal, valid[:, None, None, :])
    ref = ref_dec(y, memory, tgt_mask=~causal, memory_key_padding_mask=~valid)
    torch.testing.assert_close(out, ref, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("pos", ["learned", "rotary"])
def test_decode_with_cache_equals_full_decode(pos):
    m = model(tiny(pos_encoding=pos, n_dec_layers=2))
    src, tgt = batch()
    tgt = tgt[:2]  # no target padding: what decoding feeds
    memory, src_allowed = m.encode(src[:2])
    full = m.decode(tgt, memory, src_allowed)
    cache = KVCache.empty(2)
    first = m.decode(
        tgt[:, :2], memory, src_allowed, cache
    )  # two positions at once, then one by one
    steps = [first] + [
        m.decode(tgt[:, t : t + 1], memory, src_allowed, cache, start_pos=t) for t in range(2, 5)
    ]
    torch.testing.assert_close(torch.cat(steps, 1), full, atol=1e-5, rtol=1e-5)


def test_tied_embeddings_and_parameter_count():
    tied, untied = Seq2Seq(tiny()), Seq2Seq(tiny(tie_embeddings=False))
    assert tied.lm_head.weight is tied.tgt_embed.weight
    assert untied.num_parameters() - tied.num_parameters() == 19 * 16
    D, F, L_enc, L_dec, V_s, V_t = 16, 32, 2, 1, 23, 19
    attn, ff, ln = 4 * D * D + 4 * D, 2 * D * F + F + D, 2 * D
    expected = (
        (V_s + V_t) * D + L_enc * (attn + ff + 2 * ln) + L_dec * (2 * attn + ff + 3 * ln) + 2 * ln
    )
    assert tied.num_parameters() == expected  # sinusoidal: no position parameters
    assert Seq2Seq(tiny(pos_encoding="learned")).num_parameters() == expected + 2 * 16 * D


@pytest.mark.parametrize("tie", [True, False])
def test_training_pads_the_output_projection_without_changing_logits_or_gradients(tie):
    # tgt_vocab 19: training pads the weight to 32 rows (model.transformer.Seq2Seq._logits)
    m = model(tiny(dropout=0.0, tie_embeddings=tie))
    src, tgt = batch()
    grads = {}
    for mode in ("eval", "train"):
        getattr(m, mode)()
        m.zero_grad(set_to_none=True)
        logits = m(src, tgt)
        assert logits.shape == (3, 5, 19)
        (logits * torch.linspace(-1, 1, 19)).sum().backward()
        grads[mode] = (logits.detach(), m.lm_head.weight.grad.clone())
    torch.testing.assert_close(grads["train"], grads["eval"])


@pytest.mark.parametrize("tie", [True, False])
def test_fast_paths_and_plain_code_give_the_same_step(tie):
    # model.fastpaths switched off: plain dropout-free training step, same logits and gradients
    m = model(tiny(dropout=0.0, tie_embeddings=tie)).train()
    src, tgt = batch()
    results = {}
    for on in (True, False):
        m.zero_grad(set_to_none=True)
        with fastpaths.enabled(on):
            logits = m(src, tgt)
            (logits * torch.linspace(-1, 1, 19)).sum().backward()
        results[on] = (logits.detach(), [p.grad.clone() for p in m.parameters() if p.grad is not None])
    torch.testing.assert_close(results[True], results[False])


def test_plain_dropout_has_the_same_statistics():
    torch.manual_seed(0)
    x = torch.full((300, 400), 2.0)
    for on in (True, False):
        with fastpaths.enabled(on):
            y = Dropout(0.25).train()(x)
        assert abs((y != 0).float().mean().item() - 0.75) < 0.01
        torch.testing.assert_close(y[y != 0], torch.full_like(y[y != 0], 2.0 / 0.75))


def test_dropout_only_in_training():
    torch.manual_seed(0)
    m = Seq2Seq(tiny(dropout=0.3))
    src, tgt = batch()
    assert not torch.allclose(m.train()(src, tgt), m(src, tgt))
    torch.testing.assert_close(m.eval()(src, tgt), m(src, tgt))


@pytest.mark.parametrize("p, shape", [(0.1, (400, 500)), (0.5, (399, 501))])
def test_dropout_mask_statistics_and_gradient(p, shape):
    torch.manual_seed(0)
    drop = Dropout(p).train()
    x = torch.full(shape, 2.0, requires_grad=True)
    y = drop(x)
    kept = y != 0
    # each element is kept with probability 1 - p (200,000 draws: sd of the mean < 0.0012)
    assert abs(kept.float().mean().item() - (1 - p)) < 0.005
    # elements 1-4 apart (quarters of one random word, or of two) are kept independently
    k = kept.flatten().float()
    for lag in range(1, 5):
        assert abs(torch.corrcoef(torch.stack([k[:-lag], k[lag:]]))[0, 1].item()) < 0.01
    # kept elements are scaled by 1 / (1 - p), so the expectation is the input
    torch.testing.assert_close(y[kept], torch.full_like(y[kept], 2.0 / (1 - p)))
    y.sum().backward()
    torch.testing.assert_close(x.grad, kept.float() / (1 - p))
    # evaluation, or p = 0, leaves the input alone
    assert drop.eval()(x) is x
    assert Dropout(0.0).train()(x) is x
    with pytest.raises(ValueError):
        Dropout(1.0)


def test_dropout_masks_follow_torch_seed():
    drop, x = Dropout(0.3).train(), torch.ones(50, 60)
    torch.manual_seed(7)
    first, second = drop(x), drop(x)
    torch.manual_seed(7)
    torch.testing.assert_close(drop(x), first)
    assert not torch.equal(first, second)  # each call draws a new mask


def test_gradient_steps_fit_a_batch():
    torch.manual_seed(0)
    m = Seq2Seq(tiny(dropout=0.0)).train()
    src, tgt = batch()
    targets = torch.cat((tgt[:, 1:], torch.full((3, 1), 2)), 1)  # next token, <eos> last
    opt = torch.optim.Adam(m.parameters(), lr=1e-2)
    losses = []
    for _ in range(30):
        loss = nn.functional.cross_entropy(
            m(src, tgt).flatten(0, 1), targets.flatten(), ignore_index=PAD
        )
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.1 * losses[0]
