"""Two models side by side, as the worker computes them (no Qt).

The worker serves ``requests.Compare(src, tgt, target, snapshot)`` by calling
:func:`compare` with its trainer; the reply is a ``model.analysis.sidebyside.SideBySide``
(A, B, and B - A of every attention block). What B is (``target``):

    "heads_off"   A: the model with every head on; B: the model as it is, its heads off
    "snapshot"    A: the model now; B: a timeline snapshot's probe trace (``snapshot``),
                  A reading the snapshot's own source and target ids
    a path        A: the model now; B: that checkpoint (loaded once, kept for the next
                  sentence until another path is asked for)

Torch and ``model.analysis`` are imported inside the functions: this module is imported
by the panel, which must not import torch on the UI thread.
"""
from __future__ import annotations

from typing import Any

TARGETS = ("heads_off", "snapshot")  # and any checkpoint path


class CheckpointCache:
    """The one comparison checkpoint the worker keeps loaded (path -> Translator)."""

    def __init__(self) -> None:
        self.path: str | None = None
        self.translator = None

    def get(self, path: str, device):
        if path != self.path:
            from model.inference import Translator

            self.translator, self.path = None, None
            self.translator = Translator.load(path, device=str(device))
            self.path = path
        return self.translator


def heads_now(model) -> frozenset:
    """The heads switched off on ``model`` now."""
    from model.analysis.heads import heads_off_now

    return frozenset(heads_off_now(model))


def switch_heads(model, heads) -> frozenset:
    """Switch exactly ``heads`` off on ``model`` (every other on); the heads now off."""
    from model.analysis.heads import set_heads_off

    set_heads_off(model, heads)
    return heads_now(model)


def compare(trainer, src: str, tgt: str | None, target: str, snapshot: Any = None,
            cache: CheckpointCache | None = None):
    """``src`` through A and B (see the module docstring); a SideBySide."""
    from model.analysis.heads import heads_off_now
    from model.analysis.sidebyside import against_trace, side_by_side

    tr = trainer.translator
    tr.step = trainer.step_count
    if target == "snapshot":
        if snapshot is None or getattr(snapshot, "probe", None) is None:
            raise ValueError("the snapshot keeps no probe trace to compare with")
        return against_trace(tr, snapshot.probe)
    src = src.strip()
    if not src:
        raise ValueError("no sentence to compare")
    if target == "heads_off":
        return side_by_side(tr, tr, src, tgt, heads_off_a=(), heads_off_b=heads_off_now(tr.model))
    other = (cache or CheckpointCache()).get(target, trainer.device)
    return side_by_side(tr, other, src, tgt)
