"""Nothing important is cut off in a window of 1366 × 768: long plot titles wrap instead of
widening their plot past its widget, legends under their plots take as many columns as the
width holds, and no legend covers the training curves."""
from __future__ import annotations

import numpy as np
import pytest

from explorer.widgets.curves import LiveCurves
from explorer.widgets.heatmap import TokenHeatmap
from explorer.widgets.position_table import draw_offset_curves, label_plot, line_plot
from explorer.widgets.titles import TITLE_ROW_PX

LONG_TITLE = ("Cross-attention (decoder → encoder), layer 0, mean over heads — rows: queries, "
              "columns: keys")


def _inside(rect, width: float) -> bool:
    return rect.left() >= -1 and rect.right() <= width + 1


@pytest.mark.parametrize("width", [360, 480, 900])
def test_a_long_heatmap_title_wraps_and_the_matrix_and_colour_bar_stay_in_view(qtbot, width):
    view = TokenHeatmap()
    qtbot.addWidget(view)
    view.resize(width, 320)
    labels = [f"t{i}" for i in range(9)]
    view.set_matrix(np.random.default_rng(0).random((9, 9)), labels, labels, scale="prob",
                    title=LONG_TITLE)
    view.show()
    qtbot.waitExposed(view)
    qtbot.wait(20)
    shown = view.view.viewport().width()
    assert _inside(view.plot.sceneBoundingRect(), shown)
    assert _inside(view.colorbar.sceneBoundingRect(), shown)
    title = view.plot.titleLabel
    assert _inside(title.sceneBoundingRect(), shown)
    line = title.item.document().firstBlock().layout().lineAt(0).height()
    lines = title.item.boundingRect().height() / line
    assert round(lines) >= (2 if width < 600 else 1)
    assert view.plot.layout.rowMinimumHeight(0) >= title.item.boundingRect().height()


def test_a_short_title_keeps_one_line_of_pyqtgraphs_height(qtbot):
    view = TokenHeatmap()
    qtbot.addWidget(view)
    view.resize(480, 320)
    view.set_matrix(np.eye(3), ["a", "b", "c"], ["a", "b", "c"], title="short")
    view.show()
    qtbot.waitExposed(view)
    assert view.plot.layout.rowMinimumHeight(0) == TITLE_ROW_PX
    view.set_title(LONG_TITLE)
    qtbot.wait(20)
    assert view.plot.layout.rowMinimumHeight(0) > TITLE_ROW_PX


def test_a_line_plots_legend_takes_the_columns_its_width_holds(qtbot):
    plot = line_plot()
    qtbot.addWidget(plot)
    label_plot(plot, "P_m · P_(m+k) against the offset k", "offset k", "dot product")
    draw_offset_curves(plot, np.random.default_rng(0).random((4, 50)), starts=(0, 32, 64, 96))
    plot.resize(370, 260)
    plot.show()
    qtbot.waitExposed(plot)
    qtbot.wait(20)
    item, legend = plot.getPlotItem(), plot.getPlotItem().legend
    narrow = legend.columnCount
    assert 1 <= narrow < 4
    assert _inside(item.sceneBoundingRect(), plot.viewport().width())
    assert _inside(legend.sceneBoundingRect(), plot.viewport().width())
    plot.resize(900, 260)
    qtbot.wait(20)
    assert legend.columnCount == 4  # all four side by side
    assert _inside(legend.sceneBoundingRect(), plot.viewport().width())


def test_training_curves_keep_their_legends_off_the_curves(qtbot):
    curves = LiveCurves()
    qtbot.addWidget(curves)
    curves.add_plot("loss", "loss (nats)", 0, 0, x_axis=False)
    for name in ("train loss (smoothed)", "train cross-entropy", "valid loss (smoothed)"):
        curves.add_curve("loss", name, "#3a86d4")
    curves.add_plot("lr", "learning rate", 0, 1, x_axis=False)
    curves.add_curve("lr", "lr", "#a066cc")
    for name in ("train loss (smoothed)", "train cross-entropy", "lr"):
        curves.append(name, np.arange(100), np.linspace(8, 1, 100))
    curves.refresh()
    curves.resize(600, 300)  # the training panel's curves at 1366 × 768
    curves.show()
    qtbot.waitExposed(curves)
    qtbot.wait(20)
    loss, legend = curves.plot("loss"), curves.legend("loss")
    area, key = loss.getViewBox().sceneBoundingRect(), legend.sceneBoundingRect()
    assert legend.isVisible() and len(legend.items) == 3
    assert key.top() >= area.bottom() - 1  # under the data area (its frame's half pixel aside)
    assert key.bottom() <= curves.viewport().height() + 1
    # under the whole row, as wide as it: all three entries on one line
    assert key.width() > loss.sceneBoundingRect().width() and legend.columnCount == 3
    lr = curves.plot("lr")  # one curve: the title names it, and no entry takes room
    assert legend.getLabel(curves._series["lr"].item) is None
    assert lr.getViewBox().sceneBoundingRect().height() == pytest.approx(area.height(), abs=1)
    curves.set_label("train cross-entropy", "cross-entropy")
    assert legend.getLabel(curves._series["train cross-entropy"].item).text == "cross-entropy"


def test_legend_columns_are_as_wide_as_their_own_entries(qtbot):
    plot = line_plot()
    qtbot.addWidget(plot)
    for name in ("a long legend entry here", "b", "c"):  # columns: (long, c) and (b)
        plot.plot([0, 1], [0, 1], name=name)
    legend = plot.getPlotItem().legend
    two = legend.rows_px(2)
    assert two < 2 * legend.entry_px()  # narrower than two columns of the widest entry
    assert legend.fitting_columns(two) == 2 and legend.fitting_columns(two - 1) == 1
    assert legend.fitting_columns(legend.rows_px(3)) == 3


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_tab_of_every_panel_fits_its_dock_at_1366_by_768(qtbot, settings, language, lang):
    """No panel is wider than its dock in a 1366 × 768 window, whichever tab was opened (a tab
    widget is as wide as its widest page once shown): the Positional panel's Compare tab made
    it 774 px wide, its Rotary tab 720, in a dock of about 740 that then scrolled sideways."""
    from explorer.app import MainWindow

    language.set(lang, save=False)
    window = MainWindow(settings=settings, open_default=False)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    for title in list(window.docks):
        panel = window.panel(title)
        window.docks[title].raise_()
        for tab in getattr(panel, "TAB_NAMES", ()) or (None,):
            if tab is not None:
                panel.open_tab(tab)
            qtbot.wait(1)
    qtbot.wait(20)  # the pages built on their first showing laid out
    widths = {title: (window.panel(title).minimumSizeHint().width(), window.docks[title].widget().width())
              for title in window.docks}
    assert widths["Attention"][1] > 600  # the right dock: the window was laid out at 1366 px
    assert not [(title, w) for title, w in widths.items() if w[0] > w[1]]
    window.ask_before_discard = False
    window.close()
