"""The main window: dockable panels, menus, settings, status bar.

Every panel lives in its own QDockWidget, so it can be moved, tabbed or torn off. Panels
are listed in ``PANELS`` (title, ``module:Class``, default dock area); a panel whose
module is not found is left out. Window geometry, the dock layout and recent files
persist in QSettings (organisation "TransformerExplorer").

Start-up is lazy: a panel is built when its dock is first shown (``panel(title)``), so
the window paints before torch and scikit-learn are imported on the UI thread. Once the
first model is in (or just after the first paint when no model is being opened), the
modules of the panels not shown yet are imported in a job, while the worker reads the
training corpus: those imports hold the GIL in long stretches, so they neither delay the
model (they would share the GIL and the cores with torch's import) nor, during the first
seconds of training, stall the UI thread by 20-50 ms at a time.

Help > Guided tour (F1) opens the tour (explorer/tour.py); each panel gets an
explanation pane (explorer/explain.py); View > Language and View > Theme switch the
interface language (explorer/i18n.py) and colours (explorer/theme.py).
"""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QByteArray,
    QCoreApplication,
    QEvent,
    QSettings,
    QSize,
    Qt,
    QTimer,
    Slot,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFrame,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QToolBar,
    QWidget,
)

from explorer import quickimports  # noqa: F401 - first: before pyqtgraph's and torch's imports

# isort: split
from explorer import jobs
from explorer.explain import attach_explanations
from explorer.garbage import collect_garbage_on_ui_thread
from explorer.menus import MenuActions
from explorer.opening import OpenActions
from explorer.panels.base import PanelSpec, import_modules
from explorer.requests import Message, ModelInfo
from explorer.session import Session
from explorer.settings import make_settings, recent_files, remember_recent
from explorer.tour import start_tour

MAX_RECENT = 8
POOL_WAIT_MS = 3000  # at closing, the most time given to panel jobs still running
PRELOAD_DELAY_MS = 300  # after the first model (or the window's showing): paint comes first
CHECKPOINT_SUFFIXES = (".safetensors",)

L, R, B = (Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea,
           Qt.DockWidgetArea.BottomDockWidgetArea)

# One line per panel: title, "module:Class" (built as Class(session)), default dock area.
PANELS = [
    PanelSpec(QT_TRANSLATE_NOOP("Panels", "Training"), "explorer.panels.training:TrainingPanel", L),
    PanelSpec(QT_TRANSLATE_NOOP("Panels", "Attention"), "explorer.panels.attention:AttentionPanel", R),
    PanelSpec(QT_TRANSLATE_NOOP("Panels", "Tokens"), "explorer.panels.tokens:TokensPanel", R),
    PanelSpec(QT_TRANSLATE_NOOP("Panels", "Embeddings"), "explorer.panels.embeddings:EmbeddingsPanel", R),
    PanelSpec(QT_TRANSLATE_NOOP("Panels", "Word2vec"), "explorer.panels.word2vec:Word2VecPanel", R),
    PanelSpec(QT_TRANSLATE_NOOP("Panels", "Positional"), "explorer.panels.positional:PositionalPanel", R),
    PanelSpec(QT_TRANSLATE_NOOP("Panels", "Analysis"), "explorer.panels.analysis:AnalysisPanel", R),
]

