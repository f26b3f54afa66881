"""Imported first by the app: later imports cost less once PySide6 is in.

PySide6 checks every module imported after it for the word "PySide6" (its ``__feature__``
switches apply only to modules that use PySide). It does so with ``inspect.getsource``,
whose module lookup walks ``sys.modules`` on each call: importing torch in the worker,
about 800 modules, spent a tenth of its time there, and pyqtgraph's and scikit-learn's
imports paid the same. Importing this module makes the same check by reading the module's
file: the same answer (a .py file that names PySide6; False for a module without one, as
PySide's own check answers), without the walk. Nothing changes where this PySide6 has no
such check.
"""
from __future__ import annotations

import sys

import PySide6.QtCore  # noqa: F401 - loads shiboken's support modules, the check among them


def names_pyside(module) -> bool:
    """Whether ``module``'s source file contains "PySide6" (False without a .py file)."""
    path = getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return False
    try:
        with open(path, "rb") as fh:
            return b"PySide6" in fh.read()
    except OSError:
        return False


def install() -> bool:
    """Put ``names_pyside`` in the place of PySide's check; True when it is in place."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    feature._mod_uses_pyside = names_pyside
    return True


INSTALLED = install()
