"""The meaning behind each built-in sentence, and the seeded sampler that draws it.

A sentence is sampled once as a small tree (clauses, noun phrases, prepositional
phrases) and then *realised* in each language by english.py, en_de.py and en_zh.py.
Because every language is a function of the same tree, and the English realisation is
unambiguous, the target is a deterministic function of the English source.

Each node has an integer id. A realised word carries *keys* (node id × role), and two
words in different languages are aligned when they share a key: the gold alignment is
a by-product of realisation. A word is a tuple ``(text, word_class, keys)``.
"""
from __future__ import annotations

import random
from functools import cache

from model.grammar.lexicon import (
    ADJECTIVES,
    NOUNS,
    NUMBERS,
    PAST,
    PERF,
    PREPOSITIONS,
    PRES,
    PRONOUNS,
    TIMES,
    VERBS,
    Adj,
    Noun,
    Prep,
    Time,
    Verb,
)

# Roles of a word inside its node; key = node_id * ROLES + role.
DET, NOUN, ADJ, REL, POSS, PREP, VERB, TENSE, NEG, Q, CONJ, PUNCT, COMMA, TIME = range(14)
ROLES = 32

Word = tuple  # (text, word_class, keys: tuple[int, ...])


def key(node_id: int, role: int) -> int:
    """The alignment key of one role of one node."""
    return node_id * ROLES + role


class NP:
    """A noun phrase: a pronoun, two coordinated noun phrases, or a noun with a
    determiner ("def", "indef", "none", "poss", "this", "num", "gen"), an optional
    adjective and an optional relative clause."""

    __slots__ = (
        "adj",
        "det",
        "id",
        "kind",
        "noun",
        "num",
        "parts",
        "plural",
        "poss",
        "pron",
        "rel",
    )

    def __init__(self, id, kind, noun=None, pron=None, plural=False, det="def", poss=None,
                 num=0, adj=None, rel=None, parts=()):
        self.id, self.kind, self.noun, self.pron, self.plural = id, kind, noun, pron, plural
        self.det, self.poss, self.num, self.adj, self.rel = det, poss, num, adj, rel
        self.parts = parts

    @property
    def agr(self) -> str:
        """Person and number for verb agreement: "1sg", "3sg", "1pl" or "3pl"."""
        if self.kind == "pron":
            return self.pron.agr
        return "3pl" if self.kind == "coord" or self.plural else "3sg"


class Rel:
    """A relative clause on a noun phrase. kind "subj": the head does the verb ("that
    sees the cat", other = object); kind "obj": the head undergoes it ("that the cat
    sees", other = subject). Always present tense, affirmative."""

    __slots__ = ("id", "kind", "other", "verb")

    def __init__(self, id, kind, verb, other):
        self.id, self.kind, self.verb, self.other = id, kind, verb, other


class PP:
    """A locative prepositional phrase ("under the table")."""

    __slots__ = ("id", "np", "prep")

    def __init__(self, id, prep: Prep, np: NP):
        self.id, self.prep, self.np = id, prep, np


class Clause:
    """One clause. verb is None for a copula clause ("the dog is big", with adj).
    obj: direct (or dative) object; dest: "to the park"; loc: a PP; comp: "with the dog";
    time: a Time adverbial, fronted when front is True; that: a that-clause."""

    __slots__ = (
        "adj",
        "comp",
        "dest",
        "front",
        "id",
        "loc",
        "neg",
        "obj",
        "q",
        "subj",
        "tense",
        "that",
        "time",
        "verb",
    )

    def __init__(self, id, verb, subj, tense=PRES, neg=False, q=False, obj=None, dest=None,
                 loc=None, comp=None, time=None, front=False, adj=None, that=None):
        self.id, self.verb, self.subj, self.tense, self.neg, self.q = id, verb, subj, tense, neg, q
        self.obj, self.dest, self.loc, self.comp = obj, dest, loc, comp
        self.time, self.front, self.adj, self.that = time, front, adj, that


class Sentence:
    """A whole sentence: one main clause, optionally with a because-clause (sub),
    fronted ("Because ..., ...") when front is True."""

    __slots__ = ("front", "id", "main", "sub")

    def __init__(self, id, main, sub=None, front=False):
        self.id, self.main, self.sub, self.front = id, main, sub, front


@cache
def nouns_with(tags: frozenset[str]) -> tuple[Noun, ...]:
    """Nouns that have at least one of the tags."""
    return tuple(n for n in NOUNS if n.tags & tags)


@cache
def adjectives_for(noun: Noun | None) -> tuple[Adj, ...]:
    """Adjectives that make sense for the noun (for None: a person pronoun)."""
    tags = noun.tags if noun is not None else frozenset({"person"})
    return tuple(a for a in ADJECTIVES if a.applies & tags)


