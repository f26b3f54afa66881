"""Running a trained translator: translate, trace and read its embeddings.

``Translator`` needs only a model and its two tokenizers, so the command line can use a
checkpoint without its corpus; the Trainer uses the same class for its own inspection.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch

from model.attention import avoid_per_shape_kernels
from model.checkpoint import check_weights_fit, load_checkpoint
from model.config import ModelConfig
from model.decode import Generation, beam_search, beam_search_pool, greedy_decode
from model.source_check import SourceCheck, check_source  # noqa: F401  (re-exported)
from model.tokenizer import BOS, EOS, PAD, Tokenizer
from model.trace import EmbeddingSnapshot, ModelTrace
from model.transformer import Seq2Seq


def pad_batch(seqs: Sequence[Sequence[int]], device: torch.device | str) -> torch.Tensor:
    """(B, L) LongTensor, right-padded with PAD."""
    out = torch.full((len(seqs), max(len(s) for s in seqs)), PAD, dtype=torch.long)
    for row, s in enumerate(seqs):
        out[row, : len(s)] = torch.tensor(s, dtype=torch.long)
    return out.to(device)


def autocast_for(device: torch.device):
    """bf16 autocast on CUDA; full precision elsewhere."""
    if device.type == "cuda":
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return torch.autocast("cpu", enabled=False)


def embedding_weight(model: Seq2Seq, side: str) -> torch.Tensor:
    """The (V, D) token embedding matrix E of the "src" or "tgt" side (a live parameter)."""
    return {"src": model.src_embed, "tgt": model.tgt_embed}[side].weight


def learned_position_table(model: Seq2Seq, side: str = "src") -> torch.Tensor | None:
    """The (max_len, D) learned positional table of one side, or None for other encodings."""
    module = {"src": model.src_pos, "tgt": model.tgt_pos}[side]
    return module.weight if model.model_config.pos_encoding == "learned" else None


class Translator:
    """A model with its tokenizers. The model object is shared, not copied: a Trainer
    and its Translator see the same weights."""

    def __init__(self, model: Seq2Seq, src_tok: Tokenizer, tgt_tok: Tokenizer, device: torch.device,
                 generation: Generation | None = None):
        self.model, self.src_tok, self.tgt_tok, self.device = model, src_tok, tgt_tok, device
        if device.type == "cuda":
            avoid_per_shape_kernels()  # decoding meets a new shape at every position
        self.generation = generation or Generation()
        self.step = 0

    @property
    def model_config(self) -> ModelConfig:
        return self.model.model_config

    @classmethod
    def load(cls, path: str | Path, device: str = "cpu") -> Translator:
        """A project checkpoint file, or a pretrained Marian (opus-mt) model folder."""
        if Path(path).is_dir():
            from model.marian import load_model

            model, conv = load_model(path)
            dev = torch.device(device)
            return cls(model.to(dev), conv.src_tokenizer, conv.tgt_tokenizer, dev, conv.generation)
        ckpt = load_checkpoint(path)
        model = Seq2Seq(ckpt.model_config)
        check_weights_fit(path, model, ckpt.weights)
        model.load_state_dict(ckpt.weights)
        dev = torch.device(device)
        generation = Generation.from_dict(ckpt.sections.get("generation", {}))
        translator = cls(model.to(dev).eval(), ckpt.src_tokenizer, ckpt.tgt_tokenizer, dev, generation)
        translator.step = ckpt.step
        return translator

    def encode_src(self, text: str) -> list[int]:
        """Source ids with <eos>, cut to the model's max_len."""
        ids = self.src_tok.encode(text, add_eos=True)
        if len(ids) <= 1:
            raise ValueError("the sentence has no tokens")
        if len(ids) > self.model_config.max_len:
            ids = ids[: self.model_config.max_len - 1] + [EOS]
        return ids

    def check_source(self, text: str) -> SourceCheck:
        """What the model will not see of ``text``: unknown words, and a cut at max_len."""
        return check_source(self.src_tok, text, self.model_config.max_len)

    def max_out_len(self, src_len: int) -> int:
        if self.generation.max_len:
            return min(self.model_config.max_len, self.generation.max_len)
        return min(self.model_config.max_len, 2 * src_len + 10)

    @torch.no_grad()
    def translate_ids(self, src_ids: Sequence[list[int]], beam: int | None = None,
                      batch_size: int = 64) -> list[list[int]]:
        """Output ids (no <bos>/<eos>) for each source id list; <pad> and <bos> are never
        chosen. ``beam`` None: the model's default (``self.generation``)."""
        self.model.eval()
        gen = self.generation
        beam = gen.beam if beam is None else beam
        banned = (PAD, BOS)
        out: list[list[int]] = []
        for start in range(0, len(src_ids), batch_size):
            chunk = src_ids[start:start + batch_size]
            src = pad_batch(chunk, self.device)
            limits = [self.max_out_len(len(ids)) for ids in chunk]  # each sentence its own
            with autocast_for(self.device):
                if beam <= 1:
                    out.extend(greedy_decode(self.model, src, limits, bos_id=BOS, eos_id=EOS,
                                             banned=banned, force_eos=gen.force_eos))
                    continue
                for ids, limit in zip(chunk, limits):
                    one = torch.tensor([ids], device=self.device)
                    if gen.pool:
                        found = beam_search_pool(self.model, one, beam, gen.length_penalty, limit,
                                                 BOS, EOS, banned=banned, force_eos=gen.force_eos)
                    else:
                        found = beam_search(self.model, one, beam=beam, max_len=limit, bos_id=BOS,
                                            eos_id=EOS, banned=banned)
                    out.append(found[0])
        return out

    def translate(self, texts: Sequence[str], beam: int | None = None) -> list[str]:
        """Translate sentences (greedy, or beam search with ``beam`` > 1)."""
        ids = self.translate_ids([self.encode_src(t) for t in texts], beam=beam)
        return [self.tgt_tok.decode(seq) for seq in ids]

    @torch.no_grad()
    def trace(self, src_text: str, tgt_text: str | None = None, beam: int | None = 1) -> ModelTrace:
        """The full attention trace of one sentence pair.

        With ``tgt_text`` the reference is forced through the decoder (teacher forcing);
        without it, the model's own translation (greedy or beam) is traced.
        """
        src_ids = self.encode_src(src_text)
        if tgt_text is None:
            out_ids = self.translate_ids([src_ids], beam=beam)[0]
            tgt_ids = [BOS] + out_ids
        else:
            tgt_ids = self.tgt_tok.encode(tgt_text, add_bos=True)
        tgt_ids = tgt_ids[: self.model_config.max_len]
        self.model.eval()
        src = torch.tensor([src_ids], device=self.device)
        tgt = torch.tensor([tgt_ids], device=self.device)
        src_tokens = [self.src_tok.id_to_token(i) for i in src_ids]
        tgt_tokens = [self.tgt_tok.id_to_token(i) for i in tgt_ids]
        trace = self.model.trace(src, tgt, src_tokens, tgt_tokens)
        out_tokens = tuple(self.tgt_tok.id_to_token(int(i)) for i in trace.logits.argmax(-1))
        source = {"text": src_text, **self.check_source(src_text).to_dict()}
        return dataclasses.replace(trace, out_tokens=out_tokens, step=self.step, source=source)

    def embeddings(self, side: str = "src") -> EmbeddingSnapshot:
        """A copy of the source or target token embedding matrix with its token labels."""
        tok = {"src": self.src_tok, "tgt": self.tgt_tok}[side]
        matrix = embedding_weight(self.model, side).detach().float().cpu().numpy().copy()
        return EmbeddingSnapshot(step=self.step, name=side, tokens=tuple(tok.tokens()), matrix=matrix)


