"""The Analysis panel's beam-search view: the tree, the hypotheses left at the end, and the
cross-attention of the prefix a person clicks.

Each node is one candidate continuation of a live hypothesis with its log-probability and
the summed score of its prefix; kept nodes survived into the beam, pruned ones did not,
finished ones end with <eos>; the chosen hypothesis is bold. Clicking a node asks the
worker for that prefix's trace (``sig_prefix(token ids)``) and shows its cross-attention.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
)

from explorer.panels.analysis.state import (
    Matrix,
    finals_matrix,
    node_state,
    prefix_cross,
    tree_children,
    tree_matrix,
)
from explorer.panels.analysis.views import View, fmt, summary_label
from explorer.widgets.heatmap import TokenHeatmap

STATE_COLORS = {"chosen": QColor(20, 110, 20), "finished": QColor(20, 90, 160),
                "kept": QColor(20, 20, 20), "pruned": QColor(150, 150, 150)}
NODE_ROLE = Qt.ItemDataRole.UserRole


class BeamView(View):
    """The beam search tree of one sentence."""

    sig_prefix = Signal(object)  # tuple of token ids: the clicked node's prefix

    def __init__(self) -> None:
        super().__init__()
        self.beam_spin = QSpinBox(minimum=1, maximum=16, value=4)
        self.alpha_spin = QDoubleSpinBox(minimum=0.0, maximum=2.0, singleStep=0.1, value=0.6,
                                         decimals=2)
        self.top_spin = QSpinBox(minimum=1, maximum=16, value=4)
        self.bar((lambda: self.tr("Beam:"), lambda: self.tr("Hypotheses kept at each step"),
                  self.beam_spin),
                 (lambda: self.tr("Length α:"),
                  lambda: self.tr("Length normalisation: a finished hypothesis' score is divided "
                                  "by ((5 + length) / 6) ** α; 0 compares plain sums"),
                  self.alpha_spin),
                 (lambda: self.tr("Candidates:"),
                  lambda: self.tr("Candidates shown per hypothesis and step (the best ones)"),
                  self.top_spin)).addStretch(1)
        for widget, key in ((self.beam_spin, "beam"), (self.alpha_spin, "alpha"), (self.top_spin, "top")):
            self.option(widget, key)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(5)
        self.tree.itemClicked.connect(self._on_clicked)
        self.finals = QTableWidget()
        self.finals.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.prefix_map = TokenHeatmap()
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.tree)
        left.addWidget(self.finals)
        left.setSizes([400, 140])
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.prefix_map)
        split.setSizes([560, 440])
        self.box.addWidget(split, 1)
        self.summary = summary_label()
        self.box.addWidget(self.summary)
        self.prefix = None  # the clicked node's ModelTrace
        self.prefix_node: int | None = None
        self.texts.add(self.draw)

    def set_options(self, options: dict) -> None:
        self.beam_spin.setValue(int(options["beam"]))
        if options["alpha"] is not None:  # None: the model's own, shown when the tree comes
            self.alpha_spin.setValue(float(options["alpha"]))
        self.top_spin.setValue(int(options["top"]))

    def show_result(self, result) -> None:
        self.prefix, self.prefix_node = None, None
        super().show_result(result)

    def draw(self) -> None:
        self.tree.setHeaderLabels([self.tr("token"), self.tr("step"), self.tr("log p"),
                                   self.tr("score"), self.tr("state")])
        if self.result is None:
            self.summary.setText(self.tr("Type a sentence and press Analyse."))
            self.tree.clear()
            self.finals.setRowCount(0)
            self._draw_prefix()
            return
        tree = self.result.report
        self.alpha_spin.setValue(tree.alpha)
        self._fill_tree(tree)
        self._fill_finals(tree)
        best = tree.finals[tree.best] if tree.finals else None
        self.summary.setText(self.tr(
            "Beam search output: “{out}” (normalised score {score}; greedy: “{greedy}”). "
            "Green: the chosen hypothesis; blue: finished; grey: pruned. Click a node to see "
            "what the decoder looked at after that prefix.").format(
            out=self.result.extra.get("translation", ""), score=fmt(best.normalised, 4) if best else "–",
            greedy=self.result.translation))
        if not getattr(tree, "same_as_model", True):
            self.summary.setText(self.summary.text() + " " + self.tr(
                "This model translates with the pooled beam search of its original library, "
                "which may choose differently from the search drawn here."))
        self._draw_prefix()

    def state_text(self, state: str) -> str:
        return {"chosen": self.tr("chosen"), "finished": self.tr("finished"),
                "kept": self.tr("kept"), "pruned": self.tr("pruned")}[state]

    def _fill_tree(self, tree) -> None:
        self.tree.clear()
        children = tree_children(tree)
        items: dict[int, QTreeWidgetItem] = {}
        for node in tree.nodes:
            state = node_state(tree, node.id)
            item = QTreeWidgetItem([node.token, str(node.step), fmt(node.logp, 4), fmt(node.score, 4),
                                    self.state_text(state)])
            item.setData(0, NODE_ROLE, node.id)
            for col in range(5):
                item.setForeground(col, QBrush(STATE_COLORS[state]))
            if state == "chosen":
                font = item.font(0)
                font.setBold(True)
                for col in range(5):
                    item.setFont(col, font)
            if node.parent < 0:
                self.tree.addTopLevelItem(item)
            else:
                items[node.parent].addChild(item)
            items[node.id] = item
        for node_id, item in items.items():
            item.setExpanded(bool(children[node_id]) and tree.nodes[node_id].kept)
        for col in range(5):
            self.tree.resizeColumnToContents(col)

    def _fill_finals(self, tree) -> None:
        """One row per hypothesis left at the end: the numbers first (in sight however narrow
        the panel), the hypothesis itself last; the chosen row green and bold as in the tree."""
        m = finals_matrix(tree)
        texts = tuple(self.result.extra.get("finals", ())) if self.result is not None else ()
        if len(texts) != len(m.rows):
            texts = m.rows  # the tokens (a reply without the texts)
        heads = [self.tr("score (sum of log p)"), self.tr("length"), self.tr("penalty"),
                 self.tr("normalised"), self.tr("chosen"), self.tr("hypothesis")]
        self.finals.setRowCount(len(m.rows))
        self.finals.setColumnCount(len(heads))
        self.finals.setHorizontalHeaderLabels(heads)
        for r in range(len(m.rows)):
            chosen = bool(m.values[r, 4])
            cells = [fmt(float(m.values[r, 0]), 4), str(int(m.values[r, 1])), fmt(float(m.values[r, 2]), 4),
                     fmt(float(m.values[r, 3]), 4), self.tr("yes") if chosen else "", texts[r]]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 5:
                    item.setToolTip(m.rows[r])  # its tokens, as the tree and the CSV have them
                if chosen:
                    item.setForeground(QBrush(STATE_COLORS["chosen"]))
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.finals.setItem(r, c, item)
        self.finals.resizeColumnsToContents()
        self.finals.horizontalHeader().setStretchLastSection(True)

    def _on_clicked(self, item: QTreeWidgetItem, _col: int) -> None:
        if self.result is None:
            return
        node = int(item.data(0, NODE_ROLE))
        self.prefix_node = node
        self.sig_prefix.emit(tuple(self.result.report.prefix_ids(node)))

    def select_node(self, node: int) -> None:
        """Click node ``node`` (what a person's click does)."""
        items = self.tree.findItems("*", Qt.MatchFlag.MatchWildcard | Qt.MatchFlag.MatchRecursive)
        item = next(i for i in items if int(i.data(0, NODE_ROLE)) == node)
        self.tree.setCurrentItem(item)
        self._on_clicked(item, 0)

    def show_prefix(self, result) -> None:
        """The clicked prefix's trace arrived."""
        self.prefix = result.report
        self._draw_prefix()

    def _draw_prefix(self) -> None:
        if self.prefix is None:  # no node clicked since this tree came: no old prefix's map
            self.prefix_map.clear(self.tr("click a node of the tree"))
            return
        m = prefix_cross(self.prefix)
        self.prefix_map.set_matrix(m.values, m.rows, m.cols, scale="prob", title=self.tr(
            "cross-attention after the prefix (last row: choosing the next token)"))

    def matrices(self) -> list[Matrix]:
        if self.result is None:
            return []
        out = [tree_matrix(self.result.report), finals_matrix(self.result.report)]
        if self.prefix is not None:
            out.append(prefix_cross(self.prefix))
        return out
