"""What the word2vec panel runs, without Qt: a CBOW set-up built from sentences, the
training job that plays it in chunks, and the chance level of neighbour purity."""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass

import numpy as np

from model.corpus import word_category
from model.tokenizer import build_tokenizer
from model.word2vec import DEFAULT_BATCH, N_SPECIALS, CBOWTrainer, neighbour_purity

TOP_K = 10
PURITY_K = 5
CHUNK_SECONDS = 0.05  # a playing worker reports about this often
MAX_SENTENCES = 20_000  # sentences of a corpus used for CBOW


@dataclass(frozen=True)
class CBOWSetup:
    """What one CBOW run learns from: its tokenizer, trainer and each token's word class."""

    tokenizer: object
    trainer: CBOWTrainer
    classes: tuple[str | None, ...]  # (V,) semantic class of each token, None if unknown
    counts: np.ndarray  # (V,) how often each token occurs in the text
    source: str


def build_cbow(texts: list[str], lang: str, window: int, dim: int, lr: float, combine: str,
               source: str = "", seed: int = 0) -> CBOWSetup:
    """Word tokenizer + CBOWTrainer (mini-batches of DEFAULT_BATCH windows) on ``texts``."""
    texts = [t for t in texts if t.strip()][:MAX_SENTENCES]
    tokenizer = build_tokenizer("word", texts, lang)
    sequences = [tokenizer.encode(t) for t in texts]
    trainer = CBOWTrainer(sequences, tokenizer.vocab_size, dim=dim, window=window, lr=lr,
                          batch_size=DEFAULT_BATCH, combine=combine, seed=seed)
    classes = tuple(None if i < N_SPECIALS else word_category(tok, lang)
                    for i, tok in enumerate(tokenizer.tokens()))
    ids = np.array([i for seq in sequences for i in seq], dtype=np.int64)
    counts = np.bincount(ids, minlength=tokenizer.vocab_size)
    return CBOWSetup(tokenizer, trainer, classes, counts, source)


def chance_purity(labels) -> float:
    """Neighbour purity expected from random neighbours: the chance that another labelled
    point, drawn at random, shares a point's label (averaged over the labelled points)."""
    counts = np.array(list(Counter(x for x in labels if x is not None).values()), dtype=float)
    m = counts.sum()
    return float((counts * (counts - 1)).sum() / (m * (m - 1))) if m > 1 else 0.0


def play_steps(trainer: CBOWTrainer, total: int | None, classes):
    """Generator run in a worker thread: trains in chunks of about CHUNK_SECONDS, yielding
    (losses of the chunk, the last step's CBOWStep, a copy of E, neighbour purity or None).
    ``total`` None runs until the worker is told to quit."""
    done, chunk = 0, 16
    labelled = sum(c is not None for c in classes) >= 2
    while total is None or done < total:
        n = chunk if total is None else min(chunk, total - done)
        start = time.perf_counter()
        losses = trainer.run(n - 1) if n > 1 else []
        last = trainer.step()
        losses.append(last.loss)
        done += n
        elapsed = time.perf_counter() - start
        chunk = int(np.clip(chunk * CHUNK_SECONDS / max(elapsed, 1e-4), 1, 20_000))
        E = trainer.embeddings
        purity = neighbour_purity(E, classes, k=PURITY_K) if labelled else None
        yield losses, last, E, purity
