"""Errors a user can act on (shown in plain words) as opposed to bugs (shown with a traceback)."""

from __future__ import annotations

from pathlib import Path


class KnownError(Exception):
    """An error with a message meant for the archivist, not a developer."""


class ArchiveLockedError(KnownError):
    """Another process already holds the archive open for writing."""


class ArchiveNotWritableError(ArchiveLockedError):
    """The archive folder cannot be written (a read-only disk or folder): it can be opened read-only."""


class ReadOnlyArchiveError(KnownError):
    """A write was asked of an archive opened read-only."""


class ArticleNotFoundError(KnownError):
    """No article has the requested id."""


class IndexUnavailableError(KnownError):
    """The search index is being prepared or rebuilt; search works again in a moment."""


class IndexDamagedError(KnownError):
    """Reading the search index failed on its own files: it must be rebuilt from the store (nothing stored is affected)."""


class DatabaseDamagedError(KnownError):
    """The archive's database fails SQLite's integrity check: nothing was changed; a backup can be restored.

    ``backup`` is the newest backup that passes the check (None when there is none); the damaged file
    is replaced only when the user asks for that backup (``Library.open(root, restore=backup)``).
    """

    def __init__(self, message: str, *, root: Path, problems: tuple[str, ...], backup: str | None) -> None:
        super().__init__(message)
        self.root = root
        self.problems = problems
        self.backup = backup
