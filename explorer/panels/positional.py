"""The positional-encodings panel: how word order gets into a Transformer.

Attention treats its inputs as a set, so order has to be injected. Two ways are shown:

- Add a matrix P to the word vectors X (the original paper: sinusoidal P; or a learned P).
  Tabs "Sinusoidal" and "Learned" draw P (position × dimension), chosen dimensions over
  position (low dimensions turn fast, high ones slowly), P·Pᵀ, and P_m·P_(m+k) against the
  offset k from several start positions m. "Sentence" shows X, P and X + P of a real
  sentence from the loaded model.
- Multiply: rotary encodings rotate each pair of dimensions of q and k by an angle that
  grows with position. Tab "Rotary" draws the rotating pairs and q·k against the offset,
  beside the additive case (q + p_m)·(k + p_n), which also depends on where m stands.

Tab "Compare" trains small models that differ only in the encoding (model/compare.py, in a
background job) and shows that a model without any encoding cannot tell word order.

The panel keeps a ``PositionalState`` (explorer/logic/positional.py: the state and the
formulas, without Qt); each tab (positional_tabs.py, positional_compare.py) draws from it.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTimer, Slot
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from explorer.logic.positional import TABS, PositionalState
from explorer.panels.base import Panel
from explorer.panels.positional_compare import CompareTab
from explorer.panels.positional_tabs import LearnedTab, RotaryTab, SentenceTab, SinusoidalTab, Tab
from explorer.texts import Texts
from explorer.widgets.export import LabeledMatrix
from model import compare


class PositionalPanel(Panel):
    """Positional encodings: added (sinusoidal, learned) or multiplied (rotary), and what
    a model without them cannot see.

    Works without a worker through its public methods: ``set_model_config``,
    ``show_trace``, ``show_timeline``, ``run_comparison``, ``open_tab``; ``export(path)``
    saves the current tab (PNG/SVG picture, or CSV/NPY/NPZ of its arrays).
    """

    title = "Positional"
    TAB_NAMES = TABS

    def __init__(self, session=None, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.state = PositionalState()
        # Each tab is built the first time it is shown (a plot costs tens of milliseconds).
        self._factories = {"sinusoidal": lambda: SinusoidalTab(self.state),
                           "sentence": lambda: SentenceTab(self.state, self._on_trace_clicked),
                           "learned": lambda: LearnedTab(self.state),
                           "rotary": lambda: RotaryTab(self.state),
                           "compare": lambda: CompareTab(self.state)}
        self._built: dict[str, Tab] = {}
        self._stale: set[str] = set()  # built tabs drawn from an older state
        # Traces from the session are taken on the next event-loop turn, the latest one only.
        self._incoming = None
        self._incoming_timer = QTimer(self, singleShot=True, interval=0)
        self._incoming_timer.timeout.connect(self._show_incoming)
        self.tabs = QTabWidget()
        texts = self.texts = Texts(self)
        titles = ((lambda: self.tr("Sinusoidal P"),
                   lambda: self.tr("The sinusoidal table of the paper: P over position and dimension")),
                  (lambda: self.tr("Sentence X + P"), lambda: self.tr("X, P and X + P of a real sentence in the loaded model")),
                  (lambda: self.tr("Learned P"), lambda: self.tr("A learned positional table and how it changed in training")),
                  (lambda: self.tr("Rotary"),
                   lambda: self.tr("Rotary encoding: q and k turned by an angle that grows with position")),
                  (lambda: self.tr("Compare"), lambda: self.tr("Train small models that differ only in the encoding")))
        for index, (title, tip) in enumerate(titles):
            holder = QWidget()
            QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
            self.tabs.addTab(holder, "")
            texts.bind(lambda text, i=index: self.tabs.setTabText(i, text), title)
            texts.bind(lambda text, i=index: self.tabs.setTabToolTip(i, text), tip)
        self.tabs.currentChanged.connect(lambda index: self._show_tab(TABS[index]))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.tabs)
        self.tab("sinusoidal")

        if session is not None:
            session.sig_model_changed.connect(self._on_model_changed)
            session.sig_trace.connect(self._on_trace)
            session.sig_timeline.connect(self._on_timeline)
            if hasattr(session, "sig_replay"):
                session.sig_replay.connect(self._on_replay)
            if session.has_model:
                self._on_model_changed(session.info)
            if session.latest_trace is not None:
                self.show_trace(session.latest_trace)
            if session.timeline:
                self.show_timeline(session.timeline)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    # ---------------------------------------------------------------- tabs
    def tab(self, name: str) -> Tab:
        """The tab called ``name`` (see TABS), built (and drawn) the first time it is asked for."""
        if name not in self._built:
            tab = self._built[name] = self._factories[name]()
            self.tabs.widget(TABS.index(name)).layout().addWidget(tab)
            tab.draw()
        return self._built[name]

    def _show_tab(self, name: str) -> Tab:
        """The tab, drawn from the current state if it was drawn from an older one."""
        tab = self.tab(name)
        if name in self._stale:
            self._stale.discard(name)
            tab.draw()
        return tab

    def open_tab(self, name: str) -> Tab:
        """Show the tab called ``name`` (for the tour and the main window)."""
        self.tabs.setCurrentIndex(TABS.index(name))
        return self._show_tab(name)

    def _redraw(self, names) -> None:
        """Bring these tabs up to date: the current one now if the panel is visible, the
        others when they are next shown (a hidden tab costs nothing while training)."""
        self._stale |= set(names) & set(self._built)
        current = TABS[self.tabs.currentIndex()]
        if self.isVisible() and current in self._stale:
            self._show_tab(current)

    def showEvent(self, event) -> None:
        """A panel that was hidden (its dock behind another) draws what came meanwhile."""
        super().showEvent(event)
        if self._incoming is not None:
            self._incoming_timer.start()
        self._redraw(())

    # ---------------------------------------------------------------- inputs
    def set_model_config(self, model_config) -> None:
        """Take the loaded model's shape: D and positions for the formulas, its encoding."""
        s = self.state
        s.take_model(model_config, s.train_config, s.corpus, s.tokenizer_kind, new_model=False)
        self._model_changed()

    def _model_changed(self) -> None:
        """Tabs drawn from the model's shape alone are redrawn at once (a model change is
        rare and they are cheap); the sentence tab when it is next shown."""
        self._redraw(("sentence",))
        for name in ("sinusoidal", "learned", "rotary"):
            if name in self._built:
                self._stale.discard(name)
                self._built[name].draw()

    @property
    def trace(self):
        """The ModelTrace the panel shows (None before the first)."""
        return self.state.trace

    def show_trace(self, trace) -> None:
        """Draw a ModelTrace: its source X, P and X + P, and its q and k for the rotary tab
        (the tab shown now; the others when they are shown)."""
        self.state.trace = trace
        self._redraw(("sentence", "rotary") if self.state.snapshots else ("sentence", "rotary", "learned"))

    def show_timeline(self, snapshots) -> None:
        """Take the training timeline (list of Snapshot); the slider walks its learned tables."""
        self.state.snapshots = [s for s in snapshots if s.pos_table is not None]
        self._redraw(("learned",))

    @Slot(object)
    def _on_replay(self, snapshot) -> None:
        """The window's timeline moved: the learned table of that snapshot (None: the newest)."""
        steps = [snap.step for snap in self.state.snapshots]
        if not steps:
            return
        value = len(steps) - 1 if snapshot is None or snapshot.step not in steps else steps.index(snapshot.step)
        self.state.snapshot_index = -1 if value == len(steps) - 1 else value
        self._redraw(("learned",))

    def show_sentence(self, src: str, reference: str | None = None) -> None:
        """Trace ``src`` through the loaded model for the "Sentence X + P" tab."""
        self.tab("sentence").sentence_edit.setText(src)
        self._on_trace_clicked()

    @Slot(object)
    def _on_model_changed(self, info) -> None:
        self.state.take_model(info.model_config, info.train_config, info.corpus, info.tokenizer_kind,
                              info.new_model)
        self._model_changed()

    @Slot(object)
    def _on_trace(self, trace) -> None:
        self._incoming = trace
        if self.isVisible():
            self._incoming_timer.start()

    @Slot()
    def _show_incoming(self) -> None:
        if self._incoming is not None and self.isVisible():
            trace, self._incoming = self._incoming, None
            self.show_trace(trace)

    @Slot(object)
    def _on_timeline(self, snapshots) -> None:
        self.show_timeline(snapshots)

    @Slot()
    def _on_trace_clicked(self) -> None:
        text = self.tab("sentence").sentence_edit.text().strip()
        if text and self.session is not None:
            self.session.request_trace(text).then(self._on_trace)

    # ---------------------------------------------------------------- comparison
    @property
    def compare_running(self) -> bool:
        return "compare" in self._built and self._built["compare"].running

    def run_comparison(self, steps: int, kinds=compare.KINDS, corpus=None, model_config=None,
                       train_cfg=None, tokenizer: str | None = None) -> None:
        """Train one model per encoding in a background job (see ``CompareTab.run``)."""
        self.open_tab("compare").run(steps, kinds, corpus, model_config, train_cfg, tokenizer)

    @Slot()
    def shutdown(self) -> None:
        """Stop a running comparison and wait for it."""
        if "compare" in self._built:
            self._built["compare"].cancel()
            self._built["compare"].wait()

    # ---------------------------------------------------------------- export
    def matrices(self) -> list[LabeledMatrix]:
        """The arrays behind the current tab, with their labels."""
        return self._show_tab(TABS[self.tabs.currentIndex()]).matrices()

    def export_widget(self) -> QWidget:
        """Pictures show the current tab."""
        return self.tabs.currentWidget()
