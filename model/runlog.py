"""Run logs: every step and evaluation of a training run, readable without the model.

``python main.py train`` writes a JSON Lines file beside its checkpoint (``run.safetensors``
-> ``run.runlog.jsonl``), one object per line:

- ``{"kind": "config", ...}`` first: the model and training configs as used (every default
  filled in), the options given on the command line, corpus, tokenizer, device, number of
  processes, the effective batch and the learning-rate schedule's unit;
- ``{"kind": "step", "step", "loss", "lr", "grad_norm", "tokens", "tokens_per_s",
  "elapsed_s"}`` after every optimiser step (``tokens``: target tokens of the step across
  all processes);
- ``{"kind": "eval", "step", "valid_loss", "valid_accuracy", "valid_bleu", "valid_chrf"}``
  at each evaluation;
- ``{"kind": "end", "step", "checkpoint", "wall_s", "interrupted"}`` when the run stops.

A resumed run appends to the log, starting again with a config record. Non-finite numbers
are written as null, so every line is strict JSON. :func:`read_run_log` reads a log back
into arrays (what the app's Training panel draws).

``--tensorboard DIR`` also writes TensorBoard event files through
``torch.utils.tensorboard`` (the optional ``tensorboard`` package): the same scalars, and
at each evaluation the attention of the probe sentence as images.
"""
from __future__ import annotations

import json
import math
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

FORMAT = "transformer-explorer-runlog/1"
SUFFIX = ".runlog.jsonl"
STEP_FIELDS = ("loss", "lr", "grad_norm", "tokens", "tokens_per_s", "elapsed_s")
EVAL_FIELDS = ("valid_loss", "valid_accuracy", "valid_bleu", "valid_chrf")


class RunLogError(ValueError):
    """A run log cannot be written or read; the message is one line."""


def default_path(checkpoint: str | os.PathLike) -> Path:
    """The run log beside a checkpoint: ``out/run.safetensors`` -> ``out/run.runlog.jsonl``."""
    path = Path(checkpoint)
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    return path.with_name(stem + SUFFIX)


