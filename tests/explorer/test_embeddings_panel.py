import numpy as np
import pytest
from sklearn.decomposition import PCA

from explorer.logic.embeddings import N_SPECIALS, frequency_bands, matches
from explorer.panels.embeddings import EmbeddingsPanel
from explorer.widgets.export import read_csv
from model.projection import nearest_neighbours
from model.trace import EmbeddingSnapshot, Snapshot

WORDS = ["dog", "dogs", "cat", "bird", "red", "green", "blue", "runs", "sees", "eats",
         "house", "hotdog", "apple", "bread", "water", "milk", "tree", "flower", "day", "night"]


def snapshot(step: int, matrix: np.ndarray, name: str = "src") -> EmbeddingSnapshot:
    tokens = ("<pad>", "<bos>", "<eos>", "<unk>", *WORDS)
    return EmbeddingSnapshot(step=step, name=name, tokens=tokens, matrix=matrix)


@pytest.fixture
def panel(qtbot, session):
    view = EmbeddingsPanel(session)
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()  # a hidden panel neither asks for embeddings nor draws them
    view.method_options["tsne"] = {"early_iter": 20, "n_iter": 40, "every": 10}
    return view


def show(panel, snap, **kwargs):
    """Hand the panel a snapshot and wait for its PCA thread to finish and draw."""
    panel.show_embeddings(snap, **kwargs)
    assert panel.wait()


@pytest.fixture
def E():
    return np.random.default_rng(1).normal(size=(N_SPECIALS + len(WORDS), 8)).astype(np.float32)


def test_pca_matches_sklearn_and_plotted_points_equal_projection(panel, E):
    show(panel, snapshot(3, E))
    X = E[N_SPECIALS:]
    assert panel.state.tokens == WORDS and panel.state.coords.shape == (len(WORDS), 2)
    reference = PCA(n_components=2).fit_transform(X)
    signs = np.sign((reference * panel.state.coords).sum(0))  # each axis may flip
    np.testing.assert_allclose(panel.state.coords * signs, reference, atol=1e-4)
    idx, xy = panel.scatter.plotted_points()
    np.testing.assert_array_equal(idx, np.arange(len(WORDS)))
    np.testing.assert_allclose(xy, panel.state.coords, atol=1e-6)


def test_three_dimensions_and_offscreen_fallback(panel, E):
    panel.controls.dim_combo.setCurrentIndex(1)
    show(panel, snapshot(3, E))
    assert panel.state.coords.shape == (len(WORDS), 3)
    reference = PCA(n_components=3).fit_transform(E[N_SPECIALS:])
    np.testing.assert_allclose(np.abs(panel.state.coords), np.abs(reference), atol=1e-4)
    assert "OpenGL" in panel.scatter.note.text()  # the offscreen platform has no GL
    _idx, xy = panel.scatter.plotted_points()
    np.testing.assert_allclose(xy, panel.scatter.view_coordinates(), atol=1e-6)


def test_tsne_runs_in_the_background_and_draws_as_it_iterates(qtbot, panel, E):
    frames = []
    panel.controls.method_combo.setCurrentIndex(1)  # t-SNE
    panel.show_embeddings(snapshot(3, E))
    assert panel._job is not None
    panel._job.sig_progress.connect(lambda report: frames.append(report[0]))
    qtbot.waitUntil(lambda: panel._job is None, timeout=60_000)
    assert panel.state.coords.shape == (len(WORDS), 2) and np.isfinite(panel.state.coords).all()
    assert len(frames) >= 2 and panel.controls.progress.value() == 100
    np.testing.assert_allclose(panel.scatter.plotted_points()[1], panel.state.coords, atol=1e-6)


def test_cancel_stops_tsne(qtbot, panel, E):
    panel.controls.method_combo.setCurrentIndex(1)
    panel.show_embeddings(snapshot(3, E))
    panel.cancel()
    qtbot.waitUntil(lambda: panel._job is None, timeout=60_000)
    assert "cancelled" in panel.status.text()


def test_search_highlights_the_matching_points(panel, E):
    show(panel, snapshot(3, E))
    panel.controls.search_edit.setText("dog")
    assert [WORDS[i] for i in panel.scatter.highlighted] == ["dog", "dogs", "hotdog"]
    marked_x, marked_y = panel.scatter.match_item.getData()
    np.testing.assert_allclose(np.c_[marked_x, marked_y], panel.state.coords[[0, 1, 11]], atol=1e-6)
    panel.controls.regex_check.setChecked(True)
    panel.controls.search_edit.setText("^(red|blue)$")
    assert [WORDS[i] for i in panel.scatter.highlighted] == ["red", "blue"]
    assert list(matches(WORDS, "[", regex=False)) == []


