"""A Chinese font for the Chinese interface, on machines that have none.

Qt draws Chinese with whatever installed font covers it. A minimal Linux desktop may
have none, and then every Chinese label is a row of boxes. :func:`ensure_cjk_font`
checks for a font that covers Simplified Chinese; when there is none it loads the
shipped subset of Noto Sans CJK SC (``resources/fonts``: the interface's, the
explanations' and the built-in corpus's characters plus the 3,755 common characters of
GB 2312; SIL Open Font License) and puts it behind the application font as a fallback,
and says once, on stderr, which package brings a full font.
"""
from __future__ import annotations

import sys
from collections.abc import Iterable
from importlib.resources import files

from PySide6.QtGui import QFontDatabase, QGuiApplication

SHIPPED_FONT = files("resources").joinpath("fonts", "NotoSansSC-subset.otf")
NOTICE = ("Transformer Explorer: no Chinese font is installed; using the shipped subset "
          "(common characters only). For every character install a CJK font, e.g. the "
          "package fonts-noto-cjk (Debian, Ubuntu) or google-noto-sans-cjk-fonts (Fedora).")
_loaded: str | None = None
_noticed = False  # the notice is said once per run


def system_cjk_families() -> list[str]:
    """Installed font families that cover Simplified Chinese."""
    return [f for f in QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
            if f != _loaded]


def cjk_fallback_family(system_families: Iterable[str] | None = None) -> str | None:
    """The shipped font's family (loaded now, once) when no installed font covers Chinese,
    else None; says nothing (the View > Language menu shows "简体中文" with it in English).

    Args:
        system_families: the installed CJK families (default: asked of Qt), for tests.
    """
    global _loaded
    families = list(system_cjk_families() if system_families is None else system_families)
    if families:
        return None
    if _loaded is None:
        font_id = QFontDatabase.addApplicationFont(str(SHIPPED_FONT))
        loaded = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if not loaded:
            return None
        _loaded = loaded[0]
    return _loaded


def ensure_cjk_font(system_families: Iterable[str] | None = None) -> str | None:
    """Make sure Chinese text can be drawn; returns the family of the shipped font when
    it had to be loaded, None when the system has its own.

    Args:
        system_families: the installed CJK families (default: asked of Qt), for tests.
    """
    global _noticed
    family = cjk_fallback_family(system_families)
    if family is None:
        return None
    if not _noticed:
        _noticed = True
        print(NOTICE, file=sys.stderr)
    app = QGuiApplication.instance()
    font = app.font()
    if family not in font.families():
        font.setFamilies([*font.families(), family])
        app.setFont(font)
    return family
