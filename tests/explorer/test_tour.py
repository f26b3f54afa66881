"""The guided tour: every stop opens its panel with its text, in English and Chinese,
keys move through it, and it never sends a training command to the worker."""
from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QSettings, Qt

from explorer import i18n
from explorer import requests as rq
from explorer.app import PANELS, MainWindow
from explorer.explain import attach_explanations
from explorer.tour import FIRST_START_KEY, STOPS, offer_on_first_start, start_tour, stop_text
from tests.explorer.test_worker import tiny_factory
from tests.explorer.ui import CJK


@pytest.fixture(scope="module")
def window(qapp, tmp_path_factory):
    """One window with every panel and a tiny model, shared by the tests of this file."""
    path = tmp_path_factory.mktemp("tour") / "settings.ini"
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    i18n.setup_language(qapp, settings, "en")
    window = MainWindow(settings=settings, panels=PANELS, open_default=False)
    window.show()
    window.session.build(tiny_factory())
    deadline = time.monotonic() + 20
    while window.session.latest_trace is None and time.monotonic() < deadline:
        qapp.processEvents()
        time.sleep(0.01)
    yield window
    i18n.language().set("en", save=False)
    window.ask_before_discard = False
    window.close()
    window.deleteLater()
    qapp.processEvents()


def test_every_stop_has_text_in_both_languages():
    for stop in STOPS:
        en, zh = stop_text(stop, "en"), stop_text(stop, "zh")
        assert en.strip() and not CJK.search(en), stop.key
        assert len(CJK.findall(zh)) > 50, stop.key
        assert stop.panel in {spec.title for spec in PANELS}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_walk_the_whole_tour(window, qtbot, lang, monkeypatch):
    sent = []
    submit = window.session._worker.submit
    monkeypatch.setattr(window.session._worker, "submit",
                        lambda request: (sent.append(request), submit(request)))
    i18n.language().set(lang)
    step_before = window.session.info.step
    tour = start_tour(window)
    seen = []
    for i, stop in enumerate(STOPS):
        assert tour.index == i
        panel = window.panels[stop.panel]
        qtbot.waitUntil(panel.isVisible, timeout=2000)  # its dock is in front
        text = tour.pane.browser.toPlainText()
        assert text.strip() and (bool(CJK.search(text)) == (lang == "zh"))
        assert tour.pane.browser.toPlainText() == _plain(stop_text(stop, lang))
        seen.append(stop.panel)
        if stop.key == "cross-attention":
            attention = window.panels["Attention"]
            qtbot.waitUntil(lambda a=attention: a.trace is not None and a.current_tab == "detail",
                            timeout=5000)
            assert attention.selection.kind == "cross"
        qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert tour.index == len(STOPS) - 1 and not tour.pane.next_button.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert tour.index == len(STOPS) - 2
    tour.pane.next_button.setFocus()
    qtbot.keyClick(tour.pane.back_button, Qt.Key.Key_Escape)
    assert not tour.is_open
    assert set(seen) == {stop.panel for stop in STOPS}
    assert not [r for r in sent if r.trains or isinstance(r, rq.Save)], sent  # it only looks
    assert any(isinstance(r, rq.Trace) for r in sent)
    assert window.session.info.step == step_before


def test_a_sentence_typed_after_the_tour_is_translated_freely(window, qtbot, monkeypatch):
    tour = start_tour(window)
    tour.go([s.key for s in STOPS].index("cross-attention"))
    attention = window.panels["Attention"]
    qtbot.waitUntil(lambda: attention.trace is not None and attention.current_tab == "detail",
                    timeout=10000)
    assert attention.mode_box.currentData() == "forced"  # the tour's example: its reference
    tour.leave()
    sent = []
    submit = window.session._worker.submit
    monkeypatch.setattr(window.session._worker, "submit",
                        lambda request: (sent.append(request), submit(request)))
    attention.source_edit.selectAll()
    qtbot.keyClicks(attention.source_edit, "the cat sleeps .")
    attention.run_button.click()
    traced = [r for r in sent if isinstance(r, rq.Trace)]
    assert traced and traced[-1].src == "the cat sleeps ." and traced[-1].tgt is None
    assert attention.mode_box.currentData() == "greedy" and not attention.reference_edit.text()


def test_the_tour_folds_the_training_explanation_while_it_is_open(window, qtbot):
    pane = window.panel("Training").explanation
    pane.set_open(True)
    tour = start_tour(window)
    assert not pane.browser.isVisibleTo(pane) and pane.toggle.isChecked()  # held, choice kept
    assert str(pane.language.settings.value("explanations/training/open")).lower() == "true"
    tour.leave()
    assert pane.browser.isVisibleTo(pane)


def test_vectors_from_the_tour_cbow_reach_a_projector_not_built_yet(window, qtbot):
    tour = start_tour(window)
    tour.go([s.key for s in STOPS].index("word2vec"))
    word2vec = window.panels["Word2vec"]
    qtbot.waitUntil(lambda: word2vec.setup is not None, timeout=15000)
    assert "Embeddings" not in window.panels  # built only when needed
    word2vec.open_in_projector()
    projector = window.panels["Embeddings"]
    assert window.docks["Embeddings"].widget().widget() is projector and projector.isVisible()
    tour.leave()

def test_language_switch_reloads_the_tour_and_explanations(window, qtbot):
    i18n.language().set("en")
    for title in window.docks:
        window.panel(title)  # panels not shown yet are built on demand
    panes = attach_explanations(window.panels)
    assert set(panes) == {spec.title for spec in PANELS}
    tour = start_tour(window)
    tour.go(5)
    english = tour.pane.browser.toPlainText()
    i18n.language().set("zh")
    chinese = tour.pane.browser.toPlainText()
    assert chinese != english and CJK.search(chinese) and tour.index == 5
    assert all(CJK.search(p.browser.toPlainText()) for p in panes.values())
    i18n.language().set("en")
    assert tour.pane.browser.toPlainText() == english
    assert not any(CJK.search(p.browser.toPlainText()) for p in panes.values())


def _plain(markdown: str) -> str:
    from PySide6.QtGui import QTextDocument

    doc = QTextDocument()
    doc.setMarkdown(markdown)
    return doc.toPlainText()


def test_the_tour_opens_by_itself_only_on_the_first_start(window):
    window.settings.remove(FIRST_START_KEY)
    if getattr(window, "tour", None) is not None:
        window.tour.leave()
    assert offer_on_first_start(window) and window.tour.is_open and window.tour.index == 0
    window.tour.leave()
    assert not offer_on_first_start(window) and not window.tour.is_open



def test_the_readme_lists_every_stop_of_the_tour():
    """The README's "First steps" numbers the tour's stops; it listed 8 of the 9."""
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    steps = readme.split("## First steps", 1)[1].split("**Next**", 1)[0]
    numbers = [int(n) for n in re.findall(r"^(\d+)\. ", steps, flags=re.MULTILINE)]
    assert numbers == list(range(1, len(STOPS) + 1))
