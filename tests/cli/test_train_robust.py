"""What an unlucky destination or an impatient Ctrl-C can do to `train`: nothing is lost."""
import json
import os
import signal

import pytest

import main
from model.train import Trainer
from tests.tiny import TINY_MODEL

SMALL = {**TINY_MODEL, "d_model": 16, "n_heads": 2, "n_layers": 1, "d_ff": 32}


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "small.json"
    path.write_text(json.dumps({"model": SMALL, "train": {"batch_tokens": 256, "warmup": 20,
                                                          "eval_sentences": 5, "eval_every": 0}}))
    return path


def train(config, out, *extra, steps=3):
    return main.main(["train", "--corpus", "builtin:en-de:300", "--steps", str(steps), "--config",
                      str(config), "--out", str(out), "--device", "cpu", "--run-log", "none", *extra])


def test_a_bad_out_fails_before_training(config, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(Trainer, "step", lambda self: pytest.fail("trained with a bad --out"))
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    for bad in (tmp_path, a_file / "model.safetensors", a_file / "sub" / "model.safetensors"):
        assert train(config, bad) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("error: ") and str(bad) in err[0]


def test_a_failed_save_goes_to_a_fallback_path_and_says_where(config, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "run" / "model.safetensors"
    real_save = Trainer.save

    def save(self, path, **kwargs):
        if str(path) == str(out):
            raise OSError(28, "No space left on device")
        return real_save(self, path, **kwargs)

    monkeypatch.setattr(Trainer, "save", save)
    assert train(config, out) == 0
    err = capsys.readouterr().err
    rescued = sorted(tmp_path.glob("model.rescued-*.safetensors"))
    assert len(rescued) == 1 and f"saved the checkpoint to {rescued[0]}" in err
    assert "No space left on device" in err
    Trainer.from_checkpoint(rescued[0])


def test_ctrl_c_saves_first_and_a_second_one_waits_for_the_save(config, tmp_path, capsys, monkeypatch):
    out = tmp_path / "model.safetensors"
    calls = []
    real_step, real_save, real_eval = Trainer.step, Trainer.save, Trainer.evaluate

    def step(self):
        report = real_step(self)
        if self.step_count == 2:
            os.kill(os.getpid(), signal.SIGINT)  # the first Ctrl-C
        return report

    def save(self, path, **kwargs):
        calls.append("save")
        os.kill(os.getpid(), signal.SIGINT)  # a second one, while saving
        return real_save(self, path, **kwargs)

    def evaluate(self, *args, **kwargs):
        calls.append("validate")
        os.kill(os.getpid(), signal.SIGINT)  # and a third, while validating
        return real_eval(self, *args, **kwargs)

    monkeypatch.setattr(Trainer, "step", step)
    monkeypatch.setattr(Trainer, "save", save)
    monkeypatch.setattr(Trainer, "evaluate", evaluate)
    assert train(config, out, steps=50) == 0
    err = capsys.readouterr().err
    assert calls == ["save", "validate"] and out.exists()
    assert "still saving" in err and "validation skipped" in err
    assert Trainer.from_checkpoint(out).step_count == 2


def test_resume_on_another_corpus_uses_it_and_says_so(config, tmp_path, capsys):
    first = tmp_path / "a.safetensors"
    assert train(config, first) == 0
    tsv = tmp_path / "mine.tsv"
    tsv.write_text("".join(f"the dog {i} sleeps .\tder Hund {i} schläft .\n" for i in range(60)),
                   encoding="utf-8")
    capsys.readouterr()
    assert main.main(["train", "--resume", str(first), "--corpus", str(tsv), "--steps", "2",
                      "--out", str(tmp_path / "b.safetensors"), "--device", "cpu", "--run-log", "none"]) == 0
    err = capsys.readouterr().err
    assert f"resuming on --corpus {tsv}" in err and "fresh data order" in err
    assert Trainer.from_checkpoint(tmp_path / "b.safetensors", corpus=None).corpus_spec == str(tsv)


def test_resume_keeps_the_runs_split_and_data_order(config, tmp_path, capsys):
    """A run trained with --valid-size/--test-size goes on with the same split (not the
    defaults), so its training pairs and data order are the ones it stopped with."""
    first = tmp_path / "a.safetensors"
    assert train(config, first, "--valid-size", "20", "--test-size", "0") == 0
    capsys.readouterr()
    assert main.main(["train", "--resume", str(first), "--steps", "2", "--out", str(tmp_path / "b.safetensors"),
                      "--device", "cpu", "--run-log", "none"]) == 0
    err = capsys.readouterr().err
    assert "fresh data order" not in err and "280 training pairs" in err
    resumed = Trainer.from_checkpoint(tmp_path / "b.safetensors")
    assert (len(resumed.data["valid"].pairs), len(resumed.data["test"].pairs)) == (20, 0)


def test_inspect_with_a_bad_out_gives_one_line(tmp_path, capsys):
    from tests.cli.test_translator_cli import SHIPPED_DE

    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    for bad in (tmp_path, a_file / "trace.npz"):
        code = main.main(["inspect", "--checkpoint", str(SHIPPED_DE), "--out", str(bad), "the dog sleeps ."])
        err = capsys.readouterr().err.strip().splitlines()
        assert code == 2 and len(err) == 1 and str(bad) in err[0]


def test_translate_and_inspect_never_read_the_checkpoints_corpus(tmp_path, capsys, monkeypatch):
    """A checkpoint naming /dev/zero (or any file) as its corpus translates and is inspected
    without that file being opened: only train and evaluate need a corpus."""
    import model.loaders
    from tests.tiny import tiny_trainer

    trainer = tiny_trainer(d_model=16, n_heads=2, n_layers=1, d_ff=32)
    for _ in range(2):
        trainer.step()
    trainer.corpus_spec = "/dev/zero"
    ckpt = str(trainer.save(tmp_path / "zero.safetensors"))
    monkeypatch.setattr(model.loaders, "_open_lines", lambda path: pytest.fail(f"read the corpus {path}"))
    assert main.main(["translate", "--checkpoint", ckpt, "the dog sleeps ."]) == 0
    assert main.main(["inspect", "--checkpoint", ckpt, "--out", str(tmp_path / "t.npz"), "the dog sleeps ."]) == 0
    assert main.main(["inspect", "--checkpoint", ckpt, "--history", str(tmp_path / "h.csv")]) == 0
    assert (tmp_path / "t.npz").exists() and (tmp_path / "h.csv").exists()
    capsys.readouterr()
