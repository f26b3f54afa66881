"""Checkpoints: one safetensors file holding the weights, with everything else as JSON in
its header metadata (model and training config, both tokenizers, corpus spec, step, metrics).

Nothing here unpickles: safetensors stores raw tensors and a JSON header, so loading a
file can never run code from it. Writes go to a temporary file in the same folder that is
then renamed over the target, so a crash never leaves a half-written checkpoint.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from safetensors import safe_open
from safetensors.torch import save_file

from model.config import ModelConfig, TrainConfig
from model.tokenizer import Tokenizer

FORMAT = "transformer-explorer/1"
OPTIM_PREFIX = "optim."


class CheckpointError(ValueError):
    """A checkpoint could not be read; the message is one line naming the file."""


@dataclass
class Checkpoint:
    model_config: ModelConfig
    train_config: TrainConfig
    src_tokenizer: Tokenizer
    tgt_tokenizer: Tokenizer
    weights: dict[str, torch.Tensor]
    step: int = 0
    corpus: str = ""
    metrics: dict[str, Any] = field(default_factory=dict)
    optimizer: dict[str, torch.Tensor] = field(default_factory=dict)


def save_checkpoint(path: str | os.PathLike, ckpt: Checkpoint) -> Path:
    """Write ``ckpt`` to ``path`` atomically (temporary file, then rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    metadata = {
        "format": FORMAT,
        "model_config": json.dumps(ckpt.model_config.to_dict()),
        "train_config": json.dumps(ckpt.train_config.to_dict()),
        "src_tokenizer": json.dumps(ckpt.src_tokenizer.to_dict(), ensure_ascii=False),
        "tgt_tokenizer": json.dumps(ckpt.tgt_tokenizer.to_dict(), ensure_ascii=False),
        "step": str(int(ckpt.step)),
        "corpus": ckpt.corpus,
        "metrics": json.dumps(ckpt.metrics),
    }
    # clone: tied weights share storage, which safetensors refuses to write twice
    tensors = {name: t.detach().to("cpu").clone() for name, t in ckpt.weights.items()}
    for name, t in ckpt.optimizer.items():
        tensors[OPTIM_PREFIX + name] = t.detach().to("cpu").clone()
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        save_file(tensors, tmp, metadata=metadata)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def read_metadata(path: str | os.PathLike) -> dict[str, str]:
    """The JSON header of a checkpoint, without reading the weights."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"{path}: no such checkpoint file")
    try:
        with safe_open(str(path), framework="pt") as fh:
            meta = fh.metadata() or {}
    except Exception as exc:  # noqa: BLE001  (safetensors raises several types for a bad file)
        raise CheckpointError(f"{path}: not a safetensors checkpoint ({_one_line(exc)})") from None
    if meta.get("format") != FORMAT:
        raise CheckpointError(f"{path}: a safetensors file, but not a Transformer Explorer checkpoint")
    return meta


def load_checkpoint(path: str | os.PathLike, device: str = "cpu") -> Checkpoint:
    """Read a checkpoint written by :func:`save_checkpoint`.

    Raises CheckpointError (one line naming the file) for a missing, truncated or foreign
    file, or one whose config, tokenizers and weights do not fit together.
    """
    path = Path(path)
    meta = read_metadata(path)
    try:
        model_cfg = ModelConfig.from_dict(json.loads(meta["model_config"]))
        train_cfg = TrainConfig.from_dict(json.loads(meta["train_config"]))
        src_tok = Tokenizer.from_dict(json.loads(meta["src_tokenizer"]))
        tgt_tok = Tokenizer.from_dict(json.loads(meta["tgt_tokenizer"]))
        step = int(meta.get("step", "0"))
        metrics = json.loads(meta.get("metrics", "{}"))
    except (KeyError, ValueError, TypeError) as exc:
        raise CheckpointError(f"{path}: damaged checkpoint header ({_one_line(exc)})") from None
    weights: dict[str, torch.Tensor] = {}
    optim: dict[str, torch.Tensor] = {}
    try:
        with safe_open(str(path), framework="pt", device=device) as fh:
            for name in fh.keys():  # noqa: SIM118  (safe_open is not iterable)
                tensor = fh.get_tensor(name)
                if name.startswith(OPTIM_PREFIX):
                    optim[name[len(OPTIM_PREFIX):]] = tensor
                else:
                    weights[name] = tensor
    except Exception as exc:  # noqa: BLE001  (as above)
        raise CheckpointError(f"{path}: truncated or damaged weights ({_one_line(exc)})") from None
    if src_tok.vocab_size != model_cfg.src_vocab or tgt_tok.vocab_size != model_cfg.tgt_vocab:
        raise CheckpointError(
            f"{path}: vocabulary sizes ({src_tok.vocab_size}, {tgt_tok.vocab_size}) do not fit "
            f"the model config ({model_cfg.src_vocab}, {model_cfg.tgt_vocab})"
        )
    return Checkpoint(model_cfg, train_cfg, src_tok, tgt_tok, weights, step,
                      meta.get("corpus", ""), metrics, optim)


def check_weights_fit(path: str | os.PathLike, module: torch.nn.Module,
                      weights: dict[str, torch.Tensor]) -> None:
    """Raise CheckpointError unless ``weights`` has exactly the module's parameter names and shapes."""
    expected = {k: tuple(v.shape) for k, v in module.state_dict().items()}
    got = {k: tuple(v.shape) for k, v in weights.items()}
    missing = sorted(set(expected) - set(got))
    extra = sorted(set(got) - set(expected))
    if missing or extra:
        raise CheckpointError(
            f"{path}: weights do not fit the model (missing {missing[:3]}, unexpected {extra[:3]})")
    wrong = [k for k in expected if expected[k] != got[k]]
    if wrong:
        k = wrong[0]
        raise CheckpointError(f"{path}: weight {k} has shape {got[k]}, the model expects {expected[k]}")


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__
