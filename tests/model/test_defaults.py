"""The training defaults follow the machine's measured speed, and re-plan from the real one."""
import pytest

from model.config import TrainConfig
from model.corpus import Corpus, SentencePair
from model.defaults import (
    SHAPES,
    Replanner,
    Speedometer,
    StepShape,
    choose,
    factor_for,
    warmup_for,
)

WORDS = "the a dog cat house tree runs sees eats small big red old new man woman child bird".split()


def _corpus(n: int, name: str = "pairs.tsv") -> Corpus:
    """``n`` distinct English-German-like pairs of four to seven words."""
    pairs = []
    for i in range(n):
        words = [WORDS[(i * k + k) % len(WORDS)] for k in range(1, 4 + i % 4)]
        pairs.append(SentencePair(" ".join(words) + f" {i % 97}.", " ".join(reversed(words)) + f" {i % 97}."))
    return Corpus(name, "en", "de", pairs, [], [])


@pytest.fixture(scope="module")
def corpus_30k():
    return _corpus(30_000)


def test_a_slow_machine_gets_a_smaller_model_and_a_shorter_warmup(corpus_30k):
    slow = choose(corpus_30k, minutes=15, speed=0.3e9)
    fast = choose(corpus_30k, minutes=15, speed=300e9)
    assert slow.shape == "small" and fast.shape != "small"
    assert slow.expected_steps < fast.expected_steps
    assert slow.train["warmup"] < fast.train["warmup"]
    assert slow.train["batch_tokens"] == 1024  # few steps: more, smaller updates
    assert slow.speed == {"source": "given", "gflops": 0.3}
    assert any("0.3 GFLOP/s" in r for r in slow.reasons)
    for choice in (slow, fast):  # whatever the warm-up, the peak rate is the shape's
        d, f, w = choice.model["d_model"], choice.train["lr"], choice.train["warmup"]
        shape = next(s for s in SHAPES if s.name == choice.shape)
        assert f * (d * w) ** -0.5 == pytest.approx(shape.lr * (d * 400) ** -0.5, rel=1e-3)


def test_warmup_is_a_fraction_of_the_expected_steps_within_a_floor_and_a_cap():
    assert warmup_for(100) == 40 and warmup_for(2_000) == 160 and warmup_for(100_000) == 400
    assert factor_for(2.0, 400) == 2.0 and factor_for(2.0, 100) == 1.0


class _Meter(Speedometer):
    """Times nothing: each shape runs at the rate given for it."""

    def __init__(self, batches, rates):
        super().__init__(batches)
        self.rates, self.asked = rates, []

    def _time(self, shape, batch_tokens):
        self.asked.append(shape.name)
        self.timed[shape.name] = {"step_s": 1.0, "tokens_per_s": 1.0, "flops": self.rates[shape.name],
                                  "timed_tokens": 1, "steps_timed": 2}


def test_a_larger_shape_is_timed_only_when_it_could_be_chosen(corpus_30k):
    batches = StepShape(8.0, 9.0, 2000, 3000)
    slow = _Meter(batches, {"small": 0.2e9, "medium": 0.2e9, "large": 0.2e9})
    assert choose(corpus_30k, minutes=15, speed=slow).shape == "small" and slow.asked == ["small"]
    # the medium shape runs slower than the small one suggested: measured, then not chosen
    mixed = _Meter(batches, {"small": 300e9, "medium": 2e9, "large": 2e9})
    assert choose(corpus_30k, minutes=15, speed=mixed).shape == "small" and mixed.asked == ["small", "medium"]


def test_the_speedometer_times_real_steps_and_keeps_the_faster_thread_count():
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        meter = Speedometer(StepShape(5.0, 6.0, 50, 60), budget_s=0.0)
        tiny = SHAPES[0].__class__("tiny", 16, 2, 1, 1, 32, 1.0, 64)
        rate = meter.flops(tiny, 64)
        assert rate > 0 and meter.timed["tiny"]["steps_timed"] >= 1
        assert set(meter.thread_times) == {"2", "1"}  # both timed, alternating
        assert meter.threads == min((1, 2), key=lambda c: meter.thread_times[str(c)])
        assert torch.get_num_threads() == meter.threads  # what training will use
        assert meter.flops(SHAPES[0], 64) == rate  # the budget is spent: the largest timed shape's rate
        report = meter.report()
        assert report["source"] == "measured" and set(report["shapes"]) == {"tiny"}
        assert report["shapes"]["tiny"]["step_s"] > 0 and report["threads"] == meter.threads
        assert "training uses" in meter.describe()
    finally:
        torch.set_num_threads(before)


class _Trainer:
    def __init__(self, warmup):
        self.train_cfg = TrainConfig(warmup=warmup, lr=2.0, eval_every=500)


def test_replanning_shortens_the_warmup_when_steps_are_slower_than_planned(corpus_30k):
    choice = choose(corpus_30k, minutes=15, speed=300e9)
    planned = choice.train["warmup"]
    trainer = _Trainer(planned)
    replanner = Replanner(choice)
    assert replanner.check(trainer, 5.0, 20) is None and not replanner.done  # too early
    note = replanner.check(trainer, 90.0, 20)  # 4.5 s a step: about 200 steps in the budget
    assert note and "re-planned at step 20" in note
    assert trainer.train_cfg.warmup == 40 < planned and trainer.train_cfg.lr < 2.0
    assert replanner.change["applied"] and replanner.change["expected_steps"] == 200
    assert replanner.check(trainer, 200.0, 40) is None  # once only


def test_replanning_keeps_what_the_user_set_and_a_plan_that_holds(corpus_30k):
    choice = choose(corpus_30k, minutes=15, speed=300e9)
    trainer = _Trainer(choice.train["warmup"])
    assert Replanner(choice, fixed={"warmup"}).check(trainer, 90.0, 20) is None
    assert trainer.train_cfg.warmup == choice.train["warmup"]
    step_s = 15 * 60 / choice.expected_steps  # as planned
    done = int(30 / step_s) + 1  # past the re-planning time, still warming up
    assert done < choice.train["warmup"]
    holds = Replanner(choice)
    assert holds.check(trainer, done * step_s, done) is None and holds.change["applied"] is False
    assert Replanner(choose(corpus_30k, steps=500)).check(trainer, 90.0, 20) is None  # no time budget