def test_neighbours_in_the_original_space_and_in_the_picture(panel, E):
    show(panel, snapshot(3, E))
    panel.select_point(2)
    X = E[N_SPECIALS:].astype(np.float64)
    cos = X @ X[2] / (np.linalg.norm(X, axis=1) * np.linalg.norm(X[2]))
    cos[2] = -np.inf
    expected = list(np.argsort(-cos)[:10])
    assert [panel.state.tokens.index(panel.side.table.item(r, 0).text()) for r in range(10)] == expected
    d = np.linalg.norm(panel.state.coords - panel.state.coords[2], axis=1)
    d[2] = np.inf
    assert panel.side.table.item(0, 2).text() == WORDS[int(np.argmin(d))]
    assert panel.neighbours(2)[0] == nearest_neighbours(X, 2, k=10)


def test_follow_keeps_the_pca_axes_and_draws_trails(panel, E):
    show(panel, snapshot(3, E))
    panel.controls.follow_check.setChecked(True)
    panel.controls.trails_check.setChecked(True)
    axes, before = panel.state.axes, panel.state.coords.copy()
    E2 = E + 0.1 * np.random.default_rng(2).normal(size=E.shape).astype(np.float32)
    show(panel, snapshot(4, E2))
    assert panel.state.axes is axes
    np.testing.assert_allclose(panel.state.coords, axes.transform(E2[N_SPECIALS:]), atol=1e-6)
    np.testing.assert_allclose(panel.scatter.previous, before, atol=1e-6)


def test_compare_two_timeline_steps(panel, E):
    show(panel, snapshot(3, E))
    E2 = E * 1.5 + 0.2
    tgt = np.zeros((6, 8), np.float32)
    panel.set_timeline([Snapshot(step=10, probe=None, src_embeddings=E, tgt_embeddings=tgt),
                        Snapshot(step=20, probe=None, src_embeddings=E2, tgt_embeddings=tgt)])
    panel.compare_steps()
    reference = PCA(n_components=2).fit(E2[N_SPECIALS:])
    np.testing.assert_allclose(np.abs(panel.state.coords), np.abs(reference.transform(E2[N_SPECIALS:])), atol=1e-4)
    np.testing.assert_allclose(panel.scatter.previous, panel.state.axes.transform(E[N_SPECIALS:]), atol=1e-6)


def test_colour_by_frequency_and_language(panel, E):
    counts = np.arange(N_SPECIALS + len(WORDS))
    panel.controls.colour_combo.setCurrentText("frequency")
    show(panel, snapshot(3, E), frequencies=counts)
    bands, _ = frequency_bands(counts[N_SPECIALS:])
    assert panel.scatter.groups == bands
    assert bands[0] == "4–7" and bands[-1] == "16–31"  # counts 4 and 23
    panel.controls.colour_combo.setCurrentText("language")
    assert set(panel.scatter.groups) == {"src"}  # no corpus: the side names the language


def test_export_coordinates_csv_npy_and_picture(panel, E, tmp_path):
    show(panel, snapshot(3, E))
    panel.export(tmp_path / "points.csv")
    back = read_csv(tmp_path / "points.csv")
    np.testing.assert_allclose(back.values, panel.state.coords, atol=1e-6)
    assert list(back.row_labels) == WORDS and back.col_labels == ("x", "y")
    panel.export(tmp_path / "points.npy")
    np.testing.assert_array_equal(np.load(tmp_path / "points.npy"), panel.state.coords)
    assert panel.export(tmp_path / "points.png").stat().st_size > 1000
    assert panel.export(tmp_path / "points.svg").stat().st_size > 1000


