"""Head sweep: the baseline agrees with the evaluation; stopping early restores the masks."""
import numpy as np
import pytest
import torch

from model.analysis.heads import heads_off, heads_off_now, set_heads_off
from model.analysis.sweep import head_sweep
from model.evaluation import alignment_scores, teacher_forced
from tests.tiny import tiny_corpus, tiny_trainer


@pytest.fixture(scope="module")
def translator():
    torch.manual_seed(0)
    trainer = tiny_trainer()
    for _ in range(30):
        trainer.step()
    return trainer.translator


def pairs():
    return tiny_corpus().valid[:12]


def test_sweep_baseline_and_rows(translator):
    ps = pairs()
    heads = [("cross", 0, 0), ("cross", 1, 2), ("enc_self", 1, 3)]
    steps = list(head_sweep(translator, ps, heads=heads, batch_size=5))
    assert [s.done for s in steps] == [1, 2, 3, 4] and steps[-1].total == 4
    last = steps[-1]
    src = [translator.encode_src(p.src) for p in ps]
    tgt = [translator.tgt_tok.encode(p.tgt, add_bos=True, add_eos=True) for p in ps]
    loss, _ = teacher_forced(translator.model, src, tgt, translator.device)
    assert last.base.loss == pytest.approx(loss, rel=1e-5)
    assert last.base.aer == pytest.approx(alignment_scores(translator, ps)["best"]["aer"], abs=1e-4)
    with heads_off(translator.model, [("enc_self", 1, 3)]):
        off_loss, _ = teacher_forced(translator.model, src, tgt, translator.device)
    assert last.scores[2].loss == pytest.approx(off_loss, rel=1e-5)
    table = last.table("loss", {"enc_self": 2, "dec_self": 2, "cross": 2}, 4)
    assert table["enc_self"][1, 3] == pytest.approx(off_loss - loss, abs=1e-5)
    assert np.isnan(table["dec_self"]).all()


def test_stopping_early_restores_the_masks(translator):
    set_heads_off(translator.model, [("dec_self", 0, 1)])
    try:
        sweep = head_sweep(translator, pairs()[:4])
        next(sweep)
        next(sweep)
        sweep.close()  # what a cancelled job does
        assert heads_off_now(translator.model) == {("dec_self", 0, 1)}
    finally:
        set_heads_off(translator.model, [])
