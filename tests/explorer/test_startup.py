"""What the app does before its window paints and its model is in: no import it can do
without, the hidden panels' imports after the model. Mechanisms only; times are in
benchmarks/startup.py."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QSettings

from explorer.app import PANELS, MainWindow
from tests.explorer.test_worker import tiny_factory

ROOT = Path(__file__).resolve().parents[2]
# Needed by no view shown at start, nor by the model before it is in.
NOT_AT_START = ("torch", "sklearn", "scipy", "umap", "openTSNE", "sacrebleu", "tokenizers",
                "sentencepiece", "pyqtgraph.opengl", "superqt", "qtpy", "pygments", "numba")


def test_importing_the_app_imports_nothing_heavy():
    code = ("import json, sys, explorer.app, shibokensupport.feature as f, explorer.quickimports as q;"
            f"print(json.dumps([[m for m in {NOT_AT_START!r} if m in sys.modules],"
            " f._mod_uses_pyside is q.names_pyside]))")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=300, check=True)
    loaded, quick = json.loads(out.stdout.strip().splitlines()[-1])
    assert loaded == []
    assert quick  # PySide's look at each later import reads the file, not inspect's walk


def test_the_quicker_check_answers_as_pysides_own():
    import inspect

    import explorer.app
    import explorer.texts
    from explorer.quickimports import names_pyside

    for module in (explorer.app, explorer.texts, json, inspect, sys):
        try:
            expected = "PySide6" in inspect.getsource(module)
        except (OSError, TypeError):
            expected = False
        assert names_pyside(module) is expected, module.__name__


def test_pyqtgraphs_qt_mirrors_fetch_names_on_first_use():
    """pyqtgraph.Qt's copies of QtCore, QtGui and QtWidgets are not made at its import (that
    made every PySide6 class and enum), yet give each name PySide6's own object."""
    code = ("import json, explorer.quickimports as q, pyqtgraph.Qt as pq, PySide6.QtWidgets as w;"
            "before = 'QUndoView' in vars(pq.QtWidgets);"
            "same = all(getattr(getattr(pq, m), n) is getattr(getattr(__import__('PySide6.' + m), m), n)"
            " for m in q.MIRRORED for n in dir(getattr(__import__('PySide6.' + m), m))"
            " if not n.startswith('__'));"
            "print(json.dumps([q.LAZY_PYQTGRAPH, before, same, 'dir' in vars(pq),"
            " pq.QtGui.QFileSystemModel is w.QFileSystemModel, 'QUndoView' in vars(pq.QtWidgets)]))")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
           "PYQTGRAPH_QT_LIB": "PySide6"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=300, check=True)
    lazy, before, same, dir_left, patched, kept = json.loads(out.stdout.strip().splitlines()[-1])
    assert lazy and not before  # not copied at import
    assert same  # every name PySide6 has is its object through the mirror
    assert not dir_left and patched and kept  # pyqtgraph's own additions; a name fetched stays


def test_hidden_panels_are_imported_after_the_first_model(qtbot, tmp_path, monkeypatch):
    """The modules of the panels behind others wait for the model being opened at start:
    their imports would share the GIL and the cores with the worker's."""
    from explorer.session import Session

    monkeypatch.setattr(Session, "open_default", lambda self: None)  # the model comes later
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, panels=PANELS)
    qtbot.addWidget(window)
    window.show()
    qtbot.wait(800)  # well past the delay after showing that a window without a model waits
    assert window._preloader is None
    window.session.build(tiny_factory())
    qtbot.waitUntil(lambda: window._preloader is not None, timeout=30000)
    qtbot.waitUntil(lambda: window._preloader.finished, timeout=60000)
    window.ask_before_discard = False
    window.close()


def test_an_open_explanation_leaves_a_short_screen_to_the_panel(qtbot, monkeypatch):
    """On a 768-pixel screen an open explanation shows half as many lines (it scrolls), so
    the panel above it keeps room for its views."""
    from explorer import explain

    pane = explain.ExplanationPane("tokens")
    qtbot.addWidget(pane)
    line = pane.fontMetrics().lineSpacing()
    short = pane.screen().availableGeometry().height() < explain.SHORT_SCREEN_PX  # offscreen: 800 × 600
    lines = explain.SHORT_SCREEN_LINES if short else explain.VISIBLE_LINES
    assert pane.browser.maximumHeight() == line * lines
    monkeypatch.setattr(explain, "SHORT_SCREEN_PX", 0)  # as on a tall screen
    tall = explain.ExplanationPane("tokens")
    qtbot.addWidget(tall)
    assert tall.browser.maximumHeight() == line * explain.VISIBLE_LINES
