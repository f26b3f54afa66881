"""The training panel's "Data and model" tab: corpus, tokenizer, model shape, device and
Rebuild. The controls show the loaded model (``show_model``) and say what a Rebuild would
make (``choice``, a Qt-free ``SetupChoice``); the panel does the asking."""
from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from explorer.logic.training import (
    BUILTIN_CORPORA,
    SetupChoice,
    tokenizer_choice,
    tokenizer_items,
)
from explorer.texts import Texts
from explorer.widgets.loading import show_loading
from model.config import POSITIONAL_KINDS


def available_devices() -> list[str]:
    """The devices this machine can train on: cpu, and cuda when torch sees a GPU.

    Asked once a model is in: by then the worker has imported torch, so the window never
    waits for that import before it first paints.
    """
    import torch

    return ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


def select_data(combo: QComboBox, value) -> None:
    """Select the item whose data is ``value`` (nothing changes when there is none)."""
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)


class SetupBox(QWidget):
    """Corpus, tokens, layers, heads, d_model, d_ff, dropout, position, device, Rebuild."""

    sig_rebuild = Signal()  # Rebuild pressed
    sig_device = Signal(str)  # a device picked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        t = self.texts = Texts(self)
        self.corpus_combo = t.widget(QComboBox(), tip=lambda: self.tr("A built-in corpus or a file (TSV / Tatoeba)"))
        self.corpus_combo.setEditable(True)
        self.corpus_combo.addItems(BUILTIN_CORPORA)
        self.browse_button = t.widget(QPushButton(), lambda: self.tr("File…"),
                                      lambda: self.tr("Choose a corpus file"))
        self.browse_button.clicked.connect(self._on_browse)
        self.tokenizer_combo = t.widget(QComboBox(), tip=lambda: self.tr(
            "How sentences are cut into tokens (applies on Rebuild; SentencePiece pieces come "
            "with a pretrained model and cannot be trained here)"))
        self._fill_tokenizers(None)
        t.add(self._name_tokenizers)  # again after a language change
        self.layers_spin = t.widget(QSpinBox(minimum=1, maximum=12), tip=lambda: self.tr("Encoder and decoder layers"))
        self.heads_spin = t.widget(QSpinBox(minimum=1, maximum=16),
                                   tip=lambda: self.tr("Attention heads per layer (must divide d_model)"))
        self.d_model_spin = t.widget(QSpinBox(minimum=8, maximum=1024, singleStep=8),
                                     tip=lambda: self.tr("Width of the token vectors"))
        self.d_ff_spin = t.widget(QSpinBox(minimum=8, maximum=8192, singleStep=32),
                                  tip=lambda: self.tr("Width of the feed-forward layer inside each block"))
        self.dropout_spin = t.widget(QDoubleSpinBox(minimum=0.0, maximum=0.9, singleStep=0.05, decimals=2),
                                     tip=lambda: self.tr("Share of activations dropped at random while training"))
        self.pos_combo = t.widget(QComboBox(), tip=lambda: self.tr("How the model learns where each token stands"))
        for kind in POSITIONAL_KINDS:
            self.pos_combo.addItem(kind, kind)
        t.bind(self.pos_combo, {"sinusoidal": lambda: self.tr("sinusoidal"), "learned": lambda: self.tr("learned"),
                                "rotary": lambda: self.tr("rotary (RoPE)"), "none": lambda: self.tr("none")})
        self.device_combo = t.widget(QComboBox(), tip=lambda: self.tr("Where training runs: the CPU or a GPU (cuda)"))
        self.device_combo.addItem("cpu")  # the others once a model is in (see available_devices)
        self.device_combo.activated.connect(lambda: self.sig_device.emit(self.device_combo.currentText()))
        self.rebuild_button = t.widget(QPushButton(), lambda: self.tr("Rebuild"),
                                       lambda: self.tr("A fresh, untrained model with these settings"))
        self.rebuild_button.clicked.connect(self.sig_rebuild)

        self.labels = {}
        for key, text in (("corpus", lambda: self.tr("Corpus")), ("tokens", lambda: self.tr("Tokens")),
                          ("layers", lambda: self.tr("Layers")), ("heads", lambda: self.tr("Heads")),
                          ("dropout", lambda: self.tr("Dropout")), ("position", lambda: self.tr("Position")),
                          ("device", lambda: self.tr("Device"))):
            self.labels[key] = t.widget(QLabel(), text)
        grid = QGridLayout()
        grid.setContentsMargins(6, 4, 6, 4)
        corpus_row = QHBoxLayout()
        corpus_row.addWidget(self.corpus_combo, 1)
        corpus_row.addWidget(self.browse_button)
        grid.addWidget(self.labels["corpus"], 0, 0)
        grid.addLayout(corpus_row, 0, 1, 1, 3)
        grid.addWidget(self.labels["tokens"], 0, 4)
        grid.addWidget(self.tokenizer_combo, 0, 5)
        cells = [(self.labels["layers"], self.layers_spin), (self.labels["heads"], self.heads_spin),
                 (QLabel("d_model"), self.d_model_spin), (QLabel("d_ff"), self.d_ff_spin),
                 (self.labels["dropout"], self.dropout_spin), (self.labels["position"], self.pos_combo)]
        for i, (label, widget) in enumerate(cells):
            grid.addWidget(label, 1 + i // 3, 2 * (i % 3))
            grid.addWidget(widget, 1 + i // 3, 2 * (i % 3) + 1)
        grid.addWidget(self.labels["device"], 3, 0)
        grid.addWidget(self.device_combo, 3, 1)
        grid.addWidget(self.rebuild_button, 3, 5)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addStretch(1)
        self.model_fields = (self.corpus_combo, self.tokenizer_combo, self.layers_spin, self.heads_spin,
                             self.d_model_spin, self.d_ff_spin, self.dropout_spin, self.pos_combo)
        show_loading(self.model_fields, True, self.tr("loading…"))  # no placeholder values

    def _fill_tokenizers(self, current: str | None) -> None:
        """The kinds a Rebuild trains, and the model's own when it is none of them."""
        combo = self.tokenizer_combo
        items = tokenizer_items(current)
        if [combo.itemData(i) for i in range(combo.count())] != items:
            combo.clear()
            for value in items:
                combo.addItem(value, value)
            self._name_tokenizers()

    def _name_tokenizers(self) -> None:
        names = {"word": self.tr("words"), "char": self.tr("characters"), "bpe": self.tr("BPE subwords"),
                 "spm": self.tr("SentencePiece pieces")}
        for i in range(self.tokenizer_combo.count()):
            value = self.tokenizer_combo.itemData(i)
            kinds = value.split("/")
            self.tokenizer_combo.setItemText(i, " / ".join(names.get(k, k) for k in kinds))

    def show_model(self, info) -> None:
        """Show the loaded model's corpus, tokenizers, shape and device."""
        model_config = info.model_config
        show_loading(self.model_fields, False)
        self.corpus_combo.setCurrentText(info.corpus_spec or "")
        kind = tokenizer_choice(getattr(info.src_tokenizer, "kind", "word"),
                                getattr(info.tgt_tokenizer, "kind", "word"))
        self._fill_tokenizers(kind)
        select_data(self.tokenizer_combo, kind)
        self.layers_spin.setValue(model_config.n_layers)
        self.heads_spin.setValue(model_config.n_heads)
        self.d_model_spin.setValue(model_config.d_model)
        self.d_ff_spin.setValue(model_config.d_ff)
        self.dropout_spin.setValue(model_config.dropout)
        select_data(self.pos_combo, model_config.pos_encoding)
        if self.device_combo.count() == 1:
            self.device_combo.addItems(available_devices()[1:])
        self.device_combo.setCurrentText(info.device.split(":")[0])

    def choice(self) -> SetupChoice:
        """What the controls say now."""
        return SetupChoice(self.corpus_combo.currentText().strip(), self.tokenizer_combo.currentData(),
                           self.layers_spin.value(), self.heads_spin.value(), self.d_model_spin.value(),
                           self.d_ff_spin.value(), self.dropout_spin.value(), self.pos_combo.currentData(),
                           self.device_combo.currentText())

    @Slot()
    def _on_browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open corpus"), "", self.tr("Corpora (*.tsv *.txt *.csv);;All files (*)"))
        if path:
            self.corpus_combo.setCurrentText(path)
