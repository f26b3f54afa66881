"""Export what a panel shows: pictures (PNG, SVG) and the matrices behind them (CSV, NPY, NPZ).

Every panel can describe its current view as a list of :class:`LabeledMatrix` and a
widget; :func:`export_view` then writes whatever the file name's extension asks for.
A CSV keeps the labels (first row: column labels, first column: row labels), so it
opens readably in a spreadsheet and :func:`read_csv` gets back exactly what was saved.

:func:`file_filter` gives the save dialog's file types in the interface language;
``FILE_FILTER`` is the same in English. Errors a person can cause (an unknown extension,
nothing to export, a file that cannot be written) carry translated messages, since the
main window shows them.
"""
from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pyqtgraph.Qt import QtCore, QtGui, QtWidgets
from PySide6.QtSvg import QSvgGenerator

from explorer.i18n import tr

PICTURE_EXTENSIONS = (".png", ".svg")
MATRIX_EXTENSIONS = (".csv", ".npy", ".npz")
FILE_FILTER = ("PNG image (*.png);;SVG drawing (*.svg);;CSV table (*.csv);;"
               "NumPy array (*.npy);;NumPy archive (*.npz)")


def file_filter(matrices: bool = True) -> str:
    """File types for a save dialog, in the interface language: pictures, and with
    ``matrices`` also the matrix formats (CSV, NPY, NPZ)."""
    pictures = tr("PNG image (*.png);;SVG drawing (*.svg)")
    if not matrices:
        return pictures
    return pictures + ";;" + tr("CSV table (*.csv);;NumPy array (*.npy);;NumPy archive (*.npz)")


def filter_for(path: str | Path, matrices: bool = True) -> str:
    """The entry of :func:`file_filter` that matches ``path``'s extension (the first,
    PNG, when none does): a save dialog opened with a suggested ``view.csv`` must offer
    the CSV type, not PNG."""
    ext = Path(path).suffix.lower()
    entries = file_filter(matrices).split(";;")
    return next((e for e in entries if f"*{ext})" in e), entries[0]) if ext else entries[0]


@dataclass(frozen=True)
class LabeledMatrix:
    """A matrix as shown, with the labels of its rows and columns.

    Attributes:
        name: short name, used in file names ("cross.L2.H3.weights").
        values: (R, C) numbers.
        row_labels: (R,) labels, e.g. query tokens; col_labels: (C,) e.g. key tokens.
    """

    name: str
    values: np.ndarray
    row_labels: tuple[str, ...]
    col_labels: tuple[str, ...]

    def __post_init__(self) -> None:
        shape = np.shape(self.values)
        if len(shape) != 2 or shape != (len(self.row_labels), len(self.col_labels)):
            raise ValueError(f"{self.name}: values {shape} do not match "
                             f"{len(self.row_labels)} x {len(self.col_labels)} labels")


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "matrix"


def _beside(path: Path, name: str, ext: str) -> Path:
    """``<stem>_<name><ext>`` beside ``path``, leaving out the part of ``name`` that the
    stem already ends with: the stem "attention_cross.L0.H0" and the matrix
    "cross.L0.H0.weights" give "attention_cross.L0.H0_weights.csv", not the name twice."""
    stem, name = path.stem, _safe(name)
    for cut in range(len(name), 0, -1):
        rest = name[cut:]
        if stem.endswith(name[:cut]) and rest[:1] in (".", "_") and rest.strip("._"):
            name = rest.strip("._")
            break
    return path.with_name(f"{stem}_{name}{ext}")


def save_csv(path: str | Path, matrix: LabeledMatrix) -> Path:
    """Write one matrix with its labels; values at full float precision (repr)."""
    path = Path(path)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow([matrix.name, *matrix.col_labels])
        for label, row in zip(matrix.row_labels, np.asarray(matrix.values)):
            writer.writerow([label, *(repr(float(v)) for v in row)])
    return path


def read_csv(path: str | Path) -> LabeledMatrix:
    """Read a file written by :func:`save_csv`."""
    with Path(path).open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    values = np.array([[float(v) for v in row[1:]] for row in body]).reshape(len(body), len(header) - 1)
    return LabeledMatrix(header[0], values, tuple(r[0] for r in body), tuple(header[1:]))


def save_matrices(path: str | Path, matrices: Sequence[LabeledMatrix]) -> list[Path]:
    """Write matrices as .csv, .npy (one file each) or .npz (one archive), by extension.

    With one matrix, .csv and .npy write ``path`` itself; with several they write
    ``<stem>_<name><ext>`` beside it. An .npz holds every matrix under its name, with its
    labels under ``<name>.rows`` and ``<name>.cols``.
    """
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in MATRIX_EXTENSIONS:
        raise ValueError(tr("matrices are saved as {extensions}, not {ext}").format(
            extensions=", ".join(MATRIX_EXTENSIONS), ext=repr(ext)))
    if not matrices:
        raise ValueError(tr("nothing to export"))
    if ext == ".npz":
        arrays = {}
        for m in matrices:
            arrays[m.name] = np.asarray(m.values)
            arrays[f"{m.name}.rows"] = np.array(m.row_labels, dtype=str)
            arrays[f"{m.name}.cols"] = np.array(m.col_labels, dtype=str)
        np.savez(path, **arrays)
        return [path]
    targets = ([path] if len(matrices) == 1 else
               [_beside(path, m.name, ext) for m in matrices])
    for target, m in zip(targets, matrices):
        if ext == ".csv":
            save_csv(target, m)
        else:
            np.save(target, np.asarray(m.values))
    return targets


def save_png(widget: QtWidgets.QWidget, path: str | Path) -> Path:
    """Save what ``widget`` shows as a PNG (QWidget.grab)."""
    path = Path(path)
    if not widget.grab().save(str(path), "PNG"):
        raise OSError(tr("could not write {path}").format(path=path))
    return path


def save_svg(widget: QtWidgets.QWidget, path: str | Path) -> Path:
    """Save ``widget`` as an SVG drawing (rendered into a QSvgGenerator).

    pyqtgraph's SVGExporter is not used: it fails on the path format of current Qt.
    """
    path = Path(path)
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(widget.size())
    generator.setViewBox(QtCore.QRect(QtCore.QPoint(0, 0), widget.size()))
    generator.setTitle(widget.windowTitle() or "Transformer Explorer")
    painter = QtGui.QPainter(generator)
    widget.render(painter, QtCore.QPoint(0, 0))
    painter.end()
    if not path.exists() or path.stat().st_size == 0:
        raise OSError(tr("could not write {path}").format(path=path))
    return path


def export_view(path: str | Path, widget: QtWidgets.QWidget,
                matrices: Sequence[LabeledMatrix]) -> list[Path]:
    """Write ``path`` by its extension: .png/.svg pictures of ``widget``, or the matrices."""
    ext = Path(path).suffix.lower()
    if ext == ".png":
        return [save_png(widget, path)]
    if ext == ".svg":
        return [save_svg(widget, path)]
    return save_matrices(path, matrices)
