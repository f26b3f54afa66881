"""`python main.py convert FOLDER --out model.safetensors`: a pretrained Marian (opus-mt)
model folder as a project checkpoint, which reopens without the folder."""
from __future__ import annotations

import argparse

from model.cli.common import emit_json, fail, log


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("folder", help="an opus-mt model folder: a snapshot folder, or the Hugging Face "
                                  "cache's models--Helsinki-NLP--opus-mt-… folder (newest snapshot)")
    p.add_argument("--out", required=True, help="checkpoint path to write (.safetensors)")
    p.add_argument("--lang-token", default=None,
                   help="target-language token put before every source sentence of a "
                        "multi-target model (default: >>cmn_Hans<< when the model has it)")
    p.add_argument("--half", action="store_true", help="store the weights in 16 bits (half the file)")
    p.add_argument("--json", action="store_true")


def run(args: argparse.Namespace) -> int:
    from model.checkpoint import save_checkpoint
    from model.marian import convert, to_checkpoint

    try:
        conv = convert(args.folder, args.lang_token)
        unique = {t.data_ptr(): t for t in conv.weights.values()}  # a shared table counts once
        n_params = sum(t.numel() for t in unique.values())
        path = save_checkpoint(args.out, to_checkpoint(conv), "float16" if args.half else "float32")
    except (ValueError, OSError) as exc:
        return fail(str(exc).splitlines()[0])
    model_config = conv.model_config
    log(f"{conv.folder} -> {path}: {model_config.n_layers}+{model_config.dec_layers} layers, "
        f"d_model {model_config.d_model}, vocabulary {model_config.src_vocab:,}, {n_params:,} numbers")
    if args.json:
        emit_json({"folder": str(conv.folder), "out": str(path), "parameters": n_params,
                   "vocab": model_config.src_vocab, "generation": conv.generation.to_dict()})
    return 0
