"""The panels' Qt-free halves (explorer/logic): importable and tested without a QApplication."""
from __future__ import annotations

import subprocess
import sys

import numpy as np

from explorer.logic import embeddings, positional, training
from model.config import ModelConfig, TrainConfig


def test_the_logic_modules_import_no_qt():
    code = ("import sys, explorer.logic.embeddings, explorer.logic.positional, explorer.logic.training;"
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'superqt'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_positional_state_follows_the_model_and_its_pictures():
    state = positional.PositionalState()
    cfg = ModelConfig(src_vocab=10, tgt_vocab=10, d_model=16, n_heads=2, max_len=40)
    state.take_model(cfg, TrainConfig(), None, "word", new_model=True)
    assert (state.width, state.positions, state.encoding) == (16, 40, "sinusoidal")
    picture = positional.rotary_picture(state)  # no trace: q = k = ones of width D
    assert picture.source is None and picture.rotated_q.shape == (state.rotary_positions, 16)
    assert positional.spread(picture.rotary_scores) < 1e-4 < positional.spread(picture.additive_scores)
    assert positional.comparison_model_fields(cfg, "small")["d_model"] == 64
    assert positional.comparison_model_fields(cfg, "loaded")["d_model"] == 16
    state.curves, state.kinds, state.steps = {"none": [3.0, 2.0], "rotary": [3.0]}, ("none", "rotary"), 2
    assert positional.finished_kinds(state) == ["none"]
    losses = positional.loss_matrix(state.curves)
    assert losses.shape == (2, 2) and np.isnan(losses[1, 1])
    assert positional.parse_dims("0, 3, 99, x", 16) == [0, 3]


def test_setup_choice_makes_the_configs():
    cfg = ModelConfig(src_vocab=10, tgt_vocab=12, d_model=16, n_heads=2)
    choice = training.SetupChoice.of_model(cfg, "bpe", "builtin:en-de", "cuda:0")
    assert choice.device == "cuda" and choice.model_config(cfg) == cfg.replace(n_dec_layers=None)
    bigger = training.SetupChoice(**{**choice.__dict__, "d_model": 32, "heads": 4})
    made = bigger.model_config(cfg)
    assert (made.d_model, made.n_heads, made.tgt_vocab) == (32, 4, 12)
    assert bigger.train_config(TrainConfig()).device == "cuda"
    assert training.next_target(1500) == 3000


def test_embeddings_layout_search_and_neighbours():
    X = np.random.default_rng(0).normal(size=(30, 8)).astype(np.float32)
    layout, axes = embeddings.lay_out(X, "pca", 2)
    assert layout.shape == (30, 2) and axes is not None
    assert list(embeddings.matches(["dog", "Hotdog", "cat"], "dog", regex=False)) == [0, 1]
    assert embeddings.projection_neighbours(layout, 0, 3)[0][0] != 0
