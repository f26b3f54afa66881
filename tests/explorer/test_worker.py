"""The worker thread and the Session: typed requests in, replies to the asker, the training
stream broadcast, throttling, errors, shutdown."""
from __future__ import annotations

import math
import sys
import time

import torch

from explorer import requests as rq
from explorer.session import Session
from explorer.worker import EMIT_INTERVAL_S, SWITCH_INTERVAL_S
from model.config import TrainConfig
from tests.tiny import tiny_corpus

TINY_MODEL = {"d_model": 16, "n_heads": 2, "n_layers": 1, "d_ff": 32, "dropout": 0.0, "max_len": 40}
TINY_TRAIN = TrainConfig(batch_tokens=200, warmup=20, eval_every=0, eval_sentences=4, device="cpu")


def tiny_factory(train_cfg: TrainConfig = TINY_TRAIN, poison: bool = False):
    """A callable that builds a tiny Trainer (it runs in the worker thread)."""
    corpus = tiny_corpus()

    def build():
        from model.train import Trainer

        trainer = Trainer.from_corpus(corpus, tokenizer="word", model_config=TINY_MODEL, train_cfg=train_cfg)
        if poison:  # a NaN weight makes every loss NaN
            with torch.no_grad():
                next(trainer.model.parameters()).fill_(math.nan)
        return trainer

    return build


class Recorder:
    """Collects what a Session emits."""

    def __init__(self, session: Session) -> None:
        self.steps, self.batches, self.states, self.errors = [], [], [], []
        self.traces, self.models = [], []
        session.sig_step.connect(self.steps.append)
        session.sig_steps.connect(self.batches.append)
        session.sig_state.connect(self.states.append)
        session.sig_error.connect(lambda m, d: self.errors.append((m.text(), d.text())))
        session.sig_trace.connect(self.traces.append)
        session.sig_model_changed.connect(self.models.append)

    def all_reports(self):
        return [r for batch in self.batches for r in batch]


def build(qtbot, session, rec, **kwargs):
    session.build(tiny_factory(**kwargs))
    qtbot.waitUntil(lambda: bool(rec.models and rec.traces) and not session.pending, timeout=20000)
    rec.traces.clear()


def test_step_advances_exactly_one_step(qtbot, session):
    rec = Recorder(session)
    build(qtbot, session, rec)
    assert rec.models[0].step == 0 and rec.models[0].new_model
    assert rec.models[0].model_config.d_model == TINY_MODEL["d_model"]
    session.step(1)
    qtbot.waitUntil(lambda: bool(rec.steps), timeout=20000)
    qtbot.wait(200)
    assert [r.step for r in rec.steps] == [1]
    assert math.isfinite(rec.steps[0].loss) and rec.steps[0].tokens > 0
    assert session.history == rec.steps
    assert session.unsaved_steps == 1


def test_stepping_shows_every_step(qtbot, session):
    rec = Recorder(session)
    build(qtbot, session, rec)
    session.step(4)
    qtbot.waitUntil(lambda: len(rec.steps) == 4, timeout=20000)
    assert [r.step for r in rec.steps] == [1, 2, 3, 4]
    assert all(len(b) == 1 for b in rec.batches)
    qtbot.waitUntil(lambda: bool(rec.traces), timeout=20000)  # the probe is traced once stepping ends
    assert rec.traces[-1].step == 4


def test_a_long_step_n_traces_the_probe_on_the_way(qtbot, session, monkeypatch):
    """The views follow a Step N as they follow Play: the probe is traced whenever it is
    due (here: after every step), not only once the steps end."""
    import explorer.worker as worker

    rec = Recorder(session)
    build(qtbot, session, rec)
    monkeypatch.setattr(worker, "PROBE_INTERVAL_S", 0.0)
    monkeypatch.setattr(worker, "PROBE_BUDGET", 1e9)
    session.step(6)
    qtbot.waitUntil(lambda: len(rec.steps) == 6 and bool(rec.traces) and rec.traces[-1].step == 6,
                    timeout=20000)
    assert any(t.step < 6 for t in rec.traces), [t.step for t in rec.traces]


