"""A Marian (opus-mt) folder converted into the project's Seq2Seq gives what transformers gives."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
import torch

from model.marian import MarianError, convert, load_model, resolve_folder
from model.tokenizer import BOS, EOS, PAD, Tokenizer
from tests.marian_folder import LANG_TOKENS, SOURCE_LINES, TARGET_LINES, reference

pytest.importorskip("transformers")
# transformers' Marian tokenizer asks for sacremoses, which the reference comparison does not need
pytestmark = pytest.mark.filterwarnings("ignore:Recommended. pip install sacremoses")


@pytest.fixture(scope="module")
def ours(marian_folder):
    model, conv = load_model(marian_folder)
    return model, conv


@pytest.fixture(scope="module")
def ref(marian_folder):
    return reference(marian_folder)


def to_marian(conv, ids):
    return [conv.marian_ids[i] for i in ids]


def to_project(conv, marian_ids):
    inverse = {m: p for p, m in enumerate(conv.marian_ids) if m >= 0}
    return [inverse[m] for m in marian_ids]


def batch(conv, texts):
    """Project source ids (padded with PAD) and Marian's (padded with its pad, plus mask)."""
    rows = [conv.src_tokenizer.encode(t, add_eos=True) for t in texts]
    S = max(len(r) for r in rows)
    pad_m = conv.marian_ids[BOS]  # Marian's pad is the decoder-start row
    ours = torch.tensor([r + [PAD] * (S - len(r)) for r in rows])
    theirs = torch.tensor([to_marian(conv, r) + [pad_m] * (S - len(r)) for r in rows])
    mask = torch.tensor([[1] * len(r) + [0] * (S - len(r)) for r in rows])
    return ours, theirs, mask


def decoder_inputs(conv, texts):
    rows = [conv.tgt_tokenizer.encode(t, add_bos=True) for t in texts]
    T = max(len(r) for r in rows)
    ours = torch.tensor([r + [PAD] * (T - len(r)) for r in rows])
    theirs = torch.tensor([to_marian(conv, r) + [conv.marian_ids[BOS]] * (T - len(r)) for r in rows])
    return ours, theirs, [len(r) for r in rows]


def test_vocabulary_follows_the_project_convention(ours):
    _, conv = ours
    tok = conv.tgt_tokenizer
    assert tok.tokens()[:4] == ["<pad>", "<bos>", "<eos>", "<unk>"]
    assert conv.marian_ids[:4] == [-1, tok.vocab_size - 2, 0, 1]  # new pad, Marian's pad, </s>, <unk>
    assert sorted(conv.marian_ids[1:]) == list(range(tok.vocab_size - 1))
    cfg = conv.model_config
    assert (cfg.activation, cfg.pos_layout, cfg.norm_first, cfg.share_embeddings) == ("silu", "split", False, True)


def test_tokenizer_matches_marians(marian_folder, ours):
    from transformers import MarianTokenizer

    _, conv = ours
    theirs = MarianTokenizer(str(marian_folder / "source.spm"), str(marian_folder / "target.spm"),
                             str(marian_folder / "vocab.json"))
    for text in SOURCE_LINES + ["Unseen words: zebra quokka!"]:
        expected = theirs(text)["input_ids"]  # pieces then </s>
        got = conv.src_tokenizer.encode(">>deu<< " + text, add_eos=True)[1:]
        got_plain = Tokenizer.encode(conv.src_tokenizer, text, add_eos=True)
        assert to_marian(conv, got) == expected
        assert got_plain[0] == conv.src_tokenizer.token_to_id(">>cmn_Hans<<")  # default lang token
    target = theirs(text_target=TARGET_LINES[0])["input_ids"]
    assert to_marian(conv, conv.tgt_tokenizer.encode(TARGET_LINES[0], add_eos=True)) == target
    ids = conv.tgt_tokenizer.encode(TARGET_LINES[0])
    assert conv.tgt_tokenizer.decode(ids) == theirs.decode(to_marian(conv, ids), skip_special_tokens=True)


def test_offsets_are_character_offsets(ours):
    _, conv = ours
    text = "Die Kinder lesen Bücher."
    for tok, s, e in conv.tgt_tokenizer.tokenize_with_offsets(text):
        assert tok.replace("▁", "") in ("", text[s:e].strip()) or tok == "<unk>"


