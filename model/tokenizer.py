"""Tokenizers: text -> tokens -> integer ids -> one-hot vectors, and back.

Four kinds share one interface (:class:`Tokenizer`):

- ``"word"``: words and punctuation marks (Unicode-aware; every CJK character on its own).
- ``"char"``: every character, the space included, so text round-trips exactly.
- ``"bpe"``: byte-pair-encoding subwords trained with the Hugging Face ``tokenizers``
  library; a Metaspace pre-tokenizer marks word starts with "▁" so tokens stay readable.
- ``"spm"``: a pretrained model's SentencePiece segmentation, then a lookup in that model's
  own vocabulary (as Marian's opus-mt models do: their ids are not SentencePiece's ids).

Every tokenizer puts the special tokens at the same ids: <pad>=0, <bos>=1, <eos>=2, <unk>=3.
Text is NFC-normalised, and runs of whitespace count as one space.
A tokenizer serialises to a self-contained JSON dictionary (a checkpoint carries it).
"""
from __future__ import annotations

import base64
import functools
import json
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import numpy as np
from tokenizers import Regex, decoders, models, normalizers, pre_tokenizers, trainers
from tokenizers import Tokenizer as HFTokenizer

from model.pairs import Cancelled, cancel_check

PAD, BOS, EOS, UNK = 0, 1, 2, 3
SPECIALS = ("<pad>", "<bos>", "<eos>", "<unk>")
KINDS = ("word", "char", "bpe")  # the kinds trained here ("spm" comes with a pretrained model)
DEFAULT_BPE_VOCAB = 1000

# Characters written without spaces between them: CJK ideographs, kana, and the
# CJK and full-width punctuation that goes with them.
_WIDE_RANGES = (
    (0x3000, 0x30FF),  # CJK punctuation, hiragana, katakana
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF00, 0xFFEF),  # full-width forms (，！？：)
    (0x20000, 0x3FFFF),  # CJK extensions B and later
)
_WORD_JOINERS = "'’-‐"  # kept inside a word when letters are on both sides (don't, E-Mail)
_NUMBER_JOINERS = ".,:"  # kept inside a number when digits are on both sides (3.5, 1,000)

# Detokenisation: marks written without a space before them, or after them.
_NO_SPACE_BEFORE = set(".,!?;:%)]}»”’…")
_NO_SPACE_AFTER = set("([{«“‘¿¡„‚")
# Per-language changes: German closes quotes with “ ‘; French spaces ? ! ; : and « ».
_LANG_NO_SPACE_BEFORE = {"de": set("“‘"), "fr": set()}
_LANG_SPACE_BEFORE = {"de": set(), "fr": set("?!;:»")}
_LANG_SPACE_AFTER = {"de": set("“‘"), "fr": set("«")}


# The character tests are cached: a corpus repeats a few hundred characters millions of
# times (cached, loading the default model, which tokenises the built-in corpus, takes
# about 2 s less).
@functools.cache
def _is_wide(ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _WIDE_RANGES)


@functools.cache
def _is_word_char(ch: str) -> bool:
    """Letters, digits and combining marks (so "é" written as e + U+0301 stays whole)."""
    return unicodedata.category(ch)[0] in "LNM" and not _is_wide(ch)


@functools.cache
def _is_digit(ch: str) -> bool:
    return unicodedata.category(ch) == "Nd"


