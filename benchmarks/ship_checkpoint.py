"""Turn a trained checkpoint into a shipped one (resources/checkpoints/).

    python benchmarks/ship_checkpoint.py RUN.safetensors resources/checkpoints/tatoeba-en-de.safetensors \
        --sample-from TRAIN.tsv --sample-pairs 2000 --src-lang en --tgt-lang de \
        --metric test_bleu=... --metric test_chrf=...

Leaves out the optimiser state, stores the device as "auto" (a model trained on a GPU opens
on whatever the user has), sets the tokenizers' language codes (they steer
detokenisation), writes the first ``--sample-pairs`` training pairs beside the checkpoint
as ``<name>.sample.tsv`` and names that file as the checkpoint's corpus (a checkpoint's
corpus is looked for beside it, model/train.py ``corpus_beside``), so the app can open
the model without the full corpus; adds the given metrics. Prints the file size as JSON.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model.checkpoint import load_checkpoint, save_checkpoint  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source")
    ap.add_argument("out")
    ap.add_argument("--sample-from", required=True, help="the training TSV (never the test file)")
    ap.add_argument("--sample-pairs", type=int, default=2000)
    ap.add_argument("--src-lang")
    ap.add_argument("--tgt-lang")
    ap.add_argument("--metric", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("--weights-dtype", default="float32", choices=("float32", "float16", "bfloat16"))
    args = ap.parse_args()
    ckpt = load_checkpoint(args.source)
    if args.src_lang:
        ckpt.src_tokenizer.lang = args.src_lang
    if args.tgt_lang:
        ckpt.tgt_tokenizer.lang = args.tgt_lang
    out = Path(args.out)
    sample = out.with_name(out.stem + ".sample.tsv")
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.sample_from, encoding="utf-8") as src, open(sample, "w", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i >= args.sample_pairs:
                break
            dst.write(line)
    metrics = dict(ckpt.metrics)
    for item in args.metric:
        name, value = item.split("=", 1)
        metrics[name] = float(value)
    sections = {k: v for k, v in ckpt.sections.items() if k != "resume"}
    shipped = dataclasses.replace(ckpt, optimizer={}, corpus=sample.name, metrics=metrics, sections=sections,
                                  train_config=ckpt.train_config.replace(device="auto"))  # not the GPU it was trained on
    save_checkpoint(out, shipped, weights_dtype=args.weights_dtype)
    print(json.dumps({"out": str(out), "bytes": os.path.getsize(out), "sample": str(sample),
                      "sample_pairs": min(args.sample_pairs, sum(1 for _ in open(sample, encoding="utf-8"))),
                      "step": ckpt.step, "metrics": metrics}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
