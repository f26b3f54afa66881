"""Checks the CUDA path end to end and measures it: `python benchmarks/cuda_check.py --json`.

On a machine with a CUDA GPU: trains a small translator with bf16 autocast, checks that
the loss falls and stays finite, that the traced attention path equals the fast path on
the GPU, that cached and uncached greedy decoding give the same tokens, and that a
checkpoint written from the GPU loads on the CPU and translates the same. Prints GPU and
CPU training throughput of the default configuration measured in the same run.
Without CUDA it says so and exits 0 with {"cuda": false}.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model.config import TrainConfig
from model.corpus import load_corpus
from model.decode import greedy_decode
from model.inference import Translator, pad_batch
from model.train import Trainer


def throughput(trainer: Trainer, steps: int) -> float:
    for _ in range(3):
        trainer.step()
    if trainer.device.type == "cuda":
        torch.cuda.synchronize()
    start, tokens = time.perf_counter(), 0
    for _ in range(steps):
        tokens += trainer.step().tokens
    if trainer.device.type == "cuda":
        torch.cuda.synchronize()
    return tokens / (time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--steps", type=int, default=300)
    args = parser.parse_args()
    if not torch.cuda.is_available():
        print("no CUDA device", file=sys.stderr)
        print(json.dumps({"cuda": False}))
        return 0
    result: dict = {"cuda": True, "gpu": torch.cuda.get_device_name(0), "torch": torch.__version__}
    corpus = load_corpus("builtin:en-de")
    cfg = TrainConfig(device="cuda", eval_every=0)
    trainer = Trainer.from_corpus(corpus, model_config={}, train_cfg=cfg)
    assert trainer.device.type == "cuda"
    first = trainer.step()
    losses = [trainer.step().loss for _ in range(args.steps)]
    result["first_loss"], result["last_loss"] = first.loss, sum(losses[-20:]) / 20
    result["loss_fell"] = result["last_loss"] < first.loss - 1.0
    result["all_finite"] = all(torch.isfinite(torch.tensor(losses)).tolist())
    ev = trainer.evaluate("valid", n=200)
    result["valid_bleu_after_steps"] = ev["bleu"]

    # traced path == fast path on the GPU (fp32, no autocast)
    pair = corpus.split("valid")[0]
    tr = trainer.translator
    src = torch.tensor([tr.encode_src(pair.src)], device="cuda")
    tgt = torch.tensor([tr.tgt_tok.encode(pair.tgt, add_bos=True)], device="cuda")
    trainer.model.eval()
    with torch.no_grad():
        fast = trainer.model(src, tgt)[0].float().cpu()
    trace = trainer.trace(pair.src, pair.tgt)
    result["trace_vs_fast_max_abs_diff"] = float((torch.from_numpy(trace.logits) - fast).abs().max())

    # cached == uncached greedy decoding on the GPU
    batch = pad_batch([tr.encode_src(p.src) for p in corpus.split("valid")[:64]], "cuda")
    with torch.no_grad():
        cached = greedy_decode(trainer.model, batch, 40, use_cache=True)
        uncached = greedy_decode(trainer.model, batch, 40, use_cache=False)
    result["cached_equals_uncached"] = cached == uncached

    # a checkpoint written from the GPU loads on the CPU and translates the same
    with tempfile.TemporaryDirectory() as tmp:
        path = trainer.save(Path(tmp) / "gpu.safetensors")
        cpu = Translator.load(path, device="cpu")
        sample = [p.src for p in corpus.split("valid")[:16]]
        gpu_out, cpu_out = trainer.translate(sample), cpu.translate(sample)
        result["gpu_cpu_translation_agreement"] = sum(a == b for a, b in zip(gpu_out, cpu_out)) / len(sample)

    result["gpu_tokens_per_s"] = throughput(trainer, 100)
    cpu_trainer = Trainer.from_corpus(corpus, model_config={}, train_cfg=cfg.replace(device="cpu"))
    result["cpu_tokens_per_s"] = throughput(cpu_trainer, 10)
    result["cpu_threads"] = torch.get_num_threads()
    result["gpu_over_cpu"] = result["gpu_tokens_per_s"] / result["cpu_tokens_per_s"]
    for k, v in result.items():
        print(f"{k}: {v}", file=sys.stderr)
    print(json.dumps(result))
    ok = result["loss_fell"] and result["all_finite"] and result["cached_equals_uncached"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
