"""Head importance: what each head is worth, measured by switching it off.

For every head in turn (model/analysis/heads.py), on N validation pairs: the change in
teacher-forced loss, in BLEU of greedy translations, and in cross-attention AER (the best
AER among the cross-attention heads still on, against the pairs' gold word alignments,
when the corpus has them). :func:`head_sweep` is a generator: it yields a
:class:`SweepProgress` after the baseline and after each head, so a caller can show
progress and stop early (stop iterating; the masks are restored either way).

What makes it fast without changing a result:
- A head's greedy translations are not decoded step by step where they cannot differ from
  the baseline's. One teacher-forced pass reads the baseline's translation (with <eos>)
  into the model with the head off: where the head-off model's top choice at every
  position is that translation's token, ahead of the next candidate by more than
  ``MARGIN``, greedy decoding would take exactly those tokens (by induction over the
  steps), so the translation is the baseline's. Only the other pairs are decoded
  (:func:`greedy_outputs`; tests compare it with ``Translator.translate_ids``).
- A decoder head leaves the encoder as it is: the baseline's encoder output is reused.
- BLEU's reference statistics are computed once (sacrebleu's ``BLEU(references=...)``).
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from model.alignment import (
    FRAME_TOKENS,
    argmax_links,
    rows_by_predicted,
    token_word_links,
    trace_token_words,
)
from model.analysis.heads import KINDS, HeadRef, all_heads, heads_off, heads_off_now
from model.corpus import SentencePair
from model.evaluation import bleu_tokenizer
from model.inference import Translator, pad_batch
from model.tokenizer import BOS, EOS, PAD
from model.transformer import Recorder, evaluating


@dataclass(frozen=True)
class Scores:
    loss: float
    bleu: float
    aer: float  # best AER among cross heads still on; NaN without gold alignments


@dataclass(frozen=True)
class SweepProgress:
    """done of total runs (the baseline is run 0); ``scores`` so far (one per head done)."""

    done: int
    total: int
    base: Scores | None
    heads: tuple[HeadRef, ...]
    scores: tuple[Scores, ...]

    def table(self, metric: str, n_layers: dict[str, int], n_heads: int) -> dict[str, np.ndarray]:
        """kind -> (layers, heads) change of ``metric`` (loss, bleu or aer) against the
        baseline; NaN for heads not measured yet."""
        out = {k: np.full((n_layers[k], n_heads), np.nan) for k in KINDS if n_layers.get(k)}
        for (kind, layer, h), s in zip(self.heads, self.scores):
            out[kind][layer, h] = getattr(s, metric) - getattr(self.base, metric)
        return out


MARGIN = 1e-3  # logits: a top choice ahead of the next by less is decoded, never assumed


class _Data:
    """The pairs as padded batches, with each pair's gold token links; after the baseline,
    its greedy translations (``base_out``) and encoder outputs (``memory``, per batch)."""

    def __init__(self, translator: Translator, pairs: Sequence[SentencePair], batch_size: int, lang: str = "de"):
        from sacrebleu.metrics import BLEU

        # shortest first: each batch pads little (BLEU and the loss do not depend on the order)
        src = [translator.encode_src(p.src) for p in pairs]
        order = sorted(range(len(pairs)), key=lambda i: (len(src[i]), len(pairs[i].tgt)))
        pairs, self.src = [pairs[i] for i in order], [src[i] for i in order]
        self.limits = [translator.max_out_len(len(ids)) for ids in self.src]
        self.base_out: list[list[int]] | None = None
        self.memory: list[tuple[torch.Tensor, torch.Tensor]] = []
        self.bleu = BLEU(tokenize=bleu_tokenizer(lang), references=[[p.tgt for p in pairs]]) if pairs else None
        max_len = translator.model_config.max_len
        self.tgt = [translator.tgt_tok.encode(p.tgt, add_bos=True, add_eos=True)[:max_len] for p in pairs]
        self.refs = [p.tgt for p in pairs]
        self.batch_size = batch_size
        self.gold: list[tuple[set, list[int], list[int]] | None] = []
        st, tt = translator.src_tok, translator.tgt_tok
        for p, s_ids, t_ids in zip(pairs, self.src, self.tgt):
            self.gold.append(None)
            if not p.alignment:
                continue
            s_tok = [st.id_to_token(i) for i in s_ids]
            t_tok = [tt.id_to_token(i) for i in t_ids[:-1]]
            try:
                s_words = trace_token_words(s_tok, p.src, p.src_words, st)
                t_words = trace_token_words(t_tok, p.tgt, p.tgt_words, tt)
            except ValueError:
                continue
            rows_words = rows_by_predicted(t_words)
            rows = [t for t, w in enumerate(rows_words) if w >= 0]
            cols = [s for s, tok in enumerate(s_tok) if tok not in FRAME_TOKENS]
            self.gold[-1] = (token_word_links(p.alignment, s_words, rows_words), rows, cols)
        self.has_gold = any(g is not None for g in self.gold)


def _teacher_forced(translator: Translator, data: _Data, reuse_memory: bool = False
                    ) -> tuple[float, np.ndarray, np.ndarray, np.ndarray | None]:
    """(mean loss per token, hits (L, H), |A| + |S| (L, H), agree (N,) or None) over the
    pairs, one traced pass; ``agree``: the pairs whose greedy translation is surely the
    baseline's (see the module docstring), when the baseline's is known. ``reuse_memory``:
    the encoder output of the baseline (a decoder head is off); without it, this pass's
    encoder outputs are kept in ``data.memory``."""
    model, dev = translator.model, translator.device
    model_config = translator.model_config
    shape = (model_config.dec_layers, model_config.n_heads)
    hits, sizes = np.zeros(shape), np.zeros(shape)
    total, count = 0.0, 0
    agree = [] if data.base_out is not None else None
    force_eos = int(translator.generation.force_eos)
    with evaluating(model):
        for batch, start in enumerate(range(0, len(data.src), data.batch_size)):
            stop = start + data.batch_size
            src = pad_batch(data.src[start:stop], dev)
            tgt = pad_batch(data.tgt[start:stop], dev)
            tgt_in, tgt_out = tgt[:, :-1], tgt[:, 1:]
            rec = Recorder() if data.has_gold else None
            if reuse_memory:
                memory, allowed = data.memory[batch]
            else:
                memory, allowed = model._encode(src, rec)
                if data.base_out is None:
                    data.memory.append((memory, allowed))
            real = tgt_out != PAD
            with _project_only(model, real):
                logits = model._decode(tgt_in, memory, allowed, rec=rec)[0]  # (positions, V)
            total += float(F.cross_entropy(logits.float(), tgt_out[real], reduction="sum"))
            count += int(real.sum())
            if agree is not None:
                outs, limits = data.base_out[start:stop], data.limits[start:stop]
                # an output that ended at its length limit was cut, not chosen: decoded again
                free = np.array([len(o) + force_eos < lim for o, lim in zip(outs, limits)])
                agree.extend(_agrees(model, [o if ok else [] for o, ok in zip(outs, free)], memory, allowed, dev)
                             & free)
            if rec is None:
                continue
            weights = [part.weights.cpu().numpy() for part in rec.cross]  # (B, H, T, S) per layer
            for b, gold in enumerate(data.gold[start:stop]):
                if gold is None:
                    continue
                links, rows, cols = gold
                for layer, w in enumerate(weights):
                    for h in range(w.shape[1]):
                        found = {(t, cols[s]) for t, s in argmax_links(w[b, h][:, cols], rows)}
                        hits[layer, h] += len(found & links)
                        sizes[layer, h] += len(found) + len(links)
    return total / max(count, 1), hits, sizes, None if agree is None else np.array(agree, dtype=bool)


def _agrees(model, outs: Sequence[list[int]], memory, allowed, dev) -> np.ndarray:
    """(B,) whether greedy decoding would choose ``outs`` (each then <eos>) token by token:
    at every position the top choice (<pad> and <bos> never) is that token, by more than
    ``MARGIN``."""
    hyp = pad_batch([[BOS] + list(o) + [EOS] for o in outs], dev)
    want = hyp[:, 1:]
    real = want != PAD
    with _project_only(model, real):
        scores = model._decode(hyp[:, :-1], memory, allowed)[0].float()  # (positions, V)
    scores[:, [PAD, BOS]] = float("-inf")
    top = scores.topk(2, dim=-1)
    ok = torch.ones_like(real)
    ok[real] = (top.indices[:, 0] == want[real]) & (top.values[:, 0] - top.values[:, 1] > MARGIN)
    return ok.all(1).cpu().numpy()


@contextmanager
def _project_only(model, keep: torch.Tensor):
    """The decoder's output layer (the largest matmul at a real vocabulary) only at the
    positions ``keep`` (B, T): the logits come out as (1, positions, V), padding left out."""
    hook = model.dec_norm.register_forward_hook(lambda _mod, _args, out: out[keep][None])
    try:
        yield
    finally:
        hook.remove()


def greedy_outputs(translator: Translator, data: _Data, agree: np.ndarray | None) -> list[list[int]]:
    """The greedy translations of the pairs: the baseline's where ``agree``, the others decoded."""
    if agree is None:
        return translator.translate_ids(data.src, beam=1, batch_size=data.batch_size)
    out = [list(o) for o in data.base_out]
    redo = np.flatnonzero(~agree)
    if len(redo):
        for i, ids in zip(redo, translator.translate_ids([data.src[i] for i in redo], beam=1,
                                                         batch_size=data.batch_size)):
            out[i] = ids
    return out


