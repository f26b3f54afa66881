"""Greedy decoding with and without the KV cache.

Without the cache every step runs the decoder over the whole prefix again (step t costs
~t positions); with it each step runs one new position and reuses the keys and values
kept from earlier steps, and the encoder output's keys and values computed once.
<eos> is disabled (eos_id=-1) so every sentence gets exactly --tokens output tokens.

    python benchmarks/decode.py --json

Prints human-readable lines to stderr; with --json the last stdout line is one JSON object
with with_cache_ms, without_cache_ms, speedup and same_tokens (both give the same ids).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

import torch
from common import add_model_arguments, model_config  # also puts the project on sys.path

from model.decode import greedy_decode
from model.transformer import Seq2Seq


def time_ms(fn, repeats: int) -> tuple[float, object]:
    """Median wall time of fn() in ms, and its last result."""
    times, out = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times), out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--batch", type=int, default=8, help="sentences decoded together")
    p.add_argument("--src-len", type=int, default=20)
    p.add_argument("--tokens", type=int, default=40, help="output tokens per sentence")
    p.add_argument("--repeats", type=int, default=3)
    add_model_arguments(p)
    args = p.parse_args()

    cfg = model_config(args, max(args.tokens + 1, args.src_len))
    torch.manual_seed(0)
    model = Seq2Seq(cfg).eval()
    src = torch.randint(4, args.vocab, (args.batch, args.src_len))

    def decode(use_cache: bool):
        return greedy_decode(model, src, args.tokens, eos_id=-1, use_cache=use_cache)

    decode(True)  # warm-up
    with_ms, cached = time_ms(lambda: decode(True), args.repeats)
    without_ms, uncached = time_ms(lambda: decode(False), args.repeats)
    result = {
        "with_cache_ms": with_ms,
        "without_cache_ms": without_ms,
        "speedup": without_ms / with_ms,
        "same_tokens": cached == uncached,
        "batch": args.batch,
        "tokens": args.tokens,
        "threads": torch.get_num_threads(),
    }
    print(
        f"greedy, {args.batch} sentences x {args.tokens} tokens, {model.num_parameters():,} "
        f"parameters, {torch.get_num_threads()} threads: with cache {with_ms:.0f} ms, "
        f"without {without_ms:.0f} ms, speedup {result['speedup']:.1f}x, "
        f"same tokens: {result['same_tokens']}",
        file=sys.stderr,
    )
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
