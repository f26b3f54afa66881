"""Training defaults chosen from the corpus and the time budget.

``choose(corpus, minutes=..., steps=...)`` looks at the training split (how many pairs, how
long the sentences are, whether each side's script separates words with spaces, how many
distinct words it has) and picks, for a user's own file:

- a tokenizer per side: byte-pair subwords for scripts with spaces (so a word never seen
  whole is still spelled from pieces, not <unk>), characters for scripts written without
  spaces (Chinese, Japanese, Thai, ...); the BPE vocabulary grows with the distinct words;
- a model shape from a small ladder: the largest that still sees the training data about
  ten times, in enough steps, in the time budget; the smallest for corpora under 5,000 pairs.
  With a time budget the speed is measured on this machine, not assumed: a few timed
  training steps of each candidate shape on batches of the corpus's lengths and
  vocabularies (:class:`Speedometer`, a few seconds, at most ~2 % of the budget; a shape not
  timed within that is estimated from the largest one that was);
- dropout by corpus size; the batch (halved when few steps are expected: more, smaller
  updates); a warm-up that is a fraction of the expected steps (floor and cap), with the
  noam factor scaled so that the peak learning rate is the shape's whatever the warm-up;
  validation about four times a run; the longest sequence.

Training re-plans once after its first steps (:func:`replan`): when the measured step time
says far fewer or more steps will fit than planned, the warm-up (and with it the factor)
and the validation interval follow the new estimate, while still warming up.

The built-in grammar corpora keep the settings their shipped models were trained with.
Every choice carries a one-line reason; ``Choice.to_dict()`` is what ``--json`` prints.
"""
from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from typing import Any

from model.config import ModelConfig, TrainConfig
from model.corpus import BUILTIN_PREFIX, Corpus

# Scripts written without spaces between words (besides the CJK ranges of the tokenizer).
_UNSPACED_RANGES = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x0F00, 0x0FFF),  # Tibetan
    (0x3000, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF),  # CJK, kana
)
TARGET_EPOCHS = 10  # a shape is chosen if the budget lets it see the data about this often
MIN_STEPS_TO_GROW = 2_500  # a shape above the smallest needs at least this many steps
FEW_STEPS = 2_000  # fewer expected steps than this: the smaller batch (more updates)
SMALL_BATCH = 1_024
WARMUP_FRACTION, WARMUP_MIN, WARMUP_MAX = 0.08, 40, 400
PEAK_AT_WARMUP = 400  # the shapes' noam factors are tuned for this warm-up; their peak is kept
TRAINER_OVERHEAD = 1.25  # a real training step against a bare timed one (history, batching, validation)
MEASURE_SHARE, MEASURE_MIN_S, MEASURE_MAX_S = 0.02, 4.0, 30.0  # time the measurement may take
MEASURE_MIN_TOKENS = 256  # the timed batches are a quarter of the real ones, at least this
SMALL_CORPUS, MEDIUM_CORPUS = 5_000, 20_000


@dataclasses.dataclass(frozen=True)
class Shape:
    name: str
    d_model: int
    n_heads: int
    n_layers: int
    n_dec_layers: int
    d_ff: int
    lr: float
    batch_tokens: int

    def fields(self) -> dict[str, Any]:
        return {"d_model": self.d_model, "n_heads": self.n_heads, "n_layers": self.n_layers,
                "n_dec_layers": self.n_dec_layers, "d_ff": self.d_ff}

    def flops_per_token(self, src_per_tgt: float, tgt_vocab: int) -> float:
        """Training arithmetic (forward and backward, about 6 per weight) per target token."""
        d, f = self.d_model, self.d_ff
        enc = self.n_layers * (4 * d * d + 2 * d * f)
        dec = self.n_dec_layers * (8 * d * d + 2 * d * f) + d * tgt_vocab
        return 6.0 * (enc * src_per_tgt + dec)


SHAPES = (  # smallest first; "small" is the built-in default (ModelConfig's)
    Shape("small", 128, 4, 2, 2, 512, 2.0, 2048),
    Shape("medium", 192, 4, 3, 2, 768, 1.5, 1536),
    Shape("large", 256, 4, 3, 3, 1024, 1.5, 1536),
)


