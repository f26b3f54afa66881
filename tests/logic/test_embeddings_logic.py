"""The projector's Qt-free part (explorer/logic/embeddings.py), without a QApplication."""
from __future__ import annotations

import numpy as np

from explorer.logic import embeddings as logic
from explorer.logic.embeddings import N_SPECIALS, ProjectorState
from model.trace import EmbeddingSnapshot, Snapshot

SPECIALS = ("<pad>", "<bos>", "<eos>", "<unk>")


def big_snapshot(V: int = 6_000, D: int = 8, step: int = 0) -> EmbeddingSnapshot:
    tokens = SPECIALS + tuple(f"▁w{i}" for i in range(V - N_SPECIALS))
    matrix = np.random.default_rng(step).normal(size=(V, D)).astype(np.float32)
    return EmbeddingSnapshot(step=step, name="src", tokens=tokens, matrix=matrix)


def test_a_small_table_is_drawn_whole_without_specials():
    assert list(logic.choose_rows(20, "frequent", 5)) == list(range(N_SPECIALS, 20))


def test_a_large_vocabulary_is_projected_as_a_chosen_subset():
    V = N_SPECIALS + logic.SUBSET_FROM + 1000
    counts = np.zeros(V)
    counts[[10, 5_000, 42, 3]] = [5, 9, 7, 100]  # row 3 is <unk>: never a point
    assert list(logic.choose_rows(V, "frequent", 3, counts)) == [10, 42, 5_000]
    assert list(logic.choose_rows(V, "frequent", 3)) == [4, 5, 6]  # no counts: the vocabulary's order
    assert list(logic.choose_rows(V, "sentences", 10, sentence_ids=[7, 7, 2, 6_000])) == [7, 6_000]
    assert list(logic.choose_rows(V, "search", 10, found=[V + 5, 8])) == [8]


def test_points_of_a_large_vocabulary_and_the_search_over_all_of_it():
    state = ProjectorState(subset_rows=100)
    state.snapshots["src"] = big_snapshot()
    points = logic.gather_points(state, {"src": "en"})
    assert len(points.tokens) == 100 and points.subset and points.vocab == 6_000 - N_SPECIALS
    np.testing.assert_array_equal(points.X, state.snapshots["src"].matrix[N_SPECIALS:104])
    state.subset, state.search = "search", "w5990"  # beyond the first rows: found all the same
    points = logic.gather_points(state, {"src": "en"})
    assert points.tokens == ("▁w5990",)
    assert logic.in_vocabulary(logic.whole_vocabulary(state), "w5990")
    assert not logic.in_vocabulary(logic.whole_vocabulary(state), "astronaut")


def test_export_has_the_coordinates_and_the_neighbour_table():
    state = ProjectorState()
    E = np.random.default_rng(0).normal(size=(24, 6)).astype(np.float32)
    state.snapshots["src"] = EmbeddingSnapshot(0, "src", SPECIALS + tuple(f"t{i}" for i in range(20)), E)
    state.points = logic.gather_points(state, {})
    state.coords, axes = logic.lay_out(state.points.X, "pca", 2)
    assert [name for name, *_ in logic.exported(state)] == ["pca_2d"]
    state.selected, state.k = 3, 4
    out = {name: (values, rows, cols) for name, values, rows, cols in logic.exported(state)}
    values, rows, cols = out["neighbours_cosine"]
    original, pictured = logic.neighbours(state, 3)
    assert rows == tuple(f"t{j}" for j, _ in original) and cols == ("t3",)
    np.testing.assert_allclose(values[:, 0], [s for _, s in original])
    np.testing.assert_allclose(out["neighbours_picture"][0][:, 0], [d for _, d in pictured])


def test_two_timeline_steps_give_the_shown_rows():
    state = ProjectorState(subset_rows=50)
    state.snapshots["src"] = big_snapshot()
    state.points = logic.gather_points(state, {})
    a, b = (Snapshot(step=s, probe=None, src_embeddings=big_snapshot(step=s).matrix[:4096],
                     tgt_embeddings=np.zeros((4, 8))) for s in (1, 2))
    before, after = logic.step_matrices(state, a, b)
    np.testing.assert_array_equal(after, b.src_embeddings[state.points.ids["src"]])
    state.subset, state.search = "search", "w5990"  # a row the snapshots do not keep
    state.points = logic.gather_points(state, {})
    assert logic.step_matrices(state, a, b) is None


def test_frequency_groups_follow_the_chosen_rows():
    state = ProjectorState(colour="frequency", subset_rows=10)
    state.snapshots["src"] = big_snapshot()
    state.frequencies["src"] = np.arange(6_000)
    state.points = logic.gather_points(state, {})
    names, order, sequential = logic.groups(state)
    assert sequential and len(names) == 10 and names[0] == logic.frequency_bands(np.array([5_990]))[0][0]
