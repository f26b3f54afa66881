"""The Analysis panel's Qt-free part: what it asks for, and the tables and matrices it
draws from each reply.

The worker computes every view (``explorer.logic.analysis``); this module only turns the
replies (``AnalysisResult`` wrapping ``model.analysis`` reports) into what is shown:
labelled matrices (:class:`Matrix`, exported as CSV/NPY as shown), the head table, the
logit lens cells and the beam tree's rows. Plain numpy and dataclasses, tested without a
QApplication (tests/explorer/test_analysis_state.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from explorer.logic.analysis import DEFAULTS, VIEWS, options_for

KINDS = ("enc_self", "dec_self", "cross")
KIND_SHORT = {"enc_self": "enc", "dec_self": "dec", "cross": "cross"}
METRICS = ("loss", "bleu", "aer")
TREE_COLUMNS = ("step", "log p", "score", "kept", "finished")


@dataclass(frozen=True)
class Matrix:
    """A matrix as a view shows it: name (file names), values (R, C), row and column labels."""

    name: str
    values: np.ndarray
    rows: tuple[str, ...]
    cols: tuple[str, ...]


# Views computed on their own (when shown) only for models of at most this many parameters;
# larger ones wait for Analyse. Integrated gradients take 64 or more backward passes per
# output: seconds at the shipped models' 4 M parameters, minutes at opus-mt's 74 M.
AUTOMATIC_UP_TO = {"attribution": 20_000_000}


@dataclass
class AnalysisState:
    """The sentence, each view's options, and the replies received (latest per view);
    ``n_params``: the model's size, which decides what is computed without being asked."""

    sentence: str = ""
    n_params: int = 0
    options: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {view: dict(DEFAULTS[view]) for view in VIEWS})
    results: dict[str, Any] = field(default_factory=dict)

    def set_sentence(self, text: str) -> bool:
        """A new sentence forgets every sentence view's result; True when it changed."""
        text = text.strip()
        if text == self.sentence:
            return False
        self.sentence = text
        for view in [v for v in self.results if v != "heads"]:
            del self.results[view]
        return True

    def set_option(self, view: str, key: str, value: Any) -> bool:
        """Change one option (validated); True when it changed (the result is then stale)."""
        options_for(view, {key: value})
        if self.options[view].get(key) == value:
            return False
        self.options[view][key] = value
        return True

    def request(self, view: str) -> tuple[str, str, dict[str, Any]] | None:
        """(view, sentence, options) to ask the worker; None when there is nothing to ask."""
        if view != "heads" and not self.sentence:
            return None
        return view, self.sentence, dict(self.options[view])

    def needs(self, view: str) -> bool:
        """True when the view has no result for the current sentence and options
        (the sweep runs only when asked)."""
        if view == "heads" or not self.sentence:
            return False
        result = self.results.get(view)
        return result is None or result.src != self.sentence or dict(result.options) != self.options[view]

    def automatic(self, view: str) -> bool:
        """Whether the view is computed when shown, without Analyse (see ``AUTOMATIC_UP_TO``)."""
        limit = AUTOMATIC_UP_TO.get(view)
        return view != "heads" and (limit is None or self.n_params <= limit)

    def forget(self) -> None:
        """Drop every result (the model changed)."""
        self.results.clear()


# -- attribution ------------------------------------------------------------------------------
def attribution_columns(attr) -> tuple[str, ...]:
    """Column labels of the attribution matrix: source tokens, then decoder input tokens."""
    return tuple(f"{t}" for t in attr.src_tokens) + tuple(f"→{t}" for t in attr.tgt_tokens)


def attribution_matrices(attr) -> list[Matrix]:
    """The attribution (T, S + T) and the cross-attention (T, S) it is shown beside."""
    rows = tuple(attr.out_tokens)
    return [Matrix(f"attribution.{attr.method}", attr.matrix(), rows, attribution_columns(attr)),
            Matrix("cross_attention.mean", attr.cross, rows, tuple(attr.src_tokens))]


def attribution_summary(attr) -> dict[str, float]:
    """The numbers written under the matrices: correlation with cross-attention, the share
    of attribution on the source, and (integrated gradients) the largest completeness error."""
    total = np.abs(attr.src).sum() + np.abs(attr.tgt).sum()
    out = {"correlation": attr.correlation(),
           "source_share": float(np.abs(attr.src).sum() / total) if total else float("nan"),
           "completeness": float("nan"), "steps_most": attr.steps}
    if attr.method == "ig":
        out["completeness"] = float(np.nanmax(attr.completeness_error()))
        used = getattr(attr, "steps_used", None)
        if used is not None and len(used):
            out["steps_most"] = int(np.max(used))
    return out


def output_row(attr, row: int) -> dict[str, Any]:
    """One output token's numbers: sum of attributions, f(input), f(baseline), steps used."""
    used = getattr(attr, "steps_used", None)
    return {"token": attr.out_tokens[row], "sum": float(attr.totals()[row]),
            "logp": float(attr.logp[row]), "logp_baseline": float(attr.logp_baseline[row]),
            "steps": int(used[row]) if used is not None else attr.steps}


# -- rollout ------------------------------------------------------------------------------------
def rollout_matrices(result, layer: int = -1) -> list[Matrix]:
    """Encoder rollout after ``layer`` (S, S), output-to-source relevance (T, S) and the
    plain mean cross-attention (T, S) it is compared with."""
    r = result.report
    src, out = tuple(r.src_tokens), tuple(r.out_tokens)
    layer = layer % len(r.enc) if len(r.enc) else 0
    enc = r.enc[layer] if len(r.enc) else np.eye(len(src))
    return [Matrix(f"rollout.encoder.L{layer}", enc, src, src),
            Matrix("rollout.relevance", r.relevance, out, src),
            Matrix("cross_attention.mean", np.asarray(result.extra["cross"]), out, src)]


