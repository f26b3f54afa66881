"""The headless commands end to end: train -> translate -> evaluate -> inspect."""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import main
from tests.tiny import TINY_MODEL

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_DE = ROOT / "resources" / "checkpoints" / "en-de.safetensors"


def last_json(out: str) -> dict:
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def tiny_checkpoint(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    config = folder / "tiny.json"
    config.write_text(json.dumps({"model": TINY_MODEL, "train": {"batch_tokens": 256, "warmup": 20,
                                                                 "eval_sentences": 10}}))
    out = folder / "tiny.safetensors"
    return config, out


def test_train_writes_a_checkpoint_and_reports_json(tiny_checkpoint, capsys):
    config, out = tiny_checkpoint
    code = main.main(["train", "--corpus", "builtin:en-de:800", "--steps", "5", "--config", str(config),
                      "--out", str(out), "--device", "cpu", "--json"])
    assert code == 0
    result = last_json(capsys.readouterr().out)
    assert result["steps"] == 5 and result["device"] == "cpu" and result["checkpoint"] == str(out)
    for key in ("train_loss", "valid_loss", "valid_bleu", "tokens_per_s"):
        assert isinstance(result[key], float), key
    assert out.exists()


def test_translate_with_the_shipped_checkpoint_is_correct_german(capsys):
    sentences = ["The small dog sees the red cat.", "I know that the old man has eaten the bread."]
    code = main.main(["translate", "--checkpoint", str(SHIPPED_DE), "--json", *sentences])
    assert code == 0
    result = last_json(capsys.readouterr().out)
    outputs = [t["translation"] for t in result["translations"]]
    assert outputs == ["Der kleine Hund sieht die rote Katze.",
                       "Ich weiß, dass der alte Mann das Brot gegessen hat."]


def test_evaluate_reports_scores_and_alignment_error_rate(tiny_checkpoint, capsys):
    _, ckpt = tiny_checkpoint
    code = main.main(["evaluate", "--checkpoint", str(ckpt), "--corpus", "builtin:en-de:800",
                      "--max-pairs", "20", "--aer-pairs", "5", "--json"])
    assert code == 0
    result = last_json(capsys.readouterr().out)
    assert 0 <= result["bleu"] <= 100 and 0 <= result["chrf"] <= 100 and 0 <= result["token_accuracy"] <= 1
    aer = result["aer"]
    assert np.array(aer["per_head"]).shape == (TINY_MODEL["n_layers"], TINY_MODEL["n_heads"])
    assert aer["best"]["aer"] == pytest.approx(np.min(aer["per_head"]), abs=1e-4)


def test_inspect_saves_every_layer_and_head(tiny_checkpoint, tmp_path, capsys):
    _, ckpt = tiny_checkpoint
    out = tmp_path / "trace.npz"
    code = main.main(["inspect", "--checkpoint", str(ckpt), "--out", str(out), "--json",
                      "--reference", "Der Hund schläft.", "The dog sleeps."])
    assert code == 0
    result = last_json(capsys.readouterr().out)
    arrays = np.load(out)
    H, L = TINY_MODEL["n_heads"], TINY_MODEL["n_layers"]
    S, T = len(arrays["src_tokens"]), len(arrays["tgt_tokens"])
    assert list(arrays["tgt_tokens"]) == ["<bos>", "Der", "Hund", "schläft", "."]
    for layer in range(L):
        assert arrays[f"enc_self.{layer}.weights"].shape == (H, S, S)
        assert arrays[f"dec_self.{layer}.weights"].shape == (H, T, T)
        assert arrays[f"cross.{layer}.weights"].shape == (H, T, S)
        assert arrays[f"cross.{layer}.scores"].shape == (H, T, S)
    assert result["arrays"]["cross.0.weights"] == [H, T, S]


@pytest.mark.parametrize("content", [b"not a checkpoint", b""])
def test_a_bad_checkpoint_exits_non_zero_with_one_line(tmp_path, content):
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(content)
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "translate", "--checkpoint", str(bad), "hello"],
                          check=False, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert len(proc.stderr.strip().splitlines()) == 1 and str(bad) in proc.stderr
    assert "Traceback" not in proc.stderr
