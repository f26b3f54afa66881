"""Train on a real TSV file with the defaults for N minutes and score the result.

    python benchmarks/real_corpus.py FILE.tsv --minutes 10 [--test HELD_OUT.tsv] [--max-pairs N] --json

Runs exactly what a user runs: ``main.py train --corpus FILE --minutes N`` with no other
option (the defaults are chosen from the corpus, the budget and the machine's measured
speed), then ``main.py evaluate``
on ``--test`` (a held-out file scored as it is) or else on the corpus's own test split.
Prints the test BLEU and chrF, the steps, what the defaults chose (with the measured speed
and any re-planning) and the 1-minute load average before and after training, as one JSON
object; ``--log FILE`` keeps main.py's own lines.
``--max-pairs`` first copies the first N pairs of FILE to a temporary file (5k/20k-pair
versions of one corpus).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def last_json(text: str) -> dict:
    return json.loads(text.strip().splitlines()[-1])


def run_main(*args: str, log: str | None = None, threads: int | None = None) -> dict:
    """``main.py ARGS --json``'s summary; its stderr (the choice, progress) is copied to ``log``;
    ``threads`` sets OMP_NUM_THREADS for it."""
    env = dict(os.environ, **({"OMP_NUM_THREADS": str(threads)} if threads else {}))
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), *args, "--json"],
                          capture_output=True, text=True, check=False, env=env)
    if log:
        with open(log, "a", encoding="utf-8") as out:
            out.write(done.stderr)
    if done.returncode:
        raise SystemExit(f"main.py {args[0]} failed:\n{done.stderr[-2000:]}")
    return last_json(done.stdout)


def first_pairs(path: str, n: int, folder: str) -> str:
    """The first ``n`` lines of ``path`` as a file named like it (its language guess kept)."""
    out = os.path.join(folder, f"{n}-" + os.path.basename(path))
    with open(path, encoding="utf-8") as src, open(out, "w", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i >= n:
                break
            dst.write(line)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", help="a TSV / Tatoeba file")
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--test", metavar="FILE", help="held-out TSV scored as it is (default: the corpus's test split)")
    ap.add_argument("--max-pairs", type=int, default=None, help="train on the first N pairs of the file")
    ap.add_argument("--beam", type=int, default=1)
    ap.add_argument("--log", metavar="FILE", help="append main.py's stderr (choice, progress lines) to FILE")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        corpus = first_pairs(args.corpus, args.max_pairs, folder) if args.max_pairs else args.corpus
        ckpt = os.path.join(folder, "model.safetensors")
        trained = run_main("train", "--corpus", corpus, "--minutes", str(args.minutes), "--out", ckpt,
                           "--no-optimizer", log=args.log)
        where = ["--test", args.test] if args.test else ["--corpus", corpus, "--split", "test"]
        load_after = os.getloadavg()[0]
        threads = ((trained.get("choices") or {}).get("speed") or {}).get("threads")  # as training measured
        scored = run_main("evaluate", "--checkpoint", ckpt, *where, "--beam", str(args.beam), log=args.log,
                          threads=threads)
    result = {"corpus": os.path.basename(args.corpus), "max_pairs": args.max_pairs, "minutes": args.minutes,
              "test": os.path.basename(args.test) if args.test else "own test split",
              "test_pairs": scored["pairs"], "bleu": scored["bleu"], "chrf": scored["chrf"],
              "beam": args.beam, "steps": trained["steps"], "train_loss": trained["train_loss"],
              "valid_bleu": trained["valid_bleu"], "tokens_per_s": trained["tokens_per_s"],
              "parameters": trained["parameters"], "wall_s": trained["wall_s"],
              "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
              "load_average": [round(load_before, 2), round(load_after, 2)], "choices": trained["choices"]}
    if not args.json:
        print(f"test BLEU {result['bleu']:.2f}  chrF {result['chrf']:.2f}  after {result['steps']} steps "
              f"({args.minutes} min); chosen: {result['choices']['shape']}, "
              f"{result['choices']['tokenizer']}")
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
