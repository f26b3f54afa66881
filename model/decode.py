"""Turning a trained Seq2Seq into translations: greedy decoding and beam search.

Both run the encoder once. With ``use_cache=True`` the decoder is fed one new token per
step and keeps, per layer, the keys and values of the tokens it has already seen
(self-attention) and of the encoder output (cross-attention, computed at the first step).
Without the cache the whole prefix is recomputed at every step; the results are the same.

``banned`` ids are never chosen (the Translator bans <pad> and <bos>). ``beam_search``
keeps a finished hypothesis in its slot; :func:`beam_search_pool` sets finished ones aside
as Hugging Face's ``generate()`` does, so a converted opus-mt model decodes token for token
as it does there (see model/marian.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from model.attention import KVCache
from model.transformer import Seq2Seq, evaluating


@dataclass
class Generation:
    """How a model decodes by default: the project's models use beam_search's rules;
    a converted Marian model takes ``generation_config.json``'s (see model/marian.py).

    Attributes:
        beam: beam width when the caller names none (1: greedy).
        max_len: most tokens generated; None: twice the source length plus 10.
        length_penalty: alpha of the final ranking.
        pool: decode with :func:`beam_search_pool` instead of :func:`beam_search`.
        force_eos: the ``max_len``-th token is <eos>.
    """

    beam: int = 1
    max_len: int | None = None  # most generated tokens; None: 2 x source length + 10
    length_penalty: float = 0.6
    pool: bool = False  # beam_search_pool (transformers' generate) instead of beam_search
    force_eos: bool = False

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Generation:
        names = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in names})


def _step_logits(model: Seq2Seq, tokens, memory, src_allowed, cache, step) -> torch.Tensor:
    """Scores of the next token after ``tokens`` (B, step+1) -> (B, V)."""
    if cache is None:
        return model.decode(tokens, memory, src_allowed)[:, -1]
    return model.decode(tokens[:, -1:], memory, src_allowed, cache, start_pos=step)[:, -1]


def _restrict(scores: torch.Tensor, banned, eos_id: int, last: bool) -> torch.Tensor:
    """Scores (N, V) with the banned ids at -inf; at the ``last`` step only <eos> is left,
    with score 0 (as transformers' ForcedEOSTokenLogitsProcessor)."""
    if last:
        forced = torch.full_like(scores, float("-inf"))
        forced[:, eos_id] = 0.0
        return forced
    if banned:
        scores[:, list(banned)] = float("-inf")
    return scores


def _strip(row: list[int], eos_id: int) -> list[int]:
    """Generated ids up to (not including) the first <eos>."""
    return row[: row.index(eos_id)] if eos_id in row else row


def greedy_decode(
    model: Seq2Seq,
    src: torch.Tensor,
    max_len: int | Sequence[int],
    bos_id: int = 1,
    eos_id: int = 2,
    use_cache: bool = True,
    banned: Sequence[int] = (),
    force_eos: bool = False,
) -> list[list[int]]:
    """Pick the most likely token at every step.

    Args:
        model: the translator (run in eval mode without gradients; its mode is restored).
        src: (B, S) source ids, right-padded with ``model.model_config.pad_id``.
        max_len: most tokens generated per sentence (capped at ``model.model_config.max_len``): one
            number for all, or one per sentence, so that a long sentence in the batch does
            not let a short one run on.
        use_cache: reuse keys and values between steps (faster, same result).
        banned: ids never chosen.
        force_eos: the ``max_len``-th token is <eos> (as transformers' ``forced_eos_token_id``).

    Returns:
        B lists of generated ids, without <bos> and <eos>.
    """
    B = src.size(0)
    limits = torch.as_tensor(max_len if isinstance(max_len, Sequence) else [max_len] * B,
                             device=src.device).clamp(max=model.model_config.max_len)  # (B,)
    max_len = int(limits.max())
    with evaluating(model):
        memory, src_allowed = model.encode(src)
        tokens = torch.full((B, 1), bos_id, dtype=torch.long, device=src.device)  # (B, 1)
        done = torch.zeros(B, dtype=torch.bool, device=src.device)
        cache = KVCache.empty(len(model.decoder)) if use_cache else None
        for step in range(max_len):
            logits = _step_logits(model, tokens, memory, src_allowed, cache, step)
            last = force_eos and step == max_len - 1
            nxt = _restrict(logits, banned, eos_id, last).argmax(-1)  # (B,)
            nxt = nxt.masked_fill(limits - int(force_eos) <= step, eos_id)  # a row at its own limit ends
            nxt = nxt.masked_fill(done, model.model_config.pad_id)  # finished rows only pad
            tokens = torch.cat((tokens, nxt[:, None]), dim=1)
            done |= nxt == eos_id
            if done.all():
                break
    return [_strip(row[1:], eos_id) for row in tokens.tolist()]


def _length_penalty(length: torch.Tensor, alpha: float) -> torch.Tensor:
    """GNMT's length normalisation ((5 + length) / 6) ** alpha (Wu et al. 2016)."""
    return ((5.0 + length) / 6.0) ** alpha


class BeamRecorder:
    """What :func:`beam_search` decides at each step for one sentence (B = 1), as numpy copies.

    ``steps[t]`` (the step choosing token t+1) holds, for the K slots of the beam before it:
    ``prev_scores`` (K,) summed log-probabilities, ``prev_done`` (K,) finished, and the
    ``top`` best continuations of each slot (``cand_tokens``, ``cand_logp`` (K, top)); then
    what survived: ``parents`` (K,) the slot each new hypothesis came from, ``tokens`` (K,)
    its new token, ``scores`` (K,) and ``done`` (K,). ``final`` holds the last scores,
    lengths, the length penalty alpha, the normalised scores and the chosen slot.
    model/analysis/beamtree.py turns this into a tree.
    """

    def __init__(self, top: int | None = None):
        self.top = top
        self.steps: list[dict[str, np.ndarray]] = []
        self.final: dict | None = None

    @staticmethod
    def _np(t: torch.Tensor) -> np.ndarray:
        return t.detach().float().cpu().numpy().copy() if t.is_floating_point() else t.cpu().numpy().copy()

    def step(self, prev_scores, prev_done, logp, parents, tokens, scores, done) -> None:
        top = min(self.top or logp.size(0), logp.size(-1))
        cand_logp, cand_tokens = logp.topk(top, dim=-1)  # (K, top)
        self.steps.append({name: self._np(t) for name, t in (
            ("prev_scores", prev_scores), ("prev_done", prev_done), ("cand_tokens", cand_tokens),
            ("cand_logp", cand_logp), ("parents", parents), ("tokens", tokens), ("scores", scores),
            ("done", done))})

    def finish(self, scores, lengths, alpha: float, normalised, best: int) -> None:
        self.final = {"scores": self._np(scores), "lengths": self._np(lengths), "alpha": float(alpha),
                      "normalised": self._np(normalised), "best": int(best)}


def beam_search(
    model: Seq2Seq,
    src: torch.Tensor,
    beam: int = 4,
    length_penalty: float = 0.6,
    max_len: int = 100,
    bos_id: int = 1,
    eos_id: int = 2,
    use_cache: bool = True,
    recorder: BeamRecorder | None = None,
    banned: Sequence[int] = (),
) -> list[list[int]]:
    """Keep the ``beam`` best partial translations of each sentence at every step.

    Hypotheses are ranked by their summed log-probability while searching; a finished
    hypothesis (it produced <eos>) keeps its score and its slot. At the end the best of
    each sentence is chosen by score / ((5 + length) / 6) ** length_penalty, where
    length counts the generated tokens including <eos>. With beam=1 this is greedy decoding.

    Args:
        model: the translator (run in eval mode without gradients; its mode is restored).
        src: (B, S) source ids, right-padded with ``model.model_config.pad_id``.
        beam: hypotheses kept per sentence (at most the target vocabulary size).
        length_penalty: alpha above; 0 ranks by plain log-probability.
        max_len: most tokens generated per sentence (capped at ``model.model_config.max_len``).
        use_cache: reuse keys and values between steps (faster, same result).
        recorder: collects every step's candidates and choices (one sentence only).
        banned: ids never chosen.

    Returns:
        B lists of generated ids (the best hypothesis per sentence), without <bos> and <eos>.
    """
    max_len = min(max_len, model.model_config.max_len)
    B, K, V, pad = src.size(0), beam, model.model_config.tgt_vocab, model.model_config.pad_id
    if not 1 <= K <= V:
        raise ValueError(f"beam must be between 1 and the vocabulary size {V}")
    if recorder is not None and B != 1:
        raise ValueError("a beam recorder follows one sentence: src must be (1, S)")
    dev = src.device
    with evaluating(model):
        memory, src_allowed = model.encode(src)
        memory, src_allowed = (
            memory.repeat_interleave(K, 0),
            src_allowed.repeat_interleave(K, 0),
        )  # (B*K, ...)
        tokens = torch.full((B * K, 1), bos_id, dtype=torch.long, device=dev)
        scores = torch.zeros(B, K, device=dev)
        scores[:, 1:] = float("-inf")  # all beams start identical: expand only the first
        done = torch.zeros(B * K, dtype=torch.bool, device=dev)
        lengths = torch.zeros(B * K, device=dev)
        cache = KVCache.empty(len(model.decoder)) if use_cache else None
        for step in range(max_len):
            logp = (
                _step_logits(model, tokens, memory, src_allowed, cache, step)
                .float()
                .log_softmax(-1)
            )  # (B*K, V)
            _restrict(logp, banned, eos_id, False)
            # A finished hypothesis has exactly one continuation, <pad>, which costs nothing.
            logp[done] = float("-inf")
            logp[done, pad] = 0.0
            cand = (scores.view(-1, 1) + logp).view(B, K * V)
            prev_scores, prev_done = scores.view(-1), done
            scores, flat = cand.topk(K, dim=-1)  # (B, K)
            rows = (torch.arange(B, device=dev)[:, None] * K + flat // V).view(
                -1
            )  # (B*K,) parent rows
            nxt = (flat % V).view(-1)  # (B*K,)
            tokens = torch.cat((tokens[rows], nxt[:, None]), dim=1)
            lengths = lengths[rows] + (~done[rows]).float()
            done = done[rows] | (nxt == eos_id)
            if cache is not None:
                cache.reorder(rows)
            if recorder is not None:
                recorder.step(prev_scores, prev_done, logp, rows, nxt, scores.view(-1), done)
            if done.all():
                break
        final = scores.view(-1) / _length_penalty(lengths, length_penalty)  # (B*K,)
        best = final.view(B, K).argmax(-1) + torch.arange(B, device=dev) * K  # (B,)
        if recorder is not None:
            recorder.finish(scores.view(-1), lengths, length_penalty, final, int(best[0]))
    return [_strip(tokens[r, 1:].tolist(), eos_id) for r in best.tolist()]


def beam_search_pool(
    model: Seq2Seq,
    src: torch.Tensor,
    beam: int = 4,
    length_penalty: float = 1.0,
    max_len: int = 100,
    bos_id: int = 1,
    eos_id: int = 2,
    use_cache: bool = True,
    banned: Sequence[int] = (),
    force_eos: bool = True,
) -> list[list[int]]:
    """Beam search as Hugging Face's ``generate()`` runs it (``early_stopping=False``).

    At every step the 2 x ``beam`` best continuations are ranked by summed log-probability.
    Those ending in <eos> among the first ``beam`` of them leave the search for a pool of
    finished hypotheses (the ``beam`` best by score / length ** length_penalty, the length
    counting <eos>); the best ``beam`` others go on. A sentence stops collecting when its
    pool is full and its best running score, divided by its current length **
    length_penalty, cannot beat the pool's worst. Banned ids get -inf after the log-softmax
    (not renormalised), and with ``force_eos`` the ``max_len``-th token is <eos>.

    Returns:
        B lists of generated ids (the pool's best per sentence), without <bos> and <eos>.
    """
    max_len = min(max_len, model.model_config.max_len)
    B, K, V = src.size(0), beam, model.model_config.tgt_vocab
    if not 1 <= K <= V:
        raise ValueError(f"beam must be between 1 and the vocabulary size {V}")
    dev = src.device
    pools: list[list[tuple[float, list[int]]]] = [[] for _ in range(B)]
    collecting = [True] * B
    with evaluating(model):
        memory, src_allowed = model.encode(src)
        memory, src_allowed = memory.repeat_interleave(K, 0), src_allowed.repeat_interleave(K, 0)
        tokens = torch.full((B * K, 1), bos_id, dtype=torch.long, device=dev)
        scores = torch.zeros(B, K, device=dev)
        scores[:, 1:] = -1e9  # all beams start identical: expand only the first
        cache = KVCache.empty(len(model.decoder)) if use_cache else None
        for step in range(max_len):
            last = step == max_len - 1
            logp = _step_logits(model, tokens, memory, src_allowed, cache, step).float()
            logp = _restrict(logp.log_softmax(-1), banned, eos_id, force_eos and last)
            cand = (scores.view(-1, 1) + logp).view(B, K * V)
            top, flat = cand.topk(min(2 * K, K * V), dim=-1)  # (B, 2K), best first
            parent = torch.arange(B, device=dev)[:, None] * K + flat // V  # (B, 2K) rows
            word = flat % V
            ends = (word == eos_id) | last  # also every candidate at the length limit
            for b in range(B):
                if not collecting[b]:
                    continue
                for j in range(K):
                    if ends[b, j]:
                        seq = tokens[parent[b, j], 1:].tolist() + [int(word[b, j])]
                        pools[b].append((float(top[b, j]) / (step + 1) ** length_penalty, seq))
                pools[b] = sorted(pools[b], key=lambda p: -p[0])[:K]
            going = (top - ends.float() * 1e9).topk(K, dim=-1).indices  # (B, K)
            scores = top.gather(1, going) - ends.gather(1, going).float() * 1e9
            rows = parent.gather(1, going).view(-1)
            tokens = torch.cat((tokens[rows], word.gather(1, going).view(-1, 1)), dim=1)
            if cache is not None:
                cache.reorder(rows)
            best_possible = scores[:, 0] / (step + 1) ** length_penalty
            for b in range(B):
                full = len(pools[b]) == K
                if collecting[b] and full and not best_possible[b] > pools[b][-1][0]:
                    collecting[b] = False
            if last or not any(collecting):
                break
    return [_strip(pool[0][1], eos_id) if pool else [] for pool in pools]
