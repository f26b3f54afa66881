"""The Word2vec and Positional panels switch their interface language while they run."""
from __future__ import annotations

import numpy as np
import pytest

from explorer.logic.word2vec import build_cbow
from explorer.panels.positional import PositionalPanel
from explorer.panels.word2vec import Word2VecPanel
from explorer.widgets.heatmap import TokenHeatmap
from model import compare
from model.corpus import load_corpus
from tests.explorer.ui import CJK, controls, switch
from tests.tiny import TINY_MODEL, TINY_TRAIN

TEXTS = [f"the {a} sees the {b} ." for a in ("dog", "cat", "bird", "horse")
         for b in ("red ball", "green tree", "blue house")]


@pytest.fixture
def word2vec(qtbot, language):
    panel = Word2VecPanel(None)
    qtbot.addWidget(panel)
    panel.set_setup(build_cbow(TEXTS, "en", window=3, dim=8, lr=0.1, combine="mean", source="test"))
    panel.combine_combo.setCurrentIndex(1)
    panel.step_once()
    return panel


def test_word2vec_switches_language_and_keeps_its_state(word2vec, language):
    panel = word2vec
    step, rows = panel.last_step, panel.rows_map.values.copy()
    assert panel.build_button.text() == "Build" and panel.setup_box.title() == "Corpus and CBOW settings"
    assert panel.play_button.text() == "▶ Play"

    switch(language, "zh")
    assert panel.build_button.text() == "构建"
    assert panel.play_button.text() == "▶ 播放"
    assert panel.step_n_button.text() == "走 N 步"
    assert panel.setup_box.title() == "语料与 CBOW 设置"
    assert [panel.combine_combo.itemText(i) for i in range(2)] == ["求和", "平均"]
    assert panel.combine_combo.currentData() == "mean"  # the choice is kept, only its text changed
    assert panel.source_combo.itemText(0) == "翻译模型的源语言句子"
    assert panel.step_n_spin.toolTip() == "“走 N 步”训练多少个样本"
    assert [label.text() for label in panel.setup_labels] == ["语料", "窗口 n", "维度 D", "学习率", "合并方式"]
    # Texts built from data are rebuilt from the same step.
    assert f"第 {step.step} 步" in panel.context_note.text()
    first = -np.log(step.probs[0, int(step.center_ids[0])])
    assert f"损失 = −log p = <b>{first:.4f}</b>" in panel.context_note.text()
    assert f"平均损失：{step.loss:.4f}" in panel.context_note.text()
    assert panel.rows_map.row_labels[-1] == "= 平均"
    assert "随机水平" in panel.purity_label.text()
    assert "V = " in panel.summary.text() and "个词元" in panel.summary.text()
    assert "红色" in panel.plot_note.text()
    assert panel.last_step is step
    np.testing.assert_array_equal(panel.rows_map.values, rows)

    panel.step_once()  # still works in Chinese
    assert panel.last_step.step == step.step + 1 and len(panel.state.losses) == 2
    assert f"第 {step.step + 1} 步" in panel.context_note.text()

    switch(language, "en")
    assert panel.build_button.text() == "Build" and panel.step_n_button.text() == "Step N"
    assert panel.combine_combo.itemText(1) == "mean" and panel.combine_combo.currentData() == "mean"
    assert f"windows of this step: {panel.last_step.loss:.4f}" in panel.context_note.text()
    assert panel.rows_map.row_labels[-1] == "= mean"
    assert "chance" in panel.purity_label.text() and "tokens" in panel.summary.text()


