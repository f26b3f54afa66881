"""Two models side by side as the worker computes them: a model compared with itself gives
zero differences; heads switched off show in B only; a snapshot compares with the model now."""
import numpy as np
import pytest
import torch

from explorer.logic.compare import CheckpointCache, compare, heads_now, switch_heads
from tests.tiny import tiny_trainer

TEXT = "the dog sees the cat ."


@pytest.fixture(scope="module")
def trainer():
    torch.manual_seed(0)
    t = tiny_trainer()
    for _ in range(5):
        t.step()
    return t


def test_a_model_compared_with_itself_gives_zero_differences(trainer, tmp_path):
    path = str(trainer.save(tmp_path / "same.safetensors"))
    for target in ("heads_off", path):  # no head off: B is A; the same weights from a file
        sbs = compare(trainer, TEXT, None, target, cache=CheckpointCache())
        assert sbs.max_difference() == 0.0 and sbs.translation_a == sbs.translation_b
        assert set(sbs.diff) == {f"{k}/{i}" for k in ("enc_self", "dec_self", "cross") for i in range(2)}
    forced = compare(trainer, TEXT, "der hund sieht die katze .", "heads_off")
    assert forced.max_difference() == 0.0 and forced.a.tgt_tokens[1] == "der"


def test_heads_switched_off_change_b_and_not_a(trainer):
    plain = compare(trainer, TEXT, None, "heads_off")
    assert switch_heads(trainer.model, {("cross", 1, 0), ("cross", 1, 1)}) == {("cross", 1, 0), ("cross", 1, 1)}
    try:
        sbs = compare(trainer, TEXT, None, "heads_off")
        assert heads_now(trainer.model) == {("cross", 1, 0), ("cross", 1, 1)}  # put back afterwards
    finally:
        switch_heads(trainer.model, ())
    np.testing.assert_array_equal(sbs.a.logits, plain.a.logits)  # A: every head on
    assert np.abs(sbs.logits_diff).max() > 0  # B: without them
    # switching a head off zeroes its output, not its attention weights: the last layer's
    # cross-attention weights are the same, what comes after them is not
    assert np.abs(sbs.diff["cross/1"]).max() == 0.0
    assert np.abs(sbs.b.cross[1].context[0]).max() == 0.0 < np.abs(sbs.a.cross[1].context[0]).max()


def test_a_snapshot_compares_with_the_model_now(trainer):
    from model.trace import Snapshot

    probe = trainer.trace(TEXT, "der hund sieht die katze .")
    snap = Snapshot(trainer.step_count, probe, np.zeros((1, 1)), np.zeros((1, 1)))
    same = compare(trainer, "", None, "snapshot", snapshot=snap)
    assert same.forced and same.max_difference() < 1e-6
    trainer.step()
    moved = compare(trainer, "", None, "snapshot", snapshot=snap)
    assert moved.max_difference() > 0 and moved.a.tgt_tokens == probe.tgt_tokens
    with pytest.raises(ValueError):
        compare(trainer, "", None, "snapshot", snapshot=None)
