"""Training the translator one optimiser step at a time.

``Trainer.step()`` does exactly one step and returns a small ``StepReport``; between any
two steps the caller (the command line, or the app's worker thread) may inspect the
model, change the learning rate, save, or stop. Nothing here knows about Qt.
"""
from __future__ import annotations

import dataclasses
import hashlib
import math
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from model.checkpoint import (
    Checkpoint,
    CheckpointError,
    check_weights_fit,
    load_checkpoint,
    save_checkpoint,
)
from model.attention import avoid_per_shape_kernels
from model.config import ModelConfig, TrainConfig
from model.corpus import Corpus, CorpusError, SentencePair, load_corpus
from model.decode import Generation
from model.evaluation import alignment_scores, corpus_scores, teacher_forced
from model.history import (
    N_FIXED,
    History,
    group_grad_norms,
    is_scheduled,
    readable_metrics,
    take_snapshot,
)
from model.inference import (
    Translator,
    autocast_for,
    embedding_weight,
    learned_position_table,
    pad_batch,
)
from model.memory import SpilledTensors, release_freed_memory
from model.pairs import check_cancelled
from model.tokenizer import PAD, Tokenizer, build_tokenizer
from model.trace import EmbeddingSnapshot, ModelTrace, Snapshot, StepDetail, StepReport
from model.transformer import Seq2Seq

N_SAMPLES = 5  # sample translations carried by an evaluating StepReport
# A timeline snapshot keeps at most this many embedding rows per side (the first ones: for
# an opus-mt model, the most frequent pieces); a whole 58k x 512 table is 119 MB.
SNAPSHOT_ROWS = 4096


def _first_rows(weight: torch.Tensor) -> np.ndarray:
    return weight[:SNAPSHOT_ROWS].detach().float().cpu().numpy().copy()
GOOD_STATE_EVERY = 10  # steps between in-memory copies of the last good weights
# Above this many parameters only the weights are kept, in a temporary file rather than in
# memory (on a CUDA device, in its memory), and freed heap memory goes back to the kernel
# after each step (model.memory): what keeps opus-mt-en-de's fine-tuning within 2 GB.
GOOD_STATE_ADAM_MAX = 20_000_000
AER_PAIRS = 50  # validation pairs traced for the best head's alignment error rate at each evaluation


def _fused_adam(device: torch.device) -> bool | None:
    """Adam's fused kernel where the device has one (CPU, CUDA): one call updates every
    parameter, instead of a Python loop of about ten small operations per parameter. That
    is faster, and it leaves the GIL free for the app's UI thread while the worker trains."""
    return True if device.type in ("cpu", "cuda") else None


def _mps_available() -> bool:
    return bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())


def device_present(name: str) -> bool:
    """Whether ``resolve_device(name)`` would find the device on this machine."""
    kind = name.split(":")[0]  # "cuda:1" is a CUDA device too
    if kind == "cuda":
        return torch.cuda.is_available()
    if kind == "mps":
        return _mps_available()
    return True


def opening_device(stored: str, asked: str | None) -> str | None:
    """The device to open a checkpoint on: ``asked``; when None, the one the checkpoint was
    trained on (``stored``, kept as None), or "auto" when this machine lacks it (a model
    trained on a GPU opens on a laptop)."""
    if asked is None and not device_present(stored):
        return "auto"
    return asked


def resolve_device(name: str = "auto") -> torch.device:
    """'auto' picks CUDA, then MPS, then CPU; a named device must be present. On CUDA,
    attention is kept off cuDNN's kernels, which plan again for every batch shape
    (``model.attention.avoid_per_shape_kernels``)."""
    if name == "auto":
        if torch.cuda.is_available():
            return _ready(torch.device("cuda"))
        if _mps_available():
            return torch.device("mps")
        return torch.device("cpu")
    if not device_present(name):
        raise ValueError(f"device '{name}' was asked for, but "
                         + ("torch sees no CUDA GPU" if name.startswith("cuda") else "it is not available"))
    return _ready(torch.device(name))


def _ready(device: torch.device) -> torch.device:
    if device.type == "cuda":
        avoid_per_shape_kernels()  # a plan per batch shape (model/attention.py)
    return device


def noam_lr(step: int, d_model: int, warmup: int, factor: float) -> float:
    """The paper's schedule: factor * d_model^-0.5 * min(step^-0.5, step * warmup^-1.5)."""
    step = max(step, 1)
    return factor * d_model ** -0.5 * min(step ** -0.5, step * warmup ** -1.5)


