"""Switching heads off, live: a check box per head (per kind, layer and head), and a line that
says, while any head is off, that the model runs without them.

The switches only ask: ``sig_changed(frozenset)`` carries the heads the person wants off,
the panel sends it to the worker (``Session.set_heads_off``), and what the worker reports
back (``sig_heads_off``) is what :meth:`HeadSwitches.show_off` shows. So the boxes always
show the model as it is, whoever switched the heads.

A head switched off still computes its attention weights (the maps show them, framed in
red); its output, ``context_h · Wo[h] + bo / H``, is zeroed before the block adds it to the
residual stream, so the translation and every later layer change.
"""
from __future__ import annotations

from pyqtgraph.Qt import QtCore, QtWidgets

from explorer.panels.attention.state import KINDS
from explorer.panels.attention.views import grid_title
from explorer.texts import Texts
from model.trace import ModelTrace


def heads_shape(trace: ModelTrace) -> dict[str, tuple[int, int]]:
    """kind -> (layers, heads) of a trace."""
    return {kind: (len(trace.blocks(kind)), trace.blocks(kind)[0].n_heads) for kind in KINDS}


class HeadSwitches(QtWidgets.QWidget):
    """A "Heads" button opening a grid of check boxes (checked = on), a red line while any
    head is off, and "All heads on".

    Signals:
        sig_changed(object): the frozenset of (kind, layer, head) the person wants off.
    """

    sig_changed = QtCore.Signal(object)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.off: frozenset = frozenset()
        self.shape: dict[str, tuple[int, int]] = {}
        self._boxes: dict[tuple[str, int, int], QtWidgets.QCheckBox] = {}
        self._built: dict[str, tuple[int, int]] = {}  # the shape the boxes were made for
        self.texts = Texts(self)
        self.toggle = self.texts.widget(
            QtWidgets.QToolButton(checkable=True), lambda: self.tr("Heads on/off…"),
            tip=lambda: self.tr("Switch single heads off: the model then runs without them "
                                "(translation, every view, evaluation)"))
        self.toggle.toggled.connect(self._on_toggled)
        self.notice = QtWidgets.QLabel()
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("QLabel { color: white; background: #c0392b; padding: 3px; }")
        self.all_on = self.texts.widget(QtWidgets.QPushButton(), lambda: self.tr("All heads on"),
                                        tip=lambda: self.tr("Switch every head on again"))
        self.all_on.clicked.connect(lambda: self.sig_changed.emit(frozenset()))
        self.grid_box = QtWidgets.QWidget()
        self.grid_box.setVisible(False)
        self.grid_layout = QtWidgets.QHBoxLayout(self.grid_box)
        self.grid_layout.setContentsMargins(0, 0, 0, 0)
        top = QtWidgets.QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.toggle, 0, QtCore.Qt.AlignmentFlag.AlignLeft)
        top.addWidget(self.all_on)  # before the notice: in sight however narrow the panel
        top.addWidget(self.notice, 1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.grid_box)
        self.texts.add(self._write_notice)
        self.texts.add(self._write_tips)

    def set_shape(self, shape: dict[str, tuple[int, int]]) -> None:
        """A model with these (layers, heads) per kind. Its check boxes are made when the grid
        is first opened (or ``boxes`` is read): an opus-mt model has 144 heads, and making
        their boxes when the model arrived took 120-160 ms of the UI thread."""
        if shape == self.shape:
            return
        self.shape = shape
        if self.grid_box.isVisible():
            self._build()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt)
        """The grid left open in a hidden panel: the boxes of a model that came meanwhile."""
        super().showEvent(event)
        if self.toggle.isChecked():
            self._build()

    @property
    def boxes(self) -> dict[tuple[str, int, int], QtWidgets.QCheckBox]:
        """(kind, layer, head) -> its check box (checked = on), made when first needed."""
        self._build()
        return self._boxes

    def _on_toggled(self, on: bool) -> None:
        if on:
            self._build()
        self.grid_box.setVisible(on)

    def _build(self) -> None:
        """Make a check box per head of the current shape (nothing when they are made)."""
        if self._built == self.shape:
            return
        self._built = dict(self.shape)
        while self.grid_layout.count():
            item = self.grid_layout.takeAt(0)
            if item.widget() is not None:  # the groups (the stretch after them has none)
                item.widget().deleteLater()
        self._boxes = {}
        for kind, (layers, heads) in self.shape.items():
            group = QtWidgets.QGroupBox(grid_title(kind))
            grid = QtWidgets.QGridLayout(group)
            grid.setSpacing(2)
            for h in range(heads):
                grid.addWidget(QtWidgets.QLabel(f"H{h}"), 0, h + 1)
            for layer in range(layers):
                grid.addWidget(QtWidgets.QLabel(f"L{layer}"), layer + 1, 0)
                for h in range(heads):
                    box = QtWidgets.QCheckBox()
                    box.toggled.connect(self._on_box_toggled)
                    grid.addWidget(box, layer + 1, h + 1)
                    self._boxes[(kind, layer, h)] = box
            self.grid_layout.addWidget(group)
        self.grid_layout.addStretch(1)
        self._write_tips()
        self._check_boxes()

    def _write_tips(self) -> None:
        for (kind, layer, h), box in self._boxes.items():
            box.setToolTip(self.tr("{kind}, layer {layer}, head {head}: ticked = on, "
                                   "unticked = switched off").format(kind=grid_title(kind), layer=layer, head=h))

    def show_off(self, off) -> None:
        """Show the heads the model has off now (what the worker reported)."""
        self.off = frozenset(off)
        self._check_boxes()
        self._write_notice()

    def _check_boxes(self) -> None:
        for head, box in self._boxes.items():  # those made so far
            box.blockSignals(True)
            box.setChecked(head not in self.off)
            box.blockSignals(False)

    def _on_box_toggled(self, _checked: bool) -> None:
        self.sig_changed.emit(frozenset(h for h, box in self._boxes.items() if not box.isChecked()))

    def _write_notice(self) -> None:
        on = bool(self.off)
        self.notice.setVisible(on)
        self.all_on.setVisible(on)
        if on:
            names = ", ".join(f"{grid_title(k)} L{layer} H{h}" for k, layer, h in sorted(self.off))
            self.notice.setText(self.tr(
                "{n} heads switched off ({names}): the translation and every view show the model "
                "without them. Training is refused until every head is on again.").format(
                n=len(self.off), names=names))
            self.notice.setToolTip(self.notice.text())
