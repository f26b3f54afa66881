"""`train --token-cache DIR` chooses the defaults training without a cache chooses
(model/datacache.py choose_streamed, model/defaults.py choose_from_stats)."""
import dataclasses
import json

import numpy as np
import pytest

import main
from model import datacache
from model.checkpoint import load_checkpoint
from model.corpus import load_corpus
from model.datacache import cache_key, choose_streamed, corpus_stats, open_cache, split_of
from model.defaults import SideCounter, choose, side_stats, tokenizers_for
from model.loaders import read_tsv
from model.tokenizer import build_tokenizer
from model.train import encode_pairs

SUBJECTS = [("I", "我"), ("You", "你"), ("He", "他"), ("She", "她"), ("We", "我们"), ("They", "他们"),
            ("The teacher", "老师"), ("My friend", "我的朋友")]
VERBS = [("like", "喜欢", "mögen"), ("see", "看见", "sehen"), ("want", "想要", "wollen"), ("buy", "买", "kaufen"),
         ("draw", "画", "zeichnen")]
OBJECTS = [("apples", "苹果", "Äpfel"), ("the cat", "猫", "die Katze"), ("a book", "一本书", "ein Buch"),
           ("green tea", "绿茶", "grünen Tee"), ("the river", "河", "den Fluss"), ("old houses", "老房子", "alte Häuser")]
GERMAN = {"I": "ich", "You": "du", "He": "er", "She": "sie", "We": "wir", "They": "sie", "The teacher": "der Lehrer",
          "My friend": "mein Freund"}


def _pairs(target: str) -> list[tuple[str, str]]:
    """240 distinct pairs; the Chinese-like target has no spaces, the German-like one has."""
    out = []
    for i, ((s_en, s_zh), (v_en, v_zh, v_de), (o_en, o_zh, o_de)) in enumerate(
            (s, v, o) for s in SUBJECTS for v in VERBS for o in OBJECTS):
        src = f"{s_en} {v_en} {o_en} {i % 7}."
        tgt = f"{s_zh}{v_zh}{o_zh}{i % 7}。" if target == "zh" else f"{GERMAN[s_en]} {v_de} {o_de} {i % 7}."
        out.append((src, tgt))
    return out


def _write(path, pairs):
    path.write_text("".join(f"{s}\t{t}\n" for s, t in pairs), encoding="utf-8")
    return path


@pytest.fixture
def zh_file(tmp_path):
    return _write(tmp_path / "eng-cmn.tsv", _pairs("zh"))


@pytest.fixture
def de_file(tmp_path):
    return _write(tmp_path / "eng-deu.tsv", _pairs("de"))


def _no_lang(stats):
    return dataclasses.replace(stats, lang="")


@pytest.mark.parametrize("sample, expected", [("zh", ("bpe", "char")), ("de", ("bpe", "bpe"))])
def test_the_cached_path_chooses_what_the_uncached_path_chooses(tmp_path, sample, expected):
    path = _write(tmp_path / f"pairs-{sample}.tsv", _pairs(sample))
    # no held-out pairs: both paths see the same training pairs, so every statistic is equal
    uncached = choose(load_corpus(str(path), valid_size=0, test_size=0), steps=300)
    cached, streamed = choose_streamed(str(path), tmp_path / "cache", valid_size=0, test_size=0, steps=300)
    assert uncached.tokenizer == cached.tokenizer == expected
    assert cached.vocab_size == uncached.vocab_size and cached.vocab_size[0] >= 400
    assert (cached.vocab_size[1] is None) == (expected[1] == "char")
    assert [_no_lang(s) for s in cached.stats] == [_no_lang(s) for s in uncached.stats]
    assert (cached.shape, cached.model, cached.train) == (uncached.shape, uncached.model, uncached.train)
    assert (streamed.train, streamed.valid, streamed.test) == (240, 0, 0)
    # with held-out pairs the splits differ (a hash against a seeded shuffle); the kinds do not
    held = choose_streamed(str(path), tmp_path / "cache", valid_size=20, test_size=20, steps=300)[0]
    assert held.tokenizer == expected