def measure(translator: Translator, data: _Data, lang: str = "de", reuse_memory: bool = False) -> Scores:
    """Loss, BLEU and best cross-attention AER (among heads on) of the model as it is now.
    The first call (the baseline) keeps its greedy translations and encoder outputs in
    ``data``; later calls use them (``reuse_memory``: only a decoder head differs)."""
    loss, hits, sizes, agree = _teacher_forced(translator, data, reuse_memory)
    out = greedy_outputs(translator, data, agree)
    if data.base_out is None:
        data.base_out = out
    hyps = [translator.tgt_tok.decode(ids) for ids in out]
    bleu = float(data.bleu.corpus_score(hyps, None).score) if hyps else 0.0
    aer = float("nan")
    if data.has_gold:
        per_head = 1.0 - 2.0 * hits / np.maximum(sizes, 1)
        on = np.ones_like(per_head, dtype=bool)
        for kind, layer, h in heads_off_now(translator.model):
            if kind == "cross":
                on[layer, h] = False
        aer = float(per_head[on].min()) if on.any() else 1.0
    return Scores(loss, bleu, aer)


def head_sweep(translator: Translator, pairs: Sequence[SentencePair], lang: str = "de",
               heads: Sequence[HeadRef] | None = None, batch_size: int = 64) -> Iterator[SweepProgress]:
    """Switch each head off in turn (on top of the heads already off) and measure.

    Yields progress after the baseline and after every head; the last one is complete.
    """
    model = translator.model
    heads = tuple(all_heads(model) if heads is None else heads)
    data = _Data(translator, pairs, batch_size, lang)
    already = heads_off_now(model)
    with torch.no_grad(), heads_off(model, already):
        base = measure(translator, data, lang)
        scores: list[Scores] = []
        yield SweepProgress(1, len(heads) + 1, base, (), ())
        for i, head in enumerate(heads):
            with heads_off(model, already | {head}):
                scores.append(measure(translator, data, lang, reuse_memory=head[0] != "enc_self"))
            yield SweepProgress(i + 2, len(heads) + 1, base, heads[: i + 1], tuple(scores))
