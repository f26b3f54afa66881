"""The attention panel, its views, the heatmap and the export helpers switch language live."""
from __future__ import annotations

import numpy as np
import pytest

from explorer.panels.attention import AttentionPanel, Selection
from explorer.widgets.export import FILE_FILTER, file_filter, save_matrices
from explorer.widgets.heatmap import TokenHeatmap
from tests.explorer.test_attention_panel import (  # noqa: F401 - model: the shared fixture
    PAIR,
    SRC_TOK,
    TGT_TOK,
    FakeSession,
    make_trace,
    model,
)
from tests.explorer.ui import CJK, controls, switch


@pytest.fixture
def panel(qtbot, language):
    p = AttentionPanel(FakeSession())
    qtbot.addWidget(p)
    p.resize(900, 700)
    p.show()
    return p


def deliver(qtbot, panel, trace):
    panel.session.sig_trace.emit(trace)
    qtbot.waitUntil(lambda: panel.trace is trace, timeout=2000)


def build_every_view(qtbot, panel, model):
    deliver(qtbot, panel, make_trace(model))
    for name in panel.TAB_NAMES:
        panel.show_tab(name)


def test_inputs_tabs_and_status_switch_and_keep_the_choices(qtbot, panel, language, model):
    panel.mode_box.setCurrentIndex(2)
    panel.row_align_box.setCurrentIndex(1)
    deliver(qtbot, panel, make_trace(model, step=7))
    status = panel.status.text()
    assert status.startswith("step 7: ") and panel.run_button.text() == "Force reference"

    switch(language, "zh")
    assert panel.run_button.text() == "强制解码"
    assert panel.follow_box.text() == "跟随训练"
    assert panel.file_button.text() == "打开文件…"
    assert [panel.mode_box.itemText(i) for i in range(3)] == [
        "翻译（贪心）", "翻译（束搜索）", "强制解码（参考译文）"]
    assert panel.row_align_box.currentText() == "行读入的词"
    assert panel.source_edit.placeholderText() == "输入一个源语言句子"
    assert panel.source_edit.toolTip() == "要翻译的句子（Ctrl+Return 运行）"
    assert panel.beam_spin.prefix() == "束宽 "
    assert [panel.tabs.tabText(i) for i in range(panel.tabs.count())] == [
        "总览", "单个头", "连线", "计算过程", "平均 / 最大", "对比"]
    assert panel.tabs.tabToolTip(0) == "所有层的所有头；点击一个头打开它"
    assert panel.timeline_label.text() == "实时" and panel.timeline_caption.text() == "时间轴："
    assert panel.status.text().startswith("第 7 步：") and panel.status.text().endswith(
        status.split("→ ")[1])
    assert "PNG 图片 (*.png)" in panel.export_filter
    # the choices stay where they were: item data and indices do not depend on the language
    assert panel.mode_box.currentData() == "forced" and panel.row_align_box.currentData() == "reads"
    assert panel.source_edit.text() == PAIR.src and panel.reference_edit.text() == PAIR.tgt
    panel.run()
    assert panel.session.requests[-1] == (PAIR.src, PAIR.tgt, 1)

    switch(language, "en")
    assert panel.run_button.text() == "Force reference" and panel.follow_box.text() == "Follow training"
    assert panel.mode_box.itemText(0) == "Translate (greedy)"
    assert panel.tabs.tabText(1) == "Head" and panel.timeline_label.text() == "live"
    assert panel.status.text() == "tracing…"  # the request above, said again in English
    assert panel.export_filter == FILE_FILTER


def test_head_detail_switches_and_shows_the_same_matrix(qtbot, panel, language, model):
    trace = make_trace(model)
    deliver(qtbot, panel, trace)
    panel.select(Selection("cross", 1, 1))
    detail = panel.detail
    values = detail.heatmap.values.copy()
    assert detail.heatmap.plot.titleLabel.text.startswith("Cross-attention (decoder → encoder), layer 1")

    switch(language, "zh")
    assert detail.kind_box.currentText() == "交叉注意力（解码器 → 编码器）"
    assert detail.head_box.currentText() == "头 1"
    assert detail.head_box.itemText(detail.head_box.count() - 1) == "各头最大"
    assert detail.layer_box.prefix() == "层 " and detail.layer_box.value() == 1
    assert detail.heatmap.plot.titleLabel.text == (
        "交叉注意力（解码器 → 编码器），第 1 层，头 1 —— 行：查询，列：键")
    assert detail.heatmap.plot.getAxis("top").labelText == "键（源词元）"
    assert detail.heatmap.plot.getAxis("left").labelText == "查询（解码器输入）"
    assert detail.alignment_label.text().startswith("标准对齐：")
    assert panel.selection == Selection("cross", 1, 1) and detail.head_box.currentData() == 1
    np.testing.assert_array_equal(detail.heatmap.values, values)
    detail.heatmap.lock(2, 3)
    assert detail.heatmap.unlock_button.text().startswith("解锁 第 2 行")

    switch(language, "en")
    assert detail.kind_box.currentText() == "Cross-attention (decoder → encoder)"
    assert detail.head_box.currentText() == "head 1"
    assert detail.heatmap.plot.getAxis("top").labelText == "keys (source tokens)"
    assert detail.heatmap.unlock_button.text().startswith("Unlock row 2 ")
    np.testing.assert_array_equal(detail.heatmap.values, values)