def relevance_top(r) -> list[tuple[str, str, float]]:
    """For each output token, the source token it is most relevant to: (out, src, weight)."""
    best = r.relevance.argmax(1)
    return [(r.out_tokens[t], r.src_tokens[s], float(r.relevance[t, s])) for t, s in enumerate(best)]


# -- head importance ----------------------------------------------------------------------------
def sweep_table(result, metric: str) -> Matrix:
    """Rows "enc L0", "dec L0", "cross L0", ...; columns heads; values the metric's change
    when that head alone is switched off (NaN: not measured yet)."""
    progress, extra = result.report, result.extra
    n_heads = int(extra["n_heads"])
    tables = progress.table(metric, extra["layers"], n_heads)
    rows, values = [], []
    for kind in KINDS:
        for layer, line in enumerate(tables.get(kind, ())):
            rows.append(f"{KIND_SHORT[kind]} L{layer}")
            values.append(line)
    values = np.array(values, dtype=float).reshape(len(rows), n_heads)
    return Matrix(f"heads.delta_{metric}", values, tuple(rows), tuple(f"H{h}" for h in range(n_heads)))


def head_at(table: Matrix, row: int, col: int) -> tuple[str, int, int]:
    """The head (kind, layer, head) of a cell of :func:`sweep_table`."""
    short, layer = table.rows[row].split(" L")
    kind = {v: k for k, v in KIND_SHORT.items()}[short]
    return kind, int(layer), col


def most_important(table: Matrix, metric: str, n: int = 3) -> list[tuple[int, int, float]]:
    """The n cells that hurt most when switched off: loss and AER up, BLEU down."""
    sign = -1.0 if metric == "bleu" else 1.0
    flat = np.where(np.isfinite(table.values), sign * table.values, -np.inf).ravel()
    order = [i for i in np.argsort(-flat, kind="stable") if np.isfinite(flat[i])][:n]
    return [(int(i // table.values.shape[1]), int(i % table.values.shape[1]),
             float(table.values.flat[i])) for i in order]


# -- logit lens ----------------------------------------------------------------------------------
def lens_cells(lens) -> list[list[str]]:
    """(layers) x (positions) texts: each cell the top tokens with their probabilities."""
    return [["\n".join(f"{tok}  {p:.2f}" for tok, p in zip(lens.top_tokens[i][t], lens.top_probs[i, t]))
             for t in range(len(lens.tgt_tokens))] for i in range(len(lens.layers))]


def lens_columns(lens) -> tuple[str, ...]:
    """Position labels: the token the decoder reads there."""
    return tuple(f"{t}: {tok}" for t, tok in enumerate(lens.tgt_tokens))


def lens_matrices(lens) -> list[Matrix]:
    """Top-1 probability and the probability of the model's final prediction, (L, T)."""
    cols = lens_columns(lens)
    return [Matrix("lens.top1_prob", lens.top_probs[:, :, 0], tuple(lens.layers), cols),
            Matrix("lens.final_prob", lens.final_prob, tuple(lens.layers), cols)]


def lens_first_layer(lens) -> list[int]:
    """For each position, the first layer whose top-1 is already the final prediction (-1: none)."""
    final = lens.top_ids[-1, :, 0]
    out = []
    for t in range(len(lens.tgt_tokens)):
        n = len(lens.layers)
        hits = [i for i in range(n) if all(lens.top_ids[m, t, 0] == final[t] for m in range(i, n))]
        out.append(hits[0] if hits else -1)
    return out


# -- beam tree -------------------------------------------------------------------------------------
def tree_children(tree) -> dict[int, list[int]]:
    """node id -> its children's ids, in the order the search made them."""
    children: dict[int, list[int]] = {n.id: [] for n in tree.nodes}
    for n in tree.nodes[1:]:
        children[n.parent].append(n.id)
    return children


def best_path(tree) -> set[int]:
    """The nodes of the chosen hypothesis."""
    return set(tree.path(tree.finals[tree.best].node)) if tree.finals else set()


def node_state(tree, node_id: int) -> str:
    """"chosen", "finished", "kept" or "pruned"."""
    n = tree.nodes[node_id]
    if node_id in best_path(tree):
        return "chosen"
    if n.finished and n.kept:
        return "finished"
    return "kept" if n.kept else "pruned"


def tree_matrix(tree) -> Matrix:
    """Every node as a row: step, log p, score, kept, finished."""
    values = np.array([[n.step, n.logp, n.score, float(n.kept), float(n.finished)] for n in tree.nodes])
    rows = tuple(f"{n.id}:{n.token}" for n in tree.nodes)
    return Matrix("beam.nodes", values.reshape(len(rows), len(TREE_COLUMNS)), rows, TREE_COLUMNS)


def finals_matrix(tree) -> Matrix:
    """The hypotheses left at the end: score, length, penalty, normalised score, chosen."""
    values = np.array([[f.score, f.length, f.penalty, f.normalised, float(i == tree.best)]
                       for i, f in enumerate(tree.finals)]).reshape(len(tree.finals), 5)
    rows = tuple(" ".join(tree.nodes[i].token for i in tree.path(f.node)[1:]) for f in tree.finals)
    return Matrix("beam.finals", values, rows, ("score", "length", "penalty", "normalised", "chosen"))


def prefix_cross(trace) -> Matrix:
    """A prefix's cross-attention, mean over layers and heads (T, S); its last row is what
    the decoder looked at while choosing the token after the prefix."""
    values = np.mean([b.weights.mean(0) for b in trace.cross], axis=0)
    return Matrix("beam.prefix_cross", values, tuple(trace.tgt_tokens), tuple(trace.src_tokens))
