"""German realisation of a sampled sentence (target of builtin:en-de).

What it gets right, because that is what a translator has to learn:
- articles, possessives, kein/dies- and adjective endings by gender, number and case
  (weak after der/dies-, mixed after ein/kein/mein, strong with no article or a number);
- weak nouns ("den Jungen"), dative plural -n ("den Kindern"), genitive ("des Lehrers");
- verb agreement; verb second in statements, verb first in questions, inversion after
  a fronted time or weil-clause; verb last in weil/dass and relative clauses;
- perfect (and English simple past) as haben/sein + participle at the end of the clause;
- negation as kein (indefinite or bare object) or nicht (before places and participles);
- prepositions with the dative (locative) or accusative (direction), and contractions
  im, ins, am, zum, zur;
- relative clauses between commas; an object's relative clause goes after the participle
  (to the end of the clause).

Alignment: German words carry the keys of the English words they translate; the
contraction "im" carries both "in" and "the", "kein" both "not" and "a". English do-support
("does") has no German counterpart and stays unaligned; German commas around relative
and weil/dass clauses are unaligned.
"""
from __future__ import annotations

from model.grammar.lexicon import NUMBERS, PRES
from model.grammar.semantics import (
    ADJ,
    COMMA,
    CONJ,
    DET,
    NEG,
    NOUN,
    NP,
    POSS,
    PREP,
    PUNCT,
    REL,
    TENSE,
    TIME,
    VERB,
    Clause,
    Rel,
    Sentence,
    key,
)

CASES = ("nom", "acc", "dat", "gen")
SLOT = {"m": 0, "f": 1, "n": 2}  # column of a table; plural is column 3

DEFINITE = {
    "nom": ("der", "die", "das", "die"),
    "acc": ("den", "die", "das", "die"),
    "dat": ("dem", "der", "dem", "den"),
    "gen": ("des", "der", "des", "der"),
}
# Endings of ein/kein/mein/sein/ihr/unser (the plural column is for kein- and possessives).
EIN_ENDINGS = {
    "nom": ("", "e", "", "e"),
    "acc": ("en", "e", "", "e"),
    "dat": ("em", "er", "em", "en"),
    "gen": ("es", "er", "es", "er"),
}
# Endings of dies- (der-words).
DIES_ENDINGS = {
    "nom": ("er", "e", "es", "e"),
    "acc": ("en", "e", "es", "e"),
    "dat": ("em", "er", "em", "en"),
    "gen": ("es", "er", "es", "er"),
}
ADJ_WEAK = {  # after der, die, das, dies-
    "nom": ("e", "e", "e", "en"),
    "acc": ("en", "e", "e", "en"),
    "dat": ("en", "en", "en", "en"),
    "gen": ("en", "en", "en", "en"),
}
ADJ_MIXED = {  # after ein, kein, mein, ...
    "nom": ("er", "e", "es", "en"),
    "acc": ("en", "e", "es", "en"),
    "dat": ("en", "en", "en", "en"),
    "gen": ("en", "en", "en", "en"),
}
ADJ_STRONG = {  # no article, or after a number
    "nom": ("er", "e", "es", "e"),
    "acc": ("en", "e", "es", "e"),
    "dat": ("em", "er", "em", "en"),
    "gen": ("en", "er", "en", "er"),
}
RELATIVE = {
    "nom": ("der", "die", "das", "die"),
    "acc": ("den", "die", "das", "die"),
    "dat": ("dem", "der", "dem", "denen"),
}
CONTRACTIONS = {("in", "dem"): "im", ("in", "das"): "ins", ("zu", "dem"): "zum",
                ("zu", "der"): "zur"}
SEIN = {"1sg": "bin", "3sg": "ist", "1pl": "sind", "3pl": "sind"}
HABEN = {"1sg": "habe", "3sg": "hat", "1pl": "haben", "3pl": "haben"}


