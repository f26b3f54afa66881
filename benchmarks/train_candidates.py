"""Train several recipes side by side for the same time, then pick one by validation.

    python benchmarks/train_candidates.py --corpus data/tatoeba-en-de.train.tsv \
        --test data/tatoeba-en-de.test.tsv --candidates benchmarks/configs/tatoeba-en-de-candidates.json \
        --minutes 6 --device cuda --out run/ --json

Each candidate of the JSON file (``[{"name": ..., "config": {"model": {...}, "train":
{...}}, "args": [extra main.py train options]}, ...]``) is one ``main.py train`` process,
all started at once (on one GPU they share it), each with ``--minutes``, ``--save-every``
and ``--keep-saves``. When they end, each run gives two averaged models
(benchmarks/average_checkpoints.py): its last 8 saves, and the 8 saves up to the evaluation
with the lowest validation loss (when that came before 85 % of the steps). Every averaged model is scored
with beam 4 on the run's own validation pairs (the 500 pairs ``main.py train`` held out of
``--corpus``, written to ``OUT/valid.tsv``), and the one with the highest validation chrF
is chosen (``OUT/candidates.json`` names it as soon as it is known); then the held-out
``--test`` file is scored for every model too (for the table), with no part in the choice. Prints one JSON object; ``OUT/candidates.json`` keeps it.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from model.corpus import load_corpus  # noqa: E402
from model.runlog import SUFFIX  # noqa: E402

AVERAGE = 8


def saves_of(out: Path) -> list[tuple[int, Path]]:
    found = []
    for p in out.parent.glob(f"{out.stem}.step*{out.suffix}"):
        step = p.name[len(out.stem) + len(".step"): -len(out.suffix)]
        if step.isdigit():
            found.append((int(step), p))
    return sorted(found)


def best_eval_step(log: Path) -> int | None:
    """The step of the evaluation with the lowest validation loss in a run log."""
    best = None
    for line in log.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec.get("kind") == "eval" and rec.get("valid_loss") is not None:
            if best is None or rec["valid_loss"] < best[1]:
                best = (rec["step"], rec["valid_loss"])
    return None if best is None else best[0]


def parallel(jobs: list[tuple[list[str], Path]], width: int) -> list[dict | None]:
    """Run commands ``width`` at a time; each one's last JSON line of stdout (None on failure)."""
    results: list[dict | None] = [None] * len(jobs)
    running: list[tuple[int, subprocess.Popen, Path]] = []
    queue = list(enumerate(jobs))
    while queue or running:
        while queue and len(running) < width:
            i, (cmd, log) = queue.pop(0)
            fh = open(log, "w", encoding="utf-8")
            running.append((i, subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=fh, text=True, cwd=ROOT), log))
        i, proc, log = running.pop(0)
        out, _ = proc.communicate()
        lines = [ln for ln in out.splitlines() if ln.startswith("{")]
        results[i] = json.loads(lines[-1]) if proc.returncode == 0 and lines else None
    return results


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", required=True, help="training TSV (main.py train holds 500 pairs out for validation)")
    ap.add_argument("--test", required=True, help="held-out TSV, scored for the table only")
    ap.add_argument("--candidates", required=True, help="JSON list of recipes")
    ap.add_argument("--minutes", type=float, required=True, help="training time of each candidate")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--out", required=True, help="folder for the runs")
    ap.add_argument("--save-every", type=int, default=300)
    ap.add_argument("--keep-saves", type=int, default=40)
    ap.add_argument("--threads", type=int, default=2, help="CPU threads of each process")
    ap.add_argument("--only", nargs="*", help="train only these candidates")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    candidates = json.loads(Path(args.candidates).read_text(encoding="utf-8"))
    if args.only:
        candidates = [c for c in candidates if c["name"] in args.only]
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads), PYTHONUNBUFFERED="1")
    py = sys.executable

    # the validation pairs main.py train holds out (same loader, sizes and seed)
    valid = out / "valid.tsv"
    with open(valid, "w", encoding="utf-8") as fh:
        for p in load_corpus(args.corpus, valid_size=500, test_size=0).valid:
            fh.write(f"{p.src}\t{p.tgt}\n")

    t0 = time.time()
    procs = []
    for c in candidates:
        cfg = out / f"{c['name']}.config.json"
        cfg.write_text(json.dumps(c["config"]), encoding="utf-8")
        run = out / c["name"] / f"{c['name']}.safetensors"
        run.parent.mkdir(exist_ok=True)
        cmd = [py, "main.py", "train", "--corpus", args.corpus, "--test-size", "0", "--valid-size", "500",
               "--config", str(cfg), "--minutes", str(args.minutes), "--device", args.device,
               "--save-every", str(args.save_every), "--keep-saves", str(args.keep_saves),
               "--no-optimizer", "--json", "--out", str(run), *c.get("args", [])]
        log = open(out / f"{c['name']}.train.log", "w", encoding="utf-8")
        procs.append((c, run, subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, text=True,
                                               cwd=ROOT, env=env)))
    runs = []
    for c, run, proc in procs:
        stdout, _ = proc.communicate()
        lines = [ln for ln in stdout.splitlines() if ln.startswith("{")]
        summary = json.loads(lines[-1]) if lines else None
        runs.append({"name": c["name"], "config": c["config"], "args": c.get("args", []),
                     "returncode": proc.returncode, "summary": summary, "run": str(run)})
    print(f"trained in {time.time() - t0:.0f} s", file=sys.stderr)

    models = []  # one averaged model per run and window
    jobs = []
    for i, r in enumerate(runs):
        run = Path(r["run"])
        saves = saves_of(run)
        if not saves:
            continue
        windows = {"last": [p for _, p in saves[-AVERAGE:]]}
        best = best_eval_step(run.with_name(run.stem + SUFFIX)) if run.with_name(run.stem + SUFFIX).exists() else None
        r["best_valid_loss_step"] = best
        if best is not None:
            upto = [p for s, p in saves if s <= best][-AVERAGE:]
            if upto and best < 0.85 * saves[-1][0]:
                windows["best_loss"] = upto
        for name, paths in windows.items():
            avg = run.with_name(f"{run.stem}.avg-{name}.safetensors")
            models.append({"run": r["name"], "window": name, "path": str(avg),
                           "steps": [int(p.name[len(run.stem) + 5: -len(run.suffix)]) for p in paths]})
            jobs.append(([py, "benchmarks/average_checkpoints.py", str(avg), *map(str, paths)],
                         out / f"{r['name']}.avg-{name}.log"))
    parallel(jobs, 4)

    def evaluate(split: str, file: Path, which: list[dict]) -> None:
        cmds = [([py, "main.py", "evaluate", "--checkpoint", m["path"], "--test", str(file), "--beam", "4",
                  "--aer-pairs", "0", "--device", args.device, "--json"], out / f"eval-{split}-{i}.log")
                for i, m in enumerate(which)]
        for m, s in zip(which, parallel(cmds, 8)):
            if s is not None:
                m[f"{split}_beam4"] = {"bleu": s["bleu"], "chrf": s["chrf"], "loss": s["loss"]}

    def write(chosen: dict | None) -> dict:
        result = {"minutes": args.minutes, "device": args.device, "runs": runs, "models": models,
                  "chosen": chosen and {"run": chosen["run"], "window": chosen["window"], "path": chosen["path"]},
                  "ranked": [m["path"] for m in sorted(scored, key=lambda m: -m["valid_beam4"]["chrf"])],
                  "wall_s": round(time.time() - t0, 1)}
        (out / "candidates.json").write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
        return result

    evaluate("valid", valid, models)  # the choice: validation chrF, beam 4
    scored = [m for m in models if "valid_beam4" in m]
    chosen = max(scored, key=lambda m: m["valid_beam4"]["chrf"]) if scored else None
    write(chosen)
    print(f"chosen by validation after {time.time() - t0:.0f} s: {chosen and chosen['path']}", file=sys.stderr)
    evaluate("test", Path(args.test), scored)  # for the table only
    result = write(chosen)
    print(json.dumps(result, ensure_ascii=False) if args.json else json.dumps(result, indent=1, ensure_ascii=False))
    return 0 if chosen else 1


if __name__ == "__main__":
    sys.exit(main())
