"""What the UI asks the worker, and the plain values the worker answers with.

Every request is a frozen dataclass; the worker serves it by its type (``worker.HANDLERS``)
and its answer goes back to the one who asked, through the :class:`~explorer.session.Reply`
that ``Session.submit`` returns. Only the training stream (step reports, the probe
sentence's trace, the timeline, model changes, play/pause) is broadcast to everyone.

Nothing here imports Qt except :meth:`Message.text`, which translates when it is shown:
the worker says *what* happened as a message key and values, and the UI words it in the
interface language (again after a language change).
"""
from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

_ids = itertools.count(1)


def QT_TRANSLATE_NOOP(context: str, key: str) -> str:  # noqa: N802 - the name lupdate looks for
    """Marks ``key`` for translation in ``context`` (Qt's macro, without importing Qt here)."""
    return key


def _next_id() -> int:
    return next(_ids)


@dataclass(frozen=True)
class Request:
    """Base of every worker request; ``id`` is unique in the process and ties a reply to it.

    ``loading`` marks requests that make a new trainer (garbage collection waits meanwhile);
    ``trains`` marks those that change the user's model or its training run.
    """

    id: int = field(default_factory=_next_id, init=False, compare=False)
    loading: ClassVar[bool] = False
    trains: ClassVar[bool] = False


# -- training (answered on the broadcast stream) -----------------------------------------------
@dataclass(frozen=True)
class Play(Request):
    """Train continuously, until step ``until`` when given."""

    until: int | None = None
    trains: ClassVar[bool] = True


@dataclass(frozen=True)
class Pause(Request):
    trains: ClassVar[bool] = True


@dataclass(frozen=True)
class Step(Request):
    """Train exactly ``n`` more steps, reporting each, then stop."""

    n: int = 1
    trains: ClassVar[bool] = True


@dataclass(frozen=True)
class StepSlow(Request):
    """One step in slow motion; the reply is a StepDetail."""

    trains: ClassVar[bool] = True


@dataclass(frozen=True)
class Reset(Request):
    trains: ClassVar[bool] = True


@dataclass(frozen=True)
class SetLr(Request):
    """Fix the learning rate (None: back to the schedule)."""

    lr: float | None = None
    trains: ClassVar[bool] = True


@dataclass(frozen=True)
class SetDevice(Request):
    device: str = "cpu"
    trains: ClassVar[bool] = True


@dataclass(frozen=True)
class SetProbe(Request):
    """The sentence traced while training (None: the first validation pair); the reply is
    its trace, which the training stream broadcasts too."""

    src: str | None = None
    tgt: str | None = None
    trains: ClassVar[bool] = True


@dataclass(frozen=True)
class SetHeadsOff(Request):
    """Switch exactly ``heads`` off ((kind, layer, head) tuples; empty: all on) on the
    model itself, so every translation, trace and evaluation runs without them. Training
    is refused while any head is off. The reply and ``sig_heads_off`` carry the heads off."""

    heads: frozenset = frozenset()


# -- inspection (answered to the one who asked) ------------------------------------------------
@dataclass(frozen=True)
class Trace(Request):
    """Trace ``src``: forced through the decoder with ``tgt``, else the model's own output
    (greedy, or beam search of width ``beam``). The reply is a ModelTrace."""

    src: str = ""
    tgt: str | None = None
    beam: int = 1


@dataclass(frozen=True)
class Embeddings(Request):
    """The embedding table of ``side`` ("src" or "tgt"); the reply is an EmbeddingSnapshot."""

    side: str = "src"


@dataclass(frozen=True)
class Contextual(Request):
    """The output of encoder ("src") or decoder ("tgt") layer ``layer`` for every token of
    the first ``sentences`` validation pairs; the reply is an EmbeddingSnapshot."""

    side: str = "src"
    layer: int = 0
    sentences: int = 200


@dataclass(frozen=True)
class Evaluate(Request):
    """Evaluate on the validation split; the reply is an :class:`Evaluation`."""


