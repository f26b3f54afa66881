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
most PLAYING_REDRAW_MS apart (points still arrive for every step); when stepping, at once.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QAction, QFontMetrics, QKeySequence
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
    QStackedWidget,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.panels.base import Panel
from explorer.widgets.curves import LiveCurves
from explorer.widgets.heatmap import TokenHeatmap
from model.config import POSITIONAL_KINDS

PLAYING_REDRAW_MS = 500  # curves redraw at most twice a second while playing (drawing costs CPU)
NO_EVALUATION = "No evaluation yet: sample translations appear after each evaluation."
BUILTIN_CORPORA = ("builtin:en-de", "builtin:en-zh")
TOKENIZERS = ("word", "char", "bpe")
STAGES = ("1 · Batch", "2 · Forward: loss per token", "3 · Backward: gradients",
          "4 · Update: relative change", "5 · Probe attention before / after")


def available_devices() -> list[str]:
    """The devices this machine can train on: cpu, and cuda when torch sees a GPU.

    Asked once a model is in: by then the worker has imported torch, so the window never
    waits for that import before it first paints.
    """
    import torch

    return ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


def short_block_name(name: str) -> str:
    """'decoder.1.cross_attn' -> 'dec 1 cross' (fits a heatmap's row labels)."""
    side, layer, block = name.split(".", 2)
    return f"{side[:3]} {layer} {block.removesuffix('_attn')}"


