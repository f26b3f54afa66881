"""FastImageItem colours a float image with the very pixels pyqtgraph's ImageItem draws."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from pyqtgraph.Qt import QtGui

from explorer.widgets.fast_image import FastImageItem, argb_table


def pixels(image: QtGui.QImage) -> np.ndarray:
    image = image.convertToFormat(QtGui.QImage.Format.Format_ARGB32)
    h, w = image.height(), image.width()
    return np.frombuffer(image.constBits(), np.uint32, w * h).reshape(h, w).copy()


@pytest.mark.parametrize("order", ["row-major", "col-major"])
@pytest.mark.parametrize("cmap, levels, scale", [("viridis", (0.0, 1.0), 1.0),
                                                 ("CET-D1A", (-2.5, 2.5), 2.0)])
def test_same_pixels_as_pyqtgraph(qapp, order, cmap, levels, scale):
    rng = np.random.default_rng(0)
    data = (rng.normal(size=(37, 53)) * scale).astype(np.float32)
    if levels[0] == 0:
        data = np.abs(data)
    data[rng.random(data.shape) < 0.1] = np.nan  # masked cells: transparent
    data[0, :3] = [levels[1] * 3, levels[0] - 7, levels[1]]  # beyond both ends, and the top
    theirs, ours = pg.ImageItem(axisOrder=order), FastImageItem(axisOrder=order)
    for item in (theirs, ours):
        item.setLookupTable(pg.colormap.get(cmap).getLookupTable(nPts=256))
        item.setImage(data, autoLevels=False, levels=levels)
        item.render()
    a, b = pixels(theirs.qimage), pixels(ours.qimage)
    assert a.shape == b.shape
    np.testing.assert_array_equal(a >> 24, b >> 24)  # the same cells transparent
    shown = (a >> 24) > 0
    assert shown.sum() > 0.8 * a.size
    np.testing.assert_array_equal(a[shown], b[shown])


def test_what_it_does_not_colour_goes_to_pyqtgraph(qapp):
    item = FastImageItem(axisOrder="row-major")
    rgb = np.zeros((4, 5, 3), dtype=np.uint8)
    item.setImage(rgb)
    item.render()
    assert item.qimage is not None and item._pixels is None
    translucent = np.full((256, 4), 128, dtype=np.uint8)
    assert argb_table(translucent) is None  # a table with transparency: pyqtgraph's render
