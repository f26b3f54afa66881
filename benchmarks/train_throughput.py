"""Training speed of our Seq2Seq against torch.nn.Transformer of the same size.

By default both have the shape of the shipped en-de model (the model the app opens on and
``main.py train`` builds by default) and a batch of TrainConfig.batch_tokens target tokens;
the --d-model, --layers, ... options measure other shapes.

Both models get the same batch of random tokens, the same embeddings, sinusoidal positions,
tied output projection, pre-norm layers, dropout, padding masks, label-smoothed loss and
Adam; one training step is forward + backward + optimizer step. The two are timed in
alternating rounds so that other load on the machine hits both alike; the ratio of each
round is reported and their median is the headline.

    python benchmarks/train_throughput.py --json

FLOPs per step (documented estimate, multiply-add = 2 FLOPs, backward = 2x forward):
    6 * (N_enc * B*S + (N_dec + V*D) * B*T)          every weight matrix, once per token
  + 12 * D * B * (L_enc*S*S + L_dec*(T*T + T*S))     QK^T and A'V of every attention block
where N_enc, N_dec are the weights of the encoder's and decoder's linear layers (no
biases, norms or embedding lookups) and V*D is the output projection.

Each round times a large fp32 matmul (the peak), then our step, then the reference's.
mfu is, like ratio, the median over rounds of a ratio measured within one round: our
model's FLOP/s over the matmul's. This machine's speed drifts by 20 % from second to
second, so a ratio of two timings taken seconds apart is what stays put;
mfu_of_best_peak divides our median FLOP/s by the best matmul of the whole run instead,
which the drift pushes down. Other processes sharing the cores slow the wall clock
unevenly, so the figures are also given per CPU second of this process (cpu_ratio,
mfu_cpu_time).

Like main.py, the script first lets malloc keep freed memory (model/memory.py); both
models run under that setting.

Dropout differs by design: ours applies it where the paper does (sub-layer outputs and
embedding sums); nn.Transformer also drops attention weights and feed-forward activations.
Ours also draws its dropout masks more cheaply on CPU (model.transformer.Dropout).

On a GPU (``--device cuda``) the step runs under bf16 autocast, as the trainer's does, and
mfu is our FLOP/s over the GPU's dense bf16 peak from its data sheet (``BF16_PEAK_TFLOPS``
by name, or ``--peak-tflops``); the matmul column is then a bf16 matmul of 8192 x 8192.
``--shape big`` is the opus-mt shape (d_model 512, 6 + 6 layers, 8 heads, FFN 2048,
vocabulary 32,000, 784 x 32 = 25,088 target tokens per step); ``--compile`` times
``torch.compile`` of both models (compiled before the rounds start):

    python benchmarks/train_throughput.py --device cuda --shape big --compile --json

Without a CUDA GPU ``--device cuda`` stops with an error saying so (exit status 2).

Prints human-readable lines to stderr; with --json the last stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
import warnings
from pathlib import Path

import torch
import torch.nn.functional as F
from common import add_model_arguments, model_config  # also puts the project on sys.path
from torch import nn

from model.checkpoint import read_header
from model.config import ModelConfig, TrainConfig
from model.positional import sinusoidal_table
from model.transformer import Seq2Seq

PAD = 0
# Dense bf16 tensor-core peak of the data sheets, TFLOP/s (SXM parts; no sparsity).
BF16_PEAK_TFLOPS = {"H200": 989.0, "H100": 989.0, "H800": 989.0, "GH200": 989.0, "B200": 2250.0,
                    "A100": 312.0, "A800": 312.0, "L40S": 362.0, "L4": 121.0, "A10": 125.0,
                    "RTX 4090": 165.0, "RTX 3090": 71.0}
BIG_SHAPE = {"d_model": 512, "heads": 8, "layers": 6, "d_ff": 2048, "vocab": 32000, "length": 32,
             "batch": 784}
SHIPPED = Path(__file__).resolve().parents[1] / "resources" / "checkpoints" / "en-de.safetensors"


def shipped_shape() -> dict:
    """Option defaults: the shipped en-de model's shape, and a default-sized batch."""
    cfg = read_header(SHIPPED)["model_config"]
    length = 24
    return {"d_model": cfg["d_model"], "heads": cfg["n_heads"], "layers": cfg["n_layers"],
            "d_ff": cfg["d_ff"], "vocab": cfg["tgt_vocab"], "length": length,
            "batch": TrainConfig().batch_tokens // length}


class ReferenceSeq2Seq(nn.Module):
    """torch.nn.Transformer with the same embeddings, positions and tied output as ours."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        D = cfg.d_model
        self.d_model = D
        self.src_embed = nn.Embedding(cfg.src_vocab, D, padding_idx=PAD)
        self.tgt_embed = nn.Embedding(cfg.tgt_vocab, D, padding_idx=PAD)
        self.register_buffer("pe", sinusoidal_table(cfg.max_len, D), persistent=False)
        warnings.filterwarnings("ignore", message="enable_nested_tensor")  # pre-norm: not used
        self.transformer = nn.Transformer(
            D,
            cfg.n_heads,
            cfg.n_layers,
            cfg.dec_layers,
            cfg.d_ff,
            cfg.dropout,
            batch_first=True,
            norm_first=cfg.norm_first,
        )
        self.lm_head = nn.Linear(D, cfg.tgt_vocab, bias=False)
        self.lm_head.weight = self.tgt_embed.weight

    def forward(self, src: torch.Tensor, tgt_in: torch.Tensor) -> torch.Tensor:
        S, T = src.size(1), tgt_in.size(1)
        scale = math.sqrt(self.d_model)
        x = self.src_embed(src) * scale + self.pe[:S]
        y = self.tgt_embed(tgt_in) * scale + self.pe[:T]
        blocked = torch.ones(T, T, dtype=torch.bool, device=src.device).triu(1)
        out = self.transformer(
            x,
            y,
            tgt_mask=blocked,
            src_key_padding_mask=src == PAD,
            tgt_key_padding_mask=tgt_in == PAD,
            memory_key_padding_mask=src == PAD,
        )
        return self.lm_head(out)


def linear_weights(module: nn.Module) -> int:
    return sum(m.weight.numel() for m in module.modules() if isinstance(m, nn.Linear))


def step_flops(model: Seq2Seq, B: int, S: int, T: int) -> float:
    """Training FLOPs of one step (formula in the module docstring)."""
    cfg = model.model_config
    n_enc = sum(linear_weights(layer) for layer in model.encoder)
    n_dec = sum(linear_weights(layer) for layer in model.decoder)
    dense = 6 * (n_enc * B * S + (n_dec + cfg.tgt_vocab * cfg.d_model) * B * T)
    attention = 12 * cfg.d_model * B * (cfg.n_layers * S * S + cfg.dec_layers * (T * T + T * S))
    return float(dense + attention)


def timed(fn, n: int = 1, device: str = "cpu") -> tuple[float, float]:
    """(wall, CPU) seconds per call of fn. CPU time is this process's, summed over its
    threads: unlike wall time it does not grow while other processes hold the cores.
    On a GPU the queue is drained before and after."""
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    sync()
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(n):
        fn()
    sync()
    return (time.perf_counter() - wall) / n, (time.process_time() - cpu) / n


def matmul_peak_gflops(n: int = 4096, repeats: int = 2, device: str = "cpu") -> tuple[float, float]:
    """Best GFLOP per wall second and per CPU second of an (n, n) @ (n, n) matmul: fp32 on
    the CPU, bf16 (8192 x 8192) on a GPU."""
    if device == "cuda":
        n, dtype = 8192, torch.bfloat16
    else:
        dtype = torch.float32
    a, b = torch.randn(n, n, device=device, dtype=dtype), torch.randn(n, n, device=device, dtype=dtype)
    a @ b
    runs = [timed(lambda: a @ b, device=device) for _ in range(repeats)]
    flop = 2 * n**3
    return flop / min(w for w, _ in runs) / 1e9, flop / min(c for _, c in runs) / 1e9


def make_step(model: nn.Module, src, tgt_in, tgt_out, vocab: int):
    """One training step: forward (bf16 autocast on a GPU), label-smoothed loss, backward, Adam."""
    opt = torch.optim.Adam(model.parameters(), lr=1e-4, betas=(0.9, 0.98), fused=True)
    cuda = src.device.type == "cuda"

    def step() -> None:
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=cuda):
            logits = model(src, tgt_in)  # (B, T, V)
        loss = F.cross_entropy(
            logits.float().reshape(-1, vocab), tgt_out.reshape(-1), ignore_index=PAD, label_smoothing=0.1
        )
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    return step


def gpu_peak_tflops(name: str) -> float | None:
    """The data-sheet bf16 peak of a GPU named like "NVIDIA H200" (longest matching key)."""
    hits = [k for k in BF16_PEAK_TFLOPS if k in name]
    return BF16_PEAK_TFLOPS[max(hits, key=len)] if hits else None


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--batch", type=int)
    p.add_argument("--length", type=int, help="source and target length")
    p.add_argument("--rounds", type=int, default=5, help="alternating timing rounds")
    p.add_argument("--steps", type=int, default=1, help="steps per model per round")
    p.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    p.add_argument("--shape", choices=("shipped", "big"), default="shipped",
                   help="big: the opus-mt shape (d 512, 6 + 6 layers, vocabulary 32k, 25k tokens per step)")
    p.add_argument("--compile", action="store_true", help="time torch.compile of both models")
    p.add_argument("--peak-tflops", type=float, help="the GPU's bf16 peak, when its name is not known")
    add_model_arguments(p)
    p.set_defaults(**shipped_shape())
    first = p.parse_args()
    if first.shape == "big":
        p.set_defaults(**BIG_SHAPE)
    args = p.parse_args()
    if args.device == "cuda" and not torch.cuda.is_available():
        print("error: --device cuda, but torch sees no CUDA GPU on this machine "
              f"(torch {torch.__version__}, CUDA build: {torch.version.cuda or 'none'})", file=sys.stderr)
        sys.exit(2)
    device = args.device

    cfg = model_config(args, args.length + 1, dropout=0.1, pos_encoding="sinusoidal", norm_first=True)
    torch.manual_seed(0)
    ours, reference = Seq2Seq(cfg).train().to(device), ReferenceSeq2Seq(cfg).train().to(device)
    n_ours = ours.num_parameters()
    n_ref = sum(p.numel() for p in reference.parameters())
    B, L = args.batch, args.length
    src = torch.randint(4, args.vocab, (B, L), device=device)
    tgt = torch.randint(4, args.vocab, (B, L + 1), device=device)
    tgt_in, tgt_out = tgt[:, :-1], tgt[:, 1:]
    models = {"ours": ours, "reference": reference}
    if args.compile:
        models = {name: torch.compile(m) for name, m in models.items()}
    steps = {name: make_step(m, src, tgt_in, tgt_out, args.vocab) for name, m in models.items()}
    log = sys.stderr
    gpu = torch.cuda.get_device_name(0) if device == "cuda" else None
    print(
        f"{gpu or f'threads {torch.get_num_threads()}'}; parameters: ours {n_ours:,}, "
        f"reference {n_ref:,}; batch {B} x {L}{'; compiled' if args.compile else ''}",
        file=log,
    )
    for step in steps.values():  # warm-up: allocator, optimizer state (and compilation)
        for _ in range(3 if args.compile else 1):
            step()

    flops = step_flops(ours, B, L, L)
    peaks: list[float] = []  # GFLOP/s of the matmul in each round, per wall and CPU second
    peaks_cpu: list[float] = []
    wall: dict[str, list[float]] = {"ours": [], "reference": []}
    cpu: dict[str, list[float]] = {"ours": [], "reference": []}
    for r in range(args.rounds):
        peak, peak_cpu = matmul_peak_gflops(device=device)
        peaks.append(peak)
        peaks_cpu.append(peak_cpu)
        for name, step in steps.items():
            w, c = timed(step, args.steps, device=device)
            wall[name].append(w)
            cpu[name].append(c)
        print(
            f"round {r}: matmul {peak:.1f} GFLOP/s ({peak_cpu:.1f} per CPU second); ours "
            f"{wall['ours'][-1] * 1e3:.0f} ms/step (CPU {cpu['ours'][-1] * 1e3:.0f} ms), mfu "
            f"{flops / wall['ours'][-1] / 1e9 / peak:.2f}; reference "
            f"{wall['reference'][-1] * 1e3:.0f} ms/step (CPU {cpu['reference'][-1] * 1e3:.0f} ms)",
            file=log,
        )

    tokens = B * L  # target tokens per step
    ours_s, ref_s = statistics.median(wall["ours"]), statistics.median(wall["reference"])
    ratios = [r / o for o, r in zip(wall["ours"], wall["reference"])]
    cpu_ratios = [r / o for o, r in zip(cpu["ours"], cpu["reference"])]
    mfus = [flops / o / 1e9 / p for o, p in zip(wall["ours"], peaks)]
    mfus_cpu = [flops / o / 1e9 / p for o, p in zip(cpu["ours"], peaks_cpu)]
    peak = max(peaks)
    result = {
        "ours_tokens_per_s": tokens / ours_s,
        "reference_tokens_per_s": tokens / ref_s,
        "ratio": statistics.median(ratios),
        "ratios": ratios,
        "cpu_ratio": statistics.median(cpu_ratios),
        "ours_ms_per_step": ours_s * 1e3,
        "reference_ms_per_step": ref_s * 1e3,
        "step_gflop": flops / 1e9,
        "ours_gflops": flops / ours_s / 1e9,
        "matmul_peak_gflops": peak,
        "matmul_gflops_per_round": peaks,
        "mfu": statistics.median(mfus),
        "mfus": mfus,
        "mfu_of_best_peak": flops / ours_s / 1e9 / peak,
        "mfu_cpu_time": statistics.median(mfus_cpu),
        "parameters": n_ours,
        "threads": torch.get_num_threads(),
        "batch": B,
        "length": L,
        "d_model": args.d_model,
        "layers": args.layers,
        "vocab": args.vocab,
        "device": device,
        "compiled": args.compile,
        "torch": torch.__version__,
    }
    if device == "cuda":
        # On a GPU mfu is against the data sheet's bf16 peak; the matmul figures stay as measured.
        sheet = args.peak_tflops or gpu_peak_tflops(gpu)
        result.update(gpu=gpu, bf16_peak_tflops=sheet, matmul_of_peak=peak / 1e3 / sheet if sheet else None,
                      mfu=flops / ours_s / 1e12 / sheet if sheet else None,
                      mfus=[flops / o / 1e12 / sheet for o in wall["ours"]] if sheet else None)
    print(
        f"ours {result['ours_tokens_per_s']:.0f} tok/s, reference "
        f"{result['reference_tokens_per_s']:.0f} tok/s, ratio {result['ratio']:.2f} "
        f"(per CPU second {result['cpu_ratio']:.2f}); mfu {result['mfu']:.2f} (per CPU second "
        f"{result['mfu_cpu_time']:.2f}); {result['ours_gflops']:.1f} GFLOP/s is "
        f"{result['mfu_of_best_peak']:.2f} of the best matmul, {peak:.1f} GFLOP/s",
        file=log,
    )
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