class PanelFrame(QScrollArea):
    """A panel in its dock. A dock narrower than the panel's minimum width scrolls sideways
    instead of making the window wider than the screen (a 1366 × 768 screen holds it); in
    height the panel follows the dock, as it would without the frame."""

    def __init__(self, panel: QWidget) -> None:
        super().__init__()
        self.setWidget(panel)
        self.setWidgetResizable(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        panel.installEventFilter(self)

    def sizeHint(self) -> QSize:
        return self.widget().sizeHint()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:  # the panel's minimum may have changed
            self._fit()
        return False

    def _fit(self) -> None:
        panel = self.widget()
        width = max(self.width(), panel.minimumSizeHint().width())
        bar = self.horizontalScrollBar().sizeHint().height() if width > self.width() else 0
        panel.resize(width, max(self.height() - bar, 0))


class MainWindow(MenuActions, OpenActions, QMainWindow):
    """Dock panels around a shared Session; menus, settings, drag and drop, status bar.

    Args:
        session: the Session to use (a new one is made when None).
        settings: where geometry, layout and recent files persist (default: the user's).
        panels: the panel list (default PANELS).
        open_default: open the shipped checkpoint (or build a fresh model) at once.
    """

    def __init__(self, session: Session | None = None, settings: QSettings | None = None,
                 panels: list[PanelSpec] | None = None, open_default: bool = True) -> None:
        super().__init__()
        self.setWindowTitle("Transformer Explorer")
        self.setAcceptDrops(True)
        self.setDockNestingEnabled(True)
        self.session = session or Session(self)
        self.settings = settings or make_settings()
        self.docks: dict[str, QDockWidget] = {}
        self.panels: dict[str, QWidget] = {}  # the panels built so far (see panel())
        self._specs: dict[str, PanelSpec] = {}
        self._preloader: jobs.Job | None = None  # imports the modules of panels not built yet
        self.tour = None
        self.ask_before_discard = True
        self._last_panel: QWidget | None = None
        self._closing = False
        self._model_info: ModelInfo | None = None  # the last sig_model_changed payload
        self._preload_with_model = open_default  # hidden panels' imports wait for that model

        self._build_panels(panels if panels is not None else PANELS)
        self._build_timeline()
        self._default_state = self.saveState()
        self._build_menus()
        self._build_status_bar()
        self._connect_session()
        self._restore_settings()
        QApplication.instance().focusChanged.connect(self._on_focus_changed)
        if open_default:
            self.session.open_default()

    def showEvent(self, event) -> None:
        """Shown: the visible docks build their panels now; the others' modules are imported
        once the model being opened is in, else soon after the first paint (once)."""
        super().showEvent(event)
        if not self._preload_with_model or self.session.has_model:
            QTimer.singleShot(PRELOAD_DELAY_MS, self, self._preload_panels)

    # -- construction ----------------------------------------------------------------------
    def _build_panels(self, specs: list[PanelSpec]) -> None:
        """A dock per panel whose module exists; the panel itself is built on first show."""
        first_in_area: dict[Qt.DockWidgetArea, QDockWidget] = {}
        for spec in specs:
            if importlib.util.find_spec(spec.target.split(":")[0]) is None:
                continue
            dock = QDockWidget(QCoreApplication.translate("Panels", spec.title), self)
            dock.setObjectName(spec.object_name)
            dock.setWidget(QLabel(self.tr("Loading…"), alignment=Qt.AlignmentFlag.AlignCenter))
            dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                             | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                             | QDockWidget.DockWidgetFeature.DockWidgetClosable)
            dock.visibilityChanged.connect(self._on_dock_visible)
            self.addDockWidget(spec.area, dock)
            if spec.area in first_in_area:
                self.tabifyDockWidget(first_in_area[spec.area], dock)
            else:
                first_in_area[spec.area] = dock
            self.docks[spec.title] = dock
            self._specs[spec.title] = spec
        for dock in first_in_area.values():
            dock.raise_()
        self._area_heads = list(first_in_area.values())

    def _build_timeline(self) -> None:
        """The training timeline under the docks: one slider and replay for every panel."""
        from explorer.widgets.timeline import TimelineBar

        self.timeline_bar = TimelineBar(self.session)
        bar = QToolBar(self.tr("Training timeline"), self)
        bar.setObjectName("TimelineToolBar")
        bar.setMovable(False)
        bar.addWidget(self.timeline_bar)
        self.addToolBar(Qt.ToolBarArea.BottomToolBarArea, bar)

    def panel(self, title: str) -> QWidget | None:
        """The panel of dock ``title``, built now if it was not yet (None if it cannot be)."""
        if title not in self.panels and title in self._specs:
            cls = self._specs[title].load()
            if cls is None:
                return None
            panel = cls(self.session)
            self.docks[title].setWidget(PanelFrame(panel))
            self.panels[title] = panel
            attach_explanations({title: panel})
            if hasattr(panel, "sig_vectors"):  # word2vec hands its vectors to the projector
                panel.sig_vectors.connect(self._on_vectors)
        return self.panels.get(title)

    def hold_explanation(self, title: str, held: bool) -> None:
        """Fold the explanation under panel ``title`` for a while (True), or show it again
        as the person chose (False): the tour's dock opens below the Training panel."""
        pane = getattr(self.panels.get(title), "explanation", None)
        if pane is not None:
            pane.hold_folded(held)

    @Slot(bool)
    def _on_dock_visible(self, visible: bool) -> None:
        if visible:
            title = next(t for t, d in self.docks.items() if d is self.sender())
            self.panel(title)

    def _preload_panels(self) -> None:
        """Import the modules of the panels not built yet, in a background thread."""
        targets = [self._specs[t].target for t in self._specs if t not in self.panels]
        if targets and self._preloader is None and not self._closing:
            self._preloader = jobs.Job(import_modules, (targets,))
            collector = collect_garbage_on_ui_thread()
            collector.suspend()  # imports make long-lived objects: freeze them when done
            self._preloader.sig_finished.connect(collector.resume)
            self._preloader.start()

    @Slot(object, object)
    def _on_vectors(self, snapshot, frequencies) -> None:
        """Word vectors for the projector: show them in the Embeddings panel, in front."""
        projector = self.panel("Embeddings")
        if projector is not None:
            self.docks["Embeddings"].show()
            self.docks["Embeddings"].raise_()
            projector.show_embeddings(snapshot, frequencies=frequencies)

    @Slot()
    def _size_docks(self) -> None:
        """Default split: the left area (training) 45 % of the width, the right 55 %."""
        if len(self._area_heads) > 1:
            width = self.width()
            self.resizeDocks(self._area_heads[:2], [int(0.45 * width), int(0.55 * width)],
                             Qt.Orientation.Horizontal)

    def changeEvent(self, event) -> None:
        """On a language change, rebuild the menus and retitle the docks in the new language."""
        if event.type() == QEvent.Type.LanguageChange and self.docks:
            self._rebuild_menus()
            for title, dock in self.docks.items():
                dock.setWindowTitle(QCoreApplication.translate("Panels", title))
            self._show_status()
            self._show_title()
        super().changeEvent(event)

    def _build_status_bar(self) -> None:
        self.device_label, self.step_label, self.params_label, self.speed_label = (
            QLabel() for _ in range(4))
        self._status = {"device": "–", "step": "–", "params": "–", "speed": "–"}
        self._show_status()
        for label in (self.device_label, self.step_label, self.params_label, self.speed_label):
            self.statusBar().addPermanentWidget(label)
        self.statusBar().showMessage(self.tr("Loading the model…"))

    def _connect_session(self) -> None:
        s = self.session
        s.sig_model_changed.connect(self._on_model_changed)
        s.sig_step.connect(self._on_step)
        s.sig_error.connect(self._on_error)
        s.sig_busy.connect(self._on_busy)
        s.sig_message.connect(self._on_message)
        if hasattr(s, "sig_frame_sent"):  # a replay frame laid out and prepared before painting
            from explorer.widgets.frames import settle_frame

            s.sig_frame_sent.connect(settle_frame)

    # -- settings --------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:  # the default size, on a screen smaller than that all of it
            screen = self.screen().availableGeometry()
            self.resize(min(1400, screen.width()), min(900, screen.height()))
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        else:
            QTimer.singleShot(0, self._size_docks)

    def save_settings(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.sync()

    def recent_files(self) -> list[str]:
        return recent_files(self.settings)

    def add_recent(self, path: str) -> None:
        remember_recent(self.settings, path, MAX_RECENT)
        self._fill_recent_menu()

    @Slot()
    def reset_layout(self) -> None:
        """Every panel back in its default dock place."""
        for dock in self.docks.values():
            dock.setFloating(False)
            dock.show()
        self.restoreState(self._default_state)
        self._size_docks()

    # -- opening and saving ----------------------------------------------------------------
    def open_path(self, path: str) -> None:
        """Open a checkpoint (.safetensors), a pretrained model folder (opus-mt) or a corpus file."""
        if not self._confirm_discard(self.tr("Opening another model")):
            return
        if Path(path).suffix.lower() in CHECKPOINT_SUFFIXES or Path(path).is_dir():
            self.session.load_checkpoint(path)
        else:
            self.session.open_corpus(path)
        self.add_recent(path)

    # -- drag and drop -----------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.open_path(files[0])

    # -- reports -------------------------------------------------------------------------------
    @Slot(object)
    def _on_model_changed(self, info: ModelInfo) -> None:
        # a speed measured on the last model (or device) says nothing of this one: "–" until a step
        self._show_status(device=info.device, step=str(info.step), params=f"{info.n_params:,}", speed="–")
        self._model_info = info
        self._show_title()
        if self._preload_with_model:  # the first model is in: the hidden panels' imports now
            self._preload_with_model = False
            QTimer.singleShot(PRELOAD_DELAY_MS, self, self._preload_panels)

    def _show_title(self) -> None:
        """The window title: the app, and the model's corpus and shape (in the interface language)."""
        info = self._model_info
        if info is None:
            self.setWindowTitle("Transformer Explorer")
            return
        config = info.model_config
        shape = self.tr("{layers} layers, {heads} heads, d_model {d}").format(
            layers=config.n_layers, heads=config.n_heads, d=config.d_model)
        self.setWindowTitle(f"Transformer Explorer — {info.corpus_spec or ''} ({shape})")

    @Slot(object)
    def _on_step(self, report) -> None:
        self._show_status(step=str(report.step), speed=f"{report.tokens_per_s:,.0f}")

    def _show_status(self, **values: str) -> None:
        """Update the permanent status-bar fields (and write all of them in the current language)."""
        self._status.update(values)
        self.device_label.setText(self.tr("device: {}").format(self._status["device"]))
        self.step_label.setText(self.tr("step: {}").format(self._status["step"]))
        self.params_label.setText(self.tr("parameters: {}").format(self._status["params"]))
        self.speed_label.setText(self.tr("tokens/s: {}").format(self._status["speed"]))

    @Slot(object, object)
    def _on_error(self, message: Message, details: Message) -> None:
        self.show_error(message.text(), details.text())

    def show_error(self, message: str, details: str) -> None:
        """A non-blocking warning dialog; the details are behind "Show Details…"."""
        self.statusBar().showMessage(message, 10000)
        if self._closing:
            return
        box = QMessageBox(QMessageBox.Icon.Warning, "Transformer Explorer", message,
                          QMessageBox.StandardButton.Ok, self)
        if details:
            box.setDetailedText(details)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.error_box = box

    @Slot(object)
    def _on_busy(self, message: Message) -> None:
        if message:
            self.statusBar().showMessage(message.text())
        else:
            self.statusBar().clearMessage()

    @Slot(object)
    def _on_message(self, message: Message) -> None:
        self.statusBar().showMessage(message.text(), 15000)

    @Slot(object)
    def _on_saved(self, path: str) -> None:
        self.statusBar().showMessage(self.tr("Saved {}").format(path), 8000)
        self.add_recent(path)

    # -- help --------------------------------------------------------------------------------------
    @Slot()
    def _on_tour(self) -> None:
        self.tour = start_tour(self)


    # -- closing ----------------------------------------------------------------------------------
    def _confirm_discard(self, action: str) -> bool:
        steps = self.session.unsaved_steps
        if not self.ask_before_discard or steps == 0:
            return True
        answer = QMessageBox.question(
            self, self.tr("Unsaved training"),
            self.tr("{action} discards {steps} training steps that were not saved. Go on?").format(
                action=action, steps=steps),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def closeEvent(self, event) -> None:
        if self._closing:  # closed already (QApplication.quit closes every window too)
            event.accept()
            return
        if not self._confirm_discard(self.tr("Quitting")):
            event.ignore()
            return
        self._closing = True
        self.save_settings()
        QApplication.instance().focusChanged.disconnect(self._on_focus_changed)
        if self._preloader is not None and not self._preloader.finished:
            self._preloader.wait()
        for panel in self.panels.values():
            panel.close()  # its closeEvent stops any thread of its own
        if not self.session.shutdown(2.0):
            # A long command (loading, building) cannot be interrupted: let it finish, out of sight.
            self.hide()
            self.session.shutdown(None)
        # Panels' background jobs (explorer.jobs): cancel them and let them end while their
        # objects still exist.
        jobs.shutdown(POOL_WAIT_MS)
        event.accept()

