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


def biased_trace(positional="sinusoidal", src=SRC, tgt=TGT):
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
    src_ids = SRC_TOK.encode(src, add_eos=True)
    tgt_ids = TGT_TOK.encode(tgt, add_bos=True)
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


def test_a_maps_only_step_prepares_the_views_it_hides_for_the_step_that_shows_them(qtbot, monkeypatch):
    """A replay at a maps-only step has the hidden views drawn with the later full step
    (``prepare``, on the next turn of the event loop): they stay hidden, what is shown and
    exported is the maps-only step's, and the full step's frame then only shows them (no
    view reshaped or fitted), each showing exactly that step's arrays."""
    from PySide6.QtWidgets import QApplication

    from explorer.widgets.heatmap import TokenHeatmap
    from model.history import _maps_only

    live = biased_trace()  # another sentence: other shapes
    step = biased_trace(src="the cat sees a dog .", tgt="die Katze sieht .")
    full, maps = step.cross[0], _maps_only(step).cross[0]
    view = ComputationView()
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    view.show_block(live.cross[0], 0, live.tgt_tokens, live.src_tokens)
    view.show_block(maps, 0, step.tgt_tokens, step.src_tokens)
    view.prepare(full, 0, step.tgt_tokens, step.src_tokens)
    assert view.views["q"].values.shape == live.cross[0].q[0].shape  # not yet: next turn
    for _ in range(3):
        QApplication.instance().processEvents()
    assert not view.views["q"].isVisibleTo(view) and not view.views["output"].isVisibleTo(view)
    np.testing.assert_array_equal(view.views["q"].values, full.q[0])
    assert set(view.shown) == {"weights"}
    fits = []
    monkeypatch.setattr(TokenHeatmap, "fit", lambda self: fits.append(self))
    view.show_block(full, 0, step.tgt_tokens, step.src_tokens)
    assert fits == []  # every view had its shape already
    for name in ("x_q", "x_kv", "q", "k", "v", "scores", "weights", "context", "concat", "output"):
        assert view.views[name].isVisibleTo(view), name
        np.testing.assert_array_equal(view.views[name].values, view.shown[name].values)
    np.testing.assert_array_equal(view.shown["q"].values, full.q[0])
    assert f"(T={len(step.tgt_tokens)}," in view.views["q"].plot.titleLabel.text
    assert len(step.tgt_tokens) != len(live.tgt_tokens)
    # the live block again: the views hold its matrices, so a maps-only step prepares again
    view.show_block(live.cross[0], 0, live.tgt_tokens, live.src_tokens)
    view.show_block(maps, 0, step.tgt_tokens, step.src_tokens)
    view.prepare(full, 0, step.tgt_tokens, step.src_tokens)
    for _ in range(3):
        QApplication.instance().processEvents()
    np.testing.assert_array_equal(view.views["q"].values, full.q[0])


def test_prepared_views_have_their_axes_drawn_ahead(qtbot):
    """The views a maps-only step prepares get their axes' pictures drawn then, so the frame
    that shows them only plays them."""
    from PySide6.QtWidgets import QApplication

    from model.history import _maps_only

    live, step = biased_trace(), biased_trace(src="the cat sees a dog .", tgt="die Katze sieht .")
    view = ComputationView()
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    view.show_block(live.cross[0], 0, live.tgt_tokens, live.src_tokens)
    for _ in range(3):
        QApplication.instance().processEvents()
    view.show_block(_maps_only(step).cross[0], 0, step.tgt_tokens, step.src_tokens)
    view.prepare(step.cross[0], 0, step.tgt_tokens, step.src_tokens)
    for _ in range(3):
        QApplication.instance().processEvents()
    q = view.views["q"]
    assert not q.isVisibleTo(view)
    assert q.axes["left"].picture is not None and q.axes["top"].picture is not None
    assert q.axes["left"].tickStrings([i + 0.5 for i in range(len(step.tgt_tokens))], 1, 1) == list(step.tgt_tokens)
