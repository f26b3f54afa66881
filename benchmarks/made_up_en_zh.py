"""A small made-up English–Chinese sample in the Tatoeba TSV layout, for checking the
defaults on a script written without spaces.

    python benchmarks/made_up_en_zh.py --out /tmp/eng-cmn.tsv [--pairs 2200] [--test-out /tmp/eng-cmn.test.tsv]

Everyday sentences from a few templates (subject, verb phrase, time, negation, question),
written by hand for this check; not from any corpus. Seeded; ``--test-out`` writes a
further held-out sample of sentences that are not in the training file.
"""
from __future__ import annotations

import argparse
import itertools
import random

SUBJECTS = [  # English, third person singular?, Chinese
    ("I", False, "我"), ("you", False, "你"), ("he", True, "他"), ("she", True, "她"), ("we", False, "我们"),
    ("they", False, "他们"), ("my mother", True, "我妈妈"), ("my friend", True, "我的朋友"),
    ("the teacher", True, "老师"), ("the children", False, "孩子们"), ("Tom", True, "汤姆"), ("Mary", True, "玛丽"),
]
VERBS = [  # base form, third person, past, Chinese verb phrase
    ("eat rice", "eats rice", "ate rice", "吃米饭"), ("drink tea", "drinks tea", "drank tea", "喝茶"),
    ("read a book", "reads a book", "read a book", "看书"), ("like cats", "likes cats", "liked cats", "喜欢猫"),
    ("go home", "goes home", "went home", "回家"), ("learn Chinese", "learns Chinese", "learned Chinese", "学中文"),
    ("watch TV", "watches TV", "watched TV", "看电视"), ("buy apples", "buys apples", "bought apples", "买苹果"),
    ("write a letter", "writes a letter", "wrote a letter", "写信"), ("play football", "plays football",
                                                                       "played football", "踢足球"),
    ("cook dinner", "cooks dinner", "cooked dinner", "做晚饭"), ("sing a song", "sings a song", "sang a song", "唱歌"),
    ("open the window", "opens the window", "opened the window", "开窗户"),
    ("call my brother", "calls my brother", "called my brother", "给我哥哥打电话"),
]
TIMES = [("", "", "present"), ("today", "今天", "present"), ("every day", "每天", "present"),
         ("yesterday", "昨天", "past"), ("tomorrow", "明天", "future")]


def sentence(subj, verb, time, negative: bool, question: bool) -> tuple[str, str]:
    en_subj, third, zh_subj = subj
    base, third_form, past, zh_verb = verb
    en_time, zh_time, tense = time
    if tense == "past":
        if question:
            en = f"Did {en_subj} {base}"
        else:
            en = f"{en_subj} didn't {base}" if negative else f"{en_subj} {past}"
        zh_core = ("没" + zh_verb) if negative else (zh_verb[:1] + "了" + zh_verb[1:])
    elif tense == "future":
        en = f"Will {en_subj} {base}" if question else f"{en_subj} {'won' if negative else 'will'}{'' if not negative else chr(39) + 't'} {base}"
        zh_core = ("不会" if negative else "会") + zh_verb
    else:
        aux = "Does" if third else "Do"
        if question:
            en = f"{aux} {en_subj} {base}"
        elif negative:
            en = f"{en_subj} {'doesn' if third else 'don'}'t {base}"
        else:
            en = f"{en_subj} {third_form if third else base}"
        zh_core = ("不" if negative else "") + zh_verb
    if en_time:
        en += f" {en_time}"
    en = en[0].upper() + en[1:] + ("?" if question else ".")
    zh = zh_subj + zh_time + zh_core + ("吗？" if question else "。")
    return en, zh


def all_pairs() -> list[tuple[str, str]]:
    out = []
    for subj, verb, time, neg, q in itertools.product(SUBJECTS, VERBS, TIMES, (False, True), (False, True)):
        if neg and q:
            continue
        out.append(sentence(subj, verb, time, neg, q))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--pairs", type=int, default=2200)
    ap.add_argument("--test-out")
    ap.add_argument("--test-pairs", type=int, default=300)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    pairs = all_pairs()
    random.Random(args.seed).shuffle(pairs)
    train, test = pairs[: args.pairs], pairs[args.pairs: args.pairs + args.test_pairs]
    with open(args.out, "w", encoding="utf-8") as fh:
        fh.writelines(f"{en}\t{zh}\n" for en, zh in train)
    if args.test_out:
        with open(args.test_out, "w", encoding="utf-8") as fh:
            fh.writelines(f"{en}\t{zh}\n" for en, zh in test)
    print(f"{len(train)} training pairs, {len(test) if args.test_out else 0} test pairs of {len(pairs)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
