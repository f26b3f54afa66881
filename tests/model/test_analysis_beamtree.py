"""The beam tree: its best path is beam search's output; its scores are the model's."""
import numpy as np
import pytest
import torch

from model.analysis.beamtree import beam_tree, prefix_trace, summed_logprob
from model.decode import beam_search
from model.tokenizer import EOS
from tests.tiny import tiny_trainer

SENTENCES = ["the dog sees the cat .", "a small bird sleeps .", "the cats run ."]


@pytest.fixture(scope="module")
def translator():
    torch.manual_seed(0)
    trainer = tiny_trainer()
    for _ in range(60):  # a little training, so that hypotheses finish at different steps
        trainer.step()
    return trainer.translator


@pytest.mark.parametrize("beam", [1, 3, 5])
@pytest.mark.parametrize("alpha", [0.0, 0.6, 2.0])
def test_best_path_is_the_beam_search_output(translator, beam, alpha):
    for text in SENTENCES:
        tree = beam_tree(translator, text, beam=beam, alpha=alpha)
        ids = translator.encode_src(text)
        src = torch.tensor([ids])
        assert list(tree.output_ids) == beam_search(translator.model, src, beam=beam, length_penalty=alpha,
                                                    max_len=translator.max_out_len(len(ids)),
                                                    banned=(0, 1))[0]
        best = tree.finals[tree.best]
        assert best.normalised == max(f.normalised for f in tree.finals)
        assert best.normalised == pytest.approx(best.score / ((5 + best.length) / 6) ** alpha)


def test_scores_are_the_models_summed_log_probabilities(translator):
    tree = beam_tree(translator, SENTENCES[0], beam=4)
    checked = 0
    for node in tree.nodes[1:]:
        ids = tree.prefix_ids(node.id)
        expected = summed_logprob(translator, SENTENCES[0], ids)[-1]
        assert node.score == pytest.approx(float(expected), abs=1e-4)
        checked += 1
    assert checked >= 4 * 3
    kept = [n for n in tree.nodes if n.kept and n.step > 0]
    assert all(sum(1 for n in kept if n.step == s) <= 4 for s in range(1, tree.depth() + 1))
    assert all(np.isfinite(f.score) for f in tree.finals)


def test_finished_hypotheses_and_prefix_attention(translator):
    tree = beam_tree(translator, SENTENCES[1], beam=4)
    best = tree.nodes[tree.finals[tree.best].node]
    ids = tree.prefix_ids(best.id)
    if best.finished:
        assert ids[-1] == EOS and best.step == len(ids)
    trace = prefix_trace(translator, SENTENCES[1], [5, 6])
    assert len(trace.tgt_tokens) == 3 and trace.cross[0].weights.shape[1] == 3


@pytest.mark.parametrize("beam", [2, 4])
@pytest.mark.parametrize("penalty", [0.6, 1.5])
def test_best_path_is_the_translation_the_app_shows(translator, beam, penalty):
    """The tree follows the translator's own search: its width, length penalty and limit."""
    before = translator.generation.length_penalty
    translator.generation.length_penalty = penalty
    try:
        for text in SENTENCES:
            tree = beam_tree(translator, text, beam=beam)
            assert tree.alpha == penalty and tree.same_as_model
            assert list(tree.output_ids) == translator.translate_ids([translator.encode_src(text)], beam=beam)[0]
            shown = translator.trace(text, beam=beam).tgt_tokens[1:]  # the Attention panel's beam mode
            assert tuple(translator.tgt_tok.id_to_token(i) for i in tree.output_ids) == tuple(shown)
    finally:
        translator.generation.length_penalty = before


def test_a_pooled_search_model_says_its_tree_is_another_search(translator):
    translator.generation.pool = True
    try:
        assert not beam_tree(translator, SENTENCES[0], beam=3).same_as_model
    finally:
        translator.generation.pool = False
