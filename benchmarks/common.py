"""What the model benchmarks share: the model-shape options and the thread setting."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model.config import ModelConfig
from model.memory import keep_freed_memory

keep_freed_memory()  # as main.py does for the app and the command line


def add_model_arguments(p: argparse.ArgumentParser) -> None:
    """--d-model, --heads, --layers, --d-ff, --vocab, --threads and --json."""
    p.add_argument("--d-model", type=int, default=256)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--layers", type=int, default=3, help="encoder and decoder layers each")
    p.add_argument("--d-ff", type=int, default=1024)
    p.add_argument("--vocab", type=int, default=8000, help="source and target vocabulary")
    p.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    p.add_argument("--json", action="store_true")


def model_config(args: argparse.Namespace, max_len: int, **fields) -> ModelConfig:
    """The ModelConfig the options describe (and sets torch's threads when asked)."""
    if args.threads:
        torch.set_num_threads(args.threads)
    return ModelConfig(src_vocab=args.vocab, tgt_vocab=args.vocab, d_model=args.d_model,
                       n_heads=args.heads, n_layers=args.layers, d_ff=args.d_ff,
                       max_len=max(64, max_len), **fields)

