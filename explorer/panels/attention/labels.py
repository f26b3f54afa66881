"""The attention panel's own texts: its tabs' titles and tips, its status line, and the
line that shows the decoder's sentence as text (``OutputLine``).

Written with ``QCoreApplication.translate("AttentionPanel", ...)``, the context the panel's
``self.tr`` uses, so the Chinese translations made for the panel apply here too.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QLabel


def tab_texts() -> dict[str, tuple[str, str]]:
    """Tab name -> (title, tooltip), in the interface language."""
    return {"overview": (QCoreApplication.translate("AttentionPanel", "Overview"),
                         QCoreApplication.translate("AttentionPanel", "All heads of all layers; click one to open it")),
            "detail": (QCoreApplication.translate("AttentionPanel", "Head"),
                       QCoreApplication.translate("AttentionPanel", "One head: hover for values, click to lock a row/column")),
            "lines": (QCoreApplication.translate("AttentionPanel", "Lines"),
                      QCoreApplication.translate("AttentionPanel", "Lines from each query token to the key tokens it attends to")),
            "computation": (QCoreApplication.translate("AttentionPanel", "Computation"),
                            QCoreApplication.translate("AttentionPanel", "One head step by step: X, Q, K, V, QKᵀ, softmax, A'V, "
                                                 "concat, Wo")),
            "aggregates": (QCoreApplication.translate("AttentionPanel", "Mean / max"),
                           QCoreApplication.translate("AttentionPanel", "Mean and max over the heads of each layer")),
            "compare": (QCoreApplication.translate("AttentionPanel", "Compare"),
                        QCoreApplication.translate("AttentionPanel", "One sentence through two models: every map as A, B "
                                             "and B − A"))}


def status_text(kind: str, v: dict) -> str:
    """The status line for a kind of news and its values."""
    if kind == "sentences":
        return QCoreApplication.translate("AttentionPanel", "{n} sentences from {file}").format(**v)
    if kind == "needs_reference":
        return QCoreApplication.translate("AttentionPanel", "Teacher forcing needs a reference translation")
    if kind in ("tracing", "comparing"):
        return QCoreApplication.translate("AttentionPanel", "tracing…")
    if kind == "trace":
        return QCoreApplication.translate("AttentionPanel", "step {step}: {n_src} source and {n_tgt} target tokens → "
                                    "{output}").format(**v)
    if kind == "saved":
        return QCoreApplication.translate("AttentionPanel", "saved {files}").format(**v)
    if kind == "saved_many":
        return QCoreApplication.translate("AttentionPanel", "saved {n} files in {folder}: {first} … {last}").format(**v)
    if kind == "failed":
        return v["message"].text()
    return ""


def export_tip(ext: str, key: str) -> str:
    """The tooltip of an export button (``ext`` ".png", ".csv", ...; ``key`` its shortcut)."""
    if ext in (".png", ".svg"):
        tip = QCoreApplication.translate("AttentionPanel", "Save a picture of the current view as {format} ({key})")
    else:
        tip = QCoreApplication.translate("AttentionPanel", "Save the matrices of the current view as {format} ({key})")
    return tip.format(format=ext[1:].upper(), key=key)


class OutputLine(QLabel):
    """The model's translation as one readable sentence above the views (word pieces
    joined), wrapped rather than clipped; under teacher forcing, what it predicts at each
    position instead. Hidden until there is a trace."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # (teacher forcing?, the output sentence, the source sentence when not the typed one)
        self._shown: tuple[bool, str, str | None] | None = None
        self.hide()

    def show_output(self, forced: bool, text: str, source: str | None = None) -> None:
        """``source``: the sentence the output is of, when the views show another sentence
        than the one in the source field (a replayed snapshot's probe sentence)."""
        self._shown = (forced, text, source)
        self.retranslate()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        if self._shown is None:
            return
        forced, text, source = self._shown
        if not text.strip():  # an untrained model's first word is often <eos>
            text = QCoreApplication.translate("AttentionPanel", "(nothing: the model ends the sentence at once)")
        if source is not None and forced:
            head = QCoreApplication.translate(
                "AttentionPanel", "Shown here: “{source}”. Predicted next words (teacher forcing): {text}")
        elif source is not None:
            head = QCoreApplication.translate("AttentionPanel", "Shown here: “{source}” → {text}")
        elif forced:
            head = QCoreApplication.translate("AttentionPanel", "Predicted next words (teacher forcing): {text}")
        else:
            head = QCoreApplication.translate("AttentionPanel", "Translation: {text}")
        self.setText(head.format(text=text, source=source))
        self.show()
