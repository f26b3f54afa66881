"""A tiny random Marian (opus-mt style) model folder, made with ``transformers``.

``transformers`` is a test-only reference: the app never imports it. The folder has what
a downloaded opus-mt folder has: config.json, generation_config.json, model.safetensors,
vocab.json (Marian's ids: </s>=0, <unk>=1, <pad> last), source.spm and target.spm
(SentencePiece models trained here on a few lines), with a non-zero final_logits_bias.
"""
from __future__ import annotations

import io
import json
from pathlib import Path

import torch

SOURCE_LINES = [
    "The astronaut repaired the satellite yesterday.",
    "A small dog sleeps in the warm sun.",
    "The children read books in the library.",
    "My sister drinks coffee every morning.",
    "We walked along the river after dinner.",
    "Is the train late again today?",
]
TARGET_LINES = [
    "Der Astronaut reparierte gestern den Satelliten.",
    "Ein kleiner Hund schläft in der warmen Sonne.",
    "Die Kinder lesen Bücher in der Bibliothek.",
    "Meine Schwester trinkt jeden Morgen Kaffee.",
    "我们晚饭后沿着河边散步。",
    "火车今天又晚点了吗？",
]
LANG_TOKENS = (">>cmn_Hans<<", ">>deu<<")
SIZES = {"d_model": 32, "layers": 2, "heads": 4, "ffn": 64, "max_len": 48}


def train_spm(lines: list[str], vocab_size: int) -> bytes:
    import sentencepiece as spm

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines * 4), model_writer=buf, vocab_size=vocab_size,
        model_type="unigram", character_coverage=1.0, hard_vocab_limit=False, minloglevel=2,
        num_threads=1)
    return buf.getvalue()


def pieces(model: bytes) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=model)
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def build(folder: Path, seed: int = 0) -> Path:
    """Write the folder; returns it."""
    from transformers import GenerationConfig, MarianConfig, MarianMTModel

    folder.mkdir(parents=True, exist_ok=True)
    src_spm, tgt_spm = train_spm(SOURCE_LINES, 60), train_spm(TARGET_LINES, 80)
    (folder / "source.spm").write_bytes(src_spm)
    (folder / "target.spm").write_bytes(tgt_spm)
    tokens = ["</s>", "<unk>", *LANG_TOKENS]
    for piece in pieces(src_spm) + pieces(tgt_spm):
        if piece not in tokens and piece not in ("<s>", "<unk>", "</s>"):
            tokens.append(piece)
    tokens.append("<pad>")
    V = len(tokens)
    (folder / "vocab.json").write_text(
        json.dumps({t: i for i, t in enumerate(tokens)}, ensure_ascii=False), encoding="utf-8")
    s = SIZES
    config = MarianConfig(
        vocab_size=V, decoder_vocab_size=V, d_model=s["d_model"], encoder_layers=s["layers"],
        decoder_layers=s["layers"], encoder_attention_heads=s["heads"],
        decoder_attention_heads=s["heads"], encoder_ffn_dim=s["ffn"], decoder_ffn_dim=s["ffn"],
        max_position_embeddings=s["max_len"], pad_token_id=V - 1, eos_token_id=0,
        decoder_start_token_id=V - 1, forced_eos_token_id=0, activation_function="swish",
        scale_embedding=True, share_encoder_decoder_embeddings=True, dropout=0.1)
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "layer_norm" in name:
                p.copy_((1.0 if name.endswith("weight") else 0.0) + 0.1 * torch.randn_like(p))
            else:
                p.normal_(0.0, 0.3)
        bias = torch.randn(1, V)
        bias[0, 0] += 6.0  # </s> now and then, so outputs end at different lengths
        model.final_logits_bias.copy_(bias)
    model.generation_config = GenerationConfig(
        bad_words_ids=[[V - 1]], bos_token_id=0, decoder_start_token_id=V - 1, eos_token_id=0,
        forced_eos_token_id=0, max_length=24, num_beams=3, pad_token_id=V - 1)
    model.save_pretrained(folder)
    return folder


def reference(folder: Path):
    """The folder's model as transformers runs it (eager attention, eval mode)."""
    from transformers import MarianMTModel

    return MarianMTModel.from_pretrained(folder, attn_implementation="eager").eval()
