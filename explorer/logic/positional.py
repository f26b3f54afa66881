"""What the positional-encodings panel computes, without Qt: the formulas behind its
plots (similarity against offset, rotary and additive scores) and the comparison job that
trains one small model per encoding."""
from __future__ import annotations

import numpy as np
import torch

from model import compare
from model.positional import apply_rotary, rotary_cos_sin, sinusoidal_table


def similarity_by_offset(table: np.ndarray, starts, n_offsets: int) -> np.ndarray:
    """P_m · P_(m+k) for each start m and offset k = 0 .. n_offsets-1.

    Args:
        table: (N, D) positions × dimensions; every m + n_offsets - 1 must be < N.

    Returns:
        (len(starts), n_offsets).
    """
    return np.stack([np.einsum("d,kd->k", table[m], table[m:m + n_offsets]) for m in starts])


def offset_starts(n_pos: int) -> tuple[list[int], int]:
    """Start positions 0, N/4, N/2 and the number of offsets all of them can reach."""
    starts = sorted({0, n_pos // 4, n_pos // 2})
    return starts, n_pos - starts[-1]


def rotate(x: np.ndarray, n_pos: int) -> np.ndarray:
    """x (Dh,) rotated to every position 0 .. n_pos-1 by the model's rotary code: (n_pos, Dh)."""
    cos, sin = rotary_cos_sin(n_pos, x.shape[0])
    rows = torch.as_tensor(x, dtype=torch.float32).expand(1, 1, n_pos, -1)
    return apply_rotary(rows, cos, sin)[0, 0].numpy()


def unrotate(x: np.ndarray) -> np.ndarray:
    """Undo the rotary rotation of x (T, Dh), whose row t was rotated to position t."""
    cos, sin = rotary_cos_sin(x.shape[0], x.shape[1])
    return apply_rotary(torch.as_tensor(x, dtype=torch.float32)[None, None], cos, -sin)[0, 0].numpy()


def scores_by_offset(q: np.ndarray, k: np.ndarray, starts, n_offsets: int, mode: str) -> np.ndarray:
    """Score of query q at position m against key k at position m + offset.

    Args:
        q, k: (Dh,) vectors before any position is applied.
        mode: "rotary": (R_m q)·(R_(m+k) k); "additive": (q + p_m)·(k + p_(m+k)) with the
            sinusoidal P (interleaved, as the model adds it).

    Returns:
        (len(starts), n_offsets).
    """
    n_pos = max(starts) + n_offsets
    if mode == "rotary":
        qs, ks = rotate(q, n_pos), rotate(k, n_pos)
    elif mode == "additive":
        table = sinusoidal_table(n_pos, q.shape[0]).numpy()
        qs, ks = q + table, k + table
    else:
        raise ValueError(f"mode must be 'rotary' or 'additive', not {mode!r}")
    return np.stack([ks[m:m + n_offsets] @ qs[m] for m in starts])


def parse_dims(text: str, width: int) -> list[int]:
    """Dimension indices from "0, 1, 8" (those outside 0..width-1 are dropped)."""
    dims = []
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if part.lstrip("-").isdigit() and 0 <= int(part) < width and int(part) not in dims:
            dims.append(int(part))
    return dims


def default_dims(width: int) -> list[int]:
    """A fast, a middle and a slow sine and cosine pair: 0, 1, D/4, D/4+1, D-2, D-1."""
    return sorted({0, 1, (width // 4) & ~1, ((width // 4) & ~1) + 1, width - 2, width - 1})


def labels(prefix: str, n: int) -> list[str]:
    return [f"{prefix}{i}" for i in range(n)]


def sinusoidal(n_pos: int, width: int, layout: str = "interleaved") -> np.ndarray:
    """The sinusoidal table P as the model adds it: (n_pos, width)."""
    return sinusoidal_table(n_pos, width, layout=layout).numpy()


def spread(values: np.ndarray) -> float:
    """Largest difference between the first row (start position) and any other row."""
    return float(np.abs(values - values[:1]).max()) if len(values) > 1 else 0.0


def comparison(corpus, kinds, steps: int, model_cfg, train_cfg, tokenizer: str, example):
    """Train one model per encoding (:func:`model.compare.train_each`), for an
    ``explorer.jobs.Job``: yields ``("step", kind, step, loss)`` after each step and
    ``("order", OrderCheck)`` when a model has finished (``example``: (sentence, reordered)
    or None); returns the loss curves, kind -> list of losses."""
    curves: dict[str, list[float]] = {}
    for kind, trainer, report in compare.train_each(corpus, kinds, steps, model_cfg, train_cfg, tokenizer):
        curves.setdefault(kind, []).append(report.loss)
        yield "step", kind, report.step, report.loss
        if len(curves[kind]) == steps and example is not None:
            yield "order", compare.order_blindness(trainer, *example)
    return curves