def test_the_statistics_are_read_once_and_remembered(zh_file, tmp_path, monkeypatch):
    first = corpus_stats(str(zh_file), tmp_path / "cache", valid_size=0, test_size=0)
    assert list((tmp_path / "cache").glob("*-stats-v0-t0-*.json"))
    monkeypatch.setattr(datacache, "stream_pairs", lambda *a: pytest.fail("read the file again"))
    assert corpus_stats(str(zh_file), tmp_path / "cache", valid_size=0, test_size=0) == first


def _reference_side_stats(texts, lang, sample):
    """side_stats as it was written before it counted as a stream: all texts in memory."""
    import re

    from model.defaults import SideStats, _script, _unspaced_char

    letters, unspaced, spaces, chars = {}, 0, 0, 0
    for text in texts[:sample]:
        for ch in text:
            if ch.isspace():
                spaces += 1
            elif ch.isalpha():
                chars += 1
                letters[_script(ch)] = letters.get(_script(ch), 0) + 1
                unspaced += _unspaced_char(ch)
    spaced = not (chars and unspaced / chars > 0.5 and spaces / chars < 0.1)
    words = set()
    for text in texts:
        pieces = text.lower().split() if spaced else [c for c in text if not c.isspace()]
        words.update(re.sub(r"^\W+|\W+$", "", w) for w in pieces)
    n_chars, n_words = [len(t) for t in texts], [len(t.split()) for t in texts]

    def p99(values):
        return sorted(values)[min(len(values) - 1, int(0.99 * len(values)))]

    return SideStats(lang, max(letters, key=letters.get), spaced, len(words - {""}), sum(n_chars) / len(texts),
                     sum(n_words) / len(texts), p99(n_chars), p99(n_words))


def test_streamed_statistics_equal_the_in_memory_ones_and_stop_counting_words_at_a_limit():
    rng = np.random.default_rng(0)
    words = [f"W{i}" for i in range(300)]
    spaced = [" ".join(rng.choice(words, size=rng.integers(1, 30))) + "." for _ in range(500)]
    unspaced = ["".join(rng.choice(list("我你他她们喜欢看见想要买画苹果猫书绿茶河老房子"), size=rng.integers(2, 40))) + "。"
                for _ in range(500)]
    for texts, lang in ((spaced, "en"), (unspaced, "zh")):
        counter = SideCounter(lang, sample=50)  # the script settles after 50 sentences
        for t in texts:
            counter.add(t)
        assert counter.result() == _reference_side_stats(texts, lang, 50) == side_stats(texts, lang, sample=50)
    assert side_stats(spaced, "en").distinct_words == 300 and not side_stats(unspaced, "zh").spaced
    capped = SideCounter("en", word_limit=100)
    for t in spaced:
        capped.add(t)
    result = capped.result()
    assert result.distinct_capped and 100 < result.distinct_words < 300
    assert result.mean_words == side_stats(spaced, "en").mean_words  # lengths are still counted in full
    assert f"for more than {result.distinct_words:,} distinct words" in tokenizers_for(result, result)[2][0]


def test_a_cache_with_a_tokenizer_per_side_holds_what_the_trainer_would_encode(zh_file, tmp_path):
    corpus, data, folder = open_cache(zh_file, tmp_path, kind=("bpe", "char"), vocab_size=(150, None), max_len=30)
    train = data["train"]
    assert (train.src_tok.kind, train.tgt_tok.kind) == ("bpe", "char")
    assert "-bpe150.char-" in folder.name
    pairs = read_tsv(str(zh_file), dedupe=False).pairs
    n_valid, n_test = 24, 24  # a tenth of 240 lines at most, for the default 500 and 1,000
    expected = [p for p in pairs if split_of(p.src, n_test / 240, n_valid / 240) == "train"]
    assert train.tgt_tok.tokens() == build_tokenizer("char", [p.tgt for p in expected], "zh").tokens()
    enc = encode_pairs(expected, train.src_tok, train.tgt_tok, 30)
    assert len(train.src) == len(enc.src) > 0
    assert list(train.src) == enc.src and list(train.tgt) == enc.tgt
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["tokenizer"] == {"src": "bpe", "tgt": "char"}


