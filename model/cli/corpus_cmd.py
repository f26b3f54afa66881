"""`python main.py corpus SPEC [TGT_FILE]`: load a corpus and print what is in it.

Prints the pair count per split, skipped lines (with the first few reasons), the
vocabulary size of each tokenizer kind (word, char, BPE) per side, a histogram of
sentence lengths in words, and sample pairs with their gold word alignments.
With --json the last stdout line is one JSON object. A file that cannot be used exits
non-zero with a one-line message on stderr.
"""
from __future__ import annotations

import argparse
import random
from collections import Counter

from model.cli.common import emit_json, fail

BIN_WIDTH = 5
BAR_WIDTH = 40


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("spec", metavar="SPEC",
                   help="builtin:en-de, builtin:en-zh[:N], a TSV/Tatoeba file, or SRC_FILE")
    p.add_argument("tgt_file", nargs="?", metavar="TGT_FILE",
                   help="target file, line-aligned with SRC_FILE")
    p.add_argument("--sample", type=int, default=3, metavar="N", help="sample pairs to show")
    p.add_argument("--max-pairs", type=int, default=None, metavar="N", help="read at most N pairs")
    p.add_argument("--max-len", type=int, default=None, metavar="N",
                   help="leave out pairs with more than N words on either side")
    p.add_argument("--seed", type=int, default=0, help="seed of the split and the samples")
    p.add_argument("--valid-size", type=int, default=500,
                   help="pairs held out for validation, as `train` holds them out (default 500; 0 allowed)")
    p.add_argument("--test-size", type=int, default=1000,
                   help="pairs held out for testing, as `train` holds them out (default 1000; 0 allowed)")
    p.add_argument("--minutes", type=float, default=None,
                   help="time budget the training defaults are chosen for (default: 2,000 steps)")
    p.add_argument("--json", action="store_true", help="print a JSON summary as the last line")


def count_words(text: str) -> int:
    from model.loaders import count_words as count

    return count(text)


def pair_lengths(pairs) -> tuple[list[int], list[int]]:
    """Words per source and per target sentence (generator words when the pair has them)."""
    src = [len(p.src_words) if p.src_words else count_words(p.src) for p in pairs]
    tgt = [len(p.tgt_words) if p.tgt_words else count_words(p.tgt) for p in pairs]
    return src, tgt


