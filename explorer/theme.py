"""Light and dark themes (View > Theme), kept in QSettings under ``"theme"``.

Both use Qt's Fusion style with a full palette, so every widget follows; sizes come from
fonts, which Qt scales on high-DPI screens. Plots keep their own white background: their
colour maps and labels are chosen for it, and they read the same in either theme.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QAction, QActionGroup, QColor, QPalette
from PySide6.QtWidgets import QApplication, QMenu, QWidget

THEMES = ("light", "dark")
SETTINGS_KEY = "theme"

# Dark palette: (role, colour) for the active and inactive groups; disabled text dimmed.
_DARK = {
    QPalette.ColorRole.Window: "#2b2b2b",
    QPalette.ColorRole.WindowText: "#e6e6e6",
    QPalette.ColorRole.Base: "#1e1e1e",
    QPalette.ColorRole.AlternateBase: "#333333",
    QPalette.ColorRole.ToolTipBase: "#3c3c3c",
    QPalette.ColorRole.ToolTipText: "#f0f0f0",
    QPalette.ColorRole.PlaceholderText: "#9a9a9a",
    QPalette.ColorRole.Text: "#e6e6e6",
    QPalette.ColorRole.Button: "#353535",
    QPalette.ColorRole.ButtonText: "#e6e6e6",
    QPalette.ColorRole.BrightText: "#ff6b6b",
    QPalette.ColorRole.Link: "#6cb4ff",
    QPalette.ColorRole.LinkVisited: "#b59cff",
    QPalette.ColorRole.Highlight: "#2f65b8",
    QPalette.ColorRole.HighlightedText: "#ffffff",
}
_DARK_DISABLED = "#7a7a7a"
# Fusion's light highlight (#308cc6) gives white text a contrast of only 3.7: darken it.
_LIGHT_HIGHLIGHT = "#2f65b8"


def palette(name: str) -> QPalette:
    """The palette of theme ``name`` ("light" is Fusion's own)."""
    if name not in THEMES:
        raise ValueError(f"unknown theme {name!r}; known: {', '.join(THEMES)}")
    pal = QApplication.style().standardPalette() if name == "light" else QPalette()
    if name == "light":
        pal.setColor(QPalette.ColorRole.Highlight, QColor(_LIGHT_HIGHLIGHT))
    else:
        for role, colour in _DARK.items():
            pal.setColor(role, QColor(colour))
        for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText,
                     QPalette.ColorRole.WindowText):
            pal.setColor(QPalette.ColorGroup.Disabled, role, QColor(_DARK_DISABLED))
    return pal


def apply_theme(name: str, settings: QSettings | None = None) -> None:
    """Switch the whole app to theme ``name``; remember it in ``settings`` when given."""
    app = QApplication.instance()
    app.setStyle("Fusion")
    app.setPalette(palette(name))
    if settings is not None:
        settings.setValue(SETTINGS_KEY, name)


def saved_theme(settings: QSettings) -> str:
    """The theme chosen before ("light" on a first start)."""
    value = str(settings.value(SETTINGS_KEY, "light") or "light")
    return value if value in THEMES else "light"


def theme_menu(parent: QWidget, settings: QSettings) -> QMenu:
    """View > Theme: Light and Dark, checkable; the choice applies at once and persists."""
    names = {"light": QCoreApplication.translate("Theme", "Light"),
             "dark": QCoreApplication.translate("Theme", "Dark")}
    menu = QMenu(QCoreApplication.translate("Theme", "&Theme"), parent)
    menu.setToolTipsVisible(True)
    group = QActionGroup(menu)
    current = saved_theme(settings)
    for name in THEMES:
        action = QAction(names[name], menu, checkable=True, checked=name == current)
        action.setToolTip(QCoreApplication.translate("Theme", "Colours of windows, panels and text"))
        action.setData(name)
        group.addAction(action)
        menu.addAction(action)
    group.triggered.connect(lambda action: apply_theme(action.data(), settings))
    return menu
