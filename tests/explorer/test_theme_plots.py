"""Plots follow the theme: a dark theme gives every pyqtgraph view a dark background with light
axes, titles and legends (views that exist and views made later); light gives white again."""
from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor

from explorer import theme
from explorer.app import PANELS, MainWindow
from explorer.widgets.curves import COLOURS
from explorer.widgets.heatmap import MASKED_BACKGROUND, TokenHeatmap


def luminance(colour: QColor) -> float:
    channels = []
    for c in colour.getRgbF()[:3]:
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: QColor, b: QColor) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def label_colour(label: pg.LabelItem) -> QColor:
    return pg.mkColor(label.opts["color"] or pg.getConfigOption("foreground"))


def plot_items(view: pg.GraphicsView) -> list[pg.PlotItem]:
    return [item for item in view.scene().items() if isinstance(item, pg.PlotItem)]


@pytest.fixture
def window(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    training_only = [spec for spec in PANELS if spec.title == "Training"]
    window = MainWindow(settings=settings, panels=training_only, open_default=False)
    qtbot.addWidget(window)
    window.show()
    window.panel("Training")
    yield window
    theme.apply_theme("light")
    window.ask_before_discard = False
    window.close()


def assert_theme(views: list[pg.GraphicsView], dark: bool) -> None:
    """Background dark (or white) and axis lines, tick text, axis labels, titles, legend
    text light (or dark), each with a contrast of at least 4.5 against the background."""
    for view in views:
        background = view.backgroundBrush().color()
        assert (background.lightness() < 50) if dark else (background == QColor("#ffffff")), view
        for plot in plot_items(view):
            for name in ("left", "bottom"):
                axis = plot.getAxis(name)
                for colour in (axis.pen().color(), axis.textPen().color(),
                               QColor(axis.labelStyle["color"])):
                    assert contrast(colour, background) >= 4.5, (view, name, colour.name())
                    assert (colour.lightness() > 150) if dark else (colour.lightness() < 100)
            if plot.titleLabel.isVisible():
                assert contrast(label_colour(plot.titleLabel), background) >= 4.5
            if plot.legend is not None:
                for _sample, label in plot.legend.items:
                    assert contrast(label_colour(label), background) >= 4.5, label.text


def test_plots_follow_the_theme(window, qtbot):
    panel = window.panels["Training"]
    slow = panel.slow
    views = [panel.curves, slow.token_loss_bars, slow.grad_bars, slow.update_bars,
             slow.token_loss_map.view, slow.probe_change.view]
    assert theme.style_plots("light") >= len(views)
    assert_theme(views, dark=False)
    curve_pen = panel.curves._series["train loss"].item.opts["pen"].color().name()

    theme.apply_theme("dark")
    assert theme.current_theme() == "dark"
    assert_theme(views, dark=True)
    assert pg.mkColor(pg.getConfigOption("background")).lightness() < 50
    # Coloured things keep their colours: curves and the grey under masked heatmap cells.
    assert panel.curves._series["train loss"].item.opts["pen"].color().name() == curve_pen
    viewbox = slow.token_loss_map.plot.getViewBox()
    assert viewbox.background.brush().color() == QColor(*MASKED_BACKGROUND)

    # Views made later follow too: ones that take pyqtgraph's defaults, and ones made with a
    # fixed white background (restyled when Qt first polishes them).
    later = [pg.PlotWidget(title="later"), pg.PlotWidget(background="w"), TokenHeatmap(title="map")]
    for widget in later:
        qtbot.addWidget(widget)
        widget.show()
    later[0].getPlotItem().addLegend().addItem(later[0].plot([0, 1], [1, 0]), "curve")
    qtbot.waitExposed(later[1])
    assert_theme([later[0], later[1], later[2].view], dark=True)

    theme.apply_theme("light")
    assert_theme(views + [later[0], later[1], later[2].view], dark=False)


def test_curve_colours_read_on_both_plot_backgrounds():
    for name in theme.THEMES:
        background = QColor(theme.PLOT_COLOURS[name][0])
        for key, colour in COLOURS.items():
            assert contrast(QColor(colour), background) >= 3.0, (name, key)
        assert contrast(QColor(theme.PLOT_COLOURS[name][1]), background) >= 7.0, name


def test_labels_and_rings_follow_the_theme_filled_labels_do_not(qtbot):
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    label = pg.TextItem("token", color=(20, 20, 20))
    boxed = pg.TextItem("boxed", color=(20, 20, 20), fill=(255, 255, 255))
    ring = pg.ScatterPlotItem(x=[0], y=[0], brush=None, pen=pg.mkPen((0, 0, 0), width=2))
    dots = pg.ScatterPlotItem(x=[1], y=[1], brush=(200, 30, 30), pen=pg.mkPen((0, 0, 0)))
    for item in (label, boxed, ring, dots):
        plot.addItem(item)
    try:
        theme.apply_theme("dark")
        dark = QColor(theme.PLOT_COLOURS["dark"][0])
        assert contrast(label.color, dark) > 7
        assert contrast(pg.mkPen(ring.opts["pen"]).color(), dark) > 7
        assert boxed.color.name() == "#141414"  # on its own white fill: unchanged
        assert pg.mkPen(dots.opts["pen"]).color().name() == "#000000"  # filled markers: unchanged
        made_later = pg.TextItem("later", color=pg.getConfigOption("foreground"))
        assert contrast(made_later.color, dark) > 7
    finally:
        theme.apply_theme("light")
    assert contrast(label.color, QColor("#ffffff")) > 7
