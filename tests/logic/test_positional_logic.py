"""The positional panel's Qt-free part (explorer/logic/positional.py), without a QApplication:
the formulas behind its plots and what its state chooses to show."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from explorer.logic import positional as logic
from model.config import ModelConfig, TrainConfig
from model.tokenizer import build_tokenizer
from model.trace import Snapshot
from model.transformer import Seq2Seq

RNG = np.random.default_rng(0)


def snap(step: int) -> Snapshot:
    E = np.zeros((4, 2), np.float32)
    return Snapshot(step=step, probe=None, src_embeddings=E, tgt_embeddings=E, pos_table=np.zeros((8, 2)))


def test_similarity_by_offset_is_the_dot_product_of_rows():
    table = RNG.normal(size=(10, 4))
    got = logic.similarity_by_offset(table, [0, 3], 5)
    assert got.shape == (2, 5)
    assert np.isclose(got[1, 2], table[3] @ table[5]) and np.isclose(got[0, 0], table[0] @ table[0])


def test_sinusoidal_similarity_depends_on_the_offset_only():
    """P_m · P_(m+k) = Σ cos(ω_i k): the same curve from every start."""
    starts, n_offsets = logic.offset_starts(64)
    assert (starts, n_offsets) == ([0, 16, 32], 32)
    curves = logic.similarity_by_offset(logic.sinusoidal(64, 32), starts, n_offsets)
    assert logic.spread(curves) < 1e-4
    assert np.isclose(curves[0, 0], 16.0)  # D/2 sine-cosine pairs, each sin² + cos² = 1
    assert curves[0, 0] > curves[0, 1:].max()  # nearest to itself
    random = logic.similarity_by_offset(RNG.normal(size=(64, 32)), starts, n_offsets)
    assert logic.spread(random) > 1.0  # the property is the table's, not the function's


def test_rotation_keeps_lengths_and_is_undone():
    x = RNG.normal(size=8).astype(np.float32)
    rotated = logic.rotate(x, 12)
    assert rotated.shape == (12, 8)
    np.testing.assert_allclose(rotated[0], x, atol=1e-6)  # position 0: no rotation
    np.testing.assert_allclose(np.linalg.norm(rotated, axis=1), np.linalg.norm(x), rtol=1e-5)
    assert not np.allclose(rotated[1], x)
    np.testing.assert_allclose(logic.unrotate(rotated), np.tile(x, (12, 1)), atol=1e-5)


def test_rotary_scores_depend_on_the_offset_only_additive_ones_do_not():
    q, k = RNG.normal(size=(2, 16)).astype(np.float32)
    starts, n_offsets = logic.offset_starts(40)
    rotary = logic.scores_by_offset(q, k, starts, n_offsets, "rotary")
    additive = logic.scores_by_offset(q, k, starts, n_offsets, "additive")
    assert rotary.shape == additive.shape == (3, n_offsets)
    assert logic.spread(rotary) < 1e-4 < logic.spread(additive)
    assert np.isclose(rotary[0, 0], q @ k, atol=1e-5)
    P = logic.sinusoidal(40, 16)
    assert np.isclose(additive[1, 3], (q + P[starts[1]]) @ (k + P[starts[1] + 3]), atol=1e-4)
    with pytest.raises(ValueError):
        logic.scores_by_offset(q, k, starts, n_offsets, "multiplied")


def test_dimensions_chosen_and_typed():
    assert logic.default_dims(64) == [0, 1, 16, 17, 62, 63]
    assert logic.default_dims(4) == [0, 1, 2, 3]
    assert logic.parse_dims("2; 2, -1, 7", 8) == [2, 7]
    assert logic.pair_indices(64, 4) == [0, 10, 21, 31]
    assert logic.pair_indices(4, 8) == [0, 1]
    assert logic.labels("d", 3) == ["d0", "d1", "d2"]


def test_the_learned_tab_shows_the_chosen_snapshot_clipped_to_the_newest():
    state = logic.PositionalState()
    assert logic.learned_snapshot(state) is None
    state.snapshots = [snap(s) for s in (0, 10, 20)]
    assert logic.learned_snapshot(state)[0] == 2  # -1: the newest
    state.snapshot_index = 1
    index, shown = logic.learned_snapshot(state)
    assert (index, shown.step) == (1, 10)
    state.snapshot_index = 9
    assert logic.learned_snapshot(state)[0] == 2


def test_a_new_model_drops_the_old_trace_a_device_switch_keeps_it():
    state = logic.PositionalState(trace="a trace", snapshots=[snap(0)])
    cfg = ModelConfig(src_vocab=10, tgt_vocab=10, d_model=32, n_heads=2, max_len=300)
    state.take_model(cfg, TrainConfig(), None, "bpe", new_model=False)
    assert state.trace == "a trace" and len(state.snapshots) == 1
    assert (state.width, state.positions, state.tokenizer_kind) == (32, 128, "bpe")  # at most 128 drawn
    state.take_model(cfg, TrainConfig(), None, "bpe", new_model=True)
    assert state.trace is None and state.snapshots == []


def test_rotary_vectors_come_from_the_trace_rotated_back_to_position_zero():
    """Rotating the q the tab shows to its token's position gives the q the model used."""
    text = "the dog sees a cat ."
    src, tgt = build_tokenizer("word", [text], "en"), build_tokenizer("word", [text], "en")
    torch.manual_seed(0)
    cfg = ModelConfig(src_vocab=src.vocab_size, tgt_vocab=tgt.vocab_size, d_model=16, n_heads=2,
                      n_layers=1, d_ff=32, dropout=0.0, max_len=32, pos_encoding="rotary")
    src_ids, tgt_ids = src.encode(text, add_eos=True), tgt.encode(text, add_bos=True)
    trace = Seq2Seq(cfg).trace(torch.tensor([src_ids]), torch.tensor([tgt_ids]),
                               [src.id_to_token(i) for i in src_ids], [tgt.id_to_token(i) for i in tgt_ids],
                               id_to_token=tgt.id_to_token)
    state = logic.PositionalState(head=1, query=2, key=4)
    state.take_model(cfg, TrainConfig(), None, "word", new_model=True)
    state.trace = trace
    q, k, source = logic.rotary_vectors(state)
    block = trace.enc_self[0]
    assert source == {"q_token": "sees", "k_token": "cat", "head": 1, "dh": 8, "step": trace.step}
    np.testing.assert_allclose(logic.rotate(q, 3)[2], block.q[1][2], atol=1e-5)
    np.testing.assert_allclose(logic.rotate(k, 5)[4], block.k[1][4], atol=1e-5)
    picture = logic.rotary_picture(state)
    assert picture.source == source and picture.rotated_q.shape == (state.rotary_positions, 8)
    assert logic.spread(picture.rotary_scores) < 1e-4
