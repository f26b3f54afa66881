"""The training panel switches language while it runs: buttons, tooltips, combo names, plot
titles, legends, data texts and the slow-motion view, without losing what it shows."""
from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import (
    QAbstractButton,
)

from explorer.panels.training_slow import SlowMotionView
from model.trace import StepDetail, StepReport
from tests.explorer.test_training_panel import panel  # noqa: F401 - the shared fixture
from tests.explorer.test_worker import tiny_factory
from tests.explorer.ui import controls, switch


def report(step: int, **kwargs) -> StepReport:
    return StepReport(step=step, loss=5.0 - 0.1 * step, lr=1e-3, grad_norm=2.0, tokens=100,
                      tokens_per_s=1000.0, elapsed_s=0.1 * step, **kwargs)


def feed(qtbot, panel, session) -> None:
    """Three plain steps and one with an evaluation, as the worker reports them."""
    evaluated = report(4, valid_loss=4.8, valid_accuracy=0.25, valid_bleu=3.5, valid_chrf=20.0,
                       samples=(("der hund", "the dog", "the the"),))
    session.sig_steps.emit((report(1), report(2), report(3), evaluated))
    session.sig_step.emit(evaluated)
    def drawn():
        x, _ = panel.curves._series["train loss"].item.getData()
        return 0 if x is None else len(x)

    qtbot.waitUntil(lambda: drawn() == 4, timeout=2000)


def tab_texts(panel) -> list[str]:
    return [panel.tabs.tabText(i) for i in range(panel.tabs.count())]


def test_panel_texts_switch_live_and_back(language, qtbot, panel, session):
    feed(qtbot, panel, session)
    loss_before = panel.curves.data("train loss")[1].copy()
    assert panel.play_button.text() == "Play"
    assert tab_texts(panel) == ["Curves", "Samples", "Slow motion", "Data and model"]
    assert panel.curves.plot("loss").titleLabel.text == "loss (nats)"
    assert panel.curves.label("train loss") == "train loss (smoothed)"
    assert panel.curves.plot("loss").getAxis("bottom").labelText == "step"

    switch(language, "zh")
    assert panel.play_button.text() == "播放" and panel.play_action.text() == "播放"
    assert panel.step_button.text() == "单步" and panel.setup.rebuild_button.text() == "重建"
    assert panel.reset_button.toolTip() == "重新随机初始化权重，回到第 0 步"
    assert panel.lr_check.text() == "固定学习率"
    assert panel.target_label.text() == "目标步数"
    assert tab_texts(panel) == ["曲线", "样例", "慢动作", "数据与模型"]
    assert panel.curves.plot("loss").titleLabel.text == "损失（奈特）"
    assert panel.curves.label("train loss") == "训练损失（平滑）"
    assert panel.curves.label("train CE") == "训练交叉熵"
    legend = panel.curves.legend("loss")
    assert legend.getLabel(panel.curves._series["valid loss"].item).text == "验证损失（平滑）"
    assert panel.curves.plot("loss").getAxis("bottom").labelText == "步数"
    assert panel.samples_table.horizontalHeaderItem(2).text() == "当前输出"
    assert panel.status_label.text().startswith("第 4 步") and "梯度范数" in panel.status_label.text()
    assert panel.samples_label.text().startswith("第 4 步的评估") and "25.0%" in panel.samples_label.text()
    assert panel.progress.format() == "第 %v 步"  # the model's step (no Play towards a target yet)
    combo = panel.setup.tokenizer_combo
    names = {combo.itemData(i): combo.itemText(i) for i in range(combo.count())}
    assert names == {"word": "词", "char": "字符", "bpe": "BPE 子词"}
    # What the panel shows is unchanged by the switch.
    assert np.array_equal(panel.curves.data("train loss")[1], loss_before)
    assert panel.samples_table.item(0, 2).text() == "the the"

    switch(language, "en")
    assert panel.play_button.text() == "Play" and panel.setup.rebuild_button.text() == "Rebuild"
    assert panel.reset_button.toolTip() == "Fresh random weights, step 0"
    assert tab_texts(panel) == ["Curves", "Samples", "Slow motion", "Data and model"]
    assert panel.curves.label("train loss") == "train loss (smoothed)"
    assert panel.curves.plot("loss").getAxis("bottom").labelText == "step"
    assert panel.status_label.text().startswith("Step 4   loss")
    assert panel.samples_label.text().startswith("Evaluation at step 4")


