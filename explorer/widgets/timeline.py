"""The window's training timeline: a slider over the snapshots the model carries, a
Play/Pause replay button, a speed choice and a line saying what the window shows.

The bar only asks the Session (``show_snapshot``, ``replay``, ``go_live``) and draws its
``replay_state`` (explorer/logic/timeline.py); the panels follow the Session's
``sig_replay``. Scrubbed back, the bar turns amber and says which step every panel shows.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QWidget,
)

from explorer.logic.timeline import SPEEDS
from explorer.texts import Retranslating

REPLAY_STYLE = "background: #f6c343; color: #202020; border-radius: 3px; padding: 2px 6px;"


class TimelineBar(Retranslating, QWidget):
    """Slider, replay and speed for the whole window."""

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("TimelineBar")
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 2, 6, 2)
        self.caption = QLabel()
        self.play_button = QPushButton()
        self.play_button.setCheckable(True)
        self.play_button.clicked.connect(self._on_play)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 0)
        self.slider.setPageStep(1)
        self.slider.valueChanged.connect(self._on_slider)
        self.speed_combo = QComboBox()
        for speed in SPEEDS:
            self.speed_combo.addItem(f"{speed:g}×", speed)
        self.speed_combo.setCurrentIndex(SPEEDS.index(1.0))
        self.speed_combo.currentIndexChanged.connect(self._on_speed)
        self.live_button = QPushButton()
        self.live_button.clicked.connect(session.go_live)
        self.state_label = QLabel()
        self.state_label.setTextFormat(Qt.TextFormat.PlainText)
        # Its width comes from the bar, not from its text: a frame's new line must not ask
        # the window to lay itself out again.
        self.state_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        for widget, stretch in ((self.caption, 0), (self.play_button, 0), (self.slider, 3),
                                (self.speed_combo, 0), (self.live_button, 0), (self.state_label, 2)):
            row.addWidget(widget, stretch)
        session.sig_timeline.connect(self._on_changed)
        session.sig_replay.connect(self._on_changed)
        self.retranslate()
        self._on_changed()

    def retranslate(self) -> None:
        self.caption.setText(self.tr("Training timeline:"))
        self.play_button.setToolTip(self.tr("Replay training: every panel moves through the "
                                            "snapshots the model carries, from step 0"))
        self.speed_combo.setToolTip(self.tr("Replay speed"))
        self.live_button.setText(self.tr("Live"))
        self.live_button.setToolTip(self.tr("Show the model as it is now"))
        self.slider.setToolTip(self.tr("Drag to show every panel as the model was at a step of its training"))
        self._show()

    @Slot()
    def _on_changed(self, *_) -> None:
        state = self.session.replay_state
        self.slider.blockSignals(True)
        self.slider.setRange(0, state.slider_max)
        self.slider.setValue(state.slider_value)
        self.slider.blockSignals(False)
        self._show()

    def _show(self) -> None:
        state = self.session.replay_state
        self.play_button.setChecked(state.playing)
        self.play_button.setText(self.tr("Pause") if state.playing else self.tr("Replay"))
        self.play_button.setEnabled(bool(state.steps))
        self.live_button.setEnabled(not state.live)
        if state.live:
            text = (self.tr("Live: the model as it is now ({n} snapshots to replay)").format(n=len(state.steps))
                    if state.steps else self.tr("Live (no training history yet)"))
            self._style("")
        else:
            text = self.tr("Replaying step {step} ({i} of {n}): every panel shows the model as it "
                           "was then; any new request returns to live").format(
                step=state.step, i=state.index + 1, n=len(state.steps))
            self._style(REPLAY_STYLE)
        self.state_label.setText(text)
        self.state_label.setToolTip(text)

    def _style(self, sheet: str) -> None:
        if self.state_label.styleSheet() != sheet:  # a new style sheet polishes the label again
            self.state_label.setStyleSheet(sheet)

    @Slot(bool)
    def _on_play(self, checked: bool) -> None:
        self.session.replay(checked)

    @Slot(int)
    def _on_slider(self, value: int) -> None:
        self.session.show_snapshot(value)

    @Slot(int)
    def _on_speed(self, index: int) -> None:
        self.session.set_replay_speed(self.speed_combo.itemData(index))
