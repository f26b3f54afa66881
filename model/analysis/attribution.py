"""Which input tokens decided each output token: gradient x input and integrated gradients.

Both act on the embedding rows ``e`` (the rows of the embedding tables, before the
sqrt(D) scaling and the positions, which stay as they are). For output position t, the
function explained is f_t = log p(y_t | source, y_<t): the log-probability the model gives
the token at that position, with the decoder reading ``<bos> y_1 .. y_{t-1}``.

    gradient x input:      a_i = e_i . df_t/de_i                       (at the input)
    integrated gradients:  a_i = (e_i - b_i) . mean_k df_t/de_i (b + alpha_k (e - b)),
                           alpha_k = (k + 1/2) / steps,  k = 0 .. steps-1

with b the baseline: zero rows ("zero") or the <unk> row ("unk") for every token.
Integrated gradients are complete (Sundararajan et al. 2017): the a_i of one output add up
to f_t(e) - f_t(b), up to the error of the midpoint sum. :meth:`Attribution.completeness_error`
measures it; on a smooth f it is well under 1% at 64 steps (the tests check it on a tiny
model), but a trained model's f wiggles along the path (see :func:`attribute_steps`), so
:func:`attribute` triples the steps of the outputs that miss 1% until they meet it (up to
27 x ``steps``) and says how many each output took (``Attribution.steps_used``).

All outputs are computed together: the batch holds one copy of the sentence per output
position and step, in chunks, so one backward pass gives many outputs' gradients.
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


def _midpoints(n: int) -> np.ndarray:
    """The n nodes of the midpoint rule on [0, 1]: (k + 1/2) / n."""
    return (np.arange(n) + 0.5) / n


def _new_midpoints(n: int) -> np.ndarray:
    """The nodes of the n-point midpoint rule that the (n / 3)-point one does not have
    (its nodes are every third one, k = 1, 4, 7, ...): tripling reuses every gradient."""
    k = np.arange(n)
    return (k[k % 3 != 1] + 0.5) / n


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
    """One sentence, its embedding rows x and baseline rows b: gradients of the outputs'
    log-probabilities at points b + alpha (x - b) of the straight path, many at a time."""

    def __init__(self, model, src, tgt_full, targets, x_s, x_t, b_s, b_t, max_batch):
        self.model, self.src, self.tgt, self.targets = model, src, tgt_full, targets
        self.x_s, self.x_t, self.b_s, self.b_t = x_s, x_t, b_s, b_t
        self.max_batch = max_batch

    def sums(self, outputs, alphas) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For each output t of ``outputs`` and each alpha: sum over the alphas of
        (x_i - b_i) . df_t/de_i at that point, per source token (len, S) and target token
        (len, T); and f_t at each point (len, len(alphas)). One row of the batch per (t, alpha),
        in chunks of at most ``max_batch`` rows (by output, so each chunk's decoder runs only
        up to its last output)."""
        S, T, dev = self.src.size(1), self.tgt.size(1), self.src.device
        src_sum, tgt_sum = np.zeros((len(outputs), S)), np.zeros((len(outputs), T))
        values = np.zeros((len(outputs), len(alphas)))
        pairs = [(i, t, k) for i, t in enumerate(outputs) for k in range(len(alphas))]
        alpha_t = torch.as_tensor(np.asarray(alphas), dtype=torch.float32, device=dev)
        for c in range(0, len(pairs), self.max_batch):
            chunk = pairs[c:c + self.max_batch]
            rows = torch.tensor([i for i, _t, _k in chunk])
            ts = torch.tensor([t for _i, t, _k in chunk], device=dev)
            a = alpha_t[[k for _i, _t, k in chunk]][:, None, None]
            L, n = int(ts.max()) + 1, len(chunk)  # decoder positions this chunk needs
            d_s, d_t = self.x_s - self.b_s, self.x_t[:, :L] - self.b_t[:, :L]
            rows_s = (self.b_s + a * d_s).requires_grad_()  # (n, S, D)
            rows_t = (self.b_t[:, :L] + a * d_t).requires_grad_()  # (n, L, D)
            lp = _selected_logp(self.model, self.src.expand(n, S), self.tgt[:, :L].expand(n, L),
                                rows_s, rows_t, ts, self.targets[ts])
            g_s, g_t = torch.autograd.grad(lp.sum(), (rows_s, rows_t))
            per_s = (d_s * g_s).sum(-1).double().cpu()  # (n, S)
            per_t = (d_t * g_t).sum(-1).double().cpu()  # (n, L)
            acc_s, acc_t = torch.zeros(len(outputs), S, dtype=torch.float64), torch.zeros(
                len(outputs), L, dtype=torch.float64)
            acc_s.index_add_(0, rows, per_s)
            acc_t.index_add_(0, rows, per_t)
            src_sum += acc_s.numpy()
            tgt_sum[:, :L] += acc_t.numpy()
            values[rows.numpy(), [k for _i, _t, k in chunk]] = lp.detach().cpu().double().numpy()
        return src_sum, tgt_sum, values


