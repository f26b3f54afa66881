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
to f_t(e) - f_t(b), up to the error of the midpoint sum (well under 1% at 64 steps;
:meth:`Attribution.completeness_error` measures it, and the tests check it).

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


def _nodes(steps: int, dev) -> tuple[torch.Tensor, torch.Tensor]:
    """Midpoints alpha_k = (k + 1/2) / steps on [0, 1] and their weights 1 / steps."""
    a = (torch.arange(steps, device=dev, dtype=torch.float32) + 0.5) / steps
    return a, torch.full((steps,), 1.0 / steps, device=dev)


def _all_positions(model, src, tgt, src_rows, tgt_rows, targets) -> np.ndarray:
    """(T,) log p(targets[t]) at every decoder position t, one sentence with the given rows."""
    T, S = tgt.size(1), src.size(1)
    return _selected_logp(model, src.expand(T, S), tgt.expand(T, T), src_rows.expand(T, S, -1),
                          tgt_rows.expand(T, T, -1), torch.arange(T, device=src.device),
                          targets).cpu().numpy()


def _baseline_rows(model: Seq2Seq, ids: torch.Tensor, table, baseline: str) -> torch.Tensor:
    if baseline == "zero":
        return torch.zeros(*ids.shape, model.cfg.d_model, device=ids.device)
    if baseline == "unk":
        return table.weight[UNK].detach().expand(*ids.shape, -1).clone()
    raise ValueError(f"baseline must be one of {BASELINES}, not {baseline!r}")


def attribute_ids(model: Seq2Seq, src_ids, out_ids, method: str = "ig", baseline: str = "zero",
                  steps: int = 64, max_batch: int = 512) -> tuple[np.ndarray, ...]:
    """(src (T, S), tgt (T, T), logp (T,), logp_baseline (T,)) for out_ids + <eos>.

    The decoder reads <bos> + out_ids; output t is token t of out_ids + [<eos>].
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    dev = model.src_embed.weight.device
    src = torch.tensor([src_ids], device=dev)
    tgt_full = torch.tensor([[BOS] + list(out_ids)], device=dev)
    targets_all = torch.tensor(list(out_ids) + [EOS], device=dev)
    T, S = tgt_full.size(1), src.size(1)
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            x_s, x_t = model.src_embed(src).detach(), model.tgt_embed(tgt_full).detach()
            if method == "ig":
                b_s = _baseline_rows(model, src, model.src_embed, baseline)
                b_t = _baseline_rows(model, tgt_full, model.tgt_embed, baseline)
                alphas, weights = _nodes(steps, dev)
                logp_base = _all_positions(model, src, tgt_full, b_s, b_t, targets_all)
            else:
                b_s, b_t = torch.zeros_like(x_s), torch.zeros_like(x_t)
                alphas, weights = torch.ones(1, device=dev), torch.ones(1, device=dev)
                logp_base = np.full(T, np.nan)
        m = len(alphas)
        src_attr, tgt_attr = np.zeros((T, S)), np.zeros((T, T))
        logp = np.zeros(T)
        per = max(1, max_batch // m)  # outputs per chunk
        for t0 in range(0, T, per):
            ts = torch.arange(t0, min(T, t0 + per), device=dev)
            L = int(ts[-1]) + 1  # decoder positions this chunk needs
            n = len(ts) * m
            a = alphas.repeat(len(ts))[:, None, None]  # replica (t, k) at row t*m + k
            rows_s = (b_s + a * (x_s - b_s)).requires_grad_()  # (n, S, D)
            rows_t = (b_t[:, :L] + a * (x_t[:, :L] - b_t[:, :L])).requires_grad_()  # (n, L, D)
            src_n = src.expand(n, S)
            tgt_n = tgt_full[:, :L].expand(n, L)
            positions = ts.repeat_interleave(m)
            lp = _selected_logp(model, src_n, tgt_n, rows_s, rows_t, positions, targets_all[positions])
            g_s, g_t = torch.autograd.grad(lp.sum(), (rows_s, rows_t))
            w = weights[None, :, None, None]
            g_s = (g_s.view(len(ts), m, S, -1) * w).sum(1)  # (t, S, D)
            g_t = (g_t.view(len(ts), m, L, -1) * w).sum(1)
            src_attr[t0:t0 + len(ts)] = ((x_s - b_s) * g_s).sum(-1).detach().cpu().numpy()
            tgt_attr[t0:t0 + len(ts), :L] = ((x_t[:, :L] - b_t[:, :L]) * g_t).sum(-1).detach().cpu().numpy()
            if method == "grad_input":
                logp[t0:t0 + len(ts)] = lp.detach().cpu().numpy()
        if method == "ig":
            with torch.no_grad():
                logp = _all_positions(model, src, tgt_full, x_s, x_t, targets_all)
    finally:
        model.train(was_training)
    return src_attr, np.tril(tgt_attr), np.asarray(logp, dtype=np.float64), np.asarray(logp_base, dtype=np.float64)


def attribute(translator: Translator, text: str, out_ids=None, method: str = "ig",
              baseline: str = "zero", steps: int = 64) -> Attribution:
    """Attributions for ``text`` and ``out_ids`` (default: the model's greedy translation)."""
    src_ids = translator.encode_src(text)
    if out_ids is None:
        out_ids = translator.translate_ids([src_ids])[0]
    out_ids = list(out_ids)[: translator.model_cfg.max_len - 1]
    src, tgt, logp, logp_base = attribute_ids(translator.model, src_ids, out_ids, method, baseline, steps)
    tok = translator.tgt_tok.id_to_token
    src_tokens = tuple(translator.src_tok.id_to_token(i) for i in src_ids)
    tgt_tokens = tuple(tok(i) for i in [BOS] + out_ids)
    out_tokens = tuple(tok(i) for i in out_ids + [EOS])
    trace = translator.model.trace(torch.tensor([src_ids], device=translator.device),
                                   torch.tensor([[BOS] + out_ids], device=translator.device),
                                   src_tokens, tgt_tokens, out_tokens)
    cross = np.mean([block.weights.mean(0) for block in trace.cross], axis=0)
    return Attribution(method, baseline, steps if method == "ig" else 1, src_tokens, tgt_tokens, out_tokens,
                       src, tgt, logp, logp_base, cross)
