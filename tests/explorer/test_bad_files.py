"""What a bad or unlucky file does to the app: a checkpoint naming a huge or slow corpus
never holds the window open, and every error about a checkpoint or corpus names the file."""
from __future__ import annotations

import threading
import time

import model.loaders
from tests.explorer.test_app import close_window, make_window
from tests.tiny import tiny_trainer

SLOW_LINE_S = 0.001  # each line of the "slow" corpus: 20,000 lines take 20 s or more


def checkpoint_naming(tmp_path, corpus_spec: str, name: str = "model.safetensors"):
    trainer = tiny_trainer()
    trainer.corpus_spec = corpus_spec
    return trainer.save(tmp_path / name)


def slow_corpus(tmp_path, monkeypatch, lines: int = 20_000):
    """A corpus file whose every line takes SLOW_LINE_S to read (as from a slow disk), and
    an event set once reading has begun."""
    path = tmp_path / "slow.tsv"
    path.write_text("".join(f"the dog {i} sleeps .\tder hund {i} schläft .\n" for i in range(lines)))
    reading = threading.Event()
    real = model.loaders._read_tsv_line

    def read_slowly(*args):
        reading.set()
        time.sleep(SLOW_LINE_S)
        real(*args)

    monkeypatch.setattr(model.loaders, "_read_tsv_line", read_slowly)
    return path, reading


def test_closing_while_a_checkpoints_corpus_loads_returns_at_once(qtbot, tmp_path, monkeypatch):
    corpus, reading = slow_corpus(tmp_path, monkeypatch)
    checkpoint = checkpoint_naming(tmp_path, str(corpus))
    window = make_window(qtbot, tmp_path)
    window.open_path(str(checkpoint))
    assert reading.wait(30)
    start = time.monotonic()
    close_window(window)
    assert time.monotonic() - start < 1.5
    assert window.session._worker.isFinished()  # nothing left running: the process can exit


def test_closing_while_a_corpus_opens_returns_at_once(qtbot, tmp_path, monkeypatch):
    corpus, reading = slow_corpus(tmp_path, monkeypatch)
    window = make_window(qtbot, tmp_path)
    window.open_path(str(corpus))
    assert reading.wait(30)
    start = time.monotonic()
    close_window(window)
    assert time.monotonic() - start < 1.5
    assert window.session._worker.isFinished()
