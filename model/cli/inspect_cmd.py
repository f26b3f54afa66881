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

What the checkpoint's training history holds (model/history.py):

    python main.py inspect --checkpoint PATH --history metrics.csv
        every recorded step (loss, ce, accuracy, lr, grad_norm, tokens_per_s, grad_norm.<group>)
        with the evaluation columns (valid_loss, valid_accuracy, bleu, chrf, aer) where one ran
    python main.py inspect --checkpoint PATH --snapshot STEP --out snap.npz
        the snapshot taken at STEP (or the last one before it): per traced sentence i (0 is
        the probe) "t{i}." + the trace names above (as stored: no w_* or logits), and
        src_ids, src_rows, tgt_ids, tgt_rows (embedding rows), pos_table (learned only),
        samples (source, reference, output)
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from model.cli.common import emit_json, fail
from model.cli.translate_cmd import warn_source


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--checkpoint", required=True, help="a checkpoint written by `train` or `convert`, or an opus-mt (Marian) model folder")
    p.add_argument("--out", help="the .npz file to write")
    p.add_argument("--reference", help="force this target through the decoder instead of translating")
    p.add_argument("--beam", type=int, default=1)
    p.add_argument("--device", default="cpu")
    p.add_argument("--json", action="store_true")
    p.add_argument("--history", metavar="CSV", help="write the training history's metrics to this CSV file")
    p.add_argument("--snapshot", type=int, metavar="STEP", help="write the history snapshot of STEP to --out")
    p.add_argument("text", nargs="?", help="the source sentence")


def _message(out: Path, exc: Exception) -> str:
    """One line for a failure, naming the file (an OSError names ``out``)."""
    if isinstance(exc, OSError) and not str(exc.filename or ""):
        return f"{out}: cannot write ({exc.strerror or exc})"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def run(args: argparse.Namespace) -> int:
    from model.checkpoint import CheckpointError, check_destination
    from model.inference import Translator

    if args.history or args.snapshot is not None:
        return _history(args)
    if not args.text or not args.out:
        return fail("give a sentence and --out (or --history CSV, or --snapshot STEP --out FILE)")
    out = Path(args.out)
    try:
        check_destination(out)
        translator = Translator.load(args.checkpoint, device=args.device)
        check = translator.check_source(args.text)
        warn_source(1, check)
        trace = translator.trace(args.text, args.reference, beam=args.beam)
        arrays = trace.to_npz_dict()
        np.savez_compressed(out, **arrays)
    except (CheckpointError, ValueError, OSError) as exc:
        return fail(_message(out, exc))
    translation = translator.tgt_tok.decode([translator.tgt_tok.token_to_id(t) for t in trace.tgt_tokens])
    print(f"{args.text} -> {translation}")
    print(f"wrote {len(arrays)} arrays to {out}")
    if args.json:
        emit_json({"out": str(out), "source_tokens": list(trace.src_tokens),
                   "target_tokens": list(trace.tgt_tokens), "translation": translation,
                   **check.to_dict(),
                   "arrays": {name: list(a.shape) for name, a in arrays.items()}})
    return 0


def _history(args: argparse.Namespace) -> int:
    from model.checkpoint import CheckpointError, load_checkpoint
    from model.train import history_from_section

    if args.snapshot is not None and not args.out:
        return fail("--snapshot needs --out FILE.npz")
    try:
        section = load_checkpoint(args.checkpoint).sections.get("history")
    except (CheckpointError, OSError) as exc:
        return fail(str(exc).splitlines()[0])
    if section is None:
        return fail(f"{args.checkpoint}: this checkpoint carries no training history")
    try:
        history = history_from_section(args.checkpoint, section)
    except CheckpointError as exc:
        return fail(str(exc))
    result = {"steps": len(history), "evaluations": len(history.eval_step),
              "snapshots": [s.step for s in history.snapshots]}
    if args.history:
        out = Path(args.history)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(history.to_csv(), encoding="utf-8")
        print(f"wrote {len(history)} steps and {len(history.eval_step)} evaluations to {out}")
        result["history"] = str(out)
    if args.snapshot is not None:
        snap = history.snapshot_at(args.snapshot)
        if snap is None:
            return fail(f"no snapshot at or before step {args.snapshot}")
        arrays = {}
        for i, trace in enumerate(snap.traces):
            arrays.update({f"t{i}.{k}": v for k, v in trace.to_npz_dict().items()
                           if not (k.startswith("w_") or ".w_" in k or k == "logits")})
        arrays.update(src_ids=snap.src_ids, src_rows=snap.src_rows, tgt_ids=snap.tgt_ids, tgt_rows=snap.tgt_rows,
                      samples=np.array(snap.samples, dtype=str).reshape(-1, 3))
        if snap.pos_table is not None:
            arrays["pos_table"] = snap.pos_table
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(out, **arrays)
        print(f"wrote the snapshot of step {snap.step} ({len(arrays)} arrays) to {out}")
        result.update(snapshot=snap.step, out=str(out))
    if args.json:
        emit_json(result)
    return 0
