"""The embedding projector: the rows of an embedding matrix as points in 2D or 3D.

Points are the translator's source or target embedding matrix E (or both at once,
coloured by language), or the CBOW vectors learned in the word2vec panel. PCA lays them
out at once; t-SNE and UMAP run in a background thread with progress and cancel, t-SNE
redrawn as it iterates. Search by substring or regex rings the matching words; colour by
word class (animals, colours, ...), by frequency in the training text, or by language.
A click on a point lists its nearest neighbours in the original D-dimensional space
(cosine or Euclidean) next to its nearest neighbours in the picture, so one sees what
the projection keeps and what it loses.

Following training: with "Follow training" the PCA axes are fitted once and later
snapshots are drawn in that same frame, so the points move as the model learns (trails
show where they came from). Two steps of the timeline can be compared the same way.
Special tokens (<pad>, <bos>, <eos>, <unk>) are left out: they are not words.

Every interface text is set in ``retranslate`` (and rebuilt there from what is shown), so
the panel follows View > Language while it runs; combo boxes keep their item data.
"""
from __future__ import annotations

import re
import time

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
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
from explorer.logic.embeddings import (
    N_SPECIALS,
    count_tokens,
    frequency_bands,
    in_vocabulary,
    lay_out,
    matches,
    projection_neighbours,
    token_words,
)
from explorer.logic.timeline import aligned_layout, snapshot_embeddings
from explorer.panels.base import Panel
from explorer.texts import set_item_texts
from explorer.widgets.export import LabeledMatrix
from explorer.widgets.scatter import ProjectorScatter, group_colors
from model.corpus import word_category
from model.projection import fit_pca, nearest_neighbours
from model.trace import EmbeddingSnapshot

METHODS = (("PCA", "pca"), ("t-SNE", "tsne"), ("UMAP", "umap"))  # names, the same in every language
SOURCES = (  # (combo text, key)
    (QT_TRANSLATE_NOOP("EmbeddingsPanel", "translator · source E"), "src"),
    (QT_TRANSLATE_NOOP("EmbeddingsPanel", "translator · target E"), "tgt"),
    (QT_TRANSLATE_NOOP("EmbeddingsPanel", "translator · source + target E"), "both"),
    (QT_TRANSLATE_NOOP("EmbeddingsPanel", "word2vec CBOW vectors"), "cbow"),
    (QT_TRANSLATE_NOOP("EmbeddingsPanel", "encoder layer output, in context"), "ctx_src"),
    (QT_TRANSLATE_NOOP("EmbeddingsPanel", "decoder layer output, in context"), "ctx_tgt"),
)
CONTEXT_SENTENCES = 200  # validation sentences whose tokens the contextual views show
COLOUR_BY = (  # (combo text, key)
    (QT_TRANSLATE_NOOP("EmbeddingsPanel", "word class"), "class"),
    (QT_TRANSLATE_NOOP("EmbeddingsPanel", "frequency"), "frequency"),
    (QT_TRANSLATE_NOOP("EmbeddingsPanel", "language"), "language"),
)
DIMENSIONS = ((QT_TRANSLATE_NOOP("EmbeddingsPanel", "2D"), 2),
              (QT_TRANSLATE_NOOP("EmbeddingsPanel", "3D"), 3))
METRICS = (  # (combo text, metric of nearest_neighbours)
    (QT_TRANSLATE_NOOP("EmbeddingsPanel", "cosine"), "cosine"),
    (QT_TRANSLATE_NOOP("EmbeddingsPanel", "euclidean"), "euclidean"),
)
FOLLOW_INTERVAL_MS = 1000  # while following training, ask for a new snapshot this often


