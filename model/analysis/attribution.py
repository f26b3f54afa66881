"""Which input tokens decided each output token: gradient x input and integrated gradients.

Both act on the embedding rows ``e`` (the rows of the embedding tables, before the
sqrt(D) scaling and the positions, which stay as they are). For output position t, the
function explained is f_t = log p(y_t | source, y_<t): the log-probability the model gives
the token at that position, with the decoder reading ``<bos> y_1 .. y_{t-1}``.

    gradient x input:      a_i = e_i . df_t/de_i                       (at the input)
    integrated gradients:  a_i = (e_i - b_i) . integral_0^1 df_t/de_i (b + alpha (e - b)) dalpha,
                           by the trapezoid rule on nodes 0 = alpha_0 < .. < alpha_n-1 = 1

with b the baseline: zero rows ("zero") or the <unk> row ("unk") for every token.
Integrated gradients are complete (Sundararajan et al. 2017): the a_i of one output add up
to f_t(e) - f_t(b), up to the error of the rule. :meth:`Attribution.completeness_error`
measures it. ``steps`` is the number of nodes (gradient evaluations) per output. With a
``tolerance`` the nodes are not evenly spaced: f_t is computed at every node too, so each
interval's error is known exactly (:class:`_Trapezoid`), and the next nodes go where it is
largest (see :func:`attribute_steps` for why a trained model needs that). Outputs that
still miss the tolerance at ``steps`` nodes may get more, up to ``max_steps``
(``Attribution.steps_used`` says how many each took).

All outputs are computed together: the batch holds one copy of the sentence per output
position and node, in chunks, so one backward pass gives many outputs' gradients.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from model.inference import Translator
from model.tokenizer import BOS, EOS, UNK
from model.transformer import Seq2Seq

BASELINES = ("zero", "unk")
METHODS = ("ig", "grad_input")


@dataclass(frozen=True)
class Attribution:
    """Attributions of every output token to the source and the earlier target tokens.

    Attributes:
        method: "ig" (integrated gradients) or "grad_input".
        baseline, steps: the integrated gradients' baseline and step count.
        src_tokens (S), tgt_tokens (T, decoder input from <bos>), out_tokens (T, the outputs).
        src: (T, S) attribution of output t to source token s.
        tgt: (T, T) attribution of output t to decoder input token j (zero for j > t).
        logp: (T,) f_t at the input; logp_baseline: (T,) at the baseline (NaN for grad x input).
        cross: (T, S) cross-attention of the same sentence, averaged over layers and heads.
        steps_used: (T,) the steps each output took (``steps`` or a multiple of it, see
            :func:`attribute_steps`); None when not recorded.
    """

    method: str
    baseline: str
    steps: int
    src_tokens: tuple[str, ...]
    tgt_tokens: tuple[str, ...]
    out_tokens: tuple[str, ...]
    src: np.ndarray
    tgt: np.ndarray
    logp: np.ndarray
    logp_baseline: np.ndarray
    cross: np.ndarray
    steps_used: np.ndarray | None = None

    def totals(self) -> np.ndarray:
        """(T,) sum of each output's attributions."""
        return self.src.sum(1) + self.tgt.sum(1)

    def completeness_error(self) -> np.ndarray:
        """(T,) |sum of attributions - (f(input) - f(baseline))| / |f(input) - f(baseline)|."""
        delta = self.logp - self.logp_baseline
        return np.abs(self.totals() - delta) / np.maximum(np.abs(delta), 1e-12)

    def matrix(self) -> np.ndarray:
        """(T, S + T) source columns then target columns, as the view shows it."""
        return np.concatenate([self.src, self.tgt], axis=1)

    def correlation(self) -> float:
        """Pearson correlation of |source attribution| (rows normalised) with cross-attention."""
        a = np.abs(self.src)
        a = a / np.maximum(a.sum(1, keepdims=True), 1e-12)
        if a.size < 2 or a.std() == 0 or self.cross.std() == 0:
            return float("nan")
        return float(np.corrcoef(a.ravel(), self.cross.ravel())[0, 1])


class _Replace:
    """Forward hooks making the embedding tables return given rows for given id tensors
    (works when the source and target share one table)."""

    def __init__(self, model: Seq2Seq, rows: dict[int, torch.Tensor]):
        self.rows = rows
        tables = {id(m): m for m in (model.src_embed, model.tgt_embed)}.values()
        self.handles = [m.register_forward_hook(self._hook) for m in tables]

    def _hook(self, module, args, out):
        return self.rows.get(id(args[0]), out)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for h in self.handles:
            h.remove()


