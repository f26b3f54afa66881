"""The training panel's "Samples" tab: source, reference and the model's output from the
latest evaluation, with the evaluation's scores above them and Evaluate now beside.

While the window's timeline replays a step the tab shows that step's translations instead
(``show_replay``), written only when the tab can be seen (``widgets.when_shown``): a hidden
tab that missed ten replay frames writes the last one once. Back to live, the last
evaluation's samples come back. The panel feeds it (``take_reports``, ``show_evaluation``,
``clear``) and connects ``evaluate_button``.
"""
from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.texts import Texts
from explorer.widgets.when_shown import WhenShown


class SamplesTab(QWidget):
    """Sample translations of an evaluation (or of a replayed step) in a table.

    Its texts join ``texts``, the panel's: the panel writes its own tooltips over the
    Evaluate button's (a model open for inspection only) after them, in one order.
    """

    def __init__(self, texts: Texts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.evaluation: tuple | None = None  # (step, loss, accuracy, bleu, chrf) of the samples
        self._live: tuple = ()  # the last evaluation's samples (shown again after a replay)
        self.replay_step: int | None = None
        self._when_shown = WhenShown(self)  # a replay frame's samples
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        texts.add(lambda: self.table.setHorizontalHeaderLabels(
            [self.tr("source"), self.tr("reference"), self.tr("current output")]))
        self.evaluate_button = texts.widget(QPushButton(), lambda: self.tr("Evaluate now"), lambda: self.tr(
            "Translate the validation sentences with the model as it is now"))
        row = QHBoxLayout()
        row.addWidget(self.label, 1)
        row.addWidget(self.evaluate_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        texts.add(self.write_label)

    def clear(self) -> None:
        """A new model: no samples, no evaluation yet."""
        self.table.setRowCount(0)
        self._when_shown.cancel()
        self.evaluation = None
        self.write_label()

    def take_reports(self, reports) -> None:
        """Show the samples of the last evaluation among ``reports`` that carries some."""
        r = next((r for r in reversed(reports) if r.valid_loss is not None and r.samples), None)
        if r is not None:
            self.show_evaluation(r.samples, r.step, r.valid_loss, r.valid_accuracy, r.valid_bleu,
                                 r.valid_chrf)

    def show_evaluation(self, samples, step: int, loss: float, accuracy: float, bleu: float,
                        chrf: float) -> None:
        """(source, reference, output) triples of an evaluation; kept, and shown unless a
        replayed step is shown."""
        self._live = tuple(samples)
        self.evaluation = (step, loss, accuracy, bleu, chrf)
        if self.replay_step is None:
            self._when_shown.cancel()
            self.fill(samples)
            self.write_label()

    def show_replay(self, snapshot) -> None:
        """The window's timeline moved: that step's translations (None: live, the last
        evaluation's again), written when the tab is seen."""
        if snapshot is None and self.replay_step is None:
            return
        self.replay_step = None if snapshot is None else snapshot.step
        samples = self._live if snapshot is None else snapshot.samples
        self._when_shown.run(lambda: (self.fill(samples), self.write_label()))

    def fill(self, samples) -> None:
        table = self.table
        table.setRowCount(len(samples))
        for row, triple in enumerate(samples):
            for col, text in enumerate(triple):
                table.setItem(row, col, QTableWidgetItem(text))
        table.resizeRowsToContents()

    def write_label(self) -> None:
        if self.replay_step is not None:
            text = self.tr("Training replay, step {step}: the model's own translations of the traced "
                           "sentences at that moment.").format(step=self.replay_step)
        elif self.evaluation is None:
            text = self.tr("No evaluation yet: sample translations appear after each evaluation.")
        else:
            step, loss, accuracy, bleu, chrf = self.evaluation
            text = self.tr(
                "Evaluation at step {step}: BLEU {bleu:.1f}, chrF {chrf:.1f}, valid loss {loss:.3f}, "
                "token accuracy {accuracy:.1f}%").format(step=step, bleu=bleu, chrf=chrf, loss=loss,
                                                         accuracy=100 * accuracy)
        self.label.setText(text)
