"""Helpers for tests that look at panels the way a person does: which controls they have,
and switching the interface language while they are shown."""
from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QSlider,
    QTabBar,
    QWidget,
)

CJK = re.compile(r"[\u4e00-\u9fff]")
CONTROLS = (QAbstractButton, QComboBox, QAbstractSpinBox, QLineEdit, QSlider)
QT_PARTS = (QComboBox, QAbstractSpinBox, QTabBar, QAbstractItemView)  # their insides are Qt's


def switch(language, code: str) -> None:
    """Change the interface language and let Qt deliver the LanguageChange events."""
    language.set(code, save=False)
    QCoreApplication.processEvents()


def controls(widget: QWidget, skip_inside: tuple[type, ...] = ()) -> list[QWidget]:
    """Every control a person can use under ``widget``: buttons, combo boxes, spin boxes,
    line edits and sliders. Parts Qt builds inside other controls (a combo box's or spin
    box's editor, tab-bar scroll arrows, a table's corner button) are left out, and so are
    controls inside widgets of the types in ``skip_inside``."""
    skip = QT_PARTS + tuple(skip_inside)
    found = []
    for child in widget.findChildren(QWidget):
        if not isinstance(child, CONTROLS):
            continue
        parent = child.parentWidget()
        while parent is not None and parent is not widget and not isinstance(parent, skip):
            parent = parent.parentWidget()
        if parent is None or parent is widget:
            found.append(child)
    return found
