"""paint_later: a widget's painting held until the event loop is idle, then let go."""
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


def test_held_until_the_loop_is_idle_then_painted(qtbot):
    window, label = shown(qtbot)
    events = []
    # work already queued (a chain of posted calls) runs before the held widget is let go
    QTimer.singleShot(0, lambda: events.append(("posted", label.updatesEnabled())))
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


def test_let_go_after_at_most_a_while_when_the_loop_is_never_idle(qtbot, monkeypatch):
    window, label = shown(qtbot)
    monkeypatch.setattr(pl, "AT_MOST_MS", 50)
    assert pl.paint_later(label)
    label.findChild(pl._Hold).idle.stop()  # as if the loop never ran out of work
    qtbot.wait(20)
    assert not label.updatesEnabled()
    qtbot.waitUntil(label.updatesEnabled, timeout=2000)
    assert label.findChild(pl._Hold) is None or not label.findChild(pl._Hold).widget
