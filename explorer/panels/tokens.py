"""The tokens panel: how a token becomes a number, then a vector.

Type a sentence and pick a tokenizer (the model's own, or word / char / BPE trained on the
corpus's training text). Each token gets a row: the token, its ID, its one-hot vector
(written sparse: where the 1 is, out of V) and its embedding row (a row of the model's E).

Three views compare the representations of the same tokens side by side:

- IDs: one dimension. The tokens sit on a number line; |i − j| says how far apart two
  IDs are, and that closeness means nothing (IDs are just positions in the vocabulary).
- One-hot: V dimensions. Every pair of distinct tokens is exactly √2 apart (cosine 0):
  all orthogonal, so nothing is closer to anything else.
- Embedding: one-hot × E picks a row of E, a dense D-dimensional vector whose cosine
  similarities can carry meaning (once the model has learned).

The "One-hot × E" tab shows that product for the selected token: its one-hot vector
with the 1 marked, E with the picked row marked, and the result.

Every interface text is set in ``retranslate`` (and rebuilt there from what is shown), so
the panel follows View > Language while it runs; combo boxes keep their item data.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Slot
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.jobs import Job
from explorer.logic.timeline import snapshot_embeddings
from explorer.panels.base import Panel
from explorer.texts import set_item_texts
from explorer.widgets.export import LabeledMatrix
from explorer.widgets.heatmap import TokenHeatmap
from explorer.widgets.source_notice import UNKNOWN_COLOR, SourceNotice
from model.source_check import check_source
from model.tokenizer import UNK, build_tokenizer

DEFAULT_TEXT = "the dog sees the cat ."
SOURCES = (  # (combo text, key): the model's tokenizers, or one trained on the corpus
    (QT_TRANSLATE_NOOP("TokensPanel", "model · source tokenizer"), "model:src"),
    (QT_TRANSLATE_NOOP("TokensPanel", "model · target tokenizer"), "model:tgt"),
    (QT_TRANSLATE_NOOP("TokensPanel", "word · trained on the corpus"), "corpus:word"),
    (QT_TRANSLATE_NOOP("TokensPanel", "char · trained on the corpus"), "corpus:char"),
    (QT_TRANSLATE_NOOP("TokensPanel", "BPE · trained on the corpus"), "corpus:bpe"),
)
PREVIEW_NUMBERS = 4  # embedding numbers written in the table (all of them in the tooltip)
LABEL_ROWS = (0.3, 0.9, 1.5)  # y of the number line's label rows (the points sit at 0)
LABEL_GAP_PX = 4  # space kept on each side of a label
ONE_HOT_METRICS = (  # (combo text, key)
    (QT_TRANSLATE_NOOP("TokensPanel", "euclidean distance"), "euclidean"),
    (QT_TRANSLATE_NOOP("TokensPanel", "cosine similarity"), "cosine"),
)


def id_distances(ids: np.ndarray) -> np.ndarray:
    """|i − j| for every pair of IDs. Shape: (T,) -> (T, T)."""
    ids = np.asarray(ids, dtype=np.int64)
    return np.abs(ids[:, None] - ids[None, :])


def euclidean_distances(x: np.ndarray) -> np.ndarray:
    """Distance between every pair of rows of x (T, N) -> (T, T), via the Gram matrix."""
    x = np.asarray(x, dtype=np.float64)
    sq = (x * x).sum(1)
    return np.sqrt(np.maximum(sq[:, None] + sq[None, :] - 2 * x @ x.T, 0.0))


def cosine_similarities(x: np.ndarray) -> np.ndarray:
    """Cosine similarity of every pair of rows of x (T, N) -> (T, T); zero rows give 0."""
    x = np.asarray(x, dtype=np.float64)
    norms = np.linalg.norm(x, axis=1)
    unit = x / np.where(norms > 0, norms, 1.0)[:, None]
    return unit @ unit.T


def sparsity(x: np.ndarray) -> float:
    """Fraction of entries of x that are exactly zero."""
    return 1.0 - np.count_nonzero(x) / max(x.size, 1)


VOCAB_WINDOW = 1024  # one-hot columns / rows of E drawn around the selected ID


class TokensPanel(Panel):
    """Text → tokens → IDs → one-hot vectors → embedding rows, compared side by side."""

    title = "Tokens"
    TAB_NAMES = ("compare", "product")

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.tokenizers: dict[str, object] = {}  # source key -> Tokenizer
        self.snapshots: dict[str, object] = {}  # "src"/"tgt" -> EmbeddingSnapshot
        self._stale = False  # embeddings came while the panel was hidden
        self.corpus = None
        self.tokenizer = None
        self.tokens: list[str] = []
        self.ids = np.zeros(0, dtype=np.int64)
        self.one_hot = np.zeros((0, 0), dtype=np.float32)
        self.embedded: np.ndarray | None = None  # (T, D) = one_hot @ E
        self._worker = None
        self._status: tuple[str, dict] = ("", {})  # what the status line says: key, values
        self._product: dict | None = None  # what the one-hot × E note says about the selected token
        self._snapshot = None  # the EmbeddingSnapshot the views were last drawn from

        self.text_edit = QLineEdit(DEFAULT_TEXT)
        self.text_edit.returnPressed.connect(self.refresh)
        self.source_combo = QComboBox()
        for text, key in SOURCES:
            self.source_combo.addItem(text, key)
        self.source_combo.currentIndexChanged.connect(self._on_source)
        self.go_button = QPushButton()
        self.go_button.clicked.connect(self.refresh)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.text_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.text_label)
        top.addWidget(self.text_edit, 1)
        top.addWidget(self.source_combo)
        top.addWidget(self.go_button)

        self.table = QTableWidget(0, 4)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._on_selected)
        self.memory = QLabel()
        self.memory.setWordWrap(True)
        self.memory.setTextFormat(Qt.TextFormat.RichText)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_compare(), "")
        self.tabs.addTab(self._build_product(), "")

        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.table, 1)
        upper_layout.addWidget(self.memory)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([240, 520])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.status)
        self.source_notice = SourceNotice()  # words not in the vocabulary, input cut
        layout.addWidget(self.source_notice)
        layout.addWidget(splitter, 1)

        for keys, slot in (("Ctrl+Return", self.refresh),
                           ("Alt+1", lambda: self.tabs.setCurrentIndex(0)),
                           ("Alt+2", lambda: self.tabs.setCurrentIndex(1))):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

        session.sig_model_changed.connect(self._on_model_changed)
        if hasattr(session, "sig_replay"):
            session.sig_replay.connect(self._on_replay)
        self.retranslate()
        if session.has_model:
            self._on_model_changed(session.info)

    def retranslate(self) -> None:
        """Set every interface text in the current language, and rewrite the shown ones."""
        self.text_label.setText(self.tr("Text"))
        self.text_label.setToolTip(self.tr("The sentence to split into tokens"))
        self.text_edit.setToolTip(self.tr("The text to tokenize (Enter)"))
        self.text_edit.setPlaceholderText(self.tr("type a sentence…"))
        set_item_texts(self.source_combo, {key: self.tr(text) for text, key in SOURCES})
        self.source_combo.setToolTip(self.tr("Which tokenizer splits the text: the translator's own, or a "
                                             "word / char / BPE tokenizer trained on the corpus's "
                                             "training text"))
        self.go_button.setText(self.tr("Tokenize"))
        self.go_button.setToolTip(self.tr("Split the text into tokens (Enter / Ctrl+Return)"))
        self.table.setHorizontalHeaderLabels([self.tr("token"), self.tr("ID"),
                                              self.tr("one-hot (where the 1 is)"), self.tr("embedding row")])
        self.table.setToolTip(self.tr("One row per token; select one to see one-hot × E pick its row of E"))
        self.tabs.setTabText(0, self.tr("Compare: ID · one-hot · embedding"))
        self.tabs.setTabText(1, self.tr("One-hot × E"))
        self.tabs.setTabToolTip(0, self.tr("The same tokens as IDs, one-hot vectors and embedding rows, "
                                           "side by side (Alt+1)"))
        self.tabs.setTabToolTip(1, self.tr("How multiplying a one-hot vector by E picks one row of E "
                                           "(Alt+2)"))
        self.number_line.setTitle(self.tr("IDs on a number line"))
        self.number_line.setToolTip(self.tr(
            "Each token at its ID: the vocabulary's order, nothing more. Labels that would "
            "overlap are left out: scroll over the line to zoom in"))
        self.id_map.plot.setTitle(self.tr("|i − j| of the IDs"))
        self.id_map.setToolTip(self.tr("How far apart the IDs are: a number with no meaning"))
        set_item_texts(self.one_hot_metric, {key: self.tr(text) for text, key in ONE_HOT_METRICS})
        self.one_hot_metric.setToolTip(self.tr("Distance or cosine similarity between the one-hot vectors"))
        self.one_hot_map.plot.setTitle(self._one_hot_title())
        self.one_hot_map.setToolTip(self.tr("Every pair of distinct tokens is equally far apart: "
                                            "√2, cosine 0"))
        self.embed_map.plot.setTitle(self.tr("embedding: cosine similarity"))
        self.embed_map.setToolTip(self.tr("Cosine similarity of the rows of E: these can carry meaning"))
        self.one_hot_strip.plot.setTitle(self.tr("one-hot vector o (1 × V)"))
        self.one_hot_strip.setToolTip(self.tr("The selected token's one-hot vector: V numbers, "
                                              "one of them 1"))
        self.e_map.plot.setTitle(self.tr("E (V × D): the row o picks is highlighted"))
        self.e_map.setToolTip(self.tr("The embedding matrix: one row of D numbers per token "
                                      "of the vocabulary"))
        self.row_strip.plot.setTitle(self.tr("o × E (1 × D)"))
        self.row_strip.setToolTip(self.tr("The product: the embedding of the selected token"))
        self._write_status()
        self._write_product_note()
        if self.tokenizer is not None:
            self._write_table_texts()
            self._show_memory(self.tokenizer.vocab_size, self._snapshot)
            if self.tokens:
                self._write_embed_note(self._snapshot)

    def _set_status(self, key: str, **values) -> None:
        self._status = (key, values)
        self._write_status()

    def _write_status(self) -> None:
        """The status line in the current language, from the last state it reported."""
        key, v = self._status
        if key == "no model":
            text = self.tr("No model is loaded yet: pick a tokenizer trained on the corpus, "
                           "or open a checkpoint.")
        elif key == "no corpus":
            text = self.tr("No corpus is loaded yet.")
        elif key == "training":
            text = self.tr("Training a {kind} tokenizer on {n:,} sentences…").format(**v)
        elif key == "failed":
            text = self.tr("Could not train it: {error}").format(**v)
        elif key == "tokenized":
            text = self.tr("{kind} tokenizer ({lang}), V = {V:,}: {T} tokens.").format(**v)
        elif key == "empty":
            text = self.tr("The text holds no tokens.")
        else:
            text = ""
        self.status.setText(text)

    # -- layout --------------------------------------------------------------------------
    def _build_compare(self) -> QWidget:
        page = QWidget()
        self.number_line = pg.PlotWidget(background="w")
        self.number_line.setFixedHeight(130)
        self.number_line.getPlotItem().hideAxis("left")
        self.number_line.getPlotItem().setMenuEnabled(False)
        self.number_line.setMouseEnabled(x=True, y=False)
        self.line_points = pg.ScatterPlotItem(size=9, pen=pg.mkPen(None), brush=pg.mkBrush("#4c78a8"))
        self.number_line.addItem(self.line_points)
        self.line_labels: list[pg.TextItem] = []  # in ID order
        line_view = self.number_line.getPlotItem().getViewBox()
        line_view.sigXRangeChanged.connect(self._place_line_labels)
        line_view.sigResized.connect(self._place_line_labels)
        self.id_map = TokenHeatmap()
        id_column = QVBoxLayout()
        id_column.addWidget(self.number_line)
        id_column.addWidget(self.id_map, 1)

        self.one_hot_metric = QComboBox()
        for text, key in ONE_HOT_METRICS:
            self.one_hot_metric.addItem(text, key)
        self.one_hot_metric.currentIndexChanged.connect(self._draw_one_hot_map)
        self.one_hot_map = TokenHeatmap()
        one_hot_column = QVBoxLayout()
        one_hot_column.addWidget(self.one_hot_metric)
        one_hot_column.addWidget(self.one_hot_map, 1)

        self.embed_map = TokenHeatmap()
        self.embed_note = QLabel()
        self.embed_note.setWordWrap(True)
        embed_column = QVBoxLayout()
        embed_column.addWidget(self.embed_note)
        embed_column.addWidget(self.embed_map, 1)

        layout = QHBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        for column in (id_column, one_hot_column, embed_column):
            layout.addLayout(column, 1)
        for view in (self.id_map, self.one_hot_map, self.embed_map):  # hovering one shows the pair in all
            view.sig_hover.connect(self._on_pair_hover)
        return page

    def _build_product(self) -> QWidget:
        page = QWidget()
        self.product_note = QLabel()
        self.product_note.setWordWrap(True)
        self.one_hot_strip = TokenHeatmap()
        self.one_hot_strip.setFixedHeight(120)
        self.e_map = TokenHeatmap()
        self.row_strip = TokenHeatmap()
        self.row_strip.setFixedHeight(120)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.product_note)
        layout.addWidget(self.one_hot_strip)
        layout.addWidget(self.e_map, 1)
        layout.addWidget(self.row_strip)
        return page

    # -- data in -------------------------------------------------------------------------
    def set_tokenizers(self, src_tok, tgt_tok=None) -> None:
        """The model's source and target tokenizers (from sig_model_changed or a test)."""
        self.tokenizers["model:src"] = src_tok
        if tgt_tok is not None:
            self.tokenizers["model:tgt"] = tgt_tok
        if self.source_key.startswith("model:"):
            self._use(self.tokenizers.get(self.source_key))

    def set_corpus(self, corpus) -> None:
        """The corpus whose training text the word / char / BPE choices are trained on."""
        self.corpus = corpus
        for key in [k for k in self.tokenizers if k.startswith("corpus:")]:
            del self.tokenizers[key]
        train = corpus.split("train") if corpus is not None else []
        if train and self.text_edit.text() == DEFAULT_TEXT:
            self.text_edit.setText(train[0].src)
        if self.source_key.startswith("corpus:"):
            self._on_source()

    @Slot(object)
    def show_embeddings(self, snapshot) -> None:
        """Keep an EmbeddingSnapshot ("src" or "tgt") and redraw the embedding views (a
        hidden panel redraws when it is shown)."""
        if snapshot.name in ("src", "tgt"):
            self.snapshots[snapshot.name] = snapshot
            self._stale = not self.isVisible()
            if not self._stale:
                self.refresh()

    def _on_replay(self, snapshot) -> None:
        """The window's timeline moved: the embedding rows of that snapshot (None: live)."""
        if snapshot is None:
            if self.session.has_model and self.snapshots:
                self._request_embeddings()
            return
        for side, tok in (("src", self.session.src_tokenizer), ("tgt", self.session.tgt_tokenizer)):
            if tok is not None:
                self.snapshots[side] = snapshot_embeddings(snapshot, side, tok)
        self._stale = not self.isVisible()  # one redraw for both sides
        if not self._stale:
            self.refresh()

    def showEvent(self, event) -> None:
        """Ask for the embeddings, or draw those that came, once the panel is shown."""
        super().showEvent(event)
        if self.session.has_model and not self.snapshots:
            self._request_embeddings()
        elif self._stale:
            self._stale = False
            self.refresh()

    def _request_embeddings(self) -> None:
        self.session.request_embeddings("src").then(self.show_embeddings)
        self.session.request_embeddings("tgt").then(self.show_embeddings)

    def use_tokenizer(self, tokenizer) -> None:
        """Tokenize with this tokenizer (whatever the combo says) and redraw."""
        self._use(tokenizer)

    @property
    def source_key(self) -> str:
        return self.source_combo.currentData()

    # -- session -------------------------------------------------------------------------
    @Slot(object)
    def _on_model_changed(self, info) -> None:
        self.snapshots.clear()
        self.set_corpus(info.corpus)
        self.set_tokenizers(info.src_tokenizer, info.tgt_tokenizer)
        if self.isVisible():  # a hidden panel asks when it is shown
            self._request_embeddings()

    @Slot()
    def _on_source(self) -> None:
        key = self.source_key
        if key in self.tokenizers:
            self._use(self.tokenizers[key])
        elif key.startswith("corpus:"):
            self._train_tokenizer(key)
        else:
            self._set_status("no model")

    def _train_tokenizer(self, key: str) -> None:
        """Train word / char / BPE on the corpus's source training text, in a worker thread."""
        if self.corpus is None:
            self._set_status("no corpus")
            return
        kind = key.split(":")[1]
        texts = [p.src for p in self.corpus.split("train")]
        self._set_status("training", kind=kind, n=len(texts))
        self._worker = Job(build_tokenizer, (kind, texts, self.corpus.src_lang), owner=self)
        self._worker.sig_done.connect(self._on_trained)
        self._worker.sig_failed.connect(self._on_train_failed)
        self._worker.start()

    @Slot(object)
    def _on_trained(self, tokenizer) -> None:
        key = f"corpus:{tokenizer.kind}"
        self.tokenizers[key] = tokenizer
        if self.source_key == key:
            self._use(tokenizer)

    @Slot(str)
    def _on_train_failed(self, error: str) -> None:
        self._set_status("failed", error=error)

    def _use(self, tokenizer) -> None:
        self.tokenizer = tokenizer
        self.refresh()

    # -- computing what is shown -----------------------------------------------------------
    def embedding_matrix(self):
        """The EmbeddingSnapshot whose rows the current tokenizer's IDs index, or None.

        A row of E belongs to a token only when the snapshot's vocabulary is the
        tokenizer's (a tokenizer trained here on the corpus may differ from the model's).
        """
        if self.tokenizer is None:
            return None
        vocab = tuple(self.tokenizer.tokens())
        for snapshot in self.snapshots.values():
            if tuple(snapshot.tokens) == vocab:
                return snapshot
        return None

    def show_sentence(self, src: str | None, reference: str | None = None) -> None:
        """Tokenize ``src`` (None: the text already there) and redraw."""
        if src is not None:
            self.text_edit.setText(src)
        self.refresh()

    def select_token(self, index: int) -> None:
        """Select the token in row ``index`` of the table, if there is one."""
        if self.table.rowCount() > index:
            self.table.selectRow(index)

    @Slot()
    def refresh(self) -> None:
        """Tokenize the text and redraw every view."""
        tok = self.tokenizer
        if tok is None:
            return
        self.tokens = tok.tokenize(self.text_edit.text())
        self.ids = np.asarray(tok.encode(self.text_edit.text()), dtype=np.int64)
        self.one_hot = tok.one_hot(self.ids)  # (T, V)
        snapshot = self._snapshot = self.embedding_matrix()
        self.embedded = None if snapshot is None else self.one_hot @ snapshot.matrix  # (T, D) rows of E
        self._set_status("tokenized", kind=tok.kind, lang=tok.lang, V=tok.vocab_size, T=len(self.tokens))
        self._show_unknown(tok)
        self._fill_table()
        self._show_memory(tok.vocab_size, snapshot)
        if not self.tokens:
            self._set_status("empty")
            return
        self._draw_number_line()
        labels = self.labels()
        self.id_map.set_matrix(id_distances(self.ids), labels, labels, scale="auto")
        self._draw_one_hot_map()
        self._draw_embedding_map(snapshot)
        if self.tokens:
            self.table.selectRow(min(max(self.table.currentRow(), 0), len(self.tokens) - 1))
        self._on_selected()

    def _show_unknown(self, tok) -> None:
        """The line naming the words not in the vocabulary (and, for the model's source
        tokenizer, where input longer than the model reads is cut)."""
        cfg = self.session.model_config if self.source_key == "model:src" else None
        max_len = cfg.max_len if cfg is not None else 1 << 30
        text = self.text_edit.text()
        self.source_notice.show_check({"text": text, **check_source(tok, text, max_len).to_dict()})

    def labels(self) -> list[str]:
        """Axis labels of the pairwise views: the tokens in text order."""
        return list(self.tokens)

    def one_hot_matrix(self) -> np.ndarray:
        """(T, T) distances (or cosine similarities) between the tokens' one-hot vectors."""
        if self.one_hot_metric.currentData() == "euclidean":
            return euclidean_distances(self.one_hot)
        return cosine_similarities(self.one_hot)

    def embedding_cosine(self) -> np.ndarray | None:
        """(T, T) cosine similarities between the tokens' embedding rows, or None without E."""
        return None if self.embedded is None else cosine_similarities(self.embedded)

    def _fill_table(self) -> None:
        self.table.setRowCount(len(self.tokens))
        for r, (token, i) in enumerate(zip(self.tokens, self.ids)):
            cells = [token, str(int(i)), "", "—"]
            if self.embedded is not None:
                row = self.embedded[r]
                cells[3] = "[" + ", ".join(f"{v:+.3f}" for v in row[:PREVIEW_NUMBERS]) + \
                           (", …]" if len(row) > PREVIEW_NUMBERS else "]")
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if int(i) == UNK:
                    item.setBackground(QColor(UNKNOWN_COLOR))
                    item.setForeground(QColor("black"))
                self.table.setItem(r, c, item)
        self._write_table_texts()
        self.table.resizeColumnsToContents()

    def _write_table_texts(self) -> None:
        """The table's words (where the 1 is, the tooltips) in the current language."""
        V = self.one_hot.shape[1]
        for r, i in enumerate(self.ids[: self.table.rowCount()]):
            hot = int(np.flatnonzero(self.one_hot[r])[0])
            one_hot, embedding = self.table.item(r, 2), self.table.item(r, 3)
            if one_hot is None or embedding is None:
                continue
            one_hot.setText(self.tr("1 at {hot} / {V}").format(hot=hot, V=V))
            token = self.table.item(r, 0)
            if int(i) == UNK and token is not None:
                token.setToolTip(self.tr("Not in the vocabulary: the tokenizer writes <unk> (id {id}) for it, "
                                         "the same token for every word it does not know").format(id=UNK))
            one_hot.setToolTip(self.tr("{V} numbers: all 0 except a 1 at index {hot}").format(hot=hot, V=V))
            if self.embedded is None:
                embedding.setToolTip(self.tr("no embedding matrix for this tokenizer's vocabulary "
                                             "(choose the model's tokenizer)"))
            else:
                row = self.embedded[r]
                embedding.setToolTip(
                    self.tr("E[{id}] ({n} numbers):").format(id=int(i), n=len(row)) + "\n"
                    + np.array2string(row, precision=4, max_line_width=90, threshold=100_000))

    def _show_memory(self, V: int, snapshot) -> None:
        T = len(self.tokens)
        one_hot_zero = sparsity(self.one_hot) if T else (V - 1) / V
        lines = [self.tr("<b>Memory per token</b> — ID (int64): <b>8 B</b>, one value, dense · "
                         "one-hot (float32): 4·V = <b>{bytes:,} B</b>, {zeros:.2%} zeros")
                 .format(bytes=4 * V, zeros=one_hot_zero)]
        if snapshot is not None and self.embedded is not None:
            D = snapshot.matrix.shape[1]
            zeros = sparsity(self.embedded) if T else 0.0
            lines[0] += self.tr(" · embedding (float32): 4·D = <b>{bytes:,} B</b>, {zeros:.0%} zeros"
                                ).format(bytes=4 * D, zeros=zeros)
            totals = f"{8 * T:,} B · {4 * V * T:,} B · {4 * D * T:,} B"
        else:
            totals = f"{8 * T:,} B · {4 * V * T:,} B"
        lines.append(self.tr("For these {T} tokens: {totals}.").format(T=T, totals=totals))
        self.memory.setText("<br>".join(lines))

    def _draw_number_line(self) -> None:
        for item in self.line_labels:
            self.number_line.removeItem(item)
        self.line_labels = []
        ids = self.ids.astype(float)
        self.line_points.setData(x=ids, y=np.zeros(len(ids)))
        by_id = sorted({int(i): t for t, i in zip(self.tokens, self.ids)}.items())
        for i, token in by_id:
            text = pg.TextItem(f"{token} {i}", color=pg.getConfigOption("foreground"),
                                anchor=(0.5, 1.0))
            text.setPos(float(i), LABEL_ROWS[0])
            self.number_line.addItem(text)
            self.line_labels.append(text)
        V = self.one_hot.shape[1]
        self.number_line.setXRange(0, max(V - 1, 1), padding=0.02)
        self.number_line.setYRange(-0.3, 2.0, padding=0)
        self._place_line_labels()

    @Slot()
    def _place_line_labels(self) -> None:
        """Put each label (in ID order) on the lowest row where it clears the label before
        it; hide it where no row has room, or its ID is out of view. Runs again on zoom.

        A label is centred over its point, but slides sideways (still over the point) to
        stay inside the plot near its edges."""
        view = self.number_line.getPlotItem().getViewBox()
        (x0, x1), _ = view.viewRange()
        if view.width() <= 0 or x1 <= x0:
            return
        units_per_px = (x1 - x0) / view.width()
        row_ends = [x0] * len(LABEL_ROWS)  # where each row's last label ends (x)
        for label in self.line_labels:
            x = label.pos().x()
            text = label.textItem.boundingRect().width() * units_per_px
            gap = LABEL_GAP_PX * units_per_px
            left = min(max(x - text / 2 - gap, x0), x1 - text - 2 * gap)  # left end of the gap
            row = next((r for r, end in enumerate(row_ends) if left >= end), None)
            shown = row is not None and x0 <= x <= x1
            label.setVisible(shown)
            if shown:
                label.setAnchor((min(max((x - left - gap) / text, 0.0), 1.0), 1.0))
                label.setPos(x, LABEL_ROWS[row])
                row_ends[row] = left + text + 2 * gap

    @Slot()
    def _draw_one_hot_map(self) -> None:
        if self.tokenizer is None:
            return
        labels = self.labels()
        self.one_hot_map.set_matrix(self.one_hot_matrix(), labels, labels, scale="auto",
                                    title=self._one_hot_title())

    def _one_hot_title(self) -> str:
        return self.tr("one-hot: {metric}").format(metric=self.one_hot_metric.currentText())

    def _draw_embedding_map(self, snapshot) -> None:
        cosine = self.embedding_cosine()
        labels = self.labels()
        self._write_embed_note(snapshot)
        self.embed_map.setVisible(cosine is not None)
        if cosine is not None:
            self.embed_map.set_matrix(cosine, labels, labels, scale="signed")

    def _write_embed_note(self, snapshot) -> None:
        if snapshot is None or self.embedded is None:
            self.embed_note.setText(self.tr("No embedding matrix for this tokenizer: choose the model's "
                                            "tokenizer (after a model is loaded)."))
            return
        side = self.tr("source") if snapshot.name == "src" else self.tr("target")
        self.embed_note.setText(self.tr("E from the {side} side at step {step} (D = {D})").format(
            side=side, step=snapshot.step, D=snapshot.matrix.shape[1]))

    # -- interaction -------------------------------------------------------------------------
    @Slot(int, int)
    def _on_pair_hover(self, row: int, col: int) -> None:
        for view in (self.id_map, self.one_hot_map, self.embed_map):
            view.highlight(row, col)

    @Slot()
    def _on_selected(self) -> None:
        r = self.table.currentRow()
        if not 0 <= r < len(self.tokens):
            return
        token_id, V = int(self.ids[r]), self.one_hot.shape[1]
        # A large vocabulary (opus-mt: 58,102) is drawn around the token's ID, not whole.
        lo = min(max(token_id - VOCAB_WINDOW // 2, 0), max(V - VOCAB_WINDOW, 0))
        hi = min(lo + VOCAB_WINDOW, V)
        vocab = self.tokenizer.tokens()[lo:hi]
        self.one_hot_strip.set_matrix(self.one_hot[r:r + 1, lo:hi], [f"o({self.tokens[r]})"], vocab,
                                      scale="prob")
        self.one_hot_strip.highlight(0, token_id - lo)
        snapshot = self.embedding_matrix()
        self._product = {"token": self.tokens[r], "id": token_id, "V": V, "gap": None,
                         "lo": lo, "hi": hi}
        if snapshot is None or self.embedded is None:
            self._write_product_note()
            return
        E = snapshot.matrix
        dims = [f"d{j}" for j in range(E.shape[1])]
        self.e_map.set_matrix(E[lo:hi], vocab, dims, scale="signed")
        self.e_map.highlight(token_id - lo, -1)
        self.e_map.plot.getViewBox().setYRange(max(token_id - lo - 12, 0), min(token_id - lo + 13, hi - lo),
                                               padding=0)
        self.row_strip.set_matrix(self.embedded[r:r + 1], ["o × E"], dims, scale="signed")
        self._product["gap"] = float(np.abs(self.embedded[r] - E[token_id]).max())
        self._write_product_note()

    def _write_product_note(self) -> None:
        """The one-hot × E explanation for the selected token, in the current language."""
        p = self._product
        if p is None:
            self.product_note.setText(self.tr("Select a token in the table."))
        elif p["gap"] is None:
            self.product_note.setText(self.tr(
                "“{token}” has ID {id}: its one-hot vector has its 1 at index {id} of {V}. "
                "Choose the model's tokenizer to see E.").format(**p))
        else:
            self.product_note.setText(self.tr(
                "“{token}” has ID {id}. o has V = {V} entries, all 0 except a 1 at {id}, so o × E "
                "adds up only row {id} of E: o × E = E[{id}] (largest difference {gap:.1e}). "
                "The embedding is a lookup.").format(**p))
        if p is not None and p["hi"] - p["lo"] < p["V"]:
            self.product_note.setText(self.product_note.text() + " " + self.tr(
                "Drawn: IDs {lo}–{last} of {V:,}; the other {rest:,} entries of o are all 0 and "
                "their rows of E are left out of the picture.").format(
                    last=p["hi"] - 1, rest=p["V"] - (p["hi"] - p["lo"]), **p))

    # -- export ------------------------------------------------------------------------------
    def matrices(self) -> list[LabeledMatrix]:
        """The numbers behind the views: IDs, one-hot rows, embedding rows and the three
        pairwise matrices, labelled with the tokens (none before a tokenizer is in)."""
        if not self.tokenizer:
            return []
        labels = tuple(self.labels())
        V = self.one_hot.shape[1]
        out = [LabeledMatrix("ids", self.ids[:, None].astype(float), labels, ("id",)),
               LabeledMatrix("one_hot", self.one_hot, labels, tuple(self.tokenizer.tokens()[:V])),
               LabeledMatrix("id_distance", id_distances(self.ids).astype(float), labels, labels),
               LabeledMatrix("one_hot_" + self.one_hot_metric.currentData(),
                             self.one_hot_matrix(), labels, labels)]
        if self.embedded is not None:
            dims = tuple(f"d{j}" for j in range(self.embedded.shape[1]))
            out += [LabeledMatrix("embedding", self.embedded, labels, dims),
                    LabeledMatrix("embedding_cosine", self.embedding_cosine(), labels, labels)]
        return out
