"""The shipped checkpoint's model answers traces as soon as its weights are in; the trainer
(corpus, encoded splits, optimiser) follows in the background; the model form says it is
loading."""
from __future__ import annotations

import threading

import pytest

from explorer import requests as rq
from model.config import TrainConfig
from tests.tiny import TINY_MODEL

SPEC = "builtin:en-de:300"  # a small corpus, read again quickly from the checkpoint's spec
TRAIN = TrainConfig(batch_tokens=256, warmup=20, eval_every=0, eval_sentences=4, device="cpu")


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    from model.train import Trainer

    trainer = Trainer.from_corpus(SPEC, tokenizer="word", model_config=TINY_MODEL, train_cfg=TRAIN)
    trainer.step()
    trainer.set_probe("the dog sees the cat .")
    trainer._history_snapshot()  # a history with its fixed sentences, as shipped models have
    return trainer.save(tmp_path_factory.mktemp("ckpt") / "tiny.safetensors")


@pytest.fixture(autouse=True)
def shipped(monkeypatch, checkpoint):
    """The tiny checkpoint stands for the shipped one (what the app opens at start)."""
    monkeypatch.setattr("explorer.worker.default_checkpoint", lambda: checkpoint)


@pytest.fixture
def gate(monkeypatch):
    """Holds the background trainer back until set."""
    from model.train import Trainer

    opened = threading.Event()
    original = Trainer.from_checkpoint

    def held(*args, **kwargs):
        opened.wait(30)
        return original(*args, **kwargs)

    monkeypatch.setattr(Trainer, "from_checkpoint", staticmethod(held))
    yield opened
    opened.set()


def test_a_trace_request_before_the_corpus_is_in_is_answered(qtbot, session, checkpoint, gate):
    models, steps, traces, errors = [], [], [], []
    session.sig_model_changed.connect(models.append)
    session.sig_step.connect(steps.append)
    session.sig_error.connect(lambda m, d: errors.append(m.text()))
    session.open_default()
    qtbot.waitUntil(lambda: bool(models), timeout=20000)
    first = models[0]
    assert first.corpus is None and first.corpus_loading and first.new_model
    assert first.step == 1 and first.model_config.d_model == TINY_MODEL["d_model"]
    session.request_trace("the cat sees the dog .").then(traces.append)
    session.step(1)  # waits for the trainer
    qtbot.waitUntil(lambda: bool(traces), timeout=20000)
    assert traces[0].src_tokens[:3] == ("the", "cat", "sees") and not steps
    assert len(models) == 1  # the corpus is still being read
    gate.set()
    qtbot.waitUntil(lambda: len(models) == 2 and bool(steps), timeout=30000)
    second = models[1]
    assert second.corpus is not None and not second.corpus_loading and not second.new_model
    assert steps[0].step == 2 and not errors


def test_a_failed_corpus_keeps_the_model_for_inspecting(qtbot, session, checkpoint, monkeypatch):
    from model.train import Trainer

    def broken(*args, **kwargs):
        raise OSError("no such corpus")

    monkeypatch.setattr(Trainer, "from_checkpoint", staticmethod(broken))
    models, errors, traces = [], [], []
    session.sig_model_changed.connect(models.append)
    session.sig_error.connect(lambda m, d: errors.append(m.text()))
    session.open_default()
    qtbot.waitUntil(lambda: bool(errors), timeout=20000)
    assert "no such corpus" in errors[0]
    session.request_trace("the cat sees the dog .").then(traces.append)
    qtbot.waitUntil(lambda: bool(traces), timeout=20000)
    session.step(1)
    qtbot.waitUntil(lambda: len(errors) == 2, timeout=20000)
    assert "corpus" in errors[1]


def test_requests_a_preview_serves():
    from explorer.staging import PREVIEW_REQUESTS

    assert rq.Trace in PREVIEW_REQUESTS and rq.Step not in PREVIEW_REQUESTS


def test_the_model_form_says_loading_until_a_model_is_in(qtbot, session, checkpoint):
    from explorer.panels.training import TrainingPanel

    training = TrainingPanel(session)
    qtbot.addWidget(training)
    training.show()
    panel = training.setup  # the Data and model form
    for spin in (panel.layers_spin, panel.heads_spin, panel.d_model_spin, panel.d_ff_spin,
                 panel.dropout_spin):
        assert spin.text() == "loading…" and not spin.isEnabled()  # not "1", "8" or "0.00"
    assert panel.pos_combo.currentIndex() == -1 and panel.pos_combo.placeholderText() == "loading…"
    assert panel.corpus_combo.currentText() == ""
    session.open_default()
    qtbot.waitUntil(lambda: session.has_model, timeout=20000)
    assert panel.layers_spin.text() == str(TINY_MODEL["n_layers"]) and panel.layers_spin.isEnabled()
    assert panel.d_model_spin.text() == str(TINY_MODEL["d_model"])
    assert panel.pos_combo.currentData() == "sinusoidal"
    assert panel.corpus_combo.currentText() == SPEC
