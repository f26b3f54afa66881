"""The Computation view: one head computed step by step, X -> Q, K, V -> A -> A' -> A'V, then
the heads concatenated, multiplied by Wo and the bias bo added.

Every equation a title states holds with the matrices shown (and exported): Q = X·Wq + bq,
K = X·Wk + bk, V = X·Wv + bv (rotary models rotate Q and K after that, and say so),
output = concat·Wo + bo."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from pyqtgraph.Qt import QtCore, QtWidgets

from explorer.texts import Retranslating
from explorer.widgets.export import LabeledMatrix
from explorer.widgets.heatmap import TokenHeatmap
from model.trace import AttentionTrace


class ComputationView(Retranslating, QtWidgets.QScrollArea):
    """One head of one block, computed step by step with the trace's own numbers.

    X, then Wq, Wk, Wv (this head's columns) and their biases bq, bk, bv (one row each), then
    Q, K, V; A = QKᵀ (diverging, symmetric
    limits); A/√d_k; the mask (blocked cells grey); softmax row by row A'; A'·V. Then all
    heads concatenated, Wo, its bias bo and the block's output. Hovering a cell of A (or of the maps
    derived from it) shows the q row and the k row whose dot product it is.
    """

    STAGES = ("x_q", "x_kv", "w_q", "w_k", "w_v", "b_q", "b_k", "b_v", "q", "k", "v",
              "scores", "scaled", "masked", "weights", "context", "dot", "concat", "w_o", "b_o",
              "output")
    STRIPS = ("b_q", "b_k", "b_v", "b_o", "dot")  # a few rows: drawn low

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.block: AttentionTrace | None = None
        self.head = 0
        self.rows: tuple[str, ...] = ()
        self.cols: tuple[str, ...] = ()
        self.shown: dict[str, LabeledMatrix] = {}
        self.dot_cell = (0, 0)  # the cell of A whose dot product is shown
        self.rotated = False  # Q and K rotated after the projection (rotary positions)
        # A step that hides views (a maps-only step of the training history) has them drawn
        # meanwhile with the step that will show them (``prepare``): (block, head, rows, cols)
        self._prepared: tuple | None = None
        self._prepared_views: set[str] = set()  # the views it drew
        self._to_prepare: tuple | None = None
        self._prepare_timer = QtCore.QTimer(self, singleShot=True, interval=0)
        self._prepare_timer.timeout.connect(self._prepare_hidden)
        inner = QtWidgets.QWidget()
        grid = QtWidgets.QGridLayout(inner)
        self.views = {name: TokenHeatmap() for name in self.STAGES}
        places = {"x_q": (0, 0), "x_kv": (0, 1),
                  "w_q": (1, 0), "w_k": (1, 1), "w_v": (1, 2),
                  "b_q": (2, 0), "b_k": (2, 1), "b_v": (2, 2),
                  "q": (3, 0), "k": (3, 1), "v": (3, 2),
                  "scores": (4, 0), "scaled": (4, 1), "masked": (4, 2),
                  "dot": (5, 0, 1, 3),
                  "weights": (7, 0), "context": (7, 1), "concat": (7, 2),
                  "w_o": (8, 0), "output": (8, 1), "b_o": (9, 0)}
        for name, place in places.items():
            view = self.views[name]
            view.setMinimumSize(380, 320)
            grid.addWidget(view, *place)
        for name in self.STRIPS:
            self.views[name].setMinimumSize(380, 130)
            self.views[name].setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding,
                                           QtWidgets.QSizePolicy.Policy.Fixed)
            self.views[name].setFixedHeight(170 if name == "dot" else 130)
        self.dot_label = QtWidgets.QLabel()
        self.dot_label.setWordWrap(True)
        grid.addWidget(self.dot_label, 6, 0, 1, 3)
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

    def _titles(self, block: AttentionTrace | None = None, head: int | None = None,
                rotated: bool | None = None) -> dict[str, str]:
        """The title of each stage's matrix for ``block`` and ``head`` (default: those shown)."""
        if block is None:
            block, head, rotated = self.block, self.head, self.rotated
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
            "b_q": self.tr("bq, head {head} (d_k={Dh})").format(head=head, Dh=Dh),
            "b_k": self.tr("bk, head {head} (d_k={Dh})").format(head=head, Dh=Dh),
            "b_v": self.tr("bv, head {head} (d_v={Dh})").format(head=head, Dh=Dh),
            "q": (f"Q = rotary({x_q}·Wq + bq)" if rotated else f"Q = {x_q}·Wq + bq")
            + f" (T={T}, d_k={Dh})",
            "k": (f"K = rotary({src}·Wk + bk)" if rotated else f"K = {src}·Wk + bk")
            + f" (S={S}, d_k={Dh})",
            "v": f"V = {src}·Wv + bv (S={S}, d_v={Dh})",
            "scores": f"A = Q·Kᵀ (T={T}, S={S})",
            "scaled": f"A / √d_k = A / {np.sqrt(Dh):.3g} (T={T}, S={S})",
            "masked": self.tr("masked, blocked = −∞ (T={T}, S={S})").format(T=T, S=S),
            "weights": self.tr("A' = softmax by row (T={T}, S={S})").format(T=T, S=S),
            "context": self.tr("A'·V, head {head} (T={T}, d_v={Dh})").format(head=head, T=T, Dh=Dh),
            "concat": self.tr("concat of {H} heads (T={T}, D={D})").format(H=H, T=T, D=D),
            "w_o": f"Wo (D={D}, D={D})",
            "b_o": self.tr("bo (D={D})").format(D=D),
            "output": self.tr("output = concat·Wo + bo (T={T}, D={D})").format(T=T, D=D),
        }

    def show_block(self, block: AttentionTrace, head: int, rows: Sequence[str],
                   cols: Sequence[str]) -> None:
        """Show head ``head`` of ``block``; rows are its query tokens, cols its key tokens."""
        self.block, self.head, self.rows, self.cols = block, head, tuple(rows), tuple(cols)
        Dh = block.q.shape[2]
        cross = block.kind == "cross"
        self.rotated = _rotated(block, head, slice(head * Dh, (head + 1) * Dh))
        shown = _stages(block, head, rows, cols)
        titles = self._titles()
        drawn = {name for name, values, *_ in shown if np.asarray(values).size} | ({"dot"} if Dh > 0 else set())
        if self._prepared is not None and not _same(self._prepared, (block, head, self.rows, self.cols)) \
                and drawn & self._prepared_views:
            self._prepared = None  # views drawn by prepare take other matrices now
        self.shown = {}
        missing = []  # matrices a training-history snapshot does not keep (e.g. Wq): hidden
        for name, values, r, c, scale in shown:
            if np.asarray(values).size == 0:
                missing.append(name)
                continue
            self.views[name].set_matrix(values, r, c, scale=scale, title=titles[name])
            self.shown[name] = LabeledMatrix(f"{block.kind}.L{block.layer}.H{head}.{name}",
                                             np.asarray(values), tuple(r), tuple(c))
        visible = {name: name not in missing for name, *_ in shown}
        visible["x_kv"] = cross and "x_kv" not in missing  # self-attention: K, V come from X
        visible["dot"] = Dh > 0
        self._show_views(visible)
        if Dh > 0:
            self._show_dot(0, 0)
        if missing:
            self.dot_label.setText(self.tr(
                "A step of the training history: it keeps {kept}, not {missing}.").format(
                kept=", ".join(n for n in self.STAGES if n in self.shown), missing=", ".join(missing)))

    def prepare(self, block: AttentionTrace, head: int, rows: Sequence[str], cols: Sequence[str]) -> None:
        """Draw ``block`` (a step that keeps more matrices, e.g. the last of a replay) into
        the views the block shown hides, on the next turn of the event loop, without
        showing them. When a replay reaches that step, its frame only shows them: their
        shapes, labels and titles are already in place (no view reshaped, fitted or
        relabelled in that frame). What is shown and exported is unchanged."""
        self._to_prepare = (block, head, tuple(rows), tuple(cols))
        if not self._prepare_timer.isActive():
            self._prepare_timer.start()

    def _prepare_hidden(self) -> None:
        args, self._to_prepare = self._to_prepare, None
        if args is None or (self._prepared is not None and _same(self._prepared, args)):
            return
        block, head, rows, cols = args
        Dh = block.q.shape[2]
        rotated = _rotated(block, head, slice(head * Dh, (head + 1) * Dh))
        titles = self._titles(block, head, rotated)
        self._prepared_views = set()
        for name, values, r, c, scale in _stages(block, head, rows, cols):
            view = self.views[name]
            if view.isHidden() and np.asarray(values).size and (name != "x_kv" or block.kind == "cross"):
                view.set_matrix(values, r, c, scale=scale, title=titles[name])
                self._prepared_views.add(name)
        if self.views["dot"].isHidden() and Dh > 0:
            matrix, labels, dims, title = _dot(block, head, rows, cols, 0, 0)
            self.views["dot"].set_matrix(matrix, labels, dims, scale="signed", title=title)
            self._prepared_views.add("dot")
        for name in self._prepared_views:  # their axes too: the frame that shows them only plays them
            view = self.views[name]
            view.plot.layout.activate()  # a new title or label width places the axes first
            view.draw_axes_ahead()
        self._prepared = args

    def _show_views(self, visible: dict[str, bool]) -> None:
        """Show and hide the stages' views at once: the grid is laid out once for all of them
        (a step of the training history keeps fewer matrices than the last one), not once
        for each view shown."""
        changed = {name: on for name, on in visible.items() if self.views[name].isHidden() == on}
        if not changed:
            return
        grid = self.widget().layout()
        grid.setEnabled(False)  # showing a view would lay out the grid at once
        try:
            for name, on in changed.items():
                self.views[name].setVisible(on)
        finally:
            grid.setEnabled(True)
            grid.invalidate()
        # the scroll area sizes the grid's widget for the views shown now, before the grid
        # is laid out (else it is laid out in the old size first, then again)
        QtCore.QCoreApplication.sendEvent(self, QtCore.QEvent(QtCore.QEvent.Type.LayoutRequest))

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
        matrix, labels, dims, title = _dot(self.block, self.head, self.rows, self.cols, row, col)
        self.views["dot"].set_matrix(matrix, labels, dims, scale="signed", title=title)
        self.shown["dot"] = LabeledMatrix(f"dot.{row}.{col}", matrix, labels, tuple(dims))
        self.dot_label.setText(self.tr(
            "A[{row}, {col}] = q(“{query}”) · k(“{key}”) = Σ q∘k = {dot:.4g}; "
            "÷√d_k = {scaled:.4g}; after softmax A'[{row}, {col}] = {weight:.4g}").format(
            row=row, col=col, query=self.rows[row], key=self.cols[col], dot=product.sum(),
            scaled=product.sum() / np.sqrt(len(q)), weight=self.block.weights[self.head, row, col]))

    def matrices(self) -> list[LabeledMatrix]:
        return list(self.shown.values())


