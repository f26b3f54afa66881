"""What the word2vec panel runs, without Qt: a CBOW set-up built from sentences, the
training job that plays it in chunks, and the chance level of neighbour purity."""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

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


@dataclass
class Word2VecState:
    """What the word2vec panel shows: the CBOW set-up, the last step, the losses, the
    neighbour purity and the latest copy of E."""

    setup: CBOWSetup | None = None
    last_step: object | None = None  # model.word2vec.CBOWStep
    losses: list = field(default_factory=list)
    purity: float | None = None
    embeddings: np.ndarray | None = None
    file_texts: list[str] | None = None
    file_name: str | None = None

    def take_setup(self, setup: CBOWSetup) -> None:
        self.setup, self.last_step, self.losses = setup, None, []
        self.embeddings = setup.trainer.embeddings
        self.purity = purity(setup, self.embeddings)

    def take_step(self, step) -> None:
        """One step trained here (Step): its loss, E and purity after it."""
        self.losses.append(step.loss)
        self.last_step = step
        self.embeddings = self.setup.trainer.embeddings
        self.purity = purity(self.setup, self.embeddings)

    def take_chunk(self, chunk) -> None:
        """A chunk from :func:`play_steps`."""
        losses, last, E, value = chunk
        self.losses.extend(losses)
        self.last_step, self.embeddings, self.purity = last, E, value


def purity(setup: CBOWSetup, E: np.ndarray) -> float | None:
    """Neighbour purity by word class of E's rows (None when fewer than two words have a class)."""
    if sum(c is not None for c in setup.classes) < 2:
        return None
    return neighbour_purity(E, setup.classes, k=PURITY_K)


def step_rows(state: Word2VecState) -> tuple[np.ndarray, list[str]]:
    """(C + 1, D) what the rows view shows for the first example of the last step: the
    context rows of E, then their sum (or mean); and the row labels."""
    s, tok = state.last_step, state.setup.tokenizer
    rows = np.vstack([s.context_vectors[0], s.combined[0][None, :]])
    labels = [tok.id_to_token(int(i)) for i in s.context_ids[0]] + [f"= {state.setup.trainer.combine}"]
    return rows, labels


def top_probs(step) -> tuple[np.ndarray, np.ndarray]:
    """(ids, probabilities) of the TOP_K most likely tokens of the step's first example,
    best first; the hidden centre is added at the end when it is not among them."""
    p = step.probs[0]
    ids = np.argsort(-p)[:TOP_K]
    centre = int(step.center_ids[0])
    if centre not in ids:
        ids = np.append(ids, centre)
    return ids, p[ids]


def running_mean(losses) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(x, y) of the loss curve and (x, y) of its running mean over a 50th of its length."""
    y = np.asarray(losses, dtype=float)
    x = np.arange(1, len(y) + 1)
    if not len(y):
        return x, y, x, y
    w = min(len(y), max(1, len(y) // 50))
    sums = np.concatenate([[0.0], np.cumsum(y)])
    return x, y, x[w - 1:], (sums[w:] - sums[:-w]) / w


def step_note(state: Word2VecState) -> dict:
    """The values the sentence under the step view needs (the first example of the last step)."""
    step, tok = state.last_step, state.setup.tokenizer
    centre = int(step.center_ids[0])
    p_centre = float(step.probs[0, centre])
    half = len(step.context_ids[0]) // 2
    words = [tok.id_to_token(int(i)) for i in step.context_ids[0]]
    return {"step": step.step, "before": words[:half], "after": words[half:], "n": len(words),
            "centre": tok.id_to_token(centre), "p": p_centre, "rank": int((step.probs[0] > p_centre).sum()) + 1,
            "vocab": tok.vocab_size, "loss": float(-np.log(p_centre)), "batch": len(step.center_ids),
            "mean": step.loss}


def exported(state: Word2VecState) -> list[tuple[str, np.ndarray, tuple, tuple]]:
    """(name, values, row labels, column labels): the step's rows and sum, its top-k
    probabilities, the changed rows, the loss curve and the learned E."""
    out = []
    if state.setup is None:
        return out
    tok = state.setup.tokenizer
    if state.last_step is not None:
        rows, labels = step_rows(state)
        out.append(("context_rows", rows, tuple(labels), tuple(f"d{j}" for j in range(rows.shape[1]))))
        ids, p = top_probs(state.last_step)
        out.append(("top_probs", p[:, None], tuple(tok.id_to_token(int(i)) for i in ids), ("p",)))
        changed = tuple(tok.id_to_token(int(i)) for i in state.last_step.changed_rows)
        out.append(("row_change", state.last_step.row_change[:, None], changed, ("norm",)))
    if state.losses:
        out.append(("loss", np.asarray(state.losses)[:, None],
                    tuple(str(i + 1) for i in range(len(state.losses))), ("loss",)))
    if state.embeddings is not None:
        out.append(("E", state.embeddings, tuple(tok.tokens()),
                    tuple(f"d{j}" for j in range(state.embeddings.shape[1]))))
    return out


def snapshot(state: Word2VecState):
    """The learned E as an EmbeddingSnapshot named "cbow" (word classes included)."""
    from model.trace import EmbeddingSnapshot

    return EmbeddingSnapshot(step=state.setup.trainer.step_count, name="cbow",
                             tokens=tuple(state.setup.tokenizer.tokens()), matrix=state.embeddings.copy(),
                             word_class=tuple(c or "" for c in state.setup.classes))
