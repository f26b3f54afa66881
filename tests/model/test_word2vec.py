import numpy as np
import pytest
import torch

from model.word2vec import CBOWTrainer, cbow_examples, neighbour_purity

# A corpus with two word classes that never share a context:
#   <bos> the X runs . <eos>      and      <bos> a Y is red . <eos>
BOS, EOS, THE, A, RUNS, IS, RED, DOT = 1, 2, 4, 5, 6, 7, 8, 9
X_WORDS = list(range(10, 16))
Y_WORDS = list(range(16, 22))
VOCAB = 22


def two_class_corpus() -> list[list[int]]:
    return [[BOS, THE, x, RUNS, DOT, EOS] for x in X_WORDS] + [
        [BOS, A, y, IS, RED, DOT, EOS] for y in Y_WORDS
    ]


def class_labels() -> list[str | None]:
    return [None] * 10 + ["x"] * len(X_WORDS) + ["y"] * len(Y_WORDS)


@pytest.mark.parametrize("window", [0, 1, 2, 4])
def test_window_must_be_odd_and_at_least_three(window):
    with pytest.raises(ValueError):
        CBOWTrainer(two_class_corpus(), VOCAB, window=window)


def test_examples_hide_each_word_and_pad_the_edges():
    context, centre = cbow_examples([[BOS, 10, 11, EOS], [12]], window=5, pad_id=0)
    assert centre.tolist() == [10, 11, 12]  # specials are never the hidden token
    assert context.tolist() == [[0, BOS, 11, EOS], [BOS, 10, EOS, 0], [0, 0, 0, 0]]


def test_step_changes_only_the_context_rows_of_E():
    trainer = CBOWTrainer(two_class_corpus(), VOCAB, dim=8, window=3, batch_size=3, seed=1)
    e_before, w_before = trainer.embeddings, trainer.output_weights
    report = trainer.step()
    e_after, w_after = trainer.embeddings, trainer.output_weights

    context = report.context_ids[report.context_ids != 0]
    moved = np.flatnonzero((e_after != e_before).any(axis=1))
    assert moved.tolist() == sorted(set(context.tolist()))
    assert report.changed_rows.tolist() == moved.tolist()
    untouched = np.setdiff1d(np.arange(VOCAB), moved)
    assert np.array_equal(e_after[untouched], e_before[untouched])  # bit-identical
    np.testing.assert_allclose(
        report.row_change, np.linalg.norm(e_after[moved] - e_before[moved], axis=1), rtol=1e-5
    )
    assert report.output_change == pytest.approx(np.linalg.norm(w_after - w_before), rel=1e-5)
    assert report.output_change > 0 and report.step == 1


