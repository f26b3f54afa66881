"""What the embeddings projector computes, without Qt: its state, which rows become points
(a chosen subset of a large vocabulary), labels, frequency bands, search, neighbours, the
layout job (PCA / t-SNE / UMAP) and the arrays an export writes.

A view (explorer/panels/embeddings.py) keeps one ``ProjectorState``, feeds it snapshots
and draws what these functions return; everything here runs without a QApplication.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from model.corpus import word_category
from model.projection import PCAProjection, fit_pca, nearest_neighbours, project

N_SPECIALS = 4  # <pad>, <bos>, <eos>, <unk>: not words, left out of the pictures
SOURCES = ("src", "tgt", "both", "cbow", "ctx_src", "ctx_tgt")
COLOUR_BY = ("class", "frequency", "language")
METRICS = ("cosine", "euclidean")
SUBSETS = ("frequent", "sentences", "search")  # which rows of a large vocabulary are points
SUBSET_FROM = 5_000  # a table with more word rows than this is projected as a chosen subset
SUBSET_ROWS = 2_000  # how many rows the subset takes by default
CONTEXT_SENTENCES = 200  # validation sentences whose tokens the contextual views show


@dataclass(frozen=True)
class Points:
    """The rows drawn: their vectors, labels, row ids in their table and what they are."""

    X: np.ndarray  # (N, D) float32, the points in the original space
    tokens: tuple[str, ...]
    languages: tuple[str, ...]
    classes: tuple[str, ...]  # "" when the word has no known class
    ids: dict[str, np.ndarray]  # source name -> the row ids taken from its table
    names: tuple[str, ...]
    step: int
    vocab: int  # word rows of the tables these points come from (before any subset)

    @property
    def subset(self) -> bool:
        return len(self.tokens) < self.vocab and not any(n.startswith("ctx_") for n in self.names)


@dataclass
class ProjectorState:
    """Everything the projector shows and why, without widgets."""

    source: str = "src"
    method: str = "pca"
    dim: int = 2
    colour: str = "class"
    metric: str = "cosine"
    k: int = 10
    subset: str = "frequent"
    subset_rows: int = SUBSET_ROWS
    search: str = ""
    regex: bool = False
    snapshots: dict = field(default_factory=dict)  # "src", "tgt", "cbow", "ctx_src", "ctx_tgt"
    frequencies: dict = field(default_factory=dict)  # name -> (V,) counts in the training text
    sentence_ids: dict = field(default_factory=dict)  # "src"/"tgt" -> ids of the loaded sentences' tokens
    points: Points | None = None
    coords: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), np.float32))
    axes: PCAProjection | None = None  # fixed PCA axes (following training, comparing steps)
    previous: np.ndarray | None = None  # layout before the last update (trails)
    selected: int | None = None
    replay_step: int | None = None  # the timeline step shown, None when live
    status: tuple[str, dict] = ("waiting", {})  # what the status line says: key, values
    selection: tuple[str, dict] = ("none", {})  # what the label above the neighbours says

    @property
    def names(self) -> tuple[str, ...]:
        return ("src", "tgt") if self.source == "both" else (self.source,)

    @property
    def ready(self) -> bool:
        """Whether every snapshot the chosen source needs is there."""
        return all(n in self.snapshots for n in self.names)

    @property
    def tokens(self) -> list[str]:
        return [] if self.points is None else list(self.points.tokens)

    @property
    def X(self) -> np.ndarray:
        return np.zeros((0, 0), np.float32) if self.points is None else self.points.X

    def note_values(self) -> dict | None:
        """What the points are (count, sources, step, D, the vocabulary when a subset)."""
        p = self.points
        if p is None:
            return None
        return {"n": len(p.tokens), "names": " + ".join(p.names), "step": p.step, "D": p.X.shape[1],
                "vocab": p.vocab, "subset": self.subset if p.subset else ""}


def token_words(tokens) -> list[str]:
    """Tokens as words: BPE's word-start mark "▁" removed."""
    return [t.replace("▁", "") for t in tokens]


@lru_cache(maxsize=200_000)
def _word_class(word: str, lang: str) -> str:
    return word_category(word, lang) or ""


