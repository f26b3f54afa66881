import numpy as np
import pytest
import torch
from PySide6.QtCore import QObject, QPointF, Qt, Signal
from PySide6.QtWidgets import QFileDialog

from explorer import requests as rq
from explorer.panels.attention import AttentionPanel, Selection
from explorer.session import Reply
from explorer.widgets.export import read_csv
from model.alignment import alignment_error_rate, argmax_links
from model.config import ModelConfig
from model.corpus import SentencePair
from model.tokenizer import build_tokenizer
from model.trace import Snapshot
from model.transformer import Seq2Seq

PAIR = SentencePair(src="the dog sees a cat .", tgt="der Hund sieht eine Katze .",
                    src_words=("the", "dog", "sees", "a", "cat", "."),
                    tgt_words=("der", "Hund", "sieht", "eine", "Katze", "."),
                    alignment=((0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (5, 5)))
SRC_TOK = build_tokenizer("word", [PAIR.src], "en")
TGT_TOK = build_tokenizer("word", [PAIR.tgt], "de")


class FakeCorpus:
    def split(self, name):
        return [PAIR] if name == "valid" else []


class FakeSession(QObject):
    """The part of the Session the panel uses; it records requests instead of tracing."""

    sig_trace = Signal(object)
    sig_model_changed = Signal(object)
    sig_timeline = Signal(object)

    def __init__(self):
        super().__init__()
        self.requests, self.probes = [], []
        self.corpus, self.timeline = FakeCorpus(), []
        self.src_tokenizer, self.tgt_tokenizer = SRC_TOK, TGT_TOK

    def request_trace(self, src, tgt=None, beam=1):
        self.requests.append((src, tgt, beam))
        self.reply = Reply(rq.Trace(src, tgt, beam))
        return self.reply

    def set_probe(self, src, tgt=None):
        self.probes.append((src, tgt))
        return Reply(rq.SetProbe(src, tgt))


@pytest.fixture(scope="module")
def model():
    torch.manual_seed(0)
    cfg = ModelConfig(src_vocab=SRC_TOK.vocab_size, tgt_vocab=TGT_TOK.vocab_size, d_model=16,
                      n_heads=2, n_layers=2, d_ff=32, dropout=0.0, max_len=32)
    return Seq2Seq(cfg)


def make_trace(model, step=0, tgt_text=PAIR.tgt):
    """Teacher-forced trace of PAIR: source with <eos>, decoder input <bos> + reference."""
    src_ids = SRC_TOK.encode(PAIR.src, add_eos=True)
    tgt_ids = TGT_TOK.encode(tgt_text, add_bos=True)
    return model.trace(torch.tensor([src_ids]), torch.tensor([tgt_ids]),
                       [SRC_TOK.id_to_token(i) for i in src_ids],
                       [TGT_TOK.id_to_token(i) for i in tgt_ids],
                       id_to_token=TGT_TOK.id_to_token, step=step)


@pytest.fixture
def panel(qtbot):
    session = FakeSession()
    p = AttentionPanel(session)
    qtbot.addWidget(p)
    p.resize(900, 700)
    p.show()  # a hidden panel draws nothing until it is shown
    return p


def deliver(qtbot, panel, trace):
    """Send a trace as the session does (the answer to the panel's request if one is on its
    way, else the training stream's probe trace) and wait for the panel to draw it."""
    reply = getattr(panel.session, "reply", None)
    if reply is not None and not reply.finished:
        reply.finish(trace)
    else:
        panel.session.sig_trace.emit(trace)
    qtbot.waitUntil(lambda: panel.trace is trace, timeout=2000)


def test_request_goes_through_the_session(panel):
    assert panel.source_edit.text() == PAIR.src and panel.reference_edit.text() == PAIR.tgt
    panel.mode_box.setCurrentIndex(2)
    panel.run()
    panel.mode_box.setCurrentIndex(1)
    panel.beam_spin.setValue(3)
    panel.run()
    assert panel.session.requests == [(PAIR.src, PAIR.tgt, 1), (PAIR.src, None, 3)]
    assert panel.session.probes[-1] == (PAIR.src, None)


def test_head_detail_image_and_axes_come_from_the_trace(qtbot, panel, model):
    trace = make_trace(model)
    deliver(qtbot, panel, trace)
    for kind, rows, cols in (("dec_self", trace.tgt_tokens, trace.tgt_tokens),
                             ("cross", trace.tgt_tokens, trace.src_tokens),
                             ("enc_self", trace.src_tokens, trace.src_tokens)):
        panel.select(Selection(kind, 1, 1))
        hm = panel.detail.heatmap
        block = trace.blocks(kind)[1]
        np.testing.assert_allclose(hm.image.image, block.weights[1], rtol=1e-6)
        assert hm.row_labels == list(rows) and hm.col_labels == list(cols)
        n = len(rows)
        assert hm.axes["left"].tickStrings([i + 0.5 for i in range(n)], 1, 1) == list(rows)
        assert hm.image.image[~block.allowed].sum() == 0  # masked cells are 0
    assert panel.detail.heatmap.axes["left"]._labels[0] == "the"
    panel.select(Selection("dec_self", 0, 0))
    assert np.triu(panel.detail.heatmap.image.image, k=1).max() == 0  # causal mask


def test_overview_mosaic_blocks_are_the_heads_weights_and_click_opens_detail(panel, model):
    trace = make_trace(model)
    panel.show_trace(trace)
    for kind in ("enc_self", "dec_self", "cross"):
        grid = panel.overview.grids[kind]
        assert grid.shape == (2, 2)
        for layer, block in enumerate(trace.blocks(kind)):
            for head in range(2):
                np.testing.assert_allclose(grid.block(layer, head), block.weights[head], rtol=1e-6)
    grid = panel.overview.grids["cross"]
    x, y = grid.cell_origin(1, 1)
    h, w = trace.cross[1].weights[1].shape
    scene = grid.plot.getViewBox().mapViewToScene(QPointF(x + w - 0.5, y + 0.5))
    assert grid.cell_at(scene) == (1, 1)
    grid.sig_cell_clicked.emit(1, 1)
    assert panel.current_tab == "detail"
    assert panel.selection == Selection("cross", 1, 1)


def test_computation_steps_are_consistent(panel, model):
    trace = make_trace(model)
    panel.show_trace(trace)
    panel.select(Selection("dec_self", 1, 1), open_detail=False)
    panel.show_tab("computation")
    views = panel.computation.views
    block = trace.dec_self[1]
    dh = block.q.shape[2]
    scores = views["scores"].values
    np.testing.assert_allclose(scores, block.q[1] @ block.k[1].T, rtol=1e-4, atol=1e-5)
    lo, hi = views["scores"].colorbar.levels()
    assert lo == -hi
    masked = views["masked"].values
    assert np.all(np.isnan(masked[~block.allowed]))
    e = np.exp(np.where(block.allowed, masked, -np.inf) - np.nanmax(masked, axis=1, keepdims=True))
    np.testing.assert_allclose(e / e.sum(1, keepdims=True), views["weights"].values, atol=1e-5)
    np.testing.assert_allclose(views["context"].values, views["weights"].values @ block.v[1],
                               atol=1e-5)
    assert "T=7" in views["q"].plot.titleLabel.text and f"d_k={dh}" in views["q"].plot.titleLabel.text
    np.testing.assert_allclose(views["output"].values, block.concat @ block.w_o, atol=1e-4)
    panel.computation._on_cell_hovered(3, 2)
    dot = views["dot"].values
    assert dot[2].sum() == pytest.approx(scores[3, 2], rel=1e-4)
    assert views["q"]._row_rect.rect().top() == 3 and views["k"]._row_rect.rect().top() == 2


def test_gold_alignment_overlay_and_aer(qtbot, panel, model):
    trace = make_trace(model)
    panel.mode_box.setCurrentIndex(2)
    panel.run()  # a corpus example forced through the decoder: gold applies
    panel.row_align_box.setCurrentIndex(1)  # row t is compared with the word it reads
    deliver(qtbot, panel, trace)
    # rows: <bos> der Hund ...; columns: the dog ... <eos>; word i <-> word i
    gold = {(t, t - 1) for t in range(1, 7)}
    assert panel._gold[0] == gold
    weights = trace.cross[1].weights[0]
    expected = alignment_error_rate(argmax_links(weights, range(1, 7)), gold)
    assert panel.aer[1, 0] == pytest.approx(expected)
    panel.select(Selection("cross", 1, 0))
    assert sorted(panel.detail.heatmap.marker_cells()) == sorted(gold)
    best = panel.best_head()
    assert panel.aer[best] == np.nanmin(panel.aer)
    frame = panel.overview.grids["cross"]._frames  # best head framed once the overview draws
    panel.show_tab("overview")
    assert frame["best"].isVisible()
    panel.row_align_box.setCurrentIndex(0)  # row t predicts word t+1: links shift up a row
    panel._refresh_alignment()
    assert panel._gold[0] == {(t - 1, s) for t, s in gold}


def test_lines_view_one_curve_set_per_head(panel, model):
    trace = make_trace(model)
    panel.show_trace(trace)
    panel.select(Selection("cross", 0, 0), open_detail=False)
    panel.show_tab("lines")
    lines = panel.lines
    assert len(lines.curves) == 2 and len(lines.head_buttons) == 2
    colors = {c[0].opts["pen"].color().rgb() for c in lines.curves}
    assert len(colors) == 2
    seg = lines.segments(0)
    w = trace.cross[0].weights[0]
    assert len(seg) == np.count_nonzero(w >= lines.LEVELS[0])
    lines.isolated = ("query", 2)
    assert set(lines.segments(0)[:, 0]) == {2}
    lines.head_buttons[1].setChecked(False)
    assert lines.visible_heads() == [0]
    x, _y = lines.curves[1][-1].getData()
    assert x is None or len(x) == 0


def test_timeline_scrubs_snapshots(qtbot, panel, model):
    early, live = make_trace(model, step=10), make_trace(model, step=20)
    deliver(qtbot, panel, live)
    snaps = [Snapshot(step=10, probe=early, src_embeddings=np.zeros((1, 1)),
                      tgt_embeddings=np.zeros((1, 1)))]
    panel.session.sig_timeline.emit(snaps)
    assert panel.timeline_slider.maximum() == 1 and panel.trace is live
    panel.timeline_slider.setValue(0)
    assert panel.trace is early and panel.timeline_label.text() == "step 10"
    panel.session.sig_trace.emit(make_trace(model, step=30))  # scrubbed back: view stays
    qtbot.wait(10)
    assert panel.trace is early
    panel.timeline_slider.setValue(1)
    assert panel.trace.step == 30


def test_export_by_extension(panel, model, tmp_path):
    trace = make_trace(model)
    panel.show_trace(trace)
    panel.select(Selection("cross", 0, 1))
    csv_path = panel.export(tmp_path / "head.csv")
    back = read_csv(csv_path)
    np.testing.assert_allclose(back.values, trace.cross[0].weights[1], rtol=1e-6)
    assert back.row_labels == trace.tgt_tokens and back.col_labels == trace.src_tokens
    npy = panel.export(tmp_path / "head.npy")
    np.testing.assert_allclose(np.load(npy), trace.cross[0].weights[1], rtol=1e-6)
    for ext in ("png", "svg"):
        path = panel.export(tmp_path / f"view.{ext}")
        assert path.stat().st_size > 1000
    panel.show_tab("overview")
    first = panel.export(tmp_path / "all.npy")
    n_files = len(list(tmp_path.glob("all_*.npy")))
    assert n_files == 3 * 2 * 2 and first.exists()


@pytest.mark.parametrize("ext", [".csv", ".npy"])
def test_a_format_button_opens_the_dialog_on_its_type_and_names_files_once(qtbot, panel, model,
                                                                        tmp_path, monkeypatch, ext):
    """The CSV button's dialog shows the CSV type for its suggested .csv name (it showed PNG),
    and the files written beside that name do not repeat the head's name in it."""
    panel.show_trace(make_trace(model))
    panel.select(Selection("cross", 0, 1))
    panel.show_tab("computation")
    qtbot.waitUntil(lambda: len(panel.matrices()) > 1, timeout=2000)
    asked = []

    def dialog(_parent, _title, name, types, selected="", *_a):
        asked.append((name, types, selected))
        return str(tmp_path / name), selected

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(dialog))
    panel.export_buttons[ext][0].click()
    ((name, types, selected),) = asked
    assert name == f"attention_cross.L0.H1{ext}"
    assert f"*{ext})" in selected and selected in types.split(";;")
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == len(panel.matrices()) > 1
    assert f"attention_cross.L0.H1_weights{ext}" in names
    assert all(n.startswith("attention_cross.L0.H1_") and n.count("L0.H1") == 1 for n in names)
    # one line says where they went (the 21 names filled seven lines above the views)
    assert panel.status.text().startswith(f"saved {len(names)} files in {tmp_path}: ")
    assert panel.status.text().count(ext) == 2


