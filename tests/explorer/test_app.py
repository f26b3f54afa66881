"""The main window: panels in docks, menus, settings, closing mid-training, errors, smoke run."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox

from explorer.app import PANELS, MainWindow
from tests.explorer.test_worker import tiny_factory

ROOT = Path(__file__).resolve().parents[2]
TRAINING_ONLY = [spec for spec in PANELS if spec.title == "Training"]


def make_window(qtbot, tmp_path, panels=TRAINING_ONLY) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, panels=panels, open_default=False)
    qtbot.addWidget(window)
    window.show()
    return window


def close_window(window: MainWindow) -> None:
    window.ask_before_discard = False
    window.close()


def load_tiny(qtbot, window: MainWindow) -> None:
    window.session.build(tiny_factory())
    qtbot.waitUntil(lambda: bool(window.session.has_model and window.session.latest_trace is not None),
                    timeout=20000)


def menu_actions(window: MainWindow, title: str) -> dict[str, str]:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == title)
    return {a.text().replace("&", ""): a.shortcut().toString() for a in menu.actions() if a.text()}


def test_every_panel_fits_a_1366_by_768_screen(qtbot, tmp_path):
    """No panel's minimum makes the window wider or taller than a 1366 × 768 screen: a dock
    narrower than its panel scrolls (the attention panel's input rows alone need ~760 px)."""
    window = make_window(qtbot, tmp_path, panels=PANELS)
    for title in window.docks:
        assert window.panel(title) is not None, title
    hint = window.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 768, hint
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.width() == 1366)
    close_window(window)


def test_no_panel_scrolls_sideways_in_a_1366_pixel_window(qtbot, tmp_path):
    """In the default layout of a 1366 × 768 window every panel fits its dock: nothing of
    the Training panel's buttons or the Attention panel's reference hides off the right."""
    window = make_window(qtbot, tmp_path, panels=PANELS)
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.width() == 1366)
    window.reset_layout()
    for title, dock in window.docks.items():
        dock.raise_()
        panel = window.panel(title)
        qtbot.waitUntil(lambda dock=dock: dock.isVisible() and dock.width() > 300)
        assert panel.minimumSizeHint().width() <= dock.widget().viewport().width(), title
    close_window(window)


def test_window_has_docks_menus_and_status(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    assert set(window.docks) == {"Training"}
    assert window.docks["Training"].widget().widget() is window.panels["Training"]
    file_menu = menu_actions(window, "File")
    assert file_menu["Save checkpoint…"] == "Ctrl+S" and file_menu["Quit"] == "Ctrl+Q"
    for name in ("Open corpus…", "Open checkpoint…", "Export current view…"):
        assert name in file_menu
    assert "Training" in menu_actions(window, "View") and "Reset layout" in menu_actions(window, "View")
    assert set(menu_actions(window, "Help")) == {"Guided tour", "Keyboard shortcuts", "About"}
    load_tiny(qtbot, window)
    info = window.session.info
    assert window.params_label.text() == f"parameters: {info.n_params:,}"
    assert window.device_label.text() == "device: cpu"
    close_window(window)


def test_a_new_model_clears_the_last_ones_speed_in_the_status_bar(qtbot, tmp_path):
    """After another corpus or a rebuild the status bar said the old model's tokens/s."""
    window = make_window(qtbot, tmp_path)
    load_tiny(qtbot, window)
    assert window.speed_label.text() == "tokens/s: –"
    window.session.step(1)
    qtbot.waitUntil(lambda: window.speed_label.text() != "tokens/s: –", timeout=20000)
    window.session.build(tiny_factory())
    qtbot.waitUntil(lambda: window.step_label.text() == "step: 0", timeout=20000)
    assert window.speed_label.text() == "tokens/s: –"
    close_window(window)


def test_missing_panel_modules_are_left_out(qtbot, tmp_path):
    from explorer.panels.base import PanelSpec

    window = make_window(qtbot, tmp_path, panels=TRAINING_ONLY + [PanelSpec("Nothing", "explorer.panels.no_such:X")])
    assert list(window.docks) == ["Training"]
    close_window(window)


def test_background_imports_hold_garbage_collection_until_done(qtbot, tmp_path, monkeypatch):
    from explorer.garbage import collect_garbage_on_ui_thread

    collector = collect_garbage_on_ui_thread()
    held = []
    monkeypatch.setattr(collector, "suspend", lambda: (held.append(True), type(collector).suspend(collector)))
    window = make_window(qtbot, tmp_path, panels=PANELS)  # panels behind others: imported soon after
    qtbot.waitUntil(lambda: window._preloader is not None, timeout=5000)
    assert held
    qtbot.waitUntil(lambda: window._preloader.finished and not collector.suspended, timeout=20000)
    close_window(window)


def test_settings_are_restored_on_a_second_start(qtbot, tmp_path):
    first = make_window(qtbot, tmp_path)
    first.resize(700, 500)  # within the offscreen screen (800 x 600)
    first.docks["Training"].setFloating(True)
    first.add_recent("/data/corpus.tsv")
    first.add_recent("/data/model.safetensors")
    close_window(first)
    second = make_window(qtbot, tmp_path)
    assert (second.width(), second.height()) == (700, 500)
    assert second.docks["Training"].isFloating()
    assert second.recent_files() == ["/data/model.safetensors", "/data/corpus.tsv"]
    assert [a.text() for a in second.recent_menu.actions()] == second.recent_files()
    second.reset_layout()
    assert not second.docks["Training"].isFloating()
    close_window(second)


def test_closing_mid_training_asks_and_joins_the_thread(qtbot, tmp_path, monkeypatch, qtlog):
    window = make_window(qtbot, tmp_path)
    load_tiny(qtbot, window)
    asked = []

    def answer(*args, **kwargs):
        asked.append(args[2])
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    window.session.play()
    qtbot.waitUntil(lambda: len(window.session.history) >= 3, timeout=20000)
    start, n_messages = time.monotonic(), len(qtlog.records)
    assert window.close()
    assert time.monotonic() - start < 2.0
    assert not window.session._worker.isRunning()
    assert asked and "not saved" in asked[0]
    closing = qtlog.records[n_messages:]
    assert not [r.message for r in closing if r.type.name in ("QtWarningMsg", "QtCriticalMsg")]


def test_cancelled_close_keeps_training(qtbot, tmp_path, monkeypatch):
    window = make_window(qtbot, tmp_path)
    load_tiny(qtbot, window)
    window.session.step(2)
    qtbot.waitUntil(lambda: len(window.session.history) == 2, timeout=20000)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    assert not window.close()
    assert window.session._worker.isRunning()
    close_window(window)


def test_worker_error_shows_a_dialog_and_the_app_goes_on(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    load_tiny(qtbot, window)
    bogus = tmp_path / "notes.safetensors"
    bogus.write_text("not a checkpoint")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(bogus))])
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                      Qt.KeyboardModifier.NoModifier)
    window.dropEvent(drop)
    qtbot.waitUntil(lambda: getattr(window, "error_box", None) is not None, timeout=20000)
    box = window.error_box
    assert box.isVisible() and str(bogus) in box.text() and "Traceback" in box.detailedText()
    box.close()
    window.session.step(1)
    qtbot.waitUntil(lambda: bool(window.session.history), timeout=20000)
    assert window.step_label.text() == "step: 1"
    assert window.recent_files()[0] == str(bogus)
    close_window(window)


