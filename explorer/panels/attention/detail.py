"""The Head view: one head (or the mean / max of a layer's heads) with token labels."""
from __future__ import annotations

import numpy as np
from pyqtgraph.Qt import QtCore, QtWidgets

from explorer.panels.attention.state import (
    AGGREGATES,
    KINDS,
    Selection,
    axis_tokens,
    best_head,
    head_matrix,
    predicted_tokens,
)
from explorer.panels.attention.views import kind_title
from explorer.texts import Retranslating
from explorer.widgets.export import LabeledMatrix
from explorer.widgets.heatmap import TokenHeatmap
from model.trace import ModelTrace


class HeadDetailView(Retranslating, QtWidgets.QWidget):
    """One head (or the mean/max of a layer's heads) with token labels on both axes."""

    sig_selected = QtCore.Signal(object)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.trace: ModelTrace | None = None
        self.shown: Selection | None = None  # what show_selection drew last
        self.kind_box = QtWidgets.QComboBox()
        for kind in KINDS:
            self.kind_box.addItem(kind, kind)
        self.layer_box = QtWidgets.QSpinBox()
        self.head_box = QtWidgets.QComboBox()
        self.heatmap = TokenHeatmap()
        self.alignment_label = QtWidgets.QLabel("")
        self.alignment_label.setWordWrap(True)
        top = QtWidgets.QHBoxLayout()
        for w in (self.kind_box, self.layer_box, self.head_box):
            top.addWidget(w)
        top.addStretch(1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.heatmap, 1)
        layout.addWidget(self.alignment_label)
        self.kind_box.activated.connect(self._emit_selection)
        self.layer_box.valueChanged.connect(self._emit_selection)
        self.head_box.activated.connect(self._emit_selection)
        self._updating = False
        self.retranslate()

    def retranslate(self) -> None:
        self.kind_box.setToolTip(self.tr("Which attention: encoder self, decoder self or cross"))
        self.layer_box.setPrefix(self.tr("layer "))
        self.layer_box.setToolTip(self.tr("Layer (from 0)"))
        self.head_box.setToolTip(self.tr("Head, or the mean / max over the layer's heads"))
        for i in range(self.kind_box.count()):
            self.kind_box.setItemText(i, kind_title(self.kind_box.itemData(i)))
        for i in range(self.head_box.count()):
            self.head_box.setItemText(i, self._head_text(self.head_box.itemData(i)))
        if self.shown is not None:
            self._label_axes()

    def _head_text(self, head: int | str) -> str:
        """A head box item: "head 3", "mean of heads" or "max of heads"."""
        if head == "mean":
            return self.tr("mean of heads")
        if head == "max":
            return self.tr("max of heads")
        return self.tr("head {head}").format(head=head)

    def _label_axes(self) -> None:
        """Title and axis titles of the shown selection, in the interface language."""
        sel = self.shown
        if sel.head == "mean":
            what = self.tr("mean over heads")
        elif sel.head == "max":
            what = self.tr("max over heads")
        else:
            what = self.tr("head {head}").format(head=sel.head)
        self.heatmap.set_title(self.tr("{kind}, layer {layer}, {what} — rows: queries, "
                                       "columns: keys").format(kind=kind_title(sel.kind),
                                                               layer=sel.layer, what=what))
        plot = self.heatmap.plot
        plot.setLabel("top", self.tr("keys (target tokens)") if sel.kind == "dec_self"
                      else self.tr("keys (source tokens)"))
        plot.setLabel("left", self.tr("queries (encoder input)") if sel.kind == "enc_self"
                      else self.tr("queries (decoder input)"))
        plot.setLabel("right", self.tr("predicts") if sel.kind != "enc_self" else "")

    def _emit_selection(self, *_args) -> None:
        if not self._updating:
            self.sig_selected.emit(Selection(self.kind_box.currentData(), self.layer_box.value(),
                                             self.head_box.currentData()))

    def show_gold(self, sel: Selection, gold: tuple[set, list[int]] | None,
                  aer: np.ndarray | None, rows: str) -> None:
        """Gold links as squares on a cross-attention head, and its AER beside the best
        head's; ``rows`` says which word a row is compared with (as the panel words it)."""
        show = gold is not None and sel.kind == "cross"
        self.heatmap.set_markers(sorted(gold[0]) if show else [])
        if not show:
            self.alignment_label.setText(self.tr(
                "Gold alignment: shown for cross-attention when a corpus example with gold "
                "links is forced through the decoder.") if sel.kind == "cross" else "")
            return
        best = best_head(aer)
        text = self.tr("Squares: gold alignment ({rows}). Best-aligned head: layer {layer}, "
                       "head {head} (AER {aer:.3f}).").format(
            rows=rows, layer=best[0], head=best[1], aer=aer[best])
        if isinstance(sel.head, int):
            text = self.tr("This head's AER: {aer:.3f}.").format(
                aer=aer[sel.layer, sel.head]) + " " + text
        self.alignment_label.setText(text)

    def show_selection(self, trace: ModelTrace, sel: Selection) -> None:
        blocks = trace.blocks(sel.kind)
        block = blocks[sel.layer]
        self._updating = True
        self.kind_box.setCurrentIndex(KINDS.index(sel.kind))
        self.layer_box.setRange(0, len(blocks) - 1)
        self.layer_box.setValue(sel.layer)
        heads = list(range(block.n_heads)) + list(AGGREGATES)
        if self.head_box.count() != len(heads):
            self.head_box.clear()
            for h in heads:
                self.head_box.addItem(self._head_text(h), h)
        self.head_box.setCurrentIndex(heads.index(sel.head))
        self._updating = False
        rows, cols = axis_tokens(trace, sel.kind)
        self.trace, self.shown = trace, sel
        self.heatmap.set_matrix(head_matrix(block, sel.head), rows, cols, scale="prob",
                                right_labels=predicted_tokens(trace, sel.kind))
        self._label_axes()

    def matrices(self) -> list[LabeledMatrix]:
        """The head shown, with its token labels (nothing before the first trace)."""
        hm = self.heatmap
        if not hm.row_labels or self.shown is None:
            return []
        return [LabeledMatrix(self.shown.name, hm.values, tuple(hm.row_labels), tuple(hm.col_labels))]