@dataclasses.dataclass(frozen=True)
class SideStats:
    """What the chooser saw of one side of the training split."""

    lang: str
    script: str  # dominant Unicode script of the letters ("LATIN", "CJK", "CYRILLIC", ...)
    spaced: bool  # words separated by spaces
    distinct_words: int  # lower-cased words between spaces (characters when not spaced)
    mean_chars: float
    mean_words: float
    p99_chars: int
    p99_words: int
    distinct_capped: bool = False  # counting stopped at a limit: distinct_words is a lower bound

    def est_tokens(self, kind: str) -> float:
        """Rough tokens per sentence for a tokenizer kind (BPE ~1.6 per word)."""
        return self.mean_chars if kind == "char" else 1.6 * self.mean_words + 1


@dataclasses.dataclass(frozen=True)
class Choice:
    tokenizer: tuple[str, str]
    vocab_size: tuple[int | None, int | None]
    model: dict[str, Any]
    train: dict[str, Any]
    shape: str
    reasons: tuple[str, ...]
    stats: tuple[SideStats, SideStats] | None = None
    speed: dict[str, Any] | None = None  # the measured (or given) speed, see Speedometer.report
    expected_steps: int | None = None
    plan: dict[str, Any] | None = None  # what replan() needs: budget, shape's peak, step tokens

    def to_dict(self) -> dict[str, Any]:
        return {"tokenizer": {"src": self.tokenizer[0], "tgt": self.tokenizer[1]},
                "vocab_size": {"src": self.vocab_size[0], "tgt": self.vocab_size[1]},
                "shape": self.shape, "model": dict(self.model), "train": dict(self.train),
                "reasons": list(self.reasons), "speed": self.speed, "expected_steps": self.expected_steps,
                "sides": [dataclasses.asdict(s) for s in self.stats] if self.stats else None}

    def summary(self) -> list[str]:
        """Lines for the terminal: what was chosen and why."""
        tok = " / ".join(f"{k}" + (f" {v:,}" if v else "") for k, v in zip(self.tokenizer, self.vocab_size))
        m = self.model
        lines = [f"chosen: tokenizer {tok} (source / target); model {self.shape}: d_model {m['d_model']}, "
                 f"{m['n_heads']} heads, {m['n_layers']}+{m['n_dec_layers']} layers, d_ff {m['d_ff']}, "
                 f"dropout {m['dropout']}, max_len {m['max_len']}; batch {self.train['batch_tokens']} tokens, "
                 f"lr {self.train['lr']:g} (noam), warm-up {self.train['warmup']} steps"]
        lines += [f"  because {r}" for r in self.reasons]
        return lines


def _unspaced_char(ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _UNSPACED_RANGES)


def _script(ch: str) -> str:
    if _unspaced_char(ch) and (0x3000 <= ord(ch) <= 0x30FF or ord(ch) >= 0x3400):
        return "CJK"
    name = unicodedata.name(ch, "")
    return name.split(" ")[0] if name else "UNKNOWN"


