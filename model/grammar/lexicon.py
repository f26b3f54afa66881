"""The shared lexicon of the built-in grammars: each word with its English, German and
Chinese forms, its German gender and inflection, its Chinese measure word and a semantic
category (used to colour clusters in the embedding projector).

Every entry is a small frozen dataclass compared by identity (eq=False keeps hashing
cheap: the sampler looks entries up in caches thousands of times per second).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, eq=False)
class Noun:
    """A noun. ``en_pl is None`` marks a mass noun (no plural, no "a", no numbers).

    de_gen: genitive singular (used when the noun is a possessor, "des Lehrers").
    de_obl: accusative/dative/genitive singular of weak nouns ("den Jungen"); "" otherwise.
    de_to: the German preposition for "to the X" ("in" + acc, "zu" + dat, "auf" + acc).
    de_in: the German preposition for "in the X" ("in", or "auf" for a market).
    tags: what the noun can do or have done to it; verbs and prepositions select by tag.
        Persons take "my" or "the teacher's" only when tagged "ownable" ("my friend").
    """

    en: str
    en_pl: str | None
    de: str
    gender: str
    de_pl: str | None
    zh: str
    measure: str | None
    category: str
    tags: frozenset[str]
    de_gen: str = ""
    de_obl: str = ""
    de_to: str = "in"
    de_in: str = "in"

    @property
    def mass(self) -> bool:
        return self.en_pl is None

    @property
    def de_dat_pl(self) -> str:
        """Dative plural: the plural plus -n unless it already ends in -n or -s."""
        pl = self.de_pl or self.de
        return pl if pl.endswith(("n", "s")) else pl + "n"

    @property
    def animate(self) -> bool:
        return self.category in ("animal", "person")


@dataclass(frozen=True, eq=False)
class Verb:
    """A verb. kind: "tr" (accusative object), "dat" (dative object), "intr",
    "motion" (goes *to* a place) or "clause" (takes a that-clause).

    en_past is None where the English past equals the present ("read"), which would make
    the English ambiguous; such verbs are never put in the past.
    stative: no Chinese 了 and no English perfect ("likes", "loves").
    zh_to: the Chinese verb when a destination follows ("来到公园"); "" = zh.
    """

    en: str
    en_s: str
    en_past: str | None
    en_pp: str
    de: str
    de_1sg: str
    de_3sg: str
    de_pp: str
    de_aux: str
    zh: str
    kind: str
    subj: frozenset[str]
    obj: frozenset[str]
    loc: bool
    comp: bool
    category: str
    stative: bool = False
    zh_to: str = ""


@dataclass(frozen=True, eq=False)
class Adj:
    """An adjective. de_stem takes the endings ("teur" + "e"); de is the predicative form.

    zh_attr: the Chinese words before a noun (("大",) or ("漂亮", "的")); zh_pred: after 很.
    colour adjectives are predicated with 是...的 in Chinese instead of 很.
    zh_attr_inanimate / zh_pred_inanimate: a different Chinese word for things ("old":
    老 for animals, 旧 for things).
    """

    en: str
    de: str
    de_stem: str
    zh_attr: tuple[str, ...]
    zh_pred: str
    category: str
    applies: frozenset[str]
    colour: bool = False
    zh_attr_inanimate: tuple[str, ...] = ()
    zh_pred_inanimate: str = ""


@dataclass(frozen=True, eq=False)
class Prep:
    """A locative preposition: English words, German (always + dative), Chinese 在 ... post."""

    en: tuple[str, ...]
    de: str
    zh_post: str
    tag: str


@dataclass(frozen=True, eq=False)
class Time:
    """A time adverbial. de and zh list (word, class, indices of the English words it
    translates). tenses: the tenses it fits. after_aux: English puts it after the
    auxiliary ("has already eaten") instead of at the end."""

    en: tuple[str, ...]
    en_classes: tuple[str, ...]
    de: tuple[tuple[str, str, tuple[int, ...]], ...]
    zh: tuple[tuple[str, str, tuple[int, ...]], ...]
    tenses: frozenset[str]
    frontable: bool = True
    after_aux: bool = False


@dataclass(frozen=True, eq=False)
class Pronoun:
    """A personal pronoun: English subject/object/possessive, German nominative,
    accusative, dative and possessive stem, Chinese; agreement "1sg", "3sg", "1pl", "3pl"."""

    en: str
    en_obj: str
    en_poss: str
    de: str
    de_acc: str
    de_dat: str
    de_poss: str
    zh: str
    agr: str


def _tags(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _noun(en, en_pl, de, gender, de_pl, zh, measure, category, tags, **extra) -> Noun:
    return Noun(en, en_pl, de, gender, de_pl, zh, measure, category,
                _tags(f"{category} {tags}"), **extra)


ANIMAL_TAGS = "see hear like draw find feed chase catch help"
PERSON_TAGS = "see hear like draw find chase help love visit thank possessor"
OWNED_PERSON = PERSON_TAGS + " ownable"

NOUNS: tuple[Noun, ...] = (
    _noun("dog", "dogs", "Hund", "m", "Hunde", "狗", "只", "animal", ANIMAL_TAGS + " love"),
    _noun("cat", "cats", "Katze", "f", "Katzen", "猫", "只", "animal", ANIMAL_TAGS + " love"),
    _noun("bird", "birds", "Vogel", "m", "Vögel", "鸟", "只", "animal", ANIMAL_TAGS),
    _noun("horse", "horses", "Pferd", "n", "Pferde", "马", "匹", "animal", ANIMAL_TAGS + " wash"),
    _noun("cow", "cows", "Kuh", "f", "Kühe", "牛", "头", "animal", ANIMAL_TAGS),
    _noun("mouse", "mice", "Maus", "f", "Mäuse", "老鼠", "只", "animal", ANIMAL_TAGS),
    _noun("rabbit", "rabbits", "Kaninchen", "n", "Kaninchen", "兔子", "只", "animal", ANIMAL_TAGS),
    _noun("duck", "ducks", "Ente", "f", "Enten", "鸭子", "只", "animal", ANIMAL_TAGS),
    _noun("pig", "pigs", "Schwein", "n", "Schweine", "猪", "头", "animal", ANIMAL_TAGS),
    _noun("man", "men", "Mann", "m", "Männer", "男人", "个", "person", PERSON_TAGS,
          de_gen="Mannes"),
    _noun("woman", "women", "Frau", "f", "Frauen", "女人", "个", "person", PERSON_TAGS,
          de_gen="Frau"),
    _noun("child", "children", "Kind", "n", "Kinder", "孩子", "个", "person", OWNED_PERSON,
          de_gen="Kindes"),
    _noun("girl", "girls", "Mädchen", "n", "Mädchen", "女孩", "个", "person", PERSON_TAGS,
          de_gen="Mädchens"),
    _noun("boy", "boys", "Junge", "m", "Jungen", "男孩", "个", "person", PERSON_TAGS,
          de_gen="Jungen", de_obl="Jungen"),
    _noun("teacher", "teachers", "Lehrer", "m", "Lehrer", "老师", "位", "person", OWNED_PERSON,
          de_gen="Lehrers"),
    _noun("doctor", "doctors", "Arzt", "m", "Ärzte", "医生", "位", "person", OWNED_PERSON,
          de_gen="Arztes"),
    _noun("student", "students", "Student", "m", "Studenten", "学生", "个", "person",
          PERSON_TAGS, de_gen="Studenten", de_obl="Studenten"),
    _noun("friend", "friends", "Freund", "m", "Freunde", "朋友", "个", "person", OWNED_PERSON,
          de_gen="Freundes"),
    _noun("baker", "bakers", "Bäcker", "m", "Bäcker", "面包师", "位", "person", PERSON_TAGS,
          de_gen="Bäckers"),
    _noun("apple", "apples", "Apfel", "m", "Äpfel", "苹果", "个", "food",
          "eat buy like find carry wash draw"),
    _noun("egg", "eggs", "Ei", "n", "Eier", "鸡蛋", "个", "food", "eat buy like find cook"),
    _noun("banana", "bananas", "Banane", "f", "Bananen", "香蕉", "根", "food",
          "eat buy like find carry"),
    _noun("cake", "cakes", "Kuchen", "m", "Kuchen", "蛋糕", "块", "food", "eat buy like cook"),
    _noun("pear", "pears", "Birne", "f", "Birnen", "梨", "个", "food",
          "eat buy like find wash"),
    _noun("bread", None, "Brot", "n", None, "面包", None, "food", "eat buy like"),
    _noun("fish", None, "Fisch", "m", None, "鱼", None, "food", "eat buy like cook"),
    _noun("rice", None, "Reis", "m", None, "米饭", None, "food", "eat buy like cook"),
    _noun("soup", None, "Suppe", "f", None, "汤", None, "food", "eat like cook"),
    _noun("cheese", None, "Käse", "m", None, "奶酪", None, "food", "eat buy like"),
    _noun("meat", None, "Fleisch", "n", None, "肉", None, "food", "eat buy like cook"),
    _noun("water", None, "Wasser", "n", None, "水", None, "drink", "drink buy like"),
    _noun("milk", None, "Milch", "f", None, "牛奶", None, "drink", "drink buy like"),
    _noun("tea", None, "Tee", "m", None, "茶", None, "drink", "drink buy like"),
    _noun("coffee", None, "Kaffee", "m", None, "咖啡", None, "drink", "drink buy like"),
    _noun("juice", None, "Saft", "m", None, "果汁", None, "drink", "drink buy like"),
    _noun("book", "books", "Buch", "n", "Bücher", "书", "本", "object",
          "read write open carry buy find draw like coloured"),
    _noun("letter", "letters", "Brief", "m", "Briefe", "信", "封", "object",
          "read write open carry find"),
    _noun("newspaper", "newspapers", "Zeitung", "f", "Zeitungen", "报纸", "份", "object",
          "read carry buy find"),
    _noun("ball", "balls", "Ball", "m", "Bälle", "球", "个", "object",
          "carry buy find catch draw wash like coloured"),
    _noun("box", "boxes", "Kiste", "f", "Kisten", "箱子", "个", "object",
          "open carry buy find on coloured"),
    _noun("door", "doors", "Tür", "f", "Türen", "门", "扇", "object",
          "open draw wash next behind front coloured"),
    _noun("window", "windows", "Fenster", "n", "Fenster", "窗户", "扇", "object",
          "open wash draw next front"),
    _noun("table", "tables", "Tisch", "m", "Tische", "桌子", "张", "object",
          "buy wash draw on under next coloured"),
    _noun("chair", "chairs", "Stuhl", "m", "Stühle", "椅子", "把", "object",
          "buy wash draw on under next coloured"),
    _noun("bed", "beds", "Bett", "n", "Betten", "床", "张", "object",
          "buy on under next"),
    _noun("car", "cars", "Auto", "n", "Autos", "车", "辆", "object",
          "buy wash draw find like in under next behind front coloured"),
    _noun("bag", "bags", "Tasche", "f", "Taschen", "包", "个", "object",
          "open carry buy find coloured"),
    _noun("cup", "cups", "Tasse", "f", "Tassen", "杯子", "个", "object",
          "carry buy wash find coloured"),
    _noun("picture", "pictures", "Bild", "n", "Bilder", "画", "幅", "object",
          "draw buy find like"),
    _noun("key", "keys", "Schlüssel", "m", "Schlüssel", "钥匙", "把", "object",
          "carry buy find"),
    _noun("flower", "flowers", "Blume", "f", "Blumen", "花", "朵", "plant",
          "buy draw find like carry coloured"),
    _noun("tree", "trees", "Baum", "m", "Bäume", "树", "棵", "plant",
          "draw on under next behind front"),
    _noun("house", "houses", "Haus", "n", "Häuser", "房子", "座", "place",
          "draw buy like in next behind front"),
    _noun("garden", "gardens", "Garten", "m", "Gärten", "花园", "个", "place",
          "like in dest draw"),
    _noun("park", "parks", "Park", "m", "Parks", "公园", "个", "place", "like in dest"),
    _noun("school", "schools", "Schule", "f", "Schulen", "学校", "所", "place",
          "in dest next behind front", de_to="zu"),
    _noun("city", "cities", "Stadt", "f", "Städte", "城市", "座", "place", "like in dest"),
    _noun("kitchen", "kitchens", "Küche", "f", "Küchen", "厨房", "个", "place", "in dest"),
    _noun("river", "rivers", "Fluss", "m", "Flüsse", "河", "条", "place",
          "draw in next"),
    _noun("forest", "forests", "Wald", "m", "Wälder", "森林", "片", "place",
          "like draw in dest"),
    _noun("market", "markets", "Markt", "m", "Märkte", "市场", "个", "place",
          "in dest", de_to="auf", de_in="auf"),
    _noun("village", "villages", "Dorf", "n", "Dörfer", "村子", "个", "place",
          "like draw in dest"),
)


def _verb(en, en_s, en_past, en_pp, de, de_1sg, de_3sg, de_pp, aux, zh, kind, subj, obj,
          category, loc=True, comp=False, stative=False, zh_to="") -> Verb:
    return Verb(en, en_s, en_past, en_pp, de, de_1sg, de_3sg, de_pp, aux, zh, kind,
                _tags(subj), _tags(obj), loc, comp, category, stative, zh_to)


ANIMATE = "animal person"
VERBS: tuple[Verb, ...] = (
    _verb("see", "sees", "saw", "seen", "sehen", "sehe", "sieht", "gesehen", "haben", "看见",
          "tr", ANIMATE, "see", "perception"),
    _verb("hear", "hears", "heard", "heard", "hören", "höre", "hört", "gehört", "haben", "听见",
          "tr", ANIMATE, "hear", "perception"),
    _verb("eat", "eats", "ate", "eaten", "essen", "esse", "isst", "gegessen", "haben", "吃",
          "tr", ANIMATE, "eat", "eating"),
    _verb("drink", "drinks", "drank", "drunk", "trinken", "trinke", "trinkt", "getrunken",
          "haben", "喝", "tr", ANIMATE, "drink", "eating"),
    _verb("cook", "cooks", "cooked", "cooked", "kochen", "koche", "kocht", "gekocht", "haben",
          "做", "tr", "person", "cook", "eating"),
    _verb("read", "reads", None, "read", "lesen", "lese", "liest", "gelesen", "haben", "读",
          "tr", "person", "read", "communication"),
    _verb("write", "writes", "wrote", "written", "schreiben", "schreibe", "schreibt",
          "geschrieben", "haben", "写", "tr", "person", "write", "communication"),
    _verb("buy", "buys", "bought", "bought", "kaufen", "kaufe", "kauft", "gekauft", "haben",
          "买", "tr", "person", "buy", "action", loc=False),
    _verb("find", "finds", "found", "found", "finden", "finde", "findet", "gefunden", "haben",
          "找到", "tr", ANIMATE, "find", "action"),
    _verb("open", "opens", "opened", "opened", "öffnen", "öffne", "öffnet", "geöffnet",
          "haben", "打开", "tr", "person", "open", "action", loc=False),
    _verb("wash", "washes", "washed", "washed", "waschen", "wasche", "wäscht", "gewaschen",
          "haben", "洗", "tr", "person", "wash", "action"),
    _verb("draw", "draws", "drew", "drawn", "zeichnen", "zeichne", "zeichnet", "gezeichnet",
          "haben", "画", "tr", "person", "draw", "action"),
    _verb("carry", "carries", "carried", "carried", "tragen", "trage", "trägt", "getragen",
          "haben", "拿", "tr", "person", "carry", "action"),
    _verb("catch", "catches", "caught", "caught", "fangen", "fange", "fängt", "gefangen",
          "haben", "抓", "tr", ANIMATE, "catch", "action"),
    _verb("chase", "chases", "chased", "chased", "jagen", "jage", "jagt", "gejagt", "haben",
          "追", "tr", ANIMATE, "chase", "action"),
    _verb("feed", "feeds", "fed", "fed", "füttern", "füttere", "füttert", "gefüttert", "haben",
          "喂", "tr", "person", "feed", "action"),
    _verb("visit", "visits", "visited", "visited", "besuchen", "besuche", "besucht", "besucht",
          "haben", "看望", "tr", "person", "visit", "action", loc=False),
    _verb("like", "likes", "liked", "liked", "mögen", "mag", "mag", "gemocht", "haben", "喜欢",
          "tr", ANIMATE, "like", "feeling", loc=False, stative=True),
    _verb("love", "loves", "loved", "loved", "lieben", "liebe", "liebt", "geliebt", "haben",
          "爱", "tr", "person", "love", "feeling", loc=False, stative=True),
    _verb("help", "helps", "helped", "helped", "helfen", "helfe", "hilft", "geholfen", "haben",
          "帮助", "dat", ANIMATE, "help", "action"),
    _verb("thank", "thanks", "thanked", "thanked", "danken", "danke", "dankt", "gedankt",
          "haben", "感谢", "dat", "person", "thank", "communication", loc=False),
    _verb("sleep", "sleeps", "slept", "slept", "schlafen", "schlafe", "schläft", "geschlafen",
          "haben", "睡觉", "intr", ANIMATE, "", "rest"),
    _verb("play", "plays", "played", "played", "spielen", "spiele", "spielt", "gespielt",
          "haben", "玩", "intr", ANIMATE, "", "action", comp=True),
    _verb("work", "works", "worked", "worked", "arbeiten", "arbeite", "arbeitet", "gearbeitet",
          "haben", "工作", "intr", "person", "", "action", comp=True),
    _verb("sing", "sings", "sang", "sung", "singen", "singe", "singt", "gesungen", "haben",
          "唱歌", "intr", "person", "", "communication", comp=True),
    _verb("dance", "dances", "danced", "danced", "tanzen", "tanze", "tanzt", "getanzt", "haben",
          "跳舞", "intr", "person", "", "motion", comp=True),
    _verb("laugh", "laughs", "laughed", "laughed", "lachen", "lache", "lacht", "gelacht",
          "haben", "笑", "intr", "person", "", "feeling"),
    _verb("wait", "waits", "waited", "waited", "warten", "warte", "wartet", "gewartet", "haben",
          "等待", "intr", ANIMATE, "", "rest"),
    _verb("swim", "swims", "swam", "swum", "schwimmen", "schwimme", "schwimmt", "geschwommen",
          "sein", "游泳", "intr", ANIMATE, "", "motion", loc=False, comp=True),
    _verb("run", "runs", "ran", "run", "laufen", "laufe", "läuft", "gelaufen", "sein", "跑",
          "intr", ANIMATE, "", "motion", comp=True),
    _verb("go", "goes", "went", "gone", "gehen", "gehe", "geht", "gegangen", "sein", "去",
          "motion", ANIMATE, "dest", "motion", loc=False, comp=True),
    _verb("come", "comes", "came", "come", "kommen", "komme", "kommt", "gekommen", "sein", "来",
          "motion", ANIMATE, "dest", "motion", loc=False, comp=True, zh_to="来到"),
    _verb("say", "says", "said", "said", "sagen", "sage", "sagt", "gesagt", "haben", "说",
          "clause", "person", "", "communication", loc=False),
    _verb("know", "knows", "knew", "known", "wissen", "weiß", "weiß", "gewusst", "haben",
          "知道", "clause", "person", "", "thinking", loc=False),
    _verb("think", "thinks", "thought", "thought", "glauben", "glaube", "glaubt", "geglaubt",
          "haben", "觉得", "clause", "person", "", "thinking", loc=False),
    _verb("hope", "hopes", "hoped", "hoped", "hoffen", "hoffe", "hofft", "gehofft", "haben",
          "希望", "clause", "person", "", "feeling", loc=False),
)


def _adj(en, de, de_stem, zh_attr, zh_pred, category, applies, **extra) -> Adj:
    return Adj(en, de, de_stem, tuple(zh_attr.split()), zh_pred, category, _tags(applies),
               **extra)


OBJECTS = "object plant place"
ADJECTIVES: tuple[Adj, ...] = (
    _adj("big", "groß", "groß", "大", "大", "size", "animal " + OBJECTS),
    _adj("small", "klein", "klein", "小", "小", "size", "animal " + OBJECTS),
    _adj("old", "alt", "alt", "老", "老", "age", "animal object",
         zh_attr_inanimate=("旧",), zh_pred_inanimate="旧"),
    _adj("young", "jung", "jung", "年轻 的", "年轻", "age", "person"),
    _adj("new", "neu", "neu", "新", "新", "age", "object place"),
    _adj("beautiful", "schön", "schön", "漂亮 的", "漂亮", "quality", "animal " + OBJECTS),
    _adj("expensive", "teuer", "teur", "昂贵 的", "贵", "quality", "object"),
    _adj("cheap", "billig", "billig", "便宜 的", "便宜", "quality", "object"),
    _adj("fresh", "frisch", "frisch", "新鲜 的", "新鲜", "quality", "food"),
    _adj("hungry", "hungrig", "hungrig", "饥饿 的", "饿", "state", "animal person"),
    _adj("tired", "müde", "müd", "疲倦 的", "累", "state", "animal person"),
    _adj("happy", "glücklich", "glücklich", "快乐 的", "高兴", "state", "animal person"),
    _adj("hot", "heiß", "heiß", "热", "热", "temperature", "drink"),
    _adj("cold", "kalt", "kalt", "冷", "冷", "temperature", "drink"),
    _adj("red", "rot", "rot", "红色 的", "红色", "colour", "coloured", colour=True),
    _adj("blue", "blau", "blau", "蓝色 的", "蓝色", "colour", "coloured", colour=True),
    _adj("green", "grün", "grün", "绿色 的", "绿色", "colour", "coloured plant", colour=True),
    _adj("yellow", "gelb", "gelb", "黄色 的", "黄色", "colour", "coloured", colour=True),
    _adj("black", "schwarz", "schwarz", "黑色 的", "黑色", "colour", "animal coloured",
         colour=True),
    _adj("white", "weiß", "weiß", "白色 的", "白色", "colour", "animal coloured",
         colour=True),
)

PREPOSITIONS: tuple[Prep, ...] = (
    Prep(("in",), "in", "里", "in"),
    Prep(("on",), "auf", "上", "on"),
    Prep(("under",), "unter", "下面", "under"),
    Prep(("next", "to"), "neben", "旁边", "next"),
    Prep(("behind",), "hinter", "后面", "behind"),
    Prep(("in", "front", "of"), "vor", "前面", "front"),
)

PRES, PERF, PAST = "pres", "perf", "past"
TIMES: tuple[Time, ...] = (
    Time(("today",), ("adv",), (("heute", "adv", (0,)),), (("今天", "adv", (0,)),),
         frozenset({PRES, PERF, PAST})),
    Time(("now",), ("adv",), (("jetzt", "adv", (0,)),), (("现在", "adv", (0,)),),
         frozenset({PRES})),
    Time(("every", "day"), ("det", "noun"), (("jeden", "det", (0,)), ("Tag", "noun", (1,))),
         (("每天", "adv", (0, 1)),), frozenset({PRES})),
    Time(("in", "the", "morning"), ("prep", "det", "noun"),
         (("am", "prep", (0, 1)), ("Morgen", "noun", (2,))), (("早上", "adv", (0, 1, 2)),),
         frozenset({PRES, PAST})),
    Time(("in", "the", "evening"), ("prep", "det", "noun"),
         (("am", "prep", (0, 1)), ("Abend", "noun", (2,))), (("晚上", "adv", (0, 1, 2)),),
         frozenset({PRES, PAST})),
    Time(("yesterday",), ("adv",), (("gestern", "adv", (0,)),), (("昨天", "adv", (0,)),),
         frozenset({PAST})),
    Time(("last", "week"), ("adj", "noun"), (("letzte", "adj", (0,)), ("Woche", "noun", (1,))),
         (("上星期", "adv", (0, 1)),), frozenset({PAST})),
    Time(("already",), ("adv",), (("schon", "adv", (0,)),), (("已经", "adv", (0,)),),
         frozenset({PERF}), frontable=False, after_aux=True),
)

PRONOUNS: tuple[Pronoun, ...] = (
    Pronoun("I", "me", "my", "ich", "mich", "mir", "mein", "我", "1sg"),
    Pronoun("he", "him", "his", "er", "ihn", "ihm", "sein", "他", "3sg"),
    Pronoun("she", "her", "her", "sie", "sie", "ihr", "ihr", "她", "3sg"),
    Pronoun("we", "us", "our", "wir", "uns", "uns", "unser", "我们", "1pl"),
    Pronoun("they", "them", "their", "sie", "sie", "ihnen", "ihr", "他们", "3pl"),
)

# (English, German, Chinese) for the numbers used as determiners.
NUMBERS: tuple[tuple[str, str, str], ...] = (
    ("two", "zwei", "两"), ("three", "drei", "三"), ("four", "vier", "四"), ("five", "fünf", "五"),
)
