"""Pretrained Marian translators (Helsinki-NLP's opus-mt models) as the project's own Seq2Seq.

A Hugging Face folder of a ``MarianMTModel`` holds ``config.json``, the weights
(``model.safetensors``, or ``pytorch_model.bin`` in older folders), ``vocab.json`` (or
``target_vocab.json`` too, when the two languages have separate vocabularies), the two
SentencePiece models ``source.spm`` and ``target.spm``, and often ``generation_config.json``.
Nothing here imports ``transformers``: the weights are mapped into
:class:`model.transformer.Seq2Seq`, so the traced path and every panel work on them.

What the mapping handles (transformers' ``modeling_marian.py`` is the reference):

- post-norm layers (LayerNorm after each residual sum), SiLU ("swish") feed-forward;
- sinusoidal positions in the split layout (all sines, then all cosines), tokens scaled by
  sqrt(d_model), no LayerNorm on the embeddings;
- Q, K, V as three linear layers, here stacked into one ``in_proj``;
- one embedding table shared by encoder, decoder and output layer, and a fixed
  ``final_logits_bias`` added to the logits;
- special ids: Marian has ``</s>``, ``<unk>`` and ``<pad>`` (the last id), and its decoder
  starts from ``<pad>``. The project's pad-key mask would leave that first decoder query
  no key to attend to, so the vocabulary is reordered to the project's convention:
  ``<pad>``=0 is a new all-zero row that can never win (its logit bias is -1e4), ``<bos>``=1
  is Marian's decoder-start row, ``<eos>``=2 and ``<unk>``=3 are Marian's, and every other
  token follows in Marian's order. A model whose decoder starts from a token other than
  its pad keeps its pad row at 0 instead of a new one;
- decoding as ``generate()`` does it (:func:`model.decode.beam_search_pool`), with the
  defaults of ``generation_config.json``; <pad> and <bos> are never emitted.

A folder may be a snapshot folder (``…/models--Helsinki-NLP--opus-mt-en-de/snapshots/<hash>``)
or the ``models--…`` folder above it (the newest snapshot is taken). Weights in
``pytorch_model.bin`` are read with ``torch.load(weights_only=True)`` only: a file that
holds anything but tensors is refused without running it.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from model.config import ModelConfig, TrainConfig
from model.decode import Generation
from model.tokenizer import SPECIALS, SentencePieceTokenizer

WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
NEVER = -1e4  # logit bias of the added <pad> row: exp(-1e4) is 0 in float32
ACTIVATIONS = {"swish": "silu", "silu": "silu", "relu": "relu", "gelu": "gelu"}
DEFAULT_LANG_TOKEN = ">>cmn_Hans<<"  # opus-mt-en-zh's Simplified Mandarin
# Fine-tuning a pretrained model: a small constant rate after a short warm-up (the Noam
# schedule's peak, made for training from scratch, would undo what the model knows).
FINE_TUNE = TrainConfig(batch_tokens=512, lr=3e-5, schedule="constant", warmup=50,
                        label_smoothing=0.1, eval_every=200, eval_sentences=50)


class MarianError(ValueError):
    """A folder could not be read as a Marian model; the message is one line naming what."""


@dataclass
class Converted:
    """A Marian model in the project's terms."""

    model_config: ModelConfig
    weights: dict[str, torch.Tensor]
    src_tokenizer: SentencePieceTokenizer
    tgt_tokenizer: SentencePieceTokenizer
    generation: Generation
    folder: Path
    marian_ids: list[int] = field(default_factory=list)  # project id -> Marian id (-1: new row)


# ---------------------------------------------------------------------------- the folder
def resolve_folder(path: str | os.PathLike) -> Path:
    """The snapshot folder holding the model files.

    ``path`` is a snapshot folder or a Hugging Face cache ``models--org--name`` folder
    (its newest snapshot); raises MarianError otherwise.
    """
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise MarianError(f"{folder}: no such folder")
    snapshots = folder / "snapshots"
    if snapshots.is_dir() and not (folder / "config.json").exists():
        found = [d for d in snapshots.iterdir() if d.is_dir()]
        if not found:
            raise MarianError(f"{folder}: a Hugging Face cache folder without snapshots")
        folder = max(found, key=lambda d: d.stat().st_mtime)
    return folder


