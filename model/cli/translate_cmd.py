"""`python main.py translate --checkpoint PATH [--beam K] TEXT...`"""
from __future__ import annotations

import argparse
import sys

from model.cli.common import emit_json, fail


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--checkpoint", required=True, help="a checkpoint written by `train`")
    p.add_argument("--beam", type=int, default=1, help="beam size (1 = greedy)")
    p.add_argument("--device", default="cpu")
    p.add_argument("--json", action="store_true")
    p.add_argument("text", nargs="*", help="sentences to translate (read from stdin, one a line, if none)")


def run(args: argparse.Namespace) -> int:
    from model.checkpoint import CheckpointError
    from model.inference import Translator

    texts = [t for t in (args.text or [line.rstrip("\n") for line in sys.stdin]) if t.strip()]
    if not texts:
        return fail("nothing to translate")
    if args.beam < 1:
        return fail("--beam must be at least 1")
    try:
        translator = Translator.load(args.checkpoint, device=args.device)
        outputs = translator.translate(texts, beam=args.beam)
    except (CheckpointError, ValueError, OSError) as exc:
        return fail(str(exc).splitlines()[0])
    for out in outputs:
        print(out)
    if args.json:
        emit_json({"translations": [{"source": s, "translation": t} for s, t in zip(texts, outputs)],
                   "beam": args.beam, "checkpoint": args.checkpoint})
    return 0
