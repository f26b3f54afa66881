"""Immutable reports handed from the model to the UI and the command line.

Every array is a numpy *copy* (never a view of a live tensor), so a report can be kept,
drawn and saved while the model goes on training.

Naming used throughout (also the keys of ``inspect``'s .npz file):
    T = query positions, S = key positions, H = heads, Dh = head dim, D = d_model.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class AttentionTrace:
    """One attention block of one layer, for one sentence (batch index removed).

    Attributes:
        kind: "enc_self", "dec_self" or "cross".
        layer: layer index from 0.
        x_q: (T, D) input the queries come from (after the block's layer norm if pre-norm).
        x_kv: (S, D) input the keys/values come from (x_q for self-attention,
            the encoder output for cross-attention).
        w_q, w_k, w_v, w_o: (D, D) projection matrices as used: q = x_q @ w_q + b_q.
        b_q, b_k, b_v, b_o: (D,) the projection biases as used, so that (before rotary and
            the split into heads) q = x_q @ w_q + b_q, k = x_kv @ w_k + b_k,
            v = x_kv @ w_v + b_v, and output = concat @ w_o + b_o exactly.
        q: (H, T, Dh) queries (after rotary, if used); k: (H, S, Dh); v: (H, S, Dh).
        scores: (H, T, S) raw q·kᵀ, signed, before scaling by 1/sqrt(Dh) and before the mask.
        allowed: (T, S) bool, True where a query may attend to a key.
        weights: (H, T, S) softmax(scores / sqrt(Dh) with blocked cells = -inf), before dropout.
        context: (H, T, Dh) weights @ v, per head.
        concat: (T, D) heads concatenated.
        output: (T, D) concat @ w_o + b_o.
    """

    kind: str
    layer: int
    x_q: np.ndarray
    x_kv: np.ndarray
    w_q: np.ndarray
    w_k: np.ndarray
    w_v: np.ndarray
    w_o: np.ndarray
    b_q: np.ndarray
    b_k: np.ndarray
    b_v: np.ndarray
    b_o: np.ndarray
    q: np.ndarray
    k: np.ndarray
    v: np.ndarray
    scores: np.ndarray
    allowed: np.ndarray
    weights: np.ndarray
    context: np.ndarray
    concat: np.ndarray
    output: np.ndarray

    @property
    def n_heads(self) -> int:
        return int(self.weights.shape[0])


@dataclass(frozen=True)
class ModelTrace:
    """Everything the attention, positional and token panels need for one sentence pair.

    Attributes:
        src_tokens: source token strings, in order (length S, including <eos> if used).
        tgt_tokens: decoder input tokens (length T, starting with <bos>).
        out_tokens: what the decoder predicts at each position (length T).
        src_ids, tgt_ids: integer ids of the above.
        src_embed: (S, D) token embeddings (scaled as the model uses them).
        src_pos: (S, D) positional encoding added to them (zeros for rotary/none).
        tgt_embed, tgt_pos: the same for the decoder input.
        enc_self, dec_self, cross: one AttentionTrace per layer.
        logits: (T, V) decoder output scores.
    """

    src_tokens: tuple[str, ...]
    tgt_tokens: tuple[str, ...]
    out_tokens: tuple[str, ...]
    src_ids: np.ndarray
    tgt_ids: np.ndarray
    src_embed: np.ndarray
    src_pos: np.ndarray
    tgt_embed: np.ndarray
    tgt_pos: np.ndarray
    enc_self: tuple[AttentionTrace, ...]
    dec_self: tuple[AttentionTrace, ...]
    cross: tuple[AttentionTrace, ...]
    logits: np.ndarray
    step: int = 0
    # what the model does not see of the source: {"text", "unknown": [words], "unknown_positions",
    # "tokens", "kept_tokens", "cut_at"} (model.inference.SourceCheck.to_dict()); None if unknown
    source: dict | None = None

    def blocks(self, kind: str) -> tuple[AttentionTrace, ...]:
        return {"enc_self": self.enc_self, "dec_self": self.dec_self, "cross": self.cross}[kind]

    def to_npz_dict(self) -> dict[str, np.ndarray]:
        """Flat name -> array mapping, e.g. 'cross.1.weights' (H, T, S)."""
        out: dict[str, np.ndarray] = {
            "src_tokens": np.array(self.src_tokens, dtype=str),
            "tgt_tokens": np.array(self.tgt_tokens, dtype=str),
            "out_tokens": np.array(self.out_tokens, dtype=str),
            "src_ids": self.src_ids,
            "tgt_ids": self.tgt_ids,
            "src_embed": self.src_embed,
            "src_pos": self.src_pos,
            "tgt_embed": self.tgt_embed,
            "tgt_pos": self.tgt_pos,
            "logits": self.logits,
        }
        for kind in ("enc_self", "dec_self", "cross"):
            for block in self.blocks(kind):
                for name in ("x_q", "x_kv", "q", "k", "v", "scores", "allowed", "weights",
                             "context", "concat", "output", "w_q", "w_k", "w_v", "w_o",
                             "b_q", "b_k", "b_v", "b_o"):
                    out[f"{kind}.{block.layer}.{name}"] = getattr(block, name)
        return out


@dataclass(frozen=True)
class StepReport:
    """One optimiser step (or a validation pass when ``valid_loss`` is set).

    loss is the training loss of this step's batch; the valid_* and bleu/chrf fields are
    None except on steps where an evaluation ran. ``nonfinite`` is True when the loss was
    NaN or inf: the step was not applied, and the last good weights kept in memory, those of
    step ``restored_step``, were put back (see ``Trainer.step``).
    """

    step: int
    loss: float
    lr: float
    grad_norm: float
    tokens: int
    tokens_per_s: float
    elapsed_s: float
    valid_loss: float | None = None
    valid_accuracy: float | None = None
    valid_bleu: float | None = None
    valid_chrf: float | None = None
    samples: tuple[tuple[str, str, str], ...] = ()  # (source, reference, output)
    nonfinite: bool = False
    restored_step: int | None = None  # nonfinite: the step whose kept weights were put back
    ce: float | None = None  # the batch's cross-entropy without label smoothing (when recorded)


@dataclass(frozen=True)
class EmbeddingSnapshot:
    """An embedding matrix at one training step, with its token labels."""

    step: int
    name: str  # "src" or "tgt" (or "cbow")
    tokens: tuple[str, ...]
    matrix: np.ndarray  # (V, D)
    word_class: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class StepDetail:
    """One training step in slow motion, on the real tensors of that step.

    Stages, in order: the batch, the forward pass, the backward pass, the update, and the
    probe sentence's attention before and after the update.

    Attributes:
        report: the StepReport of this step.
        src_tokens, tgt_tokens: token strings of the batch, one tuple per sentence (padding dropped).
        token_loss: per sentence, the loss of each target token (same lengths as tgt_tokens).
        grad_norms: parameter-group name -> gradient norm (e.g. "encoder.0.self_attn").
        head_grad_norms: block name (e.g. "encoder.0.self_attn") -> (H,) gradient norm per head
            of that block's Q/K/V projections.
        update_ratio: parameter-group name -> ||Δw|| / ||w|| of this step's update.
        probe_before, probe_after: the probe sentence's trace before and after the update.
    """

    report: StepReport
    src_tokens: tuple[tuple[str, ...], ...]
    tgt_tokens: tuple[tuple[str, ...], ...]
    token_loss: tuple[np.ndarray, ...]
    grad_norms: dict[str, float]
    head_grad_norms: dict[str, np.ndarray]
    update_ratio: dict[str, float]
    probe_before: ModelTrace | None
    probe_after: ModelTrace | None


@dataclass(frozen=True)
class Snapshot:
    """A compact record of the model at one step, kept on the training timeline."""

    step: int
    probe: ModelTrace | None
    # The first min(V, 4096) rows of each table (model.train.SNAPSHOT_ROWS); one array
    # for both sides when the model shares its embedding.
    src_embeddings: np.ndarray  # (V_src, D)
    tgt_embeddings: np.ndarray  # (V_tgt, D)
    pos_table: np.ndarray | None = None  # (max_len, D) learned positional table, if any
    samples: tuple[tuple[str, str, str], ...] = ()  # (source, reference, output) at this step
