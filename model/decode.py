"""Turning a trained Seq2Seq into translations: greedy decoding and beam search.

Both run the encoder once. With ``use_cache=True`` the decoder is fed one new token per
step and keeps, per layer, the keys and values of the tokens it has already seen
(self-attention) and of the encoder output (cross-attention, computed at the first step).
Without the cache the whole prefix is recomputed at every step; the results are the same.
"""

from __future__ import annotations

import torch

from model.attention import KVCache
from model.transformer import Seq2Seq, evaluating


def _step_logits(model: Seq2Seq, tokens, memory, src_allowed, cache, step) -> torch.Tensor:
    """Scores of the next token after ``tokens`` (B, step+1) -> (B, V)."""
    if cache is None:
        return model.decode(tokens, memory, src_allowed)[:, -1]
    return model.decode(tokens[:, -1:], memory, src_allowed, cache, start_pos=step)[:, -1]


def _strip(row: list[int], eos_id: int) -> list[int]:
    """Generated ids up to (not including) the first <eos>."""
    return row[: row.index(eos_id)] if eos_id in row else row


def greedy_decode(
    model: Seq2Seq,
    src: torch.Tensor,
    max_len: int,
    bos_id: int = 1,
    eos_id: int = 2,
    use_cache: bool = True,
) -> list[list[int]]:
    """Pick the most likely token at every step.

    Args:
        model: the translator (run in eval mode without gradients; its mode is restored).
        src: (B, S) source ids, right-padded with ``model.cfg.pad_id``.
        max_len: most tokens generated per sentence (capped at ``model.cfg.max_len``).
        use_cache: reuse keys and values between steps (faster, same result).

    Returns:
        B lists of generated ids, without <bos> and <eos>.
    """
    max_len = min(max_len, model.cfg.max_len)
    with evaluating(model):
        memory, src_allowed = model.encode(src)
        B = src.size(0)
        tokens = torch.full((B, 1), bos_id, dtype=torch.long, device=src.device)  # (B, 1)
        done = torch.zeros(B, dtype=torch.bool, device=src.device)
        cache = KVCache.empty(len(model.decoder)) if use_cache else None
        for step in range(max_len):
            nxt = _step_logits(model, tokens, memory, src_allowed, cache, step).argmax(-1)  # (B,)
            nxt = nxt.masked_fill(done, model.cfg.pad_id)  # finished rows only pad
            tokens = torch.cat((tokens, nxt[:, None]), dim=1)
            done |= nxt == eos_id
            if done.all():
                break
    return [_strip(row[1:], eos_id) for row in tokens.tolist()]


def _length_penalty(length: torch.Tensor, alpha: float) -> torch.Tensor:
    """GNMT's length normalisation ((5 + length) / 6) ** alpha (Wu et al. 2016)."""
    return ((5.0 + length) / 6.0) ** alpha


def beam_search(
    model: Seq2Seq,
    src: torch.Tensor,
    beam: int = 4,
    length_penalty: float = 0.6,
    max_len: int = 100,
    bos_id: int = 1,
    eos_id: int = 2,
    use_cache: bool = True,
) -> list[list[int]]:
    """Keep the ``beam`` best partial translations of each sentence at every step.

    Hypotheses are ranked by their summed log-probability while searching; a finished
    hypothesis (it produced <eos>) keeps its score and its slot. At the end the best of
    each sentence is chosen by score / ((5 + length) / 6) ** length_penalty, where
    length counts the generated tokens including <eos>. With beam=1 this is greedy decoding.

    Args:
        model: the translator (run in eval mode without gradients; its mode is restored).
        src: (B, S) source ids, right-padded with ``model.cfg.pad_id``.
        beam: hypotheses kept per sentence (at most the target vocabulary size).
        length_penalty: alpha above; 0 ranks by plain log-probability.
        max_len: most tokens generated per sentence (capped at ``model.cfg.max_len``).
        use_cache: reuse keys and values between steps (faster, same result).

    Returns:
        B lists of generated ids (the best hypothesis per sentence), without <bos> and <eos>.
    """
    max_len = min(max_len, model.cfg.max_len)
    B, K, V, pad = src.size(0), beam, model.cfg.tgt_vocab, model.cfg.pad_id
    if not 1 <= K <= V:
        raise ValueError(f"beam must be between 1 and the vocabulary size {V}")
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
            # A finished hypothesis has exactly one continuation, <pad>, which costs nothing.
            logp[done] = float("-inf")
            logp[done, pad] = 0.0
            cand = (scores.view(-1, 1) + logp).view(B, K * V)
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
            if done.all():
                break
        final = scores.view(-1) / _length_penalty(lengths, length_penalty)  # (B*K,)
        best = final.view(B, K).argmax(-1) + torch.arange(B, device=dev) * K  # (B,)
    return [_strip(tokens[r, 1:].tolist(), eos_id) for r in best.tolist()]
