"""Heads switched off in the worker: every trace changes, training is refused until all
are on again, and a new model starts with every head on."""
from __future__ import annotations

import numpy as np

from tests.explorer.test_worker import Recorder, tiny_factory


def build(qtbot, session, rec):
    """A tiny model in the worker (a minute allowed: the machine may be loaded)."""
    session.build(tiny_factory())
    qtbot.waitUntil(lambda: bool(rec.models and rec.traces) and not session.pending, timeout=60000)
    rec.traces.clear()

OFF = frozenset({("cross", 0, 0), ("cross", 0, 1)})


def test_heads_off_change_the_traces_and_refuse_training(qtbot, session):
    rec = Recorder(session)
    seen = []
    session.sig_heads_off.connect(seen.append)
    build(qtbot, session, rec)
    assert session.heads_off == frozenset() and seen[-1] == frozenset()
    before = session.request_trace("the dog sees the cat .")
    qtbot.waitUntil(lambda: before.finished, timeout=60000)
    reply = session.set_heads_off(OFF)
    qtbot.waitUntil(lambda: reply.finished and bool(rec.traces), timeout=60000)
    assert reply.result == OFF and session.heads_off == OFF and seen[-1] == OFF
    after = session.request_trace("the dog sees the cat .")
    qtbot.waitUntil(lambda: after.finished, timeout=60000)
    assert np.abs(after.result.cross[0].context).max() == 0.0  # both heads of the block off
    assert np.abs(before.result.cross[0].context).max() > 0.0
    for refused in (session.play(), session.step(2), session.step_slow()):
        qtbot.waitUntil(lambda r=refused: r.finished, timeout=60000)
        assert refused.error is not None and "heads are switched off" in refused.error.text()
    assert session.state == "paused" and not rec.all_reports()
    on = session.set_heads_off(())
    qtbot.waitUntil(lambda: on.finished, timeout=60000)
    step = session.step(1)
    qtbot.waitUntil(lambda: len(rec.all_reports()) == 1, timeout=60000)
    assert step.error is None and session.heads_off == frozenset()


def test_a_new_model_starts_with_every_head_on(qtbot, session):
    rec = Recorder(session)
    build(qtbot, session, rec)
    reply = session.set_heads_off(OFF)
    qtbot.waitUntil(lambda: reply.finished, timeout=60000)
    rec.models.clear()
    build(qtbot, session, rec)
    assert session.heads_off == frozenset()
