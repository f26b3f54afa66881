"""The views of the attention panel, each drawn from one ModelTrace.

- :class:`OverviewView`: every head of every layer, for the three kinds of attention, each
  kind one mosaic image (:class:`~explorer.widgets.heatmap_grid.HeatmapGrid`).
- :class:`LinesView`: queries and keys as two token columns, lines weighted by attention.
- :class:`ComputationView`: one head computed step by step, X -> Q, K, V -> A -> A' -> A'V,
  then the heads concatenated and multiplied by Wo.
- :class:`AggregatesView`: mean and max over the heads of each layer.

Every view offers ``matrices()``: the matrices it shows, with their labels, for export.
Every view sets its texts again in ``retranslate()`` when the interface language changes,
from what it last showed.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from pyqtgraph.Qt import QtCore, QtGui, QtWidgets

from explorer.i18n import tr
from explorer.panels.attention.state import (
    AGGREGATES,
    KINDS,
    Selection,
    axis_tokens,
    head_matrix,
)
from explorer.texts import Retranslating
from explorer.widgets.export import LabeledMatrix
from explorer.widgets.heatmap_grid import HeatmapGrid, mosaic_size
from model.trace import ModelTrace


OFF_FRAME = (220, 30, 30)  # the frame around a switched-off head in the overview


def kind_title(kind: str) -> str:
    """The name of a kind of attention ("enc_self", "dec_self", "cross"), translated."""
    return {"enc_self": tr("Encoder self-attention"),
            "dec_self": tr("Decoder masked self-attention"),
            "cross": tr("Cross-attention (decoder → encoder)")}[kind]


def grid_title(kind: str) -> str:
    """A short name of a kind of attention, for a grid a third of the panel wide."""
    return {"enc_self": tr("Encoder self-attention"),
            "dec_self": tr("Decoder self-attention"),
            "cross": tr("Cross-attention")}[kind]


def aggregate_title(aggregate: str) -> str:
    """"mean" or "max" of the heads, translated (a column name of the aggregates grid)."""
    return {"mean": tr("mean"), "max": tr("max")}[aggregate]


def head_palette(n_heads: int) -> list[QtGui.QColor]:
    """n distinct colours, one per head (hues spread evenly, none repeats)."""
    return [pg.intColor(h, hues=n_heads, values=1, maxValue=220) for h in range(n_heads)]


class GridRow(QtWidgets.QWidget):
    """The three grids of a view side by side or stacked, each with layers down or across:
    whichever of the four layouts draws the matrices' cells largest.

    Each grid keeps its matrices' aspect ratio, so a wide window fits grids side by side
    with layers across, a tall one stacked grids with layers down; the choice is made
    again on every resize and every new trace. The grids share one colour scale (0–1), so
    only the last one shows its colour bar.
    """

    CHROME = QtCore.QSize(90, 50)  # a grid's axes, title and colour bar (pixels)
    SPACING = 4

    def __init__(self, grids: dict[str, HeatmapGrid], parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.grids = grids
        self.box = QtWidgets.QBoxLayout(QtWidgets.QBoxLayout.Direction.LeftToRight, self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(self.SPACING)
        for grid in grids.values():
            self.box.addWidget(grid)
        for grid in list(grids.values())[:-1]:  # one colour bar, at the end, serves all
            grid.set_colorbar_visible(False)
        # Large grids (``stagger``): after a resize, the first is painted in that turn of the
        # event loop and each other one in a turn of its own. At opus-mt's shape a new trace's
        # texts (the translation, the status line) change the grids' height, and painting the
        # three at their new size took the UI thread 20-30 ms in one turn.
        self.stagger = False
        self._held: list[HeatmapGrid] = []  # grids not painted since the resize, in order
        self._release = QtCore.QTimer(self, singleShot=True, interval=0)
        self._release.timeout.connect(self._paint_next)

    def cell_px(self, side_by_side: bool, transposed: bool,
                shapes: list[tuple[tuple[int, int], tuple[int, int]]] | None = None) -> float:
        """Screen pixels per matrix cell that every grid gets in one layout (``shapes``:
        each grid's (grid shape, matrix shape) if not those it shows)."""
        n = len(self.grids)
        gaps = self.SPACING * (n - 1)
        width = (self.width() - gaps) / n if side_by_side else self.width()
        height = self.height() if side_by_side else (self.height() - gaps) / n
        if shapes is None:
            sizes = [grid.mosaic_size(transposed) for grid in self.grids.values()]
        else:
            sizes = [mosaic_size(shape, cell, transposed) for shape, cell in shapes]
        if not all(h and w for h, w in sizes):
            return 0.0
        return min(min((width - self.CHROME.width()) / w, (height - self.CHROME.height()) / h)
                   for h, w in sizes)

    def arrange(self, shapes: list[tuple[tuple[int, int], tuple[int, int]]] | None = None) -> None:
        """Take the layout with the largest cells. With ``shapes`` (each grid's grid shape
        and matrix shape), the layout for matrices about to be drawn: the grids only note
        it, none draws its old matrices again."""
        side, transposed = max(((s, t) for s in (True, False) for t in (False, True)),
                               key=lambda layout: self.cell_px(*layout, shapes))
        direction = (QtWidgets.QBoxLayout.Direction.LeftToRight if side
                     else QtWidgets.QBoxLayout.Direction.TopToBottom)
        if direction != self.box.direction():
            self.box.setDirection(direction)
        for grid in self.grids.values():
            grid.set_transposed(transposed, redraw=shapes is None)

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        self.arrange()
        if self.stagger:
            for grid in list(self.grids.values())[1:]:
                if grid not in self._held:
                    grid.setUpdatesEnabled(False)
                    self._held.append(grid)
            self._release.start()

    @QtCore.Slot()
    def _paint_next(self) -> None:
        """Let the next held grid paint (enabling its updates asks for a paint)."""
        if self._held:
            self._held.pop(0).setUpdatesEnabled(True)
        if self._held:
            self._release.start()


class OverviewView(Retranslating, QtWidgets.QWidget):
    """Three grids (layers × heads), one per kind of attention, each drawn as one image.

    A large trace is drawn one kind per turn of the event loop (``ONE_TURN_CELLS``), so
    that the window answers in between; a newer trace drops what is left of an older one.
    Frames and notes (``set_selection``, ``set_alignment``, ``set_heads_off``) are kept and
    put on each grid when it shows the trace.

    Signals:
        sig_selected(object): a Selection, when a head of a grid is clicked.
    """

    sig_selected = QtCore.Signal(object)
    # A trace whose three mosaics have more cells than this together is drawn one kind per
    # turn. At opus-mt's shape (6 layers × 8 heads, 64 tokens: 590,000 cells) drawing and
    # painting the three at once took the UI thread 36-63 ms of CPU in one turn; a small
    # model's trace (the default model's: a few thousand cells) is drawn at once.
    ONE_TURN_CELLS = 150_000

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.trace: ModelTrace | None = None
        self.grids = {kind: HeatmapGrid() for kind in KINDS}
        for kind, grid in self.grids.items():
            grid.sig_cell_clicked.connect(lambda r, c, k=kind: self.sig_selected.emit(Selection(k, r, c)))
        self.row = GridRow(self.grids)
        self.legend = QtWidgets.QLabel()
        self.legend.setWordWrap(True)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.row, 1)
        layout.addWidget(self.legend)
        self.pending: list[str] = []  # kinds of ``trace`` not drawn yet, in drawing order
        self._next = QtCore.QTimer(self, singleShot=True, interval=0)
        self._next.timeout.connect(self._draw_next)
        self._selection: Selection | None = None
        self._aer: np.ndarray | None = None
        self._off: frozenset = frozenset()
        self.retranslate()

    def retranslate(self) -> None:
        for kind, grid in self.grids.items():
            grid.set_title(grid_title(kind))
            grid.setToolTip(self.tr("{kind}: one matrix per layer (L) and head (H). "
                                    "Click a head to open it.").format(kind=kind_title(kind)))
        self.legend.setText(self.tr(
            "Click a head to open it. Orange frame: the head open in the other tabs; green "
            "frame: the best-aligned cross-attention head (lowest alignment error rate, AER, "
            "against the gold alignment)."))

    def show_trace(self, trace: ModelTrace, selection: Selection | None = None,
                   aer: np.ndarray | None = None, heads_off=frozenset()) -> None:
        """Draw ``trace``: at once, or for a large one the first kind now and the others on
        the next turns of the event loop (``pending``); each grid framed and noted as
        ``set_selection``, ``set_alignment`` and ``set_heads_off`` with these would."""
        self.trace = trace
        self._selection, self._aer, self._off = selection, aer, frozenset(heads_off)
        shapes = [((len(trace.blocks(kind)), trace.blocks(kind)[0].n_heads),
                   tuple(trace.blocks(kind)[0].weights.shape[1:])) for kind in KINDS]
        self.pending = list(KINDS)
        cells = sum(rows * cols * h * w for (rows, cols), (h, w) in shapes)
        self.row.stagger = cells > self.ONE_TURN_CELLS
        if not self.row.stagger:
            self.finish()
            return
        self.row.arrange(shapes)  # the layout of the new shapes, chosen before any is drawn
        self._draw_next()

    def finish(self) -> None:
        """Draw now whatever of the trace is still to be drawn."""
        while self.pending:
            self._draw_next()

    @QtCore.Slot()
    def _draw_next(self) -> None:
        if not self.pending:
            return
        kind = self.pending.pop(0)
        blocks = self.trace.blocks(kind)
        n_heads = blocks[0].n_heads
        self.grids[kind].set_matrices([[b.weights[h] for h in range(n_heads)] for b in blocks],
                                      [f"L{b.layer}" for b in blocks],
                                      [f"H{h}" for h in range(n_heads)])
        self._frame_selection(kind)
        self._note_alignment(kind)
        self._frame_heads_off(kind)
        if self.pending:
            self._next.start()
        else:
            self._next.stop()
            self.row.arrange()

    def _drawn_kinds(self) -> list[str]:
        return [kind for kind in KINDS if kind not in self.pending]

    def set_selection(self, selection: Selection) -> None:
        self._selection = selection
        for kind in self._drawn_kinds():
            self._frame_selection(kind)

    def _frame_selection(self, kind: str) -> None:
        sel = self._selection
        on = sel is not None and kind == sel.kind and isinstance(sel.head, int)
        self.grids[kind].set_frame("selected", (sel.layer, sel.head) if on else None)

    def set_alignment(self, aer: np.ndarray | None) -> None:
        """Write each cross-attention head's AER under it and frame the best (aer: (L, H))."""
        self._aer = aer
        if "cross" not in self.pending:
            self._note_alignment("cross")

    def _note_alignment(self, kind: str) -> None:
        if kind != "cross":
            return
        grid, aer = self.grids["cross"], self._aer
        if aer is None or np.all(np.isnan(aer)):
            grid.set_notes({})
            grid.set_frame("best", None)
            return
        grid.set_notes({(layer, h): f"AER {aer[layer, h]:.2f}"
                        for layer in range(aer.shape[0]) for h in range(aer.shape[1])})
        best = np.unravel_index(np.nanargmin(aer), aer.shape)
        grid.set_frame("best", (int(best[0]), int(best[1])), color=(0, 170, 60))

    def set_heads_off(self, off) -> None:
        """Frame each switched-off head ((kind, layer, head) tuples) red."""
        self._off = frozenset(off)
        for kind in self._drawn_kinds():
            self._frame_heads_off(kind)

    def _frame_heads_off(self, kind: str) -> None:
        grid = self.grids[kind]
        for name in [n for n in grid._frames if str(n).startswith("off:")]:
            grid.set_frame(name, None)
        for k, layer, h in self._off:
            if k == kind:
                grid.set_frame(f"off:{layer}.{h}", (layer, h), color=OFF_FRAME)

    def matrices(self) -> list[LabeledMatrix]:
        if self.trace is None:
            return []
        out = []
        for kind in KINDS:
            rows, cols = axis_tokens(self.trace, kind)
            for block in self.trace.blocks(kind):
                out += [LabeledMatrix(f"{kind}.L{block.layer}.H{h}.weights", block.weights[h],
                                      rows, cols) for h in range(block.n_heads)]
        return out


