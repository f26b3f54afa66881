"""A step whose loss or gradients are not finite puts back the last good weights and
Adam state kept in memory, so lowering the learning rate lets training go on."""
import math

import pytest
import torch

from model import train
from tests.tiny import tiny_trainer


def test_a_blown_up_step_restores_the_last_good_weights_and_training_goes_on():
    trainer = tiny_trainer(d_model=16, n_heads=2, n_layers=1, d_ff=32)
    for _ in range(13):
        trainer.step()
    trainer.set_lr(1e6)
    for _ in range(10):
        report = trainer.step()
        if report.nonfinite:
            break
    assert report.nonfinite and report.restored_step is not None
    assert report.restored_step >= 13 - train.GOOD_STATE_EVERY
    assert trainer.step_count == report.restored_step
    for p in trainer.model.parameters():
        assert torch.isfinite(p).all() and p.abs().max() < 100
    for state in trainer.optimizer.state.values():
        assert all(torch.isfinite(v).all() for v in state.values())
    trainer.set_lr(1e-3)
    for _ in range(3):
        report = trainer.step()
        assert not report.nonfinite and math.isfinite(report.loss) and report.loss < 10


def blow_up_and_check_restored(trainer) -> None:
    """After GOOD_STATE_EVERY steps: a huge rate ruins the weights; the step that fails puts
    back those of step GOOD_STATE_EVERY, bit for bit."""
    before = [p.detach().clone() for p in trainer.model.parameters()]
    trainer.set_lr(1e6)
    trainer.step()  # step GOOD_STATE_EVERY + 1: keeps the weights above, then ruins them
    assert max(float(p.detach().abs().max()) for p in trainer.model.parameters()) > 1e3
    for _ in range(5):
        report = trainer.step()
        if report.nonfinite:
            break
    assert report.nonfinite and report.restored_step == train.GOOD_STATE_EVERY
    for a, b in zip(before, trainer.model.parameters()):
        assert torch.equal(a, b)


def test_the_kept_weights_are_those_before_the_ruinous_update():
    """The copy is taken before an update, from weights whose loss was just seen to be
    sane, so a single step with a huge rate cannot spoil it."""
    trainer = tiny_trainer(d_model=16, n_heads=2, n_layers=1, d_ff=32)
    for _ in range(train.GOOD_STATE_EVERY):
        trainer.step()
    blow_up_and_check_restored(trainer)


def test_a_large_models_recovery_copy_lives_in_a_file_and_comes_back_exactly(monkeypatch):
    """Over GOOD_STATE_ADAM_MAX parameters no copy of the weights stays in memory (nor
    Adam's state); a blow-up still puts back the weights bit for bit."""
    from model.memory import SpilledTensors

    monkeypatch.setattr(train, "GOOD_STATE_ADAM_MAX", 0)
    trimmed = []
    monkeypatch.setattr(train, "release_freed_memory", lambda: trimmed.append(1) or True)
    trainer = tiny_trainer(d_model=16, n_heads=2, n_layers=1, d_ff=32)
    for _ in range(train.GOOD_STATE_EVERY):
        trainer.step()
    good = trainer._good
    assert isinstance(good["params"], SpilledTensors) and good["optim"] == {} and not good["with_optim"]
    assert all(p.grad is None for p in trainer.model.parameters())  # freed after each step
    assert len(trimmed) == train.GOOD_STATE_EVERY  # and the heap handed back after each step
    blow_up_and_check_restored(trainer)
    assert trainer.optimizer.state == {} or all(not s for s in trainer.optimizer.state.values())


def test_spilled_tensors_round_trip_every_dtype_and_layout():
    from model.memory import SpilledTensors

    tensors = [torch.randn(3, 5), torch.randn(4).to(torch.bfloat16), torch.arange(6).view(2, 3).t(),
               torch.tensor(2.5, dtype=torch.float64)]
    spilled = SpilledTensors()
    spilled.write(tensors)
    targets = [torch.zeros_like(t) for t in tensors]
    targets[2] = torch.zeros(2, 3, dtype=torch.int64).t()  # not contiguous: read through a buffer
    spilled.read_into(targets)
    for a, b in zip(tensors, targets):
        assert torch.equal(a, b)
    with pytest.raises(ValueError):
        spilled.read_into(targets[:2])
    spilled.close()
