"""The training panel for a new user: Space and → whatever has focus (but text in a text
field), Esc out of a text field, Step N with Cancel; the readable loss and the smoothing
floor; curves that use the plot and start afresh with a new model; the curves' data
exported; the tokens box naming SentencePiece pieces. Fed by a stand-in session."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from explorer.logic.training import smoothing_floor
from explorer.panels.training import TrainingPanel
from explorer.requests import ModelInfo
from explorer.widgets.curves import LiveCurves, SparseAxis
from explorer.widgets.export import read_csv
from model.config import ModelConfig, TrainConfig
from model.trace import StepReport


class Tok:
    def __init__(self, kind):
        self.kind = kind


class FakeSession(QObject):
    """The Session's signals and training verbs; it records what it is asked."""

    sig_steps = Signal(object)
    sig_step = Signal(object)
    sig_model_changed = Signal(object)
    sig_state = Signal(str)
    sig_busy = Signal(object)
    sig_error = Signal(object, object)
    sig_history = Signal(object)
    sig_replay = Signal(object)

    def __init__(self):
        super().__init__()
        self.calls, self.state, self.has_model, self.history, self.unsaved_steps = [], "paused", False, [], 0

    def play(self, until=None):
        self.calls.append("play")
        self.state = "playing"
        self.sig_state.emit("playing")

    def pause(self):
        self.calls.append("pause")
        self.state = "paused"
        self.sig_state.emit("paused")

    def step(self, n=1):
        self.calls.append(("step", n))

    def set_device(self, device):
        self.calls.append(("device", device))

    def set_lr(self, lr):
        pass


def info(step=0, kinds=("word", "word"), vocab=400, smoothing=0.1, new_model=True):
    cfg = ModelConfig(src_vocab=vocab, tgt_vocab=vocab, d_model=16, n_heads=2)
    return ModelInfo(new_model=new_model, model_config=cfg, train_config=TrainConfig(label_smoothing=smoothing,
                     eval_every=100), corpus=None, corpus_spec="builtin:en-de", step=step,
                     src_tokenizer=Tok(kinds[0]), tgt_tokenizer=Tok(kinds[1]), n_params=1, device="cpu", lr=1e-3)


def report(step, **kw):
    return StepReport(step=step, loss=4.0 - step / 100, lr=1e-3, grad_norm=1.0, tokens=100,
                      tokens_per_s=5000.0, elapsed_s=0.1, **kw)


@pytest.fixture
def window(qtbot):
    """The panel beside a sentence field, in one active window, a model loaded."""
    session = FakeSession()
    window = QWidget()
    layout = QVBoxLayout(window)
    window.sentence = QLineEdit("the dog")
    window.panel = TrainingPanel(session)
    layout.addWidget(window.sentence)
    layout.addWidget(window.panel)
    qtbot.addWidget(window)
    window.resize(900, 800)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    session.sig_model_changed.emit(info())
    return window


def press(qtbot, key):
    """A key press where a person's would go: to the widget with focus (else the window)."""
    qtbot.keyClick(QApplication.focusWidget() or QApplication.activeWindow(), key)


def test_space_pauses_with_focus_in_the_step_n_box(qtbot, window):
    panel, session = window.panel, window.panel.session
    panel.play_button.click()
    assert session.calls == ["play"]
    panel.step_n_spin.setFocus()  # where focus landed after Play
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.step_n_spin, timeout=2000)
    press(qtbot, Qt.Key.Key_Space)
    assert session.calls == ["play", "pause"] and panel.step_n_spin.value() == 100
    press(qtbot, Qt.Key.Key_Right)
    assert session.calls[-1] == ("step", 1)
    panel.reset_button.setFocus()  # a focused button does not take Space either
    press(qtbot, Qt.Key.Key_Space)
    assert session.calls[-1] == "play"


