"""The Chinese interface stays readable on a machine without a CJK font."""
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics

from explorer import fonts


def test_the_shipped_font_covers_the_interface_and_is_loaded_only_when_needed(qapp):
    assert fonts.ensure_cjk_font(system_families=["Some CJK Font"]) is None

    family = fonts.ensure_cjk_font(system_families=[])
    assert family is not None
    assert QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(family)
    assert family in qapp.font().families()  # behind the interface font, as its fallback
    metrics = QFontMetrics(QFont(family))
    source = fonts.SHIPPED_FONT.parent.parent / "i18n" / "explorer_zh.ts"
    needed = {ch for ch in source.read_text(encoding="utf-8") if ord(ch) > 0x2E7F}
    assert len(needed) > 300
    missing = [ch for ch in needed if not metrics.inFontUcs4(ord(ch))]
    assert not missing, f"the shipped font lacks {''.join(sorted(missing))[:40]}"
    assert metrics.inFontUcs4(ord("爱"))  # a common character beyond the interface's own
    assert fonts.ensure_cjk_font(system_families=[]) == family  # loaded once
