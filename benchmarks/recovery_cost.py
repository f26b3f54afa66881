"""What keeping the last good weights in memory costs a training step.

Every GOOD_STATE_EVERY steps the Trainer copies the weights and Adam's state into
buffers, so a step whose loss or gradients blow up can put them back (model/train.py).
Two trainers of the shipped en-de shape (default config, builtin:en-de, seed 0) train in
alternating rounds, one keeping the copies, one not; the headline is the median over
rounds of the ratio of their step times within one round.

    python benchmarks/recovery_cost.py --json [--rounds 8 --steps 20]

Prints human-readable lines to stderr; with --json the last stdout line is one JSON object.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys

import common

from model import train
from model.config import TrainConfig
from model.train import Trainer


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=8)
    p.add_argument("--steps", type=int, default=20, help="steps per trainer per round")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    cfg = TrainConfig(device="cpu", eval_every=0)
    kept = Trainer.from_corpus("builtin:en-de", train_cfg=cfg)
    off = Trainer.from_corpus("builtin:en-de", train_cfg=cfg)
    off._keep_good_state = lambda: None
    for trainer in (kept, off):
        trainer.record_history = False
    ratios, times = common.alternating_rounds({"keeping": kept.step, "not": off.step},
                                              args.rounds, args.steps)
    n_params = sum(p.numel() for p in kept.model.parameters())
    result = {"ratio": statistics.median(ratios), "ratios": ratios,
              "step_ms_keeping": statistics.median(times["keeping"]) * 1000,
              "step_ms_not": statistics.median(times["not"]) * 1000,
              "every": train.GOOD_STATE_EVERY, "parameters": n_params, "steps": kept.step_count}
    print(f"keeping the last good weights every {train.GOOD_STATE_EVERY} steps: step time "
          f"x{result['ratio']:.3f} (median of {len(ratios)} rounds)", file=sys.stderr)
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
