"""How responsive the window stays while the model trains, and what the GUI costs in speed.

Opens the main window offscreen with every panel and the default model, trains for
``--seconds`` while a 5 ms QTimer measures how late the event loop runs, and trains the
same number of steps headless (same model, same seed) to compare tokens per second. The
two alternate in ``--rounds`` blocks, so drifting background load favours neither.

The window starts as the app does from a fresh process: the headless trainer is built
first, then the built-in corpus is forgotten, so the worker generates and tokenises it
again while the window paints and imports its hidden panels' modules. The window plays
as soon as the model is in, as a user pressing Space at once would.

    python benchmarks/ui_latency.py --json

Prints p50_ms, p99_ms, max_ms (event-loop lateness while training, from the first step
report on), gui_tokens_per_s, headless_tokens_per_s and ratio (gui / headless), and
startup_max_ms: the worst lateness while the panels first draw the freshly loaded model
(before the first step). Targets: p99 <= 16 ms, max <= 50 ms, ratio >= 0.9.

``--shape marian`` fine-tunes a model of opus-mt-en-de's exact shape (74M parameters,
vocabulary 58,102, random weights, written to a temporary Marian folder and opened as
File > Open model folder… does) on the built-in corpus instead; max_rss_mb is the
process's peak resident memory (target <= 2048 with the timeline on).
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


class Rounds(QObject):
    """Alternates GUI training and headless training of the same model, round by round.

    Each round plays in the window for ``round_s`` seconds, pauses, then steps a second,
    headless trainer (built the same way) as many steps in a plain loop. Alternating keeps
    slow changes in the machine's background load from favouring either side.
    """

    def __init__(self, app: QApplication, window, headless, rounds: int, round_s: float,
                 folder: str | None = None) -> None:
        super().__init__()
        self.folder = folder  # a model folder to open once the default model is in
        self.app, self.window, self.headless = app, window, headless
        self.rounds_left, self.round_s = rounds, round_s
        self.probe = LatencyProbe()
        self.startup_ms: list[float] = []
        self.gui = {"tokens": 0, "seconds": 0.0, "steps": 0}
        self.plain = {"tokens": 0, "seconds": 0.0, "steps": 0}
        self.measuring = False
        self.loaded = False
        self.t_round = 0.0
        session = window.session
        session.sig_model_changed.connect(self._on_model)
        session.sig_steps.connect(self._on_steps)
        session.sig_state.connect(self._on_state)
        session.sig_error.connect(self._on_error)

    @Slot(object)
    def _on_model(self, info: dict) -> None:
        if self.folder is not None:
            folder, self.folder = self.folder, None
            self.window.ask_before_discard = False
            self.window.session.load_checkpoint(folder)
            return
        if not self.loaded:
            self.loaded = True
            self.probe.start()
            self.window.session.play()

    @Slot(object)
    def _on_steps(self, batch) -> None:
        if not self.measuring:  # first report: the start-up burst of drawing is over
            self.startup_ms = list(self.probe.lateness_ms)
            self.probe.lateness_ms.clear()
            self._start_round()
            return
        self.gui["tokens"] += sum(r.tokens for r in batch)
        self.gui["steps"] += len(batch)

    def _start_round(self) -> None:
        self.measuring = True
        self.t_round = time.perf_counter()
        QTimer.singleShot(int(self.round_s * 1000), self.window.session.pause)

    @Slot(str)
    def _on_state(self, state: str) -> None:
        if state != "paused" or not self.measuring:
            return
        self.gui["seconds"] += time.perf_counter() - self.t_round
        self.probe.timer.stop()
        self._run_headless(self.gui["steps"] - self.plain["steps"])
        self.rounds_left -= 1
        if self.rounds_left == 0:
            self.window.ask_before_discard = False
            self.app.quit()
            return
        self.probe.start()
        self.window.session.play()
        self._start_round()

    def _run_headless(self, steps: int) -> None:
        start = time.perf_counter()
        self.plain["tokens"] += sum(self.headless.step().tokens for _ in range(steps))
        self.plain["seconds"] += time.perf_counter() - start
        self.plain["steps"] += steps

    @Slot(str, str)
    def _on_error(self, message: str, details: str) -> None:
        print(message, details, file=sys.stderr)
        self.window.ask_before_discard = False
        self.app.quit()


def marian_folder(tmp: str) -> str:
    """A random Marian folder of opus-mt-en-de's shape; its SentencePiece models are
    trained on the built-in corpus's English and German."""
    from model.corpus import load_corpus
    from model.marian import write_random_folder

    pairs = load_corpus("builtin:en-de", max_pairs=3000, seed=0).split("train")
    texts = [p.src for p in pairs] + [p.tgt for p in pairs]
    return str(write_random_folder(Path(tmp) / "opus-mt-en-de", texts))


def run(rounds: int, round_s: float, panels: str, shape: str = "default") -> dict:
    import resource

    from explorer.app import PANELS, MainWindow
    from explorer.worker import default_trainer
    from model.corpus import _generated

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        folder = None
        if shape == "marian":
            from model.train import Trainer

            folder = marian_folder(tmp)
            default, _ = default_trainer()
            headless = Trainer.from_pretrained(folder, default.corpus)
            del default
        else:
            headless, _ = default_trainer()
        headless.step()  # the GUI's first step is not timed either
        _generated.cache_clear()  # the window's worker loads the corpus as at a fresh start
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        specs = PANELS if panels == "all" else [p for p in PANELS if p.title == "Training"]
        window = MainWindow(settings=settings, panels=specs)
        window.resize(1600, 1000)
        window.show()
        bench = Rounds(app, window, headless, rounds, round_s, folder)
        app.exec()
        window.ask_before_discard = False
        window.close()
    late = np.array(bench.probe.lateness_ms)
    gui = bench.gui["tokens"] / bench.gui["seconds"]
    plain = bench.plain["tokens"] / bench.plain["seconds"]
    return {
        "steps": bench.gui["steps"],
        "p50_ms": float(np.percentile(late, 50)),
        "p99_ms": float(np.percentile(late, 99)),
        "max_ms": float(late.max()),
        "ticks": len(late),
        "startup_max_ms": float(max(bench.startup_ms, default=0.0)),
        "gui_tokens_per_s": gui,
        "headless_tokens_per_s": plain,
        "ratio": gui / plain,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="training time in the GUI")
    parser.add_argument("--rounds", type=int, default=4, help="GUI/headless alternations")
    parser.add_argument("--panels", choices=("all", "training"), default="all",
                        help="every panel, or the training panel alone")
    parser.add_argument("--shape", choices=("default", "marian"), default="default",
                        help="marian: fine-tune a random model of opus-mt-en-de's exact shape")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    result = {"panels": args.panels, "shape": args.shape,
              **run(args.rounds, args.seconds / args.rounds, args.panels, args.shape)}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:>24}: {value:.3f}" if isinstance(value, float) else f"{key:>24}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
