"""The views of the attention panel, each drawn from one ModelTrace.

- :class:`OverviewView`: every head of every layer, for the three kinds of attention, each
  kind one mosaic image (:class:`~explorer.widgets.heatmap.HeatmapGrid`).
- :class:`LinesView`: queries and keys as two token columns, lines weighted by attention.
- :class:`ComputationView`: one head computed step by step, X -> Q, K, V -> A -> A' -> A'V,
  then the heads concatenated and multiplied by Wo.
- :class:`AggregatesView`: mean and max over the heads of each layer.

Every view offers ``matrices()``: the matrices it shows, with their labels, for export.
Every view sets its texts again in ``retranslate()`` when the interface language changes,
from what it last showed.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from pyqtgraph.Qt import QtCore, QtGui, QtWidgets

from explorer.i18n import tr
from explorer.panels.base import Retranslating
from explorer.widgets.export import LabeledMatrix
from explorer.widgets.heatmap import HeatmapGrid, TokenHeatmap
from model.trace import AttentionTrace, ModelTrace

KINDS = ("enc_self", "dec_self", "cross")
AGGREGATES = ("mean", "max")


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


@dataclass(frozen=True)
class Selection:
    """Which matrix is looked at: kind, layer and head (an int, or "mean"/"max")."""

    kind: str = "cross"
    layer: int = 0
    head: int | str = 0

    @property
    def name(self) -> str:
        head = f"H{self.head}" if isinstance(self.head, int) else self.head
        return f"{self.kind}.L{self.layer}.{head}"


def axis_tokens(trace: ModelTrace, kind: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(query tokens, key tokens) of a kind: rows and columns of its matrices.

    Encoder self: source × source; decoder self: target × target; cross: target × source.
    """
    src = marked_source_tokens(trace)
    return {"enc_self": (src, src),
            "dec_self": (trace.tgt_tokens, trace.tgt_tokens),
            "cross": (trace.tgt_tokens, src)}[kind]


def marked_source_tokens(trace: ModelTrace) -> tuple[str, ...]:
    """The source tokens with each <unk> marked and named: "⚠<unk>:astronaut" (the word
    the model could not read), so the axes and the hover text say which word it was."""
    source = trace.source or {}
    tokens = list(trace.src_tokens)
    for pos, word in zip(source.get("unknown_positions", ()), source.get("unknown_at", ())):
        if pos < len(tokens):
            tokens[pos] = f"⚠{tokens[pos]}:{word}"
    return tuple(tokens)


def predicted_tokens(trace: ModelTrace, kind: str) -> tuple[str, ...] | None:
    """What each decoder row predicts (shown on the right axis); None for the encoder."""
    return None if kind == "enc_self" else trace.out_tokens


def head_matrix(block: AttentionTrace, head: int | str) -> np.ndarray:
    """(T, S) weights of one head, or their mean or max over the heads."""
    if head == "mean":
        return block.weights.mean(axis=0)
    if head == "max":
        return block.weights.max(axis=0)
    return block.weights[head]


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

    def cell_px(self, side_by_side: bool, transposed: bool) -> float:
        """Screen pixels per matrix cell that every grid gets in one layout."""
        n = len(self.grids)
        gaps = self.SPACING * (n - 1)
        width = (self.width() - gaps) / n if side_by_side else self.width()
        height = self.height() if side_by_side else (self.height() - gaps) / n
        sizes = [grid.mosaic_size(transposed) for grid in self.grids.values()]
        if not all(h and w for h, w in sizes):
            return 0.0
        return min(min((width - self.CHROME.width()) / w, (height - self.CHROME.height()) / h)
                   for h, w in sizes)

    def arrange(self) -> None:
        """Take the layout with the largest cells."""
        side, transposed = max(((s, t) for s in (True, False) for t in (False, True)),
                               key=lambda layout: self.cell_px(*layout))
        direction = (QtWidgets.QBoxLayout.Direction.LeftToRight if side
                     else QtWidgets.QBoxLayout.Direction.TopToBottom)
        if direction != self.box.direction():
            self.box.setDirection(direction)
        for grid in self.grids.values():
            grid.set_transposed(transposed)

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        self.arrange()


