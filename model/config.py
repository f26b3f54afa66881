"""Configuration dataclasses for the translator and its training.

Each config is frozen and passed whole to the modules that need it (as in nanoGPT).
Both serialise to and from plain JSON dictionaries so a checkpoint can carry them.
"""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

POSITIONAL_KINDS = ("sinusoidal", "learned", "rotary", "none")
ACTIVATION_KINDS = ("relu", "gelu", "silu")


def _from_dict(cls, data: dict[str, Any]):
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = set(data) - names
    if unknown:
        raise ValueError(f"{cls.__name__}: unknown field(s) {sorted(unknown)}")
    return cls(**data)


@dataclass(frozen=True)
class ModelConfig:
    """Shape of the encoder-decoder Transformer.

    Args:
        src_vocab, tgt_vocab: vocabulary sizes (index 0 is always <pad>).
        d_model: width of every token vector.
        n_heads: attention heads per layer; d_model must be divisible by it.
        n_layers: encoder layers; n_dec_layers: decoder layers (None = n_layers).
        d_ff: hidden width of the feed-forward block.
        activation: the feed-forward's non-linearity, "relu" (the paper's), "gelu" or
            "silu" (x * sigmoid(x), "swish", as in Marian's opus-mt models).
        dropout: dropout probability used in training.
        max_len: longest sequence (positions) the model accepts.
        pos_encoding: "sinusoidal" or "learned" (added to the embeddings),
            "rotary" (rotates Q and K), or "none".
        norm_first: pre-norm (True) or post-norm as in the original paper (False).
        tie_embeddings: share the decoder's input embedding with the output projection.
        share_embeddings: one embedding table for source and target (needs equal vocabularies;
            Marian shares one table between encoder, decoder and output layer).
        pos_layout: where the sinusoidal table puts sines and cosines: "interleaved"
            (the paper's: sin at even, cos at odd dimensions) or "split" (all sines, then
            all cosines, as Marian and fairseq do).
        logits_bias: a fixed (not trained) bias added to every logit (Marian's
            ``final_logits_bias``).
    """

    src_vocab: int
    tgt_vocab: int
    d_model: int = 128
    n_heads: int = 4
    n_layers: int = 2
    n_dec_layers: int | None = None
    d_ff: int = 512
    activation: str = "relu"
    dropout: float = 0.1
    max_len: int = 128
    pos_encoding: str = "sinusoidal"
    norm_first: bool = True
    tie_embeddings: bool = True
    pad_id: int = 0
    share_embeddings: bool = False
    pos_layout: str = "interleaved"
    logits_bias: bool = False

    def __post_init__(self) -> None:
        if self.d_model % self.n_heads:
            raise ValueError(f"d_model={self.d_model} is not divisible by n_heads={self.n_heads}")
        if self.pos_encoding not in POSITIONAL_KINDS:
            raise ValueError(f"pos_encoding must be one of {POSITIONAL_KINDS}, not {self.pos_encoding!r}")
        if self.activation not in ACTIVATION_KINDS:
            raise ValueError(f"activation must be one of {ACTIVATION_KINDS}, not {self.activation!r}")
        if self.pos_layout not in ("interleaved", "split"):
            raise ValueError(f"pos_layout must be 'interleaved' or 'split', not {self.pos_layout!r}")
        if self.share_embeddings and self.src_vocab != self.tgt_vocab:
            raise ValueError("share_embeddings needs src_vocab == tgt_vocab")
        if self.pos_encoding == "rotary" and self.head_dim % 2:
            raise ValueError("rotary encoding needs an even head dimension")
        for name in ("src_vocab", "tgt_vocab", "d_model", "n_heads", "n_layers", "d_ff", "max_len"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError("dropout must be in [0, 1)")

    @property
    def head_dim(self) -> int:
        return self.d_model // self.n_heads

    @property
    def dec_layers(self) -> int:
        return self.n_dec_layers if self.n_dec_layers is not None else self.n_layers

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelConfig:
        return _from_dict(cls, data)

    def replace(self, **changes: Any) -> ModelConfig:
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class TrainConfig:
    """How the translator is trained.

    Args:
        batch_tokens: target tokens per batch (batches are built by length).
        lr: peak learning rate multiplier. With schedule="noam" the rate at step s is
            lr * d_model**-0.5 * min(s**-0.5, s * warmup**-1.5) (the paper's warm-up);
            with "constant" it is lr after a linear warm-up.
        warmup: warm-up steps.
        label_smoothing: epsilon of label-smoothed cross-entropy.
        clip_norm: gradient norm clipping (0 disables).
        seed: seeds torch, numpy and batching; the same seed gives the same run.
        eval_every: steps between validation reports (0 disables).
        eval_sentences: validation pairs decoded for BLEU/chrF at each evaluation.
        device: "auto" (CUDA, then MPS, then CPU), "cpu", "cuda" or "mps".
    """

    batch_tokens: int = 2048
    lr: float = 2.0
    schedule: str = "noam"
    warmup: int = 400
    betas: tuple[float, float] = (0.9, 0.98)
    weight_decay: float = 0.0
    label_smoothing: float = 0.1
    clip_norm: float = 1.0
    seed: int = 0
    eval_every: int = 200
    eval_sentences: int = 200
    device: str = "auto"
    snapshot_every: int = 0
    max_snapshots: int = 64

    def __post_init__(self) -> None:
        if self.schedule not in ("noam", "constant"):
            raise ValueError("schedule must be 'noam' or 'constant'")
        if self.batch_tokens <= 0 or self.lr <= 0:
            raise ValueError("batch_tokens and lr must be positive")

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["betas"] = list(self.betas)
        return d

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainConfig:
        data = dict(data)
        if "betas" in data:
            data["betas"] = tuple(data["betas"])
        return _from_dict(cls, data)

    def replace(self, **changes: Any) -> TrainConfig:
        return dataclasses.replace(self, **changes)


def load_json_config(path: str) -> dict[str, Any]:
    """Read a JSON file holding {"model": {...}, "train": {...}} (either part optional)."""
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a JSON object")
    return data