def _selected_logp(model, src, tgt_in, src_rows, tgt_rows, positions, targets) -> torch.Tensor:
    """log p(targets[n] | row n) at decoder position positions[n], with the embedding rows replaced.

    A hook on the final norm keeps only row n's position, so the output layer (the largest
    matmul at a real vocabulary) runs on one position per row."""
    rows = torch.arange(len(positions), device=positions.device)
    pick = model.dec_norm.register_forward_hook(lambda mod, args, out: out[rows, positions][:, None])
    try:
        with _Replace(model, {id(src): src_rows, id(tgt_in): tgt_rows}):
            logits = model(src, tgt_in)[:, 0]  # (N, V)
    finally:
        pick.remove()
    return logits.float().log_softmax(-1).gather(1, targets[:, None])[:, 0]


def _all_positions(model, src, tgt, src_rows, tgt_rows, targets) -> np.ndarray:
    """(T,) log p(targets[t]) at every decoder position t, one sentence with the given rows."""
    T, S = tgt.size(1), src.size(1)
    return _selected_logp(model, src.expand(T, S), tgt.expand(T, T), src_rows.expand(T, S, -1),
                          tgt_rows.expand(T, T, -1), torch.arange(T, device=src.device),
                          targets).cpu().numpy()


def _baseline_rows(model: Seq2Seq, ids: torch.Tensor, table, baseline: str) -> torch.Tensor:
    if baseline == "zero":
        return torch.zeros(*ids.shape, model.model_config.d_model, device=ids.device)
    if baseline == "unk":
        return table.weight[UNK].detach().expand(*ids.shape, -1).clone()
    raise ValueError(f"baseline must be one of {BASELINES}, not {baseline!r}")