def test_a_changed_choice_gives_another_cache_key(zh_file, tmp_path):
    digest = "0" * 32
    keys = {cache_key(digest, kinds, sizes, 64, None, 500, 1000)
            for kinds, sizes in [(("bpe", "char"), (400, None)), (("bpe", "bpe"), (400, 400)),
                                 (("bpe", "char"), (500, None)), (("char", "bpe"), (None, 400)), ("word", None),
                                 ("bpe", None)]}
    assert len(keys) == 6
    assert cache_key(digest, ("word", "word"), (None, None), 64, None, 500, 1000) == \
        cache_key(digest, "word", None, 64, None, 500, 1000)  # a cache made before per-side kinds still fits
    _, mixed, first = open_cache(zh_file, tmp_path, kind=("bpe", "char"), vocab_size=(150, None), max_len=30)
    _, same, second = open_cache(zh_file, tmp_path, kind="bpe", vocab_size=150, max_len=30)
    assert first != second
    assert (mixed["train"].tgt_tok.kind, same["train"].tgt_tok.kind) == ("char", "bpe")


def _train(corpus, out, config, *extra):
    return main.main(["train", "--corpus", str(corpus), "--steps", "2", "--config", str(config), "--out", str(out),
                      "--device", "cpu", "--run-log", "none", "--json", "--valid-size", "0", "--test-size", "0",
                      *extra])


def test_train_through_a_cache_chooses_says_and_uses_what_training_without_one_does(zh_file, tmp_path, tiny_config,
                                                                                  capsys):
    assert _train(zh_file, tmp_path / "plain.safetensors", tiny_config) == 0
    plain = json.loads(capsys.readouterr().out.splitlines()[-1])["choices"]
    out = tmp_path / "cached.safetensors"
    assert _train(zh_file, out, tiny_config, "--token-cache", str(tmp_path / "cache")) == 0
    captured = capsys.readouterr()
    cached = json.loads(captured.out.splitlines()[-1])["choices"]
    assert cached["tokenizer"] == plain["tokenizer"] == {"src": "bpe", "tgt": "char"}
    assert cached["vocab_size"] == plain["vocab_size"]
    for key in ("shape", "model", "train"):
        assert cached[key] == plain[key]
    assert "chosen: tokenizer bpe 400 / char (source / target)" in captured.err
    assert "split: 240 training, 0 validation, 0 test pairs" in captured.err
    ckpt = load_checkpoint(out)
    assert (ckpt.src_tokenizer.kind, ckpt.tgt_tokenizer.kind) == ("bpe", "char")
    folders = [p.name for p in (tmp_path / "cache").iterdir() if p.is_dir()]
    assert len(folders) == 1 and "-bpe400.char-len" in folders[0]


def test_an_explicit_tokenizer_or_vocabulary_wins_over_the_choice(zh_file, tmp_path, tiny_config, capsys):
    cache = tmp_path / "cache"
    out = tmp_path / "word.safetensors"
    assert _train(zh_file, out, tiny_config, "--token-cache", str(cache), "--tokenizer", "word") == 0
    captured = capsys.readouterr()
    choices = json.loads(captured.out.splitlines()[-1])["choices"]
    assert choices["tokenizer"] == {"src": "word", "tgt": "word"}
    assert "chosen: tokenizer word / word" in captured.err and "set by the options or --config: tokenizer word" \
        in captured.err
    ckpt = load_checkpoint(out)
    assert (ckpt.src_tokenizer.kind, ckpt.tgt_tokenizer.kind) == ("word", "word")
    assert _train(zh_file, tmp_path / "v.safetensors", tiny_config, "--token-cache", str(cache), "--vocab-size", "300") == 0
    choices = json.loads(capsys.readouterr().out.splitlines()[-1])["choices"]
    assert choices["tokenizer"] == {"src": "bpe", "tgt": "char"} and choices["vocab_size"] == {"src": 300, "tgt": 300}
    names = sorted(p.name.split("-")[1] for p in cache.iterdir() if p.is_dir())
    assert names == ["bpe300.char300", "word"]  # one cache per choice