@torch.no_grad()
def contextual_states(translator: Translator, pairs: Sequence, side: str = "src", layer: int = -1,
                      max_tokens: int = 5000, batch_size: int = 64) -> EmbeddingSnapshot:
    """The output of one encoder ("src") or decoder ("tgt") layer for every token of the
    given sentence pairs: the same word gets a different vector in each context.

    The decoder reads each pair's reference (teacher forcing). Frame tokens (<pad>, <bos>,
    <eos>) are left out. Stops after ``max_tokens`` tokens.

    Returns: an EmbeddingSnapshot named e.g. "src.layer1" whose ``tokens`` label the rows of
    ``matrix`` (N, D); a word occurring twice appears twice.
    """
    model = translator.model
    index = layer % len(model.encoder if side == "src" else model.decoder)
    tokens: list[str] = []
    rows: list[torch.Tensor] = []
    tok = translator.src_tok if side == "src" else translator.tgt_tok
    frame = {PAD, BOS, EOS}
    for start in range(0, len(pairs), batch_size):
        chunk = pairs[start:start + batch_size]
        src_ids = [translator.encode_src(p.src) for p in chunk]
        tgt_ids = [tok_ids[: translator.model_config.max_len]
                   for tok_ids in (translator.tgt_tok.encode(p.tgt, add_bos=True) for p in chunk)]
        src = pad_batch(src_ids, translator.device)
        if side == "src":
            ids, states = src, model.layer_states(src).enc_out[index]
        else:
            ids = pad_batch(tgt_ids, translator.device)
            states = model.layer_states(src, ids).dec_out[index]
        states = states.float()  # (B, T, D)
        for b in range(ids.size(0)):
            for t, i in enumerate(ids[b].tolist()):
                if i not in frame:
                    tokens.append(tok.id_to_token(i))
                    rows.append(states[b, t])
        if len(rows) >= max_tokens:
            break
    matrix = torch.stack(rows[:max_tokens]).cpu().numpy().copy() if rows else np.zeros((0, model.model_config.d_model), np.float32)
    return EmbeddingSnapshot(step=translator.step, name=f"{side}.layer{index}", tokens=tuple(tokens[:max_tokens]),
                             matrix=matrix)
