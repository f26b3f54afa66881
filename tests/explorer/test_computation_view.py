"""The computation view's equations hold with what it exports, biases included."""
import numpy as np
import pytest
import torch

from explorer.panels.attention.computation import ComputationView
from explorer.widgets.export import save_matrices
from model.config import ModelConfig
from model.tokenizer import build_tokenizer
from model.transformer import Seq2Seq

SRC, TGT = "the dog sees a cat .", "der Hund sieht eine Katze ."
SRC_TOK = build_tokenizer("word", [SRC], "en")
TGT_TOK = build_tokenizer("word", [TGT], "de")


def biased_trace(positional="sinusoidal"):
    """A small model whose projection biases are far from zero, traced on one pair."""
    torch.manual_seed(1)
    cfg = ModelConfig(src_vocab=SRC_TOK.vocab_size, tgt_vocab=TGT_TOK.vocab_size, d_model=16,
                      n_heads=2, n_layers=1, d_ff=32, dropout=0.0, max_len=32,
                      pos_encoding=positional)
    model = Seq2Seq(cfg)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("in_proj.bias") or name.endswith("out_proj.bias"):
                p.normal_(0.0, 0.5)
    src_ids = SRC_TOK.encode(SRC, add_eos=True)
    tgt_ids = TGT_TOK.encode(TGT, add_bos=True)
    return model.trace(torch.tensor([src_ids]), torch.tensor([tgt_ids]),
                       [SRC_TOK.id_to_token(i) for i in src_ids],
                       [TGT_TOK.id_to_token(i) for i in tgt_ids],
                       id_to_token=TGT_TOK.id_to_token)


@pytest.mark.parametrize("kind", ["enc_self", "dec_self", "cross"])
def test_every_equation_holds_with_the_exported_arrays(qtbot, tmp_path, kind):
    trace = biased_trace()
    block = trace.blocks(kind)[0]
    rows = trace.src_tokens if kind == "enc_self" else trace.tgt_tokens
    cols = trace.tgt_tokens if kind == "dec_self" else trace.src_tokens
    view = ComputationView()
    qtbot.addWidget(view)
    head = 1
    view.show_block(block, head, rows, cols)
    for name in ("b_q", "b_k", "b_v", "b_o"):
        assert view.views[name].isVisibleTo(view)
    titles = {n: v.plot.titleLabel.text for n, v in view.views.items()}
    assert "+ bq" in titles["q"] and "+ bk" in titles["k"] and "+ bv" in titles["v"]
    assert "+ bo" in titles["output"]

    path = tmp_path / "computation.npz"
    save_matrices(path, view.matrices())
    saved = np.load(path)
    prefix = f"{kind}.L0.H{head}."

    def get(name):
        return saved[prefix + name].astype(np.float64)

    x_kv = get("x_kv") if kind == "cross" else get("x_q")
    assert np.abs(get("b_q")).max() > 0.1 and np.abs(get("b_o")).max() > 0.1
    np.testing.assert_allclose(get("x_q") @ get("w_q") + get("b_q"), get("q"), atol=1e-5)
    np.testing.assert_allclose(x_kv @ get("w_k") + get("b_k"), get("k"), atol=1e-5)
    np.testing.assert_allclose(x_kv @ get("w_v") + get("b_v"), get("v"), atol=1e-5)
    np.testing.assert_allclose(get("q") @ get("k").T, get("scores"), atol=1e-5)
    np.testing.assert_allclose(get("weights") @ get("v"), get("context"), atol=1e-5)
    dh = get("q").shape[1]
    np.testing.assert_allclose(get("concat")[:, head * dh:(head + 1) * dh], get("context"),
                               atol=1e-6)
    np.testing.assert_allclose(get("concat") @ get("w_o") + get("b_o"), get("output"), atol=1e-5)
    # without the biases the equations would not hold: the old titles were wrong
    assert np.abs(get("concat") @ get("w_o") - get("output")).max() > 0.1


def test_rotary_says_q_and_k_are_rotated(qtbot):
    trace = biased_trace("rotary")
    block = trace.enc_self[0]
    view = ComputationView()
    qtbot.addWidget(view)
    view.show_block(block, 0, trace.src_tokens, trace.src_tokens)
    assert "rotary(" in view.views["q"].plot.titleLabel.text
    assert "rotary(" in view.views["k"].plot.titleLabel.text
    assert "rotary(" not in view.views["v"].plot.titleLabel.text
    plain = biased_trace()
    view.show_block(plain.enc_self[0], 0, plain.src_tokens, plain.src_tokens)
    assert "rotary(" not in view.views["q"].plot.titleLabel.text


def test_a_history_step_shows_and_hides_the_views_laying_the_grid_out_once(qtbot):
    """A step of the training history keeps fewer matrices (no Wq, ...; a maps-only step no
    Q, K, V either): going from the full trace to such a step and back shows and hides
    views at once (QKᵀ and its scaling too on a maps-only step: without Q and K the scores
    are not known), so that no view is sized twice (each layout of the grid resizes the
    views, and every resize of a plot costs)."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from model.history import _maps_only

    trace = biased_trace()
    full, maps = trace.enc_self[0], _maps_only(trace).enc_self[0]
    view = ComputationView()
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    rows = cols = trace.src_tokens

    class Resizes(QObject):
        counts: dict = {}

        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Resize and obj in view.views.values():
                self.counts[obj] = self.counts.get(obj, 0) + 1
            return False

    resizes = Resizes()
    maps_hidden = ("q", "k", "v", "x_q", "dot", "output", "scores", "scaled", "masked")
    for block, hidden in ((full, ()), (maps, maps_hidden), (full, ())):
        view.show_block(block, 0, rows, cols)
        app = QApplication.instance()
        app.installEventFilter(resizes)
        for _ in range(3):
            app.processEvents()
        app.removeEventFilter(resizes)
        assert all(not view.views[n].isVisibleTo(view) for n in hidden)
        assert view.views["weights"].isVisibleTo(view)
        # without Q and K the scores are unknown: hidden and not exported, never shown as zeros
        assert view.views["scores"].isVisibleTo(view) == (block is full) == ("scores" in view.shown)
        assert max(resizes.counts.values(), default=0) <= 1, resizes.counts
        resizes.counts.clear()