def _word_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each word-level token in ``text``: words, single punctuation
    marks and single CJK characters; whitespace separates and is dropped."""
    spans = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        j = i + 1
        if _is_word_char(ch):
            while j < n:
                if _is_word_char(text[j]):
                    j += 1
                elif j + 1 < n and _joins(text[j - 1], text[j], text[j + 1]):
                    j += 2
                else:
                    break
        else:  # punctuation, symbols and CJK characters stand alone
            while j < n and unicodedata.category(text[j])[0] == "M":
                j += 1
        spans.append((i, j))
        i = j
    return spans


def _joins(left: str, mid: str, right: str) -> bool:
    if mid in _WORD_JOINERS:
        return _is_word_char(left) and _is_word_char(right)
    return mid in _NUMBER_JOINERS and _is_digit(left) and _is_digit(right)


def _char_units(text: str) -> list[tuple[str, int, int]]:
    """NFC characters of ``text`` with their spans in ``text``.

    A base character and the combining marks after it are normalised together (e + U+0301
    becomes one "é" spanning both); a run of whitespace becomes one " "; leading and
    trailing whitespace is dropped.
    """
    units = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        if text[i].isspace():
            while j < n and text[j].isspace():
                j += 1
            if units and j < n:
                units.append((" ", i, j))
        else:
            while j < n and unicodedata.category(text[j])[0] == "M":
                j += 1
            units.extend((ch, i, j) for ch in unicodedata.normalize("NFC", text[i:j]))
        i = j
    return units


def _join_words(tokens: Sequence[str], lang: str) -> str:
    """Join word-level tokens with spaces, re-attaching punctuation and CJK text."""
    no_before = _NO_SPACE_BEFORE | _LANG_NO_SPACE_BEFORE.get(lang, set())
    no_before -= _LANG_SPACE_BEFORE.get(lang, set())
    no_after = _NO_SPACE_AFTER - _LANG_SPACE_AFTER.get(lang, set())
    out: list[str] = []
    quote_open = False  # straight double quotes alternate opening and closing
    prev = ""
    for tok in tokens:
        glue = (
            not out
            or tok in no_before
            or prev in no_after
            or (tok == '"' and quote_open)
            or (prev == '"' and quote_open)
            or _is_wide(tok[0])
            or _is_wide(prev[-1])
        )
        if not glue:
            out.append(" ")
        out.append(tok)
        if tok == '"':
            quote_open = not quote_open
        prev = tok
    return "".join(out)


class Tokenizer:
    """Base class: turns text into tokens and ids and back.

    Each kind supplies the vocabulary, :meth:`tokenize_with_offsets`, :meth:`token_to_id`
    and the way tokens join back into text; ids, one-hot vectors and JSON are shared.

    Attributes:
        kind: "word", "char" or "bpe".
        lang: language code ("en", "de", "zh", ...); steers detokenisation.
    """

    kind: str = ""

    def __init__(self, vocab: Sequence[str], lang: str) -> None:
        if tuple(vocab[:len(SPECIALS)]) != SPECIALS:
            raise ValueError(f"vocabulary must start with {SPECIALS}")
        self._vocab = list(vocab)
        self.lang = lang

    # -- to be provided by each kind -------------------------------------------------
    def tokenize_with_offsets(self, text: str) -> list[tuple[str, int, int]]:
        """Tokens of ``text`` as (token, start, end), the span being char offsets into text."""
        raise NotImplementedError

    def token_to_id(self, token: str) -> int:
        """Id of ``token``, or UNK when it is not in the vocabulary."""
        raise NotImplementedError

    def _detokenize(self, tokens: list[str]) -> str:
        raise NotImplementedError

    def _payload(self) -> dict[str, Any]:
        raise NotImplementedError

    # -- shared ------------------------------------------------------------------------
    @property
    def vocab_size(self) -> int:
        """V: number of tokens, specials included."""
        return len(self._vocab)

    def tokens(self) -> list[str]:
        """The vocabulary: ``tokens()[i]`` is the token with id i."""
        return list(self._vocab)

    def tokenize(self, text: str) -> list[str]:
        """Token strings of ``text`` (no specials)."""
        return [tok for tok, _, _ in self.tokenize_with_offsets(text)]

    def encode(self, text: str, add_bos: bool = False, add_eos: bool = False) -> list[int]:
        """Ids of ``text``'s tokens, optionally framed by <bos> and <eos>. Shape: (T,)."""
        ids = [self.token_to_id(tok) for tok in self.tokenize(text)]
        return ([BOS] if add_bos else []) + ids + ([EOS] if add_eos else [])

    def decode(self, ids: Sequence[int], skip_special: bool = True) -> str:
        """Text of ``ids``. With ``skip_special`` <pad>, <bos> and <eos> are left out
        (<unk> stays visible as "<unk>")."""
        tokens = [self.id_to_token(int(i)) for i in ids
                  if not (skip_special and int(i) in (PAD, BOS, EOS))]
        return self._detokenize(tokens)

    def id_to_token(self, i: int) -> str:
        """Token with id ``i``; IndexError outside 0..V-1."""
        if not 0 <= i < len(self._vocab):
            raise IndexError(f"token id {i} outside the vocabulary of {len(self._vocab)}")
        return self._vocab[i]

    def one_hot(self, ids: Sequence[int]) -> np.ndarray:
        """One-hot rows of ``ids``. Shape: (T, V) float32, row t has its single 1 at ids[t]."""
        idx = np.asarray(ids, dtype=np.int64).reshape(-1)
        if idx.size and (idx.min() < 0 or idx.max() >= self.vocab_size):
            raise IndexError(f"ids must lie in 0..{self.vocab_size - 1}")
        out = np.zeros((idx.size, self.vocab_size), dtype=np.float32)
        out[np.arange(idx.size), idx] = 1.0
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable, self-contained description (vocabulary or BPE model included)."""
        return {"kind": self.kind, "lang": self.lang, **self._payload()}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Tokenizer:
        """Rebuild a tokenizer written by :meth:`to_dict`."""
        if d.get("kind") not in _CLASSES:
            raise ValueError(f"unknown tokenizer kind {d.get('kind')!r}")
        return _CLASSES[d["kind"]]._from_payload(d)

    def save(self, path: str) -> None:
        """Write :meth:`to_dict` as UTF-8 JSON."""
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(self.to_dict(), fh, ensure_ascii=False,
                      default=lambda b: base64.b64encode(b).decode("ascii"))  # bytes (spm)

    @classmethod
    def load(cls, path: str) -> Tokenizer:
        """Read a tokenizer written by :meth:`save`."""
        with open(path, encoding="utf-8") as fh:
            return cls.from_dict(json.load(fh))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(lang={self.lang!r}, vocab_size={self.vocab_size})"


class _VocabTokenizer(Tokenizer):
    """A tokenizer whose vocabulary is a plain list (word and char levels)."""

    def __init__(self, vocab: Sequence[str], lang: str) -> None:
        super().__init__(vocab, lang)
        self._ids = {tok: i for i, tok in enumerate(self._vocab)}

    def token_to_id(self, token: str) -> int:
        return self._ids.get(token, UNK)

    def _payload(self) -> dict[str, Any]:
        return {"vocab": list(self._vocab)}

    @classmethod
    def _from_payload(cls, d: dict[str, Any]) -> Tokenizer:
        return cls(d["vocab"], d["lang"])

    @classmethod
    def train(cls, texts: Iterable[str], lang: str, vocab_size: int | None,
              min_freq: int) -> Tokenizer:
        """Vocabulary = specials, then tokens seen at least ``min_freq`` times, most
        frequent first (ties alphabetical), cut to ``vocab_size`` entries in all."""
        probe = cls(SPECIALS, lang)
        return cls.from_counts(Counter(tok for text in texts for tok in probe.tokenize(text)),
                               lang, vocab_size, min_freq)

    @classmethod
    def from_counts(cls, counts: dict[str, int], lang: str, vocab_size: int | None,
                    min_freq: int = 1) -> Tokenizer:
        """The vocabulary :meth:`train` makes from these token counts (streamed corpora
        count their tokens themselves, model/datacache.py)."""
        ranked = sorted((t for t, c in counts.items() if c >= min_freq and t not in SPECIALS),
                        key=lambda t: (-counts[t], t))
        if vocab_size is not None:
            ranked = ranked[:max(vocab_size - len(SPECIALS), 0)]
        return cls(SPECIALS + tuple(ranked), lang)


class WordTokenizer(_VocabTokenizer):
    """Words and punctuation marks; each CJK character is a token of its own."""

    kind = "word"

    def tokenize_with_offsets(self, text: str) -> list[tuple[str, int, int]]:
        return [(unicodedata.normalize("NFC", text[s:e]), s, e) for s, e in _word_spans(text)]

    def _detokenize(self, tokens: list[str]) -> str:
        return _join_words(tokens, self.lang)


class CharTokenizer(_VocabTokenizer):
    """Every character is a token; a space (for any run of whitespace) is one too."""

    kind = "char"

    def tokenize_with_offsets(self, text: str) -> list[tuple[str, int, int]]:
        return _char_units(text)

    def _detokenize(self, tokens: list[str]) -> str:
        return "".join(tokens)


class BpeTokenizer(Tokenizer):
    """Byte-pair-encoding subwords from the Hugging Face ``tokenizers`` library.

    Text is NFC-normalised and whitespace collapsed; the Metaspace pre-tokenizer turns
    spaces into "▁" at word starts and punctuation is split off before BPE merges.
    Characters never seen in training become <unk>.
    """

    kind = "bpe"

    def __init__(self, hf: HFTokenizer, lang: str) -> None:
        super().__init__([hf.id_to_token(i) for i in range(hf.get_vocab_size())], lang)
        hf.encode_special_tokens = True  # "<eos>" typed in text is text, not the special id
        self._hf = hf

    @classmethod
    def train(cls, texts: Iterable[str], lang: str, vocab_size: int | None,
              min_freq: int) -> BpeTokenizer:
        """Learn merges on ``texts`` until ``vocab_size`` tokens (or no pair is left)."""
        hf = HFTokenizer(models.BPE(unk_token=SPECIALS[UNK]))
        hf.normalizer = normalizers.Sequence([
            normalizers.NFC(), normalizers.Replace(Regex(r"\s+"), " "), normalizers.Strip()])
        hf.pre_tokenizer = pre_tokenizers.Sequence(
            [pre_tokenizers.Metaspace(), pre_tokenizers.Punctuation()])
        hf.decoder = decoders.Metaspace()
        trainer = trainers.BpeTrainer(
            vocab_size=vocab_size or DEFAULT_BPE_VOCAB, min_frequency=min_freq,
            special_tokens=list(SPECIALS), show_progress=False)
        hf.train_from_iterator(texts, trainer)
        return cls(hf, lang)

    def tokenize_with_offsets(self, text: str) -> list[tuple[str, int, int]]:
        enc = self._hf.encode(text, add_special_tokens=False)
        return [(tok, s, e) for tok, (s, e) in zip(enc.tokens, enc.offsets)]

    def token_to_id(self, token: str) -> int:
        i = self._hf.token_to_id(token)
        return UNK if i is None else i

    def _detokenize(self, tokens: list[str]) -> str:
        return self._hf.decoder.decode(tokens)

    def _payload(self) -> dict[str, Any]:
        return {"hf": self._hf.to_str()}

    @classmethod
    def _from_payload(cls, d: dict[str, Any]) -> Tokenizer:
        return cls(HFTokenizer.from_str(d["hf"]), d["lang"])


class SentencePieceTokenizer(Tokenizer):
    """SentencePiece segmentation, then a lookup in a separate vocabulary.

    Marian's opus-mt models segment with ``source.spm`` / ``target.spm`` and look the
    pieces up in ``vocab.json``; a piece missing there is <unk>. Multi-target models read
    a target-language token such as ``>>cmn_Hans<<`` first: text starting with one keeps
    it as its first token, and otherwise ``lang_token`` (when set) is put in front.

    Args:
        model: the serialized SentencePiece model (the bytes of a ``.spm`` file).
        vocab: token strings in id order, starting with the project's specials.
        lang: language code.
        lang_token: target-language token put before every text, or "".
    """

    kind = "spm"

    def __init__(self, model: bytes, vocab: Sequence[str], lang: str, lang_token: str = "") -> None:
        import sentencepiece  # here: only this kind needs it

        super().__init__(vocab, lang)
        self._model = bytes(model)
        self._sp = sentencepiece.SentencePieceProcessor(model_proto=self._model)
        self._ids = {tok: i for i, tok in enumerate(self._vocab)}
        if lang_token and lang_token not in self._ids:
            raise ValueError(f"language token {lang_token!r} is not in the vocabulary")
        self.lang_token = lang_token

    @property
    def model_bytes(self) -> bytes:
        """The SentencePiece model, as read from its file."""
        return self._model

    def language_tokens(self) -> list[str]:
        """The vocabulary's target-language tokens (``>>xx<<``), in id order."""
        return [t for t in self._vocab if _is_lang_token(t)]

    def tokenize_with_offsets(self, text: str) -> list[tuple[str, int, int]]:
        head: list[tuple[str, int, int]] = []
        start = 0
        stripped = text.lstrip()
        end = stripped.find("<<") if stripped.startswith(">>") else -1
        if end >= 0:  # the text names its own target language
            start = len(text) - len(stripped)
            head.append((stripped[: end + 2], start, start + end + 2))
            start += end + 2
        elif self.lang_token:
            head.append((self.lang_token, 0, 0))
        rest = text[start:]
        proto = self._sp.encode(rest, return_type="proto")
        # SentencePiece's offsets count UTF-8 bytes: turn them into character offsets.
        char_at = np.cumsum([0] + [len(ch.encode("utf-8")) for ch in rest])
        return head + [
            (p.piece, start + int(np.searchsorted(char_at, p.begin)),
             start + int(np.searchsorted(char_at, p.end)))
            for p in proto.pieces
        ]

    def token_to_id(self, token: str) -> int:
        return self._ids.get(token, UNK)

    def _detokenize(self, tokens: list[str]) -> str:
        # As Marian's tokenizer: runs of pieces through SentencePiece, specials as they are.
        out, run = [], []
        for tok in tokens:
            if tok in SPECIALS or _is_lang_token(tok):
                out.append(self._sp.decode_pieces(run) + tok + " ")
                run = []
            else:
                run.append(tok)
        out.append(self._sp.decode_pieces(run))
        return "".join(out).replace("▁", " ").strip()

    def _payload(self) -> dict[str, Any]:
        # bytes: a checkpoint stores them as a tensor; Tokenizer.save writes them as base64
        return {"spm": self._model, "vocab": list(self._vocab), "lang_token": self.lang_token}

    @classmethod
    def _from_payload(cls, d: dict[str, Any]) -> Tokenizer:
        model = d["spm"]
        if isinstance(model, str):
            model = base64.b64decode(model)
        return cls(model, d["vocab"], d["lang"], d.get("lang_token", ""))

    @classmethod
    def train(cls, texts: Iterable[str], lang: str, vocab_size: int | None,
              min_freq: int) -> Tokenizer:
        raise ValueError("SentencePiece tokenizers come with a pretrained model; they are not trained here")