def test_play_reads_pause_while_playing_in_either_language(language, qtbot, panel, session):
    session._on_state("playing")  # as the worker reports it
    try:
        assert panel.play_button.text() == "Pause" and panel.play_action.text() == "Pause"
        switch(language, "zh")
        assert panel.play_button.text() == "暂停" and panel.play_action.text() == "暂停"
        switch(language, "en")
        assert panel.play_button.text() == "Pause"
    finally:
        session._on_state("paused")
    assert panel.play_button.text() == "Play"
    switch(language, "zh")
    assert panel.play_button.text() == "播放"


def test_slow_motion_view_switches_with_its_step(language, qtbot):
    view = SlowMotionView()
    qtbot.addWidget(view)
    detail = StepDetail(
        report=report(7), src_tokens=(("der", "hund"), ("die", "katze")),
        tgt_tokens=(("the", "dog"), ("the", "cat")),
        token_loss=(np.array([1.0, 2.0]), np.array([0.5, 0.25])),
        grad_norms={"encoder.0.self_attn": 0.5, "decoder.0.ffn": 0.25},
        head_grad_norms={"encoder.0.self_attn": np.array([0.1, 0.2])},
        update_ratio={"encoder.0.self_attn": 1e-3, "decoder.0.ffn": 2e-3},
        probe_before=None, probe_after=None)
    view.set_detail(detail)
    view.next_button.click()
    assert view.stage_label.text() == "2 · Forward: loss per token"
    assert view.message.text().startswith("Step 7: 2 sentence pairs")

    switch(language, "zh")
    assert view.run_button.text() == "慢动作走一步" and view.next_button.text() == "下一阶段 ▶"
    assert view.stage_label.text() == "2 · 前向：每个词元的损失"
    assert view.message.text().startswith("第 7 步：2 个句对")
    assert view.batch_table.verticalHeaderItem(1).text() == "目标句 0"
    assert view.sentence_label.text() == "句子" and "最高的是“dog”" in view.loss_label.text()
    assert view.token_loss_map.row_labels == ["句子 0", "句子 1"]
    assert view.head_grad_map.col_labels == ["头 0", "头 1"]
    assert view.grad_bars.getAxis("bottom").labelText == "‖∇‖"
    assert view.token_loss_bars.getPlotItem().titleLabel.text == "每个目标词元的损失"
    assert [view.kind_combo.itemData(i) for i in range(3)] == ["cross", "enc_self", "dec_self"]
    assert view.kind_combo.itemText(1) == "编码器自注意力"
    assert view.probe_note.text() == "这一步没有带探针句子。"
    # The step shown and the stage stay.
    assert view.stack.currentIndex() == 1 and view.detail is detail
    assert np.allclose(view.token_loss_bars.values, [1.0, 2.0])

    switch(language, "en")
    assert view.stage_label.text() == "2 · Forward: loss per token"
    assert view.batch_table.verticalHeaderItem(1).text() == "target 0"
    assert view.token_loss_map.row_labels == ["sentence 0", "sentence 1"]


def test_a_loaded_model_keeps_its_choices_across_switches(language, qtbot, panel, session):
    session.build(tiny_factory())
    setup = panel.setup
    qtbot.waitUntil(lambda: setup.rebuild_button.isEnabled(), timeout=20000)
    chosen = (setup.tokenizer_combo.currentData(), setup.pos_combo.currentData(),
              setup.heads_spin.value(), setup.d_model_spin.value())
    assert chosen[0] == "word" and setup.tokenizer_combo.currentText() == "words"
    config = setup.choice().model_config(session.model_config)
    switch(language, "zh")
    assert setup.tokenizer_combo.currentText() == "词"
    assert panel.curves_note.text().startswith("训练时不做验证；")  # the tiny model validates never
    assert (setup.tokenizer_combo.currentData(), setup.pos_combo.currentData(),
            setup.heads_spin.value(), setup.d_model_spin.value()) == chosen
    assert setup.choice().model_config(session.model_config) == config  # the values, not the shown names
    switch(language, "en")
    assert setup.tokenizer_combo.currentText() == "words"


def test_every_control_has_a_tooltip_in_both_languages(language, qtbot, panel):
    found = controls(panel)
    assert len(found) > 20
    for code in ("en", "zh"):
        switch(language, code)
        missing = [(type(w).__name__, w.text() if isinstance(w, QAbstractButton) else "")
                   for w in found if not w.toolTip().strip()]
        assert not missing, (code, missing)
    assert panel.slow.kind_combo.toolTip() == "比较探针句子的哪一种注意力"
