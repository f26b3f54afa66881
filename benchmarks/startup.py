"""How long the app takes to start: from launching Python to a painted window.

Each run starts a fresh interpreter (as a user does) that imports the app, builds the
main window offscreen with a throwaway settings file, and reports when the window is
first painted and when the worker has the default model in. Times count from just
before the interpreter is launched. The child writes and reads bytecode caches as a user's
Python does, whatever PYTHONDONTWRITEBYTECODE says here (the first run may compile).

    python benchmarks/startup.py --json [--runs 3] [--python /path/to/venv/bin/python]
                                        [--against /path/to/another/checkout]

With ``--python`` the app is started by that interpreter from its installed package
(``pip install .``), not from this checkout. With ``--against`` the runs alternate between
this checkout and another one (e.g. ``git archive main | tar -x -C /tmp/old``), and the
other's medians and the ratios (this / other) are printed too: on a busy machine only a
ratio measured in one run means something.

Prints import_s (Python started and explorer.app imported), first_paint_s (first paint
event of the main window), model_ready_s (the worker's first sig_model_changed: the model
can be traced, translated and inspected), trainer_ready_s (the model_changed that brings the
training corpus; the same moment when the corpus comes with the model), the median over
the runs of each, and the runs themselves; each with ``_cpu_s`` too: the process's CPU time
(user + system, all threads) at that point, which a busy machine changes far less than the
wall time (the UI thread and the worker share the GIL, so on an idle machine the wall time
to the model is about this CPU time). Targets: first_paint_s < 3, model_ready_s ≤ 3 on an
idle 2-core machine.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEYS = ("import_s", "first_paint_s", "model_ready_s", "trainer_ready_s",
        "import_cpu_s", "first_paint_cpu_s", "model_ready_cpu_s", "trainer_ready_cpu_s")

CHILD = r"""
import os, sys, time, json
t0 = float(sys.argv[1])
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication
import explorer.app as shell
from explorer import i18n
def cpu():
    t = os.times()
    return round(t.user + t.system, 3)
times = {"import_s": time.time() - t0, "import_cpu_s": cpu()}
app = QApplication(sys.argv[:1])
settings = QSettings(sys.argv[2], QSettings.Format.IniFormat)
i18n.setup_language(app, settings)

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and "first_paint_s" not in times:
            times["first_paint_s"] = time.time() - t0
            times["first_paint_cpu_s"] = cpu()
        return False

def on_model(info):
    if "model_ready_s" not in times:
        times.update(model_ready_s=time.time() - t0, model_ready_cpu_s=cpu())
    corpus = info.get("corpus") if isinstance(info, dict) else info.corpus  # a dict before ModelInfo
    if corpus is not None:
        if "trainer_ready_s" not in times:
            times.update(trainer_ready_s=time.time() - t0, trainer_ready_cpu_s=cpu())
        app.quit()

window = shell.MainWindow(settings=settings)
window.session.sig_model_changed.connect(on_model)
watcher = FirstPaint()
window.installEventFilter(watcher)
window.show()
QTimer.singleShot(120_000, app.quit)
app.exec()
print(json.dumps(times), flush=True)
window.ask_before_discard = False
window.close()
os._exit(0)  # the figures are out; tearing Qt down is not part of starting up
"""


def one_run(python: str | None = None, root: Path = ROOT) -> dict[str, float]:
    """Start the app once in a fresh interpreter; its milestones in seconds.

    ``python``: an interpreter with the app installed (default: this one, on ``root``).
    """
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        env.pop("PYTHONPATH", None)
        # as a user's Python: the app's modules compiled once and cached (__pycache__), not
        # compiled again at each start (about 0.15 s of CPU where the variable is set)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if python is None:
            env["PYTHONPATH"] = str(root)
        start = time.time()
        command = [python or sys.executable, "-c", CHILD, repr(start), str(Path(tmp) / "s.ini")]
        out = subprocess.run(command, check=False, cwd=tmp, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"start-up run failed ({out.returncode}):\n{out.stderr[-2000:]}")
    line = [ln for ln in out.stdout.splitlines() if ln.startswith("{")][-1]
    return json.loads(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh starts to take the median of")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--python", help="interpreter with the app installed (default: this checkout)")
    parser.add_argument("--against", type=Path, help="another checkout, started alternately")
    args = parser.parse_args()
    runs, other = [], []
    for _ in range(args.runs):
        runs.append(one_run(args.python))
        if args.against:
            other.append(one_run(None, args.against.resolve()))

    def medians(rs):
        return {key: round(statistics.median(r[key] for r in rs if key in r), 3)
                for key in KEYS if any(key in r for r in rs)}

    result = medians(runs)
    if args.against:
        against = medians(other)
        result["against"] = {**against, "root": str(args.against), "runs": other}
        result["ratio"] = {key: round(result[key] / against[key], 3) for key in result
                           if key in against and against[key]}
    result.update(runs=runs, cpu_count=os.cpu_count(), python=platform.python_version(),
                  machine=platform.machine(), installed=args.python is not None)
    if args.json:
        print(json.dumps(result))
    else:
        for key in KEYS:
            if key in result:
                print(f"{key:15s} {result[key]:.2f} s")


if __name__ == "__main__":
    main()
