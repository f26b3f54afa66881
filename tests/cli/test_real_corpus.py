"""Real corpora on the command line: unknown words, cut input, --test FILE, defaults
chosen from the corpus, and the shipped real-sentence model."""
import json
from pathlib import Path

import pytest

import main
from model.corpus import Corpus, SentencePair
from model.defaults import choose
from model.inference import Translator, check_source

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_DE = ROOT / "resources" / "checkpoints" / "en-de.safetensors"
SHIPPED_REAL = ROOT / "resources" / "checkpoints" / "tatoeba-en-de.safetensors"


def last_json(out: str) -> dict:
    return json.loads(out.strip().splitlines()[-1])


def test_translate_warns_once_per_sentence_with_unknown_words_and_keeps_blank_lines(capsys, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("The dog sleeps.\n\nThe astronaut sees the zyx.\n"))
    assert main.main(["translate", "--checkpoint", str(SHIPPED_DE), "--json"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0] == "Der Hund schläft." and lines[1] == ""  # the blank line stays
    warnings = [ln for ln in err.splitlines() if ln.startswith("warning:")]
    assert len(warnings) == 1 and "sentence 3" in warnings[0]
    assert "astronaut" in warnings[0] and "zyx" in warnings[0]
    rows = last_json(out)["translations"]
    assert rows[0]["unknown"] == [] and rows[1] == {"source": "", "translation": ""}
    assert rows[2]["unknown"] == ["astronaut", "zyx"] and rows[2]["cut_at"] is None


def test_inspect_warns_about_unknown_words(tmp_path, capsys):
    assert main.main(["inspect", "--checkpoint", str(SHIPPED_DE), "--out", str(tmp_path / "t.npz"),
                      "--json", "The astronaut sleeps."]) == 0
    out, err = capsys.readouterr()
    assert "astronaut" in err and last_json(out)["unknown"] == ["astronaut"]


def test_input_longer_than_the_model_reads_is_cut_and_says_where():
    tr = Translator.load(SHIPPED_DE)
    text = " ".join(["the dog sleeps ."] * 40)  # 160 tokens
    check = check_source(tr.src_tok, text, max_len=20)
    assert check.tokens == 160 and check.kept == 19
    assert check.cut_at == len(" ".join(["the dog sleeps ."] * 4)) + 1 + len("the dog sleeps ")  # at the 20th token, "."
    assert "cut at character" in check.messages()[0]
    assert check_source(tr.src_tok, "the dog sleeps .", max_len=20).ok


def test_unknown_characters_of_a_script_without_spaces_are_named_alone():
    tr = Translator.load(SHIPPED_DE)
    assert check_source(tr.src_tok, "the dog 睡觉", 64).unknown == ("睡", "觉")


def test_evaluate_scores_a_test_file_as_it_is(tmp_path, capsys):
    test = tmp_path / "held-out.tsv"
    pairs = [("The dog sleeps.", "Der Hund schläft."), ("The cat sleeps.", "Die Katze schläft."),
             ("The dog sleeps.", "Der Hund schläft.")]  # a duplicate stays: the file is scored as it is
    test.write_text("".join(f"{s}\t{t}\n" for s, t in pairs), encoding="utf-8")
    assert main.main(["evaluate", "--checkpoint", str(SHIPPED_DE), "--test", str(test), "--json"]) == 0
    result = last_json(capsys.readouterr().out)
    assert result["pairs"] == 3 and result["split"] == "file" and result["bleu"] > 90


def _corpus(name, src_lang, tgt_lang, pairs):
    pairs = [SentencePair(s, t) for s, t in pairs]
    return Corpus(name, src_lang, tgt_lang, pairs, [], [])


ZH = [("I eat rice.", "我吃米饭。"), ("You drink tea.", "你喝茶。"), ("He reads a book.", "他看书。"),
      ("We like cats.", "我们喜欢猫。"), ("She is a teacher.", "她是老师。"), ("They go home.", "他们回家。")]
DE = [("I eat rice.", "Ich esse Reis."), ("You drink tea.", "Du trinkst Tee."), ("He reads a book.", "Er liest ein Buch."),
      ("We like cats.", "Wir mögen Katzen."), ("She is a teacher.", "Sie ist Lehrerin."), ("They go home.", "Sie gehen nach Hause.")]


def test_default_tokenizers_follow_the_script_of_each_side():
    zh = choose(_corpus("eng-cmn.tsv", "en", "zh", ZH * 20), minutes=15, speed=20e9)
    de = choose(_corpus("eng-deu.tsv", "en", "de", DE * 20), minutes=15, speed=20e9)
    assert zh.tokenizer == ("bpe", "char") and zh.stats[1].script == "CJK" and not zh.stats[1].spaced
    assert de.tokenizer == ("bpe", "bpe") and de.stats[1].spaced
    assert zh.vocab_size[1] is None and de.vocab_size[1] >= 400
    assert any("without spaces" in r for r in zh.reasons)


def test_default_shape_grows_with_the_corpus_and_the_time_budget():
    many = _corpus("big.tsv", "en", "de", [(f"{s} {i}", f"{t} {i}") for i in range(4000) for s, t in DE])
    small = choose(many, minutes=2, speed=100e9)
    long = choose(many, minutes=120, speed=100e9)
    assert small.shape == "small" and long.shape != "small"
    assert choose(_corpus("tiny.tsv", "en", "de", DE * 10), minutes=120, speed=10e9).shape == "small"  # few pairs
    assert choose(_corpus("builtin:en-de", "en", "de", DE), minutes=120).tokenizer == ("word", "word")


def test_train_prints_and_reports_the_choice(tmp_path, capsys):
    corpus = tmp_path / "eng-cmn.tsv"
    corpus.write_text("".join(f"{s}\t{t}\n" for s, t in ZH * 10), encoding="utf-8")
    config = tmp_path / "tiny.json"
    config.write_text(json.dumps({"model": {"d_model": 32, "n_heads": 4, "n_layers": 1, "d_ff": 64}}))
    code = main.main(["train", "--corpus", str(corpus), "--steps", "2", "--config", str(config),
                      "--valid-size", "0", "--test-size", "0", "--out", str(tmp_path / "m.safetensors"),
                      "--device", "cpu", "--json"])
    assert code == 0
    out, err = capsys.readouterr()
    assert "chosen: tokenizer bpe" in err and "split: 6 training, 0 validation, 0 test pairs" in err  # duplicates left out
    choices = last_json(out)["choices"]
    assert choices["tokenizer"] == {"src": "bpe", "tgt": "char"} and choices["model"]["d_model"] == 32


def test_train_with_a_time_budget_measures_the_speed_and_reports_it(tmp_path, capsys):
    import torch

    corpus = tmp_path / "eng-deu.tsv"
    corpus.write_text("".join(f"{s}\t{t}\n" for s, t in DE * 10), encoding="utf-8")
    config = tmp_path / "tiny.json"
    config.write_text(json.dumps({"model": {"d_model": 16, "n_heads": 2, "n_layers": 1, "d_ff": 32}}))
    threads = torch.get_num_threads()
    try:
        code = main.main(["train", "--corpus", str(corpus), "--minutes", "0.01", "--config", str(config),
                          "--valid-size", "0", "--test-size", "0", "--out", str(tmp_path / "m.safetensors"),
                          "--device", "cpu", "--json"])
    finally:
        torch.set_num_threads(threads)  # the measurement sets the count training uses
    assert code == 0
    out, err = capsys.readouterr()
    assert "measured on this machine (cpu" in err
    choices = last_json(out)["choices"]
    assert choices["speed"]["source"] == "measured" and choices["speed"]["shapes"]["small"]["step_s"] > 0
    assert choices["expected_steps"] >= 0 and "replanned" in choices


@pytest.mark.skipif(not SHIPPED_REAL.is_file(), reason="the real-sentence model is not in this checkout")
def test_shipped_real_model_translates_everyday_sentences():
    tr = Translator.load(SHIPPED_REAL)
    assert tr.src_tok.kind == "bpe" and tr.tgt_tok.lang == "de"
    got = tr.translate(["I love you.", "I'm hungry.", "The children are playing in the garden.",
                        "This soup is too hot.", "The dog is sleeping under the table."])
    assert got == ["Ich liebe dich.", "Ich habe Hunger.", "Die Kinder spielen im Garten.",
                   "Diese Suppe ist zu heiß.", "Der Hund schläft unter dem Tisch."]
    # subwords: no English word is unknown
    assert check_source(tr.src_tok, "The astronaut repaired the satellite yesterday.", 64).ok


def test_the_target_language_of_a_two_language_file_name_is_the_other_code():
    from model.loaders import guess_language

    assert guess_language("eng-cmn.tsv", [], "und", other="en") == "zh"
    assert guess_language("tatoeba-en-de.train.tsv", [], "und", other="en") == "de"
    assert guess_language("my-pairs.tsv", [], "und", other="en") == "und"


def test_keep_saves_keeps_the_last_periodic_saves(tmp_path):
    config = tmp_path / "tiny.json"
    config.write_text(json.dumps({"model": {"d_model": 16, "n_heads": 2, "n_layers": 1, "d_ff": 32},
                                  "train": {"eval_every": 0, "eval_sentences": 5}}))
    out = tmp_path / "run" / "m.safetensors"
    assert main.main(["train", "--corpus", "builtin:en-de:300", "--steps", "6", "--save-every", "2",
                      "--keep-saves", "2", "--config", str(config), "--out", str(out), "--device", "cpu"]) == 0
    assert sorted(p.name for p in out.parent.glob("m.step*.safetensors")) == ["m.step4.safetensors",
                                                                             "m.step6.safetensors"]
