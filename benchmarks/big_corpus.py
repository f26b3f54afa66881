"""A corpus larger than memory: time to the first training step, cold and cached, and peak RSS.

    python benchmarks/big_corpus.py --json               # 2,000,000 pairs
    python benchmarks/big_corpus.py --pairs 200000 --json

Writes a TSV of ``--pairs`` en-de pairs from the built-in grammar into ``--work`` (kept
there for the next run: generating 2M pairs takes minutes), then trains from it twice in
fresh processes, exactly as ``python main.py train --corpus FILE --token-cache DIR`` does
(default model and batch, CPU):

- cold: the token cache is removed first, so the file is tokenized as a stream;
- cached: the cache built by the cold run is found by the file's hash.

Each run reports the seconds from the start of its process (imports included) to the end
of the first optimiser step (and the CPU seconds of the process until then, which
other load on the machine does not inflate as much), the peak resident memory of the process (ru_maxrss, so the
cold figure includes tokenizing), and the seconds per step of ``--steps`` more steps.
Targets: peak RSS at most 1.5 GB, cached time to the first step at most 10 s.
Prints human-readable lines to stderr; with --json the last stdout line is one JSON object.
"""
from __future__ import annotations

import time

STARTED, STARTED_CPU = time.perf_counter(), time.process_time()

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def generate(path: Path, n: int, chunk: int = 100_000) -> float:
    """Write n en-de pairs from the grammar to a TSV file, chunk by chunk (bounded memory)."""
    from model.grammar import generate as grammar

    start = time.perf_counter()
    tmp = path.with_suffix(".partial")
    done = 0  # an interrupted run's whole chunks are kept (each chunk has its own seed)
    if tmp.is_file():
        with open(tmp, "rb") as fh:
            lines = fh.readlines()
        done = len(lines) // chunk * chunk
        with open(tmp, "wb") as fh:
            fh.writelines(lines[:done])
        del lines
    with open(tmp, "a", encoding="utf-8") as fh:
        for i, first in enumerate(range(0, n, chunk)):
            if first < done:
                continue
            for p in grammar("en-de", min(chunk, n - first), seed=1000 + i):
                fh.write(f"{p.src}\t{p.tgt}\n")
            print(f"generated {min(first + chunk, n):,} of {n:,} pairs", file=sys.stderr, flush=True)
    os.replace(tmp, path)
    return time.perf_counter() - start


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def train_phase(corpus: str, cache: str, steps: int) -> dict:
    """One training run in this process (see the module docstring)."""
    from model.memory import keep_freed_memory

    keep_freed_memory()
    from model import datacache
    from model.config import TrainConfig

    messages = []

    def progress(message: str) -> None:
        messages.append(message)
        print(message, file=sys.stderr, flush=True)

    cfg = TrainConfig(device="cpu", eval_every=0)
    trainer = datacache.trainer_from_cache(corpus, cache, "word", None, {}, cfg, progress=progress)
    ready = time.perf_counter() - STARTED
    trainer.step()
    first, first_cpu = time.perf_counter() - STARTED, time.process_time() - STARTED_CPU
    start = time.perf_counter()
    tokens = 0
    for _ in range(steps):
        tokens += trainer.step().tokens
    per_step = (time.perf_counter() - start) / max(steps, 1)
    return {"seconds_to_trainer": ready, "seconds_to_first_step": first,
            "cpu_seconds_to_first_step": first_cpu, "seconds_per_step": per_step,
            "tokens_per_s": tokens / max(per_step * steps, 1e-9), "peak_rss_mb": peak_rss_mb(),
            "training_pairs": len(trainer.data["train"].src), "vocab": [trainer.src_tok.vocab_size,
                                                                       trainer.tgt_tok.vocab_size],
            "built": any("tokenizing it" in m for m in messages)}


def run_phase(corpus: Path, cache: Path, steps: int) -> dict:
    cmd = [sys.executable, __file__, "--phase", "--corpus", str(corpus), "--cache", str(cache),
           "--steps", str(steps)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    sys.stderr.write(done.stderr)
    if done.returncode:
        raise SystemExit(f"training phase failed ({done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--pairs", type=int, default=2_000_000)
    p.add_argument("--work", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "transformer-explorer-big"))
    p.add_argument("--steps", type=int, default=10, help="steps timed after the first")
    p.add_argument("--json", action="store_true")
    p.add_argument("--phase", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--corpus", help=argparse.SUPPRESS)
    p.add_argument("--cache", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.phase:
        print(json.dumps(train_phase(args.corpus, args.cache, args.steps)))
        return

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / f"en-de-{args.pairs}.tsv"
    generated_s = None
    if not corpus.is_file():
        generated_s = generate(corpus, args.pairs)
    cache = work / "token-cache"
    shutil.rmtree(cache, ignore_errors=True)
    cold = run_phase(corpus, cache, args.steps)
    cached = run_phase(corpus, cache, args.steps)
    result = {
        "pairs": args.pairs, "file_mb": corpus.stat().st_size / 2**20,
        "cache_mb": sum(f.stat().st_size for f in cache.rglob("*") if f.is_file()) / 2**20,
        "generate_s": generated_s, "cold": cold, "cached": cached,
        "targets_met": {"peak_rss_le_1.5GB": max(cold["peak_rss_mb"], cached["peak_rss_mb"]) <= 1536,
                        "cached_first_step_le_10s": cached["seconds_to_first_step"] <= 10},
        "cpu_count": os.cpu_count(), "load_average": os.getloadavg(),
    }
    for name in ("cold", "cached"):
        r = result[name]
        print(f"{name}: first step after {r['seconds_to_first_step']:.1f}s ({r['cpu_seconds_to_first_step']:.1f} "
              f"CPU s; trainer ready after "
              f"{r['seconds_to_trainer']:.1f}s), peak RSS {r['peak_rss_mb']:.0f} MB, "
              f"{r['seconds_per_step'] * 1e3:.0f} ms/step", file=sys.stderr)
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
