"""Fine-tuning speed at opus-mt-en-de's shape, headless, on the CPU or a GPU.

Opens the random Marian folder (``common.marian_folder``, written once) as
``main.py train --checkpoint FOLDER`` does (``Trainer.from_pretrained`` on the built-in
en-de corpus with the fine-tuning settings, ``model.marian.FINE_TUNE``) and times its
steps at each ``--batch-tokens`` size (eager, or with ``--compile`` through
``torch.compile`` as ``main.py train --compile`` does):

    python benchmarks/marian_finetune.py --device cuda --batch-tokens 512 2048 8192 --warmup 40 --steps 40 --json

For each run: every step's time (``step_s``, warm-up included: on a GPU the first tens of
steps are slower, as each new batch shape meets new kernels), the median after the warm-up, target tokens a second, the
loss of the first and last timed steps, the process's peak resident memory and, on a GPU,
the largest GPU memory allocated. The folder's weights are random, so the loss says that
the steps train (it falls) and nothing about translation quality.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import marian_folder, rss_mb  # noqa: E402 - also sets malloc as the app does


def run(folder: str, device: str, batch_tokens: int, steps: int, warmup: int, compiled: bool,
        profile: bool = False, cudnn_sdp: bool = False) -> dict:
    import cProfile
    import gc
    import pstats

    import torch

    from model import distributed
    from model.corpus import load_corpus
    from model.marian import FINE_TUNE
    from model.train import Trainer

    cfg = FINE_TUNE.replace(batch_tokens=batch_tokens, device=device, eval_every=0)
    trainer = Trainer.from_pretrained(folder, load_corpus("builtin:en-de"), train_cfg=cfg,
                                      corpus_spec="builtin:en-de")
    if compiled:
        distributed.compile_training(trainer)
    cuda = trainer.device.type == "cuda"
    if cuda:
        if cudnn_sdp:  # as before model.attention.avoid_per_shape_kernels (the trainer set it off)
            torch.backends.cuda.enable_cudnn_sdp(True)
        gc.collect()  # the last run's trainer, if a cycle kept it
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()

    def sync() -> None:
        if cuda:
            torch.cuda.synchronize()

    warmup_times = []
    for _ in range(warmup):
        t0 = time.perf_counter()
        trainer.step()
        sync()
        warmup_times.append(time.perf_counter() - t0)
    times, tokens, losses = [], [], []
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    for _ in range(steps):
        t0 = time.perf_counter()
        report = trainer.step()
        sync()
        times.append(time.perf_counter() - t0)
        tokens.append(report.tokens)
        losses.append(report.loss)
    if profiler:
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(30)
    out = {
        "device": trainer.device.type, "batch_tokens": batch_tokens, "compile": compiled, "cudnn_sdp": cudnn_sdp,
        "steps": steps, "warmup_steps": warmup, "warmup_s": round(sum(warmup_times), 2),
        "step_s_median": round(statistics.median(times), 4),
        "target_tokens_per_s": round(sum(tokens) / sum(times)),
        "tokens_per_step": round(statistics.mean(tokens)),
        "first_loss": round(losses[0], 3), "last_loss": round(losses[-1], 3),
        "step_s": [round(t, 3) for t in warmup_times + times],
        "rss_mb": round(rss_mb()),
        "process_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    if cuda:
        out["gpu_peak_allocated_mb"] = round(torch.cuda.max_memory_allocated() / 2**20)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="auto", help="auto, cpu or cuda")
    parser.add_argument("--batch-tokens", type=int, nargs="+", default=[512],
                        help="target tokens a step, one run for each (default 512, FINE_TUNE's)")
    parser.add_argument("--steps", type=int, default=20, help="timed steps a run")
    parser.add_argument("--warmup", type=int, default=3, help="untimed steps first")
    parser.add_argument("--compile", action="store_true",
                        help="train through torch.compile, as main.py train --compile does")
    parser.add_argument("--cudnn-sdp", action="store_true",
                        help="let attention use cuDNN's kernels again (as before avoid_per_shape_kernels)")
    parser.add_argument("--profile", action="store_true", help="cProfile of the timed steps, to stderr")
    parser.add_argument("--folder", default=None, help="the Marian folder (written there once if missing)")
    parser.add_argument("--json", action="store_true", help="print one JSON object last")
    args = parser.parse_args()
    if args.steps < 1 or args.warmup < 0:
        parser.error("--steps must be at least 1 and --warmup at least 0")
    import torch

    folder = marian_folder(args.folder)
    result: dict = {"torch": torch.__version__, "load_average": os.getloadavg(), "runs": []}
    if torch.cuda.is_available():
        result["gpu"] = torch.cuda.get_device_name(0)
    for size in args.batch_tokens:
        r = run(folder, args.device, size, args.steps, args.warmup, args.compile, args.profile, args.cudnn_sdp)
        print(json.dumps(r), file=sys.stderr, flush=True)
        result["runs"].append(r)
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
