"""Light and dark themes (View > Theme), kept in QSettings under ``"theme"``.

Both use Qt's Fusion style with a full palette, so every widget follows; sizes come from
fonts, which Qt scales on high-DPI screens.

Plots (pyqtgraph views) follow too: ``apply_theme`` sets pyqtgraph's default background and
foreground, restyles every view that exists (``style_plots``), and restyles each view made
later when Qt first polishes it (an application event filter), so a plot made with a fixed
white background still turns dark. Restyling touches only neutral (grey, black or white)
colours: the view's background, axis lines, tick text and axis labels, plot titles, legend
text, ``TextItem`` labels without a fill of their own, and rings (scatter markers drawn
with a pen and no brush, e.g. a selection). Coloured pens, curves, colour maps of heatmaps
and labels on a fill keep their colours. Code that adds such labels later takes their
colour from ``pg.getConfigOption("foreground")``, which follows the theme.
"""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, Qt
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
# Plots: (background, foreground = axes, tick text, titles, legend text) per theme.
PLOT_COLOURS = {"light": ("#ffffff", "#333333"), "dark": ("#1e1e1e", "#d4d4d4")}
NEUTRAL_SATURATION = 40  # of 255: a colour this grey (or greyer) follows the theme


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
    global _current
    app = QApplication.instance()
    app.setStyle("Fusion")
    app.setPalette(palette(name))
    _current = name
    background, foreground = PLOT_COLOURS[name]
    pg.setConfigOptions(background=background, foreground=foreground)
    if app.findChild(_PlotStyler) is None:  # views made from now on: styled when first polished
        app.installEventFilter(_PlotStyler(app))
    style_plots(name)
    if settings is not None:
        settings.setValue(SETTINGS_KEY, name)


def current_theme() -> str:
    """The theme applied last ("light" before any)."""
    return _current


def _neutral(colour: QColor) -> bool:
    return colour.alpha() == 0 or colour.hsvSaturation() <= NEUTRAL_SATURATION


def style_view(view: pg.GraphicsView, name: str | None = None) -> None:
    """Give one pyqtgraph view the plot colours of theme ``name`` (default: the current one).

    Neutral colours only (see the module docstring): background, axes (lines, tick text,
    label), titles and other ``LabelItem`` texts, legend text, unfilled ``TextItem`` labels
    and rings.
    """
    background, foreground = PLOT_COLOURS[name or _current]
    if _neutral(view.backgroundBrush().color()):
        view.setBackground(background)
    scene = view.scene()
    if scene is None:
        return
    for item in scene.items():
        if isinstance(item, pg.AxisItem):
            if _neutral(item.pen().color()):
                item.setPen(foreground)
            if _neutral(item.textPen().color()):
                item.setTextPen(foreground)  # also the colour of the axis label
        elif isinstance(item, pg.LabelItem):
            colour = item.opts.get("color")
            if colour is None or _neutral(pg.mkColor(colour)):
                item.setText(item.text, color=foreground)
        elif isinstance(item, pg.TextItem):
            if item.fill.style() == Qt.BrushStyle.NoBrush and _neutral(item.color):
                item.setColor(foreground)
        elif isinstance(item, pg.ScatterPlotItem):
            pen, brush = pg.mkPen(item.opts["pen"]), pg.mkBrush(item.opts["brush"])
            if brush.style() == Qt.BrushStyle.NoBrush and _neutral(pen.color()):
                pen.setColor(pg.mkColor(foreground))
                item.setPen(pen)
        elif isinstance(item, pg.LegendItem):
            colour = item.opts.get("labelTextColor")
            if colour is None or _neutral(pg.mkColor(colour)):
                item.opts["labelTextColor"] = pg.mkColor(foreground)  # for entries added later


def style_plots(name: str | None = None, root: QWidget | None = None) -> int:
    """Restyle every pyqtgraph view of the app (or under ``root``); returns how many."""
    widgets = QApplication.allWidgets() if root is None else [root, *root.findChildren(QWidget)]
    views = [w for w in widgets if isinstance(w, pg.GraphicsView)]
    for view in views:
        style_view(view, name)
    return len(views)


class _PlotStyler(QObject):
    """Application event filter: styles each pyqtgraph view when Qt first polishes it."""

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Polish and isinstance(watched, pg.GraphicsView):
            style_view(watched)
        return False


_current = "light"


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