def test_a_followed_trace_puts_its_sentence_in_an_empty_source_field(qtbot, panel, model):
    """While a checkpoint's corpus is still being read, the views showed its probe sentence's
    translation under an empty Source field; a sentence typed by the person is never replaced."""
    import dataclasses

    panel.source_edit.clear()
    probe = dataclasses.replace(make_trace(model), source={"text": "the probe sentence ."})
    panel.session.sig_trace.emit(probe)
    qtbot.waitUntil(lambda: panel.trace is probe, timeout=2000)
    assert panel.source_edit.text() == "the probe sentence ."
    panel.source_edit.setText("my own sentence")
    later = dataclasses.replace(make_trace(model, step=5), source={"text": "the probe sentence ."})
    panel.session.sig_trace.emit(later)
    qtbot.waitUntil(lambda: panel.trace is later, timeout=2000)
    assert panel.source_edit.text() == "my own sentence"


def test_load_sentences_from_file(panel, tmp_path):
    path = tmp_path / "s.txt"
    path.write_text("a cat sleeps .\n\nthe dog runs .\n", encoding="utf-8")
    assert panel.load_sentences(path) == 2
    panel.pick_sentence(1)
    assert panel.source_edit.text() == "the dog runs ." and panel.reference_edit.text() == ""


def test_hidden_panel_draws_a_trace_only_when_shown(qtbot, panel, model):
    trace = make_trace(model)
    panel.hide()
    drawn = []
    panel.overview.show_trace = lambda t, *marks: drawn.append(t)  # count the overview's draws
    panel.session.sig_trace.emit(make_trace(model, step=1))
    panel.session.sig_trace.emit(trace)  # two in one turn: the latest wins
    qtbot.waitUntil(lambda: panel.trace is trace, timeout=2000)
    assert drawn == []
    panel.show()
    assert drawn == [trace]
    panel.session.sig_trace.emit(make_trace(model, step=2))
    panel.session.sig_trace.emit(trace)
    qtbot.wait(20)
    assert drawn == [trace, trace]


