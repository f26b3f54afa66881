"""The main window's menus and the File actions behind them (a mixin of the main window: it
uses the window's ``session``, ``settings``, ``docks``, ``panels``, ``open_path``,
``recent_files``, ``reset_layout``, ``show_error`` and ``_on_tour``).

File: open a corpus, a checkpoint, a model folder, a recent file or a run log; save a
checkpoint; export the current view (Ctrl+E: PNG/SVG, and CSV/NPY/NPZ wherever the panel's
``matrices()`` is not empty). Models: the shipped checkpoints. View: the docks, reset
layout, language, theme. Help: the guided tour, shortcuts, about.

Texts are in the MainWindow context of the translation, as the window's own are.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QWidget

from explorer import about, i18n, theme
from explorer.shipped import shipped_models


class MenuActions:
    """The menu bar (built again on a language change) and the File actions."""

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(QCoreApplication.translate("MainWindow", "&File"))
        self._add_action(file_menu, QCoreApplication.translate("MainWindow", "Open &corpus…"), self._on_open_corpus)
        self._add_action(file_menu, QCoreApplication.translate("MainWindow", "&Open checkpoint…"), self._on_open_checkpoint,
                         QKeySequence("Ctrl+O"))
        self._add_action(file_menu, QCoreApplication.translate("MainWindow", "Open model &folder…"), self._on_open_model_folder)
        self.recent_menu = file_menu.addMenu(QCoreApplication.translate("MainWindow", "Open &recent"))
        self._add_action(file_menu, QCoreApplication.translate("MainWindow", "Open run &log…"), self._on_open_run_log)
        self._add_action(file_menu, QCoreApplication.translate("MainWindow", "&Save checkpoint…"), self._on_save_checkpoint,
                         QKeySequence("Ctrl+S"))
        self._add_action(file_menu, QCoreApplication.translate("MainWindow", "&Export current view…"), self._on_export,
                         QKeySequence("Ctrl+E"))
        file_menu.addSeparator()
        self._add_action(file_menu, QCoreApplication.translate("MainWindow", "&Quit"), self.close, QKeySequence("Ctrl+Q"))
        self._fill_recent_menu()

        models_menu = self.menuBar().addMenu(QCoreApplication.translate("MainWindow", "&Models"))
        models_menu.setToolTipsVisible(True)
        for model in shipped_models():
            action = models_menu.addAction(model.line())
            action.setData(str(model.path))
            action.setToolTip(str(model.path))
            action.triggered.connect(self._on_open_action)

        view_menu = self.menuBar().addMenu(QCoreApplication.translate("MainWindow", "&View"))
        for dock in self.docks.values():
            view_menu.addAction(dock.toggleViewAction())
        view_menu.addSeparator()
        self._add_action(view_menu, QCoreApplication.translate("MainWindow", "&Reset layout"), self.reset_layout)
        view_menu.addMenu(i18n.language_menu(view_menu))
        view_menu.addMenu(theme.theme_menu(view_menu, self.settings))

        help_menu = self.menuBar().addMenu(QCoreApplication.translate("MainWindow", "&Help"))
        tour = self._add_action(help_menu, QCoreApplication.translate("MainWindow", "&Guided tour"), self._on_tour, QKeySequence("F1"))
        tour.setToolTip(QCoreApplication.translate("MainWindow", "One stop per idea, each opening its panel with an example (F1)"))
        self._add_action(help_menu, QCoreApplication.translate("MainWindow", "&Keyboard shortcuts"), lambda: about.show_shortcuts(self))
        self._add_action(help_menu, QCoreApplication.translate("MainWindow", "&About"), lambda: about.show_about(self))
        help_menu.setToolTipsVisible(True)

    def _add_action(self, menu, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    @Slot()
    def _on_open_action(self) -> None:
        """A shipped model or a recent file was chosen: its path is the action's data."""
        action = self.sender()
        if isinstance(action, QAction):
            self.open_path(action.data())

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.recent_files():
            action = self.recent_menu.addAction(path)
            action.setData(path)
            action.triggered.connect(self._on_open_action)
        self.recent_menu.setEnabled(bool(self.recent_files()))

    @Slot()
    def _on_open_corpus(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, QCoreApplication.translate("MainWindow", "Open corpus"), "",
            QCoreApplication.translate("MainWindow", "Corpora (*.tsv *.txt *.csv);;All files (*)"))
        if path:
            self.open_path(path)

    @Slot()
    def _on_open_checkpoint(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, QCoreApplication.translate("MainWindow", "Open checkpoint"), "",
                                              QCoreApplication.translate("MainWindow", "Checkpoints (*.safetensors)"))
        if path:
            self.open_path(path)

    @Slot()
    def _on_save_checkpoint(self) -> None:
        if not self.session.has_model:
            return
        path, _ = QFileDialog.getSaveFileName(self, QCoreApplication.translate("MainWindow", "Save checkpoint"), "model.safetensors",
                                              QCoreApplication.translate("MainWindow", "Checkpoints (*.safetensors)"))
        if path:
            if not path.endswith(".safetensors"):
                path += ".safetensors"
            self.session.save_checkpoint(path).then(self._on_saved)

    @Slot()
    def _on_export(self) -> None:
        panel = self.current_panel()
        if panel is None:
            return
        types = panel.export_filter  # CSV / NPY too wherever the view shows matrices
        path, _ = QFileDialog.getSaveFileName(self, QCoreApplication.translate("MainWindow", "Export current view"), "view.png", types)
        if path:
            try:
                panel.export(path)
            except Exception as exc:  # noqa: BLE001 - shown to the user
                self.show_error(QCoreApplication.translate("MainWindow", "Export failed: {}").format(exc), "")
            else:
                self.statusBar().showMessage(QCoreApplication.translate("MainWindow", "Exported {}").format(path), 5000)

    def current_panel(self) -> QWidget | None:
        """The panel that has (or last had) keyboard focus, else the first visible one."""
        if self._last_panel is not None and self._last_panel.isVisible():
            return self._last_panel
        return next((p for p in self.panels.values() if p.isVisible()), None)

    @Slot(QWidget, QWidget)
    def _on_focus_changed(self, _old, new) -> None:
        while new is not None:
            if new in self.panels.values():
                self._last_panel = new
                return
            new = new.parentWidget()

    def _rebuild_menus(self) -> None:
        """The menus again, in the interface language."""
        for action in self.menuBar().actions():
            action.menu().deleteLater()
        self.menuBar().clear()
        self._build_menus()
