"""What recording the training history costs a training step.

Two trainers of the shipped en-de shape (default config, builtin:en-de, seed 0) train in
alternating rounds, one recording its history (metrics of every step, snapshots at steps
0, 10, 20, 50, 100, ...), one not; the headline is the median over rounds of the ratio of
their step times within one round, so drift in the machine's speed hits both alike.

    python benchmarks/history_overhead.py --json [--rounds 8 --steps 25]

Prints human-readable lines to stderr; with --json the last stdout line is one JSON object.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

import common  # noqa: F401  (puts the project on sys.path, sets malloc as main.py does)

from model.config import TrainConfig
from model.train import Trainer


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=8)
    p.add_argument("--steps", type=int, default=25, help="steps per trainer per round")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    cfg = TrainConfig(device="cpu", eval_every=0)
    on = Trainer.from_corpus("builtin:en-de", train_cfg=cfg)
    off = Trainer.from_corpus("builtin:en-de", train_cfg=cfg)
    off.record_history = False
    times = {"on": [], "off": []}
    ratios = []
    for r in range(args.rounds):
        per = {}
        for name, trainer in (("on", on), ("off", off)) if r % 2 == 0 else (("off", off), ("on", on)):
            start = time.perf_counter()
            for _ in range(args.steps):
                trainer.step()
            per[name] = (time.perf_counter() - start) / args.steps
            times[name].append(per[name])
        ratios.append(per["on"] / per["off"])
        print(f"round {r}: step {per['on'] * 1000:.1f} ms recording, {per['off'] * 1000:.1f} ms not "
              f"(ratio {ratios[-1]:.3f}; steps {on.step_count})", file=sys.stderr)
    result = {"ratio": statistics.median(ratios), "ratios": ratios,
              "step_ms_recording": statistics.median(times["on"]) * 1000,
              "step_ms_not": statistics.median(times["off"]) * 1000,
              "steps": on.step_count, "snapshots": [s.step for s in on.history.snapshots]}
    print(f"recording the history: step time x{result['ratio']:.3f} (median of {len(ratios)} rounds)",
          file=sys.stderr)
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
