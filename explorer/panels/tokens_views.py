"""The tokens panel's two tabs, drawn from its ``TokensState`` (explorer/logic/tokens.py).

- ``CompareTab``: the tokens as IDs (a number line and |i − j|), as one-hot vectors
  (distances) and as rows of E (cosine similarities), side by side.
- ``ProductTab``: o × E for the selected token: its one-hot vector o drawn as a column
  beside E (V × D), the 1 on the row it picks, and the product o × E under E.

Each tab has ``draw()`` (a new text or tokenizer: everything) and ``draw_embeddings()``
(a new E: only the views of E, updated in place; the number line and the ID and one-hot
views stay as they are). Titles are word-wrapped labels above the plots, so a narrow
dock wraps them instead of cutting them. Texts are declared with their widgets.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QVBoxLayout, QWidget

from explorer.logic import tokens as logic
from explorer.logic.tokens import TokensState
from explorer.texts import Texts
from explorer.widgets.heatmap import TokenHeatmap

LABEL_ROWS = (0.3, 0.9, 1.5)  # y of the number line's label rows (the points sit at 0)
LABEL_GAP_PX = 4  # space kept on each side of a label
MIN_MAP_WIDTH = 150  # a heatmap narrower than this cuts its colour bar's numbers


def titled(texts: Texts, view: QWidget, title, tip, above: QWidget | None = None) -> QVBoxLayout:
    """A column: a word-wrapped title (and ``above``, e.g. a combo) over ``view``."""
    label = texts.widget(QLabel(), title)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom)
    texts.bind(view.setToolTip, tip)
    column = QVBoxLayout()
    column.setSpacing(2)
    column.addWidget(label)
    if above is not None:
        column.addWidget(above)
    column.addWidget(view, 1)
    view.title_label = label
    return column


class CompareTab(QWidget):
    """IDs on a number line across the top; |i − j|, one-hot and embedding maps below."""

    def __init__(self, state: TokensState) -> None:
        super().__init__()
        self.state = state
        texts = self.texts = Texts(self)
        self.number_line = pg.PlotWidget(background="w")
        self.number_line.setFixedHeight(110)
        plot = self.number_line.getPlotItem()
        plot.hideAxis("left")
        plot.setMenuEnabled(False)
        self.number_line.setMouseEnabled(x=True, y=False)
        self.line_points = pg.ScatterPlotItem(size=9, pen=pg.mkPen(None), brush=pg.mkBrush("#4c78a8"))
        self.number_line.addItem(self.line_points)
        self.line_labels: list[pg.TextItem] = []  # in ID order
        view = plot.getViewBox()
        view.sigXRangeChanged.connect(self.place_line_labels)
        view.sigResized.connect(self.place_line_labels)
        texts.bind(plot.setTitle, lambda: self.tr("IDs on a number line"))
        texts.bind(self.number_line.setToolTip, lambda: self.tr(
            "Each token at its ID: the vocabulary's order, nothing more. Labels that would "
            "overlap are left out: scroll over the line to zoom in"))

        self.id_map, self.one_hot_map, self.embed_map = TokenHeatmap(), TokenHeatmap(), TokenHeatmap()
        for heatmap in (self.id_map, self.one_hot_map, self.embed_map):
            heatmap.setMinimumWidth(MIN_MAP_WIDTH)
            heatmap.sig_hover.connect(self._on_pair_hover)  # hovering one shows the pair in all
        self.one_hot_metric = QComboBox()
        for key in logic.METRICS:
            self.one_hot_metric.addItem("", key)
        texts.bind(self.one_hot_metric, {"euclidean": lambda: self.tr("euclidean distance"),
                                         "cosine": lambda: self.tr("cosine similarity")})
        texts.bind(self.one_hot_metric.setToolTip,
                   lambda: self.tr("Distance or cosine similarity between the one-hot vectors"))
        self.one_hot_metric.currentIndexChanged.connect(self._on_metric)
        self.embed_note = QLabel()
        self.embed_note.setWordWrap(True)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        for c, column in enumerate((
                titled(texts, self.id_map, lambda: self.tr("|i − j| of the IDs"),
                       lambda: self.tr("How far apart the IDs are: a number with no meaning")),
                titled(texts, self.one_hot_map, self._one_hot_title,
                       lambda: self.tr("Every pair of distinct tokens is equally far apart: √2, cosine 0"),
                       above=self.one_hot_metric),
                titled(texts, self.embed_map, lambda: self.tr("embedding: cosine similarity"),
                       lambda: self.tr("Cosine similarity of the rows of E: these can carry meaning"),
                       above=self.embed_note))):
            grid.addLayout(column, 0, c)
            grid.setColumnStretch(c, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.number_line)
        layout.addLayout(grid, 1)
        texts.add(self._write_embed_note)

    def _one_hot_title(self) -> str:
        return self.tr("one-hot: {metric}").format(metric=self.one_hot_metric.currentText())

    # -- drawing ------------------------------------------------------------------------------
    def draw(self) -> None:
        """Everything, from the state's tokens."""
        s = self.state
        self.one_hot_metric.blockSignals(True)
        self.one_hot_metric.setCurrentIndex(logic.METRICS.index(s.metric))
        self.one_hot_metric.blockSignals(False)
        if not s.tokens:
            return
        self._draw_number_line()
        labels = s.tokens
        self.id_map.set_matrix(logic.id_distances(s.ids), labels, labels, scale="auto")
        self._draw_one_hot_map()
        self.draw_embeddings()

    def draw_embeddings(self) -> None:
        """The embedding view only (a new E for the same tokens: updated in place)."""
        s = self.state
        self._write_embed_note()
        cosine = logic.embedding_cosine(s)
        self.embed_map.setVisible(cosine is not None and len(s.tokens) > 0)
        if cosine is not None and len(s.tokens):
            self.embed_map.set_matrix(cosine, s.tokens, s.tokens, scale="signed")

    def _draw_one_hot_map(self) -> None:
        s = self.state
        if s.tokens:
            self.one_hot_map.set_matrix(logic.one_hot_distances(s.one_hot, s.metric),
                                        s.tokens, s.tokens, scale="auto")
        self.one_hot_map.title_label.setText(self._one_hot_title())

    @Slot()
    def _on_metric(self) -> None:
        self.state.metric = self.one_hot_metric.currentData()
        self._draw_one_hot_map()

    def _write_embed_note(self) -> None:
        s = self.state
        if s.snapshot is None or s.embedded is None:
            self.embed_note.setText(self.tr("No embedding matrix for this tokenizer: choose the model's "
                                            "tokenizer (after a model is loaded)."))
            return
        side = self.tr("source") if s.snapshot.name == "src" else self.tr("target")
        text = self.tr("E from the {side} side at step {step} (D = {D})").format(side=side, step=s.snapshot.step, D=s.D)
        missing = len(s.tokens) - logic.kept_tokens(s) if s.partial else 0
        if missing:  # short: a long note squeezes the heatmap under it
            text += self.tr("; rows 0–{last} kept, {n} grey").format(last=s.rows_kept - 1, n=missing)
        self.embed_note.setText(text)

    def _draw_number_line(self) -> None:
        s = self.state
        for item in self.line_labels:
            self.number_line.removeItem(item)
        self.line_labels = []
        self.line_points.setData(x=s.ids.astype(float), y=np.zeros(len(s.ids)))
        for i, token in sorted({int(i): t for t, i in zip(s.tokens, s.ids)}.items()):
            text = pg.TextItem(f"{token} {i}", color=pg.getConfigOption("foreground"), anchor=(0.5, 1.0))
            text.setPos(float(i), LABEL_ROWS[0])
            self.number_line.addItem(text)
            self.line_labels.append(text)
        self.number_line.setXRange(0, max(s.V - 1, 1), padding=0.02)
        self.number_line.setYRange(-0.3, 2.0, padding=0)
        self.place_line_labels()

    @Slot()
    def place_line_labels(self) -> None:
        """Each label (in ID order) on the lowest row where it clears the one before it,
        hidden where no row has room or its ID is out of view (``logic.place_labels``)."""
        view = self.number_line.getPlotItem().getViewBox()
        (x0, x1), _ = view.viewRange()
        if view.width() <= 0 or x1 <= x0 or not self.line_labels:
            return
        per_px = (x1 - x0) / view.width()
        xs = [label.pos().x() for label in self.line_labels]
        widths = [label.textItem.boundingRect().width() * per_px for label in self.line_labels]
        for label, x, (row, anchor) in zip(self.line_labels, xs, logic.place_labels(
                xs, widths, x0, x1, len(LABEL_ROWS), LABEL_GAP_PX * per_px)):
            label.setVisible(row is not None)
            if row is not None:
                label.setAnchor((anchor, 1.0))
                label.setPos(x, LABEL_ROWS[row])

    @Slot(int, int)
    def _on_pair_hover(self, row: int, col: int) -> None:
        for view in (self.id_map, self.one_hot_map, self.embed_map):
            view.highlight(row, col)


