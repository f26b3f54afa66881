"""What the projector keeps so that a replay frame only moves points.

``ReplayFrames`` labels a timeline snapshot's embedding rows once (tokens and word classes,
not on every frame) and holds the PCA picture of every snapshot of the timeline for the
rows drawn (``explorer.logic.timeline.timeline_layouts``), computed once in a job. The
panel asks for both before the replay (``prepare``: when the history arrives or the points
change), so that the first frame, too, only moves points; the first frame to take the
pictures turns them as a whole onto the picture on screen (nothing flips). Until the job is
in (a replay started before it finished, or rows chosen since), a frame lays out its own
step (PCA turned onto the last frame) and starts the job; once it is in, a frame takes its
step's picture (the set turned as a whole onto the picture shown then). A step then looks
the same whichever way the replay reaches it.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Slot

from explorer.jobs import Job
from explorer.logic.embeddings import word_classes
from explorer.logic.timeline import aligned_layout, timeline_layouts, turned_onto
from model.trace import EmbeddingSnapshot


def _keyed_layouts(key, snapshots, ids, dim):
    return key, timeline_layouts(snapshots, ids, dim)


class ReplayFrames(QObject):
    """Row labels and the timeline's layouts for the projector's replay frames."""

    def __init__(self, scatter=None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.scatter = scatter  # its view is fitted to every step of the replay at once
        self._fitted = None  # the layouts the view was fitted to
        self._labels: dict = {}  # (side, tokenizer, rows, language) -> (tokens, word classes)
        self.layouts: dict = {}  # (names, rows, dim, steps) -> {step: coords}; one key at a time
        self.job: Job | None = None
        self._job_key = None
        self._shown: tuple[int, np.ndarray] | None = None  # (step, coords) drawn last by a frame
        self._unshown = False  # the layouts came before any frame: turned onto the screen by the first

    def clear(self) -> None:
        """A new model: labels and layouts are of the old one."""
        self._labels.clear()
        self.layouts.clear()
        if self.job is not None:
            self.job.cancel()
        self.job, self._job_key, self._shown, self._fitted = None, None, None, None
        self._unshown = False

    def went_live(self) -> None:
        """The window shows the model as it is now: the next replay starts from that picture."""
        self._shown = None

    def snapshot(self, snapshot, side: str, tokenizer, lang: str) -> EmbeddingSnapshot:
        """The rows a timeline Snapshot keeps for ``side`` ("src"/"tgt"), labelled."""
        matrix = snapshot.src_embeddings if side == "src" else snapshot.tgt_embeddings
        key = (side, id(tokenizer), len(matrix), lang)
        if key not in self._labels:
            tokens = tuple(tokenizer.id_to_token(i) for i in range(len(matrix)))
            self._labels[key] = tokens, tuple(word_classes(tokens, lang))
        tokens, classes = self._labels[key]
        return EmbeddingSnapshot(step=snapshot.step, name=side, tokens=tokens, matrix=matrix,
                                 word_class=classes)

    def layout(self, points, last: np.ndarray | None, timeline, step: int, dim: int) -> np.ndarray:
        """The picture of ``points`` (the rows of the snapshot at ``step``) for this frame."""
        coords = self._layout(points, last, timeline, step, dim)
        self._shown = (step, coords)
        return coords

    @property
    def fitted(self) -> bool:
        """Whether the view is fitted to the layouts the frames take (keep its range)."""
        return self._fitted is not None and any(self._fitted is v for v in self.layouts.values())

    def prepare(self, points, timeline, dim: int) -> None:
        """Start laying out every step of ``timeline`` for ``points`` (the rows a replay frame
        gathers) before the replay, so that its first frame only moves points."""
        key = self._key(points, timeline, dim)
        if key is not None and key not in self.layouts and self._job_key != key:
            self._start(key, timeline, points, dim)

    @staticmethod
    def _key(points, timeline, dim):
        if not set(points.names) <= {"src", "tgt"} or not timeline:
            return None
        return (points.names, tuple(points.ids[n].tobytes() for n in points.names), dim,
                tuple(snap.step for snap in timeline))

    def _start(self, key, timeline, points, dim) -> None:
        if self.job is not None:
            self.job.cancel()
        self._job_key = key
        self.job = Job(_keyed_layouts, (key, tuple(timeline), {n: points.ids[n] for n in points.names}, dim),
                       owner=self)
        self.job.sig_done.connect(self._on_layouts)
        self.job.start()

    def _layout(self, points, last, timeline, step, dim) -> np.ndarray:
        key = self._key(points, timeline, dim)
        if key is None:
            return aligned_layout(points.X, dim, last)
        layouts = self.layouts.get(key)
        if layouts is not None and step in layouts and layouts[step].shape == (len(points.X), dim):
            if self._unshown:  # laid out before the replay: turned onto what the screen shows
                self._unshown = False
                if last is not None:
                    layouts = self.layouts[key] = turned_onto(layouts, step, last)
            self._fit(layouts, dim)
            return layouts[step]
        if layouts is None and self._job_key != key:
            self._start(key, timeline, points, dim)
        return aligned_layout(points.X, dim, last)

    def _fit(self, layouts: dict, dim: int) -> None:
        """Fit the 2D view once to the points of every step: the embeddings spread as they
        train, and a view fitted to the first frame would lose them."""
        if self.scatter is None or dim != 2 or self._fitted is layouts:
            return
        every = np.vstack(list(layouts.values()))
        (x0, y0), (x1, y1) = every.min(0), every.max(0)
        self.scatter.plot.setRange(xRange=(float(x0), float(x1)), yRange=(float(y0), float(y1)), padding=0.02)
        self._fitted = layouts

    @Slot(object)
    def _on_layouts(self, result) -> None:
        key, layouts = result
        if key != self._job_key:
            return  # asked for other rows meanwhile
        self.job, self._job_key = None, None
        if self._shown is not None:
            layouts = turned_onto(layouts, *self._shown)
        self._unshown = self._shown is None
        self.layouts = {key: layouts}
