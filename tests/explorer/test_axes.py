"""Labels given by name never overlap (opus-mt's cross-attention: 6 tall, thin layers drew
"L0L1L2L3L4L5"; the words under word2vec's bars)."""
import numpy as np
from PySide6.QtCore import QRectF

from explorer.widgets.axes import apart
from explorer.widgets.heatmap_grid import HeatmapGrid


def test_apart_keeps_names_that_do_not_overlap_and_drops_those_that_do():
    spec = lambda x, w, text: (QRectF(x, 0, w, 10), 0, text)  # noqa: E731
    roomy = [spec(0, 10, "L0"), spec(20, 10, "L1"), spec(40, 10, "L2")]
    assert [s[2] for s in apart(roomy, "top", 3)] == ["L0", "L1", "L2"]
    tight = [spec(0, 10, "L0"), spec(7, 10, "L1"), spec(14, 10, "L2"), spec(21, 10, "L3")]
    assert [s[2] for s in apart(tight, "top", 3)] == ["L0", "L2"]
    vertical = [(QRectF(0, y, 20, 10), 0, f"H{i}") for i, y in enumerate((0, 5, 14, 30))]
    assert [s[2] for s in apart(vertical, "left", 3)] == ["H0", "H2", "H3"]


def test_a_tall_thin_grid_draws_its_column_names_apart(qtbot, monkeypatch):
    import explorer.widgets.axes as axes_module

    drawn = {}

    def recorded(specs, orientation, gap):
        kept = apart(specs, orientation, gap)
        drawn[orientation] = ([s[2] for s in specs], [s[2] for s in kept], [s[0] for s in kept])
        return kept

    monkeypatch.setattr(axes_module, "apart", recorded)
    grid = HeatmapGrid()
    qtbot.addWidget(grid)
    grid.resize(200, 700)
    grid.show()
    qtbot.waitExposed(grid)
    tall = [[np.random.default_rng(0).random((63, 11)) for _ in range(6)] for _ in range(8)]
    grid.set_matrices(tall, [f"H{h}" for h in range(8)], [f"L{layer}" for layer in range(6)])
    grid.grab()  # lays out and paints the axes
    given, kept, rects = drawn["top"]
    assert given == [f"L{layer}" for layer in range(6)]
    assert 1 <= len(kept) < 6 and kept[0] == "L0"  # some names left out, none drawn over another
    assert all(b.left() >= a.right() for a, b in zip(rects, rects[1:]))
    drawn.clear()
    grid.resize(400, 3000)  # room for every name (the aspect is locked: height gives width)
    grid.plot.getAxis("top").picture = None
    grid.grab()
    assert drawn["top"][1] == [f"L{layer}" for layer in range(6)]


def test_word2vec_bar_words_are_drawn_apart(qtbot, monkeypatch):
    import pyqtgraph as pg

    import explorer.widgets.axes as axes_module
    from explorer.widgets.axes import ApartAxis

    drawn = {}

    def recorded(specs, orientation, gap):
        kept = apart(specs, orientation, gap)
        drawn[orientation] = ([s[2] for s in specs], [s[2] for s in kept])
        return kept

    monkeypatch.setattr(axes_module, "apart", recorded)
    plot = pg.PlotWidget(axisItems={"bottom": ApartAxis("bottom")})
    qtbot.addWidget(plot)
    plot.resize(220, 200)
    plot.show()
    qtbot.waitExposed(plot)
    words = ["elephants", "giraffes", "crocodiles", "hippopotamus", "kangaroos", "flamingos"]
    plot.getAxis("bottom").setTicks([list(enumerate(words))])
    plot.setXRange(-0.6, len(words) - 0.4, padding=0)
    plot.grab()
    given, kept = drawn["bottom"]  # pyqtgraph leaves out the words that stick out at the ends
    assert len(given) >= 3 and set(given) <= set(words)
    assert 1 <= len(kept) < len(given) and kept[0] == given[0]  # and here those drawn over others
