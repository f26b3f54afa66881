import xml.etree.ElementTree as ET

import numpy as np
import pytest
from pyqtgraph.Qt import QtGui

from explorer.widgets.export import (
    LabeledMatrix,
    export_view,
    filter_for,
    read_csv,
    save_matrices,
)
from explorer.widgets.heatmap import TokenHeatmap


@pytest.fixture
def matrices():
    rng = np.random.default_rng(1)
    q, k = rng.normal(size=(3, 4)), rng.normal(size=(5, 4))
    scores = q @ k.T
    weights = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    rows, cols = ("<bos>", "der", "Hund"), ("the", "dog", ",", "x\"y", "<eos>")
    return [LabeledMatrix("cross.L0.H0.scores", scores, rows, cols),
            LabeledMatrix("cross.L0.H0.weights", weights, rows, cols)]


def test_csv_round_trip_keeps_values_and_labels(tmp_path, matrices):
    paths = save_matrices(tmp_path / "m.csv", matrices)
    assert [p.name for p in paths] == ["m_cross.L0.H0.scores.csv", "m_cross.L0.H0.weights.csv"]
    for path, m in zip(paths, matrices):
        back = read_csv(path)
        np.testing.assert_array_equal(back.values, m.values)
        assert back.row_labels == m.row_labels and back.col_labels == m.col_labels
        assert back.name == m.name


def test_a_suggested_name_is_not_repeated_in_the_file_names(tmp_path, matrices):
    paths = save_matrices(tmp_path / "attention_cross.L0.H0.csv", matrices)
    assert [p.name for p in paths] == ["attention_cross.L0.H0_scores.csv",
                                       "attention_cross.L0.H0_weights.csv"]
    paths = save_matrices(tmp_path / "attention_cross.L0.npy", matrices)
    assert [p.name for p in paths] == ["attention_cross.L0_H0.scores.npy",
                                       "attention_cross.L0_H0.weights.npy"]


@pytest.mark.parametrize("name, wanted", [("view.csv", "*.csv"), ("a.b.npy", "*.npy"),
                                          ("x.NPZ", "*.npz"), ("view.svg", "*.svg"),
                                          ("view.png", "*.png"), ("view", "*.png")])
def test_the_dialog_type_matches_the_suggested_name(name, wanted):
    assert wanted in filter_for(name)
    assert wanted in filter_for(name, matrices=False) or wanted in ("*.csv", "*.npy", "*.npz")


def test_npy_single_and_npz_archive(tmp_path, matrices):
    (path,) = save_matrices(tmp_path / "one.npy", matrices[:1])
    assert path.name == "one.npy"
    np.testing.assert_array_equal(np.load(path), matrices[0].values)
    (archive,) = save_matrices(tmp_path / "all.npz", matrices)
    with np.load(archive) as data:
        for m in matrices:
            np.testing.assert_array_equal(data[m.name], m.values)
            assert tuple(data[f"{m.name}.cols"]) == m.col_labels


def test_labels_must_match_shape():
    with pytest.raises(ValueError):
        LabeledMatrix("x", np.zeros((2, 3)), ("a", "b"), ("c",))


def test_png_and_svg_of_a_heatmap(qtbot, tmp_path, matrices):
    view = TokenHeatmap()
    qtbot.addWidget(view)
    view.resize(320, 240)
    m = matrices[1]
    view.set_matrix(m.values, m.row_labels, m.col_labels, scale="prob")
    (png,) = export_view(tmp_path / "v.png", view, [m])
    image = QtGui.QImage(str(png))
    assert not image.isNull() and image.width() == view.width()
    (svg,) = export_view(tmp_path / "v.svg", view, [m])
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    assert root.findall(".//{http://www.w3.org/2000/svg}image")  # the heatmap's pixels
    with pytest.raises(ValueError):
        export_view(tmp_path / "v.txt", view, [m])
