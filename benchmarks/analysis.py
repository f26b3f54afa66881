"""The analysis computations on the shipped en-de model: integrated gradients, the head
sweep, the logit lens and the beam tree.

    python benchmarks/analysis.py --json [--threads 2] [--checkpoint PATH] [--code DIR]

``--code DIR`` imports ``model`` from another checkout (say the code before a change, from
``git worktree add``) with this script, for before/after figures measured in one run.

Targets (2 cores): integrated gradients with 64 steps for every output token of a
20-token sentence <= 2 s; the head sweep over every head on 200 validation pairs <= 30 s;
logit lens and beam tree <= 100 ms each (medians of --repeats runs).
Also prints the largest completeness error of the integrated gradients at 64 evenly
spaced nodes, at 64 nodes placed by the interval errors, and the time, error and node
counts of ``attribute``'s default (64 placed nodes, then outputs that miss 1 % go on up to
256; model/analysis/attribution.py). Errors are also given over the outputs whose
log-probability changes by at least 0.1 nats along the path (``_big``): 1 % of a smaller
change is under 0.001 nats. Each time has its process CPU seconds beside it (``_cpu``):
on a loaded machine the wall time is mostly waiting.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import common  # noqa: F401  (puts the project on sys.path, sets malloc as the app does)
import numpy as np
import torch

if "--code" in sys.argv:  # another checkout's model: before the imports below
    sys.path.insert(0, sys.argv[sys.argv.index("--code") + 1])
    for _name in [m for m in sys.modules if m == "model" or m.startswith("model.")]:
        del sys.modules[_name]

from model.analysis.attribution import attribute  # noqa: E402
from model.analysis.beamtree import beam_tree  # noqa: E402
from model.analysis.lens import logit_lens  # noqa: E402
from model.analysis.sweep import head_sweep  # noqa: E402
from model.checkpoint import load_checkpoint  # noqa: E402
from model.corpus import load_corpus  # noqa: E402
from model.inference import Translator  # noqa: E402
from model.train import corpus_beside  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = "the small dog that the old man sees in the big garden sleeps under the green tree ."


def timed(fn, repeats: int, cpu: dict | None = None, name: str = ""):
    times, cpus, out = [], [], None
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        out = fn()
        times.append(time.perf_counter() - start)
        cpus.append(time.process_time() - start_cpu)
    if cpu is not None:
        cpu[name] = round(statistics.median(cpus), 3)
    return statistics.median(times), out


def errors(a) -> tuple[float, float]:
    """Largest completeness error over all outputs, and over those that change >= 0.1 nats."""
    err = a.completeness_error()
    big = np.abs(a.logp - a.logp_baseline) >= 0.1
    return float(err.max()), float(err[big].max()) if big.any() else float("nan")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--checkpoint", default=str(ROOT / "resources/checkpoints/en-de.safetensors"))
    p.add_argument("--corpus", default=None, help="validation pairs from (default: the checkpoint's corpus)")
    p.add_argument("--sentence", default=SENTENCE)
    p.add_argument("--pairs", type=int, default=200)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--json", action="store_true")
    p.add_argument("--code", default=None, help="import model/ from this checkout instead")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    load_start = os.getloadavg()
    tr = Translator.load(args.checkpoint)
    src_len = len(tr.encode_src(args.sentence))
    cpu: dict[str, float] = {}
    even_s, even = timed(lambda: attribute(tr, args.sentence, method="ig", steps=64, tolerance=None),
                         args.repeats, cpu, "ig_64_even_s")
    ig_s, ig = timed(lambda: attribute(tr, args.sentence, method="ig", steps=64, max_steps=64),
                     args.repeats, cpu, "ig_64_steps_all_outputs_s")
    fine_s, fine = timed(lambda: attribute(tr, args.sentence, method="ig", steps=64), 1, cpu, "ig_refined_s")
    gi_s, _ = timed(lambda: attribute(tr, args.sentence, method="grad_input"), args.repeats, cpu,
                    "grad_x_input_all_outputs_s")
    lens_s, _ = timed(lambda: logit_lens(tr, args.sentence), args.repeats * 3, cpu, "logit_lens_s")
    tree_s, tree = timed(lambda: beam_tree(tr, args.sentence, beam=4), args.repeats * 3, cpu, "beam_tree_s")
    spec = args.corpus or corpus_beside(args.checkpoint, load_checkpoint(args.checkpoint).corpus)
    corpus = load_corpus(spec)
    pairs = (corpus.valid or corpus.test or corpus.train)[: args.pairs]
    load = os.getloadavg()
    sweep_s, progress = timed(lambda: list(head_sweep(tr, pairs, lang=corpus.tgt_lang))[-1], 1, cpu,
                              "head_sweep_s")
    result = {
        "checkpoint": Path(args.checkpoint).name, "threads": args.threads,
        "code": str(Path(sys.modules["model"].__file__).resolve().parents[1]),
        "source_tokens": src_len, "output_tokens": len(ig.out_tokens),
        "ig_64_even_s": round(even_s, 3), "ig_64_even_completeness_error_max": errors(even)[0],
        "ig_64_even_completeness_error_max_big": errors(even)[1],
        "ig_64_steps_all_outputs_s": round(ig_s, 3), "ig_completeness_error_max": errors(ig)[0],
        "ig_completeness_error_max_big": errors(ig)[1],
        "ig_refined_s": round(fine_s, 3), "ig_refined_completeness_error_max": errors(fine)[0],
        "ig_refined_completeness_error_max_big": errors(fine)[1],
        "ig_refined_steps_max": int(fine.steps_used.max()), "ig_refined_steps_mean": float(fine.steps_used.mean()),
        "grad_x_input_all_outputs_s": round(gi_s, 3),
        "logit_lens_ms": round(lens_s * 1e3, 1), "beam_tree_ms": round(tree_s * 1e3, 1),
        "beam_tree_nodes": len(tree.nodes),
        "head_sweep_s": round(sweep_s, 2), "head_sweep_pairs": len(pairs), "head_sweep_runs": progress.total,
        "base_bleu": round(progress.base.bleu, 2), "base_aer": round(progress.base.aer, 4),
        "head_sweep_bleu_changes": [round(s.bleu - progress.base.bleu, 3) for s in progress.scores],
        "cpu_s": cpu,
        "load_average_start": [round(x, 2) for x in load_start],
        "load_average_before_sweep": [round(x, 2) for x in load], "load_average_end": [round(x, 2) for x in os.getloadavg()],
    }
    print(json.dumps(result) if args.json else json.dumps(result, indent=1))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
