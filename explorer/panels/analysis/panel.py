"""The Analysis panel: beyond attention weights, for one sentence.

Tabs: attribution per generated token (beside cross-attention), attention rollout and
output-to-source relevance, head importance (the sweep), the logit lens, and the beam
search tree. Every number is computed in the worker by ``model/analysis`` (request
``Analyse``, answered to this panel alone); the panel's Qt-free part (``state.py``) keeps
the sentence, the options and the replies, and turns them into what the views draw.

A view is computed when it is shown without a result for the current sentence and options,
when an option changes, or on Analyse; the sweep only on Run sweep, and the attribution of a
large model (``state.AUTOMATIC_UP_TO``) only on Analyse or an option changed. A new model (or one
whose heads were switched off) drops every result; results say the step they were
computed at. API: ``show_sentence``, ``open_tab``, ``run``, ``matrices()``/``export()``.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
)

from explorer.panels.analysis.beam import BeamView
from explorer.panels.analysis.heads import HeadsView
from explorer.panels.analysis.state import AnalysisState
from explorer.panels.analysis.views import AttributionView, LensView, RolloutView
from explorer.panels.base import Panel
from explorer.requests import Analyse
from explorer.texts import Texts
from explorer.widgets.export import LabeledMatrix

EXAMPLES = 100  # validation sources offered in the sentence box


class Wanted:
    """A request's ``wanted()`` (requests.Analyse): True until ``drop()``, read in the worker.
    A view asked again, or a model replaced, drops what is still queued: an attribution
    that nobody will read takes the worker seconds (minutes on a large model)."""

    def __init__(self) -> None:
        self.wanted = True

    def __call__(self) -> bool:
        return self.wanted

    def drop(self) -> None:
        self.wanted = False


class AnalysisPanel(Panel):
    """Attribution, rollout, head importance, logit lens and beam tree of one sentence."""

    title = "Analysis"
    TABS = (("attribution", AttributionView), ("rollout", RolloutView), ("heads", HeadsView),
            ("lens", LensView), ("beam", BeamView))
    TAB_NAMES = tuple(name for name, _cls in TABS)

    def __init__(self, session, parent=None) -> None:
        super().__init__(session, parent)
        self.state = AnalysisState()
        self._waiting: dict[str, object] = {}  # view -> the Reply still on its way
        self._status: tuple[str, dict] = ("", {})
        self._model_step: int | None = None
        t = self.texts = Texts(self)
        self.sentence_box = QComboBox(editable=True)
        self.sentence_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.sentence_box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        # a long example sentence must not widen the panel beyond its dock
        self.sentence_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.sentence_box.setMinimumContentsLength(16)
        self.sentence_box.lineEdit().returnPressed.connect(self.run)
        self.sentence_box.activated.connect(lambda _i: self.run())
        self.run_button = t.widget(QPushButton(), lambda: self.tr("Analyse"),
                                   tip=lambda: self.tr("Compute the current view for this sentence "
                                                       "(Ctrl+Return)"))
        self.run_button.clicked.connect(self.run)
        top = QHBoxLayout()
        top.addWidget(t.widget(QLabel(), lambda: self.tr("Sentence:")))
        top.addWidget(self.sentence_box, 1)
        top.addWidget(self.run_button)
        self.tabs = QTabWidget()
        self.views = {}
        titles = {"attribution": (lambda: self.tr("Attribution"),
                                  lambda: self.tr("Which input tokens decided each output token")),
                  "rollout": (lambda: self.tr("Rollout"),
                              lambda: self.tr("Attention rolled out through the layers, with "
                                              "the residual")),
                  "heads": (lambda: self.tr("Head importance"),
                            lambda: self.tr("What each head is worth: switch it off and measure")),
                  "lens": (lambda: self.tr("Logit lens"),
                           lambda: self.tr("What each decoder layer would predict if it were "
                                           "the last")),
                  "beam": (lambda: self.tr("Beam tree"),
                           lambda: self.tr("Every step of beam search: candidates, survivors, "
                                           "the final choice"))}
        for i, (name, cls) in enumerate(self.TABS):
            view = self.views[name] = cls()
            view.set_options(self.state.options[name])
            view.sig_option.connect(lambda key, value, v=name: self._on_option(v, key, value))
            self.tabs.addTab(view, "")
            t.bind(lambda text, i=i: self.tabs.setTabText(i, text), titles[name][0])
            t.bind(lambda text, i=i: self.tabs.setTabToolTip(i, text), titles[name][1])
        self.views["heads"].sig_run.connect(lambda: self.run("heads"))
        self.views["heads"].sig_without.connect(self._on_without)
        self.views["beam"].sig_prefix.connect(self._on_prefix)
        self.tabs.currentChanged.connect(lambda _i: self._ensure())
        self.tabs.currentChanged.connect(self._follow_explanation)
        self.status = QLabel()
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        t.add(self._show_status)
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.run)
        self._connect_session()

    # -- session ------------------------------------------------------------------------------
    def _connect_session(self) -> None:
        s = self.session
        if s is None:
            return
        s.sig_model_changed.connect(self._on_model_changed)
        if hasattr(s, "sig_steps"):
            s.sig_steps.connect(self._on_steps)
        if hasattr(s, "sig_heads_off"):
            s.sig_heads_off.connect(self._on_heads_off)
        info = getattr(s, "info", None)
        if info is not None:
            self._on_model_changed(info)

    @Slot(object)
    def _on_model_changed(self, info) -> None:
        """Another model (or the same one changed): every result is dropped."""
        self._model_step = info.step
        self.state.n_params = int(getattr(info, "n_params", 0) or 0)
        self._drop_results()
        corpus = info.corpus
        if corpus is not None:
            self.sentence_box.clear()
            sources = dict.fromkeys(pair.src for pair in getattr(corpus, "valid", ()))  # each once:
            for src in list(sources)[:EXAMPLES]:  # Tatoeba's has one per translation of a sentence
                self.sentence_box.addItem(src)
            if not self.state.sentence and self.sentence_box.count():
                self.state.set_sentence(self.sentence_box.itemText(0))
        self.sentence_box.setEditText(self.state.sentence)
        self._ensure()

    @Slot(object)
    def _on_heads_off(self, _heads) -> None:
        """Heads were switched off or on (Attention panel): every result is computed again."""
        self._drop_results()
        self._ensure()

    @staticmethod
    def _let_go(reply) -> None:
        """The answer of ``reply`` (None: none) is no longer wanted: skipped if not begun."""
        wanted = getattr(getattr(reply, "request", None), "wanted", None)
        if isinstance(wanted, Wanted):
            wanted.drop()

    def _drop_results(self) -> None:
        self.state.forget()
        for reply in self._waiting.values():
            self._let_go(reply)
        self._waiting.clear()
        for view in self.views.values():
            view.show_result(None)
        self.views["heads"].finish()
        self._set_status("")

    @Slot(object)
    def _on_steps(self, reports) -> None:
        if reports:
            self._model_step = reports[-1].step
            self._show_status()

    # -- the panel's API -------------------------------------------------------------------------
    def show_sentence(self, src: str, reference: str | None = None) -> None:
        """Analyse ``src`` in the current view."""
        self.sentence_box.setEditText(src)
        self.run()

    def run(self, view: str | None = None) -> None:
        """Compute ``view`` (default: the current tab) for the sentence in the box."""
        self._ask(view or self.current_tab)

    def result(self, view: str):
        """The result the view shows (None before the first)."""
        return self.views[view].result

    # -- requests -----------------------------------------------------------------------------------
    def _ask(self, view: str) -> None:
        self.state.set_sentence(self.sentence_box.currentText())  # as typed, even without Enter
        shown = self.views[view].result
        if view != "heads" and shown is not None and shown.src != self.state.sentence:
            self.views[view].show_result(None)  # not the last sentence's numbers under this one
        request = self.state.request(view)
        if request is None or self.session is None:
            return
        name, src, options = request
        progress = self.views["heads"].start().report if name == "heads" else None
        self._submit(name, Analyse(name, src, options, progress, Wanted()))
        self._set_status("computing", view=name)

    def _submit(self, kind: str, request: Analyse) -> None:
        self._let_go(self._waiting.get(kind))  # a newer request of the same kind replaces the older
        reply = self.session.submit(request)
        self._waiting[kind] = reply
        reply.sig_done.connect(self._on_reply)
        reply.sig_failed.connect(self._on_failed)

    def _ensure(self) -> None:
        """Compute the current view if it is shown and has no result for what is asked."""
        view = self.current_tab
        if self.isVisible() and self.state.needs(view) and view not in self._waiting:
            if self.state.automatic(view):
                self._ask(view)
            else:
                self._set_status("waiting", view=view, millions=self.state.n_params / 1e6)
        elif view not in self._waiting and self.state.results.get(view) is not None:
            result = self.state.results[view]  # the status line speaks of the tab in front
            self._set_status("done", view=view, step=result.step, translation=result.translation)

    def _on_option(self, view: str, key: str, value) -> None:
        if self.state.set_option(view, key, value) and view != "heads":
            self._ask(view)

    def _on_prefix(self, prefix_ids) -> None:
        self._ask_extra("prefix", {"prefix": tuple(prefix_ids)})

    def _on_without(self, heads) -> None:
        self._ask_extra("without", {"heads": tuple(heads)})

    def _ask_extra(self, kind: str, options: dict) -> None:
        self.state.set_sentence(self.sentence_box.currentText())
        if self.state.sentence and self.session is not None:
            self._submit(kind, Analyse(kind, self.state.sentence, options, wanted=Wanted()))

    def _kind_of(self, reply) -> str | None:
        return next((k for k, r in self._waiting.items() if r is reply), None)

    @Slot(object)
    def _on_reply(self, result) -> None:
        kind = self._kind_of(self.sender())
        if kind is None:  # an answer to an older request, or for a model since replaced
            return
        del self._waiting[kind]
        if kind == "prefix":
            self.views["beam"].show_prefix(result)
            return
        if kind == "without":
            self.views["heads"].show_without(result)
            return
        if kind == "heads":
            self.views["heads"].finish()
        self.state.results[kind] = result
        self.views[kind].show_result(result)
        self._set_status("done", view=kind, step=result.step, translation=result.translation)

    @Slot(object)
    def _on_failed(self, message) -> None:
        kind = self._kind_of(self.sender())
        if kind is None:
            return
        del self._waiting[kind]
        if kind == "heads":
            self.views["heads"].finish()
        self._set_status("failed", message=message)

    # -- status -------------------------------------------------------------------------------------
    def _set_status(self, kind: str, **values) -> None:
        self._status = (kind, values)
        self._show_status()

    def _view_title(self, view: str) -> str:
        names = {"attribution": self.tr("attribution"), "rollout": self.tr("rollout"),
                 "heads": self.tr("head sweep"), "lens": self.tr("logit lens"),
                 "beam": self.tr("beam tree")}
        return names.get(view, view)

    def _show_status(self) -> None:
        kind, v = self._status
        if kind == "computing":
            text = self.tr("computing the {view} in the worker…").format(view=self._view_title(v["view"]))
        elif kind == "done":
            text = self.tr("{view} at step {step}").format(view=self._view_title(v["view"]), step=v["step"])
            if v["translation"]:
                text += self.tr(": the model translates “{t}”").format(t=v["translation"])
            if self._model_step is not None and self._model_step != v["step"]:
                text += self.tr(" (the model is at step {now} now: Analyse again)").format(
                    now=self._model_step)
        elif kind == "waiting":
            text = self.tr("Analyse computes the {view}: on a model of {millions:.0f} M parameters "
                           "it takes a while, and training waits for it").format(
                view=self._view_title(v["view"]), millions=v["millions"])
        elif kind == "failed":
            text = v["message"].text()
        else:
            text = ""
        self.status.setText(text)
        self.status.setToolTip(text)

    def _follow_explanation(self, index: int) -> None:
        """The explanation (resources/explanations/*/analysis.md: one list item per tab, in
        the tabs' order) scrolls to the tab in front."""
        pane = getattr(self, "explanation", None)  # attached by the main window
        if pane is not None:
            pane.follow_item(index)

    # -- showing and export -------------------------------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._ensure()

    def matrices(self) -> list[LabeledMatrix]:
        """The matrices the current tab shows, as shown."""
        return [LabeledMatrix(m.name, m.values, m.rows, m.cols)
                for m in self.views[self.current_tab].matrices()]

    def export_widget(self):
        return self.views[self.current_tab]
