"""The guided tour: one stop per idea, in the order of the study notes.

Each stop brings one panel to the front, prepares an example there from the loaded model
and corpus, and shows a short explanation beside it in a "Guided tour" dock. The stops:
why attention replaced RNNs; token → ID and one-hot; embedding as one-hot × E; word2vec
CBOW; adding position; self-attention step by step; multi-head; cross-attention; and
where the training happens.

The tour only looks: it asks the worker for traces of an example sentence (served between
training steps) and changes what panels show. It never plays, steps, resets or reloads
the user's model, and it does not change the probe sentence that training follows.

Keys while the tour is open: Alt+Right (next), Alt+Left (back), Esc in the tour (leave).
The texts are Markdown in ``resources/explanations/<lang>/tour-<key>.md``.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from explorer import i18n
from explorer.explain import explanation_text


# -- preparing examples (inspection only, through each panel's API) ---------------------------
def example_pair(window: QMainWindow) -> tuple[str, str | None] | None:
    """The first validation (else training) pair of the loaded corpus: (source, reference)."""
    corpus = window.session.corpus if window.session.has_model else None
    if corpus is None:
        return None
    pairs = list(corpus.split("valid") or []) or list(corpus.split("train") or [])
    return (pairs[0].src, pairs[0].tgt) if pairs else None


def trace_in_attention(window: QMainWindow, tab: str, mode: str = "greedy") -> None:
    """Trace the example in the attention panel (not as the training probe) and open ``tab``.

    ``mode``: "greedy" translation or "forced" (teacher forcing with the reference).
    """
    panel = window.panel("Attention")
    pair = example_pair(window)
    if panel is None or pair is None:
        return
    panel.show_sentence(*pair, mode=mode, probe=False)
    panel.open_tab(tab)


def _prepare_rnn(window, tour) -> None:
    trace_in_attention(window, "overview")


def _prepare_ids(window, tour) -> None:
    pair = example_pair(window)
    panel = window.panel("Tokens")
    panel.show_sentence(pair[0] if pair is not None else None)
    panel.open_tab("compare")


def _prepare_embedding(window, tour) -> None:
    _prepare_ids(window, tour)
    panel = window.panel("Tokens")
    panel.open_tab("product")
    panel.select_token(1)


def _prepare_word2vec(window, tour) -> None:
    window.panel("Word2vec").ensure_model()  # builds the default CBOW model if there is none


def _prepare_position(window, tour) -> None:
    panel = window.panel("Positional")
    pair = example_pair(window)
    panel.open_tab("sentence")
    if pair is not None:
        panel.show_sentence(pair[0])


def _prepare_self_attention(window, tour) -> None:
    window.panel("Attention").select_head("enc_self", 0, 0)
    trace_in_attention(window, "computation")


def _prepare_multi_head(window, tour) -> None:
    trace_in_attention(window, "overview")


def _prepare_cross_attention(window, tour) -> None:
    panel = window.panel("Attention")
    panel.select_head("cross", 0, 0)
    trace_in_attention(window, "detail", mode="forced")
    panel.select_best_aligned_head()  # once the forced trace is in


def _prepare_training(window, tour) -> None:
    window.panel("Training").open_tab("curves")


@dataclass(frozen=True)
class Stop:
    """One stop: its text key (``tour-<key>.md``), the panel it opens and how to prepare it."""

    key: str
    panel: str
    prepare: Callable[[QMainWindow, Tour], None]


STOPS = (
    Stop("rnn", "Attention", _prepare_rnn),
    Stop("ids", "Tokens", _prepare_ids),
    Stop("embedding", "Tokens", _prepare_embedding),
    Stop("word2vec", "Word2vec", _prepare_word2vec),
    Stop("position", "Positional", _prepare_position),
    Stop("self-attention", "Attention", _prepare_self_attention),
    Stop("multi-head", "Attention", _prepare_multi_head),
    Stop("cross-attention", "Attention", _prepare_cross_attention),
    Stop("training", "Training", _prepare_training),
)


def stop_text(stop: Stop, lang: str) -> str:
    """The Markdown of ``stop`` in ``lang``."""
    return explanation_text(f"tour-{stop.key}", lang)


class TourPane(QWidget):
    """What the tour dock shows: where we are, the stop's text, Back / Next / Leave."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.position = QLabel()
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.back_button = QPushButton()
        self.next_button = QPushButton()
        self.leave_button = QPushButton()
        buttons = QHBoxLayout()
        buttons.addWidget(self.position, 1)
        for button in (self.back_button, self.next_button, self.leave_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.browser, 1)
        layout.addLayout(buttons)
        self.next_button.setDefault(True)

    def retranslate(self) -> None:
        self.back_button.setText(QCoreApplication.translate("Tour", "Back"))
        self.back_button.setToolTip(QCoreApplication.translate("Tour", "The previous stop (Alt+Left)"))
        self.next_button.setText(QCoreApplication.translate("Tour", "Next"))
        self.next_button.setToolTip(QCoreApplication.translate("Tour", "The next stop (Alt+Right)"))
        self.leave_button.setText(QCoreApplication.translate("Tour", "Leave"))
        self.leave_button.setToolTip(QCoreApplication.translate(
            "Tour", "Close the tour; everything stays as it is (Esc)"))
        self.browser.setToolTip(QCoreApplication.translate(
            "Tour", "What this stop shows; the panel it talks about is open"))


