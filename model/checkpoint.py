"""Checkpoints: one safetensors file; no pickle, validated before use, checked on load.

Format ``transformer-explorer/2`` (this module writes only it; ``transformer-explorer/1``
files, the format before it, still load).

The file is a plain safetensors file (8-byte header length, JSON header, raw tensor
bytes), so loading can never run code from it. Its ``__metadata__`` holds three strings:

- ``format``: ``"transformer-explorer/2"``;
- ``header``: one JSON object (below), validated against :data:`HEADER_SCHEMA` before
  anything in it is used;
- ``checksum``: ``"sha256:<hex>"`` of the ``header`` string's UTF-8 bytes followed by, for
  each tensor in name order, its name, dtype, shape and raw bytes. A mismatch on load is
  the one-line error every bad checkpoint gets.

The header object::

    {
      "model_config":  {...ModelConfig fields...},
      "train_config":  {...TrainConfig fields...},
      "src_tokenizer": {"kind": "word"|"char"|"bpe"|..., "lang": "en", ...kind's payload},
      "tgt_tokenizer": {...},
      "step": 1200,                       # optimiser steps taken
      "corpus": "builtin:en-de",          # the spec it was trained on (informative only)
      "metrics": {"train_loss": 1.23, ...},   # numbers (NaN allowed) or null
      "weights_dtype": "float32"|"float16"|"bfloat16",   # as stored; loading gives float32
      "sections": {"<name>": {...}, ...}  # optional named sections, see below
    }

Tensors are named by prefix: ``weights.<parameter>`` (the model's state dict),
``optim.<parameter>.<step|exp_avg|exp_avg_sq>`` (Adam's state), and the tensors that a
tokenizer or a section refers to (``tokenizer.src.<n>``, ``section.<name>.<n>``).

Sections and tokenizers may hold binary data. Wherever a tokenizer's ``to_dict()`` or a
section (any nesting of dicts, lists and JSON values) holds a numpy array, a torch tensor
or ``bytes``, the file stores a tensor and the JSON holds a reference in its place,
``{"$array": "section.history.0"}`` or ``{"$bytes": "tokenizer.src.0"}`` (bytes are a uint8
tensor). Loading puts numpy arrays and ``bytes`` back (arrays keep their stored dtype). So
a SentencePiece model is ``bytes`` in a tokenizer's dict, and a per-step metric is a
float16 array in the ``history`` section.

Each section has a schema in :data:`SECTION_SCHEMAS`; a section whose name has none is
left out on load (a newer writer's section), so nothing unvalidated reaches a reader.
Sections defined here: ``resume`` (written by ``Trainer.checkpoint``: the data order still
to come and the random states, so a resumed run continues bit for bit; see model/train.py);
``tied`` (written by the save itself: a weight that shares its tensor with one stored
before it, such as a Marian model's one embedding used as source, target and output
table, is stored once and named here, ``{"tgt_embed.weight": "src_embed.weight"}``;
loading puts it back under every name); ``generation`` (how the model decodes by
default, ``model.decode.Generation``: a converted opus-mt model's generation_config.json).
To add a section, add its schema to :data:`SECTION_SCHEMAS` (and a tokenizer kind's
payload schema to :data:`TOKENIZER_SCHEMAS`).

Before any module is built from a header, its config must pass the schema's limits and fit
the size of the stored weights (:func:`estimate_parameters`), so a crafted header cannot
make the loader allocate more than about twice what the file holds.

Writes go through one temporary file in the destination folder,
``.<name>.<pid>.transformer-explorer-tmp``, written, fsync'ed and renamed over the target,
which keeps the target's permissions. Temporaries that crashed saves left behind (their
process gone) are removed by the next save into that folder.
"""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import math
import os
import re
import stat
import struct
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors import safe_open

from model.config import ModelConfig, TrainConfig
from model.tokenizer import Tokenizer

FORMAT = "transformer-explorer/2"
FORMAT_V1 = "transformer-explorer/1"
WEIGHTS_PREFIX = "weights."
OPTIM_PREFIX = "optim."
TMP_SUFFIX = ".transformer-explorer-tmp"
WEIGHT_DTYPES = {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}
_ST_DTYPES = {torch.float64: "F64", torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
              torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8",
              torch.uint8: "U8", torch.bool: "BOOL"}


class CheckpointError(ValueError):
    """A checkpoint could not be read; the message is one line naming the file."""


