"""Corpora larger than memory: tokenize once into an on-disk cache, train from memory maps.

``load_corpus`` holds every pair as Python objects, fine for the built-in 30,000 pairs and
a Tatoeba file, not for millions of pairs. ``python main.py train --corpus FILE
--token-cache DIR`` instead reads the file once as a stream, with progress, and writes
into ``DIR/<key>/``:

- ``train.src.ids``, ``train.tgt.ids``: every training pair's token ids, one flat array
  per side (uint16 when the vocabulary fits, else int32; no <bos>/<eos>), memory-mapped
  when training;
- ``train.src.offsets.npy``, ``train.tgt.offsets.npy``: where pair i starts and ends (N+1
  int64), from which the lengths for bucketing come;
- ``valid.tsv``, ``test.tsv``: the held-out pairs, small, as text;
- ``src_tokenizer.json``, ``tgt_tokenizer.json``, ``meta.json`` (written last: a folder
  without it is an interrupted build and is built again).

The tokenizers, model and schedule are chosen as ``load_corpus`` + ``model.defaults.choose``
would choose them (:func:`choose_streamed`): from the same statistics (script, spaces,
distinct words, lengths) of the cache's training split, gathered in one streaming pass and
remembered in ``DIR/<hash>-stats-....json``. Each side has its own tokenizer kind (BPE
subwords where words are separated by spaces, characters where not).

The key is a hash of the corpus files' contents and of the tokenizers: each side's kind
and vocabulary size when they are built from the corpus ("bpe8000.char"), or the
tokenizers themselves (a resumed checkpoint's), and of ``max_len`` and the held-out sizes;
a cache built with one choice is never read for another. A second run on the same file
finds the cache and starts training after hashing the file and mapping the arrays.

The first read makes one pass over the training pairs: word and char sides are split into
tokens (whitespace-separated chunks are tokenized once and remembered), counted, and
written as provisional ids; their vocabulary is then chosen from the counts exactly as
``Tokenizer.train`` does, and the provisional ids are mapped to the final ones in numpy.
A BPE side first learns its merges in a pass of its own, then is encoded in batches in
that same pass.

Held-out pairs: a pair goes to test or valid when a hash of its source sentence falls
below a threshold set so that about ``test_size`` and ``valid_size`` pairs do (each at
most a tenth): the same source sentence always lands in the same split, as with
``load_corpus``. Pairs whose sides do not fit ``max_len`` tokens are left out and counted.

Training batches are bucketed by length (:func:`bucket_batches`): pairs of the same
longest side, in random order, cut into batches of ``batch_tokens // length`` pairs.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import sys
import time
from array import array
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from model.corpus import Corpus, CorpusError, SentencePair, split_sizes
from model.defaults import Choice, SideCounter, SideStats, choose_from_stats
from model.tokenizer import BOS, EOS, Tokenizer, build_tokenizer

VERSION = 1
BATCH_PAIRS = 16_384  # training pairs tokenized together, between writes to the id files
PROGRESS_S = 5.0  # seconds between progress lines while tokenizing
MEMO_LIMIT = 1_000_000  # whitespace chunks remembered per side before the memo is cleared
Progress = Callable[[str], None]


def file_digest(paths: Sequence[str]) -> str:
    """blake2b of the files' contents, in order."""
    h = hashlib.blake2b(digest_size=16)
    for path in paths:
        try:
            with open(path, "rb") as fh:
                while block := fh.read(1 << 22):
                    h.update(block)
        except OSError as exc:
            raise CorpusError(f"{path}: cannot read ({exc.strerror or exc})") from None
        h.update(b"\0")
    return h.hexdigest()


def _count_lines(path: str) -> int:
    n = 0
    with open(path, "rb") as fh:
        while block := fh.read(1 << 22):
            n += block.count(b"\n")
    return n