class AggregatesView(Retranslating, QtWidgets.QWidget):
    """Mean and max over heads, per layer, for each kind of attention."""

    sig_selected = QtCore.Signal(object)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.trace: ModelTrace | None = None
        self.grids = {kind: HeatmapGrid() for kind in KINDS}
        for kind, grid in self.grids.items():
            grid.sig_cell_clicked.connect(
                lambda r, c, k=kind: self.sig_selected.emit(Selection(k, r, AGGREGATES[c])))
        self.row = GridRow(self.grids)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.row)
        self.retranslate()

    def retranslate(self) -> None:
        for kind, grid in self.grids.items():
            grid.set_title(grid_title(kind))
            grid.setToolTip(self.tr("{kind}, per layer: the mean and the maximum of all heads' "
                                    "weights. Click one to open it.").format(kind=kind_title(kind)))
        if self.trace is not None:
            self.show_trace(self.trace)  # the column names "mean" and "max"

    def show_trace(self, trace: ModelTrace) -> None:
        self.trace = trace
        for kind, grid in self.grids.items():
            blocks = trace.blocks(kind)
            grid.set_matrices([[head_matrix(b, a) for a in AGGREGATES] for b in blocks],
                              [f"L{b.layer}" for b in blocks],
                              [aggregate_title(a) for a in AGGREGATES])
        self.row.arrange()

    def matrices(self) -> list[LabeledMatrix]:
        if self.trace is None:
            return []
        out = []
        for kind in KINDS:
            rows, cols = axis_tokens(self.trace, kind)
            for b in self.trace.blocks(kind):
                out += [LabeledMatrix(f"{kind}.L{b.layer}.{a}", head_matrix(b, a), rows, cols)
                        for a in AGGREGATES]
        return out
