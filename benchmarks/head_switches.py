"""What the Attention panel's head switches cost the UI thread when a model arrives.

    python benchmarks/head_switches.py --json
    python benchmarks/head_switches.py --panel --json [--checkout DIR]

Times ``HeadSwitches.set_shape`` for opus-mt's shape (6 layers x 8 heads x 3 kinds = 144
heads) with the grid closed, as it is when a model arrives, then opening the grid (which
makes the check boxes). Median of 6 after a warm-up; prints one JSON object.

``--panel`` times the whole Attention panel instead (shown, 1366 x 768): its first
``show_trace`` of a trace of opus-mt's head shape (a small random model: 6 + 6 layers of
8 heads, d_model 64), what the panel does on the UI thread when such a model arrives, with
the posted events run; a new panel each round. ``--checkout DIR`` imports explorer/ and
model/ from another checkout (to compare code in one run, old and new alternated).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

SHAPE = {"enc_self": (6, 8), "dec_self": (6, 8), "cross": (6, 8)}


def widget(app) -> dict:
    from explorer.panels.attention.heads import HeadSwitches

    arrive, open_ = [], []
    for _ in range(7):
        w = HeadSwitches()
        w.show()
        app.processEvents()
        t = time.perf_counter()
        w.set_shape(SHAPE)
        w.show_off(set())
        app.processEvents()
        arrive.append((time.perf_counter() - t) * 1e3)
        t = time.perf_counter()
        w.toggle.setChecked(True)
        app.processEvents()
        open_.append((time.perf_counter() - t) * 1e3)
        w.deleteLater()
        app.processEvents()
    return {"heads": 144, "model_arrives_ms": round(statistics.median(arrive[1:]), 2),
            "grid_opened_ms": round(statistics.median(open_[1:]), 2)}


def panel(app, rounds: int) -> dict:
    import torch

    from explorer.panels.attention import AttentionPanel
    from model.config import TrainConfig
    from model.corpus import load_corpus
    from model.train import Trainer

    torch.manual_seed(0)
    trainer = Trainer.from_corpus(
        load_corpus("builtin:en-de", max_pairs=200, seed=0), tokenizer="word",
        model_config={"d_model": 64, "n_heads": 8, "n_layers": 6, "d_ff": 128, "dropout": 0.0,
                      "max_len": 40},
        train_cfg=TrainConfig(batch_tokens=256, eval_every=0, device="cpu", seed=0))
    trace = trainer.trace("the dog sees the cat .")
    times, cpu = [], []
    for _ in range(rounds + 1):
        p = AttentionPanel(None)
        p.resize(1366, 768)
        p.show()
        app.processEvents()
        t, c = time.perf_counter(), time.thread_time()
        p.show_trace(trace)
        app.processEvents()
        times.append((time.perf_counter() - t) * 1e3)
        cpu.append((time.thread_time() - c) * 1e3)
        p.close()
        p.deleteLater()
        app.processEvents()
    heads = sum(len(trace.blocks(k)) * trace.blocks(k)[0].n_heads for k in SHAPE)
    return {"heads": heads, "model_arrives_ms": round(statistics.median(times[1:]), 2),
            "ui_thread_cpu_ms": round(statistics.median(cpu[1:]), 2),
            "each_ms": [round(x, 1) for x in times[1:]]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--panel", action="store_true", help="the whole Attention panel")
    parser.add_argument("--rounds", type=int, default=6, help="--panel: panels timed")
    parser.add_argument("--checkout", default=str(Path(__file__).resolve().parents[1]),
                        help="import explorer/ and model/ from this checkout")
    parser.add_argument("--json", action="store_true", help="print one JSON object (always)")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(args.checkout).resolve()))
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    result = panel(app, args.rounds) if args.panel else widget(app)
    print(json.dumps({**result, "load_average": os.getloadavg()}))


if __name__ == "__main__":
    main()
