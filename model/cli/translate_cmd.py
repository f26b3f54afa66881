"""`python main.py translate --checkpoint PATH [--beam K] TEXT...`"""
from __future__ import annotations

import argparse
import sys

from model.cli.common import emit_json, fail


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--checkpoint", required=True, help="a checkpoint written by `train` or `convert`, or an opus-mt (Marian) model folder")
    p.add_argument("--beam", type=int, default=None,
                   help="beam size (1 = greedy; default: the model's own, 1 for the project's models)")
    p.add_argument("--device", default="cpu")
    p.add_argument("--json", action="store_true")
    p.add_argument("text", nargs="*", help="sentences to translate (read from stdin, one a line, if none)")


def run(args: argparse.Namespace) -> int:
    from model.checkpoint import CheckpointError
    from model.inference import Translator

    texts = [t for t in (args.text or [line.rstrip("\n") for line in sys.stdin]) if t.strip()]
    if not texts:
        return fail("nothing to translate")
    if args.beam is not None and args.beam < 1:
        return fail("--beam must be at least 1")
    try:
        translator = Translator.load(args.checkpoint, device=args.device)
        outputs = translator.translate(texts, beam=args.beam)
        beam = args.beam or translator.generation.beam
    except (CheckpointError, ValueError, OSError) as exc:
        return fail(str(exc).splitlines()[0])
    for out in outputs:
        print(out)
    if args.json:
        emit_json({"translations": [{"source": s, "translation": t} for s, t in zip(texts, outputs)],
                   "beam": beam, "checkpoint": args.checkpoint})
    return 0
