"""Screenshots of a model's training replay, as a new user sees it under X (e.g. Xvfb).

Starts the window as ``main.py gui`` does (fresh settings in a temporary file, the default
dock layout), opens ``--checkpoint`` (default: the shipped real-sentence en-de model, which
carries its history), presses Replay and lets it play to the end, then scrubs the timeline
to each ``--steps`` (the snapshot at or before each step; "last" for the last one) and
saves the whole screen with ImageMagick's ``import -window root`` as
``OUT/PREFIX-stepNNNNN-attention.png`` and ``...-embeddings.png``: the Attention panel's
overview and the projector, each brought to the front of its dock area in turn. Prints the files written as JSON.

    Xvfb :72 -screen 0 1366x768x24 &
    DISPLAY=:72 python benchmarks/replay_shots.py --out /tmp/shots --prefix replay
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from explorer import jobs, theme  # noqa: E402
from explorer.app import MainWindow  # noqa: E402
from explorer.widgets import plotnav  # noqa: E402


def wait(app: QApplication, done, limit_s: float = 600.0) -> bool:
    end = time.perf_counter() + limit_s
    while not done():
        if time.perf_counter() > end:
            return False
        app.processEvents()
        time.sleep(0.02)
    return True


def settle(app: QApplication, session, seconds: float = 2.0) -> None:
    """Until no request, job or frame is pending, then ``seconds`` more of events."""
    wait(app, lambda: not (session.pending or jobs.running() or session.frame_pending))
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.02)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--checkpoint", default=str(ROOT / "resources" / "checkpoints" / "tatoeba-en-de.safetensors"))
    p.add_argument("--steps", default="0,100,500,last")
    p.add_argument("--out", default=".")
    p.add_argument("--prefix", default="replay")
    p.add_argument("--panels", default="Attention,Embeddings", help="docks brought to the front in turn")
    args = p.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    theme.apply_theme("light")
    plotnav.install(app)
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "shots.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, open_default=False)
    window.ask_before_discard = False
    window.showMaximized()
    s = window.session
    s.load_checkpoint(args.checkpoint)
    if not wait(app, lambda: s.has_model and s.timeline and s.latest_trace is not None and s.corpus is not None):
        print("the checkpoint did not load", file=sys.stderr)
        return 1
    for title in ("Attention", "Embeddings"):
        window.docks[title].raise_()
    settle(app, s, 3.0)
    bar = window.timeline_bar
    bar.play_button.click()  # what a new user does: Replay, and watch it play
    wait(app, lambda: not s.replay_state.playing and not s.frame_pending)
    steps = [snap.step for snap in s.timeline]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for want in args.steps.split(","):
        index = len(steps) - 1 if want == "last" else max(i for i, step in enumerate(steps) if step <= int(want))
        bar.slider.setValue(index)
        for title in args.panels.split(","):  # one dock area: each brought to the front in turn
            window.docks[title].raise_()
            settle(app, s, 2.0)
            path = out / f"{args.prefix}-step{steps[index]:05d}-{title.lower()}.png"
            subprocess.run(["import", "-window", "root", str(path)], check=True)
            written.append({"step": steps[index], "file": str(path), "state": bar.state_label.text()})
    s.go_live()
    window.close()
    s.shutdown(5.0)
    print(json.dumps({"snapshots": steps, "shots": written}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
