"""The beam search tree: every step's candidates, the beams that survive, where finished
hypotheses leave, the length normalisation and the final choice.

:func:`beam_tree` runs :func:`model.decode.beam_search` with a
:class:`model.decode.BeamRecorder` and turns the record into nodes. Node 0 is <bos>; every
other node is one candidate continuation of a live hypothesis (the ``top`` best of each,
``top`` = beam width by default, which includes every candidate that could survive).
A finished hypothesis keeps its slot (continuing with <pad> at no cost) until better
ones push it out; it is not repeated as a node. The best path of the tree is the search's
output, and each node's score is the sum of the model's log-probabilities along its path
(both checked in tests/model/test_analysis_beamtree.py).

The tree is the translator's own search: the same function, width, length normalisation
(the model's ``generation.length_penalty`` unless given) and length limit as
:meth:`Translator.translate_ids`, so its best path is the translation the app shows for
that beam width. A converted Marian model decodes with :func:`model.decode.beam_search_pool`
by default (finished hypotheses leave the beam for a pool): its tree is drawn from
:func:`beam_search` and says so (``BeamTree.same_as_model`` False); the two may then choose
differently.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
import torch

from model.decode import BeamRecorder, beam_search
from model.inference import Translator
from model.tokenizer import BOS, EOS, PAD
from model.trace import ModelTrace


@dataclass(frozen=True)
class BeamNode:
    """One hypothesis prefix: ``token`` chosen after ``parent`` at output position ``step``.

    logp: the model's log-probability of this token after the parent's prefix;
    score: summed log-probability of the whole prefix; kept: it survived into the beam;
    finished: the token is <eos>.
    """

    id: int
    parent: int
    step: int
    token_id: int
    token: str
    logp: float
    score: float
    kept: bool
    finished: bool


@dataclass(frozen=True)
class BeamFinal:
    """A hypothesis in the beam at the end: score / ((5 + length) / 6) ** alpha = normalised."""

    node: int
    score: float
    length: int
    penalty: float
    normalised: float


@dataclass(frozen=True)
class BeamTree:
    """The whole search for one sentence. ``best`` indexes ``finals``."""

    src_tokens: tuple[str, ...]
    beam: int
    alpha: float
    nodes: tuple[BeamNode, ...]
    finals: tuple[BeamFinal, ...]
    best: int
    output_ids: tuple[int, ...]
    same_as_model: bool = True  # False: the model decodes with beam_search_pool, not this search

    def path(self, node: int) -> list[int]:
        """Node ids from the root to ``node``."""
        out = []
        while node >= 0:
            out.append(node)
            node = self.nodes[node].parent
        return out[::-1]

    def prefix_ids(self, node: int) -> list[int]:
        """Token ids of the prefix ending at ``node`` (without <bos>)."""
        return [self.nodes[i].token_id for i in self.path(node)[1:]]

    def best_path_ids(self) -> list[int]:
        """The chosen hypothesis' ids without <eos>: what beam search returns."""
        ids = self.prefix_ids(self.finals[self.best].node)
        return ids[: ids.index(EOS)] if EOS in ids else ids

    def depth(self) -> int:
        return max(n.step for n in self.nodes)


