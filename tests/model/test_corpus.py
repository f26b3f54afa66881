"""Built-in corpora: determinism, splits, alignments, text conventions, size."""
import random
import re

import pytest

from model.corpus import Corpus, CorpusError, SentencePair, load_corpus, split_pairs, word_category
from model.grammar import join_words
from model.grammar.en_de import de_sentence
from model.grammar.en_zh import zh_sentence
from model.grammar.english import en_sentence
from model.grammar.semantics import Sampler

CONTENT = {"noun", "verb", "adj"}


@pytest.fixture(scope="module", params=["en-de", "en-zh"])
def small(request):
    return request.param, load_corpus(f"builtin:{request.param}:3000", seed=7)


def test_same_seed_same_corpus_and_another_seed_another(small):
    name, corpus = small
    again = load_corpus(f"builtin:{name}:3000", seed=7)
    assert corpus.train == again.train and corpus.test == again.test
    other = load_corpus(f"builtin:{name}:3000", seed=8)
    assert {p.src for p in other.all_pairs()} != {p.src for p in corpus.all_pairs()}


@pytest.mark.parametrize("realise", [de_sentence, zh_sentence])
def test_target_is_a_function_of_the_source(realise):
    # Sample without removing duplicates: every English sentence that comes up more than
    # once must get the same translation each time.
    sampler = Sampler(random.Random(11))
    seen: dict[str, str] = {}
    repeats = 0
    for _ in range(15_000):
        s = sampler.sentence()
        src = join_words([w[0] for w in en_sentence(s)], "en")
        tgt = "".join(w[0] + " " for w in realise(s))
        if src in seen:
            repeats += 1
            assert seen[src] == tgt, src
        seen[src] = tgt
    assert repeats > 50  # the check above really ran


def test_no_source_in_two_splits(small):
    _, corpus = small
    splits = [{p.src for p in corpus.split(name)} for name in ("train", "valid", "test")]
    assert not splits[0] & splits[1] and not splits[0] & splits[2] and not splits[1] & splits[2]
    assert (len(corpus.train), len(corpus.valid), len(corpus.test)) == (2400, 300, 300)
    assert len({p.src for p in corpus.all_pairs()}) == 3000


def test_split_keeps_a_repeated_source_in_one_split():
    pairs = [SentencePair(f"s{i % 40}", f"t{i}") for i in range(400)]
    train, valid, test = split_pairs(pairs, seed=3, valid_size=0.1, test_size=0.1)
    assert len(train) + len(valid) + len(test) == 400
    homes = {}
    for name, part in (("train", train), ("valid", valid), ("test", test)):
        for p in part:
            assert homes.setdefault(p.src, name) == name
    assert test and valid


def test_words_classes_and_alignment_are_consistent(small):
    name, corpus = small
    tgt_lang = name.split("-")[1]
    assert corpus.has_alignments and corpus.src_lang == "en" and corpus.tgt_lang == tgt_lang
    for p in corpus.all_pairs():
        assert 3 <= len(p.src_words) <= 25 and 3 <= len(p.tgt_words) <= 25
        assert len(p.src_classes) == len(p.src_words) and len(p.tgt_classes) == len(p.tgt_words)
        assert p.src == join_words(p.src_words, "en") and p.tgt == join_words(p.tgt_words, tgt_lang)
        assert p.alignment == tuple(sorted(set(p.alignment)))
        for i, j in p.alignment:
            assert 0 <= i < len(p.src_words) and 0 <= j < len(p.tgt_words)
        linked_src = {i for i, _ in p.alignment}
        linked_tgt = {j for _, j in p.alignment}
        # Every English noun and adjective has a translation; so does the final punctuation.
        for i, cls in enumerate(p.src_classes):
            if cls in ("noun", "adj"):
                assert i in linked_src, (p.src, p.src_words[i])
        assert len(p.src_words) - 1 in linked_src and len(p.tgt_words) - 1 in linked_tgt
        # Each target content word translates something.
        for j, cls in enumerate(p.tgt_classes):
            if cls in CONTENT:
                assert j in linked_tgt, (p.tgt, p.tgt_words[j])


def test_text_conventions(small):
    name, corpus = small
    for p in corpus.all_pairs()[:500]:
        assert p.src[0].isupper() and p.src[-1] in ".?"
        assert not re.search(r" [.,?]", p.src)
        if name == "en-de":
            assert p.tgt[0].isupper() and p.tgt[-1] in ".?" and not re.search(r" [.,?]", p.tgt)
            for word, cls in zip(p.tgt_words, p.tgt_classes):
                if cls == "noun":
                    assert word[0].isupper(), (p.tgt, word)
        else:
            assert " " not in p.tgt and p.tgt[-1] in "。？"
            assert not re.search(r"[.,?!]", p.tgt)


@pytest.mark.parametrize("name", ["en-de", "en-zh"])
def test_at_least_20000_distinct_pairs_and_a_few_hundred_words_per_side(name):
    pairs = load_corpus(f"builtin:{name}:20000").all_pairs()
    assert len({p.src for p in pairs}) == 20_000 and len(set(pairs)) == 20_000
    src = {w.lower() for p in pairs for w in p.src_words}
    tgt = {w.lower() for p in pairs for w in p.tgt_words}
    assert 150 <= len(src) <= 800 and 150 <= len(tgt) <= 1000


def test_max_len_and_max_pairs_on_builtins():
    corpus = load_corpus("builtin:en-de:5000", max_pairs=1000, max_len=7)
    pairs = corpus.all_pairs()
    assert all(len(p.src_words) <= 7 and len(p.tgt_words) <= 7 for p in pairs)
    assert len(pairs) + corpus.filtered == 1000 and corpus.filtered > 0


@pytest.mark.parametrize("spec", ["builtin:en-fr", "builtin:en-de:0", "builtin:en-de:many"])
def test_bad_builtin_specs_raise_one_line_errors(spec):
    with pytest.raises(CorpusError) as info:
        load_corpus(spec)
    assert spec in str(info.value) and "\n" not in str(info.value)


def test_split_rejects_unknown_names(small):
    _, corpus = small
    assert isinstance(corpus, Corpus)
    with pytest.raises(ValueError, match="split"):
        corpus.split("dev")


@pytest.mark.parametrize("word, lang, category", [
    ("dogs", "en", "animal"), ("Hunden", "de", "animal"), ("狗", "zh", "animal"),
    ("teacher", "en", "person"), ("Jungen", "de", "person"), ("老师", "zh", "person"),
    ("red", "en", "colour"), ("roten", "de", "colour"), ("红色", "zh", "colour"),
    ("milk", "en", "drink"), ("Brot", "de", "food"), ("公园", "zh", "place"),
    ("Yesterday", "en", "time"), ("Heute", "de", "time"), ("昨天", "zh", "time"),
    ("großen", "de", "size"), ("three", "en", "number"),
    ("the", "en", None), ("der", "de", None), ("的", "zh", None), ("dog", "xx", None),
])
def test_word_category(word, lang, category):
    assert word_category(word, lang) == category


def test_every_content_word_of_the_corpus_has_a_category(small):
    name, corpus = small
    tgt_lang = name.split("-")[1]
    for p in corpus.all_pairs()[:300]:
        for w, cls in zip(p.src_words, p.src_classes):
            if cls in ("noun", "adj"):
                assert word_category(w, "en") is not None, w
        for w, cls in zip(p.tgt_words, p.tgt_classes):
            if cls == "noun":
                assert word_category(w, tgt_lang) is not None, w
