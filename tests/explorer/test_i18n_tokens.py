"""The Tokens and Embeddings panels (and the projector's scatter) follow the interface
language while they run, keep what they show, and give every control a tooltip."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import (
    QWidget,
)

from explorer.logic.embeddings import N_SPECIALS
from explorer.panels.embeddings import EmbeddingsPanel
from explorer.panels.tokens import TokensPanel
from model.tokenizer import build_tokenizer
from model.trace import EmbeddingSnapshot, Snapshot
from tests.explorer.ui import controls, switch

TEXTS = ["the dog sees the cat .", "a cat sleeps .", "the bird sings ."]
WORDS = ["dog", "dogs", "cat", "bird", "red", "green", "blue", "runs", "sees", "eats",
         "house", "hotdog", "apple", "bread", "water", "milk", "tree", "flower", "day", "night"]


@pytest.fixture
def tokens_panel(qtbot, session, language):
    tok = build_tokenizer("word", TEXTS, "en")
    view = TokensPanel(session)
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    view.set_tokenizers(tok, tok)
    E = np.random.default_rng(0).normal(size=(tok.vocab_size, 6)).astype(np.float32)
    view.show_embeddings(EmbeddingSnapshot(step=7, name="src", tokens=tuple(tok.tokens()), matrix=E))
    view.text_edit.setText("the dog sees the cat .")
    view.refresh()
    view.table.selectRow(2)
    view.open_tab("product")
    return view, tok


@pytest.fixture
def projector(qtbot, session, language):
    view = EmbeddingsPanel(session)
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    E = np.random.default_rng(1).normal(size=(N_SPECIALS + len(WORDS), 8)).astype(np.float32)
    tokens = ("<pad>", "<bos>", "<eos>", "<unk>", *WORDS)
    view.show_embeddings(EmbeddingSnapshot(step=3, name="src", tokens=tokens, matrix=E))
    assert view.wait()
    tgt = np.zeros((6, 8), np.float32)
    view.set_timeline([Snapshot(step=10, probe=None, src_embeddings=E, tgt_embeddings=tgt),
                       Snapshot(step=20, probe=None, src_embeddings=E * 1.5, tgt_embeddings=tgt)])
    view.select_point(2)
    return view


def headers(table) -> list[str]:
    return [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]


def cells(table, columns=None) -> list[list[str]]:
    columns = range(table.columnCount()) if columns is None else columns
    return [[table.item(r, c).text() for c in columns] for r in range(table.rowCount())]


def test_tokens_panel_switches_language_and_keeps_what_it_shows(tokens_panel, language):
    view, tok = tokens_panel
    token_id, V = tok.token_to_id("sees"), tok.vocab_size
    data = (0, 1, 3)  # token, ID, embedding row: numbers, the same in every language
    shown = (view.source_key, view.table.currentRow(), cells(view.table, data), view.compare.one_hot_map.values.copy(),
             view.compare.embed_map.values.copy(), view.text_edit.text())
    assert view.go_button.text() == "Tokenize"
    assert view.table.item(2, 2).text() == f"1 at {token_id} / {V}"

    switch(language, "zh")
    assert view.go_button.text() == "分词"
    assert view.go_button.toolTip() == "把文本切分成词元（回车 / Ctrl+回车）"
    assert view.text_label.text() == "文本"
    assert view.source_combo.currentText() == "模型 · 源语言分词器"
    assert view.source_combo.itemText(4) == "BPE · 在语料上训练"
    assert [view.compare.one_hot_metric.itemText(i) for i in range(2)] == ["欧氏距离", "余弦相似度"]
    assert headers(view.table) == ["词元", "ID（编号）", "one-hot（1 所在的位置）", "词嵌入行"]
    assert [view.tabs.tabText(i) for i in range(2)] == ["对比：ID · one-hot · 词嵌入", "one-hot × E（查表）"]
    assert view.table.item(2, 2).text() == f"第 {token_id} 位为 1 / 共 {V} 位"
    assert view.table.item(2, 2).toolTip() == f"{V} 个数：除第 {token_id} 位是 1 外全是 0"
    assert view.status.text() == f"word 分词器（en），V = {V:,}：6 个词元。"
    assert "每个词元占用的内存" in view.memory.text()
    assert view.product.product_note.text().endswith("词嵌入就是查表。")
    assert view.compare.embed_note.text() == "源语言一侧的 E，第 7 步（D = 6）"
    assert view.compare.one_hot_map.title_label.text() == "独热（one-hot）：欧氏距离"
    assert view.compare.number_line.getPlotItem().titleLabel.text == "数轴上的 ID"
    # nothing shown changed with the language
    assert (view.source_key, view.table.currentRow(), cells(view.table, data)) == shown[:3]
    np.testing.assert_array_equal(view.compare.one_hot_map.values, shown[3])
    np.testing.assert_array_equal(view.compare.embed_map.values, shown[4])
    assert view.text_edit.text() == shown[5]

    view.compare.one_hot_metric.setCurrentIndex(1)  # still works in Chinese
    assert view.compare.one_hot_map.title_label.text() == "独热（one-hot）：余弦相似度"
    assert view.matrices()[3].name == "one_hot_cosine"  # exported names do not follow the language

    switch(language, "en")
    assert view.go_button.text() == "Tokenize" and view.text_label.text() == "Text"
    assert view.source_combo.currentText() == "model · source tokenizer"
    assert headers(view.table) == ["token", "ID", "one-hot (where the 1 is)", "embedding row"]
    assert view.tabs.tabText(1) == "One-hot × E"
    assert view.table.item(2, 2).text() == f"1 at {token_id} / {V}"
    assert view.status.text() == f"word tokenizer (en), V = {V:,}: 6 tokens."
    assert view.product.product_note.text().endswith("The embedding is a lookup.")
    assert view.compare.one_hot_map.title_label.text() == "one-hot: cosine similarity"
    assert view.table.currentRow() == 2


def test_tokens_panel_built_in_chinese(qtbot, session, language):
    switch(language, "zh")
    view = TokensPanel(session)
    qtbot.addWidget(view)
    assert view.go_button.text() == "分词" and view.product.product_note.text() == "请在表格中选择一个词元。"
    view.source_combo.setCurrentIndex(0)
    view._on_source()  # no model loaded: the status says so, in Chinese
    assert view.status.text().startswith("还没有加载模型")


def test_projector_switches_language_and_keeps_what_it_shows(projector, language):
    view = projector
    view.controls.colour_combo.setCurrentIndex([view.controls.colour_combo.itemData(i) for i in
                                       range(view.controls.colour_combo.count())].index("language"))
    coords, groups, table = view.state.coords.copy(), list(view.scatter.groups), cells(view.side.table)
    assert "PCA keeps" in view.status.text()

    switch(language, "zh")
    assert view.controls.run_button.text() == "投影" and view.controls.cancel_button.text() == "取消"
    assert view.controls.compare_button.text() == "比较两步" and view.controls.follow_check.text() == "跟随训练"
    assert view.controls.colour_combo.currentText() == "语言" and view.controls.colour_combo.currentData() == "language"
    assert view.controls.source_combo.currentText() == "翻译模型 · 源语言 E"
    assert [view.controls.dim_combo.itemText(i) for i in range(2)] == ["二维", "三维"]
    assert view.side.metric_combo.currentText() == "余弦" and view.side.metric_combo.currentData() == "cosine"
    assert view.controls.step_a.currentText() == "第 10 步" and view.controls.step_b.currentText() == "第 20 步"
    assert view.controls.search_edit.placeholderText() == "搜索词…"
    assert view.controls.layer_spin.prefix() == "层 "
    assert headers(view.side.table) == ["D 维中", "得分", "图中", "距离"]
    assert view.status.text().startswith(f"{len(WORDS)} 个点（src，第 3 步），D = 8。")
    assert "PCA 在 2 维中保留了" in view.status.text()
    assert view.side.selection_label.text().startswith("“cat”（无词类，src）：")
    assert view.scatter.azimuth_label.text() == "方位角"
    assert view.scatter.azimuth.toolTip() == "绕竖直轴旋转三维点"
    # the points, their colours and the neighbours are those shown before
    np.testing.assert_array_equal(view.state.coords, coords)
    assert view.scatter.groups == groups and cells(view.side.table) == table

    view.controls.search_edit.setText("dog")  # still works in Chinese
    assert view.side.selection_label.text() == "有 3 个词匹配“dog”。"
    view.controls.regex_check.setChecked(True)
    view.controls.search_edit.setText("(")
    assert view.controls.search_edit.toolTip().startswith("不是有效的正则表达式：")

    switch(language, "en")
    assert view.controls.search_edit.toolTip().startswith("Not a valid regular expression: ")
    assert view.controls.run_button.text() == "Project" and view.controls.colour_combo.currentText() == "language"
    assert view.controls.step_a.currentText() == "step 10" and view.side.metric_combo.currentText() == "cosine"
    assert headers(view.side.table) == ["in D dims", "score", "in the picture", "dist"]
    assert view.side.selection_label.text() == "3 words match “dog”."
    assert "PCA keeps" in view.status.text() and view.scatter.azimuth_label.text() == "Azimuth"
    np.testing.assert_array_equal(view.state.coords, coords)


def test_projector_3d_note_and_legend_follow_the_language(projector, language):
    view = projector
    view.controls.dim_combo.setCurrentIndex(1)
    view.run_projection()
    assert view.wait() and view.state.coords.shape[1] == 3
    assert view.scatter.note.text() == "3D is drawn as a rotatable 2D view: " \
                                       "the 'offscreen' platform has no OpenGL."
    assert "other" in view.scatter.legend.text()  # words without a class
    switch(language, "zh")
    assert view.scatter.note.text() == "三维以可旋转的二维视图绘制：“offscreen”平台不支持 OpenGL。"
    assert "其他" in view.scatter.legend.text() and "other" not in view.scatter.legend.text()
    assert view.dim == 3 and view.controls.dim_combo.currentText() == "三维"
    switch(language, "en")
    assert "rotatable 2D view" in view.scatter.note.text() and "other" in view.scatter.legend.text()


def controls_without_tooltip(panel: QWidget) -> list[str]:
    return [type(w).__name__ for w in controls(panel) if not w.toolTip().strip()]


def test_every_control_has_a_tooltip(tokens_panel, projector, language):
    tokens, _ = tokens_panel
    for panel in (tokens, projector):
        assert controls_without_tooltip(panel) == [], type(panel).__name__
        switch(language, "zh")
        assert controls_without_tooltip(panel) == [], type(panel).__name__
        switch(language, "en")
    # and the walk does find them: a control without one is reported
    projector.side.k_spin.setToolTip("")
    assert controls_without_tooltip(projector) == ["QSpinBox"]
