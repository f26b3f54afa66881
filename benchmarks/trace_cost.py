"""What tracing a sentence pair costs compared with an eval forward pass of the same pair.

``Seq2Seq.trace`` runs the traced attention path (explicit QKᵀ, softmax, A'V per head) and
copies every intermediate into numpy arrays for the UI; the forward pass runs the fast path
(fused projections, scaled_dot_product_attention) under torch.no_grad in eval mode.

    python benchmarks/trace_cost.py --json

Prints human-readable lines to stderr; with --json the last stdout line is one JSON object
with trace_ms, forward_ms (medians) and ratio (trace / forward).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

import torch
from common import add_model_arguments, model_config  # also puts the project on sys.path

from model.transformer import Seq2Seq


def elapsed_ms(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1e3


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--src-len", type=int, default=12)
    p.add_argument("--tgt-len", type=int, default=12)
    p.add_argument("--repeats", type=int, default=30)
    add_model_arguments(p)
    args = p.parse_args()

    cfg = model_config(args, max(args.src_len, args.tgt_len))
    torch.manual_seed(0)
    model = Seq2Seq(cfg).eval()
    src = torch.randint(4, args.vocab, (1, args.src_len))
    tgt = torch.randint(4, args.vocab, (1, args.tgt_len))
    src_tokens = [f"s{i}" for i in src[0].tolist()]
    tgt_tokens = [f"t{i}" for i in tgt[0].tolist()]

    def forward():
        with torch.no_grad():
            return model(src, tgt)

    def trace():
        return model.trace(src, tgt, src_tokens, tgt_tokens)

    forward(), trace()  # warm-up
    forward_runs, trace_runs = [], []
    for _ in range(args.repeats):  # alternate, so that other load on the machine hits both alike
        forward_runs.append(elapsed_ms(forward))
        trace_runs.append(elapsed_ms(trace))
    forward_ms, trace_ms = statistics.median(forward_runs), statistics.median(trace_runs)
    result = {
        "trace_ms": trace_ms,
        "forward_ms": forward_ms,
        "ratio": trace_ms / forward_ms,
        "src_len": args.src_len,
        "tgt_len": args.tgt_len,
        "threads": torch.get_num_threads(),
    }
    print(
        f"one pair {args.src_len} -> {args.tgt_len} tokens, {model.num_parameters():,} "
        f"parameters, {torch.get_num_threads()} threads: trace {trace_ms:.1f} ms, "
        f"forward {forward_ms:.1f} ms, ratio {result['ratio']:.2f}",
        file=sys.stderr,
    )
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