class OverviewView(Retranslating, QtWidgets.QWidget):
    """Three grids (layers × heads), one per kind of attention, each drawn as one image.

    Signals:
        sig_selected(object): a Selection, when a head of a grid is clicked.
    """

    sig_selected = QtCore.Signal(object)

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

    def show_trace(self, trace: ModelTrace) -> None:
        self.trace = trace
        for kind, grid in self.grids.items():
            blocks = trace.blocks(kind)
            n_heads = blocks[0].n_heads
            grid.set_matrices([[b.weights[h] for h in range(n_heads)] for b in blocks],
                              [f"L{b.layer}" for b in blocks], [f"H{h}" for h in range(n_heads)])
        self.row.arrange()

    def set_selection(self, selection: Selection) -> None:
        for kind, grid in self.grids.items():
            on = kind == selection.kind and isinstance(selection.head, int)
            grid.set_frame("selected", (selection.layer, selection.head) if on else None)

    def set_alignment(self, aer: np.ndarray | None) -> None:
        """Write each cross-attention head's AER under it and frame the best (aer: (L, H))."""
        grid = self.grids["cross"]
        if aer is None or np.all(np.isnan(aer)):
            grid.set_notes({})
            grid.set_frame("best", None)
            return
        grid.set_notes({(layer, h): f"AER {aer[layer, h]:.2f}"
                        for layer in range(aer.shape[0]) for h in range(aer.shape[1])})
        best = np.unravel_index(np.nanargmin(aer), aer.shape)
        grid.set_frame("best", (int(best[0]), int(best[1])), color=(0, 170, 60))

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


