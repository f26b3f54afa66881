"""Checkpoint format 2: schema-validated header, size checks before building, checksum,
resume state, sections, 16-bit weights, atomic writes through one named temporary."""
import json
import os
import stat
import time
from pathlib import Path

import numpy as np
import pytest
import torch
from safetensors import safe_open
from safetensors.torch import save_file

from model import checkpoint as ck
from model.checkpoint import CheckpointError, load_checkpoint, read_header, save_checkpoint
from model.inference import Translator
from model.train import Trainer
from tests.tiny import tiny_trainer

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "resources" / "checkpoints").glob("*.safetensors"))
FORMAT_1_KEYS = ("model_config", "train_config", "src_tokenizer", "tgt_tokenizer", "step", "corpus",
                 "metrics")


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    trainer = tiny_trainer()
    for _ in range(2):
        trainer.step()
    return trainer, trainer.save(tmp_path_factory.mktemp("fmt") / "tiny.safetensors")


def write_format_1(src, dst):
    """The checkpoint at ``src`` written as format 1 wrote them (the layout of the grammar
    models shipped before checkpoints carried their history): each header field a JSON
    string in the safetensors metadata, the weights under their own names, nothing else."""
    header = read_header(src)
    meta = {"format": "transformer-explorer/1"}
    for key in FORMAT_1_KEYS:
        value = header[key]
        meta[key] = value if isinstance(value, str) else json.dumps(value)
    weights = {k: v.detach().clone().contiguous() for k, v in load_checkpoint(src).weights.items()}
    save_file(weights, str(dst), metadata=meta)
    return dst


@pytest.fixture(scope="module")
def format_1(tmp_path_factory):
    """The shipped en-de grammar model, written in format 1."""
    return write_format_1(ROOT / "resources" / "checkpoints" / "en-de.safetensors",
                          tmp_path_factory.mktemp("fmt1") / "en-de.v1.safetensors")


def raw(path):
    """(metadata, tensors) of a safetensors file."""
    with safe_open(str(path), framework="pt") as fh:
        return dict(fh.metadata()), {k: fh.get_tensor(k) for k in fh.keys()}  # noqa: SIM118


def rewrite(src, dst, mutate, checksum=True):
    """Copy a format-2 checkpoint, letting ``mutate(header)`` change its header; the
    checksum is recomputed (so the header's contents, not the checksum, are what is tested)."""
    meta, tensors = raw(src)
    header = json.loads(meta["header"])
    header = mutate(header) or header
    text = json.dumps(header)
    meta = {"format": ck.FORMAT, "header": text,
            "checksum": ck._checksum(text, tensors) if checksum else meta["checksum"]}
    with open(dst, "wb") as fh:
        ck._write_safetensors(fh, tensors, meta)
    return dst


def one_line_error(path, loader=load_checkpoint):
    with pytest.raises(CheckpointError) as err:
        loader(path)
    message = str(err.value)
    assert str(path) in message and "\n" not in message
    return message


def test_writes_format_2_and_reads_it_back(saved):
    trainer, path = saved
    meta, tensors = raw(path)
    assert meta["format"] == "transformer-explorer/2" and meta["checksum"].startswith("sha256:")
    assert all(k.startswith(("weights.", "optim.", "section.resume.", "section.history.")) for k in tensors)
    header = read_header(path)
    assert header["step"] == 2 and header["weights_dtype"] == "float32"
    ckpt = load_checkpoint(path)
    for name, t in trainer.model.state_dict().items():
        assert torch.equal(ckpt.weights[name], t)


@pytest.mark.parametrize("shipped", SHIPPED, ids=lambda p: p.name)
def test_shipped_checkpoints_of_either_format_load(shipped):
    ckpt = load_checkpoint(shipped)
    assert ckpt.step > 0 and ckpt.weights and read_header(shipped)["corpus"]


def test_format_1_checkpoints_still_load(format_1):
    assert raw(format_1)[0]["format"] == "transformer-explorer/1"
    old, new = load_checkpoint(format_1), load_checkpoint(ROOT / "resources" / "checkpoints" / "en-de.safetensors")
    assert old.step == new.step and read_header(format_1)["corpus"] == "builtin:en-de"
    assert "history" not in old.sections  # format 1 had no history: loading works without it
    for name, t in new.weights.items():
        assert torch.equal(old.weights[name], t)


