"""The Analysis panel's sentence views: attribution, rollout and the logit lens.

Each view draws one ``AnalysisResult`` (computed by the worker) through the Qt-free
functions of ``state.py``, and writes its option controls back as ``sig_option(key, value)``;
``matrices()`` lists the arrays it shows, as shown (File > Export). Texts are declared with
their widgets (``explorer.texts``) and the drawing is redone on a language change.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.panels.analysis.state import (
    Matrix,
    attribution_matrices,
    attribution_summary,
    lens_cells,
    lens_columns,
    lens_first_layer,
    lens_matrices,
    output_row,
    relevance_top,
    rollout_matrices,
)
from explorer.texts import Texts
from explorer.widgets.heatmap import TokenHeatmap


def fmt(x: float, digits: int = 3) -> str:
    """A number as the views write it ("–" for NaN)."""
    return "–" if not np.isfinite(x) else f"{x:.{digits}g}"


class View(QWidget):
    """One tab: texts declared with the widgets, a bar of controls, the result it draws."""

    sig_option = Signal(str, object)  # option key, new value

    def __init__(self) -> None:
        super().__init__()
        self.result = None
        self.texts = Texts(self)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(2, 2, 2, 2)

    def bar(self, *controls) -> QHBoxLayout:
        """A row of (label text or None, tooltip, widget) triples; returns it."""
        row = QHBoxLayout()
        for text, tip, widget in controls:
            if text is not None:
                row.addWidget(self.texts.widget(QLabel(), text))
            if tip is not None:
                self.texts.bind(widget.setToolTip, tip)
            row.addWidget(widget)
        self.box.addLayout(row)
        return row

    def option(self, widget, key: str) -> None:
        """Send the widget's value as option ``key`` when a person changes it."""
        if isinstance(widget, QComboBox):
            widget.activated.connect(lambda _i: self.sig_option.emit(key, widget.currentData()))
        else:
            widget.editingFinished.connect(lambda: self.sig_option.emit(key, widget.value()))

    def set_options(self, options: dict) -> None:
        """Show the options the state holds (without sending them back)."""

    def show_result(self, result) -> None:
        self.result = result
        self.draw()

    def draw(self) -> None:
        """Draw ``self.result`` (also after a language change)."""

    def matrices(self) -> list[Matrix]:
        return []


def summary_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def select(combo: QComboBox, data) -> None:
    index = combo.findData(data)
    if index >= 0:
        combo.setCurrentIndex(index)


