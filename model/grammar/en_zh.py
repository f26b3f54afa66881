"""Chinese (Simplified) realisation of a sampled sentence (target of builtin:en-zh).

What it gets right:
- no articles; numbers, 这 and 一 ("a") take the noun's measure word (一只猫, 三本书,
  两个学生); 这些 for "these"; 们 after a definite plural person noun (孩子们);
- possessives and relative clauses before the noun with 的 (我的狗, 老师的狗,
  看见猫的狗, 猫看见的狗); one-syllable adjectives join the noun (大狗), others take 的
  unless a 的 already stands before them in the phrase (我们的黑色椅子);
- time, place (在 ... 里/上/下面) and companion (和 ... 一起) before the verb;
- 不 for present negation, 没 for past and perfect; 了 after the verb for past and perfect;
- 很 before a predicate adjective, 是 ... 的 for colours; yes/no questions end in 吗；
- Chinese punctuation (。？，) and no spaces.

Alignment: measure words are aligned to their noun; 的 to what makes the modifier in
English ("my", "'s", "that/who", or the adjective); 吗 to the English auxiliary that
makes the question ("Does", "Is"); 了 to the English tense word ("has", "did", "ate");
所以 (in "因为..., 所以...") and 们 after the noun have no English counterpart beyond the noun
(们 is aligned to the noun). "the" is unaligned.
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
    Q,
    Rel,
    Sentence,
    key,
)


def zh_sentence(s: Sentence) -> list[tuple]:
    """The Chinese words of a sentence, each (text, class, keys)."""
    main = s.main
    end = [("？" if main.q else "。", "punct", (key(s.id, PUNCT),))]
    if s.sub is None:
        return clause(main) + end
    because = [("因为", "conj", (key(s.sub.id, CONJ),))]
    if s.front:
        return (because + clause(s.sub) + [("，", "punct", (key(s.id, COMMA),)),
                ("所以", "conj", ())] + clause(main) + end)
    return clause(main) + [("，", "punct", ())] + because + clause(s.sub) + end


def clause(c: Clause) -> list[tuple]:
    """Subject, time, negation, place, companion, verb (+了), object, (吗)."""
    words = []
    if c.front:
        words += time_words(c)
    words += np_words(c.subj)
    if c.time is not None and not c.front:
        words += time_words(c)
    past = c.verb is not None and c.tense != PRES
    if c.verb is None:
        words += predicate(c)
    else:
        if c.neg:
            words.append(("没" if past and not c.verb.stative else "不", "neg", (key(c.id, NEG),)))
        if c.loc is not None:
            prep_keys = (key(c.loc.id, PREP),)
            words += ([("在", "prep", prep_keys)] + np_words(c.loc.np)
                      + [(c.loc.prep.zh_post, "prep", prep_keys)])
        if c.comp is not None:
            prep_keys = (key(c.comp.id, PREP),)
            words += [("和", "prep", prep_keys)] + np_words(c.comp) + [("一起", "adv", prep_keys)]
        zh_verb = c.verb.zh_to if c.dest is not None and c.verb.zh_to else c.verb.zh
        words.append((zh_verb, "verb", (key(c.id, VERB),)))
        if past and not c.neg and not c.verb.stative:
            words.append(("了", "particle", (key(c.id, TENSE),)))
        if c.obj is not None:
            words += np_words(c.obj, drop_indefinite=c.neg)
        if c.dest is not None:
            words += np_words(c.dest)
        if c.that is not None:
            words += clause(c.that)
    if c.q:
        words.append(("吗", "particle", (key(c.id, Q),)))
    return words


def predicate(c: Clause) -> list[tuple]:
    """很大 / 不大 / 大(吗); colours: 是红色的 / 不是红色的."""
    adj, verb_keys, adj_keys = c.adj, (key(c.id, VERB),), (key(c.id, ADJ),)
    neg = [("不", "neg", (key(c.id, NEG),))] if c.neg else []
    inanimate = c.subj.kind == "noun" and not c.subj.noun.animate
    word = adj.zh_pred_inanimate if inanimate and adj.zh_pred_inanimate else adj.zh_pred
    if adj.colour:
        return neg + [("是", "verb", verb_keys), (word, "adj", adj_keys),
                      ("的", "particle", adj_keys)]
    if c.neg or c.q:
        return neg + [(word, "adj", adj_keys + verb_keys)]
    return [("很", "adv", verb_keys), (word, "adj", adj_keys)]


def time_words(c: Clause) -> list[tuple]:
    return [(w, cls, tuple(key(c.id, TIME + i) for i in src)) for w, cls, src in c.time.zh]


def np_words(np: NP, drop_indefinite: bool = False) -> list[tuple]:
    """Possessor 的, number/这 + measure word, relative clause 的, adjective, noun.
    drop_indefinite: a negated object loses its 一 + measure word (不吃苹果)."""
    if np.kind == "pron":
        return [(np.pron.zh, "pron", (key(np.id, NOUN),))]
    if np.kind == "coord":
        first, second = np.parts
        return np_words(first) + [("和", "conj", (key(np.id, CONJ),))] + np_words(second)
    noun = np.noun
    det_keys, noun_keys = (key(np.id, DET),), (key(np.id, NOUN),)
    words = []
    if np.det == "poss":
        words += [(np.poss.zh, "pron", det_keys), ("的", "particle", det_keys)]
    elif np.det == "gen":
        words += np_words(np.poss) + [("的", "particle", (key(np.id, POSS),))]
    elif np.det == "this":
        if np.plural:
            words.append(("这些", "det", det_keys))
        else:
            words += [("这", "det", det_keys), (noun.measure, "measure", noun_keys)]
    elif np.det == "num":
        words += [(NUMBERS[np.num][2], "num", det_keys), (noun.measure, "measure", noun_keys)]
    elif np.det == "indef" and not drop_indefinite:
        words += [("一", "num", det_keys), (noun.measure, "measure", noun_keys)]
    if np.rel is not None:
        words += relative(np.rel, np)
    if np.adj is not None:
        adj = np.adj
        forms = adj.zh_attr_inanimate if adj.zh_attr_inanimate and not noun.animate else adj.zh_attr
        if any(w[0] == "的" for w in words):
            forms = forms[:1]  # one 的 is enough: 我们的黑色椅子, not 我们的黑色的椅子
        words += [(w, "particle" if w == "的" else "adj", (key(np.id, ADJ),)) for w in forms]
    words.append((noun.zh, "noun", noun_keys))
    if np.plural and np.det == "def" and noun.category == "person":
        words.append(("们", "particle", noun_keys))
    return words


def relative(rel: Rel, head: NP) -> list[tuple]:
    """看见猫的 (head is the subject) or 猫看见的 (head is the object)."""
    verb = (rel.verb.zh, "verb", (key(rel.id, VERB),))
    de = ("的", "particle", (key(head.id, REL),))
    if rel.kind == "subj":
        return [verb] + np_words(rel.other) + [de]
    return np_words(rel.other) + [verb, de]
