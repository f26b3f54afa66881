"""A position table P (N, D) drawn four ways, and the line plots the positional panel shares.

``TableView`` shows a heatmap of P, chosen dimensions over position, P·Pᵀ, and
P_m·P_(m+k) against the offset k from several start positions m (``explorer.logic.positional``
computes the numbers).
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from explorer.i18n import tr
from explorer.logic.positional import (
    default_dims,
    labels,
    offset_starts,
    parse_dims,
    similarity_by_offset,
    spread,
)
from explorer.texts import Texts
from explorer.widgets.export import LabeledMatrix
from explorer.widgets.heatmap import TokenHeatmap
from explorer.widgets.legends import legend_under
from explorer.widgets.titles import wrap_title

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf")


def line_plot() -> pg.PlotWidget:
    """An empty line plot with a grid and a legend; ``label_plot`` names it.

    The legend sits under the plot, its entries side by side (as many to a row as the plot
    is wide), never over the curves.
    """
    plot = pg.PlotWidget(background="w")
    plot.showGrid(x=True, y=True, alpha=0.25)
    for side in ("left", "bottom"):
        plot.getAxis(side).enableAutoSIPrefix(False)
    legend_under(wrap_title(plot.getPlotItem()))
    return plot


def label_plot(plot: pg.PlotWidget, title: str, x_label: str, y_label: str) -> None:
    plot.setTitle(title)
    plot.setLabel("bottom", x_label)
    plot.setLabel("left", y_label)


def draw_offset_curves(plot: pg.PlotWidget, values: np.ndarray, starts) -> None:
    """One curve per start position; the first thick, the others thinner and dashed on top,
    so curves that coincide read as one line."""
    plot.clear()
    for i, (m, row) in enumerate(zip(starts, values)):
        style = Qt.PenStyle.SolidLine if i == 0 else Qt.PenStyle.DashLine
        pen = pg.mkPen(PALETTE[i % len(PALETTE)], width=4 if i == 0 else 1.5, style=style)
        plot.plot(np.arange(len(row)), row, pen=pen, name=tr("from position {m}").format(m=m))


def spread_note(values: np.ndarray) -> str:
    return tr("largest difference between start positions: {spread:.3g}").format(spread=spread(values))


class TableView(QWidget):
    """A position table P (N, D) four ways: heatmap, chosen dimensions over position,
    P·Pᵀ, and P_m·P_(m+k) against the offset k from several start positions."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.table = np.zeros((0, 0), dtype=np.float32)
        self.starts: list[int] = []
        self.by_offset = np.zeros((0, 0))
        self.dims: list[int] = []
        self.title: str | None = None  # the heatmap's title given by set_table
        self.heatmap = TokenHeatmap()
        self.gram = TokenHeatmap()
        self.curves = line_plot()
        self.offset_plot = line_plot()
        self.offset_note = QLabel(" ")
        texts = self.texts = Texts(self)
        self.dims_label = texts.widget(QLabel(), lambda: self.tr("dimensions:"))
        self.dims_edit = texts.widget(QLineEdit(), tip=lambda: self.tr(
            "Dimensions to draw over position, separated by commas"))
        self.dims_edit.editingFinished.connect(self._draw_dims)
        texts.add(lambda: self.heatmap.plot.setTitle(
            self.title or self.tr("{name}: position × dimension").format(name=name)))
        texts.bind(self.gram.plot.setTitle, lambda: self.tr("{name} · {name}ᵀ: position × position").format(name=name))
        texts.add(lambda: label_plot(self.curves, self.tr("chosen dimensions over position"), self.tr("position"),
                                     self.tr("value")))
        texts.add(lambda: label_plot(
            self.offset_plot, self.tr("{name}_m · {name}_(m+k) against the offset k").format(name=name),
            self.tr("offset k"), self.tr("dot product")))
        texts.add(self._draw_offsets)  # the legend and the note name the start positions

        dims_row = QHBoxLayout()
        dims_row.addWidget(self.dims_label)
        dims_row.addWidget(self.dims_edit, 1)
        curves_box = QVBoxLayout()
        curves_box.addLayout(dims_row)
        curves_box.addWidget(self.curves, 1)
        offset_box = QVBoxLayout()
        offset_box.addWidget(self.offset_plot, 1)
        offset_box.addWidget(self.offset_note)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.heatmap, 0, 0)
        grid.addWidget(self.gram, 0, 1)
        grid.addLayout(curves_box, 1, 0)
        grid.addLayout(offset_box, 1, 1)

    def set_table(self, table: np.ndarray, title: str | None = None) -> None:
        """Show ``table`` (N, D): row n is position n; ``title`` (if given) over its heatmap."""
        table = np.asarray(table, dtype=np.float32)
        reshaped = table.shape != self.table.shape
        self.table = table
        self.title = title if title is not None else self.title
        n, width = table.shape
        self.heatmap.set_matrix(table, labels("", n), labels("d", width), scale="signed", title=title)
        self.gram.set_matrix(table @ table.T, labels("", n), labels("", n), scale="signed")
        self.starts, n_offsets = offset_starts(n)
        self.by_offset = similarity_by_offset(table, self.starts, n_offsets)
        self._draw_offsets()
        if reshaped or not parse_dims(self.dims_edit.text(), width):
            self.dims_edit.setText(", ".join(map(str, default_dims(width))))
        self._draw_dims()

    def _draw_offsets(self) -> None:
        if self.starts:
            draw_offset_curves(self.offset_plot, self.by_offset, self.starts)
            self.offset_note.setText(spread_note(self.by_offset))

    @Slot()
    def _draw_dims(self) -> None:
        width = self.table.shape[1]
        self.dims = parse_dims(self.dims_edit.text(), width)
        self.curves.clear()
        positions = np.arange(self.table.shape[0])
        for i, d in enumerate(self.dims):
            self.curves.plot(positions, self.table[:, d], name=f"d{d}",
                             pen=pg.mkPen(PALETTE[i % len(PALETTE)], width=2))

    def curve_data(self) -> dict[int, np.ndarray]:
        """Dimension -> the values drawn for it over position (N,)."""
        items = self.curves.getPlotItem().listDataItems()
        return {d: item.getData()[1] for d, item in zip(self.dims, items)}

    def offset_curve_data(self) -> np.ndarray:
        """The similarity-against-offset curves as drawn: (len(starts), n_offsets)."""
        return np.stack([item.getData()[1] for item in self.offset_plot.getPlotItem().listDataItems()])

    def matrices(self) -> list[LabeledMatrix]:
        n, width = self.table.shape
        if n == 0:
            return []
        pos, dims = tuple(labels("pos", n)), tuple(labels("d", width))
        return [
            LabeledMatrix(self.name, self.table, pos, dims),
            LabeledMatrix(f"{self.name}{self.name}T", self.table @ self.table.T, pos, pos),
            LabeledMatrix("dims_over_position", self.table[:, self.dims].T, tuple(dims[d] for d in self.dims), pos),
            LabeledMatrix("similarity_by_offset", self.by_offset, tuple(f"start{m}" for m in self.starts),
                          tuple(labels("k", self.by_offset.shape[1]))),
        ]