@pytest.mark.parametrize("field, value", [
    ("src_tokenizer", None), ("src_tokenizer", 7), ("tgt_tokenizer", "word"),
    ("src_tokenizer.lang", {}), ("tgt_tokenizer.vocab", None), ("src_tokenizer.kind", ["word"]),
    ("metrics", [1, 2]), ("metrics", {"loss": "low"}), ("step", -1), ("step", "3"),
    ("model_config.d_model", "32"), ("train_config.betas", 0.9), ("corpus", None),
    ("model_config", None), ("sections", []), ("sections.resume", {}),
])
def test_a_crafted_header_field_gives_the_one_line_error(saved, tmp_path, field, value):
    _, path = saved

    def mutate(header):
        *parents, last = field.split(".")
        node = header
        for key in parents:
            node = node[key]
        node[last] = value

    bad = rewrite(path, tmp_path / "bad.safetensors", mutate)
    assert "header" in one_line_error(bad)
    if field != "sections.resume":
        one_line_error(bad, lambda p: Translator.load(p))


@pytest.mark.parametrize("key, value", [
    ("src_tokenizer", "null"), ("src_tokenizer", "3"), ("metrics", "[1]"),
    ("src_tokenizer", json.dumps({"kind": "word", "lang": {}, "vocab": ["<pad>", "<bos>", "<eos>", "<unk>"]})),
])
def test_a_crafted_format_1_header_gives_the_one_line_error(format_1, tmp_path, key, value):
    meta, tensors = raw(format_1)
    meta[key] = value
    bad = tmp_path / "old.safetensors"
    save_file(tensors, str(bad), metadata=meta)
    one_line_error(bad)


@pytest.mark.parametrize("changes", [
    {"n_dec_layers": 1e308}, {"d_model": 4_000_000, "n_heads": 1}, {"n_layers": 250},
    {"d_model": 65_536, "n_heads": 1}, {"max_len": 1_000_000}, {"src_vocab": 10**12},
])
def test_a_config_far_larger_than_the_weights_is_refused_before_building(saved, tmp_path, changes,
                                                                         monkeypatch):
    _, path = saved
    bad = rewrite(path, tmp_path / "big.safetensors", lambda h: h["model_config"].update(changes))
    monkeypatch.setattr("model.inference.Seq2Seq", lambda cfg: pytest.fail("built a model"))
    start = time.perf_counter()
    one_line_error(bad, lambda p: Translator.load(p))
    assert time.perf_counter() - start < 5


def test_a_flipped_bit_anywhere_in_the_tensors_is_caught(saved, tmp_path):
    _, path = saved
    data = bytearray(path.read_bytes())
    start = 8 + int.from_bytes(data[:8], "little")
    rng = np.random.default_rng(7)
    for k in range(20):
        flipped = bytearray(data)
        pos = int(rng.integers(start, len(data)))
        flipped[pos] ^= 1 << int(rng.integers(8))
        bad = tmp_path / f"flip{k}.safetensors"
        bad.write_bytes(flipped)
        assert "checksum" in one_line_error(bad)


def test_an_edited_header_without_a_new_checksum_is_caught(saved, tmp_path):
    _, path = saved
    bad = rewrite(path, tmp_path / "edited.safetensors",
                  lambda h: h["src_tokenizer"]["vocab"].__setitem__(5, "Katze"), checksum=False)
    assert "checksum" in one_line_error(bad)


def test_weights_stored_in_16_bits_load_as_float32(saved, tmp_path):
    trainer, _ = saved
    for dtype in ("float16", "bfloat16"):
        path = save_checkpoint(tmp_path / f"{dtype}.safetensors", trainer.checkpoint(False), weights_dtype=dtype)
        ckpt = load_checkpoint(path)
        for name, t in trainer.model.state_dict().items():
            assert ckpt.weights[name].dtype == torch.float32
            torch.testing.assert_close(ckpt.weights[name], t, atol=0.02, rtol=0.02)
        assert Translator.load(path).translate(["the dog sleeps ."])


def test_sections_and_tokenizer_bytes_round_trip(saved, tmp_path, monkeypatch):
    trainer, _ = saved
    monkeypatch.setitem(ck.SECTION_SCHEMAS, "history", ck.Obj({
        "loss": ck.Array(("float16",), 1), "blob": ck.Bytes(), "note": ck.Str()}))
    ckpt = trainer.checkpoint()
    loss = np.linspace(5, 1, 300).astype(np.float16)
    ckpt.sections["history"] = {"loss": loss, "blob": b"\x00\x01spm", "note": "n"}
    ckpt.sections["from_the_future"] = {"x": np.zeros(3)}
    path = save_checkpoint(tmp_path / "s.safetensors", ckpt)
    back = load_checkpoint(path)
    assert back.sections["history"]["blob"] == b"\x00\x01spm"
    assert back.sections["history"]["loss"].dtype == np.float16
    np.testing.assert_array_equal(back.sections["history"]["loss"], loss)
    assert "from_the_future" not in back.sections  # no schema: never reaches a reader
    # A section that does not fit its schema is the one-line error.
    bad = rewrite(path, tmp_path / "bad.safetensors",
                  lambda h: h["sections"]["history"].update(loss={"$array": "weights.nope"}))
    one_line_error(bad)


