"""The attention panel's inputs: the sentence, its reference, the examples to pick from
(corpus pairs or the lines of a file), how to trace it, and whether training follows it.

``sig_run`` asks the panel to trace what the inputs say (``request()``): the Translate
button, and a sentence picked from the list (picking one traces it at once). An example
shown by the panel's API (``show_example``) holds until the person types another sentence:
the example's reference then goes, and a teacher-forcing mode that came with it returns to
what it was, so the typed sentence is translated freely.
"""
from __future__ import annotations

from pathlib import Path

from pyqtgraph.Qt import QtCore, QtWidgets

from explorer.panels.attention.state import MODES, ROW_ALIGNMENTS
from explorer.texts import Texts


class SentenceInputs(QtWidgets.QWidget):
    """Source, reference, example list, file, mode, beam, Translate, Follow training, and the
    gold-alignment row choice; each text is declared where its control is made (``Texts``).

    Two rows: source, examples, file; reference, mode, beam, Translate. ``follow_box`` and
    ``row_align_box`` are left for the panel to place (``options``), so that the reference
    keeps a readable width in a 1,366-pixel window."""

    sig_run = QtCore.Signal()  # trace what the inputs say
    sig_loaded = QtCore.Signal(int, str)  # sentences read from a file: how many, its name

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.sentences: list[tuple[str, str | None, object | None]] = []  # (src, ref, pair)
        self._example: tuple[str, str | None, str] | None = None  # src, ref, mode before it
        t = self.texts = Texts(self)
        self.source_label = t.widget(QtWidgets.QLabel(), lambda: self.tr("Source:"))
        self.source_edit = t.widget(QtWidgets.QLineEdit(), tip=lambda: self.tr(
            "The sentence to translate (Ctrl+Return runs it)"))
        t.bind(self.source_edit.setPlaceholderText, lambda: self.tr("Type a sentence in the source language"))
        self.reference_label = t.widget(QtWidgets.QLabel(), lambda: self.tr("Reference:"))
        self.reference_edit = t.widget(QtWidgets.QLineEdit(), tip=lambda: self.tr(
            "Forced through the decoder in teacher-forcing mode"))
        t.bind(self.reference_edit.setPlaceholderText,
               lambda: self.tr("Reference translation (for teacher forcing)"))
        self.reference_edit.returnPressed.connect(self.sig_run)
        self.sentence_box = t.widget(QtWidgets.QComboBox(), tip=lambda: self.tr(
            "Pick a corpus example (with its reference) or a line of the loaded file"))
        self.sentence_box.setMinimumContentsLength(24)
        self.sentence_box.setSizeAdjustPolicy(
            QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.sentence_box.activated.connect(self._on_sentence_picked)
        self.source_edit.textEdited.connect(self._on_source_typed)
        self.source_edit.returnPressed.connect(self.sig_run)  # Enter translates, as Ctrl+Return
        self.file_button = t.widget(QtWidgets.QPushButton(), lambda: self.tr("Open file…"),
                                    lambda: self.tr("Load a text file, one sentence per line (Ctrl+O)"))
        self.file_button.clicked.connect(self.open_file)
        self.mode_box = t.widget(QtWidgets.QComboBox(), tip=lambda: self.tr(
            "Translate with the model's own output, or force the reference through the decoder "
            "to see attention on a known target"))
        for mode in MODES:
            self.mode_box.addItem(mode, mode)
        t.bind(self.mode_box, {"greedy": lambda: self.tr("Translate (greedy)"),
                               "beam": lambda: self.tr("Translate (beam search)"),
                               "forced": lambda: self.tr("Teacher forcing (reference)")})
        self.beam_spin = t.widget(QtWidgets.QSpinBox(), tip=lambda: self.tr("Beam width for beam search"))
        t.bind(self.beam_spin.setPrefix, lambda: self.tr("beam "))
        self.beam_spin.setRange(2, 16)
        self.beam_spin.setValue(4)
        self.run_button = t.widget(QtWidgets.QPushButton(), tip=lambda: self.tr(
            "Trace the sentence through the model (Ctrl+Return)"))
        self.run_button.clicked.connect(self.sig_run)
        t.add(self._on_mode_changed)  # the button says what the mode does
        self.follow_box = t.widget(QtWidgets.QCheckBox(), lambda: self.tr("Follow training"), lambda: self.tr(
            "Make this sentence the probe: while training plays, the view follows the model"))
        self.follow_box.setChecked(True)
        self.row_align_box = t.widget(QtWidgets.QComboBox(), tip=lambda: self.tr(
            "Gold alignment rows: decoder row t reads target token t and predicts token t+1; "
            "choose which of the two words the row's attention is compared with"))
        for rows in ROW_ALIGNMENTS:
            self.row_align_box.addItem(rows, rows)
        t.bind(self.row_align_box, {"predicts": lambda: self.tr("row predicts the word"),
                                    "reads": lambda: self.tr("row reads the word")})
        self.mode_box.currentIndexChanged.connect(self._on_mode_changed)

        row1 = QtWidgets.QHBoxLayout()
        row1.addWidget(self.source_label)
        row1.addWidget(self.source_edit, 3)
        row1.addWidget(self.sentence_box, 2)
        row1.addWidget(self.file_button)
        row2 = QtWidgets.QHBoxLayout()
        row2.addWidget(self.reference_label)
        row2.addWidget(self.reference_edit, 3)
        row2.addWidget(self.mode_box)
        row2.addWidget(self.beam_spin)
        row2.addWidget(self.run_button)
        self.options = (self.follow_box, self.row_align_box)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row1)
        layout.addLayout(row2)

    # -- what the inputs say ----------------------------------------------------------------
    def request(self) -> tuple[str, str | None, str, int]:
        """(source, reference or None, mode, beam width) as typed and chosen."""
        return (self.source_edit.text().strip(), self.reference_edit.text().strip() or None,
                self.mode_box.currentData(), self.beam_spin.value())

    def pair_for(self, src: str, ref: str | None):
        """The corpus pair with this source and reference (its gold alignment), or None."""
        for s, r, pair in self.sentences:
            if pair is not None and s == src and r == ref:
                return pair
        return None

    # -- sentences ----------------------------------------------------------------------------
    def set_corpus(self, corpus, n: int = 200) -> None:
        """Offer the corpus's first ``n`` validation (else training) pairs as examples."""
        pairs = list(corpus.split("valid") or []) or list(corpus.split("train") or [])
        self._set_sentences([(p.src, p.tgt, p) for p in pairs[:n]])

    def load_sentences(self, path: str | Path) -> int:
        """Offer the non-empty lines of a UTF-8 text file; returns how many."""
        lines = [ln.strip() for ln in Path(path).read_text(encoding="utf-8").splitlines()]
        self._set_sentences([(ln, None, None) for ln in lines if ln])
        return len(self.sentences)

    def _set_sentences(self, sentences) -> None:
        self.sentences = sentences
        self.sentence_box.clear()
        for src, ref, _pair in sentences:
            self.sentence_box.addItem(src if ref is None else f"{src}  →  {ref}")
        if sentences:
            self.pick_sentence(0)  # an example: typing another sentence leaves its reference
            self._example = (sentences[0][0], sentences[0][1], self.mode_box.currentData())

    def pick_sentence(self, index: int) -> None:
        """Put sentence ``index`` (and its reference, if any) into the input fields."""
        src, ref, _pair = self.sentences[index]
        self.sentence_box.setCurrentIndex(index)
        self.source_edit.setText(src)
        self.reference_edit.setText(ref or "")

    def show_example(self, src: str, reference: str | None, mode: str) -> None:
        """Show an example in ``mode``; it holds until another sentence is typed."""
        before = self.mode_box.currentData()
        index = next((i for i, (s, r, _p) in enumerate(self.sentences)
                      if s == src and r == reference), None)
        if index is not None:
            self.pick_sentence(index)
        else:
            self.source_edit.setText(src)
            self.reference_edit.setText(reference or "")
        self.mode_box.setCurrentIndex(MODES.index(mode))
        self._example = (src, reference, before)

    def _on_sentence_picked(self, index: int) -> None:
        """A person picked an example or a line of the loaded file: trace it at once."""
        self.pick_sentence(index)
        self._example = (self.source_edit.text(), self.reference_edit.text() or None,
                         self.mode_box.currentData())
        self.sig_run.emit()

    def _on_source_typed(self, text: str) -> None:
        """Typing another sentence leaves the example behind: its reference goes, and a
        teacher-forcing mode that came with the example returns to what it was."""
        example, self._example = self._example, None
        if example is None or text.strip() == example[0]:
            self._example = example
            return
        _src, ref, mode = example
        if ref is not None and self.reference_edit.text().strip() == ref:
            self.reference_edit.clear()
        if self.mode_box.currentData() == "forced":
            self.mode_box.setCurrentIndex(MODES.index(mode if mode != "forced" else "greedy"))

    @QtCore.Slot()
    def open_file(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self, self.tr("Open sentences"), "", self.tr("Text (*.txt *.tsv);;All files (*)"))
        if path:
            self.sig_loaded.emit(self.load_sentences(path), Path(path).name)

    def _on_mode_changed(self, *_args) -> None:
        mode = self.mode_box.currentData()
        self.beam_spin.setEnabled(mode == "beam")
        self.run_button.setText(self.tr("Force reference") if mode == "forced"
                                else self.tr("Translate"))