@dataclass(frozen=True)
class Analyse(Request):
    """One view of the Analysis panel for ``src`` (``explorer.logic.analysis``: views and
    options); the reply is an ``AnalysisResult``. ``progress(value) -> bool`` is called in
    the worker with each step of a long view (the head sweep); False stops it. ``wanted()``
    is asked when the worker comes to the request: False (the panel asked again, or for
    another model, meanwhile) skips it, and the reply is None."""

    view: str = "attribution"
    src: str = ""
    options: Mapping[str, Any] = field(default_factory=dict)
    progress: Callable[[Any], bool] | None = None
    wanted: Callable[[], bool] | None = None


@dataclass(frozen=True)
class Compare(Request):
    """``src`` (forced with ``tgt`` if given) through two models, A and B; ``target`` says
    which (``explorer.logic.compare``): "heads_off" (A the model with every head on, B as it
    is now), "snapshot" (A the model now, B the timeline ``snapshot``'s probe trace) or a
    checkpoint path (A the model now, B that checkpoint). The reply is a
    ``model.analysis.sidebyside.SideBySide``."""

    src: str = ""
    tgt: str | None = None
    target: str = "heads_off"
    snapshot: Any = None


# -- models and files ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Save(Request):
    """Write a checkpoint; the reply is the path written."""

    path: str = ""


@dataclass(frozen=True)
class Load(Request):
    path: str = ""
    loading: ClassVar[bool] = True
    trains: ClassVar[bool] = True


@dataclass(frozen=True)
class OpenCorpus(Request):
    """A fresh model on another corpus (a file path or e.g. "builtin:en-zh")."""

    spec: str = ""
    tokenizer: str = "word"
    loading: ClassVar[bool] = True
    trains: ClassVar[bool] = True


@dataclass(frozen=True)
class Rebuild(Request):
    """A fresh model with this config; None keeps the current one's."""

    model_config: Any = None
    train_config: Any = None
    tokenizer: str = "word"
    corpus_spec: str | None = None
    loading: ClassVar[bool] = True
    trains: ClassVar[bool] = True


@dataclass(frozen=True)
class Build(Request):
    """Install the Trainer that ``factory()`` returns (it runs in the worker thread)."""

    factory: Callable[[], Any] | None = None
    message: Message | None = None
    loading: ClassVar[bool] = True
    trains: ClassVar[bool] = True


@dataclass(frozen=True)
class OpenDefault(Request):
    """The shipped en-de checkpoint, or a fresh model on builtin:en-de when it is absent."""

    loading: ClassVar[bool] = True
    trains: ClassVar[bool] = True


# -- answers ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Message:
    """Something to tell the user: a source-language key (marked for translation with
    ``QT_TRANSLATE_NOOP(context, key)`` where it is written) and the values to fill in."""

    key: str
    values: Mapping[str, Any] = field(default_factory=dict)
    context: str = "Worker"

    def text(self) -> str:
        """The message in the interface language."""
        from PySide6.QtCore import QCoreApplication

        return QCoreApplication.translate(self.context, self.key).format(**self.values)

    def __bool__(self) -> bool:
        return bool(self.key)


NO_MESSAGE = Message("")