@dataclass
class Checkpoint:
    model_config: ModelConfig
    train_config: TrainConfig
    src_tokenizer: Tokenizer
    tgt_tokenizer: Tokenizer
    weights: dict[str, torch.Tensor]
    step: int = 0
    corpus: str = ""
    metrics: dict[str, Any] = field(default_factory=dict)
    optimizer: dict[str, torch.Tensor] = field(default_factory=dict)
    # named sections ("resume", ...): dicts/lists of JSON values, numpy arrays, tensors, bytes
    sections: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------------------- schema
class Invalid(Exception):
    """A value does not fit its schema; ``where`` is the path in the header."""

    def __init__(self, where: str, message: str):
        super().__init__(f"{where}: {message}")


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "true/false", int: "a whole number", float: "a number", str: "a string",
            list: "a list", dict: "an object"}.get(type(value), type(value).__name__)


class Schema:
    """Checks one JSON value; ``check`` raises :class:`Invalid` naming where it failed.
    ``ctx`` maps tensor names to (dtype, shape) for array and bytes references."""

    def check(self, value: Any, where: str, ctx: dict) -> None:
        raise NotImplementedError


class Int(Schema):
    def __init__(self, lo: int = -(2**63), hi: int = 2**63 - 1):
        self.lo, self.hi = lo, hi

    def check(self, value, where, ctx):
        if type(value) is not int:
            raise Invalid(where, f"expected a whole number, got {_kind(value)}")
        if not self.lo <= value <= self.hi:
            raise Invalid(where, f"{value} is outside {self.lo}..{self.hi}")


class Num(Schema):
    def __init__(self, lo: float = -math.inf, hi: float = math.inf, finite: bool = True):
        self.lo, self.hi, self.finite = lo, hi, finite

    def check(self, value, where, ctx):
        if type(value) not in (int, float):
            raise Invalid(where, f"expected a number, got {_kind(value)}")
        if math.isfinite(value):
            if not self.lo <= value <= self.hi:
                raise Invalid(where, f"{value} is outside {self.lo}..{self.hi}")
        elif self.finite:
            raise Invalid(where, f"expected a finite number, got {value}")


class Str(Schema):
    def __init__(self, max_len: int = 10_000, pattern: str | None = None):
        self.max_len, self.pattern = max_len, re.compile(pattern) if pattern else None

    def check(self, value, where, ctx):
        if type(value) is not str:
            raise Invalid(where, f"expected a string, got {_kind(value)}")
        if len(value) > self.max_len:
            raise Invalid(where, f"string longer than {self.max_len} characters")
        if self.pattern and not self.pattern.fullmatch(value):
            raise Invalid(where, f"{value[:40]!r} is not of the expected form")


class Bool(Schema):
    def check(self, value, where, ctx):
        if type(value) is not bool:
            raise Invalid(where, f"expected true or false, got {_kind(value)}")


class Enum(Schema):
    def __init__(self, *choices: Any):
        self.choices = choices

    def check(self, value, where, ctx):
        if type(value) not in (str, int, bool) or value not in self.choices:
            raise Invalid(where, f"expected one of {list(self.choices)}")


class Nullable(Schema):
    def __init__(self, inner: Schema):
        self.inner = inner

    def check(self, value, where, ctx):
        if value is not None:
            self.inner.check(value, where, ctx)


class List(Schema):
    def __init__(self, item: Schema, max_items: int = 10_000_000, min_items: int = 0):
        self.item, self.max_items, self.min_items = item, max_items, min_items

    def check(self, value, where, ctx):
        if type(value) is not list:
            raise Invalid(where, f"expected a list, got {_kind(value)}")
        if not self.min_items <= len(value) <= self.max_items:
            raise Invalid(where, f"expected {self.min_items}..{self.max_items} items, got {len(value)}")
        for i, item in enumerate(value):
            self.item.check(item, f"{where}[{i}]", ctx)


class Map(Schema):
    """An object with any keys (strings of at most 200 characters) and values of one schema."""

    def __init__(self, value: Schema, max_items: int = 100_000):
        self.value, self.max_items = value, max_items

    def check(self, value, where, ctx):
        if type(value) is not dict:
            raise Invalid(where, f"expected an object, got {_kind(value)}")
        if len(value) > self.max_items:
            raise Invalid(where, f"more than {self.max_items} entries")
        for key, item in value.items():
            if len(key) > 200:
                raise Invalid(where, "a key longer than 200 characters")
            self.value.check(item, f"{where}.{key}", ctx)


