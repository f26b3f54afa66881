"""What keeping the last good weights in memory costs a training step.

Every GOOD_STATE_EVERY steps the Trainer copies the weights and Adam's state into
buffers, so a step whose loss or gradients blow up can put them back (model/train.py).
A trainer of the shipped en-de shape (default config, builtin:en-de, seed 0) alternates
one copy and one training step; the headline is the median copy time over
GOOD_STATE_EVERY median step times, the share of training time the copies take.
(Timing two whole trainers against each other was tried first: on a shared, loaded
machine the rounds' ratios spread from 0.4 to 1.9, far wider than the effect.)

    python benchmarks/recovery_cost.py --json [--rounds 15]

Prints human-readable lines to stderr; with --json the last stdout line is one JSON object.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

import common  # noqa: F401  (puts the project on sys.path, sets malloc as main.py does)

from model import train
from model.config import TrainConfig
from model.train import Trainer


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=15)
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    trainer = Trainer.from_corpus("builtin:en-de", train_cfg=TrainConfig(device="cpu", eval_every=0))
    trainer.record_history = False
    for _ in range(3):
        trainer.step()
    copies, steps = [], []
    for _ in range(args.rounds):
        start = time.perf_counter()
        trainer._keep_good_state()
        copies.append(time.perf_counter() - start)
        start = time.perf_counter()
        trainer.step()
        steps.append(time.perf_counter() - start)
    copy_ms, step_ms = statistics.median(copies) * 1000, statistics.median(steps) * 1000
    share = copy_ms / (train.GOOD_STATE_EVERY * step_ms)
    result = {"copy_ms": copy_ms, "step_ms": step_ms, "every": train.GOOD_STATE_EVERY,
              "share_of_step_time": share,
              "parameters": sum(q.numel() for q in trainer.model.parameters())}
    print(f"one copy {copy_ms:.2f} ms every {train.GOOD_STATE_EVERY} steps of {step_ms:.1f} ms: "
          f"{share * 100:.3f} % of training time", file=sys.stderr)
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
