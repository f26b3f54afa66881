"""Attribution: integrated gradients are complete within 1% at 64 steps."""
import numpy as np
import pytest
import torch

from model.analysis.attribution import attribute, attribute_ids
from tests.tiny import tiny_trainer


@pytest.fixture(scope="module")
def translator():
    torch.manual_seed(0)
    trainer = tiny_trainer()
    # A little training. A well-trained model switches its attention so sharply along the
    # path from the baseline (near-steps in f) that 64 evenly spaced points miss part of
    # the change; the view shows each output's completeness error for that reason.
    for _ in range(10):
        trainer.step()
    return trainer.translator


@pytest.mark.parametrize("baseline", ["zero", "unk"])
@pytest.mark.parametrize("text", ["the dog sees the cat .", "a small bird sleeps ."])
def test_integrated_gradients_are_complete_within_one_percent(translator, baseline, text):
    a = attribute(translator, text, method="ig", baseline=baseline, steps=64)
    T = len(a.out_tokens)
    assert a.src.shape == (T, len(a.src_tokens)) and a.tgt.shape == (T, T)
    assert np.all(np.abs(a.logp - a.logp_baseline) > 1e-3)
    assert a.completeness_error().max() < 0.01
    assert np.all(np.triu(a.tgt, 1) == 0)  # output t never depends on later target tokens
    assert np.isfinite(a.correlation())
    assert a.cross.shape == a.src.shape and np.allclose(a.cross.sum(1), 1, atol=1e-5)


def test_chunking_does_not_change_the_result(translator):
    ids = translator.encode_src("a small bird sleeps .")
    out = translator.translate_ids([ids])[0][:4]
    one = attribute_ids(translator.model, ids, out, "ig", "zero", steps=8, max_batch=8)
    many = attribute_ids(translator.model, ids, out, "ig", "zero", steps=8, max_batch=1000)
    for x, y in zip(one, many):
        np.testing.assert_allclose(x, y, rtol=1e-4, atol=1e-5)


def test_gradient_times_input_is_the_first_order_change(translator):
    """Scaling one source row by (1 + eps) changes f_t by about eps * (gradient x input)."""
    model = translator.model
    ids = translator.encode_src("the cats run .")
    out = translator.translate_ids([ids])[0][:3]
    g = attribute(translator, "the cats run .", out_ids=out, method="grad_input")
    assert np.isnan(g.logp_baseline).all() and g.steps == 1
    eps, s, t = 1e-3, 1, len(out)  # output t: <eos> after the whole prefix
    src = torch.tensor([ids])
    tgt = torch.tensor([[1] + out])
    with torch.no_grad():
        base = model(src, tgt)[0, t].log_softmax(-1)[2]
        w = model.src_embed.weight
        old = w[ids[s]].clone()
        w[ids[s]] *= 1 + eps
        try:
            moved = model(src, tgt)[0, t].log_softmax(-1)[2]
        finally:
            w[ids[s]] = old
    assert float(moved - base) / eps == pytest.approx(g.src[t, s], rel=0.05, abs=1e-3)


def test_tripled_midpoints_reuse_every_earlier_point():
    from model.analysis.attribution import _midpoints, _new_midpoints

    for n in (3, 12, 192):
        both = np.sort(np.concatenate([_midpoints(n // 3), _new_midpoints(n)]))
        np.testing.assert_allclose(both, _midpoints(n), atol=1e-15)


def test_refined_outputs_equal_integrated_gradients_at_that_many_steps(translator):
    from model.analysis.attribution import attribute_steps

    ids = translator.encode_src("the dog sees the cat .")
    out = translator.translate_ids([ids])[0]
    refined = attribute_steps(translator.model, ids, out, "ig", "zero", steps=4, tolerance=-1.0, max_steps=36)
    plain = attribute_ids(translator.model, ids, out, "ig", "zero", steps=36)
    assert (refined[4] == 36).all()  # a tolerance never met: every output tripled twice
    for x, y in zip(refined[:4], plain):
        np.testing.assert_allclose(x, y, rtol=1e-4, atol=1e-5)


def test_refinement_meets_the_tolerance_where_few_steps_do_not(translator):
    from model.analysis.attribution import ABS_FLOOR

    coarse = attribute(translator, "the dog sees the cat .", steps=2, tolerance=None)
    assert coarse.completeness_error().max() > 0.01
    fine = attribute(translator, "the dog sees the cat .", steps=2, tolerance=0.01, max_steps=2 * 3 ** 6)
    delta = np.abs(fine.logp - fine.logp_baseline)
    assert np.all(np.abs(fine.totals() - (fine.logp - fine.logp_baseline)) <= 0.01 * delta + ABS_FLOOR)
    assert fine.steps_used.max() > 2 and fine.steps_used.min() >= 2
