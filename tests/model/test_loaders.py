"""Corpora from files: formats, options, streaming, and bad input that never crashes."""
import os
import tempfile
import time
import tracemalloc

import pytest
from hypothesis import given
from hypothesis import strategies as st

from model.corpus import Corpus, CorpusError, load_corpus
from model.loaders import MAX_LINE_BYTES, count_words
from tests.fuzz import fuzz


def write(path, data: bytes):
    path.write_bytes(data)
    return str(path)


def line_count(data: bytes) -> int:
    """Lines as a reader sees them: a last line without a newline still counts."""
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def test_tatoeba_export_with_attribution(tmp_path):
    data = (b"Hi.\tHallo!\tCC-BY 2.0 (France) Attribution: tatoeba.org #538123 (CM)\n"
            b"Run!\tLauf!\tCC-BY 2.0 (France) Attribution: tatoeba.org #906328\n"
            b"I  see\t Ich sehe  \n")
    corpus = load_corpus(write(tmp_path / "deu.txt", data))
    assert (corpus.src_lang, corpus.tgt_lang) == ("en", "de")
    assert {(p.src, p.tgt) for p in corpus.all_pairs()} == {
        ("Hi.", "Hallo!"), ("Run!", "Lauf!"), ("I see", "Ich sehe")}
    assert corpus.skipped == 0 and not corpus.has_alignments


def test_chinese_tsv_is_recognised(tmp_path):
    data = "I love you.\t我爱你。\nGo.\t走。\n".encode()
    corpus = load_corpus(write(tmp_path / "pairs.tsv", data))
    assert corpus.tgt_lang == "zh"
    assert count_words("我爱你。") == 4 and count_words("Hallo  Welt") == 2


def test_bad_lines_are_skipped_counted_and_located(tmp_path):
    data = (b"\xef\xbb\xbfGood.\tGut.\r\n"  # BOM and CRLF are fine
            b"no tab on this line\n"
            b"caf\xe9\tnot utf-8\n"
            b"\n"
            b"\tempty source\n"
            b"Yes.\tJa.\n")
    corpus = load_corpus(write(tmp_path / "mixed.tsv", data))
    assert sorted(p.src for p in corpus.all_pairs()) == ["Good.", "Yes."]
    assert corpus.skipped == 4
    lines = [(line, reason.split()[0]) for _, line, reason in corpus.skipped_examples]
    assert lines == [(2, "no"), (3, "not"), (4, "blank"), (5, "one")]
    assert all(path.endswith("mixed.tsv") for path, _, _ in corpus.skipped_examples)
    assert "0xe9" in corpus.skipped_examples[1][2]


def test_max_pairs_max_len_and_dedupe(tmp_path):
    lines = [f"word {i}\tWort {i}" for i in range(50)] + ["word 1\tWort 1"] * 3 \
        + ["a very long source sentence indeed\tkurz"]
    path = write(tmp_path / "d.tsv", "\n".join(lines).encode())
    assert len(load_corpus(path, max_pairs=10)) == 10
    corpus = load_corpus(path, max_len=3)
    assert len(corpus) == 50 and corpus.filtered == 4
    assert len(load_corpus(path, dedupe=False)) == 54


def test_line_aligned_files(tmp_path):
    src = write(tmp_path / "train.en", b"one\ntwo\n\nfour\n")
    tgt = write(tmp_path / "train.de", b"eins\nzwei\n\nvier\n")
    corpus = load_corpus([src, tgt])
    assert (corpus.src_lang, corpus.tgt_lang) == ("en", "de")
    assert sorted((p.src, p.tgt) for p in corpus.all_pairs()) == [
        ("four", "vier"), ("one", "eins"), ("two", "zwei")]
    assert corpus.skipped == 1 and corpus.skipped_examples[0][1] == 3


def test_files_of_different_length_name_the_file_and_line(tmp_path):
    src = write(tmp_path / "a.en", b"one\ntwo\nthree\n")
    tgt = write(tmp_path / "a.de", b"eins\nzwei\n")
    with pytest.raises(CorpusError) as info:
        load_corpus([src, tgt])
    message = str(info.value)
    assert "a.de" in message and "line 3" in message and "\n" not in message


@pytest.mark.parametrize("name, data, words", [
    ("empty.tsv", b"", "empty"),
    ("binary.bin", b"PK\x03\x04\x00\x00\x10\x00\tzip\n", "NUL"),
    ("tabless.txt", b"just text\nmore text\n", "no usable"),
])
def test_unusable_files_raise_one_line_errors(tmp_path, name, data, words):
    path = write(tmp_path / name, data)
    with pytest.raises(CorpusError) as info:
        load_corpus(path)
    assert name in str(info.value) and words in str(info.value) and "\n" not in str(info.value)


def test_missing_file_and_directory(tmp_path):
    for spec in (str(tmp_path / "nope.tsv"), str(tmp_path)):
        with pytest.raises(CorpusError, match="no such file|directory"):
            load_corpus(spec)


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_devices_are_refused_at_once(special):
    if not os.path.exists(special):
        pytest.skip(f"no {special} here")
    start = time.perf_counter()
    with pytest.raises(CorpusError, match="not a regular file"):
        load_corpus(special)
    assert time.perf_counter() - start < 2


