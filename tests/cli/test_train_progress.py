"""`train`'s time budget, progress lines and smoothed loss; `translate`'s length limit per
sentence."""
import io
import json

import pytest
import torch

import main
from model import inference
from model.cli.progress import Progress
from model.inference import Translator
from model.tokenizer import EOS
from model.trace import StepReport
from model.train import Trainer
from tests.tiny import tiny_trainer


def _report(step, loss=2.0):
    return StepReport(step=step, loss=loss, lr=1e-3, grad_norm=1.0, tokens=100, tokens_per_s=1000.0, elapsed_s=0.1)


def test_minutes_alone_trains_until_the_time_is_up_and_reports_the_smoothed_loss(tiny_config, tmp_path, capsys,
                                                                                  monkeypatch):
    """Steps are faked (10 ms each on a fake clock): 30 s is 3,000 steps, past the 2,000
    that a run without any budget takes."""
    done = {"steps": 0}

    def step(self):
        done["steps"] += 1
        self.step_count += 1
        return _report(self.step_count, loss=5.0 if self.step_count % 2 else 1.0)

    monkeypatch.setattr(Trainer, "step", step)
    monkeypatch.setattr(Progress, "elapsed", lambda self: done["steps"] * 0.01)
    out = tmp_path / "m.safetensors"
    assert main.main(["train", "--corpus", "builtin:en-de:300", "--minutes", "0.5", "--config", str(tiny_config),
                      "--out", str(out), "--device", "cpu", "--run-log", "none", "--log-every", "1000",
                      "--json"]) == 0
    captured = capsys.readouterr()
    result = json.loads(captured.out.splitlines()[-1])
    assert 2_900 <= result["steps"] <= 3_001
    # smoothed over the alternating 5.0 / 1.0 losses, not the last step's
    assert result["train_loss"] == pytest.approx(3.0, abs=0.2) and result["last_step_loss"] in (1.0, 5.0)
    assert "(smoothed)" in captured.err
    # stderr is not a terminal here: a plain line every --log-every steps, with the time left
    plain = [ln for ln in captured.err.splitlines() if ln.startswith("step ") and " left" in ln]
    assert [ln.split()[1] for ln in plain] == ["1000", "2000"] or [ln.split()[1] for ln in plain] == \
        ["1000", "2000", "3000"]
    assert "\r" not in captured.err


def test_progress_is_one_live_line_on_a_terminal_and_plain_lines_elsewhere():
    plain = io.StringIO()
    progress = Progress(100, None, every=10, stream=plain, live=False)
    for step in range(1, 31):
        progress.update(_report(step))
    lines = plain.getvalue().splitlines()
    assert [ln.split()[1] for ln in lines] == ["10/100", "20/100", "30/100"] and "\r" not in plain.getvalue()
    terminal = io.StringIO()
    live = Progress(100, 1.0, stream=terminal, live=True)
    live.update(_report(1))
    text = terminal.getvalue()
    assert text.startswith("\rstep 1/100  loss 2.000") and "tok/s" in text and text.endswith("left")
    assert "\n" not in text  # rewritten in place
    live.line("valid BLEU 12.0")
    assert terminal.getvalue().endswith("\rvalid BLEU 12.0\n")  # the live line cleared first


def test_translate_limits_the_output_of_each_sentence_by_its_own_length(monkeypatch):
    trainer = tiny_trainer(max_len=40)
    translator = Translator(trainer.model, trainer.src_tok, trainer.tgt_tok, torch.device("cpu"))
    real = inference.greedy_decode

    def never_eos(*args, banned=(), **kwargs):  # an untrained model that would run on
        return real(*args, banned=(*banned, EOS), **kwargs)

    monkeypatch.setattr(inference, "greedy_decode", never_eos)
    short, long = [5, 6, EOS], list(range(5, 20)) + [EOS]
    out = translator.translate_ids([short, long, short])
    assert [len(o) for o in out] == [translator.max_out_len(3), translator.max_out_len(16), translator.max_out_len(3)]
    assert translator.max_out_len(3) == 16 < translator.max_out_len(16) == 40
