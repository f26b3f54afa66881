"""The Compare tab: one sentence through two models, every attention map as A, B and B − A.

B is the model with the heads switched off now (A: the same model with every head on), a
timeline snapshot of the probe sentence (A: the model now, reading the same tokens), or
another checkpoint (A: the model now). The worker computes both
(``requests.Compare`` → ``model.analysis.sidebyside.SideBySide``); this view draws it:
the two translations, all heads of all layers as A, B or B − A (a diverging map, white at
zero, each kind's own symmetric scale), and the head selected in the panel as A | B | B − A.
A model compared with itself shows zero everywhere.
"""
from __future__ import annotations

import numpy as np
from pyqtgraph.Qt import QtCore, QtWidgets

from explorer.panels.attention.state import KINDS, Selection, axis_tokens, head_matrix
from explorer.panels.attention.views import GridRow, grid_title
from explorer.texts import Texts
from explorer.widgets.export import LabeledMatrix
from explorer.widgets.heatmap import TokenHeatmap
from explorer.widgets.heatmap_grid import HeatmapGrid

SHOWN = ("diff", "a", "b")  # what the grids show


def diff_blocks(result, kind: str) -> list[np.ndarray]:
    """(H, T, S) B − A of each layer of ``kind`` (empty when the tokens differ)."""
    return [result.diff[f"{kind}/{layer}"] for layer in range(len(result.a.blocks(kind)))
            if f"{kind}/{layer}" in result.diff]


def selected_matrices(result, sel: Selection) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """A, B and B − A of the selected head (or mean / max over heads); B − A None when the
    two read different tokens."""
    a = head_matrix(result.a.blocks(sel.kind)[sel.layer], sel.head)
    b = head_matrix(result.b.blocks(sel.kind)[sel.layer], sel.head)
    return a, b, (b - a if a.shape == b.shape and f"{sel.kind}/{sel.layer}" in result.diff else None)


