"""The training panel: choose data and model, train, and watch the numbers move.

Top: corpus, tokenizer, model shape, device and a Rebuild button. Then the transport:
Play/Pause (Space), Step (Right arrow), Step N, Reset, a fixed learning rate, and a
progress bar towards a target step. Below, three tabs:

- Curves: train/valid loss, valid token accuracy, learning rate, gradient norm, valid
  BLEU and chrF, all with their full history (LiveCurves downsamples when drawing).
- Samples: source, reference and the model's current output from the latest evaluation.
- Slow motion: one training step taken apart (Trainer.step_detail): the batch, the loss
  of every target token, the gradient norms per layer and head, the size of the update,
  and the probe sentence's attention before and after it; Back/Next walk the stages.

Everything drawn comes from the Session's reports. While playing, the curves redraw at
most PLAYING_REDRAW_MS apart (points still arrive for every step), one plot at a time
PLOT_TURN_MS apart, so that no single redraw holds up the window; when stepping, at once.

Every text follows the interface language while the app runs (``retranslate``): texts that
show data are rebuilt from the last report. Combo boxes keep their values as item data
(tokenizer kind, positional encoding, attention kind), so only the shown names change.
"""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.i18n import tr
from explorer.panels.base import Panel
from explorer.panels.training_slow import SlowMotionView
from explorer.widgets.curves import COLOURS, LiveCurves
from model.config import POSITIONAL_KINDS

PLAYING_REDRAW_MS = 500  # curves redraw at most twice a second while playing (drawing costs CPU)
TARGET_STEPS = 2000  # Play trains towards a target step: this far ahead, in round thousands
PLOT_TURN_MS = 40  # while playing, one plot is redrawn at a time, this far apart
BUILTIN_CORPORA = ("builtin:en-de", "builtin:en-zh")
TOKENIZERS = ("word", "char", "bpe")
def available_devices() -> list[str]:
    """The devices this machine can train on: cpu, and cuda when torch sees a GPU.

    Asked once a model is in: by then the worker has imported torch, so the window never
    waits for that import before it first paints.
    """
    import torch

    return ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


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


def select_data(combo: QComboBox, value) -> None:
    """Select the item whose data is ``value`` (nothing changes when there is none)."""
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)


def next_target(step: int) -> int:
    """The next target step for Play: TARGET_STEPS beyond ``step``, rounded to a thousand."""
    return (step + TARGET_STEPS) // 1000 * 1000


