"""The attention panel's Qt-free part (explorer/panels/attention/state.py), without Qt."""
from __future__ import annotations

import numpy as np
import torch

from explorer.panels.attention.state import (
    Selection,
    axis_tokens,
    best_head,
    cross_aer,
    gold_links,
    head_matrix,
    other_sentence,
    source_text,
    trace_request,
)
from model.alignment import alignment_error_rate, argmax_links
from model.config import ModelConfig
from model.corpus import SentencePair
from model.tokenizer import build_tokenizer
from model.transformer import Seq2Seq

PAIR = SentencePair(src="the dog sees a cat .", tgt="der Hund sieht eine Katze .",
                    src_words=("the", "dog", "sees", "a", "cat", "."),
                    tgt_words=("der", "Hund", "sieht", "eine", "Katze", "."),
                    alignment=((0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (5, 5)))
SRC, TGT = build_tokenizer("word", [PAIR.src], "en"), build_tokenizer("word", [PAIR.tgt], "de")


def forced_trace():
    torch.manual_seed(0)
    model = Seq2Seq(ModelConfig(src_vocab=SRC.vocab_size, tgt_vocab=TGT.vocab_size, d_model=16,
                                n_heads=2, n_layers=2, d_ff=32, dropout=0.0, max_len=32))
    src_ids, tgt_ids = SRC.encode(PAIR.src, add_eos=True), TGT.encode(PAIR.tgt, add_bos=True)
    return model.trace(torch.tensor([src_ids]), torch.tensor([tgt_ids]),
                       [SRC.id_to_token(i) for i in src_ids], [TGT.id_to_token(i) for i in tgt_ids],
                       id_to_token=TGT.id_to_token)


def test_the_mode_decides_the_request():
    assert trace_request(" a b ", "x y", "greedy", 4) == ("a b", None, 1)
    assert trace_request("a b", "x y", "beam", 4) == ("a b", None, 4)
    assert trace_request("a b", " x y ", "forced", 4) == ("a b", "x y", 1)
    assert trace_request("a b", "  ", "forced", 4) is None  # nothing to force
    assert trace_request("", "x", "greedy", 1) is None


def test_gold_alignment_and_the_best_head():
    trace = forced_trace()
    gold = gold_links(trace, PAIR, SRC, TGT, rows="reads")
    assert gold[0] == {(t, t - 1) for t in range(1, 7)}
    aer = cross_aer(trace, gold)
    assert aer.shape == (2, 2)
    expected = alignment_error_rate(argmax_links(trace.cross[1].weights[0], range(1, 7)), gold[0])
    assert aer[1, 0] == expected
    layer, head = best_head(aer)
    assert aer[layer, head] == np.nanmin(aer)
    assert best_head(None) is None and best_head(np.full((2, 2), np.nan)) is None
    predicts = gold_links(trace, PAIR, SRC, TGT, rows="predicts")
    assert predicts[0] == {(t - 1, s) for t, s in gold[0]}
    other = SentencePair(src="a cat .", tgt="eine Katze .", src_words=("a", "cat", "."),
                         tgt_words=("eine", "Katze", "."), alignment=((0, 0),))
    assert gold_links(trace, other, SRC, TGT) is None  # not the pair that was traced


def test_what_a_selection_shows():
    trace = forced_trace()
    assert axis_tokens(trace, "cross") == (trace.tgt_tokens, trace.src_tokens)
    block = trace.cross[0]
    np.testing.assert_array_equal(head_matrix(block, "max"), block.weights.max(axis=0))
    assert Selection("cross", 1, "mean").name == "cross.L1.mean"


def test_a_trace_of_another_sentence_than_the_typed_one_names_it():
    """A replayed snapshot keeps only the source pieces: the sentence it shows is rebuilt
    from them, and named when it is not the one in the source field."""
    import dataclasses

    trace = forced_trace()  # no recorded text, as in a history snapshot
    assert trace.source is None
    assert source_text(trace, SRC) == "the dog sees a cat."  # joined as the tokenizer decodes
    assert other_sentence(trace, "the dog sees a cat .", SRC) is None  # the same sentence
    assert other_sentence(trace, "  the dog sees a cat .  ", SRC) is None
    assert other_sentence(trace, "a cat sees the dog .", SRC) == "the dog sees a cat."
    assert other_sentence(trace, "", SRC) is None  # nothing typed: nothing to tell apart
    kept = dataclasses.replace(trace, source={"text": "The dog sees a cat."})
    assert source_text(kept, SRC) == "The dog sees a cat."  # as typed, when the trace kept it
    assert other_sentence(kept, "The dog sees a cat.", SRC) is None
    assert source_text(trace, None) == "the dog sees a cat ."  # no tokenizer: pieces by spaces
