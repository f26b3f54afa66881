"""The window's training timeline, without Qt: which snapshot is shown, replay and speed.

``TimelineState`` holds the steps of the snapshots the model carries (its history from
step 0, and what was trained since the app started), which of them the window shows
(None: live, the model as it is now), whether the replay plays and how fast. The widget
(explorer/widgets/timeline.py) drives it with a timer and draws it; the Session tells the
panels what it shows. ``aligned_layout`` keeps a PCA picture from flipping or turning
between two frames of the replay.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

SPEEDS = (0.5, 1.0, 2.0, 4.0)  # replay speeds offered
FRAMES_PER_S = 2.0  # snapshots shown per second at speed 1


@dataclass
class TimelineState:
    """Steps of the snapshots (in order), the index shown (None: live), replay and speed."""

    steps: list[int] = field(default_factory=list)
    index: int | None = None
    playing: bool = False
    speed: float = 1.0

    @property
    def live(self) -> bool:
        return self.index is None

    @property
    def step(self) -> int | None:
        """The step shown, None when live."""
        return None if self.index is None else self.steps[self.index]

    @property
    def slider_max(self) -> int:
        """Slider positions: 0..len(steps)-1 are the snapshots, len(steps) is live."""
        return len(self.steps)

    @property
    def slider_value(self) -> int:
        return self.slider_max if self.index is None else self.index

    def set_steps(self, steps) -> None:
        """New snapshot steps (the model changed or training added some): a shown snapshot
        stays shown when its step is still there, else the window goes live."""
        shown = self.step
        self.steps = [int(s) for s in steps]
        if shown is not None:
            self.index = self.steps.index(shown) if shown in self.steps else None
        if self.index is None:
            self.playing = False

    def scrub(self, value: int) -> bool:
        """Move to slider position ``value``; True when what is shown changed."""
        index = None if value >= len(self.steps) else max(int(value), 0)
        changed = index != self.index
        self.index = index
        if index is None:
            self.playing = False
        return changed

    def go_live(self) -> bool:
        """Back to the model as it is now; True when it was showing a snapshot."""
        was = self.index is not None
        self.index, self.playing = None, False
        return was

    def play(self) -> bool:
        """Start the replay: from the first snapshot when live or at the last one."""
        if not self.steps:
            return False
        if self.index is None or self.index >= len(self.steps) - 1:
            self.index = 0
        self.playing = True
        return True

    def pause(self) -> None:
        self.playing = False

    def tick(self) -> bool:
        """One replay frame: the next snapshot; stops at the last one (which stays shown).
        True when what is shown changed."""
        if not self.playing or self.index is None:
            return False
        if self.index >= len(self.steps) - 1:
            self.playing = False
            return False
        self.index += 1
        if self.index == len(self.steps) - 1:
            self.playing = False
        return True

    @property
    def interval_ms(self) -> int:
        """Milliseconds between replay frames at the chosen speed."""
        return int(round(1000.0 / (FRAMES_PER_S * self.speed)))


def aligned_layout(X: np.ndarray, dim: int, previous: np.ndarray | None) -> np.ndarray:
    """PCA of the rows of ``X`` (N, D) to ``dim`` dimensions, turned and mirrored to sit as
    close as possible to ``previous`` (N, dim), the layout of the same points one frame
    earlier (orthogonal Procrustes). PCA's axes have no preferred sign and swap when two
    variances cross, so without this the points of a replay jump to the mirror side."""
    X = np.asarray(X, dtype=np.float32)
    centred = X - X.mean(0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)  # rows of vt: principal axes
    coords = centred @ vt[:dim].T
    if previous is None or previous.shape != coords.shape or len(coords) < dim:
        return coords
    a = coords - coords.mean(0)
    b = previous - previous.mean(0)
    u, _, vt = np.linalg.svd(a.T @ b)
    return (a @ (u @ vt) + coords.mean(0)).astype(coords.dtype)


def snapshot_embeddings(snapshot, side: str, tokenizer, labels: dict | None = None):
    """The embedding rows a timeline Snapshot keeps for ``side`` ("src" or "tgt") as an
    EmbeddingSnapshot labelled with their tokens (rows are ids 0, 1, ... in order).
    ``labels``, a dict the caller keeps, holds the labels made for a tokenizer and a number
    of rows, so that a replay frame does not make them again."""
    from model.trace import EmbeddingSnapshot

    matrix = snapshot.src_embeddings if side == "src" else snapshot.tgt_embeddings
    key = (side, len(matrix))
    kept = None if labels is None else labels.get(key)
    if kept is None or kept[0] is not tokenizer:
        kept = (tokenizer, tuple(tokenizer.id_to_token(i) for i in range(len(matrix))))
        if labels is not None:
            labels[key] = kept
    return EmbeddingSnapshot(step=snapshot.step, name=side, tokens=kept[1], matrix=matrix)


def timeline_layouts(snapshots, ids: dict, dim: int) -> dict[int, np.ndarray]:
    """The replay's PCA picture of every timeline snapshot, for the rows ``ids`` ("src" /
    "tgt" -> row ids, in the order the points are drawn): step -> (N, dim), each step
    turned onto the one before (``aligned_layout``) in step order. Computed once for the
    whole timeline (a job), a step looks the same whichever way the replay reaches it, and a
    frame only moves points. Snapshots whose tables lack a row are left out."""
    out, previous = {}, None
    for snap in sorted(snapshots, key=lambda s: s.step):
        parts = []
        for name, rows in ids.items():
            matrix = snap.src_embeddings if name == "src" else snap.tgt_embeddings
            if matrix is None or (len(rows) and int(np.max(rows)) >= len(matrix)):
                break
            parts.append(np.asarray(matrix, dtype=np.float32)[rows])
        else:
            if parts:
                previous = aligned_layout(np.vstack(parts), dim, previous)
                out[snap.step] = previous
    return out


def turned_onto(layouts: dict[int, np.ndarray], step: int, shown: np.ndarray) -> dict[int, np.ndarray]:
    """``layouts`` with one rotation or mirror (the same for every step) that puts
    ``layouts[step]`` as close as possible to ``shown``, the picture on screen now: taking
    over precomputed frames does not flip the points."""
    if step not in layouts or layouts[step].shape != np.shape(shown) or not len(shown):
        return layouts
    a = layouts[step] - layouts[step].mean(0)
    b = np.asarray(shown, np.float32) - np.asarray(shown, np.float32).mean(0)
    u, _, vt = np.linalg.svd(a.T @ b)
    r = (u @ vt).astype(np.float32)
    return {s: ((c - c.mean(0)) @ r + c.mean(0)).astype(np.float32) for s, c in layouts.items()}
