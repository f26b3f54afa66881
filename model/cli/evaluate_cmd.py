"""`python main.py evaluate --checkpoint PATH [--corpus SPEC [--split test] | --test FILE]`

``--test FILE`` scores a held-out TSV (or Tatoeba export) as it is: every pair, in order,
not split again and not deduplicated.

BLEU and chrF (sacrebleu) of greedy or beam translations, teacher-forced token accuracy,
and, for a corpus with gold word alignments, the alignment error rate (AER) of every
cross-attention head and the best one.
"""
from __future__ import annotations

import argparse

from model.cli.common import emit_json, fail, log


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--checkpoint", required=True, help="a checkpoint written by `train` or `convert`, or an opus-mt (Marian) model folder")
    p.add_argument("--corpus", nargs="+", metavar="SPEC",
                   help="corpus to score on (default: the one the checkpoint was trained on)")
    p.add_argument("--split", default="test", choices=("train", "valid", "test"))
    p.add_argument("--test", metavar="FILE",
                   help="score every pair of this TSV file as it is (not split again) instead of a split")
    p.add_argument("--max-pairs", type=int, default=None, help="score only the first N pairs of the split")
    p.add_argument("--aer-pairs", type=int, default=200, help="pairs traced for the alignment error rate")
    p.add_argument("--beam", type=int, default=1)
    p.add_argument("--device", default="cpu")
    p.add_argument("--json", action="store_true")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from model.checkpoint import CheckpointError, read_header
    from model.corpus import CorpusError, load_corpus
    from model.evaluation import alignment_scores, corpus_scores, teacher_forced
    from model.inference import Translator
    from model.train import encode_pairs

    try:
        translator = Translator.load(args.checkpoint, device=args.device)
        if args.test:
            if args.corpus:
                return fail("give --corpus or --test, not both")
            spec, split = args.test, "file"
            corpus = load_corpus(spec, dedupe=False, valid_size=0, test_size=0)
            pairs, tgt_lang = corpus.train, translator.tgt_tok.lang
        else:
            if args.corpus:
                spec = args.corpus[0] if len(args.corpus) == 1 else list(args.corpus)
            elif Path(args.checkpoint).is_dir():
                return fail("a model folder was trained on no corpus of ours: name one with --corpus")
            else:
                spec = read_header(args.checkpoint)["corpus"]
            corpus = load_corpus(spec)
            split, pairs, tgt_lang = args.split, corpus.split(args.split), corpus.tgt_lang
    except (CheckpointError, CorpusError, ValueError, OSError) as exc:
        return fail(str(exc).splitlines()[0])
    encoded = encode_pairs(pairs[: args.max_pairs], translator.src_tok,
                           translator.tgt_tok, translator.model_config.max_len)
    kept, src_ids, tgt_ids = encoded.pairs, encoded.src, encoded.tgt
    if not kept:
        return fail(f"no pairs of the {split} split fit the model")
    left_out = len(pairs[: args.max_pairs]) - len(kept)
    log(f"scoring {len(kept)} pairs of {spec} ({split})"
        + (f"; {left_out} left out (empty or longer than the model reads)" if left_out else ""))
    hyps = [translator.tgt_tok.decode(ids) for ids in translator.translate_ids(src_ids, beam=args.beam)]
    bleu, chrf = corpus_scores(hyps, [p.tgt for p in kept], tgt_lang)
    loss, accuracy = teacher_forced(translator.model, src_ids, tgt_ids, translator.device)
    result = {"bleu": bleu, "chrf": chrf, "token_accuracy": accuracy, "loss": loss,
              "pairs": len(kept), "split": split, "beam": args.beam}
    print(f"BLEU {bleu:.2f}  chrF {chrf:.2f}  token accuracy {accuracy:.4f}  loss {loss:.4f}  ({len(kept)} pairs)")
    if corpus.has_alignments:
        aer = alignment_scores(translator, kept[: args.aer_pairs])
        result["aer"] = aer
        best = aer["best"]
        print(f"best-aligned cross-attention head: layer {best['layer']} head {best['head']} "
              f"AER {best['aer']:.3f} ({aer['pairs']} pairs)")
        for layer, row in enumerate(aer["per_head"]):
            print(f"  layer {layer}: " + "  ".join(f"h{h} {v:.3f}" for h, v in enumerate(row)))
    if args.json:
        emit_json(result)
    return 0
