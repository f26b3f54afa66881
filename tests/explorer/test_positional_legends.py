"""Positional curves keep their legend off the curves; the encodings' names follow the
interface language."""
from __future__ import annotations

import numpy as np

from explorer.logic.positional import PositionalState
from explorer.panels.positional_compare import CompareTab
from explorer.widgets.position_table import draw_offset_curves, line_plot
from model.corpus import load_corpus
from tests.explorer.ui import switch
from tests.tiny import TINY_MODEL, TINY_TRAIN


def test_the_legend_sits_under_the_curves(qtbot):
    plot = line_plot()
    qtbot.addWidget(plot)
    plot.resize(500, 350)
    plot.show()
    qtbot.waitExposed(plot)
    values = np.sin(np.arange(40)[None, :] / 5 + np.arange(6)[:, None])
    draw_offset_curves(plot, values, starts=range(0, 60, 10))
    qtbot.wait(50)
    legend, box = plot.getPlotItem().legend, plot.getPlotItem().getViewBox()
    assert len(legend.items) == 6
    area, key = box.sceneBoundingRect(), legend.sceneBoundingRect()
    assert key.top() >= area.bottom() and not key.intersects(area)
    assert key.bottom() <= plot.viewport().height() + 1  # and inside the widget
    draw_offset_curves(plot, values[:2], starts=(0, 10))  # a redraw keeps only its entries
    assert len(legend.items) == 2


def test_encoding_names_in_the_legend_and_table_are_translated(qtbot, language):
    state = PositionalState()
    state.take_model(None, TINY_TRAIN, load_corpus("builtin:en-de", max_pairs=200, seed=0), "word",
                     new_model=True)
    tab = CompareTab(state)
    qtbot.addWidget(tab)
    tab.run(1, model_config=TINY_MODEL)
    tab.cancel()
    legend = tab.loss_plot.getPlotItem().legend
    names = [label.text for _sample, label in legend.items]
    assert names == ["none", "sinusoidal", "learned", "rotary (RoPE)"]
    switch(language, "zh")
    assert [label.text for _sample, label in legend.items] == ["无", "正弦", "可学习", "旋转（RoPE）"]
    assert tab.kind_name("learned") == "可学习"
    switch(language, "en")
    assert [label.text for _sample, label in legend.items][0] == "none"
    qtbot.waitUntil(lambda: not tab.running, timeout=20000)