def test_a_tokenizer_payload_may_hold_bytes(saved, tmp_path, monkeypatch):
    from model import tokenizer as tk

    trainer, _ = saved

    class BytesWord(tk.WordTokenizer):
        def _payload(self):
            return {"vocab": list(self._vocab), "model": b"\xffbinary\x00"}

        @classmethod
        def _from_payload(cls, d):
            assert d["model"] == b"\xffbinary\x00"
            return cls(d["vocab"], d["lang"])

        def to_dict(self):
            return {**super().to_dict(), "kind": "bytesword"}

    monkeypatch.setitem(tk._CLASSES, "bytesword", BytesWord)
    monkeypatch.setitem(ck.TOKENIZER_SCHEMAS, "bytesword",
                        {"vocab": ck.List(ck.Str()), "model": ck.Bytes()})
    ckpt = trainer.checkpoint(False)
    ckpt.src_tokenizer = BytesWord(trainer.src_tok.tokens(), "en")
    path = save_checkpoint(tmp_path / "b.safetensors", ckpt)
    assert "tokenizer.src.0" in raw(path)[1]
    assert load_checkpoint(path).src_tokenizer.tokens() == trainer.src_tok.tokens()


# ---------------------------------------------------------------------------- atomic writes
def test_a_save_keeps_the_destination_permissions(saved, tmp_path):
    trainer, _ = saved
    target = tmp_path / "m.safetensors"
    target.write_bytes(b"old")
    os.chmod(target, 0o644)
    trainer.save(target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    os.chmod(target, 0o640)
    trainer.save(target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_stale_temporaries_of_crashed_saves_are_removed_and_none_is_left(saved, tmp_path):
    trainer, _ = saved
    target = tmp_path / "m.safetensors"
    dead_pid = 2**22 + 12345  # above the kernel's pid_max: never a live process
    stale = tmp_path / f".m.safetensors.{dead_pid}{ck.TMP_SUFFIX}"
    stale.write_bytes(b"x" * 1000)
    other = tmp_path / f".other.safetensors.{os.getppid()}{ck.TMP_SUFFIX}"  # a live process's
    other.write_bytes(b"y")
    trainer.save(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([target.name, other.name])


def test_a_save_writes_through_its_named_temporary_and_fsyncs_it(saved, tmp_path, monkeypatch):
    trainer, _ = saved
    target = tmp_path / "m.safetensors"
    seen, synced = [], []
    real_replace, real_fsync = os.replace, os.fsync

    def replace(src, dst):
        seen.append(Path(src).name)
        return real_replace(src, dst)

    def fsync(fd):
        synced.append(fd)
        return real_fsync(fd)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "fsync", fsync)
    trainer.save(target)
    assert seen == [f".m.safetensors.{os.getpid()}{ck.TMP_SUFFIX}"] and synced
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.safetensors"]


# ---------------------------------------------------------------------------- resume
def _weights(trainer):
    return {k: v.clone() for k, v in trainer.model.state_dict().items()}


def test_fifty_plus_fifty_resumed_steps_equal_a_hundred_bit_for_bit(tmp_path):
    small = {"d_model": 16, "n_heads": 2, "n_layers": 1, "d_ff": 32, "dropout": 0.1}
    straight = tiny_trainer(**small)
    for _ in range(50):
        straight.step()
    path = straight.save(tmp_path / "half.safetensors")  # saving changes nothing in the run
    for _ in range(50):
        straight.step()
    resumed = Trainer.from_checkpoint(path, corpus=straight.corpus)
    assert resumed.resume_note == ""
    for _ in range(50):
        resumed.step()
    assert resumed.step_count == 100
    a, b = _weights(straight), _weights(resumed)
    for name in a:
        assert torch.equal(a[name], b[name]), name


def test_resume_on_another_corpus_says_so_and_starts_a_fresh_order(tmp_path):
    from tests.tiny import tiny_corpus

    first = tiny_trainer()
    first.step()
    path = first.save(tmp_path / "a.safetensors")
    other = tiny_corpus("builtin:en-de")
    other = type(other)(other.name, other.src_lang, other.tgt_lang, other.train[:300], other.valid,
                        other.test)
    resumed = Trainer.from_checkpoint(path, corpus=other, corpus_spec="mine.tsv")
    assert "fresh data order" in resumed.resume_note and resumed.corpus_spec == "mine.tsv"
    resumed.step()
