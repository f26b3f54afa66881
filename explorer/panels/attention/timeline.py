"""The attention panel's own timeline: a slider back through the probe sentence's traces.

Training keeps a timeline of snapshots; those that carry a trace of the probe sentence are
the slider's steps, and its right end is live. Moving it (or the window's timeline, through
``show_step``) emits the probe trace of that step, or None for live; the panel draws it.
"""
from __future__ import annotations

from pyqtgraph.Qt import QtCore, QtWidgets

from explorer.texts import Texts


class ProbeTimeline(QtWidgets.QWidget):
    """The caption, the slider and the step it shows ("live" at its right end)."""

    sig_moved = QtCore.Signal(object)  # the probe trace of the step moved to; None: live

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.snapshots: list = []  # timeline snapshots that carry a probe trace
        t = self.texts = Texts(self)
        self.caption = t.widget(QtWidgets.QLabel(), lambda: self.tr("Timeline:"))
        self.slider = t.widget(QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal), tip=lambda: self.tr(
            "Scrub the probe sentence's attention back through training; the right end is live"))
        self.slider.setRange(0, 0)
        self.slider.valueChanged.connect(self._on_moved)
        self.label = QtWidgets.QLabel()
        t.add(self._write_label)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.label)

    @property
    def live(self) -> bool:
        """At the right end: the views show the live traces."""
        return self.slider.value() == self.slider.maximum()

    def set_snapshots(self, snapshots) -> list:
        """The training timeline changed: keep the snapshots with a probe trace (returned),
        staying at the live end if the slider was there, and at its step otherwise."""
        live = self.live
        self.snapshots = [s for s in snapshots if s.probe is not None]
        self.slider.blockSignals(True)
        self.slider.setRange(0, len(self.snapshots))
        if live:
            self.slider.setValue(len(self.snapshots))
        self.slider.blockSignals(False)
        self._write_label()
        return self.snapshots

    def show_step(self, snapshot) -> None:
        """The window's timeline moved: go to that snapshot's step (None, or a step without a
        probe trace: live), emitting its trace even when the slider is there already."""
        steps = [snap.step for snap in self.snapshots]
        value = len(steps) if snapshot is None or snapshot.step not in steps else steps.index(snapshot.step)
        if value != self.slider.value():
            self.slider.setValue(value)
        elif value < len(steps):
            self._on_moved(value)

    def go_live(self) -> None:
        """Move to the live end (emits None unless it is there already)."""
        if not self.live:
            self.slider.setValue(self.slider.maximum())

    def _on_moved(self, value: int) -> None:
        self._write_label()
        self.sig_moved.emit(None if value >= len(self.snapshots) else self.snapshots[value].probe)

    def _write_label(self) -> None:
        value = self.slider.value()
        if value >= len(self.snapshots):
            self.label.setText(self.tr("live"))
        else:
            self.label.setText(self.tr("step {step}").format(step=self.snapshots[value].step))
