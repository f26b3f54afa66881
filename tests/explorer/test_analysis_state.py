"""The Analysis panel's Qt-free part (explorer/panels/analysis/state.py) and the worker's side
(explorer/logic/analysis.py), on the tiny model, without a QApplication."""
from __future__ import annotations

import numpy as np
import pytest

from explorer.logic.analysis import DEFAULTS, compute, options_for
from explorer.panels.analysis.state import (
    AnalysisState,
    attribution_matrices,
    attribution_summary,
    best_path,
    finals_matrix,
    head_at,
    lens_cells,
    lens_first_layer,
    lens_matrices,
    most_important,
    node_state,
    prefix_cross,
    rollout_matrices,
    sweep_table,
    tree_children,
    tree_matrix,
)
from model.analysis.heads import heads_off_now
from tests.tiny import trained_tiny_trainer

SENTENCE = "the dog sees a cat ."


@pytest.fixture(scope="module")
def trainer():
    return trained_tiny_trainer()


def test_the_state_asks_for_what_is_missing():
    state = AnalysisState()
    assert state.request("attribution") is None and not state.needs("lens")
    assert state.set_sentence("  a b ") and not state.set_sentence("a b")
    assert state.request("lens") == ("lens", "a b", {"k": 5})
    assert state.needs("lens") and not state.needs("heads")  # the sweep runs only when asked
    assert state.set_option("beam", "beam", 2) and not state.set_option("beam", "beam", 2)
    with pytest.raises(ValueError):
        state.set_option("beam", "width", 2)
    assert options_for("attribution", {"steps": 8}) == {**DEFAULTS["attribution"], "steps": 8}


def test_attribution_view_shows_the_models_numbers(trainer):
    result = compute(trainer, "attribution", SENTENCE, {"steps": 16})
    attr = result.report
    state = AnalysisState(sentence=SENTENCE)
    state.set_option("attribution", "steps", 16)
    state.results["attribution"] = result
    assert not state.needs("attribution")
    a, c = attribution_matrices(attr)
    T, S = len(attr.out_tokens), len(attr.src_tokens)
    assert a.values.shape == (T, S + T) and np.array_equal(a.values[:, :S], attr.src)
    assert a.cols[S:] == tuple("→" + t for t in attr.tgt_tokens) and c.values is attr.cross
    summary = attribution_summary(attr)
    assert summary["correlation"] == attr.correlation()
    assert summary["completeness"] == pytest.approx(attr.completeness_error().max())
    assert result.translation == trainer.translate([SENTENCE])[0]
    grad = compute(trainer, "attribution", SENTENCE, {"method": "grad_input"}).report
    assert np.isnan(attribution_summary(grad)["completeness"])
    # a new sentence forgets the result
    assert state.set_sentence("a cat .") and state.needs("attribution")


def test_rollout_lens_and_beam(trainer):
    roll = compute(trainer, "rollout", SENTENCE)
    enc, rel, cross = rollout_matrices(roll)
    assert np.allclose(rel.values.sum(1), 1.0) and np.allclose(enc.values.sum(1), 1.0)
    assert np.array_equal(enc.values, roll.report.enc[-1]) and cross.values.shape == rel.values.shape

    lens = compute(trainer, "lens", SENTENCE).report
    cells = lens_cells(lens)
    assert len(cells) == len(lens.layers) and len(cells[0]) == len(lens.tgt_tokens)
    assert cells[-1][0].split("\n")[0] == f"{lens.top_tokens[-1][0][0]}  {lens.top_probs[-1, 0, 0]:.2f}"
    top1, final = lens_matrices(lens)
    assert np.array_equal(top1.values, lens.top_probs[:, :, 0]) and final.values is lens.final_prob
    assert all(-1 <= i < len(lens.layers) for i in lens_first_layer(lens))
    assert lens_first_layer(lens)[0] != -1  # the last layer agrees with itself

    result = compute(trainer, "beam", SENTENCE, {"beam": 3, "top": 3})
    tree = result.report
    children = tree_children(tree)
    assert sum(len(c) for c in children.values()) == len(tree.nodes) - 1
    chosen = best_path(tree)
    assert node_state(tree, 0) == "chosen" and {node_state(tree, n.id) for n in tree.nodes} <= {
        "chosen", "finished", "kept", "pruned"}
    nodes = tree_matrix(tree)
    assert nodes.values.shape == (len(tree.nodes), 5)
    assert np.array_equal(nodes.values[:, 2], [n.score for n in tree.nodes])
    finals = finals_matrix(tree)
    assert finals.values[tree.best, 4] == 1.0 and finals.values[:, 4].sum() == 1.0
    assert result.extra["translation"] == trainer.translate([SENTENCE], beam=3)[0]
    node = max(chosen)
    prefix = compute(trainer, "prefix", SENTENCE, {"prefix": tuple(tree.prefix_ids(node))}).report
    m = prefix_cross(prefix)
    assert m.values.shape == (len(prefix.tgt_tokens), len(prefix.src_tokens))


def test_the_sweep_table_and_its_progress(trainer):
    seen = []
    result = compute(trainer, "heads", "", {"pairs": 4}, progress=lambda r: seen.append(r) or len(seen) < 3)
    assert result.cancelled and result.report.done == 3 and len(seen) == 3  # stopped after 2 heads
    assert heads_off_now(trainer.model) == frozenset()  # the masks are restored
    table = sweep_table(result, "loss")
    cfg = trainer.model_config
    assert table.values.shape == (cfg.n_layers + 2 * cfg.dec_layers, cfg.n_heads)
    s = result.report
    assert table.values[0, 0] == s.scores[0].loss - s.base.loss
    assert table.values[0, 1] == s.scores[1].loss - s.base.loss
    assert np.isnan(table.values[0, 2])
    assert head_at(table, 0, 1) == ("enc_self", 0, 1)
    assert head_at(table, len(table.rows) - 1, 3) == ("cross", cfg.dec_layers - 1, 3)
    assert [(r, c) for r, c, _v in most_important(table, "loss", 5)] in ([(0, 0), (0, 1)], [(0, 1), (0, 0)])
    without = compute(trainer, "without", SENTENCE, {"heads": (("cross", 0, 0), ("cross", 1, 0))})
    assert isinstance(without.report, str) and heads_off_now(trainer.model) == frozenset()
