"""The one thread that owns the model.

``TrainingWorker`` is a QThread whose loop takes commands from a thread-safe queue and,
while playing or stepping, runs ``Trainer.step()`` between commands. Nothing else touches
the Trainer: the UI thread only ever calls ``submit()`` and receives immutable reports
through queued Qt signals.

While playing, step reports are gathered and emitted as one batch at most every
``EMIT_INTERVAL_S`` (about 20 per second) however fast the trainer runs; when stepping,
every step is emitted as it finishes. A command that raises is reported through
``sig_error`` and the loop goes on.

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
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QThread, Signal

EMIT_INTERVAL_S = 0.05  # step reports reach the UI at most ~20 times a second while playing
PROBE_INTERVAL_S = 2.0  # the probe sentence is traced at most every 2 s while playing,
PROBE_BUDGET = 0.05  # and with at most this share of the worker's time
DEFAULT_CHECKPOINT = ("checkpoints", "en-de.safetensors")  # inside the resources package
DEFAULT_CORPUS = "builtin:en-de"
SNAPSHOT_EVERY = 100  # timeline snapshots, for any model the app trains that sets none
SWITCH_INTERVAL_S = 0.0005  # how long a thread waiting for the GIL waits while the worker runs
# Commands that make a new trainer: seconds of corpus, tokenizers and model, all long-lived,
# that young garbage collections would walk in vain (the Session holds them meanwhile).
LOADING_COMMANDS = frozenset({"load", "open_corpus", "rebuild", "build", "open_default"})

_STOP = "stop"


def default_checkpoint() -> Path | None:
    """The shipped en-de checkpoint file, if present."""
    from explorer.i18n import resource_path

    path = resource_path(*DEFAULT_CHECKPOINT)
    return path if path.is_file() else None


def default_trainer():
    """The model the app opens at start, and a sentence saying what it is.

    The shipped en-de checkpoint when present; otherwise a fresh, untrained model with the
    default config on builtin:en-de (taking a timeline snapshot every SNAPSHOT_EVERY steps).
    Returns: (trainer, message).
    """
    from model.config import TrainConfig
    from model.train import Trainer

    path = default_checkpoint()
    if path is not None:
        return Trainer.from_checkpoint(path), f"Opened the shipped checkpoint {path.name}."
    trainer = Trainer.from_corpus(DEFAULT_CORPUS, train_cfg=TrainConfig(snapshot_every=SNAPSHOT_EVERY))
    return trainer, "No shipped checkpoint found: built a fresh, untrained model on builtin:en-de."


def model_info(trainer, new_model: bool) -> dict[str, Any]:
    """What the UI needs to know about a trainer's model (the payload of sig_model_changed).

    ``new_model`` is False when the same model only changed device (its history goes on).
    """
    return {
        "new_model": new_model,
        "model_config": trainer.model_cfg,
        "train_config": trainer.train_cfg,
        "corpus": trainer.corpus,
        "corpus_spec": trainer.corpus_spec,
        "step": trainer.step_count,
        "src_tokenizer": trainer.src_tok,
        "tgt_tokenizer": trainer.tgt_tok,
        "n_params": sum(p.numel() for p in trainer.model.parameters()),
        "device": str(trainer.device),
        "lr": trainer.lr,
        "metrics": dict(trainer.metrics),  # the last train loss, valid loss and BLEU recorded
    }


class TrainingWorker(QThread):
    """Owns a Trainer in its own thread; commands in through ``submit``, reports out by signals.

    Commands (``submit(name, *args)``): play(until), pause(), step(n), reset(), set_lr(x),
    set_device(name), trace(src, tgt, beam), probe(src, tgt), embeddings(side),
    contextual(side, layer, sentences), evaluate(),
    load(path), save(path), open_corpus(spec, tokenizer), rebuild(model_cfg, train_cfg,
    tokenizer, corpus_spec), build(factory), open_default(), detail().
    """

    sig_steps = Signal(object)  # tuple[StepReport, ...] finished since the last emission
    sig_trace = Signal(object)  # ModelTrace
    sig_detail = Signal(object)  # StepDetail
    sig_embeddings = Signal(object)  # EmbeddingSnapshot
    sig_evaluation = Signal(object)  # dict from Trainer.evaluate, plus "step"
    sig_timeline = Signal(object)  # tuple[Snapshot, ...]: the trainer's timeline after it changed
    sig_model_changed = Signal(object)  # dict from model_info()
    sig_state = Signal(str)  # "playing" | "paused"
    sig_error = Signal(str, str)  # message, details
    sig_busy = Signal(str)  # what a long command is doing; "" when done
    sig_loading = Signal(bool)  # True before a command that makes a new trainer, False after
    sig_message = Signal(str)  # a short note for the status bar
    sig_saved = Signal(str)  # path of a checkpoint just written

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._queue: queue.Queue[tuple[str, tuple]] = queue.Queue()
        self._trainer = None
        self._playing = False
        self._until: int | None = None
        self._steps_left = 0
        self._pending: list = []
        self._last_emit = 0.0
        self._last_probe = 0.0
        self._probe_cost_s = 0.0
        self._last_snapshot_step = -1

    # ------------------------------------------------------------------ any thread
    def submit(self, name: str, *args: Any) -> None:
        """Queue a command for the worker thread (safe to call from any thread)."""
        self._queue.put((name, args))

    def stop(self, timeout_s: float | None = 2.0) -> bool:
        """Ask the loop to end after the current command or step and wait for it (None: no
        limit); True when it ended."""
        self._queue.put((_STOP, ()))
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
                name, args = self._queue.get(block=not training)
            except queue.Empty:
                self._train_one()
                continue
            if name == _STOP:
                break
            self._execute(name, args)
        self._flush()

    def _execute(self, name: str, args: tuple) -> None:
        handler = getattr(self, f"_cmd_{name}", None)
        loading = name in LOADING_COMMANDS
        if loading:
            self.sig_loading.emit(True)
        try:
            if handler is None:
                raise ValueError(f"unknown worker command {name!r}")
            handler(*args)
        except Exception as exc:  # noqa: BLE001 - every failure is shown to the user
            self._set_playing(False)
            self._steps_left = 0
            self.sig_busy.emit("")
            message = QCoreApplication.translate("Worker", "{} failed: {}")
            self.sig_error.emit(message.format(name, exc), traceback.format_exc())
        finally:
            if loading:
                self.sig_loading.emit(False)

    def _need_trainer(self):
        if self._trainer is None:
            raise RuntimeError("no model is loaded yet")
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

    def _emit_probe_trace(self) -> None:
        trainer = self._trainer
        start = time.monotonic()
        self.sig_trace.emit(trainer.trace(*trainer.probe))
        self._last_probe = time.monotonic()
        self._probe_cost_s = self._last_probe - start

    def _probe_due(self, now: float) -> bool:
        """While playing: time to trace the probe again (interval and time budget both met)."""
        wait = max(PROBE_INTERVAL_S, self._probe_cost_s / PROBE_BUDGET)
        return now - self._last_probe >= wait

    def _emit_new_snapshots(self) -> None:
        timeline = self._trainer.timeline
        if timeline and timeline[-1].step != self._last_snapshot_step:
            self._last_snapshot_step = timeline[-1].step
            self.sig_timeline.emit(tuple(timeline))

    def _record(self, report) -> None:
        """Queue a step report for the UI and stop on a non-finite loss or at the target."""
        self._pending.append(report)
        if report.nonfinite:
            self._set_playing(False)
            self._steps_left = 0
            self._flush()
            self.sig_error.emit(
                QCoreApplication.translate(
                    "Worker", "Training paused: the loss became {loss} at step {step}."
                ).format(loss=report.loss, step=report.step + 1),
                QCoreApplication.translate(
                    "Worker", "The update was skipped and the previous weights kept. Lower the "
                    "learning rate, or reset the model, before training on."),
            )
        elif self._until is not None and report.step >= self._until:
            self._set_playing(False)
            self._until = None

    def _train_one(self) -> None:
        try:
            report = self._trainer.step()
        except Exception as exc:  # noqa: BLE001
            self._pending and self._flush()
            self._set_playing(False)
            self._steps_left = 0
            message = QCoreApplication.translate("Worker", "Training step failed: {}")
            self.sig_error.emit(message.format(exc), traceback.format_exc())
            return
        if self._steps_left > 0:
            self._steps_left -= 1
        self._record(report)
        now = time.monotonic()
        stepping = not self._playing
        if stepping or now - self._last_emit >= EMIT_INTERVAL_S:
            self._flush()
        self._emit_new_snapshots()
        if (stepping and self._steps_left == 0) or (self._playing and self._probe_due(now)):
            self._emit_probe_trace()

    def _install(self, trainer, message: str = "") -> None:
        self._flush()
        if not trainer.train_cfg.snapshot_every:  # the panels' timelines need snapshots
            trainer.train_cfg = trainer.train_cfg.replace(snapshot_every=SNAPSHOT_EVERY)
        self._trainer = trainer
        self._freeze_heap()
        self._set_playing(False)
        self._steps_left = 0
        self._last_snapshot_step = -1
        self.sig_busy.emit("")
        self.sig_model_changed.emit(model_info(trainer, new_model=True))
        if message:
            self.sig_message.emit(message)
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

    # ------------------------------------------------------------------ commands
    def _cmd_play(self, until: int | None = None) -> None:
        trainer = self._need_trainer()
        self._until = until if until is not None and until > trainer.step_count else None
        self._steps_left = 0
        self._last_emit = time.monotonic()
        self._set_playing(True)

    def _cmd_pause(self) -> None:
        was_training = self._playing or self._steps_left > 0
        self._steps_left = 0
        self._set_playing(False)
        self._flush()
        if was_training and self._trainer is not None:
            self._emit_probe_trace()

    def _cmd_step(self, n: int = 1) -> None:
        self._need_trainer()
        self._set_playing(False)
        self._steps_left += max(int(n), 0)

    def _cmd_detail(self) -> None:
        trainer = self._need_trainer()
        self._set_playing(False)
        self._steps_left = 0
        detail = trainer.step_detail()
        self._record(detail.report)
        self._flush()
        self.sig_detail.emit(detail)
        self._emit_new_snapshots()
        self._emit_probe_trace()

    def _cmd_reset(self) -> None:
        trainer = self._need_trainer()
        self._set_playing(False)
        self._steps_left = 0
        self._pending = []
        trainer.reset()
        self._install(trainer, "The model was reset to fresh random weights (step 0).")

    def _cmd_set_lr(self, lr: float | None) -> None:
        self._need_trainer().set_lr(lr)

    def _cmd_set_device(self, device: str) -> None:
        trainer = self._need_trainer()
        trainer.to(device)
        self.sig_model_changed.emit(model_info(trainer, new_model=False))
        self.sig_message.emit(
            QCoreApplication.translate("Worker", "The model now runs on {}.").format(trainer.device))

    def _cmd_trace(self, src: str, tgt: str | None = None, beam: int = 1) -> None:
        self.sig_trace.emit(self._need_trainer().trace(src, tgt, beam=beam))

    def _cmd_probe(self, src: str | None, tgt: str | None = None) -> None:
        self._need_trainer().set_probe(src, tgt)
        self._emit_probe_trace()

    def _cmd_evaluate(self) -> None:
        trainer = self._need_trainer()
        self.sig_busy.emit(QCoreApplication.translate("Worker", "Evaluating on the validation split…"))
        result = trainer.evaluate("valid", n=trainer.train_cfg.eval_sentences)
        self.sig_busy.emit("")
        self.sig_evaluation.emit({**result, "step": trainer.step_count})

    def _cmd_embeddings(self, side: str) -> None:
        self.sig_embeddings.emit(self._need_trainer().embeddings(side))

    def _cmd_contextual(self, side: str, layer: int, sentences: int) -> None:
        from model.inference import contextual_states

        trainer = self._need_trainer()
        pairs = trainer.data["valid"].pairs[:sentences]
        self.sig_embeddings.emit(contextual_states(trainer.translator, pairs, side, layer))

    def _cmd_save(self, path: str) -> None:
        self.sig_busy.emit(QCoreApplication.translate("Worker", "Saving {}…").format(path))
        written = self._need_trainer().save(path)
        self.sig_busy.emit("")
        self.sig_saved.emit(str(written))

    def _cmd_load(self, path: str) -> None:
        from model.train import Trainer

        self.sig_busy.emit(QCoreApplication.translate("Worker", "Loading {}…").format(path))
        if Path(path).is_dir():  # a pretrained opus-mt (Marian) folder, fine-tuned on the corpus
            from model.corpus import load_corpus

            corpus = self._trainer.corpus if self._trainer is not None else load_corpus(DEFAULT_CORPUS)
            spec = self._trainer.corpus_spec if self._trainer is not None else DEFAULT_CORPUS
            self._install(Trainer.from_pretrained(path, corpus, corpus_spec=spec),
                          QCoreApplication.translate("Worker", "Opened model folder {}.").format(path))
            return
        self._install(Trainer.from_checkpoint(path),
                      QCoreApplication.translate("Worker", "Opened checkpoint {}.").format(path))

    def _cmd_open_corpus(self, spec: str, tokenizer: str = "word") -> None:
        from model.train import Trainer

        trainer = self._trainer
        self.sig_busy.emit(QCoreApplication.translate("Worker", "Opening corpus {}…").format(spec))
        model_cfg = trainer.model_cfg if trainer is not None else None
        train_cfg = trainer.train_cfg if trainer is not None else None
        new = Trainer.from_corpus(spec, tokenizer=tokenizer, model_cfg=model_cfg, train_cfg=train_cfg)
        message = QCoreApplication.translate(
            "Worker", "Opened corpus {spec}: a fresh model with {tokenizer} tokens.")
        self._install(new, message.format(spec=spec, tokenizer=tokenizer))

    def _cmd_rebuild(self, model_cfg=None, train_cfg=None, tokenizer: str = "word",
                     corpus_spec: str | None = None) -> None:
        from model.train import Trainer

        current = self._trainer
        spec = corpus_spec or (current.corpus_spec if current is not None else DEFAULT_CORPUS)
        model_cfg = model_cfg or (current.model_cfg if current is not None else None)
        train_cfg = train_cfg or (current.train_cfg if current is not None else None)
        self.sig_busy.emit(QCoreApplication.translate("Worker", "Building the model…"))
        new = Trainer.from_corpus(spec, tokenizer=tokenizer, model_cfg=model_cfg, train_cfg=train_cfg)
        self._install(
            new, QCoreApplication.translate("Worker", "Built a fresh model on {}.").format(spec))

    def _cmd_build(self, factory: Callable[[], Any], message: str = "") -> None:
        self.sig_busy.emit(QCoreApplication.translate("Worker", "Building the model…"))
        self._install(factory(), message)

    def _cmd_open_default(self) -> None:
        self.sig_busy.emit(QCoreApplication.translate("Worker", "Opening the en-de model…"))
        self._install(*default_trainer())
