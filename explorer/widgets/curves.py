"""Live training curves that keep their whole history and stay fast.

Each curve stores its points in growable numpy arrays (amortised O(1) appends). Drawing
goes through pyqtgraph with clip-to-view and automatic peak downsampling, so a curve with
hundreds of thousands of points costs about as much to draw as one with a few thousand.
Appending only marks a curve dirty; ``refresh()`` pushes dirty curves to the screen, so a
caller can append at any rate and redraw at a fixed, lower rate.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg


@dataclass
class _Series:
    """Points of one curve in arrays that double in size when full."""

    item: pg.PlotDataItem
    x: np.ndarray = field(default_factory=lambda: np.empty(1024))
    y: np.ndarray = field(default_factory=lambda: np.empty(1024))
    n: int = 0
    dirty: bool = False

    def extend(self, xs: np.ndarray, ys: np.ndarray) -> None:
        keep = np.isfinite(ys)
        xs, ys = xs[keep], ys[keep]
        if not len(xs):
            return
        need = self.n + len(xs)
        if need > len(self.x):
            size = max(need, 2 * len(self.x))
            self.x = np.resize(self.x, size)
            self.y = np.resize(self.y, size)
        self.x[self.n:need] = xs
        self.y[self.n:need] = ys
        self.n = need
        self.dirty = True


class LiveCurves(pg.GraphicsLayoutWidget):
    """A grid of x-linked plots, each holding named curves with their full history.

    Usage::

        curves = LiveCurves()
        curves.add_plot("loss", "loss", row=0, col=0)
        curves.add_curve("loss", "train", "#1f77b4")
        curves.append("train", [1, 2, 3], [4.1, 3.9, 3.5])
        curves.refresh()
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setBackground("w")
        self._plots: dict[str, pg.PlotItem] = {}
        self._series: dict[str, _Series] = {}

    def add_plot(self, key: str, title: str, row: int, col: int, log_y: bool = False) -> pg.PlotItem:
        """Add an empty plot at (row, col); its x axis (training step) follows the first plot's."""
        plot = self.addPlot(row=row, col=col, title=title)
        plot.showGrid(x=True, y=True, alpha=0.25)
        plot.setDownsampling(auto=True, mode="peak")
        plot.setClipToView(True)
        plot.setLogMode(y=log_y)
        plot.getAxis("bottom").setLabel("step")
        plot.addLegend(offset=(-5, 5), labelTextSize="8pt")
        if self._plots:
            plot.setXLink(next(iter(self._plots.values())))
        self._plots[key] = plot
        return plot

    def add_curve(self, plot_key: str, name: str, color: str, symbol: str | None = None) -> None:
        """Add a curve called ``name`` to a plot; sparse series (validation) get a symbol."""
        pen = pg.mkPen(color, width=1.5)
        item = self._plots[plot_key].plot(
            name=name, pen=pen, symbol=symbol, symbolSize=5, symbolBrush=color, symbolPen=None
        )
        item.setDownsampling(auto=True, method="peak")
        item.setClipToView(True)
        self._series[name] = _Series(item)

    def append(self, name: str, x, y) -> None:
        """Append points (scalars or sequences) to a curve; NaN, inf and None are skipped.

        The screen changes at the next ``refresh()``.
        """
        xs = np.atleast_1d(np.asarray(x, dtype=float))
        ys = np.atleast_1d(np.asarray(y, dtype=float))  # None becomes NaN
        self._series[name].extend(xs, ys)

    def refresh(self) -> None:
        """Draw every curve that received points since the last refresh."""
        for series in self._series.values():
            if series.dirty:
                series.item.setData(series.x[: series.n], series.y[: series.n])
                series.dirty = False

    def data(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """The points of a curve so far, as (x, y) arrays of equal length (views, do not modify)."""
        s = self._series[name]
        return s.x[: s.n], s.y[: s.n]

    def clear_data(self) -> None:
        """Forget every point (a new model starts a new history)."""
        for series in self._series.values():
            series.n = 0
            series.item.setData([], [])
            series.dirty = False

    def plot(self, key: str) -> pg.PlotItem:
        return self._plots[key]
