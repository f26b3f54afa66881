"""Where the app keeps the user's settings and finds its own files (the lowest layer of
``explorer/``: it imports nothing of the app).

``make_settings()`` is the user's QSettings store (organisation and application
"TransformerExplorer"); tests pass their own QSettings instead. ``resource_path`` finds a
file inside the installed ``resources`` package through ``importlib.resources``, so an
installed package works from any directory.
"""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from PySide6.QtCore import QSettings

ORGANIZATION = "TransformerExplorer"
APPLICATION = "TransformerExplorer"


def make_settings() -> QSettings:
    """The user's settings store (tests pass their own QSettings to MainWindow instead)."""
    return QSettings(ORGANIZATION, APPLICATION)


def recent_files(settings: QSettings) -> list[str]:
    """The files opened last, newest first."""
    value = settings.value("recent_files", [])
    if isinstance(value, str):  # QSettings hands back a lone string for a one-item list
        value = [value]
    return [str(v) for v in value or []]


def remember_recent(settings: QSettings, path: str, limit: int) -> None:
    """Put ``path`` first among the recent files, keeping at most ``limit``."""
    files = [path] + [p for p in recent_files(settings) if p != path]
    settings.setValue("recent_files", files[:limit])


def resource_path(*parts: str) -> Path:
    """A file or folder inside the installed ``resources`` package (not the working directory)."""
    return Path(str(files("resources").joinpath(*parts)))
