"""Readers for parallel corpora in files, streamed line by line.

Formats:
- Tatoeba/Anki exports, ``English<TAB>Other<TAB>attribution...``, and plain two-column
  TSV (any columns after the second are ignored);
- two line-aligned files, one sentence per line (Moses style: ``train.en``, ``train.de``).

Files are read in binary, one line at a time, and each line is decoded on its own: a
line that is not UTF-8, has no tab, or has an empty side is skipped and counted, with
the first few (file, line, reason) kept for the user. Reading stops as soon as
max_pairs pairs are found, so the head of a file of hundreds of MB costs almost nothing.
What makes a whole file unusable (missing, a directory or other non-regular file such as
/dev/zero or a pipe, a line over 64 KiB, NUL bytes as in a binary file, empty, files of
different lengths, no usable pair) raises a one-line ``CorpusError``.
"""
from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from model.pairs import CorpusError, SentencePair, check_cancelled

MAX_EXAMPLES = 5
NOT_REGULAR = "not a regular file (a device, pipe or socket); a corpus must be a text file"
MAX_LINE_BYTES = 64 * 1024  # longer lines are refused: a sentence pair is far shorter
CHECK_EVERY = 256  # lines between two looks at whether the reading was called off
# ISO 639-3 codes in Tatoeba/Anki file names (deu.txt, cmn.txt) -> the codes used here.
LANGUAGE_CODES = {
    "eng": "en", "deu": "de", "ger": "de", "cmn": "zh", "zho": "zh", "chi": "zh",
    "fra": "fr", "fre": "fr", "spa": "es", "ita": "it", "por": "pt", "nld": "nl",
    "rus": "ru", "jpn": "ja", "kor": "ko", "tur": "tr", "pol": "pl", "swe": "sv",
}
# two-letter codes read from file names; not those that are common English words ("it", "no")
TWO_LETTER_CODES = frozenset(set(LANGUAGE_CODES.values()) - {"it"} | {"ar", "cs", "da", "el", "fi", "hu", "ro",
                                                                    "th", "uk", "vi"})


@dataclass
class LoadResult:
    """Pairs read from files, and what was left out and why."""

    name: str
    src_lang: str
    tgt_lang: str
    pairs: list[SentencePair]
    skipped: int = 0
    skipped_examples: list[tuple[str, int, str]] = field(default_factory=list)
    filtered: int = 0
    lines: int = 0


def is_cjk(ch: str) -> bool:
    """Han ideographs and kana: scripts written without spaces between words."""
    return "\u3040" <= ch <= "\u30ff" or "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def count_words(text: str) -> int:
    """Words in a sentence: whitespace-separated chunks, where each CJK character counts
    as a word of its own ("我爱你" is 3)."""
    n = 0
    for chunk in text.split():
        cjk = sum(1 for ch in chunk if is_cjk(ch))
        n += cjk + (cjk < len(chunk))
    return n


def normalise(text: str) -> str:
    """Collapse runs of whitespace to one space and trim the ends."""
    return " ".join(text.split())


def guess_language(path: str, samples: Sequence[str], default: str, other: str | None = None) -> str:
    """The language of a file: from a code in its name (deu.txt, cmn-eng.tsv, train.de,
    tatoeba-en-de.tsv), else from the script of its sentences (Han -> zh, kana -> ja), else
    default. ``other``: the language of the other side, which a code in the name of a
    two-language file (eng-cmn.tsv) is not taken for."""
    base = os.path.basename(path).lower()
    for part in re.split(r"[._\-]", base):
        code = LANGUAGE_CODES.get(part) or (part if part in TWO_LETTER_CODES else None)
        if code and code != other:
            return code
    _, dot, ext = base.rpartition(".")
    if dot and len(ext) == 2 and ext.isalpha():
        return ext
    text = "".join(samples)
    if any("\u3040" <= ch <= "\u30ff" for ch in text):
        return "ja"
    if text and sum(map(is_cjk, text)) > len(text) // 4:
        return "zh"
    return default


