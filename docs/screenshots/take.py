"""Take the README's screenshots from the running app (it opens the shipped en-de checkpoint).

Run under a virtual X server so the pictures are what a desktop shows:

    xvfb-run -a -s "-screen 0 1600x1000x24" python docs/screenshots/take.py

Writes main-window.png, tour.png and attention-zh.png next to this file.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from explorer import i18n, theme
from explorer.app import MainWindow
from explorer.tour import STOPS, start_tour, trace_in_attention

SIZE = (1440, 900)
WIDTH = 1200  # pixels of the saved picture


def wait(app: QApplication, done, timeout_s: float = 60.0, settle_s: float = 0.5) -> None:
    """Process events until ``done()``, then a little longer so every view has drawn."""
    deadline = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not get there in time")
        app.processEvents()
        time.sleep(0.02)
    end = time.monotonic() + settle_s
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def save(window: MainWindow, name: str) -> None:
    picture = window.grab().toImage()
    picture = picture.scaledToWidth(WIDTH, Qt.TransformationMode.SmoothTransformation)
    # 256 colours: a sixth of the file size, and the colour maps still read the same
    picture = picture.convertToFormat(QImage.Format.Format_Indexed8,
                                      Qt.ImageConversionFlag.ThresholdDither
                                      | Qt.ImageConversionFlag.AvoidDither)
    picture.save(str(HERE / name), "PNG")
    print(f"wrote {HERE / name} ({(HERE / name).stat().st_size // 1024} KiB)")


def traced(window: MainWindow, since: object):
    return lambda: window.session.latest_trace is not None and window.session.latest_trace is not since


def open_window(app: QApplication, lang: str) -> MainWindow:
    """A window started in ``lang`` (as on a first start in that language) with the model in."""
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "settings.ini"), QSettings.Format.IniFormat)
    i18n.setup_language(app, settings, lang)
    theme.apply_theme("light")
    window = MainWindow(settings=settings)
    window.resize(*SIZE)
    window.show()
    wait(app, lambda: window.session.has_model and window.session.latest_trace is not None)
    return window


def close(window: MainWindow) -> None:
    window.ask_before_discard = False
    window.close()


def main() -> None:
    app = QApplication(sys.argv[:1])
    window = open_window(app, "en")
    before = window.session.latest_trace
    trace_in_attention(window, "overview")
    wait(app, traced(window, before), settle_s=1.5)
    save(window, "main-window.png")

    tour = start_tour(window)
    before = window.session.latest_trace
    tour.go([s.key for s in STOPS].index("self-attention"))
    wait(app, traced(window, before), settle_s=1.5)
    save(window, "tour.png")
    close(window)

    window = open_window(app, "zh")
    tour = start_tour(window)
    before = window.session.latest_trace
    tour.go([s.key for s in STOPS].index("cross-attention"))
    wait(app, traced(window, before), settle_s=1.5)
    save(window, "attention-zh.png")
    close(window)


if __name__ == "__main__":
    main()
