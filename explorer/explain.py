"""Collapsible explanation panes: what a panel shows and why, in the interface language.

Each panel's text is Markdown in ``resources/explanations/<lang>/<key>.md`` (the key is
the panel's dock title in lower case: ``training``, ``attention``, ``tokens``, ...). An
``ExplanationPane`` renders it with ``QTextBrowser.setMarkdown`` under a header button
that folds it away; it reloads when the language changes and remembers whether it was
open in QSettings (``explanations/<key>/open``).

``attach_explanations(panels)`` puts a pane at the bottom of every panel whose text
exists, without the panel having to know about it. A panel whose text explains its tabs
one item of a bulleted list each (the Analysis panel) calls ``follow_item(i)`` when tab i
comes to the front, and the pane scrolls to that item (again after a language change).
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QBoxLayout,
    QSizePolicy,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer import i18n

log = logging.getLogger(__name__)
VISIBLE_LINES = 12  # height of an open pane, in lines of its font (scales with DPI and font)
SHORT_SCREEN_LINES = 6  # on a screen under SHORT_SCREEN_PX high (1366 × 768): the panel keeps
SHORT_SCREEN_PX = 900  # room for its views (the Tokens table showed one row), the text scrolls


def visible_lines() -> int:
    """How many lines of text an open pane shows on this screen."""
    screen = QGuiApplication.primaryScreen()
    short = screen is not None and screen.availableGeometry().height() < SHORT_SCREEN_PX
    return SHORT_SCREEN_LINES if short else VISIBLE_LINES


def explanation_path(key: str, lang: str):
    """Where the Markdown for ``key`` in ``lang`` lives (it may not exist)."""
    return i18n.resource_path("explanations", lang, f"{key}.md")


def explanation_text(key: str, lang: str) -> str:
    """The Markdown text for ``key`` in ``lang``, falling back to English; "" when absent."""
    for code in dict.fromkeys((lang, "en")):
        path = explanation_path(key, code)
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return ""


class ExplanationPane(QWidget):
    """A header button and, below it, the Markdown explanation of one panel.

    Args:
        key: the explanation's file name without ``.md`` (e.g. "attention").
        parent: the owning widget.
    """

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.language = i18n.language()
        self._item: int | None = None  # the list item followed (follow_item), None: the top
        self.toggle = QToolButton()
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setAutoRaise(True)
        self.toggle.toggled.connect(self.set_open)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setMaximumHeight(self.fontMetrics().lineSpacing() * visible_lines())
        self.browser.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.toggle)
        layout.addWidget(self.browser)
        self.language.sig_changed.connect(self._on_language)
        self.reload()
        opened = str(self.language.settings.value(self._settings_key, True)).lower() != "false"
        self.toggle.blockSignals(True)
        self.toggle.setChecked(opened)
        self.toggle.blockSignals(False)
        self._show(opened)

    @property
    def _settings_key(self) -> str:
        return f"explanations/{self.key}/open"

    @property
    def markdown(self) -> str:
        """The Markdown shown now."""
        return self._markdown

    def reload(self) -> None:
        """Read the text again in the current language and retranslate the header."""
        self._markdown = explanation_text(self.key, self.language.code)
        self.browser.setMarkdown(self._markdown)
        self.toggle.setText(QCoreApplication.translate("ExplanationPane", "Explanation"))
        self.toggle.setToolTip(QCoreApplication.translate(
            "ExplanationPane", "Show or hide what this panel shows and why"))
        self.browser.setToolTip(QCoreApplication.translate(
            "ExplanationPane", "What this panel shows; View > Language switches the language"))
        if self._item is not None:
            self.follow_item(self._item)

    def item_blocks(self) -> list:
        """The first block of each item of the text's first bulleted list (top level), in order."""
        doc = self.browser.document()
        blocks, first, block = [], None, doc.begin()
        while block.isValid():
            items = block.textList()
            if items is not None:
                first = items.objectIndex() if first is None else first
                if items.objectIndex() == first and items.itemNumber(block) == len(blocks):
                    blocks.append(block)
            block = block.next()
        return blocks

    def follow_item(self, index: int) -> bool:
        """Scroll so that item ``index`` of the first bulleted list is at the top of the pane
        (the explanation of the tab in front); False when the text has no such item."""
        self._item = index
        blocks = self.item_blocks()
        if not 0 <= index < len(blocks):
            return False
        layout = self.browser.document().documentLayout()
        self.browser.verticalScrollBar().setValue(int(layout.blockBoundingRect(blocks[index]).top()))
        return True

    @Slot(bool)
    def set_open(self, opened: bool) -> None:
        """Unfold (True) or fold (False) the text; the choice is remembered."""
        if self.toggle.isChecked() != opened:
            self.toggle.setChecked(opened)  # comes back here through toggled
            return
        self._show(opened)
        self.language.settings.setValue(self._settings_key, opened)

    def hold_folded(self, held: bool) -> None:
        """Fold the text for a while (True) without changing the remembered choice; False
        shows it again as chosen. The guided tour holds the Training panel's folded, since
        the tour's own text sits below it and the curves need the height."""
        self._show(self.toggle.isChecked() and not held)

    def _show(self, opened: bool) -> None:
        self.browser.setVisible(opened)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if opened else Qt.ArrowType.RightArrow)
        if opened:
            self._follow_later()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().showEvent(event)
        self._follow_later()

    def _follow_later(self) -> None:
        """Scroll to the followed item once the text is laid out: a pane hidden or folded
        when its tab came to the front had no layout to scroll in."""
        if self._item is not None:
            QTimer.singleShot(0, self, lambda: self._item is not None and self.follow_item(self._item))

    @Slot(str)
    def _on_language(self, _code: str) -> None:
        self.reload()


def attach_explanations(panels: dict[str, QWidget]) -> dict[str, ExplanationPane]:
    """Add an ExplanationPane at the bottom of each panel that has a text; returns them by title.

    ``panels`` maps dock titles ("Training", ...) to panel widgets whose layout is a box
    layout; the pane is also kept as the panel's ``explanation`` attribute (a panel that
    has one already keeps it).
    """
    panes = {}
    for title, panel in panels.items():
        key = title.lower()
        if isinstance(getattr(panel, "explanation", None), ExplanationPane):
            panes[title] = panel.explanation
            continue
        layout = panel.layout()
        if not explanation_path(key, "en").is_file() or not isinstance(layout, QBoxLayout):
            log.info("no explanation pane for %s", title)
            continue
        pane = ExplanationPane(key, panel)
        layout.addWidget(pane)
        panel.explanation = pane
        panes[title] = pane
    return panes
