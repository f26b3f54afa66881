"""The positional-encodings panel: how word order gets into a Transformer.

Attention treats its inputs as a set, so order has to be injected. Two ways are shown:

- Add a matrix P to the word vectors X (the original paper: sinusoidal P; or a learned P).
  Tabs "Sinusoidal" and "Learned" draw P (position × dimension), chosen dimensions over
  position (low dimensions turn fast, high ones slowly), P·Pᵀ, and P_m·P_(m+k) against the
  offset k from several start positions m. "Sentence" shows X, P and X + P of a real
  sentence from the loaded model.
- Multiply: rotary encodings rotate each pair of dimensions of q and k by an angle that
  grows with position. Tab "Rotary" draws the rotating pairs and q·k against the offset,
  beside the additive case (q + p_m)·(k + p_n), which also depends on where m stands.

Tab "Compare" trains small models that differ only in the encoding (model/compare.py, in a
background thread) and shows that a model without any encoding cannot tell word order.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSlider,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.i18n import tr
from explorer.jobs import Job
from explorer.logic.positional import (
    comparison,
    default_dims,
    labels,
    offset_starts,
    parse_dims,
    rotate,
    scores_by_offset,
    similarity_by_offset,
    sinusoidal,
    spread,
    unrotate,
)
from explorer.panels.base import Panel, Retranslating
from explorer.widgets.export import LabeledMatrix
from explorer.widgets.heatmap import TokenHeatmap
from model import compare

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf")
KIND_COLORS = dict(zip(compare.KINDS, PALETTE))
MAX_PAIR_PLOTS = 8
SINUSOIDAL, SENTENCE, LEARNED, ROTARY, COMPARE = 0, 1, 2, 3, 4


def _plot() -> pg.PlotWidget:
    """An empty line plot with a grid and a legend; its title and axis labels come from
    ``_label_plot`` (in a retranslate method)."""
    plot = pg.PlotWidget(background="w")
    plot.showGrid(x=True, y=True, alpha=0.25)
    for side in ("left", "bottom"):
        plot.getAxis(side).enableAutoSIPrefix(False)
    plot.addLegend(offset=(-5, 5), labelTextSize="8pt")
    return plot


def _label_plot(plot: pg.PlotWidget, title: str, x_label: str, y_label: str) -> None:
    plot.setTitle(title)
    plot.setLabel("bottom", x_label)
    plot.setLabel("left", y_label)


def _draw_offset_curves(plot: pg.PlotWidget, values: np.ndarray, starts) -> None:
    """One curve per start position; the first thick, the others thinner and dashed on top,
    so curves that coincide read as one line."""
    plot.clear()
    for i, (m, row) in enumerate(zip(starts, values)):
        style = Qt.PenStyle.SolidLine if i == 0 else Qt.PenStyle.DashLine
        pen = pg.mkPen(PALETTE[i % len(PALETTE)], width=4 if i == 0 else 1.5, style=style)
        plot.plot(np.arange(len(row)), row, pen=pen, name=tr("from position {m}").format(m=m))


def _spread_note(values: np.ndarray) -> str:
    return tr("largest difference between start positions: {spread:.3g}").format(spread=spread(values))


# --------------------------------------------------------------------- views
class TableView(Retranslating, QWidget):
    """A position table P (N, D) four ways: heatmap, chosen dimensions over position,
    P·Pᵀ, and P_m·P_(m+k) against the offset k from several start positions."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.table = np.zeros((0, 0), dtype=np.float32)
        self.starts: list[int] = []
        self.by_offset = np.zeros((0, 0))
        self.dims: list[int] = []
        self.title: str | None = None  # the heatmap's title given by set_table
        self.heatmap = TokenHeatmap()
        self.gram = TokenHeatmap()
        self.curves = _plot()
        self.offset_plot = _plot()
        self.offset_note = QLabel(" ")
        self.dims_label = QLabel()
        self.dims_edit = QLineEdit()
        self.dims_edit.editingFinished.connect(self._draw_dims)

        dims_row = QHBoxLayout()
        dims_row.addWidget(self.dims_label)
        dims_row.addWidget(self.dims_edit, 1)
        curves_box = QVBoxLayout()
        curves_box.addLayout(dims_row)
        curves_box.addWidget(self.curves, 1)
        offset_box = QVBoxLayout()
        offset_box.addWidget(self.offset_plot, 1)
        offset_box.addWidget(self.offset_note)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.heatmap, 0, 0)
        grid.addWidget(self.gram, 0, 1)
        grid.addLayout(curves_box, 1, 0)
        grid.addLayout(offset_box, 1, 1)
        self.retranslate()

    def retranslate(self) -> None:
        name = self.name
        self.heatmap.plot.setTitle(self.title or self.tr("{name}: position × dimension").format(name=name))
        self.gram.plot.setTitle(self.tr("{name} · {name}ᵀ: position × position").format(name=name))
        _label_plot(self.curves, self.tr("chosen dimensions over position"), self.tr("position"), self.tr("value"))
        _label_plot(self.offset_plot, self.tr("{name}_m · {name}_(m+k) against the offset k").format(name=name),
                    self.tr("offset k"), self.tr("dot product"))
        self.dims_label.setText(self.tr("dimensions:"))
        self.dims_edit.setToolTip(self.tr("Dimensions to draw over position, separated by commas"))
        if self.starts:  # the legend and the note name the start positions
            _draw_offset_curves(self.offset_plot, self.by_offset, self.starts)
            self.offset_note.setText(_spread_note(self.by_offset))

    def set_table(self, table: np.ndarray, title: str | None = None) -> None:
        """Show ``table`` (N, D): row n is position n; ``title`` (if given) over its heatmap."""
        table = np.asarray(table, dtype=np.float32)
        reshaped = table.shape != self.table.shape
        self.table = table
        self.title = title if title is not None else self.title
        n, width = table.shape
        self.heatmap.set_matrix(table, labels("", n), labels("d", width), scale="signed", title=title)
        self.gram.set_matrix(table @ table.T, labels("", n), labels("", n), scale="signed")
        self.starts, n_offsets = offset_starts(n)
        self.by_offset = similarity_by_offset(table, self.starts, n_offsets)
        _draw_offset_curves(self.offset_plot, self.by_offset, self.starts)
        self.offset_note.setText(_spread_note(self.by_offset))
        if reshaped or not parse_dims(self.dims_edit.text(), width):
            self.dims_edit.setText(", ".join(map(str, default_dims(width))))
        self._draw_dims()

    @Slot()
    def _draw_dims(self) -> None:
        width = self.table.shape[1]
        self.dims = parse_dims(self.dims_edit.text(), width)
        self.curves.clear()
        positions = np.arange(self.table.shape[0])
        for i, d in enumerate(self.dims):
            self.curves.plot(positions, self.table[:, d], name=f"d{d}",
                             pen=pg.mkPen(PALETTE[i % len(PALETTE)], width=2))

    def curve_data(self) -> dict[int, np.ndarray]:
        """Dimension -> the values drawn for it over position (N,)."""
        items = self.curves.getPlotItem().listDataItems()
        return {d: item.getData()[1] for d, item in zip(self.dims, items)}

    def offset_curve_data(self) -> np.ndarray:
        """The similarity-against-offset curves as drawn: (len(starts), n_offsets)."""
        return np.stack([item.getData()[1] for item in self.offset_plot.getPlotItem().listDataItems()])

    def matrices(self) -> list[LabeledMatrix]:
        n, width = self.table.shape
        if n == 0:
            return []
        offsets = labels("k", self.by_offset.shape[1])
        return [
            LabeledMatrix(self.name, self.table, tuple(labels("pos", n)), tuple(labels("d", width))),
            LabeledMatrix(f"{self.name}{self.name}T", self.table @ self.table.T,
                          tuple(labels("pos", n)), tuple(labels("pos", n))),
            LabeledMatrix("dims_over_position", self.table[:, self.dims].T,
                          tuple(labels("d", width)[d] for d in self.dims), tuple(labels("pos", n))),
            LabeledMatrix("similarity_by_offset", self.by_offset,
                          tuple(f"start{m}" for m in self.starts), tuple(offsets)),
        ]