class LinesView(Retranslating, QtWidgets.QWidget):
    """Queries (left) and keys (right) as token columns joined by lines, one colour per head.

    A line's opacity and width grow with its weight; weights are binned into a few levels
    so each head draws with a handful of PlotCurveItems (connect="pairs"), not one item
    per line. Hover a token to keep only its lines; toggle heads with the buttons.
    """

    LEVELS = (0.05, 0.2, 0.4, 0.6, 0.8)  # lower edges of the weight bins drawn
    X_QUERY, X_KEY = 0.0, 1.0

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.block: AttentionTrace | None = None
        self.rows: tuple[str, ...] = ()
        self.cols: tuple[str, ...] = ()
        self.isolated: tuple[str, int] | None = None  # ("query"|"key", index)
        self.curves: list[list[pg.PlotCurveItem]] = []
        self._texts: list[pg.TextItem] = []
        self.head_buttons: list[QtWidgets.QToolButton] = []
        self._title = ""  # the caller's title of the block shown

        self.plot = pg.PlotWidget(background="w")
        self.plot.hideAxis("left")
        self.plot.hideAxis("bottom")
        self.plot.invertY(True)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.title = QtWidgets.QLabel(" ")
        self.heads_label = QtWidgets.QLabel()
        self.buttons_row = QtWidgets.QHBoxLayout()
        self.buttons_row.addWidget(self.heads_label)
        self.buttons_row.addStretch(1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(self.buttons_row)
        layout.addWidget(self.plot, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.heads_label.setText(self.tr("Heads:"))
        for h, button in enumerate(self.head_buttons):
            button.setToolTip(self.tr("Show or hide head {head}'s lines").format(head=h))
        if self.block is not None:
            self.set_title(self._title)

    def set_title(self, title: str) -> None:
        """Title of the block shown (the caller's, in the interface language), with a hint."""
        self._title = title
        self.title.setText(self.tr("{title} — hover a token to isolate its lines").format(title=title))

    def show_block(self, block: AttentionTrace, rows: Sequence[str], cols: Sequence[str],
                   title: str) -> None:
        """Draw one block: rows are the query tokens, cols the key tokens."""
        self.block, self.rows, self.cols = block, tuple(rows), tuple(cols)
        self.set_title(title)
        if self.isolated and self.isolated[1] >= len(rows if self.isolated[0] == "query" else cols):
            self.isolated = None
        self._build_heads(block.n_heads)
        self._build_texts()
        self.redraw()

    def _build_heads(self, n_heads: int) -> None:
        if len(self.curves) == n_heads:
            return
        for button in self.head_buttons:
            self.buttons_row.removeWidget(button)
            button.deleteLater()
        for curves in self.curves:
            for curve in curves:
                self.plot.removeItem(curve)
        self.head_buttons, self.curves = [], []
        for h, color in enumerate(head_palette(n_heads)):
            button = QtWidgets.QToolButton()
            button.setText(f"H{h}")
            button.setCheckable(True)
            button.setChecked(True)
            button.setToolTip(self.tr("Show or hide head {head}'s lines").format(head=h))
            button.setStyleSheet(f"QToolButton:checked {{ background: {color.name()}; color: white; }}")
            button.toggled.connect(self.redraw)
            self.buttons_row.insertWidget(self.buttons_row.count() - 1, button)
            self.head_buttons.append(button)
            curves = []
            for i, level in enumerate(self.LEVELS):
                c = QtGui.QColor(color)
                c.setAlphaF(min(1.0, 0.15 + level))
                curve = pg.PlotCurveItem(connect="pairs", pen=pg.mkPen(c, width=0.8 + 2.5 * level))
                curve.setZValue(i)
                self.plot.addItem(curve)
                curves.append(curve)
            self.curves.append(curves)

    def _build_texts(self) -> None:
        for item in self._texts:
            self.plot.removeItem(item)
        self._texts = []
        for tokens, x, anchor in ((self.rows, self.X_QUERY, (1, 0.5)), (self.cols, self.X_KEY, (0, 0.5))):
            for i, tok in enumerate(tokens):
                item = pg.TextItem(tok, color=pg.getConfigOption("foreground"), anchor=anchor)
                item.setPos(x, i)
                self.plot.addItem(item)
                self._texts.append(item)
        n = max(len(self.rows), len(self.cols))
        self.plot.setRange(xRange=(-0.45, 1.45), yRange=(-1, n), padding=0)

    def visible_heads(self) -> list[int]:
        return [h for h, b in enumerate(self.head_buttons) if b.isChecked()]

    def segments(self, head: int) -> np.ndarray:
        """(N, 3) rows (query, key, weight) of the lines drawn for one head."""
        w = self.block.weights[head]
        keep = w >= self.LEVELS[0]
        if self.isolated is not None:
            side, i = self.isolated
            mask = np.zeros_like(keep)
            if side == "query":
                mask[i, :] = True
            else:
                mask[:, i] = True
            keep &= mask
        t, s = np.nonzero(keep)
        return np.column_stack([t, s, w[t, s]])

    def redraw(self) -> None:
        if self.block is None:
            return
        visible = set(self.visible_heads())
        bins = np.asarray(self.LEVELS[1:])
        for h, curves in enumerate(self.curves):
            seg = self.segments(h) if h in visible else np.zeros((0, 3))
            level = np.searchsorted(bins, seg[:, 2], side="right")
            for i, curve in enumerate(curves):
                part = seg[level == i]
                x = np.tile([self.X_QUERY + 0.02, self.X_KEY - 0.02], len(part))
                y = np.column_stack([part[:, 0], part[:, 1]]).ravel()
                curve.setData(x=x, y=y)

    def _on_mouse_moved(self, scene_pos: QtCore.QPointF) -> None:
        if self.block is None:
            return
        p = self.plot.getViewBox().mapSceneToView(scene_pos)
        i = round(p.y())
        if p.x() < self.X_QUERY + 0.05 and 0 <= i < len(self.rows):
            target = ("query", i)
        elif p.x() > self.X_KEY - 0.05 and 0 <= i < len(self.cols):
            target = ("key", i)
        else:
            target = None
        if target != self.isolated:
            self.isolated = target
            self.redraw()

    def matrices(self) -> list[LabeledMatrix]:
        if self.block is None:
            return []
        return [LabeledMatrix(f"{self.block.kind}.L{self.block.layer}.H{h}.weights",
                              self.block.weights[h], self.rows, self.cols)
                for h in self.visible_heads()]


class ComputationView(Retranslating, QtWidgets.QScrollArea):
    """One head of one block, computed step by step with the trace's own numbers.

    X, then Wq, Wk, Wv (this head's columns), then Q, K, V; A = QKᵀ (diverging, symmetric
    limits); A/√d_k; the mask (blocked cells grey); softmax row by row A'; A'·V. Then all
    heads concatenated, Wo and the block's output. Hovering a cell of A (or of the maps
    derived from it) shows the q row and the k row whose dot product it is.
    """

    STAGES = ("x_q", "x_kv", "w_q", "w_k", "w_v", "q", "k", "v",
              "scores", "scaled", "masked", "weights", "context", "dot", "concat", "w_o", "output")

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.block: AttentionTrace | None = None
        self.head = 0
        self.rows: tuple[str, ...] = ()
        self.cols: tuple[str, ...] = ()
        self.shown: dict[str, LabeledMatrix] = {}
        self.dot_cell = (0, 0)  # the cell of A whose dot product is shown
        inner = QtWidgets.QWidget()
        grid = QtWidgets.QGridLayout(inner)
        self.views = {name: TokenHeatmap() for name in self.STAGES}
        places = {"x_q": (0, 0), "x_kv": (0, 1),
                  "w_q": (1, 0), "w_k": (1, 1), "w_v": (1, 2),
                  "q": (2, 0), "k": (2, 1), "v": (2, 2),
                  "scores": (3, 0), "scaled": (3, 1), "masked": (3, 2),
                  "dot": (4, 0, 1, 3),
                  "weights": (6, 0), "context": (6, 1), "concat": (6, 2),
                  "w_o": (7, 0), "output": (7, 1)}
        for name, place in places.items():
            view = self.views[name]
            view.setMinimumSize(380, 320)
            grid.addWidget(view, *place)
        self.views["dot"].setMinimumSize(380, 170)
        self.dot_label = QtWidgets.QLabel()
        self.dot_label.setWordWrap(True)
        grid.addWidget(self.dot_label, 5, 0, 1, 3)
        self.setWidget(inner)
        for name in ("scores", "scaled", "masked", "weights"):
            self.views[name].sig_hover.connect(self._on_cell_hovered)
        self.retranslate()

    def retranslate(self) -> None:
        tips = {"scores": self.tr("A = Q·Kᵀ: positive = related, 0 = unrelated, negative = opposed"),
                "masked": self.tr("Blocked cells (future positions, padding) become −∞: grey "
                                  "here, 0 after the softmax"),
                "weights": self.tr("A' = softmax of each row of the masked, scaled scores; "
                                   "rows sum to 1"),
                "dot": self.tr("The q row and k row of the hovered cell, and their elementwise "
                               "product: its sum is that cell of A")}
        for name, tip in tips.items():
            self.views[name].setToolTip(tip)
        if self.block is None:
            self.dot_label.setText(self.tr("Hover a cell of A to see the dot product behind it."))
            return
        for name, title in self._titles().items():
            self.views[name].set_title(title)
        self._show_dot(*self.dot_cell)

    def _titles(self) -> dict[str, str]:
        """The title of each stage's matrix for the block and head shown."""
        block, head = self.block, self.head
        H, T, S = block.weights.shape
        Dh, D = block.q.shape[2], block.x_q.shape[1]
        src = "X_enc" if block.kind == "cross" else "X"
        x_q = "X_dec" if block.kind == "cross" else "X"
        return {
            "x_q": f"{x_q} (T={T}, D={D})",
            "x_kv": self.tr("{src}, for K and V (S={S}, D={D})").format(src=src, S=S, D=D),
            "w_q": self.tr("Wq, head {head} (D={D}, d_k={Dh})").format(head=head, D=D, Dh=Dh),
            "w_k": self.tr("Wk, head {head} (D={D}, d_k={Dh})").format(head=head, D=D, Dh=Dh),
            "w_v": self.tr("Wv, head {head} (D={D}, d_v={Dh})").format(head=head, D=D, Dh=Dh),
            "q": f"Q = X·Wq (T={T}, d_k={Dh})",
            "k": f"K = {src}·Wk (S={S}, d_k={Dh})",
            "v": f"V = {src}·Wv (S={S}, d_v={Dh})",
            "scores": f"A = Q·Kᵀ (T={T}, S={S})",
            "scaled": f"A / √d_k = A / {np.sqrt(Dh):.3g} (T={T}, S={S})",
            "masked": self.tr("masked, blocked = −∞ (T={T}, S={S})").format(T=T, S=S),
            "weights": self.tr("A' = softmax by row (T={T}, S={S})").format(T=T, S=S),
            "context": self.tr("A'·V, head {head} (T={T}, d_v={Dh})").format(head=head, T=T, Dh=Dh),
            "concat": self.tr("concat of {H} heads (T={T}, D={D})").format(H=H, T=T, D=D),
            "w_o": f"Wo (D={D}, D={D})",
            "output": self.tr("output = concat·Wo (T={T}, D={D})").format(T=T, D=D),
        }

    def show_block(self, block: AttentionTrace, head: int, rows: Sequence[str],
                   cols: Sequence[str]) -> None:
        """Show head ``head`` of ``block``; rows are its query tokens, cols its key tokens."""
        self.block, self.head, self.rows, self.cols = block, head, tuple(rows), tuple(cols)
        Dh, D = block.q.shape[2], block.x_q.shape[1]
        cut = slice(head * Dh, (head + 1) * Dh)
        dims_h = [str(i) for i in range(Dh)]
        dims = [str(i) for i in range(D)]
        heads_dims = [f"H{i // Dh}.{i % Dh}" for i in range(D)]
        cross = block.kind == "cross"
        scaled = block.scores[head] / np.sqrt(Dh)
        shown = [
            ("x_q", block.x_q, rows, dims, "auto"),
            ("x_kv", block.x_kv, cols, dims, "auto"),
            ("w_q", block.w_q[:, cut], dims, dims_h, "signed"),
            ("w_k", block.w_k[:, cut], dims, dims_h, "signed"),
            ("w_v", block.w_v[:, cut], dims, dims_h, "signed"),
            ("q", block.q[head], rows, dims_h, "signed"),
            ("k", block.k[head], cols, dims_h, "signed"),
            ("v", block.v[head], cols, dims_h, "signed"),
            ("scores", block.scores[head], rows, cols, "signed"),
            ("scaled", scaled, rows, cols, "signed"),
            ("masked", np.where(block.allowed, scaled, np.nan), rows, cols, "signed"),
            ("weights", block.weights[head], rows, cols, "prob"),
            ("context", block.context[head], rows, dims_h, "signed"),
            ("concat", block.concat, rows, heads_dims, "signed"),
            ("w_o", block.w_o, heads_dims, dims, "signed"),
            ("output", block.output, rows, dims, "signed"),
        ]
        titles = self._titles()
        self.shown = {}
        for name, values, r, c, scale in shown:
            self.views[name].set_matrix(values, r, c, scale=scale, title=titles[name])
            self.shown[name] = LabeledMatrix(f"{block.kind}.L{block.layer}.H{head}.{name}",
                                             np.asarray(values), tuple(r), tuple(c))
        self.views["x_kv"].setVisible(cross)  # self-attention: K and V come from X itself
        self._show_dot(0, 0)

    def _on_cell_hovered(self, row: int, col: int) -> None:
        if row >= 0 and col >= 0:
            self._show_dot(row, col)
        self.views["q"].highlight(row, -1)
        self.views["k"].highlight(col, -1)

    def _show_dot(self, row: int, col: int) -> None:
        """Show q_row, k_col and their elementwise product; the sum is A[row, col]."""
        self.dot_cell = (row, col)
        q, k = self.block.q[self.head, row], self.block.k[self.head, col]
        product = q * k
        labels = (f"q “{self.rows[row]}”", f"k “{self.cols[col]}”", "q∘k")
        dims = [str(i) for i in range(len(q))]
        self.views["dot"].set_matrix(np.stack([q, k, product]), labels, dims, scale="signed",
                                     title=f"A[{row}, {col}] = q·k = Σ q∘k")
        self.shown["dot"] = LabeledMatrix(f"dot.{row}.{col}", np.stack([q, k, product]),
                                          labels, tuple(dims))
        self.dot_label.setText(self.tr(
            "A[{row}, {col}] = q(“{query}”) · k(“{key}”) = Σ q∘k = {dot:.4g}; "
            "÷√d_k = {scaled:.4g}; after softmax A'[{row}, {col}] = {weight:.4g}").format(
            row=row, col=col, query=self.rows[row], key=self.cols[col], dot=product.sum(),
            scaled=product.sum() / np.sqrt(len(q)), weight=self.block.weights[self.head, row, col]))

    def matrices(self) -> list[LabeledMatrix]:
        return list(self.shown.values())
