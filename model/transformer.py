"""The encoder-decoder Transformer (Vaswani et al. 2017), written out so it can be inspected.

    source ids -> embedding * sqrt(D) (+ positions) -> N encoder layers -> memory
    target ids -> embedding * sqrt(D) (+ positions) -> N decoder layers -> linear -> logits

Encoder layer: self-attention, feed-forward. Decoder layer: masked self-attention,
cross-attention to the memory, feed-forward. Each sub-block is wrapped in a residual
connection and a LayerNorm, either before the sub-block (pre-norm, ``model_config.norm_first``)
or after the residual sum (post-norm, as in the paper). Dropout is where the paper puts
it: on each sub-layer's output before the residual sum, and on the sums of the token
embeddings and positional encodings (not on attention weights or inside the feed-forward).

``Seq2Seq.forward`` is the fast path used for training; ``Seq2Seq.trace`` runs the same
weights through the traced attention path and returns a :class:`model.trace.ModelTrace`.
Speed tricks for the CPU (dropout masks, the output projection's padding) are kept apart
in model/fastpaths.py, behind one switch.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from model import fastpaths
from model.attention import AttentionParts, KVCache, MultiHeadAttention
from model.config import ModelConfig
from model.positional import LearnedPositional, SinusoidalPositional, rotary_cos_sin
from model.trace import ModelTrace

ACTIVATIONS = {"relu": nn.ReLU, "gelu": nn.GELU, "silu": nn.SiLU}


class Dropout(nn.Module):
    """Inverted dropout, as ``nn.Dropout(p)``: in training, each element is zeroed with
    probability p and the others are scaled by 1 / (1 - p). On CPU the mask is drawn more
    cheaply (``model.fastpaths.dropout``)."""

    def __init__(self, p: float):
        super().__init__()
        if not 0.0 <= p < 1.0:
            raise ValueError(f"dropout probability must be in [0, 1), got {p}")
        self.p = p

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.p == 0.0:
            return x
        if fastpaths.on_cpu(x):
            return fastpaths.dropout(x, self.p)
        return F.dropout(x, self.p, training=True)

    def extra_repr(self) -> str:
        return f"p={self.p}"


@contextmanager
def evaluating(model: nn.Module) -> Iterator[None]:
    """Run a block in eval mode (no dropout) without gradients, then restore the mode."""
    was_training = model.training
    if was_training:  # switching walks every module: skip it when already in eval mode
        model.eval()
    try:
        with torch.no_grad():
            yield
    finally:
        if was_training:
            model.train()


@dataclass
class Recorder:
    """What a recorded pass collects on its way through the model: the one way to look
    inside it (``Seq2Seq.trace`` and ``Seq2Seq.layer_states`` both fill one).

    With ``attention`` False the attention blocks stay on their fast path and only the
    embeddings and each layer's output are kept.
    """

    attention: bool = True
    enc_self: list[AttentionParts] = field(default_factory=list)
    dec_self: list[AttentionParts] = field(default_factory=list)
    cross: list[AttentionParts] = field(default_factory=list)
    embed: dict[str, torch.Tensor] = field(default_factory=dict)
    enc_out: list[torch.Tensor] = field(default_factory=list)  # (B, S, D) per encoder layer
    dec_out: list[torch.Tensor] = field(default_factory=list)  # (B, T, D) per decoder layer

    def parts(self, kind: str) -> list[AttentionParts] | None:
        """Where the attention blocks of ``kind`` record (None: they do not)."""
        return getattr(self, kind) if self.attention else None


class FeedForward(nn.Module):
    """Position-wise feed-forward: linear (D -> d_ff), activation, linear (d_ff -> D)."""

    def __init__(self, model_config: ModelConfig):
        super().__init__()
        self.fc1 = nn.Linear(model_config.d_model, model_config.d_ff)
        self.act = ACTIVATIONS[model_config.activation]()
        self.fc2 = nn.Linear(model_config.d_ff, model_config.d_model)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(self.act(self.fc1(x)))  # (B, T, D)


class EncoderLayer(nn.Module):
    """Self-attention then feed-forward, each with a residual connection and a LayerNorm."""

    def __init__(self, model_config: ModelConfig):
        super().__init__()
        self.norm_first = model_config.norm_first
        self.self_attn = MultiHeadAttention(model_config, "enc_self")
        self.ff = FeedForward(model_config)
        self.norm1, self.norm2 = nn.LayerNorm(model_config.d_model), nn.LayerNorm(model_config.d_model)
        self.dropout = Dropout(model_config.dropout)

    def forward(self, x, allowed, rope=None, rec: Recorder | None = None) -> torch.Tensor:
        """x: (B, S, D); allowed: (B, 1, 1, S) -> (B, S, D)."""
        record = rec.parts("enc_self") if rec else None
        if self.norm_first:
            x = x + self.dropout(self.self_attn(self.norm1(x), None, allowed, rope, record=record))
            return x + self.dropout(self.ff(self.norm2(x)))
        x = self.norm1(x + self.dropout(self.self_attn(x, None, allowed, rope, record=record)))
        return self.norm2(x + self.dropout(self.ff(x)))


class DecoderLayer(nn.Module):
    """Masked self-attention, cross-attention to the encoder output, then feed-forward."""

    def __init__(self, model_config: ModelConfig):
        super().__init__()
        self.norm_first = model_config.norm_first
        self.self_attn = MultiHeadAttention(model_config, "dec_self")
        self.cross_attn = MultiHeadAttention(model_config, "cross")
        self.ff = FeedForward(model_config)
        self.norm1, self.norm2, self.norm3 = (nn.LayerNorm(model_config.d_model) for _ in range(3))
        self.dropout = Dropout(model_config.dropout)

    def forward(
        self,
        x,
        memory,
        self_allowed,
        cross_allowed,
        rope=None,
        pos=0,
        cache=None,
        rec: Recorder | None = None,
    ) -> torch.Tensor:
        """x: (B, T, D); memory: (B, S, D); self_allowed: (B|1, 1, T, pos+T) or None;
        cross_allowed: (B, 1, 1, S); cache: (self, cross) BlockCaches or None -> (B, T, D)."""
        self_cache, cross_cache = cache if cache is not None else (None, None)

        def self_attn(h):
            return self.self_attn(
                h, None, self_allowed, rope, pos, self_cache, rec.parts("dec_self") if rec else None
            )

        def cross_attn(h):
            return self.cross_attn(
                h, memory, cross_allowed, rope, pos, cross_cache, rec.parts("cross") if rec else None
            )

        if self.norm_first:
            x = x + self.dropout(self_attn(self.norm1(x)))
            x = x + self.dropout(cross_attn(self.norm2(x)))
            return x + self.dropout(self.ff(self.norm3(x)))
        x = self.norm1(x + self.dropout(self_attn(x)))
        x = self.norm2(x + self.dropout(cross_attn(x)))
        return self.norm3(x + self.dropout(self.ff(x)))


def _positional(model_config: ModelConfig) -> nn.Module | None:
    if model_config.pos_encoding == "sinusoidal":
        return SinusoidalPositional(model_config.max_len, model_config.d_model, model_config.pos_layout)
    if model_config.pos_encoding == "learned":
        return LearnedPositional(model_config.max_len, model_config.d_model)
    return None  # rotary acts inside attention; "none" has no positions at all


def causal_allowed(n_new: int, pos: int = 0, device=None) -> torch.Tensor:
    """(n_new, pos + n_new) bool: query pos+i may attend to keys 0 .. pos+i."""
    q = torch.arange(pos, pos + n_new, device=device)[:, None]
    return torch.arange(pos + n_new, device=device)[None, :] <= q


class Seq2Seq(nn.Module):
    """Encoder-decoder Transformer for translation.

    Args:
        model_config: the model's shape; ``model_config.pad_id`` marks padding in both languages.

    Shape:
        src: (B, S) source ids, right-padded with ``model_config.pad_id``.
        tgt_in: (B, T) decoder input ids (starting with <bos>), right-padded.
        logits: (B, T, tgt_vocab).
    """

    def __init__(self, model_config: ModelConfig):
        super().__init__()
        self.model_config = model_config
        D = model_config.d_model
        self.src_embed = nn.Embedding(model_config.src_vocab, D, padding_idx=model_config.pad_id)
        self.tgt_embed = (
            self.src_embed
            if model_config.share_embeddings
            else nn.Embedding(model_config.tgt_vocab, D, padding_idx=model_config.pad_id)
        )
        self.src_pos, self.tgt_pos = _positional(model_config), _positional(model_config)
        if model_config.pos_encoding == "rotary":
            cos, sin = rotary_cos_sin(model_config.max_len, model_config.head_dim)
            self.register_buffer("rope_cos", cos, persistent=False)
            self.register_buffer("rope_sin", sin, persistent=False)
        self.dropout = Dropout(model_config.dropout)
        self.encoder = nn.ModuleList(EncoderLayer(model_config) for _ in range(model_config.n_layers))
        self.decoder = nn.ModuleList(DecoderLayer(model_config) for _ in range(model_config.dec_layers))
        # Pre-norm leaves the residual stream un-normalised, so it ends with one more LayerNorm.
        self.enc_norm = nn.LayerNorm(D) if model_config.norm_first else nn.Identity()
        self.dec_norm = nn.LayerNorm(D) if model_config.norm_first else nn.Identity()
        self.lm_head = nn.Linear(D, model_config.tgt_vocab, bias=False)
        if model_config.logits_bias:  # a fixed buffer, saved with the weights but not trained
            self.register_buffer("logits_bias", torch.zeros(model_config.tgt_vocab))
        else:
            self.logits_bias = None
        self._init_weights()
        if model_config.tie_embeddings:
            self.lm_head.weight = self.tgt_embed.weight

    def _init_weights(self) -> None:
        for module in self.modules():
            if isinstance(module, nn.Linear):
                nn.init.xavier_uniform_(module.weight)
                if module.bias is not None:
                    nn.init.zeros_(module.bias)
            elif isinstance(module, nn.Embedding):
                # N(0, 1/D): rows times sqrt(D) then have unit scale, as in fairseq.
                nn.init.normal_(module.weight, std=self.model_config.d_model**-0.5)
                with torch.no_grad():
                    module.weight[self.model_config.pad_id].zero_()
        for table in (self.src_pos, self.tgt_pos):  # last: see LearnedPositional
            if isinstance(table, LearnedPositional):
                nn.init.normal_(table.weight, std=self.model_config.d_model**-0.5)

    @property
    def rope(self) -> tuple[torch.Tensor, torch.Tensor] | None:
        return (self.rope_cos, self.rope_sin) if self.model_config.pos_encoding == "rotary" else None

    def num_parameters(self) -> int:
        """Number of trainable numbers (a tied matrix is counted once)."""
        return sum(p.numel() for p in self.parameters())

    def _embed(self, ids, table, positional, pos, rec, side):
        """ids (B, T) -> (B, T, D): table(ids) * sqrt(D) + positions, then dropout."""
        x = table(ids) * math.sqrt(self.model_config.d_model)  # (B, T, D)
        p = None if positional is None else positional(ids.size(1), pos)  # (T, D)
        if rec:
            rec.embed[side] = x
            rec.embed[side + "_pos"] = torch.zeros_like(x[0]) if p is None else p
        return self.dropout(x if p is None else x + p)

    def _encode(self, src, rec=None):
        src_allowed = src != self.model_config.pad_id  # (B, S)
        allowed = src_allowed[:, None, None, :]  # (B, 1, 1, S)
        x = self._embed(src, self.src_embed, self.src_pos, 0, rec, "src")
        for layer in self.encoder:
            x = layer(x, allowed, self.rope, rec)
            if rec:
                rec.enc_out.append(x)
        return self.enc_norm(x), src_allowed

    def _decode(self, tgt_in, memory, src_allowed, cache=None, start_pos=0, rec=None):
        T = tgt_in.size(1)
        if cache is None:  # whole prefix: causal, and padding keys blocked
            self_allowed = (
                causal_allowed(T, device=tgt_in.device)
                & (tgt_in != self.model_config.pad_id)[:, None, None, :]
            )
        elif T > 1:  # new positions start_pos .. start_pos+T-1 against the cache
            self_allowed = causal_allowed(T, start_pos, tgt_in.device)
        else:  # one new position may see every cached one
            self_allowed = None
        cross_allowed = src_allowed[:, None, None, :]  # (B, 1, 1, S)
        x = self._embed(tgt_in, self.tgt_embed, self.tgt_pos, start_pos, rec, "tgt")
        for i, layer in enumerate(self.decoder):
            layer_cache = None if cache is None else (cache.self_attn[i], cache.cross_attn[i])
            x = layer(
                x, memory, self_allowed, cross_allowed, self.rope, start_pos, layer_cache, rec
            )
            if rec:
                rec.dec_out.append(x)
        return self._logits(self.dec_norm(x))  # (B, T, V)

    def _logits(self, h: torch.Tensor) -> torch.Tensor:
        """The output projection: h (B, T, D) -> logits (B, T, V), plus the fixed bias if any."""
        logits = self._project(h)
        return logits if self.logits_bias is None else logits + self.logits_bias

    def _project(self, h: torch.Tensor) -> torch.Tensor:
        if self.training and self.lm_head.bias is None and fastpaths.on_cpu(h):
            return fastpaths.padded_linear(h, self.lm_head.weight)
        return self.lm_head(h)

    def layer_states(self, src: torch.Tensor, tgt_in: torch.Tensor | None = None) -> Recorder:
        """Every encoder layer's output for ``src`` (B, S), and with ``tgt_in`` (B, T) every
        decoder layer's (teacher forcing), in eval mode without gradients: a Recorder with
        ``enc_out`` and ``dec_out`` filled, attention left on its fast path."""
        rec = Recorder(attention=False)
        with evaluating(self):
            memory, src_allowed = self._encode(src, rec)
            if tgt_in is not None:
                self._decode(tgt_in, memory, src_allowed, rec=rec)
        return rec

    def attention_blocks(self):
        """(name, MultiHeadAttention) of every attention block, encoder first."""
        return [(name, m) for name, m in self.named_modules() if isinstance(m, MultiHeadAttention)]

    def encode(self, src: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Run the encoder.

        Args:
            src: (B, S) source ids.

        Returns:
            memory (B, S, D), and src_allowed (B, S) bool, True at non-padding positions.
        """
        return self._encode(src)

    def decode(
        self,
        tgt_in: torch.Tensor,
        memory: torch.Tensor,
        src_allowed: torch.Tensor,
        cache: KVCache | None = None,
        start_pos: int = 0,
    ) -> torch.Tensor:
        """Run the decoder over tgt_in, attending to the encoder output.

        Args:
            tgt_in: (B, T) decoder input ids at positions start_pos .. start_pos+T-1.
                Without a cache it is the whole prefix (start_pos 0) and padding is masked.
                With a cache it holds only the new positions; their keys and values are
                appended to the cache, and padding is not masked (decoding never feeds any
                that matters).
            memory: (B, S, D) and src_allowed: (B, S) from :meth:`encode`.
            cache: a :class:`KVCache`, updated in place (``KVCache.empty(model_config.dec_layers)``
                to start).
            start_pos: absolute position of tgt_in[:, 0].

        Returns:
            logits (B, T, tgt_vocab).
        """
        return self._decode(tgt_in, memory, src_allowed, cache, start_pos)

    def forward(self, src: torch.Tensor, tgt_in: torch.Tensor) -> torch.Tensor:
        """Teacher-forced pass: src (B, S), tgt_in (B, T) -> logits (B, T, tgt_vocab)."""
        memory, src_allowed = self._encode(src)
        return self._decode(tgt_in, memory, src_allowed)

    def trace(
        self,
        src: torch.Tensor,
        tgt_in: torch.Tensor,
        src_tokens: Sequence[str],
        tgt_tokens: Sequence[str],
        out_tokens: Sequence[str] | None = None,
        *,
        id_to_token: Callable[[int], str] | None = None,
        step: int = 0,
    ) -> ModelTrace:
        """Run one sentence pair through the traced path and return every intermediate.

        Runs in eval mode (no dropout) without gradients; the model's mode is restored.

        Args:
            src: (1, S) source ids; tgt_in: (1, T) decoder input ids (starting with <bos>).
            src_tokens, tgt_tokens: the strings of those ids (lengths S and T), used as labels.
            out_tokens: strings of what the decoder predicts at each position (length T).
                When None they are made from the predicted (argmax) ids: with
                ``id_to_token`` (e.g. the target tokenizer's id -> string) if given,
                otherwise as the ids written in decimal.
            step: training step the trace belongs to (stored in the report).

        Returns:
            :class:`ModelTrace` of numpy copies (batch dimension removed).
        """
        if src.size(0) != 1 or tgt_in.size(0) != 1:
            raise ValueError("trace takes one sentence pair: src (1, S) and tgt_in (1, T)")
        if len(src_tokens) != src.size(1) or len(tgt_tokens) != tgt_in.size(1):
            raise ValueError("src_tokens/tgt_tokens must match the lengths of src/tgt_in")
        rec = Recorder()
        with evaluating(self):
            memory, src_allowed = self._encode(src, rec)
            logits = self._decode(tgt_in, memory, src_allowed, rec=rec)[0]  # (T, V)
        if out_tokens is None:
            to_str = id_to_token or str
            out_tokens = [to_str(i) for i in logits.argmax(-1).tolist()]
        if len(out_tokens) != tgt_in.size(1):
            raise ValueError("out_tokens must have one string per target position")

        def copy(t: torch.Tensor) -> np.ndarray:
            return t.detach().cpu().numpy().copy()

        return ModelTrace(
            src_tokens=tuple(src_tokens),
            tgt_tokens=tuple(tgt_tokens),
            out_tokens=tuple(out_tokens),
            src_ids=copy(src[0]),
            tgt_ids=copy(tgt_in[0]),
            src_embed=copy(rec.embed["src"][0]),
            src_pos=copy(rec.embed["src_pos"]),
            tgt_embed=copy(rec.embed["tgt"][0]),
            tgt_pos=copy(rec.embed["tgt_pos"]),
            enc_self=tuple(p.report(i) for i, p in enumerate(rec.enc_self)),
            dec_self=tuple(p.report(i) for i, p in enumerate(rec.dec_self)),
            cross=tuple(p.report(i) for i, p in enumerate(rec.cross)),
            logits=copy(logits),
            step=step,
        )
