"""Training a tokenizer reports how far it has read and can be called off midway: the BPE
trainer pulls the texts through an iterator (in threads of its own) that looks at the
caller's cancel event and at what ``progress`` returns."""
from __future__ import annotations

import threading

import pytest

from model.pairs import Cancelled, cancellable
from model.tokenizer import FEED_CHECK_EVERY, build_tokenizer

TEXTS = [f"the dog {i % 97} sees the cat {i % 89} ." for i in range(12 * FEED_CHECK_EVERY)]


@pytest.mark.parametrize("kind", ["bpe", "word", "char"])
def test_progress_is_reported_up_to_every_text(kind):
    seen = []
    tok = build_tokenizer(kind, TEXTS, "en", progress=seen.append)
    assert seen[0] == (0, len(TEXTS)) and seen[-1] == (len(TEXTS), len(TEXTS))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert tok.vocab_size > 10


def test_bpe_training_stops_when_progress_says_so():
    seen = []

    def progress(value):
        seen.append(value)
        return len(seen) < 3  # called off at the third look

    with pytest.raises(Cancelled):
        build_tokenizer("bpe", TEXTS, "en", progress=progress)
    assert len(seen) == 3 and seen[-1][0] < len(TEXTS)  # stopped long before the end


@pytest.mark.parametrize("kind", ["bpe", "word"])
def test_training_stops_when_the_callers_event_is_set_midway(kind):
    """The event of the thread that asked (the app's worker, a closing window) reaches the
    BPE trainer's own threads."""
    event, seen = threading.Event(), []

    def progress(value):
        seen.append(value)
        if len(seen) == 2:
            event.set()  # as stop() does from the UI thread while the trainer reads

    with cancellable(event), pytest.raises(Cancelled):
        build_tokenizer(kind, TEXTS, "en", progress=progress)
    assert len(seen) == 2 and seen[-1][0] < len(TEXTS)


def test_a_bpe_tokenizer_is_the_same_whether_watched_or_not():
    plain = build_tokenizer("bpe", TEXTS, "en", vocab_size=120)
    watched = build_tokenizer("bpe", TEXTS, "en", vocab_size=120, progress=lambda v: True)
    assert plain.to_dict() == watched.to_dict()