def looks_like_marian(path: str | os.PathLike) -> bool:
    """True for a folder (or cache folder) whose config.json names a Marian model."""
    try:
        folder = resolve_folder(path)
        with open(folder / "config.json", encoding="utf-8") as fh:
            return json.load(fh).get("model_type") == "marian"
    except (OSError, ValueError, AttributeError):
        return False


def _read_json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise MarianError(f"{path.parent}: {path.name} is missing")
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError) as exc:
        raise MarianError(f"{path}: not readable JSON ({_one_line(exc)})") from None
    if not isinstance(data, dict):
        raise MarianError(f"{path}: expected a JSON object")
    return data


def load_weights(folder: Path) -> tuple[dict[str, torch.Tensor], Path]:
    """The folder's tensors by name, from model.safetensors or (tensors only) pytorch_model.bin."""
    for name in WEIGHT_FILES:
        path = folder / name
        if not path.is_file():
            continue
        try:
            if name.endswith(".safetensors"):
                from safetensors.torch import load_file

                weights = load_file(str(path))
            else:
                weights = torch.load(path, map_location="cpu", weights_only=True, mmap=False)
        except Exception as exc:  # noqa: BLE001  (pickle, zip and safetensors errors differ)
            if name.endswith(".bin"):
                raise MarianError(
                    f"{path}: refused, it holds more than plain tensors or is damaged "
                    f"(read with weights_only=True: {_one_line(exc)})") from None
            raise MarianError(f"{path}: damaged ({_one_line(exc)})") from None
        if not isinstance(weights, dict) or not all(torch.is_tensor(t) for t in weights.values()):
            raise MarianError(f"{path}: not a dictionary of tensors")
        return weights, path
    raise MarianError(f"{folder}: no weights (model.safetensors or pytorch_model.bin) in the folder")


# ---------------------------------------------------------------------------- vocabulary
def _vocab_list(path: Path) -> list[str]:
    """Marian's tokens in id order, from a vocab.json mapping token -> id."""
    mapping = _read_json(path)
    tokens: list[str | None] = [None] * len(mapping)
    for tok, i in mapping.items():
        if not isinstance(i, int) or not 0 <= i < len(tokens) or tokens[i] is not None:
            raise MarianError(f"{path}: ids are not 0 .. {len(tokens) - 1}, each once")
        tokens[i] = tok
    return tokens  # type: ignore[return-value]


def project_order(n: int, pad: int, eos: int, unk: int, start: int) -> list[int]:
    """Marian ids in the project's order: project id i holds Marian id ``order[i]``
    (-1: a new all-zero <pad> row, when Marian's decoder starts from its own pad)."""
    specials = [pad if pad != start else -1, start, eos, unk]
    taken = set(specials)
    return specials + [i for i in range(n) if i not in taken]


def _tokenizer(folder: Path, spm_name: str, tokens: list[str], order: list[int], lang: str,
               lang_token: str = "") -> SentencePieceTokenizer:
    path = folder / spm_name
    if not path.is_file():
        raise MarianError(f"{folder}: {spm_name} is missing")
    vocab = list(SPECIALS) + [tokens[i] for i in order[len(SPECIALS):]]
    try:
        return SentencePieceTokenizer(path.read_bytes(), vocab, lang, lang_token)
    except (RuntimeError, OSError) as exc:
        raise MarianError(f"{path}: not a SentencePiece model ({_one_line(exc)})") from None