def word_classes(tokens, lang: str) -> list[str]:
    """The word class of each token ("" when unknown), as the points are coloured."""
    return [_word_class(w, lang) for w in token_words(tokens)]


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


def choose_rows(n_rows: int, mode: str, n: int, counts: np.ndarray | None = None,
                sentence_ids: Sequence[int] = (), found: Sequence[int] = ()) -> np.ndarray:
    """Row ids (sorted, none of the special rows) of a table of ``n_rows`` rows to draw.

    Up to SUBSET_FROM word rows: all of them. Past that, ``n`` rows chosen by ``mode``:
    "frequent" the most frequent in the training text (``counts``; without counts the first
    rows, as SentencePiece and word vocabularies list frequent pieces first), "sentences"
    the tokens of the loaded sentences, "search" the rows the search found (``found``).
    """
    if n_rows - N_SPECIALS <= SUBSET_FROM:
        return np.arange(N_SPECIALS, n_rows)
    if mode == "sentences":
        ids = np.unique(np.asarray(sentence_ids, dtype=np.int64))
    elif mode == "search":
        ids = np.unique(np.asarray(found, dtype=np.int64))
    elif counts is not None and len(counts) >= n_rows:
        c = np.asarray(counts[:n_rows], dtype=np.float64).copy()
        c[:N_SPECIALS] = -1
        ids = np.sort(np.argsort(-c, kind="stable")[:n])
    else:
        ids = np.arange(N_SPECIALS, n_rows)
    ids = ids[(ids >= N_SPECIALS) & (ids < n_rows)]
    return ids[:n]


def gather_points(state: ProjectorState, languages: dict[str, str]) -> Points | None:
    """The points of the chosen source(s): rows of each snapshot (a subset of a large
    vocabulary, see ``choose_rows``), their labels, languages and word classes."""
    if not state.ready:
        return None
    Xs, tokens, langs, classes, ids, vocab = [], [], [], [], {}, 0
    for name in state.names:
        snap = state.snapshots[name]
        lang = languages.get(name, "")
        if name.startswith("ctx_"):  # contextual rows are tokens of text: all of them
            rows = np.arange(len(snap.tokens))
        else:
            found = ()
            if state.subset == "search" and state.search:
                try:
                    found = matches(snap.tokens, state.search, state.regex)
                except re.error:
                    found = ()
            rows = choose_rows(len(snap.matrix), state.subset, state.subset_rows,
                               state.frequencies.get(name), state.sentence_ids.get(name, ()), found)
        vocab += len(snap.tokens) - (0 if name.startswith("ctx_") else N_SPECIALS)
        ids[name] = rows
        names = [snap.tokens[i] for i in rows]
        Xs.append(np.asarray(snap.matrix[rows], dtype=np.float32))
        tokens += names
        langs += [lang or name] * len(rows)
        if len(snap.word_class) == len(snap.tokens):
            classes += [snap.word_class[i] or "" for i in rows]
        else:
            classes += [_word_class(w, lang) for w in token_words(names)]
    X = np.vstack(Xs) if Xs else np.zeros((0, 0), np.float32)
    step = max(state.snapshots[n].step for n in state.names)
    return Points(X, tuple(tokens), tuple(langs), tuple(classes), ids, state.names, step, vocab)


def whole_vocabulary(state: ProjectorState) -> list[str]:
    """Every token of the chosen tables (not only the points drawn)."""
    return [t for n in state.names if n in state.snapshots for t in state.snapshots[n].tokens]


def groups(state: ProjectorState) -> tuple[list[str], list[str], bool]:
    """(group of each point, group names in legend order, sequential colours) for the
    chosen colouring; frequency falls back to word class (False last) while not counted."""
    p = state.points
    if p is None:
        return [], [], False
    if state.colour == "language":
        return list(p.languages), list(dict.fromkeys(p.languages)), False
    if state.colour == "frequency":
        counts = [state.frequencies.get(n) for n in p.names]
        if all(c is not None for c in counts):
            bands, order = frequency_bands(np.concatenate(
                [np.asarray(c)[p.ids[n]] for c, n in zip(counts, p.names)]))
            return bands, order, True
    return list(p.classes), sorted({c for c in p.classes if c}), False


