"""The archive folder's layout, its single-writer lock, restoring a backup, and the default per-user archive location.

The database's own specifics (its companion files, integrity check, the kind of lock) come from the
store's dialect (``desktop.store.dialect``); this module knows only where things are in the folder.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from desktop.core.errors import DatabaseDamagedError, KnownError
from desktop.store.dialect import Dialect
from desktop.store.sqlite import DIALECT as SQLITE

APP_NAME = "ArchiveBrowser"
#: the dialect of an archive that is a folder: its database is the file ``archive.sqlite``
DIALECT: Dialect = SQLITE


@dataclass(frozen=True, slots=True)
class ArchiveFolder:
    """Where each part of an archive lives inside its folder."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "archive.sqlite"

    @property
    def index(self) -> Path:
        return self.root / "index"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def lock_file(self) -> Path:
        return self.root / ".lock"

    @property
    def patterns(self) -> Path:
        return self.root / "patterns.json"


def default_archive_dir() -> Path:
    """The per-user archive: ``~/.local/share/ArchiveBrowser/archive`` on Linux (honours ``XDG_DATA_HOME``)."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / "archive"


class ArchiveLock:
    """The archive's single-writer lock, as its dialect takes it (an OS lock on ``.lock``, released when its process dies)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = DIALECT.writer_lock(path)

    def acquire(self) -> None:
        """Take the lock; ``ArchiveLockedError`` names who holds it, ``ArchiveNotWritableError`` a folder that cannot be written."""
        self._lock.acquire()

    def release(self) -> None:
        self._lock.release()


def database_problems(path: Path, *, read_only: bool = False) -> list[str]:
    """What the dialect's integrity check finds wrong with the database file at ``path`` (empty: nothing)."""
    return DIALECT.database_problems(path, read_only=read_only)


def refuse_damaged(folder: ArchiveFolder, *, read_only: bool = False) -> None:
    """Raise :class:`DatabaseDamagedError`, naming the newest good backup, when the database fails its check."""
    problems = database_problems(folder.database, read_only=read_only)
    if not problems:
        return
    lines = [line for line in problems[0].splitlines() if not line.startswith("***")] or [problems[0]]
    backup = next((path.name for path in backup_files(folder) if not database_problems(path, read_only=True)), None)
    offer = (
        f"The newest good backup is {backup}: restore it in the window, or with "
        f"`archive-browser-cli --archive {folder.root} backups restore {backup}` (the damaged file is kept in backups/)."
        if backup
        else "There is no good backup to restore: keep a copy of the folder before anything else."
    )
    raise DatabaseDamagedError(
        f"The archive's database {folder.database} is damaged ({lines[0]}). Nothing was changed. {offer}",
        root=folder.root,
        problems=tuple(problems),
        backup=backup,
    )


def backup_files(folder: ArchiveFolder) -> list[Path]:
    """The backups that could replace the database, newest first (damaged databases set aside are left out)."""
    found = [path for path in folder.backups.glob("*.sqlite") if not path.name.startswith("damaged-")]
    return sorted(found, key=lambda path: path.stat().st_mtime, reverse=True)


def restore_database(folder: ArchiveFolder, name: str, *, keep_current: bool = True) -> str:
    """Put the backup ``name`` (in ``backups/``) in place of the database; return what to tell the user.

    The one restore path, for a damaged database on open and for a restore the user asks for. Call it
    holding the writer lock with no engine open on the database. The backup must pass the integrity
    check, else ``KnownError`` and nothing changed. The current database, with its companion files
    (``-wal``, ``-shm``: a stale log must never meet the restored file), is kept in ``backups/`` as
    ``damaged-<time>.sqlite`` with ``keep_current``, else removed (when the caller has just backed it up).
    The index folder is removed: it was built from the replaced database, and is rebuilt on open.
    """
    source = folder.backups / Path(name).name
    if not source.is_file() or source.name.startswith("damaged-"):
        raise KnownError(f"There is no backup named {name!r} in {folder.backups}.")
    problems = database_problems(source, read_only=True)
    if problems:
        raise KnownError(f"The backup {source.name} is damaged too ({problems[0].splitlines()[-1]}); choose another.")
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    kept = folder.backups / f"damaged-{stamp}.sqlite"
    partial = folder.database.with_name(folder.database.name + ".restoring")
    try:
        shutil.copyfile(source, partial)
        for current in DIALECT.database_files(folder.database):
            if not current.exists():
                continue
            if keep_current:
                current.replace(kept.with_name(kept.name + current.name[len(folder.database.name) :]))
            else:
                current.unlink()
        partial.replace(folder.database)
        shutil.rmtree(folder.index, ignore_errors=True)  # it was built from the replaced database
    except OSError as exc:
        raise KnownError(f"Could not restore {source.name}: {exc.strerror or exc}") from exc
    if keep_current and kept.exists():
        return f"Restored the backup {source.name}; the damaged database is kept as {kept}."
    return f"Restored the backup {source.name}."


def put_backup_in_place(folder: ArchiveFolder, name: str) -> str:
    """Restore the backup ``name`` in place of a damaged database, keeping the damaged one (see :func:`restore_database`)."""
    return restore_database(folder, name)
