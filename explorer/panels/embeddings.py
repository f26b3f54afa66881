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
"""
from __future__ import annotations

import re
import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot
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

from explorer.panels.base import Panel
from explorer.widgets.export import LabeledMatrix, export_view
from explorer.widgets.scatter import ProjectorScatter, group_colors
from model.corpus import word_category
from model.projection import ProjectionCancelled, fit_pca, nearest_neighbours, project
from model.trace import EmbeddingSnapshot

N_SPECIALS = 4
METHODS = (("PCA", "pca"), ("t-SNE", "tsne"), ("UMAP", "umap"))
SOURCES = (("translator · source E", "src"), ("translator · target E", "tgt"),
           ("translator · source + target E", "both"), ("word2vec CBOW vectors", "cbow"),
           ("encoder layer output, in context", "ctx_src"), ("decoder layer output, in context", "ctx_tgt"))
CONTEXT_SENTENCES = 200  # validation sentences whose tokens the contextual views show
COLOUR_BY = ("word class", "frequency", "language")
FOLLOW_INTERVAL_MS = 1000  # while following training, ask for a new snapshot this often


def token_words(tokens) -> list[str]:
    """Tokens as words: BPE's word-start mark "▁" removed."""
    return [t.replace("▁", "") for t in tokens]


def frequency_bands(counts: np.ndarray) -> tuple[list[str], list[str]]:
    """Log-2 frequency band of each count ("0", "1", "2–3", "4–7", ...), and the band
    names in increasing order. Shape: (N,) -> N names."""
    counts = np.asarray(counts, dtype=np.int64)
    band = np.where(counts > 0, np.floor(np.log2(np.maximum(counts, 1))).astype(int) + 1, 0)

    def name(b: int) -> str:
        if b == 0:
            return "0"
        lo, hi = 2 ** (b - 1), 2 ** b - 1
        return f"{lo}" if lo == hi else f"{lo}–{hi}"

    return [name(int(b)) for b in band], [name(b) for b in range(int(band.max(initial=0)) + 1)]


def matches(labels, pattern: str, regex: bool) -> np.ndarray:
    """Indices of the labels that contain ``pattern`` (case-insensitive) or match the regex
    anywhere. An invalid regex raises re.error."""
    if not pattern:
        return np.zeros(0, dtype=int)
    if regex:
        rx = re.compile(pattern, re.IGNORECASE)
        return np.array([i for i, t in enumerate(labels) if rx.search(t)], dtype=int)
    p = pattern.lower()
    return np.array([i for i, t in enumerate(labels) if p in t.lower()], dtype=int)


def projection_neighbours(coords: np.ndarray, index: int, k: int) -> list[tuple[int, float]]:
    """The k points nearest to point ``index`` in the picture (Euclidean), best first."""
    d = np.linalg.norm(coords - coords[index], axis=1)
    order = np.argsort(d, kind="stable")
    order = order[order != index][:k]
    return [(int(i), float(d[i])) for i in order]


