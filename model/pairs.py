"""The corpus data contracts that every corpus module shares: ``SentencePair`` and
``CorpusError``. They live here, below model/corpus.py, model/loaders.py and
model/grammar/, so those import them without importing each other."""
from __future__ import annotations

from dataclasses import dataclass


class CorpusError(ValueError):
    """A corpus cannot be loaded. The message is one line naming the file (and line)."""


@dataclass(frozen=True)
class SentencePair:
    """One translation pair.

    src, tgt: the sentences as text.
    src_words, tgt_words: the generator's words (built-in corpora); () for files.
    alignment: gold links (src_word_index, tgt_word_index) between those words.
    src_classes, tgt_classes: a coarse word class per word ("noun", "verb", "det", ...).
    """

    src: str
    tgt: str
    src_words: tuple[str, ...] = ()
    tgt_words: tuple[str, ...] = ()
    alignment: tuple[tuple[int, int], ...] = ()
    src_classes: tuple[str, ...] = ()
    tgt_classes: tuple[str, ...] = ()