ACTION_VERBS = tuple(v for v in VERBS if v.kind != "clause")
CLAUSE_VERBS = tuple(v for v in VERBS if v.kind == "clause")
OBJECT_VERBS = tuple(v for v in VERBS if v.kind in ("tr", "dat"))
COPULA_TAGS = frozenset({"animal", "person", "object", "plant", "place", "food", "drink"})
COMPANION_TAGS = frozenset({"animal", "person"})
DEST_TAGS = frozenset({"dest"})
POSSESSOR_TAGS = frozenset({"possessor"})
PREP_TAGS = {prep: frozenset({prep.tag}) for prep in PREPOSITIONS}


def weights(**options: float) -> tuple[tuple[str, float], ...]:
    """A choice table: each name with the running total of the weights up to it."""
    table, total = [], 0.0
    for name, weight in options.items():
        if weight > 0:
            total += weight
            table.append((name, total))
    return tuple(table)


SENTENCE_KINDS = weights(simple=0.5, question=0.14, copula=0.13, that=0.1, because=0.13)
SINGULAR_DETS = weights(**{"def": 0.45, "indef": 0.3, "poss": 0.1, "this": 0.06, "gen": 0.09})
SINGULAR_DETS_NO_GEN = weights(**{"def": 0.45, "indef": 0.3, "poss": 0.1, "this": 0.06})
PLURAL_DETS = weights(**{"def": 0.45, "none": 0.22, "num": 0.18, "poss": 0.09, "this": 0.06})
MASS_DETS = weights(**{"def": 0.55, "poss": 0.15, "none": 0.3})
MASS_SUBJECT_DETS = weights(**{"def": 0.75, "poss": 0.25})
# Places and copula subjects: mostly definite, no numbers ("Is the school new?").
DEFINITE_DETS = weights(**{"def": 0.6, "indef": 0.15, "poss": 0.15, "this": 0.1})
DEFINITE_PLURAL_DETS = weights(**{"def": 0.7, "poss": 0.2, "this": 0.1})
TENSES = weights(pres=0.5, perf=0.25, past=0.25)
STATIVE_TENSES = weights(pres=0.6, past=0.4)
NO_PAST_TENSES = weights(pres=0.65, perf=0.35)