class SideCounter:
    """The statistics of :func:`side_stats`, gathered one sentence at a time (a corpus read
    as a stream, model/datacache.py), with the same result for the same sentences.

    The script (and so whether words are separated by spaces) comes from the first
    ``sample`` sentences, which are kept until then. ``word_limit``: stop collecting
    distinct words past this many (``SideStats.distinct_capped`` says so; the choices stop
    growing long before); None: count them all."""

    def __init__(self, lang: str, sample: int = 20_000, word_limit: int | None = None):
        self.lang, self.sample, self.word_limit = lang, sample, word_limit
        self.sample_chars: Counter[str] = Counter()  # characters of the sample (classified at the end)
        self.letters: dict[str, int] = {}
        self.unspaced = self.spaces = self.chars = 0
        self.pending: list[str] | None = []  # the sample, until the script is known
        self.spaced: bool | None = None
        self.raw: set[str] = set()  # lower-cased pieces already seen (each stripped once)
        self.words: set[str] = set()
        self.capped = False
        self.n = self.sum_chars = self.sum_words = 0
        self.chars_hist: dict[int, int] = {}
        self.words_hist: dict[int, int] = {}

    def add(self, text: str) -> None:
        if self.pending is not None:
            self.sample_chars.update(text)
            self.pending.append(text)
            if len(self.pending) >= self.sample:
                self._settle()
            return
        self._count(text)

    def _settle(self) -> None:
        for ch, count in self.sample_chars.items():  # each distinct character once
            if ch.isspace():
                self.spaces += count
            elif ch.isalpha():
                self.chars += count
                script = _script(ch)
                self.letters[script] = self.letters.get(script, 0) + count
                self.unspaced += count * _unspaced_char(ch)
        chars = self.chars
        self.spaced = not (chars and self.unspaced / chars > 0.5 and self.spaces / chars < 0.1)
        pending, self.pending = self.pending or [], None
        for text in pending:
            self._count(text)

    def _count(self, text: str) -> None:
        if not self.capped:
            pieces = text.lower().split() if self.spaced else [c for c in text if not c.isspace()]
            raw, words = self.raw, self.words
            for w in pieces:
                if w not in raw:
                    raw.add(w)
                    words.add(re.sub(r"^\W+|\W+$", "", w))
            if self.word_limit is not None and len(words) > self.word_limit:
                self.capped = True
                self.raw = set()
        n_chars, n_words = len(text), len(text.split())
        self.n += 1
        self.sum_chars += n_chars
        self.sum_words += n_words
        self.chars_hist[n_chars] = self.chars_hist.get(n_chars, 0) + 1
        self.words_hist[n_words] = self.words_hist.get(n_words, 0) + 1

    def result(self) -> SideStats:
        if self.pending is not None:
            self._settle()
        script = max(self.letters, key=self.letters.get) if self.letters else "UNKNOWN"
        n = max(self.n, 1)

        def p99(hist: dict[int, int]) -> int:
            """sorted(values)[min(n - 1, int(0.99 * n))], from the counts of each value."""
            if not self.n:
                return 0
            index, seen = min(self.n - 1, int(0.99 * self.n)), 0
            for value in sorted(hist):
                seen += hist[value]
                if seen > index:
                    return value
            return max(hist)

        return SideStats(self.lang, script, bool(self.spaced), len(self.words - {""}), self.sum_chars / n,
                         self.sum_words / n, p99(self.chars_hist), p99(self.words_hist), self.capped)


def side_stats(texts: Sequence[str], lang: str, sample: int = 20_000) -> SideStats:
    """Length, script and word statistics of one side (the first ``sample`` sentences
    for the script; all of them for counts)."""
    counter = SideCounter(lang, sample)
    for text in texts:
        counter.add(text)
    return counter.result()


def _bpe_vocab(distinct_words: int) -> int:
    return int(min(8000, max(400, round(0.4 * distinct_words / 100) * 100)))


def builtin_choice() -> Choice:
    model = ModelConfig(src_vocab=1, tgt_vocab=1)
    train = TrainConfig()
    return Choice(("word", "word"), (None, None),
                  {k: getattr(model, k) for k in ("d_model", "n_heads", "n_layers", "n_dec_layers", "d_ff",
                                                  "dropout", "max_len")} | {"n_dec_layers": model.dec_layers},
                  {"batch_tokens": train.batch_tokens, "lr": train.lr, "warmup": train.warmup,
                   "eval_sentences": train.eval_sentences},
                  "small", ("a built-in grammar corpus: the settings its shipped model was trained with",))