class ProductTab(QWidget):
    """o (a column of V numbers) beside E (V × D), and o × E (1 × D) under E."""

    def __init__(self, state: TokensState) -> None:
        super().__init__()
        self.state = state
        texts = self.texts = Texts(self)
        self.product_note = QLabel()
        self.product_note.setWordWrap(True)
        self.one_hot_strip, self.e_map, self.row_strip = TokenHeatmap(), TokenHeatmap(), TokenHeatmap()
        self.one_hot_strip.setFixedWidth(90)
        self.one_hot_strip.info.hide()  # too narrow for "row … × column …": E's line says it
        self.one_hot_strip.plot.hideAxis("left")  # its rows are E's, labelled there
        self.row_strip.setFixedHeight(80)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(4)
        grid.addLayout(titled(texts, self.one_hot_strip, lambda: self.tr("o (V × 1)"), lambda: self.tr(
            "The selected token's one-hot vector: V numbers, one of them 1")), 0, 0)
        grid.addLayout(titled(texts, self.e_map, lambda: self.tr("E (V × D): the row o picks is highlighted"),
                              lambda: self.tr("The embedding matrix: one row of D numbers per token "
                                              "of the vocabulary")), 0, 1)
        grid.addLayout(titled(texts, self.row_strip, lambda: self.tr("o × E (1 × D)"), lambda: self.tr(
            "The product: the embedding of the selected token")), 1, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(0, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.product_note)
        layout.addLayout(grid, 1)
        self._product: logic.Product | None = None
        self._window: tuple[int, int, int] | None = None  # (lo, hi, V) of the one-hot drawn
        texts.add(self._write_note)

    def draw(self) -> None:
        """The selected token's o, E around its ID and o × E."""
        s = self.state
        p = self._product = logic.product(s)
        if p is None:
            self._write_note()
            return
        vocab = s.tokenizer.tokens()[p.lo:p.hi]
        self.one_hot_strip.set_matrix(s.one_hot[p.row:p.row + 1, p.lo:p.hi].T, vocab,
                                      [f"o({p.token})"], scale="prob")
        self.one_hot_strip.highlight(p.id - p.lo, 0)
        self._window = (p.lo, p.hi, p.V)
        self._draw_e(p, vocab)

    def draw_embeddings(self) -> None:
        """E and o × E again (a new E): the one-hot column stays."""
        s = self.state
        p = self._product = logic.product(s)
        if p is None or self._window != (p.lo, p.hi, p.V):
            self.draw()
            return
        self._draw_e(p, None)

    def _draw_e(self, p, vocab) -> None:
        s = self.state
        has_e = p.product is not None
        for view in (self.e_map, self.row_strip):
            view.setVisible(has_e)
            view.title_label.setVisible(has_e)
        if has_e:
            E = np.asarray(s.snapshot.matrix)
            dims = [f"d{j}" for j in range(E.shape[1])]
            rows = vocab
            if rows is None:  # the same window: E's rows keep their labels
                rows = self.e_map.row_labels
                if len(rows) != p.hi - p.lo:
                    rows = s.tokenizer.tokens()[p.lo:p.hi]
            window = np.full((p.hi - p.lo, E.shape[1]), np.nan, np.float32)  # rows not kept: grey
            part = E[p.lo:p.hi]
            window[:len(part)] = part
            self.e_map.set_matrix(window, rows, dims, scale="signed")
            self.e_map.highlight(p.id - p.lo, -1)
            if vocab is not None:  # a new token: the rows around it, in o and in E
                rows = (max(p.id - p.lo - 12, 0), min(p.id - p.lo + 13, p.hi - p.lo))
                for view in (self.e_map, self.one_hot_strip):
                    view.plot.getViewBox().setYRange(*rows, padding=0)
            self.row_strip.set_matrix(p.product[None, :], ["o × E"], dims, scale="signed")
        self._write_note()

    def _write_note(self) -> None:
        """The one-hot × E explanation for the selected token, in the current language."""
        p = self._product
        if p is None:
            text = self.tr("Select a token in the table.")
        elif p.gap is None and self.state.snapshot is not None:
            text = self.tr("“{token}” has ID {id}, and row {id} of E is not kept in the snapshot of step {step} "
                           "(it keeps rows 0–{last}): select a token with a smaller ID, or go back to "
                           "live.").format(token=p.token, id=p.id, step=self.state.snapshot.step,
                                           last=self.state.rows_kept - 1)
        elif p.gap is None:
            text = self.tr("“{token}” has ID {id}: its one-hot vector has its 1 at index {id} of {V}. "
                           "Choose the model's tokenizer to see E.").format(token=p.token, id=p.id, V=p.V)
        else:
            text = self.tr("“{token}” has ID {id}. o has V = {V} entries, all 0 except a 1 at {id}, so o × E "
                           "adds up only row {id} of E: o × E = E[{id}] (largest difference {gap:.1e}). "
                           "The embedding is a lookup.").format(token=p.token, id=p.id, V=p.V, gap=p.gap)
        if p is not None and p.hi - p.lo < p.V:
            text += " " + self.tr(
                "Drawn: IDs {lo}–{last} of {V:,}; the other {rest:,} entries of o are all 0 and "
                "their rows of E are left out of the picture.").format(
                    lo=p.lo, last=p.hi - 1, V=p.V, rest=p.V - (p.hi - p.lo))
        self.product_note.setText(text)
