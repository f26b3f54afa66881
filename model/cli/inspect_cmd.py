"""`python main.py inspect --checkpoint PATH TEXT --out FILE.npz`

Saves the full trace of one translation. Array names in the .npz file:

    src_tokens, tgt_tokens, out_tokens      token strings (S,), (T,), (T,)
    src_ids, tgt_ids                        integer ids
    src_embed, src_pos, tgt_embed, tgt_pos  (S|T, D) scaled embeddings and positional encodings
    logits                                  (T, V) decoder output scores
    {kind}.{layer}.{name}                   kind in enc_self, dec_self, cross; layer from 0; name:
        x_q (T, D), x_kv (S, D)             inputs of queries and of keys/values
        w_q, w_k, w_v, w_o (D, D)           projections, used as x @ w
        b_q, b_k, b_v, b_o (D,)             their biases: q = x_q @ w_q + b_q (before rotary)
        q (H, T, Dh), k (H, S, Dh), v (H, S, Dh)
        scores (H, T, S)                    raw q·kᵀ, signed, before scaling and mask
        allowed (T, S)                      True where a query may attend
        weights (H, T, S)                   softmax after scaling and mask, before dropout
        context (H, T, Dh)                  weights @ v per head
        concat (T, D), output (T, D)        heads concatenated, and concat @ w_o + b_o

For self-attention S = T of that side; for cross-attention T is the decoder's length
and S the encoder's.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from model.cli.common import emit_json, fail


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--out", required=True, help="the .npz file to write")
    p.add_argument("--reference", help="force this target through the decoder instead of translating")
    p.add_argument("--beam", type=int, default=1)
    p.add_argument("--device", default="cpu")
    p.add_argument("--json", action="store_true")
    p.add_argument("text", help="the source sentence")


def run(args: argparse.Namespace) -> int:
    from model.checkpoint import CheckpointError
    from model.inference import Translator

    try:
        translator = Translator.load(args.checkpoint, device=args.device)
        trace = translator.trace(args.text, args.reference, beam=args.beam)
    except (CheckpointError, ValueError, OSError) as exc:
        return fail(str(exc).splitlines()[0])
    arrays = trace.to_npz_dict()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **arrays)
    translation = translator.tgt_tok.decode([translator.tgt_tok.token_to_id(t) for t in trace.tgt_tokens])
    print(f"{args.text} -> {translation}")
    print(f"wrote {len(arrays)} arrays to {out}")
    if args.json:
        emit_json({"out": str(out), "source_tokens": list(trace.src_tokens),
                   "target_tokens": list(trace.tgt_tokens), "translation": translation,
                   "arrays": {name: list(a.shape) for name, a in arrays.items()}})
    return 0