def test_export_current_view(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    panel = window.current_panel()
    assert panel is window.panels["Training"]
    png = panel.export(tmp_path / "view.png")
    svg = panel.export(tmp_path / "view.svg")
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    assert (image.width(), image.height()) == (panel.width(), panel.height())
    assert "<svg" in svg.read_text()
    close_window(window)


@pytest.mark.slow
def test_gui_smoke_run_exits_cleanly(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path), HOME=str(tmp_path))
    result = subprocess.run([sys.executable, "main.py", "gui", "--smoke"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "smoke:" in result.stdout and "Training" in result.stdout
    assert (tmp_path / "TransformerExplorer").exists()  # settings went to the temporary home


def test_open_run_log_shows_its_curves_in_the_training_panel(qtbot, tmp_path):
    from model.runlog import RunLog
    from model.trace import StepReport

    path = tmp_path / "server.runlog.jsonl"
    log = RunLog(path, {"world_size": 2})
    for step in (1, 2, 3):
        evaluated = {"valid_loss": 4.0, "valid_accuracy": 0.3, "valid_bleu": 5.0, "valid_chrf": 9.0} if step == 2 else {}
        log.step(StepReport(step=step, loss=6.0 - step, lr=1e-3, grad_norm=1.0, tokens=100, tokens_per_s=500.0,
                            elapsed_s=step, **evaluated))
    log.close(step=3)
    window = make_window(qtbot, tmp_path)
    assert "Open run log…" in menu_actions(window, "File")
    window.open_run_log(str(path))
    qtbot.waitUntil(lambda: "server.runlog.jsonl" in window.panels["Training"].curves_note.text(), timeout=10000)
    curves = window.panels["Training"].curves
    assert curves._series["train loss"].n == 3 and list(curves._series["train loss"].y[:3]) == [5.0, 4.0, 3.0]
    assert curves._series["BLEU"].n == 1
    assert "3 steps, 1 evaluations" in window.panels["Training"].curves_note.text()
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n")
    window.open_run_log(str(bad))
    qtbot.waitUntil(lambda: getattr(window, "error_box", None) is not None, timeout=10000)
    assert str(bad) in window.error_box.text()  # the message names the file
    assert "run log" in window.error_box.text() and "not a Transformer Explorer run log" in window.error_box.detailedText()
    close_window(window)
