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


def resource_path(*parts: str) -> Path:
    """A file or folder inside the installed ``resources`` package (not the working directory)."""
    return Path(str(files("resources").joinpath(*parts)))
