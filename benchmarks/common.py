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



def rss_mb() -> float:
    """The process's resident memory now (MB), from /proc (0 where there is none)."""
    try:
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:")) / 1024
    except (OSError, StopIteration):
        return 0.0


def marian_folder(folder: str | None = None) -> str:
    """A random Marian folder of opus-mt-en-de's exact shape (74M parameters), written once
    and reused: ``folder``, or ``$TMPDIR/transformer-explorer-bench/opus-mt-en-de-random``.

    Writing it (random weights, SentencePiece models trained on the built-in corpus's English
    and German, a 296 MB ``model.safetensors``) takes about 20 s on an idle core and minutes
    on a loaded one, so a folder that is complete (its ``complete`` file is written last) is
    used as it is. Delete it to write a new one."""
    import os
    import shutil
    import tempfile

    path = Path(folder or Path(os.environ.get("TMPDIR", tempfile.gettempdir()))
                / "transformer-explorer-bench" / "opus-mt-en-de-random")
    if (path / "complete").is_file():
        return str(path)
    from model.corpus import load_corpus
    from model.marian import write_random_folder

    pairs = load_corpus("builtin:en-de", max_pairs=3000, seed=0).split("train")
    texts = [p.src for p in pairs] + [p.tgt for p in pairs]
    partial = path.with_name(path.name + f".partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    write_random_folder(partial, texts)
    (partial / "complete").write_text("written by benchmarks/common.py marian_folder()\n")
    shutil.rmtree(path, ignore_errors=True)
    partial.rename(path)
    return str(path)