def test_word2vec_file_choice_is_named_in_the_language(word2vec, language, tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("\n".join(TEXTS), encoding="utf-8")
    word2vec.load_text_file(path)
    switch(language, "zh")
    assert word2vec.source_combo.itemText(1) == "文件：words.txt"
    assert word2vec.source_combo.currentIndex() == 1
    switch(language, "en")
    assert word2vec.source_combo.itemText(1) == "file: words.txt"


@pytest.fixture(scope="module")
def learned_trainer():
    corpus = load_corpus("builtin:en-de", max_pairs=200, seed=0)
    trainer = compare.positional_trainer(corpus, "learned", TINY_MODEL, TINY_TRAIN.replace(snapshot_every=1))
    for _ in range(3):
        trainer.step()
    return trainer


@pytest.fixture
def positional(qtbot, language, learned_trainer):
    panel = PositionalPanel(None)
    qtbot.addWidget(panel)
    panel.resize(1000, 800)
    panel.show()
    panel.set_model_config(learned_trainer.model_config)
    panel.show_timeline(learned_trainer.timeline)
    panel.show_trace(learned_trainer.trace(learned_trainer.data["train"].pairs[3].src))
    for index in range(panel.tabs.count()):  # every tab built and drawn
        panel.tabs.setCurrentIndex(index)
    yield panel
    panel.shutdown()


def test_positional_switches_language_and_keeps_its_state(positional, language):
    panel = positional
    panel.tab("sinusoidal").layout_combo.setCurrentIndex(panel.tab("sinusoidal").layout_combo.findData("split"))
    panel.tabs.setCurrentIndex(2)
    panel.tab("learned").timeline_slider.setValue(0)
    panel.tabs.setCurrentIndex(3)
    panel.tab("rotary").key_combo.setCurrentIndex(2)
    panel.tabs.setCurrentIndex(4)
    panel.tab("compare").run_button.click()  # no corpus loaded: the panel says so
    sinusoid = panel.tab("sinusoidal").view.table.copy()
    learned = panel.tab("learned").view.table.copy()
    rotated = panel.tab("rotary").picture.rotated_q.copy()
    english_tabs = [panel.tabs.tabText(i) for i in range(panel.tabs.count())]
    assert english_tabs == ["Sinusoidal P", "Sentence X + P", "Learned P", "Rotary", "Compare"]

    switch(language, "zh")
    assert [panel.tabs.tabText(i) for i in range(panel.tabs.count())] == ["正弦 P", "句子 X + P", "可学习 P",
                                                                         "旋转", "对比"]
    assert panel.tab("sinusoidal").layout_combo.currentText() == "前后两半" and panel.tab("sinusoidal").layout_combo.currentData() == "split"
    assert panel.tab("sinusoidal").layout_note.text().startswith("排列：前后两半")
    assert panel.tab("sinusoidal").view.dims_label.text() == "维度："
    assert panel.tab("sinusoidal").view.offset_note.text().startswith("不同起始位置之间的最大差异")
    assert panel.tab("sentence").trace_button.text() == "追踪" and panel.tab("sentence").sentence_edit.placeholderText() == "一个源语言句子"
    assert "pos_encoding = learned；第" in panel.tab("sentence").sentence_note.text()
    assert panel.tab("learned").timeline_slider.value() == 0
    assert panel.tab("learned").timeline_label.text() == "第 1 步（第 1 个快照，共 3 个）"
    assert panel.tab("rotary").rotary_note.text().startswith("旋转位置编码用乘法")
    assert "头 0" in panel.tab("rotary").rotary_note.text() and panel.tab("rotary").key_combo.currentIndex() == 2
    assert panel.tab("rotary").rotary_spread.text().startswith("旋转：不同起始位置")
    assert panel.tab("compare").run_button.text() == "训练并对比" and panel.tab("compare").cancel_button.text() == "取消"
    assert panel.tab("compare").progress.format() == "%v / %m 步"
    assert panel.tab("compare").order_table.horizontalHeaderItem(0).text() == "位置编码"
    assert panel.tab("compare").compare_note.text() == "请先加载模型和语料（训练面板）。"
    # What is shown is the same data.
    np.testing.assert_array_equal(panel.tab("sinusoidal").view.table, sinusoid)
    np.testing.assert_array_equal(panel.tab("learned").view.table, learned)
    np.testing.assert_array_equal(panel.tab("rotary").picture.rotated_q, rotated)

    panel.tabs.setCurrentIndex(0)  # and the panel still works in Chinese
    panel.tab("sinusoidal").layout_combo.setCurrentIndex(panel.tab("sinusoidal").layout_combo.findData("interleaved"))
    assert panel.tab("sinusoidal").layout_note.text().startswith("排列：交错")
    assert "交错" in panel.tab("sinusoidal").view.heatmap.plot.titleLabel.text

    switch(language, "en")
    assert [panel.tabs.tabText(i) for i in range(panel.tabs.count())] == english_tabs
    assert panel.tab("sinusoidal").layout_combo.currentText() == "interleaved (paper)"
    assert "interleaved" in panel.tab("sinusoidal").layout_note.text()
    assert panel.tab("learned").timeline_label.text() == "step 1 (1 of 3)"
    assert panel.tab("sinusoidal").view.offset_note.text().startswith("largest difference")
    assert panel.tab("compare").compare_note.text() == "Load a model and corpus first (Training panel)."
    assert panel.tab("compare").order_table.horizontalHeaderItem(4).text() == "decoder logit gap"


def test_positional_tab_hidden_during_the_switch_catches_up(positional, language, learned_trainer):
    panel = positional
    panel.tabs.setCurrentIndex(0)
    switch(language, "zh")
    panel.show_trace(learned_trainer.trace(learned_trainer.data["train"].pairs[4].src))  # sentence tab stale
    panel.tabs.setCurrentIndex(1)
    assert "pos_encoding = learned；第" in panel.tab("sentence").sentence_note.text()
    assert panel.tab("sentence").x_map.plot.titleLabel.text == "X：词元嵌入（× √D）"


def test_every_control_has_a_tooltip_in_both_languages(word2vec, positional, language):
    for panel in (word2vec, positional):
        for widget in controls(panel):
            assert widget.toolTip().strip(), f"{type(panel).__name__}: a {type(widget).__name__} has no tooltip"
        own = controls(panel, skip_inside=(TokenHeatmap,))
        assert len(own) >= 10
        switch(language, "zh")
        for widget in own:
            assert CJK.search(widget.toolTip()), widget.toolTip()
        switch(language, "en")
        for widget in own:
            assert not CJK.search(widget.toolTip()), widget.toolTip()
