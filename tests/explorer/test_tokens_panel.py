import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, Qt

from explorer.panels.tokens import TokensPanel
from explorer.widgets.export import read_csv
from model.tokenizer import build_tokenizer
from model.trace import EmbeddingSnapshot

TEXTS = ["the dog sees the cat .", "a cat sleeps .", "the bird sings ."]


@pytest.fixture
def panel(qtbot, session):
    tok = build_tokenizer("word", TEXTS, "en")
    view = TokensPanel(session)
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()  # a hidden panel keeps embeddings without drawing them
    view.set_tokenizers(tok, tok)
    E = np.random.default_rng(0).normal(size=(tok.vocab_size, 6)).astype(np.float32)
    view.show_embeddings(EmbeddingSnapshot(step=7, name="src", tokens=tuple(tok.tokens()), matrix=E))
    view.text_edit.setText("the dog sees the cat .")
    view.refresh()
    return view, tok, E


def test_one_hot_rows_have_one_one_at_the_id(panel):
    view, tok, _ = panel
    ids = np.array(tok.encode("the dog sees the cat ."))
    np.testing.assert_array_equal(view.ids, ids)
    assert view.one_hot.shape == (len(ids), tok.vocab_size)
    np.testing.assert_array_equal(view.one_hot.sum(1), 1)
    np.testing.assert_array_equal(view.one_hot.argmax(1), ids)
    # the table writes the same place of the 1
    for r, i in enumerate(ids):
        assert view.table.item(r, 1).text() == str(i)
        assert view.table.item(r, 2).text() == f"1 at {i} / {tok.vocab_size}"


def test_embedding_rows_are_rows_of_E_and_cosine_matches_numpy(panel):
    view, tok, E = panel
    ids = np.array(tok.encode("the dog sees the cat ."))
    np.testing.assert_allclose(view.embedded, E[ids], rtol=0, atol=1e-6)
    X = E[ids].astype(np.float64)
    unit = X / np.linalg.norm(X, axis=1, keepdims=True)
    np.testing.assert_allclose(view.embedding_cosine(), unit @ unit.T, atol=1e-6)
    np.testing.assert_allclose(view.compare.embed_map.values, unit @ unit.T, atol=1e-5)
    assert view.table.item(1, 3).text().startswith(f"[{E[ids[1], 0]:+.3f}")


def test_id_distances_and_one_hot_distances(panel):
    view, tok, _ = panel
    ids = np.array(tok.encode("the dog sees the cat ."))
    np.testing.assert_array_equal(view.compare.id_map.values, np.abs(ids[:, None] - ids[None, :]))
    same = ids[:, None] == ids[None, :]
    np.testing.assert_allclose(view.compare.one_hot_map.values, np.where(same, 0.0, np.sqrt(2)), atol=1e-6)
    view.compare.one_hot_metric.setCurrentIndex(1)  # cosine similarity: 1 for the same token, else 0
    np.testing.assert_allclose(view.compare.one_hot_map.values, same.astype(float), atol=1e-6)


def test_memory_figures(panel):
    view, tok, E = panel
    text = view.memory.text()
    assert "8 B" in text
    assert f"{4 * tok.vocab_size:,} B" in text and f"{4 * E.shape[1]:,} B" in text
    assert f"{(tok.vocab_size - 1) / tok.vocab_size:.2%} zeros" in text


def test_selecting_a_token_highlights_its_one_and_its_row(panel):
    view, tok, E = panel
    view.table.selectRow(2)  # "sees"
    view.open_tab("product")  # drawn when opened
    product, token_id = view.product, tok.token_to_id("sees")
    assert product.one_hot_strip._hovered == (token_id, 0)  # o is a column beside E: the same rows
    assert product.one_hot_strip.values.shape == (tok.vocab_size, 1)
    assert product.e_map._hovered[0] == token_id
    np.testing.assert_allclose(product.row_strip.values[0], E[token_id], atol=1e-6)
    view.table.selectRow(1)  # the product tab in front: drawn at once
    assert product.one_hot_strip._hovered == (tok.token_to_id("dog"), 0)


def test_no_embedding_for_a_foreign_vocabulary(panel):
    view, _, _ = panel
    view.use_tokenizer(build_tokenizer("char", TEXTS, "en"))
    assert view.embedded is None
    assert view.table.item(0, 3).text() == "—"
    np.testing.assert_array_equal(view.one_hot.argmax(1), view.ids)


