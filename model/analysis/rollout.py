"""Attention rollout (Abnar & Zuidema 2020), and output-to-source relevance through it.

Each layer's attention, averaged over heads, is mixed with the residual connection,
M_l = 0.5 A_l + 0.5 I, rows renormalised; the rollout multiplies these from the first
layer up, R_l = M_l R_{l-1}, so row i of R says how much of each input token has flowed
into position i after layer l. The decoder's cross-attention reads the encoder's last
output, so composing it with the encoder's rollout, C_l = A_cross,l R_enc, relates every
output position to the *source tokens* (not to encoder positions). Rows of all of these
sum to 1; with identity attention the rollout is the identity (tests/model/test_analysis_rollout.py).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from model.trace import ModelTrace


def residual_mix(weights: np.ndarray, residual: float = 0.5) -> np.ndarray:
    """(H, T, T) or (T, T) attention -> (1 - residual) A + residual I, rows renormalised."""
    a = weights.mean(0) if weights.ndim == 3 else weights
    m = (1.0 - residual) * a + residual * np.eye(a.shape[0])
    return m / m.sum(1, keepdims=True)


def rollout(layers: Sequence[np.ndarray], residual: float = 0.5) -> np.ndarray:
    """(L, T, T): the rollout after each layer (layers: (H, T, T) attention per layer, from the first)."""
    out, r = [], None
    for w in layers:
        m = residual_mix(w, residual)
        r = m if r is None else m @ r
        out.append(r)
    return np.stack(out)


@dataclass(frozen=True)
class Rollout:
    """enc: (L_enc, S, S) encoder rollout after each layer; cross: (L_dec, T, S) each decoder
    layer's head-averaged cross-attention composed with the full encoder rollout;
    relevance: (T, S) their mean over decoder layers: each output's relevance to the source."""

    src_tokens: tuple[str, ...]
    tgt_tokens: tuple[str, ...]
    out_tokens: tuple[str, ...]
    enc: np.ndarray
    cross: np.ndarray
    relevance: np.ndarray


def trace_rollout(trace: ModelTrace, residual: float = 0.5) -> Rollout:
    """The rollout of one traced sentence."""
    enc = rollout([b.weights for b in trace.enc_self], residual)
    final = enc[-1] if len(enc) else np.eye(len(trace.src_tokens))
    cross = np.stack([b.weights.mean(0) @ final for b in trace.cross])
    return Rollout(trace.src_tokens, trace.tgt_tokens, trace.out_tokens, enc, cross, cross.mean(0))
