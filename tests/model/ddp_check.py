"""Run under torchrun by test_distributed.py: two CPU processes (gloo) train a tiny model.

Checks, after every step, that both ranks hold identical parameters and that they equal
(within 1e-5) those of one plain process that takes both ranks' batches as one step; the
averaged gradients equal that process's gradients within 1e-5 too. Rank 0 writes the
findings as JSON to the path given as the first argument.

Both use plain SGD at a constant learning rate of 1 instead of the trainer's Adam: with
Adam, elements whose gradient is zero in exact arithmetic (the key projection's bias: a
constant added to every score of a softmax row changes nothing) come out as rounding noise
of about 1e-10 whose sign depends on the order of summation, and Adam, which divides each
gradient by its own size, turns that noise into a step of about the learning rate in
either direction; two plain processes that sum the same batch in different orders differ
there just as much. SGD moves each parameter by its gradient, so the comparison is exact
up to rounding. The gradients are what DistributedDataParallel averages; the optimiser
then runs alike on every rank (checked by the ranks' identical parameters).
"""
import json
import sys
from pathlib import Path

import numpy as np
import torch
import torch.distributed as dist

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from model import distributed
from model.train import Trainer
from tests.tiny import TINY_MODEL, TINY_TRAIN, tiny_corpus

STEPS = 4


def flat(trainer: Trainer) -> torch.Tensor:
    return torch.cat([p.detach().reshape(-1) for p in trainer.model.parameters()])


def with_sgd(trainer: Trainer) -> Trainer:
    trainer.optimizer = torch.optim.SGD(trainer.model.parameters(), lr=trainer.train_cfg.lr)
    return trainer


def keep_gradients(trainer: Trainer, into: list) -> None:
    """Record the gradients of each step just before the optimiser applies them."""
    update = trainer._update

    def recording(finite: bool, loss=None) -> None:
        into.append(torch.cat([p.grad.reshape(-1) for p in trainer.model.parameters()]))
        update(finite, loss)

    trainer._update = recording


def main(out: str) -> None:
    scale, device = distributed.from_env("cpu")
    cfg = TINY_TRAIN.replace(device=device, schedule="constant", lr=1.0, warmup=1)
    corpus = tiny_corpus()
    trainer = with_sgd(Trainer.from_corpus(corpus, model_config=TINY_MODEL, train_cfg=cfg))
    findings = {"world_size": scale.world_size, "backend": scale.backend}

    # A rank whose weights differ is refused on every rank.
    with torch.no_grad():
        kept = trainer.model.src_embed.weight[5, 0].item()
        if scale.rank == 1:
            trainer.model.src_embed.weight[5, 0] += 1.0
        try:
            distributed.check_same_everywhere(trainer, scale)
            findings["mismatch_refused"] = False
        except RuntimeError:
            findings["mismatch_refused"] = True
        trainer.model.src_embed.weight[5, 0] = kept

    distributed.attach(trainer, scale)
    draws = [torch.empty(4) for _ in range(scale.world_size)]
    dist.all_gather(draws, torch.rand(4))  # the generator dropout draws from
    findings["randomness_differs"] = not torch.equal(draws[0], draws[1])

    if scale.is_main:  # one process that sees both ranks' batches in one step
        reference = with_sgd(Trainer.from_corpus(corpus, model_config=TINY_MODEL, train_cfg=cfg))
        one = reference._next_indices
        reference._next_indices = lambda: np.concatenate([one() for _ in range(scale.world_size)])
        findings["initial_equal"] = torch.equal(flat(trainer), flat(reference))
        grads, ref_grads = [], []
        keep_gradients(trainer, grads)
        keep_gradients(reference, ref_grads)
    start = flat(trainer).clone()
    for key in ("ranks_equal", "param_diff", "grad_diff", "tokens", "loss"):
        findings[key] = []
    for _ in range(STEPS):
        report = trainer.step()
        params = [torch.empty_like(flat(trainer)) for _ in range(scale.world_size)]
        dist.all_gather(params, flat(trainer))
        if scale.is_main:
            expected = reference.step()
            findings["ranks_equal"].append(all(torch.equal(params[0], p) for p in params[1:]))
            findings["param_diff"].append(float((params[0] - flat(reference)).abs().max()))
            findings["moved"] = float((params[0] - start).abs().max())
            findings["grad_diff"].append(float((grads[-1] - ref_grads[-1]).abs().max()))
            findings["tokens"].append([trainer.step_tokens, expected.tokens])
            findings["loss"].append([report.loss, expected.loss])
        findings["elements"] = int(params[0].numel())
    if scale.is_main:
        Path(out).write_text(json.dumps(findings))
    scale.close()


if __name__ == "__main__":
    main(sys.argv[1])
