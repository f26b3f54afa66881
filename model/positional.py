"""Positional encodings: how a Transformer learns where each token stands.

Three ways, all selected by ``ModelConfig.pos_encoding``:

* ``sinusoidal`` (Vaswani et al. 2017): a fixed table P added to the token vectors X,
  PE(pos, 2i) = sin(pos / 10000^(2i/D)), PE(pos, 2i+1) = cos(pos / 10000^(2i/D)).
* ``learned``: a trainable table P of the same shape, also added to X.
* ``rotary`` (RoFormer, Su et al. 2021): nothing is added; instead every query and key
  vector is *multiplied* by a rotation whose angle grows with its position, pair of
  dimensions (2i, 2i+1) by pair, so that q·k depends only on the offset between them.
"""

from __future__ import annotations

import torch
from torch import nn


def _frequencies(n_pairs: int, dim: int, base: float) -> torch.Tensor:
    """1 / base^(2i/dim) for i = 0 .. n_pairs-1.  Shape: (n_pairs,)."""
    return base ** (-torch.arange(0, n_pairs, dtype=torch.float64) * 2.0 / dim)


def sinusoidal_table(n_pos: int, d_model: int, layout: str = "interleaved") -> torch.Tensor:
    """The fixed sinusoidal position table of the original Transformer.

    Args:
        n_pos: number of positions (rows).
        d_model: width of each position vector; must be even.
        layout: "interleaved" puts sin at even and cos at odd dimensions, as in the paper;
            "split" puts all sines in the first half and all cosines in the second half
            (the same numbers, reordered; easier to read as a heatmap).

    Returns:
        float32 tensor of shape (n_pos, d_model).
    """
    if d_model % 2:
        raise ValueError("sinusoidal encoding needs an even d_model")
    positions = torch.arange(n_pos, dtype=torch.float64)[:, None]  # (P, 1)
    angles = positions * _frequencies(d_model // 2, d_model, 10000.0)  # (P, D/2)
    if layout == "interleaved":
        table = torch.stack((angles.sin(), angles.cos()), dim=-1).flatten(1)  # (P, D)
    elif layout == "split":
        table = torch.cat((angles.sin(), angles.cos()), dim=-1)  # (P, D)
    else:
        raise ValueError(f"layout must be 'interleaved' or 'split', not {layout!r}")
    return table.float()


class SinusoidalPositional(nn.Module):
    """Fixed sinusoidal positions (no parameters): forward(T, offset) -> (T, D).

    ``layout`` is that of :func:`sinusoidal_table` ("split" for Marian's models)."""

    def __init__(self, max_len: int, d_model: int, layout: str = "interleaved"):
        super().__init__()
        self.layout = layout
        self.register_buffer("table", sinusoidal_table(max_len, d_model, layout), persistent=False)

    def forward(self, length: int, offset: int = 0) -> torch.Tensor:
        return self.table[offset : offset + length]  # (T, D)


class LearnedPositional(nn.Module):
    """A trainable table of position vectors: forward(T, offset) -> (T, D).

    Initialised like the token embeddings' unscaled rows, N(0, 1/D), as fairseq does.
    """

    def __init__(self, max_len: int, d_model: int):
        super().__init__()
        # Filled by Seq2Seq._init_weights after every other weight, so models that differ
        # only in their positional encoding start from the same numbers elsewhere.
        self.weight = nn.Parameter(torch.zeros(max_len, d_model))

    def forward(self, length: int, offset: int = 0) -> torch.Tensor:
        return self.weight[offset : offset + length]  # (T, D)


def rotary_cos_sin(
    n_pos: int, head_dim: int, base: float = 10000.0
) -> tuple[torch.Tensor, torch.Tensor]:
    """Cosines and sines of the rotary angles pos * base^(-2i/head_dim).

    Returns:
        (cos, sin), each float32 of shape (n_pos, head_dim // 2): one angle per position
        and per pair of dimensions (2i, 2i+1).
    """
    if head_dim % 2:
        raise ValueError("rotary encoding needs an even head dimension")
    positions = torch.arange(n_pos, dtype=torch.float64)[:, None]  # (P, 1)
    angles = positions * _frequencies(head_dim // 2, head_dim, base)  # (P, Dh/2)
    return angles.cos().float(), angles.sin().float()


def apply_rotary(
    x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor, offset: int = 0
) -> torch.Tensor:
    """Rotate each pair of dimensions (2i, 2i+1) of x by its position's angle.

    Args:
        x: (B, H, T, Dh) queries or keys; position t of x is absolute position offset + t.
        cos, sin: (n_pos, Dh // 2) from :func:`rotary_cos_sin`.
        offset: absolute position of x[..., 0, :] (used when decoding step by step).

    Returns:
        (B, H, T, Dh): (x_2i, x_2i+1) -> (x_2i cos - x_2i+1 sin, x_2i sin + x_2i+1 cos).
    """
    T = x.size(-2)
    cos, sin = cos[offset : offset + T], sin[offset : offset + T]  # (T, Dh/2)
    x_even, x_odd = x[..., 0::2], x[..., 1::2]  # (B, H, T, Dh/2) each
    rotated = torch.stack((x_even * cos - x_odd * sin, x_even * sin + x_odd * cos), dim=-1)
    return rotated.flatten(-2)  # (B, H, T, Dh)
