"""Rollout: identity attention rolls out to the identity; rows sum to 1."""
import numpy as np
import torch

from model.analysis.rollout import residual_mix, rollout, trace_rollout
from tests.tiny import tiny_trainer


def test_identity_attention_rolls_out_to_the_identity():
    eye = np.stack([np.eye(5)] * 4)  # 4 heads
    r = rollout([eye, eye, eye])
    assert r.shape == (3, 5, 5)
    np.testing.assert_array_equal(r, np.broadcast_to(np.eye(5), r.shape))


def test_rows_sum_to_one_and_residual_mix():
    rng = np.random.default_rng(0)
    layers = [rng.dirichlet(np.ones(6), size=(2, 6)) for _ in range(3)]  # (H, T, T) rows on the simplex
    r = rollout(layers)
    np.testing.assert_allclose(r.sum(-1), 1, atol=1e-12)
    np.testing.assert_allclose(residual_mix(layers[0]), 0.5 * layers[0].mean(0) + 0.5 * np.eye(6))
    np.testing.assert_allclose(r[1], residual_mix(layers[1]) @ residual_mix(layers[0]))


def test_trace_rollout_relates_outputs_to_source_tokens():
    torch.manual_seed(0)
    trace = tiny_trainer().translator.trace("the dog sees the cat .")
    ro = trace_rollout(trace)
    S, T = len(trace.src_tokens), len(trace.tgt_tokens)
    assert ro.enc.shape == (2, S, S) and ro.cross.shape == (2, T, S) and ro.relevance.shape == (T, S)
    for m in (ro.enc, ro.cross, ro.relevance):
        np.testing.assert_allclose(m.sum(-1), 1, atol=1e-5)
    with_identity = trace_rollout(trace, residual=1.0)  # all residual: nothing flows between tokens
    np.testing.assert_allclose(with_identity.enc[-1], np.eye(S))
    np.testing.assert_allclose(with_identity.cross[0], trace.cross[0].weights.mean(0), atol=1e-6)
