"""A model's training history: the metrics of every step and evaluation, and snapshots of
the model on a log-like schedule, compact enough to travel inside a checkpoint.

``History`` is filled by the Trainer while it trains and saved with the checkpoint, so a
model opened later can replay how it got there: the curves from step 0, and at steps
0, 10, 20, 50, 100, 200, 500, 1000, ... (and the last) what the panels need to redraw
that moment: the attention trace of the probe sentence and a few fixed sentences, the
embedding rows the projector shows by default, the learned position table, and sample
translations.

Storage is 16-bit where that is enough (losses, norms, traces, embeddings); steps are
int32 and learning rates float32. A snapshot's arrays are rounded to float16 as they are
taken, so what the app shows from a fresh snapshot is exactly what it shows after the
checkpoint is saved and loaded. ``to_arrays`` / ``from_arrays`` give flat name -> array
mappings plus a JSON-able dict: no pickle anywhere. ``fit_budget`` keeps the stored
size under a byte budget by dropping detail in a fixed order (see ``BUDGET_ORDER``).

Torch-free except for the two helpers the Trainer calls on live tensors
(``readable_metrics``, ``group_grad_norms``).
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from model.trace import AttentionTrace, ModelTrace, Snapshot

BUDGET_BYTES = 5_000_000  # at most this much history in a checkpoint
MAX_STEP_ROWS = 40_000  # past this, older step rows are thinned (every other one kept)
MAX_EMBED_ROWS = 1000  # embedding rows kept per side (the most frequent words come first)
N_FIXED = 2  # fixed validation sentences traced beside the probe at each snapshot
STEP_COLUMNS = ("loss", "ce", "accuracy", "lr", "grad_norm", "tokens_per_s")
EVAL_COLUMNS = ("valid_loss", "valid_accuracy", "bleu", "chrf", "aer")
KINDS = ("enc_self", "dec_self", "cross")
# arrays of an attention block kept by a "full" sentence; a "maps" sentence keeps only weights
FULL_BLOCK = ("x_q", "x_kv", "q", "k", "v", "output")
FULL_TRACE = ("src_embed", "src_pos", "tgt_embed", "tgt_pos")
# What fit_budget drops first, then next, ...: fixed sentences' computation arrays, the
# target embedding rows, the probe's computation arrays (all but the last snapshot), then
# whole snapshots: those off the log schedule first, then from the middle.
BUDGET_ORDER = ("fixed_full", "tgt_rows", "probe_full", "snapshots")


def is_scheduled(step: int) -> bool:
    """True for 0, 10, 20, 50, 100, 200, 500, 1000, ...: one, two, five times a power of ten."""
    if step == 0:
        return True
    if step < 10:
        return False
    power = 10 ** int(math.floor(math.log10(step)))
    return step % power == 0 and step // power in (1, 2, 5)


def schedule(last: int) -> list[int]:
    """The snapshot steps of a run that ends at ``last`` (``last`` included)."""
    steps = [s for s in _scheduled_up_to(last)]
    if steps[-1] != last:
        steps.append(last)
    return steps


def _scheduled_up_to(last: int):
    yield 0
    power = 10
    while power <= last:
        for m in (1, 2, 5):
            if m * power <= last:
                yield m * power
        power *= 10


def _f16(a: np.ndarray) -> np.ndarray:
    """Rounded to float16 and back: the values the history stores."""
    return np.asarray(a, dtype=np.float32).astype(np.float16).astype(np.float32)


_EMPTY = np.zeros((0,), np.float32)


@dataclass(frozen=True)
class HistorySnapshot:
    """The model at one step, as the panels redraw it.

    Attributes:
        step: the optimiser step.
        traces: the probe sentence's trace first, then the fixed sentences'; float arrays
            are float16 values. Projection matrices (w_q, ...) and logits are not kept
            (zero-size); a trace without its computation arrays (``full`` False) keeps only
            the attention weights and masks.
        full: per trace, whether it keeps its computation arrays (x, q, k, v, output, embeddings).
        src_ids, tgt_ids: the vocabulary ids of the embedding rows kept (the most frequent).
        src_rows, tgt_rows: (N, D) embedding rows of those ids.
        pos_table: (max_len, D) learned source position table, or None.
        samples: (source, reference, the model's greedy translation) of each traced sentence.
    """

    step: int
    traces: tuple[ModelTrace, ...]
    full: tuple[bool, ...]
    src_ids: np.ndarray
    src_rows: np.ndarray
    tgt_ids: np.ndarray
    tgt_rows: np.ndarray
    pos_table: np.ndarray | None = None
    samples: tuple[tuple[str, str, str], ...] = ()

    @property
    def probe(self) -> ModelTrace | None:
        return self.traces[0] if self.traces else None

    def nbytes(self) -> int:
        return sum(a.nbytes for a in self.to_arrays("").values())

    def as_snapshot(self) -> Snapshot:
        """The timeline entry the panels take (trace.Snapshot): the probe's trace, the
        embedding rows kept (the whole table when the vocabulary has at most MAX_EMBED_ROWS
        entries), the learned position table and the sample translations."""
        return Snapshot(step=self.step, probe=self.probe, src_embeddings=self.src_rows,
                        tgt_embeddings=self.tgt_rows, pos_table=self.pos_table, samples=self.samples)

    # ------------------------------------------------------------- serialisation
    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        out = {f"{prefix}src_ids": self.src_ids.astype(np.int32), f"{prefix}src_rows": self.src_rows.astype(np.float16),
               f"{prefix}tgt_ids": self.tgt_ids.astype(np.int32), f"{prefix}tgt_rows": self.tgt_rows.astype(np.float16)}
        if self.pos_table is not None:
            out[f"{prefix}pos_table"] = self.pos_table.astype(np.float16)
        for i, (trace, full) in enumerate(zip(self.traces, self.full)):
            p = f"{prefix}t{i}."
            out[p + "src_ids"] = trace.src_ids.astype(np.int32)
            out[p + "tgt_ids"] = trace.tgt_ids.astype(np.int32)
            if full:
                for name in FULL_TRACE:
                    out[p + name] = getattr(trace, name).astype(np.float16)
            for kind in KINDS:
                for block in trace.blocks(kind):
                    b = f"{p}{kind}.{block.layer}."
                    out[b + "weights"] = block.weights.astype(np.float16)
                    out[b + "allowed"] = block.allowed.astype(bool)
                    if full:
                        for name in FULL_BLOCK:
                            out[b + name] = getattr(block, name).astype(np.float16)
        return out

    def to_json(self) -> dict:
        return {"step": self.step, "full": list(self.full), "samples": [list(s) for s in self.samples],
                "tokens": [[list(t.src_tokens), list(t.tgt_tokens), list(t.out_tokens)] for t in self.traces],
                "layers": [[len(t.enc_self), len(t.dec_self)] for t in self.traces][:1],
                "pos_table": self.pos_table is not None}

    @classmethod
    def from_arrays(cls, meta: dict, arrays: dict[str, np.ndarray], prefix: str) -> HistorySnapshot:
        def get(name):
            return arrays[prefix + name]

        enc_layers, dec_layers = meta["layers"][0] if meta["layers"] else (0, 0)
        traces = []
        for i, (full, tokens) in enumerate(zip(meta["full"], meta["tokens"])):
            p = f"t{i}."
            src_tokens, tgt_tokens, out_tokens = (tuple(t) for t in tokens)
            S, T = len(src_tokens), len(tgt_tokens)
            blocks = {}
            for kind, n in (("enc_self", enc_layers), ("dec_self", dec_layers), ("cross", dec_layers)):
                blocks[kind] = tuple(
                    _block(kind, layer, get(f"{p}{kind}.{layer}.weights"), get(f"{p}{kind}.{layer}.allowed"),
                           {name: get(f"{p}{kind}.{layer}.{name}") for name in FULL_BLOCK} if full else None)
                    for layer in range(n))
            emb = {name: (get(p + name).astype(np.float32) if full else np.zeros((n_rows, 0), np.float32))
                   for name, n_rows in (("src_embed", S), ("src_pos", S), ("tgt_embed", T), ("tgt_pos", T))}
            traces.append(ModelTrace(src_tokens=src_tokens, tgt_tokens=tgt_tokens, out_tokens=out_tokens,
                                     src_ids=get(p + "src_ids").astype(np.int64),
                                     tgt_ids=get(p + "tgt_ids").astype(np.int64),
                                     enc_self=blocks["enc_self"], dec_self=blocks["dec_self"],
                                     cross=blocks["cross"], logits=np.zeros((T, 0), np.float32),
                                     step=int(meta["step"]), **emb))
        pos = get("pos_table").astype(np.float32) if meta.get("pos_table") else None
        return cls(step=int(meta["step"]), traces=tuple(traces), full=tuple(bool(f) for f in meta["full"]),
                   src_ids=get("src_ids").astype(np.int64), src_rows=get("src_rows").astype(np.float32),
                   tgt_ids=get("tgt_ids").astype(np.int64), tgt_rows=get("tgt_rows").astype(np.float32),
                   pos_table=pos, samples=tuple(tuple(s) for s in meta.get("samples", [])))

    # ------------------------------------------------------------- budget
    def stripped(self, which: str) -> HistorySnapshot:
        """This snapshot with less detail: "fixed_full" (the fixed sentences keep only their
        attention weights), "probe_full" (the probe too), "tgt_rows" (no target embedding rows)."""
        if which == "tgt_rows":
            return dataclasses.replace(self, tgt_ids=self.tgt_ids[:0], tgt_rows=self.tgt_rows[:0])
        keep = 0 if which == "probe_full" else 1
        full = tuple(f if i < keep else False for i, f in enumerate(self.full))
        traces = tuple(t if f else _maps_only(t) for t, f in zip(self.traces, full))
        return dataclasses.replace(self, full=full, traces=traces)


def _block(kind: str, layer: int, weights: np.ndarray, allowed: np.ndarray,
           full: dict[str, np.ndarray] | None) -> AttentionTrace:
    """An AttentionTrace from stored arrays; what is not stored is derived (scores from q and
    k, context and concat from the weights and v) or left zero-size (projection matrices)."""
    weights = weights.astype(np.float32)
    H, T, S = weights.shape
    none_w = np.zeros((0, 0), np.float32)
    none_b = {f"b_{x}": np.zeros((0,), np.float32) for x in "qkvo"}
    if full is None:
        empty_h = np.zeros((H, T, 0), np.float32)
        return AttentionTrace(kind=kind, layer=layer, x_q=np.zeros((T, 0), np.float32),
                              x_kv=np.zeros((S, 0), np.float32), w_q=none_w, w_k=none_w, w_v=none_w,
                              w_o=none_w, q=empty_h, k=np.zeros((H, S, 0), np.float32),
                              v=np.zeros((H, S, 0), np.float32), scores=np.zeros((H, T, S), np.float32),
                              allowed=allowed.astype(bool), weights=weights, context=empty_h,
                              concat=np.zeros((T, 0), np.float32), output=np.zeros((T, 0), np.float32),
                              **none_b)
    f = {k: v.astype(np.float32) for k, v in full.items()}
    context = weights @ f["v"]  # (H, T, Dh)
    return AttentionTrace(kind=kind, layer=layer, x_q=f["x_q"], x_kv=f["x_kv"], w_q=none_w, w_k=none_w,
                          w_v=none_w, w_o=none_w, q=f["q"], k=f["k"], v=f["v"],
                          scores=f["q"] @ f["k"].transpose(0, 2, 1), allowed=allowed.astype(bool),
                          weights=weights, context=context,
                          concat=context.transpose(1, 0, 2).reshape(T, -1), output=f["output"], **none_b)


def _maps_only(trace: ModelTrace) -> ModelTrace:
    def strip(block: AttentionTrace) -> AttentionTrace:
        return _block(block.kind, block.layer, block.weights, block.allowed, None)

    T, S = len(trace.tgt_tokens), len(trace.src_tokens)
    return dataclasses.replace(
        trace, enc_self=tuple(map(strip, trace.enc_self)), dec_self=tuple(map(strip, trace.dec_self)),
        cross=tuple(map(strip, trace.cross)), src_embed=np.zeros((S, 0), np.float32),
        src_pos=np.zeros((S, 0), np.float32), tgt_embed=np.zeros((T, 0), np.float32),
        tgt_pos=np.zeros((T, 0), np.float32))


def compact_trace(trace: ModelTrace, step: int) -> ModelTrace:
    """A trace as a snapshot keeps it: float16 values, no projection matrices or logits;
    scores, context and concat derived from the stored q, k, v and weights."""
    def block(b: AttentionTrace) -> AttentionTrace:
        return _block(b.kind, b.layer, _f16(b.weights), b.allowed,
                      {name: _f16(getattr(b, name)) for name in FULL_BLOCK})

    return dataclasses.replace(
        trace, enc_self=tuple(map(block, trace.enc_self)), dec_self=tuple(map(block, trace.dec_self)),
        cross=tuple(map(block, trace.cross)), logits=np.zeros((len(trace.tgt_tokens), 0), np.float32),
        step=step, **{name: _f16(getattr(trace, name)) for name in FULL_TRACE})


@dataclass
class History:
    """Everything a checkpoint carries about how its model was trained (see the module doc).

    ``steps`` holds one row per recorded step: the step number and STEP_COLUMNS;
    ``group_norms`` one row of gradient norms per parameter group (names in ``groups``);
    ``evals`` one row per evaluation: the step and EVAL_COLUMNS (NaN where not measured).
    """

    step: list[int] = field(default_factory=list)
    columns: dict[str, list[float]] = field(default_factory=lambda: {c: [] for c in STEP_COLUMNS})
    groups: list[str] = field(default_factory=list)
    group_norms: list[list[float]] = field(default_factory=list)
    eval_step: list[int] = field(default_factory=list)
    eval_columns: dict[str, list[float]] = field(default_factory=lambda: {c: [] for c in EVAL_COLUMNS})
    snapshots: list[HistorySnapshot] = field(default_factory=list)
    sentences: list[tuple[str, str | None]] = field(default_factory=list)  # fixed sentences traced

    # ------------------------------------------------------------- recording
    def record_step(self, step: int, values: dict[str, float], group_norms: dict[str, float] | None = None) -> None:
        """One training step's metrics (STEP_COLUMNS; missing ones are NaN)."""
        self.step.append(int(step))
        for name in STEP_COLUMNS:
            self.columns[name].append(float(values.get(name, math.nan)))
        norms = group_norms or {}
        for name in norms:
            if name not in self.groups:
                self.groups.append(name)
                for row in self.group_norms:
                    row.append(math.nan)
        self.group_norms.append([float(norms.get(g, math.nan)) for g in self.groups])
        if len(self.step) > MAX_STEP_ROWS:
            self._thin_steps()

    def _thin_steps(self) -> None:
        """Keep every other row of the older half (the newest half stays at every step)."""
        half = len(self.step) // 2
        keep = list(range(0, half, 2)) + list(range(half, len(self.step)))
        self.step = [self.step[i] for i in keep]
        self.columns = {k: [v[i] for i in keep] for k, v in self.columns.items()}
        self.group_norms = [self.group_norms[i] for i in keep]

    def record_eval(self, step: int, values: dict[str, float]) -> None:
        self.eval_step.append(int(step))
        for name in EVAL_COLUMNS:
            v = values.get(name)
            self.eval_columns[name].append(math.nan if v is None else float(v))

    def add_snapshot(self, snap: HistorySnapshot) -> None:
        """Add (or replace the one of the same step) keeping the list in step order."""
        self.snapshots = [s for s in self.snapshots if s.step != snap.step] + [snap]
        self.snapshots.sort(key=lambda s: s.step)

    def truncate(self, step: int) -> None:
        """Forget everything after ``step`` (a run continued from an earlier checkpoint)."""
        keep = [i for i, s in enumerate(self.step) if s <= step]
        self.step = [self.step[i] for i in keep]
        self.columns = {k: [v[i] for i in keep] for k, v in self.columns.items()}
        self.group_norms = [self.group_norms[i] for i in keep]
        ekeep = [i for i, s in enumerate(self.eval_step) if s <= step]
        self.eval_step = [self.eval_step[i] for i in ekeep]
        self.eval_columns = {k: [v[i] for i in ekeep] for k, v in self.eval_columns.items()}
        self.snapshots = [s for s in self.snapshots if s.step <= step]

    @property
    def last_step(self) -> int:
        return self.step[-1] if self.step else -1

    def __len__(self) -> int:
        return len(self.step)

    def snapshot_at(self, step: int) -> HistorySnapshot | None:
        """The last snapshot taken at or before ``step``."""
        best = None
        for s in self.snapshots:
            if s.step <= step:
                best = s
        return best

    # ------------------------------------------------------------- reading
    def metrics(self) -> dict[str, np.ndarray]:
        """Column name -> array, as stored (float16 rounding applied): "step", STEP_COLUMNS,
        "grad_norm.<group>" ..., and "eval.step", "eval.<column>"."""
        arrays = self.to_arrays()
        out = {"step": arrays["metrics.step"]}
        for name in STEP_COLUMNS:
            out[name] = arrays[f"metrics.{name}"].astype(np.float64)
        for i, g in enumerate(self.groups):
            out[f"grad_norm.{g}"] = arrays["metrics.group_norms"][:, i].astype(np.float64)
        out["eval.step"] = arrays["eval.step"]
        for name in EVAL_COLUMNS:
            out[f"eval.{name}"] = arrays[f"eval.{name}"].astype(np.float64)
        return out

    def to_csv(self) -> str:
        """Every step row as CSV (header line first); evaluation columns filled on the steps
        where an evaluation ran."""
        m = self.metrics()
        evals = {int(s): i for i, s in enumerate(m["eval.step"])}
        head = ["step", *STEP_COLUMNS, *(f"grad_norm.{g}" for g in self.groups), *EVAL_COLUMNS]
        lines = [",".join(head)]
        steps = [int(s) for s in m["step"]]
        for s in sorted(set(steps) | set(evals)):
            row = [str(s)]
            i = steps.index(s) if s in steps else None
            for name in [*STEP_COLUMNS, *(f"grad_norm.{g}" for g in self.groups)]:
                row.append("" if i is None else _fmt(m[name][i]))
            j = evals.get(s)
            row += ["" if j is None else _fmt(m[f"eval.{c}"][j]) for c in EVAL_COLUMNS]
            lines.append(",".join(row))
        return "\n".join(lines) + "\n"

    # ------------------------------------------------------------- serialisation
    def to_arrays(self) -> dict[str, np.ndarray]:
        """Flat name -> array mapping (float16 / float32 / int32 / bool)."""
        n, g = len(self.step), len(self.groups)
        out = {"metrics.step": np.asarray(self.step, np.int32).reshape(n)}
        for name in STEP_COLUMNS:
            dtype = np.float32 if name == "lr" else np.float16
            out[f"metrics.{name}"] = _finite_cast(self.columns[name], dtype)
        out["metrics.group_norms"] = _finite_cast(self.group_norms, np.float16).reshape(n, g)
        out["eval.step"] = np.asarray(self.eval_step, np.int32).reshape(len(self.eval_step))
        for name in EVAL_COLUMNS:
            out[f"eval.{name}"] = np.asarray(self.eval_columns[name], np.float32)
        for i, snap in enumerate(self.snapshots):
            out.update(snap.to_arrays(f"snap.{i}."))
        return out

    def to_json(self) -> dict:
        return {"version": 1, "groups": list(self.groups),
                "sentences": [list(s) for s in self.sentences],
                "snapshots": [s.to_json() for s in self.snapshots]}

    @classmethod
    def from_arrays(cls, meta: dict, arrays: dict[str, np.ndarray]) -> History:
        h = cls()
        h.step = [int(s) for s in arrays["metrics.step"]]
        for name in STEP_COLUMNS:
            h.columns[name] = arrays[f"metrics.{name}"].astype(np.float64).tolist()
        h.groups = list(meta.get("groups", []))
        h.group_norms = arrays["metrics.group_norms"].astype(np.float64).reshape(len(h.step), len(h.groups)).tolist()
        h.eval_step = [int(s) for s in arrays["eval.step"]]
        for name in EVAL_COLUMNS:
            h.eval_columns[name] = arrays[f"eval.{name}"].astype(np.float64).tolist()
        h.sentences = [tuple(s) for s in meta.get("sentences", [])]
        h.snapshots = [HistorySnapshot.from_arrays(m, arrays, f"snap.{i}.") for i, m in enumerate(meta.get("snapshots", []))]
        return h

    def to_section(self) -> dict:
        """The checkpoint's "history" section: {"meta": JSON values, "arrays": name -> array}."""
        return {"meta": self.to_json(), "arrays": self.to_arrays()}

    @classmethod
    def from_section(cls, section: dict) -> History:
        return cls.from_arrays(section["meta"], section["arrays"])

    def nbytes(self) -> int:
        return sum(a.nbytes for a in self.to_arrays().values())

    def fit_budget(self, budget: int = BUDGET_BYTES) -> History:
        """Drop detail in BUDGET_ORDER until the stored arrays take at most ``budget`` bytes.
        The last snapshot keeps its probe's computation arrays unless nothing else is left."""
        for which in BUDGET_ORDER:
            if self.nbytes() <= budget:
                break
            if which == "snapshots":
                while len(self.snapshots) > 2 and self.nbytes() > budget:
                    # off the schedule first (the last step of an earlier run, continued
                    # since), then from the middle of the schedule; never the first or last
                    middle = self.snapshots[1:-1]
                    off = [s for s in middle if not is_scheduled(s.step)]
                    victim = off[len(off) // 2] if off else middle[len(middle) // 2]
                    self.snapshots = [s for s in self.snapshots if s is not victim]
            else:
                last = len(self.snapshots) - 1
                self.snapshots = [s if (which == "probe_full" and i == last) else s.stripped(which)
                                  for i, s in enumerate(self.snapshots)]
        return self


def _finite_cast(values, dtype) -> np.ndarray:
    """Cast to ``dtype``, clipping finite values to its range (inf stays inf, NaN stays NaN)."""
    a = np.asarray(values, np.float64)
    if dtype == np.float16:
        big = float(np.finfo(np.float16).max)
        a = np.where(np.isfinite(a), np.clip(a, -big, big), a)
    return a.astype(dtype)


def _fmt(v: float) -> str:
    return "" if not math.isfinite(v) else f"{v:.6g}"


# ----------------------------------------------------------------- the Trainer's helpers
def take_snapshot(translator, step: int, sentences: Sequence[tuple[str, str | None]],
                  pos_table: np.ndarray | None, max_rows: int = MAX_EMBED_ROWS) -> HistorySnapshot:
    """Trace ``sentences`` (the probe first) and copy what the panels need at this step."""
    from model.inference import embedding_weight

    translator.step = step
    traces, samples = [], []
    for src, tgt in sentences:
        traces.append(compact_trace(translator.trace(src, tgt), step))
    hyps = translator.translate([s for s, _ in sentences], beam=1) if sentences else []
    samples = tuple((s, t or "", h) for (s, t), h in zip(sentences, hyps))
    rows = {}
    for side in ("src", "tgt"):
        weight = embedding_weight(translator.model, side)
        n = min(int(weight.shape[0]), max_rows)
        rows[side] = (np.arange(n, dtype=np.int64), _f16(weight[:n].detach().float().cpu().numpy()))
    return HistorySnapshot(step=step, traces=tuple(traces), full=tuple(True for _ in traces),
                           src_ids=rows["src"][0], src_rows=rows["src"][1],
                           tgt_ids=rows["tgt"][0], tgt_rows=rows["tgt"][1],
                           pos_table=None if pos_table is None else _f16(pos_table), samples=samples)


def readable_metrics(logits, tgt_out, pad: int):
    """(cross-entropy against the true next token without label smoothing, token accuracy)
    of one batch, as 0-d tensors (no synchronisation here). ``logits`` (B, T, V)."""
    import torch

    with torch.no_grad():
        flat = logits.detach().float().reshape(-1, logits.size(-1))
        target = tgt_out.reshape(-1)
        mask = target != pad
        picked = flat.gather(1, target.clamp_min(0).unsqueeze(1)).squeeze(1)
        nll = torch.logsumexp(flat, dim=-1) - picked
        correct = picked >= flat.max(dim=-1).values
        count = mask.sum().clamp_min(1)
        return (nll * mask).sum() / count, (correct & mask).sum() / count


def group_grad_norms(model, group_of) -> dict[str, float]:
    """Gradient norm of each parameter group (``group_of(name)``), from the gradients as
    they are now (call before clipping). One fused norm over all gradients."""
    import torch

    names, grads = [], []
    for name, p in model.named_parameters():
        if p.grad is not None:
            names.append(group_of(name))
            grads.append(p.grad)
    if not grads:
        return {}
    try:
        norms = torch.stack(torch._foreach_norm(grads)).float()
    except (AttributeError, RuntimeError):
        norms = torch.stack([g.float().norm() for g in grads])
    groups = list(dict.fromkeys(names))
    index = torch.tensor([groups.index(n) for n in names], device=norms.device)
    sq = torch.zeros(len(groups), device=norms.device).index_add_(0, index, norms.pow(2))
    return dict(zip(groups, sq.sqrt().tolist()))
