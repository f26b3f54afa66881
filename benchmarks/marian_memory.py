"""Resident memory of fine-tuning a model of opus-mt-en-de's shape, headless.

Opens the random Marian folder (``common.marian_folder``, written once) as the app's
worker does (``Trainer.from_pretrained`` on the built-in en-de corpus, the timeline on)
and takes ``--steps`` fine-tuning steps, printing the resident size (MB) after the load
and after each step, each step's seconds, and the peak:

    python benchmarks/marian_memory.py --steps 3

Target (with the window, ``ui_latency.py --shape marian``): at most 2,048 MB.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import marian_folder, rss_mb  # noqa: E402 - also sets malloc as the app does


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--folder", default=None, help="the Marian folder (written there once if missing)")
    args = parser.parse_args()
    from model.corpus import load_corpus
    from model.train import Trainer

    out = {"start_mb": rss_mb()}
    trainer = Trainer.from_pretrained(marian_folder(args.folder), load_corpus("builtin:en-de"),
                                      corpus_spec="builtin:en-de")
    trainer.train_cfg = trainer.train_cfg.replace(snapshot_every=100)  # as the app sets it
    out["loaded_mb"] = rss_mb()
    for i in range(1, args.steps + 1):
        start = time.perf_counter()
        trainer.step()
        out[f"step{i}_s"] = time.perf_counter() - start
        out[f"step{i}_mb"] = rss_mb()
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = {k: round(v, 1) for k, v in out.items()}
    out["load_average"] = os.getloadavg()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
