"""explorer.texts: a text declared with its widget follows the interface language."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QWidget

from explorer.texts import Texts
from tests.explorer.ui import switch


def test_declared_texts_follow_the_language(language, qtbot):
    owner = QWidget()
    qtbot.addWidget(owner)
    texts = Texts(owner)
    tr = QCoreApplication.translate
    button = texts.widget(QPushButton(owner), lambda: tr("Tour", "Next"), tip=lambda: tr("Tour", "Back"))
    combo = QComboBox(owner)
    combo.addItem("", "next")
    combo.addItem("", "other")
    texts.bind(combo, {"next": lambda: tr("Tour", "Next")})
    label = QLabel(owner)
    written = []
    texts.add(lambda: (written.append(1), label.setText(tr("Tour", "Next") + " 3")))
    assert (button.text(), button.toolTip(), combo.itemText(0), label.text()) == ("Next", "Back", "Next", "Next 3")
    switch(language, "zh")
    assert button.text() == combo.itemText(0) == "下一站" and label.text() == "下一站 3"
    assert button.toolTip() != "Back" and combo.itemText(1) == "" and combo.currentData() == "next"
    switch(language, "en")
    assert button.text() == "Next" and len(written) == 3
