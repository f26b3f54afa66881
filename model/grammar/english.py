"""English realisation of a sampled sentence (the source side of every built-in corpus).

English is realised so that different trees never give the same string: the target
languages can then be a deterministic function of the English sentence.
"""
from __future__ import annotations

from model.grammar.lexicon import NUMBERS, PERF, PRES
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
    Q,
    Rel,
    Sentence,
    key,
)


def en_sentence(s: Sentence) -> list[tuple]:
    """The English words of a sentence, each (text, class, keys); first word capitalised."""
    main = s.main
    end = [("?" if main.q else ".", "punct", (key(s.id, PUNCT),))]
    if s.sub is None:
        words = clause(main) + end
    elif s.front:
        words = ([("because", "conj", (key(s.sub.id, CONJ),))] + clause(s.sub)
                 + [(",", "punct", (key(s.id, COMMA),))] + clause(main) + end)
    else:
        words = clause(main) + [("because", "conj", (key(s.sub.id, CONJ),))] + clause(s.sub) + end
    text, cls, keys = words[0]
    words[0] = (text[0].upper() + text[1:], cls, keys)
    return words


def verb_form(verb, agr: str, keys: tuple) -> tuple:
    """Simple present: "sees" for he/she/it, "see" otherwise."""
    return (verb.en_s if agr == "3sg" else verb.en, "verb", keys)


def clause(c: Clause) -> list[tuple]:
    """One clause in English word order: [time] subject [aux] [not] verb object ... [time]."""
    agr = c.subj.agr
    subj = np_words(c.subj)
    aux_keys = (key(c.id, TENSE), key(c.id, Q)) if c.q else (key(c.id, TENSE),)
    time = time_words(c.time, c.id) if c.time is not None else []
    late_time = [] if c.front or (c.time is not None and c.time.after_aux) else time
    early_time = time if c.time is not None and c.time.after_aux else []
    neg = [("not", "neg", (key(c.id, NEG),))] if c.neg else []
    if c.verb is None:
        be_keys = (key(c.id, VERB), key(c.id, Q)) if c.q else (key(c.id, VERB),)
        be = ({"1sg": "am", "3sg": "is"}.get(agr, "are"), "verb", be_keys)
        pred = [(c.adj.en, "adj", (key(c.id, ADJ),))]
        head = [be] + subj if c.q else subj + [be]
        words = head + neg + pred
    else:
        verb = c.verb
        if c.tense == PERF:
            aux = ("has" if agr == "3sg" else "have", "aux", aux_keys)
            main = (verb.en_pp, "verb", (key(c.id, VERB),))
        elif c.neg or c.q:
            do = "did" if c.tense != PRES else "does" if agr == "3sg" else "do"
            aux = (do, "aux", aux_keys)
            main = (verb.en, "verb", (key(c.id, VERB),))
        else:
            aux = None
            if c.tense == PRES:
                main = verb_form(verb, agr, (key(c.id, VERB),))
            else:
                main = (verb.en_past, "verb", (key(c.id, VERB), key(c.id, TENSE)))
        if aux is None:
            head = subj
        elif c.q:
            head = [aux] + subj
        else:
            head = subj + [aux]
        words = head + neg + early_time + [main] + complements(c)
    front = time if c.front else []
    return front + words + late_time


def complements(c: Clause) -> list[tuple]:
    """What follows the verb: object or that-clause, destination, companion, place."""
    words = []
    if c.obj is not None:
        words += np_words(c.obj, obj=True)
    if c.that is not None:
        words += [("that", "conj", (key(c.that.id, CONJ),))] + clause(c.that)
    if c.dest is not None:
        words += [("to", "prep", (key(c.dest.id, PREP),))] + np_words(c.dest, obj=True)
    if c.comp is not None:
        words += [("with", "prep", (key(c.comp.id, PREP),))] + np_words(c.comp, obj=True)
    if c.loc is not None:
        words += [(w, "prep", (key(c.loc.id, PREP),)) for w in c.loc.prep.en]
        words += np_words(c.loc.np, obj=True)
    return words


def time_words(t, node_id: int) -> list[tuple]:
    """The words of a time adverbial; word i carries the key TIME + i."""
    return [(w, cls, (key(node_id, TIME + i),))
            for i, (w, cls) in enumerate(zip(t.en, t.en_classes))]


def np_words(np: NP, obj: bool = False) -> list[tuple]:
    """A noun phrase: determiner, adjective, noun, relative clause."""
    if np.kind == "pron":
        return [(np.pron.en_obj if obj else np.pron.en, "pron", (key(np.id, NOUN),))]
    if np.kind == "coord":
        first, second = np.parts
        return np_words(first, obj) + [("and", "conj", (key(np.id, CONJ),))] + np_words(second, obj)
    noun = np.noun
    det_key = (key(np.id, DET),)
    words = []
    if np.det == "def":
        words.append(("the", "det", det_key))
    elif np.det == "this":
        words.append(("these" if np.plural else "this", "det", det_key))
    elif np.det == "num":
        words.append((NUMBERS[np.num][0], "num", det_key))
    elif np.det == "poss":
        words.append((np.poss.en_poss, "pron", det_key))
    elif np.det == "gen":
        words += np_words(np.poss) + [("'s", "particle", (key(np.id, POSS),))]
    if np.adj is not None:
        words.append((np.adj.en, "adj", (key(np.id, ADJ),)))
    words.append((noun.en_pl if np.plural else noun.en, "noun", (key(np.id, NOUN),)))
    if np.det == "indef":
        article = "an" if words[0][0][0] in "aeiou" else "a"
        words.insert(0, (article, "det", det_key))
    if np.rel is not None:
        words += relative(np.rel, np)
    return words


def relative(rel: Rel, head: NP) -> list[tuple]:
    """"who/that sees the cat" (head is the subject) or "that the cat sees"."""
    verb_keys = (key(rel.id, VERB),)
    if rel.kind == "subj":
        pronoun = "who" if head.noun.category == "person" else "that"
        return ([(pronoun, "pron", (key(head.id, REL),)), verb_form(rel.verb, head.agr, verb_keys)]
                + np_words(rel.other, obj=True))
    return ([("that", "pron", (key(head.id, REL),))] + np_words(rel.other)
            + [verb_form(rel.verb, rel.other.agr, verb_keys)])
