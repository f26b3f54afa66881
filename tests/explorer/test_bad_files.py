"""What a bad or unlucky file does to the app: a checkpoint naming a huge or slow corpus
never holds the window open, and every error about a checkpoint or corpus names the file."""
from __future__ import annotations

import os
import threading
import time

import pytest

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


@pytest.mark.parametrize("opened", ["a checkpoint naming it", "the corpus itself"])
def test_closing_while_a_slow_corpus_loads_returns_at_once(qtbot, tmp_path, monkeypatch, opened):
    corpus, reading = slow_corpus(tmp_path, monkeypatch)
    path = checkpoint_naming(tmp_path, str(corpus)) if opened.startswith("a checkpoint") else corpus
    window = make_window(qtbot, tmp_path)
    window.open_path(str(path))
    assert reading.wait(30)
    start = time.monotonic()
    close_window(window)
    assert time.monotonic() - start < 1.5
    assert window.session._worker.isFinished()  # nothing left running: the process can exit


class Answers:
    """A worker that is not started: requests run here, in the test's thread."""

    def __init__(self, trainer=None):
        from explorer.worker import TrainingWorker

        self.worker = TrainingWorker()
        self.worker._trainer = trainer
        self.failures = []
        self.worker.sig_failed.connect(lambda _id, message, details: self.failures.append(message.text()))

    def failure(self, request) -> str:
        self.failures.clear()
        self.worker._execute(request)
        self.worker._take_trainer()  # a checkpoint's corpus is read behind its model: its end
        assert len(self.failures) == 1, request
        return self.failures[0]


def test_every_error_about_a_checkpoint_or_corpus_names_the_file(qapp, tmp_path):
    """Opening a checkpoint whose corpus is gone, refused or unreadable (it opens for
    inspection only) names the checkpoint (not only its corpus), and a save that cannot be written names the destination (not a
    temporary file or a folder above it)."""
    from explorer import requests as rq

    trainer = tiny_trainer()
    answers = Answers(trainer)
    long_lines = tmp_path / "long.tsv"
    long_lines.write_bytes(b"a\tb\n" + b"x" * 70_000 + b"\n")
    for corpus in (str(tmp_path / "gone.tsv"), "gone-relative.tsv", "/dev/zero", str(long_lines)):
        checkpoint = str(checkpoint_naming(tmp_path, corpus, f"names-{len(corpus)}.safetensors"))
        message = answers.failure(rq.Load(checkpoint))
        assert checkpoint in message and corpus in message, message
    answers.worker._trainer = trainer  # the checkpoints above stay open for inspection only
    trainer.corpus_spec = "builtin:en-de"
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    bad_destinations = [tmp_path, a_file / "model.safetensors", a_file / "sub" / "model.safetensors"]
    if os.geteuid() != 0:  # root writes anywhere
        bad_destinations.append(locked / "model.safetensors")
    for destination in bad_destinations:
        message = answers.failure(rq.Save(str(destination)))
        assert message.startswith(f"Could not save {destination}: "), message
        assert ".tmp" not in message and "transformer-explorer-tmp" not in message
    bad_corpus = tmp_path / "binary.tsv"
    bad_corpus.write_bytes(b"\0\1\2")
    for request, path in ((rq.Load(str(tmp_path / "missing.safetensors")), tmp_path / "missing.safetensors"),
                          (rq.Load(str(a_file)), a_file), (rq.OpenCorpus(str(bad_corpus)), bad_corpus),
                          (rq.Load(str(locked)), locked)):
        message = answers.failure(request)
        assert str(path) in message and message.count(str(path)) == 1, message


def test_a_failure_names_the_file_even_when_the_error_does_not(qapp, tmp_path, monkeypatch):
    """Whatever goes wrong while opening (an error of a library that names nothing, an
    empty MemoryError), the message names the file the user opened."""
    from explorer import requests as rq
    from model.train import Trainer

    def fail(*_args, **_kwargs):
        raise MemoryError()

    monkeypatch.setattr("model.preview.Preview", fail)  # reading the checkpoint's model
    monkeypatch.setattr(Trainer, "from_checkpoint", fail)
    monkeypatch.setattr(Trainer, "from_corpus", fail)
    answers = Answers()
    assert answers.failure(rq.Load("/data/model.safetensors")) == \
        "Could not open /data/model.safetensors: MemoryError"
    assert answers.failure(rq.OpenCorpus("/data/pairs.tsv")) == \
        "Could not open the corpus /data/pairs.tsv: MemoryError"


def test_a_blown_up_step_says_which_step_was_put_back_and_what_to_change(qtbot, session):
    """A learning rate of 1e6: the message says the loss was not finite at which step,
    that the weights of the last good step were put back, the rate, and to lower it."""
    from model import train
    from tests.explorer.test_worker import Recorder, build

    rec = Recorder(session)
    build(qtbot, session, rec)
    session.step(train.GOOD_STATE_EVERY + 3)
    qtbot.waitUntil(lambda: bool(rec.steps) and rec.steps[-1].step == train.GOOD_STATE_EVERY + 3, timeout=30000)
    session.set_lr(1e6)
    session.play()
    qtbot.waitUntil(lambda: bool(rec.errors), timeout=30000)
    qtbot.waitUntil(lambda: rec.states[-1:] == ["paused"], timeout=20000)
    failed = next(r for r in rec.all_reports() if r.nonfinite)
    message = rec.errors[0][0]
    assert failed.restored_step is not None and failed.step == failed.restored_step
    assert f"the weights and optimiser state of step {failed.restored_step}" in message
    assert "paused" in message and "learning rate was 1e+06" in message and "lower it" in message
    at = int(message.split(" at step ")[1].split(" ")[0])
    assert failed.restored_step < at <= train.GOOD_STATE_EVERY + 3 + 10
    assert session.info is not None
