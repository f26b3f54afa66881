"""word2vec CBOW, written out so every step can be shown.

CBOW (continuous bag of words) as the notes teach it:

1. take an odd window of ``n`` tokens and hide the centre one;
2. look up the ``n - 1`` context tokens in ONE shared embedding matrix ``E`` (V, D)
   (one-hot × E = a row of E);
3. add the context vectors together (or average them) into one vector (D,);
4. decode that vector with an output layer ``W_out`` (V, D): logits = W_out · combined;
5. compare the softmax of the logits with the hidden centre token (cross-entropy);
6. update the parameters with plain SGD.

The defaults (a mini-batch of 64 windows, learning rate 1.0, summed context) let a
learner see it learn: on the built-in corpus's 378-word English side, 1,000 steps
(under a second of CPU) take the loss from about ln V = 5.9 to about 3.2 and make the
nearest neighbours share a word class several times more often than chance. One window
per step at a small rate (0.05) barely moves in the same time.

Plain numpy, and the backward pass written by hand (three matrix products), so a step can
report exactly which rows of ``E`` moved and by how much. Plain SGD without momentum
or weight decay means the only rows of ``E`` a step changes are the context rows.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.neighbors import NearestNeighbors

from model.projection import nearest_neighbours

N_SPECIALS = 4  # <pad>=0, <bos>=1, <eos>=2, <unk>=3
COMBINE_MODES = ("sum", "mean")
DEFAULT_LR = 1.0  # plain SGD on the summed context; see the module docstring
DEFAULT_BATCH = 64  # windows per step


@dataclass(frozen=True)
class CBOWStep:
    """Everything one CBOW step did (numpy copies). B batch, C = n - 1 context slots.

    Attributes:
        step: the step number after this update (1 for the first step).
        context_ids: (B, C) token ids around each hidden centre (pad_id where the
            window ran past the sentence edge).
        center_ids: (B,) the hidden centre tokens (the targets).
        context_vectors: (B, C, D) rows of E looked up for the context (zeros for pads).
        combined: (B, D) their sum (or mean over the real, non-pad context tokens).
        probs: (B, V) softmax of the decoded logits.
        loss: mean cross-entropy of the batch, -log probs[b, center_ids[b]] averaged.
        changed_rows: (K,) ids of the rows of E this update changed (sorted).
        row_change: (K,) L2 norm of each changed row's update.
        output_change: L2 norm of the update to the output layer W_out.
    """

    step: int
    context_ids: np.ndarray
    center_ids: np.ndarray
    context_vectors: np.ndarray
    combined: np.ndarray
    probs: np.ndarray
    loss: float
    changed_rows: np.ndarray
    row_change: np.ndarray
    output_change: float


def cbow_examples(
    sequences: Sequence[Sequence[int]], window: int, pad_id: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """All (context, centre) pairs of a corpus.

    Every non-special token (id >= 4) is a centre once. Context slots that fall
    outside the sentence hold ``pad_id``.

    Returns:
        context: (N, window - 1) int64; centre: (N,) int64.
    """
    if window < 3 or window % 2 == 0:
        raise ValueError(f"window must be an odd number >= 3, not {window}")
    half = window // 2
    contexts, centres = [], []
    for seq in sequences:
        padded = [pad_id] * half + list(seq) + [pad_id] * half
        for i, token in enumerate(seq):
            if token < N_SPECIALS:
                continue
            span = padded[i : i + window]  # the window centred on seq[i]
            contexts.append(span[:half] + span[half + 1 :])
            centres.append(token)
    context = np.array(contexts, dtype=np.int64).reshape(-1, window - 1)
    return context, np.array(centres, dtype=np.int64)


class CBOWTrainer:
    """Trains CBOW embeddings one step at a time.

    Args:
        sequences: token id lists (e.g. from a Tokenizer). Ids < 4 are special tokens:
            they can be context but are never a hidden centre.
        vocab_size: V, rows of E and of the output layer.
        dim: D, width of each embedding.
        window: odd window size n; n - 1 context tokens predict the centre.
        lr: SGD learning rate.
        batch_size: windows per step; batches walk a shuffled order, epoch by epoch.
        combine: "sum" (as in the notes) or "mean" of the context vectors.
        seed: seeds the initial weights and the shuffling.
        pad_id: id written in context slots past the sentence edge; those slots
            contribute nothing to the combined vector and receive no update.
    """

    def __init__(
        self,
        sequences: Sequence[Sequence[int]],
        vocab_size: int,
        dim: int = 32,
        window: int = 5,
        lr: float = DEFAULT_LR,
        batch_size: int = DEFAULT_BATCH,
        combine: str = "sum",
        seed: int = 0,
        pad_id: int = 0,
    ) -> None:
        if combine not in COMBINE_MODES:
            raise ValueError(f"combine must be one of {COMBINE_MODES}, not {combine!r}")
        if vocab_size <= N_SPECIALS or dim <= 0 or batch_size <= 0 or lr <= 0:
            raise ValueError("vocab_size must exceed 4; dim, batch_size and lr must be positive")
        context, centre = cbow_examples(sequences, window, pad_id)
        if len(centre) == 0:
            raise ValueError("the sequences hold no non-special token to predict")
        if context.max(initial=0) >= vocab_size or centre.max() >= vocab_size:
            raise ValueError("a token id is >= vocab_size")
        self.vocab_size, self.dim, self.window = vocab_size, dim, window
        self.lr, self.batch_size, self.combine, self.pad_id = lr, batch_size, combine, pad_id
        self.step_count = 0
        self._context, self._centre = context, centre  # (N, C), (N,)
        self._rng = np.random.default_rng(seed)
        scale = np.float32(dim**-0.5)
        self._E = self._rng.standard_normal((vocab_size, dim), dtype=np.float32) * scale
        self._W_out = self._rng.standard_normal((vocab_size, dim), dtype=np.float32) * scale
        self._order = self._rng.permutation(len(centre))
        self._cursor = 0

    @property
    def n_examples(self) -> int:
        """How many (context, centre) windows the corpus holds."""
        return len(self._centre)

    @property
    def embeddings(self) -> np.ndarray:
        """(V, D) copy of the embedding matrix E."""
        return self._E.copy()

    @property
    def output_weights(self) -> np.ndarray:
        """(V, D) copy of the output (decoding) layer W_out."""
        return self._W_out.copy()

    def _next_batch(self) -> tuple[np.ndarray, np.ndarray]:
        if self._cursor + self.batch_size > len(self._order):
            self._order = self._rng.permutation(len(self._order))
            self._cursor = 0
        idx = self._order[self._cursor : self._cursor + self.batch_size]
        self._cursor += self.batch_size
        return self._context[idx], self._centre[idx]

    def _update(self, context: np.ndarray, centre: np.ndarray, report: bool):
        """Forward, hand-written backward and SGD update for one batch."""
        B, batch = len(centre), np.arange(len(centre))
        keep = context != self.pad_id  # (B, C) True = a real token, False = padding
        weight = keep.astype(np.float32)  # (B, C) how much each slot counts
        if self.combine == "mean":
            weight /= np.maximum(weight.sum(1, keepdims=True), 1)
        vectors = self._E[context] * keep[..., None]  # (B, C, D) one-hot × E, pads zeroed
        combined = np.einsum("bc,bcd->bd", weight, vectors)  # (B, D)
        logits = combined @ self._W_out.T  # (B, V)
        shifted = logits - logits.max(1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(1, keepdims=True))  # (B, V)
        probs = np.exp(log_probs)
        loss = float(-log_probs[batch, centre].mean())

        # Backward: d loss / d logits = (softmax - one_hot(centre)) / B.
        d_logits = probs.copy()
        d_logits[batch, centre] -= 1.0
        d_logits /= B
        d_W_out = d_logits.T @ combined  # (V, D)
        d_combined = d_logits @ self._W_out  # (B, D)
        d_slots = weight[..., None] * d_combined[:, None, :]  # (B, C, D), zero for pads

        # Sum the gradients of each distinct context row, then update only those rows.
        rows, inverse = np.unique(context[keep], return_inverse=True)  # (K,), (M,)
        d_rows = np.zeros((len(rows), self.dim), dtype=np.float32)
        np.add.at(d_rows, inverse, d_slots[keep])
        self._E[rows] -= self.lr * d_rows
        self._W_out -= self.lr * d_W_out
        self.step_count += 1
        if not report:
            return loss
        return CBOWStep(
            step=self.step_count,
            context_ids=context.copy(),
            center_ids=centre.copy(),
            context_vectors=vectors,
            combined=combined,
            probs=probs,
            loss=loss,
            changed_rows=rows,
            row_change=self.lr * np.linalg.norm(d_rows, axis=1),
            output_change=float(self.lr * np.linalg.norm(d_W_out)),
        )

    def step(self) -> CBOWStep:
        """One SGD step on the next batch, reporting all of its parts."""
        return self._update(*self._next_batch(), report=True)

    def run(self, n: int) -> list[float]:
        """n SGD steps without building reports; returns each step's loss."""
        return [self._update(*self._next_batch(), report=False) for _ in range(n)]

    def neighbours(self, token_id: int, k: int = 10, metric: str = "cosine") -> list[tuple[int, float]]:
        """The k nearest non-special tokens to ``token_id`` in E.

        Returns (id, score) pairs, best first: cosine similarity for "cosine",
        Euclidean distance for "euclidean".
        """
        found = nearest_neighbours(self._E, token_id, k=k + N_SPECIALS, metric=metric)
        return [(i, s) for i, s in found if i >= N_SPECIALS][:k]


def neighbour_purity(vectors: np.ndarray, labels: Sequence[str | None], k: int = 5) -> float:
    """How well the vectors group by label.

    For each labelled point, the fraction of its k nearest labelled neighbours (by
    cosine similarity, itself excluded) that carry the same label; averaged over the
    labelled points. Points whose label is None are left out entirely.

    Args:
        vectors: (N, D) one vector per point.
        labels: N labels (or None).
    """
    keep = np.array([label is not None for label in labels])
    names = np.array([label for label in labels if label is not None])
    if len(names) < 2:
        raise ValueError("neighbour_purity needs at least two labelled points")
    k = min(k, len(names) - 1)
    index = NearestNeighbors(n_neighbors=k, metric="cosine").fit(np.asarray(vectors)[keep])
    nearest = index.kneighbors(return_distance=False)  # (M, k), each point itself left out
    return float((names[nearest] == names[:, None]).mean())
