"""A step whose loss or gradients are not finite puts back the last good weights and
Adam state kept in memory, so lowering the learning rate lets training go on."""
import math

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


def test_the_kept_weights_are_those_before_the_ruinous_update():
    """The copy is taken before an update, from weights whose loss was just seen to be
    sane, so a single step with a huge rate cannot spoil it."""
    trainer = tiny_trainer(d_model=16, n_heads=2, n_layers=1, d_ff=32)
    for _ in range(train.GOOD_STATE_EVERY):
        trainer.step()
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
