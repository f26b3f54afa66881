"""How long the attention panel takes from a request to a drawn overview and head detail.

A 6-layer, 8-head encoder-decoder (random weights: only the timing matters; d_model 128,
the app's default width, or ``--d-model``) traces one 64-token sentence pair; the attention panel then draws the overview of all
144 heads and one head in detail, both painted (QWidget.grab) before the clock stops; the
overview is first laid out and painted by the event loop, as the app does (a large trace's
overview draws a kind of attention per turn: the clock runs until the last is drawn).

    python benchmarks/attention_view.py --json

Prints trace_ms (the model's traced pass), draw_ms (panel drawing), total_ms (their
sum), draw_cpu_ms (the UI thread's CPU time while drawing: on a loaded machine draw_ms is
mostly waiting for a core), draw_runqueue_ms (that wait, where Linux tells it), each
the median of ``--repeat`` runs after a warm-up. Target: total_ms <= 100 on CPU.

``--shape marian`` uses a model of opus-mt-en-de's exact shape (d_model 512, FFN 2048,
vocabulary 58,102, post-norm, random weights); target there: draw_ms <= 200 (the view
drawn after the trace arrives).

``--turns`` also delivers ``--repeat`` traces (two sentences in turn) as a reply to the
panel's request comes (the status line saying "tracing…" until then), and lets the event loop draw and paint the overview as it does in
the app, with a 1 ms timer between its turns: turn_cpu_max_ms is the UI thread's largest
CPU time between two ticks (one turn of the event loop, with what Qt painted in it; the
target of an event loop never held over 25 ms), turn_drawn_ms the median time from the
trace's arrival to the overview drawn and painted.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import torch
from PySide6.QtWidgets import QApplication

from explorer.panels.attention import AttentionPanel, Selection
from model.config import ModelConfig
from model.transformer import Seq2Seq


def build(n_tokens: int, d_model: int, vocab: int = 1000, shape: str = "default"):
    """A 6-layer, 8-head model and an n-token pair (token labels are the ids' names)."""
    torch.manual_seed(0)
    if shape == "marian":
        from model.marian import shape_config

        cfg = shape_config()
        vocab = cfg.src_vocab
    else:
        cfg = ModelConfig(src_vocab=vocab, tgt_vocab=vocab, d_model=d_model, n_heads=8, n_layers=6,
                          d_ff=4 * d_model, dropout=0.0, max_len=max(128, n_tokens))
    model = Seq2Seq(cfg).eval()
    src = torch.randint(4, vocab, (1, n_tokens))
    tgt = torch.randint(4, vocab, (1, n_tokens))
    return model, src, tgt


def queued_ms() -> float:
    """How long this thread has waited on a run queue for a core (ms; Linux, else 0)."""
    try:
        with open("/proc/thread-self/schedstat") as fh:
            return int(fh.read().split()[1]) / 1e6
    except (OSError, ValueError, IndexError):
        return 0.0


def trace_of(model, src, tgt):
    return model.trace(src, tgt, [f"s{i}" for i in src[0].tolist()], [f"t{i}" for i in tgt[0].tolist()])


def one_run(panel: AttentionPanel, model, src, tgt) -> tuple[float, float, float, float]:
    """(trace ms, draw ms, draw CPU ms, draw run-queue ms): the UI thread's CPU time, which
    on a busy machine says what the drawing costs better than the time it waited for a
    core, and that wait."""
    panel.show_tab("overview")  # where a person looks when a new trace comes in
    t0 = time.perf_counter()
    trace = model.trace(src, tgt, [f"s{i}" for i in src[0].tolist()],
                        [f"t{i}" for i in tgt[0].tolist()])
    t1, c1, q1 = time.perf_counter(), time.thread_time(), queued_ms()
    panel.show_trace(trace)
    QApplication.processEvents()  # laid out and painted as the event loop does
    while getattr(panel.overview, "pending", ()):  # a large trace's overview: a kind a turn
        QApplication.processEvents()
    panel.overview.grab()
    panel.select(Selection("cross", 5, 7))  # opens the Head tab and draws it
    panel.detail.grab()
    t2, c2, q2 = time.perf_counter(), time.thread_time(), queued_ms()
    return (t1 - t0) * 1000, (t2 - t1) * 1000, (c2 - c1) * 1000, q2 - q1


def turns(app: QApplication, panel: AttentionPanel, traces: list, repeat: int) -> dict:
    """Traces delivered as replies; the UI thread's CPU time between 1 ms ticks while the
    event loop draws and paints each (see the module's docstring)."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer

    panel.show_tab("overview")
    tick_cpu: list[float] = []
    last = [time.thread_time()]

    def tick() -> None:
        now = time.thread_time()
        tick_cpu.append((now - last[0]) * 1000)
        last[0] = now

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(1)
    timer.timeout.connect(tick)
    drawn_ms = []
    for i in range(repeat + 1):  # the first one warms up
        loop = QEventLoop()
        QTimer.singleShot(50, loop.quit)  # settle
        loop.exec()
        if i:
            timer.start()
        last[0] = time.thread_time()
        panel._set_status("tracing")  # as a request says until its answer comes
        loop = QEventLoop()
        QTimer.singleShot(50, loop.quit)
        loop.exec()
        t0 = time.perf_counter()
        panel._receive(traces[i % len(traces)])
        while panel.trace is not traces[i % len(traces)] or getattr(panel.overview, "pending", ()):
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        app.processEvents()  # the last kind painted
        drawn_ms.append((time.perf_counter() - t0) * 1000)
        loop = QEventLoop()
        QTimer.singleShot(100, loop.quit)  # whatever else comes of it
        loop.exec()
        timer.stop()
    return {"turn_cpu_max_ms": round(max(tick_cpu), 1),
            "turn_cpu_p99_ms": round(float(sorted(tick_cpu)[int(0.99 * (len(tick_cpu) - 1))]), 1),
            "turn_drawn_ms": round(statistics.median(drawn_ms[1:]), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--tokens", type=int, default=64)
    parser.add_argument("--d-model", type=int, default=ModelConfig.d_model)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--shape", choices=("default", "marian"), default="default",
                        help="marian: opus-mt-en-de's exact shape (74M parameters, vocabulary 58,102)")
    parser.add_argument("--turns", action="store_true",
                        help="also: traces drawn by the event loop, its turns' CPU time (turn_cpu_max_ms)")
    parser.add_argument("--threads", type=int, default=1,
                        help="torch intra-op threads (1: a small model gains nothing from more, "
                             "and on a busy CPU extra threads wait on each other)")
    args = parser.parse_args()

    app = QApplication.instance() or QApplication([])
    torch.set_num_threads(args.threads)
    model, src, tgt = build(args.tokens, args.d_model, shape=args.shape)
    panel = AttentionPanel(None)
    panel.resize(1400, 900)
    panel.show()
    app.processEvents()
    one_run(panel, model, src, tgt)  # warm-up: builds the views and the caches
    runs = [one_run(panel, model, src, tgt) for _ in range(args.repeat)]
    trace_ms = statistics.median(r[0] for r in runs)
    draw_ms = statistics.median(r[1] for r in runs)
    total_ms = statistics.median(r[0] + r[1] for r in runs)
    draw_cpu_ms = statistics.median(r[2] for r in runs)
    draw_runqueue_ms = statistics.median(r[3] for r in runs)
    result = {"shape": args.shape, "tokens": args.tokens, "layers": 6, "heads": 8,
              "d_model": model.model_config.d_model,
              "threads": torch.get_num_threads(),
              "trace_ms": round(trace_ms, 1), "draw_ms": round(draw_ms, 1),
              "draw_cpu_ms": round(draw_cpu_ms, 1), "draw_runqueue_ms": round(draw_runqueue_ms, 1),
              "load_average": os.getloadavg(),
              "total_ms": round(total_ms, 1),
              **(turns(app, panel, [trace_of(model, src, tgt), trace_of(model, tgt, src)], args.repeat)
                 if args.turns else {}),
              **({"target_draw_ms": 200} if args.shape == "marian" else {"target_total_ms": 100})}
    print(json.dumps(result) if args.json else "\n".join(f"{k}: {v}" for k, v in result.items()))
    panel.close()
    panel.deleteLater()  # no widget may outlive the application (a crash at exit otherwise)
    app.processEvents()
    app.shutdown()


if __name__ == "__main__":
    main()
