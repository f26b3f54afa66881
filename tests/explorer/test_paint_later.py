"""paint_later: a widget's painting held until the events queued by then have run."""
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from explorer.widgets import paint_later as pl


def shown(qtbot):
    window = QWidget()
    layout = QVBoxLayout(window)
    label = QLabel("curves")
    layout.addWidget(label)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window, label


def test_held_until_the_events_queued_have_run_then_painted(qtbot, monkeypatch):
    monkeypatch.setattr(pl, "AT_MOST_MS", 10_000)  # let go by the 0 ms timer, not the limit
    window, label = shown(qtbot)
    events = []
    # work already queued (the window's repaint, a posted call) runs before it is let go
    QTimer.singleShot(0, lambda: events.append(("posted", label.updatesEnabled())))
    label.setText("new model")  # asks for a repaint, not done while held
    assert pl.paint_later(label)
    assert not label.updatesEnabled()
    assert not pl.paint_later(label)  # held already: nothing more
    qtbot.waitUntil(label.updatesEnabled, timeout=2000)
    assert events == [("posted", False)]


def test_a_hidden_widget_is_not_held(qtbot):
    window, label = shown(qtbot)
    label.hide()
    assert not pl.paint_later(label)
    assert label.updatesEnabled()


def test_let_go_after_at_most_a_while_whatever_happens(qtbot, monkeypatch):
    window, label = shown(qtbot)
    monkeypatch.setattr(pl, "AT_MOST_MS", 50)
    assert pl.paint_later(label)
    label.findChild(pl._Hold).soon.stop()  # as if its 0 ms timer never came
    qtbot.wait(20)
    assert not label.updatesEnabled()
    qtbot.waitUntil(label.updatesEnabled, timeout=2000)
    assert label.findChild(pl._Hold) is None or not label.findChild(pl._Hold).widget