# --------------------------------------------------------------------- the panel
class PositionalPanel(Panel):
    """Positional encodings: added (sinusoidal, learned) or multiplied (rotary), and what
    a model without them cannot see.

    Works without a worker through its public methods: ``set_model_config``,
    ``show_trace``, ``show_timeline``, ``run_comparison``; ``export(path)`` saves the
    current tab (PNG/SVG picture, or CSV/NPY/NPZ of its arrays).
    """

    title = "Positional"
    TAB_NAMES = ("sinusoidal", "sentence", "learned", "rotary", "compare")

    def __init__(self, session=None, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.model_config = None
        self.train_config = None
        self.corpus = None
        self.tokenizer_kind = "word"
        self.trace = None
        self.snapshots: list = []
        self.compare_job: Job | None = None
        self.curves: dict[str, list[float]] = {}
        self.order_checks: dict[str, compare.OrderCheck] = {}
        self._loss_items: dict[str, pg.PlotDataItem] = {}
        self._kinds: tuple[str, ...] = ()
        self._steps = 0
        self.pairs: list[int] = []
        self._pair_items: list[tuple] = []
        self.rotated_q: np.ndarray | None = None
        self._example = None  # the order test of the comparison: (sentence, reordered, ref_a, ref_b)
        self._compare_status: tuple = ("intro",)  # what the comparison note says

        # Each tab is built the first time it is shown (a plot costs tens of milliseconds).
        self._pages = [(self._build_sinusoidal, self.draw_sinusoidal),
                       (self._build_sentence, self._draw_sentence),
                       (self._build_learned, self._sync_timeline),
                       (self._build_rotary, self._refresh_rotary),
                       (self._build_compare, None)]
        self._built: set[int] = set()
        self._stale: set[int] = set()  # built tabs drawn from an older trace or timeline
        # Traces from the session are taken on the next event-loop turn, the latest one only.
        self._incoming = None
        self._incoming_timer = QTimer(self, singleShot=True, interval=0)
        self._incoming_timer.timeout.connect(self._show_incoming)
        self.tabs = QTabWidget()
        for _ in self._pages:
            holder = QWidget()
            QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
            self.tabs.addTab(holder, "")  # titles are set in retranslate()
        self.tabs.currentChanged.connect(self.page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.tabs)
        self.page(0)

        if session is not None:
            session.sig_model_changed.connect(self._on_model_changed)
            session.sig_trace.connect(self._on_trace)
            session.sig_timeline.connect(self._on_timeline)
            if hasattr(session, "sig_replay"):
                session.sig_replay.connect(self._on_replay)
            if session.has_model:
                self._on_model_changed(session.info)
            if session.latest_trace is not None:
                self.show_trace(session.latest_trace)
            if session.timeline:
                self.show_timeline(session.timeline)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        self.retranslate()

    # ---------------------------------------------------------------- language
    def retranslate(self) -> None:
        """Every interface string in the current language: tab titles, then each built tab's
        labels and tooltips and the notes it shows (tabs drawn from older data are redrawn
        whole when next shown)."""
        titles = (self.tr("Sinusoidal P"), self.tr("Sentence X + P"), self.tr("Learned P"),
                  self.tr("Rotary"), self.tr("Compare"))
        tips = (self.tr("The sinusoidal table of the paper: P over position and dimension"),
                self.tr("X, P and X + P of a real sentence in the loaded model"),
                self.tr("A learned positional table and how it changed in training"),
                self.tr("Rotary encoding: q and k turned by an angle that grows with position"),
                self.tr("Train small models that differ only in the encoding"))
        for index, (title, tip) in enumerate(zip(titles, tips)):
            self.tabs.setTabText(index, title)
            self.tabs.setTabToolTip(index, tip)
        for index in sorted(self._built):
            self._retranslate_page(index)

    def _retranslate_page(self, index: int) -> None:
        (self._sinusoidal_labels, self._sentence_labels, self._learned_labels, self._rotary_labels,
         self._compare_labels)[index]()
        if index in self._stale:
            return  # drawn whole, texts included, when shown
        if index == SINUSOIDAL:
            self._sinusoidal_texts()
        elif index == SENTENCE:
            self._sentence_texts()
        elif index == LEARNED:
            self._draw_learned()
        elif index == ROTARY:
            self._rotary_texts()
        else:
            self._compare_texts()

    def _sinusoidal_labels(self) -> None:
        for label, text in zip(self.sin_labels, (self.tr("D"), self.tr("positions"), self.tr("sin/cos layout"))):
            label.setText(text)
        self.d_model_spin.setToolTip(self.tr("Width D of each position vector (even)"))
        self.positions_spin.setToolTip(self.tr("How many positions (rows of P) to draw"))
        self.layout_combo.setItemText(0, self.tr("interleaved (paper)"))
        self.layout_combo.setItemText(1, self.tr("split halves"))
        self.layout_combo.setToolTip(self.tr("The same numbers in another column order: compare how they look"))

    def _sentence_labels(self) -> None:
        self.sentence_edit.setPlaceholderText(self.tr("a source sentence"))
        self.sentence_edit.setToolTip(self.tr("A source sentence to run through the loaded model (Enter)"))
        self.trace_button.setText(self.tr("Trace"))
        self.trace_button.setToolTip(self.tr("Run the sentence through the loaded model"))
        self.x_map.plot.setTitle(self.tr("X: token embeddings (× √D)"))
        self.p_map.plot.setTitle(self.tr("P: positional encoding"))
        self.xp_map.plot.setTitle(self.tr("X + P: what the encoder receives"))

    def _learned_labels(self) -> None:
        self.timeline_title.setText(self.tr("training timeline:"))
        self.timeline_slider.setToolTip(self.tr("The learned table as it was at each snapshot of training"))

    def _rotary_labels(self) -> None:
        names = (self.tr("positions"), self.tr("head"), self.tr("q from"), self.tr("k from"))
        for label, text in zip(self.rotary_labels, names):
            label.setText(text)
        self.rotary_positions_spin.setToolTip(self.tr("How many positions m the pairs turn through"))
        self.head_spin.setToolTip(self.tr("The attention head of encoder layer 0 that gives q and k"))
        self.query_combo.setToolTip(self.tr("The token whose query q is used"))
        self.key_combo.setToolTip(self.tr("The token whose key k is used"))
        _label_plot(self.rotary_plot, self.tr("rotary: (R_m q) · (R_(m+k) k)"), self.tr("offset k"), self.tr("score"))
        _label_plot(self.additive_plot, self.tr("additive: (q + p_m) · (k + p_(m+k))"),
                    self.tr("offset k"), self.tr("score"))

    def _compare_labels(self) -> None:
        for label, text in zip(self.compare_labels, (self.tr("steps per model"), self.tr("size"))):
            label.setText(text)
        self.steps_spin.setToolTip(self.tr("Training steps for each of the four models"))
        self.size_combo.setItemText(0, self.tr("small (D 64, 2 layers, d_ff 256)"))
        self.size_combo.setItemText(1, self.tr("as the loaded model"))
        self.size_combo.setToolTip(self.tr("The shape of the compared models: small and fast, or the loaded model's"))
        self.run_button.setText(self.tr("Train and compare"))
        self.run_button.setToolTip(self.tr("Train one model per encoding on the loaded corpus in the background"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop the comparison; finished curves stay"))
        self.progress.setFormat(self.tr("%v / %m steps"))
        _label_plot(self.loss_plot, self.tr("training loss"), self.tr("step"), self.tr("loss"))
        self.order_table.setHorizontalHeaderLabels(
            [self.tr("encoding"), self.tr("translation of A"), self.tr("translation of B"),
             self.tr("encoder gap"), self.tr("decoder logit gap")])
        self.order_table.setToolTip(self.tr(
            "encoder gap: max |enc(B) − enc(A) reordered like B|; 0 means the encoder only moved its "
            "outputs with the words.\nlogit gap: max difference of the decoder's scores for A and B "
            "(same target); 0 means the decoder cannot tell A from B."))

    # ---------------------------------------------------------------- building
    @Slot(int)
    def page(self, index: int) -> QWidget:
        """The tab at ``index``, built, and drawn from the current state if it was not yet."""
        holder = self.tabs.widget(index)
        build, redraw = self._pages[index]
        if index not in self._built:
            holder.layout().addWidget(build())
            self._built.add(index)
            self._stale.add(index)
            self._retranslate_page(index)
        if index in self._stale:
            self._stale.discard(index)
            if redraw is not None:
                redraw()
        return holder

    def _redraw_pages(self, pages) -> None:
        """Bring these tabs up to date: the current one now if the panel is visible, the
        others when they are next shown (a hidden tab costs nothing while training)."""
        self._stale |= set(pages) & self._built
        if self.isVisible() and self.tabs.currentIndex() in self._stale:
            self.page(self.tabs.currentIndex())

    def showEvent(self, event) -> None:
        """A panel that was hidden (its dock behind another) draws what came meanwhile."""
        super().showEvent(event)
        if self._incoming is not None:
            self._incoming_timer.start()
        self._redraw_pages(())

    def _build_sinusoidal(self) -> QWidget:
        self.d_model_spin = QSpinBox(minimum=2, maximum=1024, singleStep=2, value=64)
        self.positions_spin = QSpinBox(minimum=2, maximum=2048, value=64)
        self.layout_combo = QComboBox()
        self.layout_combo.addItem("", "interleaved")  # texts are set in _sinusoidal_labels()
        self.layout_combo.addItem("", "split")
        for widget in (self.d_model_spin, self.positions_spin):
            widget.editingFinished.connect(self.draw_sinusoidal)
        self.layout_combo.currentIndexChanged.connect(self.draw_sinusoidal)
        self.layout_note = QLabel()
        formula = QLabel("P(pos, 2i) = sin(pos / 10000^(2i/D)),  P(pos, 2i+1) = cos(pos / 10000^(2i/D))")
        formula.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sin_view = TableView("P")

        bar = QHBoxLayout()
        self.sin_labels = []
        for widget in (self.d_model_spin, self.positions_spin, self.layout_combo):
            self.sin_labels.append(QLabel())
            bar.addWidget(self.sin_labels[-1])
            bar.addWidget(widget)
        bar.addStretch(1)
        page = QWidget()
        box = QVBoxLayout(page)
        box.addLayout(bar)
        box.addWidget(formula)
        box.addWidget(self.layout_note)
        box.addWidget(self.sin_view, 1)
        return page

    def _build_sentence(self) -> QWidget:
        self.sentence_edit = QLineEdit()
        self.sentence_edit.returnPressed.connect(self._on_trace_clicked)
        self.trace_button = QPushButton()
        self.trace_button.clicked.connect(self._on_trace_clicked)
        self.sentence_note = QLabel()
        self.sentence_note.setWordWrap(True)
        self.x_map, self.p_map, self.xp_map = TokenHeatmap(), TokenHeatmap(), TokenHeatmap()
        bar = QHBoxLayout()
        bar.addWidget(self.sentence_edit, 1)
        bar.addWidget(self.trace_button)
        maps = QSplitter(Qt.Orientation.Vertical)
        for view in (self.x_map, self.p_map, self.xp_map):
            maps.addWidget(view)
        page = QWidget()
        box = QVBoxLayout(page)
        box.addLayout(bar)
        box.addWidget(self.sentence_note)
        box.addWidget(maps, 1)
        return page

    def _build_learned(self) -> QWidget:
        self.learned_note = QLabel()
        self.learned_note.setWordWrap(True)
        self.learned_note.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.timeline_slider = QSlider(Qt.Orientation.Horizontal)
        self.timeline_slider.setEnabled(False)
        self.timeline_slider.valueChanged.connect(self._draw_learned)
        self.timeline_label = QLabel()
        self.learned_view = TableView("P")
        self.timeline_bar = QWidget()
        bar = QHBoxLayout(self.timeline_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        self.timeline_title = QLabel()
        bar.addWidget(self.timeline_title)
        bar.addWidget(self.timeline_slider, 1)
        bar.addWidget(self.timeline_label)
        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(self.learned_note)
        box.addWidget(self.timeline_bar)
        box.addWidget(self.learned_view, 1)
        self.timeline_bar.hide()
        self.learned_view.hide()
        return page

    def _build_rotary(self) -> QWidget:
        self.rotary_positions_spin = QSpinBox(minimum=2, maximum=512, value=48)
        self.rotary_positions_spin.editingFinished.connect(self.draw_rotary)
        self.head_spin = QSpinBox(minimum=0, maximum=0)
        self.query_combo, self.key_combo = QComboBox(), QComboBox()
        self.head_spin.valueChanged.connect(self.draw_rotary)
        self.query_combo.currentIndexChanged.connect(self.draw_rotary)
        self.key_combo.currentIndexChanged.connect(self.draw_rotary)
        self.rotary_note = QLabel()
        self.rotary_note.setWordWrap(True)
        self.pairs_view = pg.GraphicsLayoutWidget()
        self.pairs_view.setBackground("w")
        self.rotary_plot, self.additive_plot = _plot(), _plot()
        self.rotary_spread = QLabel(" ")
        self.additive_spread = QLabel(" ")

        bar = QHBoxLayout()
        self.rotary_labels = []
        for widget in (self.rotary_positions_spin, self.head_spin, self.query_combo, self.key_combo):
            self.rotary_labels.append(QLabel())
            bar.addWidget(self.rotary_labels[-1])
            bar.addWidget(widget)
        bar.addStretch(1)
        curves = QGridLayout()
        curves.addWidget(self.rotary_plot, 0, 0)
        curves.addWidget(self.additive_plot, 0, 1)
        curves.addWidget(self.rotary_spread, 1, 0)
        curves.addWidget(self.additive_spread, 1, 1)
        page = QWidget()
        box = QVBoxLayout(page)
        box.addLayout(bar)
        box.addWidget(self.rotary_note)
        box.addWidget(self.pairs_view, 1)
        box.addLayout(curves, 1)
        return page

    def _build_compare(self) -> QWidget:
        self.steps_spin = QSpinBox(minimum=1, maximum=100_000, value=300)
        self.size_combo = QComboBox()
        self.size_combo.addItem("", "small")  # texts are set in _compare_labels()
        self.size_combo.addItem("", "loaded")
        self.run_button = QPushButton()
        self.run_button.clicked.connect(self._on_run_clicked)
        self.cancel_button = QPushButton()
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_comparison)
        self.progress = QProgressBar()
        self.compare_note = QLabel()
        self.compare_note.setWordWrap(True)
        self.loss_plot = _plot()
        self.order_note = QLabel(" ")
        self.order_note.setWordWrap(True)
        self.order_table = QTableWidget(0, 5)
        self.order_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.order_table.verticalHeader().setVisible(False)

        bar = QHBoxLayout()
        self.compare_labels = []
        for widget in (self.steps_spin, self.size_combo):
            self.compare_labels.append(QLabel())
            bar.addWidget(self.compare_labels[-1])
            bar.addWidget(widget)
        bar.addWidget(self.run_button)
        bar.addWidget(self.cancel_button)
        bar.addWidget(self.progress, 1)
        lower = QWidget()
        lower_box = QVBoxLayout(lower)
        lower_box.setContentsMargins(0, 0, 0, 0)
        lower_box.addWidget(self.order_note)
        lower_box.addWidget(self.order_table, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.loss_plot)
        split.addWidget(lower)
        page = QWidget()
        box = QVBoxLayout(page)
        box.addLayout(bar)
        box.addWidget(self.compare_note)
        box.addWidget(split, 1)
        return page

    # ---------------------------------------------------------------- inputs
    def set_model_config(self, cfg) -> None:
        """Take the loaded model's shape: D and positions for the formulas, its encoding."""
        self.model_config = cfg
        self.d_model_spin.setValue(cfg.d_model)
        self.positions_spin.setValue(min(cfg.max_len, 128))
        layout = getattr(cfg, "pos_layout", "interleaved")  # the model's own (Marian's: split)
        self.layout_combo.blockSignals(True)
        self.layout_combo.setCurrentIndex(max(self.layout_combo.findData(layout), 0))
        self.layout_combo.blockSignals(False)
        self.draw_sinusoidal()
        self._draw_learned()
        self.draw_rotary()

    def show_trace(self, trace) -> None:
        """Draw a ModelTrace: its source X, P and X + P, and its q and k for the rotary tab
        (the tab shown now; the others when they are shown)."""
        self.trace = trace
        self._redraw_pages((SENTENCE, ROTARY) if self.snapshots else (SENTENCE, ROTARY, LEARNED))

    @Slot(object)
    def _on_replay(self, snapshot) -> None:
        """The window's timeline moved: the learned table of that snapshot (None: the newest)."""
        steps = [snap.step for snap in self.snapshots]
        if not steps:
            return
        value = len(steps) - 1 if snapshot is None or snapshot.step not in steps else steps.index(snapshot.step)
        self.timeline_slider.setValue(value)

    def show_timeline(self, snapshots) -> None:
        """Take the training timeline (list of Snapshot); the slider walks its learned tables."""
        self.snapshots = [s for s in snapshots if s.pos_table is not None]
        self._redraw_pages((LEARNED,))

    def _sync_timeline(self) -> None:
        """Fit the slider to the snapshots (showing the newest) and draw the learned tab."""
        if LEARNED not in self._built:
            return
        slider = self.timeline_slider
        slider.blockSignals(True)
        slider.setRange(0, max(len(self.snapshots) - 1, 0))
        slider.setValue(slider.maximum())
        slider.setEnabled(len(self.snapshots) > 1)
        slider.blockSignals(False)
        self._draw_learned()

    @Slot(object)
    def _on_model_changed(self, info) -> None:
        self.train_config = info.train_config
        self.corpus = info.corpus
        self.tokenizer_kind = info.tokenizer_kind
        if info.new_model:
            self.trace = None
            self.snapshots = []
        self.set_model_config(info.model_config)

    @Slot(object)
    def _on_trace(self, trace) -> None:
        self._incoming = trace
        if self.isVisible():
            self._incoming_timer.start()

    @Slot()
    def _show_incoming(self) -> None:
        if self._incoming is not None and self.isVisible():
            trace, self._incoming = self._incoming, None
            self.show_trace(trace)

    @Slot(object)
    def _on_timeline(self, snapshots) -> None:
        self.show_timeline(snapshots)

    def show_sentence(self, src: str, reference: str | None = None) -> None:
        """Trace ``src`` through the loaded model for the "Sentence X + P" tab."""
        self.page(SENTENCE)  # builds the tab's controls
        self.sentence_edit.setText(src)
        self._on_trace_clicked()

    @Slot()
    def _on_trace_clicked(self) -> None:
        text = self.sentence_edit.text().strip()
        if text and self.session is not None:
            self.session.request_trace(text).then(self._on_trace)

    # ---------------------------------------------------------------- drawing
    @Slot()
    def draw_sinusoidal(self) -> None:
        """Redraw the sinusoidal tab from its controls (D, positions, layout)."""
        width = self.d_model_spin.value() & ~1
        layout = self.layout_combo.currentData()
        table = sinusoidal(self.positions_spin.value(), width, layout)
        self.sin_view.set_table(table)
        self._sinusoidal_texts()

    def _sinusoidal_texts(self) -> None:
        """The title of the drawn table and the note on its layout."""
        n, width = self.sin_view.table.shape
        layout = self.layout_combo.currentData()
        if layout == "split":
            name = self.tr("split halves")
            note = self.tr("layout: split halves — all sines in dimensions 0..D/2−1, their cosines in "
                           "D/2..D−1 (the same numbers, reordered)")
        else:
            name = self.tr("interleaved")
            note = self.tr("layout: interleaved, as in the paper — sin at even dimensions 2i, cos at odd 2i+1")
        self.sin_view.title = self.tr("sinusoidal P, D = {width}, {layout}").format(width=width, layout=name)
        self.sin_view.heatmap.plot.setTitle(self.sin_view.title)
        self.layout_note.setText(note)

    def _draw_sentence(self) -> None:
        trace = self.trace
        if trace is None or SENTENCE not in self._built:
            self._sentence_texts()
            return
        if not self.sentence_edit.hasFocus():
            self.sentence_edit.setText(" ".join(t for t in trace.src_tokens if t != "<eos>"))
        x, p = trace.src_embed, trace.src_pos
        rows, cols = [f"{i} {t}" for i, t in enumerate(trace.src_tokens)], labels("d", x.shape[1])
        peak = float(max(np.abs(x).max(), np.abs(x + p).max(), np.abs(p).max())) or 1.0
        for view, values in ((self.x_map, x), (self.p_map, p), (self.xp_map, x + p)):
            view.set_matrix(values, rows, cols, scale="signed")
            view.image.setLevels((-peak, peak))  # one colour scale: sizes compare across the three
            view.colorbar.setLevels((-peak, peak))
        self._sentence_texts()

    def _sentence_texts(self) -> None:
        """The note under the sentence: the model's encoding and the sizes of X and P."""
        if SENTENCE not in self._built:
            return
        trace = self.trace
        if trace is None:
            self.sentence_note.setText(self.tr("Load a model or trace a sentence to see its X, P and X + P."))
            return
        kind = self.model_config.pos_encoding if self.model_config else "?"
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

    @Slot()
    def _draw_learned(self) -> None:
        if LEARNED not in self._built:
            return
        kind = self.model_config.pos_encoding if self.model_config else None
        shown = kind == "learned" and bool(self.snapshots or self.trace is not None)
        self.learned_view.setVisible(shown)
        self.timeline_bar.setVisible(shown)
        if kind != "learned":
            if kind is None:
                self.learned_note.setText(self.tr("No model is loaded yet, so there is no learned table. "
                                                  "Build one with 'learned' in the Training panel to watch "
                                                  "it train."))
            else:
                self.learned_note.setText(self.tr(
                    "The loaded model uses pos_encoding = {kind}; it has no learned table. Rebuild it "
                    "with 'learned' in the Training panel to watch one train.").format(kind=kind))
            return
        if not shown:
            self.learned_note.setText(self.tr("Waiting for the model's first trace or timeline snapshot."))
        elif self.snapshots:
            index = min(self.timeline_slider.value(), len(self.snapshots) - 1)
            snap = self.snapshots[index]
            self.learned_view.set_table(snap.pos_table, title=self.tr("learned P at step {step}").format(step=snap.step))
            self.timeline_label.setText(self.tr("step {step} ({index} of {count})").format(
                step=snap.step, index=index + 1, count=len(self.snapshots)))
            self.learned_note.setText(self.tr("The model's own source positional table (model.src_pos.weight), "
                                              "as kept on the training timeline."))
        elif self.trace is not None:
            rows = self.trace.src_pos
            self.learned_view.set_table(rows, title=self.tr("learned P, rows 0..{last}, step {step}").format(
                last=len(rows) - 1, step=self.trace.step))
            self.timeline_label.setText(self.tr("no snapshots"))
            self.learned_note.setText(self.tr(
                "The first {n} rows of the model's learned table, from the latest trace. "
                "Whole tables over training appear once the timeline holds snapshots.").format(n=len(rows)))

    def _refresh_rotary(self) -> None:
        if ROTARY in self._built:
            self._fill_token_choices()
            self.draw_rotary()

    def _fill_token_choices(self) -> None:
        """Token choices for q and k from the trace; a choice still in range is kept."""
        tokens = list(self.trace.src_tokens) if self.trace is not None else []
        heads = self.trace.enc_self[0].n_heads if self.trace is not None and self.trace.enc_self else 1
        for combo, default in ((self.query_combo, 0), (self.key_combo, min(1, len(tokens) - 1))):
            keep = combo.currentIndex()
            combo.blockSignals(True)
            combo.clear()
            for i, t in enumerate(tokens):
                combo.addItem(f"{i}: {t}", i)
            combo.setCurrentIndex(keep if 0 <= keep < len(tokens) else max(default, 0))
            combo.blockSignals(False)
        self.head_spin.blockSignals(True)
        self.head_spin.setMaximum(heads - 1)
        self.head_spin.blockSignals(False)

    def rotary_vectors(self) -> tuple[np.ndarray, np.ndarray, str]:
        """The q and k (Dh,) the rotary tab uses, before any rotation, and where they come from.

        From the latest trace: layer 0 of the encoder, the chosen head, the chosen tokens
        (a rotary model's q and k are rotated back to position 0). Without a trace:
        q = k = (1, ..., 1) of width D.
        """
        trace = self.trace
        if trace is None or not trace.enc_self:
            width = self.d_model_spin.value() & ~1
            return np.ones(width, np.float32), np.ones(width, np.float32), f"q = k = (1, …, 1), D = {width}"
        block = trace.enc_self[0]
        h = self.head_spin.value()
        q, k = block.q[h], block.k[h]  # (S, Dh)
        if self.model_config is not None and self.model_config.pos_encoding == "rotary":
            q, k = unrotate(q), unrotate(k)
        i, j = max(self.query_combo.currentIndex(), 0), max(self.key_combo.currentIndex(), 0)
        source = self.tr("q of “{q_token}” and k of “{k_token}”, encoder layer 0, head {head}, Dh = {dh}, "
                         "from the loaded model at step {step}").format(
            q_token=trace.src_tokens[i], k_token=trace.src_tokens[j], head=h, dh=q.shape[1], step=trace.step)
        return q[i].astype(np.float32), k[j].astype(np.float32), source

    @Slot()
    def draw_rotary(self) -> None:
        """Redraw the rotary tab: the rotating pairs, and q·k against offset, rotary vs additive."""
        if ROTARY not in self._built:
            return
        q, k, source = self.rotary_vectors()
        n_pos = self.rotary_positions_spin.value()
        self.rotated_q = rotate(q, n_pos)  # (N, Dh)
        self._draw_pairs(self.rotated_q)
        self.score_starts, n_offsets = offset_starts(n_pos)
        self.rotary_scores = scores_by_offset(q, k, self.score_starts, n_offsets, "rotary")
        self.additive_scores = scores_by_offset(q, k, self.score_starts, n_offsets, "additive")
        _draw_offset_curves(self.rotary_plot, self.rotary_scores, self.score_starts)
        _draw_offset_curves(self.additive_plot, self.additive_scores, self.score_starts)
        self._rotary_texts(source, redraw_curves=False)

    def _rotary_texts(self, source: str | None = None, redraw_curves: bool = True) -> None:
        """The rotary tab's note, pair titles and spread notes for what it shows (and the curves'
        legends, which name the start positions)."""
        if self.rotated_q is None:
            return
        if source is None:
            source = self.rotary_vectors()[2]
        n_pos, width = self.rotated_q.shape
        self.rotary_note.setText(self.tr(
            "Rotary multiplies: pair (2i, 2i+1) of q and k turns by angle m·θᵢ at position m, "
            "θᵢ = 10000^(−2i/Dh). Each small plot is one pair of q on its circle over positions "
            "0..{last} (dark = early, yellow = late): low pairs turn fast, high pairs slowly. "
            "Vectors: {source}.").format(last=n_pos - 1, source=source))
        for i, (plot, _, _) in zip(self.pairs, self._pair_items):
            self._title_pair(plot, i, width)
        if redraw_curves:
            _draw_offset_curves(self.rotary_plot, self.rotary_scores, self.score_starts)
            _draw_offset_curves(self.additive_plot, self.additive_scores, self.score_starts)
        self.rotary_spread.setText(self.tr("rotary: {note}").format(note=_spread_note(self.rotary_scores)))
        self.additive_spread.setText(self.tr("additive: {note}").format(note=_spread_note(self.additive_scores)))

    def _title_pair(self, plot, i: int, width: int) -> None:
        theta = 10000.0 ** (-2 * i / width)
        radius = float(np.hypot(*self.rotated_q[0, 2 * i:2 * i + 2])) or 1.0  # a rotation keeps the length
        plot.setTitle(self.tr("pair {i}<br>θ={theta:.2g}, |q|={radius:.2g}").format(i=i, theta=theta, radius=radius),
                      size="8pt")

    def _draw_pairs(self, rotated: np.ndarray) -> None:
        n_pos, width = rotated.shape
        n_pairs = width // 2
        pairs = sorted({round(x) for x in np.linspace(0, n_pairs - 1, min(MAX_PAIR_PLOTS, n_pairs))})
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

    # ---------------------------------------------------------------- comparison
    @property
    def compare_running(self) -> bool:
        return self.compare_job is not None and self.compare_job.running

    @Slot()
    def _on_run_clicked(self) -> None:
        if self.corpus is None or self.model_config is None:
            self._show_compare_status("no model")
            return
        self.run_comparison(self.steps_spin.value())

    def comparison_model_config(self) -> dict:
        """The shared model shape for the comparison (vocab sizes come from the tokenizers)."""
        fields = self.model_config.to_dict()
        if self.size_combo.currentData() == "small":
            fields.update(d_model=64, n_heads=4, n_layers=2, n_dec_layers=None, d_ff=256)
        return fields

    def run_comparison(self, steps: int, kinds=compare.KINDS, corpus=None, model_cfg=None,
                       train_cfg=None, tokenizer: str | None = None) -> None:
        """Train one model per encoding in a background thread (defaults: the loaded corpus,
        the chosen size and the loaded training settings) and draw their loss curves."""
        if self.compare_running:
            return
        self.page(COMPARE)
        corpus = corpus if corpus is not None else self.corpus
        model_cfg = model_cfg if model_cfg is not None else self.comparison_model_config()
        train_cfg = train_cfg if train_cfg is not None else self.train_config
        if train_cfg is not None:
            train_cfg = train_cfg.replace(eval_every=0, snapshot_every=0)
        example = compare.order_example(corpus.split("train"))
        self.curves = {kind: [] for kind in kinds}
        self.order_checks = {}
        self.loss_plot.clear()
        self._loss_items = {kind: self.loss_plot.plot([], [], name=kind, pen=pg.mkPen(KIND_COLORS[kind], width=2))
                            for kind in kinds}
        self.order_table.setRowCount(0)
        self._kinds = tuple(kinds)
        self._steps = steps
        self.progress.setRange(0, steps * len(kinds))
        self.progress.setValue(0)
        self._describe_example(example)
        args = (corpus, tuple(kinds), steps, model_cfg, train_cfg, tokenizer or self.tokenizer_kind, example[:2])
        self.compare_job = Job(comparison, args, owner=self)
        self.compare_job.sig_progress.connect(self._on_compare_progress)
        self.compare_job.sig_done.connect(self._on_compare_done)
        self.compare_job.sig_cancelled.connect(self._on_compare_cancelled)
        self.compare_job.sig_failed.connect(self._on_compare_failed)
        self.compare_job.sig_finished.connect(self._on_job_finished)
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self._show_compare_status("training")
        self.compare_job.start()

    def _describe_example(self, example) -> None:
        self._example = example
        self._compare_texts()

    def _show_compare_status(self, *status) -> None:
        self._compare_status = status
        self._compare_texts()

    def _compare_texts(self) -> None:
        """The comparison's note (what it does, how far it is, what it found) and its order test."""
        if COMPARE not in self._built:
            return
        kind, *args = self._compare_status
        if kind == "no model":
            text = self.tr("Load a model and corpus first (Training panel).")
        elif kind == "training":
            text = self.tr("Training…")
        elif kind == "failed":
            text = self.tr("Comparison failed: {error}").format(error=args[0])
        elif kind == "done":
            text = self._compare_result()
        else:
            text = self.tr("Trains one model per encoding (none, sinusoidal, learned, rotary) on the loaded "
                           "corpus, from the same seed and batches.")
        self.compare_note.setText(text)
        if self._example is None:
            self.order_note.setText(" ")
            return
        sentence, reordered, ref_a, ref_b = self._example
        if ref_a is not None:
            text = self.tr("Order test, two corpus sentences with the same words in another order:<br>"
                           "A: <b>{a}</b> → reference: {ref_a}<br>B: <b>{b}</b> → reference: {ref_b}")
        else:
            text = self.tr("Order test (no two corpus sentences have the same words in another order, so B "
                           "is A reordered by hand; it has no reference):<br>"
                           "A: <b>{a}</b> → reference: {ref_a}<br>B: <b>{b}</b>")
        self.order_note.setText(text.format(a=sentence, b=reordered, ref_a=ref_a, ref_b=ref_b))

    def _compare_result(self) -> str:
        """What a finished (or cancelled) comparison found: final losses, and whether the model
        without positions told A from B."""
        finished = [k for k in self._kinds if len(self.curves.get(k, [])) == self._steps]
        last = ", ".join(f"{k} {self.curves[k][-1]:.3f}" for k in finished) or "—"
        blind = self.order_checks.get("none")
        verdict = ""
        if blind is not None and blind.translation == blind.reordered_translation:
            verdict = self.tr(" Without positions the model gives the same translation for A and B "
                              "(logit gap {gap:.2g}).").format(gap=blind.logit_gap)
        elif blind is not None:
            verdict = self.tr(" Without positions the model gives different translations for A and B "
                              "(logit gap {gap:.2g}).").format(gap=blind.logit_gap)
        if len(finished) < len(self._kinds):
            return self.tr("Cancelled. Final loss: {losses}.{verdict}").format(losses=last, verdict=verdict)
        return self.tr("Final loss: {losses}.{verdict}").format(losses=last, verdict=verdict)

    def cancel_comparison(self) -> None:
        if self.compare_job is not None:
            self.compare_job.cancel()

    @Slot()
    def shutdown(self) -> None:
        """Stop a running comparison and wait for it."""
        if self.compare_job is not None:
            self.compare_job.cancel()
            self.compare_job.wait()

    @Slot(object)
    def _on_compare_progress(self, event) -> None:
        if event[0] == "order":
            self._on_order_check(event[1])
            return
        _, kind, step, loss = event
        losses = self.curves[kind]
        losses.append(loss)
        if step % 10 == 0 or step == self._steps:  # a redraw every ten steps is enough
            self._loss_items[kind].setData(np.arange(1, len(losses) + 1), losses)
        self.progress.setValue(self._kinds.index(kind) * self._steps + step)

    @Slot(object)
    def _on_order_check(self, check) -> None:
        self.order_checks[check.kind] = check
        row = self.order_table.rowCount()
        self.order_table.insertRow(row)
        cells = (check.kind, check.translation, check.reordered_translation,
                 f"{check.encoder_gap:.2g}", f"{check.logit_gap:.2g}")
        for col, text in enumerate(cells):
            self.order_table.setItem(row, col, QTableWidgetItem(text))

    @Slot(object)
    def _on_compare_done(self, curves) -> None:
        self.curves = {kind: list(losses) for kind, losses in curves.items()}
        for kind, losses in self.curves.items():
            self._loss_items[kind].setData(np.arange(1, len(losses) + 1), losses)
        self._show_compare_status("done")

    @Slot(str)
    def _on_compare_failed(self, message: str) -> None:
        self._show_compare_status("failed", message)

    @Slot()
    def _on_compare_cancelled(self) -> None:
        self.curves = {kind: losses for kind, losses in self.curves.items() if losses}
        self._show_compare_status("done")  # says "Cancelled" and the losses so far

    @Slot()
    def _on_job_finished(self) -> None:
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    # ---------------------------------------------------------------- export
    def matrices(self) -> list[LabeledMatrix]:
        """The arrays behind the current tab, with their labels."""
        page = self.tabs.currentIndex()
        if page == 0:
            return self.sin_view.matrices()
        if page == SENTENCE:
            return self._sentence_matrices()
        if page == LEARNED:
            return self.learned_view.matrices()
        if page == ROTARY:
            return self._rotary_matrices()
        return self._compare_matrices()

    def _sentence_matrices(self) -> list[LabeledMatrix]:
        if self.trace is None:
            return []
        x, p = self.trace.src_embed, self.trace.src_pos
        rows, cols = tuple(self.trace.src_tokens), tuple(labels("d", x.shape[1]))
        return [LabeledMatrix(name, values, rows, cols) for name, values in (("X", x), ("P", p), ("X_plus_P", x + p))]

    def _rotary_matrices(self) -> list[LabeledMatrix]:
        n_pos, width = self.rotated_q.shape
        starts = tuple(f"start{m}" for m in self.score_starts)
        offsets = tuple(labels("k", self.rotary_scores.shape[1]))
        return [
            LabeledMatrix("rotated_q", self.rotated_q, tuple(labels("pos", n_pos)), tuple(labels("d", width))),
            LabeledMatrix("rotary_scores_by_offset", self.rotary_scores, starts, offsets),
            LabeledMatrix("additive_scores_by_offset", self.additive_scores, starts, offsets),
        ]

    def _compare_matrices(self) -> list[LabeledMatrix]:
        if not self.curves or not any(self.curves.values()):
            return []
        n = max(len(v) for v in self.curves.values())
        values = np.full((len(self.curves), n), np.nan)
        for row, losses in enumerate(self.curves.values()):
            values[row, :len(losses)] = losses
        steps = tuple(f"step{i + 1}" for i in range(n))
        return [LabeledMatrix("loss", values, tuple(self.curves), steps)]

    def export_widget(self) -> QWidget:
        """Pictures show the current tab."""
        return self.tabs.currentWidget()
