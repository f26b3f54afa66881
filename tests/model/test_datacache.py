"""Token caches for corpora larger than memory (model/datacache.py)."""
import json

import numpy as np
import pytest

import main
from model.corpus import split_sizes
from model.datacache import bucket_batches, open_cache, split_of
from model.loaders import read_tsv
from model.tokenizer import build_tokenizer
from model.train import encode_pairs
from tests.tiny import TINY_MODEL, tiny_corpus


@pytest.fixture(scope="module")
def corpus_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("cache") / "en-zh.tsv"
    pairs = tiny_corpus("builtin:en-zh").all_pairs()
    path.write_text("".join(f"{p.src}\t{p.tgt}\n" for p in pairs) + "no tab here\n", encoding="utf-8")
    return path


def train_pairs(path):
    pairs = read_tsv(str(path), dedupe=False).pairs
    n_valid, n_test = split_sizes(len(pairs) + 1, 500, 1000)
    return [p for p in pairs if split_of(p.src, n_test / (len(pairs) + 1), n_valid / (len(pairs) + 1)) == "train"]


@pytest.mark.parametrize("kind", ["word", "char", "bpe"])
def test_cached_ids_are_what_the_trainer_would_encode(corpus_file, tmp_path, kind):
    messages = []
    vocab_size = 120 if kind == "bpe" else None
    corpus, data, folder = open_cache(corpus_file, tmp_path, kind=kind, vocab_size=vocab_size, max_len=30,
                                      progress=messages.append)
    train = data["train"]
    expected = train_pairs(corpus_file)
    if kind != "bpe":  # the same vocabulary Tokenizer.train makes from the training split
        for tok, texts in ((train.src_tok, [p.src for p in expected]), (train.tgt_tok, [p.tgt for p in expected])):
            assert tok.tokens() == build_tokenizer(kind, texts, tok.lang).tokens()
    assert (train.src_tok.lang, train.tgt_tok.lang) == ("en", "zh")
    enc = encode_pairs(expected, train.src_tok, train.tgt_tok, 30)
    assert len(train.src) == len(enc.src) > 0
    assert list(train.src) == enc.src and list(train.tgt) == enc.tgt
    assert np.array_equal(train.lengths, enc.lengths)
    assert train.pairs[0].src == train.src_tok.decode(enc.src[0])
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["skipped"] == 1 and meta["pairs"] == len(enc.src)
    assert len(corpus.valid) + len(corpus.test) + meta["pairs"] + meta["filtered"] == meta["lines"]
    assert not {p.src for p in corpus.valid} & {p.src for p in corpus.test}
    assert any("tokenizing it" in m for m in messages)


def test_a_second_run_uses_the_cache_and_a_changed_file_does_not(corpus_file, tmp_path):
    _, _, first = open_cache(corpus_file, tmp_path, max_len=30)
    messages = []
    _, data, again = open_cache(corpus_file, tmp_path, max_len=30, progress=messages.append)
    assert again == first and messages[0].startswith("token cache")
    (first / "meta.json").unlink()  # an interrupted build is built again
    _, _, rebuilt = open_cache(corpus_file, tmp_path, max_len=30)
    assert rebuilt == first and (first / "meta.json").is_file()
    changed = tmp_path / "changed.tsv"
    changed.write_text(corpus_file.read_text(encoding="utf-8") + "A cat.\t一只猫。\n", encoding="utf-8")
    _, _, other = open_cache(changed, tmp_path, max_len=30)
    assert other != first
    assert len([p for p in tmp_path.iterdir() if p.is_dir()]) == 2


def test_buckets_hold_one_length_within_the_budget_and_cover_every_pair():
    rng = np.random.default_rng(0)
    lengths = rng.integers(2, 40, size=(5000, 2))
    batches = bucket_batches(lengths, 256, rng)
    seen = np.concatenate(batches)
    assert np.array_equal(np.sort(seen), np.arange(5000))
    for b in batches:
        longest = lengths[b].max(axis=1)
        assert longest.min() == longest.max() and len(b) * longest.max() <= 256


def test_train_and_resume_from_a_token_cache(corpus_file, tmp_path, capsys):
    config = tmp_path / "tiny.json"
    config.write_text(json.dumps({"model": TINY_MODEL, "train": {"batch_tokens": 256, "eval_every": 0,
                                                                 "eval_sentences": 5}}))
    out = tmp_path / "cached.safetensors"
    common = ["--config", str(config), "--token-cache", str(tmp_path / "cache"), "--device", "cpu", "--json"]
    assert main.main(["train", "--corpus", str(corpus_file), "--steps", "2", "--out", str(out), *common]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["steps"] == 2
    assert main.main(["train", "--resume", str(out), "--steps", "1", "--out", str(out), *common]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out.splitlines()[-1])["steps"] == 3
    assert "token cache" in captured.err
    assert main.main(["train", "--corpus", "builtin:en-de", "--steps", "1", "--out", str(out), *common]) == 2
    assert "write it to a TSV file first" in capsys.readouterr().err
