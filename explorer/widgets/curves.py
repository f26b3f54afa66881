"""Live training curves that keep their whole history and stay fast.

Each curve stores its points in growable numpy arrays (amortised O(1) appends). Drawing
goes through pyqtgraph with clip-to-view and automatic peak downsampling, so a curve with
hundreds of thousands of points costs about as much to draw as one with a few thousand.
Appending only marks a curve dirty; ``refresh()`` pushes dirty curves to the screen, so a
caller can append at any rate and redraw at a fixed, lower rate.

The shared step axis grows in round steps of the span it shows (…, 100, 125, 150, 200, 250,
300, 400, …), so the curves fill at least three quarters of the width, rather than with
every point; each y range spans whole ticks of a round size (``nice_range``) and moves only
when the data leave it (a plot may keep a fixed range instead, e.g. accuracy 0–1); and the
y axes have a fixed width. Tick labels are thinned so that they never overlap (``SparseAxis``). Redrawing axes, and
laying the plots out again when an axis changes width, is most of the cost of a redraw,
and a range that moved with every point meant that cost at every refresh. Once the user
zooms or pans, the ranges are theirs.

Colours: the plots take their background and axis colours from the theme (see
``explorer.theme``); curve colours come from ``COLOURS``, each with a contrast of at least
3:1 on both the light (white) and the dark (#1e1e1e) plot background. Plot titles and legend
entries are display texts that can change (``set_title``, ``set_label``, e.g. on a language
change); a curve is always addressed by the name it was added with. Legends stand under each
row of plots, outside the data (``legend(plot_key)``): inside a small plot one covered the curves.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFontMetrics

from explorer.texts import Retranslating
from explorer.widgets.legends import FlowLegend
from explorer.widgets.titles import wrap_title

# Curve colours readable on white and on #1e1e1e (WCAG contrast >= 3 on both).
COLOURS = {
    "blue": "#3a86d4",
    "red": "#e45756",
    "green": "#2e9e4a",
    "purple": "#a066cc",
    "brown": "#b07850",
    "orange": "#cc7000",
    "teal": "#0f9d9a",
    "grey": "#8a8a8a",
}
_ROUND_STEPS = (1.0, 1.5, 2.0, 3.0, 5.0, 7.5, 10.0)
_SPAN_STEPS = (1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)  # the step axis's spans
LEFT_AXIS_PX = 56  # fixed: a y axis whose labels change width would re-lay out every plot


def round_up(x: float, steps: tuple[float, ...] = _ROUND_STEPS) -> float:
    """The smallest of 1, 1.5, 2, 3, 5, 7.5 × 10^k (or of ``steps`` × 10^k) that is >= x (x > 0)."""
    scale = 10.0 ** math.floor(math.log10(x))
    return next(m * scale for m in steps if m * scale >= x * (1 - 1e-12))


def step_axis_end(first: float, last: float) -> float:
    """The right end of a step axis from ``first`` that shows ``last``: ``first`` plus a
    round span (1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k), so the curves fill at least
    three quarters of the width however far from 0 they start."""
    return first + round_up(max(last - first, 1.0), _SPAN_STEPS)


class SparseAxis(pg.AxisItem):
    """An axis whose tick labels never overlap: a tick level whose labels would be closer
    than a label's size is thinned (every k-th tick), and finer levels left out. A plot a
    few dozen pixels high then shows two or three labels instead of a pile of them, and
    never a lone "0" where the first and last tick in view fit a label apart."""

    def _label_px(self, max_value: float) -> float:
        metrics = QFontMetrics(self.style.get("tickFont") or self.font())
        if self.orientation in ("left", "right"):
            return 1.5 * metrics.height()
        return metrics.horizontalAdvance(f"{max_value:,.0f}0") + 8

    def tickValues(self, minVal, maxVal, size):
        levels = super().tickValues(minVal, maxVal, size)
        if maxVal <= minVal or size <= 0:
            return levels
        per_unit = size / (maxVal - minVal)
        need = self._label_px(max(abs(minVal), abs(maxVal)))
        kept = []
        for spacing, values in levels:
            gap = spacing * per_unit
            if gap >= need:
                kept.append((spacing, values))
                continue
            if not kept:  # the coarsest level: every k-th tick, on multiples of k·spacing
                k = math.ceil(need / max(gap, 1e-12))
                level = (spacing * k, [v for v in values if round(v / spacing) % k == 0])
                shown = [v for v in values if minVal <= v <= maxVal]
                if sum(minVal <= v <= maxVal for v in level[1]) < 2 and len(shown) >= 2 and \
                        (shown[-1] - shown[0]) * per_unit >= self._tight_px():
                    # a lone "0" says nothing of the scale: the first and last tick in view
                    # instead, when they are a label apart (a short plot, a large font);
                    # their distance as the spacing, which sets the labels' decimals
                    level = (shown[-1] - shown[0], [shown[0], shown[-1]])
                kept.append(level)
            break
        return kept

    def _tight_px(self) -> float:
        """The least distance between two labels that do not overlap."""
        metrics = QFontMetrics(self.style.get("tickFont") or self.font())
        if self.orientation in ("left", "right"):
            return metrics.height() + 2.0
        return metrics.horizontalAdvance("0" * 6) + 8


def nice_range(lo: float, hi: float, ticks: int = 4) -> tuple[float, float]:
    """[lo, hi] widened to whole multiples of a round tick size (about ``ticks`` ticks).

    Points that stay inside keep the range, so the axis is not drawn again. The range
    spans at least a tenth of the values' size, so that a few close points (a single
    value, or a loaded checkpoint's train and valid loss) do not get crowded fine ticks.
    """
    least = 0.1 * max(abs(lo), abs(hi))
    if hi - lo < least:
        mid = (lo + hi) / 2
        lo, hi = mid - least / 2, mid + least / 2
    if hi <= lo:  # all zero
        lo, hi = -0.5, 0.5
    step = round_up((hi - lo) / ticks)
    return math.floor(lo / step) * step, math.ceil(hi / step) * step


@dataclass
class _Series:
    """Points of one curve in arrays that double in size when full."""

    item: pg.PlotDataItem
    plot_key: str
    x: np.ndarray = field(default_factory=lambda: np.empty(1024))
    y: np.ndarray = field(default_factory=lambda: np.empty(1024))
    n: int = 0
    dirty: bool = False
    lo: float = math.inf  # smallest and largest y so far (kept as points come, not re-scanned)
    hi: float = -math.inf

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
        self.lo, self.hi = min(self.lo, float(ys.min())), max(self.hi, float(ys.max()))
        self.dirty = True


class LiveCurves(Retranslating, pg.GraphicsLayoutWidget):
    """A grid of x-linked plots, each holding named curves with their full history.

    Usage::

        curves = LiveCurves()
        curves.add_plot("loss", "loss", row=0, col=0)
        curves.add_curve("loss", "train", COLOURS["blue"])
        curves.append("train", [1, 2, 3], [4.1, 3.9, 3.5])
        curves.refresh()
    """

    def __init__(self, parent=None, columns: int = 2) -> None:
        super().__init__(parent)
        self.columns = columns  # plots to a row: a row's legend spans them
        self._plots: dict[str, pg.PlotItem] = {}
        self._rows: dict[str, int] = {}  # each plot's row
        self._legends: dict[int, FlowLegend] = {}  # a legend under each row of plots
        self._series: dict[str, _Series] = {}
        self._x_end = 0.0  # right end of the step axis while it follows the data
        self._x_start = math.inf  # its left end (the first step shown)
        self._last_plot: str | None = None  # the plot redrawn last (refresh takes turns)
        self._y_ranges: dict[str, tuple[float, float]] = {}  # each plot's y range while it follows
        self._fixed: dict[str, tuple[float, float]] = {}  # plots that keep one y range (accuracy 0-1)
        self.follow = True  # the ranges follow the data until the user zooms or pans
        self.retranslate()

    def retranslate(self) -> None:
        """The step axis label in the interface language (titles and legends: the caller's)."""
        for plot in self._plots.values():
            plot.getAxis("bottom").setLabel(self.tr("step"))

    def add_plot(self, key: str, title: str, row: int, col: int, x_axis: bool = True,
                 y_range: tuple[float, float] | None = None) -> pg.PlotItem:
        """Add an empty plot at (row, col); its x axis (training step) follows the first plot's.

        ``x_axis=False`` hides the step axis (for plots stacked above one that shows it):
        the plot gets that height for its data, and there is one axis fewer to draw.
        ``y_range``: a range the plot keeps (accuracy: 0 to 1) instead of following the data.
        """
        # layout rows: plots at 2·row, the row's legend under them at 2·row + 1
        plot = wrap_title(self.addPlot(row=2 * row, col=col, title=title,
                                       axisItems={side: SparseAxis(side) for side in ("left", "bottom")}))
        plot.setDownsampling(auto=True, mode="peak")
        plot.setClipToView(True)
        plot.enableAutoRange(y=False)  # refresh() sets round ranges instead
        plot.getAxis("bottom").setLabel(self.tr("step"))
        plot.getAxis("left").setWidth(LEFT_AXIS_PX)
        for side in ("left", "bottom"):
            plot.getAxis(side).enableAutoSIPrefix(False)
        if row not in self._legends:
            # under the row of plots, as wide as the row: inside a plot a legend covered the
            # curves of a small plot, and under one plot its entries took a line each
            legend = self._legends[row] = FlowLegend()
            self.addItem(legend, row=2 * row + 1, col=0, colspan=self.columns)
            legend.follow_width(self.ci)
            legend.reflow()  # hidden while it has no entries
        self._rows[key] = row
        if self._plots:
            plot.setXLink(next(iter(self._plots.values())))
        plot.getViewBox().sigRangeChangedManually.connect(self._on_user_range)
        if not x_axis:
            plot.hideAxis("bottom")
        self._plots[key] = plot
        if y_range is not None:
            self._fixed[key] = y_range
            plot.setYRange(*y_range, padding=0)
        return plot

    def add_curve(self, plot_key: str, name: str, color: str, symbol: str | None = None,
                  label: str | None = None) -> None:
        """Add a curve called ``name`` to a plot; sparse series (validation) get a symbol.

        ``label`` is the legend text (default: ``name``). Thin pens and no grid: both cost
        far more to draw than the curve itself.
        """
        pen = pg.mkPen(color, width=1)
        item = self._plots[plot_key].plot(
            name=label or name, pen=pen, symbol=symbol, symbolSize=5, symbolBrush=color, symbolPen=None
        )
        item.setDownsampling(auto=True, method="peak")
        item.setClipToView(True)
        self._series[name] = _Series(item, plot_key)
        # a plot's curves are named in its row's legend from two on (its title names one)
        mine = [s.item for s in self._series.values() if s.plot_key == plot_key]
        legend = self.legend(plot_key)
        for curve in mine if len(mine) > 1 else ():
            if legend.getLabel(curve) is None:
                legend.addItem(curve, curve.name())

    def legend(self, plot_key: str) -> FlowLegend:
        """The legend under the row of plot ``plot_key`` (its entries name the curves of the
        row's plots with more than one)."""
        return self._legends[self._rows[plot_key]]

    def set_title(self, plot_key: str, title: str) -> None:
        """Show ``title`` above a plot."""
        self._plots[plot_key].setTitle(title)

    def set_label(self, name: str, label: str) -> None:
        """Show ``label`` for curve ``name`` in its plot's legend."""
        series = self._series[name]
        series.item.opts["name"] = label
        legend = self.legend(series.plot_key)
        text = legend.getLabel(series.item)
        if text is not None:
            text.setText(label)
            legend.updateSize()
            legend.reflow()  # a longer text may take a column fewer

    def label(self, name: str) -> str:
        """The legend text of curve ``name``."""
        return self._series[name].item.name()

    def append(self, name: str, x, y) -> None:
        """Append points (scalars or sequences) to a curve; NaN, inf and None are skipped.

        The screen changes at the next ``refresh()``.
        """
        xs = np.atleast_1d(np.asarray(x, dtype=float))
        ys = np.atleast_1d(np.asarray(y, dtype=float))  # None becomes NaN
        self._series[name].extend(xs, ys)

    def refresh(self, max_plots: int | None = None) -> bool:
        """Draw the curves that received points since the last refresh.

        ``max_plots`` limits how many plots are redrawn now (taking turns, so every plot
        gets its turn): a caller that spreads the redraws over several short calls keeps
        each one short. Returns True when some plots still wait for their turn.
        """
        if self.follow:
            self._follow_x()
        keys = list(self._plots)
        start = (keys.index(self._last_plot) + 1) if self._last_plot in keys else 0
        waiting = [k for k in keys[start:] + keys[:start] if self._dirty(k)]
        for key in waiting[:max_plots]:
            for series in self._series.values():
                if series.plot_key == key and series.dirty:
                    series.item.setData(series.x[: series.n], series.y[: series.n])
                    series.dirty = False
            if self.follow:
                self._follow_y(key)
            self._last_plot = key
        return max_plots is not None and len(waiting) > max_plots

    def _dirty(self, plot_key: str) -> bool:
        return any(s.dirty for s in self._series.values() if s.plot_key == plot_key)

    def _follow_x(self) -> None:
        filled = [s for s in self._series.values() if s.n]
        if not filled:
            return
        last = max(s.x[s.n - 1] for s in filled)
        first = min(s.x[0] for s in filled)
        if last > self._x_end or self._x_end == 0.0 or first < self._x_start:
            self._x_start = min(first, self._x_start)
            self._x_end = step_axis_end(self._x_start, last)
            next(iter(self._plots.values())).setXRange(self._x_start, self._x_end, padding=0.02)

    def _follow_y(self, plot_key: str) -> None:
        filled = [s for s in self._series.values() if s.plot_key == plot_key and s.n]
        if not filled or plot_key in self._fixed:
            return
        lo, hi = min(s.lo for s in filled), max(s.hi for s in filled)
        current = self._y_ranges.get(plot_key)
        if current is not None and current[0] <= lo and hi <= current[1]:
            return
        self._y_ranges[plot_key] = nice_range(lo, hi)
        self._plots[plot_key].setYRange(*self._y_ranges[plot_key], padding=0.05)

    def start_at(self, step: float) -> None:
        """Show the step axis from ``step`` (where a loaded model's training goes on) before
        any point arrives: the first points then move no plot's x axis, which would redraw
        every axis at once just as training starts."""
        self._x_start = step
        self._x_end = step_axis_end(step, step + 10)
        next(iter(self._plots.values())).setXRange(step, self._x_end, padding=0.02)

    def _on_user_range(self, *_) -> None:
        self.follow = False

    def data(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """The points of a curve so far, as (x, y) arrays of equal length (views, do not modify)."""
        s = self._series[name]
        return s.x[: s.n], s.y[: s.n]

    def clear_data(self) -> None:
        """Forget every point (a new model starts a new history)."""
        for series in self._series.values():
            series.n = 0
            series.lo, series.hi = math.inf, -math.inf
            series.item.setData([], [])
            series.dirty = False
        self._x_end, self._x_start = 0.0, math.inf
        self._y_ranges.clear()
        self.follow = True
        for key, plot in self._plots.items():  # no range of the old model's data is left
            plot.setYRange(*self._fixed.get(key, (0.0, 1.0)), padding=0)

    def plot(self, key: str) -> pg.PlotItem:
        return self._plots[key]