def test_a_long_translation_does_not_widen_the_panel(panel, model):
    width = panel.minimumSizeHint().width()
    trace = make_trace(model)
    panel.show_trace(trace)
    panel.status.setText(panel.status.text() + " word" * 200)
    assert panel.minimumSizeHint().width() == width


def test_the_status_line_has_a_row_of_its_own_and_wraps_rather_than_being_cut(qtbot, panel, model):
    panel.show_trace(make_trace(model))
    panel.status.setText(panel.status.text() + " word" * 40)
    qtbot.wait(20)  # laid out again
    status, slider = panel.status.geometry(), panel.timeline_slider
    slider_bottom = slider.mapTo(panel, slider.rect().bottomLeft()).y()  # in the timeline's row
    assert status.top() >= slider_bottom  # under the timeline and the export buttons
    assert status.width() >= panel.width() - 20
    assert panel.status.height() >= panel.status.heightForWidth(status.width())  # every line shown
    assert panel.status.height() > 2 * panel.status.fontMetrics().height()


def test_current_view_is_built_when_first_shown_before_any_trace(qtbot):
    # So the first trace, which comes just as training starts, only draws.
    p = AttentionPanel(FakeSession())
    qtbot.addWidget(p)
    assert p._views == {}
    p.show()
    assert p.trace is None and list(p._views) == ["overview"]