# ---------------------------------------------------------------------------- conversion
def _config(folder: Path, raw: dict[str, Any], src_vocab: int, tgt_vocab: int,
            shared: bool) -> ModelConfig:
    where = folder / "config.json"
    if raw.get("model_type") != "marian":
        raise MarianError(f"{where}: model_type is {raw.get('model_type')!r}, not 'marian'")
    act = ACTIVATIONS.get(raw.get("activation_function", "swish"))
    if act is None:
        raise MarianError(f"{where}: activation {raw.get('activation_function')!r} is not supported")
    if raw.get("normalize_before", False) or not raw.get("scale_embedding", True):
        raise MarianError(f"{where}: only post-norm models with scaled embeddings are supported")
    heads = raw.get("encoder_attention_heads", 8)
    if raw.get("decoder_attention_heads", heads) != heads or \
            raw.get("decoder_ffn_dim", raw.get("encoder_ffn_dim")) != raw.get("encoder_ffn_dim"):
        raise MarianError(f"{where}: encoder and decoder differ in heads or feed-forward width")
    try:
        return ModelConfig(
            src_vocab=src_vocab, tgt_vocab=tgt_vocab, d_model=int(raw["d_model"]),
            n_heads=int(heads), n_layers=int(raw["encoder_layers"]),
            n_dec_layers=int(raw["decoder_layers"]), d_ff=int(raw["encoder_ffn_dim"]),
            activation=act, dropout=float(raw.get("dropout", 0.1)),
            max_len=int(raw.get("max_position_embeddings", 512)), pos_encoding="sinusoidal",
            pos_layout="split", norm_first=False,
            tie_embeddings=bool(raw.get("tie_word_embeddings", True)),
            share_embeddings=shared, logits_bias=True)
    except (KeyError, TypeError, ValueError) as exc:
        raise MarianError(f"{where}: {_one_line(exc)}") from None


def _generation(folder: Path, raw: dict[str, Any]) -> Generation:
    gen = dict(raw)
    if (folder / "generation_config.json").is_file():
        gen.update(_read_json(folder / "generation_config.json"))
    max_length = gen.get("max_length")
    return Generation(
        beam=int(gen.get("num_beams") or 1),
        max_len=None if not max_length else int(max_length) - 1,  # it counts the start token
        length_penalty=float(gen.get("length_penalty", 1.0)),
        pool=True,
        force_eos=gen.get("forced_eos_token_id") is not None,
    )


class _Weights:
    """Reads named tensors of a Marian state dict, checking each one's shape."""

    def __init__(self, tensors: dict[str, torch.Tensor], path: Path):
        self.tensors, self.path = tensors, path

    def get(self, shape: tuple[int, ...], *names: str) -> torch.Tensor:
        for name in names:
            for key in (name, name.removeprefix("model.")):
                t = self.tensors.get(key)
                if t is not None:
                    if tuple(t.shape) != shape:
                        raise MarianError(
                            f"{self.path}: {key} has shape {tuple(t.shape)}, config.json "
                            f"implies {shape}")
                    return t.float()
        raise MarianError(f"{self.path}: weight {names[0]} is missing")


def _attention(w: _Weights, prefix: str, D: int) -> dict[str, torch.Tensor]:
    def part(name):
        return (w.get((D, D), f"{prefix}.{name}.weight"), w.get((D,), f"{prefix}.{name}.bias"))

    (wq, bq), (wk, bk), (wv, bv), (wo, bo) = (part(n) for n in ("q_proj", "k_proj", "v_proj", "out_proj"))
    return {"in_proj.weight": torch.cat((wq, wk, wv)), "in_proj.bias": torch.cat((bq, bk, bv)),
            "out_proj.weight": wo, "out_proj.bias": bo}


def _norm(w: _Weights, name: str, D: int) -> dict[str, torch.Tensor]:
    return {"weight": w.get((D,), f"{name}.weight"), "bias": w.get((D,), f"{name}.bias")}


def _ff(w: _Weights, prefix: str, D: int, F: int) -> dict[str, torch.Tensor]:
    return {"fc1.weight": w.get((F, D), f"{prefix}.fc1.weight"), "fc1.bias": w.get((F,), f"{prefix}.fc1.bias"),
            "fc2.weight": w.get((D, F), f"{prefix}.fc2.weight"), "fc2.bias": w.get((D,), f"{prefix}.fc2.bias")}


def _reorder_rows(t: torch.Tensor, order: list[int], fill: float = 0.0) -> torch.Tensor:
    """Rows of t (first dim) in the project's order; a -1 row is ``fill``."""
    index = torch.tensor([max(i, 0) for i in order])
    out = t.index_select(0, index)
    for row, i in enumerate(order[:len(SPECIALS)]):
        if i < 0:
            out[row] = fill
    return out


