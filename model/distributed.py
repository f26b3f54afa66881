"""Data-parallel training under ``torchrun``: PyTorch's DistributedDataParallel, nothing more.

``torchrun --nproc-per-node N main.py train ...`` starts N processes (ranks) with
``RANK``, ``LOCAL_RANK``, ``WORLD_SIZE`` and the rendezvous address in their environment.
Each rank:

- joins the process group (NCCL on CUDA GPUs, one GPU per local rank; gloo on CPU);
- builds the same trainer from the same seed (or the same ``--resume`` checkpoint); the
  weights are then compared across ranks (:func:`attach` raises if any rank differs);
- wraps the model in ``DistributedDataParallel``, which averages the gradients in
  ``backward``;
- draws the same shuffled list of length-bucketed batches each epoch (same seed) and
  trains on every N-th batch, starting at its rank (``Trainer._next_batch``): one global
  step consumes N batches, one per rank, and the batches left over at the end of an epoch
  (fewer than N) are dropped;
- scales its loss so that the averaged gradient is the gradient of the mean loss over the
  target tokens of all ranks' batches taken together (:func:`global_mean_loss`), i.e.
  exactly what one process would compute on the N batches as one step;
- draws its dropout masks from ``seed + rank`` (plus ``world_size * step`` when resumed), so
  ranks drop different units.

Rank 0 alone evaluates, prints, writes the run log and the checkpoint. The learning-rate
schedule counts global steps (one per optimiser step, all ranks together), so warm-up
lasts the same number of updates whatever N; the effective batch is N times a rank's.

A plain ``python main.py train`` (no ``WORLD_SIZE`` > 1) uses none of this.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import torch

from model.train import Trainer, resolve_device


@dataclass(frozen=True)
class Scale:
    """Where this process stands: rank r of world_size processes (1: a plain run)."""

    rank: int = 0
    world_size: int = 1
    local_rank: int = 0
    backend: str | None = None

    @property
    def distributed(self) -> bool:
        return self.world_size > 1

    @property
    def is_main(self) -> bool:
        """Rank 0: the process that evaluates, logs and writes checkpoints."""
        return self.rank == 0

    def agree(self, flag: bool) -> bool:
        """True on every rank when it is True on any (stop requests, time limits), so all
        ranks leave the training loop after the same step."""
        if not self.distributed:
            return flag
        import torch.distributed as dist

        t = torch.tensor([1.0 if flag else 0.0], device=_collective_device(self))
        dist.all_reduce(t, op=dist.ReduceOp.MAX)
        return bool(t.item())

    def local_rank_zero_first(self, wanted: bool, before: bool) -> None:
        """Called before and after work that local rank 0 should do first (building a
        token cache): the other ranks wait at a barrier before it, rank 0 after it."""
        if self.distributed and wanted and before == (self.local_rank != 0):
            self.barrier()

    def barrier(self) -> None:
        if self.distributed:
            import torch.distributed as dist

            dist.barrier()

    def close(self) -> None:
        """Leave the process group, all ranks together: a rank that destroys its group
        while another still works can abort in gloo's threads (``terminate called without
        an active exception``), so every rank first waits at a barrier."""
        if self.distributed:
            import torch.distributed as dist

            if dist.is_initialized():
                dist.barrier()
                dist.destroy_process_group()


def _collective_device(scale: Scale) -> torch.device:
    return torch.device("cuda", torch.cuda.current_device()) if scale.backend == "nccl" else torch.device("cpu")


def from_env(device: str = "auto") -> tuple[Scale, str]:
    """Join torchrun's process group when ``WORLD_SIZE`` > 1, else a plain run.

    Returns the Scale and the device name the trainer should use: "cuda" (with this
    process's GPU made current: GPU ``LOCAL_RANK``) or what was asked for.
    """
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return Scale(), device
    import torch.distributed as dist

    rank, local_rank = int(os.environ.get("RANK", "0")), int(os.environ.get("LOCAL_RANK", "0"))
    kind = resolve_device(device).type
    if kind == "cuda":
        if local_rank >= torch.cuda.device_count():
            raise ValueError(f"local rank {local_rank} has no GPU: this machine has "
                             f"{torch.cuda.device_count()}; start at most that many processes per node")
        torch.cuda.set_device(local_rank)
        backend = "nccl"
    elif kind == "cpu":
        backend = "gloo"
    else:
        raise ValueError(f"distributed training runs on CUDA GPUs (NCCL) or CPUs (gloo), not {kind}")
    if not dist.is_initialized():
        dist.init_process_group(backend=backend)
    return Scale(rank, world, local_rank, backend), kind


def weight_fingerprint(trainer: Trainer) -> torch.Tensor:
    """Sum and sum of squares of every parameter, in float64, and the data sizes: equal
    on every rank when the ranks built the same model on the same data."""
    rows = [torch.stack([p.detach().double().sum(), p.detach().double().pow(2).sum()]).cpu()
            for p in trainer.model.parameters()]
    sizes = torch.tensor([len(trainer.data["train"].src), trainer.src_tok.vocab_size,
                          trainer.tgt_tok.vocab_size, trainer.step_count], dtype=torch.float64)
    return torch.cat([torch.cat(rows), sizes])


def check_same_everywhere(trainer: Trainer, scale: Scale) -> None:
    """Raise RuntimeError on every rank unless all ranks hold the same weights and data."""
    import torch.distributed as dist

    mine = weight_fingerprint(trainer).to(_collective_device(scale))
    reference = mine.clone()
    dist.broadcast(reference, src=0)
    same = torch.tensor([1.0 if torch.equal(mine, reference) else 0.0], device=mine.device)
    dist.all_reduce(same, op=dist.ReduceOp.MIN)
    if not same.item():
        raise RuntimeError("the ranks built different models or read different data (their weights, "
                           "vocabularies or training-pair counts differ); give every rank the same "
                           "corpus, config, seed and checkpoint")


def attach(trainer: Trainer, scale: Scale) -> None:
    """Make ``trainer`` one rank of a data-parallel run (no-op for a plain run).

    Checks that every rank holds the same weights and data, wraps the model in
    DistributedDataParallel, gives the rank its own dropout randomness and, on ranks
    other than 0, turns off evaluation and snapshots.
    """
    if not scale.distributed:
        return
    from torch.nn.parallel import DistributedDataParallel

    check_same_everywhere(trainer, scale)
    n_batches = len(trainer.data["train"].batches(trainer.train_cfg.batch_tokens, np.random.default_rng(0)))
    if n_batches < scale.world_size:
        raise ValueError(f"the training data makes {n_batches} batch(es) per epoch, fewer than the "
                         f"{scale.world_size} processes: use more data or a smaller batch_tokens")
    trainer.rank, trainer.world_size = scale.rank, scale.world_size
    trainer.loss_across_ranks = global_mean_loss
    device_ids = [scale.local_rank] if trainer.device.type == "cuda" else None
    trainer.train_module = DistributedDataParallel(trainer.model, device_ids=device_ids)
    # Dropout differs per rank (and a resumed run does not repeat the masks it began with).
    torch.manual_seed(trainer.train_cfg.seed + scale.rank + scale.world_size * trainer.step_count)
    if not scale.is_main:
        trainer.train_cfg = trainer.train_cfg.replace(eval_every=0, snapshot_every=0)


def global_mean_loss(loss_sum: torch.Tensor, n_tokens: torch.Tensor) -> tuple[torch.Tensor, int]:
    """This rank's loss for ``backward`` and the step's target tokens across all ranks.

    ``loss_sum`` is the rank's summed token loss over its ``n_tokens`` target tokens.
    DistributedDataParallel averages gradients over the N ranks, so the rank backpropagates
    ``loss_sum * N / total_tokens``: the average is then the gradient of the mean token
    loss over all ranks' tokens together. The returned tensor's value is that global mean
    (what is reported); its gradient is the rank's share.
    """
    import torch.distributed as dist

    stats = torch.stack([loss_sum.detach().double(), n_tokens.double()])
    dist.all_reduce(stats)
    total_loss, total_tokens = float(stats[0]), float(stats[1])
    share = loss_sum * (dist.get_world_size() / max(total_tokens, 1.0))
    mean = total_loss / max(total_tokens, 1.0)
    return share + (mean - share.detach()), int(total_tokens)


def compile_training(trainer: Trainer, backend: str = "inductor") -> None:
    """Train through ``torch.compile`` of the (possibly DDP-wrapped) model; evaluation,
    decoding and traces keep using the plain model. The first steps are slow while it
    compiles (again for each new batch shape until it compiles for dynamic shapes); on
    CPU the default backend needs a C++ compiler."""
    module = trainer.model if trainer.train_module is None else trainer.train_module
    trainer.train_module = torch.compile(module, backend=backend)