def _is_lang_token(tok: str) -> bool:
    return len(tok) > 4 and tok.startswith(">>") and tok.endswith("<<")


_CLASSES = {"word": WordTokenizer, "char": CharTokenizer, "bpe": BpeTokenizer,
            "spm": SentencePieceTokenizer}


def build_tokenizer(kind: str, texts: Iterable[str], lang: str, vocab_size: int | None = None,
                    min_freq: int = 1,
                    progress: Callable[[tuple[int, int]], bool | None] | None = None) -> Tokenizer:
    """Train a tokenizer of ``kind`` ("word", "char" or "bpe") on ``texts``.

    The texts are fed to the training through an iterator that, every ``FEED_CHECK_EVERY``
    texts, calls ``progress((texts read, all texts))`` and looks at the calling thread's
    ``model.pairs.cancellable`` event: when that event is set or ``progress`` returns False,
    the training stops there with ``model.pairs.Cancelled`` (a BPE trainer on a huge corpus
    is called off within a few thousand sentences, not after all of them).

    Args:
        vocab_size: most tokens in all, specials included (None: every token seen for word
            and char, DEFAULT_BPE_VOCAB for BPE).
        min_freq: tokens (BPE: merges) seen fewer times are left out.
    """
    if kind not in _CLASSES:
        raise ValueError(f"tokenizer kind must be one of {KINDS}, not {kind!r}")
    texts = list(texts)
    return _CLASSES[kind].train(_Fed(texts, progress), lang, vocab_size, min_freq)


