"""Many equally shaped matrices (e.g. layers × heads) as one mosaic image.

:class:`HeatmapGrid` tiles the matrices into one mosaic (:func:`tile`), NaN gaps between
them, shown by one ``ImageItem``; a click picks a cell by coordinates. Colours follow
:func:`explorer.widgets.heatmap.color_scale`, as in the single-matrix heatmap.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from pyqtgraph.Qt import QtCore, QtWidgets

from explorer.widgets import plotnav
from explorer.widgets.axes import ApartAxis
from explorer.widgets.fast_image import FastImageItem
from explorer.widgets.heatmap import SEQUENTIAL, color_scale, no_si_prefix


def tile(matrices: Sequence[Sequence[np.ndarray]], gap: tuple[int, int]) -> np.ndarray:
    """One mosaic of a grid of equally shaped matrices, NaN between them.

    Args:
        matrices: ``matrices[r][c]``, each (h, w).
        gap: (rows, columns) of NaN between neighbouring matrices.
    Returns:
        (R·h + (R−1)·gap_rows, C·w + (C−1)·gap_cols) float32; matrix (r, c) starts at row
        r·(h + gap_rows), column c·(w + gap_cols).
    """
    stack = np.asarray(matrices, dtype=np.float32)  # (R, C, h, w)
    n_rows, n_cols, h, w = stack.shape
    gy, gx = gap
    padded = np.full((n_rows, n_cols, h + gy, w + gx), np.nan, dtype=np.float32)
    padded[:, :, :h, :w] = stack
    mosaic = padded.transpose(0, 2, 1, 3).reshape(n_rows * (h + gy), n_cols * (w + gx))
    return mosaic[:n_rows * (h + gy) - gy, :n_cols * (w + gx) - gx]


GAP = 0.12  # gap between matrices, as a share of a matrix's size


def cell_gap(cell: tuple[int, int]) -> tuple[int, int]:
    """NaN (rows, columns) between neighbouring matrices of shape ``cell``."""
    h, w = cell
    return max(1, round(GAP * h)), max(1, round(GAP * w))


def mosaic_size(shape: tuple[int, int], cell: tuple[int, int], transposed: bool) -> tuple[int, int]:
    """(height, width) of the mosaic of a ``shape`` (rows, columns) grid of ``cell``-shaped
    matrices, grid rows laid out as columns when ``transposed``."""
    (n_rows, n_cols), (h, w), (gy, gx) = shape, cell, cell_gap(cell)
    if transposed:
        n_rows, n_cols = n_cols, n_rows
    return n_rows * (h + gy) - gy, n_cols * (w + gx) - gx


class HeatmapGrid(pg.GraphicsLayoutWidget):
    """A grid of equally shaped matrices (e.g. layers × heads) drawn as ONE image.

    The matrices are tiled into a single mosaic with NaN gaps (drawn in the background
    colour) and shown by one ``ImageItem``: one texture to upload and paint, however many
    heads there are. Plot coordinates are the mosaic's pixels, so a matrix keeps its
    shape (T×S cells); a click or hover maps back to the grid cell by coordinates.
    Rows and columns of the grid are labelled (e.g. "L0".."L5" by "H0".."H7");
    ``set_transposed(True)`` lays grid rows out left to right instead (to fit a tall
    space), while cells keep their (row, col) names everywhere in the API.

    Signals:
        sig_cell_clicked(int, int): the grid cell (row, col) that was clicked.
        sig_cell_hovered(int, int): the grid cell under the mouse, (-1, -1) outside.
    """

    sig_cell_clicked = QtCore.Signal(int, int)
    sig_cell_hovered = QtCore.Signal(int, int)

    def __init__(self, parent: QtWidgets.QWidget | None = None, title: str = "") -> None:
        super().__init__(parent)
        self.setBackground("w")
        # enableMenu=False here, not setMenuEnabled(False) later: building the context menus
        # and then discarding them cost about 20 ms per grid.
        self.plot = self.addPlot(title=title or None, enableMenu=False,
                                 axisItems={"left": ApartAxis("left"), "top": ApartAxis("top")})
        self.plot.invertY(True)
        self.plot.hideButtons()
        self.plot.setMouseEnabled(False, False)
        self.plot.showAxes((True, True, False, False), showValues=(True, True, False, False))
        self.plot.getAxis("left").setStyle(tickLength=0)
        self.plot.getAxis("top").setStyle(tickLength=0)
        no_si_prefix(self.plot)
        self.plot.getViewBox().setAspectLocked(True)
        plotnav.set_home(self.plot.getViewBox(), self.fit)
        self.image = FastImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.mosaic = np.zeros((0, 0), dtype=np.float32)
        self.shape = (0, 0)  # grid rows, columns
        self.transposed = False  # grid rows drawn as columns
        self._grid: tuple = ()  # (matrices, row names, column names, scale) last shown
        self.cell = (1, 1)  # one matrix's (height, width) in pixels
        self.gap = (1, 1)  # NaN rows, columns between matrices
        self.colorbar = pg.ColorBarItem(values=(0, 1), colorMap=pg.colormap.get(SEQUENTIAL),
                                        interactive=False, width=10, colorMapMenu=False)
        self.colorbar.setImageItem(self.image)
        no_si_prefix(self.colorbar)
        self.addItem(self.colorbar)
        self._frames: dict[str, QtWidgets.QGraphicsRectItem] = {}
        self._notes: list[pg.TextItem] = []
        self._scale: tuple[str, tuple[float, float]] | None = None
        self._layout: tuple | None = None
        self.scene().sigMouseClicked.connect(self._on_mouse_clicked)
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self._hovered = (-1, -1)

    def resizeEvent(self, event) -> None:
        """Resized: the plot's view placed at its new size now, not when it paints (pyqtgraph
        does it then, moving its items, so that a resized grid was painted twice)."""
        super().resizeEvent(event)
        if self.scene() is not None:
            self.scene().prepareForPaint()

    def set_title(self, title: str) -> None:
        """The title above the grid (e.g. again after a language change)."""
        self.plot.setTitle(title or None)

    def cell_origin(self, row: int, col: int) -> tuple[float, float]:
        """Top-left corner (x, y) of grid cell (row, col) in plot (mosaic pixel) coordinates."""
        (h, w), (gy, gx) = self.cell, self.gap
        if self.transposed:
            row, col = col, row
        return col * (w + gx), row * (h + gy)

    def set_colorbar_visible(self, on: bool) -> None:
        """Show or leave out the colour bar (grids side by side can share one)."""
        if on and self.colorbar.scene() is None:
            self.addItem(self.colorbar)
        elif not on and self.colorbar.scene() is not None:
            self.removeItem(self.colorbar)

    def mosaic_size(self, transposed: bool) -> tuple[int, int]:
        """(height, width) in pixels the mosaic has when laid out one way or the other."""
        return mosaic_size(self.shape, self.cell, transposed)

    def set_transposed(self, on: bool, redraw: bool = True) -> None:
        """Draw grid rows as columns (True) or as rows (False). ``redraw=False`` only
        notes it, for a grid whose next matrices come at once (drawing the old ones again
        would be wasted)."""
        if on != self.transposed:
            self.transposed = on
            if self._grid and redraw:
                self.set_matrices(*self._grid)

    def set_matrices(self, matrices: Sequence[Sequence[np.ndarray]], row_names: Sequence[str],
                     col_names: Sequence[str], scale: str = "prob") -> None:
        """Show ``matrices[r][c]`` (all of one shape, 2-D) in grid cell (r, c); shared colours."""
        self._grid = (matrices, row_names, col_names, scale)
        h, w = np.shape(matrices[0][0])
        self.cell = (h, w)
        self.gap = cell_gap(self.cell)
        self.shape = (len(matrices), len(matrices[0]))
        if self.transposed:
            matrices = [list(column) for column in zip(*matrices)]
            row_names, col_names = col_names, row_names
        self.mosaic = tile(matrices, self.gap)
        cmap, levels = color_scale(self.mosaic, scale)
        if (cmap, levels) != self._scale:
            self._scale = (cmap, levels)
            self.colorbar.setColorMap(pg.colormap.get(cmap))
            self.colorbar.setLevels(levels)
        self.image.setImage(self.mosaic, autoLevels=False, levels=levels)
        layout = (self.shape, self.cell, self.transposed, tuple(row_names), tuple(col_names))
        if layout != self._layout:  # axes and range only change with the grid's layout
            self._layout = layout
            self._label(row_names, col_names)

    def _label(self, row_names: Sequence[str], col_names: Sequence[str]) -> None:
        """Names of the mosaic's rows and columns at the cell centres; the view fitted to it."""
        (h, w), (gy, gx) = self.cell, self.gap
        left = [(r * (h + gy) + h / 2, name) for r, name in enumerate(row_names)]
        top = [(c * (w + gx) + w / 2, name) for c, name in enumerate(col_names)]
        self.plot.getAxis("left").setTicks([left])
        self.plot.getAxis("top").setTicks([top])
        self.fit()

    def fit(self) -> None:
        """The view fitted to the mosaic, a gap around it (also the plot's "reset view")."""
        height, width = self.mosaic.shape
        pad_y, pad_x = self.gap
        self.plot.getViewBox().setRange(xRange=(-pad_x, width + pad_x),
                                        yRange=(-pad_y, height + pad_y), padding=0)

    def block(self, row: int, col: int) -> np.ndarray:
        """The mosaic's pixels of grid cell (row, col): that matrix as drawn."""
        x, y = (int(v) for v in self.cell_origin(row, col))
        h, w = self.cell
        return self.mosaic[y:y + h, x:x + w]

    def set_frame(self, name: str, cell: tuple[int, int] | None, color=(255, 120, 0)) -> None:
        """Draw (or with ``cell=None`` remove) a named frame around a grid cell."""
        frame = self._frames.get(name)
        if frame is None:
            frame = QtWidgets.QGraphicsRectItem()
            frame.setBrush(pg.mkBrush(None))
            frame.setZValue(10)
            self.plot.addItem(frame, ignoreBounds=True)
            self._frames[name] = frame
        frame.setPen(pg.mkPen(color, width=3, cosmetic=True))
        frame.setVisible(cell is not None)
        if cell is not None:
            x, y = self.cell_origin(*cell)
            (h, w), (gy, gx) = self.cell, self.gap
            frame.setRect(x - gx / 3, y - gy / 3, w + 2 * gx / 3, h + 2 * gy / 3)

    def set_notes(self, notes: dict[tuple[int, int], str]) -> None:
        """Small text under grid cells, e.g. each head's alignment error rate."""
        for item in self._notes:
            self.plot.removeItem(item)
        self._notes = []
        h, w = self.cell
        for (r, c), text in notes.items():
            item = pg.TextItem(text, color=(20, 20, 20), anchor=(0.5, 1), fill=(255, 255, 255, 200))
            item.setPos(*np.add(self.cell_origin(r, c), (w / 2, h)))
            self.plot.addItem(item, ignoreBounds=True)
            self._notes.append(item)

    def cell_at(self, scene_pos: QtCore.QPointF) -> tuple[int, int]:
        """(row, col) of the grid cell under a scene position; (-1, -1) in a gap or outside."""
        if not self.mosaic.size or not self.plot.getViewBox().sceneBoundingRect().contains(scene_pos):
            return -1, -1
        p = self.plot.getViewBox().mapSceneToView(scene_pos)
        (h, w), (gy, gx) = self.cell, self.gap
        col, row = math.floor(p.x() / (w + gx)), math.floor(p.y() / (h + gy))
        inside = p.x() - col * (w + gx) < w and p.y() - row * (h + gy) < h
        if self.transposed:
            row, col = col, row
        if inside and 0 <= row < self.shape[0] and 0 <= col < self.shape[1]:
            return row, col
        return -1, -1

    def _on_mouse_clicked(self, event) -> None:
        cell = self.cell_at(event.scenePos())
        if event.button() == QtCore.Qt.MouseButton.LeftButton and cell != (-1, -1):
            self.sig_cell_clicked.emit(*cell)

    def _on_mouse_moved(self, scene_pos: QtCore.QPointF) -> None:
        cell = self.cell_at(scene_pos)
        if cell != self._hovered:
            self._hovered = cell
            self.sig_cell_hovered.emit(*cell)
