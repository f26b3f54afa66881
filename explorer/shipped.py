"""The models shipped in resources/checkpoints/, with a line on each for the Models menu.

The grammar English–German model comes first: it is the default, and the tour and the
gold alignments need it. Test scores are those recorded in benchmarks/README.md.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from explorer.i18n import resource_path


@dataclass(frozen=True)
class ShippedModel:
    file: str
    title: str  # translated in the "Models" context
    trained_on: str  # likewise
    test_bleu: float

    @property
    def path(self) -> Path:
        return resource_path("checkpoints", self.file)

    def line(self) -> str:
        """'<title>: <trained on>; test BLEU <x>', in the interface language."""
        return QCoreApplication.translate("Models", "{title}: {trained_on}; test BLEU {bleu:.1f}").format(
            title=QCoreApplication.translate("Models", self.title),
            trained_on=QCoreApplication.translate("Models", self.trained_on), bleu=self.test_bleu)


SHIPPED = (
    ShippedModel("en-de.safetensors", QT_TRANSLATE_NOOP("Models", "English → German, grammar (default)"),
                 QT_TRANSLATE_NOOP("Models", "generated sentences of the project's grammar, builtin:en-de"),
                 99.36),
    ShippedModel("en-zh.safetensors", QT_TRANSLATE_NOOP("Models", "English → Chinese, grammar"),
                 QT_TRANSLATE_NOOP("Models", "generated sentences of the project's grammar, builtin:en-zh"),
                 99.36),
    ShippedModel("tatoeba-en-de.safetensors", QT_TRANSLATE_NOOP("Models", "English → German, real sentences"),
                 QT_TRANSLATE_NOOP("Models", "49,001 short sentence pairs from the Tatoeba Project "
                                             "(CC BY 2.0 FR), BPE subwords"),
                 49.13),
)


def shipped_models() -> list[ShippedModel]:
    """The shipped models whose files are present, default first."""
    return [m for m in SHIPPED if m.path.is_file()]
