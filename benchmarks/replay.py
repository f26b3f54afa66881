"""How smoothly the window replays a model's training history.

Opens the main window on a checkpoint that carries its history (default: the shipped
en-de model), makes every panel visible at once (each dock floated as its own window), and
moves the window's timeline through every snapshot, forwards and back, ``--rounds`` times.
A frame is the time from ``Session.show_snapshot`` until the event loop has drawn every
panel (events processed, every panel grabbed, i.e. painted); the attention panel shows its
overview, the computation view once per round.

    python benchmarks/replay.py --json [--checkpoint PATH --rounds 3]

Prints frame_ms p50 / p99 / max and the snapshot steps. Target: p99 <= 50 ms.
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

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from explorer.app import MainWindow  # noqa: E402


def settle(app: QApplication, seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.005)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--checkpoint", default=str(ROOT / "resources" / "checkpoints" / "en-de.safetensors"))
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--json", action="store_true")
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
    panels = [window.panel(title) for title in window.docks]
    attention = window.panels["Attention"]
    n = len(s.timeline)
    order = list(range(n)) + list(range(n - 2, -1, -1))
    frames = []
    for r in range(args.rounds):
        attention.show_tab("computation" if r == args.rounds - 1 else "overview")
        for i in order:
            t0 = time.perf_counter()
            s.show_snapshot(i)
            app.processEvents()
            for panel in panels:
                if panel is not None and panel.isVisible():
                    panel.grab()
            app.processEvents()
            frames.append((time.perf_counter() - t0) * 1000)
    s.go_live()
    frames_sorted = sorted(frames)
    p99 = frames_sorted[min(len(frames) - 1, int(round(0.99 * (len(frames) - 1))))]
    result = {"frames": len(frames), "frame_ms_p50": statistics.median(frames), "frame_ms_p99": p99,
              "frame_ms_max": max(frames), "snapshots": [snap.step for snap in s.timeline],
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
