"""A legend under its plot, never over the curves, that fits the plot's width.

``legend_under(plot)`` puts a :class:`FlowLegend` below the plot's bottom axis: its
entries stand side by side, as many to a row as the plot is wide, the rest on further
rows. A legend inside the plot covered the curves of a small plot (the training panel's
loss at 1366 × 768); a legend with a fixed number of entries to a row made a narrow plot
wider than its widget, which cut off its right side. ``plot(name=...)`` adds an entry and
``clear()`` removes them, as with pyqtgraph's own legend.
"""
from __future__ import annotations

import weakref

import pyqtgraph as pg
import shiboken6

SAMPLE_PX = 20  # the width of an entry's line sample (pyqtgraph's ItemSample)
SPACING_PX = 5  # between a sample and its text, and between entries
MARGIN_PX = 2  # the legend's own margins, left and right
SLACK_PX = 2 * MARGIN_PX + 4  # the margins, and room to spare
QWIDGETSIZE_MAX = (1 << 24) - 1


class FlowLegend(pg.LegendItem):
    """Legend entries in as many columns as ``room`` pixels hold (at least one)."""

    def __init__(self, least: int = 1, **kwargs) -> None:
        kwargs.setdefault("labelTextSize", "8pt")
        kwargs.setdefault("verSpacing", -6)
        super().__init__(horSpacing=SPACING_PX, **kwargs)
        self.layout.setContentsMargins(MARGIN_PX, 0, MARGIN_PX, 0)  # the style's ~10 px cost a row
        self.least = least  # shown from this many entries on (a plot's title names one curve)
        self.room = 0.0  # the width the entries may take; 0 until the plot is laid out
        self._host = lambda: None  # the item whose width it takes (a weak reference)

    def addItem(self, item, name) -> None:
        super().addItem(item, name)
        label = self.items[-1][1]
        label.item.document().setDocumentMargin(1)  # Qt's 4 px each side cost a column
        label.setText(label.text)  # measured again without them
        self.reflow()

    def entry_px(self) -> float:
        """The width of the widest entry, with its spacing."""
        widest = max((label.minimumWidth() for _sample, label in self.items), default=0.0)
        return SAMPLE_PX + SPACING_PX + widest + SPACING_PX

    def rows_px(self, columns: int) -> float:
        """The width of the entries laid out ``columns`` to a row (each column as wide as
        its widest entry)."""
        widths = [SAMPLE_PX + SPACING_PX + label.minimumWidth() for _sample, label in self.items]
        cols = [max(widths[c::columns]) for c in range(min(columns, len(widths)))]
        return sum(cols) + SPACING_PX * (len(cols) - 1) + SLACK_PX

    def fitting_columns(self, room: float) -> int:
        """How many entries fit side by side in ``room`` pixels (1 when none is known)."""
        if not self.items or room <= 0:
            return 1
        return max([1] + [n for n in range(2, len(self.items) + 1) if self.rows_px(n) <= room])

    def follow_width(self, host) -> None:
        """Lay the entries out for ``host``'s width whenever it changes (a plot it stands
        under, or the grid of plots it spans)."""
        self._host = weakref.ref(host)
        host.geometryChanged.connect(self.fit_host)

    def fit_host(self) -> None:
        """Lay the entries out for the width of the item it follows."""
        host = self._host()
        if host is not None and shiboken6.isValid(host):  # not while it is torn down
            self.reflow(host.size().width())

    def reflow(self, room: float | None = None) -> None:
        """Lay the entries out again for ``room`` pixels (default: the last width given)."""
        if room is not None:
            self.room = room
        columns = self.fitting_columns(self.room)
        if columns != self.columnCount:
            self.setColumnCount(columns)
        # asks its plot for one entry's width, not a row's: the width given decides the rows;
        # no wider than its entries need (stretched, they drifted apart under other plots)
        self.setMinimumWidth(self.entry_px() + SLACK_PX)
        self.setMaximumWidth(self.rows_px(columns) if self.items else QWIDGETSIZE_MAX)
        shown = len(self.items) >= self.least
        if shown != self.isVisible():
            self.setVisible(shown)
            self.setMaximumHeight(QWIDGETSIZE_MAX if shown else 0)  # hidden: its row takes no room

    def removeItem(self, item) -> None:
        super().removeItem(item)
        self.reflow()

    def clear(self) -> None:
        super().clear()
        self.reflow()


def legend_under(plot: pg.PlotItem, least: int = 1) -> FlowLegend:
    """Put a :class:`FlowLegend` under ``plot`` (below its bottom axis) as its legend,
    shown once it has ``least`` entries."""
    legend = FlowLegend(least=least)
    plot.layout.addItem(legend, 4, 0, 1, 2)  # under the bottom axis (row 3), from the left edge
    plot.legend = legend  # plot(name=...) adds an entry, clear() removes them
    legend.follow_width(plot)  # the legend spans the y axis's column and the data's
    return legend
