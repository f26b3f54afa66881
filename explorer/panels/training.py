"""The training panel: train, and watch the numbers move.

The transport on top: Play/Pause (Space), Step (→), Step N with its Cancel, Reset, a fixed
learning rate, and a progress bar towards a target step. Below, four tabs:

- Curves (``training_curves.py``): the smoothed training objective beside the readable
  cross-entropy and the smoothing floor, validation loss and token accuracy, learning
  rate, gradient norm, BLEU and chrF, tokens per second, over the model's whole history.
- Samples (``training_samples.py``): source, reference and the model's current output from
  the latest evaluation (while the window's timeline replays a step: that step's translations).
- Slow motion (``training_slow.py``): one training step taken apart.
- Data and model (``training_setup.py``): corpus, tokenizer, model shape, device, Rebuild.

Space and → reach training whatever has focus in the window (``widgets.window_keys``),
except in a text field where they mean text; Esc leaves such a field. What the keys do and the
control → config mapping are Qt-free (``explorer/logic/training.py``).

Everything drawn comes from the Session's reports. While playing, the curves redraw at
most PLAYING_REDRAW_MS apart (points still arrive for every step), one plot at a time
PLOT_TURN_MS apart, so that no single redraw holds up the window; when stepping, at once.
Texts are declared where their widget is made (``explorer.texts.Texts``).
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.i18n import tr
from explorer.logic.training import TARGET_STEPS, next_target, rebuild_tokenizer, transport_key
from explorer.panels.base import Panel
from explorer.panels.training_curves import TrainingCurves
from explorer.panels.training_samples import SamplesTab
from explorer.panels.training_setup import SetupBox
from explorer.panels.training_slow import SlowMotionView
from explorer.texts import Texts
from explorer.widgets.paint_later import paint_later
from explorer.widgets.window_keys import WindowKeys

PLAYING_REDRAW_MS = 500  # curves redraw at most twice a second while playing (drawing costs CPU)
PLOT_TURN_MS = 40  # while playing, one plot is redrawn at a time, this far apart
KEYS = {Qt.Key.Key_Space: "space", Qt.Key.Key_Right: "right"}  # the keys of training


def ask_discard(parent: QWidget, session, action: str) -> bool:
    """True when there is no unsaved training or the user agrees to lose it.

    ``action`` names what would discard it, in the interface language ("Reset").
    """
    if session.unsaved_steps == 0:
        return True
    answer = QMessageBox.question(
        parent, tr("Discard training?"),
        tr("{action} discards {steps} training steps that were not saved. Go on?").format(
            action=action, steps=session.unsaved_steps),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


class TrainingPanel(Panel):
    """Transport controls, live curves, samples, slow motion, data and model."""

    title = "Training"
    TAB_NAMES = ("curves", "samples", "slow", "setup")

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self._info = None  # the session's ModelInfo
        self._busy = False
        self._busy_message = ""
        self._latest = None
        self._stepping_until: int | None = None  # the last step of a Step N under way
        self._towards_target = False  # Play has trained this model towards the target
        self._redraw = QTimer(self, singleShot=True)
        self._redraw.timeout.connect(self._on_redraw)
        t = self.texts = Texts(self)

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        # A pale yellow note: dark text on it in either theme.
        self.banner.setStyleSheet("background: #fff3cd; color: #3d3000; padding: 4px; border-radius: 3px")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.banner)
        layout.addLayout(self._build_transport())
        self.tabs = QTabWidget()
        self.curve_tab = TrainingCurves()
        self.curves, self.curves_note = self.curve_tab.curves, self.curve_tab.note
        self.replay_markers = self.curve_tab.markers
        self.samples = SamplesTab(t)
        self.samples_table, self.samples_label = self.samples.table, self.samples.label
        self.evaluate_button = self.samples.evaluate_button
        self.evaluate_button.clicked.connect(self._on_evaluate)
        self.slow = SlowMotionView()
        self.slow.run_button.clicked.connect(self._on_slow)
        self.setup = SetupBox()
        self.setup.sig_rebuild.connect(self._on_rebuild)
        self.setup.sig_device.connect(lambda device: self.session.set_device(device))
        for i, (page, title) in enumerate(((self.curve_tab, lambda: self.tr("Curves")),
                                           (self.samples, lambda: self.tr("Samples")),
                                           (self.slow, lambda: self.tr("Slow motion")),
                                           (self.setup, lambda: self.tr("Data and model")))):
            self.tabs.addTab(page, "")
            t.bind(lambda text, i=i: self.tabs.setTabText(i, text), title)
        layout.addWidget(self.tabs, 1)
        self.keys = WindowKeys(self, self._key, repeat=(Qt.Key.Key_Right,))
        for write in (self._show_play_state, self._show_banner,
                      self._show_status, self._show_inspection_tips):  # tips last: over the others
            t.add(write)

        s = session
        s.sig_steps.connect(self._on_steps)
        s.sig_step.connect(self._on_step)
        s.sig_model_changed.connect(self._on_model_changed)
        s.sig_state.connect(self._on_state)
        s.sig_busy.connect(self._on_busy)
        s.sig_error.connect(lambda *_: self._stepping_done())
        s.sig_history.connect(self._on_history)
        s.sig_replay.connect(self._on_replay)
        self._refresh_controls()
        if s.has_model:
            self._on_model_changed(s.info)
            if s.history:
                self._on_history(tuple(s.history))
                self._on_step(s.history[-1])

    # -- layout ------------------------------------------------------------------------
    def _build_transport(self) -> QVBoxLayout:
        t = self.texts
        play_tip = lambda: self.tr("Train continuously / pause (Space)")  # noqa: E731
        step_tip = lambda: self.tr("One training step (Right arrow)")  # noqa: E731
        # Actions without shortcuts: the keys come through TransportKeys.
        self.play_action = t.widget(QAction(self), tip=play_tip)
        self.play_action.triggered.connect(self._on_play_pause)
        self.step_action = t.widget(QAction(self), lambda: self.tr("Step"), step_tip)
        self.step_action.triggered.connect(self._on_step_one)
        self.play_button = t.widget(QPushButton(), tip=play_tip)
        self.play_button.clicked.connect(self.play_action.trigger)
        self.step_button = t.widget(QPushButton(), lambda: self.tr("Step"), step_tip)
        self.step_button.clicked.connect(self.step_action.trigger)
        self.step_n_spin = t.widget(QSpinBox(minimum=1, maximum=1_000_000, value=100),
                                    tip=lambda: self.tr("How many steps “Step N” takes"))
        self.step_n_button = t.widget(QPushButton(), lambda: self.tr("Step N"),
                                      lambda: self.tr("Take that many training steps"))
        self.step_n_button.clicked.connect(self._on_step_n)
        self.cancel_button = t.widget(QPushButton(), lambda: self.tr("Cancel"),
                                      lambda: self.tr("Stop the steps of “Step N” not taken yet (Space)"))
        self.cancel_button.clicked.connect(self._on_cancel)
        self.reset_button = t.widget(QPushButton(), lambda: self.tr("Reset"),
                                     lambda: self.tr("Fresh random weights, step 0"))
        self.reset_button.clicked.connect(self._on_reset)
        self.lr_check = t.widget(QCheckBox(), lambda: self.tr("Fixed lr"),
                                 lambda: self.tr("Unticked: the schedule sets the learning rate"))
        self.lr_spin = t.widget(QDoubleSpinBox(decimals=6, minimum=1e-6, maximum=1.0, value=1e-3),
                                tip=lambda: self.tr("The learning rate: the schedule's while “Fixed lr” is unticked"))
        self.lr_spin.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
        self.lr_check.toggled.connect(self._on_lr)
        self.lr_spin.editingFinished.connect(self._on_lr)
        self.target_label = t.widget(QLabel(), lambda: self.tr("Target"))
        self.target_spin = t.widget(QSpinBox(minimum=1, maximum=10_000_000, value=TARGET_STEPS, singleStep=100),
                                    tip=lambda: self.tr("Play stops at this step"))
        self.target_spin.valueChanged.connect(self._update_progress)
        self.progress = t.widget(QProgressBar(), tip=lambda: self.tr(
            "The model's step; once Play trains towards the target, the steps towards it"))
        t.add(self._update_progress)
        self.status_label = QLabel()
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        row1 = QHBoxLayout()
        for w in (self.play_button, self.step_button, self.step_n_spin, self.step_n_button,
                  self.cancel_button, self.reset_button):
            row1.addWidget(w)
        row1.addStretch(1)
        row2 = QHBoxLayout()  # the learning rate here: row 1 fits the dock of a 1,366-pixel window
        for w in (self.target_label, self.target_spin, self.lr_check, self.lr_spin):
            row2.addWidget(w)
        row2.addWidget(self.progress, 1)
        form = QVBoxLayout()
        form.addLayout(row1)
        form.addLayout(row2)
        form.addWidget(self.status_label)
        return form

    def _inspection_only(self) -> bool:
        """The model is open without its training corpus (it could not be read)."""
        return bool(self._info and self._info.corpus_error)

    def _training_controls(self) -> tuple:
        """The controls that train or need the training corpus."""
        return (self.play_button, self.step_button, self.step_n_button, self.reset_button,
                self.evaluate_button, self.slow.run_button)

    def _refresh_controls(self) -> None:
        """Enable what makes sense now: nothing without a model or while busy; while
        playing only Pause, the learning rate and Evaluate now; while a Step N runs, Cancel;
        on a model open for inspection only, nothing that trains or reads the corpus."""
        ready = bool(self._info) and not self._busy
        trainable = ready and not self._inspection_only()
        stepping = self._stepping_until is not None
        idle = ready and self.session.state != "playing" and not stepping
        for w in (self.play_button, self.evaluate_button):
            w.setEnabled(trainable)
        self.lr_check.setEnabled(ready)
        for w in (self.step_button, self.step_n_button, self.reset_button, self.slow.run_button):
            w.setEnabled(idle and trainable)
        for w in (self.setup.rebuild_button, self.setup.device_combo):
            w.setEnabled(idle)
        self.cancel_button.setEnabled(ready and stepping)
        self.lr_spin.setEnabled(ready and self.lr_check.isChecked())
        self.play_action.setEnabled(trainable)
        self.step_action.setEnabled(idle and trainable)

    def _show_inspection_tips(self) -> None:
        """On a model open for inspection only, the training controls' tooltips say why
        they are off (the usual tooltips come back with the next model)."""
        if not self._inspection_only():
            return
        tip = self.tr("Off: the training corpus {corpus} of this model could not be read "
                      "({error}), so the model is open for inspection only. To train it, put "
                      "the corpus where the checkpoint names it and open the checkpoint "
                      "again.").format(corpus=self._info.corpus_spec, error=self._info.corpus_error)
        for w in self._training_controls():
            w.setToolTip(tip)

    # -- keys --------------------------------------------------------------------------------
    def _key(self, key: int, typing: bool):
        """What Space or → does now, wherever focus is (see ``logic.training.transport_key``):
        the slot to call, or None to leave the key to the focused widget."""
        ready = bool(self._info) and not self._busy and not self._inspection_only()
        action = transport_key(KEYS.get(key, ""), typing, ready=ready,
                               playing=self.session.state == "playing",
                               stepping=self._stepping_until is not None)
        return {"play_pause": self._on_play_pause, "step": self._on_step_one,
                "cancel": self._on_cancel}.get(action)

    # -- user actions ----------------------------------------------------------------------
    @Slot()
    def _on_play_pause(self) -> None:
        if self.session.state == "playing":
            self.session.pause()
        else:
            step = self._current_step()
            if self.target_spin.value() <= step:  # reached: Play goes on to the next target
                self.target_spin.setValue(next_target(step))
            self._towards_target = True
            self._update_progress()
            self.session.play(until=self.target_spin.value())

    @Slot()
    def _on_step_one(self) -> None:
        self.session.step(1)

    @Slot()
    def _on_step_n(self) -> None:
        n = self.step_n_spin.value()
        self._stepping_until = self._current_step() + n
        self._refresh_controls()
        self.session.step(n)

    @Slot()
    def _on_cancel(self) -> None:
        """Stop the steps of a Step N not taken yet (the one under way finishes)."""
        if self._stepping_until is not None:
            self.session.pause()
            self._stepping_done()

    def _stepping_done(self) -> None:
        if self._stepping_until is not None:
            self._stepping_until = None
            self._refresh_controls()

    @Slot()
    def _on_slow(self) -> None:
        self.session.step_slow().then(self._on_detail)

    @Slot()
    def _on_reset(self) -> None:
        if ask_discard(self, self.session, self.tr("Reset")):
            self.session.reset()

    @Slot()
    def _on_lr(self) -> None:
        self._refresh_controls()
        self.session.set_lr(self.lr_spin.value() if self.lr_check.isChecked() else None)

    @Slot()
    def _on_rebuild(self) -> None:
        choice = self.setup.choice()
        try:
            tokenizer = rebuild_tokenizer(choice.tokenizer)
        except ValueError:
            QMessageBox.warning(self, self.tr("Tokens"), self.tr(
                "SentencePiece pieces come with a pretrained model and cannot be trained here: "
                "choose words, characters or BPE subwords to rebuild."))
            return
        try:
            model_config = choice.model_config(self._info.model_config)
        except ValueError as exc:
            QMessageBox.warning(self, self.tr("Model config"), str(exc))
            return
        if not ask_discard(self, self.session, self.tr("Rebuilding the model")):
            return
        self.session.rebuild(model_config, choice.train_config(self._info.train_config),
                             tokenizer=tokenizer, corpus=choice.corpus)

    # -- reports -------------------------------------------------------------------------
    @Slot(object)
    def _on_model_changed(self, info) -> None:
        was_inspecting = self._inspection_only()
        self._info = info
        if self._inspection_only():
            self._show_inspection_tips()
        elif was_inspecting:
            self.texts.refresh()  # the usual tooltips again (the samples tab's too)
            self.slow.texts.refresh()
        self.banner.setVisible(False)
        self.setup.show_model(info)
        if info.new_model:
            self._stepping_until = None
            self._towards_target = False
            if self.target_spin.value() <= info.step:  # e.g. a checkpoint trained further
                self.target_spin.setValue(next_target(info.step))
            paint_later(self.curve_tab.curves)  # after the window's repaint of the other panels
            self.curve_tab.new_model(info, has_history=False)  # the history, if any, follows
            self._latest = None
            self.samples.clear()
            self.lr_check.setChecked(False)
            self.lr_spin.setValue(info.lr)
        self._refresh_controls()
        self._update_progress()
        self._show_status()

    @Slot(object)
    def _on_steps(self, batch) -> None:
        self.curve_tab.add_reports(batch)
        self.samples.take_reports(batch)
        if self._stepping_until is not None and batch[-1].step >= self._stepping_until:
            self._stepping_done()
        if not self._redraw.isActive():
            self._redraw.start(PLAYING_REDRAW_MS if self.session.state == "playing" else 0)

    @Slot(object)
    def _on_step(self, report) -> None:
        self._latest = report
        if not self.lr_check.isChecked():
            self.lr_spin.setValue(report.lr)  # shows the schedule; ticking "Fixed lr" keeps it
        self._update_progress()
        self._show_status()

    @Slot()
    def _on_redraw(self) -> None:
        playing = self.session.state == "playing"
        if self.curve_tab.refresh(max_plots=1 if playing else None):
            self._redraw.start(PLOT_TURN_MS)

    @Slot(str)
    def _on_state(self, state: str) -> None:
        if state == "playing":
            self._stepping_until = None
        self._show_play_state()
        self._refresh_controls()

    def _show_play_state(self) -> None:
        """Play reads "Pause" (with a pause icon) while training runs."""
        playing = self.session.state == "playing"
        text = self.tr("Pause") if playing else self.tr("Play")
        self.play_action.setText(text)
        self.play_button.setText(text)
        icon = QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        self.play_button.setIcon(self.style().standardIcon(icon))

    @Slot(object)
    def _on_busy(self, message) -> None:
        self._busy_message = message
        self._busy = bool(message)
        self._show_banner()
        self.banner.setVisible(bool(message) or not self._info)
        self._refresh_controls()

    def _show_banner(self) -> None:
        self.banner.setText(self._busy_message.text() if self._busy_message else self.tr(
            "No model loaded yet: the curves, samples and slow motion stay empty "
            "until a checkpoint is opened or a model is built."))

    @Slot(object)
    def _on_detail(self, detail) -> None:
        self.slow.set_detail(detail)
        self.tabs.setCurrentWidget(self.slow)

    @Slot()
    def _on_evaluate(self) -> None:
        self.session.evaluate().then(self._on_evaluation)

    @Slot(object)
    def _on_evaluation(self, result) -> None:
        step = result["step"]
        self.curve_tab.add_evaluation(step, result["loss"], result["accuracy"], result["bleu"], result["chrf"])
        self.curve_tab.refresh()
        self.samples.show_evaluation(result["samples"], step, result["loss"], result["accuracy"],
                                     result["bleu"], result["chrf"])
        self.tabs.setCurrentWidget(self.samples)

    @Slot(object)
    def _on_history(self, reports) -> None:
        """A loaded model's recorded history: the curves from its first step."""
        self.curve_tab.show_history(reports)
        self.samples.take_reports(reports)
        if not self._redraw.isActive():
            self._redraw.start(0)

    @Slot(object)
    def _on_replay(self, snapshot) -> None:
        """The window's timeline moved: a marker on the curves at that step, and the sample
        translations of that moment (None: live, the last evaluation's samples again)."""
        self.curve_tab.set_marker(None if snapshot is None else snapshot.step)
        self.samples.show_replay(snapshot)

    def show_run_log(self, log) -> None:
        """Draw the curves of a run log (``model.runlog.RunLogData``, say of a run on a
        server) instead of the current ones, until the next model is loaded or built."""
        self.curve_tab.show_run_log(log)

    def matrices(self) -> list:
        """On the Curves tab, the curves' data (per-step curves, evaluations) as tables."""
        return self.curve_tab.matrices() if self.tabs.currentWidget() is self.curve_tab else []

    def _current_step(self) -> int:
        """The model's step: the last report's, else the step it was loaded at."""
        return self._latest.step if self._latest is not None else (self._info.step if self._info else 0)

    def _update_progress(self) -> None:
        """The bar counts the steps towards Play's target once Play trains towards it.
        Before that (a model opened, built or reset) it says only the model's step: an
        opened checkpoint's step over a target it was never trained for ("step 6000 /
        8000") read as a run not finished."""
        step = self._current_step()
        target = self.target_spin.value()
        if self._towards_target and step <= target:
            self.progress.setRange(0, target)
            self.progress.setFormat(self.tr("step %v / %m"))
        else:
            self.progress.setRange(0, max(step, 1))  # full once trained: no steps pending
            self.progress.setFormat(self.tr("step %v"))
        self.progress.setValue(step)

    def _show_status(self) -> None:
        r = self._latest
        if r is None and not self._info:
            self.status_label.setText("")
            return
        if r is None:
            self.status_label.setText(self.tr("Step {step}. Not trained in this session yet.").format(
                step=self._current_step()))
            return
        text = self.tr("Step {step}   loss {loss:.4f}   lr {lr:.3g}   grad norm {grad:.3g}   "
                       "{speed:,.0f} tokens/s").format(step=r.step, loss=r.loss, lr=r.lr,
                                                       grad=r.grad_norm, speed=r.tokens_per_s)
        if r.ce is not None:
            text += self.tr("   cross-entropy {ce:.3f}").format(ce=r.ce)
        self.status_label.setText(text)
