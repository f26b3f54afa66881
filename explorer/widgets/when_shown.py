"""A drawing that runs only where it can be seen.

``WhenShown(widget).run(draw)`` calls ``draw()`` now when ``widget`` is visible, else keeps
it and calls it once when the widget is next shown (its tab brought to the front, its dock
raised or floated). A newer drawing replaces one kept and not run yet, so a hidden view that
missed ten replay frames draws only the last. Panels use it for parts a timeline frame
changes but nobody may be looking at (the training panel's sample translations).
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget


class WhenShown(QObject):
    """Runs the latest drawing for ``widget`` now if it is visible, else when it is shown."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.widget = widget
        self.pending: Callable[[], None] | None = None
        widget.installEventFilter(self)

    def run(self, draw: Callable[[], None]) -> None:
        """Draw now if the widget can be seen; otherwise keep ``draw`` (the last one wins)."""
        if self.widget.isVisible():
            self.pending = None
            draw()
        else:
            self.pending = draw

    def cancel(self) -> None:
        """Forget a drawing not run yet (what it would draw was replaced some other way)."""
        self.pending = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget and event.type() == QEvent.Type.Show and self.pending is not None:
            draw, self.pending = self.pending, None
            draw()
        return False
