"""The Analysis panel on the tiny model, through a real Session: each view is computed in
the worker, shows exactly what model/analysis computes, and exports as picture and matrices."""
from __future__ import annotations

import numpy as np
import pytest

from explorer.panels.analysis import AnalysisPanel
from explorer.panels.analysis.state import lens_cells
from explorer.panels.analysis.views import fmt
from explorer.widgets.export import read_csv
from model.analysis.attribution import attribute
from model.analysis.beamtree import beam_tree
from model.analysis.lens import logit_lens
from model.analysis.rollout import trace_rollout
from tests.explorer.test_worker import tiny_factory

SENTENCE = "the dog sees a cat ."
WAIT = 120_000


@pytest.fixture
def panel(qtbot, session):
    factory = tiny_factory()
    session.build(factory)
    qtbot.waitUntil(lambda: session.info is not None, timeout=WAIT)
    p = AnalysisPanel(session)
    qtbot.addWidget(p)
    p.resize(1000, 700)
    p.show()
    p.reference = factory().translator  # the same weights (same seed), for the expected numbers
    return p


def computed(qtbot, panel, view: str):
    qtbot.waitUntil(lambda: view not in panel._waiting and panel.result(view) is not None, timeout=WAIT)
    return panel.result(view)


def exports(panel, tmp_path, name: str) -> None:
    for ext in (".png", ".svg", ".csv", ".npy"):
        assert panel.export(tmp_path / f"{name}{ext}").stat().st_size > 0
    first = panel.matrices()[0]
    back = read_csv(panel.export(tmp_path / f"{name}.csv"))
    assert np.allclose(back.values, first.values, equal_nan=True) and back.row_labels == first.row_labels


def test_every_view_shows_the_models_numbers(qtbot, panel, tmp_path):
    tr = panel.reference
    panel.sentence_box.setEditText(SENTENCE)
    panel.open_tab("attribution")
    panel.views["attribution"].steps_spin.setValue(8)
    panel.views["attribution"].steps_spin.editingFinished.emit()  # what a person's edit sends
    result = computed(qtbot, panel, "attribution")
    assert result.src == SENTENCE and result.options["steps"] == 8
    expected = attribute(tr, SENTENCE, method="ig", steps=8)
    view = panel.views["attribution"]
    assert np.allclose(view.attribution.values, expected.matrix(), atol=1e-5)
    assert np.allclose(view.cross.values, expected.cross, atol=1e-6)
    assert f"r = {fmt(expected.correlation(), 2)}" in view.summary.text()
    exports(panel, tmp_path, "attribution")

    panel.open_tab("rollout")  # shown without a result: computed at once
    roll = computed(qtbot, panel, "rollout").report
    want = trace_rollout(tr.trace(SENTENCE))
    maps = panel.views["rollout"].maps
    assert np.allclose(maps[0].values, want.enc[-1], atol=1e-6)
    assert np.allclose(maps[1].values, want.relevance, atol=1e-6) and roll.out_tokens == want.out_tokens
    exports(panel, tmp_path, "rollout")

    panel.open_tab("lens")
    computed(qtbot, panel, "lens")
    lens = logit_lens(tr, SENTENCE)
    table = panel.views["lens"].table
    cells = lens_cells(lens)
    assert table.rowCount() == len(lens.layers) and table.columnCount() == len(lens.tgt_tokens)
    assert [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())] == cells
    exports(panel, tmp_path, "lens")

    panel.open_tab("beam")
    computed(qtbot, panel, "beam")
    tree = beam_tree(tr, SENTENCE, beam=4, top=4)
    view = panel.views["beam"]
    root = view.tree.topLevelItem(0)
    assert view.tree.topLevelItemCount() == 1 and root.childCount() == len(
        [n for n in tree.nodes if n.parent == 0])
    first = root.child(0)
    assert first.text(0) == tree.nodes[1].token and first.text(3) == fmt(tree.nodes[1].score, 4)
    assert view.finals.rowCount() == len(tree.finals) and view.alpha_spin.value() == tree.alpha
    assert tr.tgt_tok.decode(list(tree.output_ids)) in view.summary.text()
    node = tree.finals[tree.best].node
    view.select_node(node)
    qtbot.waitUntil(lambda: view.prefix is not None, timeout=WAIT)
    assert view.prefix_map.values.shape == (len(tree.prefix_ids(node)) + 1, len(tree.src_tokens))
    exports(panel, tmp_path, "beam")
    assert len(panel.matrices()) == 3  # nodes, finals, the clicked prefix's cross-attention

    before = panel.result("beam")
    panel.session.set_heads_off({("cross", 0, 0)})  # switched off elsewhere: computed again
    qtbot.waitUntil(lambda: panel.result("beam") not in (None, before) and "beam" not in panel._waiting,
                    timeout=WAIT)
    assert panel.result("attribution") is None  # the others when shown


