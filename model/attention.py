"""Multi-head attention, with a fast path and a traced path that shows every step.

    Q = X_q Wq,  K = X_kv Wk,  V = X_kv Wv                      (per head: Dh columns each)
    A = Q Kᵀ                       raw scores, signed
    A' = softmax(A / sqrt(Dh), blocked cells = -inf)            row by row
    context = A' V,  concat = [context_1 ... context_H],  output = concat Wo

The fast path hands Q, K, V to ``F.scaled_dot_product_attention`` and keeps nothing.
As in the paper, there is no dropout on the attention weights (dropout acts on each
sub-layer's output, in the layers of model/transformer.py), so both paths are exact.
The traced path computes the same thing step by step and records every intermediate in
an :class:`AttentionParts`; tests check that both paths agree.

Heads can be switched off (``MultiHeadAttention.head_mask``, see model/analysis/heads.py):
head h's share of the output is ``context_h Wo[h] + bo / H``, so with every head of a
block off its output is exactly zero, and with no mask (None) nothing changes.

Masks are *allowed* masks everywhere: True where a query may attend to a key, as
``F.scaled_dot_product_attention`` takes them (``nn.MultiheadAttention`` uses the opposite).
Every query must be allowed at least one key.

On CUDA, :func:`avoid_per_shape_kernels` keeps ``scaled_dot_product_attention`` off cuDNN's
attention, which builds a plan for every new (batch, length) shape: batches built by
length and decoding one position at a time meet a new shape at almost every call.
"""

from __future__ import annotations

import contextlib
import math
import weakref
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from model import fastpaths
from model.config import ModelConfig
from model.positional import apply_rotary
from model.trace import AttentionTrace


def avoid_per_shape_kernels() -> None:
    """Leave cuDNN's attention out of ``F.scaled_dot_product_attention``'s choice on CUDA
    (the flash and memory-efficient kernels remain): cuDNN builds a plan for each new
    shape, and training batches come in many shapes. Measured on an H200 fine-tuning
    opus-mt-en-de's shape at 8,192 tokens a step: 60 steps 19.0 s with it, 4.6 s without,
    the same losses (benchmarks/README.md). Process-wide, like the setting it changes."""
    if hasattr(torch.backends.cuda, "enable_cudnn_sdp"):
        torch.backends.cuda.enable_cudnn_sdp(False)


@dataclass
class BlockCache:
    """Keys and values of one attention block kept between decoding steps.

    k, v: (B, H, t, Dh). Self-attention appends the new positions at every step;
    cross-attention fills them once from the encoder output and reuses them.
    """

    k: torch.Tensor | None = None
    v: torch.Tensor | None = None


@dataclass
class KVCache:
    """One :class:`BlockCache` per decoder layer, for self- and for cross-attention."""

    self_attn: list[BlockCache]
    cross_attn: list[BlockCache]

    @classmethod
    def empty(cls, n_layers: int) -> KVCache:
        return cls([BlockCache() for _ in range(n_layers)], [BlockCache() for _ in range(n_layers)])

    def reorder(self, index: torch.Tensor) -> None:
        """Keep batch rows ``index`` (B',) of the self-attention caches, e.g. the surviving beams.

        Cross-attention caches are left alone: beam search only reorders hypotheses of the
        same sentence, which share the same encoder keys and values.
        """
        for block in self.self_attn:
            if block.k is not None:
                block.k, block.v = block.k.index_select(0, index), block.v.index_select(0, index)


