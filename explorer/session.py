"""The Session: the main-thread facade every panel talks to.

Panels call Session methods (``play()``, ``step()``, ``request_trace(...)``, ...); each
makes a typed request (``explorer.requests``) for the worker's queue and returns a
:class:`Reply`, which delivers that request's answer to the one who asked, and to no one
else (``reply.sig_done`` / ``reply.sig_failed``). The Session never touches the Trainer.

The training stream is broadcast to every panel: ``sig_step`` / ``sig_steps`` (step
reports), ``sig_trace`` (the probe sentence's trace, after steps and when the probe
changes), ``sig_timeline``, ``sig_model_changed`` (a ``ModelInfo``) and ``sig_state``.
``sig_error``, ``sig_busy`` and ``sig_message`` carry ``Message`` keys and values, worded in
the interface language by whoever shows them.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from explorer import requests as rq
from explorer.garbage import collect_garbage_on_ui_thread
from explorer.logic.timeline import TimelineState
from explorer.requests import Message, ModelInfo
from explorer.worker import TrainingWorker

NOT_LIVE = (rq.Pause, rq.Save, rq.SetLr, rq.SetDevice)  # requests that leave a replayed step shown
HISTORY_LIMIT = 1_000_000  # step reports kept for panels opened later


class Reply(QObject):
    """The answer to one request, delivered to the one who asked (like a future).

    Connect ``sig_done(value)`` and ``sig_failed(message)`` (a ``Message``); ``finished``,
    ``result`` and ``error`` tell what came afterwards. Test doubles of the Session make
    replies too and ``finish`` or ``fail`` them by hand.
    """

    sig_done = Signal(object)
    sig_failed = Signal(object)

    def __init__(self, request: rq.Request, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.request = request
        self.finished = False
        self.result: Any = None
        self.error: Message | None = None

    def then(self, slot: Callable[[Any], None]) -> Reply:
        """Connect ``slot`` to ``sig_done``; returns the reply (``session.x().then(f)``)."""
        self.sig_done.connect(slot)
        return self

    def finish(self, value: Any) -> None:
        self.finished, self.result = True, value
        self.sig_done.emit(value)

    def fail(self, message: Message) -> None:
        self.finished, self.error = True, message
        self.sig_failed.emit(message)


class Session(QObject):
    """Main-thread facade over the worker thread that owns the Trainer.

    Call ``shutdown()`` before the application quits; it stops the worker thread.
    """

    sig_step = Signal(object)  # StepReport (latest; throttled while playing)
    sig_steps = Signal(object)  # tuple[StepReport, ...]: every report since the last batch
    sig_trace = Signal(object)  # ModelTrace of the probe sentence (the training stream)
    sig_timeline = Signal(object)  # list[Snapshot]
    sig_model_changed = Signal(object)  # ModelInfo
    sig_state = Signal(str)  # "playing" | "paused"
    sig_error = Signal(object, object)  # Message, details (Message): any request or step failed
    sig_busy = Signal(object)  # Message, empty when done
    sig_message = Signal(object)  # Message for the status bar
    sig_history = Signal(object)  # tuple[StepReport, ...]: the history a loaded model carries
    sig_replay = Signal(object)  # the timeline Snapshot the window shows, None when live
    sig_frame_sent = Signal()  # every panel has answered sig_replay (the window settles the frame)
    sig_heads_off = Signal(object)  # frozenset of (kind, layer, head) switched off (empty: all on)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        collect_garbage_on_ui_thread()
        self._info: ModelInfo | None = None
        self._state = "paused"
        self._latest_step = None
        self._latest_trace = None
        self._history: deque = deque(maxlen=HISTORY_LIMIT)
        self._timeline: list = []
        self._heads_off: frozenset = frozenset()
        self._unsaved_steps = 0
        self._replies: dict[int, Reply] = {}
        self.replay_state = TimelineState()  # which snapshot the window shows; read-only outside
        self._replay_timer = QTimer(self)
        self._replay_timer.setSingleShot(True)
        self._replay_timer.timeout.connect(self._on_replay_tick)
        # One replay frame per turn of the event loop: scrubbing asks for a frame, and a newer
        # request replaces one not drawn yet (the frame shows the position at that time).
        self._replay_frame = QTimer(self, singleShot=True, interval=0)
        self._replay_frame.timeout.connect(self._emit_replay)
        self._worker = TrainingWorker()
        w = self._worker
        w.sig_steps.connect(self._on_steps)
        w.sig_trace.connect(self._on_trace)
        w.sig_timeline.connect(self._on_timeline)
        w.sig_history.connect(self._on_history)
        w.sig_model_changed.connect(self._on_model_changed)
        w.sig_state.connect(self._on_state)
        w.sig_reply.connect(self._on_reply)
        w.sig_failed.connect(self._on_failed)
        w.sig_busy.connect(self.sig_busy)  # pass-through
        w.sig_message.connect(self.sig_message)  # pass-through
        w.sig_heads_off.connect(self._on_heads_off)
        # No garbage collection while the worker makes a new trainer: the corpus, tokenizers
        # and model are long-lived, and young collections walked them for up to 100-160 ms
        # at a time. The worker freezes them when it installs the trainer. (Connected to the
        # collector, which outlives any Session, so the release always arrives.)
        w.sig_loading.connect(collect_garbage_on_ui_thread().hold)
        w.start()

    # ------------------------------------------------------------------ requests
    def submit(self, request: rq.Request) -> Reply:
        """Queue ``request`` for the worker; its answer comes through the returned Reply."""
        if not isinstance(request, NOT_LIVE):
            self.go_live()  # a live request while the window shows a replayed step
        reply = Reply(request)
        self._replies[request.id] = reply
        self._worker.submit(request)
        return reply

    def play(self, until: int | None = None) -> Reply:
        """Train continuously (until step ``until`` when given)."""
        return self.submit(rq.Play(until))

    def pause(self) -> Reply:
        return self.submit(rq.Pause())

    def step(self, n: int = 1) -> Reply:
        """Train exactly ``n`` more steps, reporting each, then stop."""
        return self.submit(rq.Step(n))

    def step_slow(self) -> Reply:
        """One step in slow motion: the reply is its StepDetail (the report joins sig_steps)."""
        return self.submit(rq.StepSlow())

    def reset(self) -> Reply:
        """Fresh random weights and optimiser, step 0 (same corpus and config)."""
        return self.submit(rq.Reset())

    def set_lr(self, x: float | None) -> Reply:
        """Fix the learning rate at ``x`` (None returns to the schedule)."""
        return self.submit(rq.SetLr(x))

    def set_device(self, device: str) -> Reply:
        """Move the model to "cpu", "cuda" or "mps"."""
        return self.submit(rq.SetDevice(device))

    def request_trace(self, src: str, tgt: str | None = None, beam: int = 1) -> Reply:
        """The reply is the ModelTrace of ``src`` (forced ``tgt``, or the model's own output)."""
        return self.submit(rq.Trace(src, tgt, beam))

    def set_probe(self, src: str | None, tgt: str | None = None) -> Reply:
        """The sentence traced while training and kept on the timeline (None: first valid
        pair); its trace is the reply and goes to sig_trace too."""
        return self.submit(rq.SetProbe(src, tgt))

    def set_heads_off(self, heads) -> Reply:
        """Switch exactly ``heads`` ((kind, layer, head) tuples) off, every other on; the
        reply and ``sig_heads_off`` carry the set. Training is refused while any is off."""
        return self.submit(rq.SetHeadsOff(frozenset(heads)))

    def compare(self, src: str, tgt: str | None, target: str, snapshot=None) -> Reply:
        """``src`` through two models (``requests.Compare``); the reply is a SideBySide."""
        return self.submit(rq.Compare(src, tgt, target, snapshot))

    def request_embeddings(self, side: str) -> Reply:
        """The reply is the EmbeddingSnapshot of "src" or "tgt"."""
        return self.submit(rq.Embeddings(side))

    def request_contextual(self, side: str, layer: int, sentences: int = 200) -> Reply:
        """The reply is an EmbeddingSnapshot: the output of encoder ("src") or decoder
        ("tgt") layer ``layer`` for every token of the first ``sentences`` validation pairs."""
        return self.submit(rq.Contextual(side, layer, sentences))

    def evaluate(self) -> Reply:
        """Evaluate on the validation split now: the reply is an ``Evaluation``."""
        return self.submit(rq.Evaluate())

    def load_checkpoint(self, path: str) -> Reply:
        return self.submit(rq.Load(str(path)))

    def save_checkpoint(self, path: str) -> Reply:
        """The reply is the path written."""
        return self.submit(rq.Save(str(path)))

    def open_corpus(self, spec: str, tokenizer: str | None = None) -> Reply:
        """A fresh model on another corpus (a file path or e.g. "builtin:en-zh")."""
        return self.submit(rq.OpenCorpus(str(spec), tokenizer or self.tokenizer_kind))

    def open_default(self) -> Reply:
        """The shipped en-de checkpoint, or a fresh model on builtin:en-de when it is absent."""
        return self.submit(rq.OpenDefault())

    def rebuild(self, model_config=None, train_config=None, tokenizer: str | None = None,
                corpus: str | None = None) -> Reply:
        """A fresh model with this config (vocab sizes come from the tokenizers).

        None keeps the current model config, train config or corpus.
        """
        return self.submit(rq.Rebuild(model_config, train_config,
                                      tokenizer or self.tokenizer_kind, corpus))

    def build(self, factory: Callable[[], Any], message: Message | None = None) -> Reply:
        """Install the Trainer that ``factory()`` returns; the factory runs in the worker thread."""
        return self.submit(rq.Build(factory, message))

    def shutdown(self, timeout_s: float | None = 2.0) -> bool:
        """Stop the worker thread; True when it ended within ``timeout_s`` (None: no limit).

        Training stops after the current step; a corpus being read or encoded (opening a
        checkpoint or a corpus, building a model) is called off within a few hundred lines.
        What else a long request does (training a BPE tokenizer) finishes first.
        """
        if not self._worker.isRunning():
            return True
        return self._worker.stop(timeout_s)

    # ------------------------------------------------------------------ replay
    def show_snapshot(self, position: int) -> None:
        """Show the timeline's snapshot at ``position`` (0 = the first; len(timeline) = live).

        The state moves now (``replay_state``); ``sig_replay`` follows on the next turn of
        the event loop, once for any number of moves meanwhile (frames coalesce)."""
        if self.replay_state.scrub(position) or not self.replay_state.playing:
            self._replay_timer.stop()
            self._request_frame()

    def replay(self, playing: bool = True) -> None:
        """Play the timeline from the first snapshot (or the one shown) to the last; or pause."""
        if playing and self.replay_state.play():
            self._request_frame()  # the next tick is timed from when this frame is sent
        elif not playing:
            self.replay_state.pause()
            self._replay_timer.stop()
            self._request_frame()

    def set_replay_speed(self, speed: float) -> None:
        self.replay_state.speed = float(speed)

    def go_live(self) -> None:
        """Show the model as it is now (every live request goes live first)."""
        self._replay_timer.stop()
        if self.replay_state.go_live():
            self._emit_replay()  # at once, before the live request it precedes

    @property
    def replay_snapshot(self):
        """The timeline Snapshot the window shows, None when live."""
        index = self.replay_state.index
        return None if index is None else self._timeline[index]

    @property
    def frame_pending(self) -> bool:
        """Whether a replay frame was asked for and not sent yet."""
        return self._replay_frame.isActive()

    def _request_frame(self) -> None:
        if not self._replay_frame.isActive():
            self._replay_frame.start()

    @Slot()
    def _emit_replay(self) -> None:
        self._replay_frame.stop()  # sent now: a pending one would repeat it
        self.sig_replay.emit(self.replay_snapshot)
        self.sig_frame_sent.emit()
        if self.replay_state.playing:  # the next frame an interval after this one was drawn
            self._replay_timer.start(self.replay_state.interval_ms)

    @Slot()
    def _on_replay_tick(self) -> None:
        self.replay_state.tick()
        self._request_frame()  # the last one also tells the bar it stopped

    # ------------------------------------------------------------------ state
    @property
    def info(self) -> ModelInfo | None:
        """The latest ModelInfo (None before a model is loaded)."""
        return self._info

    @property
    def has_model(self) -> bool:
        return self._info is not None

    @property
    def src_tokenizer(self):
        return self._info.src_tokenizer if self._info else None

    @property
    def tgt_tokenizer(self):
        return self._info.tgt_tokenizer if self._info else None

    @property
    def tokenizer_kind(self) -> str:
        return self._info.tokenizer_kind if self._info else "word"

    @property
    def heads_off(self) -> frozenset:
        """The heads switched off on the model now (empty: all on)."""
        return self._heads_off

    @property
    def corpus(self):
        return self._info.corpus if self._info else None

    @property
    def model_config(self):
        return self._info.model_config if self._info else None

    @property
    def train_config(self):
        return self._info.train_config if self._info else None

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
        """The probe sentence's latest trace."""
        return self._latest_trace

    @property
    def state(self) -> str:
        return self._state

    @property
    def unsaved_steps(self) -> int:
        """Training steps taken since the model was loaded, built or last saved."""
        return self._unsaved_steps

    @property
    def pending(self) -> list[rq.Request]:
        """Requests sent and not answered yet, oldest first."""
        return [r.request for r in self._replies.values()]

    # ------------------------------------------------------------------ from the worker
    @Slot(int, object)
    def _on_reply(self, request_id: int, value) -> None:
        reply = self._replies.pop(request_id, None)
        if reply is None:
            return
        if isinstance(reply.request, rq.Save):
            self._unsaved_steps = 0
        reply.finish(value)

    @Slot(int, object, object)
    def _on_failed(self, request_id: int, message: Message, details: Message) -> None:
        reply = self._replies.pop(request_id, None)
        if reply is not None:
            reply.fail(message)
        self.sig_error.emit(message, details)

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
    def _on_timeline(self, snapshots) -> None:
        self._timeline = list(snapshots)
        was_live = self.replay_state.live
        self.replay_state.set_steps([snap.step for snap in self._timeline])
        self.sig_timeline.emit(list(snapshots))
        if not was_live and self.replay_state.live:
            self._emit_replay()

    @Slot(object)
    def _on_history(self, reports) -> None:
        self._history.clear()
        self._history.extend(reports)
        self.sig_history.emit(reports)

    @Slot(object)
    def _on_heads_off(self, heads) -> None:
        self._heads_off = frozenset(heads)
        self.sig_heads_off.emit(self._heads_off)

    @Slot(object)
    def _on_model_changed(self, info: ModelInfo) -> None:
        self._info = info
        if info.new_model:
            self._history.clear()
            self._timeline = []
            self._latest_step = None
            self._unsaved_steps = 0
            self.go_live()
            self.replay_state.set_steps([])
            self.sig_timeline.emit([])
        self.sig_model_changed.emit(info)

    @Slot(str)
    def _on_state(self, state: str) -> None:
        self._state = state
        self.sig_state.emit(state)