def stream_pairs(paths: Sequence[str], stats: dict[str, int]) -> Iterator[tuple[str, str]]:
    """(source, target) of each usable line of a TSV file or two line-aligned files;
    unusable lines are counted in ``stats["skipped"]``."""
    from model.loaders import _decode, _open_lines, normalise

    if len(paths) == 1:
        for number, raw in _open_lines(paths[0]):
            text, _ = _decode(raw, number)
            parts = text.split("\t") if text else []
            src, tgt = (normalise(parts[0]), normalise(parts[1])) if len(parts) > 1 else ("", "")
            if src and tgt:
                yield src, tgt
            else:
                stats["skipped"] += 1
        return
    src_lines, tgt_lines = _open_lines(paths[0]), _open_lines(paths[1])
    for (number, raw_s), (_, raw_t) in zip(src_lines, tgt_lines):
        src, tgt = _decode(raw_s, number)[0], _decode(raw_t, number)[0]
        src, tgt = normalise(src or ""), normalise(tgt or "")
        if src and tgt:
            yield src, tgt
        else:
            stats["skipped"] += 1


def split_of(src: str, p_test: float, p_valid: float) -> str:
    """"test", "valid" or "train", from a hash of the source sentence."""
    u = int.from_bytes(hashlib.blake2b(src.encode("utf-8"), digest_size=8).digest(), "little") / 2.0**64
    return "test" if u < p_test else "valid" if u < p_test + p_valid else "train"


class ChunkTokens:
    """Token strings of sentences, each whitespace-separated chunk tokenized once.

    For word and char tokenizers the tokens of a sentence are those of its chunks in order
    (char: with a " " token between chunks), so remembering chunks changes nothing but speed.
    """

    def __init__(self, tokenizer: Tokenizer):
        self.tokenizer = tokenizer
        self.space = [" "] if tokenizer.kind == "char" else []
        self.memo: dict[str, list[str]] = {}

    def __call__(self, text: str) -> list[str]:
        out: list[str] = []
        memo = self.memo
        for i, chunk in enumerate(text.split()):
            tokens = memo.get(chunk)
            if tokens is None:
                if len(memo) > MEMO_LIMIT:
                    memo.clear()
                tokens = memo[chunk] = self.tokenizer.tokenize(chunk)
            if i and self.space:
                out.extend(self.space)
            out.extend(tokens)
        return out


def _remap(provisional: Path, final: Path, table: np.ndarray) -> None:
    """Write table[ids] of the provisional id file to ``final``, in chunks."""
    ids = np.memmap(provisional, dtype=np.int32, mode="r") if provisional.stat().st_size else np.zeros(0, np.int32)
    with open(final, "wb") as fh:
        for start in range(0, len(ids), 1 << 24):
            table[ids[start:start + (1 << 24)]].tofile(fh)
    del ids
    provisional.unlink()


def _id_dtype(vocab_size: int) -> np.dtype:
    return np.dtype(np.uint16) if vocab_size <= 65535 else np.dtype(np.int32)


