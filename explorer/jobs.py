"""Background jobs: the one way a view runs work off the UI thread.

A ``Job`` runs a function in a thread of this module's pool, through superqt's workers
(``GeneratorWorker`` for a generator function, ``FunctionWorker`` for a plain one), and
delivers everything it reports as signals received on the UI thread::

    job = Job(fit_layout, (X, "tsne", 2), report="progress", owner=self)
    job.sig_progress.connect(self._on_progress)   # each value reported, in order
    job.sig_done.connect(self._on_done)           # the return value
    job.sig_failed.connect(self._on_failed)       # "TypeName: message"
    job.start()

The contract:

- Progress. A generator function reports each value it yields (``sig_progress(value)``)
  and its return value is the result. A plain function that must report while it runs
  names the keyword through which it takes a callback (``report="progress"``): it gets
  ``job.report``, which emits ``sig_progress(value)`` and returns False once the job is
  cancelled (the function should then stop, by returning or by raising).
- Cancel. ``cancel()`` asks the job to stop: a generator stops at its next ``yield``; a
  plain function sees False from ``report``. A cancelled job emits ``sig_cancelled`` and
  never ``sig_done``, whatever the function returned or raised after the request.
- Ending. Exactly one of ``sig_done(result)``, ``sig_failed(str)``, ``sig_cancelled()``,
  then ``sig_finished()``, all on the UI thread, in that order, after every progress value.
  The job keeps itself alive until then: nobody needs to hold it.
- Owner. A job given an ``owner`` QObject is cancelled when the owner is destroyed. Connect
  the signals to the owner's methods (Qt drops those connections with the owner), not to
  lambdas that outlive it.
- Closing. ``shutdown(timeout_ms)`` cancels every running job and joins the pool's
  threads; the main window calls it when it closes. ``Job.wait`` runs the event loop until
  one job has finished (for tests and for closing one view).

A job's function runs in another thread: it gets copies or immutable values, never a
widget, and touches no Qt object. The training worker (``explorer/worker.py``) is not a
job: it is the one thread that owns the model.
"""
from __future__ import annotations

import inspect
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal, Slot

MAX_THREADS = 8  # jobs are few and mostly wait on numpy/torch, which release the GIL
_pool: QThreadPool | None = None
_running: set[Job] = set()


def pool() -> QThreadPool:
    """The thread pool jobs run in (Qt's global pool is left to others)."""
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(MAX_THREADS)
    return _pool


class Job(QObject):
    """``fn(*args, **kwargs)`` run in a pool thread; see the module docstring for the contract."""

    sig_progress = Signal(object)
    sig_done = Signal(object)
    sig_failed = Signal(str)
    sig_cancelled = Signal()
    sig_finished = Signal()

    def __init__(self, fn: Callable, args: tuple = (), kwargs: dict | None = None, *,
                 report: str | None = None, owner: QObject | None = None) -> None:
        super().__init__()
        self.fn = fn
        self._args, self._kwargs = tuple(args), dict(kwargs or {})
        if report is not None:
            self._kwargs[report] = self.report
        self._cancelled = False
        self._finished = False
        self._worker = None
        if owner is not None:
            owner.destroyed.connect(self.cancel)

    # -- state ----------------------------------------------------------------------------
    @property
    def cancelled(self) -> bool:
        return self._cancelled

    @property
    def running(self) -> bool:
        """Started and not yet finished (as seen on the UI thread)."""
        return self._worker is not None and not self._finished

    @property
    def finished(self) -> bool:
        return self._finished

    # -- control ----------------------------------------------------------------------------
    def start(self) -> Job:
        """Run the function in a pool thread; returns the job."""
        if self._worker is not None:
            raise RuntimeError("a job runs once")
        # Imported with the first job, not with the app: superqt's package imports all its
        # widgets (and Pygments) first, which the window's first paint does not need.
        from superqt.utils import FunctionWorker, GeneratorWorker

        cls = GeneratorWorker if inspect.isgeneratorfunction(self.fn) else FunctionWorker
        worker = self._worker = cls(self.fn, *self._args, **self._kwargs)
        worker.setAutoDelete(False)  # this Job owns the runnable until it has finished
        if cls is GeneratorWorker:
            worker.yielded.connect(self.sig_progress)
        worker.returned.connect(self._on_returned)
        worker.errored.connect(self._on_errored)
        worker.finished.connect(self._on_finished)
        _running.add(self)
        pool().start(worker)
        return self

    @Slot()
    def cancel(self) -> None:
        """Ask the job to stop (see the contract); harmless once it has finished."""
        self._cancelled = True
        if self._worker is not None:
            self._worker.quit()

    def report(self, value=None) -> bool:
        """Emit ``sig_progress(value)`` (from any thread); False once cancelled."""
        if value is not None:
            self.sig_progress.emit(value)
        return not self._cancelled

    def wait(self, timeout_ms: int = 10_000) -> bool:
        """Run the event loop until the job has finished; False if it is still running."""
        deadline = time.monotonic() + timeout_ms / 1000
        while self.running and time.monotonic() < deadline:
            QCoreApplication.processEvents()
            time.sleep(0.002)
        QCoreApplication.processEvents()
        return not self.running

    # -- the worker's signals, received on the UI thread ---------------------------------------
    @Slot(object)
    def _on_returned(self, result) -> None:
        if not self._cancelled:
            self._result = ("done", result)

    @Slot(object)
    def _on_errored(self, exc) -> None:
        if not self._cancelled:
            self._result = ("failed", f"{type(exc).__name__}: {exc}")

    @Slot()
    def _on_finished(self) -> None:
        outcome, value = getattr(self, "_result", ("cancelled", None))
        if self._cancelled:
            outcome = "cancelled"
        self._finished = True
        _running.discard(self)
        if outcome == "done":
            self.sig_done.emit(value)
        elif outcome == "failed":
            self.sig_failed.emit(value)
        else:
            self.sig_cancelled.emit()
        self.sig_finished.emit()


def running() -> list[Job]:
    """The jobs started and not yet finished."""
    return list(_running)


def shutdown(timeout_ms: int = 3000) -> bool:
    """Cancel every running job and wait for the pool's threads; True if all have ended."""
    for job in list(_running):
        job.cancel()
    return _pool is None or _pool.waitForDone(timeout_ms)
