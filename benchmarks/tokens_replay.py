"""What one replay frame costs the Tokens panel: new rows of E for the same sentence.

Builds the panel alone (offscreen, a stand-in session), shows a 10-token sentence with a
word tokenizer and E of width 128, then hands it a new EmbeddingSnapshot per frame
(``show_embeddings``, as a timeline frame or a training step does), lets the event loop
draw and grabs the panel (painting it). The same script runs on older commits of the
panel (their ``show_embeddings`` redrew everything), so before/after is one command each.

    python benchmarks/tokens_replay.py --json [--frames 40]

Prints ms per frame: ``redraw_ms`` (show_embeddings and the events it leaves), ``paint_ms``
(the grab), ``frame_ms`` their sum (medians over the frames).
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

import numpy as np
from PySide6.QtWidgets import QApplication


class _Signal:
    def connect(self, *_args) -> None:
        pass


class StandIn:
    """The little of a Session the panel reads when no model is loaded."""

    has_model = False
    model_config = src_tokenizer = tgt_tokenizer = None
    sig_model_changed = _Signal()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--frames", type=int, default=40)
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    from explorer.panels.tokens import TokensPanel
    from model.tokenizer import build_tokenizer
    from model.trace import EmbeddingSnapshot

    tok = build_tokenizer("word", ["the dog sees the cat .", "a cat sleeps in the warm sun .",
                                   "the bird sings ."], "en")
    E = np.random.default_rng(0).normal(size=(tok.vocab_size, 128)).astype(np.float32)
    view = TokensPanel(StandIn())
    view.resize(700, 600)
    view.show()
    view.set_tokenizers(tok, tok)

    def snapshot(k: int):
        return EmbeddingSnapshot(step=k, name="src", tokens=tuple(tok.tokens()), matrix=E * (1 + k % 3))

    view.show_embeddings(snapshot(0))
    view.show_sentence("the dog sees the cat in the warm sun .")
    app.processEvents()
    redraw, paint = [], []
    for k in range(1, args.frames + 6):
        t0 = time.perf_counter()
        view.show_embeddings(snapshot(k))
        app.processEvents()
        t1 = time.perf_counter()
        view.grab()
        t2 = time.perf_counter()
        if k > 5:  # warm-up frames left out
            redraw.append((t1 - t0) * 1000)
            paint.append((t2 - t1) * 1000)
    result = {"frames": args.frames, "redraw_ms": statistics.median(redraw),
              "paint_ms": statistics.median(paint),
              "frame_ms": statistics.median(r + q for r, q in zip(redraw, paint)),
              "load_average": list(os.getloadavg())}
    print(f"redraw {result['redraw_ms']:.1f} ms + paint {result['paint_ms']:.1f} ms per frame",
          file=sys.stderr)
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
