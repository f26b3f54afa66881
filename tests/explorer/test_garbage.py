"""The UI-thread garbage collector: automatic collection off, thresholds honoured, full
collections freeze their survivors so later ones stay short."""
from __future__ import annotations

import gc

import pytest

from explorer.garbage import UiGarbageCollector


class Cycle:
    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def collector(qtbot):
    """A collector of its own; afterwards Python's collection is as it was, nothing frozen."""
    was_enabled = gc.isenabled()
    collector = UiGarbageCollector()
    yield collector
    collector.timer.stop()
    gc.unfreeze()
    if was_enabled:
        gc.enable()


def test_collects_by_thresholds_and_freezes_after_a_full_collection(collector):
    frozen_before = gc.get_freeze_count()
    assert not gc.isenabled()
    collector.thresholds = (10, 1_000_000, 1_000_000)  # young generation only
    gc.collect(0)
    for _ in range(50):
        Cycle()
    assert gc.get_count()[0] >= 50
    collector.check()
    assert [g for g, _ in collector.pauses_ms] == [0]
    assert gc.get_count()[0] < 50
    # young collections freeze nothing (the count can fall: a frozen object freed meanwhile)
    assert gc.get_freeze_count() <= frozen_before

    kept = [Cycle() for _ in range(100)]
    collector.collect(2)
    assert collector.pauses_ms[-1][0] == 2
    assert gc.get_freeze_count() >= frozen_before + 100  # the survivors, `kept` among them
    assert all(gc.is_tracked(c) for c in kept)

    collector.thresholds = (10, 1_000_000, 1_000_000)
    gc.collect(0)
    collector.check()  # nothing over its threshold: no collection
    assert len(collector.pauses_ms) == 2


def test_suspended_collector_collects_nothing_and_freezes_on_resume(collector):
    collector.thresholds = (10, 1_000_000, 1_000_000)
    collector.suspend()
    collector.suspend()  # calls nest
    for _ in range(50):
        Cycle()
    collector.check()
    assert not collector.pauses_ms and gc.get_count()[0] >= 50
    collector.resume()
    assert collector.suspended  # one suspend() still open
    frozen_before = gc.get_freeze_count()
    collector.resume()
    assert not collector.suspended
    assert gc.get_freeze_count() >= frozen_before + 50  # what was made meanwhile is frozen
    for _ in range(50):
        Cycle()
    collector.check()
    assert [g for g, _ in collector.pauses_ms] == [0]  # collecting again


def test_hold_brackets_a_load_without_freezing(collector):
    collector.hold(True)
    assert collector.suspended
    frozen_before = gc.get_freeze_count()
    kept = [Cycle() for _ in range(50)]
    collector.hold(False)
    assert not collector.suspended
    assert gc.get_freeze_count() == frozen_before  # the loader freezes what it keeps
    assert kept
