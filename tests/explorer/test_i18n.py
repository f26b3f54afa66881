"""Interface language: system default, persistence, the shipped Chinese translation."""
from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QWidget

from explorer import i18n
from explorer import requests as rq
from explorer.explain import ExplanationPane, explanation_text
from tests.explorer.ui import CJK

TS = i18n.resource_path("i18n", "explorer_zh.ts")
QM = i18n.resource_path("i18n", "explorer_zh.qm")


def test_system_language_decides_the_first_start(settings):
    for name, code in (("zh_CN", "zh"), ("zh_TW", "zh"), ("de_DE", "en"), ("en_US", "en")):
        assert i18n.system_language(QLocale(name)) == code
    assert i18n.saved_language(settings) == i18n.system_language()
    settings.setValue(i18n.SETTINGS_KEY, "fr")
    assert i18n.saved_language(settings) == i18n.system_language()


def test_the_qm_translates_a_menu_string(language):
    parent = QWidget()
    assert i18n.language_menu(parent).title() == "&Language"
    language.set("zh")
    assert i18n.language_menu(parent).title() == "语言(&L)"
    assert QCoreApplication.translate("Tour", "Next") == "下一站"
    language.set("en")
    assert QCoreApplication.translate("Tour", "Next") == "Next"


def test_choice_persists_and_is_announced(language, settings, qtbot):
    with qtbot.waitSignal(language.sig_changed) as blocker:
        language.set("zh")
    assert blocker.args == ["zh"]
    assert i18n.Language(settings).code == "zh"
    with pytest.raises(ValueError):
        language.set("fr")


def test_language_menu_switches(language):
    parent = QWidget()
    menu = i18n.language_menu(parent)
    by_code = {a.data(): a for a in menu.actions()}
    assert set(by_code) == set(i18n.LANGUAGES) and by_code["en"].isChecked()
    by_code["zh"].trigger()
    assert language.code == "zh"


def test_explanation_pane_follows_the_language(language, qtbot):
    pane = ExplanationPane("attention")
    qtbot.addWidget(pane)
    assert pane.markdown == explanation_text("attention", "en") and not CJK.search(pane.markdown)
    language.set("zh")
    assert CJK.search(pane.browser.toPlainText()) and pane.toggle.text() == "说明"
    pane.set_open(False)
    assert pane.browser.isHidden()
    assert str(language.settings.value("explanations/attention/open")).lower() == "false"


def test_every_panel_text_exists_in_both_languages():
    for path in i18n.resource_path("explanations", "en").glob("*.md"):
        zh = i18n.resource_path("explanations", "zh", path.name)
        assert zh.is_file(), path.name
        assert len(CJK.findall(zh.read_text(encoding="utf-8"))) > 50, path.name


def test_translation_is_complete_and_compiled(tmp_path):
    messages = list(ET.parse(TS).getroot().iter("message"))
    assert messages
    for message in messages:
        translation = message.find("translation")
        assert translation.get("type") is None and translation.text, message.find("source").text
        assert CJK.search(translation.text), translation.text
    fresh = tmp_path / "fresh.qm"
    subprocess.run(["pyside6-lrelease", str(TS), "-qm", str(fresh)], check=True, capture_output=True)
    assert fresh.read_bytes() == QM.read_bytes(), "run pyside6-lrelease after editing the .ts"


def test_main_window_menus_follow_the_language(language, qtbot, tmp_path):
    from explorer.app import PANELS, MainWindow

    training_only = [spec for spec in PANELS if spec.title == "Training"]
    window = MainWindow(settings=language.settings, panels=training_only, open_default=False)
    qtbot.addWidget(window)
    window.show()

    def titles():
        QCoreApplication.processEvents()  # LanguageChange reaches the window as an event
        return [a.text() for a in window.menuBar().actions()]

    assert titles() == ["&File", "&Models", "&View", "&Help"]
    language.set("zh")
    assert titles() == ["文件(&F)", "模型(&M)", "视图(&V)", "帮助(&H)"]
    assert window.docks["Training"].windowTitle() == "训练"
    help_menu = window.menuBar().actions()[3].menu()
    tour = next(a for a in help_menu.actions() if a.shortcut().toString() == "F1")
    assert tour.text() == "导览(&G)"
    assert window.step_label.text() == "步数：–"  # status bar fields switch too
    language.set("en")
    assert titles() == ["&File", "&Models", "&View", "&Help"] and window.docks["Training"].windowTitle() == "Training"
    assert window.step_label.text() == "step: –"
    window.ask_before_discard = False
    window.close()


def test_training_panel_is_built_in_the_language(language, qtbot):
    from explorer.app import PANELS, MainWindow

    language.set("zh")
    training_only = [spec for spec in PANELS if spec.title == "Training"]
    window = MainWindow(settings=language.settings, panels=training_only, open_default=False)
    qtbot.addWidget(window)
    window.show()
    panel = window.panels["Training"]
    assert panel.play_button.text() == "播放" and panel.setup.rebuild_button.text() == "重建"
    assert [panel.tabs.tabText(i) for i in range(panel.tabs.count())] == ["曲线", "样例", "慢动作", "数据与模型"]
    window.ask_before_discard = False
    window.close()


def test_worker_messages_are_translated(language):
    from explorer.worker import TrainingWorker

    worker = TrainingWorker()
    errors = []
    worker.sig_failed.connect(lambda _id, message, details: errors.append(message))
    worker._execute(rq.Evaluate())  # no model yet: fails with a key and values, not words
    language.set("zh")
    assert errors and errors[0].text().startswith("Evaluate 失败：")
    language.set("en")  # the same message, worded again in the new language
    assert errors[0].text().startswith("Evaluate failed: ")