def test_unknown_source_words_are_named_above_the_views_and_marked_on_the_axes(qtbot, panel, model):
    import dataclasses

    from model.source_check import check_source

    text = "the astronaut sees a cat ."
    check = check_source(SRC_TOK, text, 32)
    trace = dataclasses.replace(make_trace(model), source={"text": text, **check.to_dict()})
    deliver(qtbot, panel, trace)
    assert panel.source_notice.isVisible()
    assert "1 word of this sentence not in the model's vocabulary" in panel.source_notice.text()
    assert "“astronaut”" in panel.source_notice.text() and "<unk>" in panel.source_notice.toolTip()
    panel.select(Selection("enc_self", 0, 0))
    assert panel.detail.heatmap.col_labels[1] == "⚠dog:astronaut"  # position 1 is the unknown one
    deliver(qtbot, panel, make_trace(model))  # no source check: nothing to say
    assert not panel.source_notice.isVisible()


def test_enter_in_the_source_field_translates_the_typed_sentence(qtbot, panel):
    """A person types their own sentence and presses Enter: it is translated freely (the
    example's reference, which the panel started with, goes)."""
    panel.source_edit.clear()
    qtbot.keyClicks(panel.source_edit, "a cat sees the dog .")
    qtbot.keyClick(panel.source_edit, Qt.Key.Key_Return)
    assert panel.reference_edit.text() == ""
    assert panel.session.requests == [("a cat sees the dog .", None, 1)]