@dataclasses.dataclass(frozen=True)
class StepShape:
    """The batches a shape would train on: mean lengths (with <eos>) and vocabularies."""

    src_len: float
    tgt_len: float
    src_vocab: int
    tgt_vocab: int

    def sentences(self, batch_tokens: int) -> int:
        return max(1, int(batch_tokens // max(self.src_len, self.tgt_len)))

    def tokens(self, batch_tokens: int) -> float:
        """Target tokens of one step."""
        return self.sentences(batch_tokens) * self.tgt_len

    def step_flops(self, shape: Shape, batch_tokens: int) -> float:
        return shape.flops_per_token(self.src_len / self.tgt_len, self.tgt_vocab) * self.tokens(batch_tokens)


class Speedometer:
    """Training speed of the candidate shapes on this machine, measured when first asked.

    ``flops(shape, batch)`` times a few training steps (forward, backward, Adam) of a fresh
    model of that shape on random batches of the corpus's lengths and vocabularies, with
    torch's current threads on ``device``, and returns the FLOP/s they reached. Once the
    measuring time (``budget_s``) is spent, a shape not yet timed gets the rate of the
    largest one that was (larger matrices run at least as fast). ``given`` skips measuring:
    that FLOP/s for every shape (tests, or a known machine).

    On the CPU, the first shape is timed with torch's thread count and with one thread,
    alternating (``choose_threads``); the faster count is kept for the other shapes and
    set for training (``torch.set_num_threads``): on a machine busy with other work, two
    threads that wait for each other can be several times slower than one.
    """

    def __init__(self, batches: StepShape, device: str = "cpu", budget_s: float = MEASURE_MIN_S,
                 given: float | None = None, choose_threads: bool = True):
        self.batches, self.device, self.budget_s, self.given = batches, device, budget_s, given
        self.timed: dict[str, dict[str, float]] = {}
        self.spent = 0.0
        self.choose_threads = choose_threads
        self.threads: int | None = None  # the thread count training will use, once timed
        self.thread_times: dict[str, float] = {}  # first shape's seconds a step by thread count

    def flops(self, shape: Shape, batch_tokens: int) -> float:
        if self.given is not None:
            return self.given
        if shape.name not in self.timed and (not self.timed or self.spent < self.budget_s):
            self._time(shape, batch_tokens)
        if shape.name in self.timed:
            return self.timed[shape.name]["flops"]
        return list(self.timed.values())[-1]["flops"]

    def _time(self, shape: Shape, batch_tokens: int) -> None:
        import time

        import torch
        import torch.nn.functional as F

        from model.train import resolve_device
        from model.transformer import Seq2Seq

        b = self.batches
        device = resolve_device(self.device)
        start = time.perf_counter()
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(0)
            cfg = ModelConfig(src_vocab=b.src_vocab, tgt_vocab=b.tgt_vocab, **shape.fields(), dropout=0.1,
                              max_len=max(32, int(max(b.src_len, b.tgt_len)) + 2))
            model = Seq2Seq(cfg).to(device).train()
            optim = torch.optim.Adam(model.parameters(), lr=1e-4, betas=(0.9, 0.98), eps=1e-9,
                                     fused=True if device.type in ("cpu", "cuda") else None)
            n = b.sentences(max(MEASURE_MIN_TOKENS, batch_tokens // 4))  # a quarter batch: cheaper
            src = torch.randint(4, b.src_vocab, (n, max(1, round(b.src_len))), device=device)
            tgt = torch.randint(4, b.tgt_vocab, (n, max(1, round(b.tgt_len)) + 1), device=device)
            # on the CPU the first shape is also timed with one thread, alternating with the
            # default count: on a busy machine several threads can run slower than one
            counts = [torch.get_num_threads()]
            if self.choose_threads and self.threads is None and device.type == "cpu" and counts[0] > 1:
                counts.append(1)
            times: dict[int, list[float]] = {c: [] for c in counts}
            rounds = 0
            while rounds < 4 and (rounds < 2 or time.perf_counter() - start < self.budget_s / 2):
                for count in counts:
                    torch.set_num_threads(count)
                    t0 = time.perf_counter()
                    logits = model(src, tgt[:, :-1])
                    loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), tgt[:, 1:].reshape(-1),
                                           label_smoothing=0.1)
                    optim.zero_grad(set_to_none=True)
                    loss.backward()
                    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                    optim.step()
                    if device.type == "cuda":
                        torch.cuda.synchronize()
                    times[count].append(time.perf_counter() - t0)
                rounds += 1
        # the first round warms up; the median of the rest
        medians = {c: sorted(t[1:])[(len(t) - 2) // 2] for c, t in times.items()}
        if self.threads is None:
            self.threads = min(medians, key=medians.get)
            self.thread_times = {str(c): round(m, 4) for c, m in medians.items()}
        torch.set_num_threads(self.threads)
        step_s = medians[self.threads] if self.threads in medians else medians[counts[0]]
        tokens = n * (tgt.size(1) - 1)
        flops = shape.flops_per_token(src.size(1) / (tgt.size(1) - 1), b.tgt_vocab) * tokens / step_s
        self.spent += time.perf_counter() - start
        self.timed[shape.name] = {"step_s": step_s, "tokens_per_s": tokens / step_s, "flops": flops,
                                  "timed_tokens": tokens, "steps_timed": rounds - 1}

    def device_name(self) -> str:
        from model.train import resolve_device

        return resolve_device(self.device).type

    def report(self) -> dict[str, Any]:
        if self.given is not None:
            return {"source": "given", "gflops": round(self.given / 1e9, 2)}
        import torch

        return {"source": "measured", "device": self.device_name(), "threads": torch.get_num_threads(),
                "step_s_by_threads": self.thread_times,
                "seconds": round(self.spent, 2),
                "shapes": {name: {"step_s": round(t["step_s"], 4), "target_tokens_per_s": round(t["tokens_per_s"]),
                                  "gflops": round(t["flops"] / 1e9, 2), "timed_tokens": t["timed_tokens"],
                                  "steps_timed": t["steps_timed"]} for name, t in self.timed.items()}}

    def describe(self) -> str:
        if self.given is not None:
            return f"a given speed of {self.given / 1e9:.1f} GFLOP/s"
        parts = [f"{name} {t['step_s']:.2f} s a step ({t['tokens_per_s']:,.0f} target tokens/s)"
                 for name, t in self.timed.items()]
        import torch

        threads = torch.get_num_threads()
        tried = ""
        if len(self.thread_times) > 1:
            tried = "; the first shape's step took " + " against ".join(
                f"{t:.2f} s with {c} thread{'' if c == '1' else 's'}" for c, t in self.thread_times.items()) \
                + f": training uses {threads}"
        return (f"measured on this machine ({self.device_name()}, {threads} threads, "
                f"{self.spent:.1f} s): " + ", ".join(parts) + tried)


def warmup_for(expected_steps: float) -> int:
    """Warm-up steps: a fraction of the steps expected, within a floor and a cap."""
    return int(max(WARMUP_MIN, min(WARMUP_MAX, round(WARMUP_FRACTION * expected_steps))))


def factor_for(shape_lr: float, warmup: int) -> float:
    """The noam factor that gives the shape's peak learning rate (its factor at
    PEAK_AT_WARMUP) with this warm-up: noam peaks at factor / sqrt(d_model * warmup)."""
    return round(shape_lr * math.sqrt(warmup / PEAK_AT_WARMUP), 4)


def eval_every_for(expected_steps: float) -> int:
    """About four validations a run (each decodes sentences: time the budget also pays)."""
    return int(max(100, round(expected_steps / 4 / 50) * 50))


def choose(corpus: Corpus, minutes: float | None = None, steps: int | None = None,
           speed: float | Speedometer | None = None, device: str = "cpu") -> Choice:
    """Tokenizers, model shape and training settings for ``corpus`` and the budget
    (``minutes`` of training, else ``steps``, else the default 2,000 steps).

    With ``minutes``, the speed is measured on ``device`` (see :class:`Speedometer`) unless
    ``speed`` gives it: FLOP/s to assume, or a Speedometer."""
    if corpus.name.startswith(BUILTIN_PREFIX):
        return builtin_choice()
    train = corpus.split("train")
    src = side_stats([p.src for p in train], corpus.src_lang)
    tgt = side_stats([p.tgt for p in train], corpus.tgt_lang)
    return choose_from_stats(src, tgt, len(train), minutes=minutes, steps=steps, speed=speed, device=device)


def tokenizers_for(src: SideStats, tgt: SideStats) -> tuple[tuple[str, str], tuple[int | None, int | None],
                                                            list[str]]:
    """The tokenizer kind and vocabulary size of each side, with a reason for each."""
    kinds, vocabs, reasons = [], [], []
    for side, st in (("source", src), ("target", tgt)):
        if st.spaced:
            kinds.append("bpe")
            vocabs.append(_bpe_vocab(st.distinct_words))
            words = f"more than {st.distinct_words:,}" if st.distinct_capped else f"{st.distinct_words:,}"
            reasons.append(f"the {side} ({st.lang}, {st.script}) separates words with spaces: BPE subwords, "
                           f"{vocabs[-1]:,} tokens for {words} distinct words")
        else:
            kinds.append("char")
            vocabs.append(None)
            reasons.append(f"the {side} ({st.lang}, {st.script}) is written without spaces: one token a character")
    return (kinds[0], kinds[1]), (vocabs[0], vocabs[1]), reasons


def choose_from_stats(src: SideStats, tgt: SideStats, n: int, minutes: float | None = None,
                      steps: int | None = None, speed: float | Speedometer | None = None,
                      device: str = "cpu") -> Choice:
    """:func:`choose` for a training split of ``n`` pairs whose sides have these
    statistics (a corpus file read as a stream, model/datacache.py)."""
    kinds, vocabs, reasons = tokenizers_for(src, tgt)
    batches = StepShape(src.est_tokens(kinds[0]) + 1, tgt.est_tokens(kinds[1]) + 1,
                        vocabs[0] or min(src.distinct_words + 4, 6000), vocabs[1] or min(tgt.distinct_words + 4, 6000))
    epoch_tokens = max(n, 1) * batches.tgt_len
    budget_s = minutes * 60 if minutes else None
    meter = None
    if budget_s:
        meter = speed if isinstance(speed, Speedometer) else Speedometer(
            batches, device, budget_s=max(MEASURE_MIN_S, min(MEASURE_MAX_S, MEASURE_SHARE * budget_s)),
            given=speed)

    def batch_for(shape: Shape) -> int:
        return SMALL_BATCH if n < SMALL_CORPUS else shape.batch_tokens

    def expected(shape: Shape, batch: int, flops: float | None = None) -> float:
        if not budget_s:
            return float(steps or 2000)
        step_s = batches.step_flops(shape, batch) / (flops or meter.flops(shape, batch)) * TRAINER_OVERHEAD
        return budget_s / step_s

    def qualifies(shape: Shape, flops: float | None = None) -> bool:
        est = expected(shape, batch_for(shape), flops)
        return est >= MIN_STEPS_TO_GROW and est * batches.tokens(batch_for(shape)) / epoch_tokens >= TARGET_EPOCHS

    shape = SHAPES[0]
    budget = f"{minutes:g} minutes" if minutes else f"{steps or 2000} steps"
    if n < SMALL_CORPUS:
        reasons.append(f"{n:,} training pairs is small: the small shape (a larger one would learn the pairs by heart)")
        expected(shape, batch_for(shape))  # times the small shape for the schedule
    else:
        for candidate in SHAPES[1:]:
            if n < MEDIUM_CORPUS and candidate.name == "large":
                break
            # not timed when it could not qualify even at twice the rate of the shape below
            if budget_s and not qualifies(candidate, 2 * meter.flops(shape, batch_for(shape))):
                break
            if not qualifies(candidate):
                break
            shape = candidate
        est = expected(shape, batch_for(shape))
        seen = est * batches.tokens(batch_for(shape)) / epoch_tokens
        grown = "the largest that sees the data about" if shape is not SHAPES[0] else "no larger one would see the data"
        reasons.append(f"{n:,} pairs and the budget ({budget}): the {shape.name} shape, {grown} "
                       f"{TARGET_EPOCHS} times in at least {MIN_STEPS_TO_GROW:,} steps (this one: about "
                       f"{seen:.1f} times)")
    batch = batch_for(shape)
    if budget_s and batch > SMALL_BATCH and expected(shape, batch) < FEW_STEPS:
        batch = SMALL_BATCH
        reasons.append(f"fewer than {FEW_STEPS:,} steps expected: batches of {SMALL_BATCH:,} tokens "
                       "(more, smaller updates)")
    est_steps = expected(shape, batch)
    if meter is not None:
        reasons.append(meter.describe() + f"; with the trainer's own work, {budget} is about "
                       f"{int(est_steps):,} steps of the {shape.name} shape")
    dropout = 0.3 if n < SMALL_CORPUS else 0.2 if n < MEDIUM_CORPUS else 0.1
    reasons.append(f"dropout {dropout} for {n:,} pairs (less data, more dropout)")
    longest = max(src.p99_chars if kinds[0] == "char" else 2 * src.p99_words,
                  tgt.p99_chars if kinds[1] == "char" else 2 * tgt.p99_words)
    max_len = int(min(256, max(32, -(-(longest * 1.5 + 2) // 16) * 16)))
    warmup = warmup_for(est_steps)
    lr = factor_for(shape.lr, warmup)
    eval_every = eval_every_for(est_steps)
    reasons.append(f"about {int(est_steps):,} steps expected: warm-up {warmup} ({WARMUP_FRACTION:.0%}, within "
                   f"{WARMUP_MIN}-{WARMUP_MAX}), noam factor {lr:g} (the {shape.name} shape's peak rate "
                   f"{shape.lr * (shape.d_model * PEAK_AT_WARMUP) ** -0.5:.4f} at any warm-up), validation every "
                   f"{eval_every} steps, max_len {max_len} (1.5 x the 99th-percentile length)")
    model = shape.fields() | {"dropout": dropout, "max_len": max_len}
    train_fields = {"batch_tokens": batch, "lr": lr, "warmup": warmup, "eval_every": eval_every,
                    "eval_sentences": 100}
    plan = {"budget_s": budget_s, "shape_lr": shape.lr, "expected_steps": int(est_steps)}
    return Choice(tuple(kinds), tuple(vocabs), model, train_fields, shape.name, tuple(reasons), (src, tgt),
                  meter.report() if meter is not None else None, int(est_steps), plan)


REPLAN_MIN_STEPS, REPLAN_AFTER_S, REPLAN_SHARE = 10, 15.0, 0.03


class Replanner:
    """Re-plans the schedule once, from the step time training actually has.

    ``check(trainer, elapsed_s, steps_done)`` is called after every step; the first time at
    least REPLAN_MIN_STEPS steps and max(REPLAN_AFTER_S, 3 % of the budget) have passed, it
    estimates the steps that will fit. If warm-up is still going and the warm-up for that
    estimate differs from the planned one by more than a third, the trainer's warm-up,
    noam factor and validation interval change to it (fields in ``fixed``, set by the user,
    are kept) and a line saying so is returned. ``change`` records what was decided."""

    def __init__(self, choice: Choice, fixed: set[str] = frozenset()):
        self.plan = choice.plan or {}
        self.fixed = set(fixed)
        self.done = not self.plan.get("budget_s")
        self.change: dict[str, Any] | None = None

    def check(self, trainer, elapsed_s: float, steps_done: int) -> str | None:
        budget_s = self.plan.get("budget_s")
        if self.done or steps_done < REPLAN_MIN_STEPS or elapsed_s < max(REPLAN_AFTER_S, REPLAN_SHARE * budget_s):
            return None
        self.done = True
        step_s = elapsed_s / steps_done
        est = steps_done + max(0.0, budget_s - elapsed_s) / step_s
        cfg = trainer.train_cfg
        warmup = warmup_for(est)
        self.change = {"at_step": steps_done, "step_s": round(step_s, 4), "expected_steps": int(est),
                       "planned_steps": self.plan.get("expected_steps"), "applied": False}
        if "warmup" in self.fixed or steps_done >= min(warmup, cfg.warmup) or \
                cfg.warmup * 0.75 <= warmup <= cfg.warmup / 0.75:
            return None
        new = {"warmup": warmup, "lr": factor_for(self.plan["shape_lr"], warmup),
               "eval_every": eval_every_for(est)}
        new = {k: v for k, v in new.items() if k not in self.fixed}
        trainer.train_cfg = trainer.train_cfg.replace(**new)
        self.change.update(new, applied=True)
        return (f"re-planned at step {steps_done}: {step_s:.2f} s a step, so about {int(est):,} steps in the "
                f"budget (planned {self.plan.get('expected_steps'):,}): warm-up {warmup}"
                + (f", noam factor {new['lr']:g}" if "lr" in new else "")
                + (f", validation every {new['eval_every']}" if "eval_every" in new else ""))
