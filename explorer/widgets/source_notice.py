"""A line above a view saying what the model does not see of the sentence: the words
that are not in its vocabulary (each becomes <unk>), and where input longer than the
model reads is cut. Hidden when there is nothing to say.

``show_check(check)`` takes ``model.inference.SourceCheck.to_dict()`` plus "text" (as a
ModelTrace's ``source`` carries it), or None.
"""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QCoreApplication

UNKNOWN_COLOR = "#f5a623"  # the colour unknown tokens are marked with, in every view
UNKNOWN_MARK = "⚠"  # starts the label of an unknown token ("⚠<unk>:astronaut", attention/state.py)


def unknown_tip() -> str:
    """What a view's tooltip says where it marks unknown tokens (in the interface language)."""
    return QCoreApplication.translate(
        "SourceNotice", "The model reads every word it does not know as the same token, <unk>: "
        "it cannot tell them apart, and its translation of them is a guess.")


class SourceNotice(QtWidgets.QLabel):
    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.setStyleSheet(f"QLabel {{ border-left: 4px solid {UNKNOWN_COLOR}; padding: 2px 6px; }}")
        self._check: dict | None = None
        self.hide()

    def show_check(self, check: dict | None) -> None:
        self._check = check
        self.retranslate()

    def changeEvent(self, event: QtCore.QEvent) -> None:
        if event.type() == QtCore.QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        lines = notice_lines(self._check)
        self.setText("\n".join(lines))
        self.setToolTip(unknown_tip() if lines else "")
        self.setVisible(bool(lines))


def notice_lines(check: dict | None) -> list[str]:
    """The notice's lines in the interface language (empty when the model sees it all)."""
    if not check:
        return []
    lines = []
    unknown = check.get("unknown") or []
    if unknown:
        words = ", ".join(f"“{w}”" for w in unknown)
        if len(unknown) == 1:
            head = QCoreApplication.translate("SourceNotice", "1 word of this sentence not in the model's vocabulary (shown as <unk>): ")
        else:
            head = QCoreApplication.translate("SourceNotice", "{n} words of this sentence not in the model's vocabulary "
                      "(shown as <unk>): ").format(n=len(unknown))
        lines.append(head + words)
    cut = check.get("cut_at")
    if cut is not None:
        rest = check.get("text", "")[cut:].strip()
        shown = rest if len(rest) <= 30 else rest[:30] + "…"
        lines.append(QCoreApplication.translate("SourceNotice", "Longer than the model reads ({tokens} tokens, at most {kept}): cut at "
                        "character {cut}, before “{rest}”.").format(
            tokens=check.get("tokens"), kept=check.get("kept_tokens"), cut=cut, rest=shown))
    return lines
