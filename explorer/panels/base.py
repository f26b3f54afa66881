"""What every dockable panel shares, and how the main window finds panels.

A panel is a QWidget built as ``PanelClass(session)``; it draws only from the Session's
reports. When the main window closes it calls ``close()`` on every panel, so a panel that
runs a thread of its own stops and joins it in its ``closeEvent``. The window lists panels as ``PanelSpec`` rows (see ``explorer.app.PANELS``) and
imports each lazily, so a panel whose module is missing is simply left out.

Interface strings follow the language while the app runs: a panel declares each text where
it makes the widget (``explorer.texts.Texts``), and texts that show data as a function of
the last report (``texts.add``); both are written again on each ``LanguageChange`` event
(Qt sends one to every widget after View > Language). ``Panel`` also mixes in
``Retranslating``, the older way: a ``retranslate()`` that sets every text, called on that
event too (the attention panel still uses it).

``export(path)`` saves what the panel shows: PNG or SVG pictures of ``export_widget()``,
and CSV, NPY or NPZ files of ``matrices()`` (``explorer.widgets.export``); File > Export
(Ctrl+E) offers the matrix formats wherever ``matrices()`` is not empty.
"""
from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QWidget

from explorer.texts import Retranslating
from explorer.widgets.export import export_view, file_filter

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PanelSpec:
    """One row of the panel list: dock title, ``module:Class`` and default dock area."""

    title: str
    target: str  # "explorer.panels.training:TrainingPanel"
    area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea

    @property
    def object_name(self) -> str:
        """Stable name under which Qt saves the dock's place in the layout."""
        return "dock_" + self.title.lower().replace(" ", "_")

    def load(self) -> type | None:
        """The panel class, or None when its module cannot be imported (yet)."""
        module_name, class_name = self.target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            log.info("panel %s left out: %s", self.title, exc)
            return None
        return getattr(module, class_name, None)


def import_modules(targets: list[str]):
    """Import the panels' ``module:Class`` targets one by one, yielding each module's name
    (a job, off the UI thread: torch and scikit-learn take seconds to import). The class is
    fetched too: a panel package imports its view only when the class is asked for. A module
    that cannot be imported is skipped: ``panel()`` leaves its panel out when it is built."""
    for target in targets:
        name, _, class_name = target.partition(":")
        try:
            module = importlib.import_module(name)
            if class_name:
                getattr(module, class_name, None)
        except ImportError:
            pass
        yield name


class Panel(Retranslating, QWidget):
    """Base class for panels: keeps the session; the small API others may call.

    The main window and the tour talk to a panel only through these methods, never
    through its widgets:

    - ``open_tab(name)``: bring a tab to the front (names in ``TAB_NAMES``, the order of
      ``self.tabs``).
    - ``show_sentence(src, reference=None)``: show and trace this sentence (panels that
      show one sentence override it).
    - ``matrices()`` and ``export(path)``: see ``explorer.widgets.export``.
    """

    title = "Panel"
    TAB_NAMES: tuple[str, ...] = ()  # the names of self.tabs' pages, in their order

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session

    def open_tab(self, name: str) -> None:
        """Bring tab ``name`` (one of ``TAB_NAMES``) to the front."""
        self.tabs.setCurrentIndex(self.TAB_NAMES.index(name))

    @property
    def current_tab(self) -> str | None:
        """The name of the tab in front (None for a panel without tabs)."""
        tabs = getattr(self, "tabs", None)
        if tabs is None or not self.TAB_NAMES:
            return None
        return self.TAB_NAMES[tabs.currentIndex()]

    def show_sentence(self, src: str, reference: str | None = None) -> None:
        """Show ``src`` (with its reference translation when known); panels that show a
        sentence override this."""

    def matrices(self) -> list:
        """The matrices the current view shows, as ``LabeledMatrix`` (empty: a picture only)."""
        return []

    @property
    def export_filter(self) -> str:
        """The save dialog's file types, in the interface language: pictures, and the
        matrix formats when the current view shows matrices."""
        return file_filter(matrices=bool(self.matrices()))

    def export_widget(self) -> QWidget:
        """The widget a picture export shows (default: the whole panel)."""
        return self

    def export(self, path: str | Path) -> Path:
        """Save the current view by the file's extension: .png/.svg a picture of
        ``export_widget()``, .csv/.npy/.npz its ``matrices()``. Returns the first file written."""
        return export_view(path, self.export_widget(), self.matrices())[0]

    def sizeHint(self) -> QSize:
        return QSize(560, 480)