def test_contextual_states_are_drawn_one_point_per_token(panel, qtbot):
    from tests.tiny import tiny_trainer

    with qtbot.waitSignal(panel.session.sig_model_changed, timeout=30000):
        panel.session.build(tiny_trainer)
    keys = [panel.controls.source_combo.itemData(i) for i in range(panel.controls.source_combo.count())]
    panel.controls.source_combo.setCurrentIndex(keys.index("ctx_src"))  # the panel asks for its own
    qtbot.waitUntil(lambda: "ctx_src" in panel.state.snapshots, timeout=30000)
    snap = panel.state.snapshots["ctx_src"]
    assert not panel.controls.layer_spin.isHidden() and snap.name == f"src.layer{panel.controls.layer_spin.value()}"
    qtbot.waitUntil(lambda: len(panel.state.tokens) == len(snap.tokens), timeout=10000)
    # every token of the text is a point (repeated words too), none of the special rows
    assert panel.state.tokens == list(snap.tokens) and panel.state.X.shape == snap.matrix.shape
    assert panel.state.tokens.count(".") > 1


def test_pca_runs_off_the_ui_thread_and_a_hidden_panel_waits(qtbot, panel, E, monkeypatch):
    import threading

    from explorer.logic import embeddings

    threads = []

    def fit_pca(X, dim):
        threads.append(threading.current_thread())
        return real_fit_pca(X, dim)

    real_fit_pca = embeddings.fit_pca
    monkeypatch.setattr(embeddings, "fit_pca", fit_pca)
    panel.hide()
    panel.show_embeddings(snapshot(3, E))
    assert panel.state.tokens == [] and threads == []  # hidden: kept, not laid out
    panel.show()
    assert panel.wait()
    assert threads and threading.main_thread() not in threads
    reference = PCA(n_components=2).fit_transform(E[N_SPECIALS:])
    np.testing.assert_allclose(np.abs(panel.state.coords), np.abs(reference), atol=1e-4)
    assert panel.state.axes is not None and "PCA keeps" in panel.status.text()


def test_search_says_when_a_word_is_not_in_the_vocabulary(panel, E):
    show(panel, snapshot(3, E))
    panel.controls.search_edit.setText("astronaut")
    assert panel.side.selection_label.text() == "“astronaut” is not in the vocabulary."
    panel.controls.search_edit.setText("og")  # part of dog, dogs, hotdog; not a token of its own
    assert "not in the vocabulary as a token of its own; 3 tokens contain it" in panel.side.selection_label.text()
    panel.controls.search_edit.setText("dog")
    assert panel.side.selection_label.text() == "3 words match “dog”."


def test_timeline_combos_are_filled_when_the_panel_is_built_after_the_timeline(qtbot, session, E):
    """Docks build their panel when first shown, after the timeline was sent."""
    tgt = np.zeros((6, 8), np.float32)
    session._on_timeline([Snapshot(step=s, probe=None, src_embeddings=E, tgt_embeddings=tgt) for s in (0, 10, 50)])
    view = EmbeddingsPanel(session)
    qtbot.addWidget(view)
    c = view.controls
    assert [c.step_a.itemData(i) for i in range(c.step_a.count())] == [0, 10, 50]
    assert c.step_a.currentText() == "step 0" and c.step_b.currentText() == "step 50"
    assert c.compare_button.isEnabled()


def replay_frame(panel, step: int, matrix: np.ndarray) -> None:
    """What a replay frame does once the snapshot's rows are labelled (Session.sig_replay
    hands the panel a trace.Snapshot, labelled with the model's tokenizer)."""
    panel.state.replay_step = step
    panel.state.snapshots["src"] = snapshot(step, matrix)
    panel._load_when_shown()


def test_replay_frames_move_the_points_in_place(panel, E, monkeypatch):
    """A replay frame writes the new positions into the scatter's item: no item made, no
    point rebuilt (setData), every point still in its group's colour."""
    show(panel, snapshot(3, E))
    item, colors = panel.scatter.points_item, panel.scatter.point_colors()
    E2 = E + 0.3 * np.random.default_rng(5).normal(size=E.shape).astype(np.float32)
    before = panel.state.coords.copy()

    def rebuilt(*args, **kwargs):
        raise AssertionError("the points were set again, not moved")
    monkeypatch.setattr(item, "setData", rebuilt)
    replay_frame(panel, 10, E2)
    assert panel._job is None  # drawn at once, no job
    assert panel.scatter.points_item is item and panel.scatter.point_colors() == colors
    from explorer.logic.timeline import aligned_layout
    np.testing.assert_allclose(panel.state.coords, aligned_layout(E2[N_SPECIALS:], 2, before), atol=1e-5)
    np.testing.assert_allclose(panel.scatter.plotted_points()[1], panel.state.coords, atol=1e-5)
    assert "Training replay: step 10" in panel.status.text()