def test_a_large_models_attribution_waits_for_analyse(qtbot, panel):
    """Integrated gradients on a large model take minutes: shown, the tab only says so."""
    qtbot.waitUntil(lambda: not panel._waiting, timeout=WAIT)  # what the panel asked when shown
    panel.state.n_params = 74_000_000  # opus-mt-en-de's size
    panel.open_tab("attribution")
    panel.sentence_box.setEditText("a cat sees the dog .")
    panel.state.set_sentence(panel.sentence_box.currentText())
    panel._ensure()
    assert "attribution" not in panel._waiting and "74 M" in panel.status.text()
    assert panel.state.automatic("lens") and not panel.state.automatic("heads")
    panel.run()  # Analyse
    assert computed(qtbot, panel, "attribution").src == "a cat sees the dog ."


def test_the_head_sweep_shows_progress_and_can_be_cancelled(qtbot, panel, tmp_path):
    panel.open_tab("heads")
    view = panel.views["heads"]
    assert panel.result("heads") is None and "heads" not in panel._waiting  # never by itself
    view.pairs_spin.setValue(3)
    view.pairs_spin.editingFinished.emit()
    view.run_button.click()
    assert view.cancel_button.isEnabled() and not view.run_button.isEnabled()
    result = computed(qtbot, panel, "heads")
    assert not result.cancelled and result.report.done == result.report.total
    assert view.progress.value() == view.progress.maximum() == result.report.total
    s = result.report
    assert view.table.item(0, 0).text() == fmt(s.scores[0].loss - s.base.loss, 3)
    assert view.run_button.isEnabled() and not view.cancel_button.isEnabled()
    assert len(panel.matrices()) == 3  # loss, BLEU and AER changes
    exports(panel, tmp_path, "heads")

    last = view.table.rowCount() - 1
    view.table.setCurrentCell(last, 0)  # the last cross-attention layer, head 0
    name = view.table.verticalHeaderItem(last).text()
    assert name.startswith("cross L")
    panel.sentence_box.setEditText(SENTENCE)
    panel.state.set_sentence(SENTENCE)
    view.without_button.click()
    qtbot.waitUntil(lambda: "without" not in panel._waiting, timeout=WAIT)
    assert f"Without {name} H0:" in view.without_label.text()

    view.run_button.click()  # a second sweep, cancelled at its first progress
    view.channel.sig_progress.connect(lambda _r: view.cancel_button.click())
    result = computed(qtbot, panel, "heads")
    qtbot.waitUntil(lambda: "heads" not in panel._waiting, timeout=WAIT)
    result = panel.result("heads")
    assert result.cancelled and result.report.done < result.report.total
    assert "Cancelled" in view.summary.text()


def test_the_panel_switches_to_chinese_and_back(qtbot, language):
    from tests.explorer.ui import CJK, switch

    p = AnalysisPanel(None)
    qtbot.addWidget(p)
    switch(language, "zh")
    assert all(CJK.search(p.tabs.tabText(i)) for i in range(p.tabs.count()))
    assert CJK.search(p.run_button.text()) and CJK.search(p.views["heads"].run_button.text())
    assert CJK.search(p.views["attribution"].method_box.itemText(0))
    switch(language, "en")
    assert p.tabs.tabText(0) == "Attribution" and p.views["attribution"].method_box.currentData() == "ig"


def test_the_explanation_follows_the_tab_in_front(qtbot, language):
    """Each tab's explanation is one item of analysis.md's list: bringing a tab to the front
    scrolls the pane to it, in English and in Chinese."""
    from PySide6.QtCore import QPoint

    from explorer.explain import attach_explanations
    from tests.explorer.ui import switch

    p = AnalysisPanel(None)
    qtbot.addWidget(p)
    pane = attach_explanations({"Analysis": p})["Analysis"]
    pane.set_open(True)
    p.resize(900, 700)
    p.show()
    qtbot.waitExposed(p)
    names = {"en": ("Attribution", "Rollout", "Head importance", "Logit lens", "Beam tree"),
             "zh": ("归因", "注意力展开", "头的重要性", "逻辑透镜", "束搜索树")}

    def top_line() -> str:  # the text at the top of what the pane shows
        return pane.browser.cursorForPosition(QPoint(4, 4)).block().text()

    for code in ("en", "zh"):
        switch(language, code)
        assert len(pane.item_blocks()) == len(p.TAB_NAMES)
        for i in (4, 1, 3, 0, 2):
            p.open_tab(p.TAB_NAMES[i])
            assert pane.browser.verticalScrollBar().value() > 0
            assert top_line().startswith(names[code][i]), (code, i, top_line())
    p.open_tab("beam")
    switch(language, "en")  # the text is read again: still at the tab's item
    assert top_line().startswith("Beam tree")