class TrainingPanel(Panel):
    """Corpus/model choice, transport controls, live curves, samples and slow motion."""

    title = "Training"
    TAB_NAMES = ("curves", "samples", "slow")

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self._info = None  # the session's ModelInfo
        self._run_log: tuple[str, int, int] | None = None  # (file name, steps, evaluations) shown
        self._busy = False
        self._busy_message = ""
        self._latest = None
        self._evaluation: tuple | None = None  # (step, loss, accuracy, bleu, chrf) of the samples shown
        self._live_samples: tuple = ()  # the last evaluation's samples (shown again after a replay)
        self._replay_step: int | None = None
        self._redraw = QTimer(self, singleShot=True)
        self._redraw.timeout.connect(self._on_redraw)

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        # A pale yellow note: dark text on it in either theme.
        self.banner.setStyleSheet("background: #fff3cd; color: #3d3000; padding: 4px; border-radius: 3px")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.banner)
        layout.addWidget(self._build_setup())
        layout.addLayout(self._build_transport())
        self.tabs = QTabWidget()
        self.curves = self._build_curves()
        self.curves_note = QLabel()
        curves_page = QWidget()
        curves_layout = QVBoxLayout(curves_page)
        curves_layout.setContentsMargins(0, 4, 0, 0)
        curves_layout.addWidget(self.curves_note)
        curves_layout.addWidget(self.curves, 1)
        self.tabs.addTab(curves_page, "")
        self.samples = self._build_samples()
        self.tabs.addTab(self.samples, "")
        self.slow = SlowMotionView()
        self.slow.run_button.clicked.connect(self._on_slow)
        self.tabs.addTab(self.slow, "")
        layout.addWidget(self.tabs, 1)

        s = session
        s.sig_steps.connect(self._on_steps)
        s.sig_step.connect(self._on_step)
        s.sig_model_changed.connect(self._on_model_changed)
        s.sig_state.connect(self._on_state)
        s.sig_busy.connect(self._on_busy)
        if hasattr(s, "sig_history"):
            s.sig_history.connect(self._on_history)
            s.sig_replay.connect(self._on_replay)
        self.retranslate()
        self._refresh_controls()
        if s.has_model:
            self._on_model_changed(s.info)
            if s.history:
                self.curves.clear_data()
                self._on_steps(tuple(s.history))
                self._on_step(s.history[-1])

    def retranslate(self) -> None:
        """Every text of the panel (the slow-motion view and the curves translate their own)."""
        # Data and model
        self.setup_box.setTitle(self.tr("Data and model"))
        self.corpus_combo.setToolTip(self.tr("A built-in corpus or a file (TSV / Tatoeba)"))
        self.browse_button.setText(self.tr("File…"))
        self.browse_button.setToolTip(self.tr("Choose a corpus file"))
        tokenizers = {"word": self.tr("words"), "char": self.tr("characters"), "bpe": self.tr("BPE subwords")}
        for i in range(self.tokenizer_combo.count()):
            self.tokenizer_combo.setItemText(i, tokenizers[self.tokenizer_combo.itemData(i)])
        self.tokenizer_combo.setToolTip(self.tr("How sentences are cut into tokens (applies on Rebuild)"))
        positions = {"sinusoidal": self.tr("sinusoidal"), "learned": self.tr("learned"),
                     "rotary": self.tr("rotary (RoPE)"), "none": self.tr("none")}
        for i in range(self.pos_combo.count()):
            kind = self.pos_combo.itemData(i)
            self.pos_combo.setItemText(i, positions.get(kind, kind))
        self.pos_combo.setToolTip(self.tr("How the model learns where each token stands"))
        self.layers_spin.setToolTip(self.tr("Encoder and decoder layers"))
        self.heads_spin.setToolTip(self.tr("Attention heads per layer (must divide d_model)"))
        self.d_model_spin.setToolTip(self.tr("Width of the token vectors"))
        self.d_ff_spin.setToolTip(self.tr("Width of the feed-forward layer inside each block"))
        self.dropout_spin.setToolTip(self.tr("Share of activations dropped at random while training"))
        self.device_combo.setToolTip(self.tr("Where training runs: the CPU or a GPU (cuda)"))
        self.rebuild_button.setText(self.tr("Rebuild"))
        self.rebuild_button.setToolTip(self.tr("A fresh, untrained model with these settings"))
        for key, text in (("corpus", self.tr("Corpus")), ("tokens", self.tr("Tokens")),
                          ("layers", self.tr("Layers")), ("heads", self.tr("Heads")),
                          ("dropout", self.tr("Dropout")), ("position", self.tr("Position")),
                          ("device", self.tr("Device")), ("target", self.tr("Target"))):
            self.labels[key].setText(text)
        # Transport
        self.play_action.setToolTip(self.tr("Train continuously / pause (Space)"))
        self.play_button.setToolTip(self.tr("Train continuously / pause (Space)"))
        self.step_action.setText(self.tr("Step"))
        self.step_action.setToolTip(self.tr("One training step (Right arrow)"))
        self.step_button.setText(self.tr("Step"))
        self.step_button.setToolTip(self.tr("One training step (Right arrow)"))
        self.step_n_spin.setToolTip(self.tr("How many steps “Step N” takes"))
        self.step_n_button.setText(self.tr("Step N"))
        self.step_n_button.setToolTip(self.tr("Take that many training steps"))
        self.reset_button.setText(self.tr("Reset"))
        self.reset_button.setToolTip(self.tr("Fresh random weights, step 0"))
        self.lr_check.setText(self.tr("Fixed lr"))
        self.lr_check.setToolTip(self.tr("Unticked: the schedule sets the learning rate"))
        self.lr_spin.setToolTip(self.tr("The learning rate: the schedule's while “Fixed lr” is unticked"))
        self.target_spin.setToolTip(self.tr("Play stops at this step"))
        self.progress.setFormat(self.tr("step %v / %m"))
        self.progress.setToolTip(self.tr("Steps trained towards the target"))
        self._show_play_state()
        # Tabs
        self.tabs.setTabText(0, self.tr("Curves"))
        self.tabs.setTabText(1, self.tr("Samples"))
        self.tabs.setTabText(2, self.tr("Slow motion"))
        c = self.curves
        for key, title in (("loss", self.tr("loss")), ("accuracy", self.tr("valid token accuracy")),
                           ("lr", self.tr("learning rate")), ("grad", self.tr("gradient norm (before clipping)")),
                           ("bleu", self.tr("valid BLEU / chrF")), ("speed", self.tr("tokens per second"))):
            c.set_title(key, title)
        for name, label in (("train loss", self.tr("train loss")), ("valid loss", self.tr("valid loss")),
                            ("valid accuracy", self.tr("valid accuracy")), ("lr", self.tr("lr")),
                            ("grad norm", self.tr("grad norm")), ("BLEU", "BLEU"), ("chrF", "chrF"),
                            ("tokens/s", self.tr("tokens/s"))):
            c.set_label(name, label)
        self.samples_table.setHorizontalHeaderLabels(
            [self.tr("source"), self.tr("reference"), self.tr("current output")])
        self.evaluate_button.setText(self.tr("Evaluate now"))
        self.evaluate_button.setToolTip(self.tr("Translate the validation sentences with the model as it is now"))
        # Texts that show data: rebuilt from the last report
        self._show_banner()
        self._show_curves_note()
        self._show_evaluation()
        self._show_status()

    # -- layout ------------------------------------------------------------------------
    def _build_setup(self) -> QGroupBox:
        self.setup_box = box = QGroupBox()
        self.labels = {key: QLabel() for key in ("corpus", "tokens", "layers", "heads", "dropout",
                                                  "position", "device", "target")}
        self.corpus_combo = QComboBox()
        self.corpus_combo.setEditable(True)
        self.corpus_combo.addItems(BUILTIN_CORPORA)
        self.browse_button = QPushButton()
        self.browse_button.clicked.connect(self._on_browse)
        self.tokenizer_combo = QComboBox()
        for kind in TOKENIZERS:
            self.tokenizer_combo.addItem(kind, kind)  # shown names: retranslate
        self.layers_spin = QSpinBox(minimum=1, maximum=12)
        self.heads_spin = QSpinBox(minimum=1, maximum=16)
        self.d_model_spin = QSpinBox(minimum=8, maximum=1024, singleStep=8)
        self.d_ff_spin = QSpinBox(minimum=8, maximum=8192, singleStep=32)
        self.dropout_spin = QDoubleSpinBox(minimum=0.0, maximum=0.9, singleStep=0.05, decimals=2)
        self.pos_combo = QComboBox()
        for kind in POSITIONAL_KINDS:
            self.pos_combo.addItem(kind, kind)
        self.device_combo = QComboBox()
        self.device_combo.addItem("cpu")  # the others once a model is in (see available_devices)
        self.device_combo.activated.connect(self._on_device)
        self.rebuild_button = QPushButton()
        self.rebuild_button.clicked.connect(self._on_rebuild)

        grid = QGridLayout(box)
        grid.setContentsMargins(6, 4, 6, 4)
        corpus_row = QHBoxLayout()
        corpus_row.addWidget(self.corpus_combo, 1)
        corpus_row.addWidget(self.browse_button)
        grid.addWidget(self.labels["corpus"], 0, 0)
        grid.addLayout(corpus_row, 0, 1, 1, 3)
        grid.addWidget(self.labels["tokens"], 0, 4)
        grid.addWidget(self.tokenizer_combo, 0, 5)
        cells = [(self.labels["layers"], self.layers_spin), (self.labels["heads"], self.heads_spin),
                 (QLabel("d_model"), self.d_model_spin), (QLabel("d_ff"), self.d_ff_spin),
                 (self.labels["dropout"], self.dropout_spin), (self.labels["position"], self.pos_combo)]
        for i, (label, widget) in enumerate(cells):
            grid.addWidget(label, 1 + i // 3, 2 * (i % 3))
            grid.addWidget(widget, 1 + i // 3, 2 * (i % 3) + 1)
        grid.addWidget(self.labels["device"], 3, 0)
        grid.addWidget(self.device_combo, 3, 1)
        grid.addWidget(self.rebuild_button, 3, 5)
        return box

    def _build_transport(self) -> QVBoxLayout:
        self.play_action = QAction(self, shortcut=QKeySequence(Qt.Key.Key_Space))
        self.play_action.triggered.connect(self._on_play_pause)
        self.step_action = QAction(self, shortcut=QKeySequence(Qt.Key.Key_Right))
        self.step_action.triggered.connect(self._on_step_one)
        for action in (self.play_action, self.step_action):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)
        self.play_button = QPushButton()
        self.play_button.clicked.connect(self.play_action.trigger)
        self.step_button = QPushButton()
        self.step_button.clicked.connect(self.step_action.trigger)
        self.step_n_spin = QSpinBox(minimum=1, maximum=1_000_000, value=100)
        self.step_n_button = QPushButton()
        self.step_n_button.clicked.connect(self._on_step_n)
        self.reset_button = QPushButton()
        self.reset_button.clicked.connect(self._on_reset)
        self.lr_check = QCheckBox()
        self.lr_spin = QDoubleSpinBox(decimals=6, minimum=1e-6, maximum=1.0, value=1e-3)
        self.lr_spin.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
        self.lr_check.toggled.connect(self._on_lr)
        self.lr_spin.editingFinished.connect(self._on_lr)
        self.target_spin = QSpinBox(minimum=1, maximum=10_000_000, value=TARGET_STEPS, singleStep=100)
        self.target_spin.valueChanged.connect(self._update_progress)
        self.progress = QProgressBar()
        self.status_label = QLabel()
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        row1 = QHBoxLayout()
        for w in (self.play_button, self.step_button, self.step_n_spin, self.step_n_button,
                  self.reset_button, self.lr_check, self.lr_spin):
            row1.addWidget(w)
        row1.addStretch(1)
        row2 = QHBoxLayout()
        row2.addWidget(self.labels["target"])
        row2.addWidget(self.target_spin)
        row2.addWidget(self.progress, 1)
        form = QVBoxLayout()
        form.addLayout(row1)
        form.addLayout(row2)
        form.addWidget(self.status_label)
        return form

    def _build_curves(self) -> LiveCurves:
        """The plots and curves under stable keys; their titles and legends: retranslate."""
        curves = LiveCurves()
        curves.add_plot("loss", "", 0, 0, x_axis=False)
        curves.add_curve("loss", "train loss", COLOURS["blue"])
        curves.add_curve("loss", "valid loss", COLOURS["red"], symbol="o")
        curves.add_plot("accuracy", "", 0, 1, x_axis=False)
        curves.add_curve("accuracy", "valid accuracy", COLOURS["green"], symbol="o")
        curves.add_plot("lr", "", 1, 0, x_axis=False)
        curves.add_curve("lr", "lr", COLOURS["purple"])
        curves.add_plot("grad", "", 1, 1, x_axis=False)
        curves.add_curve("grad", "grad norm", COLOURS["brown"])
        curves.add_plot("bleu", "", 2, 0)
        curves.add_curve("bleu", "BLEU", COLOURS["orange"], symbol="o")
        curves.add_curve("bleu", "chrF", COLOURS["teal"], symbol="t")
        curves.add_plot("speed", "", 2, 1)
        curves.add_curve("speed", "tokens/s", COLOURS["grey"])
        self.replay_markers = []  # one vertical line per plot at the step the timeline shows
        for key in ("loss", "accuracy", "lr", "grad", "bleu", "speed"):
            line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen(COLOURS["orange"], width=2))
            line.setVisible(False)
            curves.plot(key).addItem(line, ignoreBounds=True)
            self.replay_markers.append(line)
        return curves

    def _build_samples(self) -> QWidget:
        page = QWidget()
        self.samples_label = QLabel()
        self.samples_label.setWordWrap(True)
        self.samples_table = QTableWidget(0, 3)
        self.samples_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.samples_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.samples_table.setWordWrap(True)
        self.evaluate_button = QPushButton()
        self.evaluate_button.clicked.connect(self._on_evaluate)
        row = QHBoxLayout()
        row.addWidget(self.samples_label, 1)
        row.addWidget(self.evaluate_button)
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(self.samples_table, 1)
        return page

    def _icon(self, name: str):
        return self.style().standardIcon(getattr(QStyle.StandardPixmap, name))

    def _refresh_controls(self) -> None:
        """Enable what makes sense now: nothing without a model or while busy; while
        playing only Pause, the learning rate and Evaluate now."""
        ready = bool(self._info) and not self._busy
        idle = ready and self.session.state != "playing"
        for w in (self.play_button, self.lr_check, self.evaluate_button):
            w.setEnabled(ready)
        for w in (self.step_button, self.step_n_button, self.reset_button, self.rebuild_button,
                  self.slow.run_button, self.device_combo):
            w.setEnabled(idle)
        self.lr_spin.setEnabled(ready and self.lr_check.isChecked())
        self.play_action.setEnabled(ready)
        self.step_action.setEnabled(idle)

    # -- user actions ----------------------------------------------------------------------
    @Slot()
    def _on_play_pause(self) -> None:
        if self.session.state == "playing":
            self.session.pause()
        else:
            step = self._current_step()
            if self.target_spin.value() <= step:  # reached: Play goes on to the next target
                self.target_spin.setValue(next_target(step))
            self.session.play(until=self.target_spin.value())

    @Slot()
    def _on_step_one(self) -> None:
        self.session.step(1)

    @Slot()
    def _on_step_n(self) -> None:
        self.session.step(self.step_n_spin.value())

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
    def _on_device(self) -> None:
        self.session.set_device(self.device_combo.currentText())

    @Slot()
    def _on_browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open corpus"), "",
            self.tr("Corpora (*.tsv *.txt *.csv);;All files (*)"))
        if path:
            self.corpus_combo.setCurrentText(path)

    def model_config_from_controls(self):
        """The current model config with the shape chosen in the controls (vocab sizes kept)."""
        return self._info.model_config.replace(
            n_layers=self.layers_spin.value(), n_dec_layers=None, n_heads=self.heads_spin.value(),
            d_model=self.d_model_spin.value(), d_ff=self.d_ff_spin.value(),
            dropout=self.dropout_spin.value(), pos_encoding=self.pos_combo.currentData())

    @Slot()
    def _on_rebuild(self) -> None:
        try:
            model_cfg = self.model_config_from_controls()
        except ValueError as exc:
            QMessageBox.warning(self, self.tr("Model config"), str(exc))
            return
        if not ask_discard(self, self.session, self.tr("Rebuilding the model")):
            return
        train_cfg = self._info.train_config.replace(device=self.device_combo.currentText())
        self.session.rebuild(model_cfg, train_cfg, tokenizer=self.tokenizer_combo.currentData(),
                             corpus=self.corpus_combo.currentText().strip())

    # -- reports -------------------------------------------------------------------------
    @Slot(object)
    def _on_model_changed(self, info) -> None:
        self._info = info
        cfg = info.model_config
        self.banner.setVisible(False)
        self.corpus_combo.setCurrentText(info.corpus_spec or "")
        select_data(self.tokenizer_combo, info.tokenizer_kind)
        self.layers_spin.setValue(cfg.n_layers)
        self.heads_spin.setValue(cfg.n_heads)
        self.d_model_spin.setValue(cfg.d_model)
        self.d_ff_spin.setValue(cfg.d_ff)
        self.dropout_spin.setValue(cfg.dropout)
        select_data(self.pos_combo, cfg.pos_encoding)
        if self.device_combo.count() == 1:
            self.device_combo.addItems(available_devices()[1:])
        self.device_combo.setCurrentText(info.device.split(":")[0])
        self._refresh_controls()
        if info.new_model:
            self._run_log = None
            if self.target_spin.value() <= info.step:  # e.g. a checkpoint trained further
                self.target_spin.setValue(next_target(info.step))
            self.curves.clear_data()
            self._show_starting_point(info)
            self._latest = None
            self.samples_table.setRowCount(0)
            self._evaluation = None
            self._show_evaluation()
            self.lr_check.setChecked(False)
            self.lr_spin.setValue(info.lr)
        self._show_curves_note()
        self._update_progress()
        self._show_status()

    def _show_starting_point(self, info) -> None:
        """Start the curves at the model's step with what its checkpoint recorded there (train
        and valid loss, BLEU)."""
        step = info.step
        self.curves.start_at(step)
        metrics = info.metrics or {}
        for name, key in (("train loss", "train_loss"), ("valid loss", "valid_loss"),
                          ("BLEU", "valid_bleu")):
            if key in metrics:
                self.curves.append(name, step, metrics[key])
        self.curves.refresh()

    @Slot(object)
    def _on_steps(self, batch) -> None:
        steps = [r.step for r in batch]
        c = self.curves
        c.append("train loss", steps, [r.loss for r in batch])
        c.append("lr", steps, [r.lr for r in batch])
        c.append("grad norm", steps, [r.grad_norm for r in batch])
        c.append("tokens/s", steps, [r.tokens_per_s for r in batch])
        evals = [r for r in batch if r.valid_loss is not None]
        if evals:
            e_steps = [r.step for r in evals]
            c.append("valid loss", e_steps, [r.valid_loss for r in evals])
            c.append("valid accuracy", e_steps, [r.valid_accuracy for r in evals])
            c.append("BLEU", e_steps, [r.valid_bleu for r in evals])
            c.append("chrF", e_steps, [r.valid_chrf for r in evals])
            with_samples = [r for r in evals if r.samples]
            if with_samples:
                r = with_samples[-1]
                self._show_samples(r.samples, r.step, r.valid_loss, r.valid_accuracy, r.valid_bleu,
                                   r.valid_chrf)
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
        if self.curves.refresh(max_plots=1 if playing else None):
            self._redraw.start(PLOT_TURN_MS)

    @Slot(str)
    def _on_state(self, _state: str) -> None:
        self._show_play_state()
        self._refresh_controls()

    def _show_play_state(self) -> None:
        """Play reads "Pause" (with a pause icon) while training runs."""
        playing = self.session.state == "playing"
        text = self.tr("Pause") if playing else self.tr("Play")
        self.play_action.setText(text)
        self.play_button.setText(text)
        self.play_button.setIcon(self._icon("SP_MediaPause" if playing else "SP_MediaPlay"))

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
        c = self.curves
        c.append("valid loss", step, result["loss"])
        c.append("valid accuracy", step, result["accuracy"])
        c.append("BLEU", step, result["bleu"])
        c.append("chrF", step, result["chrf"])
        c.refresh()
        self._show_samples(result["samples"], step, result["loss"], result["accuracy"],
                           result["bleu"], result["chrf"])
        self.tabs.setCurrentWidget(self.samples)

    @Slot(object)
    def _on_history(self, reports) -> None:
        """A loaded model's recorded history: the curves from its first step."""
        self.curves.clear_data()
        if reports:
            self.curves.start_at(max(reports[0].step - 1, 0))
            self._on_steps(reports)

    @Slot(object)
    def _on_replay(self, snapshot) -> None:
        """The window's timeline moved: a marker on the curves at that step, and the sample
        translations of that moment (None: live, the last evaluation's samples again)."""
        for line in self.replay_markers:
            line.setVisible(snapshot is not None)
            if snapshot is not None:
                line.setValue(snapshot.step)
        if snapshot is not None:
            self._fill_samples(snapshot.samples)
            self._replay_step = snapshot.step
            self.samples_label.setText(self.tr(
                "Training replay, step {step}: the model's own translations of the traced "
                "sentences at that moment.").format(step=snapshot.step))
        elif getattr(self, "_replay_step", None) is not None:
            self._replay_step = None
            self._fill_samples(self._live_samples)
            self._show_evaluation()

    def _fill_samples(self, samples) -> None:
        table = self.samples_table
        table.setRowCount(len(samples))
        for row, triple in enumerate(samples):
            for col, text in enumerate(triple):
                table.setItem(row, col, QTableWidgetItem(text))
        table.resizeRowsToContents()

    def _show_samples(self, samples, step: int, loss: float, accuracy: float, bleu: float,
                      chrf: float) -> None:
        """Fill the table with (source, reference, output) triples from an evaluation."""
        self._live_samples = tuple(samples)
        self._fill_samples(samples)
        self._evaluation = (step, loss, accuracy, bleu, chrf)
        self._show_evaluation()

    def _show_evaluation(self) -> None:
        if self._evaluation is None:
            self.samples_label.setText(
                self.tr("No evaluation yet: sample translations appear after each evaluation."))
            return
        step, loss, accuracy, bleu, chrf = self._evaluation
        self.samples_label.setText(self.tr(
            "Evaluation at step {step}: BLEU {bleu:.1f}, chrF {chrf:.1f}, valid loss {loss:.3f}, "
            "token accuracy {accuracy:.1f}%").format(step=step, bleu=bleu, chrf=chrf, loss=loss,
                                                     accuracy=100 * accuracy))

    def show_run_log(self, log) -> None:
        """Draw the curves of a run log (``model.runlog.RunLogData``, say of a run on a
        server) instead of the current ones, until the next model is loaded or built."""
        c = self.curves
        c.clear_data()
        steps, evals = log.steps, log.evals
        for name, key in (("train loss", "loss"), ("lr", "lr"), ("grad norm", "grad_norm"),
                          ("tokens/s", "tokens_per_s")):
            c.append(name, steps["step"], steps[key])
        for name, key in (("valid loss", "valid_loss"), ("valid accuracy", "valid_accuracy"),
                          ("BLEU", "valid_bleu"), ("chrF", "valid_chrf")):
            c.append(name, evals["step"], evals[key])
        c.refresh()
        self._run_log = (log.path.name, len(steps["step"]), len(evals["step"]))
        self._show_curves_note()

    def _show_curves_note(self) -> None:
        if self._run_log:
            name, n_steps, n_evals = self._run_log
            self.curves_note.setText(self.tr(
                "Run log {name}: {steps} steps, {evals} evaluations (loading or building a model "
                "shows its own curves again)").format(name=name, steps=n_steps, evals=n_evals))
            return
        if not self._info:
            self.curves_note.setText("")
            return
        every = self._info.train_config.eval_every
        note = (self.tr("Validation points come every {every} steps").format(every=every) if every
                else self.tr("Validation is off while training"))
        self.curves_note.setText(
            note + self.tr("; “Evaluate now” on the Samples tab adds one at the current step."))

    def _current_step(self) -> int:
        """The model's step: the last report's, else the step it was loaded at."""
        return self._latest.step if self._latest is not None else (self._info.step if self._info else 0)

    def _update_progress(self) -> None:
        step = self._current_step()
        target = self.target_spin.value()
        self.progress.setRange(0, target)
        self.progress.setValue(min(step, target))

    def _show_status(self) -> None:
        r = self._latest
        if r is None and not self._info:
            self.status_label.setText("")
            return
        if r is None:
            self.status_label.setText(self.tr("Step {step}. Not trained in this session yet.").format(
                step=self._current_step()))
            return
        self.status_label.setText(self.tr(
            "Step {step}   loss {loss:.4f}   lr {lr:.3g}   grad norm {grad:.3g}   {speed:,.0f} tokens/s").format(
            step=r.step, loss=r.loss, lr=r.lr, grad=r.grad_norm, speed=r.tokens_per_s))
