"""One sentence through two models, A and B, and every attention view as A, B and B - A.

B may be a second checkpoint, the same model with heads switched off, or (with
:func:`compare_traces` alone) a timeline snapshot's trace of the probe sentence. Both
models read the same decoder input (the reference if given, else A's translation), so
their matrices have the same shape when their tokenizers agree. A model compared with
itself gives zero differences (tests/model/test_analysis_sidebyside.py).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import torch

from model.analysis.heads import HeadRef, heads_off, heads_off_now
from model.inference import Translator
from model.tokenizer import BOS
from model.trace import ModelTrace


@dataclass(frozen=True)
class SideBySide:
    """translation_a/b: each model's own (greedy) translation; a, b: traces of the same pair;
    diff: "kind/layer" -> (H, T, S) B - A attention weights; logits_diff: (T, V) or None
    when the vocabularies differ. ``forced``: B is a recorded trace (a timeline snapshot),
    so ``translation_b`` is its next-token predictions with the probe's target forced (empty
    when the snapshot keeps no logits, as the training history's do)."""

    translation_a: str
    translation_b: str
    a: ModelTrace
    b: ModelTrace
    diff: dict[str, np.ndarray]
    logits_diff: np.ndarray | None
    forced: bool = False

    def max_difference(self) -> float:
        values = [float(np.abs(d).max()) for d in self.diff.values() if d.size]
        if self.logits_diff is not None:
            values.append(float(np.abs(self.logits_diff).max()))
        return max(values, default=0.0)


def compare_traces(a: ModelTrace, b: ModelTrace) -> dict[str, np.ndarray]:
    """"kind/layer" -> B - A attention weights, for every block both traces have and whose
    tokens agree: the encoder's when the sources are the same, the decoder's and the
    cross-attention's when the targets are too.

    Raises:
        ValueError: when the two traces do not read the same source tokens.
    """
    if a.src_tokens != b.src_tokens:
        raise ValueError("the two traces do not read the same tokens: no difference to show")
    kinds = ("enc_self", "dec_self", "cross") if a.tgt_tokens == b.tgt_tokens else ("enc_self",)
    out = {}
    for kind in kinds:
        for x, y in zip(getattr(a, kind), getattr(b, kind)):
            if x.weights.shape == y.weights.shape:
                out[f"{kind}/{x.layer}"] = y.weights - x.weights
    return out


def against_trace(a: Translator, b: ModelTrace) -> SideBySide:
    """A (the translator) against a recorded trace B (a timeline snapshot's probe): A reads
    B's own source and target ids, so every block compares."""
    src_ids, tgt_ids = [int(i) for i in b.src_ids], [int(i) for i in b.tgt_ids]
    own = a.translate_ids([src_ids], beam=1)[0]
    trace_a = _trace(a, src_ids, tgt_ids)
    logits = (b.logits - trace_a.logits) if trace_a.logits.shape == b.logits.shape else None
    # a history snapshot keeps no logits (its out_tokens are then its input): no predictions
    predicted = [a.tgt_tok.id_to_token(int(i)) for i in b.logits.argmax(-1)] if b.logits.size else []
    predicted = [t for t in predicted if t not in ("<eos>", "<pad>")]
    return SideBySide(a.tgt_tok.decode(own), " ".join(predicted), trace_a, b,
                      compare_traces(trace_a, b), logits, forced=True)


def _trace(tr: Translator, src_ids, tgt_ids) -> ModelTrace:
    src_tokens = [tr.src_tok.id_to_token(i) for i in src_ids]
    tgt_tokens = [tr.tgt_tok.id_to_token(i) for i in tgt_ids]
    return tr.model.trace(torch.tensor([src_ids], device=tr.device), torch.tensor([tgt_ids], device=tr.device),
                          src_tokens, tgt_tokens, id_to_token=tr.tgt_tok.id_to_token, step=tr.step)


def side_by_side(a: Translator, b: Translator, text: str, tgt_text: str | None = None,
                 heads_off_a: Iterable[HeadRef] | None = None,
                 heads_off_b: Iterable[HeadRef] | None = None) -> SideBySide:
    """Run ``text`` through A and B (each with its heads off; None keeps the current ones)."""
    def run(tr: Translator, off, tgt_ids=None):
        with heads_off(tr.model, heads_off_now(tr.model) if off is None else off):
            src_ids = tr.encode_src(text)
            own = tr.translate_ids([src_ids], beam=1)[0]
            ids = tgt_ids if tgt_ids is not None else [BOS] + own
            return tr.tgt_tok.decode(own), ids, _trace(tr, src_ids, ids[: tr.model_config.max_len])

    first_tgt = None if tgt_text is None else a.tgt_tok.encode(tgt_text, add_bos=True)
    text_a, ids_a, trace_a = run(a, heads_off_a, first_tgt)
    same_vocab = a.tgt_tok.tokens() == b.tgt_tok.tokens() and a.src_tok.tokens() == b.src_tok.tokens()
    text_b, _, trace_b = run(b, heads_off_b, ids_a if same_vocab else
                             (None if tgt_text is None else b.tgt_tok.encode(tgt_text, add_bos=True)))
    try:
        diff = compare_traces(trace_a, trace_b)
    except ValueError:
        diff = {}
    logits = (trace_b.logits - trace_a.logits) if same_vocab and trace_a.logits.shape == trace_b.logits.shape else None
    return SideBySide(text_a, text_b, trace_a, trace_b, diff, logits)
