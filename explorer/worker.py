"""The one thread that owns the model.

``TrainingWorker`` is a QThread whose loop takes commands from a thread-safe queue and,
while playing or stepping, runs ``Trainer.step()`` between commands. Nothing else touches
the Trainer: the UI thread only ever calls ``submit()`` and receives immutable reports
through queued Qt signals.

While playing, step reports are gathered and emitted as one batch at most every
``EMIT_INTERVAL_S`` (about 20 per second) however fast the trainer runs; when stepping,
every step is emitted as it finishes. A request that raises is reported through
``sig_failed`` (to the one who asked) and the loop goes on.

Requests are the frozen dataclasses of ``explorer.requests``; ``HANDLERS`` maps each type
to the method that serves it, whose return value is the reply (``sig_reply(id, value)``).
The worker words nothing itself: it emits ``Message`` keys and values, translated by the UI.

The UI thread and this one share Python's GIL. Between torch operations the trainer runs
Python and holds it; the UI thread, which lets go of the GIL at most calls into Qt, then
waits for Python's switch interval each time it wants it back (5 ms by default, dozens of
times in one redraw). While the worker runs, the interval is ``SWITCH_INTERVAL_S`` instead,
which keeps a redraw during training from stretching to a tenth of a second
(``benchmarks/ui_latency.py`` measures it).
"""
from __future__ import annotations

import gc
import queue
import sys
import threading
import time
import traceback
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QThread, Signal

from explorer import requests as rq
from explorer.logic.compare import CheckpointCache, compare, heads_now, switch_heads
from explorer.logic.history import history_reports
from explorer.requests import Message, ModelInfo, plain
from explorer.settings import resource_path
from explorer.staging import StagedLoading
from model.pairs import Cancelled, cancellable

EMIT_INTERVAL_S = 0.05  # step reports reach the UI at most ~20 times a second while playing
PROBE_INTERVAL_S = 2.0  # the probe sentence is traced at most every 2 s while playing or stepping,
PROBE_BUDGET = 0.05  # and with at most this share of the worker's time
DEFAULT_CHECKPOINT = ("checkpoints", "en-de.safetensors")  # inside the resources package
DEFAULT_CORPUS = "builtin:en-de"
SNAPSHOT_EVERY = 100  # timeline snapshots, for any model the app trains that sets none
SWITCH_INTERVAL_S = 0.0005  # how long a thread waiting for the GIL waits while the worker runs
_STOP = object()


def default_checkpoint() -> Path | None:
    """The shipped en-de checkpoint file, if present."""
    path = resource_path(*DEFAULT_CHECKPOINT)
    return path if path.is_file() else None


def default_trainer():
    """The model the app opens at start, and a sentence saying what it is.

    The shipped en-de checkpoint when present; otherwise a fresh, untrained model with the
    default config on builtin:en-de (taking a timeline snapshot every SNAPSHOT_EVERY steps).
    Returns: (trainer, Message).
    """
    from model.config import TrainConfig
    from model.train import Trainer

    path = default_checkpoint()
    if path is not None:
        return Trainer.from_checkpoint(path), Message(
            QT_TRANSLATE_NOOP("Worker", "Opened the shipped checkpoint {name}."), {"name": path.name})
    trainer = Trainer.from_corpus(DEFAULT_CORPUS, train_cfg=TrainConfig(snapshot_every=SNAPSHOT_EVERY))
    return trainer, Message(QT_TRANSLATE_NOOP(
        "Worker", "No shipped checkpoint found: built a fresh, untrained model on builtin:en-de."))


