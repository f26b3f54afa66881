"""Plot titles that wrap onto more lines rather than widen their plot.

pyqtgraph's plot title is one line, and its width is a minimum width of the plot: a long
title (a long layer name, "mean over heads", another language) made the plot wider than
its widget, which then cut off the plot's right side (columns of a matrix, its colour bar).
``wrap_title(plot)`` gives a plot a title that breaks between words when the plot is
narrower than the title, with its row as high as the lines it takes; a title that fits
looks as before.
"""
from __future__ import annotations

import pyqtgraph as pg
import shiboken6
from pyqtgraph.Qt import QtCore, QtGui

TITLE_ROW_PX = 30  # pyqtgraph's height of a title row (one line of 11 pt)
TITLE_MIN_PX = 40  # the least width a title asks of its plot


class WrappingTitle(pg.LabelItem):
    """A plot's title (``PlotItem.titleLabel``) that wraps to the width it is given."""

    def __init__(self, plot: pg.PlotItem) -> None:
        self._plot = plot
        self._natural = 0.0  # the width of the title on one line
        self._row_px = TITLE_ROW_PX
        super().__init__("", size="11pt", parent=plot)
        option = QtGui.QTextOption(QtCore.Qt.AlignmentFlag.AlignHCenter)
        option.setWrapMode(QtGui.QTextOption.WrapMode.WordWrap)
        self.item.document().setDefaultTextOption(option)

    def resizeEvent(self, ev) -> None:
        """Break the lines at the width the layout gave, then place them (pyqtgraph's)."""
        self.item.setTextWidth(-1)
        self._natural = self.item.boundingRect().width()
        room = self.size().width()
        if 0 < room < self._natural:
            self.item.setTextWidth(room)
        super().resizeEvent(ev)

    def updateMin(self) -> None:
        """Ask for the one-line width but need little; as high as the lines are."""
        height = self.itemRect().height()
        least = min(self._natural, TITLE_MIN_PX)
        self.setMinimumWidth(least)
        self.setMinimumHeight(height)
        self._sizeHint = {
            QtCore.Qt.SizeHint.MinimumSize: (least, height),
            QtCore.Qt.SizeHint.PreferredSize: (self._natural, height),
            QtCore.Qt.SizeHint.MaximumSize: (-1, -1),
            QtCore.Qt.SizeHint.MinimumDescent: (0, 0),
        }
        self.updateGeometry()
        layout = self._plot.layout
        # a hidden title keeps pyqtgraph's row of 0; a plot being torn down has no layout
        if self.isVisible() and self.text and shiboken6.isValid(layout):
            row = max(TITLE_ROW_PX, int(height + 0.999) + 4)
            self.setMaximumHeight(row)  # setTitle caps it at one line
            if row != self._row_px or layout.rowMinimumHeight(0) != row:
                self._row_px = row
                layout.setRowFixedHeight(0, row)


def wrap_title(plot: pg.PlotItem) -> pg.PlotItem:
    """Give ``plot`` a wrapping title in place of pyqtgraph's one-line one (call it before
    the first ``setTitle``; the title shown, if any, is kept). Returns ``plot``."""
    old = plot.titleLabel
    if isinstance(old, WrappingTitle):
        return plot
    text = old.text if old.isVisible() else None
    plot.layout.removeItem(old)
    old.setParentItem(None)
    if old.scene() is not None:
        old.scene().removeItem(old)
    plot.titleLabel = WrappingTitle(plot)
    plot.layout.addItem(plot.titleLabel, 0, 1)
    plot.setTitle(text)
    return plot
