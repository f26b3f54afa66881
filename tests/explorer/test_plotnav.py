"""Wheel over a plot in a scrolled page scrolls the page; Ctrl or a click lets it zoom;
double-click, R and the right-click menu reset the view (explorer/widgets/plotnav.py)."""
import numpy as np
import pyqtgraph as pg
import pytest
from pyqtgraph.Qt import QtCore, QtGui, QtWidgets

from explorer.widgets import plotnav
from explorer.widgets.heatmap import TokenHeatmap

Qt = QtCore.Qt


@pytest.fixture(autouse=True)
def navigation(qapp):
    nav = plotnav.install(qapp)
    yield nav
    qapp.removeEventFilter(nav)
    nav.setParent(None)


def wheel(widget, modifiers=Qt.KeyboardModifier.NoModifier, delta=-120):
    """A wheel turn over the middle of ``widget``, as the window system sends it."""
    pos = QtCore.QPointF(widget.width() / 2, widget.height() / 2)
    event = QtGui.QWheelEvent(pos, QtCore.QPointF(widget.mapToGlobal(pos.toPoint())),
                              QtCore.QPoint(0, 0), QtCore.QPoint(0, delta),
                              Qt.MouseButton.NoButton, modifiers, Qt.ScrollPhase.NoScrollPhase,
                              False)
    QtWidgets.QApplication.sendEvent(widget, event)


def heatmap_in_page(qtbot):
    """A TokenHeatmap in a scroll area whose page is taller than the window."""
    area = QtWidgets.QScrollArea()
    area.setWidgetResizable(True)
    page = QtWidgets.QWidget()
    column = QtWidgets.QVBoxLayout(page)
    heatmap = TokenHeatmap()
    heatmap.setMinimumSize(300, 300)
    column.addWidget(heatmap)
    filler = QtWidgets.QWidget()
    filler.setMinimumHeight(900)
    column.addWidget(filler)
    area.setWidget(page)
    area.resize(400, 400)
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)
    labels = [str(i) for i in range(6)]
    heatmap.set_matrix(np.arange(36, dtype=float).reshape(6, 6), labels, labels)
    QtWidgets.QApplication.processEvents()
    return area, heatmap


def x_range(heatmap):
    return tuple(heatmap.plot.getViewBox().viewRange()[0])


def test_wheel_over_a_plot_in_a_scrolled_page_scrolls_the_page(qtbot):
    area, heatmap = heatmap_in_page(qtbot)
    before = x_range(heatmap)
    assert before == pytest.approx((0, 6))
    wheel(heatmap.view.viewport())
    assert area.verticalScrollBar().value() > 0
    assert x_range(heatmap) == pytest.approx(before)  # the plot did not zoom


def test_ctrl_wheel_or_a_clicked_plot_zooms(qtbot):
    area, heatmap = heatmap_in_page(qtbot)
    before = x_range(heatmap)
    wheel(heatmap.view.viewport(), Qt.KeyboardModifier.ControlModifier, delta=120)
    assert area.verticalScrollBar().value() == 0
    zoomed = x_range(heatmap)
    assert zoomed[1] - zoomed[0] < before[1] - before[0]
    heatmap.fit()
    viewport = heatmap.view.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=viewport.rect().center())
    wheel(viewport, delta=120)
    assert area.verticalScrollBar().value() == 0
    assert x_range(heatmap)[1] - x_range(heatmap)[0] < 6
    heatmap.fit()
    filler = area.widget().layout().itemAt(1).widget()
    qtbot.mouseClick(filler, Qt.MouseButton.LeftButton, pos=QtCore.QPoint(10, 5))  # elsewhere
    wheel(viewport)
    assert area.verticalScrollBar().value() > 0
    assert x_range(heatmap) == pytest.approx((0, 6))


def test_a_plot_outside_scrolled_pages_still_zooms_with_the_wheel(qtbot):
    plot = pg.PlotWidget()
    plot.plot([0, 1, 2], [0, 1, 4])
    plot.resize(300, 300)
    qtbot.addWidget(plot)
    plot.show()
    qtbot.waitExposed(plot)
    box = plot.getViewBox()
    box.autoRange(padding=0)
    width = box.viewRange()[0][1] - box.viewRange()[0][0]
    wheel(plot.viewport(), delta=120)
    assert box.viewRange()[0][1] - box.viewRange()[0][0] < width


def zoom_in(heatmap):
    heatmap.plot.getViewBox().scaleBy((0.5, 0.5))
    assert x_range(heatmap)[1] - x_range(heatmap)[0] == pytest.approx(3)


def test_double_click_and_r_reset_the_view(qtbot):
    area, heatmap = heatmap_in_page(qtbot)
    viewport = heatmap.view.viewport()
    zoom_in(heatmap)
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=viewport.rect().center())
    assert x_range(heatmap) == pytest.approx((0, 6))
    zoom_in(heatmap)
    heatmap.view.setFocus()
    qtbot.keyClick(heatmap.view, Qt.Key.Key_R)
    assert x_range(heatmap) == pytest.approx((0, 6))


def test_right_click_offers_reset_view(qtbot):
    area, heatmap = heatmap_in_page(qtbot)
    viewport = heatmap.view.viewport()
    zoom_in(heatmap)
    qtbot.mouseClick(viewport, Qt.MouseButton.RightButton, pos=viewport.rect().center())
    menus = [m for m in heatmap.view.findChildren(QtWidgets.QMenu) if m.isVisible()]
    assert len(menus) == 1 and "Reset view" in menus[0].actions()[0].text()
    menus[0].actions()[0].trigger()
    menus[0].close()
    assert x_range(heatmap) == pytest.approx((0, 6))


def test_a_plot_with_its_own_menu_gets_reset_view_in_it(qtbot):
    plot = pg.PlotWidget()
    plot.plot([0, 1, 2], [0, 1, 4])
    plot.resize(300, 300)
    qtbot.addWidget(plot)
    plot.show()
    qtbot.waitExposed(plot)
    box = plot.getViewBox()
    pos = plot.viewport().rect().center()
    event = QtGui.QMouseEvent(QtCore.QEvent.Type.MouseButtonPress, QtCore.QPointF(pos),
                              QtCore.QPointF(plot.viewport().mapToGlobal(pos)),
                              Qt.MouseButton.RightButton, Qt.MouseButton.RightButton,
                              Qt.KeyboardModifier.NoModifier)
    QtWidgets.QApplication.sendEvent(plot.viewport(), event)
    first = box.menu.actions()[0]
    assert "Reset view" in first.text()
    box.setRange(xRange=(5, 6), yRange=(5, 6), padding=0)
    first.trigger()
    assert box.viewRange()[0][0] < 0.5
