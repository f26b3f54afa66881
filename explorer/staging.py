"""Opening a checkpoint in two stages, in the worker thread (mixed into ``TrainingWorker``):
the shipped one at start and any one from File > Open.

First the model alone (``model.preview.Preview``: weights, tokenizers, history), installed
at once, so traces, probes, embeddings, head switches, comparisons and analyses are
answered within a second or two; meanwhile a ``model.preview.Background`` thread builds
the Trainer (reads or generates the corpus, encodes it, builds the optimiser), which then
takes the preview's place: the same weights, a ModelInfo with ``new_model`` False that
brings the corpus. A request the preview cannot serve waits for the trainer; those that
replace the model need none, and call off the trainer still being built for the model they
replace.

A checkpoint whose corpus cannot be read (missing, unreadable, not a regular file) stays
open for inspection: the failure is said once, naming the checkpoint and its corpus, and
training (or anything else that needs the corpus) is refused saying why.
"""
from __future__ import annotations

import threading
import traceback
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP

from explorer import requests as rq
from explorer.logic.compare import heads_now, switch_heads
from explorer.requests import Message, plain
from model.pairs import Cancelled

READY = object()  # queued with the Background when the trainer is built
# What a Preview (the model without its corpus) serves:
PREVIEW_REQUESTS = (rq.Trace, rq.SetProbe, rq.Embeddings, rq.Pause, rq.SetHeadsOff, rq.Compare,
                    rq.Analyse)
CORPUS_VIEWS = ("heads",)  # Analysis views that read the corpus (its validation pairs)
REPLACING_REQUESTS = (rq.Load, rq.OpenCorpus, rq.Rebuild, rq.Build, rq.OpenDefault)  # need no trainer


def preview_serves(request: rq.Request) -> bool:
    """True when a Preview answers ``request`` (no corpus needed)."""
    if isinstance(request, rq.Analyse):
        return request.view not in CORPUS_VIEWS
    return isinstance(request, PREVIEW_REQUESTS)


class StagedLoading:
    """The worker's two-stage loading; uses its ``_trainer``, ``_queue``, ``_cancel``,
    ``_install``, ``_busy`` and signals."""

    _coming = None  # model.preview.Background: the trainer being built behind a Preview

    def _open_checkpoint(self, path: Path, message: Message) -> None:
        """The checkpoint's model at once (a Preview), its trainer built in the background.
        A checkpoint that cannot be read fails here, and the model before it stays."""
        from model.preview import Background, Preview
        from model.train import Trainer

        preview = Preview(path)
        self._install(preview, message)  # calls off a trainer still being built for an earlier model
        self._busy(QT_TRANSLATE_NOOP("Worker", "Reading the training corpus of {name}…"), name=path.name)
        coming = Background(lambda: Trainer.from_checkpoint(path), threading.Event(),
                            done=lambda: self._queue.put((READY, coming)))
        self._coming = coming.start()
        if self._cancel.is_set():  # stop() came while it started
            coming.cancel()

    def _cancel_coming(self) -> None:
        """Call off the corpus work of the trainer being built (from any thread)."""
        coming = self._coming
        if coming is not None:
            coming.cancel()

    def _call_off_coming(self) -> None:
        """Forget the trainer being built (if any) and call off its corpus work."""
        coming, self._coming = self._coming, None
        if coming is not None:
            coming.cancel()

    def _trainer_ready(self, item) -> bool:
        """True for the queue's "trainer built" marker (taken if it is the awaited one)."""
        if not (isinstance(item, tuple) and item and item[0] is READY):
            return False
        if item[1] is self._coming:  # not one dropped for a later model
            self._take_trainer()
        return True

    def _before(self, request: rq.Request) -> None:
        """Before serving ``request``: wait for the trainer unless a Preview serves it or
        the request replaces the model; refuse what needs the corpus when it could not be
        read."""
        if preview_serves(request) or isinstance(request, REPLACING_REQUESTS):
            return
        self._take_trainer()
        if self._trainer is not None and self._trainer.corpus is None:
            raise rq.Refused(self._inspection_only(request))

    def _inspection_only(self, request: rq.Request) -> Message:
        """Why ``request`` is refused on a Preview whose corpus could not be read."""
        preview = self._trainer
        values = {"file": str(preview.path), "corpus": preview.corpus_spec,
                  "error": preview.corpus_error or "-"}
        if request.trains:
            return Message(QT_TRANSLATE_NOOP(
                "Worker", "Training is refused: the training corpus {corpus} of {file} could not be "
                "read, so the model is open for inspection only ({error})."), values)
        return Message(QT_TRANSLATE_NOOP(
            "Worker", "This needs the training corpus {corpus} of {file}, which could not be read; "
            "the model is open for inspection only ({error})."), values)

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
            lines = str(exc).strip().splitlines()
            preview = self._trainer
            error = lines[0] if lines else type(exc).__name__  # said without the checkpoint's name
            preview.corpus_error = error.removeprefix(f"{preview.path}: ").removeprefix(
                "its corpus cannot be read: ")
            # the panels learn that the model stays for inspection (training controls off)
            self.sig_model_changed.emit(rq.ModelInfo.of(preview, new_model=False))
            self.sig_busy.emit(rq.NO_MESSAGE)
            self.sig_failed.emit(0, Message(QT_TRANSLATE_NOOP(
                "Worker", "Opened {file} for inspection only: its training corpus {corpus} could not "
                "be read ({error}). Traces, attention, embeddings and analyses work; training is "
                "refused."), {"file": str(preview.path), "corpus": preview.corpus_spec,
                              "error": preview.corpus_error}),
                plain(traceback.format_exc()))
            return
        probe = getattr(self._trainer, "probe_set", None)  # a probe set on the Preview
        if probe is not None:
            trainer.set_probe(*probe)
        off = heads_now(self._trainer.model)  # heads switched off on the Preview stay off
        self._install(trainer, new_model=False)
        if off:
            self.sig_heads_off.emit(switch_heads(trainer.model, off))
            self._emit_probe_trace()
