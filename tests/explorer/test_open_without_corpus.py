"""File > Open opens a checkpoint's model at once and reads its corpus behind it. A checkpoint
whose corpus cannot be read opens for inspection only: the failure names the checkpoint and
its corpus, every inspection request is answered, and training is refused saying why."""
from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from explorer import requests as rq
from tests.tiny import TINY_MODEL, TINY_TRAIN, tiny_corpus


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A checkpoint trained on a corpus file beside it, and that file: (checkpoint, corpus)."""
    from model.train import Trainer

    folder = tmp_path_factory.mktemp("open")
    corpus = folder / "pairs.tsv"
    pairs = tiny_corpus().split("train")[:300]
    corpus.write_text("".join(f"{p.src}\t{p.tgt}\n" for p in pairs), encoding="utf-8")
    trainer = Trainer.from_corpus(str(corpus), tokenizer="word", model_config=TINY_MODEL,
                                  train_cfg=TINY_TRAIN)
    trainer.step()
    return trainer.save(folder / "tiny.safetensors"), corpus


def _unreadable_corpus(corpus, how: str):
    """Make the corpus the checkpoint names unreadable for as long as the test runs."""
    moved = corpus.with_suffix(".away")
    corpus.rename(moved)
    if how == "folder":
        corpus.mkdir()
    return moved


@pytest.mark.parametrize("how", ["missing", "folder"])
def test_a_checkpoint_whose_corpus_cannot_be_read_opens_for_inspection(qtbot, session, saved, how):
    checkpoint, corpus = saved
    moved = _unreadable_corpus(corpus, how)
    try:
        _inspect_without_corpus(qtbot, session, checkpoint, corpus)
    finally:
        if corpus.is_dir():
            corpus.rmdir()
        moved.rename(corpus)


def _inspect_without_corpus(qtbot, session, checkpoint, corpus):
    from explorer.panels.training import TrainingPanel

    panel = TrainingPanel(session)
    qtbot.addWidget(panel)
    models, errors, answers, refusals = [], [], {}, []
    session.sig_model_changed.connect(models.append)
    session.sig_error.connect(lambda m, d: errors.append(m.text()))
    opened = session.load_checkpoint(str(checkpoint))
    qtbot.waitUntil(lambda: opened.finished and bool(errors), timeout=30000)
    assert opened.error is None and models[0].corpus_loading  # the model is open, its corpus being read
    assert models[0].corpus is None and models[0].step == 1
    failure = errors[0]
    assert str(checkpoint) in failure and str(corpus) in failure and "inspection only" in failure
    # then a ModelInfo says it stays for inspection: Play, Step and the rest are off, saying why
    assert len(models) == 2 and not models[1].new_model and not models[1].corpus_loading
    assert models[1].corpus is None and models[1].corpus_error
    training = (panel.play_button, panel.step_button, panel.step_n_button, panel.reset_button,
                panel.evaluate_button, panel.slow.run_button)
    for button in training:
        assert not button.isEnabled()
        assert str(corpus) in button.toolTip() and "inspection only" in button.toolTip()
    assert not panel.play_action.isEnabled() and not panel.step_action.isEnabled()
    assert panel._key(Qt.Key.Key_Space, typing=False) is None  # Space does not try either
    assert panel.lr_check.isEnabled()  # the rest of the panel stays usable

    def ask(name, reply):
        reply.then(lambda value: answers.__setitem__(name, value))

    ask("trace", session.request_trace("the cat sees the dog ."))
    ask("embeddings", session.request_embeddings("src"))
    ask("heads", session.set_heads_off(frozenset({("cross", 0, 0)})))
    ask("compare", session.compare("the cat sees the dog .", None, "heads_off"))
    ask("analyse", session.submit(rq.Analyse(view="rollout", src="the cat sees the dog .")))
    ask("all on", session.set_heads_off(frozenset()))
    qtbot.waitUntil(lambda: len(answers) == 6, timeout=30000)
    assert answers["trace"].src_tokens[:2] == ("the", "cat")
    assert answers["embeddings"].matrix.shape[1] == TINY_MODEL["d_model"]
    assert answers["heads"] == frozenset({("cross", 0, 0)}) and answers["all on"] == frozenset()

    for reply in (session.step(1), session.play(), session.evaluate()):
        reply.sig_failed.connect(lambda m: refusals.append(m.text()))
    qtbot.waitUntil(lambda: len(refusals) == 3, timeout=30000)
    for text in refusals:
        assert str(checkpoint) in text and str(corpus) in text and "inspection only" in text
    assert refusals[0].startswith("Training is refused") and refusals[1].startswith("Training is refused")
    assert session.state == "paused" and session.latest_step is None  # nothing was trained


def test_file_open_answers_a_trace_before_the_corpus_is_read(qtbot, session, saved, monkeypatch):
    """The corpus is read behind the model: a trace is answered while it is held back, a step
    waits for it, and then trains the checkpoint's model on."""
    from model.train import Trainer

    checkpoint, _corpus = saved
    held, original = threading.Event(), Trainer.from_checkpoint

    def slow(*args, **kwargs):
        held.wait(30)
        return original(*args, **kwargs)

    monkeypatch.setattr(Trainer, "from_checkpoint", staticmethod(slow))
    models, traces, steps, errors = [], [], [], []
    session.sig_model_changed.connect(models.append)
    session.sig_step.connect(steps.append)
    session.sig_error.connect(lambda m, d: errors.append(m.text()))
    session.load_checkpoint(str(checkpoint))
    session.request_trace("the cat sees the dog .").then(traces.append)
    session.step(1)
    qtbot.waitUntil(lambda: bool(traces), timeout=30000)
    assert len(models) == 1 and models[0].corpus_loading and not steps
    held.set()
    qtbot.waitUntil(lambda: len(models) == 2 and bool(steps), timeout=30000)
    assert models[1].corpus is not None and steps[0].step == 2 and not errors


def test_opening_another_model_calls_off_a_corpus_being_read(qtbot, session, saved, monkeypatch):
    """A corpus still being read does not hold up the next File > Open: it is called off."""
    from model import pairs
    from model.train import Trainer

    checkpoint, _corpus = saved
    started, called_off, original = threading.Event(), threading.Event(), Trainer.from_checkpoint

    def endless(*args, **kwargs):  # a corpus that never ends, read until called off
        started.set()
        try:
            while True:
                pairs.check_cancelled()
                threading.Event().wait(0.01)
        except pairs.Cancelled:
            called_off.set()
            raise

    monkeypatch.setattr(Trainer, "from_checkpoint", staticmethod(endless))
    models = []
    session.sig_model_changed.connect(models.append)
    session.load_checkpoint(str(checkpoint))
    qtbot.waitUntil(started.is_set, timeout=30000)
    monkeypatch.setattr(Trainer, "from_checkpoint", staticmethod(original))
    session.load_checkpoint(str(checkpoint))
    qtbot.waitUntil(lambda: called_off.is_set() and len(models) >= 3, timeout=30000)
    assert models[-1].corpus is not None and not models[-1].new_model
