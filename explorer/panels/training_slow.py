"""Slow motion: one training step taken apart (``Trainer.step_detail``), stage by stage.

The batch, the loss of every target token, the gradient norms per layer and head, the
size of the update, and the probe sentence's attention before and after it; Back/Next
walk the stages. The training panel shows it in its "Slow motion" tab.
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, Slot
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.texts import Texts
from explorer.widgets.curves import COLOURS
from explorer.widgets.heatmap import TokenHeatmap

ATTENTION_KINDS = ("cross", "enc_self", "dec_self")


# English names; shown through SlowMotionView.tr (the marker lets lupdate find them).
STAGES = (QT_TRANSLATE_NOOP("SlowMotionView", "1 · Batch"),
          QT_TRANSLATE_NOOP("SlowMotionView", "2 · Forward: loss per token"),
          QT_TRANSLATE_NOOP("SlowMotionView", "3 · Backward: gradients"),
          QT_TRANSLATE_NOOP("SlowMotionView", "4 · Update: relative change"),
          QT_TRANSLATE_NOOP("SlowMotionView", "5 · Probe attention before / after"))


def short_block_name(name: str) -> str:
    """'decoder.1.cross_attn' -> 'dec 1 cross' (fits a heatmap's row labels)."""
    side, layer, block = name.split(".", 2)
    return f"{side[:3]} {layer} {block.removesuffix('_attn')}"


MIN_VIEW_PX = 150  # a stage's plots keep this height; a page with less room scrolls


def _scrolling(page: QWidget) -> QScrollArea:
    """``page`` in a vertical scroll area: at 1366 × 768, with the tour open below the
    Training panel, its plots were squeezed to a few pixels (colour bar labels on top of
    one another)."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(page)
    return area


class BarChart(pg.PlotWidget):
    """Horizontal bars, one row per label (labels read top to bottom); colours follow the theme.

    Row labels never overlap: when the rows are lower than a line of text, only every k-th
    row is labelled (again whenever the chart changes size), and the tooltip of the chart lists them all.
    """

    def __init__(self, title: str = "", value_label: str = "") -> None:
        super().__init__()
        self.bars: pg.BarGraphItem | None = None
        self.values = np.zeros(0)
        self.labels: list[str] = []
        plot = self.getPlotItem()
        plot.setMenuEnabled(False)
        plot.showGrid(x=True, alpha=0.3)
        plot.invertY(True)
        self.getAxis("bottom").enableAutoSIPrefix(False)
        plot.getViewBox().sigResized.connect(self._label_rows)  # rows of another height
        self.set_texts(title, value_label)

    def set_texts(self, title: str, value_label: str) -> None:
        """The title and the label of the value axis (e.g. again after a language change)."""
        self.getPlotItem().setTitle(title)
        self.getAxis("bottom").setLabel(value_label)

    def set_bars(self, labels: list[str], values) -> None:
        self.values = np.asarray(values, dtype=float)
        self.labels = list(labels)
        if self.bars is not None:
            self.removeItem(self.bars)
        rows = list(range(len(labels)))
        self.bars = pg.BarGraphItem(x0=0, y=rows, height=0.7, width=self.values, brush=COLOURS["blue"],
                                    pen=pg.mkPen(None))
        self.addItem(self.bars)
        axis = self.getAxis("left")
        # Room for the longest label: pyqtgraph drops labels that do not fit the axis.
        widest = max((QFontMetrics(axis.font()).horizontalAdvance(t) for t in labels), default=0)
        axis.setWidth(widest + 16)
        self.setToolTip("\n".join(f"{t}: {v:.3g}" for t, v in zip(labels, self.values)))
        self.autoRange()
        self._label_rows()

    def label_every(self) -> int:
        """Every how many rows a label is shown: 1 when each row is at least a line of text high."""
        n = len(self.labels)
        height = self.getPlotItem().getViewBox().height()
        if n == 0 or height <= 0:
            return 1
        line = 1.15 * QFontMetrics(self.getAxis("left").font()).height()
        return max(1, math.ceil(line * n / height))

    def _label_rows(self, *_) -> None:
        k = self.label_every()
        self.getAxis("left").setTicks([[(i, t) for i, t in enumerate(self.labels) if i % k == 0]])



class SlowMotionView(QWidget):
    """One StepDetail, stage by stage, with Back/Next.

    The stage pages (nine plots) are built when the view is first shown or given a step,
    not with the training panel: the window's first paint does not wait for them. Reading
    one of their widgets (``kind_combo``, ``token_loss_bars``, ...) builds them too.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail = None
        t = self.texts = Texts(self)
        self.run_button = t.widget(QPushButton(), lambda: self.tr("Step in slow motion"),
                                   lambda: self.tr("Take one training step and show each of its stages"))
        self.back_button = t.widget(QPushButton(), lambda: self.tr("◀ Back"),
                                    lambda: self.tr("The previous stage of the step"))
        self.next_button = t.widget(QPushButton(), lambda: self.tr("Next ▶"),
                                    lambda: self.tr("The next stage of the step"))
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

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.stack = QStackedWidget()
        self._built = False
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.stack, 1)
        t.add(self._write_data_texts)

    def __getattr__(self, name: str):
        """A stage page's widget, asked for before the pages were built: build them now."""
        if name.startswith("_") or self.__dict__.get("_built", True):
            raise AttributeError(name)
        self._build_pages()
        return getattr(self, name)

    def showEvent(self, event) -> None:
        self._build_pages()
        super().showEvent(event)

    def _build_pages(self) -> None:
        """The stage pages and their texts (once)."""
        if self._built:
            return
        self._built = True
        for page in (self._build_batch_page(), _scrolling(self._build_forward_page()),
                     _scrolling(self._build_backward_page()), self._build_update_page(),
                     _scrolling(self._build_probe_page())):
            self.stack.addWidget(page)
        t = self.texts
        t.add(lambda: self.token_loss_bars.set_texts(self.tr("loss of each target token"), self.tr("cross-entropy")))
        t.add(lambda: self.token_loss_map.plot.setTitle(self.tr("loss per target token (rows: sentences)")))
        t.add(lambda: self.grad_bars.set_texts(self.tr("gradient norm per parameter group"), "‖∇‖"))
        t.add(lambda: self.head_grad_map.plot.setTitle(self.tr("gradient norm of Q/K/V per head")))
        t.add(lambda: self.update_bars.set_texts(self.tr("relative change of each parameter group"), "‖Δw‖ / ‖w‖"))
        t.add(lambda: self.probe_before.plot.setTitle(self.tr("before the update")))
        t.add(lambda: self.probe_after.plot.setTitle(self.tr("after the update")))
        t.add(lambda: self.probe_change.plot.setTitle(self.tr("change (after − before)")))
        self._write_data_texts()

    def _write_data_texts(self) -> None:
        """The texts that show the step: rebuilt from it (again after a language change)."""
        if self._built:
            self._name_heads()
        self._show_stage(max(self.stack.currentIndex(), 0))
        if self.detail is None:
            self.message.setText(self.tr("Press “Step in slow motion” to take one training step apart."))
        else:
            self._show_summary(self.detail)
            self._name_batch_rows(self.detail)
            self._draw_sentence_loss()
            self._draw_loss_map(self.detail)
            self._draw_head_gradients(self.detail)
            self._draw_probe()

    # -- pages -----------------------------------------------------------------------
    def _build_batch_page(self) -> QWidget:
        self.batch_table = QTableWidget()
        self.batch_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        return self.batch_table

    def _build_forward_page(self) -> QWidget:
        page = QWidget()
        t = self.texts
        self.sentence_spin = t.widget(QSpinBox(), tip=lambda: self.tr("Which sentence pair of the batch to show"))
        self.sentence_spin.valueChanged.connect(self._draw_sentence_loss)
        self.sentence_label = t.widget(QLabel(), lambda: self.tr("Sentence"))
        self.loss_label = QLabel()
        self.loss_label.setWordWrap(True)  # names a token: one line could widen the panel
        self.token_loss_bars = BarChart()
        self.token_loss_map = TokenHeatmap()
        row = QHBoxLayout()
        row.addWidget(self.sentence_label)
        row.addWidget(self.sentence_spin)
        row.addWidget(self.loss_label, 1)
        for view in (self.token_loss_bars, self.token_loss_map):
            view.setMinimumHeight(MIN_VIEW_PX)
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(self.token_loss_bars, 1)
        layout.addWidget(self.token_loss_map, 1)
        return page

    def _build_backward_page(self) -> QWidget:
        page = QWidget()
        self.grad_bars = BarChart()
        self.head_grad_map = TokenHeatmap()
        self.grad_bars.setMinimumHeight(MIN_VIEW_PX)
        self.head_grad_map.setMinimumHeight(MIN_VIEW_PX)
        layout = QVBoxLayout(page)
        layout.addWidget(self.grad_bars, 3)
        layout.addWidget(self.head_grad_map, 2)
        return page

    def _build_update_page(self) -> QWidget:
        self.update_bars = BarChart()
        return self.update_bars

    def _build_probe_page(self) -> QWidget:
        page = QWidget()
        t = self.texts
        self.kind_combo = t.widget(QComboBox(), tip=lambda: self.tr("Which attention of the probe sentence to compare"))
        for kind in ATTENTION_KINDS:
            self.kind_combo.addItem(kind, kind)
        t.bind(self.kind_combo, {"cross": lambda: self.tr("cross (decoder → encoder)"),
                                 "enc_self": lambda: self.tr("encoder self"),
                                 "dec_self": lambda: self.tr("decoder self")})
        self.layer_spin = t.widget(QSpinBox(), tip=lambda: self.tr("Layer of that attention"))
        self.head_combo = t.widget(QComboBox(), tip=lambda: self.tr("One head, or the mean of all heads"))
        for w in (self.kind_combo, self.head_combo):
            w.currentIndexChanged.connect(self._draw_probe)
        self.layer_spin.valueChanged.connect(self._draw_probe)
        self.kind_label = t.widget(QLabel(), lambda: self.tr("Attention"))
        self.layer_label = t.widget(QLabel(), lambda: self.tr("Layer"))
        self.head_label = t.widget(QLabel(), lambda: self.tr("Head"))
        row = QHBoxLayout()
        for label, w in ((self.kind_label, self.kind_combo), (self.layer_label, self.layer_spin),
                         (self.head_label, self.head_combo)):
            row.addWidget(label)
            row.addWidget(w)
        row.addStretch(1)
        self.probe_before = TokenHeatmap()
        self.probe_after = TokenHeatmap()
        self.probe_change = TokenHeatmap()
        for view in (self.probe_before, self.probe_after, self.probe_change):
            view.setMinimumHeight(MIN_VIEW_PX)
        maps = QGridLayout()
        maps.addWidget(self.probe_before, 0, 0)
        maps.addWidget(self.probe_after, 0, 1)
        maps.addWidget(self.probe_change, 1, 0, 1, 2)
        self.probe_note = QLabel()
        self.probe_note.setWordWrap(True)  # quotes the probe sentence: one line widened the panel
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(self.probe_note)
        layout.addLayout(maps, 1)
        return page

    # -- navigation ------------------------------------------------------------------
    def _show_stage(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        self.stage_label.setText(self.tr(STAGES[index]))
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
        self._build_pages()
        self.detail = detail
        self._show_summary(detail)
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

    def _show_summary(self, detail) -> None:
        r = detail.report
        self.message.setText(self.tr(
            "Step {step}: {pairs} sentence pairs, {tokens} target tokens, loss {loss:.4f}, "
            "learning rate {lr:.3g}, gradient norm {grad:.3g}.").format(
            step=r.step, pairs=len(detail.src_tokens), tokens=r.tokens, loss=r.loss, lr=r.lr,
            grad=r.grad_norm))

    def _fill_batch(self, detail) -> None:
        table = self.batch_table
        rows = [toks for pair in zip(detail.src_tokens, detail.tgt_tokens) for toks in pair]
        width = max((len(toks) for toks in rows), default=0)
        table.clear()
        table.setRowCount(len(rows))
        table.setColumnCount(width)
        self._name_batch_rows(detail)
        table.setHorizontalHeaderLabels([str(j) for j in range(width)])
        for r, toks in enumerate(rows):
            for c, tok in enumerate(toks):
                table.setItem(r, c, QTableWidgetItem(tok))
        table.resizeColumnsToContents()

    def _name_batch_rows(self, detail) -> None:
        names = []
        for i in range(len(detail.src_tokens)):
            names.append(self.tr("source {i}").format(i=i))
            names.append(self.tr("target {i}").format(i=i))
        self.batch_table.setVerticalHeaderLabels(names)

    @Slot()
    def _draw_sentence_loss(self) -> None:
        if self.detail is None or not self.detail.token_loss:
            return
        i = self.sentence_spin.value()
        losses = np.asarray(self.detail.token_loss[i], dtype=float)
        tokens = list(self.detail.tgt_tokens[i])
        self.token_loss_bars.set_bars(tokens, losses)
        self.loss_label.setText(self.tr("mean {mean:.3f} over {n} tokens; highest at “{token}”").format(
            mean=losses.mean(), n=len(losses), token=tokens[int(losses.argmax())]))

    def _draw_loss_map(self, detail) -> None:
        width = max(len(x) for x in detail.token_loss)
        matrix = np.full((len(detail.token_loss), width), np.nan)
        for i, losses in enumerate(detail.token_loss):
            matrix[i, : len(losses)] = losses
        self.token_loss_map.set_matrix(matrix, [self.tr("sentence {i}").format(i=i) for i in range(len(matrix))],
                                       [self.tr("pos {j}").format(j=j) for j in range(width)], scale="auto")

    def _draw_gradients(self, detail) -> None:
        groups = list(detail.grad_norms)
        self.grad_bars.set_bars(groups, [detail.grad_norms[g] for g in groups])
        self._draw_head_gradients(detail)

    def _draw_head_gradients(self, detail) -> None:
        blocks = list(detail.head_grad_norms)
        if blocks:
            matrix = np.stack([np.asarray(detail.head_grad_norms[b], dtype=float) for b in blocks])
            self.head_grad_map.set_matrix(matrix, [short_block_name(b) for b in blocks],
                                          [self.tr("head {h}").format(h=h) for h in range(matrix.shape[1])])

    def _prepare_probe(self, detail) -> None:
        trace = detail.probe_after or detail.probe_before
        if trace is None:
            self.probe_note.setText(self.tr("This step carried no probe sentence."))
            return
        self.layer_spin.blockSignals(True)
        self.layer_spin.setRange(0, max(len(trace.enc_self), len(trace.dec_self)) - 1)
        self.layer_spin.blockSignals(False)
        self.head_combo.blockSignals(True)
        self.head_combo.clear()
        for h in range(-1, trace.enc_self[0].n_heads):  # -1: the mean of the heads
            self.head_combo.addItem("", h)
        self._name_heads()
        self.head_combo.blockSignals(False)
        self._draw_probe()

    def _name_heads(self) -> None:
        for i in range(self.head_combo.count()):
            h = self.head_combo.itemData(i)
            self.head_combo.setItemText(i, self.tr("mean of heads") if h < 0 else self.tr("head {h}").format(h=h))

    @Slot()
    def _draw_probe(self) -> None:
        d = self.detail
        if d is None or d.probe_before is None or d.probe_after is None:
            if d is not None and d.probe_before is None and d.probe_after is None:
                self.probe_note.setText(self.tr("This step carried no probe sentence."))
            return
        kind, layer, head = self.kind_combo.currentData(), self.layer_spin.value(), self.head_combo.currentIndex()
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
            self.probe_note.setText(self.tr("Probe: {src}. Largest change of one attention weight: {change:.2e}")
                                    .format(src=src, change=change))
        else:
            self.probe_note.setText(self.tr("Probe: {src}. The translation changed, so the maps differ in shape.")
                                    .format(src=src))