class Obj(Schema):
    """An object with named fields: ``required`` must be there, ``optional`` may; no others
    (unless ``extra`` gives a schema for them)."""

    def __init__(self, required: dict[str, Schema] | None = None,
                 optional: dict[str, Schema] | None = None, extra: Schema | None = None):
        self.required, self.optional, self.extra = required or {}, optional or {}, extra

    def check(self, value, where, ctx):
        if type(value) is not dict:
            raise Invalid(where, f"expected an object, got {_kind(value)}")
        for key in self.required:
            if key not in value:
                raise Invalid(where, f"missing {key!r}")
        for key, item in value.items():
            schema = self.required.get(key) or self.optional.get(key) or self.extra
            if schema is None:
                raise Invalid(where, f"unexpected field {key[:40]!r}")
            schema.check(item, f"{where}.{key}", ctx)


class Array(Schema):
    """A reference ``{"$array": name}`` to a stored tensor of one of ``dtypes`` (numpy
    names: "float16", "int64", ...) with ``ndim`` dimensions (None: any)."""

    def __init__(self, dtypes: tuple[str, ...] | None = None, ndim: int | None = None):
        self.dtypes, self.ndim = dtypes, ndim

    def check(self, value, where, ctx):
        dtype, shape = _ref(value, "$array", where, ctx)
        if self.dtypes is not None and dtype not in self.dtypes:
            raise Invalid(where, f"array of {dtype}, expected {'/'.join(self.dtypes)}")
        if self.ndim is not None and len(shape) != self.ndim:
            raise Invalid(where, f"array of {len(shape)} dimensions, expected {self.ndim}")


class Bytes(Schema):
    """A reference ``{"$bytes": name}`` to a stored uint8 vector of at most ``max_len``."""

    def __init__(self, max_len: int = 1 << 30):
        self.max_len = max_len

    def check(self, value, where, ctx):
        dtype, shape = _ref(value, "$bytes", where, ctx)
        if dtype != "uint8" or len(shape) != 1 or shape[0] > self.max_len:
            raise Invalid(where, f"bytes must be a uint8 vector of at most {self.max_len}")


class Any_(Schema):
    """Any JSON value (references included), nested at most ``depth`` deep."""

    def __init__(self, depth: int = 8):
        self.depth = depth

    def check(self, value, where, ctx):
        if isinstance(value, dict) and len(value) == 1 and next(iter(value)) in ("$array", "$bytes"):
            _ref(value, next(iter(value)), where, ctx)
        elif isinstance(value, (dict, list)):
            if self.depth <= 0:
                raise Invalid(where, "nested too deep")
            inner = Any_(self.depth - 1)
            for key, item in (value.items() if isinstance(value, dict) else enumerate(value)):
                inner.check(item, f"{where}.{key}", ctx)
        elif not isinstance(value, (str, int, float, bool)) and value is not None:
            raise Invalid(where, f"unexpected {_kind(value)}")


def _ref(value: Any, tag: str, where: str, ctx: dict) -> tuple[str, tuple[int, ...]]:
    if type(value) is not dict or list(value) != [tag] or type(value[tag]) is not str:
        raise Invalid(where, f"expected a reference {{{tag!r}: name}}, got {_kind(value)}")
    name = value[tag]
    if name not in ctx:
        raise Invalid(where, f"refers to tensor {name[:60]!r}, which the file does not hold")
    return ctx[name]


# Sizes above these are refused before anything is built (the largest real models the
# app is meant for, opus-mt and its like, are far below them), and values a trainer cannot
# use are refused before one is made. A field not named here is checked by its type.
MODEL_FIELDS: dict[str, Schema] = {
    "src_vocab": Int(1, 2_000_000), "tgt_vocab": Int(1, 2_000_000), "d_model": Int(1, 65_536),
    "n_heads": Int(1, 4096), "n_layers": Int(1, 256), "n_dec_layers": Int(0, 256),
    "d_ff": Int(1, 1_000_000), "max_len": Int(1, 1_000_000), "pad_id": Int(0, 2_000_000),
    "dropout": Num(0, 0.999),
}
TRAIN_FIELDS: dict[str, Schema] = {
    "batch_tokens": Int(1, 100_000_000), "lr": Num(1e-30, 1e30), "warmup": Int(0, 10**12),
    "betas": List(Num(0, 0.999_999), max_items=2, min_items=2), "weight_decay": Num(0, 1e6),
    "label_smoothing": Num(0, 0.999), "clip_norm": Num(0), "seed": Int(0, 2**63 - 1),
    "eval_every": Int(0), "eval_sentences": Int(0, 10**9), "snapshot_every": Int(0),
    "max_snapshots": Int(1, 10**6), "device": Str(40, r"auto|cpu|mps|cuda(:\d{1,3})?"),
}
MAX_TABLE_ELEMENTS = 1 << 24  # max_len x d_model: positional tables are built, not stored


