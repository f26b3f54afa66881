"""The Attention panel with a real worker: check boxes switch heads off on the model (a red
line says so, All heads on undoes it), and the Compare tab shows A, B and B − A."""
from __future__ import annotations

import numpy as np

from explorer.panels.attention import AttentionPanel
from tests.explorer.test_worker import Recorder, tiny_factory


def build(qtbot, session, rec):
    """A tiny model in the worker (a minute allowed: the machine may be loaded)."""
    session.build(tiny_factory())
    qtbot.waitUntil(lambda: bool(rec.models and rec.traces) and not session.pending, timeout=60000)
    rec.traces.clear()


def test_switching_heads_off_and_comparing(qtbot, session):
    rec = Recorder(session)
    build(qtbot, session, rec)
    panel = AttentionPanel(session)
    qtbot.addWidget(panel)
    panel.resize(1200, 800)
    panel.show()
    panel.show_sentence("the dog sees the cat .")
    qtbot.waitUntil(lambda: panel.trace is not None and panel._waiting is None, timeout=60000)
    switches = panel.head_switches
    assert switches.boxes and all(box.isChecked() for box in switches.boxes.values())
    assert not switches.notice.isVisible()
    switches.toggle.setChecked(True)
    first = panel.trace
    switches.boxes[("cross", 0, 0)].setChecked(False)  # asks the worker
    qtbot.waitUntil(lambda: session.heads_off == {("cross", 0, 0)}, timeout=60000)
    qtbot.waitUntil(lambda: panel.trace is not first and panel._waiting is None, timeout=60000)
    assert switches.notice.isVisible() and switches.all_on.isVisible()
    assert np.abs(panel.trace.cross[0].context[0]).max() == 0.0  # the traced model runs without it
    assert not switches.boxes[("cross", 0, 0)].isChecked()

    panel.show_tab("compare")
    view = panel.compare_view
    assert view.target == "heads_off"
    view.run()
    qtbot.waitUntil(lambda: view.result is not None, timeout=60000)
    result = view.result
    assert np.abs(result.a.cross[0].context[0]).max() > 0.0  # A: every head on
    assert np.abs(result.b.cross[0].context[0]).max() == 0.0  # B: as the model is now
    names = [m.name for m in panel.matrices()]
    assert any(n.startswith("B-A.cross.L0.") for n in names) and names[-2].startswith("A.")
    # the selected head below, a third of the panel wide each: short titles, as the grids'
    assert [view.heads[k]._title for k in ("a", "b", "diff")] == [
        f"{w} · Cross-attention L0 H0" for w in ("A", "B", "B − A")]

    switches.all_on.click()
    qtbot.waitUntil(lambda: session.heads_off == frozenset(), timeout=60000)
    view.result = None
    view.run()
    qtbot.waitUntil(lambda: view.result is not None, timeout=60000)
    assert view.result.max_difference() == 0.0  # the model compared with itself
    assert not switches.notice.isVisible()


def test_switches_follow_a_model_of_another_shape(qtbot):
    from explorer.panels.attention.heads import HeadSwitches

    switches = HeadSwitches()
    qtbot.addWidget(switches)
    switches.set_shape({"enc_self": (2, 4), "dec_self": (2, 4), "cross": (2, 4)})
    switches.set_shape({"enc_self": (3, 2), "dec_self": (1, 2), "cross": (1, 2)})
    switches.show_off({("cross", 0, 1)})
    assert len(switches.boxes) == 10 and not switches.boxes[("cross", 0, 1)].isChecked()
    asked = []
    switches.sig_changed.connect(asked.append)
    switches.boxes[("enc_self", 2, 0)].setChecked(False)
    assert asked == [frozenset({("cross", 0, 1), ("enc_self", 2, 0)})]


def test_the_check_boxes_are_made_when_the_grid_is_first_opened(qtbot):
    """144 heads (opus-mt's shape): no box is made when the model arrives; opening the grid
    makes them, showing the heads the worker reported off meanwhile."""
    from PySide6.QtWidgets import QCheckBox

    from explorer.panels.attention.heads import HeadSwitches

    switches = HeadSwitches()
    qtbot.addWidget(switches)
    switches.show()
    switches.set_shape({"enc_self": (6, 8), "dec_self": (6, 8), "cross": (6, 8)})
    switches.show_off({("cross", 5, 7)})
    assert switches.findChildren(QCheckBox) == []
    assert switches.notice.isVisible()  # the red line does not wait for the boxes
    switches.toggle.setChecked(True)
    boxes = switches.findChildren(QCheckBox)
    assert len(boxes) == 144 and switches.grid_box.isVisible()
    assert not switches.boxes[("cross", 5, 7)].isChecked() and switches.boxes[("cross", 0, 0)].isChecked()
    switches.set_shape({"enc_self": (1, 2), "dec_self": (1, 2), "cross": (1, 2)})
    assert switches._built == switches.shape  # the grid is open: made at once
    assert len(switches.boxes) == 6


def test_an_open_grid_in_a_hidden_panel_shows_the_new_model_s_heads(qtbot):
    """The grid was left open, the panel is hidden (another tab, a closed dock) and a model
    of another shape arrives: showing the panel again shows that model's boxes, not the old."""
    from PySide6.QtWidgets import QCheckBox, QWidget

    from explorer.panels.attention.heads import HeadSwitches

    holder = QWidget()
    qtbot.addWidget(holder)
    switches = HeadSwitches(holder)
    holder.show()
    switches.set_shape({"enc_self": (1, 2), "dec_self": (1, 2), "cross": (1, 2)})
    switches.toggle.setChecked(True)
    assert len(switches.findChildren(QCheckBox)) == 6
    holder.hide()
    switches.set_shape({"enc_self": (2, 2), "dec_self": (2, 2), "cross": (2, 2)})
    holder.show()
    qtbot.waitUntil(lambda: len(switches.findChildren(QCheckBox)) == 12)  # the old ones deleted later
    assert all(box.isVisible() for box in switches.findChildren(QCheckBox))
    asked = []
    switches.sig_changed.connect(asked.append)
    switches.findChildren(QCheckBox)[-1].click()
    assert asked == [frozenset({("cross", 1, 1)})]