def ask_discard(parent: QWidget, session, action: str) -> bool:
    """True when there is no unsaved training or the user agrees to lose it."""
    if session.unsaved_steps == 0:
        return True
    answer = QMessageBox.question(
        parent, "Discard training?",
        f"{action} discards {session.unsaved_steps} training steps that were not saved. Go on?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


class BarChart(pg.PlotWidget):
    """Horizontal bars, one row per label (labels read top to bottom)."""

    def __init__(self, title: str, value_label: str) -> None:
        super().__init__(background="w", title=title)
        self.bars: pg.BarGraphItem | None = None
        self.values = np.zeros(0)
        plot = self.getPlotItem()
        plot.setMenuEnabled(False)
        plot.showGrid(x=True, alpha=0.3)
        plot.invertY(True)
        value_axis = self.getAxis("bottom")
        value_axis.setLabel(value_label)
        value_axis.enableAutoSIPrefix(False)

    def set_bars(self, labels: list[str], values) -> None:
        self.values = np.asarray(values, dtype=float)
        if self.bars is not None:
            self.removeItem(self.bars)
        rows = list(range(len(labels)))
        self.bars = pg.BarGraphItem(x0=0, y=rows, height=0.7, width=self.values, brush="#4c78a8")
        self.addItem(self.bars)
        axis = self.getAxis("left")
        axis.setTicks([list(zip(rows, labels))])
        # Room for the longest label: pyqtgraph drops labels that do not fit the axis.
        widest = max((QFontMetrics(axis.font()).horizontalAdvance(t) for t in labels), default=0)
        axis.setWidth(widest + 16)
        self.autoRange()


class SlowMotionView(QWidget):
    """One StepDetail, stage by stage, with Back/Next."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail = None
        self.run_button = QPushButton(self.tr("Step in slow motion"))
        self.run_button.setToolTip(self.tr("Take one training step and show each of its stages"))
        self.back_button = QPushButton(self.tr("◀ Back"))
        self.next_button = QPushButton(self.tr("Next ▶"))
        self.stage_label = QLabel()
        self.stage_label.setStyleSheet("font-weight: bold")
        self.back_button.clicked.connect(self._on_back)
        self.next_button.clicked.connect(self._on_next)
        bar = QHBoxLayout()
        bar.addWidget(self.run_button)
        bar.addStretch(1)
        bar.addWidget(self.back_button)
        bar.addWidget(self.stage_label)
        bar.addWidget(self.next_button)

        self.message = QLabel("Press “Step in slow motion” to take one training step apart.")
        self.message.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_batch_page())
        self.stack.addWidget(self._build_forward_page())
        self.stack.addWidget(self._build_backward_page())
        self.stack.addWidget(self._build_update_page())
        self.stack.addWidget(self._build_probe_page())

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.stack, 1)
        self._show_stage(0)

    # -- pages -----------------------------------------------------------------------
    def _build_batch_page(self) -> QWidget:
        self.batch_table = QTableWidget()
        self.batch_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        return self.batch_table

    def _build_forward_page(self) -> QWidget:
        page = QWidget()
        self.sentence_spin = QSpinBox()
        self.sentence_spin.valueChanged.connect(self._draw_sentence_loss)
        self.loss_label = QLabel()
        self.token_loss_bars = BarChart("loss of each target token", "cross-entropy")
        self.token_loss_map = TokenHeatmap(title="loss per target token (rows: sentences)")
        row = QHBoxLayout()
        row.addWidget(QLabel("Sentence"))
        row.addWidget(self.sentence_spin)
        row.addWidget(self.loss_label, 1)
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(self.token_loss_bars, 1)
        layout.addWidget(self.token_loss_map, 1)
        return page

    def _build_backward_page(self) -> QWidget:
        page = QWidget()
        self.grad_bars = BarChart("gradient norm per parameter group", "‖∇‖")
        self.head_grad_map = TokenHeatmap(title="gradient norm of Q/K/V per head")
        layout = QVBoxLayout(page)
        layout.addWidget(self.grad_bars, 3)
        layout.addWidget(self.head_grad_map, 2)
        return page

    def _build_update_page(self) -> QWidget:
        self.update_bars = BarChart("relative change of each parameter group", "‖Δw‖ / ‖w‖")
        return self.update_bars

    def _build_probe_page(self) -> QWidget:
        page = QWidget()
        self.kind_combo = QComboBox()
        self.kind_combo.addItems(["cross", "enc_self", "dec_self"])
        self.layer_spin = QSpinBox()
        self.head_combo = QComboBox()
        for w in (self.kind_combo, self.head_combo):
            w.currentIndexChanged.connect(self._draw_probe)
        self.layer_spin.valueChanged.connect(self._draw_probe)
        row = QHBoxLayout()
        for label, w in (("Attention", self.kind_combo), ("Layer", self.layer_spin), ("Head", self.head_combo)):
            row.addWidget(QLabel(label))
            row.addWidget(w)
        row.addStretch(1)
        self.probe_before = TokenHeatmap(title="before the update")
        self.probe_after = TokenHeatmap(title="after the update")
        self.probe_change = TokenHeatmap(title="change (after − before)")
        maps = QGridLayout()
        maps.addWidget(self.probe_before, 0, 0)
        maps.addWidget(self.probe_after, 0, 1)
        maps.addWidget(self.probe_change, 1, 0, 1, 2)
        self.probe_note = QLabel()
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(self.probe_note)
        layout.addLayout(maps, 1)
        return page

    # -- navigation ------------------------------------------------------------------
    def _show_stage(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        self.stage_label.setText(STAGES[index])
        has = self.detail is not None
        self.back_button.setEnabled(has and index > 0)
        self.next_button.setEnabled(has and index < len(STAGES) - 1)
        self.stack.setVisible(has)

    @Slot()
    def _on_back(self) -> None:
        self._show_stage(max(self.stack.currentIndex() - 1, 0))

    @Slot()
    def _on_next(self) -> None:
        self._show_stage(min(self.stack.currentIndex() + 1, len(STAGES) - 1))

    # -- data ------------------------------------------------------------------------
    def set_detail(self, detail) -> None:
        """Show a StepDetail from its first stage."""
        self.detail = detail
        r = detail.report
        self.message.setText(
            f"Step {r.step}: {len(detail.src_tokens)} sentence pairs, {r.tokens} target tokens, "
            f"loss {r.loss:.4f}, learning rate {r.lr:.3g}, gradient norm {r.grad_norm:.3g}.")
        self._fill_batch(detail)
        n = len(detail.token_loss)
        self.sentence_spin.blockSignals(True)
        self.sentence_spin.setRange(0, max(n - 1, 0))
        self.sentence_spin.setValue(0)
        self.sentence_spin.blockSignals(False)
        self._draw_sentence_loss()
        self._draw_loss_map(detail)
        self._draw_gradients(detail)
        groups = list(detail.update_ratio)
        self.update_bars.set_bars(groups, [detail.update_ratio[g] for g in groups])
        self._prepare_probe(detail)
        self._show_stage(0)

    def _fill_batch(self, detail) -> None:
        table = self.batch_table
        rows = []
        for i, (src, tgt) in enumerate(zip(detail.src_tokens, detail.tgt_tokens)):
            rows.append((f"source {i}", src))
            rows.append((f"target {i}", tgt))
        width = max((len(toks) for _, toks in rows), default=0)
        table.clear()
        table.setRowCount(len(rows))
        table.setColumnCount(width)
        table.setVerticalHeaderLabels([name for name, _ in rows])
        table.setHorizontalHeaderLabels([str(j) for j in range(width)])
        for r, (_, toks) in enumerate(rows):
            for c, tok in enumerate(toks):
                table.setItem(r, c, QTableWidgetItem(tok))
        table.resizeColumnsToContents()

    @Slot()
    def _draw_sentence_loss(self) -> None:
        if self.detail is None or not self.detail.token_loss:
            return
        i = self.sentence_spin.value()
        losses = np.asarray(self.detail.token_loss[i], dtype=float)
        tokens = list(self.detail.tgt_tokens[i])
        self.token_loss_bars.set_bars(tokens, losses)
        self.loss_label.setText(
            f"mean {losses.mean():.3f} over {len(losses)} tokens; highest at “{tokens[int(losses.argmax())]}”")

    def _draw_loss_map(self, detail) -> None:
        width = max(len(x) for x in detail.token_loss)
        matrix = np.full((len(detail.token_loss), width), np.nan)
        for i, losses in enumerate(detail.token_loss):
            matrix[i, : len(losses)] = losses
        self.token_loss_map.set_matrix(matrix, [f"sentence {i}" for i in range(len(matrix))],
                                       [f"pos {j}" for j in range(width)], scale="auto")

    def _draw_gradients(self, detail) -> None:
        groups = list(detail.grad_norms)
        self.grad_bars.set_bars(groups, [detail.grad_norms[g] for g in groups])
        blocks = list(detail.head_grad_norms)
        if blocks:
            matrix = np.stack([np.asarray(detail.head_grad_norms[b], dtype=float) for b in blocks])
            self.head_grad_map.set_matrix(matrix, [short_block_name(b) for b in blocks],
                                          [f"head {h}" for h in range(matrix.shape[1])])

    def _prepare_probe(self, detail) -> None:
        trace = detail.probe_after or detail.probe_before
        if trace is None:
            self.probe_note.setText("This step carried no probe sentence.")
            return
        self.layer_spin.blockSignals(True)
        self.layer_spin.setRange(0, max(len(trace.enc_self), len(trace.dec_self)) - 1)
        self.layer_spin.blockSignals(False)
        self.head_combo.blockSignals(True)
        self.head_combo.clear()
        self.head_combo.addItems(["mean of heads"] + [f"head {h}" for h in range(trace.enc_self[0].n_heads)])
        self.head_combo.blockSignals(False)
        self._draw_probe()

    @Slot()
    def _draw_probe(self) -> None:
        d = self.detail
        if d is None or d.probe_before is None or d.probe_after is None:
            return
        kind, layer, head = self.kind_combo.currentText(), self.layer_spin.value(), self.head_combo.currentIndex()
        maps = []
        for trace in (d.probe_before, d.probe_after):
            blocks = trace.blocks(kind)
            block = blocks[min(layer, len(blocks) - 1)]
            w = block.weights.mean(0) if head <= 0 else block.weights[head - 1]
            rows = trace.src_tokens if kind == "enc_self" else trace.tgt_tokens
            cols = trace.tgt_tokens if kind == "dec_self" else trace.src_tokens
            maps.append((np.where(block.allowed, w, np.nan), list(rows), list(cols)))
        (before, rows, cols), (after, rows2, cols2) = maps
        self.probe_before.set_matrix(before, rows, cols, scale="prob")
        self.probe_after.set_matrix(after, rows2, cols2, scale="prob")
        src = " ".join(d.probe_after.src_tokens)
        if before.shape == after.shape and (rows, cols) == (rows2, cols2):
            self.probe_change.set_matrix(after - before, rows, cols, scale="signed")
            change = np.nanmax(np.abs(after - before))
            self.probe_note.setText(f"Probe: {src}. Largest change of one attention weight: {change:.2e}")
        else:
            self.probe_note.setText(f"Probe: {src}. The translation changed, so the maps differ in shape.")


class TrainingPanel(Panel):
    """Corpus/model choice, transport controls, live curves, samples and slow motion."""

    title = "Training"

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self._info: dict = {}
        self._busy = False
        self._latest = None
        self._redraw = QTimer(self, singleShot=True)
        self._redraw.timeout.connect(self._on_redraw)

        self.banner = QLabel("No model loaded yet: the curves, samples and slow motion stay empty "
                             "until a checkpoint is opened or a model is built.")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #fff3cd; padding: 4px; border-radius: 3px")

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
        self.tabs.addTab(curves_page, self.tr("Curves"))
        self.samples = self._build_samples()
        self.tabs.addTab(self.samples, self.tr("Samples"))
        self.slow = SlowMotionView()
        self.slow.run_button.clicked.connect(self._on_slow)
        self.tabs.addTab(self.slow, self.tr("Slow motion"))
        layout.addWidget(self.tabs, 1)

        s = session
        s.sig_steps.connect(self._on_steps)
        s.sig_step.connect(self._on_step)
        s.sig_model_changed.connect(self._on_model_changed)
        s.sig_state.connect(self._on_state)
        s.sig_busy.connect(self._on_busy)
        s.sig_detail.connect(self._on_detail)
        s.sig_evaluation.connect(self._on_evaluation)
        self._refresh_controls()
        if s.has_model:
            self._on_model_changed(s.info)
            if s.history:
                self._on_steps(tuple(s.history))
                self._on_step(s.history[-1])

    # -- layout ------------------------------------------------------------------------
    def _build_setup(self) -> QGroupBox:
        box = QGroupBox(self.tr("Data and model"))
        self.corpus_combo = QComboBox()
        self.corpus_combo.setEditable(True)
        self.corpus_combo.addItems(BUILTIN_CORPORA)
        self.corpus_combo.setToolTip(self.tr("A built-in corpus or a file (TSV / Tatoeba)"))
        browse = QPushButton(self.tr("File…"))
        browse.clicked.connect(self._on_browse)
        self.tokenizer_combo = QComboBox()
        self.tokenizer_combo.addItems(TOKENIZERS)
        self.layers_spin = QSpinBox(minimum=1, maximum=12)
        self.heads_spin = QSpinBox(minimum=1, maximum=16)
        self.d_model_spin = QSpinBox(minimum=8, maximum=1024, singleStep=8)
        self.d_ff_spin = QSpinBox(minimum=8, maximum=8192, singleStep=32)
        self.dropout_spin = QDoubleSpinBox(minimum=0.0, maximum=0.9, singleStep=0.05, decimals=2)
        self.pos_combo = QComboBox()
        self.pos_combo.addItems(POSITIONAL_KINDS)
        self.device_combo = QComboBox()
        self.device_combo.addItem("cpu")  # the others once a model is in (see available_devices)
        self.device_combo.activated.connect(self._on_device)
        self.rebuild_button = QPushButton(self.tr("Rebuild"))
        self.rebuild_button.setToolTip(self.tr("A fresh, untrained model with these settings"))
        self.rebuild_button.clicked.connect(self._on_rebuild)

        grid = QGridLayout(box)
        grid.setContentsMargins(6, 4, 6, 4)
        corpus_row = QHBoxLayout()
        corpus_row.addWidget(self.corpus_combo, 1)
        corpus_row.addWidget(browse)
        grid.addWidget(QLabel(self.tr("Corpus")), 0, 0)
        grid.addLayout(corpus_row, 0, 1, 1, 3)
        grid.addWidget(QLabel(self.tr("Tokens")), 0, 4)
        grid.addWidget(self.tokenizer_combo, 0, 5)
        cells = [(self.tr("Layers"), self.layers_spin), (self.tr("Heads"), self.heads_spin),
                 ("d_model", self.d_model_spin), ("d_ff", self.d_ff_spin),
                 (self.tr("Dropout"), self.dropout_spin), (self.tr("Position"), self.pos_combo)]
        for i, (label, widget) in enumerate(cells):
            grid.addWidget(QLabel(label), 1 + i // 3, 2 * (i % 3))
            grid.addWidget(widget, 1 + i // 3, 2 * (i % 3) + 1)
        grid.addWidget(QLabel(self.tr("Device")), 3, 0)
        grid.addWidget(self.device_combo, 3, 1)
        grid.addWidget(self.rebuild_button, 3, 5)
        return box

    def _build_transport(self) -> QVBoxLayout:
        self.play_action = QAction(self.tr("Play"), self, shortcut=QKeySequence(Qt.Key.Key_Space))
        self.play_action.setToolTip(self.tr("Train continuously / pause (Space)"))
        self.play_action.triggered.connect(self._on_play_pause)
        self.step_action = QAction(self.tr("Step"), self, shortcut=QKeySequence(Qt.Key.Key_Right))
        self.step_action.setToolTip(self.tr("One training step (Right arrow)"))
        self.step_action.triggered.connect(self._on_step_one)
        for action in (self.play_action, self.step_action):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)
        self.play_button = QPushButton(self._icon("SP_MediaPlay"), self.tr("Play"))
        self.play_button.clicked.connect(self.play_action.trigger)
        self.step_button = QPushButton(self.tr("Step"))
        self.step_button.clicked.connect(self.step_action.trigger)
        self.step_n_spin = QSpinBox(minimum=1, maximum=1_000_000, value=100)
        self.step_n_button = QPushButton(self.tr("Step N"))
        self.step_n_button.clicked.connect(self._on_step_n)
        self.reset_button = QPushButton(self.tr("Reset"))
        self.reset_button.setToolTip(self.tr("Fresh random weights, step 0"))
        self.reset_button.clicked.connect(self._on_reset)
        self.lr_check = QCheckBox(self.tr("Fixed lr"))
        self.lr_check.setToolTip(self.tr("Unticked: the schedule sets the learning rate"))
        self.lr_spin = QDoubleSpinBox(decimals=6, minimum=1e-6, maximum=1.0, value=1e-3)
        self.lr_spin.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
        self.lr_check.toggled.connect(self._on_lr)
        self.lr_spin.editingFinished.connect(self._on_lr)
        self.target_spin = QSpinBox(minimum=1, maximum=10_000_000, value=2000, singleStep=100)
        self.target_spin.setToolTip(self.tr("Play stops at this step"))
        self.target_spin.valueChanged.connect(self._update_progress)
        self.progress = QProgressBar()
        self.progress.setFormat("step %v / %m")
        self.status_label = QLabel()
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        row1 = QHBoxLayout()
        for w in (self.play_button, self.step_button, self.step_n_spin, self.step_n_button,
                  self.reset_button, self.lr_check, self.lr_spin):
            row1.addWidget(w)
        row1.addStretch(1)
        row2 = QHBoxLayout()
        row2.addWidget(QLabel(self.tr("Target")))
        row2.addWidget(self.target_spin)
        row2.addWidget(self.progress, 1)
        form = QVBoxLayout()
        form.addLayout(row1)
        form.addLayout(row2)
        form.addWidget(self.status_label)
        return form

    def _build_curves(self) -> LiveCurves:
        curves = LiveCurves()
        curves.add_plot("loss", "loss", 0, 0)
        curves.add_curve("loss", "train loss", "#1f77b4")
        curves.add_curve("loss", "valid loss", "#d62728", symbol="o")
        curves.add_plot("accuracy", "valid token accuracy", 0, 1)
        curves.add_curve("accuracy", "valid accuracy", "#2ca02c", symbol="o")
        curves.add_plot("lr", "learning rate", 1, 0)
        curves.add_curve("lr", "lr", "#9467bd")
        curves.add_plot("grad", "gradient norm (before clipping)", 1, 1)
        curves.add_curve("grad", "grad norm", "#8c564b")
        curves.add_plot("bleu", "valid BLEU / chrF", 2, 0)
        curves.add_curve("bleu", "BLEU", "#ff7f0e", symbol="o")
        curves.add_curve("bleu", "chrF", "#17becf", symbol="t")
        curves.add_plot("speed", "tokens per second", 2, 1)
        curves.add_curve("speed", "tokens/s", "#7f7f7f")
        return curves

    def _build_samples(self) -> QWidget:
        page = QWidget()
        self.samples_label = QLabel(NO_EVALUATION)
        self.samples_label.setWordWrap(True)
        self.samples_table = QTableWidget(0, 3)
        self.samples_table.setHorizontalHeaderLabels(["source", "reference", "current output"])
        self.samples_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.samples_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.samples_table.setWordWrap(True)
        self.evaluate_button = QPushButton(self.tr("Evaluate now"))
        self.evaluate_button.setToolTip(self.tr("Translate the validation sentences with the model as it is now"))
        self.evaluate_button.clicked.connect(self.session.evaluate)
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
            self.session.play(until=self.target_spin.value())

    @Slot()
    def _on_step_one(self) -> None:
        self.session.step(1)

    @Slot()
    def _on_step_n(self) -> None:
        self.session.step(self.step_n_spin.value())

    @Slot()
    def _on_slow(self) -> None:
        self.session.step_slow()

    @Slot()
    def _on_reset(self) -> None:
        if ask_discard(self, self.session, "Reset"):
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
        path, _ = QFileDialog.getOpenFileName(self, "Open corpus", "", "Corpora (*.tsv *.txt *.csv);;All files (*)")
        if path:
            self.corpus_combo.setCurrentText(path)

    def model_config_from_controls(self):
        """The current model config with the shape chosen in the controls (vocab sizes kept)."""
        return self._info["model_config"].replace(
            n_layers=self.layers_spin.value(), n_dec_layers=None, n_heads=self.heads_spin.value(),
            d_model=self.d_model_spin.value(), d_ff=self.d_ff_spin.value(),
            dropout=self.dropout_spin.value(), pos_encoding=self.pos_combo.currentText())

    @Slot()
    def _on_rebuild(self) -> None:
        try:
            model_cfg = self.model_config_from_controls()
        except ValueError as exc:
            QMessageBox.warning(self, "Model config", str(exc))
            return
        if not ask_discard(self, self.session, "Rebuilding the model"):
            return
        train_cfg = self._info["train_config"].replace(device=self.device_combo.currentText())
        self.session.rebuild(model_cfg, train_cfg, tokenizer=self.tokenizer_combo.currentText(),
                             corpus=self.corpus_combo.currentText().strip())

    # -- reports -------------------------------------------------------------------------
    @Slot(object)
    def _on_model_changed(self, info: dict) -> None:
        self._info = info
        cfg = info["model_config"]
        self.banner.setVisible(False)
        self.corpus_combo.setCurrentText(info.get("corpus_spec") or "")
        self.tokenizer_combo.setCurrentText(info["src_tokenizer"].kind)
        self.layers_spin.setValue(cfg.n_layers)
        self.heads_spin.setValue(cfg.n_heads)
        self.d_model_spin.setValue(cfg.d_model)
        self.d_ff_spin.setValue(cfg.d_ff)
        self.dropout_spin.setValue(cfg.dropout)
        self.pos_combo.setCurrentText(cfg.pos_encoding)
        if self.device_combo.count() == 1:
            self.device_combo.addItems(available_devices()[1:])
        self.device_combo.setCurrentText(info["device"].split(":")[0])
        self._refresh_controls()
        if info.get("new_model", True):
            self.curves.clear_data()
            self._latest = None
            self.samples_table.setRowCount(0)
            self.samples_label.setText(NO_EVALUATION)
            self.lr_check.setChecked(False)
            self.lr_spin.setValue(info["lr"])
        every = info["train_config"].eval_every
        self.curves_note.setText(
            (f"Validation points come every {every} steps" if every else "Validation is off while training")
            + "; “Evaluate now” on the Samples tab adds one at the current step.")
        self._update_progress()
        self._show_status()

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
        self.curves.refresh()

    @Slot(str)
    def _on_state(self, state: str) -> None:
        playing = state == "playing"
        text = self.tr("Pause") if playing else self.tr("Play")
        self.play_action.setText(text)
        self.play_button.setText(text)
        self.play_button.setIcon(self._icon("SP_MediaPause" if playing else "SP_MediaPlay"))
        self._refresh_controls()

    @Slot(str)
    def _on_busy(self, message: str) -> None:
        if message:
            self.banner.setText(message)
            self.banner.setVisible(True)
        else:
            self.banner.setVisible(not self._info)
        self._busy = bool(message)
        self._refresh_controls()

    @Slot(object)
    def _on_detail(self, detail) -> None:
        self.slow.set_detail(detail)
        self.tabs.setCurrentWidget(self.slow)

    @Slot(object)
    def _on_evaluation(self, result: dict) -> None:
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

    def _show_samples(self, samples, step: int, loss: float, accuracy: float, bleu: float,
                      chrf: float) -> None:
        """Fill the table with (source, reference, output) triples from an evaluation."""
        table = self.samples_table
        table.setRowCount(len(samples))
        for row, triple in enumerate(samples):
            for col, text in enumerate(triple):
                table.setItem(row, col, QTableWidgetItem(text))
        table.resizeRowsToContents()
        self.samples_label.setText(
            f"Evaluation at step {step}: BLEU {bleu:.1f}, chrF {chrf:.1f}, "
            f"valid loss {loss:.3f}, token accuracy {100 * accuracy:.1f}%")

    def _update_progress(self) -> None:
        step = self._latest.step if self._latest is not None else self._info.get("step", 0)
        target = self.target_spin.value()
        self.progress.setRange(0, target)
        self.progress.setValue(min(step, target))

    def _show_status(self) -> None:
        r = self._latest
        if r is None:
            step = self._info.get("step", 0)
            self.status_label.setText(f"Step {step}. Not trained in this session yet.")
            return
        self.status_label.setText(
            f"Step {r.step}   loss {r.loss:.4f}   lr {r.lr:.3g}   grad norm {r.grad_norm:.3g}   "
            f"{r.tokens_per_s:,.0f} tokens/s")
