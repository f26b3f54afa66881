import math

import numpy as np
import pytest
import torch

from model import compare
from model.corpus import SentencePair, load_corpus
from model.transformer import evaluating
from tests.tiny import TINY_MODEL, TINY_TRAIN


@pytest.fixture(scope="module")
def small_corpus():
    return load_corpus("builtin:en-de", max_pairs=200, seed=0)


def test_one_loss_curve_per_encoding_with_progress(small_corpus):
    calls, trainers = [], {}
    curves = compare.compare_positional(
        small_corpus, steps=2, model_config=TINY_MODEL, train_cfg=TINY_TRAIN,
        progress=lambda kind, step, loss: calls.append((kind, step, loss)),
        on_trained=trainers.__setitem__)
    assert list(curves) == list(compare.KINDS)
    for kind, losses in curves.items():
        assert len(losses) == 2 and all(math.isfinite(x) and x > 0 for x in losses)
        assert [c[2] for c in calls if c[0] == kind] == losses
    assert [(c[0], c[1]) for c in calls] == [(k, s) for k in compare.KINDS for s in (1, 2)]
    assert list(trainers) == list(compare.KINDS)
    for kind, trainer in trainers.items():
        assert trainer.model_config.pos_encoding == kind and trainer.step_count == 2
        assert trainer.src_tok is trainers["none"].src_tok and trainer.tgt_tok is trainers["none"].tgt_tok


def test_progress_returning_false_cancels(small_corpus):
    seen = []

    def progress(kind, step, loss):
        seen.append(kind)
        return step < 2

    trained = []
    curves = compare.compare_positional(small_corpus, steps=5, model_config=TINY_MODEL, train_cfg=TINY_TRAIN,
                                        progress=progress, on_trained=lambda k, t: trained.append(k))
    assert list(curves) == ["none"] and len(curves["none"]) == 2
    assert seen == ["none", "none"] and trained == []


def test_models_differ_only_in_the_encoding(small_corpus):
    corpus = small_corpus
    trainers = {k: compare.positional_trainer(corpus, k, TINY_MODEL, TINY_TRAIN) for k in compare.KINDS}
    for kind, trainer in trainers.items():
        assert trainer.model_config.pos_encoding == kind
        assert trainer.model_config.replace(pos_encoding="none") == trainers["none"].model_config
    # Every kind starts from exactly the same weights; a learned table only adds its own.
    reference = trainers["none"].model.state_dict()
    for kind in ("sinusoidal", "learned", "rotary"):
        state = trainers[kind].model.state_dict()
        own = {name for name in state if name.endswith("_pos.weight")}
        assert state.keys() - own == reference.keys()
        for name, value in state.items():
            if name in own:
                continue
            torch.testing.assert_close(value, reference[name], rtol=0, atol=0)


def _encode(trainer, ids):
    with evaluating(trainer.model):
        return trainer.model.encode(torch.tensor([ids]))[0][0].numpy()


@pytest.mark.parametrize("kind", ["none", "sinusoidal", "learned", "rotary"])
def test_only_the_model_without_positions_is_permutation_equivariant(small_corpus, kind):
    trainer = compare.positional_trainer(small_corpus, kind, TINY_MODEL, TINY_TRAIN)
    for _ in range(2):
        trainer.step()
    sentence = next(p.src for p in trainer.data["train"].pairs if len(p.src.split()) >= 4)
    ids = trainer.translator.encode_src(sentence)
    perm = np.random.default_rng(0).permutation(len(ids))
    while (perm == np.arange(len(ids))).all():
        perm = np.random.default_rng(1).permutation(len(ids))
    memory = _encode(trainer, ids)
    permuted = _encode(trainer, [ids[i] for i in perm])
    gap = np.abs(permuted - memory[perm]).max()
    if kind == "none":
        assert gap < 1e-5
    else:
        assert gap > 1e-3


def test_order_blindness_measures_both_gaps(small_corpus):
    corpus = small_corpus
    sentence, reordered, _, _ = compare.order_example(corpus.split("train"))
    blind = compare.positional_trainer(corpus, "none", TINY_MODEL, TINY_TRAIN)
    seeing = compare.positional_trainer(corpus, "sinusoidal", TINY_MODEL, TINY_TRAIN)
    for trainer in (blind, seeing):
        for _ in range(2):
            trainer.step()
    check = compare.order_blindness(blind, sentence, reordered)
    ids_a = blind.translator.encode_src(sentence)
    ids_b = blind.translator.encode_src(reordered)
    assert [ids_a[i] for i in check.permutation] == ids_b
    np.testing.assert_allclose(check.memory, _encode(blind, ids_a), atol=1e-6)
    np.testing.assert_allclose(check.reordered_memory, _encode(blind, ids_b), atol=1e-6)
    assert check.kind == "none" and check.encoder_gap < 1e-5 and check.logit_gap < 1e-4
    assert check.translation == check.reordered_translation
    other = compare.order_blindness(seeing, sentence, reordered)
    assert other.encoder_gap > 1e-3 and other.logit_gap > 1e-3


def test_reorderings_are_the_same_words_in_another_order():
    pairs = [SentencePair("the dog sees a cat", "x"), SentencePair("a cat sees the dog", "y"),
             SentencePair("the dog sees a cat", "x"), SentencePair("the cat sees a dog", "z")]
    found = compare.find_reorderings(pairs, limit=5)
    assert [(a.tgt, b.tgt) for a, b in found] == [("x", "y")]
    assert compare.order_example(pairs) == ("the dog sees a cat", "a cat sees the dog", "x", "y")


def test_order_example_swaps_two_nouns_when_the_corpus_has_no_reordering(small_corpus):
    pairs = small_corpus.split("train")
    assert not compare.find_reorderings(pairs)
    sentence, reordered, reference, none = compare.order_example(pairs)
    pair = next(p for p in pairs if p.src == sentence)
    assert reference == pair.tgt and none is None
    words, swapped = list(pair.src_words), reordered.split()
    assert sorted(words) == sorted(swapped) and words != swapped
    changed = [i for i, (a, b) in enumerate(zip(words, swapped)) if a != b]
    assert len(changed) == 2 and all(pair.src_classes[i] == "noun" for i in changed)


def test_token_permutation():
    assert compare.token_permutation(["a", "b", "a", "c"], ["c", "a", "a", "b"]) == (3, 0, 2, 1)
    with pytest.raises(ValueError):
        compare.token_permutation(["a", "b"], ["a", "a"])
    with pytest.raises(ValueError):
        compare.token_permutation(["a", "b"], ["a", "b", "b"])