def test_play_is_throttled_and_pause_stops(qtbot, session):
    rec = Recorder(session)
    build(qtbot, session, rec)
    start = time.monotonic()
    session.play()
    qtbot.waitUntil(lambda: rec.states == ["playing"], timeout=20000)
    qtbot.wait(1000)
    session.pause()
    qtbot.waitUntil(lambda: rec.states == ["playing", "paused"], timeout=20000)
    elapsed = time.monotonic() - start
    reports = rec.all_reports()
    # Every step arrives exactly once and in order, however the batches were cut.
    assert [r.step for r in reports] == list(range(1, len(reports) + 1))
    # ... but the UI heard about them at most ~20 times a second.
    assert len(rec.steps) <= elapsed / EMIT_INTERVAL_S + 2
    stopped_at = session.history[-1].step
    qtbot.wait(300)
    assert session.history[-1].step == stopped_at


def test_play_until_target_stops_there(qtbot, session):
    rec = Recorder(session)
    build(qtbot, session, rec)
    session.play(until=5)
    qtbot.waitUntil(lambda: rec.states == ["playing", "paused"], timeout=20000)
    assert [r.step for r in rec.all_reports()] == [1, 2, 3, 4, 5]


def test_error_is_reported_and_worker_goes_on(qtbot, session, tmp_path):
    rec = Recorder(session)
    build(qtbot, session, rec)
    missing = tmp_path / "missing.safetensors"
    session.load_checkpoint(str(missing))
    qtbot.waitUntil(lambda: bool(rec.errors), timeout=20000)
    message, details = rec.errors[0]
    assert str(missing) in message and "Traceback" in details
    session.step(1)
    qtbot.waitUntil(lambda: bool(rec.steps), timeout=20000)
    assert rec.steps[0].step == 1


def test_nonfinite_loss_pauses_and_says_so(qtbot, session):
    rec = Recorder(session)
    build(qtbot, session, rec, poison=True)
    session.play()
    qtbot.waitUntil(lambda: bool(rec.errors), timeout=20000)
    qtbot.waitUntil(lambda: rec.states[-1:] == ["paused"], timeout=20000)
    assert "loss" in rec.errors[0][0] and "paused" in rec.errors[0][0].lower()
    reports = rec.all_reports()
    assert len(reports) == 1 and reports[0].nonfinite and reports[0].step == 0
    assert session.unsaved_steps == 0


def test_trace_embeddings_and_slow_motion_answer_the_one_who_asked(qtbot, session):
    rec = Recorder(session)
    build(qtbot, session, rec)
    replies = [session.request_trace("the dog sleeps ."), session.request_embeddings("tgt"),
               session.step_slow()]
    assert [type(r) for r in session.pending] == [rq.Trace, rq.Embeddings, rq.StepSlow]
    qtbot.waitUntil(lambda: all(r.finished for r in replies), timeout=20000)
    trace, emb, detail = (r.result for r in replies)
    tok = session.src_tokenizer
    assert trace.src_tokens == tuple(tok.id_to_token(i) for i in tok.encode("the dog sleeps .", add_eos=True))
    assert trace not in rec.traces  # a requested trace is not broadcast; the probe's are
    assert emb.matrix.shape == (session.model_config.tgt_vocab, TINY_MODEL["d_model"])
    assert len(emb.tokens) == emb.matrix.shape[0]
    assert detail.report.step == 1 and rec.steps[-1] is detail.report
    assert not session.pending


def test_a_failed_request_fails_its_reply_and_is_reported(qtbot, session, tmp_path):
    rec = Recorder(session)
    build(qtbot, session, rec)
    reply = session.load_checkpoint(str(tmp_path / "missing.safetensors"))
    failed = []
    reply.sig_failed.connect(failed.append)
    qtbot.waitUntil(lambda: reply.finished, timeout=20000)
    assert failed and reply.error is failed[0] and "missing.safetensors" in failed[0].text()
    assert rec.errors and rec.errors[0][0] == failed[0].text()


def test_requests_are_typed():
    import pytest

    from explorer.worker import TrainingWorker

    with pytest.raises(TypeError):
        TrainingWorker().submit("trace")  # the strings of old are refused
    assert rq.Trace("a").id != rq.Trace("a").id and rq.Trace("a") == rq.Trace("a")
    assert rq.Load("x").trains and rq.Load("x").loading and not rq.Trace("x").trains


def test_shutdown_while_playing_is_quick(qtbot):
    session = Session()
    rec = Recorder(session)
    build(qtbot, session, rec)
    session.play()
    qtbot.waitUntil(lambda: len(rec.all_reports()) >= 2, timeout=20000)
    start = time.monotonic()
    assert session.shutdown(2.0)
    assert time.monotonic() - start < 2.0


