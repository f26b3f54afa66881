"""Data-parallel training under torchrun: two CPU processes with gloo (model/distributed.py)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import main
from model.distributed import Scale, from_env
from model.runlog import read_run_log
from tests.tiny import TINY_MODEL

ROOT = Path(__file__).resolve().parents[2]


def torchrun(*args: str, timeout: float = 280) -> subprocess.CompletedProcess:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    for name in ("RANK", "LOCAL_RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT"):
        env.pop(name, None)
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node", "2", *args]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def test_a_plain_run_is_not_distributed(monkeypatch):
    monkeypatch.delenv("WORLD_SIZE", raising=False)
    scale, device = from_env("cpu")
    assert scale == Scale() and device == "cpu" and scale.is_main and not scale.distributed
    assert scale.agree(True) and not scale.agree(False)


def test_two_ranks_match_one_process_seeing_both_batches(tmp_path):
    out = tmp_path / "findings.json"
    run = torchrun("tests/model/ddp_check.py", str(out))
    assert run.returncode == 0, run.stderr[-3000:]
    found = json.loads(out.read_text())
    assert found["world_size"] == 2 and found["backend"] == "gloo"
    assert found["initial_equal"] and found["mismatch_refused"] and found["randomness_differs"]
    assert all(found["ranks_equal"])  # identical on both ranks after every step
    assert max(found["param_diff"]) < 1e-5 and max(found["grad_diff"]) < 1e-5
    assert found["moved"] > 0.01  # the steps did change the weights
    for ddp_tokens, one_tokens in found["tokens"]:
        assert ddp_tokens == one_tokens
    for ddp_loss, one_loss in found["loss"]:
        assert abs(ddp_loss - one_loss) < 1e-5


def test_train_resumes_under_torchrun_and_rank_zero_alone_writes(tmp_path, capsys):
    config = tmp_path / "tiny.json"
    config.write_text(json.dumps({"model": TINY_MODEL, "train": {"batch_tokens": 256, "warmup": 20,
                                                                 "eval_sentences": 10, "eval_every": 2}}))
    first = tmp_path / "first.safetensors"
    assert main.main(["train", "--corpus", "builtin:en-de:800", "--steps", "2", "--config", str(config),
                      "--out", str(first), "--device", "cpu"]) == 0
    capsys.readouterr()
    out = tmp_path / "resumed.safetensors"
    run = torchrun("main.py", "train", "--resume", str(first), "--steps", "3", "--out", str(out),
                   "--device", "cpu", "--json")
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["steps"] == 5 and result["checkpoint"] == str(out)
    assert run.stdout.count('"steps"') == 1  # one rank printed
    assert "data parallel: 2 processes (gloo)" in run.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if "resumed" in p.name) == [
        "resumed.runlog.jsonl", "resumed.safetensors"]  # no temporary files left
    log = read_run_log(tmp_path / "resumed.runlog.jsonl")
    assert log.config["world_size"] == 2 and log.config["start_step"] == 2
    assert log.config["effective_batch_tokens"] == 2 * 256
    assert list(log.steps["step"]) == [3, 4, 5]
    assert list(log.evals["step"]) == [4]
    assert len(log.ends) == 1


def test_compiled_training_takes_the_same_steps():
    from model.distributed import compile_training
    from tests.tiny import tiny_trainer

    plain, compiled = tiny_trainer(), tiny_trainer()
    compile_training(compiled, backend="eager")  # dynamo's graph capture, without a C++ compiler
    for _ in range(2):
        a, b = plain.step(), compiled.step()
        assert abs(a.loss - b.loss) < 1e-5
    assert compiled.train_module is not None and compiled.evaluate("valid", n=2)["pairs"] == 2


def test_the_gpu_benchmark_says_plainly_when_there_is_no_gpu():
    import torch

    if torch.cuda.is_available():
        return
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "train_throughput.py"), "--device", "cuda",
                          "--shape", "big", "--json"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and run.stdout == ""
    assert "torch sees no CUDA GPU" in run.stderr