def test_language_token(ours, ref):
    """opus-mt-en-zh reads the target language from a token in front of the source."""
    _, conv = ours
    tok = conv.src_tokenizer
    assert tok.lang_token == ">>cmn_Hans<<" and tok.language_tokens() == list(LANG_TOKENS)
    assert tok.tokenize("Hello")[0] == ">>cmn_Hans<<"
    assert tok.tokenize(">>deu<< Hello")[0] == ">>deu<<"
    assert tok.tokenize(">>deu<< Hello")[1:] == tok.tokenize("Hello")[1:]
    with pytest.raises(MarianError, match="xyz"):
        convert(conv.folder, lang_token=">>xyz<<")


def compare_logits(conv, ours_logits, theirs_logits, lengths):
    keep = conv.marian_ids[1:]  # every Marian row; our new <pad> row has no counterpart
    for b, T in enumerate(lengths):
        a = ours_logits[b, :T, 1:].numpy()
        r = theirs_logits[b, :T][:, keep].numpy()
        assert np.abs(a - r).max() <= 1e-5


def test_fast_path_logits_equal(ours, ref):
    model, conv = ours
    src, src_m, mask = batch(conv, SOURCE_LINES[:3])
    tgt, tgt_m, lengths = decoder_inputs(conv, TARGET_LINES[:3])
    with torch.no_grad():
        got = model(src, tgt)
        expected = ref(input_ids=src_m, attention_mask=mask, decoder_input_ids=tgt_m).logits
    assert torch.isfinite(got[:, 0]).all()  # the first decoder position has a key to attend to
    compare_logits(conv, got, expected, lengths)


