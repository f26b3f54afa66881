"""The training history: recorded while training, saved with the checkpoint, replayable."""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from model.checkpoint import load_checkpoint, save_checkpoint
from model.history import (
    BUDGET_BYTES,
    STEP_COLUMNS,
    History,
    is_scheduled,
    schedule,
)
from tests.tiny import tiny_trainer


@pytest.fixture(scope="module")
def trained():
    trainer = tiny_trainer()
    trainer.train_cfg = trainer.train_cfg.replace(eval_every=20, eval_sentences=10)
    for _ in range(25):
        trainer.step()
    return trainer


def test_schedule_is_log_like():
    assert schedule(2097) == [0, 10, 20, 50, 100, 200, 500, 1000, 2000, 2097]
    assert schedule(100) == [0, 10, 20, 50, 100]
    assert [s for s in range(0, 600) if is_scheduled(s)] == [0, 10, 20, 50, 100, 200, 500]


def test_every_step_and_evaluation_is_recorded(trained):
    h = trained.history
    assert h.step == list(range(1, 26))
    for name in STEP_COLUMNS:
        assert all(math.isfinite(v) for v in h.columns[name]), name
    # the readable cross-entropy has no label smoothing: below the smoothed training loss
    assert np.mean(h.columns["ce"]) < np.mean(h.columns["loss"])
    assert all(0.0 <= a <= 1.0 for a in h.columns["accuracy"])
    assert "encoder.0.self_attn" in h.groups and "src_embed" in h.groups
    assert len(h.group_norms) == 25 and all(len(r) == len(h.groups) for r in h.group_norms)
    assert h.eval_step == [20]
    assert 0.0 <= h.eval_columns["aer"][0] <= 1.0
    assert [s.step for s in h.snapshots] == [0, 10, 20]


def test_snapshot_holds_what_the_panels_redraw(trained):
    snap = trained.history.snapshots[-1]
    probe = trained.trace(*trained.probe)
    assert snap.probe.src_tokens == probe.src_tokens
    assert len(snap.traces) == 3 and len(snap.samples) == 3
    assert snap.src_rows.shape == (trained.src_tok.vocab_size, trained.model_config.d_model)
    weights = snap.probe.cross[1].weights
    assert weights.shape == probe.cross[1].weights.shape
    assert weights.dtype == np.float32 and np.array_equal(weights, weights.astype(np.float16).astype(np.float32))


def test_round_trip_through_save_and_load(trained, tmp_path):
    path = trained.save(tmp_path / "m.safetensors")
    loaded = History.from_section(load_checkpoint(path).sections["history"])
    saved = History.from_section(trained.checkpoint().sections["history"])
    a, b = saved.to_arrays(), loaded.to_arrays()
    assert a.keys() == b.keys()
    for name in a:
        assert np.array_equal(a[name], b[name], equal_nan=True), name
    assert loaded.to_json() == saved.to_json()
    # the last step gets its own snapshot when saved
    assert loaded.snapshots[-1].step == 25
    s, t = saved.snapshots[1], loaded.snapshots[1]
    for x, y in zip(s.probe.cross, t.probe.cross):
        assert np.array_equal(x.weights, y.weights) and np.array_equal(x.q, y.q)
        assert np.array_equal(x.scores, y.scores)
    # 16-bit rounding only
    assert np.allclose(loaded.columns["loss"], trained.history.columns["loss"], rtol=1e-3)


def test_resume_appends(trained, tmp_path):
    from model.train import Trainer

    path = trained.save(tmp_path / "m.safetensors")
    resumed = Trainer.from_checkpoint(path, corpus=trained.corpus, device="cpu")
    for _ in range(30):
        resumed.step()
    h = resumed.history
    assert h.step == list(range(1, 56))
    assert [s.step for s in h.snapshots] == [0, 10, 20, 25, 50]
    again = History.from_section(load_checkpoint(resumed.save(tmp_path / "n.safetensors")).sections["history"])
    assert again.step == list(range(1, 56)) and again.snapshots[-1].step == 55