def timeline_matrices(E):
    rng = np.random.default_rng(7)
    mats = {0: E, 10: E + 0.5 * rng.normal(size=E.shape).astype(np.float32)}
    mats[20] = mats[10] + 0.5 * rng.normal(size=E.shape).astype(np.float32)
    return mats


def test_replay_frames_take_the_timeline_layouts_computed_once(qtbot, panel, E, monkeypatch):
    """A replay begun before the timeline was laid out (the history came while training):
    the first frame lays out its step and starts one job for the whole timeline; later
    frames take their step's picture from it (no PCA on the UI thread), the same picture
    whichever way the replay reaches the step; a late live answer does not replace a frame."""
    monkeypatch.setattr(panel.replay, "prepare", lambda *args: None)
    mats = timeline_matrices(E)
    tgt = np.zeros((6, 8), np.float32)
    panel.set_timeline([Snapshot(step=s, probe=None, src_embeddings=m, tgt_embeddings=tgt) for s, m in mats.items()])
    show(panel, snapshot(30, E))
    replay_frame(panel, 20, mats[20])
    assert panel.replay.job is not None and panel._job is None
    qtbot.waitUntil(lambda: panel.replay.job is None, timeout=30_000)
    (layouts,) = panel.replay.layouts.values()
    assert sorted(layouts) == [0, 10, 20]
    replay_frame(panel, 0, mats[0])
    first = panel.state.coords.copy()
    np.testing.assert_array_equal(first, layouts[0])
    every = np.vstack(list(layouts.values()))  # the view holds every step's points
    (x0, x1), (y0, y1) = panel.scatter.plot.getViewBox().viewRange()
    assert x0 <= every[:, 0].min() and every[:, 0].max() <= x1 and y0 <= every[:, 1].min() and every[:, 1].max() <= y1
    replay_frame(panel, 10, mats[10])
    replay_frame(panel, 20, mats[20])
    replay_frame(panel, 0, mats[0])
    np.testing.assert_array_equal(panel.state.coords, first)
    assert panel.replay.job is None and panel._job is None  # nothing computed again
    panel.show_embeddings(snapshot(31, E))  # a live answer asked before the replay began
    assert panel.state.snapshots["src"].step == 0
    np.testing.assert_array_equal(panel.state.coords, first)


def test_the_timeline_is_laid_out_before_the_replay_so_the_first_frame_only_moves_points(qtbot, panel, E, monkeypatch):
    """The history and the live points there: every step is laid out in a job before the
    replay. The first frame then computes no PCA and builds no scatter item: it takes its
    step's picture, turned as a whole onto the live picture (as a frame laid out on its own
    would be), and the view is fitted to every step at once."""
    mats = timeline_matrices(E)
    tgt = np.zeros((6, 8), np.float32)
    panel.set_timeline([Snapshot(step=s, probe=None, src_embeddings=m, tgt_embeddings=tgt) for s, m in mats.items()])
    show(panel, snapshot(30, E))
    qtbot.waitUntil(lambda: panel.replay.job is None and bool(panel.replay.layouts), timeout=30_000)
    live, item = panel.state.coords.copy(), panel.scatter.points_item
    assert panel.scatter._spare is None  # the same rows and groups as live: no second item
    from explorer.logic.timeline import aligned_layout
    expected = aligned_layout(mats[20][N_SPECIALS:], 2, live)  # what a frame laid out on its own shows

    def no_pca(*args):
        raise AssertionError("a PCA in a replay frame")
    monkeypatch.setattr("explorer.panels.embeddings_replay.aligned_layout", no_pca)
    monkeypatch.setattr("pyqtgraph.ScatterPlotItem.__init__", no_pca)
    replay_frame(panel, 20, mats[20])
    assert panel.replay.job is None and panel._job is None
    np.testing.assert_allclose(panel.state.coords, expected, atol=1e-4)
    assert panel.scatter.points_item is item
    np.testing.assert_allclose(panel.scatter.plotted_points()[1], expected, atol=1e-4)
    (layouts,) = panel.replay.layouts.values()
    every = np.vstack(list(layouts.values()))
    (x0, x1), (y0, y1) = panel.scatter.plot.getViewBox().viewRange()
    assert x0 <= every[:, 0].min() and every[:, 0].max() <= x1 and y0 <= every[:, 1].min() and every[:, 1].max() <= y1
    replay_frame(panel, 0, mats[0])
    replay_frame(panel, 20, mats[20])
    np.testing.assert_allclose(panel.state.coords, expected, atol=1e-4)  # the same picture on the way back
    assert "Training replay: step 20" in panel.status.text()