def _open_lines(path: str) -> Iterator[tuple[int, bytes]]:
    """(line number, raw bytes without the line break) for each line, read lazily.
    Only regular files are read (a device such as /dev/zero, a pipe or a socket would
    never end), and a line longer than MAX_LINE_BYTES stops the reading. Raises
    ``model.pairs.Cancelled`` when the reading is called off (``model.pairs.cancellable``)."""
    if os.path.isdir(path):
        raise CorpusError(f"{path}: is a directory, not a corpus file")
    try:
        # checked before opening too: opening a pipe waits for a writer
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise CorpusError(f"{path}: {NOT_REGULAR}")
        with open(path, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise CorpusError(f"{path}: {NOT_REGULAR}")
            number = 0
            while raw := fh.readline(MAX_LINE_BYTES + 1):
                number += 1
                if not number % CHECK_EVERY:
                    check_cancelled()
                if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                    raise CorpusError(f"{path}: line {number} is longer than {MAX_LINE_BYTES // 1024} KiB; "
                                      "a corpus has one sentence (pair) a line")
                if b"\0" in raw:
                    raise CorpusError(f"{path}: line {number}: NUL byte; this looks like a "
                                      "binary file, not text")
                yield number, raw.rstrip(b"\r\n")
    except FileNotFoundError:
        raise CorpusError(f"{path}: no such file") from None
    except OSError as err:
        raise CorpusError(f"{path}: cannot read ({err.strerror or err})") from None


def _decode(raw: bytes, number: int) -> tuple[str | None, str]:
    """(text, "") or (None, reason)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        return None, f"not UTF-8 (byte 0x{raw[err.start]:02x} at column {err.start + 1})"
    if number == 1:
        text = text.removeprefix("\ufeff")
    return text, ""


class _Collector:
    """Accepts candidate pairs, applying max_len and dedupe, and records skipped lines."""

    def __init__(self, max_pairs: int | None, max_len: int | None, dedupe: bool):
        self.max_pairs, self.max_len, self.dedupe = max_pairs, max_len, dedupe
        self.pairs: list[SentencePair] = []
        self.seen: set[tuple[str, str]] = set()
        self.skipped = 0
        self.examples: list[tuple[str, int, str]] = []
        self.filtered = 0
        self.lines = 0

    def skip(self, path: str, number: int, reason: str) -> None:
        self.skipped += 1
        if len(self.examples) < MAX_EXAMPLES:
            self.examples.append((path, number, reason))

    def add(self, src: str, tgt: str) -> None:
        if self.max_len is not None and max(count_words(src), count_words(tgt)) > self.max_len:
            self.filtered += 1
            return
        if self.dedupe:
            if (src, tgt) in self.seen:
                self.filtered += 1
                return
            self.seen.add((src, tgt))
        self.pairs.append(SentencePair(src, tgt))

    @property
    def full(self) -> bool:
        return self.max_pairs is not None and len(self.pairs) >= self.max_pairs

    def result(self, name: str, paths: Sequence[str], langs: tuple[str, str]) -> LoadResult:
        if self.lines == 0:
            raise CorpusError(f"{paths[0]}: empty file")
        if not self.pairs:
            if self.examples:
                path, number, reason = self.examples[0]
                raise CorpusError(f"{path}: no usable sentence pairs (line {number}: {reason})")
            raise CorpusError(f"{paths[0]}: no sentence pairs with at most {self.max_len} words")
        return LoadResult(name, langs[0], langs[1], self.pairs, self.skipped, self.examples,
                          self.filtered, self.lines)


def _read_tsv_line(path: str, number: int, raw: bytes, out: _Collector) -> None:
    text, reason = _decode(raw, number)
    if text is None:
        out.skip(path, number, reason)
    elif not text.strip():
        out.skip(path, number, "blank line")
    elif "\t" not in text:
        out.skip(path, number, "no tab between the two sentences")
    else:
        src, tgt = (normalise(part) for part in text.split("\t")[:2])
        if not src or not tgt:
            out.skip(path, number, "one side is empty")
        else:
            out.add(src, tgt)


def read_tsv(path: str, *, max_pairs: int | None = None, max_len: int | None = None,
             dedupe: bool = True) -> LoadResult:
    """Pairs from a Tatoeba/Anki export or a two-column TSV file (source first)."""
    out = _Collector(max_pairs, max_len, dedupe)
    lines = _open_lines(path)
    try:
        for number, raw in lines:
            out.lines = number
            _read_tsv_line(path, number, raw, out)
            if out.full:
                break
    finally:
        lines.close()
    sample = [p.tgt for p in out.pairs[:50]]
    src_lang = guess_language("", [p.src for p in out.pairs[:50]], "en")
    langs = (src_lang, guess_language(path, sample, "und", other=src_lang))
    return out.result(os.path.basename(path), [path], langs)


def read_aligned(src_path: str, tgt_path: str, *, max_pairs: int | None = None,
                 max_len: int | None = None, dedupe: bool = True) -> LoadResult:
    """Pairs from two line-aligned files (line n of one translates line n of the other)."""
    out = _Collector(max_pairs, max_len, dedupe)
    src_lines, tgt_lines = _open_lines(src_path), _open_lines(tgt_path)
    try:
        _read_aligned_lines(src_path, tgt_path, src_lines, tgt_lines, out)
    finally:
        src_lines.close()
        tgt_lines.close()
    langs = (guess_language(src_path, [p.src for p in out.pairs[:50]], "en"),
             guess_language(tgt_path, [p.tgt for p in out.pairs[:50]], "und"))
    name = f"{os.path.basename(src_path)} + {os.path.basename(tgt_path)}"
    return out.result(name, [src_path, tgt_path], langs)


def _read_aligned_lines(src_path: str, tgt_path: str, src_lines: Iterator, tgt_lines: Iterator,
                        out: _Collector) -> None:
    number = 0
    while not out.full:
        src_item, tgt_item = next(src_lines, None), next(tgt_lines, None)
        if src_item is None and tgt_item is None:
            return
        if src_item is None or tgt_item is None:
            short, long_ = (src_path, tgt_path) if src_item is None else (tgt_path, src_path)
            raise CorpusError(f"{short}: ends after line {number} but {long_} goes on "
                              f"(line {number + 1}); the files must have the same number of lines")
        number = out.lines = src_item[0]
        sides = []
        for path, (_, raw) in ((src_path, src_item), (tgt_path, tgt_item)):
            text, reason = _decode(raw, number)
            if text is None:
                out.skip(path, number, reason)
                break
            sides.append(normalise(text))
        else:
            if not sides[0] and not sides[1]:
                out.skip(src_path, number, "blank line")
            elif not sides[0] or not sides[1]:
                out.skip(src_path if not sides[0] else tgt_path, number, "empty line")
            else:
                out.add(*sides)


def read_pairs(spec: str | Sequence[str], *, max_pairs: int | None = None,
               max_len: int | None = None, dedupe: bool = True) -> LoadResult:
    """Read a TSV path, or a (source, target) pair of line-aligned paths."""
    if isinstance(spec, (str, os.PathLike)):
        return read_tsv(os.fspath(spec), max_pairs=max_pairs, max_len=max_len, dedupe=dedupe)
    paths = [os.fspath(p) for p in spec]
    if len(paths) == 1:
        return read_tsv(paths[0], max_pairs=max_pairs, max_len=max_len, dedupe=dedupe)
    if len(paths) != 2:
        raise CorpusError(f"expected one TSV file or two line-aligned files, "
                          f"got {len(paths)} paths")
    return read_aligned(paths[0], paths[1], max_pairs=max_pairs, max_len=max_len, dedupe=dedupe)
