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

``--shape marian`` opens a model of opus-mt-en-de's exact shape instead (74M parameters,
vocabulary 58,102, random weights in a Marian folder, opened as File > Open model folder…
does), has the attention panel trace ``--traces`` sentences of 64 pieces one after
another, then fine-tunes it on the built-in corpus for ``--seconds`` with the timeline on
(no headless comparison: a second 74M model would double the memory measured). The folder
is written once and reused (``benchmarks/common.py``'s ``marian_folder``, ``--folder``).
Prints p50_ms, p99_ms, max_ms over the traces and the fine-tuning (and apart, under
"tracing" and "fine_tuning", with cpu_p99_ms and cpu_max_ms: the UI thread's own CPU time
from one tick to the next, what one turn of the event loop cost whatever the load), load_max_ms (while the folder loads), traces, steps, rss_mb
(resident memory at the end) and max_rss_mb (peak). Where Linux tells it, each tick over
50 ms late is split into the UI thread's own CPU time, its wait for a core (run queue)
and the rest (blocked: the GIL, a system call): summed in late_split_ms, the ten worst in
worst_late_ticks with where the other threads were. The Attention dock is raised 100 ms
after the model is in, in a turn of its own as a person's click would be
(``--raise-with-model``: in the same slot, as this script did before), and the ticks in
between are also reported on their own as "model_arrival" (the window drawing the new
model; they count in "tracing" too; empty with ``--raise-with-model``).
``--sample-ui`` samples the UI thread's stack and lists, for each late tick and each tick
with over 20 ms of UI CPU ("busy_ticks"), the stacks seen most.
Targets: p99 <= 16 ms, max <= 50 ms, rss_mb <= 2048.
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
RAISE_AFTER_MS = 100  # --shape marian: the Attention dock raised this long after the model is in


class LatencyProbe(QObject):
    """A 5 ms timer that records how late each tick fires (ms past its due time).

    With ``explain``, each tick more than LATE_MS late is kept with what the UI thread did
    meanwhile (Linux: ``/proc/thread-self/schedstat``): its own CPU time, its time waiting
    for a core, and the rest (blocked: waiting for the GIL, or in a system call), and where
    the other Python threads were when it ran again."""

    LATE_MS = 50.0
    BUSY_MS = 20.0  # with a sampler: ticks with more UI CPU than this are kept too (``busy``)

    def __init__(self, explain: bool = False) -> None:
        super().__init__()
        self.lateness_ms: list[float] = []
        self.cpu_ms: list[float] = []  # with explain: the UI thread's CPU time since the last tick
        self.late: list[dict] = []
        self.busy: list[dict] = []
        self.explain = explain
        self.sampler: StackSampler | None = None
        self.phase = ""
        self._last = 0.0
        self._sched = (0, 0)
        self._t0 = time.perf_counter()
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._on_tick)

    def start(self) -> None:
        self._last = time.perf_counter()
        self._sched = sched_ns()
        self.timer.start()

    @Slot()
    def _on_tick(self) -> None:
        now = time.perf_counter()
        late = max(0.0, (now - self._last) * 1000 - TICK_MS)
        self.lateness_ms.append(late)
        if self.explain:
            sched = sched_ns()
            cpu, queued = ((a - b) / 1e6 for a, b in zip(sched, self._sched))
            self.cpu_ms.append(cpu)
            if late > self.LATE_MS or (self.sampler and cpu > self.BUSY_MS):
                wall = (now - self._last) * 1000
                tick = {"t_s": round(now - self._t0, 1), "phase": self.phase, "late_ms": round(late),
                        "cpu_ms": round(cpu), "runqueue_ms": round(queued),
                        "blocked_ms": round(max(0.0, wall - cpu - queued)),
                        "others": other_threads()}
                if self.sampler:
                    tick["ui_frames"] = self.sampler.between(self._last, now)
                (self.late if late > self.LATE_MS else self.busy).append(tick)
            self._sched = sched
        self._last = now


