"""A widget's painting put off until the window has painted the rest.

Qt paints a window's dirty widgets together, in the repaint that the first change asks
for: when a new model arrives and several panels change in one slot, that repaint is the
sum of all their drawings (at opus-mt's shape the model's arrival was one turn of the
event loop with about 20 ms of the UI thread's CPU). ``paint_later`` holds one widget's
painting until the events queued by then (that repaint among them) have run, and lets it
paint after them, in a turn of its own. What it shows is decided at once; only the pixels
wait.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

AT_MOST_MS = 200  # held no longer than this, whatever else the loop has to do


class _Hold(QObject):
    """Holds a widget's updates until the events queued now have run (or AT_MOST_MS)."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.widget = widget
        widget.setUpdatesEnabled(False)
        # a timer object of 0 ms fires once the loop has run the events queued now; it is
        # not a promise of an idle loop (events posted later may run before or after it)
        self.soon = QTimer(self)
        self.soon.setSingleShot(True)
        self.soon.setInterval(0)
        self.soon.timeout.connect(self.release)
        self.soon.start()
        QTimer.singleShot(AT_MOST_MS, self, self.release)

    def release(self) -> None:
        if self.widget is None:
            return
        self.widget.setUpdatesEnabled(True)  # asks for its paint
        self.widget = None
        self.soon.stop()
        self.deleteLater()


def paint_later(widget: QWidget) -> bool:
    """Hold ``widget``'s painting (its children's too) until the events queued now (the
    window's repaint among them) have run, then let it paint. False, and nothing held, when
    it is not visible or is held already."""
    if not widget.isVisible() or not widget.updatesEnabled():
        return False
    _Hold(widget)
    return True