class EmbeddingsPanel(Panel):
    """Projector of embedding matrices: PCA / t-SNE / UMAP, 2D / 3D, search, colours,
    nearest neighbours, following training and comparing timeline steps."""

    title = "Embeddings"

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.snapshots: dict[str, EmbeddingSnapshot] = {}  # "src", "tgt", "cbow"
        self.frequencies: dict[str, np.ndarray] = {}  # name -> (V,) counts in the training text
        self.tokens: list[str] = []  # labels of the points shown
        self.languages: list[str] = []
        self.classes: list[str] = []
        self.X = np.zeros((0, 0), dtype=np.float32)  # (N, D) the points in the original space
        self.coords = np.zeros((0, 2), dtype=np.float32)  # (N, dim) their layout
        self.axes = None  # fixed PCAProjection while following training
        self.selected: int | None = None
        self._previous: np.ndarray | None = None  # layout before the last update (trails)
        self.timeline: list = []
        self._points: dict | None = None  # what the points are: count, sources, step, D
        self._status: tuple[str, dict] = ("waiting", {})  # what the status line says: key, values
        self._selection: tuple[str, dict] = ("none", {})  # what the label above the neighbours says
        self._search_error: str | None = None  # why the search text is not a valid regex
        self.method_options: dict[str, dict] = {}  # e.g. {"tsne": {"n_iter": 500}}, passed to project
        self._job: Job | None = None
        self._job_method = ""  # the method of the running job
        self._rerun = False  # points changed while a projection ran: project again after it
        self._points_stale = False  # a snapshot came while the panel was hidden
        self._replay_step: int | None = None  # the timeline step shown, None when live

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(self._build_controls())
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.scatter = ProjectorScatter()
        self.scatter.sig_point_clicked.connect(self.select_point)
        split.addWidget(self.scatter)
        split.addWidget(self._build_side())
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([700, 260])
        layout.addWidget(split, 1)

        self._follow_timer = QTimer(self, interval=FOLLOW_INTERVAL_MS)
        self._follow_timer.timeout.connect(self._on_follow_tick)
        for keys, slot in (("Ctrl+R", self.run_projection), ("Esc", self.cancel),
                           ("Ctrl+F", self.search_edit.setFocus)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

        s = session
        s.sig_model_changed.connect(self._on_model_changed)
        s.sig_timeline.connect(self.set_timeline)
        if hasattr(s, "sig_replay"):
            s.sig_replay.connect(self._on_replay)
        self.retranslate()
        if s.has_model:
            self._on_model_changed(s.info)

    def retranslate(self) -> None:
        """Set every interface text in the current language, and rewrite the shown ones."""
        self.points_label.setText(self.tr("Points"))
        self.points_label.setToolTip(self.tr("Which vectors become the points"))
        set_item_texts(self.source_combo, {key: self.tr(text) for text, key in SOURCES})
        self.source_combo.setToolTip(self.tr("Which vectors are drawn: a row of E per token"))
        self.layer_spin.setPrefix(self.tr("layer "))
        self.layer_spin.setToolTip(self.tr(
            "Which encoder/decoder layer's output to show: one point per token of {n} validation "
            "sentences, so one word gets a different vector in each sentence").format(n=CONTEXT_SENTENCES))
        self.refresh_button.setText(self.tr("Refresh"))
        self.refresh_button.setToolTip(self.tr("Ask the model for its embeddings as they are now"))
        self.method_label.setText(self.tr("Method"))
        self.method_label.setToolTip(self.tr("How the D-dimensional vectors are laid out in 2D or 3D"))
        self.method_combo.setToolTip(self.tr("PCA: instant, linear, keeps global layout. t-SNE / UMAP: "
                                        "non-linear, keep neighbourhoods; run in the background"))
        set_item_texts(self.dim_combo, {key: self.tr(text) for text, key in DIMENSIONS})
        self.dim_combo.setToolTip(self.tr("Project to two or three dimensions"))
        self.run_button.setText(self.tr("Project"))
        self.run_button.setToolTip(self.tr("Lay out the points with the chosen method (Ctrl+R)"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop a running t-SNE / UMAP (Esc)"))
        self.progress.setToolTip(self.tr("How far the running projection has got"))
        self.colour_label.setText(self.tr("Colour"))
        self.colour_label.setToolTip(self.tr("What the colours of the points mean"))
        set_item_texts(self.colour_combo, {key: self.tr(text) for text, key in COLOUR_BY})
        self.colour_combo.setToolTip(self.tr("Colour the points by semantic word class, by how often the "
                                        "token occurs in the training text, or by language"))
        self.search_edit.setPlaceholderText(self.tr("search words…"))
        self._write_search_tip()
        self.regex_check.setText(self.tr("regex"))
        self.regex_check.setToolTip(self.tr("Treat the search as a regular expression"))
        self.labels_check.setText(self.tr("labels"))
        self.labels_check.setToolTip(self.tr("Write every word next to its point "
                                             "(up to a few hundred points)"))
        self.follow_check.setText(self.tr("Follow training"))
        self.follow_check.setToolTip(self.tr("Fix the PCA axes now and redraw new snapshots in them while "
                                        "the translator trains: the points move as it learns"))
        self.trails_check.setText(self.tr("trails"))
        self.trails_check.setToolTip(self.tr("A line from where each point was in the previous snapshot"))
        self.timeline_label.setText(self.tr("Timeline"))
        self.timeline_label.setToolTip(self.tr("Compare two training steps kept on the timeline"))
        for combo in (self.step_a, self.step_b):
            combo.setToolTip(self.tr("A training step kept on the timeline"))
            for i in range(combo.count()):
                combo.setItemText(i, self.tr("step {step}").format(step=combo.itemData(i)))
        self.compare_button.setText(self.tr("Compare steps"))
        self.compare_button.setToolTip(self.tr("PCA axes of the later step; trails from the earlier step"))
        self.neighbours_label.setText(self.tr("Neighbours by"))
        self.neighbours_label.setToolTip(self.tr("How nearness is measured in the original D dimensions"))
        set_item_texts(self.metric_combo, {key: self.tr(text) for text, key in METRICS})
        self.metric_combo.setToolTip(self.tr("How nearness is measured in the original D dimensions"))
        self.k_label.setToolTip(self.tr("How many neighbours to list"))
        self.k_spin.setToolTip(self.tr("How many neighbours to list"))
        self.neighbour_table.setHorizontalHeaderLabels(
            [self.tr("in D dims"), self.tr("score"), self.tr("in the picture"), self.tr("dist")])
        self.neighbour_table.setToolTip(self.tr("Left: nearest in the original space; right: nearest in the "
                                           "projection. Bold: in both lists"))
        self._write_status()
        self._write_selection()

    @property
    def points_note(self) -> str:
        """What the points are (count, sources, step, D), in the current language."""
        if self._points is None:
            return ""
        return self.tr("{n:,} points ({names} at step {step}), D = {D}.").format(**self._points)

    def _set_status(self, key: str, **values) -> None:
        self._status = (key, values)
        self._write_status()

    def _write_status(self) -> None:
        """The status line in the current language, from the last state it reported."""
        key, v = self._status
        if key == "waiting":
            text = self.tr("Waiting for an embedding matrix.")
        elif key == "points":
            text = self.points_note
        elif key == "pca":
            text = self.points_note + " " + self.tr(
                "PCA keeps {ratio:.0%} of the variance in {dim}D.").format(**v)
        elif key == "done":
            text = self.points_note + " " + self.tr("{method} done.").format(**v)
        elif key == "cancelled":
            text = self.tr("{method} cancelled.").format(**v)
        elif key == "failed":
            text = self.tr("{method} stopped: {why}.").format(**v)
        elif key == "no frequencies":
            text = self.tr("Frequencies are not counted yet (they come from the training text).")
        elif key == "no cbow":
            text = self.tr("No CBOW vectors yet: train them in the word2vec panel and "
                           "press “Open in projector”.")
        elif key == "replay":
            text = self.points_note + " " + self.tr(
                "Training replay: step {step}, in PCA axes turned to follow the previous frame.").format(**v)
        elif key == "compared":
            text = self.tr("Step {b} in its PCA axes; trails from step {a}.").format(**v)
        else:
            text = ""
        self.status.setText(text)

    # -- layout ------------------------------------------------------------------------------
    def _build_controls(self) -> QGridLayout:
        self.source_combo = QComboBox()
        for text, key in SOURCES:
            self.source_combo.addItem(text, key)
        self.source_combo.currentIndexChanged.connect(self._on_source)
        self.layer_spin = QSpinBox()
        self.layer_spin.setVisible(False)
        self.layer_spin.valueChanged.connect(self._on_source)
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.request)
        self.method_combo = QComboBox()
        for text, key in METHODS:
            self.method_combo.addItem(text, key)
        self.dim_combo = QComboBox()
        for text, dim in DIMENSIONS:
            self.dim_combo.addItem(text, dim)
        self.run_button = QPushButton()
        self.run_button.clicked.connect(self.run_projection)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(True)

        self.colour_combo = QComboBox()
        for text, key in COLOUR_BY:
            self.colour_combo.addItem(text, key)
        self.colour_combo.currentIndexChanged.connect(self._recolour)
        self.search_edit = QLineEdit()
        self.search_edit.textChanged.connect(self._on_search)
        self.regex_check = QCheckBox()
        self.regex_check.toggled.connect(self._on_search)
        self.labels_check = QCheckBox()
        self.labels_check.toggled.connect(self.scatter_labels)
        self.follow_check = QCheckBox()
        self.follow_check.toggled.connect(self._on_follow)
        self.trails_check = QCheckBox()
        self.trails_check.toggled.connect(self._redraw_trails)

        self.step_a = QComboBox()
        self.step_b = QComboBox()
        self.compare_button = QPushButton()
        self.compare_button.clicked.connect(self.compare_steps)

        self.points_label, self.method_label = QLabel(), QLabel()
        self.colour_label, self.timeline_label = QLabel(), QLabel()
        grid = QGridLayout()
        row0 = (self.points_label, self.source_combo, self.layer_spin, self.refresh_button, self.method_label,
                self.method_combo, self.dim_combo, self.run_button, self.cancel_button, self.progress)
        row1 = (self.colour_label, self.colour_combo, self.search_edit, self.regex_check,
                self.labels_check, self.follow_check, self.trails_check)
        row2 = (self.timeline_label, self.step_a, QLabel("→"), self.step_b, self.compare_button)
        for r, widgets in enumerate((row0, row1, row2)):
            box = QHBoxLayout()
            for w in widgets:
                box.addWidget(w)
            box.addStretch(1)
            grid.addLayout(box, r, 0)
        return grid

    def _build_side(self) -> QWidget:
        side = QWidget()
        self.metric_combo = QComboBox()
        for text, key in METRICS:
            self.metric_combo.addItem(text, key)
        self.metric_combo.currentIndexChanged.connect(self._refresh_selection)
        self.k_spin = QSpinBox(minimum=1, maximum=50, value=10)
        self.k_spin.valueChanged.connect(self._refresh_selection)
        self.selection_label = QLabel()
        self.selection_label.setWordWrap(True)
        self.neighbour_table = QTableWidget(0, 4)
        self.neighbour_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.neighbour_table.verticalHeader().setVisible(False)
        self.neighbours_label, self.k_label = QLabel(), QLabel("k")
        row = QHBoxLayout()
        row.addWidget(self.neighbours_label)
        row.addWidget(self.metric_combo)
        row.addWidget(self.k_label)
        row.addWidget(self.k_spin)
        layout = QVBoxLayout(side)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.selection_label)
        layout.addWidget(self.neighbour_table, 1)
        return side

    # -- data in -----------------------------------------------------------------------------
    @property
    def source_key(self) -> str:
        return self.source_combo.currentData()

    @Slot(object)
    def show_embeddings(self, snapshot: EmbeddingSnapshot, frequencies: np.ndarray | None = None) -> None:
        """Keep a snapshot ("src", "tgt" or "cbow") and draw it when it is the chosen source.

        ``frequencies`` (V,) are the token counts in the text it was learned from (used
        for colouring by frequency); a "cbow" snapshot switches the source to CBOW.
        """
        name = snapshot.name
        if ".layer" in name:  # contextual states, e.g. "src.layer1"
            name = "ctx_" + name.split(".")[0]
        self.snapshots[name] = snapshot
        if frequencies is not None:
            self.frequencies[name] = np.asarray(frequencies)
        if snapshot.name == "cbow" and self.source_key != "cbow":
            self.source_combo.setCurrentIndex([k for _, k in SOURCES].index("cbow"))
            return  # _on_source redraws
        if name in self._source_names():
            if self.isVisible():
                self._load_points()
            else:
                self._points_stale = True  # drawn when the panel is shown

    def showEvent(self, event) -> None:
        """A hidden panel asks for embeddings and draws them only once it is shown."""
        super().showEvent(event)
        if self._points_stale:
            self._points_stale = False
            self._load_points()
        elif not all(n in self.snapshots for n in self._source_names()):
            self.request()

    def _source_names(self) -> tuple[str, ...]:
        return ("src", "tgt") if self.source_key == "both" else (self.source_key,)

    @Slot(object)
    def _on_model_changed(self, info) -> None:
        for name in ("src", "tgt", "ctx_src", "ctx_tgt"):
            self.snapshots.pop(name, None)
            self.frequencies.pop(name, None)
        config = info.model_config
        if config is not None:
            self.layer_spin.setRange(0, max(config.n_layers, config.dec_layers) - 1)
            self.layer_spin.setValue(self.layer_spin.maximum())
        self.axes = None
        corpus, tokenizers = info.corpus, (info.src_tokenizer, info.tgt_tokenizer)
        if corpus is not None and all(tokenizers):
            self._count_frequencies(corpus, *tokenizers)
        self.request()

    def _count_frequencies(self, corpus, src_tok, tgt_tok) -> None:
        """Count each token of both sides in the training text, in a worker thread."""
        job = Job(count_tokens, (corpus, src_tok, tgt_tok), owner=self)
        job.sig_done.connect(self._on_counted)
        job.start()

    @Slot(object)
    def _on_counted(self, counts: dict) -> None:
        self.frequencies.update(counts)
        if self.colour_combo.currentData() == "frequency":
            self._recolour()

    @Slot()
    def request(self) -> None:
        """Ask the session for the chosen side's current embeddings (when the panel is shown)."""
        if self.session.has_model and self.isVisible():
            for name in self._source_names():
                if name in ("src", "tgt"):
                    self.session.request_embeddings(name).then(self.show_embeddings)
                elif name.startswith("ctx_"):
                    self.session.request_contextual(
                        name[4:], self.layer_spin.value(), CONTEXT_SENTENCES).then(self.show_embeddings)

    @Slot()
    def _on_source(self) -> None:
        self.layer_spin.setVisible(self.source_key.startswith("ctx_"))
        if self.source_key.startswith("ctx_"):
            self.snapshots.pop(self.source_key, None)  # the layer may have changed
        self.axes = None
        self.scatter.set_previous(None)
        if all(n in self.snapshots for n in self._source_names()):
            self._load_points()
        else:
            self.request()
            if self.source_key == "cbow":
                self._set_status("no cbow")

    def _lang(self, name: str) -> str:
        corpus = self.session.corpus
        if name == "cbow":
            return corpus.src_lang if corpus is not None else "en"
        name = name.removeprefix("ctx_")
        return getattr(corpus, f"{name}_lang", "") if corpus is not None else ""

    def _load_points(self) -> None:
        """Gather the chosen snapshot(s) into X, labels, classes and languages; lay them out."""
        names = self._source_names()
        if not all(n in self.snapshots for n in names):
            return
        Xs, tokens, langs, classes = [], [], [], []
        for name in names:
            snap = self.snapshots[name]
            lang = self._lang(name)
            skip = 0 if name.startswith("ctx_") else N_SPECIALS  # contextual rows are tokens of text
            words = token_words(snap.tokens[skip:])
            Xs.append(np.asarray(snap.matrix[skip:], dtype=np.float32))
            tokens += list(snap.tokens[skip:])
            langs += [lang or name] * len(words)
            if len(snap.word_class) == len(snap.tokens):
                classes += [c or "" for c in snap.word_class[skip:]]
            else:
                classes += [word_category(w, lang) or "" for w in words]
        previous = self.coords if self.follow_check.isChecked() else None
        same_points = tokens == self.tokens and Xs and np.vstack(Xs).shape == self.X.shape
        self.X, self.tokens, self.languages, self.classes = np.vstack(Xs), tokens, langs, classes
        step = max(self.snapshots[n].step for n in names)
        self._points = {"n": len(self.tokens), "names": " + ".join(names), "step": step, "D": self.X.shape[1]}
        self._set_status("points")
        if self._replay_step is not None and self.method == "pca":
            # a replay frame: PCA of this step, turned to sit on the last frame (no flips)
            last = self.coords if same_points and self.coords.shape == (len(self.X), self.dim) else None
            self.set_layout(aligned_layout(self.X, self.dim, last), previous=last)
            self._set_status("replay", step=self._replay_step)
        elif self.follow_check.isChecked() and self.axes is not None and same_points:
            self.set_layout(self.axes.transform(self.X), previous=previous)
        else:
            self.run_projection()

    # -- projecting --------------------------------------------------------------------------
    @property
    def method(self) -> str:
        return self.method_combo.currentData()

    @property
    def dim(self) -> int:
        return int(self.dim_combo.currentData())

    @Slot()
    def run_projection(self) -> None:
        """Lay out the points in a ProjectionJob thread (PCA too: the UI thread only draws)."""
        if len(self.X) < 3:
            return
        if self._job is not None:
            self._rerun = self._job_method == "pca"  # a running t-SNE or UMAP is not restarted
            return
        self.axes = None
        self._job_method = self.method
        self._job = Job(lay_out, (self.X.copy(), self.method, self.dim, self.method_options.get(self.method)),
                        report="progress", owner=self)
        self._job.sig_progress.connect(self._on_progress)
        self._job.sig_done.connect(self._on_done)
        self._job.sig_failed.connect(self._on_failed)
        self._job.sig_cancelled.connect(self._on_cancelled)
        self._job.sig_finished.connect(self._on_job_finished)
        self.progress.setValue(0)
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self._job.start()

    @Slot()
    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()

    @Slot(object)
    def _on_progress(self, report) -> None:
        done, total, layout = report
        self.progress.setValue(int(100 * done / max(total, 1)))
        if len(layout) == len(self.X):
            self.set_layout(layout)

    @Slot(object)
    def _on_done(self, result) -> None:
        layout, axes = result
        self.progress.setValue(100)
        if len(layout) != len(self.X):
            return  # the points changed meanwhile; the rerun draws them
        if axes is not None:
            self.axes = axes
            ratio = axes.explained_variance_ratio.sum()
            self._set_status("pca", ratio=float(ratio), dim=self.dim)
        else:
            self._set_status("done", method=self.method_combo.currentText())
        self.set_layout(layout)

    @Slot(str)
    def _on_failed(self, why: str) -> None:
        self._set_status("failed", method=self.method_combo.currentText(), why=why)

    @Slot()
    def _on_cancelled(self) -> None:
        self._set_status("cancelled", method=self.method_combo.currentText())

    @Slot()
    def _on_job_finished(self) -> None:
        self._job = None
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        if self._rerun:
            self._rerun = False
            self.run_projection()

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Wait for running projections and draw their results (tests, closing); True when
        none is left."""
        deadline = time.monotonic() + timeout_ms / 1000
        while self._job is not None and time.monotonic() < deadline:
            self._job.wait(max(1, int(1000 * (deadline - time.monotonic()))))
        return self._job is None

    def set_layout(self, coords: np.ndarray, previous: np.ndarray | None = None) -> None:
        """Draw the points at ``coords`` (N, 2|3); ``previous`` (same shape) for trails."""
        self.coords = np.asarray(coords, dtype=np.float32)
        groups, colors = self._groups()
        self.scatter.set_points(self.coords, self.tokens, groups, colors, keep_range=previous is not None)
        if previous is not None and previous.shape == self.coords.shape:
            self._previous = previous
        self._redraw_trails()
        self._on_search()
        self._refresh_selection()

    # -- colours, search, labels, trails --------------------------------------------------------
    def _groups(self) -> tuple[list[str], dict[str, str]]:
        mode = self.colour_combo.currentData()
        if mode == "language":
            names = list(dict.fromkeys(self.languages))
            return self.languages, group_colors(names)
        if mode == "frequency":
            counts = [self.frequencies.get(n) for n in self._source_names()]
            if all(c is not None for c in counts):
                bands, order = frequency_bands(np.concatenate([c[N_SPECIALS:] for c in counts]))
                return bands, group_colors(order, sequential=True)
            self._set_status("no frequencies")
        names = sorted({c for c in self.classes if c})
        return self.classes, group_colors(names)

    @Slot()
    def _recolour(self) -> None:
        if len(self.coords):
            self.set_layout(self.coords)

    @Slot()
    def _on_search(self) -> None:
        try:
            found = matches(self.tokens, self.search_edit.text(), self.regex_check.isChecked())
        except re.error as exc:
            self._search_error = str(exc)
            self._write_search_tip()
            return
        self._search_error = None
        self._write_search_tip()
        self.scatter.set_highlight(found)
        if self.search_edit.text():
            text = self.search_edit.text()
            whole = self.regex_check.isChecked() or in_vocabulary(self.tokens, text)
            self._selection = ("matches", {"n": len(found), "text": text, "whole": whole})
            self._write_selection()

    def _write_search_tip(self) -> None:
        if self._search_error is None:
            self.search_edit.setToolTip(self.tr("Ring the words containing this text (Ctrl+F)"))
        else:
            self.search_edit.setToolTip(self.tr("Not a valid regular expression: {error}").format(
                error=self._search_error))

    @Slot(bool)
    def scatter_labels(self, on: bool) -> None:
        self.scatter.set_labels_visible(on)

    @Slot()
    def _redraw_trails(self) -> None:
        previous = self._previous
        on = self.trails_check.isChecked() and previous is not None and previous.shape == self.coords.shape
        self.scatter.set_previous(previous if on else None)

    # -- following training and the timeline -----------------------------------------------
    @Slot(bool)
    def _on_follow(self, on: bool) -> None:
        if on:
            self.method_combo.setCurrentIndex(0)
            if self.axes is None and len(self.X) >= 3:
                self.run_projection()
            self._follow_timer.start()
        else:
            self._follow_timer.stop()

    @Slot()
    def _on_follow_tick(self) -> None:
        if self.isVisible() and self.session.state == "playing":
            self.request()

    @Slot(object)
    def _on_replay(self, snapshot) -> None:
        """The window's timeline moved: draw the embedding rows of that snapshot (None: live)."""
        if snapshot is None:
            if self._replay_step is not None:
                self._replay_step = None
                self.request()
            return
        if self.source_key not in ("src", "tgt", "both"):
            return
        self._replay_step = snapshot.step
        for name, tok in (("src", self.session.src_tokenizer), ("tgt", self.session.tgt_tokenizer)):
            if tok is not None:
                self.snapshots[name] = snapshot_embeddings(snapshot, name, tok)
        if self.isVisible():
            self._load_points()
        else:
            self._points_stale = True

    @Slot(object)
    def set_timeline(self, snapshots) -> None:
        """The training timeline (list of trace.Snapshot) for comparing two steps."""
        self.timeline = list(snapshots)
        for combo, pick in ((self.step_a, 0), (self.step_b, len(self.timeline) - 1)):
            combo.blockSignals(True)
            combo.clear()
            for s in self.timeline:
                combo.addItem(self.tr("step {step}").format(step=s.step), s.step)
            combo.setCurrentIndex(max(pick, 0))
            combo.blockSignals(False)
        self.compare_button.setEnabled(len(self.timeline) >= 2)

    @Slot()
    def compare_steps(self) -> None:
        """Draw the later chosen step in its PCA axes, with trails from the earlier step."""
        timeline = self.timeline
        if len(timeline) < 2 or self.source_key == "cbow" or self.source_key.startswith("ctx_"):
            return
        a, b = sorted((self.step_a.currentIndex(), self.step_b.currentIndex()))
        names = self._source_names()

        def matrix(snap):
            mats = {"src": snap.src_embeddings, "tgt": snap.tgt_embeddings}
            return np.vstack([mats[n][N_SPECIALS:] for n in names]).astype(np.float32)

        before, after = matrix(timeline[a]), matrix(timeline[b])
        if after.shape != self.X.shape:
            return
        self.X = after
        self.axes = fit_pca(after, self.dim)
        self._previous = self.axes.transform(before)
        self.trails_check.setChecked(True)
        self.set_layout(self.axes.transform(after), previous=self._previous)
        self._set_status("compared", a=timeline[a].step, b=timeline[b].step)

    # -- neighbours ------------------------------------------------------------------------------
    @Slot(int)
    def select_point(self, index: int) -> None:
        """List the neighbours of point ``index`` in D dimensions and in the projection."""
        self.selected = index
        self._refresh_selection()

    def neighbours(self, index: int) -> tuple[list[tuple[int, float]], list[tuple[int, float]]]:
        """(nearest in the original space, nearest in the projection) of point ``index``."""
        k = self.k_spin.value()
        return (nearest_neighbours(self.X, index, k=k, metric=self.metric_combo.currentData()),
                projection_neighbours(self.coords, index, k))

    @Slot()
    def _refresh_selection(self) -> None:
        i = self.selected
        if i is None or i >= len(self.X) or len(self.coords) != len(self.X):
            return
        original, pictured = self.neighbours(i)
        both = {j for j, _ in original} & {j for j, _ in pictured}
        self.scatter.set_selection(i, [j for j, _ in original])
        self._selection = ("neighbours", {"token": self.tokens[i], "word_class": self.classes[i],
                                          "lang": self.languages[i], "both": len(both),
                                          "k": len(original), "D": self.X.shape[1]})
        self._write_selection()
        table = self.neighbour_table
        table.setRowCount(len(original))
        for r, ((a, sa), (b, sb)) in enumerate(zip(original, pictured)):
            for c, text in enumerate((self.tokens[a], f"{sa:.3f}", self.tokens[b], f"{sb:.3f}")):
                item = QTableWidgetItem(text)
                if (c == 0 and a in both) or (c == 2 and b in both):
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                table.setItem(r, c, item)
        table.resizeColumnsToContents()

    def _write_selection(self) -> None:
        """The label above the neighbours, in the current language."""
        key, v = self._selection
        if key == "matches" and v["n"] == 0 and not v.get("whole", True):
            text = self.tr("“{text}” is not in the vocabulary.").format(**v)
        elif key == "matches" and not v.get("whole", True):
            text = self.tr("“{text}” is not in the vocabulary as a token of its own; "
                           "{n} tokens contain it.").format(**v)
        elif key == "matches":
            text = self.tr("{n} words match “{text}”.").format(**v)
        elif key == "neighbours":
            text = self.tr("“{token}” ({word_class}, {lang}): {both} of its {k} nearest neighbours in "
                           "{D} dimensions are also among its nearest in the picture.").format(
                **{**v, "word_class": v["word_class"] or self.tr("no class")})
        else:
            text = self.tr("Click a point to see its nearest neighbours.")
        self.selection_label.setText(text)

    # -- export ------------------------------------------------------------------------------
    def matrices(self) -> list[LabeledMatrix]:
        """The projected coordinates, one row per point labelled with its token."""
        axes = tuple("xyz"[: self.coords.shape[1]])
        return [LabeledMatrix(f"{self.method}_{self.dim}d", self.coords, tuple(self.tokens), axes)]

    def export_widget(self) -> QWidget:
        """Pictures show the projection only."""
        return self.scatter

    def closeEvent(self, event) -> None:
        self.cancel()
        self.wait(5000)
        super().closeEvent(event)