def _schema_for_annotation(annotation: str, override: Schema | None) -> Schema:
    text = annotation.replace(" ", "")
    nullable = text.endswith("|None")
    base = text.removesuffix("|None")
    schema: Schema
    if override is not None:
        schema = override
    elif base == "int":
        schema = Int()
    elif base == "float":
        schema = Num()
    elif base == "bool":
        schema = Bool()
    elif base == "str":
        schema = Str(200)
    elif base.startswith("tuple[float"):
        n = base.count("float")
        schema = List(Num(), max_items=n, min_items=n)
    else:
        schema = Any_(4)
    return Nullable(schema) if nullable else schema


def config_schema(cls: type, fields: dict[str, Schema] | None = None) -> Obj:
    """The schema of a config dataclass's dict, from its fields' annotations (or the
    schema ``fields`` gives a name): fields without a default are required, unknown
    fields refused."""
    required, optional = {}, {}
    for f in dataclasses.fields(cls):
        schema = _schema_for_annotation(str(f.type), (fields or {}).get(f.name))
        has_default = f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
        (optional if has_default else required)[f.name] = schema
    return Obj(required, optional)


LANG = Str(32)
# The payload of each tokenizer kind (besides "kind" and "lang").
TOKENIZER_SCHEMAS: dict[str, dict[str, Schema]] = {
    "word": {"vocab": List(Str(10_000), max_items=2_000_000, min_items=4)},
    "char": {"vocab": List(Str(10_000), max_items=2_000_000, min_items=4)},
    "bpe": {"hf": Str(1 << 28)},
    "spm": {"spm": Bytes(1 << 28), "vocab": List(Str(10_000), max_items=2_000_000, min_items=4),
            "lang_token": Str(200)},
}


class TokenizerSchema(Schema):
    def check(self, value, where, ctx):
        Obj({"kind": Str(40), "lang": LANG}, extra=Any_(6)).check(value, where, ctx)
        payload = TOKENIZER_SCHEMAS.get(value["kind"])
        if payload is None:
            raise Invalid(f"{where}.kind", f"unknown tokenizer kind {value['kind'][:40]!r}")
        Obj({"kind": Str(40), "lang": LANG, **payload}).check(value, where, ctx)


RESUME_SCHEMA = Obj({
    "corpus": Obj({"spec": Str(100_000), "train_pairs": Int(0), "fingerprint": Str(64)},
                  {"valid_pairs": Int(0), "test_pairs": Int(0)}),  # the split, kept on resume
    "batches": Array(("int64",), 1),          # example indices of the batches still to come, concatenated
    "batch_sizes": Array(("int64",), 1),      # their sizes, last batch first to be used last
    "numpy_rng": Obj({"bit_generator": Enum("PCG64"),
                      "state": Obj({"state": Int(0, 2**128 - 1), "inc": Int(0, 2**128 - 1)}),
                      "has_uint32": Int(0, 1), "uinteger": Int(0, 2**32 - 1)}),
    "torch_rng": Array(("uint8",), 1),
    "elapsed_s": Num(0),
}, {"lr_override": Nullable(Num(0)), "cuda_rng": Nullable(Array(("uint8",), 1))})

# The training history (model/history.py): JSON about its snapshots (steps, tokens, sample
# translations) and flat name -> array (metrics of every step, snapshot arrays).
HISTORY_SCHEMA = Obj({
    "meta": Obj({"version": Int(1, 1), "groups": List(Str(200), 10_000),
                 "sentences": List(List(Nullable(Str(100_000)), 2, 2), 1_000),
                 "snapshots": List(Any_(6), 10_000)}),
    "arrays": Map(Array(("float16", "float32", "int32", "bool")), max_items=100_000),
})

# Weights stored once for several names: name -> the stored name it shares its tensor with.
TIED_SCHEMA = Map(Str(1000), max_items=10_000)
# How the model decodes by default (model.decode.Generation; a converted opus-mt model's).
GENERATION_SCHEMA = Obj({}, {"beam": Int(1, 1024), "max_len": Nullable(Int(1, 1_000_000)),
                             "length_penalty": Num(-100, 100), "pool": Bool(), "force_eos": Bool()})

# The schema of each named section; a section not named here is left out on load.
SECTION_SCHEMAS: dict[str, Schema] = {"resume": RESUME_SCHEMA, "history": HISTORY_SCHEMA,
                                      "tied": TIED_SCHEMA, "generation": GENERATION_SCHEMA}

HEADER_SCHEMA = Obj({
    "model_config": config_schema(ModelConfig, MODEL_FIELDS),
    "train_config": config_schema(TrainConfig, TRAIN_FIELDS),
    "src_tokenizer": TokenizerSchema(),
    "tgt_tokenizer": TokenizerSchema(),
    "step": Int(0),
    "corpus": Str(100_000),
    "metrics": Map(Nullable(Num(finite=False)), max_items=10_000),
}, {
    "weights_dtype": Enum(*WEIGHT_DTYPES),
    "sections": Map(Any_(12), max_items=64),
})