class StackSampler:
    """Samples the UI thread's Python stack every ``interval_s`` from a daemon thread
    (``--sample-ui``), so that a late or busy tick can say where its time went: the frames
    seen most often between two ticks. The sampling takes the GIL briefly; it perturbs the
    timing a little, so lateness figures are taken without it."""

    def __init__(self, interval_s: float = 0.002, depth: int = 8) -> None:
        import collections
        import threading

        self.ident = threading.get_ident()
        self.samples: collections.deque = collections.deque(maxlen=20000)
        self.interval_s, self.depth = interval_s, depth
        threading.Thread(target=self._run, daemon=True, name="ui-stack-sampler").start()

    def _run(self) -> None:
        while True:
            frame = sys._current_frames().get(self.ident)
            names = []  # the two innermost frames, then the project's own, innermost first
            while frame is not None and len(names) < self.depth:
                code = frame.f_code
                if len(names) < 2 or ("explorer" in code.co_filename and str(ROOT) in code.co_filename):
                    names.append(f"{Path(code.co_filename).name}:{frame.f_lineno} {code.co_name}")
                frame = frame.f_back
            self.samples.append((time.perf_counter(), " < ".join(names)))
            time.sleep(self.interval_s)

    def between(self, start: float, end: float, top: int = 6) -> list[str]:
        """The most frequent stacks sampled in [start, end], each with its count."""
        import collections

        counts = collections.Counter(stack for t, stack in list(self.samples) if start <= t <= end and stack)
        return [f"{n} x {stack}" for stack, n in counts.most_common(top)]


def sched_ns() -> tuple[int, int]:
    """This thread's (CPU time, time waiting on a run queue) in ns; zeros without /proc."""
    try:
        with open("/proc/thread-self/schedstat") as fh:
            cpu, wait = fh.read().split()[:2]
        return int(cpu), int(wait)
    except (OSError, ValueError):
        return 0, 0


def other_threads(depth: int = 3) -> list[str]:
    """The innermost project frames of every other Python thread."""
    import threading

    me, out = threading.get_ident(), []
    for ident, frame in sys._current_frames().items():
        if ident == me:
            continue
        frames = []
        while frame is not None and len(frames) < depth:
            code = frame.f_code
            if str(ROOT) in code.co_filename and "benchmarks" not in code.co_filename:
                frames.append(f"{Path(code.co_filename).name}:{frame.f_lineno} {code.co_name}")
            frame = frame.f_back
        out.append(" < ".join(frames))
    return out


class Rounds(QObject):
    """Alternates GUI training and headless training of the same model, round by round.

    Each round plays in the window for ``round_s`` seconds, pauses, then steps a second,
    headless trainer (built the same way) as many steps in a plain loop. Alternating keeps
    slow changes in the machine's background load from favouring either side.
    """

    def __init__(self, app: QApplication, window, headless, rounds: int, round_s: float) -> None:
        super().__init__()
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


def run(rounds: int, round_s: float, panels: str) -> dict:
    import resource

    from explorer.app import PANELS, MainWindow
    from explorer.worker import default_trainer
    from model.corpus import _generated

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        headless, _ = default_trainer()
        headless.step()  # the GUI's first step is not timed either
        _generated.cache_clear()  # the window's worker loads the corpus as at a fresh start
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        specs = PANELS if panels == "all" else [p for p in PANELS if p.title == "Training"]
        window = MainWindow(settings=settings, panels=specs)
        window.resize(1600, 1000)
        window.show()
        bench = Rounds(app, window, headless, rounds, round_s)
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


