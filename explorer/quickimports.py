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

import importlib.abc
import os
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


# ---------------------------------------------------------------------------- pyqtgraph
# pyqtgraph.Qt keeps mirrors of QtCore, QtGui and QtWidgets (its own modules of those names)
# and fills them by copying every name of PySide6's modules (``_copy_attrs``: ``dir`` and
# ``getattr`` of each). PySide6 makes its classes, and their enums, when a name is first
# asked for: the copy made all of them, about 600 enums (a quarter of a second on the UI
# thread before the first paint). Here the copy is given no names and each mirror fetches a
# name from PySide6 when it is first asked for (and keeps it), so pyqtgraph and the app
# see the same objects as before, made when they are used.
MIRRORED = ("QtCore", "QtGui", "QtWidgets")


def _mirror_getattr(mirror, source):
    def __getattr__(name: str):
        value = getattr(source, name)  # AttributeError as before for a name PySide6 lacks
        setattr(mirror, name, value)
        return value
    return __getattr__


def _lazy_dir(*args):
    """``dir`` as pyqtgraph.Qt sees it while it is imported: no names for PySide6's modules
    (whose mirrors then look names up on first use), the builtin's answer otherwise."""
    if not args:
        raise TypeError("pyqtgraph.Qt calls dir with an argument")
    obj = args[0]
    name = getattr(obj, "__name__", None)
    if isinstance(name, str) and name.startswith("PySide6.") and name[8:] in MIRRORED:
        mirror = sys.modules.get(f"pyqtgraph.Qt.{name[8:]}")
        if mirror is not None:
            mirror.__getattr__ = _mirror_getattr(mirror, obj)
            return []
    return dir(obj)


class _PgQtFinder(importlib.abc.MetaPathFinder):
    """Finds pyqtgraph.Qt as the other finders do and runs it with ``_lazy_dir`` as its ``dir``."""

    def find_spec(self, fullname, path, target=None):
        if fullname != "pyqtgraph.Qt":
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        exec_module = loader.exec_module

        def exec_lazily(module):
            module.__dict__["dir"] = _lazy_dir
            try:
                exec_module(module)
            finally:
                module.__dict__.pop("dir", None)
        spec.loader = _Loader(loader, exec_lazily)
        return spec


class _Loader(importlib.abc.Loader):
    def __init__(self, loader, exec_module) -> None:
        self._loader = loader
        self.exec_module = exec_module

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def __getattr__(self, name):
        return getattr(self._loader, name)


def lazy_pyqtgraph_mirrors() -> bool:
    """Make pyqtgraph's Qt mirrors fetch names on first use; True when in place (pyqtgraph
    not imported yet, and its QT_LIB PySide6)."""
    if "pyqtgraph.Qt" in sys.modules or os.environ.get("PYQTGRAPH_QT_LIB", "PySide6") != "PySide6":
        return False
    if not any(isinstance(f, _PgQtFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _PgQtFinder())
    return True


LAZY_PYQTGRAPH = lazy_pyqtgraph_mirrors()
