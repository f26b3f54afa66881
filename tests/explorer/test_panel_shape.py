"""What the panels' shape promises a person: a trace goes to the panel that asked for it,
a picked line is traced, a scrubbed-back timeline returns to live for a new request, and
File > Export offers the matrix formats wherever a view shows matrices."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog

from explorer.app import PANELS, MainWindow
from explorer.panels.attention import AttentionPanel
from explorer.panels.positional import PositionalPanel
from model.trace import Snapshot
from tests.explorer.test_attention_panel import (
    FakeSession,
    make_trace,
    model,  # noqa: F401 - the fixture
)
from tests.explorer.test_worker import tiny_factory


@pytest.fixture
def attention(qtbot):
    panel = AttentionPanel(FakeSession())
    qtbot.addWidget(panel)
    panel.resize(900, 700)
    panel.show()
    return panel


def test_a_trace_asked_by_one_panel_redraws_only_that_panel(qtbot, session):
    attention, positional = AttentionPanel(session), PositionalPanel(session)
    for panel in (attention, positional):
        qtbot.addWidget(panel)
        panel.show()
    session.build(tiny_factory())
    qtbot.waitUntil(lambda: attention.trace is not None, timeout=120_000)  # the probe: followed
    probe = attention.trace
    positional.open_tab("sentence")
    positional.show_sentence("the dog sees a cat .")
    qtbot.waitUntil(lambda: positional.trace is not None and "cat" in positional.trace.src_tokens,
                    timeout=120_000)
    qtbot.wait(50)
    assert attention.trace is probe and "cat" not in attention.trace.src_tokens
    attention.follow_box.setChecked(False)
    attention.source_edit.setText("the cat sleeps .")
    attention.run()
    qtbot.waitUntil(lambda: "sleeps" in attention.trace.src_tokens, timeout=120_000)
    qtbot.wait(50)
    assert "sleeps" not in positional.trace.src_tokens
    positional.shutdown()


def test_picking_a_line_of_a_loaded_file_traces_it(attention, tmp_path):
    path = tmp_path / "lines.txt"
    path.write_text("the dog sleeps .\n\nthe cat runs .\n", encoding="utf-8")
    assert attention.load_sentences(path) == 2
    attention.sentence_box.activated.emit(1)  # what a person's pick sends
    assert attention.session.requests[-1] == ("the cat runs .", None, 1)
    assert attention.source_edit.text() == "the cat runs ."


def test_a_request_while_scrubbed_back_returns_to_live(qtbot, attention, model):
    early, live = make_trace(model, step=10), make_trace(model, step=20)
    attention.session.sig_trace.emit(live)
    qtbot.waitUntil(lambda: attention.trace is live, timeout=2000)
    attention.session.sig_timeline.emit([Snapshot(step=10, probe=early, src_embeddings=np.zeros((1, 1)),
                                                  tgt_embeddings=np.zeros((1, 1)))])
    attention.timeline_slider.setValue(0)
    assert attention.trace is early
    attention.run()
    slider = attention.timeline_slider
    assert slider.value() == slider.maximum() and attention.timeline_label.text() == "live"
    answer = make_trace(model, step=30)
    attention.session.reply.finish(answer)
    qtbot.waitUntil(lambda: attention.trace is answer, timeout=2000)
    assert attention.status.text().startswith("step 30:")  # not "tracing…" for ever


def test_a_failed_request_says_why(attention):
    from explorer.requests import Message

    attention.run()
    assert attention.status.text() == "tracing…"
    attention.session.reply.fail(Message("{request} failed: {error}",
                                         {"request": "Trace", "error": "no model is loaded yet"}))
    assert attention.status.text() == "Trace failed: no model is loaded yet"


@pytest.mark.parametrize("title", ["Attention", "Positional"])
def test_ctrl_e_offers_csv_and_npy_where_a_view_shows_matrices(qtbot, tmp_path, monkeypatch,
                                                              model, title):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, open_default=False,
                        panels=[spec for spec in PANELS if spec.title == title])
    qtbot.addWidget(window)
    window.show()
    panel = window.panel(title)
    if title == "Attention":
        panel.show_trace(make_trace(model))
    offered = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda _parent, _caption, _name, types, *a: (offered.append(types), ("", ""))[1])
    export = next(a for m in window.menuBar().actions() for a in m.menu().actions()
                  if a.shortcut().toString() == "Ctrl+E")
    export.trigger()
    assert offered and "*.csv" in offered[0] and "*.npy" in offered[0] and "*.png" in offered[0]
    written = panel.export(tmp_path / "view.csv")
    assert written.exists() and written.suffix == ".csv"
    window.ask_before_discard = False
    window.close()
