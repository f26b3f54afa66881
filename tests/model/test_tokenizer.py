import json
import unicodedata

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.tokenizer import (
    BOS,
    EOS,
    KINDS,
    PAD,
    SPECIALS,
    UNK,
    Tokenizer,
    build_tokenizer,
    token_word_index,
)

DE = [
    "Der Hund schläft.",
    "Schläft der Hund?",
    "Die Katze sieht den Hund, und der Hund schläft nicht!",
    "„Ja“, sagt die Katze (leise).",
    'Er sagt "hallo" und geht\'s?',
    "Das kostet 3.50 Euro: viel.",
]
EN = ["The dog sleeps.", "Does the dog sleep?", "I don't see the cat; it's e-mail time..."]
ZH = ["我有三本书。", "狗在睡觉。", "你有书吗？我有。"]


def canon(text: str) -> str:
    """What a round trip may give back: NFC text with whitespace runs collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture(scope="module")
def toks():
    """One tokenizer per (kind, lang), trained once for the module."""
    out = {}
    for kind in KINDS:
        out[kind, "de"] = build_tokenizer(kind, DE, "de", vocab_size=120 if kind == "bpe" else None)
        out[kind, "en"] = build_tokenizer(kind, EN, "en", vocab_size=100 if kind == "bpe" else None)
        out[kind, "zh"] = build_tokenizer(kind, ZH, "zh", vocab_size=60 if kind == "bpe" else None)
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_specials_at_fixed_ids(toks, kind):
    tok = toks[kind, "de"]
    assert tok.kind == kind
    assert tuple(tok.tokens()[:4]) == SPECIALS
    assert [tok.token_to_id(s) for s in SPECIALS] == [PAD, BOS, EOS, UNK]
    assert len(tok.tokens()) == tok.vocab_size
    assert len(set(tok.tokens())) == tok.vocab_size
    assert all(tok.token_to_id(t) == i for i, t in enumerate(tok.tokens()))
    assert tok.token_to_id("never seen token") == UNK


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang, texts", [("de", DE), ("en", EN), ("zh", ZH)])
def test_round_trip_on_training_text(toks, kind, lang, texts):
    tok = toks[kind, lang]
    for text in texts:
        ids = tok.encode(text)
        assert UNK not in ids
        assert tok.decode(ids) == canon(text)


@pytest.mark.parametrize("kind", ["char", "bpe"])
def test_round_trip_of_unseen_sentences_with_seen_characters(toks, kind):
    tok = toks[kind, "de"]
    text = "  Die\tKatze   schläft,\n der Hund sieht nicht.  "
    ids = tok.encode(text)
    assert UNK not in ids
    assert tok.decode(ids) == "Die Katze schläft, der Hund sieht nicht."
    # decomposed "ä" (a + combining diaeresis) is read as the composed character
    decomposed = unicodedata.normalize("NFD", "schläft")
    assert decomposed != "schläft"
    assert tok.encode(decomposed) == tok.encode("schläft")


def test_word_level_splitting(toks):
    tok = toks["word", "de"]
    assert tok.tokenize("Hund.") == ["Hund", "."]
    assert tok.tokenize("Schläft der Hund?") == ["Schläft", "der", "Hund", "?"]
    assert tok.tokenize("„Ja“, sagt") == ["„", "Ja", "“", ",", "sagt"]
    assert tok.tokenize("geht's 3.50") == ["geht's", "3.50"]
    assert toks["word", "en"].tokenize("e-mail time...") == ["e-mail", "time", ".", ".", "."]
    assert toks["word", "zh"].tokenize("我有三本书。") == list("我有三本书。")
    # a word written with a combining mark stays one (NFC) token
    assert tok.tokenize("Cafe\u0301 ok") == ["Café", "ok"]


def test_word_level_unknown_words_and_case(toks):
    tok = toks["word", "en"]
    assert tok.token_to_id("The") != tok.token_to_id("the")
    ids = tok.encode("The zebra sleeps.")
    assert ids[1] == UNK and UNK not in ids[:1] + ids[2:]
    assert tok.decode(ids) == "The <unk> sleeps."


def test_word_level_detokenisation_per_language():
    fr = build_tokenizer("word", ["« Quoi ? » dit-il ; oui !"], "fr")
    assert fr.decode(fr.encode("« Quoi ? » dit-il ; oui !")) == "« Quoi ? » dit-il ; oui !"
    mixed = build_tokenizer("word", ["我爱 Python 语言。"], "zh")
    assert mixed.decode(mixed.encode("我爱 Python 语言。")) == "我爱Python语言。"


def test_word_vocabulary_frequency_order_min_freq_and_cap():
    texts = ["b a a c", "a b d"]  # a:3, b:2, c:1, d:1
    tok = build_tokenizer("word", texts, "en")
    assert tok.tokens() == list(SPECIALS) + ["a", "b", "c", "d"]
    assert build_tokenizer("word", texts, "en", min_freq=2).tokens() == list(SPECIALS) + ["a", "b"]
    assert build_tokenizer("word", texts, "en", vocab_size=5).tokens() == list(SPECIALS) + ["a"]


def test_char_level_tokens(toks):
    tok = toks["char", "de"]
    text = "Der  Hund"
    assert tok.tokenize(text) == list("Der Hund")
    assert tok.token_to_id(" ") != UNK
    assert tok.decode(tok.encode("Der Hund")) == "Der Hund"


def test_bpe_respects_vocab_size_and_merges():
    tok = build_tokenizer("bpe", DE * 3, "de", vocab_size=70)
    assert tok.vocab_size <= 70
    chars = {c for text in DE for c in text if not c.isspace()}
    assert tok.vocab_size > len(SPECIALS) + len(chars)  # merges were learned
    # frequent words become single tokens, marked as word starts with "▁"
    assert "▁Hund" in tok.tokenize("der Hund")
    assert tok.decode(tok.encode("Hund")) == "Hund"


def test_bpe_special_token_text_is_not_a_special_id(toks):
    tok = toks["bpe", "de"]
    ids = tok.encode("<eos> Hund")
    assert EOS not in ids and PAD not in ids


@pytest.mark.parametrize("kind", KINDS)
def test_offsets_point_at_the_tokens(toks, kind):
    tok = toks[kind, "de"]
    text = "  Der Hund  schläft. "
    pieces = tok.tokenize_with_offsets(text)
    assert [p[0] for p in pieces] == tok.tokenize(text)
    starts = [s for _, s, _ in pieces]
    assert starts == sorted(starts)
    for token, s, e in pieces:
        assert 0 <= s <= e <= len(text)
        core = token.lstrip("▁")
        if core.strip():
            assert core in text[s:e]


def test_bos_eos_and_skip_special(toks):
    tok = toks["word", "en"]
    ids = tok.encode("The dog sleeps.", add_bos=True, add_eos=True)
    assert ids[0] == BOS and ids[-1] == EOS
    assert ids[1:-1] == tok.encode("The dog sleeps.")
    assert tok.decode(ids + [PAD, PAD]) == "The dog sleeps."
    assert tok.decode([BOS, tok.token_to_id("dog"), EOS], skip_special=False) == "<bos> dog <eos>"


@pytest.mark.parametrize("kind", KINDS)
def test_empty_text(toks, kind):
    tok = toks[kind, "en"]
    assert tok.encode("") == []
    assert tok.encode("   ") == []
    assert tok.encode("", add_bos=True, add_eos=True) == [BOS, EOS]
    assert tok.decode([]) == ""
    assert tok.one_hot([]).shape == (0, tok.vocab_size)


@pytest.mark.parametrize("kind", KINDS)
def test_one_hot(toks, kind):
    tok = toks[kind, "de"]
    ids = tok.encode("Der Hund schläft.", add_bos=True, add_eos=True)
    oh = tok.one_hot(ids)
    assert oh.shape == (len(ids), tok.vocab_size) and oh.dtype == np.float32
    np.testing.assert_array_equal(oh.sum(axis=1), 1.0)
    np.testing.assert_array_equal(oh.argmax(axis=1), ids)
    # one-hot rows are orthonormal: the Gram matrix compares ids for equality
    np.testing.assert_array_equal(oh @ oh.T, np.equal.outer(ids, ids).astype(np.float32))
    with pytest.raises(IndexError):
        tok.one_hot([tok.vocab_size])
    with pytest.raises(IndexError):
        tok.id_to_token(-1)


@pytest.mark.parametrize("kind", KINDS)
def test_save_load_round_trip(toks, kind, tmp_path):
    tok = toks[kind, "zh"]
    d = tok.to_dict()
    again = Tokenizer.from_dict(json.loads(json.dumps(d)))
    path = tmp_path / "tok.json"
    tok.save(str(path))
    loaded = Tokenizer.load(str(path))
    for other in (again, loaded):
        assert type(other) is type(tok)
        assert (other.kind, other.lang) == (tok.kind, "zh")
        assert other.tokens() == tok.tokens()
        for text in ZH + ["书在狗吗", "<eos>x"]:
            assert other.encode(text) == tok.encode(text)
            assert other.tokenize_with_offsets(text) == tok.tokenize_with_offsets(text)


def test_build_tokenizer_rejects_unknown_kind():
    with pytest.raises(ValueError):
        build_tokenizer("sentencepiece", EN, "en")
    with pytest.raises(ValueError):
        Tokenizer.from_dict({"kind": "nope", "lang": "en"})


def test_token_word_index_chinese_and_german(toks):
    text = "我有三本书。"
    words = ["我", "有", "三本", "书", "。"]
    char_offsets = [(s, e) for _, s, e in toks["char", "zh"].tokenize_with_offsets(text)]
    assert token_word_index(text, words, char_offsets) == [0, 1, 2, 2, 3, 4]

    text = "Der Hund schläft."
    words = ["Der", "Hund", "schläft", "."]
    tok = toks["char", "de"]
    expected = [0, 0, 0, -1, 1, 1, 1, 1, -1, 2, 2, 2, 2, 2, 2, 2, 3]
    offsets = [(s, e) for _, s, e in tok.tokenize_with_offsets(text)]
    assert token_word_index(text, words, offsets) == expected
    bpe = toks["bpe", "de"]
    pieces = bpe.tokenize_with_offsets(text)
    index = token_word_index(text, words, [(s, e) for _, s, e in pieces])
    # every BPE piece maps to the word whose letters it carries
    for (token, _, _), w in zip(pieces, index):
        assert token.lstrip("▁") in words[w]


def test_token_word_index_uses_order_for_repeated_words():
    text = "der Hund und der Hund"
    words = text.split()
    offsets = [(0, 3), (4, 8), (13, 16), (17, 21), (3, 4), (100, 101)]
    assert token_word_index(text, words, offsets) == [0, 1, 3, 4, -1, -1]


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=40))
def test_any_unicode_never_crashes(toks, kind, text):
    tok = toks[kind, "de"]
    ids = tok.encode(text, add_bos=True, add_eos=True)
    assert all(0 <= i < tok.vocab_size for i in ids)
    assert isinstance(tok.decode(ids), str)
    pieces = tok.tokenize_with_offsets(text)
    assert all(0 <= s <= e <= len(text) for _, s, e in pieces)
    assert tok.one_hot(ids).shape == (len(ids), tok.vocab_size)


@pytest.mark.parametrize("kind", ["char", "bpe"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_seen_characters_round_trip(toks, kind, data):
    tok = toks[kind, "de"]
    alphabet = sorted({c for text in DE for c in text})
    text = data.draw(st.text(alphabet=alphabet, max_size=40))
    assert tok.decode(tok.encode(text)) == canon(text)
