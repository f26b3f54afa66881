"""`python main.py translate --checkpoint PATH [--beam K] TEXT...`

Sentences come from the command line or, without any, from stdin one a line; a blank
input line gives a blank output line, so a line-aligned file stays aligned. A sentence
with words the model does not know, or longer than the model reads, gets one warning
line on stderr (and the same facts in --json).
"""
from __future__ import annotations

import argparse
import sys

from model.cli.common import emit_json, fail, log


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--checkpoint", required=True, help="a checkpoint written by `train` or `convert`, or an opus-mt (Marian) model folder")
    p.add_argument("--beam", type=int, default=None,
                   help="beam size (1 = greedy; default: the model's own, 1 for the project's models)")
    p.add_argument("--device", default="cpu")
    p.add_argument("--json", action="store_true")
    p.add_argument("text", nargs="*", help="sentences to translate (read from stdin, one a line, if none)")


def warn_source(number: int, check) -> None:
    """One stderr line for a sentence the model does not fully see (nothing when it does)."""
    if not check.ok:
        log(f"warning: sentence {number}: " + "; ".join(check.messages()))


def run(args: argparse.Namespace) -> int:
    from model.checkpoint import CheckpointError
    from model.inference import Translator

    texts = list(args.text) if args.text else [line.rstrip("\r\n") for line in sys.stdin]
    wanted = [i for i, t in enumerate(texts) if t.strip()]
    if not wanted:
        return fail("nothing to translate")
    if args.beam is not None and args.beam < 1:
        return fail("--beam must be at least 1")
    try:
        translator = Translator.load(args.checkpoint, device=args.device)
        checks = {i: translator.check_source(texts[i]) for i in wanted}
        for i in wanted:
            warn_source(i + 1, checks[i])
        done = dict(zip(wanted, translator.translate([texts[i] for i in wanted], beam=args.beam)))
        beam = args.beam or translator.generation.beam
    except (CheckpointError, ValueError, OSError) as exc:
        return fail(str(exc).splitlines()[0])
    outputs = [done.get(i, "") for i in range(len(texts))]
    for out in outputs:
        print(out)
    if args.json:
        rows = []
        for i, (src, out) in enumerate(zip(texts, outputs)):
            row = {"source": src, "translation": out}
            if i in checks:
                row.update(checks[i].to_dict())
            rows.append(row)
        emit_json({"translations": rows, "beam": beam, "checkpoint": args.checkpoint})
    return 0