class Refused(Exception):
    """A request the worker will not serve now, and why: ``message``, for the one who asked."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.key)
        self.message = message


def plain(text: str) -> Message:
    """A message that is not translated (a traceback, a path)."""
    return Message("{text}", {"text": text})


@dataclass(frozen=True)
class ModelInfo:
    """What the UI knows about the worker's model (sent on every change of model or device).

    ``new_model`` is False when the same model only changed device (its history goes on).
    ``metrics``: the last train loss, valid loss and BLEU recorded.
    ``corpus_loading``: the model can be inspected (traces, translations, embeddings) but its
    training corpus is still being read (``corpus`` None); a second ModelInfo brings it.
    ``corpus_error``: why its training corpus could not be read (``corpus`` None): the model
    is open for inspection only, and training is refused.
    """

    new_model: bool
    model_config: Any
    train_config: Any
    corpus: Any
    corpus_spec: str | None
    step: int
    src_tokenizer: Any
    tgt_tokenizer: Any
    n_params: int
    device: str
    lr: float
    metrics: Mapping[str, float] = field(default_factory=dict)
    corpus_loading: bool = False  # the model is in, its training corpus still being read
    corpus_error: str | None = None  # its training corpus could not be read: inspection only

    @classmethod
    def of(cls, trainer, new_model: bool) -> ModelInfo:
        """What the UI needs to know about a trainer's model (or a ``model.preview.Preview``)."""
        return cls(
            new_model=new_model,
            model_config=trainer.model_config,
            train_config=trainer.train_cfg,
            corpus=trainer.corpus,
            corpus_spec=trainer.corpus_spec,
            step=trainer.step_count,
            src_tokenizer=trainer.src_tok,
            tgt_tokenizer=trainer.tgt_tok,
            n_params=sum(p.numel() for p in trainer.model.parameters()),
            device=str(trainer.device),
            lr=trainer.lr,
            metrics=dict(trainer.metrics),
            corpus_loading=trainer.corpus is None and not getattr(trainer, "corpus_error", None),
            corpus_error=getattr(trainer, "corpus_error", None),
        )

    def replace(self, **changes) -> ModelInfo:
        from dataclasses import replace

        return replace(self, **changes)

    @property
    def tokenizer_kind(self) -> str:
        return getattr(self.src_tokenizer, "kind", "word")


@dataclass(frozen=True)
class Evaluation:
    """The reply to :class:`Evaluate`: ``Trainer.evaluate``'s figures at ``step``."""

    step: int
    results: Mapping[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.step if key == "step" else self.results[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.step if key == "step" else self.results.get(key, default)


# -- what a failure says ----------------------------------------------------------------------
# Requests about a file: the field that names it, and the message naming it first.
_FILE_FAILURES = {
    Load: ("path", QT_TRANSLATE_NOOP("Worker", "Could not open {file}: {error}")),
    Save: ("path", QT_TRANSLATE_NOOP("Worker", "Could not save {file}: {error}")),
    OpenCorpus: ("spec", QT_TRANSLATE_NOOP("Worker", "Could not open the corpus {file}: {error}")),
    Rebuild: ("corpus_spec", QT_TRANSLATE_NOOP("Worker", "Could not open the corpus {file}: {error}")),
}


def failure_message(request: Request, exc: BaseException) -> Message:
    """What a failed request says (one line; the traceback goes in the details). A request
    about a file (opening a checkpoint, model folder or corpus, saving) names that file,
    whatever failed: an error that already starts with the name does not repeat it."""
    lines = str(exc).strip().splitlines()
    error = lines[0] if lines else type(exc).__name__
    name, key = _FILE_FAILURES.get(type(request), ("", ""))
    file = str(getattr(request, name, "") or "") if name else ""
    if not file:
        return Message(QT_TRANSLATE_NOOP("Worker", "{request} failed: {error}"),
                       {"request": type(request).__name__, "error": error})
    return Message(key, {"file": file, "error": error.removeprefix(f"{file}: ")})


def nonfinite_message(report: Any, failed_step: int) -> Message:
    """What the app says when a step's loss or gradients were not finite (NaN or infinite):
    what happened, which step's weights the trainer put back (``report.restored_step``,
    None when it had kept none) and what to change."""
    values = {"loss": f"{report.loss:.3g}", "step": failed_step, "restored": report.restored_step,
              "lr": f"{report.lr:.3g}", "lower": f"{report.lr / 10:.3g}"}
    if report.restored_step is None:
        return Message(QT_TRANSLATE_NOOP(
            "Worker", "Training paused: at step {step} the loss ({loss}) or its gradients were no longer "
            "finite numbers. The update was skipped, but no earlier good weights had been kept. Lower the learning rate (it was {lr}), "
            "or reset the model, before training on."), values)
    return Message(QT_TRANSLATE_NOOP(
        "Worker", "Training paused: at step {step} the loss ({loss}) or its gradients were no longer "
        "finite numbers, so the weights and optimiser state of step {restored}, the last good ones, were put back (the model is at "
        "step {restored} again). The learning rate was {lr}: lower it, to {lower} for example, "
        "and train on."), values)