class ProjectionJob(QThread):
    """Runs ``project`` in its own thread; reports intermediate layouts; can be cancelled.

    For PCA it keeps the fitted axes in ``axes`` (a PCAProjection), so later snapshots
    can be drawn in the same frame.

    Signals:
        sig_progress(int, int, object): done, total, current (N, dim) layout (a copy).
        sig_done(object): the final layout.
        sig_failed(str): why it stopped ("cancelled" when cancelled).
    """

    sig_progress = Signal(int, int, object)
    sig_done = Signal(object)
    sig_failed = Signal(str)

    def __init__(self, X: np.ndarray, method: str, dim: int, options: dict | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.X, self.method, self.dim, self.options = X, method, dim, options or {}
        self.axes = None
        self._cancel = False

    def cancel(self) -> None:
        self._cancel = True

    def _progress(self, done: int, total: int, layout) -> bool:
        if layout is not None:
            self.sig_progress.emit(done, total, layout)
        return not self._cancel

    def run(self) -> None:
        try:
            if self.method == "pca":
                self.axes = fit_pca(self.X, self.dim)
                self.sig_done.emit(self.axes.transform(self.X))
                return
            self.sig_done.emit(project(self.X, self.method, self.dim, progress=self._progress,
                                         **self.options))
        except ProjectionCancelled:
            self.sig_failed.emit("cancelled")
        except Exception as exc:  # noqa: BLE001 (any failure is shown to the person)
            self.sig_failed.emit(f"{type(exc).__name__}: {exc}")


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
        self.points_note = ""
        self.method_options: dict[str, dict] = {}  # e.g. {"tsne": {"n_iter": 500}}, passed to project
        self._job: ProjectionJob | None = None
        self._rerun = False  # points changed while a projection ran: project again after it
        self._points_stale = False  # a snapshot came while the panel was hidden

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(self._build_controls())
        self.status = QLabel("Waiting for an embedding matrix.")
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
        s.sig_embeddings.connect(self.show_embeddings)
        s.sig_model_changed.connect(self._on_model_changed)
        s.sig_timeline.connect(self.set_timeline)
        if s.has_model:
            self._on_model_changed(s.info)

    # -- layout ------------------------------------------------------------------------------
    def _build_controls(self) -> QGridLayout:
        self.source_combo = QComboBox()
        for text, key in SOURCES:
            self.source_combo.addItem(text, key)
        self.source_combo.setToolTip("Which vectors are drawn: a row of E per token")
        self.source_combo.currentIndexChanged.connect(self._on_source)
        self.layer_spin = QSpinBox()
        self.layer_spin.setPrefix("layer ")
        self.layer_spin.setToolTip("Which encoder/decoder layer's output to show: one point per token "
                                   f"of {CONTEXT_SENTENCES} validation sentences, so one word gets "
                                   "a different vector in each sentence")
        self.layer_spin.setVisible(False)
        self.layer_spin.valueChanged.connect(self._on_source)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setToolTip("Ask the model for its embeddings as they are now")
        self.refresh_button.clicked.connect(self.request)
        self.method_combo = QComboBox()
        for text, key in METHODS:
            self.method_combo.addItem(text, key)
        self.method_combo.setToolTip("PCA: instant, linear, keeps global layout. t-SNE / UMAP: "
                                     "non-linear, keep neighbourhoods; run in the background")
        self.dim_combo = QComboBox()
        self.dim_combo.addItems(["2D", "3D"])
        self.dim_combo.setToolTip("Project to two or three dimensions")
        self.run_button = QPushButton("Project")
        self.run_button.setToolTip("Lay out the points with the chosen method (Ctrl+R)")
        self.run_button.clicked.connect(self.run_projection)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop a running t-SNE / UMAP (Esc)")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(True)

        self.colour_combo = QComboBox()
        self.colour_combo.addItems(COLOUR_BY)
        self.colour_combo.setToolTip("Colour the points by semantic word class, by how often the "
                                     "token occurs in the training text, or by language")
        self.colour_combo.currentIndexChanged.connect(self._recolour)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("search words…")
        self.search_edit.setToolTip("Ring the words containing this text (Ctrl+F)")
        self.search_edit.textChanged.connect(self._on_search)
        self.regex_check = QCheckBox("regex")
        self.regex_check.setToolTip("Treat the search as a regular expression")
        self.regex_check.toggled.connect(self._on_search)
        self.labels_check = QCheckBox("labels")
        self.labels_check.setToolTip("Write every word next to its point (up to a few hundred points)")
        self.labels_check.toggled.connect(self.scatter_labels)
        self.follow_check = QCheckBox("Follow training")
        self.follow_check.setToolTip("Fix the PCA axes now and redraw new snapshots in them while "
                                     "the translator trains: the points move as it learns")
        self.follow_check.toggled.connect(self._on_follow)
        self.trails_check = QCheckBox("trails")
        self.trails_check.setToolTip("A line from where each point was in the previous snapshot")
        self.trails_check.toggled.connect(self._redraw_trails)

        self.step_a = QComboBox()
        self.step_b = QComboBox()
        for combo in (self.step_a, self.step_b):
            combo.setToolTip("A training step kept on the timeline")
        self.compare_button = QPushButton("Compare steps")
        self.compare_button.setToolTip("PCA axes of the later step; trails from the earlier step")
        self.compare_button.clicked.connect(self.compare_steps)

        grid = QGridLayout()
        row0 = (QLabel("Points"), self.source_combo, self.layer_spin, self.refresh_button, QLabel("Method"),
                self.method_combo, self.dim_combo, self.run_button, self.cancel_button, self.progress)
        row1 = (QLabel("Colour"), self.colour_combo, self.search_edit, self.regex_check,
                self.labels_check, self.follow_check, self.trails_check)
        row2 = (QLabel("Timeline"), self.step_a, QLabel("→"), self.step_b, self.compare_button)
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
        self.metric_combo.addItems(["cosine", "euclidean"])
        self.metric_combo.setToolTip("How nearness is measured in the original D dimensions")
        self.metric_combo.currentIndexChanged.connect(self._refresh_selection)
        self.k_spin = QSpinBox(minimum=1, maximum=50, value=10)
        self.k_spin.setToolTip("How many neighbours to list")
        self.k_spin.valueChanged.connect(self._refresh_selection)
        self.selection_label = QLabel("Click a point to see its nearest neighbours.")
        self.selection_label.setWordWrap(True)
        self.neighbour_table = QTableWidget(0, 4)
        self.neighbour_table.setHorizontalHeaderLabels(["in D dims", "score", "in the picture", "dist"])
        self.neighbour_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.neighbour_table.verticalHeader().setVisible(False)
        self.neighbour_table.setToolTip("Left: nearest in the original space; right: nearest in the "
                                        "projection. Bold: in both lists")
        row = QHBoxLayout()
        row.addWidget(QLabel("Neighbours by"))
        row.addWidget(self.metric_combo)
        row.addWidget(QLabel("k"))
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
    def _on_model_changed(self, info: dict) -> None:
        for name in ("src", "tgt", "ctx_src", "ctx_tgt"):
            self.snapshots.pop(name, None)
            self.frequencies.pop(name, None)
        cfg = info.get("model_config")
        if cfg is not None:
            self.layer_spin.setRange(0, max(cfg.n_layers, cfg.dec_layers) - 1)
            self.layer_spin.setValue(self.layer_spin.maximum())
        self.axes = None
        corpus, tokenizers = info.get("corpus"), (info.get("src_tokenizer"), info.get("tgt_tokenizer"))
        if corpus is not None and all(tokenizers):
            self._count_frequencies(corpus, *tokenizers)
        self.request()

    def _count_frequencies(self, corpus, src_tok, tgt_tok) -> None:
        """Count each token of both sides in the training text, in a worker thread."""
        from superqt.utils import create_worker

        def count():
            pairs = corpus.split("train")
            out = {}
            for name, tok in (("src", src_tok), ("tgt", tgt_tok)):
                ids = np.array([i for p in pairs for i in tok.encode(getattr(p, name))], dtype=np.int64)
                out[name] = np.bincount(ids, minlength=tok.vocab_size)
            return out

        worker = create_worker(count, _start_thread=False)
        worker.returned.connect(self._on_counted)
        worker.start()

    @Slot(object)
    def _on_counted(self, counts: dict) -> None:
        self.frequencies.update(counts)
        if self.colour_combo.currentText() == "frequency":
            self._recolour()

    @Slot()
    def request(self) -> None:
        """Ask the session for the chosen side's current embeddings (when the panel is shown)."""
        if self.session.has_model and self.isVisible():
            for name in self._source_names():
                if name in ("src", "tgt"):
                    self.session.request_embeddings(name)
                elif name.startswith("ctx_"):
                    self.session.request_contextual(name[4:], self.layer_spin.value(), CONTEXT_SENTENCES)

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
                self.status.setText("No CBOW vectors yet: train them in the word2vec panel and "
                                    "press “Open in projector”.")

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
        self.points_note = (f"{len(self.tokens):,} points ({' + '.join(names)} at step {step}), "
                            f"D = {self.X.shape[1]}.")
        self.status.setText(self.points_note)
        if self.follow_check.isChecked() and self.axes is not None and same_points:
            self.set_layout(self.axes.transform(self.X), previous=previous)
        else:
            self.run_projection()

    # -- projecting --------------------------------------------------------------------------
    @property
    def method(self) -> str:
        return self.method_combo.currentData()

    @property
    def dim(self) -> int:
        return 3 if self.dim_combo.currentIndex() == 1 else 2

    @Slot()
    def run_projection(self) -> None:
        """Lay out the points in a ProjectionJob thread (PCA too: the UI thread only draws)."""
        if len(self.X) < 3:
            return
        if self._job is not None:
            self._rerun = self._job.method == "pca"  # a running t-SNE or UMAP is not restarted
            return
        self.axes = None
        self._job = ProjectionJob(self.X.copy(), self.method, self.dim,
                                  self.method_options.get(self.method), self)
        self._job.sig_progress.connect(self._on_progress)
        self._job.sig_done.connect(self._on_done)
        self._job.sig_failed.connect(self._on_failed)
        self._job.finished.connect(self._on_job_finished)
        self.progress.setValue(0)
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self._job.start()

    @Slot()
    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()

    @Slot(int, int, object)
    def _on_progress(self, done: int, total: int, layout) -> None:
        self.progress.setValue(int(100 * done / max(total, 1)))
        if len(layout) == len(self.X):
            self.set_layout(layout)

    @Slot(object)
    def _on_done(self, layout) -> None:
        self.progress.setValue(100)
        if len(layout) != len(self.X):
            return  # the points changed meanwhile; the rerun draws them
        axes = self._job.axes if self._job is not None else None
        if axes is not None:
            self.axes = axes
            ratio = axes.explained_variance_ratio.sum()
            self.status.setText(f"{self.points_note} PCA keeps {ratio:.0%} of the variance in {self.dim}D.")
        else:
            self.status.setText(f"{self.points_note} {self.method_combo.currentText()} done.")
        self.set_layout(layout)

    @Slot(str)
    def _on_failed(self, why: str) -> None:
        self.status.setText(f"{self.method_combo.currentText()} stopped: {why}.")

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
        from PySide6.QtWidgets import QApplication

        deadline = time.monotonic() + timeout_ms / 1000
        while self._job is not None and time.monotonic() < deadline:
            self._job.wait(max(1, int(1000 * (deadline - time.monotonic()))))
            QApplication.processEvents()
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
        mode = self.colour_combo.currentText()
        if mode == "language":
            names = list(dict.fromkeys(self.languages))
            return self.languages, group_colors(names)
        if mode == "frequency":
            counts = [self.frequencies.get(n) for n in self._source_names()]
            if all(c is not None for c in counts):
                bands, order = frequency_bands(np.concatenate([c[N_SPECIALS:] for c in counts]))
                return bands, group_colors(order, sequential=True)
            self.status.setText("Frequencies are not counted yet (they come from the training text).")
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
            self.search_edit.setToolTip(f"Not a valid regular expression: {exc}")
            return
        self.search_edit.setToolTip("Ring the words containing this text (Ctrl+F)")
        self.scatter.set_highlight(found)
        if self.search_edit.text():
            self.selection_label.setText(f"{len(found)} words match “{self.search_edit.text()}”.")

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
    def set_timeline(self, snapshots) -> None:
        """The training timeline (list of trace.Snapshot) for comparing two steps."""
        self.timeline = list(snapshots)
        for combo, pick in ((self.step_a, 0), (self.step_b, len(self.timeline) - 1)):
            combo.blockSignals(True)
            combo.clear()
            combo.addItems([f"step {s.step}" for s in self.timeline])
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
        self.status.setText(f"Step {timeline[b].step} in its PCA axes; trails from step {timeline[a].step}.")

    # -- neighbours ------------------------------------------------------------------------------
    @Slot(int)
    def select_point(self, index: int) -> None:
        """List the neighbours of point ``index`` in D dimensions and in the projection."""
        self.selected = index
        self._refresh_selection()

    def neighbours(self, index: int) -> tuple[list[tuple[int, float]], list[tuple[int, float]]]:
        """(nearest in the original space, nearest in the projection) of point ``index``."""
        k = self.k_spin.value()
        return (nearest_neighbours(self.X, index, k=k, metric=self.metric_combo.currentText()),
                projection_neighbours(self.coords, index, k))

    @Slot()
    def _refresh_selection(self) -> None:
        i = self.selected
        if i is None or i >= len(self.X) or len(self.coords) != len(self.X):
            return
        original, pictured = self.neighbours(i)
        both = {j for j, _ in original} & {j for j, _ in pictured}
        self.scatter.set_selection(i, [j for j, _ in original])
        self.selection_label.setText(
            f"“{self.tokens[i]}” ({self.classes[i] or 'no class'}, {self.languages[i]}): "
            f"{len(both)} of its {len(original)} nearest neighbours in {self.X.shape[1]} dimensions "
            f"are also among its nearest in the picture.")
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

    # -- export ------------------------------------------------------------------------------
    def shown_matrices(self) -> list[LabeledMatrix]:
        """The projected coordinates, one row per point labelled with its token."""
        axes = tuple("xyz"[: self.coords.shape[1]])
        return [LabeledMatrix(f"{self.method}_{self.dim}d", self.coords, tuple(self.tokens), axes)]

    def export(self, path: str | Path) -> Path:
        """.png/.svg: the picture; .csv/.npy/.npz: the projected coordinates."""
        return export_view(path, self.scatter, self.shown_matrices())[0]

    def closeEvent(self, event) -> None:
        self.cancel()
        self.wait(5000)
        super().closeEvent(event)