class AttributionView(View):
    """Attribution of every output token (rows) to the source and earlier target tokens,
    beside the cross-attention of the same sentence, and their correlation."""

    def __init__(self) -> None:
        super().__init__()
        t = self.texts
        self.method_box = QComboBox()
        self.method_box.addItem("", "ig")
        self.method_box.addItem("", "grad_input")
        t.bind(self.method_box, {"ig": lambda: self.tr("integrated gradients"),
                                 "grad_input": lambda: self.tr("gradient × input")})
        self.baseline_box = QComboBox()
        self.baseline_box.addItem("", "zero")
        self.baseline_box.addItem("", "unk")
        t.bind(self.baseline_box, {"zero": lambda: self.tr("zero rows"),
                                   "unk": lambda: self.tr("<unk> rows")})
        self.steps_spin = QSpinBox(minimum=1, maximum=512, value=64)
        self.bar((lambda: self.tr("Method:"), lambda: self.tr("How each input token's share is "
                                                              "computed"), self.method_box),
                 (lambda: self.tr("Baseline:"), lambda: self.tr("The input integrated gradients "
                                                                "start from: every embedding row "
                                                                "zero, or every row the <unk> row"),
                  self.baseline_box),
                 (lambda: self.tr("Steps:"), lambda: self.tr("Points on the straight path from "
                                                             "the baseline to the input"),
                  self.steps_spin)).addStretch(1)
        for widget, key in ((self.method_box, "method"), (self.baseline_box, "baseline"),
                            (self.steps_spin, "steps")):
            self.option(widget, key)
        self.method_box.activated.connect(self._enable)
        self.attribution = TokenHeatmap()
        self.cross = TokenHeatmap()
        self.attribution.sig_clicked.connect(lambda row, _col: self._show_row(row))
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.attribution)
        split.addWidget(self.cross)
        split.setSizes([620, 380])
        self.box.addWidget(split, 1)
        self.summary = summary_label()
        self.row_info = summary_label()
        self.box.addWidget(self.summary)
        self.box.addWidget(self.row_info)
        t.add(self.draw)

    def _enable(self, *_args) -> None:
        ig = self.method_box.currentData() == "ig"
        self.steps_spin.setEnabled(ig)
        self.baseline_box.setEnabled(ig)

    def set_options(self, options: dict) -> None:
        select(self.method_box, options["method"])
        select(self.baseline_box, options["baseline"])
        self.steps_spin.setValue(int(options["steps"]))
        self._enable()

    def draw(self) -> None:
        if self.result is None:
            self.summary.setText(self.tr("Type a sentence and press Analyse."))
            self.row_info.setText("")
            self.attribution.clear()
            self.cross.clear()
            return
        attr = self.result.report
        a, c = attribution_matrices(attr)
        method = self.method_box.itemText(self.method_box.findData(attr.method))
        self.attribution.set_matrix(a.values, a.rows, a.cols, scale="signed", title=self.tr(
            "{method}: output token × source tokens, then target tokens").format(method=method))
        self.cross.set_matrix(c.values, c.rows, c.cols, scale="prob",
                              title=self.tr("cross-attention (mean of layers and heads)"))
        s = attribution_summary(attr)
        text = self.tr("Correlation of |attribution to the source| (each row summed to 1) with "
                       "cross-attention: r = {r}. Share of all attribution on the source: {share}.")
        text = text.format(r=fmt(s["correlation"], 2), share=fmt(100 * s["source_share"], 3) + " %")
        if attr.method == "ig":
            text += " " + self.tr("Completeness: the attributions of each output add up to "
                                  "log p(input) − log p(baseline) within {err} (largest error; "
                                  "{steps} steps, up to {most} where an output needed more)."
                                  ).format(err=fmt(100 * s["completeness"], 2) + " %", steps=attr.steps,
                                           most=s["steps_most"])
        self.summary.setText(text)
        self._show_row(self.attribution.locked[0] if self.attribution.locked else None)

    def _show_row(self, row: int | None) -> None:
        if self.result is None or row is None or not 0 <= row < len(self.result.report.out_tokens):
            self.row_info.setText(self.tr("Click a row to see one output token's numbers."))
            return
        v = output_row(self.result.report, row)
        text = self.tr("Output “{token}”: attributions sum to {sum}; log p = {logp}").format(
            token=v["token"], sum=fmt(v["sum"], 4), logp=fmt(v["logp"], 4))
        if np.isfinite(v["logp_baseline"]):
            text += self.tr(", at the baseline {base} (difference {diff}; {steps} steps)").format(
                base=fmt(v["logp_baseline"], 4), diff=fmt(v["logp"] - v["logp_baseline"], 4),
                steps=v["steps"])
        self.row_info.setText(text)

    def matrices(self) -> list[Matrix]:
        return [] if self.result is None else attribution_matrices(self.result.report)


