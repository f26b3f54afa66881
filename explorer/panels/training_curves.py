"""The training panel's Curves tab: loss (the smoothed objective, the readable cross-entropy
and the smoothing floor), validation accuracy, learning rate, gradient norm, BLEU / chrF
and tokens per second, over the whole history of the model; a note above them; a marker at
the step the window's timeline shows; the data as tables for File > Export.

Everything here is fed by the panel (``add_reports``, ``add_evaluation``, ``new_model``,
``show_history``, ``show_run_log``, ``set_marker``); the drawing itself is ``LiveCurves``'.
"""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from explorer.logic.training import curve_table, smoothing_floor
from explorer.texts import Texts
from explorer.widgets.curves import COLOURS, LiveCurves
from explorer.widgets.export import LabeledMatrix

# (name, column of a run log) of the curves with a point at every step, and of those with
# a point at every evaluation; the export's tables follow this order.
STEP_CURVES = (("train loss", "loss"), ("train CE", "ce"), ("lr", "lr"), ("grad norm", "grad_norm"),
               ("tokens/s", "tokens_per_s"))
EVAL_CURVES = (("valid loss", "valid_loss"), ("valid accuracy", "valid_accuracy"),
               ("BLEU", "valid_bleu"), ("chrF", "valid_chrf"))
PLOTS = ("loss", "accuracy", "lr", "grad", "bleu", "speed")


