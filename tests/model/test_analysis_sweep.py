"""Head sweep: the baseline agrees with the evaluation; stopping early restores the masks."""
import numpy as np
import pytest
import torch

from model.analysis.heads import heads_off, heads_off_now, set_heads_off
from model.analysis.sweep import head_sweep
from model.evaluation import alignment_scores, teacher_forced
from tests.tiny import tiny_corpus, trained_tiny_trainer


@pytest.fixture(scope="module")
def translator():
    torch.manual_seed(0)
    return trained_tiny_trainer().translator


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


def test_each_head_scores_as_if_translated_from_scratch(translator):
    """The sweep's shortcuts (the baseline's translations where they cannot change, the
    baseline's encoder output for decoder heads, BLEU's cached references) give what
    translating every pair with the head off and scoring it gives."""
    from model.analysis.sweep import _Data, _teacher_forced, greedy_outputs, measure
    from model.evaluation import corpus_scores

    ps = tiny_corpus().valid[:16]
    data = _Data(translator, ps, batch_size=6, lang="de")
    base = measure(translator, data, "de")
    refs = data.refs  # the pairs, shortest first
    assert sorted(refs) == sorted(p.tgt for p in ps)
    assert base.bleu == pytest.approx(corpus_scores([translator.tgt_tok.decode(o) for o in data.base_out],
                                                    refs, "de")[0], abs=1e-9)
    changed = 0
    for head in [("enc_self", 0, 1), ("dec_self", 0, 0), ("cross", 1, 3), ("cross", 0, 2)]:
        with heads_off(translator.model, [head]):
            agree = _teacher_forced(translator, data, reuse_memory=head[0] != "enc_self")[3]
            fast = greedy_outputs(translator, data, agree)
            slow = translator.translate_ids(data.src, beam=1, batch_size=6)
            scores = measure(translator, data, "de", reuse_memory=head[0] != "enc_self")
            tf_loss, _ = teacher_forced(translator.model, data.src, data.tgt, translator.device)
        assert fast == slow
        changed += int((~agree).sum())
        hyps = [translator.tgt_tok.decode(o) for o in slow]
        assert scores.bleu == pytest.approx(corpus_scores(hyps, refs, "de")[0], abs=1e-9)
        assert scores.loss == pytest.approx(tf_loss, rel=1e-5)
    assert 0 < changed < 4 * len(ps)  # some pairs were decoded again, not all
