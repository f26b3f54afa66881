"""`python main.py corpus ...`: report, JSON summary and errors."""
import json
import subprocess
import sys
from pathlib import Path

import main
from model.corpus import load_corpus

ROOT = Path(__file__).resolve().parents[2]


def test_json_summary_of_a_builtin_corpus(capsys):
    code = main.main(["corpus", "builtin:en-de:400", "--sample", "2", "--json"])
    out = capsys.readouterr().out
    assert code == 0
    summary = json.loads(out.strip().splitlines()[-1])
    corpus = load_corpus("builtin:en-de:400")
    pairs = corpus.all_pairs()
    assert summary["pairs"] == 400 and summary["skipped"] == 0
    assert summary["splits"] == {"train": len(corpus.train), "valid": len(corpus.valid),
                                 "test": len(corpus.test)}
    assert summary["max_len"] == max(max(len(p.src_words), len(p.tgt_words)) for p in pairs)
    assert sum(summary["length_histogram"]["src"].values()) == 400
    for side, texts in (("src_vocab", [p.src for p in corpus.train]),
                        ("tgt_vocab", [p.tgt for p in corpus.train])):
        sizes = summary[side]
        assert set(sizes) == {"word", "char", "bpe"}
        # Every distinct character is a char token; 4 special tokens come on top.
        assert sizes["char"] >= len(set("".join(texts)) - {" "}) + 4
        assert sizes["word"] > sizes["char"]
    assert len(summary["samples"]) == 2
    # The human report shows the alignments readably.
    assert "alignment:" in out and "->" in out


def test_report_of_a_file_with_skipped_lines(tmp_path, capsys):
    path = tmp_path / "deu.txt"
    path.write_bytes(b"Hi.\tHallo.\nbroken line\nRun!\tLauf!\n")
    assert main.main(["corpus", str(path), "--sample", "1", "--json"]) == 0
    out = capsys.readouterr().out
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["pairs"] == 2 and summary["skipped"] == 1
    assert summary["skipped_examples"][0][1] == 2 and "deu.txt:2" in out


def test_two_files_and_options(tmp_path, capsys):
    (tmp_path / "x.en").write_text("one two three\nfour\nfive six\n", encoding="utf-8")
    (tmp_path / "x.de").write_text("eins zwei drei\nvier\nfünf sechs\n", encoding="utf-8")
    code = main.main(["corpus", str(tmp_path / "x.en"), str(tmp_path / "x.de"),
                      "--max-len", "2", "--json"])
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert code == 0 and summary["pairs"] == 2 and summary["filtered"] == 1
    assert summary["max_len"] == 2


def test_bad_file_exits_non_zero_with_one_line_on_stderr(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_bytes(b"\x00\x01\x02binary\n")
    result = subprocess.run([sys.executable, "main.py", "corpus", str(bad)], cwd=ROOT, check=False,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1 and "bad.tsv" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file_and_bad_option(tmp_path, capsys):
    assert main.main(["corpus", str(tmp_path / "missing.tsv")]) != 0
    assert main.main(["corpus", "builtin:en-de:100", "--max-pairs", "0"]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "missing.tsv" in err[0] and "max-pairs" in err[1]


def test_held_out_sizes_as_train_takes_them(tmp_path, capsys):
    path = tmp_path / "pairs.tsv"
    path.write_text("".join(f"word{i} here.\tWort{i} hier.\n" for i in range(300)), encoding="utf-8")
    assert main.main(["corpus", str(path), "--valid-size", "0", "--test-size", "7", "--json"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out.strip().splitlines()[-1])["splits"] == {"train": 293, "valid": 0, "test": 7}
    assert "(train 293, valid 0, test 7)" in out
    assert main.main(["corpus", str(path), "--valid-size", "-1"]) != 0
    assert "--valid-size must be 0 or more" in capsys.readouterr().err