def test_views_switch_their_titles_and_legends(qtbot, panel, language, model):
    build_every_view(qtbot, panel, model)
    panel.select(Selection("enc_self", 0, 1), open_detail=False)
    panel.show_tab("computation")
    comp = panel.computation
    comp._on_cell_hovered(2, 1)
    scores = comp.views["scores"].values.copy()
    panel.show_tab("lines")

    switch(language, "zh")
    lines = panel.lines
    assert lines.heads_label.text() == "头："
    assert lines.title.text() == "编码器自注意力，第 0 层：左边是查询，右边是键 —— 悬停在一个词元上，只看它的连线"
    assert lines.head_buttons[1].toolTip() == "显示或隐藏头 1 的连线"
    assert comp.views["w_q"].plot.titleLabel.text.startswith("Wq，头 1（")
    assert comp.views["concat"].plot.titleLabel.text.startswith("2 个头拼接（")
    assert "softmax 之后 A'[2, 1]" in comp.dot_label.text() and comp.dot_cell == (2, 1)
    assert comp.views["weights"].toolTip().startswith("A' = 对缩放并加掩码后的分数逐行做 softmax")
    np.testing.assert_array_equal(comp.views["scores"].values, scores)
    overview, aggregates = panel.overview, panel.aggregates
    assert overview.legend.text().startswith("点击一个头打开它。橙色框")
    assert overview.grids["cross"].plot.titleLabel.text == "交叉注意力"
    assert overview.grids["enc_self"].toolTip().startswith("编码器自注意力：每层（L）")
    ticks = aggregates.grids["cross"].plot.getAxis("top")._tickLevels[0]
    assert sorted(name for _, name in ticks) == sorted(["平均", "最大"])

    switch(language, "en")
    assert lines.title.text().startswith("Encoder self-attention, layer 0: queries left")
    assert comp.views["w_q"].plot.titleLabel.text.startswith("Wq, head 1 (")
    assert overview.grids["cross"].plot.titleLabel.text == "Cross-attention"
    ticks = aggregates.grids["cross"].plot.getAxis("top")._tickLevels[0]
    assert sorted(name for _, name in ticks) == ["max", "mean"]


def test_heatmap_hover_text_follows_the_language(qtbot, language):
    view = TokenHeatmap()
    qtbot.addWidget(view)
    view.set_matrix(np.array([[0.25, np.nan]]), ["der"], ["the", "dog"])
    view.highlight(0, 1)  # as the mouse does
    assert view.info.text() == "row 0 “der” × column 1 “dog”: masked"
    switch(language, "zh")
    assert view.info.text() == "第 0 行“der” × 第 1 列“dog”: 被掩码"
    assert view.unlock_button.toolTip() == "解除锁定的行/列高亮（Esc）"
    switch(language, "en")
    assert view.info.text() == "row 0 “der” × column 1 “dog”: masked"


def test_export_messages_and_file_types_follow_the_language(language, tmp_path):
    assert file_filter() == FILE_FILTER
    assert file_filter(matrices=False) == "PNG image (*.png);;SVG drawing (*.svg)"
    switch(language, "zh")
    assert file_filter().split(";;") == ["PNG 图片 (*.png)", "SVG 矢量图 (*.svg)", "CSV 表格 (*.csv)",
                                         "NumPy 数组 (*.npy)", "NumPy 归档 (*.npz)"]
    with pytest.raises(ValueError, match="没有可导出的内容"):
        save_matrices(tmp_path / "m.csv", [])
    switch(language, "en")
    with pytest.raises(ValueError, match="nothing to export"):
        save_matrices(tmp_path / "m.csv", [])


def test_every_control_has_a_tooltip_in_both_languages(qtbot, panel, language, model):
    build_every_view(qtbot, panel, model)
    found = controls(panel)
    assert len(found) > 20  # inputs, export buttons, head buttons, the views' boxes and buttons
    for widget in found:
        assert widget.toolTip().strip(), f"{type(widget).__name__} {widget.objectName()!r}"
    switch(language, "zh")
    for widget in found:
        assert CJK.search(widget.toolTip()), widget.toolTip()
    switch(language, "en")
    for widget in found:
        assert widget.toolTip().strip() and not CJK.search(widget.toolTip()), widget.toolTip()