@dataclass
class AttentionParts:
    """Every intermediate of one traced attention call, batch dimension kept (torch tensors).

    Shapes: x_q (B, T, D), x_kv (B, S, D), q (B, H, T, Dh), k and v (B, H, S, Dh),
    scores and weights (B, H, T, S), allowed broadcastable to (B, 1, T, S) or None (all allowed),
    context (B, H, T, Dh), concat and output (B, T, D); w_q, w_k, w_v, w_o (D, D);
    b_q, b_k, b_v, b_o (D,) the biases as used (b_o scaled by the share of heads left on).
    """

    x_q: torch.Tensor
    x_kv: torch.Tensor
    q: torch.Tensor
    k: torch.Tensor
    v: torch.Tensor
    scores: torch.Tensor
    allowed: torch.Tensor | None
    weights: torch.Tensor
    context: torch.Tensor
    concat: torch.Tensor
    output: torch.Tensor
    w_q: torch.Tensor
    w_k: torch.Tensor
    w_v: torch.Tensor
    w_o: torch.Tensor
    b_q: torch.Tensor
    b_k: torch.Tensor
    b_v: torch.Tensor
    b_o: torch.Tensor
    kind: str = field(default="")

    def report(self, layer: int, index: int = 0) -> AttentionTrace:
        """Numpy copies of batch row ``index`` as the UI's :class:`AttentionTrace`."""

        def copy(t: torch.Tensor) -> np.ndarray:
            return t.detach().cpu().numpy().copy()

        T, S = self.scores.shape[-2:]
        if self.allowed is None:
            allowed = np.ones((T, S), dtype=bool)
        else:
            allowed = copy(self.allowed.expand(self.scores.size(0), 1, T, S)[index, 0])
        return AttentionTrace(
            kind=self.kind,
            layer=layer,
            x_q=copy(self.x_q[index]),
            x_kv=copy(self.x_kv[index]),
            w_q=weight_copy(self.w_q),
            w_k=weight_copy(self.w_k),
            w_v=weight_copy(self.w_v),
            w_o=weight_copy(self.w_o),
            b_q=copy(self.b_q),
            b_k=copy(self.b_k),
            b_v=copy(self.b_v),
            b_o=copy(self.b_o),
            q=copy(self.q[index]),
            k=copy(self.k[index]),
            v=copy(self.v[index]),
            scores=copy(self.scores[index]),
            allowed=allowed,
            weights=copy(self.weights[index]),
            context=copy(self.context[index]),
            concat=copy(self.concat[index]),
            output=copy(self.output[index]),
        )


# Read-only numpy copies of weight matrices, kept while the weight is unchanged: at a real
# model's size (opus-mt: 18 blocks of four 512 x 512 matrices) copying them for every trace
# costs about 72 MiB a trace; between training steps every trace shares one copy.
_WEIGHT_COPIES: dict[tuple, tuple[weakref.ref, tuple, np.ndarray]] = {}
_MAX_WEIGHT_COPIES = 512


