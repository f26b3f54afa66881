"""explorer.jobs: progress, result, failure and cancellation arrive on the UI thread, in order."""
from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject

from explorer import jobs
from explorer.jobs import Job


def record(job: Job) -> list:
    events = []
    ui = threading.get_ident()
    job.sig_progress.connect(lambda v: events.append(("progress", v, threading.get_ident() == ui)))
    job.sig_done.connect(lambda v: events.append(("done", v, threading.get_ident() == ui)))
    job.sig_failed.connect(lambda v: events.append(("failed", v)))
    job.sig_cancelled.connect(lambda: events.append(("cancelled",)))
    job.sig_finished.connect(lambda: events.append(("finished",)))
    return events


def count(n):
    yield from range(n)
    return "counted"


def test_a_generator_reports_each_yield_then_its_result(qapp):
    job = Job(count, (3,))
    events = record(job)
    assert job.start().wait()
    assert events == [("progress", 0, True), ("progress", 1, True), ("progress", 2, True),
                      ("done", "counted", True), ("finished",)]
    assert job.finished and not job.running and not jobs.running()


def slow_sum(values, progress):
    total = 0
    for v in values:
        total += v
        if not progress(total):
            raise RuntimeError("stopped")
        time.sleep(0.01)
    return total


def test_a_plain_function_reports_through_its_callback(qapp):
    job = Job(slow_sum, ([1, 2, 3],), report="progress")
    events = record(job)
    job.start().wait()
    assert [e[1] for e in events if e[0] == "progress"] == [1, 3, 6]
    assert events[-2:] == [("done", 6, True), ("finished",)]


def test_a_failure_is_a_message(qapp):
    job = Job(int, ("x",))
    events = record(job)
    job.start().wait()
    assert events[0][0] == "failed" and events[0][1].startswith("ValueError: invalid literal")


def forever():
    while True:
        yield 1
        time.sleep(0.005)


def test_cancel_stops_a_generator_and_a_callback_function(qapp):
    for job in (Job(forever), Job(slow_sum, (range(10_000),), report="progress")):
        events = record(job)
        job.start()
        time.sleep(0.05)
        job.cancel()
        assert job.wait()
        assert events[-2:] == [("cancelled",), ("finished",)]
        assert not any(e[0] == "done" for e in events)


def test_the_owner_going_away_cancels_and_shutdown_joins(qapp):
    owner = QObject()
    job = Job(forever, owner=owner).start()
    time.sleep(0.02)
    del owner  # the last reference: Qt destroys the object
    assert job.wait(5000) and job.cancelled
    other = Job(forever).start()
    assert jobs.shutdown(5000)
    other.wait()
    assert other.cancelled and not jobs.running()
