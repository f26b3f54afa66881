"""Logit lens: what each decoder layer's output would predict if it were the last.

The output of decoder layer l at position t goes through what follows the last layer:
the final norm (pre-norm models; post-norm layers end normalised already), the output
layer and its bias if the model has one (converted Marian models). The input of the first
layer (embedding + position) is shown too, as "embedding". The last layer's lens is the
model's own prediction (checked in tests/model/test_analysis_lens.py).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from model.inference import Translator
from model.tokenizer import BOS
from model.transformer import evaluating


@dataclass(frozen=True)
class LogitLens:
    """Top-k predictions of every decoder layer at every decoder position.

    layers: names of the rows ("embedding", "layer 0", ...); tgt_tokens: decoder input (T).
    top_ids, top_probs: (L, T, k); top_tokens: (L, T, k) strings;
    final_prob: (L, T) probability each layer gives the model's final prediction at t.
    """

    src_tokens: tuple[str, ...]
    tgt_tokens: tuple[str, ...]
    layers: tuple[str, ...]
    top_ids: np.ndarray
    top_probs: np.ndarray
    top_tokens: tuple[tuple[tuple[str, ...], ...], ...]
    final_prob: np.ndarray


@torch.no_grad()
def layer_logits(model, src: torch.Tensor, tgt_in: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(lens logits (L+1, B, T, V): embedding then each decoder layer; the model's logits)."""
    states: list[torch.Tensor] = []
    hooks = [model.decoder[0].register_forward_pre_hook(lambda mod, args: states.append(args[0]))]
    hooks += [layer.register_forward_hook(lambda mod, args, out: states.append(out)) for layer in model.decoder]
    try:
        with evaluating(model):
            logits = model(src, tgt_in)
            lens = torch.stack([model._logits(model.dec_norm(h)) for h in states])
    finally:
        for h in hooks:
            h.remove()
    return lens, logits


def logit_lens(translator: Translator, text: str, out_ids=None, k: int = 5) -> LogitLens:
    """The lens for ``text`` with <bos> + ``out_ids`` in the decoder (default: the model's translation)."""
    src_ids = translator.encode_src(text)
    if out_ids is None:
        out_ids = translator.translate_ids([src_ids])[0]
    tgt_ids = ([BOS] + list(out_ids))[: translator.model_config.max_len]
    dev = translator.device
    lens, logits = layer_logits(translator.model, torch.tensor([src_ids], device=dev),
                                torch.tensor([tgt_ids], device=dev))
    probs = lens[:, 0].float().softmax(-1)  # (L, T, V)
    top_p, top_i = probs.topk(min(k, probs.size(-1)), dim=-1)
    final = logits[0].argmax(-1)  # (T,)
    final_prob = probs.gather(2, final.expand(probs.size(0), -1)[..., None])[..., 0]
    tok = translator.tgt_tok.id_to_token
    ids = top_i.cpu().numpy()
    return LogitLens(
        src_tokens=tuple(translator.src_tok.id_to_token(i) for i in src_ids),
        tgt_tokens=tuple(tok(i) for i in tgt_ids),
        layers=("embedding",) + tuple(f"layer {i}" for i in range(len(translator.model.decoder))),
        top_ids=ids.copy(),
        top_probs=top_p.cpu().numpy().copy(),
        top_tokens=tuple(tuple(tuple(tok(int(i)) for i in row) for row in layer) for layer in ids),
        final_prob=final_prob.cpu().numpy().copy(),
    )