class CompareView(QtWidgets.QWidget):
    """Controls (what B is, Compare), the translations, the grids and the selected head.

    Signals:
        sig_run(str, object): compare now with target "heads_off", "snapshot" (and the
            Snapshot) or "checkpoint" (and its path).
        sig_selected(object): a Selection clicked in a grid.
    """

    sig_run = QtCore.Signal(str, object)
    sig_selected = QtCore.Signal(object)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.result = None
        self.selection = Selection("cross", 0, 0)
        self.snapshots: list = []
        self.path: str | None = None
        self.session = self.inputs = None
        self.say = lambda _kind: None
        self.texts = t = Texts(self)
        self.target_box = QtWidgets.QComboBox()
        for data in ("heads_off", "snapshot", "checkpoint"):
            self.target_box.addItem("", data)
        t.bind(self.target_box, {
            "heads_off": lambda: self.tr("B: this model with the heads switched off now"),
            "snapshot": lambda: self.tr("B: a timeline snapshot (probe sentence)"),
            "checkpoint": lambda: self.tr("B: another checkpoint…")})
        t.bind(self.target_box.setToolTip, lambda: self.tr(
            "What B is. A is the model as it is now (with every head on when B is the same model "
            "with heads off)"))
        self.target_box.currentIndexChanged.connect(self._on_target_changed)
        self.snapshot_box = t.widget(QtWidgets.QComboBox(), tip=lambda: self.tr(
            "The training step whose recorded probe trace is B"))
        self.open_button = t.widget(QtWidgets.QPushButton(), lambda: self.tr("Open…"),
                                    tip=lambda: self.tr("Choose the checkpoint that is B"))
        self.open_button.clicked.connect(self._choose_checkpoint)
        self.run_button = t.widget(QtWidgets.QPushButton(), lambda: self.tr("Compare"),
                                   tip=lambda: self.tr("The sentence above through A and B"))
        self.run_button.clicked.connect(self.run)
        self.show_box = QtWidgets.QComboBox()
        for data in SHOWN:
            self.show_box.addItem("", data)
        t.bind(self.show_box, {"diff": lambda: self.tr("show B − A"), "a": lambda: self.tr("show A"),
                               "b": lambda: self.tr("show B")})
        t.bind(self.show_box.setToolTip, lambda: self.tr(
            "What the grids show: B − A (blue: B attends less, red: more), or A or B alone"))
        self.show_box.currentIndexChanged.connect(lambda _i: self.draw())
        controls = QtWidgets.QHBoxLayout()
        for w in (self.target_box, self.snapshot_box, self.open_button, self.run_button, self.show_box):
            controls.addWidget(w)
        controls.addStretch(1)
        self.translations = QtWidgets.QLabel()
        self.translations.setWordWrap(True)
        self.translations.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.grids = {kind: HeatmapGrid() for kind in KINDS}
        for kind, grid in self.grids.items():
            grid.sig_cell_clicked.connect(lambda r, c, k=kind: self.sig_selected.emit(Selection(k, r, c)))
        self.row = GridRow(self.grids)
        self.heads = {name: TokenHeatmap() for name in SHOWN}
        below = QtWidgets.QHBoxLayout()
        for name in ("a", "b", "diff"):
            below.addWidget(self.heads[name])
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.translations)
        layout.addWidget(self.row, 3)
        layout.addLayout(below, 2)
        self.row.setMinimumHeight(160)
        t.add(self.draw)
        self._on_target_changed()

    # -- what B is ------------------------------------------------------------------------
    @property
    def target(self) -> str:
        return self.target_box.currentData()

    def set_target(self, target: str) -> None:
        self.target_box.setCurrentIndex(self.target_box.findData(target))

    def set_snapshots(self, snapshots) -> None:
        """The timeline snapshots that carry a probe trace (newest last)."""
        current = self.snapshot_box.currentIndex()
        self.snapshots = list(snapshots)
        self.snapshot_box.clear()
        for snap in self.snapshots:
            self.snapshot_box.addItem(self.tr("step {step}").format(step=snap.step))
        if self.snapshots:
            self.snapshot_box.setCurrentIndex(current if 0 <= current < len(self.snapshots) else 0)

    def _on_target_changed(self, *_args) -> None:
        self.snapshot_box.setVisible(self.target == "snapshot")
        self.open_button.setVisible(self.target == "checkpoint")

    def _choose_checkpoint(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self, self.tr("Compare to checkpoint"), "", self.tr("Checkpoints (*.safetensors)"))
        if path:
            self.path = path
            self.run()

    def attach(self, session, inputs, say) -> None:
        """Compare through ``session`` the sentence of ``inputs`` (the panel's); ``say(kind)``
        writes the panel's status line."""
        self.session, self.inputs, self.say = session, inputs, say
        self.sig_run.connect(self._request)

    def run(self) -> None:
        """Ask for the comparison (``sig_run``; the sentence is the panel's)."""
        if self.target == "snapshot":
            i = self.snapshot_box.currentIndex()
            if 0 <= i < len(self.snapshots):
                self.sig_run.emit("snapshot", self.snapshots[i])
        elif self.target == "checkpoint":
            if self.path:
                self.sig_run.emit("checkpoint", self.path)
            else:
                self._choose_checkpoint()
        else:
            self.sig_run.emit("heads_off", None)

    def _request(self, target: str, arg) -> None:
        src, ref, mode, _beam = self.inputs.request()
        if self.session is None or (target != "snapshot" and not src.strip()):
            return
        reply = self.session.compare(src, ref if mode == "forced" else None,
                                     arg if target == "checkpoint" else target,
                                     arg if target == "snapshot" else None)
        self.say("comparing")
        reply.sig_done.connect(lambda result: (self.show_result(result), self.say("")))
        reply.sig_failed.connect(lambda message: (self.show_failure(message.text()), self.say("")))

    # -- drawing ----------------------------------------------------------------------------
    def show_result(self, result) -> None:
        self.result = result
        self.draw()

    def show_failure(self, text: str) -> None:
        self.translations.setText(text)

    def set_selection(self, selection: Selection) -> None:
        self.selection = selection
        self._draw_head()

    def _b_name(self) -> str:
        return {"heads_off": self.tr("the heads off"), "snapshot": self.tr("the snapshot"),
                "checkpoint": self.tr("the checkpoint")}[self.target]

    def draw(self) -> None:
        r = self.result
        if r is None:
            self.translations.setText(self.tr("Choose what B is and press Compare: the sentence "
                                              "above goes through both."))
            return
        a_name = self.tr("every head on") if self.target == "heads_off" else self.tr("this model")
        b_text = (self.tr("B ({b}, its predictions with the probe's target forced): {text}")
                  if r.forced else self.tr("B ({b}) translates: {text}")).format(b=self._b_name(), text=r.translation_b)
        if r.forced and not r.translation_b:
            b_text = self.tr("B ({b}): the training history keeps its attention, not its predictions").format(
                b=self._b_name())
        weights = max((float(np.abs(d).max()) for d in r.diff.values() if d.size), default=0.0)
        summary = self.tr("largest |B − A| of an attention weight: {d:.3g}").format(d=weights) \
            if r.diff else self.tr("A and B read different tokens: no difference to show")
        if r.logits_diff is not None:
            summary += "; " + self.tr("of a logit: {d:.3g}").format(d=float(np.abs(r.logits_diff).max()))
        self.translations.setText(self.tr("A ({a}) translates: {text}").format(a=a_name, text=r.translation_a)
                                  + "\n" + b_text + "\n" + summary)
        shown = self.show_box.currentData()
        for kind, grid in self.grids.items():
            if shown == "diff":
                blocks = diff_blocks(r, kind)
            else:
                blocks = [b.weights for b in (r.a if shown == "a" else r.b).blocks(kind)]
            if not blocks:
                grid.set_matrices([[np.zeros((1, 1))]], ["–"], ["–"], scale="signed")
                continue
            grid.set_matrices([[m[h] for h in range(m.shape[0])] for m in blocks],
                              [f"L{i}" for i in range(len(blocks))], [f"H{h}" for h in range(blocks[0].shape[0])],
                              scale="signed" if shown == "diff" else "prob")
            grid.set_colorbar_visible(shown == "diff" or kind == KINDS[-1])  # own scale per kind
            grid.set_title(grid_title(kind))
        self.row.arrange()
        self._draw_head()

    def _draw_head(self) -> None:
        r, sel = self.result, self.selection
        if r is None or sel.layer >= len(r.a.blocks(sel.kind)):
            return
        rows, cols = axis_tokens(r.a, sel.kind)
        a, b, d = selected_matrices(r, sel)
        title = f"{grid_title(sel.kind)} L{sel.layer} {sel.name.split('.')[-1]}"  # short: a third of the panel wide
        self.heads["a"].set_matrix(a, rows, cols, scale="prob", title="A · " + title)
        b_rows, b_cols = axis_tokens(r.b, sel.kind)
        self.heads["b"].set_matrix(b, b_rows, b_cols, scale="prob", title="B · " + title)
        self.heads["diff"].setVisible(d is not None)
        if d is not None:
            self.heads["diff"].set_matrix(d, rows, cols, scale="signed", title="B − A · " + title)

    def matrices(self) -> list[LabeledMatrix]:
        """B − A of every head (what the grids show by default), then the selected head's A and B."""
        r = self.result
        if r is None:
            return []
        out = []
        for kind in KINDS:
            rows, cols = axis_tokens(r.a, kind)
            for layer, m in enumerate(diff_blocks(r, kind)):
                out += [LabeledMatrix(f"B-A.{kind}.L{layer}.H{h}", m[h], rows, cols) for h in range(m.shape[0])]
        a, b, _d = selected_matrices(r, self.selection)
        rows, cols = axis_tokens(r.a, self.selection.kind)
        out.append(LabeledMatrix(f"A.{self.selection.name}", a, rows, cols))
        out.append(LabeledMatrix(f"B.{self.selection.name}", b, *axis_tokens(r.b, self.selection.kind)))
        return out
