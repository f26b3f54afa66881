"""The attention panel's Qt-free part: what is looked at, the matrices it shows, the
request a choice of mode makes, and the gold alignment against a trace's heads.

Everything here is plain numpy and dataclasses, tested without a QApplication
(tests/explorer/test_attention_state.py); the views in this package only draw it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.alignment import head_aer, rows_by_predicted, token_word_links, trace_token_words
from model.tokenizer import EOS
from model.trace import AttentionTrace, ModelTrace

KINDS = ("enc_self", "dec_self", "cross")
AGGREGATES = ("mean", "max")
MODES = ("greedy", "beam", "forced")  # how a sentence is traced
ROW_ALIGNMENTS = ("predicts", "reads")  # which word a decoder row is compared with


@dataclass(frozen=True)
class Selection:
    """Which matrix is looked at: kind, layer and head (an int, or "mean"/"max")."""

    kind: str = "cross"
    layer: int = 0
    head: int | str = 0

    @property
    def name(self) -> str:
        head = f"H{self.head}" if isinstance(self.head, int) else self.head
        return f"{self.kind}.L{self.layer}.{head}"


def axis_tokens(trace: ModelTrace, kind: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(query tokens, key tokens) of a kind: rows and columns of its matrices.

    Encoder self: source × source; decoder self: target × target; cross: target × source.
    """
    src = marked_source_tokens(trace)
    return {"enc_self": (src, src),
            "dec_self": (trace.tgt_tokens, trace.tgt_tokens),
            "cross": (trace.tgt_tokens, src)}[kind]


def marked_source_tokens(trace: ModelTrace) -> tuple[str, ...]:
    """The source tokens with each <unk> marked and named: "⚠<unk>:astronaut" (the word
    the model could not read), so the axes and the hover text say which word it was."""
    source = trace.source or {}
    tokens = list(trace.src_tokens)
    for pos, word in zip(source.get("unknown_positions", ()), source.get("unknown_at", ())):
        if pos < len(tokens):
            tokens[pos] = f"⚠{tokens[pos]}:{word}"
    return tuple(tokens)


def predicted_tokens(trace: ModelTrace, kind: str) -> tuple[str, ...] | None:
    """What each decoder row predicts (shown on the right axis); None for the encoder."""
    return None if kind == "enc_self" else trace.out_tokens


def head_matrix(block: AttentionTrace, head: int | str) -> np.ndarray:
    """(T, S) weights of one head, or their mean or max over the heads."""
    if head == "mean":
        return block.weights.mean(axis=0)
    if head == "max":
        return block.weights.max(axis=0)
    return block.weights[head]


def trace_request(src: str, reference: str | None, mode: str,
                  beam: int) -> tuple[str, str | None, int] | None:
    """The trace a choice of inputs asks for, as (source, forced target, beam width).

    "greedy" and "beam" translate with the model's own output; "forced" pushes the
    reference through the decoder (None when there is no reference to force).
    """
    src, reference = src.strip(), (reference or "").strip() or None
    if not src or (mode == "forced" and reference is None):
        return None
    return src, reference if mode == "forced" else None, beam if mode == "beam" else 1


def decoded_freely(trace: ModelTrace) -> bool:
    """Whether the decoder read the model's own greedy output (each input token the one
    predicted before it), not a forced reference: for a trace whose request is unknown."""
    logits = np.asarray(trace.logits)
    if logits.size == 0:  # a history snapshot keeps no logits: the predicted tokens tell
        return list(trace.tgt_tokens[1:]) == list(trace.out_tokens[:-1])
    predicted = logits.argmax(-1)[:-1]
    return [int(i) for i in trace.tgt_ids[1:]] == [int(i) for i in predicted]