def test_the_translation_is_shown_as_one_sentence_above_the_views(qtbot, panel, model):
    panel.run()  # greedy: the decoder input after <bos> is the model's own translation
    deliver(qtbot, panel, make_trace(model))
    assert panel.output_line.isVisible()
    assert panel.output_line.text() == "Translation: der Hund sieht eine Katze."
    panel.mode_box.setCurrentIndex(2)  # teacher forcing: what it predicts at each position
    panel.run()
    trace = make_trace(model, step=1)
    deliver(qtbot, panel, trace)
    predicted = [int(i) for i in trace.logits.argmax(-1)]
    expected = TGT_TOK.decode(predicted[:predicted.index(2)] if 2 in predicted else predicted)
    assert panel.output_line.text() == f"Predicted next words (teacher forcing): {expected}"
    width = panel.minimumSizeHint().width()
    panel.output_line.show_output(False, "word " * 200)  # wrapped, never widening the panel
    assert panel.minimumSizeHint().width() == width
    panel.output_line.show_output(False, "")  # an untrained model ends at once: said, not blank
    assert panel.output_line.text() == "Translation: (nothing: the model ends the sentence at once)"


def test_a_history_snapshot_without_logits_shows_its_translation(qtbot, panel, model):
    """A stored snapshot keeps the token strings but no logits: its text comes from those."""
    import dataclasses

    trace = dataclasses.replace(make_trace(model), logits=np.zeros((0, 0), np.float32))
    panel.show_trace(trace)  # teacher-forced (the decoder input is not its own output)
    words = [t for t in trace.out_tokens if t not in ("<bos>", "<eos>")]
    assert panel.output_line.text() == ("Predicted next words (teacher forcing): "
                                        + TGT_TOK.decode([TGT_TOK.token_to_id(t) for t in words]))


