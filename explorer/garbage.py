"""Python's cyclic garbage collection, run on the UI thread in short steps.

Two threads run Python here: the UI thread and the worker that trains. Left automatic, a
collection starts in whichever thread happens to allocate, and one in the worker can
destroy Qt objects there and deadlock against the UI thread. So automatic collection is
off and this collector runs from a UI-thread timer instead.

A collection stops both threads (it holds the GIL), so each must stay short for the window
to keep up. Python's own thresholds decide which generation to collect, checked every
``INTERVAL_MS`` (a short interval keeps the youngest generation small). After a full
collection everything that survived is frozen (``gc.freeze``): long-lived objects, such as
the corpus and the model, are then skipped by later collections, which only walk what was
made since. The price: a frozen object that later becomes part of a garbage cycle is not
reclaimed (objects freed by reference counting, most of them, still are).

While the app imports the modules of panels not yet shown (in a background thread, while
the worker loads the model), collections are suspended: importing scikit-learn and SciPy makes
tens of thousands of objects a second that live as long as the app, and walking them in
young collections took 3-17 ms every 250 ms for seconds. When the imports are done, all
that was made meanwhile is frozen instead of collected.
"""
from __future__ import annotations

import gc
import time
from collections import deque

from PySide6.QtCore import QObject, QTimer, Slot

INTERVAL_MS = 250

_collector: UiGarbageCollector | None = None


class UiGarbageCollector(QObject):
    """Turns automatic collection off and collects on the UI thread from a timer.

    ``pauses_ms`` keeps the duration of each collection (generation, milliseconds) for
    inspection; only the last 100 are kept.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self.pauses_ms: deque[tuple[int, float]] = deque(maxlen=100)
        self._suspended = 0
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def suspend(self) -> None:
        """Collect nothing until ``resume()`` (calls nest): for a burst of long-lived
        objects, such as modules being imported, that young collections would walk in vain."""
        self._suspended += 1

    def resume(self, freeze: bool = True) -> None:
        """Collect again after ``suspend()``; with ``freeze``, first exempt everything made
        meanwhile from later collections (``gc.freeze``: no walk, so no pause)."""
        self._suspended = max(0, self._suspended - 1)
        if freeze and not self._suspended:
            gc.freeze()

    @Slot(bool)
    def hold(self, on: bool) -> None:
        """``suspend()`` for True, ``resume(freeze=False)`` for False: for a signal that
        brackets work whose objects are frozen by whoever made them (a model load)."""
        if on:
            self.suspend()
        else:
            self.resume(freeze=False)

    @property
    def suspended(self) -> bool:
        return self._suspended > 0

    def check(self) -> None:
        """Collect the oldest generation whose count is over its threshold (if any)."""
        if self._suspended:
            return
        counts = gc.get_count()
        generation = -1
        for g in range(3):
            if counts[g] <= self.thresholds[g]:
                break
            generation = g
        if generation >= 0:
            self.collect(generation)

    def collect(self, generation: int = 2) -> None:
        """Collect ``generation`` (and the younger ones); after a full one, freeze survivors."""
        start = time.perf_counter()
        gc.collect(generation)
        if generation == 2:
            gc.freeze()
        self.pauses_ms.append((generation, (time.perf_counter() - start) * 1e3))


def collect_garbage_on_ui_thread() -> UiGarbageCollector:
    """Install the app's collector (once; later calls return the same one)."""
    global _collector
    if _collector is None:
        _collector = UiGarbageCollector()
    return _collector
