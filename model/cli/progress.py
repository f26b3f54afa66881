"""Progress of a long training run on stderr.

On a terminal one live line is rewritten in place (step, smoothed loss, last valid BLEU,
tokens/s, time left); elsewhere (a log file, a pipe) a plain line is written every
``every`` steps. Lines that must stay (validation results, warnings) go through
:meth:`Progress.line`, which clears the live line first.
"""
from __future__ import annotations

import sys
import time
from typing import TextIO


class SmoothedLoss:
    """Exponential moving average of the training loss, bias-corrected so the first
    steps are not pulled towards zero (as Adam corrects its moments)."""

    def __init__(self, beta: float = 0.98) -> None:
        self.beta, self._avg, self._n = beta, 0.0, 0

    def add(self, loss: float) -> float:
        self._n += 1
        self._avg = self.beta * self._avg + (1 - self.beta) * loss
        return self.value

    @property
    def value(self) -> float | None:
        return self._avg / (1 - self.beta ** self._n) if self._n else None


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds >= 3600 \
        else f"{seconds // 60}:{seconds % 60:02d}"


class Progress:
    """Args:
        steps: the step limit of this run (None: none), counted from ``first_step``.
        minutes: the time limit (None: none).
        every: steps between plain lines when not on a terminal.
    """

    def __init__(self, steps: int | None, minutes: float | None, first_step: int = 0, every: int = 50,
                 stream: TextIO | None = None, live: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty() if live is None else live
        self.steps, self.minutes, self.first_step, self.every = steps, minutes, first_step, every
        self.start = time.perf_counter()
        self.loss = SmoothedLoss()
        self.valid_bleu: float | None = None
        self._shown = 0.0
        self._live_width = 0

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def left(self, step: int) -> float | None:
        """Seconds left until the nearer of the two limits."""
        elapsed, done = self.elapsed(), step - self.first_step
        candidates = []
        if self.minutes:
            candidates.append(self.minutes * 60 - elapsed)
        if self.steps is not None and done > 0:
            candidates.append((self.steps - done) * elapsed / done)
        return min(candidates) if candidates else None

    def describe(self, report) -> str:
        left = self.left(report.step)
        bleu = f"  valid BLEU {self.valid_bleu:.1f}" if self.valid_bleu is not None else ""
        total = f"/{self.first_step + self.steps}" if self.steps is not None else ""
        return (f"step {report.step}{total}  loss {self.loss.value:.3f}{bleu}  "
                f"{report.tokens_per_s:,.0f} tok/s  {_clock(self.elapsed())}"
                + (f"  {_clock(left)} left" if left is not None else ""))

    def update(self, report) -> None:
        """Record one step's report and show it (live: at most 5 times a second)."""
        self.loss.add(report.loss)
        if report.valid_bleu is not None:
            self.valid_bleu = report.valid_bleu
        if self.live:
            now = time.perf_counter()
            if now - self._shown >= 0.2:
                self._shown = now
                text = self.describe(report)
                self.stream.write("\r" + text.ljust(self._live_width))
                self.stream.flush()
                self._live_width = len(text)
        elif self.every and report.step % self.every == 0:
            self.line(self.describe(report))

    def line(self, text: str) -> None:
        """A line that stays, above the live line."""
        self.clear()
        print(text, file=self.stream, flush=True)

    def clear(self) -> None:
        if self.live and self._live_width:
            self.stream.write("\r" + " " * self._live_width + "\r")
            self.stream.flush()
            self._live_width = 0
