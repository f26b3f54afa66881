"""What the training panel's controls and curves mean, without Qt: the choice of corpus,
tokenizer, model shape and device and the configs it turns into; what Space and → do;
the floor that label smoothing puts under the loss; the curves' data as tables."""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

TARGET_STEPS = 2000  # Play trains towards a target step: this far ahead, in round thousands
BUILTIN_CORPORA = ("builtin:en-de", "builtin:en-zh")
TOKENIZERS = ("word", "char", "bpe")  # the kinds a Rebuild can train ("spm" comes with a pretrained model)


def next_target(step: int) -> int:
    """The next target step for Play: TARGET_STEPS beyond ``step``, rounded to a thousand."""
    return (step + TARGET_STEPS) // 1000 * 1000


# -- tokenizers -------------------------------------------------------------------------------
def tokenizer_choice(src_kind: str, tgt_kind: str) -> str:
    """The tokens box's value for a model: its kind ("word", "spm", ...), or "src/tgt"
    when the two sides cut text differently (e.g. "word/char" for English → Chinese)."""
    return src_kind if src_kind == tgt_kind else f"{src_kind}/{tgt_kind}"


def tokenizer_items(current: str | None) -> list[str]:
    """The tokens box's values: the kinds a Rebuild trains, and the loaded model's own
    when it is none of them (SentencePiece pieces, or two kinds)."""
    items = list(TOKENIZERS)
    if current and current not in items:
        items.append(current)
    return items


def rebuild_tokenizer(choice: str) -> str | tuple[str, str]:
    """What a Rebuild passes as ``tokenizer``: a kind, or a (source, target) pair.
    Raises ValueError for SentencePiece: its pieces come with a pretrained model and
    cannot be trained here."""
    kinds = tuple(choice.split("/")) if "/" in choice else (choice, choice)
    if any(k not in TOKENIZERS for k in kinds):
        raise ValueError(choice)
    return kinds[0] if kinds[0] == kinds[1] else kinds


@dataclass(frozen=True)
class SetupChoice:
    """What the set-up controls say: corpus, tokenizer, model shape and device."""

    corpus: str
    tokenizer: str
    layers: int
    heads: int
    d_model: int
    d_ff: int
    dropout: float
    pos_encoding: str
    device: str

    @classmethod
    def of_model(cls, model_config, tokenizer: str, corpus: str, device: str) -> SetupChoice:
        """The choice that gives the loaded model (device "cuda:0" is shown as "cuda")."""
        c = model_config
        return cls(corpus or "", tokenizer, c.n_layers, c.n_heads, c.d_model, c.d_ff, c.dropout,
                   c.pos_encoding, device.split(":")[0])

    def model_config(self, base):
        """``base`` (the loaded ModelConfig) with the chosen shape; vocab sizes are kept.
        Raises ValueError for a shape that cannot be built (e.g. D not divisible by heads)."""
        return base.replace(n_layers=self.layers, n_dec_layers=None, n_heads=self.heads,
                            d_model=self.d_model, d_ff=self.d_ff, dropout=self.dropout,
                            pos_encoding=self.pos_encoding)

    def train_config(self, base):
        """``base`` (the loaded TrainConfig) on the chosen device."""
        return base.replace(device=self.device)


# -- keys ---------------------------------------------------------------------------------
def transport_key(key: str, typing: bool, ready: bool, playing: bool, stepping: bool) -> str | None:
    """What a key does to training: "play_pause", "step", "cancel" (the rest of a Step N)
    or None (the key is left to the widget that has focus).

    ``key`` is "space" or "right"; ``typing``: focus is in a text field, where the key
    means text; ``ready``: a model is in and nothing long runs; ``stepping``: a Step N
    is under way.
    """
    if typing or not ready:
        return None
    if key == "space":
        return "cancel" if stepping else "play_pause"
    if key == "right" and not playing and not stepping:
        return "step"
    return None


# -- loss ---------------------------------------------------------------------------------
def smoothing_floor(epsilon: float, vocab: int) -> float:
    """The lowest value the label-smoothed cross-entropy can take, in nats.

    Label smoothing trains against a target that puts 1 − ε + ε/V on the true token and
    ε/V on every other of the V tokens (PyTorch's ``label_smoothing``); the loss against it
    is smallest when the model predicts exactly that target, and is then its entropy. A
    perfect model therefore reads about 0.9 (ε = 0.1, V in the hundreds), not 0.
    """
    if epsilon <= 0 or vocab < 2:
        return 0.0
    other = epsilon / vocab
    true = 1.0 - epsilon + other
    return -(true * math.log(true) + (vocab - 1) * other * math.log(other))


# -- curves as tables ---------------------------------------------------------------------
def curve_table(series: Mapping[str, tuple[Sequence[float], Sequence[float]]],
                names: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The curves ``names`` side by side: (steps, values), steps the sorted union of the
    curves' steps and values (len(steps), len(names)) with NaN where a curve has no point
    at that step (an evaluation every few steps, say). A step seen twice keeps its last value."""
    xs = [np.asarray(series[n][0], dtype=float) for n in names]
    steps = np.unique(np.concatenate(xs)) if xs else np.zeros(0)
    values = np.full((len(steps), len(names)), np.nan)
    for j, name in enumerate(names):
        x, y = xs[j], np.asarray(series[name][1], dtype=float)
        values[np.searchsorted(steps, x), j] = y
    return steps, values