def validate_header(header: Any, ctx: dict | None = None) -> None:
    """Raise :class:`Invalid` unless ``header`` fits :data:`HEADER_SCHEMA` and the
    schemas of its known sections. ``ctx``: stored tensor name -> (dtype, shape)."""
    ctx = ctx or {}
    HEADER_SCHEMA.check(header, "header", ctx)
    for name, section in header.get("sections", {}).items():
        schema = SECTION_SCHEMAS.get(name)
        if schema is not None:
            schema.check(section, f"header.sections.{name}", ctx)


# ---------------------------------------------------------------------------- sizes
def estimate_parameters(model_config: ModelConfig) -> int:
    """About how many parameters ``Seq2Seq(model_config)`` holds (every weight and bias); used to
    refuse a config that asks for far more than a file stores, before building it."""
    d, f, enc, dec = model_config.d_model, model_config.d_ff, model_config.n_layers, model_config.dec_layers
    attn = 4 * d * d + 4 * d
    ff = 2 * d * f + f + d
    n = (model_config.src_vocab + model_config.tgt_vocab) * d
    if not model_config.tie_embeddings:
        n += model_config.tgt_vocab * d
    if model_config.pos_encoding == "learned":
        n += 2 * model_config.max_len * d
    return n + enc * (attn + ff + 4 * d) + dec * (2 * attn + ff + 6 * d) + 4 * d


def _check_sizes(path: Path, model_config: ModelConfig, stored: int) -> None:
    if model_config.max_len * model_config.d_model > MAX_TABLE_ELEMENTS:
        table = model_config.max_len * model_config.d_model
        raise CheckpointError(f"{path}: model config max_len x d_model = {table:,} "
                              f"is more than the {MAX_TABLE_ELEMENTS:,} a positional table may have")
    wanted = estimate_parameters(model_config)
    if wanted > 2 * stored + (1 << 20):
        raise CheckpointError(f"{path}: the model config describes about {wanted:,} parameters, "
                              f"but the file stores {stored:,} weights")


# ---------------------------------------------------------------------------- references
def _extract(value: Any, prefix: str, tensors: dict[str, torch.Tensor]) -> Any:
    """``value`` with arrays, tensors and bytes moved into ``tensors`` (named prefix + n)
    and references left in their place."""
    if isinstance(value, dict):
        return {str(k): _extract(v, prefix, tensors) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_extract(v, prefix, tensors) for v in value]
    if isinstance(value, (bytes, bytearray, memoryview)):
        name = f"{prefix}{len(tensors)}"
        tensors[name] = torch.frombuffer(bytearray(value), dtype=torch.uint8) if len(value) else \
            torch.zeros(0, dtype=torch.uint8)
        return {"$bytes": name}
    if isinstance(value, np.ndarray):
        value = torch.from_numpy(np.ascontiguousarray(value))
    if isinstance(value, torch.Tensor):
        name = f"{prefix}{len(tensors)}"
        tensors[name] = value.detach().to("cpu")
        return {"$array": name}
    if isinstance(value, np.generic):
        return value.item()
    return value


def _resolve(value: Any, tensors: dict[str, torch.Tensor]) -> Any:
    """The inverse of :func:`_extract` (arrays come back as numpy arrays)."""
    if isinstance(value, dict):
        if len(value) == 1 and "$bytes" in value:
            return tensors[value["$bytes"]].numpy().tobytes()
        if len(value) == 1 and "$array" in value:
            t = tensors[value["$array"]]
            return (t.float() if t.dtype == torch.bfloat16 else t).numpy().copy()
        return {k: _resolve(v, tensors) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, tensors) for v in value]
    return value


def _np_dtype_name(st_dtype: str) -> str:
    return {"F64": "float64", "F32": "float32", "F16": "float16", "BF16": "bfloat16",
            "I64": "int64", "I32": "int32", "I16": "int16", "I8": "int8", "U8": "uint8",
            "BOOL": "bool"}.get(st_dtype, st_dtype.lower())


# ---------------------------------------------------------------------------- checksum
def _checksum(header_text: str, tensors: dict[str, torch.Tensor]) -> str:
    h = hashlib.sha256(header_text.encode("utf-8"))
    for name in sorted(tensors):
        t = tensors[name]
        h.update(f"\0{name}\0{_ST_DTYPES.get(t.dtype, str(t.dtype))}\0{list(t.shape)}\0".encode())
        h.update(_raw_bytes(t))
    return "sha256:" + h.hexdigest()