def test_a_new_grouping_keeps_the_scatter_item(panel, E):
    """All points are one item, stacked in legend order, each in its group's colour; other
    points and groups restyle that item (no new item), and a new layout of the same points
    moves them in place."""
    scatter = panel.scatter
    xy = np.random.default_rng(2).normal(size=(6, 2))
    scatter.set_points(xy, list("abcdef"), ["x", "y", "z", "x", "y", "z"], {"x": "#ff0000", "y": "#00ff00", "z": "#0000ff"})
    item = scatter.points_item
    assert [it for it in scatter.plot.listDataItems() if isinstance(it, type(item))].count(item) == 1
    assert list(item.data["data"]) == [0, 3, 1, 4, 2, 5]  # group x, then y, then z on top
    assert scatter.point_colors() == ["#ff0000", "#00ff00", "#0000ff"] * 2
    scatter.set_points(xy[:4], list("abcd"), ["y", "w", "y", "w"], {"y": "#00ff00", "w": "#123456"})
    assert scatter.points_item is item
    assert scatter.point_colors() == ["#00ff00", "#123456", "#00ff00", "#123456"]
    idx, got = scatter.plotted_points()
    np.testing.assert_array_equal(idx, np.arange(4))
    np.testing.assert_allclose(got, xy[:4])
    assert [list(m) for m in scatter._group_members] == [[0, 2], [1, 3]]
    assert "w" in scatter.legend.text() and "x" not in scatter.legend.text()
    moved, set_again = xy[:4] + 1.0, []
    item.setData = lambda *args, **kwargs: (set_again.append(1), type(item).setData(item, *args, **kwargs))
    scatter.set_points(moved, list("abcd"), ["y", "w", "y", "w"], {"y": "#00ff00", "w": "#123456"}, keep_range=True)
    assert set_again == []  # moved in place
    np.testing.assert_allclose(scatter.plotted_points()[1], moved)
    assert scatter.point_colors() == ["#00ff00", "#123456", "#00ff00", "#123456"]
    scatter.set_points(moved, list("abcd"), ["w", "w", "y", "y"], {"y": "#00ff00", "w": "#123456"})
    assert set_again == [1] and scatter.point_colors() == ["#123456", "#123456", "#00ff00", "#00ff00"]  # restyled


def test_a_prepared_item_takes_the_points_it_was_styled_for(panel, monkeypatch):
    """``prepare`` styles a second item, hidden, for other points and groups; the set_points
    that brings them shows it and only moves its points (no setData), and going back shows
    the first item again the same way."""
    scatter = panel.scatter
    rng = np.random.default_rng(3)
    live, rows = rng.normal(size=(6, 2)), rng.normal(size=(4, 2))
    live_groups, live_colors = ["x", "y", "z", "x", "y", "z"], {"x": "#ff0000", "y": "#00ff00", "z": "#0000ff"}
    scatter.set_points(live, list("abcdef"), live_groups, live_colors)
    first = scatter.points_item
    scatter.prepare(4, ["y", "w", "y", "w"], {"y": "#00ff00", "w": "#123456"})
    spare = scatter._spare[0]
    assert not spare.isVisible() and first.isVisible()
    np.testing.assert_allclose(scatter.plotted_points()[1], live)  # the picture on screen is unchanged
    set_again = []
    for item in (first, spare):
        monkeypatch.setattr(item, "setData", lambda *a, **k: set_again.append(a))
    scatter.set_points(rows, list("abcd"), ["y", "w", "y", "w"], {"y": "#00ff00", "w": "#123456"}, keep_range=True)
    assert scatter.points_item is spare and spare.isVisible() and not first.isVisible()
    assert set_again == []
    np.testing.assert_allclose(scatter.plotted_points()[1], rows)
    assert scatter.point_colors() == ["#00ff00", "#123456", "#00ff00", "#123456"]
    assert "w" in scatter.legend.text() and "x" not in scatter.legend.text()
    assert [list(m) for m in scatter._group_members] == [[0, 2], [1, 3]]
    scatter.set_points(live + 1, list("abcdef"), live_groups, live_colors)  # back: the first item again
    assert scatter.points_item is first and first.isVisible() and not spare.isVisible() and set_again == []
    np.testing.assert_allclose(scatter.plotted_points()[1], live + 1)
    assert scatter.point_colors() == ["#ff0000", "#00ff00", "#0000ff"] * 2
    (x0, x1), (y0, y1) = scatter.plot.getViewBox().viewRange()  # the hidden item's points are not in the range
    assert x0 > -50 and x1 < 50


