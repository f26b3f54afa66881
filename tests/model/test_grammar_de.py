"""German grammar of builtin:en-de, checked against tables written out here by hand."""
import pytest

from model.corpus import load_corpus
from model.grammar.en_de import np_words
from model.grammar.lexicon import ADJECTIVES, NOUNS, VERBS
from model.grammar.semantics import NP

NOUN = {n.en: n for n in NOUNS}
ADJ = {a.en: a for a in ADJECTIVES}
GENDER_OF = {}  # every German noun form -> "m", "f", "n" or "pl"
for _n in NOUNS:
    for _form in (_n.de, _n.de_obl, _n.de_gen):
        if _form:
            GENDER_OF.setdefault(_form, set()).add(_n.gender)
    if _n.de_pl:
        for _form in (_n.de_pl, _n.de_dat_pl):
            GENDER_OF.setdefault(_form, set()).add("pl")

# Definite article and the weak adjective ending after it, by case and gender (Duden).
DEFINITE = {
    ("nom", "m"): ("der", "e"), ("nom", "f"): ("die", "e"), ("nom", "n"): ("das", "e"),
    ("nom", "pl"): ("die", "en"),
    ("acc", "m"): ("den", "en"), ("acc", "f"): ("die", "e"), ("acc", "n"): ("das", "e"),
    ("acc", "pl"): ("die", "en"),
    ("dat", "m"): ("dem", "en"), ("dat", "f"): ("der", "en"), ("dat", "n"): ("dem", "en"),
    ("dat", "pl"): ("den", "en"),
}
# ein/kein/mein + mixed adjective ending.
INDEFINITE = {
    ("nom", "m"): ("ein", "er"), ("nom", "f"): ("eine", "e"), ("nom", "n"): ("ein", "es"),
    ("acc", "m"): ("einen", "en"), ("acc", "f"): ("eine", "e"), ("acc", "n"): ("ein", "es"),
    ("dat", "m"): ("einem", "en"), ("dat", "f"): ("einer", "en"), ("dat", "n"): ("einem", "en"),
}
# No article: the strong ending.
STRONG = {
    ("nom", "m"): "er", ("nom", "f"): "e", ("nom", "n"): "es", ("nom", "pl"): "e",
    ("acc", "m"): "en", ("acc", "f"): "e", ("acc", "n"): "es", ("acc", "pl"): "e",
    ("dat", "m"): "em", ("dat", "f"): "er", ("dat", "n"): "em", ("dat", "pl"): "en",
}
DATIVE_PREPOSITIONS = {"mit", "neben", "unter", "hinter", "vor"}
CONTRACTED_DATIVE = {"im": ("m", "n"), "am": ("m", "n"), "zum": ("m", "n"), "zur": ("f",)}
AUXILIARIES = {"habe", "hat", "haben", "bin", "ist", "sind"}


def phrase(noun, case, det="def", plural=False, adj=None, neg=False):
    np = NP(1, "noun", noun=NOUN[noun], plural=plural, det=det,
            adj=ADJ[adj] if adj else None)
    return " ".join(w[0] for w in np_words(np, case, neg_key=99 if neg else None))


@pytest.mark.parametrize("case", ["nom", "acc", "dat"])
@pytest.mark.parametrize("noun, gender", [("dog", "m"), ("cat", "f"), ("horse", "n")])
def test_article_and_adjective_endings_follow_the_tables(noun, gender, case):
    de, de_pl = NOUN[noun].de, NOUN[noun].de_pl
    article, ending = DEFINITE[case, gender]
    assert phrase(noun, case, adj="big") == f"{article} groß{ending} {de}"
    article, ending = INDEFINITE[case, gender]
    assert phrase(noun, case, det="indef", adj="small") == f"{article} klein{ending} {de}"
    negated = phrase(noun, case, det="indef", adj="small", neg=True)
    assert negated == f"k{article} klein{ending} {de}"
    article, ending = DEFINITE[case, "pl"]
    plural = de_pl + "n" if case == "dat" and not de_pl.endswith(("n", "s")) else de_pl
    assert phrase(noun, case, plural=True, adj="old") == f"{article} alt{ending} {plural}"
    bare = phrase(noun, case, det="none", plural=True, adj="old")
    assert bare == f"alt{STRONG[case, 'pl']} {plural}"


@pytest.mark.parametrize("case", ["nom", "acc", "dat"])
@pytest.mark.parametrize("noun, gender", [("tea", "m"), ("milk", "f"), ("water", "n")])
def test_strong_endings_without_an_article(noun, gender, case):
    expected = f"kalt{STRONG[case, gender]} {NOUN[noun].de}"
    assert phrase(noun, case, det="none", adj="cold") == expected


def test_special_nouns():
    assert phrase("boy", "acc") == "den Jungen" and phrase("boy", "nom") == "der Junge"
    assert phrase("child", "dat", plural=True) == "den Kindern"
    assert phrase("car", "dat", plural=True) == "den Autos"
    assert phrase("book", "acc", det="indef", adj="expensive") == "ein teures Buch"
    assert phrase("dog", "nom", det="this", adj="tired") == "dieser müde Hund"


@pytest.fixture(scope="module")
def pairs():
    return load_corpus("builtin:en-de:4000", seed=5).all_pairs()


