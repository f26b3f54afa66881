"""How smoothly the window replays a model's training history.

Opens the main window on a checkpoint that carries its history (default: the shipped
en-de model), makes every panel visible at once (each dock floated as its own window), and
moves the window's timeline through every snapshot, forwards and back, ``--rounds`` times.
Timing starts once the model is in and the window is idle (no request unanswered, no
background job running). A frame is the time from ``Session.show_snapshot`` until the event
loop has sent the frame (``sig_replay``) and drawn what it changed:

- ``--paint events`` (the default): events processed until none is left, so Qt paints what
  the frame changed, as a window on screen does (the offscreen platform paints into its
  backing store); ``--count-paints`` counts the paint events of each panel's widgets (``panels.*.paints``).
- ``--paint grab``: as before, every visible panel is also grabbed (painted in full) every
  frame, changed or not: an upper bound, and the figures of earlier runs.

The attention panel shows its overview, the computation view in the last round (the tab
switched, laid out and painted before that round's first frame is timed).

    python benchmarks/replay.py --json [--checkpoint PATH --rounds 3 --paint events|grab]

Prints frame_ms p50 / p99 / max, frame_cpu_ms (the UI thread's CPU time per frame: on a
loaded machine the wall time is mostly waiting for a core), the snapshot steps, and
``panels``: each panel's share of the frames' time, split into its answer to the timeline
(``replay_ms``: its slot of ``Session.sig_replay``) and, with ``--paint grab``, its
painting (``paint_ms``: its grab), each as the total over all frames, with ``other_ms``
for the rest (painting with ``--paint events``, drawings a panel put off to the next turn
of the event loop, the timeline bar). ``frame_slots_ms`` has each frame's slot time by panel;
``--profile FILE --profile-frames 0,28`` profiles only those frames (FILE.0, FILE.28).
Target: p99 <= 50 ms.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

from PySide6.QtCore import QEvent, QObject, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from explorer import jobs  # noqa: E402
from explorer.app import MainWindow  # noqa: E402


def settle(app: QApplication, seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.005)


def idle(app: QApplication, session, limit_s: float = 600.0) -> None:
    """Process events until no request is unanswered and no job runs (then a little more)."""
    end = time.perf_counter() + limit_s
    while time.perf_counter() < end:
        while (session.pending or jobs.running()) and time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.01)
        settle(app, 1.0)
        if not (session.pending or jobs.running()):  # nothing new asked meanwhile
            break


class PaintCounter(QObject):
    """Counts paint events per panel (any widget inside it)."""

    def __init__(self, panels: dict) -> None:
        super().__init__()
        self.panels = panels
        self.counts = {title: 0 for title in panels}

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            for title, panel in self.panels.items():
                if watched is panel or (hasattr(watched, "isWidgetType") and watched.isWidgetType()
                                        and panel.isAncestorOf(watched)):
                    self.counts[title] += 1
                    break
        return False


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--checkpoint", default=str(ROOT / "resources" / "checkpoints" / "en-de.safetensors"))
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--json", action="store_true")
    p.add_argument("--paint", choices=("events", "grab"), default="events",
                   help="events: Qt paints what a frame changed; grab: every panel painted in full")
    p.add_argument("--count-paints", action="store_true", help="count each panel's paint events")
    p.add_argument("--profile", metavar="FILE",
                   help="write a cProfile of the frames (the UI thread's CPU time) to FILE")
    p.add_argument("--profile-frames", metavar="LIST",
                   help="with --profile: only these frames (e.g. 0,28), each to FILE.N")
    args = p.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    settings = QSettings(str(Path(os.environ.get("TMPDIR", "/tmp")) / "replay-bench.ini"), QSettings.Format.IniFormat)
    settings.clear()
    window = MainWindow(settings=settings, open_default=False)
    window.ask_before_discard = False
    window.resize(1366, 768)
    window.show()
    for dock in window.docks.values():
        dock.setFloating(True)
        dock.resize(640, 480)
        dock.show()
    s = window.session
    s.load_checkpoint(args.checkpoint)
    start = time.perf_counter()
    while not (s.has_model and s.timeline and s.latest_trace is not None):
        app.processEvents()
        time.sleep(0.01)
        if time.perf_counter() - start > 300:
            print("the checkpoint did not load in 5 minutes", file=sys.stderr)
            return 1
    settle(app, 3.0)  # panels built, first drawings done
    attention = window.panels["Attention"]
    for tab in ("computation", "overview"):  # built when first shown: not a replay frame's cost
        attention.show_tab(tab)
        settle(app, 0.5)
    panels = {title: window.panel(title) for title in window.docks}  # built now if not yet
    panels = {title: panel for title, panel in panels.items() if panel is not None}
    idle(app, s)  # what loading and building asked for (embeddings, analyses, counts) answered first
    replay_ms = {title: 0.0 for title in panels}
    paint_ms = {title: 0.0 for title in panels}

    frame_slots: list[dict] = []  # each frame's slot times by panel

    def timed(title, slot):
        def run(snapshot):
            t = time.perf_counter()
            slot(snapshot)
            ms = (time.perf_counter() - t) * 1000
            replay_ms[title] += ms
            if frame_slots:
                frame_slots[-1][title] = frame_slots[-1].get(title, 0.0) + ms
        return run

    for title, panel in panels.items():  # each panel's answer to the timeline, timed
        slot = getattr(panel, "_on_replay", None)
        if slot is not None:
            try:
                s.sig_replay.disconnect(slot)
            except (RuntimeError, TypeError):  # connected some other way: left untimed
                continue
            s.sig_replay.connect(timed(title, slot))
    counter = PaintCounter(panels)
    if args.count_paints:  # an event filter on every event of the app: costs a little per event
        app.installEventFilter(counter)
    n = len(s.timeline)
    order = list(range(n)) + list(range(n - 2, -1, -1))
    frames, cpu = [], []
    profile = None
    chosen = {int(k) for k in args.profile_frames.split(",")} if args.profile_frames else None
    if args.profile:
        import cProfile

        profile = cProfile.Profile(time.thread_time)
        if chosen is None:
            profile.enable()
    for r in range(args.rounds):
        tab = "computation" if r == args.rounds - 1 else "overview"
        if attention.current_tab != tab:  # a tab opened is laid out and painted before the round:
            attention.show_tab(tab)      # not a replay frame's cost
            settle(app, 0.5)
        for i in order:
            if chosen is not None and len(frames) in chosen:
                profile = cProfile.Profile(time.thread_time)
                profile.enable()
            frame_slots.append({})
            t0, c0 = time.perf_counter(), time.thread_time()
            s.show_snapshot(i)
            app.processEvents()
            while getattr(s, "frame_pending", False):  # sent on the next turn of the event loop
                app.processEvents()
            if args.paint == "grab":
                for title, panel in panels.items():
                    if panel.isVisible():
                        t = time.perf_counter()
                        panel.grab()
                        paint_ms[title] += (time.perf_counter() - t) * 1000
            app.processEvents()
            app.processEvents()  # drawings put off to the next turn, and their painting
            frames.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.thread_time() - c0) * 1000)
            if chosen is not None and len(frames) - 1 in chosen:
                profile.disable()
                profile.dump_stats(f"{args.profile}.{len(frames) - 1}")
    if profile is not None and chosen is None:
        profile.disable()
        profile.dump_stats(args.profile)
    s.go_live()
    frames_sorted = sorted(frames)
    p99 = frames_sorted[min(len(frames) - 1, int(round(0.99 * (len(frames) - 1))))]
    total = sum(frames)
    shares = {title: {"replay_ms": round(replay_ms[title], 1), "paint_ms": round(paint_ms[title], 1),
                      "share": round((replay_ms[title] + paint_ms[title]) / total, 3),
                      "paints": counter.counts[title]}
              for title in panels}
    shares["other_ms"] = round(total - sum(replay_ms.values()) - sum(paint_ms.values()), 1)
    result = {"paint": args.paint, "checkpoint": args.checkpoint, "frames": len(frames),
              "frame_ms_p50": statistics.median(frames), "frame_ms_p99": p99,
              "frame_ms_max": max(frames), "frame_ms_each": [round(f) for f in frames],
              "frame_cpu_ms_each": [round(c) for c in cpu], "frame_cpu_ms_p50": statistics.median(cpu),
              "frame_cpu_ms_p99": sorted(cpu)[min(len(cpu) - 1, int(round(0.99 * (len(cpu) - 1))))],
              "frame_slots_ms": [{t: round(ms, 1) for t, ms in f.items()} for f in frame_slots],
              "panels": shares, "load_average": os.getloadavg(),
              "snapshots": [snap.step for snap in s.timeline],
              "panels_visible": [t for t, d in window.docks.items() if d.isVisible()]}
    print(f"{len(frames)} frames over {n} snapshots: p50 {result['frame_ms_p50']:.1f} ms, "
          f"p99 {p99:.1f} ms, max {result['frame_ms_max']:.1f} ms", file=sys.stderr)
    window.close()
    s.shutdown(5.0)
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