class MarianRun(QObject):
    """Opens a Marian folder once the default model is in, has the attention panel trace
    ``traces`` long sentences one after another, then fine-tunes for ``seconds``.

    Lateness is kept in two parts: while the folder loads (the worker converts 74M
    parameters; the window only waits) and from the model's arrival to the end (the
    panels draw the new model, the traces, the training stream)."""

    def __init__(self, app: QApplication, window, folder: str, sentences: list[str],
                 seconds: float) -> None:
        super().__init__()
        self.app, self.window, self.folder = app, window, folder
        self.sentences, self.seconds = list(sentences), seconds
        self.probe = LatencyProbe(explain=True)
        self.load_ms: list[float] = []
        self.phase = self.probe.phase = "default"  # default -> loading -> tracing -> training -> done
        self.traces = 0
        self.steps = 0
        self.rss_after_traces = 0.0
        self.trace_ticks = 0  # lateness samples before the fine-tuning began
        self.arrival_ticks = 0  # lateness samples from the model's arrival to the dock's raise
        self.raise_with_model = False  # --raise-with-model
        self.trace_seconds = 0.0
        self.attention = None
        self._shown = None
        self._t0 = 0.0
        self._poll = QTimer(self)
        self._poll.setInterval(20)
        self._poll.timeout.connect(self._check_trace)
        session = window.session
        session.sig_model_changed.connect(self._on_model)
        session.sig_steps.connect(lambda batch: setattr(self, "steps", self.steps + len(batch)))
        session.sig_state.connect(self._on_state)
        session.sig_error.connect(self._on_error)

    @Slot(object)
    def _on_model(self, info) -> None:
        if self.phase == "default":
            self.phase = self.probe.phase = "loading"
            self.window.ask_before_discard = False
            self.probe.start()
            self.window.session.load_checkpoint(self.folder)
        elif self.phase == "loading" and info.n_params > 50_000_000:  # the folder's model, not
            # the default model's second notice (its corpus read) that can come meanwhile
            self.load_ms = list(self.probe.lateness_ms)
            self.probe.lateness_ms.clear()
            self.phase = self.probe.phase = "tracing"
            # the Attention dock raised a little later, in a turn of its own, as a person's
            # click on its tab would be (raised inside this slot, its first paint fell in the
            # same turn as every panel's drawing of the new model)
            if self.raise_with_model:  # the way this script did it before: the same turn
                self._raise_attention()
            else:
                QTimer.singleShot(RAISE_AFTER_MS, self, self._raise_attention)

    def _raise_attention(self) -> None:
        self.arrival_ticks = len(self.probe.lateness_ms)
        dock = self.window.docks["Attention"]
        dock.show()
        dock.raise_()
        self.attention = self.window.panel("Attention")
        self._t0 = time.perf_counter()
        self._next_trace()

    def _next_trace(self) -> None:
        if self.traces == len(self.sentences):
            self._poll.stop()
            self.trace_seconds = time.perf_counter() - self._t0
            from common import rss_mb  # torch and the model package: only for --shape marian

            self.rss_after_traces = rss_mb()
            self.trace_ticks = len(self.probe.lateness_ms)
            self.phase = self.probe.phase = "training"
            self.window.session.play()
            QTimer.singleShot(int(self.seconds * 1000), self.window.session.pause)
            return
        self._shown = self.attention.trace
        self.attention.show_sentence(self.sentences[self.traces])
        self._poll.start()

    @Slot()
    def _check_trace(self) -> None:
        """The panel has drawn the answer (its trace changed and no request is on its way)."""
        if self.attention._waiting is None and self.attention.trace is not self._shown:
            self._poll.stop()
            self.traces += 1
            self._next_trace()

    @Slot(str)
    def _on_state(self, state: str) -> None:
        if state == "paused" and self.phase == "training":
            self.phase = self.probe.phase = "done"
            self.probe.timer.stop()
            self.app.quit()

    @Slot(object, object)
    def _on_error(self, message, details) -> None:
        print(message, details, file=sys.stderr)
        self.window.ask_before_discard = False
        self.app.quit()


def long_sentences(n: int, pieces: int = 64) -> list[str]:
    """``n`` different sentences of about ``pieces`` SentencePiece pieces each: built-in
    corpus sentences joined until the folder's tokenizer would cut them (max_len 64)."""
    from model.corpus import load_corpus

    pairs = load_corpus("builtin:en-de", max_pairs=4000, seed=1).split("train")
    words = " ".join(p.src for p in pairs).split()
    step = pieces // 2  # a built-in word is one or two pieces
    return [" ".join(words[i * step:(i + 1) * step]) for i in range(n)]


def spread(late: np.ndarray, cpu: np.ndarray | None = None) -> dict:
    """p50, p99 and max of some lateness samples (ms); with ``cpu`` (the UI thread's CPU time
    between the same ticks) its p99 and max too: what the UI thread did itself in one turn,
    whatever the machine's load."""
    if not len(late):
        return {}
    out = {"p50_ms": round(float(np.percentile(late, 50)), 1), "p99_ms": round(float(np.percentile(late, 99)), 1),
           "max_ms": round(float(late.max()), 1), "ticks": len(late)}
    if cpu is not None and len(cpu) and cpu.max() > 0:
        out.update(cpu_p99_ms=round(float(np.percentile(cpu, 99)), 1), cpu_max_ms=round(float(cpu.max()), 1))
    return out


