"""The tokens panel: how a token becomes a number, then a vector.

Type a sentence and pick a tokenizer (the model's own, or word / char / BPE trained on the
corpus's training text). Each token gets a row: the token (a SentencePiece model's pieces
keep their ▁, which marks where a word starts), its ID, its one-hot vector (written
sparse: where the 1 is, out of V) and its embedding row (a row of the model's E).

Three views compare the representations of the same tokens side by side
(tokens_views.CompareTab): IDs (one dimension, |i − j| means nothing), one-hot vectors
(all √2 apart) and rows of E (cosine similarities that can carry meaning). The "One-hot × E"
tab (tokens_views.ProductTab) shows that product for the selected token.

The panel keeps a ``TokensState`` (explorer/logic/tokens.py: the state and the functions,
without Qt) and draws from it. A new text or tokenizer redraws everything; new rows of E
(training, the window's timeline) update the embedding views in place. Texts are declared
with their widgets (``explorer.texts``).
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Slot
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
from explorer.logic import tokens as logic
from explorer.logic.timeline import snapshot_embeddings
from explorer.logic.tokens import DEFAULT_TEXT, TokensState
from explorer.panels.base import Panel
from explorer.panels.tokens_views import CompareTab, ProductTab
from explorer.texts import Texts
from explorer.widgets.export import LabeledMatrix
from explorer.widgets.source_notice import UNKNOWN_COLOR, SourceNotice
from model.source_check import check_source
from model.tokenizer import UNK, build_tokenizer


class TokensPanel(Panel):
    """Text → tokens → IDs → one-hot vectors → embedding rows, compared side by side.

    API (besides ``Panel``'s): ``show_sentence``, ``select_token``, ``use_tokenizer``,
    ``set_tokenizers``, ``set_corpus``, ``show_embeddings``; ``state`` is what it shows.
    """

    title = "Tokens"
    TAB_NAMES = logic.TABS

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.state = TokensState()
        self.tokenizers: dict[str, object] = {}  # source key -> Tokenizer
        self.corpus = None
        self._worker = None
        self._status: tuple[str, dict] = ("", {})  # what the status line says: key, values
        self._stale: set[str] = set()  # "all" / "embeddings": what a hidden panel must redraw
        self._row_labels: dict = {}  # labels of a timeline snapshot's rows, made once
        self._redraw_timer = QTimer(self, singleShot=True, interval=0)  # one redraw per turn
        self._redraw_timer.timeout.connect(self._redraw)
        texts = self.texts = Texts(self)

        self.text_edit = texts.widget(QLineEdit(DEFAULT_TEXT), tip=lambda: self.tr("The text to tokenize (Enter)"))
        texts.bind(self.text_edit.setPlaceholderText, lambda: self.tr("type a sentence…"))
        self.text_edit.returnPressed.connect(self.refresh)
        self.source_combo = QComboBox()
        for key in logic.SOURCES:
            self.source_combo.addItem("", key)
        texts.bind(self.source_combo, {"model:src": lambda: self.tr("model · source tokenizer"),
                                       "model:tgt": lambda: self.tr("model · target tokenizer"),
                                       "corpus:word": lambda: self.tr("word · trained on the corpus"),
                                       "corpus:char": lambda: self.tr("char · trained on the corpus"),
                                       "corpus:bpe": lambda: self.tr("BPE · trained on the corpus")})
        texts.bind(self.source_combo.setToolTip, lambda: self.tr(
            "Which tokenizer splits the text: the translator's own, or a word / char / BPE tokenizer "
            "trained on the corpus's training text"))
        self.source_combo.currentIndexChanged.connect(self._on_source)
        self.go_button = texts.widget(QPushButton(), lambda: self.tr("Tokenize"),
                                      tip=lambda: self.tr("Split the text into tokens (Enter / Ctrl+Return)"))
        self.go_button.clicked.connect(self.refresh)
        self.text_label = texts.widget(QLabel(), lambda: self.tr("Text"),
                                       tip=lambda: self.tr("The sentence to split into tokens"))
        top = QHBoxLayout()
        top.addWidget(self.text_label)
        top.addWidget(self.text_edit, 1)
        top.addWidget(self.source_combo)
        top.addWidget(self.go_button)
        self.status = QLabel()
        self.status.setWordWrap(True)

        self.table = QTableWidget(0, 4)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._on_selected)
        texts.bind(self.table.setToolTip,
                   lambda: self.tr("One row per token; select one to see one-hot × E pick its row of E"))
        self.memory = QLabel()
        self.memory.setWordWrap(True)
        self.memory.setTextFormat(Qt.TextFormat.RichText)

        self.compare, self.product = CompareTab(self.state), ProductTab(self.state)
        self.tabs = QTabWidget()
        for index, (page, title, tip) in enumerate((
                (self.compare, lambda: self.tr("Compare: ID · one-hot · embedding"),
                 lambda: self.tr("The same tokens as IDs, one-hot vectors and embedding rows, side by side (Alt+1)")),
                (self.product, lambda: self.tr("One-hot × E"),
                 lambda: self.tr("How multiplying a one-hot vector by E picks one row of E (Alt+2)")))):
            self.tabs.addTab(page, "")
            texts.bind(lambda text, i=index: self.tabs.setTabText(i, text), title)
            texts.bind(lambda text, i=index: self.tabs.setTabToolTip(i, text), tip)
        self.tabs.currentChanged.connect(self._on_tab)
        self._drawn: dict[str, str] = {}  # tab -> "all" / "embeddings": what it still must draw

        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.table, 1)
        upper_layout.addWidget(self.memory)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([160, 520])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.status)
        self.source_notice = SourceNotice()  # words not in the vocabulary, input cut
        layout.addWidget(self.source_notice)
        layout.addWidget(splitter, 1)

        for keys, slot in (("Ctrl+Return", self.refresh), ("Alt+1", lambda: self.open_tab("compare")),
                           ("Alt+2", lambda: self.open_tab("product"))):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        texts.add(self._write_status)
        texts.add(self._write_table_texts)
        texts.add(self._write_memory)

        session.sig_model_changed.connect(self._on_model_changed)
        if hasattr(session, "sig_replay"):
            session.sig_replay.connect(self._on_replay)
            session.sig_timeline.connect(self._label_timeline_rows)
        if session.has_model:
            self._on_model_changed(session.info)
        if getattr(session, "timeline", None):
            self._label_timeline_rows(session.timeline)

    # -- the small API ---------------------------------------------------------------------
    def show_sentence(self, src: str | None, reference: str | None = None) -> None:
        """Tokenize ``src`` (None: the text already there) and redraw."""
        if src is not None:
            self.text_edit.setText(src)
        self.refresh()

    def select_token(self, index: int) -> None:
        """Select the token in row ``index`` of the table, if there is one."""
        if self.table.rowCount() > index:
            self.table.selectRow(index)

    def use_tokenizer(self, tokenizer) -> None:
        """Tokenize with this tokenizer (whatever the combo says) and redraw."""
        logic.tokenize(self.state, tokenizer)
        self.refresh()

    def set_tokenizers(self, src_tok, tgt_tok=None) -> None:
        """The model's source and target tokenizers (from sig_model_changed or a test)."""
        self.tokenizers["model:src"] = src_tok
        if tgt_tok is not None:
            self.tokenizers["model:tgt"] = tgt_tok
        if self.source_key.startswith("model:"):
            self.use_tokenizer(self.tokenizers.get(self.source_key))

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
        """Keep an EmbeddingSnapshot ("src" or "tgt") and update the embedding views in
        place (a hidden panel does it when shown)."""
        if snapshot.name in ("src", "tgt") and getattr(self.session, "replay_snapshot", None) is None:
            logic.take_embeddings(self.state, snapshot)  # (a live answer during a replay: dropped)
            self._schedule("embeddings")

    @property
    def source_key(self) -> str:
        return self.source_combo.currentData()

    # state, as tests and exports read it
    tokens = property(lambda self: self.state.tokens)
    ids = property(lambda self: self.state.ids)
    one_hot = property(lambda self: self.state.one_hot)
    embedded = property(lambda self: self.state.embedded)

    def embedding_cosine(self):
        return logic.embedding_cosine(self.state)

    @Slot()
    def refresh(self) -> None:
        """Tokenize the text and redraw every view."""
        if self.state.tokenizer is None:
            return
        logic.tokenize(self.state, text=self.text_edit.text())
        self._redraw_timer.stop()
        self._stale.clear()
        self._draw_all()

    # -- drawing ---------------------------------------------------------------------------
    def _schedule(self, what: str) -> None:
        """Redraw ``what`` ("all", "embeddings") on the next event-loop turn, or when shown."""
        self._stale.add(what)
        if self.isVisible():
            self._redraw_timer.start()

    def _redraw(self) -> None:
        stale, self._stale = self._stale, set()
        if "all" in stale:
            self._draw_all()
        elif "embeddings" in stale:
            self._draw_embeddings()

    def _draw_all(self) -> None:
        s, tok = self.state, self.state.tokenizer
        self._set_status("tokenized" if s.tokens else "empty", kind=tok.kind, lang=tok.lang,
                         V=tok.vocab_size, T=len(s.tokens))
        self._show_unknown()
        self._fill_table()
        self._write_memory()
        self._drawn = {name: "all" for name in self.TAB_NAMES}
        self._draw_tab()

    def _draw_embeddings(self) -> None:
        """New rows of E for the same tokens: the table's last column, the memory line and
        the embedding views change; nothing is rebuilt."""
        if self.state.tokenizer is None:
            return
        self._write_table_texts(cells=True)
        self._write_memory()
        for name in self.TAB_NAMES:
            self._drawn.setdefault(name, "embeddings")
        self._draw_tab()

    def _draw_tab(self) -> None:
        """Draw what the tab in front still needs (the other one draws when it is opened)."""
        name = self.current_tab
        what = self._drawn.pop(name, None)
        tab = self.compare if name == "compare" else self.product
        if what == "all":
            tab.draw()
        elif what == "embeddings":
            tab.draw_embeddings()

    @Slot(int)
    def _on_tab(self, _index: int) -> None:
        self._draw_tab()

    def showEvent(self, event) -> None:
        """Ask for the embeddings, or draw what came while hidden, once the panel is shown."""
        super().showEvent(event)
        if self.session.has_model and not self.state.snapshots:
            self._request_embeddings()
        if self._stale:
            self._redraw_timer.start()

    def _set_status(self, key: str, **values) -> None:
        self._status = (key, values)
        self._write_status()

    def _write_status(self) -> None:
        """The status line in the current language, from the last state it reported."""
        key, v = self._status
        if key == "tokenized" and v["kind"] == "spm":
            text = self.tr("SentencePiece pieces ({lang}), V = {V:,}: {T} pieces; ▁ marks the start "
                           "of a word.").format(**v)
        elif key == "tokenized":
            text = self.tr("{kind} tokenizer ({lang}), V = {V:,}: {T} tokens.").format(**v)
        else:
            text = {"no model": self.tr("No model is loaded yet: pick a tokenizer trained on the corpus, "
                                        "or open a checkpoint."),
                    "no corpus": self.tr("No corpus is loaded yet."),
                    "training": self.tr("Training a {kind} tokenizer on {n:,} sentences…"),
                    "reading": self.tr("Training a {kind} tokenizer: {done:,} of {n:,} sentences read…"),
                    "failed": self.tr("Could not train it: {error}"),
                    "empty": self.tr("The text holds no tokens.")}.get(key, "").format(**v)
        self.status.setText(text)

    def _show_unknown(self) -> None:
        """The line naming the words not in the vocabulary (and, for the model's source
        tokenizer, where input longer than the model reads is cut)."""
        model_config = self.session.model_config if self.source_key == "model:src" else None
        max_len = model_config.max_len if model_config is not None else 1 << 30
        text = self.state.text
        self.source_notice.show_check({"text": text, **check_source(self.state.tokenizer, text, max_len).to_dict()})

    def _fill_table(self) -> None:
        s = self.state
        self.table.blockSignals(True)
        self.table.setRowCount(len(s.tokens))
        for r, (token, i) in enumerate(zip(s.tokens, s.ids)):
            for c, text in enumerate((token, str(int(i)), "", "")):
                item = QTableWidgetItem(text)
                if int(i) == UNK:
                    item.setBackground(QColor(UNKNOWN_COLOR))
                    item.setForeground(QColor("black"))
                self.table.setItem(r, c, item)
        self._write_table_texts(cells=True)
        self.table.resizeColumnsToContents()
        if s.tokens:
            self.table.selectRow(s.selected)
        self.table.blockSignals(False)

    def _write_table_texts(self, cells: bool = False) -> None:
        """The table's words (headers, where the 1 is, the tooltips) in the current language;
        with ``cells`` also the embedding previews (new rows of E)."""
        s = self.state
        pieces = logic.is_pieces(s.tokenizer)
        self.table.setHorizontalHeaderLabels([self.tr("piece") if pieces else self.tr("token"), self.tr("ID"),
                                              self.tr("one-hot (where the 1 is)"), self.tr("embedding row")])
        for r, i in enumerate(s.ids[: self.table.rowCount()]):
            token, one_hot, embedding = (self.table.item(r, c) for c in (0, 2, 3))
            if one_hot is None or embedding is None:
                continue
            one_hot.setText(self.tr("1 at {hot} / {V}").format(hot=int(i), V=s.V))
            one_hot.setToolTip(self.tr("{V} numbers: all 0 except a 1 at index {hot}").format(hot=int(i), V=s.V))
            if int(i) == UNK and token is not None:
                token.setToolTip(self.tr("Not in the vocabulary: the tokenizer writes <unk> (id {id}) for it, "
                                         "the same token for everything it does not know").format(id=UNK))
            if s.embedded is None:
                if cells:
                    embedding.setText("—")
                embedding.setToolTip(self.tr("no embedding matrix for this tokenizer's vocabulary "
                                             "(choose the model's tokenizer)"))
            elif int(i) >= s.rows_kept:  # a timeline snapshot of a large vocabulary
                if cells:
                    embedding.setText("—")
                embedding.setToolTip(self.tr("row {id} is not kept in this snapshot (it keeps rows 0–{last} "
                                             "of E)").format(id=int(i), last=s.rows_kept - 1))
            else:
                row = s.embedded[r]
                if cells:
                    embedding.setText(logic.embedding_preview(row))
                embedding.setToolTip(self.tr("E[{id}] ({n} numbers):").format(id=int(i), n=len(row)) + "\n"
                                     + logic.row_text(row))

    def _write_memory(self) -> None:
        if self.state.tokenizer is None:
            return
        m = logic.memory(self.state)
        line = self.tr("<b>Memory per token</b> — ID (int64): <b>8 B</b>, one value, dense · "
                       "one-hot (float32): 4·V = <b>{bytes:,} B</b>, {zeros:.2%} zeros").format(
            bytes=4 * m.V, zeros=m.one_hot_zeros)
        if m.D is not None:
            line += self.tr(" · embedding (float32): 4·D = <b>{bytes:,} B</b>, {zeros:.0%} zeros").format(
                bytes=4 * m.D, zeros=m.embedding_zeros)
        totals = " · ".join(f"{b:,} B" for b in m.totals)
        self.memory.setText(line + "<br>" + self.tr("For these {T} tokens: {totals}.").format(T=m.T, totals=totals))

    # -- interaction -------------------------------------------------------------------------
    @Slot()
    def _on_selected(self) -> None:
        if logic.select(self.state, self.table.currentRow()) is None:
            return
        self._drawn["product"] = "all"
        if self.current_tab == "product":
            self._draw_tab()

    # -- data in -----------------------------------------------------------------------------
    def _on_replay(self, snapshot) -> None:
        """The window's timeline moved: the embedding rows of that snapshot (None: live)."""
        if snapshot is None:
            if self.session.has_model and self.state.snapshots:
                self._request_embeddings()
            return
        for side, tok in (("src", self.session.src_tokenizer), ("tgt", self.session.tgt_tokenizer)):
            if tok is not None:
                self.state.snapshots[side] = snapshot_embeddings(snapshot, side, tok, self._row_labels)
        logic.take_embeddings(self.state)
        if self.isVisible():  # one frame of a replay: drawn now, in place
            self._stale.discard("embeddings")
            self._draw_embeddings()
        else:
            self._stale.add("embeddings")

    @Slot(object)
    def _label_timeline_rows(self, snapshots) -> None:
        """Label the rows the timeline's snapshots keep when the history comes, not in the
        replay's first frame."""
        if snapshots:
            for side, tok in (("src", self.session.src_tokenizer), ("tgt", self.session.tgt_tokenizer)):
                if tok is not None:
                    snapshot_embeddings(snapshots[0], side, tok, self._row_labels)

    def _request_embeddings(self) -> None:
        """Ask for the model's E; while the window replays a step, take that step's rows
        instead (asking would return the whole window to live)."""
        if getattr(self.session, "replay_snapshot", None) is not None:
            return self._on_replay(self.session.replay_snapshot)
        self.session.request_embeddings("src").then(self.show_embeddings)
        self.session.request_embeddings("tgt").then(self.show_embeddings)

    @Slot(object)
    def _on_model_changed(self, info) -> None:
        self.state.snapshots.clear()
        self.set_corpus(info.corpus)
        self.set_tokenizers(info.src_tokenizer, info.tgt_tokenizer)
        if self.isVisible():  # a hidden panel asks when it is shown
            self._request_embeddings()

    @Slot()
    def _on_source(self) -> None:
        key = self.source_key
        self.state.source = key
        if key in self.tokenizers:
            self.use_tokenizer(self.tokenizers[key])
        elif key.startswith("corpus:"):
            self._train_tokenizer(key)
        else:
            self._set_status("no model")

    def _train_tokenizer(self, key: str) -> None:
        """Train word / char / BPE on the corpus's source training text, in a job."""
        if self.corpus is None:
            self._set_status("no corpus")
            return
        kind = key.split(":")[1]
        texts = [p.src for p in self.corpus.split("train")]
        self._set_status("training", kind=kind, n=len(texts))
        self._worker = Job(build_tokenizer, (kind, texts, self.corpus.src_lang), report="progress",
                           owner=self)  # cancelled (the training stops) when the window closes
        self._worker.sig_progress.connect(self._on_train_progress)
        self._worker.sig_done.connect(self._on_trained)
        self._worker.sig_failed.connect(self._on_train_failed)
        self._worker.start()

    @Slot(object)
    def _on_train_progress(self, value) -> None:
        key, v = self._status
        if self.sender() is self._worker and key in ("training", "reading"):
            done, total = value
            self._set_status("reading", kind=v["kind"], n=total, done=done)

    @Slot(object)
    def _on_trained(self, tokenizer) -> None:
        key = f"corpus:{tokenizer.kind}"
        self.tokenizers[key] = tokenizer
        if self.source_key == key:
            self.use_tokenizer(tokenizer)

    @Slot(str)
    def _on_train_failed(self, error: str) -> None:
        self._set_status("failed", error=error)

    # -- export ------------------------------------------------------------------------------
    def matrices(self) -> list[LabeledMatrix]:
        """The numbers behind the views: IDs, one-hot rows, embedding rows and the three
        pairwise matrices, labelled with the tokens (none before a tokenizer is in)."""
        return [LabeledMatrix(*entry) for entry in logic.arrays(self.state)]
