"""The positional panel's tabs that draw P: sinusoidal, a sentence's X + P, learned, rotary.

Each tab is a widget that writes its controls into the panel's ``PositionalState`` and
draws from it (``draw()``); ``matrices()`` lists the arrays it shows (File > Export).
Its texts are declared with its widgets (``explorer.texts``).
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from explorer.logic.positional import (
    PositionalState,
    labels,
    learned_snapshot,
    pair_indices,
    rotary_picture,
    sinusoidal,
)
from explorer.texts import Texts
from explorer.widgets.export import LabeledMatrix
from explorer.widgets.heatmap import TokenHeatmap
from explorer.widgets.position_table import (
    TableView,
    draw_offset_curves,
    label_plot,
    line_plot,
    spread_note,
)

MAX_PAIR_PLOTS = 8


class Tab(QWidget):
    """One tab: a state to draw, texts declared with the widgets, a bar of labelled controls."""

    def __init__(self, state: PositionalState) -> None:
        super().__init__()
        self.state = state
        self.texts = Texts(self)
        self.box = QVBoxLayout(self)

    def draw(self) -> None:
        """Draw the state (controls included)."""

    def matrices(self) -> list[LabeledMatrix]:
        return []

    def bar(self, *controls) -> QHBoxLayout:
        """A row of (label text, tooltip, widget) triples; returns it for more widgets."""
        row = QHBoxLayout()
        for text, tip, widget in controls:
            if text is not None:
                row.addWidget(self.texts.widget(QLabel(), text))
            self.texts.bind(widget.setToolTip, tip)
            row.addWidget(widget)
        self.box.addLayout(row)
        return row


class SinusoidalTab(Tab):
    """The sinusoidal table of the paper, for any D and number of positions, in two layouts."""

    def __init__(self, state: PositionalState) -> None:
        super().__init__(state)
        self.d_model_spin = QSpinBox(minimum=2, maximum=1024, singleStep=2, value=state.width)
        self.positions_spin = QSpinBox(minimum=2, maximum=2048, value=state.positions)
        self.layout_combo = QComboBox()
        self.layout_combo.addItem("", "interleaved")
        self.layout_combo.addItem("", "split")
        self.texts.bind(self.layout_combo, {"interleaved": lambda: self.tr("interleaved (paper)"),
                                            "split": lambda: self.tr("split halves")})
        self.bar((lambda: self.tr("D"), lambda: self.tr("Width D of each position vector (even)"), self.d_model_spin),
                 (lambda: self.tr("positions"), lambda: self.tr("How many positions (rows of P) to draw"), self.positions_spin),
                 (lambda: self.tr("sin/cos layout"),
                  lambda: self.tr("The same numbers in another column order: compare how they look"),
                  self.layout_combo)).addStretch(1)
        for widget in (self.d_model_spin, self.positions_spin):
            widget.editingFinished.connect(self._on_controls)
        self.layout_combo.currentIndexChanged.connect(self._on_controls)
        formula = QLabel("P(pos, 2i) = sin(pos / 10000^(2i/D)),  P(pos, 2i+1) = cos(pos / 10000^(2i/D))")
        formula.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.layout_note = QLabel()
        self.view = TableView("P")
        self.box.addWidget(formula)
        self.box.addWidget(self.layout_note)
        self.box.addWidget(self.view, 1)
        self.texts.add(self._write_texts)

    @Slot()
    def _on_controls(self) -> None:
        s = self.state
        s.width, s.positions = self.d_model_spin.value(), self.positions_spin.value()
        s.layout = self.layout_combo.currentData()
        self.draw()

    def draw(self) -> None:
        s = self.state
        for widget, value in ((self.d_model_spin, s.width), (self.positions_spin, s.positions)):
            widget.setValue(value)
        self.layout_combo.setCurrentIndex(self.layout_combo.findData(s.layout))
        self.view.set_table(sinusoidal(s.positions, s.width & ~1, s.layout))
        self._write_texts()

    def _write_texts(self) -> None:
        """The title of the drawn table and the note on its layout."""
        if self.view.table.size == 0:
            return
        width = self.view.table.shape[1]
        if self.state.layout == "split":
            name = self.tr("split halves")
            note = self.tr("layout: split halves — all sines in dimensions 0..D/2−1, their cosines in "
                           "D/2..D−1 (the same numbers, reordered)")
        else:
            name = self.tr("interleaved")
            note = self.tr("layout: interleaved, as in the paper — sin at even dimensions 2i, cos at odd 2i+1")
        self.view.title = self.tr("sinusoidal P, D = {width}, {layout}").format(width=width, layout=name)
        self.view.heatmap.plot.setTitle(self.view.title)
        self.layout_note.setText(note)

    def matrices(self) -> list[LabeledMatrix]:
        return self.view.matrices()


class SentenceTab(Tab):
    """X, P and X + P of a traced sentence, on one colour scale."""

    def __init__(self, state: PositionalState, on_trace) -> None:
        super().__init__(state)
        self.sentence_edit = QLineEdit()
        self.texts.bind(self.sentence_edit.setPlaceholderText, lambda: self.tr("a source sentence"))
        self.sentence_edit.returnPressed.connect(on_trace)
        self.trace_button = self.texts.widget(QPushButton(), lambda: self.tr("Trace"),
                                              tip=lambda: self.tr("Run the sentence through the loaded model"))
        self.trace_button.clicked.connect(on_trace)
        row = self.bar((None, lambda: self.tr("A source sentence to run through the loaded model (Enter)"),
                        self.sentence_edit))
        row.setStretch(0, 1)
        row.addWidget(self.trace_button)
        self.sentence_note = QLabel()
        self.sentence_note.setWordWrap(True)
        self.box.addWidget(self.sentence_note)
        self.x_map, self.p_map, self.xp_map = TokenHeatmap(), TokenHeatmap(), TokenHeatmap()
        maps = QSplitter(Qt.Orientation.Vertical)
        for view, title in ((self.x_map, lambda: self.tr("X: token embeddings (× √D)")),
                            (self.p_map, lambda: self.tr("P: positional encoding")),
                            (self.xp_map, lambda: self.tr("X + P: what the encoder receives"))):
            maps.addWidget(view)
            self.texts.bind(view.plot.setTitle, title)
        self.box.addWidget(maps, 1)
        self.texts.add(self._write_note)

    def draw(self) -> None:
        trace = self.state.trace
        if trace is not None:
            if not self.sentence_edit.hasFocus():
                self.sentence_edit.setText(" ".join(t for t in trace.src_tokens if t != "<eos>"))
            x, p = trace.src_embed, trace.src_pos
            rows, cols = [f"{i} {t}" for i, t in enumerate(trace.src_tokens)], labels("d", x.shape[1])
            peak = float(max(np.abs(x).max(), np.abs(x + p).max(), np.abs(p).max())) or 1.0
            for view, values in ((self.x_map, x), (self.p_map, p), (self.xp_map, x + p)):
                view.set_matrix(values, rows, cols, scale="signed")
                view.image.setLevels((-peak, peak))  # one colour scale: sizes compare across the three
                view.colorbar.setLevels((-peak, peak))
        self._write_note()

    def _write_note(self) -> None:
        """The note under the sentence: the model's encoding and the sizes of X and P."""
        trace = self.state.trace
        if trace is None:
            self.sentence_note.setText(self.tr("Load a model or trace a sentence to see its X, P and X + P."))
            return
        kind = self.state.encoding or "?"
        norms = self.tr("mean row length ‖X‖ = {x:.3g}, ‖P‖ = {p:.3g}").format(
            x=np.linalg.norm(trace.src_embed, axis=1).mean(), p=np.linalg.norm(trace.src_pos, axis=1).mean())
        if kind == "rotary":
            note = self.tr("This model adds no P (pos_encoding = rotary): rotary encoding rotates q and k "
                           "inside attention instead. {norms}.").format(norms=norms)
        elif kind == "none":
            note = self.tr("This model adds no P (pos_encoding = none): this model has no positional "
                           "encoding at all. {norms}.").format(norms=norms)
        else:
            note = self.tr("pos_encoding = {kind}; step {step}; {norms}.").format(
                kind=kind, step=trace.step, norms=norms)
        self.sentence_note.setText(note)

    def matrices(self) -> list[LabeledMatrix]:
        trace = self.state.trace
        if trace is None:
            return []
        x, p = trace.src_embed, trace.src_pos
        rows, cols = tuple(trace.src_tokens), tuple(labels("d", x.shape[1]))
        return [LabeledMatrix(name, values, rows, cols) for name, values in (("X", x), ("P", p), ("X_plus_P", x + p))]


