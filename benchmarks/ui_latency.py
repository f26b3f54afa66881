"""How responsive the window stays while the model trains, and what the GUI costs in speed.

Opens the main window offscreen with every panel and the default model, trains for
``--seconds`` while a 5 ms QTimer measures how late the event loop runs, then trains the
same number of steps headless (same model, same seed) and compares tokens per second.

    python benchmarks/ui_latency.py --json

Prints p50_ms, p99_ms, max_ms (event-loop lateness), gui_tokens_per_s,
headless_tokens_per_s and ratio (gui / headless). Targets: p99 <= 16 ms, max <= 50 ms,
ratio >= 0.9.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import numpy as np
from PySide6.QtCore import QObject, QSettings, Qt, QTimer, Slot
from PySide6.QtWidgets import QApplication

TICK_MS = 5


class LatencyProbe(QObject):
    """A 5 ms timer that records how late each tick fires (ms past its due time)."""

    def __init__(self) -> None:
        super().__init__()
        self.lateness_ms: list[float] = []
        self._last = 0.0
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._on_tick)

    def start(self) -> None:
        self._last = time.perf_counter()
        self.timer.start()

    @Slot()
    def _on_tick(self) -> None:
        now = time.perf_counter()
        self.lateness_ms.append(max(0.0, (now - self._last) * 1000 - TICK_MS))
        self._last = now


class GuiRun(QObject):
    """Opens the default model, plays for ``seconds``, pauses, and quits the app."""

    def __init__(self, app: QApplication, window, seconds: float) -> None:
        super().__init__()
        self.app, self.window, self.seconds = app, window, seconds
        self.probe = LatencyProbe()
        self.start_step = None
        self.t_start = self.t_end = 0.0
        session = window.session
        session.sig_model_changed.connect(self._on_model)
        session.sig_state.connect(self._on_state)
        session.sig_error.connect(self._on_error)

    @Slot(object)
    def _on_model(self, info: dict) -> None:
        if self.start_step is None:
            self.start_step = info["step"]
            self.t_start = time.perf_counter()
            self.window.session.play()
            self.probe.start()
            QTimer.singleShot(int(self.seconds * 1000), self.window.session.pause)

    @Slot(str)
    def _on_state(self, state: str) -> None:
        if state == "paused" and self.start_step is not None:
            self.t_end = time.perf_counter()
            self.probe.timer.stop()
            self.app.quit()

    @Slot(str, str)
    def _on_error(self, message: str, details: str) -> None:
        print(message, details, file=sys.stderr)
        self.app.quit()


def run_gui(seconds: float) -> dict:
    from explorer.app import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings=settings)
        window.resize(1600, 1000)
        window.show()
        run = GuiRun(app, window, seconds)
        app.exec()
        reports = window.session.history
        window.ask_before_discard = False
        window.close()
    late = np.array(run.probe.lateness_ms)
    tokens = sum(r.tokens for r in reports)
    return {
        "steps": len(reports),
        "start_step": run.start_step,
        "p50_ms": float(np.percentile(late, 50)),
        "p99_ms": float(np.percentile(late, 99)),
        "max_ms": float(late.max()),
        "ticks": len(late),
        "gui_tokens_per_s": tokens / (run.t_end - run.t_start),
    }


def run_headless(steps: int) -> float:
    from explorer.worker import default_trainer

    trainer, _ = default_trainer()
    start = time.perf_counter()
    tokens = sum(trainer.step().tokens for _ in range(steps))
    return tokens / (time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="training time in the GUI")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    gui = run_gui(args.seconds)
    headless = run_headless(gui["steps"])
    result = {**gui, "headless_tokens_per_s": headless, "ratio": gui["gui_tokens_per_s"] / headless}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:>24}: {value:.3f}" if isinstance(value, float) else f"{key:>24}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
