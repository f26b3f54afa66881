"""An ImageItem that colours a float matrix with one table lookup.

pyqtgraph's ``ImageItem`` turns a float image into colours in several passes (look for
NaN, rescale into a new array, look the colours up, make the NaN cells transparent in
another pass); for the attention overview's three mosaics (424 × 568 cells each) that was
2.4 ms of CPU per mosaic, the largest share of drawing a new trace. :class:`FastImageItem`
does the same in one pass over the cells: scale into table indices in place, send NaN to
one extra, transparent, entry, and look up 32-bit ARGB pixels that Qt draws as they are.

The colours are those pyqtgraph draws (tests compare them pixel for pixel): the same
levels, the same lookup table (set by a linked ``ColorBarItem`` as before), NaN
transparent. Images it does not handle this way (colour images, integer data, no lookup
table, a table with transparency, automatic downsampling) go through pyqtgraph's own
``render``.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from pyqtgraph.Qt import QtGui


def argb_table(lut: np.ndarray) -> np.ndarray | None:
    """A (N, 3|4) uint8 lookup table as N + 1 opaque 0xAARRGGBB pixels, the last one
    transparent (for NaN); None when the table has any transparency."""
    lut = np.asarray(lut)
    if lut.ndim != 2 or lut.shape[1] not in (3, 4) or lut.dtype != np.uint8:
        return None
    if lut.shape[1] == 4 and (lut[:, 3] != 255).any():
        return None
    rgb = lut[:, :3].astype(np.uint32)
    table = np.zeros(len(lut) + 1, dtype=np.uint32)
    table[:-1] = 0xFF000000 | (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]
    return table


def colorize(image: np.ndarray, levels: tuple[float, float], table: np.ndarray) -> np.ndarray:
    """ARGB pixels (H, W) uint32 of a float image: ``table`` from :func:`argb_table`.

    As pyqtgraph maps a float image: index = (x - low) · n / (high - low), clipped to
    [0, n - 1] and truncated, where n is the table's number of colours; NaN is the last,
    transparent entry."""
    n = len(table) - 1
    low, high = float(levels[0]), float(levels[1])
    span = high - low
    scale = n / span if span else 0.0
    scaled = np.subtract(image, low, dtype=np.float32)
    scaled *= np.float32(scale)
    np.clip(scaled, 0, n - 1, out=scaled)  # NaN stays NaN
    np.fmin(scaled, n, out=scaled)  # NaN becomes n (fmin takes the number), the rest stays
    return np.take(table, scaled.astype(np.uint16))


class FastImageItem(pg.ImageItem):
    """``pg.ImageItem`` whose float images are coloured by :func:`colorize` (same pixels)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._table: tuple[object, np.ndarray | None] = (None, None)  # (the lut, its table)
        self._pixels: np.ndarray | None = None  # the QImage's memory

    def _fast_table(self) -> np.ndarray | None:
        lut = self.lut
        if not isinstance(lut, np.ndarray):
            return None
        if self._table[0] is not lut:
            self._table = (lut, argb_table(lut))
        return self._table[1]

    def render(self) -> None:
        image, levels = self.image, self.levels
        table = None
        if (image is not None and image.ndim == 2 and image.size and image.dtype.kind == "f"
                and not self.autoDownsample and levels is not None and np.ndim(levels) == 1):
            table = self._fast_table()
        if table is None:
            self._pixels = None
            super().render()
            return
        if self.axisOrder == "col-major":
            image = image.T
        pixels = np.ascontiguousarray(colorize(image, levels, table))
        self._pixels = pixels  # the QImage reads this memory until the next render
        self.qimage = pg.functions.ndarray_to_qimage(
            pixels, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
        self._renderRequired = False
        self._unrenderable = False
