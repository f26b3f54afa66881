"""Keys that reach a view whatever has focus in its window, except where they mean text.

``WindowKeys(owner, decide)`` watches the application's key events (an event filter). For
a key press in ``owner``'s window (a floating dock counts as part of the window it belongs
to; a dialog does not) without modifiers, ``decide(key, typing)`` says what to do: a
function to call, or None to leave the key to the widget that has focus. ``key`` is the
Qt key, ``typing`` True when focus is in a text field where the key means text (a line
edit, an editable combo box, a text editor; a number box is not one). A key taken is
taken before the focused widget or any shortcut sees it. Esc in a text field gives focus
back to the window, so that the keys work again.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDockWidget,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)


def typing_in(widget: QWidget | None) -> bool:
    """True when ``widget`` is a text field where printable keys and arrows mean text."""
    if isinstance(widget, QLineEdit):
        return not widget.isReadOnly() and not isinstance(widget.parentWidget(), QAbstractSpinBox)
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    if isinstance(widget, (QTextEdit, QPlainTextEdit)):
        return not widget.isReadOnly()
    return False


def main_window_of(widget: QWidget) -> QWidget:
    """The window ``widget`` is in, a floating dock counted as part of the window it belongs to."""
    window = widget.window()
    while isinstance(window, QDockWidget) and window.parentWidget() is not None:
        window = window.parentWidget().window()
    return window


class WindowKeys(QObject):
    """See the module docstring. A child of ``owner``: it stops with it."""

    def __init__(self, owner: QWidget, decide: Callable[[int, bool], Callable[[], None] | None],
                 repeat: tuple[int, ...] = ()) -> None:
        super().__init__(owner)
        self.owner, self.decide, self.repeat = owner, decide, repeat  # repeat: keys that act on auto-repeat
        QApplication.instance().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) or not isinstance(watched, QWidget):
            return False
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        if main_window_of(watched) is not main_window_of(self.owner):
            return False  # another window, a dialog
        focus = QApplication.focusWidget()
        typing = typing_in(watched) or typing_in(focus)  # the key's receiver, or where focus is
        if event.key() == Qt.Key.Key_Escape:
            if kind == QEvent.Type.KeyPress and typing:
                (watched if typing_in(watched) else focus).clearFocus()
                return True
            return False
        act = self.decide(event.key(), typing)
        if act is None:
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # the key press comes here; no widget or shortcut takes it
        elif not event.isAutoRepeat() or event.key() in self.repeat:
            act()
        return True
