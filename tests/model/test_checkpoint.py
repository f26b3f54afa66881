import os
import pickle

import pytest
import torch

from model.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from model.train import Trainer
from tests.tiny import tiny_trainer


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    trainer = tiny_trainer()
    for _ in range(3):
        trainer.step()
    path = trainer.save(tmp_path_factory.mktemp("ckpt") / "tiny.safetensors")
    return trainer, path


def test_round_trip_restores_weights_tokenizers_and_step(trained):
    trainer, path = trained
    ckpt = load_checkpoint(path)
    assert ckpt.step == trainer.step_count == 3
    assert ckpt.model_config == trainer.model_config
    assert ckpt.src_tokenizer.tokens() == trainer.src_tok.tokens()
    for name, tensor in trainer.model.state_dict().items():
        assert torch.equal(ckpt.weights[name], tensor.cpu()), name
    restored = Trainer.from_checkpoint(path, corpus=trainer.corpus)
    text = trainer.corpus.split("valid")[0].src
    assert restored.translate([text]) == trainer.translate([text])
    # Adam's moments come back too, so training continues where it stopped.
    assert restored.optimizer.state and len(restored.optimizer.state) == len(trainer.optimizer.state)


def test_truncated_file_gives_one_line_error(trained, tmp_path):
    _, path = trained
    bad = tmp_path / "cut.safetensors"
    bad.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(CheckpointError) as err:
        load_checkpoint(bad)
    assert str(bad) in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("content", [b"", b"hello world", os.urandom(4096), b"\x00" * 100])
def test_non_checkpoint_files_are_rejected(tmp_path, content):
    bad = tmp_path / "x.safetensors"
    bad.write_bytes(content)
    with pytest.raises(CheckpointError):
        load_checkpoint(bad)


class _Exploit:
    def __reduce__(self):
        return (open, (os.environ["EXPLOIT_MARKER"], "w"))


def test_pickle_named_like_a_checkpoint_is_not_executed(tmp_path, monkeypatch):
    marker = tmp_path / "pwned"
    monkeypatch.setenv("EXPLOIT_MARKER", str(marker))
    bad = tmp_path / "model.safetensors"
    with open(bad, "wb") as fh:
        pickle.dump({"weights": _Exploit()}, fh)
    torch.save({"w": torch.zeros(2)}, tmp_path / "torch.safetensors")
    for path in (bad, tmp_path / "torch.safetensors"):
        with pytest.raises(CheckpointError):
            load_checkpoint(path)
    assert not marker.exists()


def test_config_that_does_not_fit_the_vocabulary_is_rejected(trained, tmp_path):
    trainer, _ = trained
    ckpt = trainer.checkpoint()
    ckpt.model_config = ckpt.model_config.replace(src_vocab=ckpt.model_config.src_vocab + 1)
    path = save_checkpoint(tmp_path / "bad.safetensors", ckpt)
    with pytest.raises(CheckpointError, match="vocabulary"):
        load_checkpoint(path)


def test_weights_that_do_not_fit_the_model_are_rejected(trained, tmp_path):
    trainer, _ = trained
    ckpt = trainer.checkpoint(include_optimizer=False)
    name = next(iter(ckpt.weights))
    ckpt.weights = dict(ckpt.weights)
    ckpt.weights[name] = torch.zeros(1)
    path = save_checkpoint(tmp_path / "bad.safetensors", ckpt)
    with pytest.raises(CheckpointError, match="shape|fit"):
        Trainer.from_checkpoint(path, corpus=trainer.corpus)


def test_a_failed_write_leaves_the_old_checkpoint_and_no_temporary(trained, tmp_path, monkeypatch):
    trainer, path = trained
    target = tmp_path / "keep.safetensors"
    target.write_bytes(path.read_bytes())
    before = target.read_bytes()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("model.checkpoint._write_safetensors", crash)
    with pytest.raises(CheckpointError, match=f"^{target}: cannot write the checkpoint \\(disk full\\)$"):
        trainer.save(target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.safetensors"]


def test_restored_optimizer_makes_the_same_update(tmp_path):
    """Adam (fused on the CPU) resumes from a checkpoint: the same gradients give the same
    next weights as in the trainer that wrote it."""
    trainer = tiny_trainer()
    for _ in range(2):
        trainer.step()
    assert trainer.optimizer.param_groups[0]["fused"]
    restored = Trainer.from_checkpoint(trainer.save(tmp_path / "t.safetensors"), corpus=trainer.corpus)
    for group in trainer.optimizer.param_groups + restored.optimizer.param_groups:
        group["lr"] = 1e-3  # Trainer.step sets each step's rate; here the optimiser steps alone
    torch.manual_seed(0)
    for a, b in zip(trainer.model.parameters(), restored.model.parameters()):
        a.grad = torch.randn_like(a)
        b.grad = a.grad.clone()
    trainer.optimizer.step()
    restored.optimizer.step()
    for (name, a), b in zip(trainer.model.named_parameters(), restored.model.parameters()):
        assert torch.equal(a, b), name


def test_a_checkpoint_trained_on_a_gpu_opens_on_a_machine_without_one(trained, tmp_path, monkeypatch):
    import dataclasses

    trainer, path = trained
    ckpt = load_checkpoint(path)
    gpu = tmp_path / "gpu.safetensors"
    save_checkpoint(gpu, dataclasses.replace(ckpt, train_config=ckpt.train_config.replace(device="cuda")))
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    opened = Trainer.from_checkpoint(gpu, corpus=trainer.corpus)  # what the app does
    assert opened.device.type == "cpu" and opened.step_count == 3
    text = trainer.corpus.split("valid")[0].src
    assert opened.translate([text]) == trainer.translate([text])
    with pytest.raises(CheckpointError, match="cuda"):  # asked for by name, it is still refused
        Trainer.from_checkpoint(gpu, corpus=trainer.corpus, device="cuda")
    from model.preview import Preview

    assert Preview(gpu).device.type == "cpu"  # the app's first stage of File > Open
    from model.train import device_present

    assert not device_present("cuda:0") and device_present("cpu")