def test_saving_often_keeps_the_schedule(tmp_path):
    """A run that saves every few steps: each save carries a snapshot of its last step, but
    the run's own history keeps only the schedule, so no save pushes scheduled steps out."""
    trainer = tiny_trainer()
    saved = []
    for _ in range(4):
        for _ in range(7):
            trainer.step()
        path = trainer.save(tmp_path / f"s{trainer.step_count}.safetensors")
        saved.append([s.step for s in History.from_section(load_checkpoint(path).sections["history"]).snapshots])
    assert saved == [[0, 7], [0, 10, 14], [0, 10, 20, 21], [0, 10, 20, 28]]
    assert [s.step for s in trainer.history.snapshots] == [0, 10, 20]


def test_budget_drops_off_schedule_snapshots_before_scheduled_ones(trained):
    h = History.from_section(trained.checkpoint().sections["history"])
    extra = dataclasses.replace(h.snapshots[1], step=13)
    h = dataclasses.replace(h, snapshots=sorted([*h.snapshots, extra], key=lambda s: s.step))
    assert [s.step for s in h.snapshots] == [0, 10, 13, 20, 25]
    for which in ("fixed_full", "tgt_rows", "probe_full"):  # what fit_budget drops before snapshots
        h.snapshots = [s if which == "probe_full" and s.step == 25 else s.stripped(which) for s in h.snapshots]
    one = h.snapshots[0].nbytes()
    fitted = dataclasses.replace(h, snapshots=list(h.snapshots)).fit_budget(h.nbytes() - one // 2)
    assert [s.step for s in fitted.snapshots] == [0, 10, 20, 25]


def test_old_checkpoint_without_history_loads(trained, tmp_path):
    from model.train import Trainer

    ckpt = trained.checkpoint()
    ckpt = dataclasses.replace(ckpt, sections={k: v for k, v in ckpt.sections.items() if k != "history"})
    path = save_checkpoint(tmp_path / "old.safetensors", ckpt)
    assert "history" not in load_checkpoint(path).sections
    resumed = Trainer.from_checkpoint(path, corpus=trained.corpus, device="cpu")
    assert len(resumed.history) == 0
    resumed.step()
    assert resumed.history.step == [26]


def test_budget_drops_detail_in_order(trained):
    h = History.from_section(trained.checkpoint().sections["history"])
    size = h.nbytes()
    small = dataclasses.replace(h, snapshots=list(h.snapshots)).fit_budget(size // 2)
    assert small.nbytes() <= size // 2
    assert [s.step for s in small.snapshots] == [s.step for s in h.snapshots]  # detail went first
    assert small.snapshots[-1].full[0]  # the last probe keeps its computation arrays
    tiny = dataclasses.replace(h, snapshots=list(h.snapshots)).fit_budget(20_000)
    assert len(tiny.snapshots) == 2 and tiny.snapshots[0].step == 0
    assert h.nbytes() == size  # the trainer's own history is untouched


def test_shipped_size_budget():
    """A shipped-size run (2,100 steps of the default model) stays under the budget: checked
    on the stored layout with synthetic arrays of the shipped shapes."""
    assert BUDGET_BYTES == 5_000_000
    h = History()
    for s in range(1, 2101):
        h.record_step(s, {c: 1.0 for c in STEP_COLUMNS}, {f"g{i}": 1.0 for i in range(12)})
    assert h.to_arrays()["metrics.group_norms"].nbytes == 2100 * 12 * 2


def test_csv_export(trained):
    text = trained.history.to_csv()
    lines = text.splitlines()
    assert lines[0].startswith("step,loss,ce,accuracy,lr,grad_norm,tokens_per_s,grad_norm.")
    assert len(lines) == 26
    assert lines[20].split(",")[0] == "20" and lines[20].split(",")[-1] != ""


def test_inspect_exports_history_and_snapshot(trained, tmp_path):
    import argparse

    from model.cli import inspect_cmd

    path = trained.save(tmp_path / "m.safetensors")
    p = argparse.ArgumentParser()
    inspect_cmd.add_arguments(p)
    csv, npz = tmp_path / "h.csv", tmp_path / "s.npz"
    assert inspect_cmd.run(p.parse_args(["--checkpoint", str(path), "--history", str(csv),
                                         "--snapshot", "15", "--out", str(npz)])) == 0
    assert csv.read_text().startswith("step,loss,ce")
    arrays = np.load(npz, allow_pickle=False)
    snap = trained.history.snapshot_at(15)
    assert snap.step == 10
    assert np.array_equal(arrays["t0.cross.1.weights"], snap.probe.cross[1].weights)
    assert "t0.cross.1.w_q" not in arrays and arrays["samples"].shape == (3, 3)
