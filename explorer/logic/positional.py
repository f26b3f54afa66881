"""What the positional-encodings panel computes, without Qt: the formulas behind its
plots (similarity against offset, rotary and additive scores) and the comparison job that
trains one small model per encoding."""
from __future__ import annotations

from dataclasses import dataclass, field

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


def comparison(corpus, kinds, steps: int, model_config, train_cfg, tokenizer: str, example):
    """Train one model per encoding (:func:`model.compare.train_each`), for an
    ``explorer.jobs.Job``: yields ``("step", kind, step, loss)`` after each step and
    ``("order", OrderCheck)`` when a model has finished (``example``: (sentence, reordered)
    or None); returns the loss curves, kind -> list of losses."""
    curves: dict[str, list[float]] = {}
    for kind, trainer, report in compare.train_each(corpus, kinds, steps, model_config, train_cfg, tokenizer):
        curves.setdefault(kind, []).append(report.loss)
        yield "step", kind, report.step, report.loss
        if len(curves[kind]) == steps and example is not None:
            yield "order", compare.order_blindness(trainer, *example)
    return curves


# --------------------------------------------------------------------- the panel's state
TABS = ("sinusoidal", "sentence", "learned", "rotary", "compare")
SMALL_SHAPE = {"d_model": 64, "n_heads": 4, "n_layers": 2, "n_dec_layers": None, "d_ff": 256}


@dataclass
class PositionalState:
    """What the positional panel shows; its controls write here and its tabs draw from here."""

    model_config: object = None  # ModelConfig of the loaded model
    train_config: object = None
    corpus: object = None
    tokenizer_kind: str = "word"
    trace: object = None  # the latest ModelTrace
    snapshots: list = field(default_factory=list)  # timeline snapshots that hold a learned table
    # sinusoidal tab
    width: int = 64
    positions: int = 64
    layout: str = "interleaved"  # or "split"
    # learned tab: which snapshot (clipped to the newest)
    snapshot_index: int = -1
    # rotary tab
    rotary_positions: int = 48
    head: int = 0
    query: int = 0  # token index of q
    key: int = 1  # token index of k
    # comparison
    steps: int = 300
    size: str = "small"  # or "loaded"
    kinds: tuple = ()
    curves: dict = field(default_factory=dict)  # kind -> losses
    order_checks: dict = field(default_factory=dict)  # kind -> OrderCheck
    example: tuple | None = None  # (sentence, reordered, reference A, reference B)
    status: tuple = ("intro",)  # what the comparison note says: key, *values

    @property
    def encoding(self) -> str | None:
        return self.model_config.pos_encoding if self.model_config is not None else None

    def take_model(self, model_config, train_config, corpus, tokenizer_kind: str, new_model: bool) -> None:
        """A model was loaded or rebuilt (``new_model``: its trace and timeline are gone)."""
        self.model_config, self.train_config, self.corpus = model_config, train_config, corpus
        self.tokenizer_kind = tokenizer_kind
        if new_model:
            self.trace, self.snapshots = None, []
        if model_config is not None:
            self.width, self.positions = model_config.d_model, min(model_config.max_len, 128)
            self.layout = getattr(model_config, "pos_layout", "interleaved")  # Marian's: split


def learned_snapshot(state: PositionalState):
    """(index, snapshot) the learned tab shows, or None when the timeline holds no table."""
    if not state.snapshots:
        return None
    index = len(state.snapshots) - 1 if state.snapshot_index < 0 else min(state.snapshot_index,
                                                                           len(state.snapshots) - 1)
    return index, state.snapshots[index]


def rotary_vectors(state: PositionalState) -> tuple[np.ndarray, np.ndarray, dict | None]:
    """The q and k (Dh,) of the rotary tab, before any rotation, and where they come from.

    From the latest trace: layer 0 of the encoder, the chosen head and tokens (a rotary
    model's q and k rotated back to position 0); the third item then names them
    (q_token, k_token, head, dh, step). Without a trace: q = k = (1, ..., 1) of width D, None.
    """
    trace = state.trace
    if trace is None or not trace.enc_self:
        width = state.width & ~1
        return np.ones(width, np.float32), np.ones(width, np.float32), None
    block = trace.enc_self[0]
    h = min(state.head, block.n_heads - 1)
    q, k = block.q[h], block.k[h]  # (S, Dh)
    if state.encoding == "rotary":
        q, k = unrotate(q), unrotate(k)
    n = len(trace.src_tokens)
    i, j = min(max(state.query, 0), n - 1), min(max(state.key, 0), n - 1)
    source = {"q_token": trace.src_tokens[i], "k_token": trace.src_tokens[j], "head": h,
              "dh": q.shape[1], "step": trace.step}
    return q[i].astype(np.float32), k[j].astype(np.float32), source


@dataclass(frozen=True)
class RotaryPicture:
    """What the rotary tab draws: q at every position, and q·k against the offset."""

    rotated_q: np.ndarray  # (N, Dh)
    starts: list
    rotary_scores: np.ndarray  # (len(starts), n_offsets)
    additive_scores: np.ndarray
    source: dict | None


def rotary_picture(state: PositionalState) -> RotaryPicture:
    q, k, source = rotary_vectors(state)
    n_pos = state.rotary_positions
    starts, n_offsets = offset_starts(n_pos)
    return RotaryPicture(rotate(q, n_pos), starts, scores_by_offset(q, k, starts, n_offsets, "rotary"),
                         scores_by_offset(q, k, starts, n_offsets, "additive"), source)


def pair_indices(width: int, most: int) -> list[int]:
    """Up to ``most`` pairs of dimensions spread from the fastest to the slowest."""
    n_pairs = width // 2
    return sorted({round(x) for x in np.linspace(0, n_pairs - 1, min(most, n_pairs))})


def comparison_model_fields(model_config, size: str) -> dict:
    """The shared model shape of the comparison (vocab sizes come from the tokenizers)."""
    fields = model_config.to_dict()
    if size == "small":
        fields.update(SMALL_SHAPE)
    return fields


def finished_kinds(state: PositionalState) -> list[str]:
    return [k for k in state.kinds if len(state.curves.get(k, [])) == state.steps]


def loss_matrix(curves: dict) -> np.ndarray | None:
    """(kinds, steps) losses, NaN where a curve stopped early; None when nothing was trained."""
    if not curves or not any(curves.values()):
        return None
    n = max(len(v) for v in curves.values())
    values = np.full((len(curves), n), np.nan)
    for row, losses in enumerate(curves.values()):
        values[row, :len(losses)] = losses
    return values