class LearnedTab(Tab):
    """A learned positional table, and how it changed over the training timeline."""

    def __init__(self, state: PositionalState) -> None:
        super().__init__(state)
        self.learned_note = QLabel()
        self.learned_note.setWordWrap(True)
        self.learned_note.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.box.addWidget(self.learned_note)
        self.timeline_slider = QSlider(Qt.Orientation.Horizontal)
        self.timeline_slider.setEnabled(False)
        self.timeline_slider.valueChanged.connect(self._on_slider)
        self.timeline_label = QLabel()
        self.timeline_bar = QWidget()
        bar = QHBoxLayout(self.timeline_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.texts.widget(QLabel(), lambda: self.tr("training timeline:")))
        bar.addWidget(self.texts.widget(self.timeline_slider, tip=lambda: self.tr(
            "The learned table as it was at each snapshot of training")), 1)
        bar.addWidget(self.timeline_label)
        self.box.addWidget(self.timeline_bar)
        self.view = TableView("P")
        self.box.addWidget(self.view, 1)
        self.timeline_bar.hide()
        self.view.hide()
        self.texts.add(self._draw_table)

    @Slot(int)
    def _on_slider(self, value: int) -> None:
        self.state.snapshot_index = value if value < self.timeline_slider.maximum() else -1
        self._draw_table()

    def draw(self) -> None:
        """Fit the slider to the snapshots and draw the chosen one."""
        picked = learned_snapshot(self.state)
        slider = self.timeline_slider
        slider.blockSignals(True)
        slider.setRange(0, max(len(self.state.snapshots) - 1, 0))
        slider.setValue(picked[0] if picked else 0)
        slider.setEnabled(len(self.state.snapshots) > 1)
        slider.blockSignals(False)
        self._draw_table()

    def _draw_table(self) -> None:
        s = self.state
        kind = s.encoding
        shown = kind == "learned" and bool(s.snapshots or s.trace is not None)
        self.view.setVisible(shown)
        self.timeline_bar.setVisible(shown)
        if kind is None:
            self.learned_note.setText(self.tr("No model is loaded yet, so there is no learned table. Build one with "
                                         "'learned' in the Training panel to watch it train."))
        elif kind != "learned":
            self.learned_note.setText(self.tr(
                "The loaded model uses pos_encoding = {kind}; it has no learned table. Rebuild it "
                "with 'learned' in the Training panel to watch one train.").format(kind=kind))
        elif not shown:
            self.learned_note.setText(self.tr("Waiting for the model's first trace or timeline snapshot."))
        elif s.snapshots:
            index, snap = learned_snapshot(s)
            self.view.set_table(snap.pos_table, title=self.tr("learned P at step {step}").format(step=snap.step))
            self.timeline_label.setText(self.tr("step {step} ({index} of {count})").format(
                step=snap.step, index=index + 1, count=len(s.snapshots)))
            self.learned_note.setText(self.tr("The model's own source positional table (model.src_pos.weight), "
                                         "as kept on the training timeline."))
        else:
            rows = s.trace.src_pos
            self.view.set_table(rows, title=self.tr("learned P, rows 0..{last}, step {step}").format(
                last=len(rows) - 1, step=s.trace.step))
            self.timeline_label.setText(self.tr("no snapshots"))
            self.learned_note.setText(self.tr(
                "The first {n} rows of the model's learned table, from the latest trace. "
                "Whole tables over training appear once the timeline holds snapshots.").format(n=len(rows)))

    def matrices(self) -> list[LabeledMatrix]:
        return self.view.matrices() if self.view.isVisibleTo(self) else []


