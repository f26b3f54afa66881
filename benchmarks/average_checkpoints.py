"""Average the weights of several checkpoints of one run (the last saves of a long run).

    python benchmarks/average_checkpoints.py OUT.safetensors A.safetensors B.safetensors ...

Averaging the weights of the last few saves of a run, each some hundred steps apart, smooths
the noise of the last steps (Vaswani et al. 2017 average the last 5 or 20 checkpoints).
The output takes the config, tokenizers, step, metrics and training history of the last
input, no optimiser state; the history's last snapshot is taken again from the averaged
weights, so the timeline's last frame is the model that is shipped. All inputs must have
the same config and tokenizers.
"""
from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model.checkpoint import load_checkpoint, save_checkpoint  # noqa: E402
from model.history import History, take_snapshot  # noqa: E402
from model.inference import Translator, learned_position_table  # noqa: E402


def resnapshot(path: str) -> int | None:
    """Take the last history snapshot of the checkpoint at ``path`` again, from its own
    weights (the same sentences as the snapshot it replaces); returns its step."""
    ckpt = load_checkpoint(path)
    if "history" not in ckpt.sections:
        return None
    history = History.from_section(ckpt.sections["history"])
    if not history.snapshots:
        return None
    last = history.snapshots[-1]
    translator = Translator.load(path)
    pos = learned_position_table(translator.model, "src")
    sentences = [(src, tgt or None) for src, tgt, _ in last.samples]
    history.add_snapshot(take_snapshot(translator, last.step, sentences,
                                       None if pos is None else pos.detach().float().cpu().numpy()))
    sections = dict(ckpt.sections, history=history.fit_budget().to_section())
    save_checkpoint(path, dataclasses.replace(ckpt, sections=sections))
    return last.step


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    out, paths = sys.argv[1], sys.argv[2:]
    ckpts = [load_checkpoint(p) for p in paths]
    last = ckpts[-1]
    for p, c in zip(paths, ckpts):
        if c.model_config != last.model_config or c.src_tokenizer.to_dict() != last.src_tokenizer.to_dict():
            raise SystemExit(f"{p}: not the same model or tokenizer as {paths[-1]}")
    weights = {name: sum(c.weights[name].float() for c in ckpts) / len(ckpts) for name in last.weights}
    metrics = {k: v for k, v in last.metrics.items() if k == "train_loss"}  # valid scores were of one save
    averaged = dataclasses.replace(last, weights=weights, optimizer={}, metrics=metrics,
                                   sections={k: v for k, v in last.sections.items() if k != "resume"})
    save_checkpoint(out, averaged)
    print(json.dumps({"out": out, "averaged": len(ckpts), "steps": [c.step for c in ckpts],
                      "snapshot_retaken": resnapshot(out)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