def test_in_a_sentence_field_space_types_and_esc_gives_the_keys_back(qtbot, window):
    session = window.panel.session
    window.sentence.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.sentence, timeout=2000)
    window.sentence.end(False)
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_Right)
    assert window.sentence.text() == "the dog " and session.calls == []
    press(qtbot, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is not window.sentence
    press(qtbot, Qt.Key.Key_Space)
    assert session.calls == ["play"] and window.sentence.text() == "the dog "
    press(qtbot, Qt.Key.Key_Space)
    assert session.calls == ["play", "pause"]


def test_cancel_stops_step_n_early(qtbot, window):
    panel, session = window.panel, window.panel.session
    assert not panel.cancel_button.isEnabled()
    panel.step_n_spin.setValue(50)
    panel.step_n_button.click()
    assert session.calls == [("step", 50)]
    assert panel.cancel_button.isEnabled() and not panel.step_n_button.isEnabled()
    session.sig_steps.emit((report(1), report(2)))
    assert panel.cancel_button.isEnabled()
    panel.cancel_button.click()
    assert session.calls[-1] == "pause"
    assert not panel.cancel_button.isEnabled() and panel.step_n_button.isEnabled()
    panel.step_n_button.click()  # Space cancels too
    panel.step_n_spin.setFocus()
    press(qtbot, Qt.Key.Key_Space)
    assert session.calls[-2:] == [("step", 50), "pause"] and not panel.cancel_button.isEnabled()
    panel.step_n_spin.setValue(2)  # the last step reached: Cancel goes away by itself
    panel.step_n_button.click()
    session.sig_steps.emit((report(1), report(2)))
    assert not panel.cancel_button.isEnabled() and panel.step_n_button.isEnabled()


def test_the_readable_loss_beside_the_smoothed_one_and_its_floor(qtbot, window):
    panel, session = window.panel, window.panel.session
    floor = smoothing_floor(0.1, 400)
    line = panel.curve_tab.floor_line
    assert line.isVisible() and line.value() == pytest.approx(floor)
    assert panel.curve_tab.floor_text() == f"smoothing floor {floor:.2f}"  # named in the legend
    assert "0.1" in panel.curves.plot("loss").toolTip() and "400" in panel.curves.plot("loss").toolTip()
    session.sig_steps.emit((report(1, ce=2.5), report(2, ce=2.25)))
    session.sig_step.emit(report(2, ce=2.25))
    qtbot.waitUntil(lambda: len(panel.curves.data("train CE")[1]) == 2, timeout=2000)
    assert panel.curves.data("train CE")[1].tolist() == [2.5, 2.25]
    assert panel.curves.label("train CE") == "train cross-entropy"
    assert panel.curves.label("train loss") == "train loss (smoothed)"
    assert "cross-entropy 2.250" in panel.status_label.text()
    session.sig_model_changed.emit(info(smoothing=0.0))
    assert not line.isVisible() and panel.curve_tab.floor_text() is None
    assert panel.curves.plot("loss").toolTip() == ""  # no "Dashed: ..." for a line not drawn


def test_a_new_model_renames_the_floor_entry_in_place_and_paints_the_curves_in_a_later_turn(qtbot, window):
    """At opus-mt's shape a new legend entry and the curves' repaint were most of the
    window's one late turn: the entry is kept and renamed, the curves paint after the rest."""
    panel, session = window.panel, window.panel.session
    legend = panel.curves.legend("loss")
    entry = legend.getLabel(panel.curve_tab.floor_key)
    session.sig_model_changed.emit(info(vocab=58102))
    floor = smoothing_floor(0.1, 58102)
    assert legend.getLabel(panel.curve_tab.floor_key) is entry  # the same entry, renamed
    assert panel.curve_tab.floor_text() == f"smoothing floor {floor:.2f}"
    assert panel.curve_tab.floor_line.value() == pytest.approx(floor)
    assert not panel.curves.updatesEnabled()  # held while the window paints the rest
    qtbot.waitUntil(panel.curves.updatesEnabled, timeout=2000)
    session.sig_model_changed.emit(info(vocab=58102, new_model=False))  # only new models hold it
    assert panel.curves.updatesEnabled()


def test_curves_fill_the_plot_and_start_afresh_with_a_new_model(qtbot, window):
    panel, session = window.panel, window.panel.session
    session.sig_model_changed.emit(info(step=2097))
    assert "no training history" in panel.curves_note.text() and "2097" in panel.curves_note.text()
    session.sig_steps.emit(tuple(report(s, valid_loss=3.0, valid_accuracy=0.99, valid_bleu=50.0,
                                        valid_chrf=60.0) if s == 2117 else report(s)
                                 for s in range(2098, 2118)))
    qtbot.waitUntil(lambda: len(panel.curves.data("train loss")[0]) == 20, timeout=2000)
    qtbot.wait(50)
    lo, hi = panel.curves.plot("loss").viewRange()[0]
    assert lo < 2098 and (2117 - 2097) / (hi - lo) > 0.7  # the points fill the width
    assert panel.curves.plot("accuracy").viewRange()[1] == pytest.approx([0.0, 1.0])
    assert panel.curves.plot("speed").viewRange()[1][1] > 1000
    session.sig_model_changed.emit(info(step=0))  # e.g. another corpus opened
    assert len(panel.curves.data("tokens/s")[0]) == 0
    assert panel.curves.plot("speed").viewRange()[1] == pytest.approx([0.0, 1.0])
    assert panel.curves.plot("loss").viewRange()[0][1] < 20
    assert "Step 0. Not trained" in panel.status_label.text()
    session.sig_history.emit((report(1), report(2)))  # a model with a history: no such note
    assert "no training history" not in panel.curves_note.text()


def test_tick_labels_never_overlap(qtbot):
    axis = SparseAxis("left")
    for size in (20, 45, 300):
        levels = axis.tickValues(0.0, 1.05, size)
        spacing, values = levels[0]
        assert len(values) >= 1 and spacing * size / 1.05 >= axis._tight_px()
    # a short plot in a large font (the learning rate in Chinese at 1366 × 768) showed a lone
    # "0": the first and last tick in view are labelled when there is room for both. The
    # airy spacing a label asks for is made larger than the plot, whatever the font here.
    size = 3 * axis._tight_px()
    axis._label_px = lambda _value: 10 * size
    spacing, values = axis.tickValues(-0.0004, 0.0084, size)[0]
    shown = [v for v in values if -0.0004 <= v <= 0.0084]
    assert len(shown) == 2 and shown[0] == 0.0
    assert (shown[1] - shown[0]) * size / 0.0088 >= axis._tight_px()  # a label apart
    assert [float(t) for t in axis.tickStrings(shown, 1, spacing)] == pytest.approx(shown)
    bottom = SparseAxis("bottom")
    spacing, values = bottom.tickValues(0, 100_000, 200)[0]
    assert spacing * 200 / 100_000 >= bottom._label_px(100_000) and len(values) <= 4
    curves = LiveCurves()
    qtbot.addWidget(curves)
    curves.add_plot("p", "p", 0, 0)
    assert isinstance(curves.plot("p").getAxis("left"), SparseAxis)


def test_ctrl_e_exports_the_curves_data(qtbot, window, tmp_path):
    panel, session = window.panel, window.panel.session
    session.sig_steps.emit((report(1, ce=2.0), report(2, ce=1.9, valid_loss=3.0, valid_accuracy=0.5,
                                                       valid_bleu=10.0, valid_chrf=20.0)))
    panel.open_tab("curves")
    assert "CSV" in panel.export_filter
    steps, evals = panel.matrices()
    assert steps.name == "training.steps" and steps.row_labels == ("1", "2")
    assert steps.col_labels[:2] == ("train loss (smoothed)", "train cross-entropy")
    assert steps.values[:, 1].tolist() == [2.0, 1.9]
    assert evals.row_labels == ("2",) and evals.values[0].tolist() == [3.0, 0.5, 10.0, 20.0]
    first = panel.export(tmp_path / "curves.csv")
    back = read_csv(first)
    assert back.row_labels == ("1", "2") and np.allclose(back.values, steps.values)
    panel.export(tmp_path / "curves.npz")
    arrays = np.load(tmp_path / "curves.npz")
    assert np.allclose(arrays["training.steps"], steps.values, equal_nan=True)
    panel.open_tab("samples")
    assert panel.matrices() == []


def test_the_tokens_box_says_pieces_for_a_sentencepiece_model(qtbot, window):
    panel, session = window.panel, window.panel.session
    combo = panel.setup.tokenizer_combo
    assert combo.currentText() == "words"
    session.sig_model_changed.emit(info(kinds=("spm", "spm")))
    assert combo.currentData() == "spm" and combo.currentText() == "SentencePiece pieces"
    session.sig_model_changed.emit(info(kinds=("word", "char")))
    assert combo.currentText() == "words / characters"
    assert [combo.itemData(i) for i in range(combo.count())] == ["word", "char", "bpe", "word/char"]