class RotaryTab(Tab):
    """Rotary encoding: pairs of q turning with position, and q·k against the offset
    beside the additive case."""

    def __init__(self, state: PositionalState) -> None:
        super().__init__(state)
        self.picture = None  # the RotaryPicture drawn
        self.pairs: list[int] = []
        self._pair_items: list[tuple] = []
        self.rotary_positions_spin = QSpinBox(minimum=2, maximum=512, value=state.rotary_positions)
        self.head_spin = QSpinBox(minimum=0, maximum=0)
        self.query_combo, self.key_combo = QComboBox(), QComboBox()
        self.bar((lambda: self.tr("positions"), lambda: self.tr("How many positions m the pairs turn through"),
                  self.rotary_positions_spin),
                 (lambda: self.tr("head"), lambda: self.tr("The attention head of encoder layer 0 that gives q and k"),
                  self.head_spin),
                 (lambda: self.tr("q from"), lambda: self.tr("The token whose query q is used"), self.query_combo),
                 (lambda: self.tr("k from"), lambda: self.tr("The token whose key k is used"), self.key_combo)).addStretch(1)
        self.rotary_positions_spin.editingFinished.connect(self._on_controls)
        self.head_spin.valueChanged.connect(self._on_controls)
        self.query_combo.currentIndexChanged.connect(self._on_controls)
        self.key_combo.currentIndexChanged.connect(self._on_controls)
        self.rotary_note = QLabel()
        self.rotary_note.setWordWrap(True)
        self.pairs_view = pg.GraphicsLayoutWidget()
        self.pairs_view.setBackground("w")
        self.rotary_plot, self.additive_plot = line_plot(), line_plot()
        self.rotary_spread, self.additive_spread = QLabel(" "), QLabel(" ")
        for label in (self.rotary_spread, self.additive_spread):
            label.setWordWrap(True)  # two side by side: one line each made the tab 720 px wide
        curves = QGridLayout()
        curves.addWidget(self.rotary_plot, 0, 0)
        curves.addWidget(self.additive_plot, 0, 1)
        curves.addWidget(self.rotary_spread, 1, 0)
        curves.addWidget(self.additive_spread, 1, 1)
        self.box.addWidget(self.rotary_note)
        self.box.addWidget(self.pairs_view, 1)
        self.box.addLayout(curves, 1)
        self.texts.add(lambda: label_plot(self.rotary_plot, self.tr("rotary: (R_m q) · (R_(m+k) k)"), self.tr("offset k"),
                                          self.tr("score")))
        self.texts.add(lambda: label_plot(self.additive_plot, self.tr("additive: (q + p_m) · (k + p_(m+k))"),
                                          self.tr("offset k"), self.tr("score")))
        self.texts.add(self._write_texts)

    @Slot()
    def _on_controls(self) -> None:
        s = self.state
        s.rotary_positions, s.head = self.rotary_positions_spin.value(), self.head_spin.value()
        s.query, s.key = max(self.query_combo.currentIndex(), 0), max(self.key_combo.currentIndex(), 0)
        self._draw_picture()

    def draw(self) -> None:
        """Token choices from the trace (a choice still in range is kept), then the picture."""
        s = self.state
        tokens = list(s.trace.src_tokens) if s.trace is not None else []
        heads = s.trace.enc_self[0].n_heads if s.trace is not None and s.trace.enc_self else 1
        s.key = s.key if s.key < len(tokens) else min(1, max(len(tokens) - 1, 0))
        s.query = s.query if s.query < len(tokens) else 0
        for combo, index in ((self.query_combo, s.query), (self.key_combo, s.key)):
            combo.blockSignals(True)
            combo.clear()
            for i, t in enumerate(tokens):
                combo.addItem(f"{i}: {t}", i)
            combo.setCurrentIndex(index if tokens else -1)
            combo.blockSignals(False)
        for spin, maximum, value in ((self.head_spin, heads - 1, min(s.head, heads - 1)),
                                     (self.rotary_positions_spin, 512, s.rotary_positions)):
            spin.blockSignals(True)
            spin.setMaximum(maximum)
            spin.setValue(value)
            spin.blockSignals(False)
        self._draw_picture()

    def _draw_picture(self) -> None:
        self.picture = p = rotary_picture(self.state)
        self._draw_pairs(p.rotated_q)
        self._write_texts()

    def _write_texts(self) -> None:
        """The note, pair titles, curves (their legends name the start positions) and spreads."""
        p = self.picture
        if p is None:
            return
        n_pos, width = p.rotated_q.shape
        if p.source is None:
            source = f"q = k = (1, …, 1), D = {width}"
        else:
            source = self.tr("q of “{q_token}” and k of “{k_token}”, encoder layer 0, head {head}, Dh = {dh}, "
                             "from the loaded model at step {step}").format(**p.source)
        self.rotary_note.setText(self.tr(
            "Rotary multiplies: pair (2i, 2i+1) of q and k turns by angle m·θᵢ at position m, "
            "θᵢ = 10000^(−2i/Dh). Each small plot is one pair of q on its circle over positions "
            "0..{last} (dark = early, yellow = late): low pairs turn fast, high pairs slowly. "
            "Vectors: {source}.").format(last=n_pos - 1, source=source))
        for i, (plot, _, _) in zip(self.pairs, self._pair_items):
            theta = 10000.0 ** (-2 * i / width)
            radius = float(np.hypot(*p.rotated_q[0, 2 * i:2 * i + 2])) or 1.0  # a rotation keeps the length
            plot.setTitle(self.tr("pair {i}<br>θ={theta:.2g}, |q|={radius:.2g}").format(
                i=i, theta=theta, radius=radius), size="8pt")
        draw_offset_curves(self.rotary_plot, p.rotary_scores, p.starts)
        draw_offset_curves(self.additive_plot, p.additive_scores, p.starts)
        self.rotary_spread.setText(self.tr("rotary: {note}").format(note=spread_note(p.rotary_scores)))
        self.additive_spread.setText(self.tr("additive: {note}").format(note=spread_note(p.additive_scores)))

    def _draw_pairs(self, rotated: np.ndarray) -> None:
        n_pos, width = rotated.shape
        pairs = pair_indices(width, MAX_PAIR_PLOTS)
        if pairs != self.pairs or len(self._pair_items) != len(pairs):
            self._build_pair_plots(pairs)
        colors = pg.colormap.get("viridis").map(np.linspace(0, 1, n_pos), mode="qcolor")
        brushes = [pg.mkBrush(c) for c in colors]
        circle = np.linspace(0, 2 * np.pi, 97)
        for i, (plot, orbit, points) in zip(pairs, self._pair_items):
            xy = rotated[:, 2 * i:2 * i + 2]
            radius = float(np.hypot(*xy[0])) or 1.0  # a rotation keeps the pair's length
            orbit.setData(radius * np.cos(circle), radius * np.sin(circle))
            points.setData(xy[:, 0], xy[:, 1], symbolBrush=brushes)
            plot.setRange(xRange=(-radius, radius), yRange=(-radius, radius), padding=0.08)

    def _build_pair_plots(self, pairs: list[int]) -> None:
        """One small square plot per pair of dimensions: its grey orbit and coloured points."""
        self.pairs = pairs
        self.pairs_view.clear()
        self._pair_items = []
        for col in range(len(pairs)):
            plot = self.pairs_view.addPlot(row=0, col=col)
            plot.setAspectLocked(True)
            plot.hideAxis("left")
            plot.hideAxis("bottom")
            plot.setMouseEnabled(False, False)
            plot.hideButtons()
            plot.setMenuEnabled(False)
            orbit = plot.plot([], [], pen=pg.mkPen(210, 210, 210))
            points = plot.plot([], [], pen=None, symbol="o", symbolSize=6, symbolPen=None)
            self._pair_items.append((plot, orbit, points))

    def matrices(self) -> list[LabeledMatrix]:
        p = self.picture
        if p is None:
            return []
        n_pos, width = p.rotated_q.shape
        starts = tuple(f"start{m}" for m in p.starts)
        offsets = tuple(labels("k", p.rotary_scores.shape[1]))
        return [
            LabeledMatrix("rotated_q", p.rotated_q, tuple(labels("pos", n_pos)), tuple(labels("d", width))),
            LabeledMatrix("rotary_scores_by_offset", p.rotary_scores, starts, offsets),
            LabeledMatrix("additive_scores_by_offset", p.additive_scores, starts, offsets),
        ]
