"""Help > Keyboard shortcuts and Help > About (their texts are under the MainWindow and
Shortcuts contexts of the translation)."""
from __future__ import annotations

from importlib import metadata

import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

SHORTCUTS = [
    ("F1", QT_TRANSLATE_NOOP("Shortcuts", "guided tour")),
    ("Alt+Right / Alt+Left", QT_TRANSLATE_NOOP("Shortcuts", "next / previous stop of the tour")),
    ("Space", QT_TRANSLATE_NOOP("Shortcuts", "play / pause training")),
    ("Right arrow", QT_TRANSLATE_NOOP("Shortcuts", "one training step")),
    ("Esc", QT_TRANSLATE_NOOP("Shortcuts", "in a text field: leave it, so that Space and Right arrow train again")),
    ("Ctrl+O", QT_TRANSLATE_NOOP("Shortcuts", "open a checkpoint")),
    ("Ctrl+S", QT_TRANSLATE_NOOP("Shortcuts", "save a checkpoint")),
    ("Ctrl+E", QT_TRANSLATE_NOOP("Shortcuts", "export the current view: a picture, or the matrices it shows")),
    ("Ctrl+Q", QT_TRANSLATE_NOOP("Shortcuts", "quit")),
]


def show_shortcuts(parent: QWidget) -> None:
    rows = "".join(f"<tr><td><b>{k}</b></td><td>&nbsp;&nbsp;"
                   f"{QCoreApplication.translate('Shortcuts', v)}</td></tr>" for k, v in SHORTCUTS)
    QMessageBox.information(parent, QCoreApplication.translate("MainWindow", "Keyboard shortcuts"),
                            f"<table>{rows}</table>")


def show_about(parent: QWidget) -> None:
    QMessageBox.about(
        parent, QCoreApplication.translate("MainWindow", "About Transformer Explorer"),
        "<p><b>Transformer Explorer</b></p><p>"
        + QCoreApplication.translate(
            "MainWindow", "Train a real encoder–decoder translator and watch every part of it: "
            "tokens, embeddings, positional encodings and attention down to Q, K, V, "
            "QKᵀ, softmax and A′V.")
        + "</p><p>"
        + QCoreApplication.translate(
            "MainWindow", "The real-sentence English–German model is trained on sentences from "
            "the Tatoeba Project (tatoeba.org), CC BY 2.0 FR.")
        + f"</p><p>PySide6, pyqtgraph {pg.__version__}, PyTorch {metadata.version('torch')}.</p>")
