"""Importing: the file and folder dialogs, drag and drop, progress with Cancel, and the summary afterwards."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMimeData, QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.core.models import ImportReport
from desktop.ingest import formats
from desktop.library import Library
from desktop.ui.dialogs import ImportSummary
from desktop.ui.operations import Operations
from desktop.ui.status import StatusArea
from desktop.ui.text import tr
from desktop.ui.workers import Context, Task

# Small index commits keep each one short (bench/gui.py measures the longest event-loop gap)
WINDOW_INDEX_EVERY = 50


def importable(path: Path) -> bool:
    """A folder, or a file whose extension some import format reads (``formats.extensions()``)."""
    if path.is_dir():
        return True
    known = formats.extensions()
    return path.suffix.lower() in known or "".join(path.suffixes[-2:]).lower() in known


def dropped_paths(mime: QMimeData) -> list[Path]:
    """The local files and folders in a drop (an import of them skips, with a reason, what no format reads)."""
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class ImportFlow(QObject):
    """One import at a time, in the background; the menus and a drop take the same path."""

    finished = Signal(object)  # the ImportReport, or None when the import failed

    def __init__(self, ops: Operations, status: StatusArea, parent: QWidget) -> None:
        super().__init__(parent)
        self._ops = ops
        self._status = status
        self._parent = parent
        self.task: Task | None = None
        self.last_summary: ImportSummary | None = None
        status.cancel_requested.connect(self.cancel)

    def choose_files(self) -> None:
        files, _filter = QFileDialog.getOpenFileNames(self._parent, tr("Import articles"), "", formats.dialog_filter())
        if files:
            self.import_paths([Path(name) for name in files])

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self._parent, tr("Import a folder of articles"))
        if folder:
            self.import_paths([Path(folder)])

    def accepts(self, mime: QMimeData) -> bool:
        """Whether a drag holds something to import: local folders or files of a known format, and a writable archive."""
        return self._ops.writable and any(importable(path) for path in dropped_paths(mime))

    def drop(self, mime: QMimeData) -> bool:
        paths = dropped_paths(mime)
        if paths:
            self.import_paths(paths)
        return bool(paths)

    def import_paths(self, paths: Sequence[Path]) -> Task | None:
        """Import in the background with a progress bar and Cancel."""
        if self.task is not None:
            self._status.message(tr("An import is already running."), 5000)
            return None
        if not self._ops.writable:
            return None
        wanted = list(paths)

        def work(library: Library, context: Context) -> ImportReport:
            return library.imports.paths(wanted, progress=context.progress, cancelled=context.is_cancelled, index_every=WINDOW_INDEX_EVERY)

        self._status.show_progress(tr("Importing"), cancellable=True)
        self.task = (
            self._ops.op(work)
            .progress(self._status.report)
            .always(self._done)
            .success(self._imported)
            .failure(lambda: self.finished.emit(None))
            .write()
        )
        return self.task

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self._status.stopping()

    def _done(self) -> None:
        """Either way, what was imported before the end (or the error) is kept: the views show it."""
        self.task = None
        self._status.hide_progress()
        self._ops.changed.emit()

    def _imported(self, report: ImportReport) -> None:
        self.finished.emit(report)
        summary = ImportSummary(report, self._parent)
        summary.setModal(False)
        summary.show()
        self.last_summary = summary