def noun_phrases(words, classes):
    """(word before the phrase, determiner or None, adjective or None, noun) for every
    lexicon noun in the sentence, found by the word classes."""
    found = []
    for k, cls in enumerate(classes):
        if cls != "noun" or words[k] not in GENDER_OF:
            continue
        adj = words[k - 1] if classes[k - 1] == "adj" else None
        d = k - 1 - (adj is not None)
        det = words[d] if d >= 0 and classes[d] in ("det", "prep") else None
        before = words[d - 1] if det is not None and d >= 1 else None
        found.append((before, det, adj, words[k]))
    return found


def test_articles_and_adjectives_agree_in_generated_sentences(pairs):
    articles = {a for a, _ in DEFINITE.values()}
    checked = 0
    for p in pairs:
        words = [p.tgt_words[0].lower()] + list(p.tgt_words[1:])
        for before, det, adj, noun in noun_phrases(words, p.tgt_classes):
            if det in CONTRACTED_DATIVE:
                options = [("dat", g) for g in CONTRACTED_DATIVE[det] if g in GENDER_OF[noun]]
            elif det in articles:
                cases = ["dat"] if before in DATIVE_PREPOSITIONS else ["nom", "acc", "dat"]
                options = [(c, g) for c in cases for g in GENDER_OF[noun]
                           if DEFINITE.get((c, g), ("",))[0] == det]
            else:
                continue
            assert options, (p.tgt, det, noun)
            if adj is not None:
                assert any(adj.endswith(DEFINITE[option][1]) for option in options), (p.tgt, adj)
            checked += 1
    assert checked > 2000


def test_subject_pronouns_agree_with_the_verb(pairs):
    checked = 0
    for p in pairs:
        first, second = p.tgt_words[0], p.tgt_words[1]
        if first == "Ich":
            assert second.endswith("e") or second in ("bin", "mag", "weiß"), p.tgt
        elif first == "Er":
            assert second.endswith("t") or second in ("mag", "weiß"), p.tgt
        elif first == "Wir":
            assert second.endswith("n") or second == "sind", p.tgt
        else:
            continue
        checked += 1
    assert checked > 100


def clause_after(words, classes, conj):
    """The words of the clause that starts after conj, up to the next comma or the end."""
    start = words.index(conj) + 1
    end = start
    while end < len(words) and classes[end] != "punct":
        end += 1
    return words[start:end], classes[start:end]


def test_verb_last_in_weil_and_dass_clauses(pairs):
    checked = 0
    for p in pairs:
        words = [w.lower() for w in p.tgt_words]
        for conj in ("weil", "dass"):
            if conj not in words:
                continue
            clause, classes = clause_after(words, p.tgt_classes, conj)
            assert classes[-1] in ("verb", "aux"), p.tgt
            verbs = [k for k, c in enumerate(classes) if c in ("verb", "aux")]
            # All verbs sit together at the end: participle, then the finite auxiliary.
            assert verbs == list(range(len(classes) - len(verbs), len(classes))), p.tgt
            if len(verbs) == 2:
                assert clause[-1] in AUXILIARIES and clause[-2] not in AUXILIARIES, p.tgt
            checked += 1
    assert checked > 300


def test_participle_closes_the_main_clause_in_the_perfect(pairs):
    participles = {v.de_pp for v in VERBS}
    checked = apart = 0
    for p in pairs:
        src = p.src_words
        if not {"has", "have", "Has", "Have"} & set(src) or {"that", "because"} & set(src) \
                or "," in p.tgt_words:
            continue
        assert p.tgt_words[-2] in participles and p.tgt_classes[-2] == "verb", p.tgt
        aux = [k for k, w in enumerate(p.tgt_words) if w.lower() in AUXILIARIES]
        # One auxiliary, first (questions) or second, before the participle at the end.
        assert len(aux) == 1 and aux[0] < len(p.tgt_words) - 2, p.tgt
        checked += 1
        apart += aux[0] < len(p.tgt_words) - 3  # objects, places, nicht in between
    assert checked > 100 and apart > checked / 2


def test_negation_uses_kein_for_indefinite_objects_and_nicht_otherwise(pairs):
    kein = nicht = 0
    for p in pairs:
        src = p.src_words
        if "not" not in src or "," in p.tgt_words or src[0] in ("Because",):
            continue
        after = list(src[src.index("not") + 2:])
        if after[:1] in (["a"], ["an"]) and len(after) <= 4:
            assert any(w.startswith("kein") for w in p.tgt_words), p.tgt
            kein += 1
        elif after[:1] == ["the"]:
            assert "nicht" in p.tgt_words, p.tgt
            nicht += 1
    assert kein > 20 and nicht > 20


def test_questions_put_the_verb_first(pairs):
    questions = [p for p in pairs if p.src.endswith("?")]
    assert len(questions) > 200
    for p in questions:
        assert p.tgt.endswith("?") and p.tgt_classes[0] in ("verb", "aux"), p.tgt


def test_alignments_cross(pairs):
    def crosses(links):
        return any(i1 < i2 and j1 > j2 for i1, j1 in links for i2, j2 in links)
    share = sum(crosses(p.alignment) for p in pairs) / len(pairs)
    assert share > 0.3