def make_batches(lengths: np.ndarray, batch_tokens: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Group examples of similar length so little padding is wasted.

    Args:
        lengths: (N, 2) source and target lengths.
        batch_tokens: the most padded tokens (longest side x count) a batch may hold.
    Returns: batches of example indices, in random order.
    """
    order = rng.permutation(len(lengths))
    order = order[np.lexsort((lengths[order, 0], lengths[order, 1]))]  # by target, then source length
    batches, current, longest = [], [], 0
    for i in order:
        longest_if_added = max(longest, int(lengths[i].max()))
        if current and longest_if_added * (len(current) + 1) > batch_tokens:
            batches.append(np.array(current))
            current, longest_if_added = [], int(lengths[i].max())
        current.append(i)
        longest = longest_if_added
    if current:
        batches.append(np.array(current))
    rng.shuffle(batches)
    return batches


def parameter_group(name: str) -> str:
    """The group a parameter is reported under: "encoder.0.self_attn", "src_embed", ..."""
    parts = name.split(".")
    return ".".join(parts[:3]) if parts[0] in ("encoder", "decoder") else parts[0]


def _group_norms(tensors: dict[str, torch.Tensor]) -> dict[str, float]:
    """L2 norm of each parameter group's tensors taken together."""
    sq: dict[str, float] = {}
    for name, t in tensors.items():
        key = parameter_group(name)
        sq[key] = sq.get(key, 0.0) + float(t.detach().float().pow(2).sum())
    return {k: v ** 0.5 for k, v in sq.items()}


@dataclasses.dataclass
class Encoded:
    """Sentence pairs as token ids: those that fit the model (see ``encode_pairs``)."""

    pairs: list[SentencePair]
    src: list[list[int]]  # source ids + <eos>
    tgt: list[list[int]]  # <bos> + target ids + <eos>

    @property
    def lengths(self) -> np.ndarray:
        return np.array([[len(s), len(t) - 1] for s, t in zip(self.src, self.tgt)], dtype=np.int64).reshape(-1, 2)

    def batches(self, batch_tokens: int, rng: np.random.Generator) -> list[np.ndarray]:
        """One epoch's batches of example indices (see ``make_batches``)."""
        return make_batches(self.lengths, batch_tokens, rng)


def encode_pairs(pairs: Sequence[SentencePair], src_tok: Tokenizer, tgt_tok: Tokenizer,
                 max_len: int) -> Encoded:
    """Encode pairs for training or scoring, keeping those with a non-empty source and
    target that fit ``max_len`` (the source with <eos>; the target input, <bos> + ids)."""
    keep, src, tgt = [], [], []
    for i, p in enumerate(pairs):
        if not i % 256:
            check_cancelled()  # a huge corpus is called off between pairs (model.pairs.cancellable)
        s = src_tok.encode(p.src, add_eos=True)
        t = tgt_tok.encode(p.tgt, add_bos=True, add_eos=True)
        if 1 < len(s) <= max_len and 2 < len(t) <= max_len + 1:
            keep.append(p)
            src.append(s)
            tgt.append(t)
    return Encoded(keep, src, tgt)


def history_from_section(path: str | Path, section: dict) -> History:
    """The History a checkpoint's history section holds; CheckpointError (one line naming
    the file) when its contents, which fit the header schema, do not fit together."""
    try:
        return History.from_section(section)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise CheckpointError(f"{path}: damaged history section ({type(exc).__name__}: "
                              f"{str(exc)[:100]})") from None


def corpus_beside(checkpoint: str | Path, spec: str) -> str:
    """A checkpoint's corpus spec, or the file of that name in the checkpoint's own folder
    when the spec is a relative path that does not exist from here. A shipped checkpoint
    names a corpus file shipped beside it (resources/checkpoints/)."""
    if spec.startswith("builtin:") or Path(spec).is_absolute() or Path(spec).exists():
        return spec
    beside = Path(checkpoint).parent / spec
    return str(beside) if beside.is_file() else spec


class Trainer:
    """Owns one translator, its optimiser and its data.

    Not thread-safe: one thread (the CLI's, or the app's worker) calls it.
    """

    # Data-parallel runs (model/distributed.py) set these: this process trains on batch
    # ``rank`` of every ``world_size`` through ``train_module`` (the DDP-wrapped and/or
    # compiled model; None: the model itself). Evaluation and traces use the plain model.
    rank: int = 0
    world_size: int = 1
    train_module: torch.nn.Module | None = None
    step_tokens: int = 0  # target tokens of the last step across all processes (set when world_size > 1)
    # (summed token loss, token count) -> (loss to backpropagate, tokens across all
    # processes); set with world_size (distributed.global_mean_loss), None in a plain run.
    loss_across_ranks = None

    def __init__(self, corpus: Corpus, src_tok: Tokenizer, tgt_tok: Tokenizer,
                 model_config: ModelConfig, train_cfg: TrainConfig | None = None,
                 corpus_spec: str | None = None, data: dict | None = None):
        self.corpus = corpus
        self.corpus_spec = corpus_spec if corpus_spec is not None else corpus.name
        self.src_tok, self.tgt_tok = src_tok, tgt_tok
        self.model_config = model_config
        self.train_cfg = train_cfg or TrainConfig()
        self.device = resolve_device(self.train_cfg.device)
        self._lr_override: float | None = None
        self._probe: tuple[str, str | None] | None = None
        self.timeline: list[Snapshot] = []
        self.generation = Generation()  # decoding defaults (a pretrained model brings its own)
        # data: the splits already encoded (a token cache, model/datacache.py)
        self.data = data or {name: encode_pairs(corpus.split(name), src_tok, tgt_tok, model_config.max_len)
                             for name in ("train", "valid", "test")}
        if not self.data["train"].pairs:
            raise ValueError(f"corpus {corpus.name!r} has no training pairs that fit max_len={model_config.max_len}")
        self.reset()

    # ----------------------------------------------------------------- construction
    @classmethod
    def from_corpus(cls, corpus: Corpus | str, tokenizer: str | tuple[str, str] = "word",
                    vocab_size: int | None | tuple[int | None, int | None] = None,
                    model_config: ModelConfig | dict | None = None, train_cfg: TrainConfig | None = None) -> Trainer:
        """Build tokenizers on the corpus's training split and a fresh model.

        ``tokenizer`` and ``vocab_size`` are one value for both sides or a (source, target)
        pair (model/defaults.py picks them per side and script).
        ``model_config`` may be a ModelConfig (its vocab sizes are replaced by the tokenizers')
        or a dict of ModelConfig fields other than the vocab sizes.
        """
        spec = corpus if isinstance(corpus, str) else None
        if isinstance(corpus, str):
            corpus = load_corpus(corpus)
        train = corpus.split("train")
        kinds = tokenizer if isinstance(tokenizer, tuple) else (tokenizer, tokenizer)
        sizes = vocab_size if isinstance(vocab_size, tuple) else (vocab_size, vocab_size)
        src_tok = build_tokenizer(kinds[0], [p.src for p in train], corpus.src_lang, sizes[0])
        tgt_tok = build_tokenizer(kinds[1], [p.tgt for p in train], corpus.tgt_lang, sizes[1])
        fields = model_config.to_dict() if isinstance(model_config, ModelConfig) else dict(model_config or {})
        fields.update(src_vocab=src_tok.vocab_size, tgt_vocab=tgt_tok.vocab_size)
        return cls(corpus, src_tok, tgt_tok, ModelConfig.from_dict(fields), train_cfg, corpus_spec=spec)

    @classmethod
    def from_checkpoint(cls, path: str | Path, corpus: Corpus | None = None, device: str | None = None,
                        corpus_spec: str | None = None, data: dict | None = None) -> Trainer:
        """Restore a trainer from a checkpoint; the corpus is reloaded from its spec unless
        given (with ``data``, its splits already encoded by the checkpoint's tokenizers).

        A checkpoint with resume state (data order and random states) continues exactly
        where it stopped, when the corpus is the one it was trained on; with another corpus
        the data order starts afresh (``trainer.resume_note`` says so).
        """
        ckpt = load_checkpoint(path)
        device = opening_device(ckpt.train_config.device, device)
        train_cfg = ckpt.train_config if device is None else ckpt.train_config.replace(device=device)
        if corpus is None:
            # split as the run did (--valid-size/--test-size), so training goes on with the
            # same training pairs and its data order
            split = ckpt.sections.get("resume", {}).get("corpus", {})
            sizes = {f"{k}_size": split[f"{k}_pairs"] for k in ("valid", "test") if f"{k}_pairs" in split}
            try:
                corpus = load_corpus(corpus_beside(path, ckpt.corpus), **sizes)
            except CorpusError as exc:  # named from the checkpoint the user opened
                raise CorpusError(f"{path}: its corpus cannot be read: {exc}") from None
        try:
            trainer = cls(corpus, ckpt.src_tokenizer, ckpt.tgt_tokenizer, ckpt.model_config, train_cfg,
                          corpus_spec=corpus_spec if corpus_spec is not None else ckpt.corpus, data=data)
        except (ValueError, RuntimeError) as exc:  # what the header asks for cannot be trained here
            if isinstance(exc, CorpusError):
                raise
            lines = str(exc).strip().splitlines()
            raise CheckpointError(f"{path}: {lines[0] if lines else type(exc).__name__}") from None
        check_weights_fit(path, trainer.model, ckpt.weights)
        trainer.model.load_state_dict(ckpt.weights)
        trainer.step_count = ckpt.step
        trainer.metrics = dict(ckpt.metrics)
        if ckpt.optimizer:
            trainer._load_optimizer_state(ckpt.optimizer)
        if "resume" in ckpt.sections:
            trainer._restore_resume_state(ckpt.sections["resume"])
        if "history" in ckpt.sections:
            trainer.history = history_from_section(path, ckpt.sections["history"])
            trainer.history.truncate(trainer.step_count)
        if "generation" in ckpt.sections:
            trainer.set_generation(Generation.from_dict(ckpt.sections["generation"]))
        return trainer

    @classmethod
    def from_pretrained(cls, path: str | Path, corpus: Corpus, train_cfg: TrainConfig | None = None,
                        corpus_spec: str | None = None) -> Trainer:
        """Fine-tune a pretrained model on ``corpus``: a Marian (opus-mt) folder, or a
        checkpoint's model, tokenizers and decoding defaults; step 0 and a fresh optimiser.

        ``train_cfg`` None: :data:`model.marian.FINE_TUNE` for a folder (a small constant
        rate), the checkpoint's own otherwise.
        """
        if Path(path).is_dir():
            from model.marian import FINE_TUNE, convert

            conv = convert(path)
            model_config, weights, gen = conv.model_config, conv.weights, conv.generation
            src_tok, tgt_tok, default_train = conv.src_tokenizer, conv.tgt_tokenizer, FINE_TUNE
        else:
            ckpt = load_checkpoint(path)
            model_config, weights = ckpt.model_config, ckpt.weights
            src_tok, tgt_tok = ckpt.src_tokenizer, ckpt.tgt_tokenizer
            gen = Generation.from_dict(ckpt.sections.get("generation", {}))
            default_train = ckpt.train_config
        trainer = cls(corpus, src_tok, tgt_tok, model_config, train_cfg or default_train, corpus_spec=corpus_spec)
        check_weights_fit(path, trainer.model, weights)
        trainer.model.load_state_dict(weights)
        trainer.set_generation(gen)
        weights = conv = ckpt = None  # noqa: F841 - frees the converted weights before the trim
        if trainer._large():
            release_freed_memory()  # the converted weights, now copied into the model
        return trainer

    def set_generation(self, generation: Generation) -> None:
        """The model's decoding defaults (beam, length limit, beam-search rules)."""
        self.generation = generation
        self.translator.generation = generation

    def reset(self) -> None:
        """A fresh model and optimiser from the config's seed; step 0."""
        torch.manual_seed(self.train_cfg.seed)
        self.rng = np.random.default_rng(self.train_cfg.seed)
        self.model = Seq2Seq(self.model_config).to(self.device)
        self.translator = Translator(self.model, self.src_tok, self.tgt_tok, self.device, self.generation)
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=self._lr_at(1),
                                          betas=self.train_cfg.betas, eps=1e-9,
                                          weight_decay=self.train_cfg.weight_decay,
                                          fused=_fused_adam(self.device))
        self.step_count = 0
        self.elapsed_s = 0.0
        self.metrics: dict[str, float] = {}
        self.timeline = []
        self._batches: list[np.ndarray] = []
        self.train_module = None
        self.resume_note = ""
        self.history = History()  # metrics of every step and snapshots on a log-like schedule
        self.record_history = True
        self._group_norms: dict[str, float] | None = None
        self._n_params: int | None = None
        self._good: dict | None = None  # the last good weights (and Adam state), see _keep_good_state
        self._loss_avg: float | None = None

    # ----------------------------------------------------------------- training
    def _lr_at(self, step: int) -> float:
        if self._lr_override is not None:
            return self._lr_override
        train_cfg = self.train_cfg
        if train_cfg.schedule == "noam":
            return noam_lr(step, self.model_config.d_model, train_cfg.warmup, train_cfg.lr)
        return train_cfg.lr * min(1.0, step / max(train_cfg.warmup, 1))

    def set_lr(self, lr: float | None) -> None:
        """Fix the learning rate (None returns to the schedule)."""
        if lr is not None and not (lr > 0 and math.isfinite(lr)):
            raise ValueError("learning rate must be a positive number")
        self._lr_override = lr

    @property
    def lr(self) -> float:
        return self._lr_at(self.step_count + 1)

    def _next_indices(self) -> np.ndarray:
        """The examples of this process's next batch: with ``world_size`` processes, each
        step takes that many batches off the epoch's shuffled list, one per rank."""
        if len(self._batches) < self.world_size:  # a new epoch (a remainder < world_size is dropped)
            self._batches = self.data["train"].batches(self.train_cfg.batch_tokens, self.rng)
        return [self._batches.pop() for _ in range(self.world_size)][self.rank]

    def _next_batch(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, np.ndarray]:
        idx = self._next_indices()
        data = self.data["train"]
        src = pad_batch([data.src[i] for i in idx], self.device)
        tgt = pad_batch([data.tgt[i] for i in idx], self.device)
        return src, tgt[:, :-1], tgt[:, 1:], idx

    def _loss(self, logits: torch.Tensor, tgt_out: torch.Tensor, reduction: str = "mean") -> torch.Tensor:
        return F.cross_entropy(logits.float().reshape(-1, logits.size(-1)), tgt_out.reshape(-1),
                               ignore_index=PAD, label_smoothing=self.train_cfg.label_smoothing,
                               reduction=reduction)

    def _forward_backward(self, src, tgt_in, tgt_out):
        self.model.train()
        with autocast_for(self.device):
            module = self.model if self.train_module is None else self.train_module
            logits = module(src, tgt_in)  # (B, T, V)
        if self.loss_across_ranks is not None:
            loss, self.step_tokens = self.loss_across_ranks(
                self._loss(logits, tgt_out, reduction="sum"), (tgt_out != PAD).sum())
        else:
            loss = self._loss(logits, tgt_out)
        self.optimizer.zero_grad(set_to_none=True)
        finite = bool(torch.isfinite(loss))
        grad_norm = float("nan")
        if finite:
            loss.backward()
            if self.record_history:  # before clipping: the gradients as the loss gave them
                self._group_norms = group_grad_norms(self.model, parameter_group)
            clip = self.train_cfg.clip_norm if self.train_cfg.clip_norm > 0 else float("inf")
            grad_norm = float(torch.nn.utils.clip_grad_norm_(self.model.parameters(), clip))
            finite = math.isfinite(grad_norm)
        return logits, loss, grad_norm, finite

    def _next_step_batch(self):
        """The next batch (src, tgt_in, tgt_out) and the learning rate of the step it feeds,
        already set in the optimiser."""
        src, tgt_in, tgt_out, _ = self._next_batch()
        lr = self._lr_at(self.step_count + 1)
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        return src, tgt_in, tgt_out, lr

    def _update(self, finite: bool, loss: torch.Tensor | None = None) -> None:
        """Apply the gradients and count the step (skipped when they are not finite); clear them.
        Every GOOD_STATE_EVERY steps whose loss looks sane, the weights as they are before the
        update (the ones that gave this loss) are kept first, for :meth:`_restore_good_state`."""
        if finite:
            if loss is not None and (self._good is None or self.step_count % GOOD_STATE_EVERY == 0):
                value = float(loss.detach())
                avg = self._loss_avg
                if avg is None or value <= 2 * avg + 1:  # not already blowing up
                    self._keep_good_state()
                self._loss_avg = value if avg is None else 0.9 * avg + 0.1 * value
            self.optimizer.step()
            self.step_count += 1
        self.optimizer.zero_grad(set_to_none=True)
        if self._large():
            release_freed_memory()  # the gradients and activations just freed (model.memory)

    def _keep_good_state(self) -> None:
        """Copy the weights and Adam's state into buffers kept for the purpose (allocated
        once); for models over GOOD_STATE_ADAM_MAX parameters, the weights only, written to
        a temporary file unless they are on a CUDA device."""
        params = [p for p in self.model.parameters()]
        good = self._good
        large = self._large()
        if large and self.device.type != "cuda":
            if good is None or not isinstance(good["params"], SpilledTensors):
                good = self._good = {"params": SpilledTensors(), "optim": {}}
            good["params"].write(params)
        elif good is None or not isinstance(good["params"], list) or len(good["params"]) != len(params):
            good = self._good = {"params": [p.detach().clone() for p in params], "optim": {}}
        else:
            torch._foreach_copy_(good["params"], [p.detach() for p in params])
        good["step"] = self.step_count
        good["with_optim"] = not large
        kept = good["optim"]
        if good["with_optim"]:
            for i, p in enumerate(params):
                state = self.optimizer.state.get(p)
                if not state:
                    kept.pop(i, None)
                elif i in kept and kept[i].keys() == state.keys():
                    torch._foreach_copy_([kept[i][k] for k in state], [state[k] for k in state])
                else:
                    kept[i] = {k: v.clone() for k, v in state.items()}

    def _large(self) -> bool:
        """Over GOOD_STATE_ADAM_MAX parameters (shared ones counted once)."""
        if getattr(self, "_n_params", None) is None:
            self._n_params = sum(p.numel() for p in self.model.parameters())
        return self._n_params > GOOD_STATE_ADAM_MAX

    def _restore_good_state(self) -> int | None:
        """Put back the weights (and Adam's state) of the last good copy; its step, or None
        when there is none. Without a kept Adam state, Adam starts afresh."""
        good = self._good
        if good is None:
            return None
        params = [p for p in self.model.parameters()]
        if isinstance(good["params"], SpilledTensors):
            good["params"].read_into(params)
        else:
            with torch.no_grad():
                torch._foreach_copy_(params, good["params"])
        for i, p in enumerate(params):
            kept = good["optim"].get(i) if good["with_optim"] else None
            if kept is None:
                self.optimizer.state.pop(p, None)
            else:
                self.optimizer.state[p] = {k: v.clone() for k, v in kept.items()}
        self.step_count = good["step"]
        self._loss_avg = None
        self.history.truncate(self.step_count)
        return good["step"]

    def step(self) -> StepReport:
        """One optimiser step. A NaN/inf loss or gradient skips the update, puts back the
        last good weights and Adam state kept aside (those of ``report.restored_step``,
        at most GOOD_STATE_EVERY steps back, as a too high learning rate may already have
        ruined the current ones while the loss stayed finite) and returns a report with
        ``nonfinite=True``."""
        if self.record_history and self.step_count == 0 and not self.history.snapshots:
            self._history_snapshot()  # the untrained model, step 0
        start = time.perf_counter()
        src, tgt_in, tgt_out, lr = self._next_step_batch()
        logits, loss, grad_norm, finite = self._forward_backward(src, tgt_in, tgt_out)
        readable = readable_metrics(logits, tgt_out, PAD) if finite and self.record_history else None
        self._update(finite, loss)
        restored = None if finite else self._restore_good_state()
        tokens = int((tgt_out != PAD).sum())
        seconds = time.perf_counter() - start
        self.elapsed_s += seconds
        report = StepReport(step=self.step_count, loss=float(loss.detach()), lr=lr, grad_norm=grad_norm,
                            tokens=tokens, tokens_per_s=tokens / max(seconds, 1e-9),
                            elapsed_s=self.elapsed_s, nonfinite=not finite, restored_step=restored)
        if not finite:
            return report
        self.metrics["train_loss"] = report.loss
        if readable is not None:
            report = dataclasses.replace(report, ce=float(readable[0]))
            self.history.record_step(report.step, {
                "loss": report.loss, "ce": report.ce, "accuracy": float(readable[1]), "lr": lr,
                "grad_norm": grad_norm, "tokens_per_s": report.tokens_per_s}, self._group_norms)
            if is_scheduled(self.step_count):
                self._history_snapshot()
        train_cfg = self.train_cfg
        if train_cfg.snapshot_every and self.step_count % train_cfg.snapshot_every == 0:
            self._take_snapshot()
        if train_cfg.eval_every and self.step_count % train_cfg.eval_every == 0:
            report = self._with_evaluation(report)
        return report

    def step_detail(self) -> StepDetail:
        """One optimiser step in slow motion: the batch, the loss of every target token,
        the gradient norm of every parameter group and attention head, the relative size
        of the update, and the probe sentence's trace before and after it."""
        probe_before = self.trace(*self.probe)
        src, tgt_in, tgt_out, lr = self._next_step_batch()
        start = time.perf_counter()
        logits, loss, grad_norm, finite = self._forward_backward(src, tgt_in, tgt_out)
        token_loss = self._loss(logits.detach(), tgt_out, reduction="none").view(tgt_out.shape)  # (B, T)
        grads = {name: p.grad for name, p in self.model.named_parameters() if p.grad is not None}
        grad_norms = _group_norms(grads)
        head_norms = {}
        for name, module in self.model.attention_blocks():
            weight = getattr(getattr(module, "in_proj", None), "weight", None)
            if weight is not None and weight.grad is not None:
                H, Dh = module.n_heads, module.head_dim
                g = weight.grad.detach().float().view(3, H, Dh, -1)  # (q|k|v, H, Dh, D)
                head_norms[name] = g.pow(2).sum(dim=(0, 2, 3)).sqrt().cpu().numpy().copy()
        before = {name: p.detach().clone() for name, p in self.model.named_parameters()}
        self._update(finite, loss)
        restored = None if finite else self._restore_good_state()
        seconds = time.perf_counter() - start
        self.elapsed_s += seconds
        deltas = {name: p.detach() - before[name] for name, p in self.model.named_parameters()}
        change, size = _group_norms(deltas), _group_norms(before)
        tokens = int((tgt_out != PAD).sum())
        report = StepReport(step=self.step_count, loss=float(loss.detach()), lr=lr, grad_norm=grad_norm, tokens=tokens,
                            tokens_per_s=tokens / max(seconds, 1e-9), elapsed_s=self.elapsed_s,
                            nonfinite=not finite, restored_step=restored)
        rows_src, rows_tgt, rows_loss = [], [], []
        for b in range(src.size(0)):
            s_ids = [i for i in src[b].tolist() if i != PAD]
            t_ids = [i for i in tgt_out[b].tolist() if i != PAD]
            rows_src.append(tuple(self.src_tok.id_to_token(i) for i in s_ids))
            rows_tgt.append(tuple(self.tgt_tok.id_to_token(i) for i in t_ids))
            rows_loss.append(token_loss[b, : len(t_ids)].float().cpu().numpy().copy())
        return StepDetail(report=report, src_tokens=tuple(rows_src), tgt_tokens=tuple(rows_tgt),
                          token_loss=tuple(rows_loss), grad_norms=grad_norms, head_grad_norms=head_norms,
                          update_ratio={k: change[k] / max(size[k], 1e-12) for k in change},
                          probe_before=probe_before, probe_after=self.trace(*self.probe))

    def _with_evaluation(self, report: StepReport) -> StepReport:
        ev = self.evaluate("valid", n=self.train_cfg.eval_sentences)
        if self.record_history:
            aer = None
            if self.corpus.has_alignments and self.data["valid"].pairs:
                aer = alignment_scores(self.translator, self.data["valid"].pairs[:AER_PAIRS])["best"]["aer"]
            self.history.record_eval(self.step_count, {"valid_loss": ev["loss"], "valid_accuracy": ev["accuracy"],
                                                       "bleu": ev["bleu"], "chrf": ev["chrf"], "aer": aer})
        return dataclasses.replace(report, valid_loss=ev["loss"], valid_accuracy=ev["accuracy"],
                                   valid_bleu=ev["bleu"], valid_chrf=ev["chrf"],
                                   samples=tuple(ev["samples"][:N_SAMPLES]))

    # ----------------------------------------------------------------- evaluation
    @torch.no_grad()
    def evaluate(self, split: str = "valid", n: int | None = None, batch_size: int = 64) -> dict:
        """Teacher-forced loss and token accuracy on the split, and BLEU/chrF of greedy
        translations of its first ``n`` pairs (all when None)."""
        data = self.data[split]
        if not data.pairs:
            return {"loss": float("nan"), "accuracy": 0.0, "bleu": 0.0, "chrf": 0.0, "samples": [], "pairs": 0}
        loss, accuracy = teacher_forced(self.model, data.src, data.tgt, self.device,
                                        self.train_cfg.label_smoothing, batch_size)
        n = len(data.pairs) if n is None else min(n, len(data.pairs))
        pairs = data.pairs[:n]
        hyps = [self.tgt_tok.decode(ids) for ids in self.translator.translate_ids(data.src[:n], beam=1)]
        refs = [p.tgt for p in pairs]
        bleu, chrf = corpus_scores(hyps, refs, self.corpus.tgt_lang)
        self.metrics.update({f"{split}_loss": loss, f"{split}_bleu": bleu})
        return {"loss": loss, "accuracy": accuracy,
                "bleu": bleu, "chrf": chrf, "pairs": n,
                "samples": [(p.src, p.tgt, h) for p, h in zip(pairs, hyps)]}

    def translate(self, texts: Sequence[str], beam: int = 1) -> list[str]:
        """Translate sentences (greedy, or beam search with ``beam`` > 1)."""
        return self.translator.translate(texts, beam=beam)

    def trace(self, src_text: str, tgt_text: str | None = None, beam: int = 1) -> ModelTrace:
        """See Translator.trace: teacher-forced with ``tgt_text``, else the model's own output."""
        self.translator.step = self.step_count
        return self.translator.trace(src_text, tgt_text, beam=beam)

    def embeddings(self, side: str = "src") -> EmbeddingSnapshot:
        """A copy of the source or target token embedding matrix with its token labels."""
        self.translator.step = self.step_count
        return self.translator.embeddings(side)

    def set_probe(self, src_text: str | None, tgt_text: str | None = None) -> None:
        """The sentence whose trace the timeline keeps (None: the first validation pair)."""
        self._probe = None if src_text is None else (src_text, tgt_text)

    @property
    def probe(self) -> tuple[str, str | None]:
        if self._probe is not None:
            return self._probe
        pair = (self.data["valid"].pairs or self.data["train"].pairs)[0]
        return pair.src, pair.tgt

    def _take_snapshot(self) -> None:
        pos = learned_position_table(self.model, "src")
        src, tgt = embedding_weight(self.model, "src"), embedding_weight(self.model, "tgt")
        src_rows = _first_rows(src)
        self.timeline.append(Snapshot(
            step=self.step_count, probe=self.trace(*self.probe),
            src_embeddings=src_rows, tgt_embeddings=src_rows if tgt is src else _first_rows(tgt),
            pos_table=None if pos is None else pos.detach().float().cpu().numpy().copy()))
        if len(self.timeline) > self.train_cfg.max_snapshots:
            # Thin out evenly: keep every other snapshot but always the newest.
            self.timeline = self.timeline[::2] + ([self.timeline[-1]] if len(self.timeline) % 2 == 0 else [])

    def history_sentences(self) -> list[tuple[str, str | None]]:
        """The sentences a history snapshot traces: the probe, then N_FIXED fixed validation pairs."""
        if not self.history.sentences:
            pairs = self.data["valid"].pairs or self.data["train"].pairs
            self.history.sentences = [(p.src, p.tgt) for p in pairs[1:1 + N_FIXED]]
        return [self.probe, *self.history.sentences]

    def replay_timeline(self) -> list[Snapshot]:
        """The timeline the app replays, in step order: the history's snapshots (from step 0
        on a log-like schedule) and the ``timeline`` snapshots at other steps (every
        ``snapshot_every`` steps, which the app sets while it trains)."""
        recorded = {s.step: s.as_snapshot() for s in self.history.snapshots}
        extra = {s.step: s for s in self.timeline if s.step not in recorded}
        return [snap for _, snap in sorted({**recorded, **extra}.items())]

    def _history_snapshot(self) -> None:
        self.history.add_snapshot(self._snapshot_now())

    def _snapshot_now(self):
        """A history snapshot of the model as it is now (model.history.take_snapshot)."""
        self.translator.step = self.step_count
        pos = learned_position_table(self.model, "src")
        return take_snapshot(self.translator, self.step_count, self.history_sentences(),
                             None if pos is None else pos.detach().float().cpu().numpy())

    # ----------------------------------------------------------------- persistence
    def checkpoint(self, include_optimizer: bool = True) -> Checkpoint:
        """Everything to save: weights, configs, tokenizers, step, metrics and, with
        ``include_optimizer``, Adam's state and the resume state (data order, RNG states)."""
        optim = self._optimizer_tensors() if include_optimizer else {}
        sections = {"resume": self._resume_state()} if include_optimizer else {}
        snapshots = list(self.history.snapshots)
        if self.record_history and snapshots and snapshots[-1].step != self.step_count:
            # The last step goes into the saved copy only: a run that saves every N steps
            # must not fill its own history with one snapshot per save.
            snapshots.append(self._snapshot_now())
        if len(self.history) or snapshots:
            sections["history"] = dataclasses.replace(
                self.history, snapshots=snapshots).fit_budget().to_section()
        if self.generation != Generation():
            sections["generation"] = self.generation.to_dict()
        return Checkpoint(self.model_config, self.train_cfg, self.src_tok, self.tgt_tok,
                          {k: v for k, v in self.model.state_dict().items()}, self.step_count,
                          self.corpus_spec, dict(self.metrics), optim, sections)

    def corpus_fingerprint(self) -> str:
        """A hash of the training pairs as encoded, in order: equal when a resumed run
        trains on the same data, so its saved batch order still means the same pairs."""
        fast = getattr(self.data["train"], "fingerprint", None)  # a token cache hashes its arrays
        if getattr(self, "_fingerprint", None) is None and fast is not None:
            self._fingerprint = fast()
        if getattr(self, "_fingerprint", None) is None:
            h = hashlib.sha256()
            for ids in (self.data["train"].src, self.data["train"].tgt):
                for row in ids:
                    h.update(np.asarray(row, dtype=np.int32).tobytes() + b"\xff\xff\xff\xff")
            self._fingerprint = h.hexdigest()[:32]
        return self._fingerprint

    def _resume_state(self) -> dict:
        """The data order still to come and the random states: what makes a resumed run
        the same as one that never stopped."""
        batches = self._batches
        state = {
            "corpus": {"spec": str(self.corpus_spec), "train_pairs": len(self.data["train"].pairs),
                       "valid_pairs": len(self.data["valid"].pairs), "test_pairs": len(self.data["test"].pairs),
                       "fingerprint": self.corpus_fingerprint()},
            "batches": np.concatenate(batches).astype(np.int64) if batches else np.zeros(0, np.int64),
            "batch_sizes": np.array([len(b) for b in batches], dtype=np.int64),
            "numpy_rng": self.rng.bit_generator.state,
            "torch_rng": torch.get_rng_state(),
            "elapsed_s": float(self.elapsed_s),
            "lr_override": self._lr_override,
        }
        if self.device.type == "cuda":
            state["cuda_rng"] = torch.cuda.get_rng_state(self.device)
        return state

    def _restore_resume_state(self, state: dict) -> None:
        corpus = state["corpus"]
        n = len(self.data["train"].pairs)
        self.elapsed_s = float(state["elapsed_s"])
        self._lr_override = state.get("lr_override")
        if corpus["train_pairs"] != n or corpus["fingerprint"] != self.corpus_fingerprint():
            self.resume_note = (f"trained on {corpus['spec'] or 'another corpus'}; continuing on "
                                f"{self.corpus_spec} with a fresh data order")
            return
        batches, sizes = state["batches"], state["batch_sizes"]
        if (sizes < 1).any() or int(sizes.sum()) != len(batches) or (batches < 0).any() or (batches >= n).any():
            self.resume_note = "the saved data order does not fit the corpus; starting a fresh one"
            return
        try:
            rng = np.random.default_rng()
            rng.bit_generator.state = state["numpy_rng"]
            torch.set_rng_state(torch.from_numpy(state["torch_rng"]))
            if state.get("cuda_rng") is not None and self.device.type == "cuda":
                torch.cuda.set_rng_state(torch.from_numpy(state["cuda_rng"]), self.device)
        except (ValueError, TypeError, RuntimeError):
            self.resume_note = "the saved random state could not be restored; continuing with a fresh one"
            return
        self.rng = rng
        self._batches = list(np.split(batches, np.cumsum(sizes)[:-1])) if len(sizes) else []
        self.resume_note = ""

    def save(self, path: str | Path, include_optimizer: bool = True) -> Path:
        """Write a checkpoint atomically (weights, configs, tokenizers, step, metrics)."""
        return save_checkpoint(path, self.checkpoint(include_optimizer))

    def _optimizer_tensors(self) -> dict[str, torch.Tensor]:
        out = {}
        names = {id(p): n for n, p in self.model.named_parameters()}
        for p, state in self.optimizer.state.items():
            for key, value in state.items():
                if torch.is_tensor(value):
                    out[f"{names[id(p)]}.{key}"] = value.reshape(-1) if value.dim() == 0 else value
        return out

    def _load_optimizer_state(self, tensors: dict[str, torch.Tensor]) -> None:
        for name, p in self.model.named_parameters():
            keys = {k: tensors.get(f"{name}.{k}") for k in ("step", "exp_avg", "exp_avg_sq")}
            if any(v is None for v in keys.values()):
                continue
            self.optimizer.state[p] = {
                "step": keys["step"].reshape(()).float().to(self._step_device(p)),
                "exp_avg": keys["exp_avg"].to(p.device, p.dtype),
                "exp_avg_sq": keys["exp_avg_sq"].to(p.device, p.dtype),
            }

    def _step_device(self, p: torch.Tensor) -> torch.device:
        """Where Adam keeps a parameter's step count: beside it when fused, else on the CPU."""
        return p.device if self.optimizer.param_groups[0]["fused"] else torch.device("cpu")

    def to(self, device: str) -> None:
        """Move the model and optimiser state to another device."""
        self.device = resolve_device(device)
        self.train_cfg = self.train_cfg.replace(device=device)
        self.model.to(self.device)
        self.translator.device = self.device
        fused = _fused_adam(self.device)
        for group in self.optimizer.param_groups:
            group["fused"] = fused
        for p, state in self.optimizer.state.items():
            for key, value in state.items():
                if torch.is_tensor(value):
                    state[key] = value.to(self._step_device(p) if key == "step" else self.device)
