"""Unknown source words are marked on the attention views' axes by colour, not only named
in the line above: the label in UNKNOWN_COLOR, a tooltip saying what <unk> means."""
from __future__ import annotations

import dataclasses

import numpy as np
from PySide6.QtGui import QColor

from explorer.widgets.heatmap import TokenHeatmap
from explorer.widgets.source_notice import UNKNOWN_COLOR
from model.source_check import check_source
from tests.explorer.test_attention_panel import (  # noqa: F401
    SRC_TOK,
    Selection,
    deliver,
    make_trace,
    model,
    panel,
)


def orange_pixels(heatmap: TokenHeatmap, side: str) -> int:
    """Pixels of the axis drawn near UNKNOWN_COLOR."""
    axis = heatmap.axes[side]
    rect = heatmap.view.mapFromScene(axis.sceneBoundingRect()).boundingRect()
    image = heatmap.view.grab(rect).toImage()
    want = QColor(UNKNOWN_COLOR)
    count = 0
    for y in range(image.height()):
        for x in range(image.width()):
            c = image.pixelColor(x, y)
            count += abs(c.red() - want.red()) + abs(c.green() - want.green()) + abs(c.blue() - want.blue()) < 60
    return count


def test_an_unknown_tokens_axis_label_is_coloured_and_explained(qtbot):
    heatmap = TokenHeatmap()
    qtbot.addWidget(heatmap)
    heatmap.resize(900, 300)  # wide enough for every label (narrower axes thin them out)
    heatmap.show()
    values = np.full((2, 3), 0.3, dtype=np.float32)
    heatmap.set_matrix(values, ["der", "Hund"], ["the", "dog", "sleeps"], scale="prob")
    qtbot.wait(50)
    assert orange_pixels(heatmap, "top") == 0 and heatmap.axes["top"].toolTip() == ""
    heatmap.set_matrix(values, ["der", "Hund"], ["the", "⚠<unk>:astronaut", "sleeps"], scale="prob")
    qtbot.wait(50)
    assert orange_pixels(heatmap, "top") > 10 and orange_pixels(heatmap, "left") == 0
    assert "<unk>" in heatmap.axes["top"].toolTip() and heatmap.axes["left"].toolTip() == ""


def test_the_lines_view_colours_an_unknown_source_token(qtbot, panel, model):  # noqa: F811
    text = "the astronaut sees a cat ."
    trace = dataclasses.replace(make_trace(model), source={"text": text, **check_source(SRC_TOK, text, 32).to_dict()})
    panel.select(Selection("enc_self", 0, 0))
    panel.open_tab("lines")
    deliver(qtbot, panel, trace)
    colours = {item.toPlainText(): item.color.name() for item in panel.lines._texts}
    assert colours["⚠dog:astronaut"] == QColor(UNKNOWN_COLOR).name()
    assert colours["the"] != QColor(UNKNOWN_COLOR).name()