def test_export_csv_and_npy_read_back_equal(panel, tmp_path):
    view, _, _ = panel
    view.export(tmp_path / "tokens.csv")
    back = read_csv(tmp_path / "tokens_embedding_cosine.csv")
    np.testing.assert_allclose(back.values, view.embedding_cosine(), atol=1e-12)
    assert list(back.row_labels) == view.tokens
    view.export(tmp_path / "tokens.npy")
    np.testing.assert_array_equal(np.load(tmp_path / "tokens_one_hot.npy"), view.one_hot)
    assert view.export(tmp_path / "tokens.png").stat().st_size > 1000


def cosine(x):
    unit = x / np.linalg.norm(x, axis=1, keepdims=True)
    return unit @ unit.T


def test_hidden_panel_draws_new_embeddings_when_shown(panel, qtbot):
    view, tok, E = panel
    drawn = view.compare.embed_map.values.copy()
    view.hide()
    E2 = E.copy()
    E2[:, 0] += 3
    view.show_embeddings(EmbeddingSnapshot(step=8, name="src", tokens=tuple(tok.tokens()), matrix=E2))
    np.testing.assert_allclose(view.embedded, view.one_hot @ E2, rtol=1e-6)  # the state has it
    qtbot.wait(20)
    np.testing.assert_array_equal(view.compare.embed_map.values, drawn)  # not drawn while hidden
    view.show()
    qtbot.waitUntil(lambda: not np.allclose(view.compare.embed_map.values, drawn), timeout=2000)
    np.testing.assert_allclose(view.compare.embed_map.values, cosine(E2[view.ids]), atol=1e-5)


def test_new_rows_of_E_update_the_views_in_place(panel, qtbot):
    """A replay frame (new E, same tokens) rebuilds no table item, label or heatmap."""
    view, tok, E = panel
    view.open_tab("product")
    items = [view.table.item(r, c) for r in range(view.table.rowCount()) for c in range(4)]
    labels, maps = list(view.compare.line_labels), view.compare.embed_map.values.shape
    E2 = E * -1.5
    view.show_embeddings(EmbeddingSnapshot(step=9, name="src", tokens=tuple(tok.tokens()), matrix=E2))
    qtbot.waitUntil(lambda: view.product.row_strip.values[0, 0] != E[view.ids[view.state.selected], 0],
                    timeout=2000)
    assert [view.table.item(r, c) for r in range(view.table.rowCount()) for c in range(4)] == items
    assert view.table.item(1, 3).text().startswith(f"[{E2[view.ids[1], 0]:+.3f}")
    np.testing.assert_allclose(view.product.e_map.values, E2, atol=1e-6)
    view.open_tab("compare")  # drawn when opened, in place
    assert view.compare.line_labels == labels and view.compare.embed_map.values.shape == maps
    np.testing.assert_allclose(view.compare.embed_map.values, cosine(E2[view.ids]), atol=1e-5)


def test_number_line_labels_never_overlap_and_zooming_in_shows_more(panel):
    view, tok, _ = panel
    view.compare.number_line.resize(160, 130)  # narrow: the labels of close IDs cannot all fit
    view.text_edit.setText("the dog sees the cat . a cat sleeps . the bird sings .")
    view.refresh()
    labels = view.compare.line_labels

    def shown():
        QCoreApplication.processEvents()
        return [label for label in labels if label.isVisible()]

    def assert_apart(visible):
        plot = view.compare.number_line.getPlotItem().getViewBox().sceneBoundingRect()
        for a in visible:
            box = a.sceneBoundingRect()
            assert plot.left() - 1 <= box.left() and box.right() <= plot.right() + 1
            for b in visible:  # labels on one row (one y) do not touch
                if a is not b and a.pos().y() == b.pos().y():
                    assert not box.intersects(b.sceneBoundingRect()), (a.textItem.toPlainText(),
                                                                         b.textItem.toPlainText())

    first = shown()
    assert 0 < len(first) < len(labels) == len(set(tok.encode(view.text_edit.text())))
    assert_apart(first)
    ids = sorted(int(label.pos().x()) for label in labels)
    view.compare.number_line.setXRange(ids[0] - 0.5, ids[2] + 0.5, padding=0)  # the three lowest IDs
    zoomed = shown()
    assert {int(label.pos().x()) for label in zoomed} == set(ids[:3])
    assert_apart(zoomed)