class RolloutView(View):
    """Encoder rollout after a layer, output-to-source relevance, and plain cross-attention."""

    def __init__(self) -> None:
        super().__init__()
        self.residual_spin = QDoubleSpinBox(minimum=0.0, maximum=1.0, singleStep=0.1, value=0.5,
                                            decimals=2)
        self.layer_spin = QSpinBox(minimum=0, maximum=0)
        self._layers: int | None = None  # the encoder depth the spin was set for
        self.layer_spin.valueChanged.connect(lambda _v: self.draw())
        self.bar((lambda: self.tr("Residual share:"),
                  lambda: self.tr("Each layer's attention A becomes (1 − r)·A + r·I, rows "
                                  "renormalised: r stands for the residual connection"),
                  self.residual_spin),
                 (lambda: self.tr("Encoder rollout after layer:"),
                  lambda: self.tr("The rollout multiplies the layers from the first up to this one"),
                  self.layer_spin)).addStretch(1)
        self.option(self.residual_spin, "residual")
        self.maps = [TokenHeatmap() for _ in range(3)]
        split = QSplitter(Qt.Orientation.Horizontal)
        for m in self.maps:
            split.addWidget(m)
        self.box.addWidget(split, 1)
        self.summary = summary_label()
        self.box.addWidget(self.summary)
        self.texts.add(self.draw)

    def set_options(self, options: dict) -> None:
        self.residual_spin.setValue(float(options["residual"]))

    def draw(self) -> None:
        if self.result is None:
            self.summary.setText(self.tr("Type a sentence and press Analyse."))
            for heatmap in self.maps:
                heatmap.clear()
            return
        r = self.result.report
        last = max(0, len(r.enc) - 1)
        if self._layers != len(r.enc):  # a model of another depth: rolled out through all of it
            self._layers = len(r.enc)
            self.layer_spin.blockSignals(True)
            self.layer_spin.setMaximum(last)
            self.layer_spin.setValue(last)
            self.layer_spin.blockSignals(False)
        layer = min(self.layer_spin.value(), last)
        titles = (self.tr("encoder rollout after layer {layer} (source × source)").format(layer=layer),
                  self.tr("output → source relevance (cross-attention × rollout)"),
                  self.tr("cross-attention alone (mean of layers and heads)"))
        for heatmap, m, title in zip(self.maps, self.matrices(), titles):
            heatmap.set_matrix(m.values, m.rows, m.cols, scale="prob", title=title)
        pairs = ", ".join(f"{o} ← {s} ({w:.2f})" for o, s, w in relevance_top(r))
        self.summary.setText(self.tr("Most relevant source token for each output: {pairs}").format(
            pairs=pairs))

    def matrices(self) -> list[Matrix]:
        return [] if self.result is None else rollout_matrices(self.result, self.layer_spin.value())


class LensView(View):
    """The logit lens: each decoder layer's top tokens at each position, if it were the last."""

    def __init__(self) -> None:
        super().__init__()
        self.k_spin = QSpinBox(minimum=1, maximum=10, value=5)
        self.bar((lambda: self.tr("Top:"), lambda: self.tr("Tokens shown per layer and position"),
                  self.k_spin)).addStretch(1)
        self.option(self.k_spin, "k")
        self.table = QTableWidget()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.box.addWidget(self.table, 1)
        self.summary = summary_label()
        self.box.addWidget(self.summary)
        self.texts.add(self.draw)

    def set_options(self, options: dict) -> None:
        self.k_spin.setValue(int(options["k"]))

    def draw(self) -> None:
        if self.result is None:
            self.summary.setText(self.tr("Type a sentence and press Analyse."))
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            return
        lens = self.result.report
        cells = lens_cells(lens)
        self.table.setRowCount(len(lens.layers))
        self.table.setColumnCount(len(lens.tgt_tokens))
        names = [self.tr("embedding") if name == "embedding" else
                 self.tr("layer {n}").format(n=name.split()[-1]) for name in lens.layers]
        self.table.setVerticalHeaderLabels(names)
        self.table.setHorizontalHeaderLabels(list(lens_columns(lens)))
        final = lens.top_ids[-1, :, 0]
        for row, line in enumerate(cells):
            for col, text in enumerate(line):
                item = QTableWidgetItem(text)
                p = float(lens.final_prob[row, col])
                item.setBackground(QBrush(QColor.fromRgbF(1.0 - 0.55 * p, 1.0 - 0.25 * p, 1.0)))
                item.setForeground(QBrush(QColor(20, 20, 20)))
                if lens.top_ids[row, col, 0] == final[col]:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                item.setToolTip(self.tr("probability of the final prediction here: {p}").format(p=f"{p:.3f}"))
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()
        first = lens_first_layer(lens)
        settled = ", ".join(f"{lens.top_tokens[-1][t][0]}: {names[i] if i >= 0 else '–'}"
                            for t, i in enumerate(first))
        self.summary.setText(self.tr("Bold: the layer's top token is already the model's final "
                                     "prediction; colour: the probability it gives that "
                                     "prediction. Settled from: {settled}").format(settled=settled))

    def matrices(self) -> list[Matrix]:
        return [] if self.result is None else lens_matrices(self.result.report)
