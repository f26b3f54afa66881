"""Interface texts declared where their widget is made, and rewritten when the language changes.

A view keeps one ``Texts`` and, as it builds each widget, says which text goes where::

    self.texts = Texts(self)
    button = self.texts.widget(QPushButton(), lambda: self.tr("Refresh"),
                               tip=lambda: self.tr("Ask the model for its embeddings"))
    self.texts.bind(spin.setPrefix, lambda: self.tr("layer "))
    self.texts.bind(combo, {"src": lambda: self.tr("source E"), "tgt": lambda: self.tr("target E")})
    self.texts.add(self._write_status)      # texts built from data: rerun the function

Each text is a function (normally a lambda around ``self.tr("...")``, so pyside6-lupdate
finds the source string under the class's context, and ``.format(...)`` may follow). It is
applied at once and again on every ``LanguageChange`` event the owner receives (Qt sends one
to every widget after a translator is installed), in the order declared. Nothing else is
needed: no ``retranslate()`` method listing every widget a second time.

Combo boxes keep their values as item data; ``bind(combo, {data: text})`` writes each item's
shown text, so logic never reads a shown text.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QComboBox, QWidget

Text = Callable[[], str]


def set_item_texts(combo: QComboBox, texts: Mapping) -> None:
    """Write combo items' shown texts by item data (``{data: text}``); data not listed is left alone."""
    for i in range(combo.count()):
        data = combo.itemData(i)
        if data in texts:
            combo.setItemText(i, texts[data])


class Texts(QObject):
    """The translated texts of one view (see the module docstring). A child of ``owner``."""

    def __init__(self, owner: QWidget) -> None:
        super().__init__(owner)
        self._writers: list[Callable[[], None]] = []
        owner.installEventFilter(self)

    def add(self, write: Callable[[], None]) -> Callable[[], None]:
        """Run ``write()`` now and after every language change; returns it."""
        self._writers.append(write)
        write()
        return write

    def bind(self, target, text: Text | Mapping[object, Text]) -> None:
        """``target(text())`` now and after every language change. ``target`` is a setter
        (``label.setText``); or a QComboBox with ``text`` a mapping item data -> text."""
        if isinstance(target, QComboBox):
            combo, items = target, dict(text)
            self.add(lambda: set_item_texts(combo, {key: t() for key, t in items.items()}))
        else:
            self.add(lambda: target(text()))

    def widget(self, widget: QWidget, text: Text | None = None, tip: Text | None = None,
               title: Text | None = None) -> QWidget:
        """Bind ``setText`` (or ``setTitle``), ``setToolTip`` of ``widget``; returns it."""
        if text is not None:
            self.bind(widget.setText, text)
        if title is not None:
            self.bind(widget.setTitle, title)
        if tip is not None:
            self.bind(widget.setToolTip, tip)
        return widget

    def refresh(self) -> None:
        """Write every text again (what a language change does)."""
        for write in self._writers:
            write()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LanguageChange:
            self.refresh()
        return False


class Retranslating:
    """Mixin for a QWidget whose texts follow the interface language: override ``retranslate``.

    The widget calls ``retranslate()`` at the end of its ``__init__``; Qt's
    ``LanguageChange`` event (sent to every widget after View > Language) calls it again.
    """

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Set every interface string (labels, buttons, tooltips, headers) with ``self.tr``."""