def test_export_the_neighbour_table(panel, E, tmp_path):
    show(panel, snapshot(3, E))
    panel.select_point(2)
    names = [m.name for m in panel.matrices()]
    assert names == ["pca_2d", "neighbours_cosine", "neighbours_picture"]
    panel.export(tmp_path / "view.csv")
    back = read_csv(tmp_path / "view_neighbours_cosine.csv")
    table = panel.side.table
    assert list(back.row_labels) == [table.item(r, 0).text() for r in range(table.rowCount())]
    assert [f"{v:.3f}" for v in back.values[:, 0]] == [table.item(r, 1).text() for r in range(table.rowCount())]
    assert back.col_labels == ("cat",)


def test_a_large_vocabulary_shows_a_subset_and_searches_all_of_it(panel):
    V, D = N_SPECIALS + 6_000, 8
    tokens = ("<pad>", "<bos>", "<eos>", "<unk>", *(f"▁w{i}" for i in range(V - N_SPECIALS)))
    matrix = np.random.default_rng(3).normal(size=(V, D)).astype(np.float32)
    show(panel, EmbeddingSnapshot(step=1, name="src", tokens=tokens, matrix=matrix))
    c = panel.controls
    assert not c.subset_combo.isHidden() and len(panel.state.tokens) == c.subset_spin.value() == 2_000
    assert "A subset of the 6,000 rows: the most frequent." in panel.status.text()
    c.subset_combo.setCurrentIndex(c.subset_combo.findData("search"))
    c.search_edit.setText("w5990")
    assert panel.wait() and panel.state.tokens == ["▁w5990"]
    assert panel.side.selection_label.text() == "1 words match “w5990”."
    c.search_edit.setText("astronaut")
    assert panel.state.tokens == [] and panel.side.selection_label.text() == "“astronaut” is not in the vocabulary."


def test_an_opus_mt_model_in_the_projector(qtbot, panel, marian_folder):
    """A (tiny, random) Marian model: SentencePiece pieces as points; the search knows its vocabulary."""
    from tests.tiny import tiny_trainer

    with qtbot.waitSignal(panel.session.sig_model_changed, timeout=30000):
        panel.session.build(tiny_trainer)  # its corpus is the one the folder is fine-tuned on
    panel.session.load_checkpoint(str(marian_folder))
    qtbot.waitUntil(lambda: any(t.startswith("▁") for t in panel.state.tokens), timeout=60000)
    assert panel.wait()
    snap = panel.state.snapshots["src"]
    assert panel.session.src_tokenizer.kind == "spm"
    assert panel.state.coords.shape == (len(snap.tokens) - N_SPECIALS, 2)
    panel.controls.search_edit.setText("zebra")
    assert panel.side.selection_label.text() == "“zebra” is not in the vocabulary."


def test_the_status_line_keeps_its_height_from_one_line_to_two(qtbot):
    """A replay's first status line is a line longer than the live one: the line keeps two
    lines' height, so the plot under it is not resized (and repainted) by that frame."""
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    from explorer.panels.embeddings_views import StatusLine

    box = QWidget()
    qtbot.addWidget(box)
    layout = QVBoxLayout(box)
    status = StatusLine()
    layout.addWidget(status)
    layout.addStretch(1)
    box.resize(420, 300)
    box.show()
    points = {"n": 3996, "names": "src", "step": 6000, "D": 192, "subset": None, "vocab": 4000}
    status.set_status("points", points, {})
    qtbot.wait(20)
    one = status.height()
    fm = status.fontMetrics()
    assert fm.horizontalAdvance(status.text()) < status.width()  # one line of text
    status.set_status("replay", dict(points, n=996, step=0), {"step": 0})
    qtbot.wait(20)
    assert fm.horizontalAdvance(status.text()) > status.width()  # two lines
    assert status.height() == one >= 2 * fm.lineSpacing()