def test_words_not_in_the_vocabulary_are_coloured_named_and_explained(panel):
    view, tok, _ = panel
    view.text_edit.setText("the astronaut sees the zebra .")
    view.refresh()
    unk = [r for r in range(view.table.rowCount()) if view.table.item(r, 1).text() == "3"]
    assert unk == [1, 4]
    item = view.table.item(1, 0)
    assert item.background().color().name() == "#f5a623" and "Not in the vocabulary" in item.toolTip()
    assert view.table.item(0, 0).background().style() == Qt.BrushStyle.NoBrush  # a known word: not coloured
    notice = view.source_notice.text()
    assert view.source_notice.isVisibleTo(view) and "2 words of this sentence" in notice
    assert "“astronaut”, “zebra”" in notice
    view.text_edit.setText("the dog sees the cat .")
    view.refresh()
    assert not view.source_notice.isVisibleTo(view)


def test_sentencepiece_pieces_keep_their_mark_and_are_called_pieces(qtbot, session):
    from model.tokenizer import SPECIALS, SentencePieceTokenizer
    from tests.marian_folder import SOURCE_LINES, pieces, train_spm

    model = train_spm(SOURCE_LINES, 60)
    vocab = list(SPECIALS) + [p for p in pieces(model) if p not in ("<unk>", "<s>", "</s>")]
    tok = SentencePieceTokenizer(model, vocab, "en")
    view = TokensPanel(session)
    qtbot.addWidget(view)
    view.show()
    view.set_tokenizers(tok, tok)
    view.show_sentence("The children read books.")
    shown = [view.table.item(r, 0).text() for r in range(view.table.rowCount())]
    assert shown == tok.tokenize("The children read books.") and shown[0].startswith("▁")
    assert view.table.horizontalHeaderItem(0).text() == "piece"
    assert view.status.text().startswith("SentencePiece pieces (en)") and "▁ marks the start of a word" in view.status.text()


def test_training_a_bpe_tokenizer_shows_progress_and_stops_when_cancelled(qtbot, session, monkeypatch):
    """The panel's BPE training reports the sentences read, and cancelling its job (as
    closing the window does) stops the training itself, not only its answer."""
    import threading

    import explorer.panels.tokens as tokens_module
    from model.pairs import Cancelled
    from tests.tiny import tiny_corpus

    first, cancelled, stopped = threading.Event(), threading.Event(), threading.Event()

    def watched(kind, texts, lang, progress):
        def gated(value):
            if value[0] > 0:  # after the first batch: hold until the test has cancelled
                first.set()
                cancelled.wait(30)
            return progress(value)
        try:
            return build_tokenizer(kind, texts, lang, progress=gated)
        except Cancelled:
            stopped.set()
            raise

    monkeypatch.setattr(tokens_module, "build_tokenizer", watched)
    monkeypatch.setattr("model.tokenizer.FEED_CHECK_EVERY", 64)
    view = TokensPanel(session)
    qtbot.addWidget(view)
    view.set_corpus(tiny_corpus())
    view.source_combo.setCurrentIndex(view.source_combo.findData("corpus:bpe"))
    job = view._worker
    qtbot.waitUntil(lambda: "of" in view.status.text() and "read" in view.status.text(), timeout=20000)
    assert first.wait(30)
    job.cancel()
    cancelled.set()
    assert job.wait(20000) and stopped.is_set() and job.cancelled
    assert "corpus:bpe" not in view.tokenizers


def test_a_snapshot_keeping_the_first_rows_of_E_shows_the_rows_it_keeps(qtbot, panel):
    """A timeline snapshot of a large vocabulary keeps E's first rows: the tokens whose rows
    are kept show them, the others a dash and grey cells, and the note says so."""
    view, tok, E = panel
    view.state.snapshots.clear()
    ids = np.array(tok.encode("the dog sees the cat ."))
    n = int(np.sort(ids)[len(ids) // 2])
    view.show_embeddings(EmbeddingSnapshot(step=3, name="src", tokens=tuple(tok.tokens())[:n], matrix=E[:n]))
    qtbot.waitUntil(lambda: view.state.snapshot is not None and view.state.snapshot.step == 3, timeout=5000)
    qtbot.waitUntil(lambda: "grey" in view.compare.embed_note.text(), timeout=5000)
    assert view.compare.embed_note.text().endswith(f"rows 0–{n - 1} kept, {int((ids >= n).sum())} grey")
    cosine = view.compare.embed_map.values
    for r, i in enumerate(ids):
        cell = view.table.item(r, 3).text()
        if i < n:
            assert cell.startswith(f"[{E[i, 0]:+.3f}") and np.isfinite(cosine[r, r])
        else:
            assert cell == "—" and np.isnan(cosine[r]).all()
