import itertools

import pytest
import torch

from model.config import ModelConfig
from model.decode import beam_search, greedy_decode
from model.transformer import Seq2Seq

PAD, BOS, EOS = 0, 1, 2


def model(pos="sinusoidal", tgt_vocab=40, seed=0):
    torch.manual_seed(seed)
    cfg = ModelConfig(
        src_vocab=30,
        tgt_vocab=tgt_vocab,
        d_model=32,
        n_heads=4,
        n_layers=2,
        d_ff=64,
        max_len=24,
        pos_encoding=pos,
    )
    m = Seq2Seq(cfg).eval()
    with torch.no_grad():  # make <eos> unlikely so that random models write long outputs
        m.tgt_embed.weight[EOS] *= 0.2
    return m


def sources():
    g = torch.Generator().manual_seed(1)
    src = torch.randint(3, 30, (4, 9), generator=g)
    src[1, 6:] = PAD
    src[3, 4:] = PAD
    return src


def teacher_forced_argmax(m, src_row, out):
    """What the model predicts after <bos> + out, position by position."""
    s = src_row[src_row != PAD][None]
    tgt = torch.tensor([[BOS] + out])
    with torch.no_grad():
        return m(s, tgt)[0].argmax(-1).tolist()


@pytest.mark.parametrize("pos", ["sinusoidal", "learned", "rotary", "none"])
def test_greedy_with_and_without_cache_agree(pos):
    m = model(pos)
    src = sources()
    cached = greedy_decode(m, src, max_len=12)
    assert cached == greedy_decode(m, src, max_len=12, use_cache=False)
    assert all(len(o) <= 12 and EOS not in o for o in cached)
    assert sum(len(o) for o in cached) > 12  # real sequences, not all empty


def test_greedy_picks_the_argmax_at_every_step():
    m = model()
    src = sources()
    for row, out in zip(src, greedy_decode(m, src, max_len=10)):
        pred = teacher_forced_argmax(m, row, out)
        assert pred[: len(out)] == out  # each token was the most likely one
        if len(out) < 10:
            assert pred[len(out)] == EOS  # stopped because <eos> was the most likely


def test_decoding_restores_training_mode():
    m = model().train()
    greedy_decode(m, sources(), max_len=3)
    beam_search(m, sources(), beam=2, max_len=3)
    assert m.training


@pytest.mark.parametrize("pos", ["sinusoidal", "rotary"])
def test_beam_of_one_is_greedy(pos):
    m = model(pos)
    src = sources()
    assert beam_search(m, src, beam=1, max_len=12) == greedy_decode(m, src, max_len=12)


@pytest.mark.parametrize("pos", ["learned", "rotary"])
def test_beam_search_with_and_without_cache_agree(pos):
    m = model(pos)
    src = sources()
    cached = beam_search(m, src, beam=4, max_len=12)
    assert cached == beam_search(m, src, beam=4, max_len=12, use_cache=False)
    # one sentence at a time gives the same as the batch
    assert [beam_search(m, src[i : i + 1], beam=4, max_len=12)[0] for i in range(4)] == cached


def brute_force_best(m, src, V, alpha):
    """The best translation of at most two tokens (or <eos> at once), by enumeration."""
    with torch.no_grad():
        memory, allowed = m.encode(src)

        def logp(prefix):
            logits = m.decode(torch.tensor([[BOS] + prefix]), memory, allowed)[0, -1]
            return torch.log_softmax(logits, -1)

        def normalised(score, length):
            return score / ((5 + length) / 6) ** alpha

        first = logp([])
        cands = [([], normalised(first[EOS].item(), 1))]  # <eos> at once
        for a, b in itertools.product(range(V), range(V)):
            if a != EOS:
                s = first[a].item() + logp([a])[b].item()
                cands.append(([a] if b == EOS else [a, b], normalised(s, 2)))
    return max(cands, key=lambda c: c[1])[0]


@pytest.mark.parametrize("alpha", [0.0, 1.0])
def test_wide_beam_finds_the_best_short_translation(alpha):
    """With beam = vocabulary size and two steps, beam search is exhaustive."""
    V = 5
    for seed in range(3):
        m = model(tgt_vocab=V, seed=seed)
        src = sources()[:1]
        best = brute_force_best(m, src, V, alpha)
        assert beam_search(m, src, beam=V, length_penalty=alpha, max_len=2) == [best]


def test_beam_rejects_impossible_width():
    with pytest.raises(ValueError):
        beam_search(model(tgt_vocab=5), sources(), beam=6)


def test_greedy_takes_a_length_limit_per_sentence():
    m = model()
    src = torch.tensor([[5, 6, 7, 8, 9, 10, EOS], [5, 6, EOS, PAD, PAD, PAD, PAD]])
    free = greedy_decode(m, src, 20, bos_id=BOS, eos_id=EOS)
    limited = greedy_decode(m, src, [20, 3], bos_id=BOS, eos_id=EOS)
    assert limited[0] == free[0]  # the first row's limit did not change
    assert limited[1] == free[1][:3] and len(free[1]) > 3  # the short one stops at its own
