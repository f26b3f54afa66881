"""A checkpoint's model, usable for inspecting before its training corpus is in.

Making a :class:`~model.train.Trainer` from a checkpoint reads (or generates) the
training corpus, encodes every split and builds the optimiser: seconds on a small
machine. Tracing, translating and reading embeddings need none of that, only the
weights and the tokenizers. :class:`Preview` holds exactly those (and the training
history the checkpoint carries) and answers the Trainer's read-only calls the same way,
while :class:`Background` builds the real trainer in another thread.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from model.checkpoint import check_weights_fit, load_checkpoint
from model.decode import Generation
from model.history import History
from model.inference import Translator
from model.pairs import cancellable
from model.trace import EmbeddingSnapshot, ModelTrace, Snapshot
from model.train import history_from_section, noam_lr, opening_device, resolve_device
from model.transformer import Seq2Seq


class Preview:
    """A checkpoint's model and tokenizers, with the Trainer's read-only interface.

    ``corpus`` is None: the corpus is not read. The probe (the sentence the training
    stream traces) is the one set, else the first fixed sentence of the history, else none.
    """

    corpus = None
    data: dict = {}
    corpus_error: str | None = None  # why the corpus could not be read, once that is known

    def __init__(self, path: str | Path, device: str | None = None) -> None:
        ckpt = load_checkpoint(path)
        self.path = Path(path)
        self.model_config = ckpt.model_config
        device = opening_device(ckpt.train_config.device, device)
        self.train_cfg = (ckpt.train_config if device is None
                          else ckpt.train_config.replace(device=device))
        self.corpus_spec = ckpt.corpus
        self.src_tok, self.tgt_tok = ckpt.src_tokenizer, ckpt.tgt_tokenizer
        self.device = resolve_device(self.train_cfg.device)
        model = Seq2Seq(self.model_config)
        check_weights_fit(path, model, ckpt.weights)
        model.load_state_dict(ckpt.weights)
        self.model = model.to(self.device)
        self.generation = Generation.from_dict(ckpt.sections.get("generation", {}))
        self.translator = Translator(self.model, self.src_tok, self.tgt_tok, self.device,
                                     self.generation)
        self.step_count = ckpt.step
        self.metrics = dict(ckpt.metrics)
        self.history = History()
        if "history" in ckpt.sections:
            self.history = history_from_section(path, ckpt.sections["history"])
            self.history.truncate(self.step_count)
        self.timeline: list[Snapshot] = []
        self._probe: tuple[str, str | None] | None = None

    @property
    def lr(self) -> float:
        """The learning rate the trainer's schedule gives the next step."""
        train_cfg, step = self.train_cfg, self.step_count + 1
        if train_cfg.schedule == "noam":
            return noam_lr(step, self.model_config.d_model, train_cfg.warmup, train_cfg.lr)
        return train_cfg.lr * min(1.0, step / max(train_cfg.warmup, 1))

    def trace(self, src_text: str, tgt_text: str | None = None, beam: int = 1) -> ModelTrace:
        self.translator.step = self.step_count
        return self.translator.trace(src_text, tgt_text, beam=beam)

    def translate(self, texts, beam: int = 1) -> list[str]:
        return self.translator.translate(texts, beam=beam)

    def embeddings(self, side: str = "src") -> EmbeddingSnapshot:
        self.translator.step = self.step_count
        return self.translator.embeddings(side)

    def set_probe(self, src_text: str | None, tgt_text: str | None = None) -> None:
        self._probe = None if src_text is None else (src_text, tgt_text)

    @property
    def probe_set(self) -> tuple[str, str | None] | None:
        """The probe a user set (handed on to the trainer), None for the default."""
        return self._probe

    @property
    def probe(self) -> tuple[str, str | None] | None:
        if self._probe is not None:
            return self._probe
        return tuple(self.history.sentences[0]) if self.history.sentences else None

    def replay_timeline(self) -> list[Snapshot]:
        return [s.as_snapshot() for s in sorted(self.history.snapshots, key=lambda s: s.step)]


class Background:
    """``make()`` run in a daemon thread (from ``start()``); ``cancel`` (an Event) calls
    off its corpus work.

    ``done`` is called in that thread when it ends, however it ends; ``result()`` then
    returns what ``make`` returned or raises what it raised.
    """

    def __init__(self, make: Callable[[], Any], cancel: threading.Event,
                 done: Callable[[], None] | None = None) -> None:
        self._make, self._cancel, self._done = make, cancel, done
        self._value: Any = None
        self._error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="trainer-loader", daemon=True)

    def cancel(self) -> None:
        """Call off the corpus work (``make`` raises ``model.pairs.Cancelled`` soon)."""
        self._cancel.set()

    def start(self) -> Background:
        self.thread.start()
        return self

    def _run(self) -> None:
        try:
            with cancellable(self._cancel):
                self._value = self._make()
        except BaseException as exc:  # noqa: BLE001 - handed to whoever asks for the result
            self._error = exc
        finally:
            if self._done is not None:
                self._done()

    def result(self) -> Any:
        self.thread.join()
        if self._error is not None:
            raise self._error
        return self._value