def build_tree(rec: BeamRecorder, src_tokens, id_to_token, pad_id: int = 0) -> BeamTree:
    """Nodes from a recorder's steps (see module docstring)."""
    root = BeamNode(0, -1, 0, BOS, id_to_token(BOS), 0.0, 0.0, True, False)
    nodes = [root]
    K = len(rec.steps[0]["parents"]) if rec.steps else 1
    slot_node: list[int | None] = [0] + [None] * (K - 1)
    for t, st in enumerate(rec.steps):
        kept = {(int(p), int(tok)): j for j, (p, tok) in enumerate(zip(st["parents"], st["tokens"]))}
        new_slots: list[int | None] = [None] * K
        for p in range(K):
            prev = float(st["prev_scores"][p])
            if slot_node[p] is None or not math.isfinite(prev):
                continue
            if st["prev_done"][p]:  # finished: carried on with <pad> while it stays in the beam
                if (p, pad_id) in kept:
                    new_slots[kept[(p, pad_id)]] = slot_node[p]
                continue
            cands = list(zip(st["cand_tokens"][p].tolist(), st["cand_logp"][p].tolist()))
            known = {tok for tok, _ in cands}
            # a survivor outside the shown candidates (only when top < beam) is added too
            cands += [(tok, float(st["scores"][j]) - prev) for (q, tok), j in kept.items()
                      if q == p and tok not in known]
            for tok, lp in cands:
                j = kept.get((p, tok))
                node = BeamNode(len(nodes), slot_node[p], t + 1, tok, id_to_token(tok), float(lp),
                                prev + float(lp), j is not None, tok == EOS)
                nodes.append(node)
                if j is not None:
                    new_slots[j] = node.id
        slot_node = new_slots
    fin = rec.final
    finals = tuple(
        BeamFinal(int(slot_node[j]), float(fin["scores"][j]), int(fin["lengths"][j]),
                  float(((5.0 + fin["lengths"][j]) / 6.0) ** fin["alpha"]), float(fin["normalised"][j]))
        for j in range(K) if slot_node[j] is not None)
    best_node = slot_node[fin["best"]]
    best = next(i for i, f in enumerate(finals) if f.node == best_node)
    tree = BeamTree(tuple(src_tokens), K, fin["alpha"], tuple(nodes), finals, best, ())
    return dataclasses.replace(tree, output_ids=tuple(tree.best_path_ids()))


def beam_tree(translator: Translator, text: str, beam: int = 4, alpha: float | None = None,
              top: int | None = None) -> BeamTree:
    """Run beam search on one sentence and return its tree (<pad> and <bos> never chosen,
    as :meth:`Translator.translate_ids` decodes). ``alpha`` None: the model's own length
    penalty. ``tree.same_as_model`` is False when the model's own search is the pooled one
    (``translator.generation.pool``), which may choose differently."""
    if alpha is None:
        alpha = translator.generation.length_penalty
    src_ids = translator.encode_src(text)
    src = torch.tensor([src_ids], device=translator.device)
    rec = BeamRecorder(top)
    beam_search(translator.model, src, beam=min(beam, translator.model_config.tgt_vocab),
                length_penalty=alpha, max_len=translator.max_out_len(len(src_ids)),
                bos_id=BOS, eos_id=EOS, banned=(PAD, BOS), recorder=rec)
    src_tokens = [translator.src_tok.id_to_token(i) for i in src_ids]
    tree = build_tree(rec, src_tokens, translator.tgt_tok.id_to_token, translator.model_config.pad_id)
    return dataclasses.replace(tree, same_as_model=not translator.generation.pool)


@torch.no_grad()
def summed_logprob(translator: Translator, text: str, out_ids) -> np.ndarray:
    """The model's log-probability of each token of ``out_ids`` (teacher-forced), cumulated."""
    model = translator.model
    src = torch.tensor([translator.encode_src(text)], device=translator.device)
    tgt = torch.tensor([[BOS] + list(out_ids)], device=translator.device)
    was = model.training
    model.eval()
    try:
        logp = model(src, tgt[:, :-1]).float().log_softmax(-1)[0]  # (n, V)
    finally:
        model.train(was)
    return logp.gather(1, tgt[0, 1:, None])[:, 0].cumsum(0).cpu().numpy()


def prefix_trace(translator: Translator, text: str, prefix_ids) -> ModelTrace:
    """The attention trace of the source with ``<bos> + prefix_ids`` forced into the decoder
    (what the model looked at while extending that prefix)."""
    src_ids = translator.encode_src(text)
    tgt_ids = ([BOS] + list(prefix_ids))[: translator.model_config.max_len]
    src = torch.tensor([src_ids], device=translator.device)
    tgt = torch.tensor([tgt_ids], device=translator.device)
    return translator.model.trace(
        src, tgt, [translator.src_tok.id_to_token(i) for i in src_ids],
        [translator.tgt_tok.id_to_token(i) for i in tgt_ids],
        id_to_token=translator.tgt_tok.id_to_token, step=translator.step)
