"""Heatmaps with token axes, after pyqtgraph's MatrixDisplayExample.

:class:`TokenHeatmap` draws one matrix as one ``ImageItem`` (never one item per cell),
with a ``ColorBarItem`` and tick labels taken from the token lists that produced the
matrix: rows are queries (top to bottom), columns are keys (left to right). Signed
matrices (e.g. Q·Kᵀ) get a diverging colour map with symmetric limits, so positive,
zero and negative read at a glance; softmax weights get a sequential map fixed at 0–1.
Hovering shows the value and highlights the row and column; a click locks the
highlight, and the "unlock" button (or another click) releases it. Its own texts (the
button, the hovered cell's description) follow the interface language; titles come
from the caller (``set_title``), who sets them again on a language change.

The grid of many matrices drawn as one mosaic is in :mod:`explorer.widgets.heatmap_grid`.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from pyqtgraph.Qt import QtCore, QtGui, QtWidgets

from explorer.texts import Retranslating
from explorer.widgets import plotnav
from explorer.widgets.fast_image import FastImageItem
from explorer.widgets.source_notice import UNKNOWN_COLOR, UNKNOWN_MARK, unknown_tip
from explorer.widgets.titles import wrap_title

SEQUENTIAL = "viridis"
DIVERGING = "CET-D1A"  # blue - white - red
MASKED_BACKGROUND = (90, 90, 90)  # NaN cells (masked out) are transparent over this grey
MAX_LABEL_CHARS = 14


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[:MAX_LABEL_CHARS - 1] + "…"


def no_si_prefix(plot) -> None:
    """Turn off the SI prefix of a plot's four axes (a colour bar's too): their values are
    cell indices or a colour bar's levels, whose title is never shown. With it on,
    pyqtgraph wrote each axis title's HTML again at every change of the view's range or
    size (a replay frame that shows or resizes views: a hundred titles or more)."""
    for side in ("left", "right", "top", "bottom"):
        axis = plot.getAxis(side)
        if axis.autoSIPrefix:
            axis.enableAutoSIPrefix(False)


_WIDTHS: dict[tuple[str, str], int] = {}  # (font, label) -> its width in pixels


def _widths(metrics: QtGui.QFontMetrics, font: str, labels: Sequence[str]) -> list[int]:
    """Each label's width in ``font``, measured once (the same dimension numbers and
    tokens come back at every replay frame)."""
    if len(_WIDTHS) > 100_000:
        _WIDTHS.clear()
    out = []
    for t in labels:
        w = _WIDTHS.get((font, t))
        if w is None:
            w = _WIDTHS[(font, t)] = metrics.horizontalAdvance(t)
        out.append(w)
    return out


def color_scale(values: np.ndarray, scale: str) -> tuple[str, tuple[float, float]]:
    """Colour map name and (low, high) limits for a matrix.

    Args:
        values: the matrix (NaN cells ignored).
        scale: "prob" (sequential, 0..1), "signed" (diverging, symmetric ±max|x|) or
            "auto" (signed when any value is negative, else sequential 0..max).
    """
    if scale == "prob":
        return SEQUENTIAL, (0.0, 1.0)
    finite = values[np.isfinite(values)]
    peak = float(np.abs(finite).max()) if finite.size else 0.0
    peak = peak or 1.0
    if scale == "signed" or (scale == "auto" and finite.size and finite.min() < 0):
        return DIVERGING, (-peak, peak)
    if scale == "auto":
        return SEQUENTIAL, (0.0, peak)
    raise ValueError(f"unknown scale {scale!r}")


class TokenAxis(pg.AxisItem):
    """An axis whose ticks are token labels at cell centres (i + 0.5).

    Labels thin out when cells get smaller than a label: every k-th is drawn so that
    neighbours never overlap, at any zoom. An unknown token's label (starting with
    UNKNOWN_MARK) is drawn in UNKNOWN_COLOR, and the axis's tooltip then says what it means.
    """

    def __init__(self, orientation: str, **kwargs) -> None:
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)  # positions are cell indices (see no_si_prefix)
        self._given: list[str] | None = None  # the labels as given last
        self._labels: list[str] = []
        self._marked = False
        self._font = ""  # the tick font the labels were measured in
        self._label_px = 14.0
        self._widths: np.ndarray | None = None  # a horizontal axis's label widths, in pixels

    def set_labels(self, labels: Sequence[str]) -> None:
        font = self.style.get("tickFont") or QtGui.QFont()
        given = [str(t) for t in labels]
        if (given, font.toString()) == (self._given, self._font):
            return  # drawn already (drawing an axis's ticks again costs 1-2 ms)
        self._given = given
        labels = [_short(t) for t in given]
        if (labels, font.toString()) == (self._labels, self._font):
            return
        self._labels, self._font = labels, font.toString()
        self._marked = any(t.startswith(UNKNOWN_MARK) for t in labels)
        self.show_tip()
        metrics = QtGui.QFontMetrics(font)
        widths = _widths(metrics, self._font, self._labels)
        widest = max(widths, default=10)
        if self.orientation in ("left", "right"):
            self._label_px = metrics.height() + 1.0
            # A width that fits every label (pyqtgraph drops tick text that does not fit)
            # and an axis title beside them.
            self.setWidth(widest + 16 + metrics.height() + 6)
            self._widths = None
        else:
            self._label_px = widest + 8.0
            # each label's own width: short word pieces beside a long word all fit
            self._widths = np.array(widths, float)
        self.picture = None
        self.update()

    def show_tip(self) -> None:
        """The tooltip: what a marked (unknown) token is, when the axis shows one."""
        self.setToolTip(unknown_tip() if self._marked else "")

    def drawPicture(self, p, axisSpec, tickSpecs, textSpecs):
        marked = [spec for spec in textSpecs if spec[2].startswith(UNKNOWN_MARK)]
        super().drawPicture(p, axisSpec, tickSpecs, [s for s in textSpecs if s not in marked])
        if marked:
            p.setPen(pg.mkPen(UNKNOWN_COLOR))
            for rect, flags, text in marked:
                p.drawText(rect, int(flags), text)

    def setLabel(self, text=None, units=None, unitPrefix=None, **args) -> None:
        """The axis title; the same title again changes nothing (pyqtgraph would draw the
        axis again)."""
        label = (text, units, unitPrefix, sorted(args.items()))
        if label != getattr(self, "_label_args", None):
            self._label_args = label
            super().setLabel(text, units, unitPrefix, **args)

    def show(self) -> None:
        """Show the axis; showing it again changes nothing (pyqtgraph would draw it again:
        every setLabel shows its axis)."""
        if not self.isVisible():
            super().show()

    def tickValues(self, minVal: float, maxVal: float, size: float):
        n = len(self._labels)
        if n == 0 or size <= 0:
            return []
        lo, hi = max(0, math.floor(min(minVal, maxVal))), min(n, math.ceil(max(minVal, maxVal)))
        visible = max(hi - lo, 1)
        stride = max(1, math.ceil(self._label_px * visible / size))  # fits the widest
        cell = size / visible
        for k in range(1, stride if self._widths is not None else 1):  # neighbours never overlap
            shown = self._widths[int(math.ceil(lo / k) * k):hi:k]
            if np.all((shown[:-1] + shown[1:]) / 2 + 8.0 <= k * cell):
                stride = k
                break
        start = int(math.ceil(lo / stride) * stride)
        return [(float(stride), [i + 0.5 for i in range(start, hi, stride)])]

    def tickStrings(self, values, scale, spacing):
        return [self._labels[int(v)] if 0 <= int(v) < len(self._labels) else "" for v in values]


class TokenHeatmap(Retranslating, QtWidgets.QWidget):
    """One matrix with token labels on both axes, a colour bar, hover and lock.

    Signals:
        sig_hover(int, int): row and column under the mouse, (-1, -1) when outside.
        sig_clicked(int, int): a cell was clicked (the highlight is now locked on it).
    """

    sig_hover = QtCore.Signal(int, int)
    sig_clicked = QtCore.Signal(int, int)

    def __init__(self, parent: QtWidgets.QWidget | None = None, title: str = "") -> None:
        super().__init__(parent)
        self.values = np.zeros((0, 0), dtype=np.float32)
        self.row_labels: list[str] = []
        self.col_labels: list[str] = []
        self.locked: tuple[int, int] | None = None
        self._hovered = (-1, -1)
        self._cmap = SEQUENTIAL

        self.view = pg.GraphicsLayoutWidget()
        self.view.setBackground("w")
        self.axes = {side: TokenAxis(side) for side in ("left", "top", "right")}
        # enableMenu=False here: pyqtgraph's context menus, built and then discarded, were
        # 20-40 ms of each heatmap's construction (the computation view makes 21).
        self.plot = wrap_title(self.view.addPlot(axisItems=self.axes, enableMenu=False))
        self.plot.showAxes((True, True, False, False), showValues=(True, True, False, False))
        no_si_prefix(self.plot)  # the hidden bottom axis follows the view too
        self.plot.invertY(True)
        self.plot.hideButtons()
        self.plot.getViewBox().setBackgroundColor(MASKED_BACKGROUND)
        self.plot.getViewBox().setAspectLocked(False)
        self._title: str | None = None
        if title:
            self.set_title(title)
        plotnav.set_home(self.plot.getViewBox(), self.fit)

        self.image = FastImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.colorbar = pg.ColorBarItem(values=(0, 1), colorMap=pg.colormap.get(SEQUENTIAL),
                                        interactive=False, width=12, colorMapMenu=False)
        self.colorbar.setImageItem(self.image, insert_in=self.plot)
        no_si_prefix(self.colorbar)

        highlight = pg.mkBrush(255, 160, 0, 50)
        self._row_rect = QtWidgets.QGraphicsRectItem()
        self._col_rect = QtWidgets.QGraphicsRectItem()
        self._cell_rect = QtWidgets.QGraphicsRectItem()
        for rect in (self._row_rect, self._col_rect):
            rect.setBrush(highlight)
            rect.setPen(pg.mkPen(None))
        self._cell_rect.setPen(pg.mkPen((255, 120, 0), width=2, cosmetic=True))
        for rect in (self._row_rect, self._col_rect, self._cell_rect):
            rect.setZValue(10)
            rect.setVisible(False)
            self.plot.addItem(rect, ignoreBounds=True)
        self.markers = pg.ScatterPlotItem(pxMode=False, symbol="s", size=0.6,
                                          pen=pg.mkPen((255, 40, 40), width=2, cosmetic=True),
                                          brush=None)
        self.markers.setZValue(11)
        self.plot.addItem(self.markers, ignoreBounds=True)

        self.info = QtWidgets.QLabel(" ")
        self.info.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.unlock_button = QtWidgets.QPushButton()
        self.unlock_button.setVisible(False)
        self.unlock_button.clicked.connect(self.unlock)
        bar = QtWidgets.QHBoxLayout()
        bar.setContentsMargins(4, 0, 4, 0)
        bar.addWidget(self.info, 1)
        bar.addWidget(self.unlock_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.view, 1)
        layout.addLayout(bar)

        self.view.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.view.scene().sigMouseClicked.connect(self._on_mouse_clicked)
        unlock_key = QtGui.QShortcut(QtGui.QKeySequence("Esc"), self)
        unlock_key.setContext(QtCore.Qt.ShortcutContext.WidgetWithChildrenShortcut)
        unlock_key.activated.connect(self.unlock)
        self.retranslate()

    def retranslate(self) -> None:
        self.unlock_button.setToolTip(self.tr("Release the locked row/column highlight (Esc)"))
        for axis in self.axes.values():
            axis.show_tip()
        self._show_unlock_text()
        self._show_highlight(*(self.locked or self._hovered))

    def set_title(self, title: str) -> None:
        """The title above the matrix (e.g. again after a language change)."""
        if title != self._title:  # the same title again would lay the plot out again
            self._title = title
            self.plot.setTitle(title)

    # -- data ------------------------------------------------------------------------
    def set_matrix(self, values: np.ndarray, row_labels: Sequence[str],
                   col_labels: Sequence[str], scale: str = "auto", title: str | None = None,
                   right_labels: Sequence[str] | None = None) -> None:
        """Show ``values`` (R, C): row i labelled ``row_labels[i]``, column j ``col_labels[j]``.

        NaN cells (e.g. masked-out scores) are drawn grey. ``right_labels`` (R,) adds a
        second row axis on the right (e.g. the token each decoder row predicts).
        """
        values = np.asarray(values, dtype=np.float32)
        if values.ndim != 2 or values.shape != (len(row_labels), len(col_labels)):
            raise ValueError(f"matrix {values.shape} does not match {len(row_labels)} row and "
                             f"{len(col_labels)} column labels")
        reshaped = values.shape != self.values.shape
        self.values = values
        self.row_labels = [str(t) for t in row_labels]
        self.col_labels = [str(t) for t in col_labels]
        cmap, levels = color_scale(values, scale)
        self.image.setImage(values, autoLevels=False, levels=levels)
        self.image.setRect(QtCore.QRectF(0, 0, values.shape[1], values.shape[0]))
        if cmap != self._cmap:
            self._cmap = cmap
            self.colorbar.setColorMap(pg.colormap.get(cmap))
        if tuple(self.colorbar.levels()) != levels:  # the bar's axis is drawn again on a change
            self.colorbar.setLevels(levels)
        self.axes["left"].set_labels(self.row_labels)
        self.axes["top"].set_labels(self.col_labels)
        self.plot.showAxis("right", right_labels is not None)
        if right_labels is not None:
            if not self.axes["right"].style["showValues"]:
                self.axes["right"].setStyle(showValues=True)
            self.axes["right"].set_labels(right_labels)
        if title is not None:
            self.set_title(title)
        if reshaped:
            self.markers.clear()
            self.fit()
            if self.locked and not self._inside(*self.locked):
                self.unlock()
        self._show_highlight(*(self.locked or self._hovered))

    def clear(self, title: str = "") -> None:
        """Show no matrix: no cells, no labels, ``title`` (a view whose result is gone must not
        go on showing the last one under a new sentence)."""
        self.values = np.zeros((0, 0), dtype=np.float32)
        self.row_labels, self.col_labels = [], []
        self.image.clear()
        self.axes["left"].set_labels([])
        self.axes["top"].set_labels([])
        self.plot.showAxis("right", False)
        self.markers.clear()
        if self.locked:
            self.unlock()
        self._show_highlight(-1, -1)
        self.set_title(title)

    def draw_axes_ahead(self) -> None:
        """Draw the axes' pictures now, as their first paint would, in their present size
        and range (a hidden view prepared for a later frame: that frame only plays them).
        A later change of size or range draws them again at the paint, as usual."""
        for item in self.view.scene().items():
            if isinstance(item, pg.AxisItem) and item.picture is None and item.isVisible():
                picture = QtGui.QPicture()
                painter = QtGui.QPainter(picture)
                try:
                    if item.style["tickFont"]:
                        painter.setFont(item.style["tickFont"])
                    specs = item.generateDrawSpecs(painter)
                    if specs is not None:
                        item.drawPicture(painter, *specs)
                finally:
                    painter.end()
                item.picture = picture

    def fit(self) -> None:
        """Show the whole matrix, edge to edge (also the plot's "reset view")."""
        n_rows, n_cols = self.values.shape
        self.plot.getViewBox().setRange(xRange=(0, max(n_cols, 1)), yRange=(0, max(n_rows, 1)),
                                        padding=0)

    def set_markers(self, cells: Sequence[tuple[int, int]]) -> None:
        """Outline cells (row, col), e.g. gold alignment links, over the matrix."""
        if not len(cells):
            self.markers.clear()
            return
        rc = np.asarray(cells, dtype=float)
        self.markers.setData(x=rc[:, 1] + 0.5, y=rc[:, 0] + 0.5)

    def marker_cells(self) -> list[tuple[int, int]]:
        """The overlay markers as (row, col) cells."""
        x, y = self.markers.getData()
        return [(int(r), int(c)) for r, c in zip(np.floor(y), np.floor(x))]

    # -- highlight ---------------------------------------------------------------------
    def highlight(self, row: int, col: int) -> None:
        """Highlight a row and/or a column (-1 for none) unless the highlight is locked."""
        if self.locked is None:
            self._hovered = (row, col)
            self._show_highlight(row, col)

    def lock(self, row: int, col: int) -> None:
        """Keep the highlight on (row, col) until :meth:`unlock`."""
        self.locked = (row, col)
        self._show_highlight(row, col)
        self.unlock_button.setVisible(True)
        self._show_unlock_text()

    def _show_unlock_text(self) -> None:
        if self.locked is not None and self._inside(*self.locked):
            self.unlock_button.setText(
                self.tr("Unlock {cell}").format(cell=self._describe(*self.locked)))
        else:
            self.unlock_button.setText(self.tr("Unlock"))

    def unlock(self) -> None:
        self.locked = None
        self.unlock_button.setVisible(False)
        self._show_highlight(*self._hovered)

    def _show_highlight(self, row: int, col: int) -> None:
        n_rows, n_cols = self.values.shape
        row_ok, col_ok = 0 <= row < n_rows, 0 <= col < n_cols
        self._row_rect.setVisible(row_ok)
        self._col_rect.setVisible(col_ok)
        self._cell_rect.setVisible(row_ok and col_ok)
        if row_ok:
            self._row_rect.setRect(0, row, n_cols, 1)
        if col_ok:
            self._col_rect.setRect(col, 0, 1, n_rows)
        if row_ok and col_ok:
            self._cell_rect.setRect(col, row, 1, 1)
            self.info.setText(self._describe(row, col, with_value=True))
        else:
            self.info.setText(" ")

    def _describe(self, row: int, col: int, with_value: bool = False) -> str:
        text = self.tr("row {row} “{row_label}” × column {col} “{col_label}”").format(
            row=row, row_label=self.row_labels[row], col=col, col_label=self.col_labels[col])
        if with_value:
            value = self.values[row, col]
            text += ": " + (self.tr("masked") if np.isnan(value) else f"{value:.4g}")
        return text

    # -- mouse -------------------------------------------------------------------------
    def _inside(self, row: int, col: int) -> bool:
        return 0 <= row < self.values.shape[0] and 0 <= col < self.values.shape[1]

    def cell_at(self, scene_pos: QtCore.QPointF) -> tuple[int, int]:
        """(row, col) under a scene position, (-1, -1) outside the matrix."""
        if not self.plot.getViewBox().sceneBoundingRect().contains(scene_pos):
            return -1, -1
        p = self.plot.getViewBox().mapSceneToView(scene_pos)
        row, col = math.floor(p.y()), math.floor(p.x())
        return (row, col) if self._inside(row, col) else (-1, -1)

    def _on_mouse_moved(self, scene_pos: QtCore.QPointF) -> None:
        cell = self.cell_at(scene_pos)
        if cell != self._hovered:
            self._hovered = cell
            if self.locked is None:
                self._show_highlight(*cell)
            self.sig_hover.emit(*cell)

    def _on_mouse_clicked(self, event) -> None:
        if event.button() != QtCore.Qt.MouseButton.LeftButton:
            return
        cell = self.cell_at(event.scenePos())
        if cell == (-1, -1) or cell == self.locked:
            self.unlock()
        else:
            self.lock(*cell)
            self.sig_clicked.emit(*cell)