def test_the_sentence_box_offers_each_example_once(qtbot):
    """A corpus with several translations of one sentence (Tatoeba's) lists it once."""
    from types import SimpleNamespace

    p = AnalysisPanel(None)
    qtbot.addWidget(p)
    sources = ["I waved.", "I waved.", "Boston is changing.", "Did you live here?", "Did you live here?",
               "I waved."]
    valid = [SimpleNamespace(src=s, tgt=f"{i}") for i, s in enumerate(sources)]
    p._on_model_changed(SimpleNamespace(step=0, n_params=1, corpus=SimpleNamespace(valid=valid)))
    offered = [p.sentence_box.itemText(i) for i in range(p.sentence_box.count())]
    assert offered == ["I waved.", "Boston is changing.", "Did you live here?"]
    assert p.sentence_box.currentText() == "I waved."


def test_a_new_sentence_does_not_show_the_last_ones_numbers(qtbot, panel):
    """While a new sentence is computed, the view shows nothing rather than the last
    sentence's matrix under the new sentence (an opus-mt attribution takes minutes)."""
    panel.sentence_box.setEditText(SENTENCE)
    panel.open_tab("attribution")
    panel.run()
    first = computed(qtbot, panel, "attribution")
    view = panel.views["attribution"]
    assert view.attribution.row_labels == list(first.report.out_tokens)
    panel.sentence_box.setEditText("a cat sees the dog .")
    panel.run()
    assert "attribution" in panel._waiting and view.attribution.values.size == 0
    assert view.cross.row_labels == [] and panel.matrices() == []
    second = computed(qtbot, panel, "attribution")
    assert second.src == "a cat sees the dog ."
    assert view.attribution.row_labels == list(second.report.out_tokens)
    panel.run()  # the same sentence again: its numbers stay while they are computed again
    assert view.attribution.row_labels == list(second.report.out_tokens)


def test_a_request_asked_again_before_the_worker_comes_to_it_is_skipped(qtbot, panel):
    """Asked again (or for another model) while queued, a view is not computed for nobody:
    its reply is None at once; the one asked last is computed."""
    from explorer import requests as rq
    from explorer.panels.analysis.panel import Wanted

    qtbot.waitUntil(lambda: not panel._waiting, timeout=WAIT)  # what the panel asked when shown
    session = panel.session
    blocker = session.submit(rq.Analyse("attribution", SENTENCE, {"steps": 256}))  # keeps the worker busy
    panel.open_tab("lens")
    panel.sentence_box.setEditText("the dog sees a cat .")
    panel.run()
    first = panel._waiting["lens"]
    panel.sentence_box.setEditText("a cat sees the dog .")
    panel.run()
    second = panel._waiting["lens"]
    assert isinstance(first.request.wanted, Wanted) and not first.request.wanted()
    assert second.request.wanted()
    qtbot.waitUntil(lambda: first.finished and second.finished and blocker.finished, timeout=WAIT)
    assert first.result is None and first.error is None  # skipped, not failed
    assert second.result.src == "a cat sees the dog ." and panel.result("lens") is second.result
    assert blocker.result.options["steps"] == 256  # a request without wanted() is computed

    panel.run()
    third = panel._waiting["lens"]
    panel._drop_results()  # another model came: what is queued is let go
    assert not third.request.wanted() and not panel._waiting


def test_the_explanation_follows_a_tab_chosen_while_it_was_hidden_or_folded(qtbot, language):
    from PySide6.QtCore import QPoint

    from explorer.explain import attach_explanations

    p = AnalysisPanel(None)
    qtbot.addWidget(p)
    pane = attach_explanations({"Analysis": p})["Analysis"]
    pane.set_open(True)
    p.resize(900, 700)
    p.open_tab("lens")  # before the panel is shown: nothing laid out to scroll yet

    def top_line() -> str:
        return pane.browser.cursorForPosition(QPoint(4, 4)).block().text()

    p.show()
    qtbot.waitExposed(p)
    qtbot.waitUntil(lambda: top_line().startswith("Logit lens"), timeout=5000)
    pane.set_open(False)
    p.open_tab("rollout")  # while folded
    pane.set_open(True)
    qtbot.waitUntil(lambda: top_line().startswith("Rollout"), timeout=5000)
