"""The word2vec panel's Qt-free part (explorer/logic/word2vec.py), without a QApplication."""
from __future__ import annotations

import numpy as np

from explorer.logic import word2vec as logic

TEXTS = [f"the {a} sees the {b} ." for a in ("dog", "cat", "bird") for b in ("red ball", "green tree")]


def test_state_steps_and_what_an_export_writes():
    state = logic.Word2VecState()
    state.take_setup(logic.build_cbow(TEXTS, "en", window=3, dim=4, lr=0.1, combine="sum"))
    assert logic.exported(state)[-1][0] == "E" and state.losses == []
    state.take_step(state.setup.trainer.step())
    names = [name for name, *_ in logic.exported(state)]
    assert names == ["context_rows", "top_probs", "row_change", "loss", "E"]
    rows, labels = logic.step_rows(state)
    np.testing.assert_allclose(rows[-1], rows[:-1].sum(0), atol=1e-5)
    assert labels[-1] == "= sum" and len(labels) == len(rows)
    ids, p = logic.top_probs(state.last_step)
    assert int(state.last_step.center_ids[0]) in ids and np.all(np.diff(p[:logic.TOP_K]) <= 0)
    note = logic.step_note(state)
    assert note["loss"] == float(-np.log(note["p"])) and note["mean"] == state.losses[-1]
    snap = logic.snapshot(state)
    assert snap.name == "cbow" and np.array_equal(snap.matrix, state.embeddings)


def test_running_mean_of_the_loss():
    x, y, mx, my = logic.running_mean([4.0] * 100 + [2.0] * 100)
    assert len(x) == 200 and len(mx) == 197 and my[0] == 4.0 and my[-1] == 2.0
    assert [len(a) for a in logic.running_mean([])] == [0, 0, 0, 0]


def test_play_steps_trains_in_chunks_the_state_takes():
    setup = logic.build_cbow(TEXTS, "en", window=3, dim=4, lr=0.1, combine="mean")
    state = logic.Word2VecState()
    state.take_setup(setup)
    chunks = list(logic.play_steps(setup.trainer, 40, setup.classes))
    assert sum(len(losses) for losses, *_ in chunks) == 40 == setup.trainer.step_count
    for chunk in chunks:
        state.take_chunk(chunk)
    losses, last, E, purity = chunks[-1]
    assert state.losses == [x for c in chunks for x in c[0]] and last.loss == losses[-1]
    assert last.step == 40 and state.last_step is last
    np.testing.assert_array_equal(E, setup.trainer.embeddings)
    assert purity == logic.purity(setup, E) and 0.0 <= purity <= 1.0
    endless = logic.play_steps(setup.trainer, None, setup.classes)  # until the job is told to quit
    next(endless), next(endless)
    assert setup.trainer.step_count > 40


def test_chance_purity_and_no_purity_without_classes():
    assert logic.chance_purity(["a", "a", "b", "b", None]) == 1 / 3  # another point shares: 1 of 3
    assert logic.chance_purity(["a", None]) == 0.0
    setup = logic.build_cbow(["xq zv wk ."], "en", window=3, dim=4, lr=0.1, combine="sum")
    assert sum(c is not None for c in setup.classes) < 2 and logic.purity(setup, setup.trainer.embeddings) is None