def _rotated(block: AttentionTrace, head: int, cut: slice) -> bool:
    """True when this head's queries are not X·Wq + bq as traced: rotary positions rotated them."""
    if block.w_q.size == 0 or block.x_q.size == 0 or block.q.size == 0:
        return False
    projected = block.x_q @ block.w_q[:, cut] + block.b_q[cut]
    scale = max(float(np.abs(projected).max()), 1.0)
    return not np.allclose(projected, block.q[head], atol=1e-4 * scale, rtol=1e-4)


def _stages(block: AttentionTrace, head: int, rows: Sequence[str], cols: Sequence[str]) -> list[tuple]:
    """(name, matrix, row labels, column labels, colour scale) of every stage of ``head``;
    a matrix the block does not keep is empty."""
    Dh, D = block.q.shape[2], block.x_q.shape[1]
    cut = slice(head * Dh, (head + 1) * Dh)
    dims_h = [str(i) for i in range(Dh)]
    dims = [str(i) for i in range(D)]
    heads_dims = [f"H{i // Dh}.{i % Dh}" for i in range(D)]
    # A snapshot that keeps only the attention maps has no Q or K (d_k 0): its scores are
    # not known, so QKᵀ, its scaling and masking are hidden rather than shown as zeros
    known = Dh > 0
    nothing = np.zeros((0, 0), np.float32)
    scores = block.scores[head] if known else nothing
    scaled = scores / np.sqrt(Dh) if known else nothing

    def bias(b: np.ndarray) -> np.ndarray:  # one row (1, n); (1, 0) when not kept
        return np.asarray(b, dtype=np.float32).reshape(1, -1)
    return [
        ("x_q", block.x_q, rows, dims, "auto"),
        ("x_kv", block.x_kv, cols, dims, "auto"),
        ("w_q", block.w_q[:, cut], dims, dims_h, "signed"),
        ("w_k", block.w_k[:, cut], dims, dims_h, "signed"),
        ("w_v", block.w_v[:, cut], dims, dims_h, "signed"),
        ("b_q", bias(block.b_q[cut]), ["bq"], dims_h, "signed"),
        ("b_k", bias(block.b_k[cut]), ["bk"], dims_h, "signed"),
        ("b_v", bias(block.b_v[cut]), ["bv"], dims_h, "signed"),
        ("q", block.q[head], rows, dims_h, "signed"),
        ("k", block.k[head], cols, dims_h, "signed"),
        ("v", block.v[head], cols, dims_h, "signed"),
        ("scores", scores, rows, cols, "signed"),
        ("scaled", scaled, rows, cols, "signed"),
        ("masked", np.where(block.allowed, scaled, np.nan) if known else nothing, rows, cols, "signed"),
        ("weights", block.weights[head], rows, cols, "prob"),
        ("context", block.context[head], rows, dims_h, "signed"),
        ("concat", block.concat, rows, heads_dims, "signed"),
        ("w_o", block.w_o, heads_dims, dims, "signed"),
        ("b_o", bias(block.b_o), ["bo"], dims, "signed"),
        ("output", block.output, rows, dims, "signed"),
    ]


def _dot(block: AttentionTrace, head: int, rows: Sequence[str], cols: Sequence[str], row: int,
         col: int) -> tuple[np.ndarray, tuple[str, ...], list[str], str]:
    """The dot-product strip of cell (row, col) of A: (q, k, q∘k stacked, labels, dims, title)."""
    q, k = block.q[head, row], block.k[head, col]
    labels = (f"q “{rows[row]}”", f"k “{cols[col]}”", "q∘k")
    return (np.stack([q, k, q * k]), labels, [str(i) for i in range(len(q))],
            f"A[{row}, {col}] = q·k = Σ q∘k")


def _same(a: tuple, b: tuple) -> bool:
    """The same (block, head, rows, cols): the block itself, not an equal one."""
    return a[0] is b[0] and a[1:] == b[1:]
