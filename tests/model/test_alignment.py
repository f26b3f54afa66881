import math

import numpy as np
import pytest

from model.alignment import (
    alignment_error_rate,
    argmax_links,
    head_aer,
    rows_by_predicted,
    token_word_links,
    trace_token_words,
)


def test_aer_hand_examples():
    gold = {(0, 0), (1, 2), (2, 1)}
    assert alignment_error_rate(gold, gold) == 0.0
    assert alignment_error_rate({(0, 1), (1, 0)}, gold) == 1.0
    # 2 of 3 predicted links are gold: 1 - (2 + 2) / (3 + 3) = 1/3
    assert alignment_error_rate({(0, 0), (1, 2), (2, 2)}, gold) == pytest.approx(1 / 3)
    # possible links count in the numerator only through A ∩ P
    sure, possible = {(0, 0)}, {(0, 0), (1, 1)}
    assert alignment_error_rate({(0, 0), (1, 1)}, sure, possible) == pytest.approx(
        1 - (1 + 2) / (2 + 1))
    assert math.isnan(alignment_error_rate(set(), set()))


def test_argmax_links_and_head_aer():
    w = np.array([[[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]],      # head 0: rows -> 0, 2
                  [[0.1, 0.8, 0.1], [0.6, 0.3, 0.1]]])     # head 1: rows -> 1, 0
    assert argmax_links(w[0]) == {(0, 0), (1, 2)}
    assert argmax_links(w[1], rows=[1]) == {(1, 0)}
    gold = {(0, 0), (1, 2)}
    aer = head_aer(w, gold, rows=[0, 1])
    assert aer[0] == 0.0 and aer[1] == 1.0


def test_word_links_to_token_links_split_words():
    # source word 1 is split into two tokens; the last source token is <eos>
    src_token_words = [0, 1, 1, -1]
    row_words = [-1, 0, 1]          # <bos>, word 0, word 1
    links = token_word_links({(0, 1), (1, 0)}, src_token_words, row_words)
    assert links == {(2, 0), (1, 1), (1, 2)}


def test_rows_by_predicted_shifts_by_one():
    assert rows_by_predicted([-1, 0, 1, 2]) == [0, 1, 2, -1]


class _SplitTokenizer:
    """Whitespace tokens with char offsets (what Tokenizer.tokenize_with_offsets gives)."""

    def tokenize_with_offsets(self, text):
        out, pos = [], 0
        for tok in text.split():
            start = text.index(tok, pos)
            out.append((tok, start, start + len(tok)))
            pos = start + len(tok)
        return out


def test_trace_token_words_skips_frame_tokens():
    text = "the dog sleeps ."
    tokens = ("<bos>", "the", "dog", "<unk>", ".", "<eos>")
    words = ["the", "dog", "sleeps", "."]
    assert trace_token_words(tokens, text, words, _SplitTokenizer()) == [-1, 0, 1, 2, 3, -1]
    with pytest.raises(ValueError):
        trace_token_words(("the", "<eos>"), text, words, _SplitTokenizer())
