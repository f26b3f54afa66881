"""The embedding projector: the rows of an embedding matrix as points in 2D or 3D.

Points are the translator's source or target embedding matrix E (or both at once,
coloured by language), the CBOW vectors learned in the word2vec panel, or a layer's
output in context. A large vocabulary (opus-mt: 58k pieces) is projected as a chosen
subset: the most frequent pieces, the words of the loaded sentences, or a search's
matches. PCA lays them out at once; t-SNE and UMAP run in a background job with progress
and cancel. Search rings the matching words and says when a word is not in the
vocabulary; colour by word class, frequency or language. A click on a point lists its
nearest neighbours in the original space next to those in the picture.

Following training keeps the PCA axes and draws later snapshots in them (trails show the
move); two timeline steps can be compared; the window's replay moves the points in place,
each frame's PCA turned onto the previous one.

What it computes and holds lives in ``explorer.logic.embeddings`` (``ProjectorState``,
no Qt); the controls and the neighbour table are in ``embeddings_views``; following
training, replay frames and comparing steps in ``embeddings_timeline``.
"""
from __future__ import annotations

import re

import numpy as np
from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from explorer.jobs import Job
from explorer.logic import embeddings as logic
from explorer.logic.embeddings import CONTEXT_SENTENCES, N_SPECIALS, ProjectorState
from explorer.panels.base import Panel
from explorer.panels.embeddings_replay import ReplayFrames
from explorer.panels.embeddings_views import (
    LayoutRunner,
    NeighbourView,
    ProjectorControls,
    StatusLine,
)
from explorer.panels.embeddings_timeline import ProjectorTimeline
from explorer.texts import Texts
from explorer.widgets.export import LabeledMatrix
from explorer.widgets.scatter import ProjectorScatter, group_colors
from model.trace import EmbeddingSnapshot


