import ctypes
import json
import os
import statistics
import subprocess
import sys

import pytest

from tests.conftest import ROOT

# Runs in a fresh process (the allocator settings are process-wide) and prints, as JSON:
# how much of a new 16 MB tensor glibc mapped fresh from the kernel; by how much its heap
# has grown once that tensor and then 40 tensors of 1 MB are freed; and, with "train", the page faults of each of 10 rounds
# of 2 training steps of a small model, after 5 steps of warm-up.
PROBE = """
import ctypes, json, resource, sys
import torch
import torch.nn.functional as F
from model.config import ModelConfig
from model.memory import keep_freed_memory
from model.transformer import Seq2Seq

class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split())]

libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = MallInfo2
MB = 1 << 20
if "keep" in sys.argv:
    assert keep_freed_memory()
report = {}
heap = libc.mallinfo2().arena
before = libc.mallinfo2().hblkhd
big = torch.empty(4 * MB)  # 16 MB of float32
report["mapped_mb"] = (libc.mallinfo2().hblkhd - before) / MB
del big
blocks = [torch.empty(MB // 4) for _ in range(40)]  # 40 blocks of 1 MB
del blocks
report["kept_mb"] = (libc.mallinfo2().arena - heap) / MB

if "train" in sys.argv:
    torch.manual_seed(0)
    cfg = ModelConfig(src_vocab=500, tgt_vocab=500, d_model=128, n_layers=2, d_ff=512)
    model = Seq2Seq(cfg).train()
    src, tgt = torch.randint(4, 500, (64, 24)), torch.randint(4, 500, (64, 25))
    opt = torch.optim.Adam(model.parameters())

    def step():
        loss = F.cross_entropy(model(src, tgt[:, :-1]).flatten(0, 1), tgt[:, 1:].flatten())
        opt.zero_grad()
        loss.backward()
        opt.step()

    for _ in range(5):
        step()
    report["faults_per_step"] = []
    for _ in range(10):
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        for _ in range(2):
            step()
        report["faults_per_step"].append(
            (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / 2)
print(json.dumps(report))
"""


def probe(*modes: str) -> dict:
    # One thread: on a loaded 2-core machine two threads that wait for each other made the
    # 25 steps take over two minutes (and their per-thread heaps added page faults).
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *modes], cwd=ROOT, capture_output=True, text=True, timeout=600,
        env=env,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.splitlines()[-1])


def glibc() -> bool:
    try:
        ctypes.CDLL("libc.so.6").mallinfo2  # noqa: B018 - glibc 2.33 and later
    except (OSError, AttributeError):
        return False
    return sys.platform.startswith("linux")


@pytest.mark.skipif(not glibc(), reason="glibc's malloc settings")
def test_freed_tensor_memory_stays_in_the_heap_for_the_next_step():
    keep = probe("keep", "train")
    # glibc's defaults map a 16 MB block fresh from the kernel (until its moving threshold
    # has grown past 16 MB) and give it back when freed; now it comes from the heap.
    assert keep["mapped_mb"] == 0
    # Freed memory stays in the heap, ready for reuse (by default, glibc returns it to the
    # kernel once more than twice its moving threshold is free at the heap's top).
    assert keep["kept_mb"] > 39
    # So training steps rarely fault fresh pages in; glibc's defaults often cost hundreds
    # per step. (The heap still grows now and then as it fragments: hence the median.)
    assert statistics.median(keep["faults_per_step"]) < 50


@pytest.mark.skipif(not glibc(), reason="glibc's malloc_trim")
def test_freed_memory_can_be_handed_back_to_the_kernel():
    from model.memory import release_freed_memory

    assert release_freed_memory()
