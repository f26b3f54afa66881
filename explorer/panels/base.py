"""What every dockable panel shares, and how the main window finds panels.

A panel is a QWidget built as ``PanelClass(session)``; it draws only from the Session's
reports. When the main window closes it calls ``close()`` on every panel, so a panel that
runs a thread of its own stops and joins it in its ``closeEvent``. The window lists panels as ``PanelSpec`` rows (see ``explorer.app.PANELS``) and
imports each lazily, so a panel whose module is missing is simply left out.

Interface strings follow the language while the app runs: a panel (or any widget that mixes
in ``Retranslating``) sets every text with ``self.tr(...)`` in ``retranslate()``, which it
calls at the end of ``__init__`` and which runs again on each ``LanguageChange`` event
(Qt sends one to every widget after View > Language). Texts that show data are redrawn from
the last report there too.

``export(path)`` saves what the panel shows: PNG (or any raster format Qt knows) through
``QWidget.grab``, SVG through ``QSvgGenerator``. A panel with a better export (e.g.
pyqtgraph's exporters for one plot) overrides it.
"""
from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QWidget

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


def export_widget(widget: QWidget, path: str | Path) -> Path:
    """Save a picture of ``widget``: SVG for a .svg path, else a raster image (PNG, JPG, ...)."""
    path = Path(path)
    if path.suffix.lower() == ".svg":
        generator = QSvgGenerator()
        generator.setFileName(str(path))
        generator.setSize(widget.size())
        generator.setViewBox(QRect(0, 0, widget.width(), widget.height()))
        generator.setTitle(widget.windowTitle() or "Transformer Explorer")
        painter = QPainter(generator)
        try:
            widget.render(painter, QPoint())
        finally:
            painter.end()
    elif not widget.grab().save(str(path)):
        raise OSError(f"could not write an image to {path}")
    return path


class Retranslating:
    """Mixin for a QWidget whose texts follow the interface language: override ``retranslate``."""

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Set every interface string (labels, buttons, tooltips, headers) with ``self.tr``."""


class Panel(Retranslating, QWidget):
    """Base class for panels: keeps the session and offers ``export(path)``."""

    title = "Panel"

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session

    def export(self, path: str | Path) -> Path:
        """Save a picture of the panel as it is shown now."""
        return export_widget(self, path)

    def sizeHint(self) -> QSize:
        return QSize(560, 480)