def de_sentence(s: Sentence) -> list[tuple]:
    """The German words of a sentence, each (text, class, keys); first word capitalised."""
    main = s.main
    end = [("?" if main.q else ".", "punct", (key(s.id, PUNCT),))]
    if s.sub is None:
        words = clause(main, "q" if main.q else "main")
    elif s.front:
        sub = [("weil", "conj", (key(s.sub.id, CONJ),))] + clause(s.sub, "sub")
        words = clause(main, "main", prefield=sub + [(",", "punct", (key(s.id, COMMA),))])
    else:
        weil = ("weil", "conj", (key(s.sub.id, CONJ),))
        words = clause(main, "main") + [(",", "punct", ()), weil] + clause(s.sub, "sub")
    words += end
    text, cls, keys = words[0]
    words[0] = (text[0].upper() + text[1:], cls, keys)
    return words


def finite_form(verb, agr: str) -> str:
    """Present tense: ich sehe, er sieht, wir/sie sehen."""
    return verb.de_1sg if agr == "1sg" else verb.de_3sg if agr == "3sg" else verb.de


def clause(c: Clause, mode: str, prefield: list | None = None) -> list[tuple]:
    """One clause. mode "main": verb second (after the subject, or after a fronted time
    or prefield, with the subject following the verb); "q": verb first; "sub": verb
    last (the finite verb after the participle)."""
    agr = c.subj.agr
    extraposed: list[tuple] = []
    subj = np_words(c.subj, "nom")
    if c.verb is None:
        finite = (SEIN[agr], "verb", (key(c.id, VERB),))
        right = []
    elif c.tense == PRES:
        finite = (finite_form(c.verb, agr), "verb", (key(c.id, VERB),))
        right = []
    else:
        table = SEIN if c.verb.de_aux == "sein" else HABEN
        finite = (table[agr], "aux", (key(c.id, TENSE),))
        right = [(c.verb.de_pp, "verb", (key(c.id, VERB),))]

    middle: list[tuple] = []
    obj_words: list[tuple] = []
    absorbed = False  # negation expressed by kein
    if c.obj is not None:
        case = "dat" if c.verb.kind == "dat" else "acc"
        absorbed = c.neg and c.obj.kind == "noun" and c.obj.det in ("indef", "none")
        obj_words = np_words(c.obj, case, neg_key=key(c.id, NEG) if absorbed else None,
                             extraposed=extraposed)
        if c.obj.kind == "pron":
            middle += obj_words
            obj_words = []
    if c.time is not None and not c.front:
        middle += time_words(c.time, c.id)
    middle += obj_words
    if c.neg and not absorbed:
        middle.append(("nicht", "neg", (key(c.id, NEG),)))
    if c.comp is not None:
        middle += [("mit", "prep", (key(c.comp.id, PREP),))] + np_words(c.comp, "dat")
    if c.loc is not None:
        prep = c.loc.np.noun.de_in if c.loc.prep.de == "in" else c.loc.prep.de
        middle += pp_words(prep, "dat", c.loc.np, (key(c.loc.id, PREP),))
    if c.dest is not None:
        prep = c.dest.noun.de_to
        middle += pp_words(prep, "dat" if prep == "zu" else "acc", c.dest, (key(c.dest.id, PREP),))
    if c.adj is not None:
        middle.append((c.adj.de, "adj", (key(c.id, ADJ),)))
    if c.that is not None:
        extraposed += [(",", "punct", ()), ("dass", "conj", (key(c.that.id, CONJ),))]
        extraposed += clause(c.that, "sub")

    if mode == "sub":
        return subj + middle + right + [finite] + extraposed
    if mode == "q":
        return [finite] + subj + middle + right + extraposed
    if prefield is None and c.front:
        prefield = time_words(c.time, c.id)
    if prefield:
        return prefield + [finite] + subj + middle + right + extraposed
    if c.subj.kind == "noun" and c.subj.rel is not None:
        subj.append((",", "punct", ()))  # closes the relative clause: "Der Hund, der ..., schläft"
    return subj + [finite] + middle + right + extraposed


def time_words(t, node_id: int) -> list[tuple]:
    """German words of a time adverbial, aligned to the English words they translate."""
    return [(w, cls, tuple(key(node_id, TIME + i) for i in src)) for w, cls, src in t.de]