def _write_pairs_tsv(path: Path, pairs: list[SentencePair]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for p in pairs:
            fh.write(f"{p.src}\t{p.tgt}\n")


def _read_pairs_tsv(path: Path) -> list[SentencePair]:
    with open(path, encoding="utf-8") as fh:
        return [SentencePair(*line.rstrip("\n").split("\t")[:2]) for line in fh if "\t" in line]


def _languages(paths: Sequence[str], samples: list[tuple[str, str]]) -> tuple[str, str]:
    from model.loaders import guess_language

    if len(paths) == 1:
        src_lang = guess_language("", [s for s, _ in samples], "en")
        return src_lang, guess_language(paths[0], [t for _, t in samples], "und", other=src_lang)
    return (guess_language(paths[0], [s for s, _ in samples], "en"),
            guess_language(paths[1], [t for _, t in samples], "und"))


def _fits(n_src: int, n_tgt: int, max_len: int) -> bool:
    """The length filter of model.train.encode_pairs, on token counts without specials."""
    return 1 <= n_src <= max_len - 1 and 1 <= n_tgt <= max_len - 1


def _progress_line(progress: Progress | None, lines: int, total: int, start: float,
                   doing: str = "tokenizing") -> None:
    if progress is not None:
        rate = lines / max(time.perf_counter() - start, 1e-9)
        left = (total - lines) / max(rate, 1e-9)
        progress(f"{doing}: {lines:,} of {total:,} lines ({100 * lines / max(total, 1):.0f}%), "
                 f"{rate:,.0f} lines/s, about {left:.0f}s left")


def _split_probs(paths: Sequence[str], valid_size: int, test_size: int) -> tuple[int, float, float]:
    """Lines of the file, and the test and valid thresholds of :func:`split_of` for them."""
    total = _count_lines(paths[0])
    n_valid, n_test = split_sizes(total, valid_size, test_size)
    return total, n_test / max(total, 1), n_valid / max(total, 1)


def _first_pairs(paths: Sequence[str], n: int = 50) -> list[tuple[str, str]]:
    """The first ``n`` usable pairs (for guessing the languages)."""
    out = []
    for pair in stream_pairs(paths, {"skipped": 0}):
        out.append(pair)
        if len(out) == n:
            break
    return out


def _per_side(value: Any) -> tuple[Any, Any]:
    """(source, target) of a value given once for both sides or as a pair."""
    return (value[0], value[1]) if isinstance(value, (tuple, list)) else (value, value)


class _VocabSide:
    """Word or char tokens of one side's training sentences: counted, and written as
    provisional ids (the order first seen) to a file in chunks; :func:`_remap` turns them
    into the final vocabulary's ids."""

    def __init__(self, path: Path, kind: str):
        self.path = path
        self.fh = open(path, "wb")  # noqa: SIM115  (closed in close)
        # Splitting into tokens does not depend on the language (only joining them back does).
        self.probe = ChunkTokens(build_tokenizer(kind, [], "und"))
        self.ids: dict[str, int] = {}
        self.tokens: list[str] = []
        self.counts = array("q")
        self.buffer = array("i")
        self.lengths = array("i")

    def encode(self, texts: list[str]) -> list[list[str]]:
        return [self.probe(t) for t in texts]

    def add(self, tokens: list[str], keep: bool = True) -> None:
        """Count the tokens (the vocabulary is built on every training pair, as
        ``Trainer.from_corpus`` does); write them only when the pair is kept."""
        ids, buffer, counts = self.ids, self.buffer, self.counts
        for tok in tokens:
            i = ids.get(tok)
            if i is None:
                i = ids[tok] = len(self.tokens)
                self.tokens.append(tok)
                counts.append(0)
            counts[i] += 1
            if keep:
                buffer.append(i)
        if keep:
            self.lengths.append(len(tokens))

    def flush(self) -> None:
        self.buffer.tofile(self.fh)
        self.buffer = array("i")

    def close(self) -> None:
        self.flush()
        self.fh.close()


class _IdSide:
    """Final ids of one side's training sentences from a tokenizer already made (BPE
    merges learned in a first pass, or a resumed checkpoint's tokenizer), encoded in
    batches and written to a file in chunks."""

    def __init__(self, path: Path, tokenizer: Tokenizer):
        self.tokenizer = tokenizer
        self.dtype = _id_dtype(tokenizer.vocab_size)
        self.fh = open(path, "wb")  # noqa: SIM115  (closed in close)
        self.buffer: list[int] = []
        self.lengths = array("i")

    def encode(self, texts: list[str]) -> list[list[int]]:
        hf = getattr(self.tokenizer, "_hf", None)
        if hf is not None:
            return [e.ids for e in hf.encode_batch(texts)]
        return [self.tokenizer.encode(t) for t in texts]

    def add(self, ids: list[int], keep: bool = True) -> None:
        if keep:
            self.buffer.extend(ids)
            self.lengths.append(len(ids))

    def flush(self) -> None:
        np.asarray(self.buffer, dtype=self.dtype).tofile(self.fh)
        self.buffer = []

    def close(self) -> None:
        self.flush()
        self.fh.close()


VOCAB_KINDS = ("word", "char")  # tokenized in the one pass; other kinds are made first


def build(paths: Sequence[str], folder: Path, kind: str | tuple[str, str],
          vocab_size: int | None | tuple[int | None, int | None], max_len: int,
          tokenizers: tuple[Tokenizer, Tokenizer] | None, valid_size: int, test_size: int,
          progress: Progress | None) -> None:
    """Tokenize the corpus into ``folder`` (see the module docstring). ``kind`` and
    ``vocab_size``: one for both sides or a (source, target) pair."""
    start = time.perf_counter()
    kinds, sizes = _per_side(kind), _per_side(vocab_size)
    total, p_test, p_valid = _split_probs(paths, valid_size, test_size)
    first = _first_pairs(paths)
    if not first:
        raise CorpusError(f"{paths[0]}: no usable sentence pairs")
    langs = _languages(paths, first)
    toks: list[Tokenizer | None] = list(tokenizers) if tokenizers is not None else [None, None]
    if tokenizers is not None:
        kinds = (tokenizers[0].kind, tokenizers[1].kind)

    def training_side(i: int) -> Iterator[str]:
        for pair in stream_pairs(paths, {"skipped": 0}):
            if split_of(pair[0], p_test, p_valid) == "train":
                yield pair[i]

    for i, name in enumerate(("source", "target")):
        if toks[i] is None and kinds[i] not in VOCAB_KINDS:  # BPE: learn the merges in a pass of their own
            if progress is not None:
                progress(f"learning the {name} side's {kinds[i]} vocabulary")
            toks[i] = build_tokenizer(kinds[i], training_side(i), langs[i], sizes[i])
    names = ("src", "tgt")
    sides = [_VocabSide(folder / f"train.{n}.provisional", k) if k in VOCAB_KINDS
             else _IdSide(folder / f"train.{n}.ids", t) for n, k, t in zip(names, kinds, toks)]
    stats = {"skipped": 0, "filtered": 0, "lines": 0}
    held: dict[str, list[SentencePair]] = {"valid": [], "test": []}
    batch: list[tuple[str, str]] = []
    shown = [time.perf_counter()]

    def flush() -> None:
        if not batch:
            return
        encoded = [side.encode([pair[i] for pair in batch]) for i, side in enumerate(sides)]
        for s_items, t_items in zip(*encoded):
            keep = _fits(len(s_items), len(t_items), max_len)
            stats["filtered"] += not keep
            sides[0].add(s_items, keep)
            sides[1].add(t_items, keep)
        for side in sides:
            side.flush()
        batch.clear()
        if time.perf_counter() - shown[0] >= PROGRESS_S:
            shown[0] = time.perf_counter()
            _progress_line(progress, stats["lines"] + stats["skipped"], total, start)

    try:
        for src, tgt in stream_pairs(paths, stats):
            stats["lines"] += 1
            split = split_of(src, p_test, p_valid)
            if split != "train":
                held[split].append(SentencePair(src, tgt))
                continue
            batch.append((src, tgt))
            if len(batch) == BATCH_PAIRS:
                flush()
        flush()
    finally:
        for side in sides:
            side.close()
    if not sides[0].lengths:
        raise CorpusError(f"{paths[0]}: no usable sentence pairs that fit max_len={max_len}")
    for i, (name, side) in enumerate(zip(names, sides)):
        if isinstance(side, _VocabSide):
            tok = toks[i]
            if tok is None:
                cls = type(build_tokenizer(kinds[i], [], langs[i]))
                tok = toks[i] = cls.from_counts(dict(zip(side.tokens, side.counts)), langs[i], sizes[i])
            table = np.array([tok.token_to_id(t) for t in side.tokens] or [0], dtype=_id_dtype(tok.vocab_size))
            _finish_arrays(folder, name, side.lengths, table)
        else:
            _finish_arrays(folder, name, side.lengths, None)
        toks[i].save(str(folder / f"{name}_tokenizer.json"))
    for name, pairs in held.items():
        _write_pairs_tsv(folder / f"{name}.tsv", pairs)
    meta = {"version": VERSION, "files": [os.path.abspath(p) for p in paths],
            "tokenizer": {"src": toks[0].kind, "tgt": toks[1].kind},
            "vocab_size": {"src": toks[0].vocab_size, "tgt": toks[1].vocab_size},
            "pairs": len(sides[0].lengths), "valid": len(held["valid"]), "test": len(held["test"]),
            "max_len": max_len, "build_s": time.perf_counter() - start, **stats}
    (folder / "meta.json").write_text(json.dumps(meta, indent=1))


def _finish_arrays(folder: Path, side: str, lengths: array, table: np.ndarray | None) -> None:
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(np.frombuffer(lengths, dtype=np.int32), out=offsets[1:])
    np.save(folder / f"train.{side}.offsets.npy", offsets)
    if table is not None:
        _remap(folder / f"train.{side}.provisional", folder / f"train.{side}.ids", table)


class CachedSide(Sequence):
    """One side of the cached training pairs: ``side[i]`` is pair i's ids as a list, framed
    by the specials the trainer expects (source: ids + <eos>; target: <bos> + ids + <eos>)."""

    def __init__(self, ids: np.ndarray, offsets: np.ndarray, bos: bool):
        self.ids, self.offsets, self.bos = ids, offsets, bos

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        row = self.ids[self.offsets[i]:self.offsets[i + 1]].tolist()
        return [BOS, *row, EOS] if self.bos else [*row, EOS]

    def lengths(self) -> np.ndarray:
        return np.diff(self.offsets)


class CachedPairs(Sequence):
    """The pairs as text, decoded from the ids on demand (for a look, not for training)."""

    def __init__(self, data: CachedEncoded):
        self.data = data

    def __len__(self) -> int:
        return len(self.data.src)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        d = self.data
        return SentencePair(d.src_tok.decode(d.src[i]), d.tgt_tok.decode(d.tgt[i]))


class CachedEncoded:
    """Training pairs from a token cache, with the interface of ``model.train.Encoded``
    (``src``, ``tgt``, ``pairs``, ``lengths``, ``batches``), memory-mapped."""

    def __init__(self, folder: Path, src_tok: Tokenizer, tgt_tok: Tokenizer):
        self.src_tok, self.tgt_tok = src_tok, tgt_tok
        sides = {}
        for name, tok in (("src", src_tok), ("tgt", tgt_tok)):
            offsets = np.load(folder / f"train.{name}.offsets.npy")
            path = folder / f"train.{name}.ids"
            dtype = _id_dtype(tok.vocab_size)
            ids = np.memmap(path, dtype=dtype, mode="r") if path.stat().st_size else np.zeros(0, dtype)
            sides[name] = CachedSide(ids, offsets, bos=name == "tgt")
        self.src, self.tgt = sides["src"], sides["tgt"]
        self.pairs = CachedPairs(self)

    @property
    def lengths(self) -> np.ndarray:
        """(N, 2) source and target lengths as the trainer counts them (with <eos>; the
        target input with <bos>)."""
        return np.stack([self.src.lengths() + 1, self.tgt.lengths() + 1], axis=1)

    def batches(self, batch_tokens: int, rng: np.random.Generator) -> list[np.ndarray]:
        return bucket_batches(self.lengths, batch_tokens, rng)

    def fingerprint(self) -> str:
        """A hash of the id arrays and offsets (``Trainer.corpus_fingerprint`` of a cache)."""
        h = hashlib.sha256()
        for side in (self.src, self.tgt):
            h.update(side.offsets.tobytes())
            for start in range(0, len(side.ids), 1 << 24):
                h.update(np.ascontiguousarray(side.ids[start:start + (1 << 24)]).tobytes())
        return h.hexdigest()[:32]


def bucket_batches(lengths: np.ndarray, batch_tokens: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Batches of pairs with the same longer side, ``batch_tokens // length`` pairs each
    (at least one), in random order; vectorised for millions of pairs."""
    longest = lengths.max(axis=1)
    order = rng.permutation(len(longest))
    order = order[np.argsort(longest[order], kind="stable")]
    ordered = longest[order]
    cuts = np.flatnonzero(np.diff(ordered)) + 1
    batches: list[np.ndarray] = []
    for lo, hi in zip(np.r_[0, cuts], np.r_[cuts, len(order)]):
        size = max(1, batch_tokens // int(ordered[lo]))
        batches.extend(order[s:min(s + size, hi)] for s in range(lo, hi, size))
    rng.shuffle(batches)
    return batches


def tokenizer_key(kind: str | tuple[str, str], vocab_size: int | None | tuple[int | None, int | None]) -> str:
    """The tokenizer part of a cache key: the kind and vocabulary size of each side
    ("bpe8000", or "bpe6000.char" when the sides differ)."""
    parts = [f"{k}{v or ''}" for k, v in zip(_per_side(kind), _per_side(vocab_size))]
    return parts[0] if parts[0] == parts[1] else ".".join(parts)


def cache_key(digest: str, kind: str | tuple[str, str], vocab_size: int | None | tuple[int | None, int | None],
              max_len: int, tokenizers: tuple[Tokenizer, Tokenizer] | None, valid_size: int,
              test_size: int) -> str:
    if tokenizers is not None:
        tok = hashlib.blake2b(json.dumps([t.to_dict() for t in tokenizers], sort_keys=True,
                                         ensure_ascii=False).encode("utf-8"), digest_size=8).hexdigest()
    else:
        tok = tokenizer_key(kind, vocab_size)
    return f"{digest[:20]}-{tok}-len{max_len}-v{valid_size}-t{test_size}-{VERSION}"


def _file_paths(paths: str | os.PathLike | Sequence[str]) -> list[str]:
    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    paths = [os.fspath(p) for p in paths]
    if len(paths) not in (1, 2):
        raise CorpusError(f"expected one TSV file or two line-aligned files, got {len(paths)} paths")
    return paths


def open_cache(paths: str | Sequence[str], cache_dir: str | os.PathLike, *,
               kind: str | tuple[str, str] = "word",
               vocab_size: int | None | tuple[int | None, int | None] = None, max_len: int = 128,
               tokenizers: tuple[Tokenizer, Tokenizer] | None = None, valid_size: int = 500,
               test_size: int = 1000, progress: Progress | None = None,
               digest: str | None = None) -> tuple[Corpus, dict, Path]:
    """The corpus (valid and test pairs in memory; train empty), its encoded splits for
    ``Trainer(data=...)`` and the cache folder; tokenizing the files first when no cache
    of them with these settings exists. ``kind`` and ``vocab_size``: one for both sides
    or a (source, target) pair. ``tokenizers`` (src, tgt): use these instead of building
    them (a resumed checkpoint's). ``digest``: the files' :func:`file_digest`, when known."""
    from model.train import encode_pairs

    paths = _file_paths(paths)
    if any(k not in VOCAB_KINDS + ("bpe",) for k in _per_side(kind)):
        raise ValueError(f"tokenizer kind must be word, char or bpe, not {kind!r}")
    t0 = time.perf_counter()
    digest = digest or file_digest(paths)
    root = Path(cache_dir)
    folder = root / cache_key(digest, kind, vocab_size, max_len, tokenizers, valid_size, test_size)
    if not (folder / "meta.json").is_file():
        if progress is not None:
            progress(f"no token cache for {', '.join(paths)} yet: tokenizing it into {folder}")
        tmp = root / (folder.name + f".building-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        try:
            build(paths, tmp, kind, vocab_size, max_len, tokenizers, valid_size, test_size, progress)
            if (folder / "meta.json").is_file():  # another process (a shared disk) finished first
                shutil.rmtree(tmp)
            else:
                shutil.rmtree(folder, ignore_errors=True)  # an interrupted build
                os.replace(tmp, folder)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    elif progress is not None:
        progress(f"token cache {folder} (hashed the corpus in {time.perf_counter() - t0:.1f}s)")
    meta = json.loads((folder / "meta.json").read_text())
    src_tok = Tokenizer.load(str(folder / "src_tokenizer.json"))
    tgt_tok = Tokenizer.load(str(folder / "tgt_tokenizer.json"))
    valid, test = _read_pairs_tsv(folder / "valid.tsv"), _read_pairs_tsv(folder / "test.tsv")
    name = " + ".join(os.path.basename(p) for p in paths)
    corpus = Corpus(name, src_tok.lang, tgt_tok.lang, [], valid, test, skipped=meta["skipped"],
                    filtered=meta["filtered"])
    data = {"train": CachedEncoded(folder, src_tok, tgt_tok),
            "valid": encode_pairs(valid, src_tok, tgt_tok, max_len),
            "test": encode_pairs(test, src_tok, tgt_tok, max_len)}
    return corpus, data, folder


@dataclasses.dataclass(frozen=True)
class StreamStats:
    """What :func:`corpus_stats` saw: each side of the training split as a cache of these
    files splits it, and how many pairs each split has (before the max_len filter)."""

    src: SideStats
    tgt: SideStats
    train: int
    valid: int
    test: int
    skipped: int
    digest: str

    def split_line(self) -> str:
        return (f"split: {self.train:,} training, {self.valid:,} validation, {self.test:,} test pairs "
                "(by a hash of each source sentence; --valid-size/--test-size change it)")


STATS_WORD_LIMIT = 100_000  # distinct words counted per side (the choices stop growing at ~20,000)


def corpus_stats(paths: str | Sequence[str], cache_dir: str | os.PathLike, *, valid_size: int = 500,
                 test_size: int = 1000, digest: str | None = None,
                 progress: Progress | None = None) -> StreamStats:
    """The statistics :func:`model.defaults.choose` looks at, of the training split a token
    cache of these files holds, read as a stream (one pass, memory bounded) and
    remembered in ``cache_dir`` (``<file hash>-stats-...json``) for the next run."""
    paths = _file_paths(paths)
    t0 = time.perf_counter()
    digest = digest or file_digest(paths)
    root = Path(cache_dir)
    path = root / f"{digest[:20]}-stats-v{valid_size}-t{test_size}-{VERSION}.json"
    if path.is_file():
        try:
            d = json.loads(path.read_text())
            return StreamStats(SideStats(**d["src"]), SideStats(**d["tgt"]), d["train"], d["valid"], d["test"],
                               d["skipped"], digest)
        except (ValueError, KeyError, TypeError):
            pass  # written by another version: counted again
    if progress is not None:
        progress(f"reading {', '.join(paths)} for the default choices (once: remembered in {path})")
    total, p_test, p_valid = _split_probs(paths, valid_size, test_size)
    langs = _languages(paths, _first_pairs(paths))
    counters = [SideCounter(lang, word_limit=STATS_WORD_LIMIT) for lang in langs]
    counts = {"train": 0, "valid": 0, "test": 0}
    stats = {"skipped": 0}
    shown = time.perf_counter()
    for src, tgt in stream_pairs(paths, stats):
        split = split_of(src, p_test, p_valid)
        counts[split] += 1
        if split == "train":
            counters[0].add(src)
            counters[1].add(tgt)
        if progress is not None and time.perf_counter() - shown >= PROGRESS_S:
            shown = time.perf_counter()
            _progress_line(progress, sum(counts.values()) + stats["skipped"], total, t0,
                           doing="reading the corpus for the default choices")
    result = StreamStats(counters[0].result(), counters[1].result(), counts["train"], counts["valid"],
                         counts["test"], stats["skipped"], digest)
    root.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".{os.getpid()}")
    tmp.write_text(json.dumps({"src": dataclasses.asdict(result.src), "tgt": dataclasses.asdict(result.tgt),
                               **counts, "skipped": stats["skipped"]}, indent=1))
    os.replace(tmp, path)
    return result


def choose_streamed(spec: str | Sequence[str], cache_dir: str | os.PathLike, *, valid_size: int = 500,
                    test_size: int = 1000, minutes: float | None = None, steps: int | None = None,
                    speed=None, device: str = "cpu",
                    progress: Progress | None = None) -> tuple[Choice, StreamStats]:
    """:func:`model.defaults.choose` for corpus files trained through a token cache: the
    same choices from the same statistics, taken from the cache's own training split
    (:func:`corpus_stats`), so that the tokenizer of each side, the model and the schedule
    are chosen as they would be without the cache."""
    stats = corpus_stats(_paths_of(spec), cache_dir, valid_size=valid_size, test_size=test_size,
                         progress=progress)
    if not stats.train:
        raise CorpusError(f"{_paths_of(spec)[0]}: no usable training pairs")
    choice = choose_from_stats(stats.src, stats.tgt, stats.train, minutes=minutes, steps=steps, speed=speed,
                               device=device)
    return choice, stats


def stderr_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _paths_of(spec: str | Sequence[str]) -> list[str]:
    from model.corpus import BUILTIN_PREFIX

    paths = [spec] if isinstance(spec, str) else list(spec)
    if any(str(p).startswith(BUILTIN_PREFIX) for p in paths):
        raise CorpusError("--token-cache reads corpus files; a built-in corpus is generated in memory "
                          "(write it to a TSV file first)")
    return paths


def trainer_from_cache(spec: str | Sequence[str], cache_dir: str, tokenizer: str | tuple[str, str],
                       vocab_size: int | None | tuple[int | None, int | None], model_fields: dict[str, Any],
                       train_cfg, progress: Progress | None = stderr_progress, *, valid_size: int = 500,
                       test_size: int = 1000, digest: str | None = None):
    """A fresh Trainer on a corpus file through its token cache (built first if missing).
    ``tokenizer`` and ``vocab_size``: one for both sides or a (source, target) pair (as
    :func:`choose_streamed` chooses them)."""
    from model.config import ModelConfig
    from model.train import Trainer

    paths = _paths_of(spec)
    max_len = ModelConfig.from_dict({"src_vocab": 1, "tgt_vocab": 1, **model_fields}).max_len
    corpus, data, _ = open_cache(paths, cache_dir, kind=tokenizer, vocab_size=vocab_size, max_len=max_len,
                                 valid_size=valid_size, test_size=test_size, progress=progress, digest=digest)
    src_tok, tgt_tok = data["train"].src_tok, data["train"].tgt_tok
    fields = {**model_fields, "src_vocab": src_tok.vocab_size, "tgt_vocab": tgt_tok.vocab_size}
    return Trainer(corpus, src_tok, tgt_tok, ModelConfig.from_dict(fields), train_cfg,
                   corpus_spec=" ".join(paths), data=data)


def resume_from_cache(checkpoint: str, cache_dir: str, device: str | None,
                      progress: Progress | None = stderr_progress, *, valid_size: int = 500,
                      test_size: int = 1000):
    """Trainer.from_checkpoint on the checkpoint's corpus files through a token cache made
    with the checkpoint's tokenizers (and split with ``valid_size``/``test_size``, as the
    run was)."""
    from model.checkpoint import load_checkpoint
    from model.train import Trainer

    ckpt = load_checkpoint(checkpoint)
    spec = ckpt.corpus
    paths = [spec] if os.path.isfile(spec) else spec.split(" ")
    tokenizers = (ckpt.src_tokenizer, ckpt.tgt_tokenizer)
    ckpt_max_len = ckpt.model_config.max_len
    del ckpt
    corpus, data, _ = open_cache(_paths_of(paths), cache_dir, kind=tokenizers[0].kind,
                                 max_len=ckpt_max_len, tokenizers=tokenizers, valid_size=valid_size,
                                 test_size=test_size, progress=progress)
    return Trainer.from_checkpoint(checkpoint, corpus=corpus, device=device, data=data)
