import math

import numpy as np
import pytest
import torch

from model.train import make_batches, noam_lr
from tests.tiny import TINY_MODEL, tiny_trainer


def test_noam_schedule_peaks_at_warmup():
    rates = [noam_lr(s, 64, 10, 1.0) for s in range(1, 40)]
    assert int(np.argmax(rates)) + 1 == 10
    assert rates[9] == pytest.approx(64 ** -0.5 * 10 ** -0.5)


def test_batches_respect_the_token_budget_and_cover_every_example():
    rng = np.random.default_rng(0)
    lengths = rng.integers(3, 30, size=(500, 2))
    batches = make_batches(lengths, 200, rng)
    seen = np.concatenate(batches)
    assert sorted(seen.tolist()) == list(range(500))
    for b in batches:
        assert len(b) == 1 or lengths[b].max() * len(b) <= 200
    # grouped by length: little padding compared with random batches
    waste = sum(lengths[b, 1].max() * len(b) - lengths[b, 1].sum() for b in batches)
    assert waste < 0.25 * lengths[:, 1].sum()


def test_step_advances_once_and_loss_falls():
    trainer = tiny_trainer()
    first = trainer.step()
    assert first.step == 1 and trainer.step_count == 1
    assert first.tokens > 0 and first.lr > 0 and math.isfinite(first.grad_norm)
    losses = [trainer.step().loss for _ in range(40)]
    assert np.mean(losses[-5:]) < first.loss - 0.5


def test_same_seed_same_run():
    a, b = tiny_trainer(), tiny_trainer()
    assert [a.step().loss for _ in range(3)] == [b.step().loss for _ in range(3)]


def test_nonfinite_loss_skips_the_update_and_puts_back_the_last_good_weights():
    trainer = tiny_trainer()
    initial = {k: v.clone() for k, v in trainer.model.state_dict().items()}
    trainer.step()  # the first step keeps the weights it started from
    with torch.no_grad():
        trainer.model.tgt_embed.weight[5, 0] = float("nan")
    report = trainer.step()
    assert report.nonfinite and report.restored_step == 0 and trainer.step_count == 0
    for k, v in trainer.model.state_dict().items():
        assert torch.equal(v, initial[k]), k


def test_evaluation_reports_scores_and_samples():
    trainer = tiny_trainer()
    trainer.train_cfg = trainer.train_cfg.replace(eval_every=2, eval_sentences=8)
    trainer.step()
    report = trainer.step()
    assert report.valid_loss is not None and 0.0 <= report.valid_accuracy <= 1.0
    assert 0.0 <= report.valid_bleu <= 100.0 and report.valid_chrf is not None
    src, ref, out = report.samples[0]
    assert src == trainer.corpus.split("valid")[0].src and ref == trainer.corpus.split("valid")[0].tgt
    assert isinstance(out, str)


def test_trace_matches_the_translation_and_the_reference():
    trainer = tiny_trainer()
    pair = trainer.corpus.split("valid")[0]
    forced = trainer.trace(pair.src, pair.tgt)
    assert forced.src_tokens[-1] == "<eos>" and forced.tgt_tokens[0] == "<bos>"
    assert list(forced.tgt_tokens[1:]) == trainer.tgt_tok.tokenize(pair.tgt)
    T, S = len(forced.tgt_tokens), len(forced.src_tokens)
    assert forced.cross[0].weights.shape == (TINY_MODEL["n_heads"], T, S)
    free = trainer.trace(pair.src)
    assert trainer.tgt_tok.decode([trainer.tgt_tok.token_to_id(t) for t in free.tgt_tokens]) == \
        trainer.translate([pair.src])[0]


def test_step_detail_reports_every_stage():
    trainer = tiny_trainer()
    detail = trainer.step_detail()
    assert detail.report.step == 1 == trainer.step_count
    assert len(detail.src_tokens) == len(detail.tgt_tokens) == len(detail.token_loss)
    assert all(len(t) == len(loss) for t, loss in zip(detail.tgt_tokens, detail.token_loss))
    assert detail.tgt_tokens[0][-1] == "<eos>"
    assert "encoder.0.self_attn" in detail.grad_norms and "decoder.1.cross_attn" in detail.head_grad_norms
    assert detail.head_grad_norms["decoder.1.cross_attn"].shape == (TINY_MODEL["n_heads"],)
    assert all(v > 0 for v in detail.update_ratio.values())
    changed = [abs(a.weights - b.weights).max() for a, b in zip(detail.probe_before.cross, detail.probe_after.cross)]
    assert max(changed) > 0  # the update moved the probe's attention


def test_timeline_keeps_bounded_snapshots():
    trainer = tiny_trainer(pos_encoding="learned")
    trainer.train_cfg = trainer.train_cfg.replace(snapshot_every=1, max_snapshots=4)
    for _ in range(9):
        trainer.step()
    steps = [s.step for s in trainer.timeline]
    assert len(steps) <= 5 and steps[-1] == 9 and steps == sorted(steps)
    snap = trainer.timeline[-1]
    assert snap.probe is not None and snap.pos_table.shape == (TINY_MODEL["max_len"], TINY_MODEL["d_model"])
    np.testing.assert_array_equal(snap.src_embeddings, trainer.embeddings("src").matrix)


def test_reset_returns_to_step_zero_with_the_same_initial_weights():
    trainer = tiny_trainer()
    initial = {k: v.clone() for k, v in trainer.model.state_dict().items()}
    trainer.step()
    trainer.reset()
    assert trainer.step_count == 0
    for k, v in trainer.model.state_dict().items():
        assert torch.equal(v, initial[k])


def test_contextual_states_are_the_layer_outputs_of_each_token():
    from model.inference import contextual_states

    trainer = tiny_trainer()
    pairs = trainer.corpus.split("valid")[:3]
    snap = contextual_states(trainer.translator, pairs, side="src", layer=1)
    first = trainer.src_tok.tokenize(pairs[0].src)
    assert snap.name == "src.layer1" and list(snap.tokens[: len(first)]) == first
    total = sum(len(trainer.src_tok.tokenize(p.src)) for p in pairs)
    assert snap.matrix.shape == (total, TINY_MODEL["d_model"])
    # the rows of the first sentence equal the encoder's layer-1 output (before the final norm)
    ids = torch.tensor([trainer.translator.encode_src(pairs[0].src)])
    trainer.model.eval()
    with torch.no_grad():
        x = trainer.model._embed(ids, trainer.model.src_embed, trainer.model.src_pos, 0, None, "src")
        allowed = (ids != 0)[:, None, None, :]
        for layer in trainer.model.encoder:
            x = layer(x, allowed, trainer.model.rope)
    np.testing.assert_allclose(snap.matrix[: len(first)], x[0, : len(first)].numpy(), atol=1e-5)
    dec = contextual_states(trainer.translator, pairs, side="tgt", layer=0, max_tokens=5)
    assert dec.matrix.shape == (5, TINY_MODEL["d_model"]) and dec.name == "tgt.layer0"