class Sampler:
    """Draws sentence trees from a seeded random.Random. The probabilities below set
    how often each construction appears."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.ids = 0

    def _id(self) -> int:
        self.ids += 1
        return self.ids

    def _chance(self, p: float) -> bool:
        return self.rng.random() < p

    def _pick(self, table: tuple[tuple[str, float], ...]) -> str:
        """A name from a table made by weights(), by its weight."""
        r = self.rng.random() * table[-1][1]
        for name, upto in table:
            if r < upto:
                return name
        return table[-1][0]

    def sentence(self) -> Sentence:
        """One sentence: simple statement, question, copula, that-clause or because."""
        self.ids = 0
        sid = self._id()
        kind = self._pick(SENTENCE_KINDS)
        if kind == "simple":
            return Sentence(sid, self.clause(main=True))
        if kind == "question":
            return Sentence(sid, self.clause(main=True, question=True))
        if kind == "copula":
            return Sentence(sid, self.copula())
        if kind == "that":
            return Sentence(sid, self.that_clause())
        main = self.clause(main=True, allow_rel=False, allow_front=False)
        return Sentence(sid, main, sub=self.clause(main=False), front=self._chance(0.5))

    def np(self, tags: frozenset[str], *, subject=False, pron=0.0, rel=False, gen=True,
           adj=0.22, definite=False) -> NP:
        """A noun phrase whose noun has one of the tags (or, with chance pron, a pronoun
        when persons fit). definite: mostly "the", few plurals and no numbers (places,
        copula subjects)."""
        rng = self.rng
        if pron and "person" in tags and self._chance(pron):
            return NP(self._id(), "pron", pron=rng.choice(PRONOUNS))
        noun = rng.choice(nouns_with(tags))
        np = NP(self._id(), "noun", noun=noun)
        if noun.mass:
            np.det = self._pick(MASS_SUBJECT_DETS if subject else MASS_DETS)
        elif definite:
            np.plural = self._chance(0.15)
            np.det = self._pick(DEFINITE_PLURAL_DETS if np.plural else DEFINITE_DETS)
        else:
            np.plural = self._chance(0.35)
            if np.plural:
                np.det = self._pick(PLURAL_DETS)
            else:
                np.det = self._pick(SINGULAR_DETS if gen else SINGULAR_DETS_NO_GEN)
        if np.det in ("poss", "gen") and noun.category == "person" and "ownable" not in noun.tags:
            np.det = "def"
        if np.det == "poss":
            np.poss = rng.choice(PRONOUNS)
        elif np.det == "num":
            np.num = rng.randrange(len(NUMBERS))
        elif np.det == "gen":
            np.poss = NP(self._id(), "noun", noun=rng.choice(nouns_with(POSSESSOR_TAGS)))
        adjectives = adjectives_for(noun)
        if adjectives and self._chance(adj):
            np.adj = rng.choice(adjectives)
        if rel and np.det in ("def", "indef", "num") and self._chance(0.12):
            np.rel = self.relative(np)
        return np

    def relative(self, head: NP) -> Rel | None:
        """A relative clause in which the head is the subject ("that sees the cat") or
        the object ("that the cat sees"); None when no verb fits the head."""
        tags = head.noun.tags
        as_subject = [v for v in OBJECT_VERBS if v.subj & tags]
        as_object = [v for v in OBJECT_VERBS if v.obj & tags]
        if as_subject and (not as_object or self._chance(0.5)):
            verb = self.rng.choice(as_subject)
            other = self.np(verb.obj, pron=0.1, gen=False, adj=0.15)
            return Rel(self._id(), "subj", verb, other)
        if not as_object:
            return None
        verb = self.rng.choice(as_object)
        other = self.np(verb.subj, subject=True, pron=0.15, gen=False, adj=0.15)
        return Rel(self._id(), "obj", verb, other)

    def _tense(self, verb: Verb) -> str:
        if verb.stative:
            return self._pick(STATIVE_TENSES)
        return self._pick(NO_PAST_TENSES if verb.en_past is None else TENSES)

    def _time(self, tense: str, neg: bool, p: float) -> Time | None:
        if not self._chance(p):
            return None
        options = [t for t in TIMES if tense in t.tenses and not (neg and t.after_aux)]
        return self.rng.choice(options)

    def clause(self, *, main: bool, question=False, allow_rel=True, allow_front=True) -> Clause:
        """A clause with an action verb, its subject and object, and optional place,
        companion and time. Relative clauses and fronting only in main clauses."""
        verb = self.rng.choice(ACTION_VERBS)
        tense = self._tense(verb)
        neg = not question and self._chance(0.2)
        time = self._time(tense, neg, 0.25)
        front = (main and allow_front and not question and time is not None
                 and time.frontable and self._chance(0.35))
        rel = main and allow_rel
        subj = self.np(verb.subj, subject=True, pron=0.2, rel=rel and not question and not front)
        if main and not question and subj.kind == "noun" and subj.rel is None \
                and self._chance(0.05):
            other = self.np(verb.subj, subject=True, gen=False)
            while other.noun is subj.noun:
                other = self.np(verb.subj, subject=True, gen=False)
            subj = NP(self._id(), "coord", parts=(subj, other))
        c = Clause(self._id(), verb, subj, tense=tense, neg=neg, q=question, time=time,
                   front=front)
        if verb.kind in ("tr", "dat"):
            obj_rel = rel and time is None and not neg and subj.rel is None
            c.obj = self.np(verb.obj, pron=0.12, rel=obj_rel)
            if neg and c.obj.det == "num":
                c.obj.det = "def"
        elif verb.kind == "motion" and (verb.en == "go" or self._chance(0.75)):
            c.dest = self.np(DEST_TAGS, gen=False, adj=0.15, definite=True)
        if c.obj is not None and c.obj.rel is not None:
            return c
        if verb.loc and self._chance(0.3):
            prep = self.rng.choice(PREPOSITIONS)
            c.loc = PP(self._id(), prep, self.np(PREP_TAGS[prep], adj=0.15, definite=True))
        if verb.comp and self._chance(0.12):
            c.comp = self.np(COMPANION_TAGS, pron=0.2, gen=False, adj=0.1)
        return c

    def copula(self) -> Clause:
        """"X is (not) ADJ", or the question "Is X ADJ?"."""
        question = self._chance(0.25)
        neg = not question and self._chance(0.25)
        time = self._time(PRES, neg, 0.15)
        front = not question and time is not None and self._chance(0.3)
        subj = self.np(COPULA_TAGS, subject=True, pron=0.15, rel=not question and not front,
                       definite=True)
        noun = subj.noun if subj.kind == "noun" else None
        options = [a for a in adjectives_for(noun) if a is not subj.adj]
        if not options:
            subj.adj, options = None, list(adjectives_for(noun))
        adj = self.rng.choice(options)
        return Clause(self._id(), None, subj, neg=neg, q=question, time=time, front=front,
                      adj=adj)

    def that_clause(self) -> Clause:
        """"X says/knows/thinks/hopes that CLAUSE" (present tense, maybe negated or asked)."""
        verb = self.rng.choice(CLAUSE_VERBS)
        question = self._chance(0.2)
        neg = not question and self._chance(0.15)
        subj = self.np(verb.subj, subject=True, pron=0.25, gen=False)
        return Clause(self._id(), verb, subj, neg=neg, q=question,
                      that=self.clause(main=False))


__all__ = [
    "ADJ",
    "COMMA",
    "CONJ",
    "DET",
    "NEG",
    "NOUN",
    "NP",
    "PAST",
    "PERF",
    "POSS",
    "PP",
    "PREP",
    "PRES",
    "PUNCT",
    "REL",
    "TENSE",
    "TIME",
    "VERB",
    "Clause",
    "Q",
    "Rel",
    "Sampler",
    "Sentence",
    "Word",
    "key",
]