def _clean(value: Any) -> Any:
    """JSON-safe: numpy scalars to Python, non-finite floats to None, tuples to lists."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


class RunLog:
    """Appends records to a JSON Lines file, one flushed line per record."""

    def __init__(self, path: str | os.PathLike, config: dict[str, Any], append: bool = False):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = open(self.path, "a" if append else "w", encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise RunLogError(f"{self.path}: cannot write the run log ({exc.strerror or exc})") from None
        self.write("config", format=FORMAT, time=time.strftime("%Y-%m-%dT%H:%M:%S%z"), **config)

    def write(self, kind: str, **fields: Any) -> None:
        self._fh.write(json.dumps(_clean({"kind": kind, **fields}), ensure_ascii=False) + "\n")
        self._fh.flush()

    def step(self, report, tokens: int | None = None) -> None:
        """A step record from a StepReport (``tokens``: the step's tokens across processes);
        an eval record too when the report carries an evaluation."""
        fields = {name: getattr(report, name) for name in STEP_FIELDS}
        if tokens is not None:
            fields["tokens"] = tokens
            fields["tokens_per_s"] = report.tokens_per_s * tokens / max(report.tokens, 1)
        self.write("step", step=report.step, **fields)
        if report.valid_loss is not None:
            self.write("eval", step=report.step, **{name: getattr(report, name) for name in EVAL_FIELDS})

    def close(self, **fields: Any) -> None:
        if self._fh.closed:
            return
        self.write("end", **fields)
        self._fh.close()


@dataclass
class RunLogData:
    """A run log read back: the config records and the curves as arrays."""

    path: Path
    configs: list[dict[str, Any]]
    steps: dict[str, np.ndarray]  # "step" and each of STEP_FIELDS, one value per step record
    evals: dict[str, np.ndarray]  # "step" and each of EVAL_FIELDS, one value per evaluation
    ends: list[dict[str, Any]] = field(default_factory=list)
    bad_lines: int = 0

    @property
    def config(self) -> dict[str, Any]:
        """The first run's config record."""
        return self.configs[0] if self.configs else {}


def _columns(rows: list[dict[str, Any]], names: tuple[str, ...]) -> dict[str, np.ndarray]:
    out = {"step": np.array([r.get("step", 0) for r in rows], dtype=np.int64)}
    for name in names:
        out[name] = np.array([np.nan if r.get(name) is None else r[name] for r in rows], dtype=np.float64)
    return out


def read_run_log(path: str | os.PathLike) -> RunLogData:
    """Read a run log. Lines that are not JSON objects (a line cut short by a crash) are
    counted in ``bad_lines`` and skipped; a file with no config record raises RunLogError."""
    path = Path(path)
    configs, steps, evals, ends, bad = [], [], [], [], 0
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                try:
                    record = json.loads(line)
                except ValueError:
                    bad += 1
                    continue
                kind = record.get("kind") if isinstance(record, dict) else None
                target = {"config": configs, "step": steps, "eval": evals, "end": ends}.get(kind)
                if target is None:
                    bad += 1
                else:
                    target.append(record)
    except (OSError, UnicodeDecodeError) as exc:
        raise RunLogError(f"{path}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None
    if not configs or configs[0].get("format") != FORMAT:
        raise RunLogError(f"{path}: not a Transformer Explorer run log")
    return RunLogData(path, configs, _columns(steps, STEP_FIELDS), _columns(evals, EVAL_FIELDS), ends, bad)


def attention_image(weights: np.ndarray, cell: int = 8) -> np.ndarray:
    """(H, T, S) attention weights -> (1, T*cell, H*(S*cell+1)-1) grey image in [0, 1]
    (dark = high weight), each weight a cell x cell square, heads side by side with a
    one-pixel white gap."""
    H, T, S = weights.shape
    width = S * cell
    out = np.ones((1, T * cell, H * (width + 1) - 1), dtype=np.float32)
    for h in range(H):
        block = np.kron(1.0 - np.clip(weights[h], 0.0, 1.0), np.ones((cell, cell)))
        out[0, :, h * (width + 1): h * (width + 1) + width] = block
    return out


class TensorBoardLog:
    """Scalars of every step and evaluation, and the probe's attention at each evaluation,
    as TensorBoard event files in ``directory``."""

    def __init__(self, directory: str | os.PathLike, purge_step: int | None = None):
        try:
            from torch.utils.tensorboard import SummaryWriter
        except ImportError:
            raise RunLogError("--tensorboard needs the tensorboard package: "
                              "pip install 'transformer-explorer[tensorboard]'") from None
        self.writer = SummaryWriter(log_dir=str(directory), purge_step=purge_step)

    def step(self, report, tokens: int | None = None) -> None:
        s = report.step
        w = self.writer
        w.add_scalar("train/loss", report.loss, s)
        w.add_scalar("train/lr", report.lr, s)
        w.add_scalar("train/grad_norm", report.grad_norm, s)
        scale = 1.0 if tokens is None else tokens / max(report.tokens, 1)
        w.add_scalar("train/tokens_per_s", report.tokens_per_s * scale, s)
        if report.valid_loss is not None:
            for name in EVAL_FIELDS:
                w.add_scalar("valid/" + name.removeprefix("valid_"), getattr(report, name), s)

    def attention(self, trace, step: int) -> None:
        """The last layer of each kind of attention of a ModelTrace, heads side by side."""
        for kind in ("enc_self", "dec_self", "cross"):
            layers = getattr(trace, kind)
            if layers:
                self.writer.add_image(f"attention/{kind}", attention_image(layers[-1].weights), step)

    def close(self) -> None:
        self.writer.close()


class RunLogs:
    """The run log and the optional TensorBoard writer of one training run, fed together."""

    def __init__(self, run_log: RunLog | None, tensorboard: TensorBoardLog | None):
        self.run_log, self.tensorboard = run_log, tensorboard

    def step(self, report, trainer, tokens: int | None = None) -> None:
        """Record a step (and its evaluation, with the probe's attention for TensorBoard)."""
        if self.run_log is not None:
            self.run_log.step(report, tokens)
        if self.tensorboard is not None:
            self.tensorboard.step(report, tokens)
            if report.valid_loss is not None:
                self.tensorboard.attention(trainer.trace(*trainer.probe), report.step)

    def close(self, **fields: Any) -> None:
        if self.run_log is not None:
            self.run_log.close(**fields)
        if self.tensorboard is not None:
            self.tensorboard.close()


def run_config(args, trainer, world_size: int, n_params: int) -> dict[str, Any]:
    """The config record of a ``train`` run: configs as used, options as given."""
    options = {k: v for k, v in vars(args).items() if k not in ("command",)}
    return {
        "model": trainer.model_config.to_dict(),
        "train": trainer.train_cfg.to_dict(),
        "options": options,
        "corpus": trainer.corpus_spec,
        "tokenizer": trainer.src_tok.kind,
        "vocab": [trainer.src_tok.vocab_size, trainer.tgt_tok.vocab_size],
        "training_pairs": len(trainer.data["train"].src),
        "parameters": n_params,
        "device": trainer.device.type,
        "start_step": trainer.step_count,
        "world_size": world_size,
        "effective_batch_tokens": world_size * trainer.train_cfg.batch_tokens,
        "lr_schedule_unit": "global optimiser step (all processes together)",
    }


def open_run_logs(args, trainer, scale, n_params: int) -> RunLogs:
    """The run log (``--run-log``, default beside ``--out``; ``none`` for none) and the
    TensorBoard writer (``--tensorboard DIR``) a ``train`` run asks for."""
    config = run_config(args, trainer, scale.world_size, n_params)
    run_log = None
    if (args.run_log or "").lower() != "none":
        path = Path(args.run_log) if args.run_log else default_path(args.out)
        run_log = RunLog(path, config, append=bool(args.resume))
    tensorboard = None
    if args.tensorboard:
        tensorboard = TensorBoardLog(args.tensorboard, purge_step=trainer.step_count + 1 if args.resume else None)
    return RunLogs(run_log, tensorboard)
