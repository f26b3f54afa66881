"""The tokens panel's Qt-free part (explorer/logic/tokens.py), without a QApplication."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from explorer.logic import tokens as logic
from model.tokenizer import UNK, build_tokenizer
from model.trace import EmbeddingSnapshot

TEXTS = ["the dog sees the cat .", "a cat sleeps .", "the bird sings ."]


@pytest.fixture
def state():
    tok = build_tokenizer("word", TEXTS, "en")
    s = logic.tokenize(logic.TokensState(), tok, "the dog sees the cat .")
    E = np.random.default_rng(0).normal(size=(tok.vocab_size, 6)).astype(np.float32)
    logic.take_embeddings(s, EmbeddingSnapshot(step=7, name="src", tokens=tuple(tok.tokens()), matrix=E))
    return s, tok, E


def test_the_module_imports_no_qt():
    code = ("import sys, explorer.logic.tokens;"
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'superqt'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_ids_one_hot_and_the_product_with_E(state):
    s, tok, E = state
    ids = np.array(tok.encode("the dog sees the cat ."))
    np.testing.assert_array_equal(s.ids, ids)
    assert s.tokens == tok.tokenize("the dog sees the cat .") and s.V == tok.vocab_size and s.D == 6
    assert s.one_hot.shape == (len(ids), tok.vocab_size)
    np.testing.assert_array_equal(s.one_hot.sum(1), 1)
    np.testing.assert_array_equal(s.one_hot.argmax(1), ids)
    np.testing.assert_allclose(s.embedded, s.one_hot @ E, rtol=0, atol=1e-6)  # the rows of E = o × E
    X = E[ids].astype(np.float64)
    unit = X / np.linalg.norm(X, axis=1, keepdims=True)
    np.testing.assert_allclose(logic.embedding_cosine(s), unit @ unit.T, atol=1e-6)


def test_distances():
    ids = np.array([5, 2, 5, 9])
    np.testing.assert_array_equal(logic.id_distances(ids), np.abs(ids[:, None] - ids[None, :]))
    one_hot = np.eye(10, dtype=np.float32)[ids]
    same = ids[:, None] == ids[None, :]
    np.testing.assert_allclose(logic.one_hot_distances(one_hot, "euclidean"),
                               np.where(same, 0.0, np.sqrt(2)), atol=1e-7)
    np.testing.assert_allclose(logic.one_hot_distances(one_hot, "cosine"), same.astype(float), atol=1e-7)
    with pytest.raises(ValueError):
        logic.one_hot_distances(one_hot, "manhattan")
    assert logic.cosine_similarities(np.zeros((2, 3)))[0, 1] == 0  # zero rows give 0, not NaN
    assert logic.sparsity(one_hot) == pytest.approx(0.9)


def test_the_vocabulary_window_of_a_58k_vocabulary():
    V = 58_101
    assert logic.vocab_window(3, V) == (0, 1024)
    assert logic.vocab_window(30_000, V) == (30_000 - 512, 30_000 + 512)
    assert logic.vocab_window(V - 1, V) == (V - 1024, V)
    assert logic.vocab_window(7, 20) == (0, 20)
    for token_id in (0, 511, 512, 40_000, V - 1):
        lo, hi = logic.vocab_window(token_id, V)
        assert lo <= token_id < hi and hi - lo == 1024


def test_selecting_a_token_computes_o_times_E_as_a_product(state):
    s, tok, E = state
    p = logic.select(s, 2)
    token_id = tok.token_to_id("sees")
    assert (p.row, p.token, p.id, p.V, p.lo, p.hi) == (2, "sees", token_id, tok.vocab_size, 0, tok.vocab_size)
    np.testing.assert_allclose(p.product, E[token_id], atol=1e-6)
    assert p.gap < 1e-6 and s.selected == 2
    assert logic.select(s, 99) is None and s.selected == 2


def test_a_new_E_changes_only_the_rows_and_a_foreign_vocabulary_has_none(state):
    s, tok, E = state
    tokens, one_hot = list(s.tokens), s.one_hot
    E2 = 2 * E + 1
    logic.take_embeddings(s, EmbeddingSnapshot(step=8, name="src", tokens=tuple(tok.tokens()), matrix=E2))
    assert s.tokens == tokens and s.one_hot is one_hot  # not tokenized again
    np.testing.assert_allclose(s.embedded, s.one_hot @ E2, rtol=1e-6)
    logic.tokenize(s, build_tokenizer("char", TEXTS, "en"))
    assert s.snapshot is None and s.embedded is None and logic.product(s).product is None
    assert [name for name, *_ in logic.arrays(s)] == ["ids", "one_hot", "id_distance", "one_hot_euclidean"]


def test_memory_figures_and_exported_arrays(state):
    s, tok, E = state
    m = logic.memory(s)
    T, V = len(s.tokens), tok.vocab_size
    assert (m.T, m.V, m.D) == (T, V, 6) and m.totals == (8 * T, 4 * V * T, 4 * 6 * T)
    assert m.one_hot_zeros == pytest.approx((V - 1) / V)
    s.metric = "cosine"
    names = {name: (values, rows, cols) for name, values, rows, cols in logic.arrays(s)}
    assert list(names) == ["ids", "one_hot", "id_distance", "one_hot_cosine", "embedding", "embedding_cosine"]
    assert names["one_hot"][2] == tuple(tok.tokens()) and names["embedding"][1] == tuple(s.tokens)


def test_unknown_words_and_pieces():
    tok = build_tokenizer("word", TEXTS, "en")
    s = logic.tokenize(logic.TokensState(), tok, "the astronaut sees the zebra .")
    assert logic.unknown_rows(s) == [1, 4] and int(s.ids[1]) == UNK
    assert not logic.is_pieces(tok)
    assert logic.embedding_preview(np.array([0.5, -1.0, 2.0, 0.0, 3.0])) == "[+0.500, -1.000, +2.000, +0.000, …]"
    assert logic.row_text(np.arange(10.0), per_line=4) == (
        "+0.0000 +1.0000 +2.0000 +3.0000\n+4.0000 +5.0000 +6.0000 +7.0000\n+8.0000 +9.0000")
    empty = logic.tokenize(logic.TokensState(), tok, "")
    assert empty.tokens == [] and empty.selected == 0 and logic.product(empty) is None


def test_number_line_labels_take_the_lowest_free_row():
    # three labels 2 units wide at x = 0, 1, 2 on a line 0..10, two rows, no gap
    placed = logic.place_labels([1.0, 1.5, 5.0, 9.5], [2.0, 2.0, 2.0, 2.0], 0.0, 10.0, 2, 0.0)
    assert [row for row, _ in placed] == [0, 1, 0, 0]
    assert placed[0][1] == 0.5  # centred over its point
    assert placed[3][1] == 0.75  # slid left to stay inside the line: the point is 3/4 along it
    crowded = logic.place_labels([1.0, 1.1, 1.2], [2.0] * 3, 0.0, 10.0, 2, 0.0)
    assert [row for row, _ in crowded] == [0, 1, None]
    assert logic.place_labels([20.0], [1.0], 0.0, 10.0, 3, 0.1)[0][0] is None  # out of view


def test_a_snapshot_with_the_first_rows_of_E_gives_the_rows_it_keeps(state):
    """A timeline snapshot of a large vocabulary keeps only E's first rows: the tokens whose
    rows are kept get them, the others NaN (drawn grey), and the product only for those kept."""
    s, tok, E = state
    s.snapshots.clear()
    n = int(np.sort(s.ids)[len(s.ids) // 2])  # some of the sentence's IDs below, some not
    part = EmbeddingSnapshot(step=3, name="src", tokens=tuple(tok.tokens())[:n], matrix=E[:n])
    logic.take_embeddings(s, part)
    assert s.snapshot is part and s.partial and s.rows_kept == n
    kept = s.ids < n
    assert 0 < kept.sum() < len(s.ids) and logic.kept_tokens(s) == kept.sum()
    np.testing.assert_array_equal(s.embedded[kept], E[s.ids[kept]])
    assert np.isnan(s.embedded[~kept]).all()
    row_in, row_out = int(np.flatnonzero(kept)[0]), int(np.flatnonzero(~kept)[0])
    p = logic.select(s, row_in)
    np.testing.assert_allclose(p.product, E[s.ids[row_in]], atol=1e-6)
    assert p.gap == pytest.approx(0, abs=1e-6)
    p = logic.select(s, row_out)
    assert p.product is None and p.gap is None
    # a whole table wins over a partial one; a table of another vocabulary never matches
    whole = EmbeddingSnapshot(step=3, name="tgt", tokens=tuple(tok.tokens()), matrix=E)
    assert logic.matching_embeddings(tok, [part, whole]) is whole
    other = EmbeddingSnapshot(step=3, name="src", tokens=("x",) * n, matrix=E[:n])
    assert logic.matching_embeddings(tok, [other]) is None
