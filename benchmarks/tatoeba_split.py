"""Write the fixed held-out split of the Tatoeba English–German file.

    python benchmarks/tatoeba_split.py --out /tmp/tatoeba

writes ``tatoeba-en-de.train.tsv`` (every other pair) and ``tatoeba-en-de.test.tsv``
(1,000 pairs) under ``--out``. The split is seeded and groups pairs by their English
sentence, so no English sentence of the test file appears in the training file. The shipped
real model never saw the test file; ``main.py evaluate --test`` scores it as it is.
Prints the counts and a SHA-256 of each file as JSON, so a rerun can be checked.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from model.loaders import read_pairs  # noqa: E402

DEFAULT_SOURCE = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "corpora", "tatoeba-en-de.tsv")
SEED = 2026
TEST_PAIRS = 1000


def split(pairs, seed: int, n_test: int):
    """Shuffle the English sentences by seed; fill the test split with whole groups (all
    pairs of one English sentence) while they fit exactly, the rest is training data."""
    groups: dict[str, list] = {}
    for pair in pairs:
        groups.setdefault(pair.src, []).append(pair)
    order = list(groups.values())
    random.Random(seed).shuffle(order)
    train, test = [], []
    for group in order:
        (test if len(test) + len(group) <= n_test else train).extend(group)
    return train, test


def write(path: str, pairs) -> str:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for p in pairs:
            fh.write(f"{p.src}\t{p.tgt}\n")
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", default=DEFAULT_SOURCE, help="the Tatoeba en-de TSV (default ../shared/corpora/...)")
    ap.add_argument("--out", required=True, help="folder for the train and test files")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--test-pairs", type=int, default=TEST_PAIRS)
    args = ap.parse_args()
    found = read_pairs(args.source)
    train, test = split(found.pairs, args.seed, args.test_pairs)
    os.makedirs(args.out, exist_ok=True)
    result = {"source_pairs": len(found.pairs), "seed": args.seed}
    for name, pairs in (("train", train), ("test", test)):
        path = os.path.join(args.out, f"tatoeba-en-de.{name}.tsv")
        result[name] = {"path": path, "pairs": len(pairs), "sha256": write(path, pairs)}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
