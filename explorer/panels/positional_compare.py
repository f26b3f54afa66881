"""The positional panel's "Compare" tab: small models that differ only in their encoding,
trained in a background job (``explorer.logic.positional.comparison``), their loss curves,
and whether the model without positions tells two word orders apart."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.jobs import Job
from explorer.logic.positional import (
    PositionalState,
    comparison,
    comparison_model_fields,
    finished_kinds,
    loss_matrix,
)
from explorer.panels.positional_tabs import Tab
from explorer.widgets.export import LabeledMatrix
from explorer.widgets.position_table import PALETTE, label_plot, line_plot
from model import compare

KIND_COLORS = dict(zip(compare.KINDS, PALETTE))


class CompareTab(Tab):
    """Train one model per encoding and compare their losses and their order blindness."""

    def __init__(self, state: PositionalState) -> None:
        super().__init__(state)
        self.job: Job | None = None
        self._loss_items: dict[str, pg.PlotDataItem] = {}
        self.steps_spin = QSpinBox(minimum=1, maximum=100_000, value=state.steps)
        self.size_combo = QComboBox()  # as narrow as "small (D 64, …": its list shows the whole names
        self.size_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.size_combo.setMinimumContentsLength(14)
        self.size_combo.addItem("", "small")
        self.size_combo.addItem("", "loaded")
        self.texts.bind(self.size_combo, {"small": lambda: self.tr("small (D 64, 2 layers, d_ff 256)"),
                                          "loaded": lambda: self.tr("as the loaded model")})
        self.run_button = self.texts.widget(QPushButton(), lambda: self.tr("Train and compare"), tip=lambda: self.tr(
            "Train one model per encoding on the loaded corpus in the background"))
        self.run_button.clicked.connect(self._on_run_clicked)
        self.cancel_button = self.texts.widget(QPushButton(), lambda: self.tr("Cancel"),
                                               tip=lambda: self.tr("Stop the comparison; finished curves stay"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.texts.bind(self.progress.setFormat, lambda: self.tr("%v / %m steps"))
        row = self.bar((lambda: self.tr("steps per model"), lambda: self.tr("Training steps for each of the four models"),
                        self.steps_spin),
                       (lambda: self.tr("size"),
                        lambda: self.tr("The shape of the compared models: small and fast, or the loaded model's"),
                        self.size_combo))
        row.addWidget(self.run_button)
        row.addWidget(self.cancel_button)
        row.setStretchFactor(self.size_combo, 1)  # whole names where the dock is wide enough
        # the progress bar has a row of its own: in one row they were 720 px wide
        self.compare_note = QLabel()
        self.compare_note.setWordWrap(True)
        self.loss_plot = line_plot()
        self.texts.add(lambda: label_plot(self.loss_plot, self.tr("training loss"), self.tr("step"), self.tr("loss")))
        self.order_note = QLabel(" ")
        self.order_note.setWordWrap(True)
        self.order_table = QTableWidget(0, 5)
        self.order_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.order_table.verticalHeader().setVisible(False)
        self.texts.add(lambda: self.order_table.setHorizontalHeaderLabels(
            [self.tr("encoding"), self.tr("translation of A"), self.tr("translation of B"), self.tr("encoder gap"),
             self.tr("decoder logit gap")]))
        self.texts.bind(self.order_table.setToolTip, lambda: self.tr(
            "encoder gap: max |enc(B) − enc(A) reordered like B|; 0 means the encoder only moved its "
            "outputs with the words.\nlogit gap: max difference of the decoder's scores for A and B "
            "(same target); 0 means the decoder cannot tell A from B."))
        lower = QWidget()
        lower_box = QVBoxLayout(lower)
        lower_box.setContentsMargins(0, 0, 0, 0)
        lower_box.addWidget(self.order_note)
        lower_box.addWidget(self.order_table, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.loss_plot)
        split.addWidget(lower)
        self.box.addWidget(self.progress)
        self.box.addWidget(self.compare_note)
        self.box.addWidget(split, 1)
        self.texts.add(self._write_texts)
        self.texts.add(self._name_kinds)

    def kind_name(self, kind: str) -> str:
        """An encoding's name in the interface language (legend, table, result)."""
        return {"none": self.tr("none"), "sinusoidal": self.tr("sinusoidal"),
                "learned": self.tr("learned"), "rotary": self.tr("rotary (RoPE)")}.get(kind, kind)

    def _name_kinds(self) -> None:
        """The legend's and the table's encoding names, again after a language change."""
        legend = self.loss_plot.getPlotItem().legend
        for kind, item in self._loss_items.items():
            label = legend.getLabel(item) if legend is not None else None
            if label is not None:
                label.setText(self.kind_name(kind))
        for row in range(self.order_table.rowCount()):
            cell = self.order_table.item(row, 0)
            if cell is not None and cell.data(Qt.ItemDataRole.UserRole):
                cell.setText(self.kind_name(cell.data(Qt.ItemDataRole.UserRole)))

    @property
    def running(self) -> bool:
        return self.job is not None and self.job.running

    @Slot()
    def _on_run_clicked(self) -> None:
        s = self.state
        if s.corpus is None or s.model_config is None:
            self._set_status("no model")
            return
        self.run(self.steps_spin.value())

    def run(self, steps: int, kinds=compare.KINDS, corpus=None, model_config=None, train_cfg=None,
            tokenizer: str | None = None) -> None:
        """Train one model per encoding in a background job (defaults: the loaded corpus,
        the chosen size and the loaded training settings) and draw their loss curves."""
        if self.running:
            return
        s = self.state
        s.size = self.size_combo.currentData()
        corpus = corpus if corpus is not None else s.corpus
        model_config = model_config if model_config is not None else comparison_model_fields(s.model_config, s.size)
        train_cfg = train_cfg if train_cfg is not None else s.train_config
        if train_cfg is not None:
            train_cfg = train_cfg.replace(eval_every=0, snapshot_every=0)
        s.example = compare.order_example(corpus.split("train"))
        s.curves, s.order_checks, s.kinds, s.steps = {kind: [] for kind in kinds}, {}, tuple(kinds), steps
        self.loss_plot.clear()
        self._loss_items = {kind: self.loss_plot.plot([], [], name=self.kind_name(kind),
                                                      pen=pg.mkPen(KIND_COLORS[kind], width=2))
                            for kind in kinds}
        self.order_table.setRowCount(0)
        self.progress.setRange(0, steps * len(kinds))
        self.progress.setValue(0)
        args = (corpus, tuple(kinds), steps, model_config, train_cfg, tokenizer or s.tokenizer_kind, s.example[:2])
        self.job = Job(comparison, args, owner=self)
        self.job.sig_progress.connect(self._on_progress)
        self.job.sig_done.connect(self._on_done)
        self.job.sig_cancelled.connect(self._on_cancelled)
        self.job.sig_failed.connect(self._on_failed)
        self.job.sig_finished.connect(self._on_finished)
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self._set_status("training")
        self.job.start()

    @Slot()
    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def wait(self, timeout_ms: int = 30_000) -> None:
        if self.job is not None:
            self.job.wait(timeout_ms)

    def _set_status(self, *status) -> None:
        self.state.status = status
        self._write_texts()

    def _write_texts(self) -> None:
        """The comparison's note (what it does, how far it is, what it found) and its order test."""
        kind, *args = self.state.status
        if kind == "no model":
            text = self.tr("Load a model and corpus first (Training panel).")
        elif kind == "training":
            text = self.tr("Training…")
        elif kind == "failed":
            text = self.tr("Comparison failed: {error}").format(error=args[0])
        elif kind == "done":
            text = self._result()
        else:
            text = self.tr("Trains one model per encoding (none, sinusoidal, learned, rotary) on the loaded "
                      "corpus, from the same seed and batches.")
        self.compare_note.setText(text)
        if self.state.example is None:
            self.order_note.setText(" ")
            return
        sentence, reordered, ref_a, ref_b = self.state.example
        if ref_a is not None:
            text = self.tr("Order test, two corpus sentences with the same words in another order:<br>"
                      "A: <b>{a}</b> → reference: {ref_a}<br>B: <b>{b}</b> → reference: {ref_b}")
        else:
            text = self.tr("Order test (no two corpus sentences have the same words in another order, so B "
                      "is A reordered by hand; it has no reference):<br>"
                      "A: <b>{a}</b> → reference: {ref_a}<br>B: <b>{b}</b>")
        self.order_note.setText(text.format(a=sentence, b=reordered, ref_a=ref_a, ref_b=ref_b))

    def _result(self) -> str:
        """What a finished (or cancelled) comparison found: final losses, and whether the model
        without positions told A from B."""
        s = self.state
        finished = finished_kinds(s)
        last = ", ".join(f"{self.kind_name(k)} {s.curves[k][-1]:.3f}" for k in finished) or "—"
        blind = s.order_checks.get("none")
        verdict = ""
        if blind is not None and blind.translation == blind.reordered_translation:
            verdict = self.tr(" Without positions the model gives the same translation for A and B "
                         "(logit gap {gap:.2g}).").format(gap=blind.logit_gap)
        elif blind is not None:
            verdict = self.tr(" Without positions the model gives different translations for A and B "
                         "(logit gap {gap:.2g}).").format(gap=blind.logit_gap)
        if len(finished) < len(s.kinds):
            return self.tr("Cancelled. Final loss: {losses}.{verdict}").format(losses=last, verdict=verdict)
        return self.tr("Final loss: {losses}.{verdict}").format(losses=last, verdict=verdict)

    @Slot(object)
    def _on_progress(self, event) -> None:
        if event[0] == "order":
            self._add_order_check(event[1])
            return
        _, kind, step, loss = event
        losses = self.state.curves[kind]
        losses.append(loss)
        if step % 10 == 0 or step == self.state.steps:  # a redraw every ten steps is enough
            self._loss_items[kind].setData(np.arange(1, len(losses) + 1), losses)
        self.progress.setValue(self.state.kinds.index(kind) * self.state.steps + step)

    def _add_order_check(self, check) -> None:
        self.state.order_checks[check.kind] = check
        row = self.order_table.rowCount()
        self.order_table.insertRow(row)
        cells = (self.kind_name(check.kind), check.translation, check.reordered_translation,
                 f"{check.encoder_gap:.2g}", f"{check.logit_gap:.2g}")
        for col, text in enumerate(cells):
            self.order_table.setItem(row, col, QTableWidgetItem(text))
        self.order_table.item(row, 0).setData(Qt.ItemDataRole.UserRole, check.kind)

    @Slot(object)
    def _on_done(self, curves) -> None:
        self.state.curves = {kind: list(losses) for kind, losses in curves.items()}
        for kind, losses in self.state.curves.items():
            self._loss_items[kind].setData(np.arange(1, len(losses) + 1), losses)
        self._set_status("done")

    @Slot()
    def _on_cancelled(self) -> None:
        self.state.curves = {kind: losses for kind, losses in self.state.curves.items() if losses}
        self._set_status("done")  # says "Cancelled" and the losses so far

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._set_status("failed", message)

    @Slot()
    def _on_finished(self) -> None:
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def matrices(self) -> list[LabeledMatrix]:
        values = loss_matrix(self.state.curves)
        if values is None:
            return []
        steps = tuple(f"step{i + 1}" for i in range(values.shape[1]))
        return [LabeledMatrix("loss", values, tuple(self.state.curves), steps)]
