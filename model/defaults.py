"""Training defaults chosen from the corpus and the time budget.

``choose(corpus, minutes=..., steps=...)`` looks at the training split (how many pairs, how
long the sentences are, whether each side's script separates words with spaces, how many
distinct words it has) and picks, for a user's own file:

- a tokenizer per side: byte-pair subwords for scripts with spaces (so a word never seen
  whole is still spelled from pieces, not <unk>), characters for scripts written without
  spaces (Chinese, Japanese, Thai, ...); the BPE vocabulary grows with the distinct words;
- a model shape from a small ladder: the largest that still sees the training data about
  ten times in the time budget (estimated from its arithmetic per token), the smallest for
  corpora under 5,000 pairs;
- dropout by corpus size, batch, learning rate, warm-up and the longest sequence.

The built-in grammar corpora keep the settings their shipped models were trained with.
Every choice carries a one-line reason; ``Choice.to_dict()`` is what ``--json`` prints.
"""
from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from model.config import ModelConfig, TrainConfig
from model.corpus import BUILTIN_PREFIX, Corpus

# Scripts written without spaces between words (besides the CJK ranges of the tokenizer).
_UNSPACED_RANGES = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x0F00, 0x0FFF),  # Tibetan
    (0x3000, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF),  # CJK, kana
)
ASSUMED_FLOPS = 25e9  # training FLOP/s assumed for the time budget: 2 busy CPU cores
TARGET_EPOCHS = 10  # a shape is chosen if the budget lets it see the data about this often
SMALL_CORPUS, MEDIUM_CORPUS = 5_000, 20_000


@dataclasses.dataclass(frozen=True)
class Shape:
    name: str
    d_model: int
    n_heads: int
    n_layers: int
    n_dec_layers: int
    d_ff: int
    lr: float
    batch_tokens: int

    def fields(self) -> dict[str, Any]:
        return {"d_model": self.d_model, "n_heads": self.n_heads, "n_layers": self.n_layers,
                "n_dec_layers": self.n_dec_layers, "d_ff": self.d_ff}

    def flops_per_token(self, src_per_tgt: float, tgt_vocab: int) -> float:
        """Training arithmetic (forward and backward, about 6 per weight) per target token."""
        d, f = self.d_model, self.d_ff
        enc = self.n_layers * (4 * d * d + 2 * d * f)
        dec = self.n_dec_layers * (8 * d * d + 2 * d * f) + d * tgt_vocab
        return 6.0 * (enc * src_per_tgt + dec)


SHAPES = (  # smallest first; "small" is the built-in default (ModelConfig's)
    Shape("small", 128, 4, 2, 2, 512, 2.0, 2048),
    Shape("medium", 192, 4, 3, 2, 768, 1.5, 1536),
    Shape("large", 256, 4, 3, 3, 1024, 1.5, 1536),
)


@dataclasses.dataclass(frozen=True)
class SideStats:
    """What the chooser saw of one side of the training split."""

    lang: str
    script: str  # dominant Unicode script of the letters ("LATIN", "CJK", "CYRILLIC", ...)
    spaced: bool  # words separated by spaces
    distinct_words: int  # lower-cased words between spaces (characters when not spaced)
    mean_chars: float
    mean_words: float
    p99_chars: int
    p99_words: int

    def est_tokens(self, kind: str) -> float:
        """Rough tokens per sentence for a tokenizer kind (BPE ~1.6 per word)."""
        return self.mean_chars if kind == "char" else 1.6 * self.mean_words + 1


@dataclasses.dataclass(frozen=True)
class Choice:
    tokenizer: tuple[str, str]
    vocab_size: tuple[int | None, int | None]
    model: dict[str, Any]
    train: dict[str, Any]
    shape: str
    reasons: tuple[str, ...]
    stats: tuple[SideStats, SideStats] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"tokenizer": {"src": self.tokenizer[0], "tgt": self.tokenizer[1]},
                "vocab_size": {"src": self.vocab_size[0], "tgt": self.vocab_size[1]},
                "shape": self.shape, "model": dict(self.model), "train": dict(self.train),
                "reasons": list(self.reasons),
                "sides": [dataclasses.asdict(s) for s in self.stats] if self.stats else None}

    def summary(self) -> list[str]:
        """Lines for the terminal: what was chosen and why."""
        tok = " / ".join(f"{k}" + (f" {v:,}" if v else "") for k, v in zip(self.tokenizer, self.vocab_size))
        m = self.model
        lines = [f"chosen: tokenizer {tok} (source / target); model {self.shape}: d_model {m['d_model']}, "
                 f"{m['n_heads']} heads, {m['n_layers']}+{m['n_dec_layers']} layers, d_ff {m['d_ff']}, "
                 f"dropout {m['dropout']}, max_len {m['max_len']}; batch {self.train['batch_tokens']} tokens, "
                 f"lr {self.train['lr']} (noam), warm-up {self.train['warmup']} steps"]
        lines += [f"  because {r}" for r in self.reasons]
        return lines


def _unspaced_char(ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _UNSPACED_RANGES)


def _script(ch: str) -> str:
    if _unspaced_char(ch) and (0x3000 <= ord(ch) <= 0x30FF or ord(ch) >= 0x3400):
        return "CJK"
    name = unicodedata.name(ch, "")
    return name.split(" ")[0] if name else "UNKNOWN"


