"""Switching attention heads off.

A head is named by ``(kind, layer, head)``, kind one of "enc_self", "dec_self", "cross".
Switching it off zeroes its share of the block's output, ``context_h Wo[h] + bo / H``
(model/attention.py): with every head of a block off the block outputs exactly zero, and
with none off the model runs exactly as before (no mask is set at all).

The masks live on the model's attention modules, so the fast path (training, decoding,
evaluation) and the traced path both see them. They are not parameters: checkpoints never
carry them.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import torch

from model.attention import MultiHeadAttention
from model.transformer import Seq2Seq

KINDS = ("enc_self", "dec_self", "cross")
HeadRef = tuple[str, int, int]


def attention_blocks(model: Seq2Seq) -> dict[str, list[MultiHeadAttention]]:
    """The attention modules of each kind, by layer."""
    return {
        "enc_self": [layer.self_attn for layer in model.encoder],
        "dec_self": [layer.self_attn for layer in model.decoder],
        "cross": [layer.cross_attn for layer in model.decoder],
    }


def all_heads(model: Seq2Seq) -> list[HeadRef]:
    """Every head of the model, kind by kind, layer by layer."""
    return [(kind, layer, h)
            for kind, blocks in attention_blocks(model).items()
            for layer, block in enumerate(blocks)
            for h in range(block.n_heads)]


def heads_off_now(model: Seq2Seq) -> frozenset[HeadRef]:
    """The heads currently switched off."""
    return frozenset((kind, layer, h)
                     for kind, blocks in attention_blocks(model).items()
                     for layer, block in enumerate(blocks) if block.head_mask is not None
                     for h in range(block.n_heads) if float(block.head_mask[h]) == 0.0)


def set_heads_off(model: Seq2Seq, off: Iterable[HeadRef]) -> None:
    """Switch exactly the heads in ``off`` off (every other head on).

    Raises:
        ValueError: for a head the model does not have.
    """
    off = set(off)
    blocks = attention_blocks(model)
    for kind, layer, h in off:
        if kind not in blocks or not 0 <= layer < len(blocks[kind]) or not 0 <= h < blocks[kind][layer].n_heads:
            raise ValueError(f"the model has no head {kind} layer {layer} head {h}")
    for kind, layers in blocks.items():
        for layer, block in enumerate(layers):
            heads = [h for h in range(block.n_heads) if (kind, layer, h) in off]
            if not heads:
                block.head_mask = None
                continue
            mask = torch.ones(block.n_heads, device=block.out_proj.weight.device)
            mask[heads] = 0.0
            block.head_mask = mask


@contextmanager
def heads_off(model: Seq2Seq, off: Iterable[HeadRef]) -> Iterator[None]:
    """Run a block with exactly the heads ``off`` switched off, then restore the masks."""
    before = heads_off_now(model)
    set_heads_off(model, off)
    try:
        yield
    finally:
        set_heads_off(model, before)
