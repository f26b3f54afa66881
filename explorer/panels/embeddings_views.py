"""The projector's controls, status line, neighbour table and layout runner: widgets with
their texts declared where they are made (explorer/texts.py). The Embeddings panel
connects and drives them; what they show comes from explorer/logic/embeddings.py."""
from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.jobs import Job
from explorer.logic.embeddings import CONTEXT_SENTENCES, SUBSET_ROWS, lay_out
from explorer.texts import Texts
from model.projection import warm_up_umap

METHODS = (("PCA", "pca"), ("t-SNE", "tsne"), ("UMAP", "umap"))  # names, the same in every language


def combo(keys) -> QComboBox:
    """A combo box with one item per key (item data), its texts written by a Texts binding."""
    box = QComboBox()
    for key in keys:
        box.addItem("", key)
    return box


class ProjectorControls(QWidget):
    """The rows of controls above the projector: points, method, colour and search,
    following training and comparing timeline steps. Narrow rows, so the panel fits a
    dock at 1366 × 768."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        t = self.texts = Texts(self)
        self.source_combo = combo(("src", "tgt", "both", "cbow", "ctx_src", "ctx_tgt"))
        t.bind(self.source_combo, {
            "src": lambda: self.tr("translator · source E"), "tgt": lambda: self.tr("translator · target E"),
            "both": lambda: self.tr("translator · source + target E"),
            "cbow": lambda: self.tr("word2vec CBOW vectors"),
            "ctx_src": lambda: self.tr("encoder layer output, in context"),
            "ctx_tgt": lambda: self.tr("decoder layer output, in context")})
        t.widget(self.source_combo, tip=lambda: self.tr("Which vectors are drawn: a row of E per token"))
        self.layer_spin = t.widget(QSpinBox(), tip=lambda: self.tr(
            "Which encoder/decoder layer's output to show: one point per token of {n} validation "
            "sentences, so one word gets a different vector in each sentence").format(n=CONTEXT_SENTENCES))
        t.bind(self.layer_spin.setPrefix, lambda: self.tr("layer "))
        self.layer_spin.setVisible(False)
        self.refresh_button = t.widget(QPushButton(), lambda: self.tr("Refresh"),
                                       lambda: self.tr("Ask the model for its embeddings as they are now"))
        self.subset_combo = combo(("frequent", "sentences", "search"))
        t.bind(self.subset_combo, {"frequent": lambda: self.tr("most frequent"),
                                   "sentences": lambda: self.tr("words of the loaded sentences"),
                                   "search": lambda: self.tr("search matches")})
        t.widget(self.subset_combo, tip=lambda: self.tr(
            "A large vocabulary is projected as a chosen subset of its rows, never all of them"))
        self.subset_spin = QSpinBox(minimum=50, maximum=20_000, singleStep=500, value=SUBSET_ROWS)
        t.widget(self.subset_spin, tip=lambda: self.tr("How many rows of the vocabulary become points"))
        self.subset_label = t.widget(QLabel(), lambda: self.tr("rows"))
        self.method_combo = combo(key for _, key in METHODS)
        for i, (name, _) in enumerate(METHODS):
            self.method_combo.setItemText(i, name)
        t.widget(self.method_combo, tip=lambda: self.tr(
            "PCA: instant, linear, keeps global layout. t-SNE / UMAP: non-linear, keep "
            "neighbourhoods; run in the background"))
        self.dim_combo = combo((2, 3))
        t.bind(self.dim_combo, {2: lambda: self.tr("2D"), 3: lambda: self.tr("3D")})
        t.widget(self.dim_combo, tip=lambda: self.tr("Project to two or three dimensions"))
        self.run_button = t.widget(QPushButton(), lambda: self.tr("Project"),
                                   lambda: self.tr("Lay out the points with the chosen method (Ctrl+R)"))
        self.cancel_button = t.widget(QPushButton(), lambda: self.tr("Cancel"),
                                      lambda: self.tr("Stop a running t-SNE / UMAP (Esc)"))
        self.cancel_button.setEnabled(False)
        self.progress = t.widget(QProgressBar(), tip=lambda: self.tr("How far the running projection has got"))
        self.progress.setMaximumWidth(140)
        self.colour_combo = combo(("class", "frequency", "language"))
        t.bind(self.colour_combo, {"class": lambda: self.tr("word class"),
                                   "frequency": lambda: self.tr("frequency"),
                                   "language": lambda: self.tr("language")})
        t.widget(self.colour_combo, tip=lambda: self.tr(
            "Colour the points by semantic word class, by how often the token occurs in the "
            "training text, or by language"))
        self.search_edit = QLineEdit()
        self.search_edit.setMinimumWidth(90)
        t.bind(self.search_edit.setPlaceholderText, lambda: self.tr("search words…"))
        self.regex_check = t.widget(QCheckBox(), lambda: self.tr("regex"),
                                    lambda: self.tr("Treat the search as a regular expression"))
        self.labels_check = t.widget(QCheckBox(), lambda: self.tr("labels"), lambda: self.tr(
            "Write every word next to its point (up to a few hundred points)"))
        self.follow_check = t.widget(QCheckBox(), lambda: self.tr("Follow training"), lambda: self.tr(
            "Fix the PCA axes now and redraw new snapshots in them while the translator trains: "
            "the points move as it learns"))
        self.trails_check = t.widget(QCheckBox(), lambda: self.tr("trails"), lambda: self.tr(
            "A line from where each point was in the previous snapshot"))
        self.step_a, self.step_b = QComboBox(), QComboBox()
        for box in (self.step_a, self.step_b):
            t.widget(box, tip=lambda: self.tr("A training step kept on the timeline"))
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        t.add(self._write_steps)
        self.compare_button = t.widget(QPushButton(), lambda: self.tr("Compare steps"), lambda: self.tr(
            "PCA axes of the later step; trails from the earlier step"))
        self.compare_button.setEnabled(False)

        def label(text, tip):
            return t.widget(QLabel(), text, tip)

        rows = (
            (label(lambda: self.tr("Points"), lambda: self.tr("Which vectors become the points")),
             self.source_combo, self.layer_spin, self.subset_combo, self.subset_spin, self.subset_label,
             self.refresh_button),
            (label(lambda: self.tr("Method"), lambda: self.tr("How the D-dimensional vectors are laid out in 2D or 3D")),
             self.method_combo, self.dim_combo, self.run_button, self.cancel_button, self.progress),
            (label(lambda: self.tr("Colour"), lambda: self.tr("What the colours of the points mean")),
             self.colour_combo, self.search_edit, self.regex_check, self.labels_check),
            (self.follow_check, self.trails_check,
             label(lambda: self.tr("Timeline"), lambda: self.tr("Compare two training steps kept on the timeline")),
             self.step_a, QLabel("→"), self.step_b, self.compare_button),
        )
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        for widgets in rows:
            row = QHBoxLayout()
            for w in widgets:
                row.addWidget(w, 1 if w is self.search_edit else 0)
            if self.search_edit not in widgets:
                row.addStretch(1)
            box.addLayout(row)
        self.show_subset(False)

    def show_subset(self, on: bool) -> None:
        """Show the subset controls (only a large vocabulary needs them)."""
        for w in (self.subset_combo, self.subset_spin, self.subset_label):
            w.setVisible(on)

    def set_steps(self, steps: list[int]) -> None:
        """The timeline's steps in both combos: the first and the last chosen."""
        for box, pick in ((self.step_a, 0), (self.step_b, len(steps) - 1)):
            box.blockSignals(True)
            box.clear()
            for step in steps:
                box.addItem("", step)
            box.setCurrentIndex(max(pick, 0))
            box.blockSignals(False)
        self._write_steps()
        self.compare_button.setEnabled(len(steps) >= 2)

    def _write_steps(self) -> None:
        for box in (self.step_a, self.step_b):
            for i in range(box.count()):
                box.setItemText(i, self.tr("step {step}").format(step=box.itemData(i)))