def test_traced_path_logits_and_attention_equal(ours, ref):
    model, conv = ours
    src, src_m, mask = batch(conv, SOURCE_LINES[:1])
    tgt, tgt_m, _ = decoder_inputs(conv, TARGET_LINES[:1])
    src_tokens = [conv.src_tokenizer.id_to_token(i) for i in src[0].tolist()]
    tgt_tokens = [conv.tgt_tokenizer.id_to_token(i) for i in tgt[0].tolist()]
    trace = model.trace(src, tgt, src_tokens, tgt_tokens)
    with torch.no_grad():
        out = ref(input_ids=src_m, attention_mask=mask, decoder_input_ids=tgt_m, output_attentions=True)
    assert np.isfinite(trace.logits).all()
    compare_logits(conv, torch.from_numpy(trace.logits)[None], out.logits, [tgt.size(1)])
    for kind, theirs in (("enc_self", out.encoder_attentions), ("dec_self", out.decoder_attentions),
                         ("cross", out.cross_attentions)):
        for block, expected in zip(trace.blocks(kind), theirs, strict=True):
            assert np.abs(block.weights - expected[0].numpy()).max() <= 1e-5
    # The positional table is the split layout, as Marian's.
    p = trace.src_pos
    D = p.shape[1]
    assert np.allclose(p[1, : D // 2], np.sin(1.0 / 10000 ** (2 * np.arange(D // 2) / D)), atol=1e-6)


def generate(ref, conv, text, beams):
    src, src_m, mask = batch(conv, [text])
    with torch.no_grad():
        out = ref.generate(input_ids=src_m, attention_mask=mask, num_beams=beams, do_sample=False)
    ids = out[0, 1:].tolist()  # after the decoder-start token
    return to_project(conv, [i for i in ids if i != conv.marian_ids[BOS]])


@pytest.mark.parametrize("beams", [1, 3])
def test_decoding_equals_generate(ours, ref, beams):
    from model.inference import Translator

    model, conv = ours
    translator = Translator(model, conv.src_tokenizer, conv.tgt_tokenizer, torch.device("cpu"),
                            conv.generation)
    assert conv.generation.beam == 3 and conv.generation.max_len == 23 and conv.generation.force_eos
    lengths = set()
    for text in SOURCE_LINES:
        expected = generate(ref, conv, text, beams)
        assert expected[-1] == EOS
        got = translator.translate_ids([translator.encode_src(text)], beam=beams)[0]
        assert got == expected[:-1]
        assert PAD not in got and BOS not in got
        lengths.add(len(got))
    assert len(lengths) > 1  # outputs ended at different lengths


def drop_safetensors(src: Path, dst: Path, payload=None) -> Path:
    shutil.copytree(src, dst)
    from safetensors.torch import load_file

    weights = load_file(str(dst / "model.safetensors"))
    (dst / "model.safetensors").unlink()
    torch.save(weights if payload is None else payload, dst / "pytorch_model.bin")
    return dst


def test_pytorch_model_bin(marian_folder, ours, tmp_path):
    model, conv = ours
    folder = drop_safetensors(marian_folder, tmp_path / "bin")
    other, _ = load_model(folder)
    for (k, a), (_, b) in zip(model.state_dict().items(), other.state_dict().items()):
        assert torch.equal(a, b), k


class Payload:
    """Unpickling this would run os.system."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


def test_pickle_payload_is_refused_and_never_runs(marian_folder, tmp_path):
    marker = tmp_path / "ran"
    folder = drop_safetensors(marian_folder, tmp_path / "evil", {"x": Payload(marker)})
    with pytest.raises(MarianError, match="pytorch_model.bin: refused") as err:
        load_model(folder)
    assert "\n" not in str(err.value)
    assert not marker.exists()


@pytest.mark.parametrize("missing", ["source.spm", "vocab.json", "config.json", "model.safetensors"])
def test_missing_file_gives_one_line(marian_folder, tmp_path, missing):
    folder = tmp_path / "m"
    shutil.copytree(marian_folder, folder)
    (folder / missing).unlink()
    with pytest.raises(MarianError) as err:
        convert(folder)
    message = str(err.value)
    assert "\n" not in message
    assert (missing if missing != "model.safetensors" else "no weights") in message


def test_shape_mismatch_gives_one_line(marian_folder, tmp_path):
    folder = tmp_path / "m"
    shutil.copytree(marian_folder, folder)
    config = json.loads((folder / "config.json").read_text())
    config["encoder_ffn_dim"] = config["decoder_ffn_dim"] = 48
    (folder / "config.json").write_text(json.dumps(config))
    with pytest.raises(MarianError, match=r"fc1.weight has shape \(64, 32\), config.json implies \(48, 32\)") as err:
        convert(folder)
    assert "\n" not in str(err.value)


def test_cache_folder_takes_the_newest_snapshot(marian_folder, tmp_path):
    cache = tmp_path / "models--Helsinki-NLP--opus-mt-en-de"
    old, new = cache / "snapshots" / "aaa", cache / "snapshots" / "bbb"
    old.mkdir(parents=True)
    shutil.copytree(marian_folder, new)
    os.utime(old, (1, 1))
    assert resolve_folder(cache) == new
    conv = convert(cache)
    assert (conv.src_tokenizer.lang, conv.tgt_tokenizer.lang) == ("en", "de")
    with pytest.raises(MarianError, match="no such folder"):
        resolve_folder(tmp_path / "nothing")


def test_real_shape_is_opus_mt_en_de():
    """The benchmarks' stand-in has opus-mt-en-de's shape: 74M parameters, 58,101 pieces + <pad>."""
    from model.marian import shape_config
    from model.transformer import Seq2Seq

    cfg = shape_config()
    with torch.device("meta"):
        model = Seq2Seq(cfg)
    assert cfg.src_vocab == 58_102 and (cfg.d_model, cfg.n_heads, cfg.n_layers, cfg.d_ff) == (512, 8, 6, 2048)
    assert 73_800_000 < model.num_parameters() < 74_000_000  # 73,886,720


def test_random_folder_writer(tmp_path):
    """write_random_folder makes a folder convert() reads (here at a tiny shape)."""
    from model.marian import OPUS_MT_EN_DE, write_random_folder

    shape = {**OPUS_MT_EN_DE, "d_model": 16, "encoder_ffn_dim": 32, "decoder_ffn_dim": 32,
             "encoder_layers": 1, "decoder_layers": 1, "encoder_attention_heads": 2,
             "decoder_attention_heads": 2, "vocab_size": 300, "decoder_vocab_size": 300,
             "pad_token_id": 299, "decoder_start_token_id": 299}
    folder = write_random_folder(tmp_path / "m", SOURCE_LINES + TARGET_LINES, shape=shape)
    model, conv = load_model(folder)
    assert conv.model_config.src_vocab == 301 and conv.generation.beam == 4
    assert "".join(conv.src_tokenizer.tokenize("The dog")).replace("▁", " ").strip() == "The dog"