def _raw_bytes(t: torch.Tensor) -> memoryview:
    flat = t.detach().to("cpu").contiguous().reshape(-1)
    if flat.numel() == 0:
        return memoryview(b"")
    return memoryview(flat.view(torch.uint8).numpy())


# ---------------------------------------------------------------------------- writing
def save_checkpoint(path: str | os.PathLike, ckpt: Checkpoint, weights_dtype: str = "float32") -> Path:
    """Write ``ckpt`` to ``path`` atomically (see the module docstring).

    ``weights_dtype`` "float16" or "bfloat16" stores the floating-point weights in 16 bits
    (loading gives float32 again); the optimiser state is always stored as it is.
    """
    if weights_dtype not in WEIGHT_DTYPES:
        raise ValueError(f"weights_dtype must be one of {list(WEIGHT_DTYPES)}")
    path = check_destination(path)  # a folder, a file in the way, no write permission: one line naming path
    tensors: dict[str, torch.Tensor] = {}
    store = WEIGHT_DTYPES[weights_dtype]
    tied: dict[str, str] = {}
    seen: dict[tuple, str] = {}
    for name, t in ckpt.weights.items():
        key = (t.device, t.data_ptr(), t.dtype, tuple(t.shape), t.stride())
        if t.numel() and key in seen:  # tied weights (shared embeddings) are stored once
            tied[name] = seen[key]
            continue
        seen[key] = name
        t = t.detach().to("cpu")
        tensors[WEIGHTS_PREFIX + name] = t.to(store) if t.is_floating_point() else t
    for name, t in ckpt.optimizer.items():
        tensors[OPTIM_PREFIX + name] = t.detach().to("cpu")
    header = {
        "model_config": ckpt.model_config.to_dict(),
        "train_config": ckpt.train_config.to_dict(),
        "src_tokenizer": _extract(ckpt.src_tokenizer.to_dict(), "tokenizer.src.", _Sub(tensors, "tokenizer.src.")),
        "tgt_tokenizer": _extract(ckpt.tgt_tokenizer.to_dict(), "tokenizer.tgt.", _Sub(tensors, "tokenizer.tgt.")),
        "step": int(ckpt.step),
        "corpus": str(ckpt.corpus),
        "metrics": {str(k): (None if v is None else float(v)) for k, v in ckpt.metrics.items()},
        "weights_dtype": weights_dtype,
        "sections": {name: _extract(value, f"section.{name}.", _Sub(tensors, f"section.{name}."))
                     for name, value in ckpt.sections.items()},
    }
    if tied:
        header["sections"]["tied"] = tied
    header_text = json.dumps(header, ensure_ascii=False)
    metadata = {"format": FORMAT, "header": header_text, "checksum": _checksum(header_text, tensors)}
    try:
        write_atomically(path, lambda fh: _write_safetensors(fh, tensors, metadata))
    except OSError as exc:  # a full disk, a folder gone meanwhile: name the destination, not the temporary
        raise CheckpointError(f"{path}: cannot write the checkpoint ({exc.strerror or exc})") from None
    return path


class _Sub(dict):
    """A view of the shared tensor dict that numbers its own names from 0 (so
    ``len(self)`` in :func:`_extract` counts only this prefix's tensors)."""

    def __init__(self, target: dict, prefix: str):
        super().__init__()
        self.target, self.prefix = target, prefix

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self.target[key] = value


