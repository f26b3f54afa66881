"""The project's recipe against a plain ``torch.nn.Transformer`` of the same size.

    python benchmarks/plain_transformer.py --corpus TRAIN.tsv --test TEST.tsv --minutes 10 \
        [--config benchmarks/configs/tatoeba-en-de.json] [--device cuda] --json

Both models get the same tokenizers (chosen by model/defaults.py, or BPE with
``--vocab-size``), the same shape (d_model, heads, layers, d_ff, dropout), the same
batches in the same order, the same optimiser (Adam with the noam schedule), label
smoothing and gradient clipping, and the same time budget: their steps alternate in one
process, so both see the same machine, and each trains until its own step times add up to
``--minutes`` (on a GPU each step is timed to its end, and both run under the same bf16
autocast). Then both translate the test file greedily and are scored with sacrebleu.

The plain model is what the PyTorch documentation builds: ``nn.Transformer`` (post-norm,
ReLU), separate source, target and output embeddings, sinusoidal positions, no KV cache.
The project's Seq2Seq differs in its recipe: pre-norm, the output projection tied to the
target embedding, and its own attention. Prints one JSON object.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model.config import TrainConfig, load_json_config  # noqa: E402
from model.corpus import load_corpus  # noqa: E402
from model.defaults import choose  # noqa: E402
from model.evaluation import corpus_scores  # noqa: E402
from model.inference import autocast_for  # noqa: E402
from model.memory import keep_freed_memory  # noqa: E402
from model.tokenizer import BOS, EOS, PAD  # noqa: E402
from model.train import Trainer, noam_lr  # noqa: E402

keep_freed_memory()


class PlainTransformer(nn.Module):
    """torch.nn.Transformer with embeddings, sinusoidal positions and an output layer."""

    def __init__(self, src_vocab: int, tgt_vocab: int, d_model: int, n_heads: int, n_layers: int,
                 n_dec_layers: int, d_ff: int, dropout: float, max_len: int):
        super().__init__()
        self.d_model = d_model
        self.src_embed = nn.Embedding(src_vocab, d_model, padding_idx=PAD)
        self.tgt_embed = nn.Embedding(tgt_vocab, d_model, padding_idx=PAD)
        pos = torch.arange(max_len + 2)[:, None]
        div = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len + 2, d_model)
        pe[:, 0::2], pe[:, 1::2] = torch.sin(pos * div), torch.cos(pos * div)
        self.register_buffer("pe", pe)
        self.drop = nn.Dropout(dropout)
        self.core = nn.Transformer(d_model, n_heads, n_layers, n_dec_layers, d_ff, dropout, batch_first=True)
        self.out = nn.Linear(d_model, tgt_vocab)

    def embed(self, table: nn.Embedding, ids: torch.Tensor) -> torch.Tensor:
        return self.drop(table(ids) * math.sqrt(self.d_model) + self.pe[: ids.size(1)])

    def forward(self, src: torch.Tensor, tgt: torch.Tensor) -> torch.Tensor:
        causal = self.core.generate_square_subsequent_mask(tgt.size(1), device=tgt.device)
        h = self.core(self.embed(self.src_embed, src), self.embed(self.tgt_embed, tgt), tgt_mask=causal,
                      src_key_padding_mask=src == PAD, tgt_key_padding_mask=tgt == PAD,
                      memory_key_padding_mask=src == PAD, tgt_is_causal=True)
        return self.out(h)

    @torch.no_grad()
    def greedy(self, src: torch.Tensor, limit: int) -> list[int]:
        """Greedy decoding of one sentence (1, S), re-running the decoder on the prefix."""
        memory = self.core.encoder(self.embed(self.src_embed, src), src_key_padding_mask=src == PAD)
        out = [BOS]
        for _ in range(limit):
            tgt = torch.tensor([out], device=src.device)
            causal = self.core.generate_square_subsequent_mask(tgt.size(1), device=src.device)
            h = self.core.decoder(self.embed(self.tgt_embed, tgt), memory, tgt_mask=causal,
                                  memory_key_padding_mask=src == PAD)
            nxt = int(self.out(h[:, -1]).argmax(-1))
            if nxt == EOS:
                break
            out.append(nxt)
        return out[1:]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", required=True, help="training TSV (500 pairs of it are held for validation)")
    ap.add_argument("--test", required=True, help="held-out TSV scored as it is")
    ap.add_argument("--minutes", type=float, default=10.0, help="training time of each model")
    ap.add_argument("--config", help="model/train overrides as for main.py train --config")
    ap.add_argument("--vocab-size", type=int, default=None, help="BPE on both sides with this vocabulary")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.device == "cuda" and not torch.cuda.is_available():
        print("error: --device cuda, but torch sees no CUDA GPU on this machine", file=sys.stderr)
        return 2
    device = torch.device(args.device)
    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)
    corpus = load_corpus(args.corpus, valid_size=500, test_size=0)
    choice = choose(corpus, minutes=args.minutes)
    overrides = load_json_config(args.config) if args.config else {}
    model_fields = {**choice.model, **overrides.get("model", {})}
    train_fields = {**choice.train, **overrides.get("train", {}), "device": args.device, "eval_every": 0}
    kinds = ("bpe", "bpe") if args.vocab_size else choice.tokenizer
    sizes = (args.vocab_size, args.vocab_size) if args.vocab_size else choice.vocab_size
    ours = Trainer.from_corpus(corpus, kinds, sizes, model_fields, TrainConfig.from_dict(train_fields))
    feeder = Trainer(corpus, ours.src_tok, ours.tgt_tok, ours.model_config, ours.train_cfg)  # same batches
    cfg, tc = ours.model_config, ours.train_cfg
    torch.manual_seed(tc.seed)
    plain = PlainTransformer(cfg.src_vocab, cfg.tgt_vocab, cfg.d_model, cfg.n_heads, cfg.n_layers,
                             cfg.dec_layers, cfg.d_ff, cfg.dropout, cfg.max_len).to(device)
    opt = torch.optim.Adam(plain.parameters(), lr=1e-9, betas=tc.betas, eps=1e-9)
    spent = {"ours": 0.0, "plain": 0.0}
    steps = {"ours": 0, "plain": 0}
    budget = args.minutes * 60
    while min(spent.values()) < budget:
        if spent["ours"] < budget:
            sync()
            t = time.perf_counter()
            ours.step()
            sync()
            spent["ours"] += time.perf_counter() - t
            steps["ours"] += 1
        if spent["plain"] < budget:
            sync()
            t = time.perf_counter()
            plain.train()
            src, tgt_in, tgt_out, _ = feeder._next_batch()
            for group in opt.param_groups:
                group["lr"] = noam_lr(steps["plain"] + 1, cfg.d_model, tc.warmup, tc.lr)
            with autocast_for(device):
                logits = plain(src, tgt_in)
            loss = F.cross_entropy(logits.float().reshape(-1, logits.size(-1)), tgt_out.reshape(-1),
                                   ignore_index=PAD, label_smoothing=tc.label_smoothing)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(plain.parameters(), tc.clip_norm)
            opt.step()
            sync()
            spent["plain"] += time.perf_counter() - t
            steps["plain"] += 1
    test = load_corpus(args.test, dedupe=False, valid_size=0, test_size=0).train
    refs = [p.tgt for p in test]
    hyp_ours = ours.translator.translate([p.src for p in test], beam=1)
    plain.eval()
    hyp_plain = []
    for p in test:
        ids = ours.translator.encode_src(p.src)
        hyp_plain.append(ours.tgt_tok.decode(plain.greedy(torch.tensor([ids], device=device), ours.translator.max_out_len(len(ids)))))
    lang = ours.tgt_tok.lang
    result = {"minutes_each": args.minutes, "test_pairs": len(test), "device": args.device,
              "shape": {k: model_fields[k] for k in ("d_model", "n_heads", "n_layers", "n_dec_layers", "d_ff", "dropout")},
              "tokenizer": list(kinds), "vocab": [cfg.src_vocab, cfg.tgt_vocab]}
    for name, hyps, model in (("ours", hyp_ours, ours.model), ("plain", hyp_plain, plain)):
        bleu, chrf = corpus_scores(hyps, refs, lang)
        result[name] = {"bleu": bleu, "chrf": chrf, "steps": steps[name], "seconds": spent[name],
                        "parameters": sum(p.numel() for p in model.parameters()),
                        "samples": [[test[i].src, hyps[i]] for i in range(3)]}
    result["ours_higher"] = result["ours"]["bleu"] > result["plain"]["bleu"]
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
