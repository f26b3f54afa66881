"""Light and dark themes: the palette changes, text stays readable, the choice persists."""
from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QWidget

from explorer import theme


def contrast(palette: QPalette, fg: QPalette.ColorRole, bg: QPalette.ColorRole) -> float:
    """WCAG contrast ratio between two palette colours."""
    def luminance(role):
        channels = []
        for c in palette.color(role).getRgbF()[:3]:
            channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
        r, g, b = channels
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_themes_switch_persist_and_stay_readable(qapp, tmp_path):
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    assert theme.saved_theme(settings) == "light"
    parent = QWidget()
    menu = theme.theme_menu(parent, settings)
    actions = {a.data(): a for a in menu.actions()}
    assert set(actions) == set(theme.THEMES) and actions["light"].isChecked()
    assert all(a.toolTip() for a in actions.values())
    try:
        actions["dark"].trigger()
        pal = QApplication.palette()
        assert pal.color(QPalette.ColorRole.Window).lightness() < 80
        assert theme.saved_theme(settings) == "dark"
        for name in theme.THEMES:
            pal = theme.palette(name)
            R = QPalette.ColorRole
            for fg, bg in ((R.WindowText, R.Window), (R.Text, R.Base), (R.ButtonText, R.Button),
                           (R.HighlightedText, R.Highlight), (R.ToolTipText, R.ToolTipBase)):
                assert contrast(pal, fg, bg) >= 4.5, (name, fg, bg)
    finally:
        theme.apply_theme("light")
