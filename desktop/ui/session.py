"""The archive's life in the window: opening it (or restoring a damaged one), the search index, the daily backup."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.core.errors import DatabaseDamagedError
from desktop.library import Library, Progress
from desktop.ui.operations import Operations
from desktop.ui.status import StatusArea
from desktop.ui.text import tr
from desktop.ui.workers import Context

BACKUP_CHECK_MS = 3_600_000  # look every hour whether the day's backup is due

OpenLibrary = Callable[[Progress], Library]


class ArchiveSession(QObject):
    """Opens the archive in a worker, then catches the search index up in the background."""

    opened = Signal(str, bool)  # the archive folder, read-only
    open_failed = Signal()
    index_ready = Signal()
    index_rebuilt = Signal()

    def __init__(self, ops: Operations, status: StatusArea, settings: QSettings, parent: QWidget, *, prepare_index: bool = True) -> None:
        super().__init__(parent)
        self._ops = ops
        self._status = status
        self._settings = settings
        self._parent = parent
        self._prepare_index = prepare_index
        self.rebuilding_index = False
        self.damage_rebuilds = 0  # rebuilds started on finding the index damaged: one per session, then the message stays
        self.damaged: DatabaseDamagedError | None = None
        self.open_box: QMessageBox | None = None
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(BACKUP_CHECK_MS)
        self.backup_timer.timeout.connect(self.daily_backup)

    # opening ---------------------------------------------------------------------------------------
    def open(self, open_library: OpenLibrary) -> None:
        self._status.message(tr("Opening the archive…"))
        self._opening(lambda context: self._open_with(open_library, context))

    def restore_damaged(self, damaged: DatabaseDamagedError) -> None:
        """Open the archive with the chosen backup in place of its damaged database (which is kept in backups/)."""
        self._status.message(tr("Restoring {name}…").format(name=damaged.backup))

        def work(context: Context) -> Library:
            library = Library.open(damaged.root, restore=damaged.backup, progress=context.progress, prepare_index=False)
            library.index.write_in_child_process()
            return library

        self._opening(work)

    def _opening(self, work: Callable[[Context], Library]) -> None:
        (
            self._ops.start(work)
            .progress(self._status.report)
            .success(self._opened)
            .failure(self._failed)
            .known_error(self._explain_failure)
            .write()
        )

    def _open_with(self, open_library: OpenLibrary, context: Context) -> Library:
        try:
            return open_library(context.progress)
        except DatabaseDamagedError as exc:
            self.damaged = exc  # for the error handler, which the error signal brings to the GUI thread after this
            raise

    def _opened(self, library: Library) -> None:
        self._ops.library = library
        self._settings.setValue("archive/last", str(library.folder.root))
        for notice in library.notices:
            self._status.message(notice, 10_000)
        self.opened.emit(str(library.folder.root), library.read_only)
        if library.read_only:
            return
        self.daily_backup()  # a backup a day while the window runs (the first one right after opening)
        self.backup_timer.start()
        if self._prepare_index:
            self._status.show_progress(tr("Preparing the search index"))
            (
                self._ops.op(lambda library, context: library.index.prepare(context.progress))
                .progress(self._status.report)
                .always(self._status.hide_progress)
                .success(self._index_ready)
                .known_error(lambda message: self._status.message(message, 15_000))
                .write()
            )

    def _failed(self) -> None:
        self._status.message(tr("The archive could not be opened."))
        self.open_failed.emit()

    def _explain_failure(self, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, tr("Archive Browser"), message, parent=self._parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        damaged, self.damaged = self.damaged, None
        if damaged is not None and damaged.backup:  # offer the newest good backup; nothing is replaced unless asked
            restore = box.addButton(tr("Restore {name}").format(name=damaged.backup), QMessageBox.ButtonRole.AcceptRole)
            box.addButton(QMessageBox.StandardButton.Close)
            restore.clicked.connect(lambda: self.restore_damaged(damaged))
        self.open_box = box
        box.open()

    # the index and backups -------------------------------------------------------------------------
    def _index_ready(self, _value: object) -> None:
        self._status.message(tr("The search index is ready."), 3000)
        self.index_ready.emit()

    def rebuild_index(self) -> None:
        """Rebuild the search index from the archive in the background (the menu's command, or on finding it damaged)."""
        if self.rebuilding_index or not self._ops.writable:
            return

        def finished() -> None:
            self.rebuilding_index = False
            self._status.hide_progress()

        def done(_value: object) -> None:
            self._status.message(tr("The search index was rebuilt from the archive."), 5000)
            self.index_rebuilt.emit()

        self.rebuilding_index = True
        self._status.show_progress(tr("Rebuilding the search index"))
        (
            self._ops.op(lambda library, context: library.index.reindex(context.progress))
            .progress(self._status.report)
            .always(finished)
            .success(done)
            .known_error(lambda message: self._status.message(message, 15_000))
            .write()
        )

    def rebuild_once_damaged(self) -> None:
        """A search found the index's files damaged: rebuild it from the archive (once: a second failure stays shown)."""
        if self.rebuilding_index or self.damage_rebuilds:
            return
        self.damage_rebuilds += 1
        self._status.message(tr("The search index is damaged; rebuilding it from the archive."), 10_000)
        self.rebuild_index()

    def daily_backup(self) -> None:
        self._ops.op(lambda library, _context: library.backups.daily()).write()

    def stop(self) -> None:
        self.backup_timer.stop()
