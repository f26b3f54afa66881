import numpy as np
import pyqtgraph as pg
import pytest
from pyqtgraph.Qt import QtCore

from explorer.widgets.heatmap import (
    DIVERGING,
    SEQUENTIAL,
    TokenHeatmap,
    color_scale,
)
from explorer.widgets.heatmap_grid import HeatmapGrid, tile


def softmax_attention(q, k, allowed):
    """Reference attention weights: softmax(q kᵀ / sqrt(d)) with blocked cells at -inf."""
    scores = q @ k.T / np.sqrt(q.shape[1])
    scores = np.where(allowed, scores, -np.inf)
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@pytest.fixture
def causal():
    rng = np.random.default_rng(0)
    q, k = rng.normal(size=(5, 4)), rng.normal(size=(5, 4))
    allowed = np.tril(np.ones((5, 5), bool))
    return softmax_attention(q, k, allowed), allowed, q @ k.T


def test_image_labels_and_sequential_limits(qtbot, causal):
    weights, allowed, _ = causal
    view = TokenHeatmap()
    qtbot.addWidget(view)
    rows = ["<bos>", "der", "Hund", "schläft", "."]
    view.set_matrix(weights, rows, rows, scale="prob")
    np.testing.assert_allclose(view.image.image, weights, rtol=1e-6)
    assert np.all(view.image.image[~allowed] == 0)
    assert view.axes["left"].tickStrings([i + 0.5 for i in range(5)], 1, 1) == rows
    assert tuple(view.colorbar.levels()) == (0.0, 1.0)


def test_signed_matrix_gets_symmetric_diverging_limits(qtbot, causal):
    _, _, scores = causal
    view = TokenHeatmap()
    qtbot.addWidget(view)
    view.set_matrix(scores, list("abcde"), list("vwxyz"), scale="signed")
    lo, hi = view.colorbar.levels()
    assert lo == -hi == pytest.approx(-np.abs(scores).max(), rel=1e-6)
    assert color_scale(scores, "auto")[0] == DIVERGING
    assert color_scale(np.abs(scores), "auto") == (SEQUENTIAL, (0.0, pytest.approx(np.abs(scores).max())))


def test_labels_thin_out_for_long_sequences(qtbot):
    n = 256
    view = TokenHeatmap()
    qtbot.addWidget(view)
    view.resize(500, 500)
    labels = [f"tok{i}" for i in range(n)]
    view.set_matrix(np.zeros((n, n)), labels, labels)
    ticks = view.axes["left"].tickValues(0, n, 400)[0][1]
    assert 5 < len(ticks) < n / 4
    assert np.all(np.diff(ticks) * 400 / n >= view.axes["left"]._label_px)
    # zoomed in on 10 rows: every label is drawn
    assert len(view.axes["left"].tickValues(0, 10, 400)[0][1]) == 10


def test_hover_click_lock_and_unlock(qtbot, causal):
    weights, _, _ = causal
    view = TokenHeatmap()
    qtbot.addWidget(view)
    view.resize(400, 400)
    view.show()
    qtbot.waitExposed(view)
    view.set_matrix(weights, list("abcde"), list("vwxyz"), scale="prob")
    vb = view.plot.getViewBox()
    scene_pos = vb.mapViewToScene(QtCore.QPointF(2.5, 3.5))  # column 2, row 3
    assert view.cell_at(scene_pos) == (3, 2)
    with qtbot.waitSignal(view.sig_hover) as blocker:
        view._on_mouse_moved(scene_pos)
    assert blocker.args == [3, 2]
    assert f"{weights[3, 2]:.4g}" in view.info.text()
    assert view._row_rect.isVisible() and view._row_rect.rect().top() == 3
    view.lock(3, 2)
    view.highlight(0, 0)  # ignored while locked
    assert view._col_rect.rect().left() == 2
    assert view.unlock_button.isVisible()
    view.unlock_button.click()
    assert view.locked is None and not view.unlock_button.isVisible()


def test_markers_and_nan_cells(qtbot, causal):
    _, allowed, scores = causal
    view = TokenHeatmap()
    qtbot.addWidget(view)
    masked = np.where(allowed, scores, np.nan)
    view.set_matrix(masked, list("abcde"), list("abcde"))
    assert "masked" in view._describe(0, 4, with_value=True)
    view.set_markers([(0, 0), (3, 1)])
    assert sorted(view.marker_cells()) == [(0, 0), (3, 1)]


def test_grid_one_mosaic_image_and_click(qtbot, causal):
    weights, _, _ = causal
    grid = HeatmapGrid()
    qtbot.addWidget(grid)
    grid.resize(400, 300)
    grid.show()
    qtbot.waitExposed(grid)
    mats = [[weights * (r + 1) / (c + 2) for c in range(3)] for r in range(2)]
    grid.set_matrices(mats, ["L0", "L1"], ["H0", "H1", "H2"])
    images = [i for i in grid.plot.items if isinstance(i, pg.ImageItem)]
    assert images == [grid.image]  # one item for all six matrices
    for r in range(2):
        for c in range(3):
            np.testing.assert_allclose(grid.block(r, c), mats[r][c], rtol=1e-6)
    np.testing.assert_array_equal(grid.image.image, grid.mosaic)
    h, w = weights.shape
    gy, gx = grid.gap
    assert grid.mosaic.shape == (2 * h + gy, 3 * w + 2 * gx)
    assert np.isnan(grid.mosaic[h:h + gy]).all() and np.isnan(grid.mosaic[:, w:w + gx]).all()
    x, y = grid.cell_origin(1, 2)
    pos = grid.plot.getViewBox().mapViewToScene(QtCore.QPointF(x + 0.5, y + h - 0.5))
    assert grid.cell_at(pos) == (1, 2)
    gap_pos = grid.plot.getViewBox().mapViewToScene(QtCore.QPointF(w + gx / 2, 0.5))
    assert grid.cell_at(gap_pos) == (-1, -1)
    with qtbot.waitSignal(grid.sig_cell_clicked) as blocker:
        qtbot.mouseClick(grid.viewport(), QtCore.Qt.MouseButton.LeftButton,
                         pos=grid.mapFromScene(pos))
    assert blocker.args == [1, 2]


