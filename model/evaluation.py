"""Scores of a translator: BLEU and chrF (sacrebleu), token accuracy, and how well its
cross-attention heads align target words with source words (AER against gold links)."""
from __future__ import annotations

from collections.abc import Sequence

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
from model.corpus import SentencePair
from model.inference import Translator, autocast_for, pad_batch
from model.tokenizer import PAD


def bleu_tokenizer(lang: str) -> str:
    """sacrebleu's tokenizer for a target language (its 'zh' tokenizer for Chinese)."""
    return "zh" if lang.startswith("zh") else "13a"


def corpus_scores(hyps: Sequence[str], refs: Sequence[str], lang: str) -> tuple[float, float]:
    """(BLEU, chrF) of hypotheses against one reference each, computed by sacrebleu."""
    import sacrebleu  # here, not at the top: a second on a busy machine, not needed to load a model

    if not hyps:
        return 0.0, 0.0
    bleu = sacrebleu.corpus_bleu(list(hyps), [list(refs)], tokenize=bleu_tokenizer(lang)).score
    chrf = sacrebleu.corpus_chrf(list(hyps), [list(refs)]).score
    return float(bleu), float(chrf)


@torch.no_grad()
def teacher_forced(model: torch.nn.Module, src_ids: Sequence[list[int]], tgt_ids: Sequence[list[int]],
                   device: torch.device, label_smoothing: float = 0.0, batch_size: int = 64) -> tuple[float, float]:
    """(mean loss per target token, token accuracy) with the reference fed to the decoder.

    tgt_ids hold <bos> ... <eos>; the decoder reads all but the last and predicts all but the first.
    """
    model.eval()
    total_loss, correct, count = 0.0, 0, 0
    for start in range(0, len(src_ids), batch_size):
        src = pad_batch(src_ids[start:start + batch_size], device)
        tgt = pad_batch(tgt_ids[start:start + batch_size], device)
        tgt_in, tgt_out = tgt[:, :-1], tgt[:, 1:]
        with autocast_for(device):
            logits = model(src, tgt_in)  # (B, T, V)
        mask = tgt_out != PAD
        total_loss += float(F.cross_entropy(logits.float().reshape(-1, logits.size(-1)), tgt_out.reshape(-1),
                                            ignore_index=PAD, label_smoothing=label_smoothing, reduction="sum"))
        correct += int(((logits.argmax(-1) == tgt_out) & mask).sum())
        count += int(mask.sum())
    return total_loss / max(count, 1), correct / max(count, 1)


def alignment_scores(translator: Translator, pairs: Sequence[SentencePair]) -> dict:
    """Corpus-level AER of every cross-attention head against the pairs' gold alignments.

    Each pair's reference is forced through the decoder; the row that predicts a target
    word links it to the source token it attends to most. Counts are summed over the
    pairs before the AER is formed: AER = 1 - 2|A∩S| / (|A| + |S|) (all gold links sure).

    Returns: {"per_head": [[aer of layer l, head h]], "best": {"layer", "head", "aer"},
              "pairs": number of pairs used}.
    """
    model_config = translator.model_config
    hits = np.zeros((model_config.dec_layers, model_config.n_heads))
    predicted = np.zeros_like(hits)
    gold_total = 0
    used = 0
    for pair in pairs:
        if not pair.alignment:
            continue
        trace = translator.trace(pair.src, pair.tgt)
        try:
            src_words = trace_token_words(trace.src_tokens, pair.src, pair.src_words, translator.src_tok)
            tgt_words = trace_token_words(trace.tgt_tokens, pair.tgt, pair.tgt_words, translator.tgt_tok)
        except ValueError:
            continue  # the sentence was cut to max_len
        rows_words = rows_by_predicted(tgt_words)
        rows = [t for t, w in enumerate(rows_words) if w >= 0]
        cols_ok = [s for s, tok in enumerate(trace.src_tokens) if tok not in FRAME_TOKENS]
        gold = token_word_links(pair.alignment, src_words, rows_words)
        gold_total += len(gold)
        used += 1
        for block in trace.cross:
            for h in range(block.n_heads):
                weights = block.weights[h][:, cols_ok]
                links = {(t, cols_ok[s]) for t, s in argmax_links(weights, rows)}
                hits[block.layer, h] += len(links & gold)
                predicted[block.layer, h] += len(links)
    aer = 1.0 - 2.0 * hits / np.maximum(predicted + gold_total, 1)
    layer, head = np.unravel_index(int(np.argmin(aer)), aer.shape)
    return {"per_head": aer.round(4).tolist(),
            "best": {"layer": int(layer), "head": int(head), "aer": float(aer[layer, head])},
            "pairs": used}