def test_a_new_model_traces_the_example_its_corpus_puts_in_the_source_field(qtbot, panel, model):
    """Opening another model puts its corpus's first example in the fields; when the views
    show another sentence (the last model's, kept as the probe), the new model traces the
    example and training follows it. Views already showing the example are left alone."""
    import dataclasses
    from types import SimpleNamespace

    from model.source_check import check_source

    trace = make_trace(model)
    trace = dataclasses.replace(trace, source={"text": PAIR.src, **check_source(SRC_TOK, PAIR.src, 32).to_dict()})
    deliver(qtbot, panel, trace)  # the views show PAIR through the last model
    other = SentencePair(src="a cat sees the dog .", tgt="eine Katze sieht den Hund .")

    class OtherCorpus:
        def split(self, name):
            return [other] if name == "valid" else []

    panel.session.requests.clear()
    panel.session.sig_model_changed.emit(SimpleNamespace(corpus=FakeCorpus()))  # same example: nothing
    assert panel.session.requests == []
    corpus = OtherCorpus()
    panel.session.sig_model_changed.emit(SimpleNamespace(corpus=corpus))
    assert panel.source_edit.text() == other.src
    assert [r[0] for r in panel.session.requests] == [other.src]  # translated by the new model
    assert panel.session.probes[-1][0] == other.src  # and training follows it (Follow training is on)
    # the same model moved to another device (the same corpus): the person's sentence stays
    panel.source_edit.setText("the dog sees the dog .")
    panel.session.sig_model_changed.emit(SimpleNamespace(corpus=corpus))
    assert panel.source_edit.text() == "the dog sees the dog ." and len(panel.session.requests) == 1


def _grids_as_shown(overview):
    """What each grid of an overview shows: its mosaic, layout and visible frames."""
    return {kind: (grid.mosaic, grid.shape, grid.transposed,
                   {name: frame.rect().getRect() for name, frame in grid._frames.items()
                    if frame.isVisible()})
            for kind, grid in overview.grids.items()}


def test_a_large_trace_is_drawn_a_kind_per_turn_and_ends_as_drawn_at_once(qtbot, panel, model,
                                                                          monkeypatch):
    """Above ONE_TURN_CELLS the overview draws one kind of attention per turn of the event
    loop; once done it shows exactly what drawing all at once shows (the same view size)."""
    from explorer.panels.attention.views import OverviewView

    trace = make_trace(model)
    panel.select(Selection("cross", 1, 0), open_detail=False)
    panel.heads_off = frozenset({("enc_self", 0, 1)})
    monkeypatch.setattr(OverviewView, "ONE_TURN_CELLS", 0)
    panel.show_trace(trace)
    overview = panel.overview
    assert overview.pending == ["dec_self", "cross"]  # the first kind drawn in this turn
    np.testing.assert_allclose(overview.grids["enc_self"].block(0, 1), trace.enc_self[0].weights[1],
                               rtol=1e-6)
    assert overview.grids["cross"].mosaic.size == 0  # not yet
    qtbot.waitUntil(lambda: not overview.pending, timeout=2000)
    for kind in ("enc_self", "dec_self", "cross"):
        for layer, block in enumerate(trace.blocks(kind)):
            for head in range(block.n_heads):
                np.testing.assert_allclose(overview.grids[kind].block(layer, head), block.weights[head],
                                           rtol=1e-6)
    monkeypatch.undo()  # the reference is small again: drawn at once
    reference = OverviewView()
    qtbot.addWidget(reference)
    reference.resize(overview.size())
    reference.show()
    qtbot.waitUntil(lambda: reference.row.size() == overview.row.size(), timeout=2000)
    reference.show_trace(trace, panel.selection, None, panel.heads_off)
    assert reference.pending == []  # small: drawn in one turn
    shown, expected = _grids_as_shown(overview), _grids_as_shown(reference)
    for kind in expected:
        np.testing.assert_array_equal(shown[kind][0], expected[kind][0])  # NaN gaps alike
        assert shown[kind][1:] == expected[kind][1:]
    assert "selected" in shown["cross"][3] and "off:0.1" in shown["enc_self"][3]
    assert overview.row.box.direction() == reference.row.box.direction()


