"""What the Attention panel's head switches cost the UI thread when a model arrives.

    python benchmarks/head_switches.py --json

Times ``HeadSwitches.set_shape`` for opus-mt's shape (6 layers x 8 heads x 3 kinds = 144
heads) with the grid closed, as it is when a model arrives, then opening the grid (which
makes the check boxes). Median of 6 after a warm-up; prints one JSON object.
"""
from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication  # noqa: E402

SHAPE = {"enc_self": (6, 8), "dec_self": (6, 8), "cross": (6, 8)}


def main() -> None:
    app = QApplication.instance() or QApplication([])
    from explorer.panels.attention.heads import HeadSwitches

    arrive, open_ = [], []
    for _ in range(7):
        w = HeadSwitches()
        w.show()
        app.processEvents()
        t = time.perf_counter()
        w.set_shape(SHAPE)
        w.show_off(set())
        app.processEvents()
        arrive.append((time.perf_counter() - t) * 1e3)
        t = time.perf_counter()
        w.toggle.setChecked(True)
        app.processEvents()
        open_.append((time.perf_counter() - t) * 1e3)
        w.deleteLater()
        app.processEvents()
    result = {"heads": 144, "model_arrives_ms": round(statistics.median(arrive[1:]), 2),
              "grid_opened_ms": round(statistics.median(open_[1:]), 2), "load_average": os.getloadavg()}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
