"""Backups of the database: made with SQLite's online backup API, pruned, listed, made daily, restored."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from desktop.archive_folder import ArchiveFolder, put_backup_in_place
from desktop.core.errors import KnownError
from desktop.library.indexing import Indexing
from desktop.library.unit_of_work import Progress, UnitOfWork
from desktop.store import repo

KEEP_BACKUPS = 10  # of each kind: daily, manual, before-restore (backups before an upgrade are all kept)
DAY_S = 24 * 3600


class Backups:
    """The archive's ``backups/`` folder."""

    def __init__(self, uow: UnitOfWork, indexing: Indexing, folder: ArchiveFolder, notices: list[str]) -> None:
        self._uow = uow
        self._indexing = indexing
        self._folder = folder
        self._notices = notices

    def create(self, kind: str = "manual") -> Path:
        """Copy the database into ``backups/``; keep the newest few of each kind."""
        self._uow.require_writable("This archive is open read-only here; back it up from the Archive Browser that has it open.")
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        target = self._folder.backups / f"{kind}-{stamp}.sqlite"
        try:
            self._uow.backup_to(target)
        except OSError as exc:
            raise KnownError(f"Could not write a backup in {self._folder.backups}: {exc.strerror or exc}") from exc
        for old in sorted(self._folder.backups.glob(f"{kind}-*.sqlite"))[:-KEEP_BACKUPS]:
            old.unlink(missing_ok=True)
        return target

    def all(self) -> list[tuple[str, int, str]]:
        """``(name, size in bytes, time)`` of each backup, newest first."""
        found = []
        for path in self._folder.backups.glob("*.sqlite"):
            stat = path.stat()
            when = dt.datetime.fromtimestamp(stat.st_mtime).isoformat(timespec="seconds")
            found.append((path.name, stat.st_size, when))
        return sorted(found, key=lambda item: item[2], reverse=True)

    def daily(self) -> Path | None:
        """A backup when the newest daily one is older than a day (the window and the CLI call this on open)."""
        if self._uow.read_only:
            return None
        newest = max((path.stat().st_mtime for path in self._folder.backups.glob("daily-*.sqlite")), default=0.0)
        if dt.datetime.now().timestamp() - newest < DAY_S:
            return None
        with self._uow.read() as session:
            if repo.count_all_articles(session) == 0:
                return None
        return self.create("daily")

    def restore(self, name: str, progress: Progress | None = None) -> None:
        """Put a backup in place of the database, then rebuild the index.

        The current database is kept twice: as a ``before-restore`` backup (when it holds articles) and,
        with its -wal and -shm files, set aside in ``backups/`` by ``archive_folder.put_backup_in_place``,
        which also refuses a backup that fails SQLite's integrity check (nothing is changed then).
        """
        source = self._folder.backups / Path(name).name
        if not source.is_file():
            raise KnownError(f"There is no backup named {name!r} in {self._folder.backups}.")
        self._uow.require_writable("This archive is open read-only here; restore it from the Archive Browser that has it open.")
        with self._uow.read() as session:
            has_articles = repo.count_articles(session) > 0
        if has_articles:
            self.create("before-restore")
        self._indexing.release()
        self._uow.dispose()
        try:
            put_backup_in_place(self._folder, name)
        finally:
            self._uow.reconnect()
            self._indexing.article_index.open()
        self._notices.extend(self._uow.upgrade(self._folder))
        self._indexing.reindex(progress)