def test_tile_places_each_matrix_at_its_origin():
    rng = np.random.default_rng(0)
    mats = [[rng.random((3, 4)) for _ in range(2)] for _ in range(3)]
    mosaic = tile(mats, (1, 2))
    assert mosaic.shape == (3 * 3 + 2, 2 * 4 + 2)
    for r in range(3):
        for c in range(2):
            np.testing.assert_allclose(mosaic[r * 4:r * 4 + 3, c * 6:c * 6 + 4], mats[r][c], rtol=1e-6)
    assert np.isnan(mosaic).sum() == mosaic.size - 3 * 2 * 12


def test_transposed_grid_keeps_cell_names(qtbot, causal):
    weights, _, _ = causal
    grid = HeatmapGrid()
    qtbot.addWidget(grid)
    grid.resize(300, 400)
    grid.show()
    qtbot.waitExposed(grid)
    mats = [[weights * (r + 1) / (c + 2) for c in range(3)] for r in range(2)]
    grid.set_matrices(mats, ["L0", "L1"], ["H0", "H1", "H2"])
    wide = grid.mosaic.shape
    grid.set_transposed(True)
    assert grid.mosaic_size(True) == grid.mosaic.shape and grid.mosaic_size(False) == wide
    for r in range(2):
        for c in range(3):
            np.testing.assert_allclose(grid.block(r, c), mats[r][c], rtol=1e-6)
    x, y = grid.cell_origin(1, 2)
    assert x < y  # grid row 1 is now the second column, column 2 the third row
    pos = grid.plot.getViewBox().mapViewToScene(QtCore.QPointF(x + 0.5, y + 0.5))
    assert grid.cell_at(pos) == (1, 2)
    ticks = grid.plot.getAxis("left")._tickLevels[0]
    assert [name for _, name in ticks] == ["H0", "H1", "H2"]


def test_short_word_pieces_beside_long_words_are_all_labelled(qtbot):
    """BPE splits a word into short pieces (grand·p·arent·s): a label is left out only where
    it would overlap its neighbour, not wherever a cell is narrower than the widest label."""
    view = TokenHeatmap()
    qtbot.addWidget(view)
    labels = ["▁We", "▁visited", "▁our", "▁grand", "p", "arent", "s", "▁last", "▁weekend", ".", "<eos>"]
    view.set_matrix(np.zeros((3, len(labels))), ["a", "b", "c"], labels)
    axis = view.axes["top"]
    widest = max(axis._widths)
    size = len(labels) * (widest + 8) * 0.8  # too narrow for the widest label in every cell
    assert len(axis.tickValues(0, len(labels), size)[0][1]) == len(labels)
    assert len(axis.tickValues(0, len(labels), size / 4)[0][1]) < len(labels)  # still thins


def test_a_new_range_or_size_does_not_rewrite_axis_titles(qtbot, causal, monkeypatch):
    """Token axes, the hidden axes and the colour bar's have no SI prefix: a new shape or
    size of a view (a replay frame showing views) leaves every axis title as it is
    (pyqtgraph wrote each title's HTML again at every range change)."""
    weights, _, scores = causal
    view, grid = TokenHeatmap(), HeatmapGrid()
    for w in (view, grid):
        qtbot.addWidget(w)
        w.resize(300, 240)
        w.show()
    view.set_matrix(weights, list("abcde"), list("abcde"), scale="prob")
    grid.set_matrices([[weights, weights]], ["L0"], ["H0", "H1"])
    rewritten = []
    monkeypatch.setattr(pg.AxisItem, "_updateLabel", lambda self: rewritten.append(self))
    view.set_matrix(scores[:3], list("abc"), list("abcde"), scale="signed")  # another shape
    grid.set_matrices([[weights[:3]] * 3], ["L0"], ["H0", "H1", "H2"])
    for w in (view, grid):
        w.resize(420, 300)
    qtbot.wait(50)
    assert rewritten == []
    assert view.axes["left"].tickStrings([0.5, 1.5, 2.5], 1, 1) == ["a", "b", "c"]


def test_labels_given_again_are_not_measured_again(qtbot, monkeypatch):
    view = TokenHeatmap()
    qtbot.addWidget(view)
    dims = [str(i) for i in range(64)]
    view.set_matrix(np.zeros((2, 64)), ["x", "y"], dims)
    measured = []
    original = pg.QtGui.QFontMetrics.horizontalAdvance
    monkeypatch.setattr(pg.QtGui.QFontMetrics, "horizontalAdvance",
                        lambda self, *a: measured.append(a) or original(self, *a))
    view.set_matrix(np.ones((2, 64)), ["x", "y"], [str(i) for i in range(64)])  # equal, not the same list
    other = TokenHeatmap()
    qtbot.addWidget(other)
    other.set_matrix(np.ones((3, 64)), ["x", "y", "z"], dims)  # known labels: widths remembered
    assert len(measured) <= 1  # "z" only
    assert list(other.axes["top"]._widths) == list(view.axes["top"]._widths)