class NeighbourView(QWidget):
    """Nearest neighbours of the selected point: in the original D dimensions beside the
    nearest in the picture (bold: in both lists)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        t = self.texts = Texts(self)
        self.metric_combo = combo(("cosine", "euclidean"))
        t.bind(self.metric_combo, {"cosine": lambda: self.tr("cosine"), "euclidean": lambda: self.tr("euclidean")})
        tip = lambda: self.tr("How nearness is measured in the original D dimensions")  # noqa: E731
        t.widget(self.metric_combo, tip=tip)
        self.k_spin = t.widget(QSpinBox(minimum=1, maximum=50, value=10),
                               tip=lambda: self.tr("How many neighbours to list"))
        self.selection_label = QLabel()
        self.selection_label.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        t.add(lambda: self.table.setHorizontalHeaderLabels(
            [self.tr("in D dims"), self.tr("score"), self.tr("in the picture"), self.tr("dist")]))
        t.widget(self.table, tip=lambda: self.tr(
            "Left: nearest in the original space; right: nearest in the projection. Bold: in both lists"))
        row = QHBoxLayout()
        row.addWidget(t.widget(QLabel(), lambda: self.tr("Neighbours by"), tip))
        row.addWidget(self.metric_combo)
        row.addWidget(t.widget(QLabel("k"), tip=lambda: self.tr("How many neighbours to list")))
        row.addWidget(self.k_spin)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.selection_label)
        layout.addWidget(self.table, 1)
        self._selection: tuple[str, dict] = ("none", {})
        t.add(self._write_selection)

    def show_selection(self, key: str, values: dict) -> None:
        """Say what the search found or what the selected point's neighbours are:
        ``key`` "matches", "neighbours" or "none" and the values its text needs."""
        self._selection = (key, values)
        self._write_selection()

    def _write_selection(self) -> None:
        key, v = self._selection
        if key == "matches" and v["n"] == 0 and not v.get("whole", True):
            text = self.tr("“{text}” is not in the vocabulary.").format(**v)
        elif key == "matches" and not v.get("whole", True):
            text = self.tr("“{text}” is not in the vocabulary as a token of its own; "
                           "{n} tokens contain it.").format(**v)
        elif key == "matches":
            text = self.tr("{n} words match “{text}”.").format(**v)
        elif key == "neighbours":
            text = self.tr("“{token}” ({word_class}, {lang}): {both} of its {k} nearest neighbours in "
                           "{D} dimensions are also among its nearest in the picture.").format(
                **{**v, "word_class": v["word_class"] or self.tr("no class")})
        else:
            text = self.tr("Click a point to see its nearest neighbours.")
        self.selection_label.setText(text)

    def set_rows(self, rows, both: set[str]) -> None:
        """Fill the table: rows of (word, score, word, distance); the words in ``both`` bold."""
        self.table.setRowCount(len(rows))
        for r, (a, sa, b, sb) in enumerate(rows):
            for c, text in enumerate((a, f"{sa:.3f}", b, f"{sb:.3f}")):
                item = QTableWidgetItem(text)
                if c in (0, 2) and text in both:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()


class StatusLine(QLabel):
    """The line under the controls: what the points are and what the projection did,
    kept as a key and values and written again after a language change."""

    LINES = 2  # the height it keeps for its text, however short

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self._shown: tuple[str, dict | None, dict] = ("waiting", None, {})
        self._keep_lines()
        Texts(self).add(self._write)

    def _keep_lines(self) -> None:
        """Two lines' height even for a one-line text: a replay's first frame (one line
        longer than the live picture's) no longer resizes the plot under it, which cost the
        frame a layout and a whole repaint of the projector."""
        self.setMinimumHeight(self.LINES * self.fontMetrics().lineSpacing() + 2 * self.margin())

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._keep_lines()

    def set_status(self, key: str, points: dict | None, values: dict) -> None:
        """``key`` says what happened, ``points`` what the points are
        (``ProjectorState.note_values``), ``values`` what the text needs."""
        self._shown = (key, points, values)
        self._write()

    def points_note(self, v: dict | None) -> str:
        """What the points are (count, sources, step, D, subset), in the current language."""
        if v is None:
            return ""
        text = self.tr("{n:,} points ({names} at step {step}), D = {D}.").format(**v)
        subset = {"frequent": self.tr("the most frequent"), "sentences": self.tr("the words of the loaded sentences"),
                  "search": self.tr("the search's matches")}.get(v["subset"])
        if subset:
            text += " " + self.tr("A subset of the {vocab:,} rows: {which}.").format(vocab=v["vocab"], which=subset)
        return text

    def _write(self) -> None:
        key, points, v = self._shown
        note = self.points_note(points)
        method = dict(pca="PCA", tsne="t-SNE", umap="UMAP").get(v.get("method", ""), "")
        text = {
            "waiting": lambda: self.tr("Waiting for an embedding matrix."),
            "points": lambda: note,
            "pca": lambda: note + " " + self.tr("PCA keeps {ratio:.0%} of the variance in {dim}D.").format(**v),
            "done": lambda: note + " " + self.tr("{method} done.").format(method=method),
            "running": lambda: note + " " + self.tr("{method} is running…").format(method=method),
            "umap": lambda: self.tr("UMAP: numba compiles it the first time in this run (up to a minute "
                                    "on a busy machine); later layouts take seconds."),
            "warming": lambda: self.tr("Preparing UMAP in the background (numba compiles it once per run)…"),
            "cancelled": lambda: self.tr("{method} cancelled.").format(method=method),
            "failed": lambda: self.tr("{method} stopped: {why}.").format(method=method, why=v.get("why", "")),
            "no frequencies": lambda: self.tr("Frequencies are not counted yet (they come from the training text)."),
            "no cbow": lambda: self.tr("No CBOW vectors yet: train them in the word2vec panel and "
                                       "press “Open in projector”."),
            "no rows": lambda: self.tr("No rows chosen: search for words, or choose another subset."),
            "replay": lambda: note + " " + self.tr(
                "Training replay: step {step}, in PCA axes turned to follow the previous frame.").format(**v),
            "compared": lambda: self.tr("Step {b} in its PCA axes; trails from step {a}.").format(**v),
        }.get(key, lambda: "")()
        self.setText(text)


_UMAP = {"warm": False, "job": None}  # numba compiles UMAP once per process


class LayoutRunner(QObject):
    """Runs one layout job at a time (``logic.lay_out``: PCA, t-SNE, UMAP) off the UI
    thread, and drives the progress bar and the Project / Cancel buttons.

    A PCA asked for while one runs is run again after it (``rerun()``, with the points as
    they are then); a running t-SNE or UMAP is not restarted.

    Signals:
        sig_layout(layout, axes, final): a layout (intermediate t-SNE frames too); the PCA
            axes or None; final True for the finished one.
        sig_status(key, values): "running", "umap" (first compile), "failed", "cancelled",
            "warming", "warm".
    """

    sig_layout = Signal(object, object, bool)
    sig_status = Signal(str, object)

    def __init__(self, controls: ProjectorControls, rerun, parent: QObject) -> None:
        super().__init__(parent)
        self.controls = controls
        self.job: Job | None = None
        self.method = ""
        self._rerun = rerun
        self._again = False

    def run(self, X, method: str, dim: int, options: dict | None = None) -> None:
        if self.job is not None:
            self._again = self.method == "pca"
            return
        self.method = method
        job = self.job = Job(lay_out, (X.copy(), method, dim, options), report="progress", owner=self)
        job.sig_progress.connect(self._on_progress)
        job.sig_done.connect(self._on_done)
        job.sig_failed.connect(self._on_failed)
        job.sig_cancelled.connect(self._on_cancelled)
        job.sig_finished.connect(self._on_finished)
        c = self.controls
        c.progress.setRange(0, 100)
        c.progress.setValue(0)
        if method == "umap":  # no per-epoch progress, and a first compile: say so, show activity
            c.progress.setRange(0, 0)
            self.sig_status.emit("running" if _UMAP["warm"] else "umap", {"method": method})
        elif method != "pca":
            self.sig_status.emit("running", {"method": method})
        c.run_button.setEnabled(False)
        c.cancel_button.setEnabled(True)
        job.start()

    def warm_up_umap(self) -> None:
        """Compile UMAP in the background (once per run) before a person asks for it."""
        if _UMAP["warm"] or _UMAP["job"] is not None:
            return
        job = _UMAP["job"] = Job(warm_up_umap)  # not cancelled with this panel: it is done once
        job.sig_done.connect(self._on_warm)
        job.sig_finished.connect(lambda: _UMAP.update(job=None))
        self.sig_status.emit("warming", {})
        job.start()

    @Slot(object)
    def _on_warm(self, _seconds) -> None:
        _UMAP["warm"] = True
        self.sig_status.emit("warm", {})

    @Slot()
    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Wait for running jobs and deliver their results; True when none is left."""
        deadline = time.monotonic() + timeout_ms / 1000
        while self.job is not None and time.monotonic() < deadline:
            self.job.wait(max(1, int(1000 * (deadline - time.monotonic()))))
        return self.job is None

    @Slot(object)
    def _on_progress(self, report) -> None:
        done, total, layout = report
        if self.controls.progress.maximum() > 0:
            self.controls.progress.setValue(int(100 * done / max(total, 1)))
        self.sig_layout.emit(layout, None, False)

    @Slot(object)
    def _on_done(self, result) -> None:
        layout, axes = result
        self.controls.progress.setRange(0, 100)
        self.controls.progress.setValue(100)
        if self.method == "umap":
            _UMAP["warm"] = True
        self.sig_layout.emit(layout, axes, True)

    @Slot(str)
    def _on_failed(self, why: str) -> None:
        self.sig_status.emit("failed", {"method": self.method, "why": why})

    @Slot()
    def _on_cancelled(self) -> None:
        self.sig_status.emit("cancelled", {"method": self.method})

    @Slot()
    def _on_finished(self) -> None:
        self.job = None
        c = self.controls
        c.progress.setRange(0, 100)
        c.run_button.setEnabled(True)
        c.cancel_button.setEnabled(False)
        if self._again:
            self._again = False
            self._rerun()
