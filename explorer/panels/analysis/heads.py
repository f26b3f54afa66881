"""The Analysis panel's head-importance view: the sweep's table, its progress and Cancel.

The sweep runs in the worker (it switches heads off on the worker's model); a
:class:`SweepChannel` carries its progress back: the worker calls ``report(progress)``
after each head, which emits ``sig_progress`` (queued to the UI thread) and returns False
once Cancel was pressed, which stops the sweep at the next head.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
)

from explorer.panels.analysis.state import KIND_SHORT, METRICS, Matrix, head_at, most_important, sweep_table
from explorer.panels.analysis.views import View, fmt, summary_label


class SweepChannel(QObject):
    """Progress and cancel between the worker thread and the heads view."""

    sig_progress = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cancelled = False

    def report(self, value) -> bool:
        """Called in the worker with each partial result; False once cancelled."""
        self.sig_progress.emit(value)
        return not self.cancelled

    def cancel(self) -> None:
        self.cancelled = True


def cell_color(value: float, metric: str, peak: float) -> QColor:
    """Red where switching the head off hurts (loss or AER up, BLEU down), blue where it helps."""
    if not np.isfinite(value) or peak == 0:
        return QColor(235, 235, 235)
    harm = (-value if metric == "bleu" else value) / peak
    harm = float(np.clip(harm, -1.0, 1.0))
    if harm >= 0:
        return QColor.fromRgbF(1.0, 1.0 - 0.7 * harm, 1.0 - 0.7 * harm)
    return QColor.fromRgbF(1.0 + 0.7 * harm, 1.0 + 0.4 * harm, 1.0)


class HeadsView(View):
    """Layers × heads: how much loss, BLEU or AER change when one head is switched off."""

    sig_run = Signal()
    sig_without = Signal(object)  # tuple of HeadRefs: translate the sentence without them

    def __init__(self) -> None:
        super().__init__()
        self.pairs_spin = QSpinBox(minimum=1, maximum=2000, value=50)
        self.metric_box = QComboBox()
        for metric in METRICS:
            self.metric_box.addItem("", metric)
        self.texts.bind(self.metric_box, {"loss": lambda: self.tr("Δ loss"),
                                          "bleu": lambda: self.tr("Δ BLEU"),
                                          "aer": lambda: self.tr("Δ AER (best cross head)")})
        self.metric_box.activated.connect(lambda _i: self.draw())
        self.run_button = self.texts.widget(QPushButton(), lambda: self.tr("Run sweep"))
        self.cancel_button = self.texts.widget(QPushButton(), lambda: self.tr("Cancel"))
        self.cancel_button.setEnabled(False)
        self.run_button.clicked.connect(self.sig_run)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.bar((lambda: self.tr("Validation pairs:"),
                  lambda: self.tr("How many validation pairs each head is measured on"),
                  self.pairs_spin),
                 (lambda: self.tr("Show:"), lambda: self.tr("Which change the table shows"),
                  self.metric_box)).addStretch(1)
        self.bar((None, lambda: self.tr("Switch each head off in turn and measure (in the "
                                        "worker; training waits meanwhile)"), self.run_button),
                 (None, lambda: self.tr("Stop the sweep after the head being measured"),
                  self.cancel_button),
                 (None, None, self.progress))
        self.option(self.pairs_spin, "pairs")
        self.table = QTableWidget()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.box.addWidget(self.table, 1)
        self.summary = summary_label()
        self.box.addWidget(self.summary)
        self.without_button = self.texts.widget(
            QPushButton(), lambda: self.tr("Translate the sentence without the selected heads"))
        self.without_button.clicked.connect(self._on_without)
        self.without_label = summary_label()
        row = self.bar((None, None, self.without_button))
        row.addWidget(self.without_label, 1)
        self.channel: SweepChannel | None = None
        self.texts.add(self.draw)

    # -- running -------------------------------------------------------------------------
    def start(self) -> SweepChannel:
        """A new channel for a sweep about to be asked for; the buttons say it runs."""
        if self.channel is not None:
            self.channel.cancel()
        self.channel = SweepChannel(self)
        self.channel.sig_progress.connect(self._on_progress)
        self.cancel_button.clicked.connect(self.channel.cancel)
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)
        return self.channel

    def finish(self) -> None:
        """The sweep ended (done, cancelled or failed)."""
        if self.channel is not None:
            self.channel.cancel()  # a sweep whose answer is no longer wanted stops
            self.cancel_button.clicked.disconnect(self.channel.cancel)
        self.channel = None
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def _on_progress(self, result) -> None:
        """A partial sweep (every head measured so far): shown as it grows."""
        if self.sender() is not self.channel:
            return
        self.progress.setRange(0, result.report.total)
        self.progress.setValue(result.report.done)
        self.show_result(result)

    def set_options(self, options: dict) -> None:
        self.pairs_spin.setValue(int(options["pairs"]))

    def table_matrix(self) -> Matrix | None:
        if self.result is None or self.result.report is None or self.result.report.base is None:
            return None
        return sweep_table(self.result, self.metric_box.currentData())

    # -- drawing -------------------------------------------------------------------------
    def draw(self) -> None:
        m = self.table_matrix()
        if m is None:
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            self.summary.setText(self.tr("Run the sweep: each head is switched off alone and the "
                                         "model measured on the validation pairs."))
            return
        metric = self.metric_box.currentData()
        self.table.setRowCount(len(m.rows))
        self.table.setColumnCount(len(m.cols))
        self.table.setVerticalHeaderLabels(list(m.rows))
        self.table.setHorizontalHeaderLabels(list(m.cols))
        finite = m.values[np.isfinite(m.values)]
        peak = float(np.abs(finite).max()) if finite.size else 0.0
        for r in range(len(m.rows)):
            for c in range(len(m.cols)):
                value = float(m.values[r, c])
                item = QTableWidgetItem(fmt(value, 3) if np.isfinite(value) else "…")
                item.setBackground(QBrush(cell_color(value, metric, peak)))
                item.setForeground(QBrush(QColor(20, 20, 20)))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        base, res = self.result.report.base, self.result
        text = self.tr("Baseline on {n} pairs: loss {loss}, BLEU {bleu}, best cross AER {aer}. "
                       "Each cell: the change when that head alone is switched off.").format(
            n=res.options["pairs"], loss=fmt(base.loss, 4), bleu=fmt(base.bleu, 3), aer=fmt(base.aer, 3))
        top = most_important(m, metric)
        if top:
            text += " " + self.tr("Costliest to lose: {heads}.").format(
                heads=", ".join(f"{m.rows[r]} {m.cols[c]} ({fmt(v, 3)})" for r, c, v in top))
        if res.cancelled:
            text += " " + self.tr("(Cancelled: {done} of {total} runs measured.)").format(
                done=res.report.done, total=res.report.total)
        self.summary.setText(text)

    def selected_heads(self) -> tuple:
        m = self.table_matrix()
        if m is None:
            return ()
        cells = sorted({(i.row(), i.column()) for i in self.table.selectedIndexes()})
        return tuple(head_at(m, r, c) for r, c in cells)

    def _on_without(self) -> None:
        heads = self.selected_heads()
        if heads:
            self.without_label.setText(self.tr("translating…"))
            self.sig_without.emit(heads)
        else:
            self.without_label.setText(self.tr("Select cells of the table first."))

    def show_without(self, result) -> None:
        heads = ", ".join(f"{KIND_SHORT.get(k, k)} L{layer} H{h}"  # named as the table's rows
                          for k, layer, h in result.options["heads"])
        self.without_label.setText(self.tr("With every head: “{a}”. Without {heads}: “{b}”.").format(
            a=result.translation, heads=heads, b=result.report))

    def matrices(self) -> list[Matrix]:
        if self.table_matrix() is None:
            return []
        return [sweep_table(self.result, metric) for metric in METRICS]
