"""A replay frame is laid out and its plots prepared before anything is painted."""
import pyqtgraph as pg
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from explorer.widgets.frames import settle_frame


def test_a_frame_is_laid_out_and_its_plots_placed_before_painting(qtbot):
    """What a frame changed (a label that now wraps, a plot's range) is laid out and the
    plot's transform updated by settle_frame alone, with no event processed: the first
    paint already shows it (else the plot is painted, resized or moved, and painted again)."""
    root = QWidget()
    qtbot.addWidget(root)
    layout = QVBoxLayout(root)
    label = QLabel("one line")
    label.setWordWrap(True)
    plot = pg.PlotWidget()
    layout.addWidget(label)
    layout.addWidget(plot, 1)
    root.resize(300, 400)
    root.show()
    qtbot.waitExposed(root)
    qtbot.wait(50)
    height, plot_height = label.height(), plot.height()
    box = plot.getViewBox()
    label.setText("a status line long enough to wrap onto a second and a third line in this narrow widget")
    box.setRange(xRange=(10, 20), yRange=(10, 20), padding=0)
    stale = box.childGroup.transform()  # what painting draws with; pyqtgraph updates it late
    settle_frame()
    assert label.height() > height and plot.height() < plot_height  # laid out already
    placed = box.childGroup.transform()
    assert placed != stale
    corner, rect = placed.map(QPointF(10, 10)), box.rect()  # the range's corner: the box's
    assert abs(corner.x() - rect.left()) < 1e-6 and abs(corner.y() - rect.bottom()) < 1e-6
