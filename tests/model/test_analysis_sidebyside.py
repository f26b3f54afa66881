"""Two models side by side: a model with itself gives zero differences."""
import numpy as np
import pytest
import torch

from model.analysis.heads import heads_off_now
from model.analysis.sidebyside import compare_traces, side_by_side
from tests.tiny import tiny_trainer


@pytest.fixture(scope="module")
def translator():
    torch.manual_seed(0)
    return tiny_trainer().translator


def test_a_model_with_itself_gives_zero_differences(translator):
    sbs = side_by_side(translator, translator, "the dog sees the cat .")
    assert sbs.translation_a == sbs.translation_b
    assert len(sbs.diff) == 3 * 2 and sbs.max_difference() == 0.0
    assert all(not d.any() for d in sbs.diff.values())


def test_heads_off_on_one_side_only(translator):
    off = [("cross", 1, h) for h in range(4)]
    sbs = side_by_side(translator, translator, "the dog sees the cat .", heads_off_b=off)
    assert heads_off_now(translator.model) == frozenset()
    assert sbs.a.tgt_tokens == sbs.b.tgt_tokens  # B reads A's translation
    assert not sbs.diff["cross/1"].any()  # the weights of a switched-off head are still computed
    assert sbs.logits_diff is not None and np.abs(sbs.logits_diff).max() > 1e-4
    with pytest.raises(ValueError):
        compare_traces(sbs.a, translator.trace("a small bird sleeps ."))
