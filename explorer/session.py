"""The Session: the main-thread facade every panel talks to.

Panels call Session methods (``play()``, ``step()``, ``request_trace(...)``, ...); each
becomes a command on the worker's queue. The worker's reports come back through queued
signals into the Session, which keeps the latest of each and re-emits them to the panels.
The Session never touches the Trainer itself.

Signals beyond the documented API: ``sig_steps`` (every StepReport, in batches, for
curves that keep the full history), ``sig_detail`` (a slow-motion StepDetail),
``sig_evaluation`` (the answer to ``evaluate()``),
``sig_timeline`` (the timeline after new snapshots), ``sig_message`` (a status-bar note)
and ``sig_saved`` (a checkpoint path just written).
"""
from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from explorer.garbage import collect_garbage_on_ui_thread
from explorer.worker import TrainingWorker

HISTORY_LIMIT = 1_000_000  # step reports kept for panels opened later


class Session(QObject):
    """Main-thread facade over the worker thread that owns the Trainer.

    Call ``shutdown()`` before the application quits; it stops the worker thread.
    """

    sig_step = Signal(object)  # StepReport (latest; throttled while playing)
    sig_steps = Signal(object)  # tuple[StepReport, ...]: every report since the last batch
    sig_trace = Signal(object)  # ModelTrace
    sig_embeddings = Signal(object)  # EmbeddingSnapshot
    sig_evaluation = Signal(object)  # dict: step, loss, accuracy, bleu, chrf, samples, pairs
    sig_detail = Signal(object)  # StepDetail
    sig_timeline = Signal(object)  # list[Snapshot]
    sig_model_changed = Signal(object)  # dict: model_config, train_config, corpus, step, tokenizers, ...
    sig_state = Signal(str)  # "playing" | "paused"
    sig_error = Signal(str, str)  # message, details
    sig_busy = Signal(str)  # message, "" when done
    sig_message = Signal(str)
    sig_saved = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        collect_garbage_on_ui_thread()
        self._info: dict[str, Any] = {}
        self._state = "paused"
        self._latest_step = None
        self._latest_trace = None
        self._history: deque = deque(maxlen=HISTORY_LIMIT)
        self._timeline: list = []
        self._unsaved_steps = 0
        self._worker = TrainingWorker()
        w = self._worker
        w.sig_steps.connect(self._on_steps)
        w.sig_trace.connect(self._on_trace)
        w.sig_embeddings.connect(self._on_embeddings)
        w.sig_evaluation.connect(self._on_evaluation)
        w.sig_detail.connect(self._on_detail)
        w.sig_timeline.connect(self._on_timeline)
        w.sig_model_changed.connect(self._on_model_changed)
        w.sig_state.connect(self._on_state)
        w.sig_error.connect(self._on_error)
        w.sig_busy.connect(self._on_busy)
        # No garbage collection while the worker makes a new trainer: the corpus, tokenizers
        # and model are long-lived, and young collections walked them for up to 100-160 ms
        # at a time. The worker freezes them when it installs the trainer. (Connected to the
        # collector, which outlives any Session, so the release always arrives.)
        w.sig_loading.connect(collect_garbage_on_ui_thread().hold)
        w.sig_message.connect(self._on_message)
        w.sig_saved.connect(self._on_saved)
        w.start()

    # ------------------------------------------------------------------ commands
    def play(self, until: int | None = None) -> None:
        """Train continuously (until step ``until`` when given)."""
        self._worker.submit("play", until)

    def pause(self) -> None:
        self._worker.submit("pause")

    def step(self, n: int = 1) -> None:
        """Train exactly ``n`` more steps, reporting each, then stop."""
        self._worker.submit("step", n)

    def step_slow(self) -> None:
        """One step in slow motion: answers with sig_detail (and sig_step)."""
        self._worker.submit("detail")

    def reset(self) -> None:
        """Fresh random weights and optimiser, step 0 (same corpus and config)."""
        self._worker.submit("reset")

    def set_lr(self, x: float | None) -> None:
        """Fix the learning rate at ``x`` (None returns to the schedule)."""
        self._worker.submit("set_lr", x)

    def set_device(self, device: str) -> None:
        """Move the model to "cpu", "cuda" or "mps"."""
        self._worker.submit("set_device", device)

    def request_trace(self, src: str, tgt: str | None = None, beam: int = 1) -> None:
        """Answer with sig_trace: the trace of ``src`` (forced ``tgt``, or the model's own output)."""
        self._worker.submit("trace", src, tgt, beam)

    def set_probe(self, src: str | None, tgt: str | None = None) -> None:
        """The sentence traced while training and kept on the timeline (None: first valid pair)."""
        self._worker.submit("probe", src, tgt)

    def request_embeddings(self, side: str) -> None:
        """Answer with sig_embeddings for "src" or "tgt"."""
        self._worker.submit("embeddings", side)

    def request_contextual(self, side: str, layer: int, sentences: int = 200) -> None:
        """Answer with sig_embeddings: the output of encoder ("src") or decoder ("tgt") layer
        ``layer`` for every token of the first ``sentences`` validation pairs."""
        self._worker.submit("contextual", side, layer, sentences)

    def evaluate(self) -> None:
        """Evaluate on the validation split now: answers with sig_evaluation."""
        self._worker.submit("evaluate")

    def load_checkpoint(self, path: str) -> None:
        self._worker.submit("load", str(path))

    def save_checkpoint(self, path: str) -> None:
        self._worker.submit("save", str(path))

    def open_corpus(self, spec: str, tokenizer: str | None = None) -> None:
        """A fresh model on another corpus (a file path or e.g. "builtin:en-zh")."""
        self._worker.submit("open_corpus", str(spec), tokenizer or self.tokenizer_kind)

    def open_default(self) -> None:
        """The shipped en-de checkpoint, or a fresh model on builtin:en-de when it is absent."""
        self._worker.submit("open_default")

    def rebuild(self, model_config=None, train_config=None, tokenizer: str | None = None,
                corpus: str | None = None) -> None:
        """A fresh model with this config (vocab sizes come from the tokenizers).

        None keeps the current model config, train config or corpus.
        """
        self._worker.submit("rebuild", model_config, train_config,
                            tokenizer or self.tokenizer_kind, corpus)

    def build(self, factory: Callable[[], Any], message: str = "") -> None:
        """Install the Trainer that ``factory()`` returns; the factory runs in the worker thread."""
        self._worker.submit("build", factory, message)

    def shutdown(self, timeout_s: float | None = 2.0) -> bool:
        """Stop the worker thread; True when it ended within ``timeout_s`` (None: no limit).

        Training stops after the current step; a long command (loading a checkpoint,
        building a model) cannot be interrupted and finishes first.
        """
        if not self._worker.isRunning():
            return True
        return self._worker.stop(timeout_s)

    # ------------------------------------------------------------------ state
    @property
    def info(self) -> dict[str, Any]:
        """The latest sig_model_changed payload (empty before a model is loaded)."""
        return dict(self._info)

    @property
    def has_model(self) -> bool:
        return bool(self._info)

    @property
    def src_tokenizer(self):
        return self._info.get("src_tokenizer")

    @property
    def tgt_tokenizer(self):
        return self._info.get("tgt_tokenizer")

    @property
    def tokenizer_kind(self) -> str:
        tok = self.src_tokenizer
        return getattr(tok, "kind", "word") if tok is not None else "word"

    @property
    def corpus(self):
        return self._info.get("corpus")

    @property
    def model_config(self):
        return self._info.get("model_config")

    @property
    def train_config(self):
        return self._info.get("train_config")

    @property
    def timeline(self) -> list:
        """Snapshots of the model taken while training (bounded by TrainConfig.max_snapshots)."""
        return list(self._timeline)

    @property
    def history(self) -> list:
        """Every StepReport since the model was built or loaded, in order."""
        return list(self._history)

    @property
    def latest_step(self):
        return self._latest_step

    @property
    def latest_trace(self):
        return self._latest_trace

    @property
    def state(self) -> str:
        return self._state

    @property
    def unsaved_steps(self) -> int:
        """Training steps taken since the model was loaded, built or last saved."""
        return self._unsaved_steps

    # ------------------------------------------------------------------ from the worker
    @Slot(object)
    def _on_steps(self, batch) -> None:
        self._history.extend(batch)
        self._unsaved_steps += sum(1 for r in batch if not r.nonfinite)
        self._latest_step = batch[-1]
        self.sig_steps.emit(batch)
        self.sig_step.emit(batch[-1])

    @Slot(object)
    def _on_trace(self, trace) -> None:
        self._latest_trace = trace
        self.sig_trace.emit(trace)

    @Slot(object)
    def _on_embeddings(self, snapshot) -> None:
        self.sig_embeddings.emit(snapshot)

    @Slot(object)
    def _on_evaluation(self, result) -> None:
        self.sig_evaluation.emit(result)

    @Slot(object)
    def _on_detail(self, detail) -> None:
        self.sig_detail.emit(detail)

    @Slot(object)
    def _on_timeline(self, snapshots) -> None:
        self._timeline = list(snapshots)
        self.sig_timeline.emit(list(snapshots))

    @Slot(object)
    def _on_model_changed(self, info) -> None:
        self._info = dict(info)
        if info["new_model"]:
            self._history.clear()
            self._timeline = []
            self._latest_step = None
            self._unsaved_steps = 0
            self.sig_timeline.emit([])
        self.sig_model_changed.emit(dict(info))

    @Slot(str)
    def _on_state(self, state: str) -> None:
        self._state = state
        self.sig_state.emit(state)

    @Slot(str, str)
    def _on_error(self, message: str, details: str) -> None:
        self.sig_error.emit(message, details)

    @Slot(str)
    def _on_busy(self, message: str) -> None:
        self.sig_busy.emit(message)

    @Slot(str)
    def _on_message(self, message: str) -> None:
        self.sig_message.emit(message)

    @Slot(str)
    def _on_saved(self, path: str) -> None:
        self._unsaved_steps = 0
        self.sig_saved.emit(path)
