"""The window's training timeline: a model's recorded history replayed in every panel."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QSettings

from explorer.app import PANELS, MainWindow
from tests.tiny import TINY_MODEL, TINY_TRAIN, tiny_corpus

REPLAY_PANELS = [spec for spec in PANELS if spec.title in ("Training", "Attention", "Embeddings", "Tokens")]


_TRAINED = {}


def trained_factory(steps: int = 12):
    """A factory handing over a tiny trainer trained ``steps`` steps (trained once per module)."""
    from model.train import Trainer

    if steps not in _TRAINED:
        trainer = Trainer.from_corpus(tiny_corpus(), tokenizer="word", model_config=TINY_MODEL,
                                      train_cfg=TINY_TRAIN.replace(eval_every=10, eval_sentences=5))
        for _ in range(steps):
            trainer.step()
        _TRAINED[steps] = trainer
    return lambda: _TRAINED[steps]


@pytest.fixture
def window(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    w = MainWindow(settings=settings, panels=REPLAY_PANELS, open_default=False)
    qtbot.addWidget(w)
    w.show()
    for title in ("Training", "Attention", "Embeddings", "Tokens"):
        w.docks[title].raise_()
        w.panel(title)
    w.session.build(trained_factory())
    qtbot.waitUntil(lambda: len(w.session.timeline) == 2 and w.session.latest_trace is not None, timeout=120000)
    yield w
    w.ask_before_discard = False
    w.close()


def test_history_fills_the_curves_and_the_timeline(window):
    s = window.session
    assert [snap.step for snap in s.timeline] == [0, 10]
    assert [r.step for r in s.history] == list(range(1, 13))
    xs, _ = window.panels["Training"].curves.data("train loss")
    assert list(xs) == list(range(1, 13))
    xs, _ = window.panels["Training"].curves.data("BLEU")
    assert list(xs) == [10]
    assert s.replay_state.live and window.timeline_bar.slider.maximum() == 2


def test_scrubbing_shows_the_stored_arrays(window, qtbot):
    s = window.session
    attention = window.panels["Attention"]
    window.docks["Attention"].raise_()
    window.timeline_bar.slider.setValue(1)
    snap = s.replay_snapshot
    assert snap.step == 10 and not s.replay_state.live
    qtbot.waitUntil(lambda: attention.trace is snap.probe, timeout=5000)  # the frame: next turn
    attention.tabs.setCurrentIndex(attention.TAB_NAMES.index("detail"))
    qtbot.waitUntil(lambda: attention.view("detail").heatmap.values.size > 0, timeout=5000)
    sel = attention.selection
    block = snap.probe.blocks(sel.kind)[sel.layer]
    assert np.array_equal(attention.view("detail").heatmap.values, block.weights[sel.head])
    attention.tabs.setCurrentIndex(attention.TAB_NAMES.index("computation"))
    comp = attention.view("computation")
    qtbot.waitUntil(lambda: "weights" in comp.shown, timeout=5000)
    assert np.array_equal(comp.shown["weights"].values, block.weights[comp.head])
    assert np.array_equal(comp.shown["q"].values, block.q[comp.head])
    assert "w_q" not in comp.shown  # not kept in the history: hidden, not made up
    # the training panel marks the step and shows that moment's translations
    training = window.panels["Training"]
    assert all(line.isVisible() and line.value() == 10 for line in training.replay_markers)
    training.open_tab("samples")  # written when the tab is seen
    assert training.samples_table.rowCount() == len(snap.samples) == 3
    assert "replaying step 10" in window.timeline_bar.state_label.text().lower()
    # the projector draws that step's embedding rows
    window.docks["Embeddings"].raise_()
    emb = window.panels["Embeddings"]
    qtbot.waitUntil(lambda: emb.state.replay_step == 10 and len(emb.state.coords) > 0, timeout=5000)
    assert np.array_equal(emb.state.X, snap.src_embeddings[4:])


def test_a_replayed_frame_of_another_sentence_says_which(window, qtbot):
    """The replay shows the probe sentence of each snapshot; when the source field holds
    another sentence, the line above the views names the one shown."""
    s = window.session
    attention = window.panels["Attention"]
    window.docks["Attention"].raise_()
    probe = s.timeline[1].probe
    probe_text = s.src_tokenizer.decode([int(i) for i in probe.src_ids])
    attention.inputs.source_edit.setText("a sentence that is not the probe")
    window.timeline_bar.slider.setValue(1)
    qtbot.waitUntil(lambda: attention.trace is s.replay_snapshot.probe, timeout=5000)
    line = attention.output_line.text()
    assert f"“{probe_text}”" in line, line
    attention.inputs.source_edit.setText(probe_text)  # the probe itself in the field
    window.timeline_bar.slider.setValue(0)
    qtbot.waitUntil(lambda: attention.trace is s.replay_snapshot.probe, timeout=5000)
    assert "“" not in attention.output_line.text()


def test_a_live_request_returns_to_live(window, qtbot):
    s = window.session
    s.show_snapshot(0)
    assert not s.replay_state.live
    got = []
    s.request_trace("the dog sleeps .").then(got.append)
    assert s.replay_state.live  # at once, before the answer
    qtbot.waitUntil(lambda: bool(got), timeout=20000)
    assert s.replay_state.live and window.panels["Attention"].timeline_slider.value() == 2
    assert not any(line.isVisible() for line in window.panels["Training"].replay_markers)


def test_replay_plays_to_the_end(window, qtbot):
    s = window.session
    s.set_replay_speed(4.0)
    seen = []
    s.sig_replay.connect(lambda snap: seen.append(None if snap is None else snap.step))
    window.timeline_bar.play_button.click()
    qtbot.waitUntil(lambda: not s.replay_state.playing and not s.frame_pending, timeout=10000)
    assert [x for x in dict.fromkeys(seen) if x is not None] == [0, 10]
    assert s.replay_state.step == 10 and window.timeline_bar.play_button.text() == "Replay"


def test_frames_coalesce(window, qtbot):
    """Moves in one turn of the event loop give one frame, of the last position; the state
    (and the bar's slider) moves at once."""
    s = window.session
    seen = []
    s.sig_replay.connect(lambda snap: seen.append(None if snap is None else snap.step))
    for position in (0, 1, 0, 1, 0):
        s.show_snapshot(position)
    assert s.replay_state.step == 0 and s.frame_pending and seen == []
    qtbot.waitUntil(lambda: not s.frame_pending, timeout=5000)
    assert seen == [0]
    s.show_snapshot(0)  # no move: asked again, one frame again
    qtbot.waitUntil(lambda: not s.frame_pending, timeout=5000)
    assert seen == [0, 0]
    s.show_snapshot(1)
    s.go_live()  # a live request: live at once, and the pending frame is dropped
    assert seen == [0, 0, None] and not s.frame_pending


def counted(monkeypatch, obj, name: str) -> list:
    """Count the calls of ``obj.name`` (still calling it)."""
    calls, method = [], getattr(obj, name)

    def wrapper(*args, **kwargs):
        calls.append(args)
        return method(*args, **kwargs)

    monkeypatch.setattr(obj, name, wrapper)
    return calls


def test_hidden_panels_draw_a_frame_once_when_shown(window, qtbot, monkeypatch):
    """A hidden panel (or tab) skips replay frames and draws the last one when shown."""
    s = window.session
    training, tokens, emb = (window.panels[t] for t in ("Training", "Tokens", "Embeddings"))
    training.open_tab("curves")
    assert emb.wait()  # the live picture's projection, asked when the model came, is in
    fills = counted(monkeypatch, training.samples, "fill")
    for title in ("Tokens", "Embeddings"):
        window.docks[title].hide()
    draws = counted(monkeypatch, tokens, "_draw_embeddings")
    layouts = counted(monkeypatch, emb, "set_layout")
    for position in (0, 1, 0, 1):
        s.show_snapshot(position)
        qtbot.waitUntil(lambda: not s.frame_pending, timeout=5000)
    assert fills == [] and draws == [] and layouts == []
    assert all(line.value() == 10 for line in training.replay_markers)  # the curves are in view
    training.open_tab("samples")
    assert len(fills) == 1 and training.samples_table.rowCount() == len(s.replay_snapshot.samples)
    for title in ("Tokens", "Embeddings"):
        window.docks[title].show()
    qtbot.waitUntil(lambda: len(draws) == 1 and len(layouts) == 1, timeout=10000)
    assert emb.state.replay_step == 10
    np.testing.assert_array_equal(emb.state.X, s.replay_snapshot.src_embeddings[4:])
    training.open_tab("curves")
    training.open_tab("samples")  # nothing new: not written again
    assert len(fills) == 1


def test_a_panel_shown_during_a_replay_takes_the_step_instead_of_going_live(window, qtbot):
    """The tokens panel asks for E when it is shown without one; during a replay it takes
    the step's rows instead, and the window stays on that step."""
    s = window.session
    tokens = window.panels["Tokens"]
    window.docks["Tokens"].hide()
    s.show_snapshot(1)
    qtbot.waitUntil(lambda: not s.frame_pending, timeout=5000)
    tokens.state.snapshots.clear()
    window.docks["Tokens"].show()
    qtbot.waitUntil(lambda: tokens.state.snapshot is not None, timeout=5000)
    assert s.replay_state.step == 10 and not s.pending
    assert tokens.state.snapshot.step == 10


def test_a_maps_only_step_prepares_the_computation_views_of_the_full_step(window, qtbot):
    """On the computation tab, a step that keeps only the attention maps hides Q, K, V, …;
    those views are drawn meanwhile with the later step that keeps them, so that its frame
    only shows them. What the step shows is its own arrays."""
    import dataclasses

    from model.history import _maps_only

    s = window.session
    first, last = s.timeline  # the first step kept as a history over its budget keeps it
    s._on_timeline([dataclasses.replace(first, probe=_maps_only(first.probe)), last])
    first = s.timeline[0]
    attention = window.panels["Attention"]
    window.docks["Attention"].raise_()
    attention.show_tab("computation")
    comp = attention.view("computation")
    sel = attention.selection
    assert first.probe.blocks(sel.kind)[sel.layer].q.shape[2] == 0  # maps only
    full = last.probe.blocks(sel.kind)[sel.layer]
    assert full.q.shape[2] > 0
    qtbot.waitUntil(lambda: "q" in comp.shown, timeout=5000)  # the live trace
    assert not np.array_equal(comp.views["q"].values, full.q[comp.head])
    s.show_snapshot(0)
    qtbot.waitUntil(lambda: attention.trace is first.probe and not comp.views["q"].isVisibleTo(comp), timeout=5000)
    qtbot.waitUntil(lambda: np.array_equal(comp.views["q"].values, full.q[comp.head]), timeout=5000)
    assert "q" not in comp.shown and not comp.views["q"].isVisibleTo(comp)
    s.show_snapshot(1)
    qtbot.waitUntil(lambda: attention.trace is last.probe, timeout=5000)
    assert comp.views["q"].isVisibleTo(comp)
    np.testing.assert_array_equal(comp.shown["q"].values, full.q[comp.head])