def _write_safetensors(fh, tensors: dict[str, torch.Tensor], metadata: dict[str, str]) -> None:
    """The safetensors layout, streamed tensor by tensor (no copy of the whole file)."""
    entries: dict[str, Any] = {"__metadata__": metadata}
    offset = 0
    order = sorted(tensors)
    for name in order:
        t = tensors[name]
        if t.dtype not in _ST_DTYPES:
            raise ValueError(f"cannot store tensor {name} of dtype {t.dtype}")
        size = t.numel() * t.element_size()
        entries[name] = {"dtype": _ST_DTYPES[t.dtype], "shape": list(t.shape),
                         "data_offsets": [offset, offset + size]}
        offset += size
    head = json.dumps(entries, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    head += b" " * (-len(head) % 8)
    fh.write(struct.pack("<Q", len(head)))
    fh.write(head)
    for name in order:
        fh.write(_raw_bytes(tensors[name]))


def check_destination(path: str | os.PathLike) -> Path:
    """Raise CheckpointError (one line) unless a file can be written at ``path``: it is not
    a folder, its folder exists or can be made (no file in the way), and a file can be
    created there. Run before a long job, so a bad destination fails at once."""
    path = Path(path)
    if path.is_dir():
        raise CheckpointError(f"{path}: is a folder; name a file in it, such as {path / 'model.safetensors'}")
    for parent in path.parents:
        if parent.exists() and not parent.is_dir():
            raise CheckpointError(f"{path}: {parent} is a file, not a folder")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CheckpointError(f"{path}: cannot make the folder {path.parent} ({exc.strerror or exc})") from None
    probe = temp_path(path)
    try:
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        os.unlink(probe)
    except OSError as exc:
        raise CheckpointError(f"{path}: cannot write in {path.parent} ({exc.strerror or exc})") from None
    return path


def temp_path(path: Path) -> Path:
    """The temporary file a save to ``path`` writes first (this process's own)."""
    return path.with_name(f".{path.name}.{os.getpid()}{TMP_SUFFIX}")


def remove_stale_temps(folder: Path) -> list[Path]:
    """Remove temporaries of saves whose process is gone (crashed, killed); return them."""
    removed = []
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            m = re.fullmatch(r"\..+\.(\d+)" + re.escape(TMP_SUFFIX), entry.name)
            if m and not _alive(int(m.group(1))):
                with contextlib.suppress(OSError):
                    entry.unlink()
                    removed.append(entry)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # our own temporaries are never in use between saves
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, OverflowError):
        return True
    return True


def write_atomically(path: str | os.PathLike, write: typing.Callable[[typing.BinaryIO], None]) -> Path:
    """Call ``write(fh)`` on this process's temporary file beside ``path``, fsync it,
    give it the permissions ``path`` has (if it exists) and rename it over ``path``.
    A failure removes the temporary and leaves ``path`` as it was."""
    path = Path(path)
    remove_stale_temps(path.parent)
    tmp = temp_path(path)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mode = None
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # the rename itself, made durable
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    return path


# ---------------------------------------------------------------------------- reading
@dataclass
class _Opened:
    """A checkpoint file's validated header and its tensor listing (no tensor data)."""

    header: dict[str, Any]
    listing: dict[str, tuple[str, tuple[int, ...]]]  # name -> (numpy dtype name, shape)
    checksum: str | None
    header_text: str | None
    version: int


def _open(path: Path) -> _Opened:
    if not path.is_file():
        if path.exists():
            raise CheckpointError(f"{path}: not a regular file")
        raise CheckpointError(f"{path}: no such checkpoint file")
    try:
        with safe_open(str(path), framework="pt") as fh:
            meta = fh.metadata() or {}
            listing = {}
            for name in fh.keys():  # noqa: SIM118  (safe_open is not iterable)
                sl = fh.get_slice(name)
                listing[name] = (_np_dtype_name(sl.get_dtype()), tuple(sl.get_shape()))
    except Exception as exc:  # noqa: BLE001  (safetensors raises several types for a bad file)
        raise CheckpointError(f"{path}: not a safetensors checkpoint ({_one_line(exc)})") from None
    fmt = meta.get("format")
    if fmt == FORMAT:
        text = meta.get("header")
        try:
            header = json.loads(text) if isinstance(text, str) else None
        except ValueError as exc:
            raise CheckpointError(f"{path}: damaged checkpoint header ({_one_line(exc)})") from None
        opened = _Opened(header, listing, meta.get("checksum"), text, 2)
        if not isinstance(opened.checksum, str):
            raise CheckpointError(f"{path}: damaged checkpoint header (no checksum)")
    elif fmt == FORMAT_V1:
        opened = _Opened(_v1_header(path, meta), listing, None, None, 1)
    else:
        raise CheckpointError(f"{path}: a safetensors file, but not a Transformer Explorer checkpoint")
    try:
        validate_header(opened.header, listing)
    except Invalid as exc:
        raise CheckpointError(f"{path}: damaged checkpoint header ({_one_line(exc)})") from None
    return opened


def _v1_header(path: Path, meta: dict[str, str]) -> dict[str, Any]:
    """The header of a format-1 file (JSON strings under separate keys) as format 2 has it."""
    try:
        header = {key: json.loads(meta[key]) for key in
                  ("model_config", "train_config", "src_tokenizer", "tgt_tokenizer")}
        header["metrics"] = json.loads(meta.get("metrics", "{}"))
        step = meta.get("step", "0")
        header["step"] = int(step) if step.isdigit() else step
        header["corpus"] = meta.get("corpus", "")
    except (KeyError, ValueError) as exc:
        raise CheckpointError(f"{path}: damaged checkpoint header ({_one_line(exc)})") from None
    return header


def read_header(path: str | os.PathLike) -> dict[str, Any]:
    """The validated header of a checkpoint (see the module docstring), without reading
    the weights; a format-1 file's header is given in format 2's shape."""
    return _open(Path(path)).header