FEED_CHECK_EVERY = 1024  # texts fed to a tokenizer's training between two looks at cancel/progress


class _Fed:
    """``texts`` as fed to a tokenizer's training: iterating checks the cancel event of the
    thread that made it (the BPE trainer iterates in threads of its own) and reports
    progress every FEED_CHECK_EVERY texts."""

    def __init__(self, texts: list[str], progress) -> None:
        self._texts, self._progress, self._check = texts, progress, cancel_check()

    def __iter__(self) -> Iterator[str]:
        texts, total = self._texts, len(self._texts)
        for start in range(0, total, FEED_CHECK_EVERY):
            self._report(start, total)
            yield from texts[start:start + FEED_CHECK_EVERY]
        self._report(total, total)

    def _report(self, done: int, total: int) -> None:
        self._check()
        if self._progress is not None and self._progress((done, total)) is False:
            raise Cancelled("called off")


def token_word_index(text: str, words: Sequence[str],
                     offsets: Sequence[tuple[int, int]]) -> list[int]:
    """Index in ``words`` of the word each token belongs to, or -1 for none.

    ``words`` appear in order in ``text`` (not necessarily space-separated, as in Chinese);
    ``offsets`` are the tokens' (start, end) char spans in ``text``. A token belongs to the
    word its span overlaps most (a BPE "▁Hund" whose span includes the space still maps to
    "Hund"). Used to carry gold word alignments over to any tokenizer's tokens.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for word in words:
        start = text.find(word, pos)
        if start < 0:
            spans.append((0, 0))  # not found: no token can overlap it
            continue
        spans.append((start, start + len(word)))
        pos = start + len(word)
    result = []
    for s, e in offsets:
        best, best_overlap = -1, 0
        for j, (ws, we) in enumerate(spans):
            overlap = min(e, we) - max(s, ws)
            if overlap > best_overlap:
                best, best_overlap = j, overlap
        result.append(best)
    return result