class TrainingWorker(StagedLoading, QThread):
    """Owns a Trainer in its own thread; requests in through ``submit``, answers out by signals.

    ``submit(request)`` takes any request of ``explorer.requests``; its answer comes back as
    ``sig_reply(request.id, value)`` or ``sig_failed(request.id, message, details)``. The
    training stream (step reports, the probe's traces, timeline, model changes, state) is
    broadcast on its own signals.
    """

    sig_steps = Signal(object)  # tuple[StepReport, ...] finished since the last emission
    sig_trace = Signal(object)  # ModelTrace of the probe sentence (the training stream)
    sig_timeline = Signal(object)  # tuple[Snapshot, ...]: the trainer's replay timeline after it changed
    sig_history = Signal(object)  # tuple[StepReport, ...]: the training history a loaded model carries
    sig_model_changed = Signal(object)  # ModelInfo
    sig_state = Signal(str)  # "playing" | "paused"
    sig_reply = Signal(int, object)  # request id, its answer (None for requests without one)
    sig_failed = Signal(int, object, object)  # request id (0: a training step), Message, details
    sig_busy = Signal(object)  # Message: what a long request is doing; an empty one when done
    sig_loading = Signal(bool)  # True before a request that makes a new trainer, False after
    sig_message = Signal(object)  # Message: a short note for the status bar
    sig_heads_off = Signal(object)  # frozenset of (kind, layer, head): the heads switched off now

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._queue: queue.Queue = queue.Queue()
        self._trainer = None
        self._playing = False
        self._until: int | None = None
        self._steps_left = 0
        self._pending: list = []
        self._last_emit = 0.0
        self._last_probe = 0.0
        self._probe_cost_s = 0.0
        self._last_snapshot_step: tuple | int = -1
        self._cancel = threading.Event()  # set by stop(): reading or encoding a corpus is called off
        self._compare_cache = CheckpointCache()  # the checkpoint compared with, once loaded

    # ------------------------------------------------------------------ any thread
    def submit(self, request: rq.Request) -> None:
        """Queue a request for the worker thread (safe to call from any thread)."""
        if type(request) not in HANDLERS:
            raise TypeError(f"not a worker request: {request!r}")
        self._queue.put(request)

    def stop(self, timeout_s: float | None = 2.0) -> bool:
        """Ask the loop to end after the current request or step and wait for it (None: no
        limit); True when it ended. A corpus being read or encoded (a checkpoint's, or one
        being opened) is called off within a few hundred lines, however large or slow."""
        self._cancel.set()
        self._cancel_coming()
        self._queue.put(_STOP)
        if timeout_s is None:
            return self.wait()
        return self.wait(int(timeout_s * 1000))

    # ------------------------------------------------------------------ worker thread
    def run(self) -> None:
        previous = sys.getswitchinterval()
        sys.setswitchinterval(min(previous, SWITCH_INTERVAL_S))
        try:
            self._loop()
        finally:
            sys.setswitchinterval(previous)

    def _loop(self) -> None:
        while True:
            training = self._trainer is not None and (self._playing or self._steps_left > 0)
            try:
                request = self._queue.get(block=not training)
            except queue.Empty:
                self._train_one()
                continue
            if request is _STOP:
                break
            if self._trainer_ready(request):
                continue
            self._execute(request)
        self._flush()

    def _execute(self, request: rq.Request) -> None:
        loading = request.loading
        if loading:
            self.sig_loading.emit(True)
        try:
            with cancellable(self._cancel):
                self._before(request)  # waits for the trainer being built, unless a Preview serves it
                answer = HANDLERS[type(request)](self, request)
        except Cancelled:  # stop() called it off: the window is closing, nobody waits for it
            self.sig_busy.emit(rq.NO_MESSAGE)
        except rq.Refused as exc:  # said to the one who asked; the model and its training go on
            self.sig_failed.emit(request.id, exc.message, rq.NO_MESSAGE)
        except Exception as exc:  # noqa: BLE001 - every failure is shown to the user
            self._set_playing(False)
            self._steps_left = 0
            self.sig_busy.emit(rq.NO_MESSAGE)
            self.sig_failed.emit(request.id, rq.failure_message(request, exc), plain(traceback.format_exc()))
        else:
            self.sig_reply.emit(request.id, answer)
        finally:
            if loading:
                self.sig_loading.emit(False)

    def _need_trainer(self):
        if self._trainer is None:
            raise RuntimeError("no model is loaded yet")
        return self._trainer

    def _need_all_heads(self):
        """The trainer, when every head is on: training with heads off is refused (masks are
        not saved, so a model trained without those heads would not load as it was trained)."""
        if heads_now(self._need_trainer().model):
            raise rq.Refused(Message(QT_TRANSLATE_NOOP(
                "Worker", "Training is refused while heads are switched off: switch every head "
                "on first (Attention panel, All heads on).")))
        return self._trainer

    def _set_playing(self, playing: bool) -> None:
        if playing != self._playing:
            self._playing = playing
            if not playing:
                self._flush()  # every report of the run arrives before "paused"
            self.sig_state.emit("playing" if playing else "paused")

    def _flush(self) -> None:
        if self._pending:
            batch, self._pending = tuple(self._pending), []
            self.sig_steps.emit(batch)
        self._last_emit = time.monotonic()

    def _emit_probe_trace(self):
        trainer = self._trainer
        if trainer.probe is None:  # a Preview of a checkpoint without a history
            return None
        start = time.monotonic()
        trace = trainer.trace(*trainer.probe)
        self.sig_trace.emit(trace)
        self._last_probe = time.monotonic()
        self._probe_cost_s = self._last_probe - start
        return trace

    def _probe_due(self, now: float) -> bool:
        """While playing: time to trace the probe again (interval and time budget both met)."""
        wait = max(PROBE_INTERVAL_S, self._probe_cost_s / PROBE_BUDGET)
        return now - self._last_probe >= wait

    def _emit_new_snapshots(self) -> None:
        trainer = self._trainer
        recorded, extra = trainer.history.snapshots, trainer.timeline
        key = (len(recorded), recorded[-1].step if recorded else -1, len(extra), extra[-1].step if extra else -1)
        if (recorded or extra) and key != self._last_snapshot_step:
            self._last_snapshot_step = key
            self.sig_timeline.emit(tuple(trainer.replay_timeline()))

    def _record(self, report, failed_step: int) -> None:
        """Queue a step report for the UI and stop on a non-finite loss (at ``failed_step``;
        the trainer put back its last good weights) or at the target."""
        self._pending.append(report)
        if report.nonfinite:
            self._set_playing(False)
            self._steps_left = 0
            self._flush()
            self.sig_failed.emit(0, rq.nonfinite_message(report, failed_step), rq.NO_MESSAGE)
        elif self._until is not None and report.step >= self._until:
            self._set_playing(False)
            self._until = None

    def _train_one(self) -> None:
        failed_step = self._trainer.step_count + 1  # the step this one is, should it fail
        try:
            report = self._trainer.step()
        except Exception as exc:  # noqa: BLE001
            self._pending and self._flush()
            self._set_playing(False)
            self._steps_left = 0
            self.sig_failed.emit(0, Message(QT_TRANSLATE_NOOP("Worker", "Training step failed: {error}"),
                                            {"error": exc}), plain(traceback.format_exc()))
            return
        if self._steps_left > 0:
            self._steps_left -= 1
        self._record(report, failed_step)
        now = time.monotonic()
        stepping = not self._playing
        if stepping or now - self._last_emit >= EMIT_INTERVAL_S:
            self._flush()
        self._emit_new_snapshots()
        # The probe follows a Step N as it follows Play (every PROBE_INTERVAL_S at most), and
        # is traced once more when the steps end: a long Step N no longer freezes the views.
        if (stepping and self._steps_left == 0) or \
                ((self._playing or self._steps_left > 0) and self._probe_due(now)):
            self._emit_probe_trace()

    def _install(self, trainer, message: Message | None = None, new_model: bool = True) -> None:
        self._flush()
        if new_model:
            self._call_off_coming()  # the trainer being built for the model this one replaces
        if not trainer.train_cfg.snapshot_every:  # the panels' timelines need snapshots
            trainer.train_cfg = trainer.train_cfg.replace(snapshot_every=SNAPSHOT_EVERY)
        self._trainer = trainer
        self._freeze_heap()
        self.sig_heads_off.emit(switch_heads(trainer.model, ()))  # a model starts with all on
        self._set_playing(False)
        self._steps_left = 0
        self._last_snapshot_step = -1
        self.sig_busy.emit(rq.NO_MESSAGE)
        self.sig_model_changed.emit(ModelInfo.of(trainer, new_model=new_model))
        if message:
            self.sig_message.emit(message)
        if new_model and len(trainer.history):
            self.sig_history.emit(history_reports(trainer.history))
        self._emit_new_snapshots()
        self._emit_probe_trace()

    @staticmethod
    def _freeze_heap() -> None:
        """Exempt the long-lived objects (corpus, tokenizers, model) from garbage collection.

        A full collection walks every object in the process; with a corpus loaded that takes
        100-400 ms, during which both threads stand still (the window freezes). Frozen
        objects are skipped, so collections stay short. No collection runs here: collecting
        in this thread can destroy Qt objects off the UI thread and deadlock (the Session
        runs all collections on the UI thread).
        """
        gc.freeze()

    def _busy(self, key: str, **values) -> None:
        self.sig_busy.emit(Message(key, values))

    # ------------------------------------------------------------------ requests
    def _play(self, r: rq.Play) -> None:
        trainer = self._need_all_heads()
        self._until = r.until if r.until is not None and r.until > trainer.step_count else None
        self._steps_left = 0
        self._last_emit = time.monotonic()
        self._set_playing(True)

    def _pause(self, _r: rq.Pause) -> None:
        was_training = self._playing or self._steps_left > 0
        self._steps_left = 0
        self._set_playing(False)
        self._flush()
        if was_training and self._trainer is not None:
            self._emit_probe_trace()

    def _step(self, r: rq.Step) -> None:
        self._need_all_heads()
        self._set_playing(False)
        self._steps_left += max(int(r.n), 0)

    def _step_slow(self, _r: rq.StepSlow):
        trainer = self._need_all_heads()
        self._set_playing(False)
        self._steps_left = 0
        failed_step = trainer.step_count + 1
        detail = trainer.step_detail()
        self._record(detail.report, failed_step)
        self._flush()
        self._emit_new_snapshots()
        self._emit_probe_trace()
        return detail

    def _reset(self, _r: rq.Reset) -> None:
        trainer = self._need_trainer()
        self._set_playing(False)
        self._steps_left = 0
        self._pending = []
        trainer.reset()
        self._install(trainer, Message(QT_TRANSLATE_NOOP(
            "Worker", "The model was reset to fresh random weights (step 0).")))

    def _set_lr(self, r: rq.SetLr) -> None:
        self._need_trainer().set_lr(r.lr)

    def _set_device(self, r: rq.SetDevice) -> None:
        trainer = self._need_trainer()
        off = heads_now(trainer.model)
        trainer.to(r.device)
        switch_heads(trainer.model, off)  # the masks follow the model to its device
        self.sig_model_changed.emit(ModelInfo.of(trainer, new_model=False))
        self.sig_message.emit(Message(QT_TRANSLATE_NOOP("Worker", "The model now runs on {device}."),
                                      {"device": str(trainer.device)}))

    def _trace(self, r: rq.Trace):
        return self._need_trainer().trace(r.src, r.tgt, beam=r.beam)

    def _set_probe(self, r: rq.SetProbe):
        self._need_trainer().set_probe(r.src, r.tgt)
        return self._emit_probe_trace()

    def _set_heads_off(self, r: rq.SetHeadsOff) -> frozenset:
        off = switch_heads(self._need_trainer().model, r.heads)
        self.sig_heads_off.emit(off)
        self._emit_probe_trace()  # the probe as the model now translates it
        return off

    def _compare(self, r: rq.Compare):
        return compare(self._need_trainer(), r.src, r.tgt, r.target, r.snapshot, self._compare_cache)

    def _evaluate(self, _r: rq.Evaluate) -> rq.Evaluation:
        trainer = self._need_trainer()
        self._busy(QT_TRANSLATE_NOOP("Worker", "Evaluating on the validation split…"))
        try:
            result = trainer.evaluate("valid", n=trainer.train_cfg.eval_sentences)
        finally:
            self.sig_busy.emit(rq.NO_MESSAGE)
        return rq.Evaluation(trainer.step_count, result)

    def _embeddings(self, r: rq.Embeddings):
        return self._need_trainer().embeddings(r.side)

    def _contextual(self, r: rq.Contextual):
        from model.inference import contextual_states

        trainer = self._need_trainer()
        pairs = trainer.data["valid"].pairs[:r.sentences]
        return contextual_states(trainer.translator, pairs, r.side, r.layer)

    def _analyse(self, r: rq.Analyse):
        from explorer.logic.analysis import compute

        if r.wanted is not None and not r.wanted():
            return None  # superseded while it waited in the queue: nobody reads the answer
        return compute(self._need_trainer(), r.view, r.src, r.options, r.progress)

    def _save(self, r: rq.Save) -> str:
        self._busy(QT_TRANSLATE_NOOP("Worker", "Saving {path}…"), path=r.path)
        try:
            return str(self._need_trainer().save(r.path))
        finally:
            self.sig_busy.emit(rq.NO_MESSAGE)

    def _load(self, r: rq.Load) -> None:
        from model.train import Trainer

        self._busy(QT_TRANSLATE_NOOP("Worker", "Loading {path}…"), path=r.path)
        if Path(r.path).is_dir():  # a pretrained opus-mt (Marian) folder, fine-tuned on the corpus
            from model.corpus import load_corpus

            self._take_trainer()  # the corpus of a checkpoint just opened, once read
            current = self._trainer if getattr(self._trainer, "corpus", None) is not None else None
            corpus = current.corpus if current is not None else load_corpus(DEFAULT_CORPUS)
            spec = current.corpus_spec if current is not None else DEFAULT_CORPUS
            self._install(Trainer.from_pretrained(r.path, corpus, corpus_spec=spec), Message(
                QT_TRANSLATE_NOOP("Worker", "Opened model folder {path}."), {"path": r.path}))
            return
        self._open_checkpoint(Path(r.path), Message(  # the model first, its corpus in the background
            QT_TRANSLATE_NOOP("Worker", "Opened checkpoint {path}."), {"path": r.path}))

    def _open_corpus(self, r: rq.OpenCorpus) -> None:
        from model.train import Trainer

        trainer = self._trainer
        self._busy(QT_TRANSLATE_NOOP("Worker", "Opening corpus {spec}…"), spec=r.spec)
        model_config = trainer.model_config if trainer is not None else None
        train_cfg = trainer.train_cfg if trainer is not None else None
        new = Trainer.from_corpus(r.spec, tokenizer=r.tokenizer, model_config=model_config,
                                  train_cfg=train_cfg)
        self._install(new, Message(QT_TRANSLATE_NOOP(
            "Worker", "Opened corpus {spec}: a fresh model with {tokenizer} tokens."),
            {"spec": r.spec, "tokenizer": r.tokenizer}))

    def _rebuild(self, r: rq.Rebuild) -> None:
        from model.train import Trainer

        current = self._trainer
        spec = r.corpus_spec or (current.corpus_spec if current is not None else DEFAULT_CORPUS)
        model_config = r.model_config or (current.model_config if current is not None else None)
        train_cfg = r.train_config or (current.train_cfg if current is not None else None)
        self._busy(QT_TRANSLATE_NOOP("Worker", "Building the model…"))
        new = Trainer.from_corpus(spec, tokenizer=r.tokenizer, model_config=model_config,
                                  train_cfg=train_cfg)
        self._install(new, Message(QT_TRANSLATE_NOOP("Worker", "Built a fresh model on {spec}."),
                                   {"spec": spec}))

    def _build(self, r: rq.Build) -> None:
        self._busy(QT_TRANSLATE_NOOP("Worker", "Building the model…"))
        self._install(r.factory(), r.message)

    def _open_default(self, _r: rq.OpenDefault) -> None:
        self._busy(QT_TRANSLATE_NOOP("Worker", "Opening the en-de model…"))
        path = default_checkpoint()
        if path is None:
            self._install(*default_trainer())
            return
        self._open_checkpoint(path, Message(QT_TRANSLATE_NOOP(
            "Worker", "Opened the shipped checkpoint {name}."), {"name": path.name}))


# Which method serves which request; its return value is the reply.
HANDLERS = {
    rq.Play: TrainingWorker._play,
    rq.Pause: TrainingWorker._pause,
    rq.Step: TrainingWorker._step,
    rq.StepSlow: TrainingWorker._step_slow,
    rq.Reset: TrainingWorker._reset,
    rq.SetLr: TrainingWorker._set_lr,
    rq.SetDevice: TrainingWorker._set_device,
    rq.SetProbe: TrainingWorker._set_probe,
    rq.Trace: TrainingWorker._trace,
    rq.Embeddings: TrainingWorker._embeddings,
    rq.Contextual: TrainingWorker._contextual,
    rq.Evaluate: TrainingWorker._evaluate,
    rq.Analyse: TrainingWorker._analyse,
    rq.SetHeadsOff: TrainingWorker._set_heads_off,
    rq.Compare: TrainingWorker._compare,
    rq.Save: TrainingWorker._save,
    rq.Load: TrainingWorker._load,
    rq.OpenCorpus: TrainingWorker._open_corpus,
    rq.Rebuild: TrainingWorker._rebuild,
    rq.Build: TrainingWorker._build,
    rq.OpenDefault: TrainingWorker._open_default,
}
