"""What the Analysis panel asks the worker to compute, and how the worker computes it (no Qt).

The worker serves ``requests.Analyse(view, src, options, progress, wanted)`` (skipped,
answering None, when ``wanted()`` is False by the time it comes to it) by calling
:func:`compute` with its trainer: the model's own analysis functions
(``model/analysis/``) on the model as it is now, heads switched off included. The reply is
an :class:`AnalysisResult`, whose ``report`` is that function's report unchanged (numpy
copies), so what the panel shows is exactly what ``model.analysis`` returns.

Views (``VIEWS``) and their options (``DEFAULTS``):

    attribution  method "ig" | "grad_input", baseline "zero" | "unk", steps
    rollout      residual (share of the identity mixed into each layer's attention)
    heads        pairs (validation pairs measured); ``progress`` gets an AnalysisResult after
                 the baseline and after each head, and stops the sweep by returning False
    lens         k (top tokens per layer and position)
    beam         beam, alpha (length normalisation; None: the model's own), top (candidates
                 shown per hypothesis)
    prefix       prefix (token ids): the attention while the beam extended that prefix
    without      heads (HeadRefs): the sentence translated with those heads off too

The head sweep switches heads off on the worker's own model (and puts them back), so it
runs in the worker, between training steps, never beside them.

Torch and ``model.analysis`` are imported inside the functions: this module is imported
by the panel, which must not import torch on the UI thread.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

VIEWS = ("attribution", "rollout", "heads", "lens", "beam")
DEFAULTS: dict[str, dict[str, Any]] = {
    "attribution": {"method": "ig", "baseline": "zero", "steps": 64},
    "rollout": {"residual": 0.5},
    "heads": {"pairs": 50},
    "lens": {"k": 5},
    "beam": {"beam": 4, "alpha": None, "top": 4},
    "prefix": {"prefix": ()},
    "without": {"heads": ()},
}


@dataclass(frozen=True)
class AnalysisResult:
    """One view's answer.

    Attributes:
        view, src, options: what was asked (options with the defaults filled in).
        step: the model's training step when it was computed.
        translation: the model's greedy translation of ``src`` (empty for the sweep).
        report: the model/analysis report (Attribution, Rollout, SweepProgress, LogitLens,
            BeamTree, ModelTrace, or for "without" the translation without the heads).
        extra: further arrays the view shows ("cross": (T, S) mean cross-attention for rollout).
        cancelled: the sweep was stopped before every head was measured.
    """

    view: str
    src: str
    options: Mapping[str, Any]
    step: int
    translation: str
    report: Any
    extra: Mapping[str, Any] = field(default_factory=dict)
    cancelled: bool = False


def options_for(view: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The view's default options, overridden by ``options``.

    Raises:
        ValueError: for an unknown view or option.
    """
    if view not in DEFAULTS:
        raise ValueError(f"unknown analysis view {view!r}")
    out = dict(DEFAULTS[view])
    for key, value in (options or {}).items():
        if key not in out:
            raise ValueError(f"the {view} view has no option {key!r}")
        out[key] = value
    return out


def compute(trainer, view: str, src: str, options: Mapping[str, Any] | None = None,
            progress: Callable[[Any], bool] | None = None) -> AnalysisResult:
    """Compute ``view`` for ``src`` on ``trainer``'s model (in the worker thread)."""
    opts = options_for(view, options)
    tr = trainer.translator
    tr.step = trainer.step_count
    if view == "heads":
        return _sweep(trainer, opts, progress)
    src = src.strip()
    if not src:
        raise ValueError("no sentence to analyse")
    src_ids = tr.encode_src(src)
    out_ids = tr.translate_ids([src_ids])[0]
    translation = tr.tgt_tok.decode(out_ids)
    extra: dict[str, Any] = {}
    if view == "attribution":
        from model.analysis.attribution import attribute

        report = attribute(tr, src, out_ids, method=opts["method"], baseline=opts["baseline"],
                           steps=int(opts["steps"]))
    elif view == "rollout":
        import numpy as np

        from model.analysis.rollout import trace_rollout

        trace = tr.trace(src)
        report = trace_rollout(trace, float(opts["residual"]))
        extra["cross"] = np.mean([b.weights.mean(0) for b in trace.cross], axis=0)
    elif view == "lens":
        from model.analysis.lens import logit_lens

        report = logit_lens(tr, src, out_ids, k=int(opts["k"]))
    elif view == "beam":
        from model.analysis.beamtree import beam_tree

        alpha = None if opts["alpha"] is None else float(opts["alpha"])
        report = beam_tree(tr, src, beam=int(opts["beam"]), alpha=alpha,
                           top=int(opts["top"]) or None)
        extra["translation"] = tr.tgt_tok.decode(list(report.output_ids))
        # each final hypothesis as text (subword pieces joined as the translation is)
        extra["finals"] = tuple(tr.tgt_tok.decode(report.prefix_ids(f.node)) for f in report.finals)
    elif view == "prefix":
        from model.analysis.beamtree import prefix_trace

        report = prefix_trace(tr, src, list(opts["prefix"]))
    elif view == "without":
        from model.analysis.heads import heads_off, heads_off_now

        with heads_off(tr.model, heads_off_now(tr.model) | {tuple(h) for h in opts["heads"]}):
            report = tr.tgt_tok.decode(tr.translate_ids([src_ids])[0])
    else:
        raise ValueError(f"unknown analysis view {view!r}")
    return AnalysisResult(view, src, opts, trainer.step_count, translation, report, extra)


def _sweep(trainer, opts: Mapping[str, Any], progress) -> AnalysisResult:
    """The head-importance sweep on the first ``pairs`` validation pairs."""
    from model.analysis.sweep import head_sweep

    pairs = trainer.data["valid"].pairs[: max(1, int(opts["pairs"]))]
    if not pairs:
        raise ValueError("the corpus has no validation pairs to measure heads on")
    extra = {"layers": layer_counts(trainer.model_config), "n_heads": trainer.model_config.n_heads}
    result = None
    for last in head_sweep(trainer.translator, pairs, lang=trainer.corpus.tgt_lang):
        result = AnalysisResult("heads", "", dict(opts, pairs=len(pairs)), trainer.step_count, "",
                                last, extra)
        if progress is not None and not progress(result):
            if last.done < last.total:
                return replace(result, cancelled=True)
            break
    return result


def layer_counts(model_config) -> dict[str, int]:
    """kind -> number of layers (what SweepProgress.table needs)."""
    return {"enc_self": model_config.n_layers, "dec_self": model_config.dec_layers, "cross": model_config.dec_layers}
