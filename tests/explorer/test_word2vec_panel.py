import numpy as np
import pytest
from PySide6.QtWidgets import QMainWindow, QSplitter

from explorer.logic.word2vec import TOP_K, build_cbow, chance_purity
from explorer.panels.embeddings import EmbeddingsPanel
from explorer.panels.word2vec import Word2VecPanel
from explorer.widgets.export import read_csv
from model.word2vec import neighbour_purity

TEXTS = [f"the {a} sees the {b} ." for a in ("dog", "cat", "bird", "horse") for b in ("red ball", "green tree", "blue house")]


@pytest.fixture
def panel(qtbot, session):
    view = Word2VecPanel(session)
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.set_setup(build_cbow(TEXTS, "en", window=3, dim=8, lr=0.1, combine="sum", source="test"))
    return view


def test_step_view_shows_the_real_numbers(panel):
    panel.step_once()
    step = panel.last_step
    rows = panel.rows_map.values  # context rows of E, then their sum
    C = step.context_ids.shape[1]
    assert rows.shape == (C + 1, 8)
    np.testing.assert_allclose(rows[:C], step.context_vectors[0], atol=1e-6)
    np.testing.assert_allclose(rows[C], rows[:C].sum(0), atol=1e-5)
    centre = int(step.center_ids[0])
    # the note shows the first window's loss; the curve gets the mini-batch's mean
    first = -np.log(step.probs[0, centre])
    batch = np.arange(len(step.center_ids))
    assert step.loss == pytest.approx(-np.log(step.probs[batch, step.center_ids]).mean(), rel=1e-5)
    assert f"loss = −log p = <b>{first:.4f}</b>" in panel.context_note.text()
    assert f"{len(batch)} windows of this step: {step.loss:.4f}" in panel.context_note.text()
    # the bars are the top-k probabilities (plus the hidden centre when it is not among them)
    heights = panel.prob_bars.opts["height"]
    top = np.sort(step.probs[0])[::-1][:TOP_K]
    np.testing.assert_allclose(heights[:TOP_K], top, rtol=1e-6)
    assert step.probs[0, centre] in heights
    np.testing.assert_allclose(panel.change_bars.opts["height"], step.row_change)
    assert panel.state.losses == [step.loss]


def test_mean_mode_shows_the_mean_of_the_real_rows(qtbot, session):
    view = Word2VecPanel(session)
    qtbot.addWidget(view)
    view.set_setup(build_cbow(TEXTS, "en", window=5, dim=4, lr=0.1, combine="mean", source="test"))
    view.step_once()
    step = view.last_step
    real = step.context_ids[0] != 0  # slots past the sentence edge are <pad>
    rows = view.rows_map.values
    np.testing.assert_allclose(rows[-1], rows[:-1][real].mean(0), atol=1e-5)


def test_changed_rows_are_the_context_rows(panel):
    E0 = panel.setup.trainer.embeddings
    panel.step_once()
    step = panel.last_step
    E1 = panel.setup.trainer.embeddings
    moved = np.flatnonzero(np.abs(E1 - E0).sum(1) > 0)
    np.testing.assert_array_equal(moved, step.changed_rows)
    np.testing.assert_allclose(np.linalg.norm(E1 - E0, axis=1)[moved], step.row_change, rtol=1e-4)


def test_step_n_in_the_background_and_purity_against_chance(qtbot, panel):
    panel.step_n_spin.setValue(300)
    panel.on_step_n()
    assert not panel.step_button.isEnabled()
    qtbot.waitUntil(lambda: panel._worker is None, timeout=20_000)
    assert len(panel.state.losses) == 300 and panel.setup.trainer.step_count == 300
    assert panel.state.purity == pytest.approx(neighbour_purity(panel.state.embeddings, panel.setup.classes, k=5))
    labels = [c for c in panel.setup.classes if c is not None]
    assert {"animal", "colour"} <= set(labels)
    counts = {c: labels.count(c) for c in set(labels)}
    expected = sum(n * (n - 1) for n in counts.values()) / (len(labels) * (len(labels) - 1))
    assert chance_purity(panel.setup.classes) == pytest.approx(expected)
    assert f"chance {expected:.2f}" in panel.purity_label.text()


def test_play_and_pause(qtbot, panel):
    panel.toggle_play()
    qtbot.waitUntil(lambda: len(panel.state.losses) > 0, timeout=20_000)
    panel.toggle_play()
    qtbot.waitUntil(lambda: panel._worker is None, timeout=20_000)
    assert len(panel.state.losses) == panel.setup.trainer.step_count
    assert panel.play_button.text() == "▶ Play"


def test_open_in_projector(qtbot, session):
    window = QMainWindow()
    qtbot.addWidget(window)
    panel = Word2VecPanel(session)
    panel.set_setup(build_cbow(TEXTS, "en", window=3, dim=8, lr=0.1, combine="sum", source="test"))
    projector = EmbeddingsPanel(session)
    split = QSplitter()
    split.addWidget(panel)
    split.addWidget(projector)
    window.setCentralWidget(split)
    panel.step_once()
    received = []
    panel.sig_vectors.connect(lambda snapshot, _counts: received.append(snapshot))
    panel.sig_vectors.connect(projector.show_embeddings)  # as the main window connects them
    panel.open_in_projector()
    snap = received[0]
    assert snap.name == "cbow" and snap.tokens == tuple(panel.setup.tokenizer.tokens())
    np.testing.assert_array_equal(snap.matrix, panel.setup.trainer.embeddings)
    assert projector.source_key == "cbow"
    np.testing.assert_array_equal(projector.state.X, snap.matrix[4:])
    assert projector.state.tokens == list(snap.tokens[4:])


def test_export_reads_back_equal(panel, tmp_path):
    panel.step_once()
    panel.export(tmp_path / "cbow.csv")
    back = read_csv(tmp_path / "cbow_context_rows.csv")
    np.testing.assert_allclose(back.values, panel.rows_map.values, atol=1e-6)
    panel.export(tmp_path / "cbow.npy")
    np.testing.assert_array_equal(np.load(tmp_path / "cbow_E.npy"), panel.state.embeddings)
    assert panel.export(tmp_path / "cbow.png").stat().st_size > 1000


def test_text_file_corpus(qtbot, panel, tmp_path):
    path = tmp_path / "text.txt"
    path.write_text("\n".join(TEXTS), encoding="utf-8")
    panel.load_text_file(path)
    panel.window_spin.setValue(4)  # even windows are turned odd
    assert panel.window_spin.value() == 5
    panel.on_build()
    qtbot.waitUntil(lambda: panel._worker is None, timeout=20_000)
    assert panel.setup.trainer.window == 5
    assert "text.txt" in panel.setup.source
