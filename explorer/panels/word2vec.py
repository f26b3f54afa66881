"""The word2vec panel: learn an embedding matrix E with CBOW, one example at a time.

CBOW as the notes teach it: take an odd window of n tokens, hide the centre one, look up
the n − 1 context tokens in ONE shared matrix E, add their rows together (or average
them), decode that vector into a distribution over the vocabulary, compare it with the
hidden token (loss = −log p[centre]) and update. The panel shows each part of one step
with its real numbers: the context rows of E and their sum, the decoded distribution
(top k, the hidden centre marked), the loss, and which rows of E the update moved.

CBOW is independent of the translator: it trains here, on the translator's source
sentences or on a text file, in its own worker thread (play, pause, step, step N).
"Open in projector" hands the learned vectors to the Embeddings panel; the panel says how
well words of one class (animals, colours, ...) end up near each other: the neighbour
purity by word class, next to what chance would give.

What the panel holds and computes is ``explorer.logic.word2vec`` (``Word2VecState`` and pure
functions, no Qt); texts are declared where their widgets are made (``explorer.texts``).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from explorer.jobs import Job
from explorer.logic import word2vec as logic
from explorer.logic.word2vec import (
    MAX_SENTENCES,
    PURITY_K,
    TOP_K,
    CBOWSetup,
    Word2VecState,
    build_cbow,
    play_steps,
)
from explorer.panels.base import Panel
from explorer.texts import Texts
from explorer.widgets.axes import ApartAxis
from explorer.widgets.export import LabeledMatrix
from explorer.widgets.heatmap import TokenHeatmap
from model.trace import EmbeddingSnapshot
from model.word2vec import DEFAULT_LR, CBOWStep


class Word2VecPanel(Panel):
    """CBOW step by step: context rows, their sum, the decoded distribution, loss, update.

    Signals:
        sig_vectors(object, object): an EmbeddingSnapshot named "cbow" and each token's
            count ("Open in projector"; the main window hands them to the Embeddings panel).
    """

    title = "Word2vec"
    sig_vectors = Signal(object, object)

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.state = Word2VecState()
        self._worker = None
        self._summary: tuple = ("start",)  # what the summary line says, redrawn on a language change
        self.texts = Texts(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self._build_setup_box())
        layout.addLayout(self._build_transport())
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.purity_label = self.texts.widget(QLabel(), tip=lambda: self.tr(
            "For each word with a known class (animal, colour, ...): the share of its {k} nearest "
            "words (cosine) that have the same class, averaged. Chance: what random neighbours "
            "would give.").format(k=PURITY_K))
        self.purity_label.setWordWrap(True)
        layout.addWidget(self.summary)
        layout.addWidget(self.purity_label)
        layout.addWidget(self._build_views(), 1)

        for keys, slot in (("Ctrl+B", self.on_build), ("Ctrl+Right", self.step_once),
                           ("Ctrl+Shift+Right", self.on_step_n), ("Ctrl+P", self.toggle_play)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._set_running(False)
        self.texts.add(self._write_data_texts)

    # -- what the panel shows (tests and the tour read these) ------------------------------------
    @property
    def setup(self) -> CBOWSetup | None:
        return self.state.setup

    @property
    def last_step(self) -> CBOWStep | None:
        return self.state.last_step

    # -- texts built from data -----------------------------------------------------------------
    def _write_data_texts(self) -> None:
        """Texts that show data, in the current language (again after a language change)."""
        t = self.tr
        self.source_combo.setItemText(1, t("file: {name}").format(name=self.state.file_name)
                                      if self.state.file_name else t("text file…"))
        self._write_play_button()
        if self.last_step is not None:
            self.show_step(self.last_step)
        else:
            self.rows_map.plot.setTitle(t("context rows of E and their sum"))
            self._write_plot_titles()
        self._write_summary()
        self._draw_purity()

    def _write_plot_titles(self) -> None:
        self.prob_plot.setTitle(self.tr("decoded p: top {k}").format(k=TOP_K))
        self.change_plot.setTitle(self.tr("‖ΔE[row]‖ of the rows changed"))

    def _combine_name(self, combine: str) -> str:
        """"sum" or "mean" in the interface language."""
        return self.tr("mean") if combine == "mean" else self.tr("sum")

    def _show_summary(self, *state) -> None:
        self._summary = state
        self._write_summary()

    def _write_summary(self) -> None:
        kind, *args = self._summary
        if kind == "no corpus":
            text = self.tr("No corpus yet: load a translator corpus or choose a text file.")
        elif kind == "building":
            n, source = args
            text = self.tr("Building CBOW on {n:,} sentences of {source}…").format(n=n, source=source)
        elif kind == "setup" and self.setup is not None:
            t = self.setup.trainer
            text = self.tr(
                "{source}: V = {vocab:,} tokens, {windows:,} windows of n = {window}, D = {dim}, "
                "{combine} of the context rows, SGD with learning rate {lr:g}.").format(
                source=self.setup.source, vocab=t.vocab_size, windows=t.n_examples, window=t.window,
                dim=t.dim, combine=self._combine_name(t.combine), lr=t.lr)
        elif kind == "error":
            text = self.tr("CBOW stopped: {error}").format(error=args[0])
        else:
            text = self.tr("Build a CBOW model to start.")
        self.summary.setText(text)

    def _write_play_button(self) -> None:
        self.play_button.setText(self.tr("❚❚ Pause") if self._worker is not None else self.tr("▶ Play"))

    # -- layout --------------------------------------------------------------------------
    def _build_setup_box(self) -> QGroupBox:
        t = self.texts
        box = self.setup_box = t.widget(QGroupBox(), title=lambda: self.tr("Corpus and CBOW settings"))
        self.source_combo = QComboBox()
        self.source_combo.addItem("", "corpus")
        self.source_combo.addItem("", "file")
        t.bind(self.source_combo, {"corpus": lambda: self.tr("translator's source sentences")})
        t.widget(self.source_combo, tip=lambda: self.tr(
            "Learn from the source side of the translator's training corpus, or from a text file "
            "(one sentence per line)"))
        self.source_combo.activated.connect(self._on_source)
        self.window_spin = t.widget(QSpinBox(minimum=3, maximum=15, singleStep=2, value=5), tip=lambda: self.tr(
            "Odd window n: the centre token is hidden and the n − 1 tokens around it predict it"))
        self.window_spin.valueChanged.connect(self._keep_odd)
        self.dim_spin = t.widget(QSpinBox(minimum=2, maximum=512, value=32),
                                 tip=lambda: self.tr("D: the width of each row of E"))
        self.lr_spin = t.widget(QDoubleSpinBox(minimum=0.001, maximum=5.0, value=DEFAULT_LR, decimals=3, singleStep=0.1),
                                tip=lambda: self.tr("Learning rate of plain SGD"))
        self.combine_combo = QComboBox()
        self.combine_combo.addItem("", "sum")
        self.combine_combo.addItem("", "mean")
        t.bind(self.combine_combo, {"sum": lambda: self.tr("sum"), "mean": lambda: self.tr("mean")})
        t.widget(self.combine_combo, tip=lambda: self.tr(
            "Add the context rows together (as in the notes) or average them"))
        self.build_button = t.widget(QPushButton(), lambda: self.tr("Build"),
                                     lambda: self.tr("A fresh E and output layer with these settings (Ctrl+B)"))
        self.build_button.clicked.connect(self.on_build)
        names = (lambda: self.tr("Corpus"), lambda: self.tr("Window n"), lambda: self.tr("D"),
                 lambda: self.tr("Learning rate"), lambda: self.tr("Combine"))
        cells = (self.source_combo, self.window_spin, self.dim_spin, self.lr_spin, self.combine_combo)
        self.setup_labels = [t.widget(QLabel(), name) for name in names]
        grid = QGridLayout(box)  # two rows, so the box fits a narrow dock
        grid.setContentsMargins(6, 4, 6, 4)
        grid.addWidget(self.setup_labels[0], 0, 0)
        grid.addWidget(self.source_combo, 0, 1, 1, 5)
        grid.addWidget(self.build_button, 0, 6, 1, 2)
        for i, (label, widget) in enumerate(zip(self.setup_labels[1:], cells[1:])):
            grid.addWidget(label, 1, 2 * i)
            grid.addWidget(widget, 1, 2 * i + 1)
        return box

    def _build_transport(self) -> QHBoxLayout:
        t = self.texts
        self.step_button = t.widget(QPushButton(), lambda: self.tr("Step"), lambda: self.tr(
            "One example: hide a centre token, predict it, update (Ctrl+Right)"))
        self.step_n_spin = t.widget(QSpinBox(minimum=1, maximum=10_000_000, value=1000),
                                    tip=lambda: self.tr("How many examples Step N trains"))
        self.step_n_button = t.widget(QPushButton(), lambda: self.tr("Step N"), lambda: self.tr(
            "Train N examples in the background (Ctrl+Shift+Right)"))
        self.play_button = t.widget(QPushButton(), tip=lambda: self.tr("Train until paused, or pause (Ctrl+P)"))
        self.project_button = t.widget(QPushButton(), lambda: self.tr("Open in projector"),
                                       lambda: self.tr("Show the learned rows of E in the Embeddings panel"))
        for button, slot in ((self.step_button, self.step_once), (self.step_n_button, self.on_step_n),
                             (self.play_button, self.toggle_play), (self.project_button, self.open_in_projector)):
            button.clicked.connect(slot)
        row = QHBoxLayout()
        for w in (self.step_button, self.step_n_spin, self.step_n_button, self.play_button, self.project_button):
            row.addWidget(w)
        row.addStretch(1)
        return row

    def _plot(self, tip) -> pg.PlotWidget:
        plot = pg.PlotWidget(background="w", axisItems={"bottom": ApartAxis("bottom")})  # words apart
        plot.getPlotItem().setMenuEnabled(False)
        self.texts.widget(plot, tip=tip)
        return plot

    def _build_views(self) -> QSplitter:
        t = self.texts
        self.context_note = QLabel()
        self.context_note.setWordWrap(True)
        self.context_note.setTextFormat(Qt.TextFormat.RichText)
        self.rows_map = t.widget(TokenHeatmap(), tip=lambda: self.tr(
            "One row of the shared E per context token; the last row is their sum (or mean), the "
            "vector that is decoded"))
        self.prob_plot = self._plot(lambda: self.tr(
            "The decoded vector's probability for each token: the most likely ones, the hidden centre in red"))
        t.add(lambda: self.prob_plot.setLabel("left", self.tr("p")))
        self.prob_bars = pg.BarGraphItem(x=[], height=[], width=0.7)
        self.prob_plot.addItem(self.prob_bars)
        self.change_plot = self._plot(lambda: self.tr(
            "How far the update moved each row of E. Only the context rows move; with “sum” "
            "every context row gets the same gradient, so the bars are equal (a row seen twice "
            "in one window moves twice as far)."))
        self.change_bars = pg.BarGraphItem(x=[], height=[], width=0.7, brush="#54a24b")
        self.change_plot.addItem(self.change_bars)
        self.loss_plot = self._plot(lambda: self.tr(
            "Mean −log p of the hidden centres of each step's mini-batch; red: its running mean"))
        t.add(lambda: (self.loss_plot.setTitle(self.tr("loss per example")),
                       self.loss_plot.setLabel("bottom", self.tr("step"))))
        self.loss_curve = self.loss_plot.plot(pen=pg.mkPen((76, 120, 168, 90)))
        self.loss_mean = self.loss_plot.plot(pen=pg.mkPen("#e45756", width=2))  # running mean
        self.loss_curve.setDownsampling(auto=True, method="mean")
        self.loss_curve.setClipToView(True)
        self.plot_note = QLabel()  # what the short plot titles leave out
        self.plot_note.setWordWrap(True)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.context_note)
        left_layout.addWidget(self.rows_map, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        plots = QSplitter(Qt.Orientation.Vertical)
        for w in (self.prob_plot, self.change_plot, self.loss_plot):
            plots.addWidget(w)
        right_layout.addWidget(self.plot_note)
        right_layout.addWidget(plots, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([500, 500])
        return split

    # -- building --------------------------------------------------------------------------
    @Slot(int)
    def _keep_odd(self, value: int) -> None:
        if value % 2 == 0:
            self.window_spin.setValue(value + 1)

    @Slot(int)
    def _on_source(self, index: int) -> None:
        if index != 1:
            return
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Text for CBOW"), "",
                                              self.tr("Text (*.txt);;All files (*)"))
        if not path:
            self.source_combo.setCurrentIndex(0)
            return
        self.load_text_file(path)

    def load_text_file(self, path: str | Path) -> None:
        """Learn from this UTF-8 text file (one sentence per line) at the next Build."""
        self.state.file_texts = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
        self.state.file_name = Path(path).name
        self.source_combo.setItemText(1, self.tr("file: {name}").format(name=self.state.file_name))
        self.source_combo.setCurrentIndex(1)

    def _texts(self) -> tuple[list[str], str, str]:
        """(sentences, language, description) of the chosen corpus."""
        if self.source_combo.currentIndex() == 1 and self.state.file_texts is not None:
            return self.state.file_texts, "en", self.state.file_name
        corpus = self.session.corpus if self.session is not None else None
        if corpus is None:
            return [], "en", ""
        return [p.src for p in corpus.split("train")], corpus.src_lang, f"{corpus.name} ({corpus.src_lang})"

    def ensure_model(self) -> None:
        """Build the default CBOW model unless one is there (nothing of the user's is lost)."""
        if self.setup is None:
            self.on_build()

    @Slot()
    def on_build(self) -> None:
        """Build a fresh CBOW model in a worker thread (tokenizing a corpus takes a moment)."""
        if self._worker is not None:
            return
        texts, lang, source = self._texts()
        if not texts:
            self._show_summary("no corpus")
            return
        self._show_summary("building", min(len(texts), MAX_SENTENCES), source)
        args = (texts, lang, self.window_spin.value(), self.dim_spin.value(), self.lr_spin.value(),
                self.combine_combo.currentData(), source)
        self._start(Job(build_cbow, args, owner=self), self.set_setup)

    def set_setup(self, setup: CBOWSetup) -> None:
        """Show a freshly built CBOW model (from :func:`build_cbow`)."""
        self.state.take_setup(setup)
        self._show_summary("setup")
        self.rows_map.plot.setTitle(self.tr("context rows of E and their sum"))
        self._write_plot_titles()
        self._draw_loss()
        self._draw_purity()
        self._set_running(False)

    # -- training ------------------------------------------------------------------------
    @Slot()
    def step_once(self) -> None:
        """One example, shown part by part (a single step takes well under a millisecond)."""
        if self.setup is None or self._worker is not None:
            return
        self.state.take_step(self.setup.trainer.step())
        self.show_step(self.last_step)
        self._draw_loss()
        self._draw_purity()

    @Slot()
    def on_step_n(self) -> None:
        self.run_in_background(self.step_n_spin.value())

    @Slot()
    def toggle_play(self) -> None:
        if self._worker is not None:
            self.pause()
        else:
            self.run_in_background(None)

    def run_in_background(self, total: int | None) -> None:
        """Train ``total`` examples (None: until paused) in a worker thread."""
        if self.setup is None or self._worker is not None:
            return
        job = Job(play_steps, (self.setup.trainer, total, self.setup.classes), owner=self)
        job.sig_progress.connect(self._on_chunk)
        self._start(job, None)

    @Slot()
    def pause(self) -> None:
        """Stop the running worker after its current chunk."""
        if self._worker is not None:
            self._worker.cancel()

    def _start(self, job: Job, on_done) -> None:
        self._worker = job
        if on_done is not None:
            job.sig_done.connect(on_done)
        job.sig_failed.connect(self._on_error)
        job.sig_finished.connect(self._on_finished)
        self._set_running(True)
        job.start()

    @Slot(object)
    def _on_chunk(self, chunk) -> None:
        self.state.take_chunk(chunk)
        self.show_step(self.last_step)
        self._draw_loss()
        self._draw_purity()

    @Slot(str)
    def _on_error(self, message: str) -> None:
        self._show_summary("error", message)

    @Slot()
    def _on_finished(self) -> None:
        self._worker = None
        self._set_running(False)

    def _set_running(self, running: bool) -> None:
        ready = self.setup is not None
        self._write_play_button()
        self.play_button.setEnabled(ready)
        for w in (self.step_button, self.step_n_button, self.build_button, self.source_combo):
            w.setEnabled(not running and (ready or w in (self.build_button, self.source_combo)))
        self.project_button.setEnabled(ready)

    def wait(self, timeout_ms: int = 10_000) -> None:
        """Block until the running job ends (for tests and closing)."""
        if self._worker is not None:
            self._worker.wait(timeout_ms)

    # -- drawing one step ----------------------------------------------------------------
    def show_step(self, step: CBOWStep) -> None:
        """Draw one CBOWStep (its first example): rows, sum, distribution, loss, update."""
        self.state.last_step = step
        v = logic.step_note(self.state)
        combine = self._combine_name(self.setup.trainer.combine)
        shown = " ".join(v["before"] + [f"<b>[ {v['centre']} ]</b>"] + v["after"])
        self.context_note.setText(self.tr(
            "Step {step}: {shown}<br>The centre is hidden; the {n} context rows of E are added "
            "({combine}) and decoded. p({centre}) = {p:.4f} (rank {rank} of {vocab}), "
            "loss = −log p = <b>{loss:.4f}</b>. Mean loss of the {batch} windows of this step: "
            "{mean:.4f}.").format(**{**v, "shown": shown, "combine": combine}))
        rows, labels = logic.step_rows(self.state)
        labels[-1] = f"= {combine}"
        dims = [f"d{j}" for j in range(rows.shape[1])]
        self.rows_map.set_matrix(rows, labels, dims, scale="signed",
                                 title=self.tr("context rows of E and their sum"))
        self._draw_probs(int(step.center_ids[0]))
        self._draw_changes(step)
        self.plot_note.setText(self.tr(
            "Red bar: the hidden centre. The update changed {n} of {vocab} rows of E; "
            "‖ΔW_out‖ = {out:.1e}.").format(n=len(step.changed_rows), vocab=self.setup.trainer.vocab_size,
                                            out=step.output_change))

    def _draw_probs(self, centre: int) -> None:
        ids, p = logic.top_probs(self.last_step)
        colors = ["#e45756" if i == centre else "#4c78a8" for i in ids]
        self.prob_bars.setOpts(x=np.arange(len(ids)), height=p, width=0.7, brushes=colors)
        labels = [self.setup.tokenizer.id_to_token(int(i)) for i in ids]
        labels = [f"[{t}]" if i == centre else t for t, i in zip(labels, ids)]
        self.prob_plot.getAxis("bottom").setTicks([list(enumerate(labels))])
        self._write_plot_titles()
        self.prob_plot.setXRange(-0.6, len(ids) - 0.4, padding=0)
        self.prob_plot.setYRange(0, max(float(p.max()), 1e-6) * 1.1, padding=0)

    def _draw_changes(self, step: CBOWStep) -> None:
        rows = step.changed_rows
        self.change_bars.setOpts(x=np.arange(len(rows)), height=step.row_change, width=0.7)
        every = max(1, -(-len(rows) // 12))  # at most about 12 names under the bars, so they stay readable
        labels = [(k, self.setup.tokenizer.id_to_token(int(rows[k]))) for k in range(0, len(rows), every)]
        self.change_plot.getAxis("bottom").setTicks([labels])
        self.change_plot.setXRange(-0.6, len(rows) - 0.4, padding=0)
        self.change_plot.setYRange(0, max(float(step.row_change.max(initial=0)), 1e-9) * 1.1, padding=0)

    def _draw_loss(self) -> None:
        x, y, mx, my = logic.running_mean(self.state.losses)
        self.loss_curve.setData(x, y)
        self.loss_mean.setData(mx, my)

    def _draw_purity(self) -> None:
        if self.setup is None:
            self.purity_label.setText("")
        elif self.state.purity is None:
            self.purity_label.setText(self.tr("Neighbour purity: no word classes known for this text."))
        else:
            self.purity_label.setText(self.tr(
                "Neighbour purity by word class (k = {k}): <b>{purity:.2f}</b> · chance {chance:.2f}").format(
                k=PURITY_K, purity=self.state.purity, chance=logic.chance_purity(self.setup.classes)))

    # -- out -----------------------------------------------------------------------------
    def snapshot(self) -> EmbeddingSnapshot:
        """The learned E as an EmbeddingSnapshot named "cbow" (word classes included)."""
        return logic.snapshot(self.state)

    @Slot()
    def open_in_projector(self) -> None:
        """Send the learned vectors and token counts out through sig_vectors."""
        if self.setup is not None:
            self.sig_vectors.emit(self.snapshot(), self.setup.counts)

    def matrices(self) -> list[LabeledMatrix]:
        """The numbers on screen: the step's rows and sum, its top-k probabilities, the
        changed rows, the loss curve and the learned E."""
        return [LabeledMatrix(*m) for m in logic.exported(self.state)]

    def closeEvent(self, event) -> None:
        self.pause()
        self.wait(2000)
        super().closeEvent(event)