def output_text(trace: ModelTrace, tgt_tok, forced: bool) -> str:
    """The decoder's sentence as plain text, for reading at a glance.

    Translated freely (greedy or beam): the model's own translation, which is the decoder
    input after <bos>. Under teacher forcing: the word the model predicts at each position,
    up to its first <eos>. Word pieces are joined by the tokenizer (BPE "▁" marks word
    starts); without one the tokens are joined by spaces.
    """
    logits = np.asarray(trace.logits)
    if forced and logits.size == 0:  # a history snapshot keeps no logits: its predicted tokens
        if tgt_tok is None:
            tokens = list(trace.out_tokens)
            return " ".join(tokens[:tokens.index("<eos>")] if "<eos>" in tokens else tokens)
        ids = [tgt_tok.token_to_id(t) for t in trace.out_tokens]
    else:
        ids = [int(i) for i in (logits.argmax(-1) if forced else trace.tgt_ids[1:])]
    if EOS in ids:
        ids = ids[:ids.index(EOS)]
    if tgt_tok is None:
        tokens = trace.out_tokens if forced else trace.tgt_tokens[1:]
        return " ".join(tokens[:len(ids)])
    return tgt_tok.decode(ids)


def source_text(trace: ModelTrace, src_tok) -> str:
    """The sentence the trace read, as plain text: as typed where the trace kept it, else its
    source pieces joined by the tokenizer (a history snapshot keeps only the pieces)."""
    text = (trace.source or {}).get("text")
    if text:
        return str(text).strip()
    ids = [int(i) for i in np.asarray(trace.src_ids).ravel()]
    if EOS in ids:
        ids = ids[:ids.index(EOS)]
    if src_tok is None:
        tokens = [t for t in trace.src_tokens if t != "<eos>"]
        return " ".join(tokens)
    return src_tok.decode(ids)


def other_sentence(trace: ModelTrace, typed: str, src_tok) -> str | None:
    """The trace's sentence when it is not the one in the source field (a replayed
    snapshot shows the probe sentence of its time), else None."""
    shown = source_text(trace, src_tok)
    if not typed.strip() or not shown:
        return None
    if shown == typed.strip():
        return None
    if src_tok is not None:
        typed_ids = [i for i in src_tok.encode(typed.strip()) if i != EOS]
        ids = [int(i) for i in np.asarray(trace.src_ids).ravel() if int(i) != EOS]
        if typed_ids == ids:
            return None
    return shown


def gold_links(trace: ModelTrace, pair, src_tok, tgt_tok,
               rows: str = "predicts") -> tuple[set, list[int]] | None:
    """Gold (t, s) token links of ``pair`` on ``trace``'s cross-attention, and the rows
    that have a gold word; None when the pair has no alignment or is not this trace.

    ``rows``: "predicts" compares decoder row t with the word it predicts (token t+1),
    "reads" with the word it reads (token t).
    """
    alignment = getattr(pair, "alignment", None)
    if not alignment or trace is None:
        return None
    try:
        src_words = trace_token_words(trace.src_tokens, pair.src, pair.src_words, src_tok)
        tgt_words = trace_token_words(trace.tgt_tokens, pair.tgt, pair.tgt_words, tgt_tok)
    except ValueError:
        return None  # the trace is not this pair (e.g. a probe sentence)
    if rows == "predicts":
        tgt_words = rows_by_predicted(tgt_words)
    links = token_word_links(alignment, src_words, tgt_words)
    return links, [t for t, w in enumerate(tgt_words) if w >= 0]


def cross_aer(trace: ModelTrace, gold: tuple[set, list[int]]) -> np.ndarray:
    """(L, H) alignment error rate of every cross-attention head against ``gold``."""
    links, rows = gold
    return np.stack([head_aer(b.weights, links, rows) for b in trace.cross])


def best_head(aer: np.ndarray | None) -> tuple[int, int] | None:
    """(layer, head) with the lowest AER, or None when there is none."""
    if aer is None or np.all(np.isnan(aer)):
        return None
    layer, head = np.unravel_index(np.nanargmin(aer), aer.shape)
    return int(layer), int(head)
