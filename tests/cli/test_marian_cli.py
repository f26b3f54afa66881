"""The headless commands on an opus-mt (Marian) model folder, and `convert`."""
import json
import shutil

import numpy as np
import pytest
import torch

import main
from model.checkpoint import load_checkpoint
from model.inference import Translator
from model.marian import load_model
from tests.marian_folder import SOURCE_LINES

pytestmark = pytest.mark.filterwarnings("ignore:Recommended. pip install sacremoses")


def last_json(out: str) -> dict:
    return json.loads(out.strip().splitlines()[-1])


def test_translate_a_folder_uses_its_generation_defaults(marian_folder, capsys):
    code = main.main(["translate", "--checkpoint", str(marian_folder), "--json", *SOURCE_LINES[:2]])
    assert code == 0
    result = last_json(capsys.readouterr().out)
    assert result["beam"] == 3  # generation_config.json's num_beams
    translator = Translator.load(marian_folder)
    assert [t["translation"] for t in result["translations"]] == translator.translate(SOURCE_LINES[:2])


def test_convert_writes_a_checkpoint_that_reopens_without_the_folder(marian_folder, tmp_path, capsys):
    folder = tmp_path / "opus-mt-en-de"
    shutil.copytree(marian_folder, folder)
    out = tmp_path / "converted.safetensors"
    assert main.main(["convert", str(folder), "--out", str(out), "--json"]) == 0
    result = last_json(capsys.readouterr().out)
    model, conv = load_model(folder)
    shutil.rmtree(folder)
    ckpt = load_checkpoint(out)
    assert ckpt.src_tokenizer.kind == "spm" and ckpt.model_config == conv.model_config
    # The shared embedding is stored once: the file holds each number once.
    assert out.stat().st_size < 4 * result["parameters"] + 2_000_000
    reopened = Translator.load(out)
    assert reopened.generation == conv.generation
    for (name, a), b in zip(model.state_dict().items(), reopened.model.state_dict().values()):
        assert torch.equal(a, b), name
    assert reopened.model.tgt_embed.weight is reopened.model.src_embed.weight
    original = Translator(model, conv.src_tokenizer, conv.tgt_tokenizer, torch.device("cpu"), conv.generation)
    assert reopened.translate(SOURCE_LINES) == original.translate(SOURCE_LINES)


def test_inspect_and_evaluate_a_folder(marian_folder, tmp_path, capsys):
    out = tmp_path / "trace.npz"
    assert main.main(["inspect", "--checkpoint", str(marian_folder), SOURCE_LINES[0], "--out", str(out)]) == 0
    with np.load(out) as trace:
        assert trace["src_tokens"][0] == ">>cmn_Hans<<" and np.isfinite(trace["logits"]).all()
    capsys.readouterr()
    assert main.main(["evaluate", "--checkpoint", str(marian_folder)]) == 2
    assert "--corpus" in capsys.readouterr().err
    assert main.main(["evaluate", "--checkpoint", str(marian_folder), "--corpus", "builtin:en-de:200",
                      "--max-pairs", "4", "--json"]) == 0
    assert last_json(capsys.readouterr().out)["pairs"] == 4


def test_fine_tune_a_folder(marian_folder, tmp_path, capsys):
    out = tmp_path / "tuned.safetensors"
    code = main.main(["train", "--checkpoint", str(marian_folder), "--corpus", "builtin:en-de:200",
                      "--steps", "3", "--eval-every", "0", "--out", str(out), "--device", "cpu",
                      "--run-log", "none", "--json"])
    assert code == 0
    result = last_json(capsys.readouterr().out)
    assert result["steps"] == 3 and np.isfinite(result["train_loss"])
    tuned = load_checkpoint(out)
    assert tuned.step == 3 and tuned.train_config.schedule == "constant"
    assert tuned.sections["generation"]["pool"] is True
    model, _ = load_model(marian_folder)
    assert not torch.equal(tuned.weights["encoder.0.ff.fc1.weight"], model.encoder[0].ff.fc1.weight)
    assert main.main(["train", "--checkpoint", str(marian_folder), "--resume", str(out), "--out",
                      str(out)]) == 2
