"""Starting the desktop app: ``run_app`` makes the QApplication and the main window; with
``smoke_steps`` it builds every panel, trains that many steps through the worker and exits
(``python main.py gui --smoke``, what CI and the README check).
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, QTimer, Slot
from PySide6.QtWidgets import QApplication

from explorer import i18n, theme
from explorer.app import MainWindow
from explorer.requests import Message, ModelInfo
from explorer.settings import APPLICATION, ORGANIZATION, make_settings
from explorer.tour import offer_on_first_start
from explorer.widgets import plotnav


def run_app(argv: list[str], smoke_steps: int = 0, settings: QSettings | None = None) -> int:
    """Start the app; with ``smoke_steps`` build everything, train that many steps, and exit.

    Returns the process exit code (non-zero when the smoke run fails or times out).
    """
    app = QApplication.instance() or QApplication(argv)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    settings = settings or make_settings()
    i18n.setup_language(app, settings)
    theme.apply_theme(theme.saved_theme(settings))
    plotnav.install(app)  # wheel, zoom and reset alike on every plot
    window = MainWindow(settings=settings)
    window.show()
    if not smoke_steps:
        offer_on_first_start(window)
    code = _smoke(app, window, smoke_steps) if smoke_steps else app.exec()
    # Tear Qt down while Python is still whole: no widget outlives the application.
    window.deleteLater()
    del window
    app.processEvents()
    app.shutdown()
    return code


class _SmokeRun(QObject):
    """Trains a few steps through the worker as soon as a model is in, then quits the app."""

    def __init__(self, app: QApplication, window: MainWindow, steps: int) -> None:
        super().__init__()
        self.app, self.window, self.session, self.steps = app, window, window.session, steps
        self.target: int | None = None
        self.code = 1
        self.session.sig_model_changed.connect(self._on_model_changed)
        self.session.sig_step.connect(self._on_step)
        self.session.sig_error.connect(self._on_error)

    @Slot(object)
    def _on_model_changed(self, info: ModelInfo) -> None:
        if self.target is None:
            self.target = info.step + self.steps
            self.session.step(self.steps)

    @Slot(object)
    def _on_step(self, report) -> None:
        if self.target is not None and report.step >= self.target:
            self.code = 0
            self.window.ask_before_discard = False
            self.app.quit()

    @Slot(object, object)
    def _on_error(self, message: Message, details: Message) -> None:
        print(message.text(), details.text(), sep="\n")
        self.window.ask_before_discard = False
        self.app.quit()


def _smoke(app: QApplication, window: MainWindow, steps: int, timeout_s: float = 120) -> int:
    """Train ``steps`` steps through the worker, then close; 0 when they all arrived."""
    run = _SmokeRun(app, window, steps)
    for title in list(window.docks):
        window.panel(title)
    QTimer.singleShot(int(timeout_s * 1000), app.quit)
    app.exec()
    window.ask_before_discard = False
    window.close()
    print(f"smoke: {len(window.panels)} panels ({', '.join(window.panels)}), "
          f"{len(window.session.history)} training steps, exit {run.code}")
    return run.code
