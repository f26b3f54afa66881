"""A widget's painting put off until the window has done the rest of the work at hand.

Qt paints a window's dirty widgets together, and a chain of posted events (a slot, the
repaint it asks for, the scenes it changes, their repaints) runs without a pause in
between: when a new model arrives and every panel changes at once, that chain is the sum of
all their drawings (at opus-mt's shape, the window's only turn late by more than 50 ms).
``paint_later`` holds one widget's painting until the event loop has nothing else to do,
so that it paints in a turn of its own; what it shows is decided at once, only the pixels
wait.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

AT_MOST_MS = 200  # held no longer than this when the loop never runs out of work


class _Hold(QObject):
    """Holds a widget's updates until the event loop is idle (or AT_MOST_MS)."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.widget = widget
        widget.setUpdatesEnabled(False)
        # a timer object of 0 ms fires when the loop has no events left (the static
        # QTimer.singleShot(0, ...) is a posted call instead, run inside the chain)
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(0)
        self.idle.timeout.connect(self.release)
        self.idle.start()
        QTimer.singleShot(AT_MOST_MS, self, self.release)

    def release(self) -> None:
        if self.widget is None:
            return
        self.widget.setUpdatesEnabled(True)  # asks for its paint
        self.widget = None
        self.idle.stop()
        self.deleteLater()


def paint_later(widget: QWidget) -> bool:
    """Hold ``widget``'s painting (its children's too) until the event loop is idle, then
    let it paint. False, and nothing held, when it is not visible or is held already."""
    if not widget.isVisible() or not widget.updatesEnabled():
        return False
    _Hold(widget)
    return True
