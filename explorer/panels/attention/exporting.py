"""The attention panel's export: File > Export (Ctrl+E) and the PNG/SVG/CSV/NPY buttons save
what the current tab shows (``matrices()`` of its view: in the Compare tab, B − A of every
head and the selected head's A and B)."""
from __future__ import annotations

from pathlib import Path

from pyqtgraph.Qt import QtWidgets
from PySide6.QtCore import QCoreApplication

from explorer.widgets.export import LabeledMatrix, export_view, file_filter, filter_for

KEYS = ((".png", "Ctrl+Shift+P"), (".svg", "Ctrl+Shift+S"), (".csv", "Ctrl+Shift+C"),
        (".npy", "Ctrl+Shift+N"))


class Exporting:
    """Export for the AttentionPanel (which has ``view``, ``current_tab``, ``selection``,
    ``_shortcut`` and ``_set_status``)."""

    def _add_export_buttons(self, layout: QtWidgets.QBoxLayout) -> None:
        self.export_buttons: dict[str, tuple[QtWidgets.QPushButton, str]] = {}
        for ext, key in KEYS:
            button = QtWidgets.QPushButton(ext[1:].upper())  # a file format's name
            self.export_buttons[ext] = (button, key)
            button.clicked.connect(lambda _c=False, e=ext: self._on_export_clicked(e))
            self._shortcut(key, lambda e=ext: self._on_export_clicked(e))
            layout.addWidget(button)

    def matrices(self) -> list[LabeledMatrix]:
        """The matrices the current tab shows, with their labels."""
        return self.view(self.current_tab).matrices()

    def export(self, path: str | Path) -> Path:
        """Save the current view by extension: .png/.svg picture, .csv/.npy/.npz matrices.

        Several matrices as .csv or .npy go to one file each beside ``path``; returns the
        first file written.
        """
        written = export_view(path, self.export_widget(), self.matrices())
        if len(written) > 2:  # the Computation tab writes 21 files: their names filled 7 lines
            self._set_status("saved_many", n=len(written), folder=str(written[0].parent),
                             first=written[0].name, last=written[-1].name)
        else:
            self._set_status("saved", files=", ".join(p.name for p in written))
        return written[0]

    def export_widget(self) -> QtWidgets.QWidget:
        """Pictures show the current tab's view, drawn in full (a large trace's overview
        draws a kind per turn of the event loop)."""
        view = self.view(self.current_tab)
        if hasattr(view, "finish"):
            view.finish()
        return view

    def _on_export_clicked(self, ext: str) -> None:
        name = f"attention_{self.selection.name}{ext}"
        title = QCoreApplication.translate("AttentionPanel", "Export")
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, title, name, file_filter(), filter_for(name))
        if path:
            if not Path(path).suffix:
                path += ext
            self.export(path)
