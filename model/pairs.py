"""The corpus data contracts that every corpus module shares: ``SentencePair`` and
``CorpusError``. They live here, below model/corpus.py, model/loaders.py and
model/grammar/, so those import them without importing each other.

Reading and encoding a corpus can be called off from another thread: inside
``with cancellable(event):`` they raise ``Cancelled`` soon after ``event`` is set (the app's
worker does this when the window closes, so a huge or slow corpus never holds it open).
"""
from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass


class CorpusError(ValueError):
    """A corpus cannot be loaded. The message is one line naming the file (and line)."""


class Cancelled(Exception):
    """Reading or encoding a corpus was called off (see ``cancellable``)."""


_scope = threading.local()


@contextlib.contextmanager
def cancellable(event: threading.Event) -> Iterator[None]:
    """Within the block, in this thread, ``check_cancelled()`` raises ``Cancelled`` once
    ``event`` is set (by any thread)."""
    previous = getattr(_scope, "event", None)
    _scope.event = event
    try:
        yield
    finally:
        _scope.event = previous


def check_cancelled() -> None:
    """Raise ``Cancelled`` when this thread's ``cancellable`` event is set; called every
    few hundred lines or pairs by long corpus work."""
    event = getattr(_scope, "event", None)
    if event is not None and event.is_set():
        raise Cancelled("called off")


def cancel_check() -> Callable[[], None]:
    """``check_cancelled`` for the calling thread's ``cancellable`` event, to be called from
    any thread: a library that pulls from an iterator in threads of its own (the BPE
    trainer) sees the event of the thread that gave it the iterator."""
    event = getattr(_scope, "event", None)

    def check() -> None:
        if event is not None and event.is_set():
            raise Cancelled("called off")

    return check


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
