import math

import pytest
import torch
from torch import nn

from model.attention import BlockCache, MultiHeadAttention
from model.config import ModelConfig
from model.positional import rotary_cos_sin

D, H = 16, 4
CFG = ModelConfig(src_vocab=10, tgt_vocab=10, d_model=D, n_heads=H, dropout=0.0)


def make_pair(kind):
    """Our attention and nn.MultiheadAttention with the same weights."""
    torch.manual_seed(0)
    ours = MultiHeadAttention(CFG, kind).eval()
    for p in ours.parameters():  # non-zero biases, so a wrong bias slice would show
        nn.init.normal_(p, std=0.3)
    ref = nn.MultiheadAttention(D, H, batch_first=True).eval()
    with torch.no_grad():
        ref.in_proj_weight.copy_(ours.in_proj.weight)
        ref.in_proj_bias.copy_(ours.in_proj.bias)
        ref.out_proj.weight.copy_(ours.out_proj.weight)
        ref.out_proj.bias.copy_(ours.out_proj.bias)
    return ours, ref


def traced(attn, x_q, x_kv, allowed, **kw):
    record = []
    out = attn(x_q, x_kv, allowed, record=record, **kw)
    assert len(record) == 1
    return out, record[0]


def check_against_reference(kind, x_q, x_kv, allowed, ref_kwargs):
    ours, ref = make_pair(kind)
    out, parts = traced(ours, x_q, x_kv, allowed)
    ref_kv = x_q if kind != "cross" else x_kv
    ref_out, ref_w = ref(
        x_q, ref_kv, ref_kv, need_weights=True, average_attn_weights=False, **ref_kwargs
    )
    torch.testing.assert_close(out, ref_out, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(parts.weights, ref_w, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(parts.output, out)
    fast = ours(x_q, x_kv, allowed)
    torch.testing.assert_close(fast, out, atol=1e-5, rtol=1e-5)
    return parts


def test_self_attention_with_key_padding_matches_torch():
    torch.manual_seed(1)
    x = torch.randn(3, 6, D)
    valid = torch.tensor([[1] * 6, [1] * 4 + [0] * 2, [1] * 2 + [0] * 4], dtype=torch.bool)
    parts = check_against_reference(
        "enc_self", x, None, valid[:, None, None, :], {"key_padding_mask": ~valid}
    )
    assert torch.all(
        parts.weights.masked_select(~valid[:, None, None, :].expand_as(parts.weights)) == 0
    )


def test_causal_self_attention_matches_torch():
    torch.manual_seed(2)
    x = torch.randn(2, 5, D)
    causal = torch.ones(5, 5, dtype=torch.bool).tril()
    parts = check_against_reference("dec_self", x, None, causal, {"attn_mask": ~causal})
    upper = torch.ones(5, 5, dtype=torch.bool).triu(1)
    assert torch.all(parts.weights[..., upper] == 0)  # exactly zero above the diagonal
    assert torch.all(parts.weights[..., ~upper] > 0)


def test_cross_attention_matches_torch():
    torch.manual_seed(3)
    x_q, memory = torch.randn(2, 4, D), torch.randn(2, 7, D)
    valid = torch.tensor([[1] * 7, [1] * 5 + [0] * 2], dtype=torch.bool)
    parts = check_against_reference(
        "cross", x_q, memory, valid[:, None, None, :], {"key_padding_mask": ~valid}
    )
    assert parts.weights.shape == (2, H, 4, 7)
    assert torch.all(parts.weights[1, :, :, 5:] == 0)
    torch.testing.assert_close(parts.weights.sum(-1), torch.ones(2, H, 4))


def test_traced_parts_follow_the_documented_formulas():
    torch.manual_seed(4)
    ours, _ = make_pair("cross")
    x_q, memory = torch.randn(1, 3, D), torch.randn(1, 5, D)
    allowed = torch.tensor([True, True, True, True, False])[None, None, None, :]
    out, p = traced(ours, x_q, memory, allowed)
    b = ours.in_proj.bias
    Dh = D // H

    def heads(t):  # (1, T, D) -> (1, H, T, Dh)
        return t.view(1, -1, H, Dh).transpose(1, 2)

    torch.testing.assert_close(p.q, heads(x_q @ p.w_q + b[:D]))
    torch.testing.assert_close(p.k, heads(memory @ p.w_k + b[D : 2 * D]))
    torch.testing.assert_close(p.v, heads(memory @ p.w_v + b[2 * D :]))
    torch.testing.assert_close(p.scores, p.q @ p.k.transpose(-1, -2))  # raw: not scaled, not masked
    assert torch.all(p.scores[..., 4] != 0)
    expected = torch.softmax((p.scores / math.sqrt(Dh)).masked_fill(~allowed, -math.inf), -1)
    torch.testing.assert_close(p.weights, expected)
    torch.testing.assert_close(p.context, p.weights @ p.v)
    torch.testing.assert_close(p.concat, p.context.transpose(1, 2).reshape(1, 3, D))
    torch.testing.assert_close(out, p.concat @ p.w_o + ours.out_proj.bias)
    report = p.report(layer=2)
    assert report.kind == "cross" and report.layer == 2 and report.n_heads == H
    assert report.q.shape == (H, 3, Dh) and report.k.shape == (H, 5, Dh)
    assert report.scores.shape == (H, 3, 5) and report.allowed.shape == (3, 5)
    assert report.x_kv.shape == (5, D) and report.w_o.shape == (D, D)
    assert report.allowed[:, :4].all() and not report.allowed[:, 4].any()


@pytest.mark.parametrize("rotary", [False, True])
def test_self_attention_cache_step_by_step_equals_full_causal(rotary):
    torch.manual_seed(5)
    attn, _ = make_pair("dec_self")
    rope = rotary_cos_sin(16, D // H) if rotary else None
    x = torch.randn(2, 6, D)
    full = attn(x, None, torch.ones(6, 6, dtype=torch.bool).tril(), rope)
    cache = BlockCache()
    steps = [attn(x[:, t : t + 1], None, None, rope, pos=t, cache=cache) for t in range(6)]
    torch.testing.assert_close(torch.cat(steps, 1), full, atol=1e-5, rtol=1e-5)
    assert cache.k.shape == (2, H, 6, D // H)


def test_cross_attention_cache_is_computed_once():
    torch.manual_seed(6)
    attn, _ = make_pair("cross")
    memory = torch.randn(1, 5, D)
    cache = BlockCache()
    first = attn(torch.randn(1, 1, D), memory, None, cache=cache)
    k = cache.k
    x2 = torch.randn(1, 1, D)
    # The memory argument is not read again once the cache holds its keys and values.
    again = attn(x2, torch.zeros_like(memory), None, cache=cache)
    assert cache.k is k
    torch.testing.assert_close(again, attn(x2, memory, None))
    assert first.shape == (1, 1, D)


@pytest.mark.parametrize("kind", ["enc_self", "cross"])
@pytest.mark.parametrize("heads_off", [(), (1,)])
def test_report_holds_every_equation_with_its_biases(kind, heads_off):
    """The report alone (what the computation view shows and exports) satisfies
    Q = X·Wq + bq, K, V likewise, and output = concat·Wo + bo, with a head switched off too."""
    import numpy as np

    torch.manual_seed(5)
    ours, _ = make_pair(kind)
    if heads_off:
        mask = torch.ones(H)
        mask[list(heads_off)] = 0
        ours.head_mask = mask
    x_q, memory = torch.randn(1, 3, D), torch.randn(1, 4, D)
    _, parts = traced(ours, x_q, memory if kind == "cross" else x_q, None)
    r = parts.report(layer=0)
    Dh = D // H

    def heads(a):  # (T, D) -> (H, T, Dh)
        return a.reshape(len(a), H, Dh).transpose(1, 0, 2)

    assert np.abs(r.b_q).max() > 0.05 and np.abs(r.b_o).max() > 0.05  # biases really are there
    np.testing.assert_allclose(heads(r.x_q @ r.w_q + r.b_q), r.q, atol=1e-5)
    np.testing.assert_allclose(heads(r.x_kv @ r.w_k + r.b_k), r.k, atol=1e-5)
    np.testing.assert_allclose(heads(r.x_kv @ r.w_v + r.b_v), r.v, atol=1e-5)
    np.testing.assert_allclose(r.concat @ r.w_o + r.b_o, r.output, atol=1e-5)
