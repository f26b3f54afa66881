"""Chinese grammar of builtin:en-zh: measure words, 吗, 不/没, 的 and word order."""
import pytest

from model.corpus import load_corpus

# Measure words as a textbook lists them (a subset of the lexicon's nouns).
MEASURE = {"猫": "只", "狗": "只", "鸟": "只", "马": "匹", "牛": "头", "书": "本", "信": "封",
           "学生": "个", "孩子": "个", "老师": "位", "医生": "位", "车": "辆", "花": "朵",
           "树": "棵", "桌子": "张", "椅子": "把", "门": "扇", "苹果": "个", "河": "条"}
NUMBERS = {"一", "两", "三", "四", "五"}
QUESTION_STARTS = ("Does", "Do", "Did", "Has", "Have", "Is", "Are", "Am")


@pytest.fixture(scope="module")
def pairs():
    return load_corpus("builtin:en-zh:4000", seed=5).all_pairs()


def test_numbers_and_this_take_the_right_measure_word(pairs):
    checked = 0
    for p in pairs:
        words, classes = p.tgt_words, p.tgt_classes
        for k, w in enumerate(words[:-1]):
            if w in NUMBERS or w == "这":
                assert classes[k + 1] == "measure", p.tgt
                # The noun the measure word counts: aligned to the same English noun
                # (a relative clause may stand between them: 一只看见猫的狗).
                src = [i for i, j in p.alignment if j == k + 1]
                nouns = [words[j] for i, j in p.alignment if i in src and classes[j] == "noun"]
                assert len(nouns) == 1 and all(j > k + 1 for i, j in p.alignment
                                               if i in src and classes[j] == "noun"), p.tgt
                if nouns[0] in MEASURE:
                    assert words[k + 1] == MEASURE[nouns[0]], p.tgt
                    checked += 1
    assert checked > 300


def test_two_is_liang_and_a_is_yi(pairs):
    with_two = [p for p in pairs if "two" in p.src_words]
    assert with_two and all("两" in p.tgt_words and "二" not in p.tgt for p in with_two)
    with_a = [p for p in pairs if "a" in p.src_words and "not" not in p.src_words]
    assert sum("一" in p.tgt_words for p in with_a) > 0.9 * len(with_a)


def test_questions_end_in_ma(pairs):
    questions = [p for p in pairs if p.src.endswith("?")]
    assert len(questions) > 200
    for p in questions:
        assert p.src_words[0] in QUESTION_STARTS
        assert p.tgt.endswith("吗？"), p.tgt
    for p in pairs:
        if p.src.endswith("."):
            assert p.tgt.endswith("。") and "吗" not in p.tgt, p.tgt


def test_bu_in_the_present_and_mei_in_the_past(pairs):
    bu = mei = 0
    for p in pairs:
        src = p.src_words
        if "not" not in src or {"that", "because", "Because"} & set(src):
            continue
        before, verb = src[src.index("not") - 1], src[src.index("not") + 1]
        stative = verb in ("like", "liked", "love", "loved")
        if before in ("does", "do", "is", "are", "am") or stative:
            assert "不" in p.tgt_words and "没" not in p.tgt_words, p.tgt
            bu += 1
        else:
            assert before in ("has", "have", "did"), p.src
            assert "没" in p.tgt_words and "了" not in p.tgt_words, p.tgt
            mei += 1
    assert bu > 50 and mei > 20


def test_de_comes_before_the_noun_it_modifies(pairs):
    # English "the teacher's dog" and "the dog that sees the cat": the possessor or the
    # relative clause stands after (or around) the noun in English, 的 before it in Chinese.
    checked = 0
    for p in pairs:
        for i, j in p.alignment:
            if p.src_words[i] in ("'s", "that", "who") and p.tgt_words[j] == "的":
                head_src = i + 1 if p.src_words[i] == "'s" else i - 1
                if p.src_words[i] == "'s":
                    while p.src_classes[head_src] != "noun":
                        head_src += 1
                head_tgt = [b for a, b in p.alignment
                            if a == head_src and p.tgt_classes[b] == "noun"]
                assert head_tgt and all(b > j for b in head_tgt), p.tgt
                checked += 1
    assert checked > 100


def test_time_and_place_come_before_the_verb(pairs):
    checked = 0
    for p in pairs:
        src = p.src_words
        if {"that", "because", "Because", "who"} & set(src):
            continue
        verbs = [j for j, c in enumerate(p.tgt_classes) if c == "verb"]
        if len(verbs) != 1:
            continue
        for i, w in enumerate(src):
            if w in ("today", "yesterday", "now", "in", "under", "behind", "next"):
                targets = [j for a, j in p.alignment if a == i]
                if w in ("today", "yesterday", "now") or p.tgt_words[targets[0]] == "在":
                    assert all(j < verbs[0] for j in targets[:1]), p.tgt
                    checked += 1
    assert checked > 200


def test_no_spaces_and_chinese_punctuation(pairs):
    for p in pairs:
        assert " " not in p.tgt and not set(p.tgt) & set(".,?!")
        assert p.tgt == "".join(p.tgt_words)
        if "," in p.src_words:
            assert "，" in p.tgt