def test_a_pipe_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "pipe.tsv"
    os.mkfifo(fifo)
    with pytest.raises(CorpusError, match="not a regular file"):
        load_corpus(str(fifo))


def test_a_line_longer_than_the_cap_names_the_line_and_reads_no_further(tmp_path):
    path = write(tmp_path / "long.tsv", b"a\tb\n" * 3 + b"x" * (MAX_LINE_BYTES * 50) + b"\n")
    tracemalloc.start()
    try:
        with pytest.raises(CorpusError, match=r"line 4 is longer than 64 KiB") as err:
            load_corpus(str(path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(path) in str(err.value) and peak < 8 * MAX_LINE_BYTES
    # a line just under the cap is an ordinary (skipped) line
    ok = write(tmp_path / "ok.tsv", b"a\tb\n" * 3 + b"y" * (MAX_LINE_BYTES - 10) + b"\n")
    assert load_corpus(str(ok)).skipped == 1


def test_reading_and_encoding_a_corpus_can_be_called_off_from_another_thread(tmp_path):
    import threading

    from model.pairs import Cancelled, cancellable
    from model.train import encode_pairs
    from tests.tiny import tiny_trainer

    path = write(tmp_path / "many.tsv", b"".join(b"a %d\tb %d\n" % (i, i) for i in range(2000)))
    trainer = tiny_trainer()
    event = threading.Event()
    with cancellable(event):
        assert len(load_corpus(path)) == 2000  # not called off: read in full
        event.set()
        with pytest.raises(Cancelled):
            load_corpus(path)
        with pytest.raises(Cancelled):
            encode_pairs(trainer.corpus.train, trainer.src_tok, trainer.tgt_tok, 40)
    assert len(load_corpus(path)) == 2000  # outside the block the event means nothing


def test_the_corpus_modules_import_no_loop():
    """SentencePair and CorpusError live in model/pairs.py, below corpus, loaders and the
    grammars: loaders and grammar never import model.corpus."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "model"
    for path in [root / "pairs.py", root / "loaders.py", *sorted((root / "grammar").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert node.module != "model.corpus", path


def test_reading_the_head_of_a_large_file_is_streamed(tmp_path):
    path = tmp_path / "big.tsv"
    with open(path, "wb") as fh:
        fh.write(b"The cat sleeps.\tDie Katze schl\xc3\xa4ft.\n" * 600_000)  # ~22 MB
    tracemalloc.start()
    start = time.perf_counter()
    corpus = load_corpus(str(path), max_pairs=100, dedupe=False)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(corpus) == 100
    assert peak < 2_000_000 and elapsed < 2.0  # the whole file would be ~22 MB


def check_loaded(load, paths, total_lines):
    """A loader either raises a one-line CorpusError naming a file, or returns a Corpus
    that accounts for every line."""
    try:
        corpus = load()
    except CorpusError as err:
        message = str(err)
        assert message and "\n" not in message and any(p in message for p in paths)
        return
    assert isinstance(corpus, Corpus)
    assert len(corpus) + corpus.skipped + corpus.filtered == total_lines
    assert len(corpus.skipped_examples) == min(corpus.skipped, 5)
    for path, line, reason in corpus.skipped_examples:
        assert path in paths and 1 <= line <= total_lines and reason
    for pair in corpus.all_pairs():
        assert pair.src and pair.tgt and pair.src == pair.src.strip()


unicode_lines = st.lists(st.text(max_size=30), max_size=8).map(lambda ls: "\n".join(ls).encode())
# pieces of hostile files: tabs, line breaks, a BOM, NUL, bytes that are not UTF-8, CJK
_pieces = st.one_of(
    st.text(max_size=30).map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=30),
    st.sampled_from([b"\t", b"\n", b"\r\n", b"\xef\xbb\xbf", b"\0", b"\xff\xfe", b" ", b"\t\t",
                     b"der Hund\t", "狗\t".encode(), b"\x80", "\u2028".encode()]),
)
hostile = st.lists(_pieces, max_size=40).map(b"".join)


@fuzz
@given(data=st.one_of(st.binary(max_size=300), unicode_lines, hostile,
                      st.lists(st.sampled_from([b"a\tb", b"\t", b"x", b"\xff\tc", b"", b"\r"]),
                               max_size=10).map(b"\n".join)))
def test_random_bytes_never_crash_the_tsv_loader(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "fuzz.tsv")
        with open(path, "wb") as fh:
            fh.write(data)
        check_loaded(lambda: load_corpus(path), [path], line_count(data))


@fuzz
@given(src=st.one_of(st.binary(max_size=120), unicode_lines, hostile),
       tgt=st.one_of(st.binary(max_size=120), unicode_lines, hostile))
def test_random_bytes_never_crash_the_aligned_loader(src, tgt):
    with tempfile.TemporaryDirectory() as tmp:
        paths = [os.path.join(tmp, "fuzz.en"), os.path.join(tmp, "fuzz.de")]
        for path, data in zip(paths, (src, tgt)):
            with open(path, "wb") as fh:
                fh.write(data)
        check_loaded(lambda: load_corpus(paths), paths, line_count(src))
