"""What the tokens panel computes, without Qt: text → tokens → IDs → one-hot → rows of E.

``TokensState`` holds what the panel shows (the text, the tokenizer, its tokens and IDs,
their one-hot rows, the embedding matrix E that matches the tokenizer and the rows it
picks, the selected token, the one-hot metric). ``tokenize`` and ``take_embeddings``
change it; everything else here is a pure function of it, so the view only draws.

Two kinds of change, two costs: a new text or tokenizer changes everything
(``tokenize``); a new E (training, or the window's timeline moving) changes only the rows
of E (``take_embeddings``): the tokens, IDs, one-hot rows and the number line stay, and
the view updates its embedding views in place.

A vocabulary of opus-mt's size (58,101) is shown around the selected ID: ``vocab_window``
gives the columns of the one-hot vector (and rows of E) drawn, the note says the others
are all 0.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from model.tokenizer import UNK

DEFAULT_TEXT = "the dog sees the cat ."
SOURCES = ("model:src", "model:tgt", "corpus:word", "corpus:char", "corpus:bpe")  # see the view
METRICS = ("euclidean", "cosine")  # between one-hot vectors
TABS = ("compare", "product")
VOCAB_WINDOW = 1024  # one-hot columns / rows of E drawn around the selected ID
PREVIEW_NUMBERS = 4  # embedding numbers written in the table (all of them in the tooltip)
PIECE_MARK = "▁"  # SentencePiece writes a word's start as this mark


# -- pure functions -------------------------------------------------------------------------
def id_distances(ids: np.ndarray) -> np.ndarray:
    """|i − j| for every pair of IDs. Shape: (T,) -> (T, T)."""
    ids = np.asarray(ids, dtype=np.int64)
    return np.abs(ids[:, None] - ids[None, :])


def euclidean_distances(x: np.ndarray) -> np.ndarray:
    """Distance between every pair of rows of x (T, N) -> (T, T), via the Gram matrix."""
    x = np.asarray(x, dtype=np.float64)
    sq = (x * x).sum(1)
    return np.sqrt(np.maximum(sq[:, None] + sq[None, :] - 2 * x @ x.T, 0.0))


def cosine_similarities(x: np.ndarray) -> np.ndarray:
    """Cosine similarity of every pair of rows of x (T, N) -> (T, T); zero rows give 0."""
    x = np.asarray(x, dtype=np.float64)
    norms = np.linalg.norm(x, axis=1)
    unit = x / np.where(norms > 0, norms, 1.0)[:, None]
    return unit @ unit.T


def one_hot_distances(one_hot: np.ndarray, metric: str) -> np.ndarray:
    """(T, T) euclidean distances or cosine similarities between one-hot rows (T, V)."""
    if metric == "euclidean":
        return euclidean_distances(one_hot)
    if metric == "cosine":
        return cosine_similarities(one_hot)
    raise ValueError(f"metric must be one of {METRICS}, not {metric!r}")


def sparsity(x: np.ndarray) -> float:
    """Fraction of entries of x that are exactly zero."""
    return 1.0 - np.count_nonzero(x) / max(x.size, 1)


def vocab_window(token_id: int, V: int, width: int = VOCAB_WINDOW) -> tuple[int, int]:
    """[lo, hi): the ``width`` vocabulary IDs drawn around ``token_id`` (all V when fewer)."""
    lo = min(max(token_id - width // 2, 0), max(V - width, 0))
    return lo, min(lo + width, V)


def embedding_preview(row: np.ndarray, n: int = PREVIEW_NUMBERS) -> str:
    """The first ``n`` numbers of an embedding row, as the table writes them."""
    return "[" + ", ".join(f"{v:+.3f}" for v in row[:n]) + (", …]" if len(row) > n else "]")


def row_text(row: np.ndarray, per_line: int = 8) -> str:
    """Every number of an embedding row, ``per_line`` to a line (a tooltip; formatting a row
    with np.array2string took 60 % of a replay frame's redraw of the panel)."""
    numbers = [f"{v:+.4f}" for v in np.asarray(row, dtype=np.float64).tolist()]
    return "\n".join(" ".join(numbers[i:i + per_line]) for i in range(0, len(numbers), per_line))


def is_pieces(tokenizer) -> bool:
    """Whether the tokenizer cuts text into SentencePiece pieces (▁ marks a word's start)."""
    return getattr(tokenizer, "kind", "") == "spm"


def place_labels(xs: Sequence[float], widths: Sequence[float], x0: float, x1: float,
                 n_rows: int, gap: float) -> list[tuple[int | None, float]]:
    """Rows for labels along a line, in the order given (sorted by x): each goes on the
    lowest row where it clears the label before it, or nowhere (None) when no row has room
    or its x is outside [x0, x1]. A label is centred over its x but slides sideways (still
    over x) to stay inside [x0, x1].

    Args:
        xs: label positions (data units); widths: label widths (data units); gap: the
            space kept on each side of a label (data units).

    Returns:
        (row or None, anchor) per label, anchor 0..1 the point's place along the label.
    """
    row_ends = [x0] * n_rows  # where each row's last label ends
    out: list[tuple[int | None, float]] = []
    for x, width in zip(xs, widths):
        left = min(max(x - width / 2 - gap, x0), x1 - width - 2 * gap)  # the left end of the gap
        row = next((r for r, end in enumerate(row_ends) if left >= end), None)
        if row is None or not x0 <= x <= x1:
            out.append((None, 0.5))
            continue
        out.append((row, min(max((x - left - gap) / width, 0.0), 1.0) if width > 0 else 0.5))
        row_ends[row] = left + width + 2 * gap
    return out


def matching_embeddings(tokenizer, snapshots) -> object | None:
    """The EmbeddingSnapshot whose rows the tokenizer's IDs index, or None.

    A row of E belongs to a token only when the snapshot's vocabulary is the tokenizer's
    (a tokenizer trained here on the corpus may differ from the model's). A snapshot that
    keeps only the first rows of E (a timeline snapshot of a large vocabulary: the first
    4,096 rows, a checkpoint's history the first 1,000) matches when its tokens are the
    first of the vocabulary; a table with all its rows is preferred.
    """
    if tokenizer is None:
        return None
    vocab, partial = None, None
    for snapshot in snapshots:
        n = len(snapshot.tokens)
        if not 0 < n <= tokenizer.vocab_size:
            continue
        vocab = vocab if vocab is not None else tuple(tokenizer.tokens())
        if tuple(snapshot.tokens) == vocab[:n]:
            if n == len(vocab):
                return snapshot
            partial = partial or snapshot
    return partial


# -- the state ------------------------------------------------------------------------------
@dataclass
class Product:
    """What the one-hot × E tab says about the selected token."""

    row: int
    token: str
    id: int
    V: int
    lo: int  # the vocabulary window drawn: IDs lo .. hi-1
    hi: int
    product: np.ndarray | None = None  # o × E (D,), computed as the product
    gap: float | None = None  # the largest |o × E − E[id]|


@dataclass
class TokensState:
    """What the tokens panel shows. Change it through ``tokenize``, ``take_embeddings``,
    ``select``; read it through the functions below."""

    text: str = DEFAULT_TEXT
    source: str = "model:src"  # one of SOURCES
    metric: str = "euclidean"  # one of METRICS
    tokenizer: object | None = None
    tokens: list[str] = field(default_factory=list)
    ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    one_hot: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    snapshots: dict = field(default_factory=dict)  # "src"/"tgt" -> EmbeddingSnapshot
    snapshot: object | None = None  # the one whose rows the IDs index (None: no E)
    embedded: np.ndarray | None = None  # (T, D): one_hot × E, the tokens' rows of E (NaN: not kept)
    selected: int = 0

    @property
    def rows_kept(self) -> int:
        """Rows of E the snapshot holds (IDs 0 .. rows_kept-1): V, or fewer for a timeline
        snapshot of a large vocabulary; 0 without E."""
        return 0 if self.snapshot is None else len(self.snapshot.matrix)

    @property
    def partial(self) -> bool:
        """Whether E lacks some rows of the vocabulary (a timeline snapshot keeps the first)."""
        return self.snapshot is not None and self.rows_kept < self.V

    @property
    def V(self) -> int:
        return 0 if self.tokenizer is None else self.tokenizer.vocab_size

    @property
    def D(self) -> int:
        return 0 if self.snapshot is None else self.snapshot.matrix.shape[1]


def tokenize(state: TokensState, tokenizer=None, text: str | None = None) -> TokensState:
    """Cut ``text`` (default: the state's) with ``tokenizer`` (default: the state's) and
    compute IDs, one-hot rows and their rows of E. Returns the state."""
    if tokenizer is not None:
        state.tokenizer = tokenizer
    if text is not None:
        state.text = text
    tok = state.tokenizer
    if tok is None:
        return state
    state.tokens = tok.tokenize(state.text)
    state.ids = np.asarray(tok.encode(state.text), dtype=np.int64)
    state.one_hot = tok.one_hot(state.ids)  # (T, V)
    state.selected = min(max(state.selected, 0), max(len(state.tokens) - 1, 0))
    return take_embeddings(state)


def take_embeddings(state: TokensState, snapshot=None) -> TokensState:
    """Keep ``snapshot`` (an EmbeddingSnapshot "src" or "tgt"; None: none new) and pick the
    tokens' rows from the E that matches the tokenizer. The tokens and IDs stay."""
    if snapshot is not None:
        state.snapshots[snapshot.name] = snapshot
    state.snapshot = matching_embeddings(state.tokenizer, state.snapshots.values())
    if state.snapshot is None or not len(state.ids):
        state.embedded = None if state.snapshot is None else np.zeros((0, state.D), np.float32)
    else:
        # one_hot × E: each one-hot row has a single 1, so the product is exactly the row
        # of E at the ID (tests check it against the dense product).
        E = np.asarray(state.snapshot.matrix)
        if state.partial:  # the rows the snapshot keeps; the others NaN (drawn grey)
            kept = state.ids < len(E)
            state.embedded = np.full((len(state.ids), E.shape[1]), np.nan, np.float32)
            state.embedded[kept] = E[state.ids[kept]]
        else:
            state.embedded = E[state.ids].astype(np.float32, copy=False)
    return state


def kept_tokens(state: TokensState) -> int:
    """How many of the text's tokens have their row in E (all of them unless E is partial)."""
    return int(np.count_nonzero(state.ids < state.rows_kept))


def select(state: TokensState, row: int) -> Product | None:
    """Select token ``row``; what the one-hot × E tab shows for it (None: no token)."""
    if not 0 <= row < len(state.tokens):
        return None
    state.selected = row
    return product(state)


def product(state: TokensState) -> Product | None:
    """The selected token's one-hot × E, computed as the product of the one-hot row and E
    (not as a lookup), with the largest difference from the row of E at its ID."""
    r = state.selected
    if not 0 <= r < len(state.tokens):
        return None
    token_id = int(state.ids[r])
    lo, hi = vocab_window(token_id, state.V)
    p = Product(row=r, token=state.tokens[r], id=token_id, V=state.V, lo=lo, hi=hi)
    if state.snapshot is not None and state.embedded is not None and token_id < state.rows_kept:
        E = np.asarray(state.snapshot.matrix)
        p.product = state.one_hot[r][:len(E)] @ E  # a partial E: its 1 is among the rows kept
        p.gap = float(np.abs(p.product - E[token_id]).max())
    return p


def embedding_cosine(state: TokensState) -> np.ndarray | None:
    """(T, T) cosine similarities between the tokens' rows of E, or None without E."""
    return None if state.embedded is None else cosine_similarities(state.embedded)


def unknown_rows(state: TokensState) -> list[int]:
    """Table rows whose token is not in the vocabulary (<unk>)."""
    return [r for r, i in enumerate(state.ids) if int(i) == UNK]


@dataclass(frozen=True)
class Memory:
    """Bytes per token as an ID, a one-hot vector and an embedding row, and for the text."""

    T: int
    V: int
    D: int | None  # None: no E for this tokenizer
    one_hot_zeros: float  # fraction of zeros in the one-hot rows
    embedding_zeros: float

    @property
    def totals(self) -> tuple[int, ...]:
        """Bytes for all T tokens: IDs, one-hot rows (and embedding rows)."""
        out = (8 * self.T, 4 * self.V * self.T)
        return out if self.D is None else (*out, 4 * self.D * self.T)


def memory(state: TokensState) -> Memory:
    T, V = len(state.tokens), state.V
    one_hot_zeros = sparsity(state.one_hot) if T else (V - 1) / max(V, 1)
    if state.embedded is None:
        return Memory(T, V, None, one_hot_zeros, 0.0)
    return Memory(T, V, state.D, one_hot_zeros, sparsity(state.embedded) if T else 0.0)


def arrays(state: TokensState) -> list[tuple[str, np.ndarray, tuple, tuple]]:
    """The numbers behind the views as (name, values, row labels, column labels): IDs,
    one-hot rows, embedding rows and the three pairwise matrices (empty before a tokenizer)."""
    if state.tokenizer is None:
        return []
    labels = tuple(state.tokens)
    V = state.one_hot.shape[1]
    out = [("ids", state.ids[:, None].astype(float), labels, ("id",)),
           ("one_hot", state.one_hot, labels, tuple(state.tokenizer.tokens()[:V])),
           ("id_distance", id_distances(state.ids).astype(float), labels, labels),
           ("one_hot_" + state.metric, one_hot_distances(state.one_hot, state.metric), labels, labels)]
    if state.embedded is not None:
        dims = tuple(f"d{j}" for j in range(state.embedded.shape[1]))
        out += [("embedding", state.embedded, labels, dims),
                ("embedding_cosine", embedding_cosine(state), labels, labels)]
    return out
