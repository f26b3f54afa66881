"""Synchronous grammars behind the built-in corpora builtin:en-de and builtin:en-zh.

A seeded sampler (semantics.py) draws a sentence *meaning*; english.py, en_de.py and
en_zh.py each realise it as words. The target is therefore a deterministic function of
the English source, every pair comes with its gold word alignment and word classes, and
no data files are needed.

    >>> pairs = generate("en-de", 3, seed=0)
    >>> pairs[0].src_words, pairs[0].alignment   # doctest: +SKIP
"""
from __future__ import annotations

import random
from collections.abc import Sequence

from model.grammar.en_de import de_sentence
from model.grammar.en_zh import zh_sentence
from model.grammar.english import en_sentence
from model.grammar.lexicon import ADJECTIVES, NOUNS, NUMBERS, TIMES, VERBS
from model.grammar.semantics import Sampler
from model.pairs import SentencePair

GRAMMARS = {"en-de": de_sentence, "en-zh": zh_sentence}
MIN_WORDS, MAX_WORDS = 3, 25
CONTENT_CLASSES = frozenset({"noun", "verb", "adj", "adv"})
ATTACHED = frozenset({".", ",", "?", "!", "'s"})


def join_words(words: Sequence[str], lang: str) -> str:
    """Text of a word list: Chinese without spaces; otherwise spaces, with punctuation
    (and English "'s") attached to the word before it."""
    if lang == "zh":
        return "".join(words)
    parts: list[str] = []
    for w in words:
        if parts and w in ATTACHED:
            parts[-1] += w
        else:
            parts.append(w)
    return " ".join(parts)


def align(src_keys: Sequence[tuple[int, ...]],
          tgt_keys: Sequence[tuple[int, ...]]) -> tuple[tuple[int, int], ...]:
    """(src_index, tgt_index) for every pair of words that share a key."""
    by_key: dict[int, list[int]] = {}
    for i, keys in enumerate(src_keys):
        for k in keys:
            by_key.setdefault(k, []).append(i)
    links = {(i, j) for j, keys in enumerate(tgt_keys) for k in keys for i in by_key.get(k, ())}
    return tuple(sorted(links))


def generate(name: str, n: int, seed: int = 0) -> list[SentencePair]:
    """n pairs of the grammar "en-de" or "en-zh", all with distinct sources, each side
    3-25 words (punctuation counts as a word). The same (n, seed) gives the same list,
    and the English sides of en-de and en-zh with the same seed are the same sentences."""
    if name not in GRAMMARS:
        raise ValueError(f"unknown grammar {name!r}; choose one of {sorted(GRAMMARS)}")
    realise = GRAMMARS[name]
    tgt_lang = name.split("-")[1]
    sampler = Sampler(random.Random(seed))
    seen: set[str] = set()
    pairs: list[SentencePair] = []
    budget = 20 * n + 1000
    while len(pairs) < n:
        budget -= 1
        if budget < 0:
            raise ValueError(f"the {name} grammar cannot make {n} distinct sentences")
        sentence = sampler.sentence()
        src = en_sentence(sentence)
        if not MIN_WORDS <= len(src) <= MAX_WORDS:
            continue
        src_words, src_classes, src_keys = zip(*src)
        src_text = join_words(src_words, "en")
        if src_text in seen:
            continue
        tgt = realise(sentence)
        if not MIN_WORDS <= len(tgt) <= MAX_WORDS:
            continue
        seen.add(src_text)
        tgt_words, tgt_classes, tgt_keys = zip(*tgt)
        pairs.append(SentencePair(
            src_text, join_words(tgt_words, tgt_lang), src_words, tgt_words,
            align(src_keys, tgt_keys), src_classes, tgt_classes))
    return pairs


def _category_index() -> dict[str, dict[str, str]]:
    """Every surface form of every content word -> its semantic category, per language."""
    from model.grammar.en_de import ADJ_MIXED, ADJ_STRONG, ADJ_WEAK

    index: dict[str, dict[str, str]] = {"en": {}, "de": {}, "zh": {}}

    def add(lang: str, forms, category: str) -> None:
        for form in forms:
            if form:
                index[lang].setdefault(form, category)

    for adj in ADJECTIVES:
        add("en", [adj.en], adj.category)
        endings = {e for table in (ADJ_WEAK, ADJ_MIXED, ADJ_STRONG) for row in table.values()
                   for e in row}
        add("de", [adj.de] + [adj.de_stem + e for e in endings], adj.category)
        add("zh", [w for w in adj.zh_attr + adj.zh_attr_inanimate if w != "的"]
            + [adj.zh_pred, adj.zh_pred_inanimate], adj.category)
    for noun in NOUNS:
        add("en", [noun.en, noun.en_pl], noun.category)
        add("de", [noun.de, noun.de_pl, noun.de_dat_pl, noun.de_gen, noun.de_obl], noun.category)
        add("zh", [noun.zh], noun.category)
    for verb in VERBS:
        add("en", [verb.en, verb.en_s, verb.en_past, verb.en_pp], verb.category)
        add("de", [verb.de, verb.de_1sg, verb.de_3sg, verb.de_pp], verb.category)
        add("zh", [verb.zh, verb.zh_to], verb.category)
    for t in TIMES:
        add("en", [w for w, c in zip(t.en, t.en_classes) if c in CONTENT_CLASSES], "time")
        add("de", [w for w, c, _ in t.de if c in CONTENT_CLASSES], "time")
        add("zh", [w for w, _, _ in t.zh], "time")
    for en, de, zh in NUMBERS:
        add("en", [en], "number")
        add("de", [de], "number")
        add("zh", [zh], "number")
    return index


_CATEGORIES: dict[str, dict[str, str]] | None = None


def word_category(word: str, lang: str) -> str | None:
    """Semantic category of a content word of the built-in grammars ("animal",
    "person", "food", "drink", "object", "plant", "place", "colour", "size", "age",
    "quality", "state", "temperature", "time", "number", or a verb's kind such as
    "motion", "eating", "perception"); None for function words and unknown words.
    Any inflected form counts ("Hunden", "großen", "sieht")."""
    global _CATEGORIES
    if _CATEGORIES is None:
        _CATEGORIES = _category_index()
    table = _CATEGORIES.get(lang)
    if table is None:
        return None
    found = table.get(word)
    if found is None and lang != "zh":
        found = table.get(word.lower()) or table.get(word[:1].upper() + word[1:])
    return found
