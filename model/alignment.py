"""Cross-attention as word alignment: gold links on tokens and the alignment error rate.

A corpus may carry gold word alignments: pairs (src_word, tgt_word). A head of
cross-attention "aligns" target token t with the source token it attends to most.
Comparing the two gives the alignment error rate (Och & Ney, 2003):

    AER = 1 - (|A ∩ S| + |A ∩ P|) / (|A| + |S|)

with A the predicted links, S the sure gold links and P the possible ones (P ⊇ S).
Here gold links are all sure, so S = P and a perfect head scores 0, a head that never
hits a gold link scores 1.

Links on tokens are (t, s) pairs: row t of a (T, S) cross-attention matrix, column s.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

# Tokens that stand for no word of the text (<unk> does: it replaces an unknown word).
FRAME_TOKENS = frozenset({"<pad>", "<bos>", "<eos>"})

Link = tuple[int, int]


def alignment_error_rate(predicted: Iterable[Link], sure: Iterable[Link],
                         possible: Iterable[Link] | None = None) -> float:
    """AER of ``predicted`` links against gold ``sure`` and ``possible`` links.

    ``possible`` defaults to ``sure`` (all gold links sure); it always includes ``sure``.
    Returns NaN when there is nothing to compare (no predicted and no sure links).
    """
    a, s = set(predicted), set(sure)
    p = s | (set(possible) if possible is not None else set())
    if not a and not s:
        return float("nan")
    return 1.0 - (len(a & s) + len(a & p)) / (len(a) + len(s))


def argmax_links(weights: np.ndarray, rows: Iterable[int] | None = None) -> set[Link]:
    """Predicted links of one head: each row t linked to the column it attends to most.

    Args:
        weights: (T, S) attention weights of one head.
        rows: the rows that get a link (default all), e.g. only rows that stand for a word.
    Returns:
        {(t, argmax_s weights[t, s])}.
    """
    best = np.asarray(weights).argmax(axis=1)
    rows = range(len(best)) if rows is None else rows
    return {(int(t), int(best[t])) for t in rows}


def token_word_links(word_links: Iterable[Link], src_token_words: Sequence[int],
                     row_words: Sequence[int]) -> set[Link]:
    """Gold word links carried over to token links (t, s).

    Args:
        word_links: gold (src_word, tgt_word) pairs, word indices from 0.
        src_token_words: (S,) word index of each source token (column), -1 for none.
        row_words: (T,) target word index each row stands for, -1 for none.
    Returns:
        Every (t, s) whose target word and source word are linked (a word split into
        several tokens links all of them).
    """
    linked = set(word_links)
    return {(t, s)
            for t, tw in enumerate(row_words) if tw >= 0
            for s, sw in enumerate(src_token_words) if sw >= 0 and (sw, tw) in linked}


def head_aer(weights: np.ndarray, gold: set[Link], rows: Iterable[int]) -> np.ndarray:
    """AER of every head of one cross-attention block against token-level gold links.

    Args:
        weights: (H, T, S) cross-attention weights.
        gold: sure gold links (t, s).
        rows: the rows that predict a link (rows standing for a target word).
    Returns:
        (H,) alignment error rate per head.
    """
    rows = list(rows)
    return np.array([alignment_error_rate(argmax_links(w, rows), gold) for w in weights])


def trace_token_words(trace_tokens: Sequence[str], text: str, words: Sequence[str],
                      tokenizer) -> list[int]:
    """Word index of each token of a trace (-1 for <bos>, <eos>, <pad>).

    A trace holds token strings only; ``tokenizer.tokenize_with_offsets(text)`` gives the
    same tokens (without the frame tokens) with their character spans, which
    :func:`model.tokenizer.token_word_index` maps to ``words``.

    Raises:
        ValueError: when the trace's tokens are not the tokenisation of ``text``.
    """
    from model.tokenizer import token_word_index

    pieces = tokenizer.tokenize_with_offsets(text)
    word_of = token_word_index(text, words, [(s, e) for _, s, e in pieces])
    inner = [i for i, tok in enumerate(trace_tokens) if tok not in FRAME_TOKENS]
    if len(inner) != len(pieces):
        raise ValueError(f"{len(inner)} tokens in the trace but {len(pieces)} in the text")
    result = [-1] * len(trace_tokens)
    for i, w in zip(inner, word_of):
        result[i] = w
    return result


def rows_by_predicted(tgt_token_words: Sequence[int]) -> list[int]:
    """Target word each decoder row *predicts* under teacher forcing.

    Row t of a decoder matrix reads input token t and predicts token t+1, so when the
    decoder input is the reference (<bos> y1 ... yn), the word row t produces is the word of
    input token t+1. The last row predicts <eos>: -1.
    """
    return list(tgt_token_words[1:]) + [-1]
