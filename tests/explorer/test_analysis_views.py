"""The Analysis panel's views as a person reads them, fed the worker's answers for the tiny
two-layer model (no Session): what a view shows first, and that its numbers are in sight."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from explorer.logic.analysis import compute
from explorer.panels.analysis.beam import BeamView
from explorer.panels.analysis.heads import HeadsView
from explorer.panels.analysis.state import finals_matrix
from explorer.panels.analysis.views import RolloutView, fmt
from tests.tiny import trained_tiny_trainer

SENTENCE = "the dog sees a cat ."


@pytest.fixture(scope="module")
def trainer():
    return trained_tiny_trainer()


def test_the_rollout_is_shown_through_every_layer_first(qtbot, trainer):
    """Rollout means the layers multiplied up to the last: that is what the tab opens on;
    a layer a person picks stays for the next sentence of the same model."""
    view = RolloutView()
    qtbot.addWidget(view)
    result = compute(trainer, "rollout", SENTENCE)
    enc = result.report.enc
    assert len(enc) == 2 and not np.allclose(enc[0], enc[1])
    view.show_result(result)
    assert view.layer_spin.value() == view.layer_spin.maximum() == 1
    assert np.allclose(view.maps[0].values, enc[1], atol=1e-6) and view.matrices()[0].name == "rollout.encoder.L1"
    assert "after layer 1" in view.maps[0]._title
    view.layer_spin.setValue(0)  # a person looks at the first layer alone
    assert np.allclose(view.maps[0].values, enc[0], atol=1e-6) and view.matrices()[0].name == "rollout.encoder.L0"
    view.show_result(compute(trainer, "rollout", "a cat sees the dog ."))
    assert view.layer_spin.value() == 0


def test_the_beam_finals_show_their_numbers_before_the_text(qtbot, trainer):
    """The hypotheses are long, the numbers short: numbers first, the hypothesis last (it was
    the row header, and pushed 'normalised' and 'chosen' out of a half-screen panel)."""
    view = BeamView()
    qtbot.addWidget(view)
    result = compute(trainer, "beam", SENTENCE, {"beam": 3, "top": 3})
    tree = result.report
    view.show_result(result)
    m = finals_matrix(tree)
    table = view.finals
    heads = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert heads == ["score (sum of log p)", "length", "penalty", "normalised", "chosen", "hypothesis"]
    assert table.rowCount() == len(tree.finals)
    texts = result.extra["finals"]  # each hypothesis as text, decoded as translations are
    assert texts[tree.best] == result.extra["translation"]
    assert texts == tuple(trainer.translator.tgt_tok.decode(tree.prefix_ids(f.node)) for f in tree.finals)
    for r in range(table.rowCount()):
        assert table.item(r, 5).text() == texts[r] and table.item(r, 5).toolTip() == m.rows[r]
        assert table.item(r, 0).text() == fmt(float(m.values[r, 0]), 4)
        assert table.item(r, 3).text() == fmt(float(m.values[r, 3]), 4)
        assert table.item(r, 4).text() == ("yes" if r == tree.best else "")
        assert table.item(r, 3).font().bold() == (r == tree.best)


def test_heads_left_out_are_named_as_the_table_names_them(qtbot):
    view = HeadsView()
    qtbot.addWidget(view)
    result = SimpleNamespace(options={"heads": (("enc_self", 0, 1), ("dec_self", 1, 0), ("cross", 1, 3))},
                             translation="Wir hören.", report="Wir.")
    view.show_without(result)
    text = view.without_label.text()
    assert "Without enc L0 H1, dec L1 H0, cross L1 H3:" in text and "enc_self" not in text
    assert "“Wir hören.”" in text and "“Wir.”" in text


def test_a_view_whose_result_is_gone_shows_nothing_of_it(qtbot, trainer):
    """A view left without a result (another model, another sentence on its way) shows no
    matrix, table or tree of the last one: its labels would name tokens no longer asked about."""
    from explorer.panels.analysis.views import AttributionView, LensView

    views = {"attribution": AttributionView(), "rollout": RolloutView(), "lens": LensView(),
             "beam": BeamView()}
    for name, view in views.items():
        qtbot.addWidget(view)
        view.show_result(compute(trainer, name, SENTENCE, {"steps": 4} if name == "attribution" else {}))
    beam = views["beam"]
    tree = beam.result.report
    beam.show_prefix(compute(trainer, "prefix", SENTENCE, {"prefix": tuple(tree.prefix_ids(1))}))
    maps = [views["attribution"].attribution, views["attribution"].cross, *views["rollout"].maps,
            beam.prefix_map]
    assert all(m.values.size and m.row_labels for m in maps)
    assert views["lens"].table.rowCount() and beam.tree.topLevelItemCount() and beam.finals.rowCount()

    beam.show_result(beam.result)  # a new tree: the prefix clicked in the old one is gone
    assert beam.prefix_map.values.size == 0 and beam.prefix_map.row_labels == []
    assert beam.prefix_map._title == "click a node of the tree"

    for view in views.values():
        view.show_result(None)
    assert all(m.values.size == 0 and m.row_labels == [] and m.col_labels == [] for m in maps)
    assert views["lens"].table.rowCount() == 0 and views["lens"].table.columnCount() == 0
    assert beam.tree.topLevelItemCount() == 0 and beam.finals.rowCount() == 0
    assert all(view.matrices() == [] for view in views.values())
    views["rollout"].show_result(compute(trainer, "rollout", SENTENCE))  # and draws again
    assert views["rollout"].maps[1].values.shape == views["rollout"].result.report.relevance.shape


def test_the_beam_finals_without_their_texts_show_the_tokens(qtbot, trainer):
    view = BeamView()
    qtbot.addWidget(view)
    result = compute(trainer, "beam", SENTENCE, {"beam": 2, "top": 2})
    view.show_result(SimpleNamespace(**{**result.__dict__, "extra": {"translation": "x"}}))
    rows = finals_matrix(result.report).rows
    assert [view.finals.item(r, 5).text() for r in range(view.finals.rowCount())] == list(rows)