@pytest.mark.parametrize("combine", ["sum", "mean"])
def test_step_matches_a_hand_computation(combine):
    trainer = CBOWTrainer(
        two_class_corpus(), VOCAB, dim=6, window=5, lr=0.3, batch_size=4, combine=combine, seed=2
    )
    E, W = trainer.embeddings.astype(np.float64), trainer.output_weights.astype(np.float64)
    report = trainer.step()
    ctx, centre = report.context_ids, report.center_ids

    real = ctx != 0  # padded slots contribute nothing
    combined = (E[ctx] * real[..., None]).sum(axis=1)
    if combine == "mean":
        combined /= real.sum(axis=1, keepdims=True)
    logits = combined @ W.T
    log_softmax = logits - logits.max(1, keepdims=True)
    log_softmax -= np.log(np.exp(log_softmax).sum(1, keepdims=True))
    loss = -log_softmax[np.arange(len(centre)), centre].mean()

    np.testing.assert_allclose(report.combined, combined, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(report.context_vectors, E[ctx] * real[..., None], rtol=1e-6)
    np.testing.assert_allclose(report.probs, np.exp(log_softmax), rtol=1e-4, atol=1e-7)
    assert report.loss == pytest.approx(loss, rel=1e-5)


def test_update_is_plain_sgd_on_the_autograd_gradient():
    trainer = CBOWTrainer(two_class_corpus(), VOCAB, dim=6, window=3, lr=0.5, batch_size=5, seed=3)
    E = torch.tensor(trainer.embeddings, requires_grad=True)
    W = torch.tensor(trainer.output_weights, requires_grad=True)
    report = trainer.step()

    ctx, centre = torch.from_numpy(report.context_ids), torch.from_numpy(report.center_ids)
    combined = (E[ctx] * (ctx != 0)[..., None]).sum(1)
    torch.nn.functional.cross_entropy(combined @ W.T, centre).backward()
    np.testing.assert_allclose(trainer.embeddings, (E - 0.5 * E.grad).detach(), atol=1e-6)
    np.testing.assert_allclose(trainer.output_weights, (W - 0.5 * W.grad).detach(), atol=1e-6)


def test_training_lowers_the_loss_and_groups_the_two_classes():
    trainer = CBOWTrainer(two_class_corpus(), VOCAB, dim=16, window=3, lr=0.2, batch_size=8)
    purity_before = neighbour_purity(trainer.embeddings, class_labels(), k=3)
    losses = trainer.run(300)
    purity_after = neighbour_purity(trainer.embeddings, class_labels(), k=3)

    assert len(losses) == 300 and trainer.step_count == 300
    assert np.mean(losses[-20:]) < 0.6 * np.mean(losses[:20])
    assert purity_before < 0.75  # chance: 5 of the 11 other words share the class, 0.45
    assert purity_after > 0.9
    ranked = [i for i, _ in trainer.neighbours(X_WORDS[0], k=VOCAB)]
    nearest_class_words = [i for i in ranked if i in X_WORDS + Y_WORDS][:5]
    assert set(nearest_class_words) == set(X_WORDS[1:])


def test_neighbours_are_sorted_by_cosine_and_skip_specials():
    trainer = CBOWTrainer(two_class_corpus(), VOCAB, dim=8, window=3)
    E = trainer.embeddings
    found = trainer.neighbours(12, k=5)
    unit = E / np.linalg.norm(E, axis=1, keepdims=True)
    cos = unit[4:] @ unit[12]
    expected = [i + 4 for i in np.argsort(-cos) if i + 4 != 12][:5]
    assert [i for i, _ in found] == expected
    np.testing.assert_allclose([s for _, s in found], cos[np.array(expected) - 4], rtol=1e-5)


def test_neighbour_purity_by_brute_force():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(12, 3))
    labels = ["a", "b", "c", None] * 3
    k = 2
    keep = [i for i, label in enumerate(labels) if label is not None]
    unit = vectors[keep] / np.linalg.norm(vectors[keep], axis=1, keepdims=True)
    cos = unit @ unit.T
    np.fill_diagonal(cos, -np.inf)
    names = np.array([labels[i] for i in keep])
    expected = np.mean([(names[np.argsort(-row)[:k]] == names[j]).mean() for j, row in enumerate(cos)])
    assert neighbour_purity(vectors, labels, k=k) == pytest.approx(expected)
    assert neighbour_purity(np.eye(2).repeat(3, 0), ["p"] * 3 + ["q"] * 3, k=2) == 1.0


def test_the_defaults_visibly_learn_word_classes_on_the_builtin_corpus():
    """With its defaults, CBOW on the translator's source sentences must learn within a
    thousand steps: the loss falls well below ln V and neighbours share a word class far
    more often than chance (one window per step at lr 0.05 stayed flat at chance)."""
    from collections import Counter

    from model.corpus import load_corpus, word_category
    from model.tokenizer import build_tokenizer
    from model.word2vec import N_SPECIALS

    texts = [pair.src for pair in load_corpus("builtin:en-de:4000").train]
    tokenizer = build_tokenizer("word", texts, "en")
    labels = [None if i < N_SPECIALS else word_category(w, "en")
              for i, w in enumerate(tokenizer.tokens())]
    counts = np.array(list(Counter(x for x in labels if x is not None).values()), dtype=float)
    chance = (counts * (counts - 1)).sum() / (counts.sum() * (counts.sum() - 1))

    trainer = CBOWTrainer([tokenizer.encode(t) for t in texts], tokenizer.vocab_size, seed=0)
    losses = trainer.run(1000)

    assert np.mean(losses[-50:]) < 0.7 * np.log(tokenizer.vocab_size)
    assert neighbour_purity(trainer.embeddings, labels) > 3 * chance