def test_a_newer_trace_drops_the_rest_of_a_half_drawn_one(qtbot, panel, model, monkeypatch):
    from explorer.panels.attention.views import OverviewView

    monkeypatch.setattr(OverviewView, "ONE_TURN_CELLS", 0)
    older, newer = make_trace(model), make_trace(model, tgt_text="der Hund sieht .")
    overview = panel.overview
    drawn = []  # (kind, the trace whose weights it drew)
    for kind, grid in overview.grids.items():
        def record(matrices, *args, kind=kind, draw=grid.set_matrices):
            whose = [t for t in (older, newer)
                     if np.shares_memory(matrices[0][0], t.blocks(kind)[0].weights)]
            drawn.append((kind, whose[0] if whose else None))
            draw(matrices, *args)
        monkeypatch.setattr(grid, "set_matrices", record)
    panel.show_trace(older)
    assert drawn == [("enc_self", older)]
    panel.show_trace(newer)  # before the older one's next turn
    qtbot.waitUntil(lambda: not overview.pending, timeout=2000)
    qtbot.wait(30)  # and nothing of the older one comes later
    assert drawn == [("enc_self", older), ("enc_self", newer), ("dec_self", newer), ("cross", newer)]
    for kind in ("enc_self", "dec_self", "cross"):
        grid = overview.grids[kind]
        assert grid.shape == (2, 2) and grid.cell == newer.blocks(kind)[0].weights.shape[1:]
        for layer, block in enumerate(newer.blocks(kind)):
            for head in range(2):
                np.testing.assert_allclose(grid.block(layer, head), block.weights[head], rtol=1e-6)


def test_large_grids_resized_paint_one_per_turn_small_ones_at_once(qtbot, panel, model, monkeypatch):
    from explorer.panels.attention.views import OverviewView

    trace = make_trace(model)
    panel.show_trace(trace)
    row = panel.overview.row
    row.resize(row.width(), row.height() - 30)
    assert not row.stagger and all(g.updatesEnabled() for g in row.grids.values())
    monkeypatch.setattr(OverviewView, "ONE_TURN_CELLS", 0)
    panel.show_trace(make_trace(model, step=1))
    qtbot.waitUntil(lambda: not panel.overview.pending, timeout=2000)
    assert row.stagger
    row.resize(row.width(), row.height() + 30)  # as a new translation's line does
    grids = list(row.grids.values())
    assert grids[0].updatesEnabled() and [g.updatesEnabled() for g in grids[1:]] == [False, False]
    qtbot.waitUntil(lambda: grids[1].updatesEnabled(), timeout=2000)
    qtbot.waitUntil(lambda: all(g.updatesEnabled() for g in grids), timeout=2000)


def test_the_status_line_keeps_its_height_while_a_sentence_is_traced(qtbot, panel, model):
    """"tracing…" is one line; shrinking to it and growing back resized every view twice."""
    trace = make_trace(model)
    deliver(qtbot, panel, trace)
    panel._set_status("trace", step=0, n_src=7, n_tgt=7, output=" word" * 60)
    qtbot.waitUntil(lambda: panel.status.height() > 2 * panel.status.fontMetrics().height(), timeout=2000)
    tall, views = panel.status.height(), panel.tabs.height()
    panel.run()
    qtbot.wait(20)  # laid out again
    assert panel.status.text() == "tracing…"
    assert panel.status.height() == tall and panel.tabs.height() == views
    deliver(qtbot, panel, make_trace(model, step=1))  # the answer: its own height again
    qtbot.waitUntil(lambda: panel.status.height() < tall, timeout=2000)
    assert panel.status.minimumHeight() == 0