class TrainingCurves(QWidget):
    """A note line above a grid of six plots; see the module docstring."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._note: tuple = ("empty",)  # what the note says: ("empty",), ("run log", name, steps,
        # evaluations), ("model", eval_every, history_starts_now, step)
        self._floor: tuple[float, float, int] | None = None  # (floor, epsilon, vocabulary)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.curves = c = LiveCurves()
        c.add_plot("loss", "", 0, 0, x_axis=False)
        c.add_curve("loss", "train loss", COLOURS["blue"])
        c.add_curve("loss", "train CE", COLOURS["teal"])
        c.add_curve("loss", "valid loss", COLOURS["red"], symbol="o")
        c.add_plot("accuracy", "", 0, 1, x_axis=False, y_range=(0.0, 1.0))
        c.add_curve("accuracy", "valid accuracy", COLOURS["green"], symbol="o")
        c.add_plot("lr", "", 1, 0, x_axis=False)
        c.add_curve("lr", "lr", COLOURS["purple"])
        c.add_plot("grad", "", 1, 1, x_axis=False)
        c.add_curve("grad", "grad norm", COLOURS["brown"])
        c.add_plot("bleu", "", 2, 0)
        c.add_curve("bleu", "BLEU", COLOURS["orange"], symbol="o")
        c.add_curve("bleu", "chrF", COLOURS["teal"], symbol="t")
        c.add_plot("speed", "", 2, 1)
        c.add_curve("speed", "tokens/s", COLOURS["grey"])
        floor_pen = pg.mkPen(COLOURS["blue"], width=1, style=Qt.PenStyle.DashLine)
        self.floor_line = pg.InfiniteLine(angle=0, movable=False, pen=floor_pen)
        self.floor_line.setVisible(False)
        c.plot("loss").addItem(self.floor_line, ignoreBounds=True)
        # named in the legend (a label on the line, under it at the right end, was cut off
        # by the bottom of a small plot and lay over the curves of a taller one)
        self.floor_key = pg.PlotDataItem(pen=floor_pen)  # no points: only its legend entry
        c.plot("loss").addItem(self.floor_key)
        self.markers = []  # one vertical line per plot at the step the timeline shows
        for key in PLOTS:
            line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen(COLOURS["orange"], width=2))
            line.setVisible(False)
            c.plot(key).addItem(line, ignoreBounds=True)
            self.markers.append(line)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.note)
        layout.addWidget(c, 1)

        t = self.texts = Texts(self)
        for key, title in (("loss", lambda: self.tr("loss (nats)")),
                           ("accuracy", lambda: self.tr("valid token accuracy")),
                           ("lr", lambda: self.tr("learning rate")),
                           ("grad", lambda: self.tr("gradient norm (before clipping)")),
                           ("bleu", lambda: self.tr("valid BLEU / chrF")),
                           ("speed", lambda: self.tr("tokens per second"))):
            t.bind(lambda text, k=key: c.set_title(k, text), title)
        for name, label in (("train loss", lambda: self.tr("train loss (smoothed)")),
                            ("train CE", lambda: self.tr("train cross-entropy")),
                            ("valid loss", lambda: self.tr("valid loss (smoothed)")),
                            ("valid accuracy", lambda: self.tr("valid accuracy")),
                            ("lr", lambda: self.tr("lr")), ("grad norm", lambda: self.tr("grad norm")),
                            ("BLEU", lambda: "BLEU"), ("chrF", lambda: "chrF"),
                            ("tokens/s", lambda: self.tr("tokens/s"))):
            t.bind(lambda text, n=name: c.set_label(n, text), label)
        t.add(self._write_floor)
        t.add(self._write_note)

    # -- what comes in ---------------------------------------------------------------------
    def new_model(self, info, has_history: bool) -> None:
        """A new model: forget the old curves and their ranges; start the step axis at the
        model's step with what its checkpoint recorded there; the smoothing floor of its
        training objective. Without a recorded history, the note says it starts now."""
        self.curves.clear_data()
        step = info.step
        self.curves.start_at(step)
        metrics = info.metrics or {}
        for name, key in (("train loss", "train_loss"), ("valid loss", "valid_loss"),
                          ("BLEU", "valid_bleu")):
            if key in metrics:
                self.curves.append(name, step, metrics[key])
        self.curves.refresh()
        epsilon = info.train_config.label_smoothing
        vocab = info.model_config.tgt_vocab
        self._floor = (smoothing_floor(epsilon, vocab), epsilon, vocab) if epsilon > 0 else None
        self._write_floor()
        self._note = ("model", info.train_config.eval_every, not has_history and step > 0, step)
        self._write_note()

    def show_history(self, reports) -> None:
        """A loaded model's recorded history: the curves from its first step."""
        self.curves.clear_data()
        if reports:
            self.curves.start_at(max(reports[0].step - 1, 0))
            self.add_reports(reports)
        if self._note[0] == "model":
            self._note = self._note[:2] + (False,) + self._note[3:]
            self._write_note()

    def add_reports(self, batch) -> None:
        """Step reports (some with an evaluation): their points; drawn at the next refresh."""
        steps = [r.step for r in batch]
        c = self.curves
        c.append("train loss", steps, [r.loss for r in batch])
        c.append("train CE", steps, [r.ce for r in batch])
        c.append("lr", steps, [r.lr for r in batch])
        c.append("grad norm", steps, [r.grad_norm for r in batch])
        c.append("tokens/s", steps, [r.tokens_per_s for r in batch])
        evals = [r for r in batch if r.valid_loss is not None]
        if evals:
            self.add_evaluation([r.step for r in evals], [r.valid_loss for r in evals],
                                [r.valid_accuracy for r in evals], [r.valid_bleu for r in evals],
                                [r.valid_chrf for r in evals])

    def add_evaluation(self, step, loss, accuracy, bleu, chrf) -> None:
        """Validation points (scalars or sequences)."""
        c = self.curves
        c.append("valid loss", step, loss)
        c.append("valid accuracy", step, accuracy)
        c.append("BLEU", step, bleu)
        c.append("chrF", step, chrf)

    def show_run_log(self, log) -> None:
        """Draw the curves of a run log (``model.runlog.RunLogData``) instead of the current
        ones, until the next model."""
        c = self.curves
        c.clear_data()
        steps, evals = log.steps, log.evals
        for name, key in STEP_CURVES:
            if key in steps:
                c.append(name, steps["step"], steps[key])
        for name, key in EVAL_CURVES:
            c.append(name, evals["step"], evals[key])
        c.refresh()
        self._note = ("run log", log.path.name, len(steps["step"]), len(evals["step"]))
        self._write_note()

    def refresh(self, max_plots: int | None = None) -> bool:
        return self.curves.refresh(max_plots)

    def set_marker(self, step: int | None) -> None:
        """A vertical line at ``step`` on every plot (None: no line, live)."""
        for line in self.markers:
            line.setVisible(step is not None)
            if step is not None:
                line.setValue(step)

    # -- texts -----------------------------------------------------------------------------
    def floor_text(self) -> str | None:
        """The smoothing floor's entry in the loss legend (None: no floor shown)."""
        label = self.curves.legend("loss").getLabel(self.floor_key)
        return label.text if label is not None else None

    def _write_floor(self) -> None:
        line = self.floor_line
        line.setVisible(self._floor is not None)
        legend = self.curves.legend("loss")
        label = legend.getLabel(self.floor_key)
        if self._floor is None:
            if label is not None:
                legend.removeItem(self.floor_key)
            self.curves.plot("loss").setToolTip("")
            return
        floor, epsilon, vocab = self._floor
        line.setValue(floor)
        text = self.tr("smoothing floor {floor:.2f}").format(floor=floor)
        if label is None:
            legend.addItem(self.floor_key, text)
        elif label.text != text:  # the entry kept: making one is most of a new model's cost here
            label.setText(text)
            legend.reflow()
        self.curves.plot("loss").setToolTip(self.tr(
            "Dashed: the least loss label smoothing {epsilon:g} allows over {vocab} tokens; "
            "the cross-entropy has no such floor").format(epsilon=epsilon, vocab=vocab))

    def _write_note(self) -> None:
        kind = self._note[0]
        if kind == "run log":
            _, name, n_steps, n_evals = self._note
            self.note.setText(self.tr(
                "Run log {name}: {steps} steps, {evals} evaluations (loading or building a model "
                "shows its own curves again)").format(name=name, steps=n_steps, evals=n_evals))
            return
        if kind == "empty":
            self.note.setText("")
            return
        _, every, starts_now, step = self._note
        note = (self.tr("Validation points come every {every} steps").format(every=every) if every
                else self.tr("Validation is off while training"))
        note += self.tr("; “Evaluate now” on the Samples tab adds one at the current step.")
        if starts_now:
            note = self.tr("This model carries no training history: its curves start now, at "
                           "step {step}. ").format(step=step) + note
        self.note.setText(note)

    # -- export ----------------------------------------------------------------------------
    def matrices(self) -> list[LabeledMatrix]:
        """The curves' data: one table of the per-step curves and one of the evaluations,
        a row per step (NaN where a curve has no point), columns named as in the legends."""
        out = []
        for name, curves in (("training.steps", STEP_CURVES), ("training.evaluations", EVAL_CURVES)):
            names = [n for n, _ in curves]
            steps, values = curve_table({n: self.curves.data(n) for n in names}, names)
            if len(steps):
                out.append(LabeledMatrix(name, values, tuple(f"{s:g}" for s in steps),
                                         tuple(self.curves.label(n) for n in names)))
        return out