def read_metadata(path: str | os.PathLike) -> dict[str, Any]:
    """The older name of :func:`read_header`."""
    return read_header(path)


def load_checkpoint(path: str | os.PathLike, device: str = "cpu") -> Checkpoint:
    """Read a checkpoint written by :func:`save_checkpoint` (or a format-1 file).

    Raises CheckpointError (one line naming the file) for a missing, truncated, damaged or
    foreign file, a header that does not fit the schema, a checksum that does not match,
    or a config, tokenizers and weights that do not fit together.
    """
    path = Path(path)
    opened = _open(path)
    header = opened.header
    weight_prefix = WEIGHTS_PREFIX if opened.version == 2 else ""
    stored = sum(math.prod(shape) for name, (_, shape) in opened.listing.items()
                 if name.startswith(weight_prefix) and not name.startswith(OPTIM_PREFIX)
                 and (opened.version == 1 or not name.startswith(("tokenizer.", "section."))))
    try:
        model_config = ModelConfig.from_dict(header["model_config"])
        train_cfg = TrainConfig.from_dict(header["train_config"])
    except (ValueError, TypeError) as exc:
        raise CheckpointError(f"{path}: damaged checkpoint header ({_one_line(exc)})") from None
    _check_sizes(path, model_config, stored)
    tensors: dict[str, torch.Tensor] = {}
    try:
        with safe_open(str(path), framework="pt", device="cpu") as fh:
            for name in opened.listing:
                tensors[name] = fh.get_tensor(name)
    except Exception as exc:  # noqa: BLE001  (as above)
        raise CheckpointError(f"{path}: truncated or damaged weights ({_one_line(exc)})") from None
    if opened.version == 2 and _checksum(opened.header_text, tensors) != opened.checksum:
        raise CheckpointError(f"{path}: checksum mismatch: the file was changed or damaged after it was written")
    try:
        src_tok = Tokenizer.from_dict(_resolve(header["src_tokenizer"], tensors))
        tgt_tok = Tokenizer.from_dict(_resolve(header["tgt_tokenizer"], tensors))
    except Exception as exc:  # noqa: BLE001  (a tokenizer library may raise anything for bad data)
        raise CheckpointError(f"{path}: damaged tokenizer in the header ({_one_line(exc)})") from None
    if src_tok.vocab_size != model_config.src_vocab or tgt_tok.vocab_size != model_config.tgt_vocab:
        raise CheckpointError(
            f"{path}: vocabulary sizes ({src_tok.vocab_size}, {tgt_tok.vocab_size}) do not fit "
            f"the model config ({model_config.src_vocab}, {model_config.tgt_vocab})"
        )
    weights: dict[str, torch.Tensor] = {}
    optim: dict[str, torch.Tensor] = {}
    for name, t in tensors.items():
        if name.startswith(OPTIM_PREFIX):
            optim[name[len(OPTIM_PREFIX):]] = t.to(device)
        elif opened.version == 1:
            weights[name] = t.to(device)
        elif name.startswith(WEIGHTS_PREFIX):
            weights[name[len(WEIGHTS_PREFIX):]] = (t.float() if t.is_floating_point() else t).to(device)
    for name, twin in header.get("sections", {}).get("tied", {}).items():
        if twin not in weights or name in weights:
            raise CheckpointError(f"{path}: damaged checkpoint header (tied weight {name[:100]!r})")
        weights[name] = weights[twin]
    sections = {name: _resolve(value, tensors) for name, value in header.get("sections", {}).items()
                if name in SECTION_SCHEMAS and name != "tied"}
    return Checkpoint(model_config, train_cfg, src_tok, tgt_tok, weights, header["step"],
                      header["corpus"], dict(header["metrics"]), optim, sections)


def check_weights_fit(path: str | os.PathLike, module: torch.nn.Module,
                      weights: dict[str, torch.Tensor]) -> None:
    """Raise CheckpointError unless ``weights`` has exactly the module's parameter names and shapes."""
    expected = {k: tuple(v.shape) for k, v in module.state_dict().items()}
    got = {k: tuple(v.shape) for k, v in weights.items()}
    missing = sorted(set(expected) - set(got))
    extra = sorted(set(got) - set(expected))
    if missing or extra:
        raise CheckpointError(
            f"{path}: weights do not fit the model (missing {missing[:3]}, unexpected {extra[:3]})")
    wrong = [k for k in expected if expected[k] != got[k]]
    if wrong:
        k = wrong[0]
        raise CheckpointError(f"{path}: weight {k} has shape {got[k]}, the model expects {expected[k]}")


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__
