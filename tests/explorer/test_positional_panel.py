import numpy as np
import pytest
from PySide6.QtCore import QObject, Signal

from explorer.logic.positional import rotary_vectors
from explorer.panels.positional import PositionalPanel
from explorer.widgets.export import read_csv
from model import compare
from model.corpus import load_corpus
from tests.tiny import TINY_MODEL, TINY_TRAIN


@pytest.fixture(scope="module")
def small_corpus():
    return load_corpus("builtin:en-de", max_pairs=200, seed=0)


def paper_table(n_pos, d):
    """PE(pos, 2i) = sin(pos / 10000^(2i/d)), PE(pos, 2i+1) = cos(pos / 10000^(2i/d))."""
    pe = np.zeros((n_pos, d))
    for pos in range(n_pos):
        for i in range(d // 2):
            angle = pos / 10000 ** (2 * i / d)
            pe[pos, 2 * i], pe[pos, 2 * i + 1] = np.sin(angle), np.cos(angle)
    return pe


@pytest.fixture
def panel(qtbot):
    widget = PositionalPanel(None)
    qtbot.addWidget(widget)
    widget.resize(1000, 800)
    yield widget
    widget.shutdown()


def set_sinusoid(panel, d, n, layout):
    panel.tab("sinusoidal").d_model_spin.setValue(d)
    panel.tab("sinusoidal").positions_spin.setValue(n)
    panel.tab("sinusoidal").layout_combo.setCurrentIndex(panel.tab("sinusoidal").layout_combo.findData(layout))
    panel.tab("sinusoidal").d_model_spin.editingFinished.emit()  # the controls write the state


def test_sinusoidal_heatmap_and_curves_follow_the_formula(panel):
    set_sinusoid(panel, 16, 30, "interleaved")
    expected = paper_table(30, 16)
    view = panel.tab("sinusoidal").view
    np.testing.assert_allclose(view.heatmap.image.image, expected, atol=1e-6)
    assert view.heatmap.row_labels[:3] == ["0", "1", "2"] and view.heatmap.col_labels[15] == "d15"
    assert "interleaved" in panel.tab("sinusoidal").layout_note.text()
    view.dims_edit.setText("0, 3, 14, 99")
    view.dims_edit.editingFinished.emit()
    drawn = view.curve_data()
    assert list(drawn) == [0, 3, 14]  # 99 is not a dimension of D = 16
    for d, values in drawn.items():
        np.testing.assert_allclose(values, expected[:, d], atol=1e-6)
    # Low dimensions turn fast, high ones slowly.
    assert np.abs(np.diff(drawn[0])).mean() > 10 * np.abs(np.diff(drawn[14])).mean()


def test_split_layout_is_the_same_numbers_reordered_and_looks_different(panel):
    set_sinusoid(panel, 16, 30, "split")
    expected = paper_table(30, 16)
    split = panel.tab("sinusoidal").view.heatmap.image.image
    np.testing.assert_allclose(split[:, :8], expected[:, 0::2], atol=1e-6)
    np.testing.assert_allclose(split[:, 8:], expected[:, 1::2], atol=1e-6)
    assert not np.allclose(split, expected)
    assert "split" in panel.tab("sinusoidal").layout_note.text()


def test_similarity_depends_only_on_the_offset(panel):
    set_sinusoid(panel, 32, 40, "interleaved")
    view = panel.tab("sinusoidal").view
    expected = paper_table(40, 32)
    np.testing.assert_allclose(view.gram.image.image, expected @ expected.T, atol=1e-4)
    curves = view.offset_curve_data()
    assert len(curves) == len(view.starts) >= 3
    # P_m·P_(m+k) = sum_i cos(k / 10000^(2i/D)), whatever the start m.
    k = np.arange(curves.shape[1])
    freqs = 10000.0 ** (-np.arange(16) * 2 / 32)
    reference = np.cos(k[:, None] * freqs[None, :]).sum(axis=1)
    for row in curves:
        np.testing.assert_allclose(row, reference, atol=1e-4)


def test_rotary_scores_depend_only_on_the_offset_unlike_added_positions(panel, small_corpus):
    trainer = compare.positional_trainer(small_corpus, "rotary", TINY_MODEL, TINY_TRAIN)
    trainer.step()
    panel.set_model_config(trainer.model_config)
    trace = trainer.trace(trainer.data["train"].pairs[0].src)
    panel.show_trace(trace)
    panel.tabs.setCurrentIndex(3)
    panel.tab("rotary").head_spin.setValue(1)
    panel.tab("rotary").query_combo.setCurrentIndex(0)
    panel.tab("rotary").key_combo.setCurrentIndex(2)
    q, k, source = rotary_vectors(panel.state)
    assert source["q_token"] == trace.src_tokens[0] and source["head"] == 1
    assert trace.src_tokens[0] in panel.tab("rotary").rotary_note.text()
    # q and k are the model's own, rotated back: turning them to their positions gives the trace.
    dh = q.shape[0]
    theta = 10000.0 ** (-np.arange(dh // 2) * 2 / dh)

    def rot(x, m):
        c, s = np.cos(m * theta), np.sin(m * theta)
        out = np.empty_like(x)
        out[0::2], out[1::2] = x[0::2] * c - x[1::2] * s, x[0::2] * s + x[1::2] * c
        return out

    np.testing.assert_allclose(rot(q, 0), trace.enc_self[0].q[1, 0], atol=1e-5)
    np.testing.assert_allclose(rot(k, 2), trace.enc_self[0].k[1, 2], atol=1e-5)
    starts, scores = panel.tab("rotary").picture.starts, panel.tab("rotary").picture.rotary_scores
    for row, m in zip(scores, starts):
        for offset in (0, 1, 7):
            np.testing.assert_allclose(row[offset], rot(q, m) @ rot(k, m + offset), rtol=1e-4, atol=1e-4)
    drawn = np.stack([item.getData()[1] for item in panel.tab("rotary").rotary_plot.getPlotItem().listDataItems()])
    np.testing.assert_allclose(drawn, scores)
    assert np.abs(scores - scores[:1]).max() < 1e-4 * np.abs(scores).max()
    # Added (sinusoidal) positions: (q + p_m)·(k + p_(m+k)) changes with m.
    table = paper_table(max(starts) + scores.shape[1], dh)
    additive = panel.tab("rotary").picture.additive_scores
    np.testing.assert_allclose(additive[1, 3], (q + table[starts[1]]) @ (k + table[starts[1] + 3]), rtol=1e-4)
    assert np.abs(additive - additive[:1]).max() > 0.1


def test_rotary_pairs_turn_at_their_frequency_and_default_vectors_are_labelled(panel):
    panel.tabs.setCurrentIndex(3)
    q, k, source = rotary_vectors(panel.state)
    assert "q = k = (1, …, 1)" in panel.tab("rotary").rotary_note.text() and source is None and np.all(q == 1) and np.all(k == 1)
    rotated = panel.tab("rotary").picture.rotated_q
    m = np.arange(rotated.shape[0])
    for i in panel.tab("rotary").pairs:
        theta = 10000.0 ** (-2 * i / q.shape[0])
        np.testing.assert_allclose(rotated[:, 2 * i], np.cos(m * theta) - np.sin(m * theta), atol=1e-5)
    assert len(panel.tab("rotary").pairs) > 1 and len(panel.tab("rotary").pairs_view.ci.items) == len(panel.tab("rotary").pairs)


@pytest.mark.parametrize("kind", ["sinusoidal", "learned"])
def test_sentence_shows_the_traced_x_p_and_their_sum(panel, small_corpus, kind):
    trainer = compare.positional_trainer(small_corpus, kind, TINY_MODEL, TINY_TRAIN)
    panel.set_model_config(trainer.model_config)
    trace = trainer.trace(trainer.data["train"].pairs[3].src)
    panel.show_trace(trace)
    panel.tabs.setCurrentIndex(1)
    n = len(trace.src_tokens)
    if kind == "sinusoidal":
        expected_p = paper_table(n, TINY_MODEL["d_model"])
    else:
        expected_p = trainer.model.src_pos.weight[:n].detach().numpy()
    np.testing.assert_allclose(panel.tab("sentence").p_map.values, expected_p, atol=1e-5)
    np.testing.assert_allclose(panel.tab("sentence").x_map.values, trace.src_embed)
    np.testing.assert_allclose(panel.tab("sentence").xp_map.values, trace.src_embed + expected_p, atol=1e-5)
    assert panel.tab("sentence").xp_map.row_labels == [f"{i} {t}" for i, t in enumerate(trace.src_tokens)]


def test_learned_table_and_its_training_timeline(panel, small_corpus, tmp_path):
    trainer = compare.positional_trainer(small_corpus, "learned", TINY_MODEL,
                                         TINY_TRAIN.replace(snapshot_every=1))
    tables = []
    for _ in range(3):
        trainer.step()
        tables.append(trainer.model.src_pos.weight.detach().numpy().copy())
    panel.set_model_config(trainer.model_config)
    panel.show_timeline(trainer.timeline)
    panel.tabs.setCurrentIndex(2)
    assert panel.tab("learned").timeline_slider.maximum() == 2 and panel.tab("learned").timeline_slider.value() == 2
    np.testing.assert_allclose(panel.tab("learned").view.heatmap.image.image, tables[-1])
    panel.tab("learned").timeline_slider.setValue(0)
    np.testing.assert_allclose(panel.tab("learned").view.table, tables[0])
    assert "step 1" in panel.tab("learned").timeline_label.text()
    assert not np.allclose(tables[0], tables[-1])
    panel.export(tmp_path / "learned.csv")
    saved = read_csv(tmp_path / "learned_P.csv")
    np.testing.assert_allclose(saved.values, tables[0], rtol=1e-6)
    assert panel.export(tmp_path / "learned.png").stat().st_size > 0
    # Another model without a learned table: the old table is no longer shown.
    panel.set_model_config(trainer.model_config.replace(pos_encoding="rotary"))
    assert panel.tab("learned").view.isHidden() and "rotary" in panel.tab("learned").learned_note.text()


def test_comparison_runs_in_the_background_one_curve_per_encoding(panel, small_corpus, qtbot):
    panel.run_comparison(2, corpus=small_corpus, model_config=TINY_MODEL, train_cfg=TINY_TRAIN)
    qtbot.waitUntil(lambda: not panel.compare_running and panel.tab("compare").run_button.isEnabled(), timeout=90_000)
    assert list(panel.state.curves) == list(compare.KINDS)
    for kind, item in panel.tab("compare")._loss_items.items():
        x, y = item.getData()
        assert list(x) == [1, 2] and np.allclose(y, panel.state.curves[kind])
    assert panel.tab("compare").progress.value() == panel.tab("compare").progress.maximum() == 8
    assert panel.tab("compare").order_table.rowCount() == 4
    blind = panel.state.order_checks["none"]
    assert blind.encoder_gap < 1e-5 and blind.translation == blind.reordered_translation
    assert panel.state.order_checks["sinusoidal"].encoder_gap > 1e-3
    panel.tabs.setCurrentIndex(4)
    saved = panel.matrices()[0]
    assert saved.row_labels == compare.KINDS and saved.values.shape == (4, 2)


def test_cancel_stops_the_comparison(panel, small_corpus, qtbot):
    panel.run_comparison(200, corpus=small_corpus, model_config=TINY_MODEL, train_cfg=TINY_TRAIN)
    assert panel.compare_running and panel.tab("compare").cancel_button.isEnabled()
    panel.tab("compare").cancel_button.click()
    qtbot.waitUntil(lambda: not panel.compare_running and panel.tab("compare").run_button.isEnabled(), timeout=90_000)
    # stopped at once (perhaps before its first step), within the first model
    assert list(panel.state.curves) in ([], ["none"]) and len(panel.state.curves.get("none", [])) < 200
    assert panel.tab("compare").compare_note.text().startswith("Cancelled") and not panel.state.order_checks


class TraceSession(QObject):
    """The signals and state of a Session that the panel reads, nothing else."""

    sig_model_changed = Signal(object)
    sig_trace = Signal(object)
    sig_timeline = Signal(object)
    has_model, latest_trace, timeline = False, None, []


def test_traces_are_drawn_only_on_the_visible_tab_of_a_visible_panel(qtbot, small_corpus):
    trainer = compare.positional_trainer(small_corpus, "sinusoidal", TINY_MODEL, TINY_TRAIN)
    first, second = (trainer.trace(trainer.data["train"].pairs[i].src) for i in (3, 4))
    session = TraceSession()
    panel = PositionalPanel(session)
    qtbot.addWidget(panel)
    panel.set_model_config(trainer.model_config)
    panel.show()
    panel.tabs.setCurrentIndex(1)
    session.sig_trace.emit(first)
    qtbot.waitUntil(lambda: panel.state.trace is first, timeout=2000)
    np.testing.assert_allclose(panel.tab("sentence").x_map.values, first.src_embed)
    panel.hide()
    session.sig_trace.emit(second)
    qtbot.wait(20)
    assert panel.state.trace is first  # hidden: nothing is drawn, the trace waits
    np.testing.assert_allclose(panel.tab("sentence").x_map.values, first.src_embed)
    panel.show()
    qtbot.waitUntil(lambda: panel.state.trace is second, timeout=2000)
    np.testing.assert_allclose(panel.tab("sentence").x_map.values, second.src_embed)
    panel.tabs.setCurrentIndex(0)  # sentence tab hidden: a new trace leaves it alone
    session.sig_trace.emit(first)
    qtbot.waitUntil(lambda: panel.state.trace is first, timeout=2000)
    np.testing.assert_allclose(panel.tab("sentence").x_map.values, second.src_embed)
    panel.tabs.setCurrentIndex(1)  # and it catches up when shown
    np.testing.assert_allclose(panel.tab("sentence").x_map.values, first.src_embed)
    panel.shutdown()


def test_the_model_s_own_layout_is_shown(qtbot):
    """A Marian model's table is the split layout (sines, then cosines): the panel shows that one."""
    from explorer.panels.positional import PositionalPanel
    from model.config import ModelConfig

    panel = PositionalPanel(None)
    qtbot.addWidget(panel)
    panel.set_model_config(ModelConfig(src_vocab=10, tgt_vocab=10, d_model=16, n_heads=2, pos_layout="split"))
    assert panel.tab("sinusoidal").layout_combo.currentData() == "split"
    panel.set_model_config(ModelConfig(src_vocab=10, tgt_vocab=10, d_model=16, n_heads=2))
    assert panel.tab("sinusoidal").layout_combo.currentData() == "interleaved"
