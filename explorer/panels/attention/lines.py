"""The Lines view: queries and keys as two token columns, lines weighted by attention."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from pyqtgraph.Qt import QtCore, QtGui, QtWidgets

from explorer.panels.attention.views import head_palette
from explorer.texts import Retranslating
from explorer.widgets.export import LabeledMatrix
from explorer.widgets.source_notice import UNKNOWN_COLOR, UNKNOWN_MARK
from model.trace import AttentionTrace


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
                unknown = tok.startswith(UNKNOWN_MARK)  # a word the model does not know
                item = pg.TextItem(tok, color=UNKNOWN_COLOR if unknown else pg.getConfigOption("foreground"),
                                   anchor=anchor)
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
