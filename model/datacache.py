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

The key is a hash of the corpus files' contents and of the tokenizer: its kind and
vocabulary size when it is built from the corpus, or the tokenizer itself (a resumed
checkpoint's), and of ``max_len``. A second run on the same file finds the cache and
starts training after hashing the file and mapping the arrays.

The first read makes one pass: each sentence is split into tokens (word and char
tokenizers; whitespace-separated chunks are tokenized once and remembered), counted, and
written as provisional ids; the vocabulary is then chosen from the counts exactly as
``Tokenizer.train`` does, and the provisional ids are mapped to the final ones in numpy.
BPE needs two passes (learn the merges, then encode in batches).

Held-out pairs: a pair goes to test or valid when a hash of its source sentence falls
below a threshold set so that about ``test_size`` and ``valid_size`` pairs do (each at
most a tenth): the same source sentence always lands in the same split, as with
``load_corpus``. Pairs whose sides do not fit ``max_len`` tokens are left out and counted.

Training batches are bucketed by length (:func:`bucket_batches`): pairs of the same
longest side, in random order, cut into batches of ``batch_tokens // length`` pairs.
"""
from __future__ import annotations

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
from model.tokenizer import BOS, EOS, Tokenizer, build_tokenizer

VERSION = 1
CHUNK_PAIRS = 65_536  # pairs between writes to the id files (and progress reports)
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


class _Side:
    """Provisional ids of one side's training sentences, appended to a file in chunks."""

    def __init__(self, path: Path):
        self.fh = open(path, "wb")  # noqa: SIM115  (closed in finish)
        self.ids: dict[str, int] = {}
        self.tokens: list[str] = []
        self.counts = array("q")
        self.buffer = array("i")
        self.lengths = array("i")

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

    def finish(self) -> None:
        self.flush()
        self.fh.close()


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


def _progress_line(progress: Progress | None, lines: int, total: int, start: float) -> None:
    if progress is not None:
        rate = lines / max(time.perf_counter() - start, 1e-9)
        left = (total - lines) / max(rate, 1e-9)
        progress(f"tokenizing: {lines:,} of {total:,} lines ({100 * lines / max(total, 1):.0f}%), "
                 f"{rate:,.0f} lines/s, about {left:.0f}s left")


def build(paths: Sequence[str], folder: Path, kind: str, vocab_size: int | None, max_len: int,
          tokenizers: tuple[Tokenizer, Tokenizer] | None, valid_size: int, test_size: int,
          progress: Progress | None) -> None:
    """Tokenize the corpus into ``folder`` (see the module docstring)."""
    start = time.perf_counter()
    total = _count_lines(paths[0])
    n_valid, n_test = split_sizes(total, valid_size, test_size)
    p_test, p_valid = n_test / max(total, 1), n_valid / max(total, 1)
    samples: list[tuple[str, str]] = []
    stats = {"skipped": 0, "filtered": 0, "lines": 0}
    held: dict[str, list[SentencePair]] = {"valid": [], "test": []}
    if kind == "bpe" or (tokenizers is not None and tokenizers[0].kind == "bpe"):
        _build_bpe(paths, folder, vocab_size, max_len, tokenizers, (p_test, p_valid), stats, held,
                   samples, total, start, progress)
    else:
        _build_vocab(paths, folder, kind, vocab_size, max_len, tokenizers, (p_test, p_valid), stats,
                     held, samples, total, start, progress)
    for name, pairs in held.items():
        _write_pairs_tsv(folder / f"{name}.tsv", pairs)
    meta = {"version": VERSION, "files": [os.path.abspath(p) for p in paths],
            "pairs": int(np.load(folder / "train.src.offsets.npy", mmap_mode="r").shape[0] - 1),
            "valid": len(held["valid"]), "test": len(held["test"]), "max_len": max_len,
            "build_s": time.perf_counter() - start, **stats}
    (folder / "meta.json").write_text(json.dumps(meta, indent=1))


def _finish_arrays(folder: Path, side: str, lengths: array, table: np.ndarray | None) -> None:
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(np.frombuffer(lengths, dtype=np.int32), out=offsets[1:])
    np.save(folder / f"train.{side}.offsets.npy", offsets)
    if table is not None:
        _remap(folder / f"train.{side}.provisional", folder / f"train.{side}.ids", table)


def _build_vocab(paths, folder, kind, vocab_size, max_len, tokenizers, probs, stats, held, samples,
                 total, start, progress) -> None:
    """Word and char tokenizers: one tokenizing pass, then ids remapped in numpy."""
    sides = {"src": _Side(folder / "train.src.provisional"), "tgt": _Side(folder / "train.tgt.provisional")}
    # Splitting into tokens does not depend on the language (only joining them back does).
    probes = [ChunkTokens(build_tokenizer(kind, [], "und")) for _ in range(2)]
    try:
        for src, tgt in stream_pairs(paths, stats):
            stats["lines"] += 1
            if len(samples) < 50:
                samples.append((src, tgt))
            split = split_of(src, *probs)
            if split != "train":
                held[split].append(SentencePair(src, tgt))
                continue
            s_tokens, t_tokens = probes[0](src), probes[1](tgt)
            keep = _fits(len(s_tokens), len(t_tokens), max_len)
            stats["filtered"] += not keep
            sides["src"].add(s_tokens, keep)
            sides["tgt"].add(t_tokens, keep)
            if keep and len(sides["src"].lengths) % CHUNK_PAIRS == 0:
                for side in sides.values():
                    side.flush()
                _progress_line(progress, stats["lines"] + stats["skipped"], total, start)
    finally:
        for side in sides.values():
            side.finish()
    if not sides["src"].lengths:
        raise CorpusError(f"{paths[0]}: no usable sentence pairs that fit max_len={max_len}")
    langs = _languages(paths, samples)
    if tokenizers is None:
        cls = type(build_tokenizer(kind, [], langs[0]))
        tokenizers = tuple(cls.from_counts(dict(zip(sides[s].tokens, sides[s].counts)), lang, vocab_size)
                           for s, lang in zip(("src", "tgt"), langs))
    for (name, side), tok in zip(sides.items(), tokenizers):
        table = np.array([tok.token_to_id(t) for t in side.tokens] or [0], dtype=_id_dtype(tok.vocab_size))
        _finish_arrays(folder, name, side.lengths, table)
        tok.save(str(folder / f"{name}_tokenizer.json"))


def _build_bpe(paths, folder, vocab_size, max_len, tokenizers, probs, stats, held, samples, total,
               start, progress) -> None:
    """BPE: learn the merges from a first pass over the training pairs (unless given),
    then encode them in batches in a second pass."""
    def train_pairs(count: bool) -> Iterator[tuple[str, str]]:
        for src, tgt in stream_pairs(paths, {"skipped": 0} if not count else stats):
            if count:
                stats["lines"] += 1
                if len(samples) < 50:
                    samples.append((src, tgt))
            split = split_of(src, *probs)
            if split == "train":
                yield src, tgt
            elif count:
                held[split].append(SentencePair(src, tgt))

    if tokenizers is None:
        first = next(stream_pairs(paths, {"skipped": 0}), None)
        if first is None:
            raise CorpusError(f"{paths[0]}: no usable sentence pairs")
        langs = _languages(paths, [first])
        tokenizers = tuple(build_tokenizer("bpe", (pair[i] for pair in train_pairs(False)), lang, vocab_size)
                           for i, lang in enumerate(langs))
    lengths = {"src": array("i"), "tgt": array("i")}
    files = {s: open(folder / f"train.{s}.ids", "wb") for s in lengths}  # noqa: SIM115
    try:
        batch: list[tuple[str, str]] = []

        def flush() -> None:
            enc = [tok._hf.encode_batch([p[i] for p in batch]) for i, tok in enumerate(tokenizers)]
            for s_enc, t_enc in zip(*enc):
                if not _fits(len(s_enc.ids), len(t_enc.ids), max_len):
                    stats["filtered"] += 1
                    continue
                for side, e, tok in (("src", s_enc, tokenizers[0]), ("tgt", t_enc, tokenizers[1])):
                    np.asarray(e.ids, dtype=_id_dtype(tok.vocab_size)).tofile(files[side])
                    lengths[side].append(len(e.ids))
            batch.clear()
            _progress_line(progress, stats["lines"] + stats["skipped"], total, start)

        for pair in train_pairs(True):
            batch.append(pair)
            if len(batch) == CHUNK_PAIRS // 4:
                flush()
        flush()
    finally:
        for fh in files.values():
            fh.close()
    if not lengths["src"]:
        raise CorpusError(f"{paths[0]}: no usable sentence pairs that fit max_len={max_len}")
    for (name, lens), tok in zip(lengths.items(), tokenizers):
        _finish_arrays(folder, name, lens, None)
        tok.save(str(folder / f"{name}_tokenizer.json"))


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


def cache_key(digest: str, kind: str, vocab_size: int | None, max_len: int,
              tokenizers: tuple[Tokenizer, Tokenizer] | None, valid_size: int, test_size: int) -> str:
    if tokenizers is not None:
        tok = hashlib.blake2b(json.dumps([t.to_dict() for t in tokenizers], sort_keys=True,
                                         ensure_ascii=False).encode("utf-8"), digest_size=8).hexdigest()
    else:
        tok = f"{kind}{vocab_size or ''}"
    return f"{digest[:20]}-{tok}-len{max_len}-v{valid_size}-t{test_size}-{VERSION}"


def open_cache(paths: str | Sequence[str], cache_dir: str | os.PathLike, *, kind: str = "word",
               vocab_size: int | None = None, max_len: int = 128,
               tokenizers: tuple[Tokenizer, Tokenizer] | None = None, valid_size: int = 500,
               test_size: int = 1000, progress: Progress | None = None) -> tuple[Corpus, dict, Path]:
    """The corpus (valid and test pairs in memory; train empty), its encoded splits for
    ``Trainer(data=...)`` and the cache folder; tokenizing the files first when no cache
    of them with these settings exists. ``tokenizers`` (src, tgt): use these instead of
    building them (a resumed checkpoint's)."""
    from model.train import encode_pairs

    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    paths = [os.fspath(p) for p in paths]
    if len(paths) not in (1, 2):
        raise CorpusError(f"expected one TSV file or two line-aligned files, got {len(paths)} paths")
    if kind not in ("word", "char", "bpe"):
        raise ValueError(f"tokenizer kind must be word, char or bpe, not {kind!r}")
    t0 = time.perf_counter()
    digest = file_digest(paths)
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


def stderr_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _paths_of(spec: str | Sequence[str]) -> list[str]:
    from model.corpus import BUILTIN_PREFIX

    paths = [spec] if isinstance(spec, str) else list(spec)
    if any(str(p).startswith(BUILTIN_PREFIX) for p in paths):
        raise CorpusError("--token-cache reads corpus files; a built-in corpus is generated in memory "
                          "(write it to a TSV file first)")
    return paths


def trainer_from_cache(spec: str | Sequence[str], cache_dir: str, tokenizer: str, vocab_size: int | None,
                       model_fields: dict[str, Any], train_cfg, progress: Progress | None = stderr_progress):
    """A fresh Trainer on a corpus file through its token cache (built first if missing)."""
    from model.config import ModelConfig
    from model.train import Trainer

    paths = _paths_of(spec)
    max_len = ModelConfig.from_dict({"src_vocab": 1, "tgt_vocab": 1, **model_fields}).max_len
    corpus, data, _ = open_cache(paths, cache_dir, kind=tokenizer, vocab_size=vocab_size, max_len=max_len,
                                 progress=progress)
    src_tok, tgt_tok = data["train"].src_tok, data["train"].tgt_tok
    fields = {**model_fields, "src_vocab": src_tok.vocab_size, "tgt_vocab": tgt_tok.vocab_size}
    return Trainer(corpus, src_tok, tgt_tok, ModelConfig.from_dict(fields), train_cfg,
                   corpus_spec=" ".join(paths), data=data)


def resume_from_cache(checkpoint: str, cache_dir: str, device: str | None,
                      progress: Progress | None = stderr_progress):
    """Trainer.from_checkpoint on the checkpoint's corpus files through a token cache made
    with the checkpoint's tokenizers."""
    from model.checkpoint import load_checkpoint
    from model.train import Trainer

    ckpt = load_checkpoint(checkpoint)
    spec = ckpt.corpus
    paths = [spec] if os.path.isfile(spec) else spec.split(" ")
    tokenizers = (ckpt.src_tokenizer, ckpt.tgt_tokenizer)
    ckpt_max_len = ckpt.model_config.max_len
    del ckpt
    corpus, data, _ = open_cache(_paths_of(paths), cache_dir, kind=tokenizers[0].kind,
                                 max_len=ckpt_max_len, tokenizers=tokenizers, progress=progress)
    return Trainer.from_checkpoint(checkpoint, corpus=corpus, device=device, data=data)