def pp_words(prep: str, case: str, np: NP, prep_keys: tuple) -> list[tuple]:
    """Preposition + noun phrase, contracting "in dem" to "im" and the like."""
    words = np_words(np, case)
    first = words[0]
    short = CONTRACTIONS.get((prep, first[0])) if np.kind == "noun" and np.det == "def" else None
    if short:
        return [(short, "prep", prep_keys + first[2])] + words[1:]
    return [(prep, "prep", prep_keys)] + words


def np_words(np: NP, case: str, neg_key: int | None = None,
             extraposed: list | None = None) -> list[tuple]:
    """A noun phrase in a case. neg_key: turn ein/no article into kein (carrying the
    negation's key). extraposed: where to put a relative clause instead of in place."""
    if np.kind == "pron":
        p = np.pron
        form = {"nom": p.de, "acc": p.de_acc, "dat": p.de_dat}[case]
        return [(form, "pron", (key(np.id, NOUN),))]
    if np.kind == "coord":
        first, second = np.parts
        und = ("und", "conj", (key(np.id, CONJ),))
        return np_words(first, case) + [und] + np_words(second, case)
    noun = np.noun
    col = 3 if np.plural else SLOT[noun.gender]
    det_keys = (key(np.id, DET),)
    det = np.det
    words = []
    if neg_key is not None:
        words.append(("kein" + EIN_ENDINGS[case][col], "det", det_keys + (neg_key,)))
        endings = ADJ_MIXED
    elif det in ("def", "gen"):
        words.append((DEFINITE[case][col], "det", det_keys))
        endings = ADJ_WEAK
    elif det == "this":
        words.append(("dies" + DIES_ENDINGS[case][col], "det", det_keys))
        endings = ADJ_WEAK
    elif det == "indef":
        words.append(("ein" + EIN_ENDINGS[case][col], "det", det_keys))
        endings = ADJ_MIXED
    elif det == "poss":
        words.append((np.poss.de_poss + EIN_ENDINGS[case][col], "pron", det_keys))
        endings = ADJ_MIXED
    elif det == "num":
        words.append((NUMBERS[np.num][1], "num", det_keys))
        endings = ADJ_STRONG
    else:
        endings = ADJ_STRONG
    if np.adj is not None:
        words.append((np.adj.de_stem + endings[case][col], "adj", (key(np.id, ADJ),)))
    words.append((noun_form(np, case), "noun", (key(np.id, NOUN),)))
    if det == "gen":
        owner = np.poss
        words.append((DEFINITE["gen"][SLOT[owner.noun.gender]], "det",
                      (key(owner.id, DET), key(np.id, POSS))))
        words.append((owner.noun.de_gen, "noun", (key(owner.id, NOUN),)))
    if np.rel is not None:
        target = extraposed if extraposed is not None else words
        target += relative(np.rel, np)
    return words


def noun_form(np: NP, case: str) -> str:
    """Hund / Hunde / Hunden (dative plural) / Jungen (weak noun, not nominative)."""
    noun = np.noun
    if np.plural:
        return noun.de_dat_pl if case == "dat" else noun.de_pl
    if noun.de_obl and case != "nom":
        return noun.de_obl
    return noun.de


def relative(rel: Rel, head: NP) -> list[tuple]:
    """", der die Katze sieht" / ", den die Katze sieht": relative pronoun in the case of
    its role, verb last. The closing comma, where one is needed, is the caller's."""
    col = 3 if head.plural else SLOT[head.noun.gender]
    verb_case = "dat" if rel.verb.kind == "dat" else "acc"
    rel_key = (key(head.id, REL),)
    if rel.kind == "subj":
        pronoun = RELATIVE["nom"][col]
        inner = np_words(rel.other, verb_case)
        agr = head.agr
    else:
        pronoun = RELATIVE[verb_case][col]
        inner = np_words(rel.other, "nom")
        agr = rel.other.agr
    verb = (finite_form(rel.verb, agr), "verb", (key(rel.id, VERB),))
    return [(",", "punct", ()), (pronoun, "pron", rel_key)] + inner + [verb]