def convert(path: str | os.PathLike, lang_token: str | None = None) -> Converted:
    """Read a Marian folder and map it into the project's Seq2Seq terms.

    Args:
        path: a snapshot folder or a ``models--…`` cache folder.
        lang_token: the target-language token put before every source sentence for a
            multi-target model (e.g. ``>>cmn_Hans<<``); None picks ``>>cmn_Hans<<`` when the
            vocabulary has it, else the first language token, else none.

    Raises:
        MarianError: one line naming the missing or mismatched file or tensor.
    """
    folder = resolve_folder(path)
    raw = _read_json(folder / "config.json")
    if raw.get("model_type") != "marian":
        raise MarianError(f"{folder / 'config.json'}: model_type is {raw.get('model_type')!r}, not 'marian'")
    for name in ("source.spm", "target.spm"):
        if not (folder / name).is_file():
            raise MarianError(f"{folder}: {name} is missing")
    src_tokens = _vocab_list(folder / "vocab.json")
    shared = bool(raw.get("share_encoder_decoder_embeddings", True))
    separate = bool(raw.get("separate_vocabs", False))
    tgt_tokens = _vocab_list(folder / "target_vocab.json") if separate else src_tokens
    tensors, wpath = load_weights(folder)

    pad, eos = int(raw.get("pad_token_id", len(src_tokens) - 1)), int(raw.get("eos_token_id", 0))
    start = int(raw.get("decoder_start_token_id", pad))

    def order_of(tokens: list[str]) -> list[int]:
        if "<unk>" not in tokens:
            raise MarianError(f"{folder}: the vocabulary has no <unk>")
        if not (0 <= pad < len(tokens) and 0 <= eos < len(tokens) and 0 <= start < len(tokens)):
            raise MarianError(f"{folder / 'config.json'}: special ids outside the vocabulary of {len(tokens)}")
        return project_order(len(tokens), pad, eos, tokens.index("<unk>"), start)

    src_order, tgt_order = order_of(src_tokens), order_of(tgt_tokens)
    if shared and separate:
        raise MarianError(f"{folder / 'config.json'}: separate vocabularies cannot share one embedding")
    model_config = _config(folder, raw, len(src_order), len(tgt_order), shared)
    D, F = model_config.d_model, model_config.d_ff
    Vs, Vt = len(src_tokens), len(tgt_tokens)
    w = _Weights(tensors, wpath)
    names = ("model.shared.weight", "model.encoder.embed_tokens.weight")
    src_embed = w.get((Vs, D), *names)
    tgt_embed = src_embed if shared else w.get((Vt, D), "model.decoder.embed_tokens.weight")
    bias = w.get((1, Vt), "final_logits_bias")[0] if "final_logits_bias" in tensors \
        else torch.zeros(Vt)
    weights: dict[str, torch.Tensor] = {}
    weights["src_embed.weight"] = _reorder_rows(src_embed, src_order)
    weights["tgt_embed.weight"] = (
        weights["src_embed.weight"] if shared else _reorder_rows(tgt_embed, tgt_order))
    if model_config.tie_embeddings:
        weights["lm_head.weight"] = weights["tgt_embed.weight"]
    else:
        weights["lm_head.weight"] = _reorder_rows(w.get((Vt, D), "lm_head.weight"), tgt_order)
    weights["logits_bias"] = _reorder_rows(bias, tgt_order, NEVER)
    for i in range(model_config.n_layers):
        p = f"model.encoder.layers.{i}"
        parts = {"self_attn": _attention(w, f"{p}.self_attn", D), "norm1": _norm(w, f"{p}.self_attn_layer_norm", D),
                 "ff": _ff(w, p, D, F), "norm2": _norm(w, f"{p}.final_layer_norm", D)}
        weights.update({f"encoder.{i}.{m}.{k}": t for m, d in parts.items() for k, t in d.items()})
    for i in range(model_config.dec_layers):
        p = f"model.decoder.layers.{i}"
        parts = {"self_attn": _attention(w, f"{p}.self_attn", D), "norm1": _norm(w, f"{p}.self_attn_layer_norm", D),
                 "cross_attn": _attention(w, f"{p}.encoder_attn", D),
                 "norm2": _norm(w, f"{p}.encoder_attn_layer_norm", D),
                 "ff": _ff(w, p, D, F), "norm3": _norm(w, f"{p}.final_layer_norm", D)}
        weights.update({f"decoder.{i}.{m}.{k}": t for m, d in parts.items() for k, t in d.items()})
    del tensors

    src_lang = str(raw.get("source_lang") or _lang_from_name(folder, 0))
    tgt_lang = str(raw.get("target_lang") or _lang_from_name(folder, 1))
    src_vocab = list(SPECIALS) + [src_tokens[i] for i in src_order[len(SPECIALS):]]
    codes = [t for t in src_vocab if t.startswith(">>") and t.endswith("<<")]
    if lang_token is None:
        lang_token = DEFAULT_LANG_TOKEN if DEFAULT_LANG_TOKEN in codes else (codes[0] if codes else "")
    elif lang_token and lang_token not in codes:
        raise MarianError(f"{folder}: target-language token {lang_token!r} is not in vocab.json "
                          f"(it has {', '.join(codes[:8]) or 'none'})")
    src_tok = _tokenizer(folder, "source.spm", src_tokens, src_order, src_lang, lang_token)
    tgt_tok = _tokenizer(folder, "target.spm", tgt_tokens, tgt_order, tgt_lang)
    return Converted(model_config, weights, src_tok, tgt_tok, _generation(folder, raw), folder, tgt_order)