def test_the_gil_changes_hands_quickly_only_while_the_worker_runs(qtbot):
    """A short switch interval lets the UI thread get the GIL back soon after each Qt call
    while the worker trains; Python's own interval comes back when the worker ends."""
    before = sys.getswitchinterval()
    session = Session()
    rec = Recorder(session)
    build(qtbot, session, rec)
    assert sys.getswitchinterval() == SWITCH_INTERVAL_S < before
    assert session.shutdown(2.0)
    assert sys.getswitchinterval() == before


def test_the_app_opens_the_shipped_checkpoint():
    from explorer.worker import default_checkpoint, default_trainer

    path = default_checkpoint()
    assert path is not None and path.name == "en-de.safetensors"
    trainer, message = default_trainer()
    assert trainer.step_count > 0 and path.name in message.text()
    assert trainer.translate(["The small dog sees the red cat."]) == ["Der kleine Hund sieht die rote Katze."]


def test_a_loaded_checkpoint_keeps_a_timeline(qtbot, tmp_path):
    from explorer.worker import SNAPSHOT_EVERY, TrainingWorker
    from tests.tiny import tiny_trainer

    trainer = tiny_trainer()
    path = trainer.save(tmp_path / "t.safetensors")
    assert trainer.train_cfg.snapshot_every == 0
    worker = TrainingWorker()
    with qtbot.waitSignal(worker.sig_model_changed, timeout=20000) as changed:
        worker.start()
        worker.submit(rq.Load(str(path)))
    assert changed.args[0].train_config.snapshot_every == SNAPSHOT_EVERY
    worker.stop()


def test_contextual_states_come_back_as_an_embedding_snapshot(qtbot):
    from explorer.worker import TrainingWorker
    from tests.tiny import TINY_MODEL, tiny_trainer

    worker = TrainingWorker()
    worker.start()
    try:
        worker.submit(rq.Build(tiny_trainer))
        request = rq.Contextual("src", 1, 4)
        with qtbot.waitSignal(worker.sig_reply, timeout=20000,
                              check_params_cb=lambda i, _v: i == request.id) as got:
            worker.submit(request)
        snap = got.args[1]
        assert snap.name == "src.layer1" and snap.matrix.shape == (len(snap.tokens), TINY_MODEL["d_model"])
        assert "<eos>" not in snap.tokens and len(snap.tokens) > 4
    finally:
        worker.stop()


def test_garbage_is_collected_only_on_the_ui_thread(qtbot):
    import gc

    from explorer.session import Session

    session = Session()
    try:
        # automatic collection is off (it could start in the worker and destroy Qt objects
        # there); a UI-thread timer collects instead
        assert not gc.isenabled()
    finally:
        session.shutdown()


def test_garbage_collection_waits_while_the_worker_makes_a_new_trainer(qtbot, session, tmp_path,
                                                                        monkeypatch):
    from explorer.garbage import collect_garbage_on_ui_thread

    collector = collect_garbage_on_ui_thread()
    calls = []
    suspend, resume = collector.suspend, collector.resume
    monkeypatch.setattr(collector, "suspend", lambda: (calls.append("suspend"), suspend()))
    monkeypatch.setattr(collector, "resume",
                        lambda freeze=True: (calls.append("resume"), resume(freeze)))
    rec = Recorder(session)
    build(qtbot, session, rec)
    qtbot.waitUntil(lambda: len(calls) == 2, timeout=5000)
    assert calls == ["suspend", "resume"] and not collector.suspended
    session.step(1)  # other commands leave collection alone
    qtbot.waitUntil(lambda: bool(rec.steps), timeout=20000)
    session.load_checkpoint(str(tmp_path / "missing.safetensors"))  # fails: resumes all the same
    qtbot.waitUntil(lambda: bool(rec.errors) and len(calls) == 4, timeout=20000)
    assert calls == ["suspend", "resume"] * 2 and not collector.suspended


def test_a_model_folder_opens_for_fine_tuning(qtbot, session, marian_folder):
    """File > Open model folder… (and a dropped folder) load an opus-mt folder; it trains."""
    rec = Recorder(session)
    build(qtbot, session, rec)
    rec.models.clear()
    session.load_checkpoint(str(marian_folder))
    qtbot.waitUntil(lambda: bool(rec.models and rec.traces), timeout=60000)
    info = rec.models[-1]
    assert info.src_tokenizer.kind == "spm" and info.model_config.activation == "silu"
    assert rec.traces[-1].src_tokens[0] == ">>cmn_Hans<<"
    session.step(1)
    qtbot.waitUntil(lambda: bool(rec.steps), timeout=60000)
    assert math.isfinite(rec.steps[-1].loss) and not rec.errors
