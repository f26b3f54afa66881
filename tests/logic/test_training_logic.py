"""The training panel's Qt-free part: keys, tokenizer choices, the smoothing floor and the
curves as tables (no QApplication here)."""
from __future__ import annotations

import math

import numpy as np
import pytest

from explorer.logic import training


def test_space_and_right_do_what_the_moment_allows():
    key = training.transport_key
    assert key("space", typing=False, ready=True, playing=False, stepping=False) == "play_pause"
    assert key("space", typing=False, ready=True, playing=True, stepping=False) == "play_pause"
    assert key("space", typing=False, ready=True, playing=False, stepping=True) == "cancel"
    assert key("right", typing=False, ready=True, playing=False, stepping=False) == "step"
    assert key("right", typing=False, ready=True, playing=True, stepping=False) is None
    assert key("right", typing=False, ready=True, playing=False, stepping=True) is None
    for k in ("space", "right"):  # text in a text field; nothing to train without a model
        assert key(k, typing=True, ready=True, playing=True, stepping=False) is None
        assert key(k, typing=False, ready=False, playing=False, stepping=False) is None
    assert key("", typing=False, ready=True, playing=False, stepping=False) is None


def test_the_tokens_box_names_what_the_model_uses():
    assert training.tokenizer_choice("word", "word") == "word"
    assert training.tokenizer_choice("word", "char") == "word/char"
    assert training.tokenizer_choice("spm", "spm") == "spm"
    assert training.tokenizer_items("bpe") == ["word", "char", "bpe"]
    assert training.tokenizer_items("spm") == ["word", "char", "bpe", "spm"]
    assert training.tokenizer_items("word/char") == ["word", "char", "bpe", "word/char"]
    assert training.rebuild_tokenizer("bpe") == "bpe"
    assert training.rebuild_tokenizer("word/char") == ("word", "char")
    with pytest.raises(ValueError):
        training.rebuild_tokenizer("spm")  # pieces come with a pretrained model


def test_smoothing_floor_is_the_least_smoothed_loss():
    torch = pytest.importorskip("torch")
    eps, vocab = 0.1, 400
    floor = training.smoothing_floor(eps, vocab)
    target = torch.tensor([7])
    q = torch.full((1, vocab), eps / vocab)
    q[0, 7] += 1 - eps
    best = torch.nn.functional.cross_entropy(q.log(), target, label_smoothing=eps)
    assert floor == pytest.approx(float(best), rel=1e-5)
    assert 0.9 < floor < 0.95  # why a perfect model's loss reads about 1, not 0
    sharper = torch.nn.functional.cross_entropy(torch.tensor([[0.0] * 7 + [30.0] + [0.0] * 392]),
                                                target, label_smoothing=eps)
    assert float(sharper) > floor  # even a certain, right prediction costs more
    assert training.smoothing_floor(0.0, vocab) == 0.0


def test_curves_side_by_side_as_a_table():
    series = {"loss": ([1, 2, 3], [3.0, 2.0, 1.0]), "valid": ([2], [2.5])}
    steps, values = training.curve_table(series, ["loss", "valid"])
    assert steps.tolist() == [1, 2, 3]
    assert values[:, 0].tolist() == [3.0, 2.0, 1.0]
    assert math.isnan(values[0, 1]) and values[1, 1] == 2.5 and math.isnan(values[2, 1])
    steps, values = training.curve_table({"a": ([], [])}, ["a"])
    assert steps.shape == (0,) and values.shape == (0, 1)
    assert training.next_target(0) == 2000 and np.isfinite(values).all()