def _lang_from_name(folder: Path, side: int) -> str:
    """"en" / "de" from a folder named like opus-mt-en-de (or its cache folder), else "?"."""
    for part in reversed(folder.parts):
        name = part.split("--")[-1]
        if name.startswith("opus-mt-") and name.count("-") >= 3:
            return name.split("-")[2 + side]
    return "src" if side == 0 else "tgt"


def to_checkpoint(conv: Converted):
    """A project checkpoint (model.checkpoint.Checkpoint) of a converted model: it reopens
    without the folder (the SentencePiece models travel inside the tokenizers)."""
    from model.checkpoint import Checkpoint

    return Checkpoint(conv.model_config, FINE_TUNE, conv.src_tokenizer, conv.tgt_tokenizer,
                      conv.weights, 0, "", {}, {}, {"generation": conv.generation.to_dict()})


def load_model(path: str | os.PathLike, lang_token: str | None = None):
    """(Seq2Seq in eval mode, Converted) for a Marian folder."""
    from model.transformer import Seq2Seq

    conv = convert(path, lang_token)
    model = Seq2Seq(conv.model_config)
    model.load_state_dict(conv.weights)
    conv.weights = {}
    return model.eval(), conv


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


# ---------------------------------------------------------------------------- a stand-in
OPUS_MT_EN_DE = {  # the shape of Helsinki-NLP/opus-mt-en-de (74M parameters)
    "model_type": "marian", "architectures": ["MarianMTModel"], "activation_function": "swish",
    "d_model": 512, "encoder_layers": 6, "decoder_layers": 6, "encoder_attention_heads": 8,
    "decoder_attention_heads": 8, "encoder_ffn_dim": 2048, "decoder_ffn_dim": 2048,
    "max_position_embeddings": 512, "vocab_size": 58101, "decoder_vocab_size": 58101,
    "pad_token_id": 58100, "decoder_start_token_id": 58100, "eos_token_id": 0,
    "forced_eos_token_id": 0, "scale_embedding": True, "normalize_before": False,
    "share_encoder_decoder_embeddings": True, "tie_word_embeddings": True, "dropout": 0.1,
}


def shape_config(raw: dict[str, Any] | None = None) -> ModelConfig:
    """The project's ModelConfig of a Marian config.json (default: opus-mt-en-de's), with the
    vocabulary grown by the added <pad> row, as :func:`convert` makes it."""
    raw = raw or OPUS_MT_EN_DE
    V = int(raw["vocab_size"]) + 1
    return _config(Path("config.json"), raw, V, V, bool(raw.get("share_encoder_decoder_embeddings", True)))