class Tour(QObject):
    """The guided tour over a MainWindow (``window.panel(title)``, ``window.docks``, ``window.session``).

    ``start()`` opens the tour dock at the first stop; ``next()``, ``back()``, ``go(i)``
    move; ``leave()`` closes it.
    """

    def __init__(self, window: QMainWindow, stops: tuple[Stop, ...] = STOPS) -> None:
        super().__init__(window)
        self.window = window
        self.stops = stops
        self.index = 0
        self.language = i18n.language()
        self.pane = TourPane()
        self.dock = QDockWidget(window)
        self.dock.setObjectName("dock_guided_tour")
        self.dock.setWidget(self.pane)
        self.dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                              | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                              | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)
        training = window.docks.get("Training")
        if training is not None and not training.isFloating():
            window.splitDockWidget(training, self.dock, Qt.Orientation.Vertical)
        self.dock.hide()
        self.pane.back_button.clicked.connect(self.back)
        self.pane.next_button.clicked.connect(self.next)
        self.pane.leave_button.clicked.connect(self.leave)
        # Alt+arrows work anywhere in the window; Esc only inside the tour, since panels
        # use Esc themselves (cancel a projection, unlock a heatmap row).
        for keys, slot, context in (("Alt+Right", self.next, Qt.ShortcutContext.WindowShortcut),
                                    ("Alt+Left", self.back, Qt.ShortcutContext.WindowShortcut),
                                    ("Esc", self.leave, Qt.ShortcutContext.WidgetWithChildrenShortcut)):
            shortcut = QShortcut(QKeySequence(keys), self.dock)
            shortcut.setContext(context)
            shortcut.activated.connect(slot)
        self.language.sig_changed.connect(self._on_language)

    @property
    def stop(self) -> Stop:
        return self.stops[self.index]

    @property
    def is_open(self) -> bool:
        return self.dock.isVisible()

    @property
    def markdown(self) -> str:
        """The text of the current stop, as shown."""
        return stop_text(self.stop, self.language.code)

    def start(self, index: int = 0) -> None:
        """Open the tour at stop ``index``."""
        self._hold_training_explanation(True)
        self.dock.show()
        self.dock.raise_()
        self.go(index)
        self.pane.next_button.setFocus()

    @Slot()
    def next(self) -> None:
        if self.is_open and self.index + 1 < len(self.stops):
            self.go(self.index + 1)

    @Slot()
    def back(self) -> None:
        if self.is_open and self.index > 0:
            self.go(self.index - 1)

    @Slot()
    def leave(self) -> None:
        """Close the tour; panels keep showing what they show."""
        self.dock.hide()
        self._hold_training_explanation(False)

    def _hold_training_explanation(self, held: bool) -> None:
        """The tour's dock opens below the Training panel: the window folds that panel's
        explanation meanwhile, so its curves keep their height."""
        self.window.hold_explanation("Training", held)

    def go(self, index: int) -> None:
        """Show stop ``index``: its panel in front, its example prepared, its text beside it."""
        self.index = max(0, min(index, len(self.stops) - 1))
        stop = self.stop
        dock = self.window.docks.get(stop.panel)
        if dock is not None:
            dock.show()
            dock.raise_()
            if self.window.panel(stop.panel) is not None:
                stop.prepare(self.window, self)
        self._show_text()

    def _show_text(self) -> None:
        self.pane.retranslate()
        self.dock.setWindowTitle(QCoreApplication.translate("Tour", "Guided tour"))
        self.pane.browser.setMarkdown(self.markdown)
        self.pane.position.setText(QCoreApplication.translate("Tour", "Stop %1 of %2")
                                   .replace("%1", str(self.index + 1))
                                   .replace("%2", str(len(self.stops))))
        self.pane.back_button.setEnabled(self.index > 0)
        self.pane.next_button.setEnabled(self.index + 1 < len(self.stops))

    @Slot(str)
    def _on_language(self, _code: str) -> None:
        self._show_text()


def start_tour(window: QMainWindow) -> Tour:
    """Open the window's tour at its first stop (made on first use, kept as ``window.tour``)."""
    tour = getattr(window, "tour", None)
    if tour is None:
        tour = Tour(window)
        window.tour = tour
    tour.start()
    return tour


FIRST_START_KEY = "tour/offered"


class _FirstStart(QObject):
    """Starts the tour once, when the first model is in, on the app's very first start."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        window.session.sig_model_changed.connect(self._on_model_changed)

    @Slot(object)
    def _on_model_changed(self, _info) -> None:
        self.window.session.sig_model_changed.disconnect(self._on_model_changed)
        start_tour(self.window)


def offer_on_first_start(window: QMainWindow) -> bool:
    """On the first start (nothing in ``window.settings`` yet), open the tour as soon as the
    model is loaded; True when it will. Later starts leave it to Help > Guided tour (F1)."""
    if str(window.settings.value(FIRST_START_KEY, "false")).lower() == "true":
        return False
    window.settings.setValue(FIRST_START_KEY, True)
    if window.session.has_model:
        start_tour(window)
    else:
        _FirstStart(window)
    return True

