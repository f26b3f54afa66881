"""Opening the shipped checkpoint in two stages, in the worker thread (mixed into
``TrainingWorker``). (File > Open still opens a checkpoint in one go, so that a corpus it
cannot read fails the open, naming both files.)

First the model alone (``model.preview.Preview``: weights, tokenizers, history), installed
at once, so traces, probes and embeddings are answered within a second or two; meanwhile
a ``model.preview.Background`` thread builds the Trainer (reads or generates the corpus,
encodes it, builds the optimiser), which then takes the preview's place: the same weights,
a ModelInfo with ``new_model`` False that brings the corpus. A request the preview cannot
serve waits for the trainer; those that replace the model need none.
"""
from __future__ import annotations

import traceback
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP

from explorer import requests as rq
from explorer.requests import Message, plain
from model.pairs import Cancelled

READY = object()  # queued with the Background when the trainer is built
PREVIEW_REQUESTS = (rq.Trace, rq.SetProbe, rq.Embeddings, rq.Pause)  # a Preview serves these
REPLACING_REQUESTS = (rq.Load, rq.OpenCorpus, rq.Rebuild, rq.Build, rq.OpenDefault)  # need no trainer


class StagedLoading:
    """The worker's two-stage loading; uses its ``_trainer``, ``_queue``, ``_cancel``,
    ``_install``, ``_busy`` and signals."""

    _coming = None  # model.preview.Background: the trainer being built behind a Preview

    def _open_checkpoint(self, path: Path, message: Message) -> None:
        """The checkpoint's model at once (a Preview), its trainer built in the background."""
        from model.preview import Background, Preview
        from model.train import Trainer

        self._coming = None  # a trainer still being built for an earlier model is dropped
        self._install(Preview(path), message)
        self._busy(QT_TRANSLATE_NOOP("Worker", "Reading the training corpus of {name}…"), name=path.name)
        coming = Background(lambda: Trainer.from_checkpoint(path), self._cancel,
                            done=lambda: self._queue.put((READY, coming)))
        self._coming = coming.start()

    def _trainer_ready(self, item) -> bool:
        """True for the queue's "trainer built" marker (taken if it is the awaited one)."""
        if not (isinstance(item, tuple) and item and item[0] is READY):
            return False
        if item[1] is self._coming:  # not one dropped for a later model
            self._take_trainer()
        return True

    def _before(self, request: rq.Request) -> None:
        """Before serving ``request``: wait for the trainer unless a Preview serves it;
        refuse what needs a trainer when the corpus could not be read."""
        if isinstance(request, PREVIEW_REQUESTS):
            return
        self._take_trainer()
        preview = self._trainer is not None and self._trainer.corpus is None
        if preview and not isinstance(request, REPLACING_REQUESTS):
            raise RuntimeError("the model's training corpus could not be read")

    def _take_trainer(self) -> None:
        """Put the trainer built in the background (waiting for it) in the Preview's place."""
        coming, self._coming = self._coming, None
        if coming is None:
            return
        try:
            trainer = coming.result()
        except Cancelled:
            return
        except Exception as exc:  # noqa: BLE001 - the preview stays, for inspecting
            self.sig_busy.emit(rq.NO_MESSAGE)
            self.sig_failed.emit(0, Message(QT_TRANSLATE_NOOP(
                "Worker", "Reading the training corpus failed: {error}"), {"error": exc}),
                plain(traceback.format_exc()))
            return
        probe = getattr(self._trainer, "probe_set", None)  # a probe set on the Preview
        if probe is not None:
            trainer.set_probe(*probe)
        self._install(trainer, new_model=False)