class EmbeddingsPanel(ProjectorTimeline, Panel):
    """Projector of embedding matrices: PCA / t-SNE / UMAP, 2D / 3D, search, colours,
    nearest neighbours, following training, comparing and replaying timeline steps."""

    title = "Embeddings"

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.state = ProjectorState()
        self.method_options: dict[str, dict] = {}  # e.g. {"tsne": {"n_iter": 500}}, passed to lay_out
        self._search_error: str | None = None
        self._points_stale = False  # a snapshot came while the panel was hidden

        c = self.controls = ProjectorControls()
        self.status = StatusLine()
        self.scatter = ProjectorScatter()
        self.replay = ReplayFrames(self.scatter, self)  # a replay frame's row labels, the timeline's layouts
        self.side = NeighbourView()
        self.runner = LayoutRunner(c, self.run_projection, self)
        self.runner.sig_layout.connect(self._on_layout)
        self.runner.sig_status.connect(self._on_run_status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(c)
        layout.addWidget(self.status)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.scatter)
        split.addWidget(self.side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([700, 240])
        layout.addWidget(split, 1)
        Texts(self).add(self._write_search_tip)

        c.source_combo.currentIndexChanged.connect(self._on_source)
        c.layer_spin.valueChanged.connect(self._on_source)
        c.refresh_button.clicked.connect(self.request)
        c.subset_combo.currentIndexChanged.connect(self._on_subset)
        c.subset_spin.editingFinished.connect(self._on_subset)
        c.method_combo.currentIndexChanged.connect(self._on_method)
        c.run_button.clicked.connect(self.run_projection)
        c.cancel_button.clicked.connect(self.cancel)
        c.colour_combo.currentIndexChanged.connect(self._recolour)
        c.search_edit.textChanged.connect(self._on_search)
        c.regex_check.toggled.connect(self._on_search)
        c.labels_check.toggled.connect(self.scatter.set_labels_visible)
        self.side.metric_combo.currentIndexChanged.connect(self._refresh_selection)
        self.side.k_spin.valueChanged.connect(self._refresh_selection)
        self.scatter.sig_point_clicked.connect(self.select_point)
        for keys, slot in (("Ctrl+R", self.run_projection), ("Esc", self.cancel),
                           ("Ctrl+F", c.search_edit.setFocus)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

        s = session
        s.sig_model_changed.connect(self._on_model_changed)
        self._connect_timeline()
        if s.has_model:
            self._on_model_changed(s.info)
        if s.timeline:  # built after the timeline came (docks build their panel when first shown)
            self.set_timeline(s.timeline)
        if s.replay_snapshot is not None:
            self._on_replay(s.replay_snapshot)

    # -- the controls' values -------------------------------------------------------------------
    @property
    def source_key(self) -> str:
        return self.controls.source_combo.currentData()

    @property
    def method(self) -> str:
        return self.controls.method_combo.currentData()

    @property
    def dim(self) -> int:
        return int(self.controls.dim_combo.currentData())

    def _sync(self) -> None:
        """Copy the controls' values into the state."""
        c, st = self.controls, self.state
        st.source, st.method, st.dim = self.source_key, self.method, self.dim
        st.colour, st.subset = c.colour_combo.currentData(), c.subset_combo.currentData()
        st.subset_rows, st.search, st.regex = c.subset_spin.value(), c.search_edit.text(), c.regex_check.isChecked()
        st.metric, st.k = self.side.metric_combo.currentData(), self.side.k_spin.value()

    def _set_status(self, key: str, **values) -> None:
        self.state.status = (key, values)
        self.status.set_status(key, self.state.note_values(), values)

    def _write_selection(self) -> None:
        self.side.show_selection(*self.state.selection)

    # -- data in -----------------------------------------------------------------------------
    @Slot(object)
    def show_embeddings(self, snapshot: EmbeddingSnapshot, frequencies: np.ndarray | None = None) -> None:
        """Keep a snapshot ("src", "tgt", "cbow" or a layer in context) and draw it when it
        is the chosen source; ``frequencies`` (V,) count its tokens in its text."""
        name = snapshot.name
        if ".layer" in name:  # contextual states, e.g. "src.layer1"
            name = "ctx_" + name.split(".")[0]
        if self.state.replay_step is not None and name in ("src", "tgt"):
            return  # a live answer that came after the replay began: asked again when live
        self.state.snapshots[name] = snapshot
        if frequencies is not None:
            self.state.frequencies[name] = np.asarray(frequencies)
        if snapshot.name == "cbow" and self.source_key != "cbow":
            self.controls.source_combo.setCurrentIndex(self.controls.source_combo.findData("cbow"))
            return  # _on_source draws
        if name in self.state.names:
            self._load_when_shown()

    def _load_when_shown(self) -> None:
        if self.isVisible():
            self._load_points()
        else:
            self._points_stale = True

    def showEvent(self, event) -> None:
        """A hidden panel asks for embeddings and draws them only once it is shown."""
        super().showEvent(event)
        if self._points_stale:
            self._points_stale = False
            self._load_points()
        elif not self.state.ready:
            self.request()

    @Slot(object)
    def _on_model_changed(self, info) -> None:
        for name in ("src", "tgt", "ctx_src", "ctx_tgt"):
            self.state.snapshots.pop(name, None)
            self.state.frequencies.pop(name, None)
        self.state.sentence_ids.clear()
        self.replay.clear()
        config = info.model_config
        if config is not None:
            self.controls.layer_spin.setRange(0, max(config.n_layers, config.dec_layers) - 1)
            self.controls.layer_spin.setValue(self.controls.layer_spin.maximum())
        self.state.axes = None
        tokenizers = (info.src_tokenizer, info.tgt_tokenizer)
        if info.corpus is not None and all(tokenizers):
            job = Job(logic.corpus_counts, (info.corpus, *tokenizers), owner=self)
            job.sig_done.connect(self._on_counted)
            job.start()
        self.request()

    @Slot(object)
    def _on_counted(self, result) -> None:
        counts, sentences = result
        self.state.frequencies.update(counts)
        self.state.sentence_ids.update(sentences)
        if self.state.points is not None and self.state.points.subset or self.state.colour == "frequency":
            self._load_when_shown()

    @Slot()
    def request(self) -> None:
        """Ask the session for the chosen side's current embeddings (when the panel is shown)."""
        if self.session.has_model and self.isVisible():
            for name in self.state.names:
                if name in ("src", "tgt"):
                    self.session.request_embeddings(name).then(self.show_embeddings)
                elif name.startswith("ctx_"):
                    self.session.request_contextual(
                        name[4:], self.controls.layer_spin.value(), CONTEXT_SENTENCES).then(self.show_embeddings)

    @Slot()
    def _on_source(self) -> None:
        self._sync()
        self.controls.layer_spin.setVisible(self.source_key.startswith("ctx_"))
        if self.source_key.startswith("ctx_"):
            self.state.snapshots.pop(self.source_key, None)  # the layer may have changed
        self.state.axes = None
        self.state.previous = None
        if self.state.ready:
            self._load_points()
        else:
            self.request()
            if self.source_key == "cbow":
                self._set_status("no cbow")

    @Slot()
    def _on_subset(self) -> None:
        self.state.axes = None
        self._load_points()

    def _languages(self) -> dict[str, str]:
        corpus = self.session.corpus
        src = getattr(corpus, "src_lang", "") if corpus is not None else ""
        tgt = getattr(corpus, "tgt_lang", "") if corpus is not None else ""
        return {"src": src, "tgt": tgt, "ctx_src": src, "ctx_tgt": tgt, "cbow": src or "en"}

    def _load_points(self) -> None:
        """Gather the chosen rows of the snapshot(s) as points and lay them out."""
        self._sync()
        st = self.state
        points = logic.gather_points(st, self._languages())
        if points is None:
            return
        self.controls.show_subset(points.vocab > logic.SUBSET_FROM
                                  and not any(n.startswith("ctx_") for n in points.names))
        if not len(points.tokens):
            st.points, st.coords = points, np.zeros((0, self.dim), np.float32)
            self.scatter.set_points(st.coords, [], [], {})
            self._set_status("no rows")
            self._search()
            return
        same = st.points is not None and points.tokens == st.points.tokens and points.X.shape == st.X.shape
        last = st.coords if same and st.coords.shape == (len(points.X), self.dim) else None
        st.points = points
        if st.replay_step is not None and self.method == "pca":
            # a replay frame: PCA of this step, turned to sit on the last frame (no flips)
            coords = self.replay.layout(points, last, self.timeline, st.replay_step, self.dim)
            self.set_layout(coords, previous=last, keep_range=last is not None or self.replay.fitted)
            self._set_status("replay", step=st.replay_step)
            return
        elif self.controls.follow_check.isChecked() and st.axes is not None and same:
            self.set_layout(st.axes.transform(points.X), previous=last)
            self._set_status("points")
        elif len(points.X) < 3:  # too few to project: in a row, so they can still be found
            self._set_status("points")
            self.set_layout(np.c_[np.arange(len(points.X)), np.zeros((len(points.X), self.dim - 1))])
        else:
            self._set_status("points")
            self.run_projection()
        self._prepare_replay()

    # -- projecting --------------------------------------------------------------------------
    @property
    def _job(self) -> Job | None:
        return self.runner.job

    @Slot()
    def run_projection(self) -> None:
        """Lay out the points in a background job (PCA too: the UI thread only draws)."""
        if len(self.state.X) >= 3:
            if self.runner.job is None:
                self.state.axes = None
            self.runner.run(self.state.X, self.method, self.dim, self.method_options.get(self.method))

    @Slot()
    def _on_method(self) -> None:
        if self.method == "umap":
            self.runner.warm_up_umap()

    @Slot()
    def cancel(self) -> None:
        self.runner.cancel()

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Wait for running projections and draw their results (tests, closing); True when none is left."""
        return self.runner.wait(timeout_ms)

    @Slot(object, object, bool)
    def _on_layout(self, layout, axes, final: bool) -> None:
        if len(layout) != len(self.state.X):
            return  # the points changed meanwhile; the rerun draws them
        if final and axes is not None:
            self.state.axes = axes
            self._set_status("pca", ratio=float(axes.explained_variance_ratio.sum()), dim=self.dim)
        elif final:
            self._set_status("done", method=self.runner.method)
        self.set_layout(layout)

    @Slot(str, object)
    def _on_run_status(self, key: str, values: dict) -> None:
        if key == "warm":
            if self.state.status[0] == "warming":
                self._set_status("points")
        else:
            self._set_status(key, **values)

    def set_layout(self, coords: np.ndarray, previous: np.ndarray | None = None,
                   keep_range: bool | None = None) -> None:
        """Draw the points at ``coords`` (N, 2|3), in place (``previous``: where they were,
        for trails): one update of the scatter, its items kept. The view keeps its range
        when ``keep_range`` (default: when ``previous`` is given), else fits the points."""
        st = self.state
        st.coords = np.asarray(coords, dtype=np.float32)
        if previous is not None and previous.shape == st.coords.shape:
            st.previous = previous
        names, order, sequential = logic.groups(st)
        if st.colour == "frequency" and not sequential:
            self._set_status("no frequencies")
        found = self._search()
        self.scatter.set_points(st.coords, st.points.tokens, names, group_colors(order, sequential),
                                keep_range=previous is not None if keep_range is None else keep_range,
                                previous=self._trail_start(),
                                highlight=found, selection=self._selection())

    # -- colours and search ------------------------------------------------------------------------
    @Slot()
    def _recolour(self) -> None:
        self._sync()
        if len(self.state.coords) and self.state.points is not None:
            self.set_layout(self.state.coords)

    def _search(self) -> np.ndarray:
        """Indices of the points the search finds; writes what it found (or why not)."""
        self._sync()
        st = self.state
        try:
            found = logic.matches(st.tokens, st.search, st.regex)
        except re.error as exc:
            self._search_error = str(exc)
            self._write_search_tip()
            return np.zeros(0, dtype=int)
        self._search_error = None
        self._write_search_tip()
        if st.search:
            whole = st.regex or logic.in_vocabulary(logic.whole_vocabulary(st), st.search)
            st.selection = ("matches", {"n": len(found), "text": st.search, "whole": whole})
            self._write_selection()
        return found

    @Slot()
    def _on_search(self) -> None:
        c = self.controls
        if c.subset_combo.currentData() == "search" and not c.subset_combo.isHidden():
            self._load_points()  # the search chooses the points
        else:
            self.scatter.set_highlight(self._search())

    def _write_search_tip(self) -> None:
        edit = self.controls.search_edit
        if self._search_error is None:
            edit.setToolTip(self.tr("Ring the words containing this text (Ctrl+F)"))
        else:
            edit.setToolTip(self.tr("Not a valid regular expression: {error}").format(error=self._search_error))

    # -- neighbours ------------------------------------------------------------------------------
    @Slot(int)
    def select_point(self, index: int) -> None:
        """List the neighbours of point ``index`` in D dimensions and in the projection."""
        self.state.selected = index
        self._refresh_selection()

    def neighbours(self, index: int):
        """(nearest in the original space, nearest in the projection) of point ``index``."""
        self._sync()
        return logic.neighbours(self.state, index)

    def _selection(self) -> tuple[int | None, list[int]]:
        """The selected point and its neighbours in D dims (writes the table and its label)."""
        st = self.state
        i = st.selected
        if i is None or st.points is None or i >= len(st.X) or len(st.coords) != len(st.X):
            return None, []
        self._sync()
        rows, both = logic.neighbour_table(st, i)
        original, _ = logic.neighbours(st, i)
        p = st.points
        st.selection = ("neighbours", {"token": p.tokens[i], "word_class": p.classes[i], "lang": p.languages[i],
                                       "both": len(both), "k": len(rows), "D": p.X.shape[1]})
        self._write_selection()
        self.side.set_rows(rows, {p.tokens[j] for j in both})
        return i, [j for j, _ in original]

    @Slot()
    def _refresh_selection(self) -> None:
        index, around = self._selection()
        if index is not None:
            self.scatter.set_selection(index, around)

    # -- export ------------------------------------------------------------------------------
    def matrices(self) -> list[LabeledMatrix]:
        """The projected coordinates (one row per word), and the selected point's neighbour
        table (in D dims and in the picture)."""
        self._sync()
        return [LabeledMatrix(name, values, tuple(rows), tuple(cols))
                for name, values, rows, cols in logic.exported(self.state)]

    def export_widget(self) -> QWidget:
        """Pictures show the projection only."""
        return self.scatter

    def closeEvent(self, event) -> None:
        self.cancel()
        self.wait(5000)
        super().closeEvent(event)


__all__ = ["EmbeddingsPanel", "N_SPECIALS"]