def write_random_folder(folder: str | os.PathLike, texts: list[str], seed: int = 0,
                        shape: dict[str, Any] | None = None, max_length: int = 64) -> Path:
    """Write a Marian folder of opus-mt-en-de's exact shape (or ``shape``) with random
    weights: what benchmarks and tests use, as nothing can be downloaded.

    The SentencePiece models are trained on ``texts`` (a few thousand pieces); the
    vocabulary is filled up to the shape's size with pieces no text produces. Its
    generation_config.json keeps opus-mt's beam of 4 but stops at ``max_length`` (a random
    model rarely ends a sentence).
    """
    import io

    import sentencepiece
    from safetensors.torch import save_file

    hf_config = dict(shape or OPUS_MT_EN_DE)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    V, D, F = hf_config["vocab_size"], hf_config["d_model"], hf_config["encoder_ffn_dim"]
    buf = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(texts), model_writer=buf, vocab_size=min(8000, V // 2),
        model_type="unigram", character_coverage=1.0, hard_vocab_limit=False, minloglevel=2)
    model = buf.getvalue()
    for name in ("source.spm", "target.spm"):
        (folder / name).write_bytes(model)
    sp = sentencepiece.SentencePieceProcessor(model_proto=model)
    tokens = ["</s>", "<unk>"]
    tokens += [p for p in (sp.id_to_piece(i) for i in range(sp.get_piece_size()))
               if p not in ("<unk>", "<s>", "</s>")]
    tokens += [f"▁piece{i}" for i in range(V - 1 - len(tokens))] + ["<pad>"]
    with open(folder / "vocab.json", "w", encoding="utf-8") as fh:
        json.dump({t: i for i, t in enumerate(tokens)}, fh, ensure_ascii=False)
    with open(folder / "config.json", "w", encoding="utf-8") as fh:
        json.dump(hf_config, fh, indent=1)
    with open(folder / "generation_config.json", "w", encoding="utf-8") as fh:
        json.dump({"bad_words_ids": [[V - 1]], "decoder_start_token_id": V - 1, "eos_token_id": 0,
                   "forced_eos_token_id": 0, "max_length": max_length, "num_beams": 4,
                   "pad_token_id": V - 1}, fh)
    gen = torch.Generator().manual_seed(seed)

    def randn(*size, std=0.05):
        return torch.randn(*size, generator=gen) * std

    w = {"model.shared.weight": randn(V, D, std=D ** -0.5), "final_logits_bias": randn(1, V, std=0.1)}

    def attention(prefix):
        for p in ("q_proj", "k_proj", "v_proj", "out_proj"):
            w[f"{prefix}.{p}.weight"], w[f"{prefix}.{p}.bias"] = randn(D, D), randn(D, std=0.01)

    def norm(name):
        w[f"{name}.weight"], w[f"{name}.bias"] = 1 + randn(D, std=0.02), randn(D, std=0.02)

    def ff(prefix):
        w[f"{prefix}.fc1.weight"], w[f"{prefix}.fc1.bias"] = randn(F, D), randn(F, std=0.01)
        w[f"{prefix}.fc2.weight"], w[f"{prefix}.fc2.bias"] = randn(D, F, std=0.025), randn(D, std=0.01)

    for i in range(hf_config["encoder_layers"]):
        p = f"model.encoder.layers.{i}"
        attention(f"{p}.self_attn"), norm(f"{p}.self_attn_layer_norm"), ff(p), norm(f"{p}.final_layer_norm")
    for i in range(hf_config["decoder_layers"]):
        p = f"model.decoder.layers.{i}"
        attention(f"{p}.self_attn"), norm(f"{p}.self_attn_layer_norm"), attention(f"{p}.encoder_attn")
        norm(f"{p}.encoder_attn_layer_norm"), ff(p), norm(f"{p}.final_layer_norm")
    save_file(w, str(folder / "model.safetensors"), metadata={"format": "pt"})
    return folder