def projection_neighbours(coords: np.ndarray, index: int, k: int) -> list[tuple[int, float]]:
    """The k points nearest to point ``index`` in the picture (Euclidean), best first."""
    d = np.linalg.norm(coords - coords[index], axis=1)
    order = np.argsort(d, kind="stable")
    order = order[order != index][:k]
    return [(int(i), float(d[i])) for i in order]


def neighbours(state: ProjectorState, index: int) -> tuple[list[tuple[int, float]], list[tuple[int, float]]]:
    """(nearest in the original space, nearest in the picture) of point ``index``."""
    return (nearest_neighbours(state.X, index, k=state.k, metric=state.metric),
            projection_neighbours(state.coords, index, state.k))


def neighbour_table(state: ProjectorState, index: int) -> tuple[list[tuple[str, float, str, float]], set[int]]:
    """Rows (word in D dims, score, word in the picture, distance) and the point indices
    found in both lists."""
    original, pictured = neighbours(state, index)
    both = {j for j, _ in original} & {j for j, _ in pictured}
    t = state.points.tokens
    return [(t[a], sa, t[b], sb) for (a, sa), (b, sb) in zip(original, pictured)], both


def exported(state: ProjectorState) -> list[tuple[str, np.ndarray, tuple, tuple]]:
    """(name, values, row labels, column labels) of what the projector shows: the
    projected coordinates of each word, and the neighbour table of the selected point."""
    if state.points is None or len(state.coords) != len(state.points.tokens):
        return []
    dim = state.coords.shape[1]
    out = [(f"{state.method}_{dim}d", np.asarray(state.coords), state.points.tokens, tuple("xyz"[:dim]))]
    if state.selected is not None and state.selected < len(state.coords):
        rows, _ = neighbour_table(state, state.selected)
        word = state.points.tokens[state.selected]
        values = np.array([[s, d] for _, s, _, d in rows], dtype=np.float64).reshape(-1, 2)
        out.append((f"neighbours_{state.metric}", values[:, :1], tuple(r[0] for r in rows), (word,)))
        out.append(("neighbours_picture", values[:, 1:], tuple(r[2] for r in rows), (word,)))
    return out


def count_tokens(corpus, src_tok, tgt_tok) -> dict[str, np.ndarray]:
    """How often each token of both sides occurs in the training text: {"src": (V,), "tgt": (V,)}."""
    pairs = corpus.split("train")
    out = {}
    for name, tok in (("src", src_tok), ("tgt", tgt_tok)):
        ids = np.array([i for p in pairs for i in tok.encode(getattr(p, name))], dtype=np.int64)
        out[name] = np.bincount(ids, minlength=tok.vocab_size)
    return out


def corpus_counts(corpus, src_tok, tgt_tok) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """A job: the token counts of the training text (``count_tokens``) and the ids of the
    tokens of the loaded sentences (the first CONTEXT_SENTENCES validation pairs) per side."""
    counts = count_tokens(corpus, src_tok, tgt_tok)
    pairs = list(corpus.split("valid"))[:CONTEXT_SENTENCES] or list(corpus.split("train"))[:CONTEXT_SENTENCES]
    sentences = {name: np.unique(np.array([i for p in pairs for i in tok.encode(getattr(p, name))],
                                          dtype=np.int64))
                 for name, tok in (("src", src_tok), ("tgt", tgt_tok))}
    return counts, sentences


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


def step_matrices(state: ProjectorState, before, after) -> tuple[np.ndarray, np.ndarray] | None:
    """The shown rows of two timeline Snapshots (earlier, later), or None when the timeline
    does not hold them (CBOW or contextual points, rows past what a snapshot keeps)."""
    p = state.points
    if p is None or any(n not in ("src", "tgt") for n in p.names):
        return None

    def rows(snap):
        mats = {"src": snap.src_embeddings, "tgt": snap.tgt_embeddings}
        if any(len(p.ids[n]) and p.ids[n].max() >= len(mats[n]) for n in p.names):
            return None
        return np.vstack([np.asarray(mats[n])[p.ids[n]] for n in p.names]).astype(np.float32)

    a, b = rows(before), rows(after)
    return None if a is None or b is None else (a, b)