class _Path:
    """One sentence, its embedding rows x and baseline rows b: for points (t, alpha), the
    terms (x_i - b_i) . df_t/de_i at b + alpha (x - b) per source and target token, and
    f_t there, many points at a time (one row of the batch per point)."""

    def __init__(self, model, src, tgt_full, targets, x_s, x_t, b_s, b_t, max_batch):
        self.model, self.src, self.tgt, self.targets = model, src, tgt_full, targets
        self.x_s, self.x_t, self.b_s, self.b_t = x_s, x_t, b_s, b_t
        self.max_batch = max_batch

    def points(self, ts: np.ndarray, alphas: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(per source token (n, S), per target token (n, T), f_t (n,)) at the n points
        (ts[k], alphas[k]); in chunks of at most ``max_batch`` rows, by output, so each
        chunk's decoder runs only up to its last output."""
        S, T, dev = self.src.size(1), self.tgt.size(1), self.src.device
        n = len(ts)
        per_s, per_t, values = np.zeros((n, S)), np.zeros((n, T)), np.zeros(n)
        order = np.argsort(ts, kind="stable")
        for c in range(0, n, self.max_batch):
            rows = order[c:c + self.max_batch]
            t_rows = torch.as_tensor(ts[rows], device=dev)
            a = torch.as_tensor(alphas[rows], dtype=torch.float32, device=dev)[:, None, None]
            L, m = int(t_rows.max()) + 1, len(rows)  # decoder positions this chunk needs
            d_s, d_t = self.x_s - self.b_s, self.x_t[:, :L] - self.b_t[:, :L]
            rows_s = (self.b_s + a * d_s).requires_grad_()  # (m, S, D)
            rows_t = (self.b_t[:, :L] + a * d_t).requires_grad_()  # (m, L, D)
            lp = _selected_logp(self.model, self.src.expand(m, S), self.tgt[:, :L].expand(m, L),
                                rows_s, rows_t, t_rows, self.targets[t_rows])
            g_s, g_t = torch.autograd.grad(lp.sum(), (rows_s, rows_t))
            per_s[rows] = (d_s * g_s).sum(-1).double().cpu().numpy()
            per_t[rows, :L] = (d_t * g_t).sum(-1).double().cpu().numpy()
            values[rows] = lp.detach().double().cpu().numpy()
        return per_s, per_t, values


class _Trapezoid:
    """One output's nodes on [0, 1] with their terms and f values; the trapezoid rule on them.

    Interval k = [alpha_k, alpha_k+1] of width h_k has the error
    e_k = h_k (g_k + g_k+1) / 2 - (f_k+1 - f_k), g the sum of the terms at a node: exact,
    because f is known at every node. The e_k add up to the output's completeness error
    (the sum telescopes), so splitting the intervals with the largest |e_k| spends the next
    points where the path bends."""

    def __init__(self):
        self.alpha = np.zeros(0)
        self.terms = np.zeros((0, 0))
        self.f = np.zeros(0)

    def add(self, alpha: np.ndarray, terms: np.ndarray, f: np.ndarray) -> None:
        a = np.concatenate([self.alpha, alpha])
        order = np.argsort(a, kind="stable")
        terms = terms if not len(self.terms) else np.concatenate([self.terms, terms])
        self.alpha, self.terms, self.f = a[order], terms[order], np.concatenate([self.f, f])[order]

    def interval_errors(self) -> np.ndarray:
        h, g = np.diff(self.alpha), self.terms.sum(1)
        return h * (g[:-1] + g[1:]) / 2 - np.diff(self.f)

    def split(self, n: int) -> np.ndarray:
        """Midpoints of the (at most) n intervals with the largest |e_k|."""
        err = np.abs(self.interval_errors())
        worst = np.argsort(-err, kind="stable")[:n]
        return (self.alpha[worst] + self.alpha[worst + 1]) / 2

    def integral(self) -> np.ndarray:
        """The trapezoid rule's sum of each token's terms over the nodes."""
        h = np.diff(self.alpha)
        w = np.zeros(len(self.alpha))
        w[:-1] += h / 2
        w[1:] += h / 2
        return w @ self.terms


def complete_enough(error_abs: np.ndarray, delta: np.ndarray, tolerance: float) -> np.ndarray:
    """Which outputs' integrated gradients are complete: |sum - delta| <= tolerance * |delta|,
    or at most ``ABS_FLOOR`` nats off (a delta near zero cannot be met relatively)."""
    return error_abs <= tolerance * np.abs(delta) + ABS_FLOOR


# With a tolerance: the first steps / 4 + 1 nodes are evenly spaced, then each round gives
# every output still missing it the midpoints of its steps / 16 worst intervals.
FIRST_SHARE, ROUND_SHARE = 0.25, 0.0625
REFINE_FACTOR = 4  # attribute(): an output missing the tolerance at ``steps`` nodes may take 4 x
ABS_FLOOR = 1e-3  # nats: an output whose log-probability hardly changes is complete within this


def attribute_ids(model: Seq2Seq, src_ids, out_ids, method: str = "ig", baseline: str = "zero",
                  steps: int = 64, max_batch: int = 512, tolerance: float | None = None,
                  max_steps: int | None = None) -> tuple[np.ndarray, ...]:
    """(src (T, S), tgt (T, T), logp (T,), logp_baseline (T,)) for out_ids + <eos>.

    The decoder reads <bos> + out_ids; output t is token t of out_ids + [<eos>].
    ``steps``: nodes per output (integrated gradients), evenly spaced without ``tolerance``;
    with it, placed where the interval errors are largest, and an output that still misses
    completeness by more than that share may take up to ``max_steps``: see
    :func:`attribute_steps`.
    """
    return attribute_steps(model, src_ids, out_ids, method, baseline, steps, max_batch,
                           tolerance, max_steps)[:4]


def attribute_steps(model: Seq2Seq, src_ids, out_ids, method: str = "ig", baseline: str = "zero",
                    steps: int = 64, max_batch: int = 512, tolerance: float | None = None,
                    max_steps: int | None = None) -> tuple[np.ndarray, ...]:
    """:func:`attribute_ids` and, fifth, the nodes used for each output (T,).

    Why place the nodes: on a trained model f_t along the path from the baseline is not
    smooth at the scale of 1/64. On the shipped Tatoeba en-de model it has narrow dips and
    peaks (some under 0.001 wide in alpha, the integrand hundreds of times its mean)
    mostly between alpha 0.05 and 0.35, where the content of the embeddings overtakes the
    positions and attention switches between keys. 64 evenly spaced nodes miss them (up to
    10 % completeness error, 89 % on an output whose log-probability hardly changes), and
    no other fixed rule of 64 points does better (Gauss-Legendre, nodes crowded towards 0:
    measured, benchmarks/README.md). Nodes placed by the interval errors do better at the
    same count, and reach 1 % with fewer nodes than any fixed rule (benchmarks/README.md).
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    dev = model.src_embed.weight.device
    src = torch.tensor([src_ids], device=dev)
    tgt_full = torch.tensor([[BOS] + list(out_ids)], device=dev)
    targets_all = torch.tensor(list(out_ids) + [EOS], device=dev)
    T = tgt_full.size(1)
    was_training = model.training
    model.eval()  # no dropout: f must be one function along the whole path
    try:
        with torch.no_grad():
            x_s, x_t = model.src_embed(src).detach(), model.tgt_embed(tgt_full).detach()
            if method == "ig":
                b_s = _baseline_rows(model, src, model.src_embed, baseline)
                b_t = _baseline_rows(model, tgt_full, model.tgt_embed, baseline)
                logp_base = _all_positions(model, src, tgt_full, b_s, b_t, targets_all)
                logp = _all_positions(model, src, tgt_full, x_s, x_t, targets_all)
            else:
                b_s, b_t = torch.zeros_like(x_s), torch.zeros_like(x_t)
                logp_base = np.full(T, np.nan)
        path = _Path(model, src, tgt_full, targets_all, x_s, x_t, b_s, b_t, max_batch)
        if method == "grad_input":
            ts = np.arange(T)
            per_s, per_t, values = path.points(ts, np.ones(T))
            return (per_s, np.tril(per_t), values, np.asarray(logp_base, dtype=np.float64),
                    np.ones(T, dtype=int))
        src_att, tgt_att, used = _integrate(path, T, logp - logp_base, steps, tolerance, max_steps)
    finally:
        model.train(was_training)
    return (src_att, np.tril(tgt_att), np.asarray(logp, dtype=np.float64),
            np.asarray(logp_base, dtype=np.float64), used)


def _integrate(path: _Path, T: int, delta: np.ndarray, steps: int, tolerance: float | None,
               max_steps: int | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Integrated gradients of the T outputs: (src (T, S), tgt (T, T), nodes used (T,)).

    Without ``tolerance``: the trapezoid rule on ``steps`` evenly spaced nodes (0 and 1
    included). With it: a quarter of ``steps`` evenly spaced nodes first, then, in rounds,
    each output whose interval errors add up to more than ``tolerance`` x |delta| gets the
    midpoints of its worst intervals, until it has ``max_steps`` nodes (default ``steps``).
    """
    steps = max(2, int(steps))
    limit = steps if max_steps is None else max(steps, int(max_steps))
    first = steps if tolerance is None else max(2, min(steps, int(steps * FIRST_SHARE) + 1))
    per_round = max(2, int(steps * ROUND_SHARE))
    S = path.src.size(1)
    quads = [_Trapezoid() for _ in range(T)]
    ts, alphas = np.repeat(np.arange(T), first), np.tile(np.linspace(0.0, 1.0, first), T)
    while len(ts):
        per_s, per_t, values = path.points(ts, alphas)
        terms = np.concatenate([per_s, per_t], axis=1)
        for t in np.unique(ts):
            mine = ts == t
            quads[t].add(alphas[mine], terms[mine], values[mine])
        if tolerance is None:
            break
        todo_t, todo_a = [], []
        for t, q in enumerate(quads):
            room = limit - len(q.alpha)
            if room <= 0 or np.abs(q.interval_errors()).sum() <= tolerance * abs(delta[t]) + ABS_FLOOR:
                continue
            new = q.split(min(room, per_round))
            todo_t.append(np.full(len(new), t))
            todo_a.append(new)
        ts = np.concatenate(todo_t) if todo_t else np.zeros(0, dtype=int)
        alphas = np.concatenate(todo_a) if todo_a else np.zeros(0)
    att = np.stack([q.integral() for q in quads])
    return att[:, :S], att[:, S:], np.array([len(q.alpha) for q in quads])


def attribute(translator: Translator, text: str, out_ids=None, method: str = "ig",
              baseline: str = "zero", steps: int = 64, tolerance: float | None = 0.01,
              max_steps: int | None = None) -> Attribution:
    """Attributions for ``text`` and ``out_ids`` (default: the model's greedy translation).

    Integrated gradients place ``steps`` nodes per output where the interval errors are
    largest, and go on with each output that still misses completeness by more than
    ``tolerance`` up to ``max_steps`` (default 4 x ``steps``); ``tolerance`` None:
    ``steps`` evenly spaced nodes."""
    if max_steps is None:
        max_steps = REFINE_FACTOR * steps
    src_ids = translator.encode_src(text)
    if out_ids is None:
        out_ids = translator.translate_ids([src_ids])[0]
    out_ids = list(out_ids)[: translator.model_config.max_len - 1]
    src, tgt, logp, logp_base, used = attribute_steps(translator.model, src_ids, out_ids, method, baseline,
                                                      steps, tolerance=tolerance, max_steps=max_steps)
    tok = translator.tgt_tok.id_to_token
    src_tokens = tuple(translator.src_tok.id_to_token(i) for i in src_ids)
    tgt_tokens = tuple(tok(i) for i in [BOS] + out_ids)
    out_tokens = tuple(tok(i) for i in out_ids + [EOS])
    trace = translator.model.trace(torch.tensor([src_ids], device=translator.device),
                                   torch.tensor([[BOS] + out_ids], device=translator.device),
                                   src_tokens, tgt_tokens, out_tokens)
    cross = np.mean([block.weights.mean(0) for block in trace.cross], axis=0)
    return Attribution(method, baseline, steps if method == "ig" else 1, src_tokens, tgt_tokens, out_tokens,
                       src, tgt, logp, logp_base, cross, used)
