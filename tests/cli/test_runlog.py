"""Run logs: the JSON Lines file beside every checkpoint, and TensorBoard event files."""
import json

import numpy as np
import pytest

import main
from model.runlog import RunLogError, attention_image, default_path, read_run_log
from tests.tiny import TINY_MODEL


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    folder = tmp_path_factory.mktemp("runlog")
    config = folder / "tiny.json"
    config.write_text(json.dumps({"model": TINY_MODEL, "train": {"batch_tokens": 256, "warmup": 20,
                                                                 "eval_sentences": 10, "eval_every": 2}}))
    out = folder / "run.safetensors"
    code = main.main(["train", "--corpus", "builtin:en-de:800", "--steps", "4", "--config", str(config),
                      "--out", str(out), "--device", "cpu", "--tensorboard", str(folder / "tb")])
    assert code == 0
    return folder, out


def test_every_step_and_evaluation_is_logged_beside_the_checkpoint(trained):
    folder, out = trained
    path = folder / "run.runlog.jsonl"
    assert default_path(out) == path
    first = json.loads(path.read_text().splitlines()[0])
    assert first["kind"] == "config"
    assert first["train"]["eval_every"] == 2 and first["train"]["label_smoothing"] == 0.1  # defaults filled in
    assert first["model"]["d_model"] == TINY_MODEL["d_model"] and first["options"]["steps"] == 4
    assert first["world_size"] == 1 and first["effective_batch_tokens"] == 256
    log = read_run_log(path)
    assert list(log.steps["step"]) == [1, 2, 3, 4]
    assert np.all(np.isfinite(log.steps["loss"])) and np.all(log.steps["tokens"] > 0)
    assert list(log.evals["step"]) == [2, 4] and np.all(np.isfinite(log.evals["valid_bleu"]))
    assert log.ends[0]["checkpoint"] == str(out) and log.bad_lines == 0


def test_a_log_cut_short_is_read_up_to_the_cut(tmp_path, trained):
    text = (trained[0] / "run.runlog.jsonl").read_text()
    cut = tmp_path / "cut.runlog.jsonl"
    cut.write_text(text[: text.rindex('{"kind": "step"') + 20])
    log = read_run_log(cut)
    assert list(log.steps["step"]) == [1, 2, 3] and log.bad_lines == 1 and not log.ends
    other = tmp_path / "other.jsonl"
    other.write_text('{"a": 1}\n')
    with pytest.raises(RunLogError, match="not a Transformer Explorer run log"):
        read_run_log(other)


def test_tensorboard_reads_the_scalars_and_attention_images(trained):
    event_accumulator = pytest.importorskip("tensorboard.backend.event_processing.event_accumulator")
    events = event_accumulator.EventAccumulator(str(trained[0] / "tb"), size_guidance={"images": 0, "scalars": 0})
    events.Reload()
    tags = events.Tags()
    assert {"train/loss", "train/lr", "train/grad_norm", "valid/loss", "valid/bleu"} <= set(tags["scalars"])
    assert [e.step for e in events.Scalars("train/loss")] == [1, 2, 3, 4]
    log = read_run_log(trained[0] / "run.runlog.jsonl")
    assert np.allclose([e.value for e in events.Scalars("train/loss")], log.steps["loss"], rtol=1e-6)
    assert [e.step for e in events.Images("attention/cross")] == [2, 4]


def test_attention_image_puts_heads_side_by_side():
    weights = np.zeros((2, 3, 4))
    weights[:, :, 0] = 1.0
    image = attention_image(weights, cell=2)
    assert image.shape == (1, 6, 2 * (4 * 2 + 1) - 1)
    assert image[0, 0, 0] == 0.0 and image[0, 0, 2] == 1.0 and image[0, 0, 8] == 1.0  # gap column
