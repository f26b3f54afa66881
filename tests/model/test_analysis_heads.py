"""Switching heads off: no head off changes nothing, every head of a block off zeroes it."""
import pytest
import torch

from model.analysis.heads import (
    all_heads,
    attention_blocks,
    heads_off,
    heads_off_now,
    set_heads_off,
)
from model.config import ModelConfig
from model.transformer import Seq2Seq


def tiny(norm_first=True, pos="sinusoidal", seed=0):
    torch.manual_seed(seed)
    cfg = ModelConfig(src_vocab=30, tgt_vocab=40, d_model=32, n_heads=4, n_layers=2, d_ff=64,
                      max_len=24, dropout=0.0, pos_encoding=pos, norm_first=norm_first)
    m = Seq2Seq(cfg).eval()
    with torch.no_grad():  # non-zero biases, so that the bias share is tested too
        for block in (b for blocks in attention_blocks(m).values() for b in blocks):
            block.out_proj.bias.normal_()
    return m


def batch():
    g = torch.Generator().manual_seed(1)
    src, tgt = torch.randint(3, 30, (3, 7), generator=g), torch.randint(3, 40, (3, 6), generator=g)
    src[1, 5:] = 0
    tgt[:, 0] = 1
    return src, tgt


def test_no_head_off_is_bit_for_bit_the_same():
    m = tiny()
    src, tgt = batch()
    with torch.no_grad():
        before = m(src, tgt)
        with heads_off(m, []):
            same = m(src, tgt)
        set_heads_off(m, [("cross", 1, 2)])
        set_heads_off(m, [])
        after = m(src, tgt)
    assert torch.equal(before, same) and torch.equal(before, after)
    assert all(b.head_mask is None for blocks in attention_blocks(m).values() for b in blocks)


@pytest.mark.parametrize("kind", ["enc_self", "dec_self", "cross"])
@pytest.mark.parametrize("norm_first", [True, False])
def test_every_head_of_a_block_off_equals_zeroing_its_output(kind, norm_first):
    m = tiny(norm_first)
    src, tgt = batch()
    block = attention_blocks(m)[kind][1]
    hook = block.register_forward_hook(lambda mod, args, out: torch.zeros_like(out))
    with torch.no_grad():
        zeroed = m(src, tgt)
        hook.remove()
        with heads_off(m, [(kind, 1, h) for h in range(4)]):
            fast = m(src, tgt)
            traced = m.trace(src[:1], tgt[:1], ["s"] * 7, ["t"] * 6).logits
        reference = m(src, tgt)
    torch.testing.assert_close(fast, zeroed, rtol=0, atol=1e-6)
    torch.testing.assert_close(torch.from_numpy(traced), zeroed[0], rtol=0, atol=1e-5)
    assert not torch.allclose(reference, zeroed, atol=1e-3)  # the block mattered


def test_one_head_off_changes_only_through_that_head():
    m = tiny()
    src, tgt = batch()
    with torch.no_grad(), heads_off(m, [("cross", 0, 1)]):
        trace = m.trace(src[:1], tgt[:1], ["s"] * 7, ["t"] * 6)
        fast = m(src[:1], tgt[:1])[0]
    cross = trace.cross[0]
    assert (cross.context[1] == 0).all() and (cross.context[0] != 0).any()
    torch.testing.assert_close(torch.from_numpy(trace.logits), fast, rtol=0, atol=1e-5)


def test_heads_off_restores_and_rejects_unknown_heads():
    m = tiny()
    set_heads_off(m, [("enc_self", 0, 0)])
    with heads_off(m, [("cross", 1, 3), ("cross", 1, 0)]):
        assert heads_off_now(m) == {("cross", 1, 3), ("cross", 1, 0)}
    assert heads_off_now(m) == {("enc_self", 0, 0)}
    with pytest.raises(ValueError):
        set_heads_off(m, [("cross", 2, 0)])
    assert len(all_heads(m)) == 3 * 2 * 4
