"""What the embeddings projector computes: labels, frequency bands, search, neighbours in
the picture, and the layout job (PCA / t-SNE / UMAP)."""
from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from model.projection import PCAProjection, fit_pca, project

N_SPECIALS = 4  # <pad>, <bos>, <eos>, <unk>: not words, left out of the pictures


def token_words(tokens) -> list[str]:
    """Tokens as words: BPE's word-start mark "▁" removed."""
    return [t.replace("▁", "") for t in tokens]


def frequency_bands(counts: np.ndarray) -> tuple[list[str], list[str]]:
    """Log-2 frequency band of each count ("0", "1", "2–3", "4–7", ...), and the band
    names in increasing order. Shape: (N,) -> N names."""
    counts = np.asarray(counts, dtype=np.int64)
    band = np.where(counts > 0, np.floor(np.log2(np.maximum(counts, 1))).astype(int) + 1, 0)

    def name(b: int) -> str:
        if b == 0:
            return "0"
        lo, hi = 2 ** (b - 1), 2 ** b - 1
        return f"{lo}" if lo == hi else f"{lo}–{hi}"

    return [name(int(b)) for b in band], [name(b) for b in range(int(band.max(initial=0)) + 1)]


def matches(labels, pattern: str, regex: bool) -> np.ndarray:
    """Indices of the labels that contain ``pattern`` (case-insensitive) or match the regex
    anywhere. An invalid regex raises re.error."""
    if not pattern:
        return np.zeros(0, dtype=int)
    if regex:
        rx = re.compile(pattern, re.IGNORECASE)
        return np.array([i for i, t in enumerate(labels) if rx.search(t)], dtype=int)
    p = pattern.lower()
    return np.array([i for i, t in enumerate(labels) if p in t.lower()], dtype=int)


def in_vocabulary(labels, word: str) -> bool:
    """Whether ``word`` is a token of its own among ``labels`` (case-insensitive; a BPE
    token with its word-start mark "▁" counts)."""
    w = word.strip().lower()
    return any(t.lower() in (w, "▁" + w) for t in labels)


def projection_neighbours(coords: np.ndarray, index: int, k: int) -> list[tuple[int, float]]:
    """The k points nearest to point ``index`` in the picture (Euclidean), best first."""
    d = np.linalg.norm(coords - coords[index], axis=1)
    order = np.argsort(d, kind="stable")
    order = order[order != index][:k]
    return [(int(i), float(d[i])) for i in order]


def count_tokens(corpus, src_tok, tgt_tok) -> dict[str, np.ndarray]:
    """How often each token of both sides occurs in the training text: {"src": (V,), "tgt": (V,)}."""
    pairs = corpus.split("train")
    out = {}
    for name, tok in (("src", src_tok), ("tgt", tgt_tok)):
        ids = np.array([i for p in pairs for i in tok.encode(getattr(p, name))], dtype=np.int64)
        out[name] = np.bincount(ids, minlength=tok.vocab_size)
    return out


def lay_out(X: np.ndarray, method: str, dim: int, options: dict | None = None,
            progress: Callable[[object], bool] | None = None
            ) -> tuple[np.ndarray, PCAProjection | None]:
    """(N, dim) layout of the rows of X, and the fitted PCA axes (None for t-SNE / UMAP).

    ``progress((done, total, layout))`` is called with intermediate layouts (t-SNE), and
    ``progress(None)`` at the other checkpoints; returning False cancels
    (``model.projection.ProjectionCancelled``). A job for ``explorer.jobs.Job(report="progress")``.
    """
    if method == "pca":
        axes = fit_pca(X, dim)
        return axes.transform(X), axes

    def report(done, total, layout) -> bool:
        if progress is None:
            return True
        return progress(None if layout is None else (done, total, layout))

    return project(X, method, dim, progress=report, **(options or {})), None