def run_marian(folder: str | None, traces: int, seconds: float, panels: str,
               profile: str | None = None, sample_ui: bool = False, raise_with_model: bool = False) -> dict:
    import resource

    from common import marian_folder, rss_mb

    from explorer.app import PANELS, MainWindow

    t = time.perf_counter()
    folder = marian_folder(folder)
    folder_s = time.perf_counter() - t
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        specs = PANELS if panels == "all" else [p for p in PANELS if p.title in ("Training", "Attention")]
        window = MainWindow(settings=settings, panels=specs)
        window.resize(1600, 1000)
        window.show()
        bench = MarianRun(app, window, folder, long_sentences(traces), seconds)
        bench.raise_with_model = raise_with_model
        if sample_ui:
            bench.probe.sampler = StackSampler()
        if profile:  # the UI thread only: cProfile follows the thread that enables it
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        app.exec()
        if profile:
            profiler.disable()
            profiler.dump_stats(profile)
        window.ask_before_discard = False
        window.close()
        rss_end = rss_mb()
        window.session.shutdown(5.0)
    late = np.array(bench.probe.lateness_ms or [0.0])
    probe = bench.probe
    cpu = np.array(probe.cpu_ms[-len(probe.lateness_ms):] if probe.lateness_ms else [])
    worst = sorted((t for t in probe.late if t["phase"] != "loading"), key=lambda t: -t["late_ms"])
    return {
        "phase_reached": bench.phase,
        "traces": bench.traces,
        "trace_seconds": round(bench.trace_seconds, 1),
        "steps": bench.steps,
        "p50_ms": float(np.percentile(late, 50)),
        "p99_ms": float(np.percentile(late, 99)),
        "max_ms": float(late.max()),
        "ticks": len(late),
        "load_max_ms": float(max(bench.load_ms, default=0.0)),
        "tracing": spread(late[:bench.trace_ticks], cpu[:bench.trace_ticks]),
        # the window drawing the new model, before the Attention dock is raised
        "model_arrival": spread(late[:bench.arrival_ticks], cpu[:bench.arrival_ticks]),
        "fine_tuning": spread(late[bench.trace_ticks:], cpu[bench.trace_ticks:]),
        # the ticks over LATE_MS after the load: the UI thread's own CPU time in them, its
        # time waiting for a core, and the rest (blocked), summed; the ten worst as they were
        "late_split_ms": {key: sum(t[f"{key}_ms"] for t in worst) for key in ("late", "cpu", "runqueue", "blocked")},
        "worst_late_ticks": worst[:10],
        **({"busy_ticks": [t for t in probe.busy if t["phase"] != "loading"][:20]} if sample_ui else {}),
        "rss_after_traces_mb": round(bench.rss_after_traces, 1),
        "rss_mb": round(rss_end, 1),
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "folder_seconds": round(folder_s, 1),
        "load_average": os.getloadavg(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=None,
                        help="training time in the GUI (default 20; 60 with --shape marian)")
    parser.add_argument("--rounds", type=int, default=4, help="GUI/headless alternations")
    parser.add_argument("--panels", choices=("all", "training"), default="all",
                        help="every panel, or the training panel alone")
    parser.add_argument("--shape", choices=("default", "marian"), default="default",
                        help="marian: trace and fine-tune a random model of opus-mt-en-de's exact shape")
    parser.add_argument("--traces", type=int, default=20, help="--shape marian: sentences traced")
    parser.add_argument("--folder", default=None,
                        help="--shape marian: the Marian folder (written there once if missing)")
    parser.add_argument("--raise-with-model", action="store_true",
                        help="--shape marian: raise the Attention dock in the slot where the model "
                             "arrives (as this script did before), not in a turn of its own")
    parser.add_argument("--sample-ui", action="store_true",
                        help="--shape marian: sample the UI thread's stack; late ticks and ticks with over "
                             "20 ms of UI CPU (busy_ticks) list the frames seen most (perturbs the timing)")
    parser.add_argument("--profile", default=None,
                        help="--shape marian: write a cProfile of the UI thread to this file")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    if args.seconds is None:
        args.seconds = 60.0 if args.shape == "marian" else 20.0
    if args.shape == "marian":
        result = {"panels": args.panels, "shape": args.shape,
                  **run_marian(args.folder, args.traces, args.seconds, args.panels, args.profile,
                                 args.sample_ui, args.raise_with_model)}
    else:
        result = {"panels": args.panels, "shape": args.shape,
                  **run(args.rounds, args.seconds / args.rounds, args.panels)}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:>24}: {value:.3f}" if isinstance(value, float) else f"{key:>24}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