def side_stats(texts: Sequence[str], lang: str, sample: int = 20_000) -> SideStats:
    """Length, script and word statistics of one side (the first ``sample`` sentences
    for the script; all of them for counts)."""
    letters: dict[str, int] = {}
    unspaced = spaces = chars = 0
    for text in texts[:sample]:
        for ch in text:
            if ch.isspace():
                spaces += 1
            elif ch.isalpha():
                chars += 1
                letters[_script(ch)] = letters.get(_script(ch), 0) + 1
                unspaced += _unspaced_char(ch)
    script = max(letters, key=letters.get) if letters else "UNKNOWN"
    spaced = not (chars and unspaced / chars > 0.5 and spaces / chars < 0.1)
    words: set[str] = set()
    n_chars, n_words = [], []
    for text in texts:
        pieces = text.lower().split() if spaced else [c for c in text if not c.isspace()]
        words.update(re.sub(r"^\W+|\W+$", "", w) for w in pieces)
        n_chars.append(len(text))
        n_words.append(len(text.split()))
    n = max(len(texts), 1)

    def p99(values: list[int]) -> int:
        return sorted(values)[min(len(values) - 1, int(0.99 * len(values)))] if values else 0

    return SideStats(lang, script, spaced, len(words - {""}), sum(n_chars) / n, sum(n_words) / n,
                     p99(n_chars), p99(n_words))


def _bpe_vocab(distinct_words: int) -> int:
    return int(min(8000, max(400, round(0.4 * distinct_words / 100) * 100)))


def builtin_choice() -> Choice:
    model = ModelConfig(src_vocab=1, tgt_vocab=1)
    train = TrainConfig()
    return Choice(("word", "word"), (None, None),
                  {k: getattr(model, k) for k in ("d_model", "n_heads", "n_layers", "n_dec_layers", "d_ff",
                                                  "dropout", "max_len")} | {"n_dec_layers": model.dec_layers},
                  {"batch_tokens": train.batch_tokens, "lr": train.lr, "warmup": train.warmup,
                   "eval_sentences": train.eval_sentences},
                  "small", ("a built-in grammar corpus: the settings its shipped model was trained with",))


def choose(corpus: Corpus, minutes: float | None = None, steps: int | None = None) -> Choice:
    """Tokenizers, model shape and training settings for ``corpus`` and the budget
    (``minutes`` of training, else ``steps``, else the default 2,000 steps)."""
    if corpus.name.startswith(BUILTIN_PREFIX):
        return builtin_choice()
    train = corpus.split("train")
    src = side_stats([p.src for p in train], corpus.src_lang)
    tgt = side_stats([p.tgt for p in train], corpus.tgt_lang)
    reasons = []
    kinds, vocabs = [], []
    for side, st in (("source", src), ("target", tgt)):
        if st.spaced:
            kinds.append("bpe")
            vocabs.append(_bpe_vocab(st.distinct_words))
            reasons.append(f"the {side} ({st.lang}, {st.script}) separates words with spaces: BPE subwords, "
                           f"{vocabs[-1]:,} tokens for {st.distinct_words:,} distinct words")
        else:
            kinds.append("char")
            vocabs.append(None)
            reasons.append(f"the {side} ({st.lang}, {st.script}) is written without spaces: one token a character")
    n = len(train)
    src_len, tgt_len = src.est_tokens(kinds[0]), tgt.est_tokens(kinds[1])
    epoch_tokens = n * (tgt_len + 1)
    tgt_vocab = vocabs[1] or min(tgt.distinct_words + 4, 6000)
    budget = "minutes" if minutes else "steps"
    if n < SMALL_CORPUS:
        shape = SHAPES[0]
        reasons.append(f"{n:,} training pairs is small: the small shape (a larger one would learn the pairs by heart)")
    else:
        shape = SHAPES[0]
        for candidate in SHAPES:
            if n < MEDIUM_CORPUS and candidate.name == "large":
                break
            per_token = candidate.flops_per_token((src_len + 1) / (tgt_len + 1), tgt_vocab)
            if minutes:
                seen = minutes * 60 * ASSUMED_FLOPS / per_token / epoch_tokens
            else:
                seen = (steps or 2000) * candidate.batch_tokens * 0.8 / epoch_tokens
            if seen >= TARGET_EPOCHS:
                shape = candidate
        reasons.append(f"{n:,} pairs and the budget ({minutes or steps or 2000} {budget}): the {shape.name} shape, "
                       f"the largest that sees the data about {TARGET_EPOCHS} times")
    dropout = 0.3 if n < SMALL_CORPUS else 0.2 if n < MEDIUM_CORPUS else 0.1
    reasons.append(f"dropout {dropout} for {n:,} pairs (less data, more dropout)")
    longest = max(src.p99_chars if kinds[0] == "char" else 2 * src.p99_words,
                  tgt.p99_chars if kinds[1] == "char" else 2 * tgt.p99_words)
    max_len = int(min(256, max(32, -(-(longest * 1.5 + 2) // 16) * 16)))
    batch = 1024 if n < SMALL_CORPUS else shape.batch_tokens
    if minutes:
        per_token = shape.flops_per_token((src_len + 1) / (tgt_len + 1), tgt_vocab)
        est_steps = minutes * 60 * ASSUMED_FLOPS / per_token / (batch * 0.8)
    else:
        est_steps = steps or 2000
    warmup = int(max(50, min(400, est_steps // 8)))
    reasons.append(f"about {int(est_steps):,} steps expected: warm-up {warmup}, max_len {max_len} "
                   f"(1.5 x the 99th-percentile length)")
    model = shape.fields() | {"dropout": dropout, "max_len": max_len}
    train_fields = {"batch_tokens": batch, "lr": shape.lr, "warmup": warmup,
                    "eval_sentences": 200 if shape.name == "small" else 100}
    return Choice(tuple(kinds), tuple(vocabs), model, train_fields, shape.name, tuple(reasons), (src, tgt))
