"""Form fields that say "loading…" while there is no value to show yet.

A spin box at its minimum or a combo box at its first entry looks like a real setting; a
form whose model is still loading shows :func:`show_loading` instead (fields disabled, the
text in place of each value), until the real values are set after ``show_loading(.., False)``.
"""
from __future__ import annotations

from collections.abc import Iterable

from pyqtgraph.Qt import QtWidgets


def show_loading(fields: Iterable[QtWidgets.QWidget], loading: bool, text: str = "") -> None:
    """Show ``text`` in every field (``loading``) or give them back their values to show."""
    for field in fields:
        field.setEnabled(not loading)
        if isinstance(field, QtWidgets.QAbstractSpinBox):
            field.setSpecialValueText(text if loading else "")  # shown at the minimum
            if loading:
                field.setValue(field.minimum())
        elif isinstance(field, QtWidgets.QComboBox):
            field.setPlaceholderText(text)  # shown with no entry chosen
            if field.lineEdit() is not None:
                field.lineEdit().setPlaceholderText(text)
            if loading:
                field.setCurrentIndex(-1)
                if field.isEditable():
                    field.setEditText("")
