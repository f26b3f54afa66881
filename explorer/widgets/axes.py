"""An axis whose tick labels are never drawn over each other.

Labels given by name (``setTicks``: layers "L0".."L5", the words under a bar chart) are
all drawn by pyqtgraph, however close: a tall, thin attention grid read "L0L1L2L3L4L5".
``ApartAxis`` leaves out a label that would overlap the last one drawn: the first is
always drawn, and every one where there is room for all.
"""
from __future__ import annotations

import math

import pyqtgraph as pg


def apart(text_specs, orientation: str, gap: float) -> list:
    """The (rect, flags, text) specs in order, each dropped that starts within ``gap``
    pixels of the last one kept (along the axis)."""
    horizontal = orientation in ("top", "bottom")
    kept, end = [], -math.inf
    for spec in sorted(text_specs, key=lambda s: s[0].left() if horizontal else s[0].top()):
        rect = spec[0]
        start, stop = (rect.left(), rect.right()) if horizontal else (rect.top(), rect.bottom())
        if start >= end + gap:
            kept.append(spec)
            end = stop
    return kept


class ApartAxis(pg.AxisItem):
    """A pyqtgraph axis that draws only the labels that do not overlap (see ``apart``)."""

    GAP_PX = 3.0

    def drawPicture(self, p, axisSpec, tickSpecs, textSpecs):
        super().drawPicture(p, axisSpec, tickSpecs, apart(textSpecs, self.orientation, self.GAP_PX))
