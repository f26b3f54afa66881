"""CPU fast paths: the same computations as the plain code in model/transformer.py and
model/attention.py, arranged to run faster on a CPU. Read those files first; this one only
matters for speed.

One switch, ``ENABLED`` (or the ``enabled(False)`` context for a block): off, the model runs
its plain code everywhere. Tests check that both give the same numbers (dropout: the same
statistics, since the masks come from another generator).

- ``dropout``: ``nn.Dropout`` draws its mask with ``bernoulli_``, one number per element
  from torch's CPU generator (a Mersenne Twister, run on one thread); dropout was a tenth of
  a small model's training step. Here the mask comes from 64-bit integers drawn by numpy's
  PCG64 generator, about five times faster per bit, seeded for each call from torch's
  generator, so ``torch.manual_seed`` still makes a run reproducible. Each 64-bit integer
  decides four elements: its four 16-bit quarters, uniform on [-32768, 32767], keep an
  element when at least ``-32768 + round(p * 65536)``, so with probability ``1 - p`` (``p``
  rounded to a multiple of 1/65536). Kept elements are scaled by ``1 / (1 - p)``.
- ``padded_linear``: a matmul whose output rows are not a multiple of 16 floats (64 bytes)
  long runs at about two thirds of the speed on CPU (611 columns, the shipped en-de
  vocabulary: 5 ms against 3). In training, the output projection's weight gets zero rows
  up to the next multiple of 16, and the logits of those rows are cut off again.
- ``split_heads``: Q, K and V come from one projection (B, T, 3D). Splitting them first and
  then swapping T and H lets backward stack their gradients straight back into the
  projection's (B, T, 3, H, Dh) layout; permuting first makes backward stack them
  head-first and copy the stack back (one copy of the activations more per block).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import torch
import torch.nn.functional as F

ENABLED = True


@contextmanager
def enabled(on: bool) -> Iterator[None]:
    """Run a block with the fast paths on or off, then restore the switch."""
    global ENABLED
    before, ENABLED = ENABLED, on
    try:
        yield
    finally:
        ENABLED = before


def on_cpu(x: torch.Tensor) -> bool:
    """Whether the CPU fast paths apply to this tensor."""
    return ENABLED and x.device.type == "cpu"


def dropout(x: torch.Tensor, p: float) -> torch.Tensor:
    """Inverted dropout of x with a mask drawn by numpy's PCG64 (see the module docstring)."""
    n = x.numel()
    seed = int(torch.randint(2**63 - 1, ()))  # from torch's generator: seeded runs repeat
    words = np.random.Generator(np.random.PCG64(seed)).integers(0, 2**64, (n + 3) // 4, dtype=np.uint64)
    quarters = torch.from_numpy(words).view(torch.int16)[:n].reshape(x.shape)
    threshold = -32768 + round(p * 65536)  # a 16-bit quarter >= this keeps its element
    keep = (quarters >= threshold).to(x.dtype).mul_(1.0 / (1.0 - p))
    return x * keep


def padded_linear(h: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """``F.linear(h, weight)`` (no bias) with weight's rows padded to a multiple of 16."""
    short = -weight.size(0) % 16
    if not short:
        return F.linear(h, weight)
    padded = torch.cat((weight, weight.new_zeros(short, weight.size(1))))
    return F.linear(h, padded)[..., : weight.size(0)]


def split_heads(x: torch.Tensor, n: int, n_heads: int, head_dim: int) -> tuple[torch.Tensor, ...]:
    """(B, T, n*H*Dh) -> n views of shape (B, H, T, Dh): split first, then transpose."""
    B, T, _ = x.shape
    parts = x.view(B, T, n, n_heads, head_dim).unbind(2)  # (B, T, H, Dh) each
    return tuple(part.transpose(1, 2) for part in parts)