def histogram(lengths: list[int]) -> dict[str, int]:
    """Sentences per length bin of BIN_WIDTH words: {"1-5": n, "6-10": n, ...}."""
    counts = Counter((n - 1) // BIN_WIDTH for n in lengths)
    return {f"{b * BIN_WIDTH + 1}-{(b + 1) * BIN_WIDTH}": counts.get(b, 0)
            for b in range(max(counts) + 1)} if counts else {}


def vocab_sizes(texts: list[str], lang: str) -> dict[str, int]:
    """Vocabulary size of each tokenizer kind trained on the texts (specials included)."""
    from model.tokenizer import KINDS, build_tokenizer

    return {kind: build_tokenizer(kind, texts, lang).vocab_size for kind in KINDS}


def readable_alignment(pair) -> str:
    """"dog->Hund the->der ..." in source order; unaligned target words at the end."""
    links: dict[int, list[int]] = {}
    for i, j in pair.alignment:
        links.setdefault(i, []).append(j)
    parts = [f"{pair.src_words[i]}->{'+'.join(pair.tgt_words[j] for j in js)}"
             for i, js in sorted(links.items())]
    aligned = {j for _, j in pair.alignment}
    loose = [w for j, w in enumerate(pair.tgt_words) if j not in aligned]
    if loose:
        parts.append("(unaligned: " + " ".join(loose) + ")")
    return " ".join(parts)


def run(args: argparse.Namespace) -> int:
    from model.corpus import CorpusError, load_corpus

    spec = [args.spec, args.tgt_file] if args.tgt_file else args.spec
    for name, least, rule in (("sample", 0, "positive"), ("max_pairs", 1, "positive"), ("max_len", 1, "positive"),
                              ("valid_size", 0, "0 or more"), ("test_size", 0, "0 or more")):
        value = getattr(args, name)
        if value is not None and value < least:
            return fail(f"--{name.replace('_', '-')} must be {rule}")
    from model.defaults import choose

    try:
        corpus = load_corpus(spec, max_pairs=args.max_pairs, max_len=args.max_len, seed=args.seed,
                             valid_size=args.valid_size, test_size=args.test_size)
    except CorpusError as exc:
        return fail(str(exc))

    pairs = corpus.all_pairs()
    train_src = [p.src for p in corpus.train] or [p.src for p in pairs]
    train_tgt = [p.tgt for p in corpus.train] or [p.tgt for p in pairs]
    src_vocab = vocab_sizes(train_src, corpus.src_lang)
    tgt_vocab = vocab_sizes(train_tgt, corpus.tgt_lang)
    src_len, tgt_len = pair_lengths(pairs)
    chosen = choose(corpus, minutes=args.minutes)
    rng = random.Random(args.seed)
    samples = rng.sample(pairs, min(args.sample, len(pairs)))
    summary = {
        "name": corpus.name, "src_lang": corpus.src_lang, "tgt_lang": corpus.tgt_lang,
        "pairs": len(pairs),
        "splits": {name: len(corpus.split(name)) for name in ("train", "valid", "test")},
        "skipped": corpus.skipped,
        "skipped_examples": [list(e) for e in corpus.skipped_examples],
        "filtered": corpus.filtered,
        "src_vocab": src_vocab, "tgt_vocab": tgt_vocab,
        "max_len": max(src_len + tgt_len),
        "length_histogram": {"src": histogram(src_len), "tgt": histogram(tgt_len)},
        "has_alignments": corpus.has_alignments,
        "defaults": chosen.to_dict(),
        "samples": [{"src": p.src, "tgt": p.tgt, "alignment": [list(a) for a in p.alignment]}
                    for p in samples],
    }
    print_report(summary, samples)
    print("training defaults for this corpus (`main.py train` uses them unless told otherwise):")
    for line in chosen.summary():
        print("  " + line)
    if args.json:
        emit_json(summary)
    return 0


def print_report(s: dict, samples: list) -> None:
    """The human-readable report on stdout."""
    splits = s["splits"]
    print(f"{s['name']} ({s['src_lang']} -> {s['tgt_lang']}): {s['pairs']:,} pairs "
          f"(train {splits['train']:,}, valid {splits['valid']:,}, test {splits['test']:,})")
    print(f"skipped lines: {s['skipped']:,}   left out (too long or duplicate): {s['filtered']:,}")
    for path, line, reason in s["skipped_examples"]:
        print(f"  {path}:{line}: {reason}")
    print("vocabulary (train split, specials included):")
    print(f"  {'':6}{'word':>8}{'char':>8}{'bpe':>8}")
    for side in ("src", "tgt"):
        v = s[f"{side}_vocab"]
        print(f"  {s[side + '_lang']:6}{v['word']:>8}{v['char']:>8}{v['bpe']:>8}")
    print(f"sentence length in words (longest: {s['max_len']}):")
    for side in ("src", "tgt"):
        hist = s["length_histogram"][side]
        top = max(hist.values(), default=1) or 1
        print(f"  {s[side + '_lang']}:")
        for label, n in hist.items():
            print(f"    {label:>7} {'#' * round(BAR_WIDTH * n / top):<{BAR_WIDTH}} {n:,}")
    if samples:
        print("sample pairs:")
    for k, pair in enumerate(samples, 1):
        print(f"  {k}. {s['src_lang']}: {pair.src}")
        print(f"     {s['tgt_lang']}: {pair.tgt}")
        if pair.alignment:
            print(f"     alignment: {readable_alignment(pair)}")
