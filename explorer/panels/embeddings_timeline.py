"""The projector over training time: following training, the window's replay, and two
timeline steps compared.

- Follow training: while training plays, the panel asks for new embeddings every
  FOLLOW_INTERVAL_MS and draws them in the PCA axes it keeps, trails showing the move.
- Replay: when the window's timeline moves, the rows of that step's snapshot are drawn
  (``embeddings_replay.ReplayFrames`` labels them and lays every step out beforehand, so a
  frame only moves points); back to live, the panel asks for the live rows again.
- Compare: the later of two chosen timeline steps in its own PCA axes, with trails from the
  earlier one.

``ProjectorTimeline`` is a part of ``EmbeddingsPanel`` (a mixin, as the attention panel's
``Exporting``): it uses the panel's ``state``, ``controls``, ``scatter``, ``replay``,
``session``, the chosen ``source_key`` / ``method`` / ``dim``, and its ``request``,
``set_layout``, ``run_projection``, ``_load_when_shown``, ``_languages`` and ``_set_status``.
"""
from __future__ import annotations

import dataclasses

import numpy as np
from PySide6.QtCore import QTimer, Slot

from explorer.logic import embeddings as logic
from explorer.widgets.scatter import group_colors
from model.projection import fit_pca

FOLLOW_INTERVAL_MS = 1000  # while following training, ask for a new snapshot this often


class ProjectorTimeline:
    """Following training, replay frames and comparing steps, for the EmbeddingsPanel."""

    def _connect_timeline(self) -> None:
        """Connect the controls and the session's timeline signals (once, in ``__init__``)."""
        c = self.controls
        self.timeline: list = []  # the training timeline's snapshots (trace.Snapshot)
        c.follow_check.toggled.connect(self._on_follow)
        c.trails_check.toggled.connect(self._redraw_trails)
        c.compare_button.clicked.connect(self.compare_steps)
        self._follow_timer = QTimer(self, interval=FOLLOW_INTERVAL_MS)
        self._follow_timer.timeout.connect(self._on_follow_tick)
        self.session.sig_timeline.connect(self.set_timeline)
        self.session.sig_replay.connect(self._on_replay)

    @Slot(bool)
    def _on_follow(self, on: bool) -> None:
        if on:
            self.controls.method_combo.setCurrentIndex(0)
            if self.state.axes is None and len(self.state.X) >= 3:
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
        st = self.state
        if snapshot is None:
            if st.replay_step is not None:
                st.replay_step = None
                self.replay.went_live()
                st.snapshots.pop("src", None), st.snapshots.pop("tgt", None)  # asked again, live
                self.request()
            return
        if self.source_key not in ("src", "tgt", "both"):
            return
        st.replay_step = snapshot.step
        for side, tok in (("src", self.session.src_tokenizer), ("tgt", self.session.tgt_tokenizer)):
            if tok is not None:
                st.snapshots[side] = self.replay.snapshot(snapshot, side, tok, self._languages()[side])
        self._load_when_shown()

    @Slot(object)
    def set_timeline(self, snapshots) -> None:
        """The training timeline (list of trace.Snapshot) for comparing two steps."""
        self.timeline = list(snapshots)
        self.controls.set_steps([s.step for s in self.timeline])
        self._prepare_replay()

    @Slot()
    def compare_steps(self) -> None:
        """Draw the later chosen step in its PCA axes, with trails from the earlier step."""
        c, st = self.controls, self.state
        if len(self.timeline) < 2:
            return
        a, b = sorted((c.step_a.currentIndex(), c.step_b.currentIndex()))
        pair = logic.step_matrices(st, self.timeline[a], self.timeline[b])
        if pair is None or pair[1].shape != st.X.shape:
            return
        before, after = pair
        st.points = logic.Points(after, *(getattr(st.points, f) for f in
                                          ("tokens", "languages", "classes", "ids", "names", "step", "vocab")))
        st.axes = fit_pca(after, self.dim)
        st.previous = st.axes.transform(before)
        c.trails_check.setChecked(True)
        self.set_layout(st.axes.transform(after), previous=st.previous)
        self._set_status("compared", a=self.timeline[a].step, b=self.timeline[b].step)

    def _replay_points(self, snapshot) -> logic.Points | None:
        """The points a replay frame showing the timeline ``snapshot`` gathers (labelled)."""
        st = self.state
        snapshots = dict(st.snapshots)
        for side, tok in (("src", self.session.src_tokenizer), ("tgt", self.session.tgt_tokenizer)):
            if tok is not None:
                snapshots[side] = self.replay.snapshot(snapshot, side, tok, self._languages()[side])
        return logic.gather_points(dataclasses.replace(st, snapshots=snapshots), self._languages())

    def _prepare_replay(self) -> None:
        """Before a replay (the history came, or the live points changed): label the rows
        of the timeline's snapshots and lay out every step in a job, so that the replay's
        first frame only moves points. Not while training (the timeline grows)."""
        st = self.state
        if (st.replay_step is not None or not self.timeline or self.method != "pca" or st.points is None
                or self.source_key not in ("src", "tgt", "both") or not self.isVisible()
                or self.session.state == "playing"):
            return
        points = self._replay_points(self.timeline[0])
        if points is not None and len(points.tokens):
            self.replay.prepare(points, self.timeline, self.dim)
            # and the scatter's item for those rows, so that the first frame only moves them
            names, order, sequential = logic.groups(dataclasses.replace(st, points=points))
            self.scatter.prepare(len(points.X), names, group_colors(order, sequential))

    def _trail_start(self) -> np.ndarray | None:
        prev = self.state.previous
        on = self.controls.trails_check.isChecked() and prev is not None and prev.shape == self.state.coords.shape
        return prev if on else None

    @Slot()
    def _redraw_trails(self) -> None:
        self.scatter.set_previous(self._trail_start())
