"""What the training panel's set-up controls mean, without Qt: the choice of corpus,
tokenizer, model shape and device, and the configs it turns into."""
from __future__ import annotations

from dataclasses import dataclass

TARGET_STEPS = 2000  # Play trains towards a target step: this far ahead, in round thousands
BUILTIN_CORPORA = ("builtin:en-de", "builtin:en-zh")
TOKENIZERS = ("word", "char", "bpe")


def next_target(step: int) -> int:
    """The next target step for Play: TARGET_STEPS beyond ``step``, rounded to a thousand."""
    return (step + TARGET_STEPS) // 1000 * 1000


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
