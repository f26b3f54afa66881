"""The Chinese interface stays readable on a machine without a CJK font."""
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics

from explorer import fonts


def test_the_shipped_font_covers_the_interface_and_is_loaded_only_when_needed(qapp):
    assert fonts.ensure_cjk_font(system_families=["Some CJK Font"]) is None

    family = fonts.ensure_cjk_font(system_families=[])
    assert family is not None
    # Qt's writing-system tag for it depends on the font backend (with fontconfig, a subset
    # is tagged Symbol only), so what is checked is what draws: the glyphs, below
    assert family in QFontDatabase.families()
    assert family in qapp.font().families()  # behind the interface font, as its fallback
    metrics = QFontMetrics(QFont(family))
    source = fonts.SHIPPED_FONT.parent.parent / "i18n" / "explorer_zh.ts"
    needed = {ch for ch in source.read_text(encoding="utf-8") if ord(ch) > 0x2E7F}
    assert len(needed) > 300
    missing = [ch for ch in needed if not metrics.inFontUcs4(ord(ch))]
    assert not missing, f"the shipped font lacks {''.join(sorted(missing))[:40]}"
    assert metrics.inFontUcs4(ord("爱"))  # a common character beyond the interface's own
    assert fonts.ensure_cjk_font(system_families=[]) == family  # loaded once


def test_the_language_menu_names_chinese_readably_without_a_cjk_font(qapp, monkeypatch, capsys, language):
    """In English on a machine without a CJK font, View > Language showed "简体中文" as four
    boxes; opened, the menu draws it with the shipped font, and says nothing on stderr."""
    from explorer.i18n import language_menu

    monkeypatch.setattr(fonts, "system_cjk_families", lambda: [])
    monkeypatch.setattr(fonts, "_noticed", False)
    before = qapp.font()
    qapp.setFont(QFont("DejaVu Sans"))  # the English interface's font, without the fallback
    menu = language_menu(None)
    chinese = next(a for a in menu.actions() if a.data() == "zh")
    family = fonts.cjk_fallback_family([])
    assert family not in chinese.font().families()
    menu.aboutToShow.emit()
    assert family in chinese.font().families()
    metrics = QFontMetrics(QFont(family))
    assert all(metrics.inFontUcs4(ord(ch)) for ch in chinese.text())
    assert fonts.NOTICE not in capsys.readouterr().err
    monkeypatch.setattr(fonts, "system_cjk_families", lambda: ["Noto Sans CJK SC"])
    other = language_menu(None)
    other.aboutToShow.emit()  # a system font covers it: the menu's own font is left alone
    assert family not in next(a for a in other.actions() if a.data() == "zh").font().families()
    qapp.setFont(before)
