"""The attention panel: every attention weight of the translator, for one sentence.

Type a sentence, load a text file or pick a corpus example; translate it (greedy or
beam) or force its reference through the decoder (teacher forcing). The Session traces
it in the worker and the ModelTrace comes back to this panel alone, as the reply to its
request; with "Follow training" the panel also follows the probe sentence's traces
(``sig_trace``, the training stream).

Others drive it through its API: ``show_sentence``, ``select_head``,
``select_best_aligned_head``, ``open_tab``; ``matrices()`` / ``export()`` for File > Export.
What it computes (requests, gold alignment) lives in ``state.py``, without Qt.

Tabs: an overview of all heads; one head in detail (hover, lock, gold alignment);
lines between query and key tokens; one head's computation step by step; mean and max
over heads; two models compared (A, B, B − A). A timeline slider (``timeline.py``) goes
back through the probe sentence's snapshots. Heads can be switched off (``heads.py``): the worker's model
then runs without them, and every view shows it.

Every text follows the interface language (``retranslate``); combo boxes keep their item
data and order, so a language change leaves the choices as they were.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from pyqtgraph.Qt import QtCore, QtGui, QtWidgets

from explorer.panels.attention.compare import CompareView
from explorer.panels.attention.computation import ComputationView
from explorer.panels.attention.detail import HeadDetailView
from explorer.panels.attention.exporting import Exporting
from explorer.panels.attention.heads import HeadSwitches, heads_shape
from explorer.panels.attention.inputs import SentenceInputs
from explorer.panels.attention.labels import OutputLine, export_tip, status_text, tab_texts
from explorer.panels.attention.lines import LinesView
from explorer.panels.attention.state import (
    Selection,
    axis_tokens,
    best_head,
    cross_aer,
    decoded_freely,
    gold_links,
    other_sentence,
    output_text,
    trace_request,
)
from explorer.panels.attention.timeline import ProbeTimeline
from explorer.panels.attention.views import AggregatesView, OverviewView, kind_title
from explorer.panels.base import Panel
from explorer.widgets.source_notice import SourceNotice
from model.trace import ModelTrace


class AttentionPanel(Exporting, Panel):
    """Attention of the translator on one sentence: overview, head, lines, computation.

    Args:
        session: the Session (``request_trace``, ``set_probe``, ``sig_trace``,
            ``sig_model_changed``, ``sig_timeline``, ``corpus``, ``timeline``, tokenizers).
    """

    title = "Attention"

    def __init__(self, session, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.trace: ModelTrace | None = None
        self.live_trace: ModelTrace | None = None
        self.selection = Selection("cross", 0, 0)
        self.gold_pair = None  # the corpus pair whose gold alignment applies to the trace
        self.aer: np.ndarray | None = None  # (L, H) cross-attention AER against gold
        self._waiting = None  # the Reply of this panel's trace request still on its way
        self._forced: bool | None = None  # the last request forced a reference (None: none yet)
        self._best_on_arrival = False  # select the best-aligned head when the trace comes
        self._corpus = None  # the corpus whose examples the inputs offer
        self._drawn: set[int] = set()  # tabs drawn for the current trace and selection
        self._gold: tuple[set, list[int]] | None = None
        # Traces from the session are drawn on the next event-loop turn, the latest one only.
        self._incoming: ModelTrace | None = None
        self._incoming_timer = QtCore.QTimer(self, singleShot=True, interval=0)
        self._incoming_timer.timeout.connect(self._show_incoming)
        self.inputs = SentenceInputs()
        self.inputs.sig_run.connect(self.run)
        self.inputs.sig_loaded.connect(
            lambda n, name: self._set_status("sentences", n=n, file=name))
        self.inputs.row_align_box.activated.connect(self._refresh_alignment)
        for name in ("source_label", "source_edit", "reference_label", "reference_edit",
                     "sentence_box", "file_button", "mode_box", "beam_spin", "run_button",
                     "follow_box", "row_align_box"):
            setattr(self, name, getattr(self.inputs, name))  # the controls, as others read them
        self._shortcut("Ctrl+Return", self.run)
        self._shortcut("Ctrl+Enter", self.run)
        self._shortcut("Ctrl+O", self.inputs.open_file)
        self._build_views()
        self._build_bottom()
        self.heads_off: frozenset = frozenset()  # what the worker reports switched off
        self.head_switches = HeadSwitches()
        self.head_switches.sig_changed.connect(
            lambda off: self.session is not None and self.session.set_heads_off(off))
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.inputs)
        heads_row = QtWidgets.QHBoxLayout()  # the heads switch, Follow training, row choice
        heads_row.addWidget(self.head_switches, 1)
        for option in self.inputs.options:
            heads_row.addWidget(option, 0, QtCore.Qt.AlignmentFlag.AlignTop)
        layout.addLayout(heads_row)
        self.source_notice = SourceNotice()  # unknown words and cut input, above the views
        layout.addWidget(self.source_notice)
        self.output_line = OutputLine()  # the translation as text, never clipped
        layout.addWidget(self.output_line)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(self.bottom)
        layout.addWidget(self.status)
        self._connect_session()
        self.retranslate()

    def retranslate(self) -> None:
        tabs = tab_texts()
        for i, (name, *_rest) in enumerate(self.TABS):
            self.tabs.setTabText(i, tabs[name][0])
            self.tabs.setTabToolTip(i, tabs[name][1])
        for ext, (button, key) in self.export_buttons.items():
            button.setToolTip(export_tip(ext, key))
        self._show_status()
        # Texts the panel writes into its views: drawn again, the current tab now.
        self._drawn -= {self.TAB_NAMES.index("detail"), self.TAB_NAMES.index("lines")}
        self._redraw()

    # -- construction --------------------------------------------------------------------
    TABS = (  # (name, view); titles and tooltips are set in retranslate()
        ("overview", OverviewView),
        ("detail", HeadDetailView),
        ("lines", LinesView),
        ("computation", ComputationView),
        ("aggregates", AggregatesView),
        ("compare", CompareView),
    )
    TAB_NAMES = tuple(name for name, _cls in TABS)

    def _build_views(self) -> None:
        """Tabs whose views are built the first time they are shown (they are many plots)."""
        self._views: dict[str, QtWidgets.QWidget] = {}
        self.tabs = QtWidgets.QTabWidget()
        for i, (name, _cls) in enumerate(self.TABS):
            page = QtWidgets.QWidget()
            QtWidgets.QVBoxLayout(page).setContentsMargins(0, 0, 0, 0)
            self.tabs.addTab(page, name)
            self._shortcut(f"Alt+{i + 1}", lambda i=i: self.tabs.setCurrentIndex(i))
        self.tabs.currentChanged.connect(lambda _i: self._redraw())

    def view(self, name: str) -> QtWidgets.QWidget:
        """The view of tab ``name`` ("overview", "detail", ...), built on first use."""
        if name not in self._views:
            index = self.TAB_NAMES.index(name)
            view = self.TABS[index][1]()
            if hasattr(view, "sig_selected"):
                view.sig_selected.connect(self._on_selected)
            if name == "compare":
                view.attach(self.session, self.inputs, self._set_status)
                view.set_snapshots(self.snapshots)
            self.tabs.widget(index).layout().addWidget(view)
            self._views[name] = view
        return self._views[name]

    def show_tab(self, name: str) -> None:
        self.tabs.setCurrentIndex(self.TAB_NAMES.index(name))

    @property
    def current_tab(self) -> str:
        return self.TAB_NAMES[self.tabs.currentIndex()]

    overview = property(lambda self: self.view("overview"))
    detail = property(lambda self: self.view("detail"))
    lines = property(lambda self: self.view("lines"))
    computation = property(lambda self: self.view("computation"))
    aggregates = property(lambda self: self.view("aggregates"))
    compare_view = property(lambda self: self.view("compare"))

    def _build_bottom(self) -> None:
        self.probe_timeline = ProbeTimeline()  # back through the probe sentence's traces
        self.probe_timeline.sig_moved.connect(self._on_timeline_moved)
        p = self.probe_timeline
        self.timeline_caption, self.timeline_slider, self.timeline_label = p.caption, p.slider, p.label
        self.status = QtWidgets.QLabel("")
        self._status: tuple[str, dict] = ("", {})  # what the status line says: kind, values
        # A line of its own under the timeline, wrapped: a long translation neither widens
        # the panel (and the window) beyond the screen nor is cut off (beside the timeline
        # and the export buttons it was, at 1366 × 768).
        self.status.setWordWrap(True)
        self.status.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored,
                                  QtWidgets.QSizePolicy.Policy.Preferred)
        self.bottom = QtWidgets.QHBoxLayout()
        self.bottom.addWidget(self.probe_timeline, 1)
        self._add_export_buttons(self.bottom)

    def _set_status(self, kind: str, **values) -> None:
        """Say something on the status line; it is written again on a language change.

        While a sentence is traced ("tracing…") the line keeps the height the last answer
        gave it: shrinking it resized every view above it, and at opus-mt's shape repainting
        the overview's three grids at their new size cost the UI thread 20-30 ms in one turn,
        twice a trace (the answer's line grows back)."""
        waiting = kind in ("tracing", "comparing")
        self.status.setMinimumHeight(self.status.height() if waiting and self.status.isVisible() else 0)
        self._status = (kind, values)
        self._show_status()

    def _show_status(self) -> None:
        text = status_text(*self._status)
        self.status.setText(text)
        self.status.setToolTip(text)

    def _shortcut(self, key: str, slot) -> None:
        shortcut = QtGui.QShortcut(QtGui.QKeySequence(key), self)
        shortcut.setContext(QtCore.Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)

    def _connect_session(self) -> None:
        s = self.session
        if s is None:
            return
        s.sig_trace.connect(self._on_trace)
        s.sig_model_changed.connect(self._on_model_changed)
        if hasattr(s, "sig_timeline"):
            s.sig_timeline.connect(self._on_timeline)
        if hasattr(s, "sig_replay"):
            s.sig_replay.connect(self._on_replay)
        if hasattr(s, "sig_heads_off"):
            s.sig_heads_off.connect(self._on_heads_off)
        if getattr(s, "corpus", None) is not None:
            self.set_corpus(s.corpus)
        self._on_timeline(getattr(s, "timeline", []))

    # -- inputs ---------------------------------------------------------------------------
    @property
    def sentences(self) -> list:
        """The examples offered: (source, reference or None, corpus pair or None)."""
        return self.inputs.sentences

    def set_corpus(self, corpus, n: int = 200) -> None:
        self.inputs.set_corpus(corpus, n)

    def load_sentences(self, path: str | Path) -> int:
        return self.inputs.load_sentences(path)

    def pick_sentence(self, index: int) -> None:
        self.inputs.pick_sentence(index)

    # -- the panel's API (the tour and the main window call these) -------------------------
    def show_sentence(self, src: str, reference: str | None = None, mode: str = "greedy",
                      probe: bool = False) -> None:
        """Put ``src`` (and ``reference``) in the inputs and trace it in ``mode`` ("greedy",
        "beam" or "forced"); ``probe`` also makes it the sentence training follows.

        The example holds until the person types another sentence, which returns the mode
        to what it was before."""
        self.inputs.show_example(src, reference, mode)
        self.run(probe=probe)

    def select_head(self, kind: str, layer: int, head: int | str,
                    open_detail: bool = False) -> None:
        """Look at one head ("enc_self", "dec_self" or "cross"; head index, "mean" or "max")."""
        self.select(Selection(kind, layer, head), open_detail=open_detail)

    def select_best_aligned_head(self) -> None:
        """Select the cross-attention head closest to the gold alignment: now, or when the
        trace this panel asked for arrives (nothing when no gold alignment applies)."""
        if self._waiting is not None:
            self._best_on_arrival = True
            return
        best = self.best_head()
        if best is not None:
            self.select(Selection("cross", *best))

    def run(self, probe: bool | None = None) -> None:
        """Ask the session to trace the typed sentence in the chosen mode; the answer comes
        to this panel only. With ``probe`` (default: the "Follow training" box) it also
        becomes the probe sentence. A timeline scrubbed back returns to live to show it."""
        src, ref, mode, beam = self.inputs.request()
        if not src or self.session is None:
            return
        request = trace_request(src, ref, mode, beam)
        if request is None:
            self._set_status("needs_reference")
            return
        _src, tgt, beam = request
        self._forced = tgt is not None  # how this and the probe's coming traces decode
        self.gold_pair = self.inputs.pair_for(src, ref) if mode == "forced" else None
        self._best_on_arrival = False
        self._go_live()
        self._set_status("tracing")
        reply = self.session.request_trace(src, tgt, beam)
        self._waiting = reply
        reply.sig_done.connect(self._on_reply)
        reply.sig_failed.connect(self._on_reply_failed)
        if self.follow_box.isChecked() if probe is None else probe:
            self.session.set_probe(src, tgt)
        if self.current_tab == "compare" and self.compare_view.target != "snapshot":
            self.compare_view.run()

    # -- heads off ------------------------------------------------------------------------
    @QtCore.Slot(object)
    def _on_heads_off(self, off) -> None:
        """The worker switched heads off or on: show it, and trace the sentence again."""
        self.heads_off = frozenset(off)
        self.head_switches.show_off(self.heads_off)
        self._drawn.discard(self.TAB_NAMES.index("overview"))
        if self.inputs.request()[0]:
            self.run(probe=False)

    def _go_live(self) -> None:
        """Move the timeline to its live end (the view then shows the live trace)."""
        self.probe_timeline.go_live()

    # -- session --------------------------------------------------------------------------
    @QtCore.Slot(object)
    def _on_reply(self, trace: ModelTrace) -> None:
        """The trace this panel asked for (an answer to an older request is dropped)."""
        if self.sender() is self._waiting:
            self._waiting = None
            self._receive(trace)

    @QtCore.Slot(object)
    def _on_reply_failed(self, message) -> None:
        if self.sender() is self._waiting:
            self._waiting = None
            self._set_status("failed", message=message)

    @QtCore.Slot(object)
    def _on_trace(self, trace: ModelTrace) -> None:
        """The training stream's probe trace: followed while "Follow training" is on and no
        trace of this panel's own is on its way."""
        if self.follow_box.isChecked() and self._waiting is None:
            self._receive(trace)

    def _receive(self, trace: ModelTrace) -> None:
        self.live_trace = trace
        if self.probe_timeline.live:
            self._incoming = trace  # several traces in one turn: only the latest is drawn
            self._incoming_timer.start()

    @QtCore.Slot()
    def _show_incoming(self) -> None:
        trace, self._incoming = self._incoming, None
        if trace is not None:
            self.show_trace(trace)
            if self._best_on_arrival:
                self._best_on_arrival = False
                self.select_best_aligned_head()

    @QtCore.Slot(object)
    def _on_model_changed(self, info) -> None:
        """A new model: its corpus's examples. When the views show another sentence than the
        example now in the source field (the last model's sentence, kept as the probe across
        the change), the example is traced by the new model and followed instead."""
        if info.corpus is not None and info.corpus is not self._corpus:  # not a device switch
            self._corpus = info.corpus
            self.set_corpus(info.corpus)
            shown = self.inputs.request()[0]
            traced = (self.trace.source or {}).get("text") if self.trace is not None else None
            if shown and traced is not None and traced.strip() != shown:
                self.run()

    @property
    def snapshots(self) -> list:
        """The timeline snapshots that carry a probe trace."""
        return self.probe_timeline.snapshots

    @QtCore.Slot(object)
    def _on_timeline(self, snapshots) -> None:
        self.probe_timeline.set_snapshots(snapshots)
        if "compare" in self._views:
            self.compare_view.set_snapshots(self.snapshots)

    @QtCore.Slot(object)
    def _on_replay(self, snapshot) -> None:
        """The window's timeline moved: show that snapshot's probe trace (None: live)."""
        self.probe_timeline.show_step(snapshot)

    @QtCore.Slot(object)
    def _on_timeline_moved(self, probe) -> None:
        """The probe trace of the step the timeline moved to (None: live, the last trace)."""
        trace = self.live_trace if probe is None else probe
        if trace is not None:
            self.show_trace(trace)

    # -- drawing --------------------------------------------------------------------------
    def show_trace(self, trace: ModelTrace) -> None:
        """Draw ``trace`` in every view: the current tab now if the panel is visible, the
        others (or all, for a hidden panel) when they are shown."""
        self.trace = trace
        text = (trace.source or {}).get("text")
        if text and not self.source_edit.text().strip():
            # the sentence the views show, e.g. a checkpoint's probe before its corpus is read
            # (the field was empty above its translation); not an edit: no example is left
            self.source_edit.setText(text)
        sel = self.selection
        n_layers = len(trace.blocks(sel.kind))
        n_heads = trace.blocks(sel.kind)[0].n_heads
        if sel.layer >= n_layers or (isinstance(sel.head, int) and sel.head >= n_heads):
            self.selection = Selection(sel.kind, 0, 0)
        self._compute_alignment()
        self.head_switches.set_shape(heads_shape(trace))
        self.source_notice.show_check(trace.source)
        self._drawn = set()
        forced = self._forced if self._forced is not None else not decoded_freely(trace)
        self.output_line.show_output(forced, output_text(
            trace, getattr(self.session, "tgt_tokenizer", None), forced),
            other_sentence(trace, self.inputs.request()[0], getattr(self.session, "src_tokenizer", None)))
        self._set_status("trace", step=trace.step, n_src=len(trace.src_tokens),
                         n_tgt=len(trace.tgt_tokens), output=" ".join(trace.out_tokens))
        self._redraw()

    def showEvent(self, event: QtGui.QShowEvent) -> None:
        """A panel that was hidden (its dock behind another) draws what came meanwhile.

        Shown before any trace (the app has just started and its model is loading), it
        builds the current tab's view now, before its first paint. Built when the first
        trace arrived instead, just as training starts, the view took 120-660 ms."""
        super().showEvent(event)
        if self.trace is None:
            self.view(self.current_tab)
        self._redraw()

    def _redraw(self) -> None:
        """Draw the current tab if it is visible and not drawn for this trace and selection."""
        if self.trace is None or not self.isVisible():
            return
        index = self.tabs.currentIndex()
        if index in self._drawn:
            return
        self._drawn.add(index)
        trace, sel = self.trace, self.selection
        tab = self.current_tab
        rows, cols = axis_tokens(trace, sel.kind)
        block = trace.blocks(sel.kind)[sel.layer]
        if tab == "overview":
            self.overview.show_trace(trace, sel, self.aer, self.heads_off)
        elif tab == "detail":
            self.detail.show_selection(trace, sel)
            self._show_gold_in_detail()
        elif tab == "lines":
            self.lines.show_block(block, rows, cols,
                                  self.tr("{kind}, layer {layer}: queries left, keys right").format(
                                      kind=kind_title(sel.kind), layer=sel.layer))
        elif tab == "computation":
            head = sel.head if isinstance(sel.head, int) else 0
            self.computation.show_block(block, head, rows, cols)
            fuller = self._fuller_trace(block) if block.q.shape[2] == 0 else None
            if fuller is not None:  # a maps-only step: the views it hides drawn meanwhile
                self.computation.prepare(fuller.blocks(sel.kind)[sel.layer], head, *axis_tokens(fuller, sel.kind))
        elif tab == "compare":
            self.compare_view.set_selection(sel)
        else:
            self.aggregates.show_trace(trace)

    def _fuller_trace(self, block) -> ModelTrace | None:
        """The trace whose step a replay reaches next that keeps Q, K, V (the full trace of a
        timeline's later snapshot, else the live trace, else an earlier snapshot's), for the
        computation view to prepare the views a maps-only step hides."""
        sel = self.selection
        probes = [snap.probe for snap in self.snapshots]
        here = next((i for i, probe in enumerate(probes) if probe is self.trace), len(probes))
        order = probes[here + 1:] + [self.live_trace] + probes[:here][::-1]
        for trace in order:
            if trace is None or trace is self.trace or sel.layer >= len(trace.blocks(sel.kind)):
                continue
            if trace.blocks(sel.kind)[sel.layer].q.shape[2] > 0:
                return trace
        return None

    def select(self, selection: Selection, open_detail: bool = True) -> None:
        """Look at another kind / layer / head; with ``open_detail`` switch to the Head tab."""
        self.selection = selection
        self._drawn = set()
        if open_detail and self.current_tab != "detail":
            self.show_tab("detail")  # draws through currentChanged
        else:
            self._redraw()

    def _on_selected(self, selection: Selection) -> None:
        self.select(selection, open_detail=self.sender() is not self._views.get("detail"))

    # -- gold alignment -------------------------------------------------------------------
    def _compute_alignment(self) -> None:
        """Gold links of the shown trace (when it is a corpus pair forced through the
        decoder) and every cross-attention head's AER against them."""
        s = self.session
        self._gold = None if s is None else gold_links(
            self.trace, self.gold_pair, s.src_tokenizer, s.tgt_tokenizer,
            self.row_align_box.currentData())
        self.aer = None if self._gold is None else cross_aer(self.trace, self._gold)

    def _refresh_alignment(self, *_args) -> None:
        if self.trace is not None:
            self.show_trace(self.trace)

    def best_head(self) -> tuple[int, int] | None:
        """(layer, head) of the cross-attention head with the lowest AER, if gold exists."""
        return best_head(self.aer)

    def _show_gold_in_detail(self) -> None:
        self.detail.show_gold(self.selection, self._gold, self.aer,
                              self.row_align_box.currentText())