def complete_enough(error_abs: np.ndarray, delta: np.ndarray, tolerance: float) -> np.ndarray:
    """Which outputs' integrated gradients are complete: |sum - delta| <= tolerance * |delta|,
    or at most ``ABS_FLOOR`` nats off (a delta near zero cannot be met relatively)."""
    return error_abs <= tolerance * np.abs(delta) + ABS_FLOOR


ABS_FLOOR = 1e-3  # nats: an output whose log-probability hardly changes is complete within this


def attribute_ids(model: Seq2Seq, src_ids, out_ids, method: str = "ig", baseline: str = "zero",
                  steps: int = 64, max_batch: int = 512, tolerance: float | None = None,
                  max_steps: int | None = None) -> tuple[np.ndarray, ...]:
    """(src (T, S), tgt (T, T), logp (T,), logp_baseline (T,)) for out_ids + <eos>.

    The decoder reads <bos> + out_ids; output t is token t of out_ids + [<eos>].
    With ``tolerance`` (integrated gradients only), an output whose attributions miss
    completeness by more than that share is computed again with three times the steps
    (the earlier points reused), up to ``max_steps``: see :func:`attribute_steps`.
    """
    return attribute_steps(model, src_ids, out_ids, method, baseline, steps, max_batch,
                           tolerance, max_steps)[:4]


def attribute_steps(model: Seq2Seq, src_ids, out_ids, method: str = "ig", baseline: str = "zero",
                    steps: int = 64, max_batch: int = 512, tolerance: float | None = None,
                    max_steps: int | None = None) -> tuple[np.ndarray, ...]:
    """:func:`attribute_ids` and, fifth, the steps used for each output (T,).

    Why refine: on a trained model f_t along the path from the baseline is not smooth at
    the scale of 1/64. On the shipped Tatoeba en-de model it has narrow dips and peaks
    (0.003-0.005 wide in alpha, the integrand up to 20 times its mean) between alpha 0.14
    and 0.30, where the content of the embeddings overtakes the positions and attention
    switches between keys; 64 evenly spaced points miss them (up to 14 % completeness
    error), and no other fixed rule of 64 points does better (Gauss-Legendre, nodes
    crowded towards 0: measured, benchmarks/README.md). Only more points do (1,024: about
    0.5 %), and only the outputs that need them get them.
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
        outputs = list(range(T))
        if method == "grad_input":
            src_sum, tgt_sum, values = path.sums(outputs, [1.0])
            return (src_sum, np.tril(tgt_sum), values[:, 0], np.asarray(logp_base, dtype=np.float64),
                    np.ones(T, dtype=int))
        src_sum, tgt_sum, _ = path.sums(outputs, _midpoints(steps))
        used = np.full(T, steps)
        limit = max_steps if max_steps is not None else steps * 27
        delta = logp - logp_base
        while tolerance is not None:
            error = np.abs((src_sum.sum(1) + tgt_sum.sum(1)) / used - delta)
            todo = [t for t in outputs if not complete_enough(error[t], delta[t], tolerance)
                    and used[t] * 3 <= limit]
            if not todo:
                break
            n = int(used[todo[0]]) * 3  # every output still refining has the same count
            more_s, more_t, _ = path.sums(todo, _new_midpoints(n))
            src_sum[todo] += more_s
            tgt_sum[todo] += more_t
            used[todo] = n
    finally:
        model.train(was_training)
    return (src_sum / used[:, None], np.tril(tgt_sum / used[:, None]), np.asarray(logp, dtype=np.float64),
            np.asarray(logp_base, dtype=np.float64), used)


def attribute(translator: Translator, text: str, out_ids=None, method: str = "ig",
              baseline: str = "zero", steps: int = 64, tolerance: float | None = 0.01,
              max_steps: int | None = None) -> Attribution:
    """Attributions for ``text`` and ``out_ids`` (default: the model's greedy translation).

    Integrated gradients start with ``steps`` and refine each output that misses
    completeness by more than ``tolerance`` (None: never), up to ``max_steps``
    (default 27 x ``steps``)."""
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
