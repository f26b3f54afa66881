"""The training panel and its live curves, fed by hand-made reports and by a tiny real model."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from explorer.panels.training import TrainingPanel
from explorer.panels.training_slow import STAGES
from explorer.widgets.curves import LiveCurves
from model.config import TrainConfig
from model.trace import StepReport
from tests.explorer.test_worker import TINY_MODEL, tiny_factory


def drawn_points(curves: LiveCurves, name: str) -> int:
    x, _ = curves._series[name].item.getData()
    return 0 if x is None else len(x)


@pytest.fixture
def panel(qtbot, session):
    p = TrainingPanel(session)
    qtbot.addWidget(p)
    p.resize(900, 800)
    p.show()
    return p


def test_curves_keep_full_history_and_draw_a_downsampled_view(qtbot):
    curves = LiveCurves()
    qtbot.addWidget(curves)
    curves.add_plot("loss", "loss", 0, 0)
    curves.add_curve("loss", "train", "#1f77b4")
    curves.resize(800, 400)
    curves.show()
    x = np.arange(100_000, dtype=float)
    y = np.exp(-x / 30_000) + 0.1 * np.sin(x / 7)
    for start in range(0, len(x), 10_000):  # arrives in batches, as from the worker
        curves.append("train", x[start:start + 10_000], y[start:start + 10_000])
    curves.refresh()
    curves.grab()
    for i in range(5):
        curves.append("train", [100_000 + i], [0.5])
        curves.refresh()
        curves.grab()  # a full render
    hx, hy = curves.data("train")
    assert len(hx) == 100_005 and np.array_equal(hy[:100_000], y)
    drawn_x, _ = curves._series["train"].item.getData()
    assert len(drawn_x) < 20_000  # peak downsampling draws far fewer points than it keeps


def test_curves_skip_missing_values(qtbot):
    curves = LiveCurves()
    qtbot.addWidget(curves)
    curves.add_plot("p", "p", 0, 0)
    curves.add_curve("p", "valid", "#d62728", symbol="o")
    curves.append("valid", [1, 2, 3, 4], [0.5, None, float("nan"), 0.25])
    x, y = curves.data("valid")
    assert x.tolist() == [1.0, 4.0] and y.tolist() == [0.5, 0.25]
    curves.clear_data()
    assert len(curves.data("valid")[0]) == 0


def test_empty_until_a_model_is_loaded(panel):
    assert panel.banner.isVisible() and "No model" in panel.banner.text()
    assert not panel.play_button.isEnabled() and not panel.step_button.isEnabled()
    assert len(panel.curves.data("train loss")[0]) == 0


def test_hand_made_reports_reach_curves_and_samples(qtbot, panel, session):
    reports = tuple(StepReport(step=s, loss=5.0 - 0.1 * s, lr=1e-3 * s, grad_norm=2.0, tokens=100,
                               tokens_per_s=1000.0 + s, elapsed_s=0.1 * s) for s in range(1, 4))
    evaluated = StepReport(step=4, loss=4.5, lr=4e-3, grad_norm=1.5, tokens=100, tokens_per_s=990.0,
                           elapsed_s=0.4, valid_loss=4.8, valid_accuracy=0.25, valid_bleu=3.5,
                           valid_chrf=20.0, samples=(("der hund", "the dog", "the the"),
                                                     ("die katze", "the cat", "the cat")))
    session.sig_steps.emit(reports + (evaluated,))
    session.sig_step.emit(evaluated)
    qtbot.waitUntil(lambda: drawn_points(panel.curves, "train loss") == 4, timeout=2000)
    x, y = panel.curves.data("train loss")
    assert x.tolist() == [1, 2, 3, 4] and y.tolist() == [r.loss for r in reports + (evaluated,)]
    assert panel.curves.data("valid loss")[1].tolist() == [4.8]
    assert panel.curves.data("BLEU")[1].tolist() == [3.5]
    table = panel.samples_table
    assert table.rowCount() == 2
    assert [table.item(1, c).text() for c in range(3)] == ["die katze", "the cat", "the cat"]
    assert "step 4" in panel.samples_label.text() and "25.0%" in panel.samples_label.text()
    assert "Step 4" in panel.status_label.text()


def test_step_button_trains_one_step_and_updates_views(qtbot, panel, session):
    session.build(tiny_factory(TrainConfig(batch_tokens=200, warmup=20, eval_every=1,
                                           eval_sentences=3, device="cpu")))
    qtbot.waitUntil(lambda: panel.step_button.isEnabled(), timeout=20000)
    assert not panel.banner.isVisible()
    assert panel.setup.d_model_spin.value() == TINY_MODEL["d_model"]
    qtbot.mouseClick(panel.step_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(session.history), timeout=20000)
    qtbot.wait(300)
    report = session.history[-1]
    assert [r.step for r in session.history] == [1]
    assert panel.curves.data("train loss")[1].tolist() == [report.loss]
    assert panel.curves.data("valid loss")[1].tolist() == [report.valid_loss]
    assert panel.samples_table.rowCount() == len(report.samples) == 3
    assert panel.samples_table.item(0, 2).text() == report.samples[0][2]
    assert panel.progress.value() == 1


def test_slow_motion_shows_the_real_step(qtbot, panel, session):
    session.build(tiny_factory())
    qtbot.waitUntil(lambda: panel.slow.run_button.isEnabled(), timeout=20000)
    qtbot.mouseClick(panel.slow.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.slow.detail is not None, timeout=20000)
    d = panel.slow.detail
    slow = panel.slow
    assert slow.batch_table.rowCount() == 2 * len(d.src_tokens)
    assert slow.batch_table.item(0, 0).text() == d.src_tokens[0][0]
    assert np.allclose(slow.token_loss_bars.values, d.token_loss[0])
    assert np.allclose(slow.grad_bars.values, list(d.grad_norms.values()))
    assert np.allclose(slow.update_bars.values, list(d.update_ratio.values()))
    assert not slow.back_button.isEnabled()
    for i in range(1, len(STAGES)):
        slow.next_button.click()
        assert slow.stack.currentIndex() == i
    assert not slow.next_button.isEnabled()
    block = d.probe_after.cross[0]
    shown = slow.probe_after.values
    assert np.allclose(shown, np.where(block.allowed, block.weights.mean(0), np.nan), equal_nan=True)


def test_slow_motion_with_a_long_probe_sentence_keeps_the_panel_in_its_dock(qtbot, panel, session):
    """The probe page quotes the probe sentence: on one line it made the panel wider than
    the Training dock at 1366 × 768 (611 px), which then scrolled sideways."""
    session.build(tiny_factory())
    qtbot.waitUntil(lambda: panel.slow.run_button.isEnabled(), timeout=20000)
    long = "the dog sees a cat and the cat sees a dog"
    reply = session.set_probe(long)
    qtbot.waitUntil(lambda: reply.finished, timeout=20000)
    panel.open_tab("slow")
    qtbot.mouseClick(panel.slow.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.slow.detail is not None, timeout=20000)
    slow = panel.slow
    for _ in range(1, len(STAGES)):
        slow.next_button.click()
    qtbot.wait(20)
    assert long in slow.probe_note.text()
    assert panel.minimumSizeHint().width() <= 611
    # as tall as the panel is at 1366 × 768 with the tour open: the maps keep their height
    # (the page scrolls); they were squeezed to a few pixels
    panel.resize(611, 420)
    qtbot.wait(20)
    for view in (slow.probe_before, slow.probe_after, slow.probe_change):
        assert view.height() >= 150
    slow.back_button.click()
    slow.back_button.click()  # the backward stage: gradient bars and the per-head map
    qtbot.wait(20)
    assert slow.grad_bars.height() >= 150 and slow.head_grad_map.height() >= 150


def test_rebuild_uses_the_chosen_shape(qtbot, panel, session, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    session.build(tiny_factory())
    setup = panel.setup
    qtbot.waitUntil(lambda: setup.rebuild_button.isEnabled(), timeout=20000)
    setup.corpus_combo.setCurrentText("builtin:en-de:2000")
    setup.heads_spin.setValue(4)
    setup.d_model_spin.setValue(24)
    setup.layers_spin.setValue(2)
    models = []
    session.sig_model_changed.connect(models.append)
    setup.rebuild_button.click()
    qtbot.waitUntil(lambda: bool(models), timeout=20000)
    cfg = models[0].model_config
    assert (cfg.n_heads, cfg.d_model, cfg.n_layers, cfg.d_ff) == (4, 24, 2, TINY_MODEL["d_ff"])


def test_evaluate_now_fills_samples_and_valid_curves(qtbot, panel, session, monkeypatch):
    session.build(tiny_factory())
    qtbot.waitUntil(lambda: panel.evaluate_button.isEnabled(), timeout=20000)
    replies = []
    evaluate = session.evaluate
    monkeypatch.setattr(session, "evaluate", lambda: replies.append(evaluate()) or replies[-1])
    qtbot.mouseClick(panel.evaluate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(replies) and replies[0].finished, timeout=20000)
    result = replies[0].result
    assert result["step"] == 0 and 0.0 <= result["accuracy"] <= 1.0
    assert panel.curves.data("valid loss")[1].tolist() == [result["loss"]]
    assert panel.samples_table.rowCount() == len(result["samples"]) > 0
    valid = {(p.src, p.tgt) for p in session.corpus.split("valid")}
    shown = (panel.samples_table.item(0, 0).text(), panel.samples_table.item(0, 1).text())
    assert shown in valid
    assert panel.tabs.currentWidget() is panel.samples


def test_step_axis_grows_in_round_steps_until_the_user_zooms(qtbot):
    from explorer.widgets.curves import round_up, step_axis_end

    assert [round_up(x) for x in (1, 1.2, 7, 100, 101, 151, 760)] == [1, 1.5, 7.5, 100, 150, 200, 1000]
    assert step_axis_end(2097, 2117) == 2117 and step_axis_end(2097, 2118) == 2097 + 25
    assert step_axis_end(0, 130) == 150
    curves = LiveCurves()
    qtbot.addWidget(curves)
    curves.add_plot("loss", "loss", 0, 0)
    curves.add_curve("loss", "train", "#1f77b4")
    curves.append("train", np.arange(1, 131), np.ones(130))
    curves.refresh()
    lo, hi = curves.plot("loss").getViewBox().viewRange()[0]
    assert lo < 1 and 150 <= hi < 155  # 1..150 plus 2 % padding
    curves.plot("loss").getViewBox().sigRangeChangedManually.emit([True, True])
    curves.append("train", [400], [1.0])
    curves.refresh()
    assert curves.plot("loss").getViewBox().viewRange()[0][1] < 155  # the user's range stays


def test_y_range_is_round_and_moves_only_when_points_leave_it(qtbot):
    from explorer.widgets.curves import nice_range

    assert nice_range(1.13, 4.87) == (1.0, 5.0)
    assert nice_range(0.0004, 0.00093) == pytest.approx((0.0003, 0.00105))  # ticks of 0.00015
    lo, hi = nice_range(2.0, 2.0)
    assert lo < 2.0 < hi
    lo, hi = nice_range(0.0, 0.0)
    assert lo < 0.0 < hi
    # close points (a loaded checkpoint's train and valid loss) get no crowded fine ticks
    lo, hi = nice_range(1.0305, 1.032)
    assert lo < 1.0305 and 1.032 < hi and hi - lo >= 0.1
    curves = LiveCurves()
    qtbot.addWidget(curves)
    curves.add_plot("loss", "loss", 0, 0)
    curves.add_curve("loss", "train", "#1f77b4")
    view = curves.plot("loss").getViewBox()
    curves.append("train", [1, 2, 3], [4.87, 3.2, 1.13])
    curves.refresh()
    first = view.viewRange()[1]
    assert first[0] < 1.0 and 5.0 < first[1] < 5.5  # 1..5 plus 5 % padding
    curves.append("train", [4, 5], [1.05, 2.5])  # inside: the axis stays as it is
    curves.refresh()
    assert view.viewRange()[1] == first
    curves.append("train", [6], [0.4])  # below: the range grows to take it in
    curves.refresh()
    assert view.viewRange()[1][0] < 0.4 and view.viewRange()[1][1] >= 5.0
    view.sigRangeChangedManually.emit([True, True])
    kept = view.viewRange()[1]
    curves.append("train", [7], [9.0])  # the user's range stays
    curves.refresh()
    assert view.viewRange()[1] == kept


def test_curves_refresh_one_plot_at_a_time_in_turns(qtbot):
    curves = LiveCurves()
    qtbot.addWidget(curves)
    for key in ("a", "b", "c"):
        curves.add_plot(key, key, 0, "abc".index(key))
        curves.add_curve(key, key, "#1f77b4")
    curves.start_at(10)
    x_range = curves.plot("a").viewRange()[0]
    assert x_range[0] < 10 < 11 < x_range[1] and curves.plot("c").viewRange()[0] == x_range

    def drawn(name):
        x, _ = curves._series[name].item.getData()
        return 0 if x is None else len(x)

    for key in "abc":
        curves.append(key, [11, 12], [1.0, 2.0])
    assert curves.refresh(max_plots=1)  # two plots still wait
    assert [drawn(k) for k in "abc"] == [2, 0, 0]
    curves.append("a", [13], [3.0])  # a had its turn: b and c come first
    assert curves.refresh(max_plots=1)
    assert [drawn(k) for k in "abc"] == [2, 2, 0]
    assert curves.refresh(max_plots=1)
    assert [drawn(k) for k in "abc"] == [2, 2, 2]
    assert not curves.refresh(max_plots=1)  # a's new point: the last one waiting
    assert [drawn(k) for k in "abc"] == [3, 2, 2]
    assert curves.plot("a").viewRange()[0] == x_range  # points inside the range: x axis kept
    curves.append("b", [14], [1.0])
    curves.append("c", [14], [1.0])
    assert not curves.refresh()  # no limit: everything at once
    assert [drawn(k) for k in "abc"] == [3, 3, 3]


def test_a_model_further_than_the_target_starts_the_curves_there(qtbot, panel, session,
                                                                   monkeypatch):
    from explorer.panels.training import next_target

    assert [next_target(s) for s in (0, 999, 2097, 3000)] == [2000, 2000, 4000, 5000]
    session.build(tiny_factory(TrainConfig(batch_tokens=200, device="cpu")))
    qtbot.waitUntil(lambda: panel.step_button.isEnabled(), timeout=20000)
    info = session.info.replace(step=2097, lr=3e-4, metrics={
        "train_loss": 1.02, "valid_loss": 1.03, "valid_bleu": 98.9})
    panel._on_model_changed(info)  # as for the shipped checkpoint, trained to step 2097
    assert panel.target_spin.value() == 4000  # not 2000: Play would stop after one step
    # an opened model's step only: "step 2097 / 4000" read as a run not finished
    assert panel.progress.text() == "step 2097"
    assert panel.progress.value() == panel.progress.maximum() == 2097
    assert panel.curves.data("valid loss")[0].tolist() == [2097]
    assert panel.curves.data("BLEU")[1].tolist() == [98.9]
    assert panel.curves.data("lr")[0].tolist() == []  # nothing recorded: training draws it
    x_min, x_max = panel.curves.plot("loss").viewRange()[0]
    assert x_min < 2097 < x_max < 2120  # the axis starts there, a round span ahead
    wanted = []
    monkeypatch.setattr(session, "play", lambda until=None: wanted.append(until))
    panel.target_spin.setValue(2050)  # reached already: Play moves it on
    panel._on_play_pause()
    assert wanted == [4000] and panel.target_spin.value() == 4000
    assert panel.progress.text() == "step 2097 / 4000"  # Play trains towards the target
    panel._on_model_changed(info)  # another model: its step again, no target
    assert panel.progress.text() == "step 2097"


def test_cancel_stops_step_n_in_the_worker(qtbot, panel, session):
    session.build(tiny_factory())
    qtbot.waitUntil(lambda: panel.step_n_button.isEnabled(), timeout=60000)
    panel.step_n_spin.setValue(10_000)
    panel.step_n_button.click()
    assert panel.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: bool(session.history), timeout=60000)
    panel.cancel_button.click()
    assert not panel.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: panel.step_n_button.isEnabled(), timeout=5000)
    qtbot.wait(1000)  # the step under way when Cancel came reports, then nothing more
    steps = len(session.history)
    qtbot.wait(1000)
    assert len(session.history) == steps < 10_000


def test_slow_motion_pages_are_built_when_first_shown(panel, qtbot):
    """The stage pages (nine plots) wait for their tab: the window's first paint does not."""
    slow = panel.slow
    assert not slow._built and slow.stack.count() == 0
    assert slow.stage_label.text() == STAGES[0] and not slow.next_button.isEnabled()
    panel.tabs.setCurrentWidget(slow)
    qtbot.waitUntil(lambda: slow._built)
    assert slow.stack.count() == len(STAGES) and not slow.stack.isVisible()  # no step yet
