"""What File > Open run log… and File > Open model folder… do (a mixin of the main window:
it uses the window's ``panel``, ``docks``, ``open_path`` and ``show_error``).

Texts are in the MainWindow context of the translation, as the window's own are.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Slot
from PySide6.QtWidgets import QFileDialog

from explorer import jobs


class OpenActions:
    """Opening a run log (read in a job, drawn in the Training panel) and a model folder."""

    @Slot()
    def _on_open_run_log(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, QCoreApplication.translate("MainWindow", "Open run log"), "",
            QCoreApplication.translate("MainWindow", "Run logs (*.jsonl);;All files (*)"))
        if path:
            self.open_run_log(path)

    def open_run_log(self, path: str) -> jobs.Job:
        """Read a run log (``main.py train`` writes one beside each checkpoint) in the
        background, then show its curves in the Training panel."""
        from model.runlog import read_run_log

        job = jobs.Job(read_run_log, (path,), owner=self)
        job.sig_done.connect(self._on_run_log_read)
        job.sig_failed.connect(lambda message: self._on_run_log_failed(path, message))
        job.start()
        return job

    @Slot(object)
    def _on_run_log_read(self, log) -> None:
        panel = self.panel("Training")
        if panel is not None:
            self.docks["Training"].raise_()
            panel.show_run_log(log)

    def _on_run_log_failed(self, path: str, message: str) -> None:
        self.show_error(QCoreApplication.translate(
            "MainWindow", "The run log {path} cannot be read.").format(path=path), message)

    @Slot()
    def _on_open_model_folder(self) -> None:
        """A pretrained opus-mt (Marian) folder, e.g. one under ~/.cache/huggingface/hub."""
        hub = Path.home() / ".cache" / "huggingface" / "hub"
        path = QFileDialog.getExistingDirectory(
            self, QCoreApplication.translate("MainWindow", "Open model folder"),
            str(hub) if hub.is_dir() else "")
        if path:
            self.open_path(path)