def weight_copy(t: torch.Tensor) -> np.ndarray:
    """A read-only numpy copy of ``t`` (a parameter or a view of one), shared by every
    report taken while the parameter is unchanged.

    "Unchanged" is judged by the tensor's version counter and its sum and norm (in float64):
    fused optimisers update parameters in place without bumping the version counter.
    """
    base = t._base if t._base is not None else t
    key = (id(base), t.storage_offset(), tuple(t.shape), t.stride(), t.dtype, t.device)
    with torch.no_grad():
        mark = (t._version, float(t.sum(dtype=torch.float64)),
                float(torch.linalg.vector_norm(t, dtype=torch.float64)))
    hit = _WEIGHT_COPIES.get(key)
    if hit is not None and hit[0]() is base and hit[1] == mark:
        return hit[2]
    array = t.detach().cpu().numpy().copy()
    array.flags.writeable = False
    if len(_WEIGHT_COPIES) >= _MAX_WEIGHT_COPIES:
        for k in [k for k, (ref, _, _) in _WEIGHT_COPIES.items() if ref() is None] or \
                list(_WEIGHT_COPIES)[: _MAX_WEIGHT_COPIES // 2]:
            del _WEIGHT_COPIES[k]
    with contextlib.suppress(TypeError):  # a tensor that cannot be weakly referenced is not kept
        _WEIGHT_COPIES[key] = (weakref.ref(base), mark, array)
    return array


class MultiHeadAttention(nn.Module):
    """Multi-head attention whose weights are laid out as in ``nn.MultiheadAttention``.

    ``in_proj`` holds [Wq; Wk; Wv] as one (3D, D) linear layer, so self-attention projects
    Q, K and V with a single matmul and cross-attention projects K and V with one.

    Args:
        model_config: model shape (d_model, n_heads).
        kind: "enc_self", "dec_self" or "cross" (self-attention unless "cross").
    """

    def __init__(self, model_config: ModelConfig, kind: str):
        super().__init__()
        self.kind = kind
        self.is_self = kind != "cross"
        self.n_heads, self.head_dim, self.d_model = model_config.n_heads, model_config.head_dim, model_config.d_model
        self.in_proj = nn.Linear(model_config.d_model, 3 * model_config.d_model)
        self.out_proj = nn.Linear(model_config.d_model, model_config.d_model)
        # (H,) 1.0 = head on, 0.0 = off; None: all on. Not a parameter or buffer: never saved.
        self.head_mask: torch.Tensor | None = None

    def _heads(self, x: torch.Tensor, n: int) -> tuple[torch.Tensor, ...]:
        """(B, T, n*D) -> n tensors of shape (B, H, T, Dh), views of x."""
        if fastpaths.ENABLED:
            return fastpaths.split_heads(x, n, self.n_heads, self.head_dim)
        B, T, _ = x.shape
        return tuple(x.view(B, T, n, self.n_heads, self.head_dim).permute(2, 0, 3, 1, 4))

    def _qkv(self, x_q, x_kv, rope, pos, cache):
        """Project to heads, rotate (rotary), and read/extend the decoding cache."""
        D, W, b = self.d_model, self.in_proj.weight, self.in_proj.bias
        if self.is_self:
            q, k, v = self._heads(F.linear(x_q, W, b), 3)  # (B, H, T, Dh) each
            if rope is not None:
                q, k = apply_rotary(q, *rope, offset=pos), apply_rotary(k, *rope, offset=pos)
            if cache is not None:
                if cache.k is not None:
                    k = torch.cat((cache.k, k), dim=2)  # (B, H, pos+T, Dh)
                    v = torch.cat((cache.v, v), dim=2)
                cache.k, cache.v = k, v
            return q, k, v
        (q,) = self._heads(F.linear(x_q, W[:D], b[:D]), 1)  # (B, H, T, Dh)
        if rope is not None:
            q = apply_rotary(q, *rope, offset=pos)
        if cache is not None and cache.k is not None:
            return q, cache.k, cache.v
        k, v = self._heads(F.linear(x_kv, W[D:], b[D:]), 2)  # (B, H, S, Dh) each
        if rope is not None:
            k = apply_rotary(k, *rope)
        if cache is not None:
            cache.k, cache.v = k, v
        return q, k, v

    def _merge(self, context: torch.Tensor) -> torch.Tensor:
        """(B, H, T, Dh) -> (B, T, D): the heads side by side."""
        B, H, T, Dh = context.shape
        return context.transpose(1, 2).reshape(B, T, H * Dh)

    def _out(self, context: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(context, concat, output) with the heads switched off in ``head_mask`` zeroed:
        their context and their share bo / H of the output bias."""
        mask = self.head_mask
        if mask is None:
            concat = self._merge(context)
            return context, concat, self.out_proj(concat)
        mask = mask.to(context.dtype)
        context = context * mask.view(1, -1, 1, 1)
        concat = self._merge(context)
        return context, concat, F.linear(concat, self.out_proj.weight, self.out_proj.bias * mask.mean())

    def forward(
        self,
        x_q: torch.Tensor,
        x_kv: torch.Tensor | None,
        allowed: torch.Tensor | None,
        rope: tuple[torch.Tensor, torch.Tensor] | None = None,
        pos: int = 0,
        cache: BlockCache | None = None,
        record: list[AttentionParts] | None = None,
    ) -> torch.Tensor:
        """Attend from x_q to x_kv.

        Args:
            x_q: (B, T, D) the queries' input.
            x_kv: (B, S, D) the keys' and values' input; ignored for self-attention
                (which uses x_q) and when a filled cross-attention cache is given.
            allowed: bool, broadcastable to (B, 1, T, S_total); None allows everything.
            rope: (cos, sin) tables for rotary encoding, or None.
            pos: absolute position of x_q's first row (for rotary and decoding).
            cache: keys/values kept between decoding steps (updated in place).
            record: when a list is given, the traced path runs and appends its
                :class:`AttentionParts`.

        Returns:
            (B, T, D) output.
        """
        q, k, v = self._qkv(x_q, x_kv, rope, pos, cache)
        if record is None:
            context = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)
            return self._out(context)[2]

        scores = q @ k.transpose(-2, -1)  # (B, H, T, S), raw, before scaling and mask
        scaled = scores / math.sqrt(self.head_dim)
        if allowed is not None:
            scaled = scaled.masked_fill(~allowed, float("-inf"))
        weights = scaled.softmax(dim=-1)  # (B, H, T, S)
        context, concat, output = self._out(weights @ v)  # (B, H, T, Dh), (B, T, D), (B, T, D)
        D = self.d_model
        W, b = self.in_proj.weight, self.in_proj.bias
        b_o = self.out_proj.bias
        if self.head_mask is not None:  # switched-off heads take their share of bo with them
            b_o = b_o * self.head_mask.to(b_o.dtype).mean()
        record.append(
            AttentionParts(
                x_q=x_q,
                x_kv=x_q if self.is_self else x_kv,
                q=q,
                k=k,
                v=v,
                scores=scores,
                allowed=allowed,
                weights=weights,
                context=context,
                concat=concat,
                output=output,
                w_q=W[:D].T,
                w_k=W[D : 2 * D].T,
                w_v=W[2 * D :].T,
                w_o=self.out_proj.weight.T,
                b_q=b[:D],
                b_k=b[D : 2 * D],
                b_v=b[2 * D :],
                b_o=b_o,
                kind=self.kind,
            )
        )
        return output
