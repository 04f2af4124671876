"""The archive folder's layout, its single-writer lock, and the default per-user archive location."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import logging
import os
import shutil
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import platformdirs

from desktop.core.errors import ArchiveLockedError, ArchiveNotWritableError, DatabaseDamagedError, KnownError
from desktop.store.sqlite import database_problems

APP_NAME = "ArchiveBrowser"
log = logging.getLogger(__name__)


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
    """An exclusive OS lock on ``.lock``: released by the kernel when its process dies, so never stale."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] | None = None

    def acquire(self) -> None:
        try:
            handle = self.path.open("a+", encoding="utf-8")
        except OSError as exc:
            if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise ArchiveNotWritableError(
                    f"The archive {self.path.parent} cannot be changed here ({exc.strerror}): it can only be opened read-only."
                ) from None
            raise KnownError(f"Cannot open the archive {self.path.parent}: {exc.strerror or exc}") from exc
        try:
            _lock(handle)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "another program"
            handle.close()
            raise ArchiveLockedError(
                f"The archive {self.path.parent} is open in another Archive Browser ({holder}). "
                "Close that one first, or open this archive read-only."
            ) from None
        started = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        try:  # who holds the lock is only for the message a second copy shows; a full disk must not stop us here
            handle.seek(0)
            handle.truncate()
            handle.write(f"process {os.getpid()} on {socket.gethostname()}, since {started}")
            handle.flush()
        except OSError:
            log.warning("could not write the lock holder into %s", self.path)
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            _unlock(self._handle)
            with contextlib.suppress(OSError):  # a holder line that a full disk refused may still be buffered
                self._handle.close()
            self._handle = None


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


def put_backup_in_place(folder: ArchiveFolder, name: str) -> str:
    """Move the (damaged) database into ``backups/`` and copy the backup ``name`` in its place; the index is rebuilt."""
    source = folder.backups / Path(name).name
    if not source.is_file() or source.name.startswith("damaged-"):
        raise KnownError(f"There is no backup named {name!r} in {folder.backups}.")
    problems = database_problems(source, read_only=True)
    if problems:
        raise KnownError(f"The backup {source.name} is damaged too ({problems[0].splitlines()[-1]}); choose another.")
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    kept = folder.backups / f"damaged-{stamp}.sqlite"
    try:
        partial = folder.database.with_name("archive.sqlite.restoring")
        shutil.copyfile(source, partial)
        for suffix in ("", "-wal", "-shm"):
            current = folder.database.with_name(folder.database.name + suffix)
            if current.exists():
                current.replace(kept.with_name(kept.name + suffix))
        partial.replace(folder.database)
        shutil.rmtree(folder.index, ignore_errors=True)  # it was built from the damaged database
    except OSError as exc:
        raise KnownError(f"Could not restore {source.name}: {exc.strerror or exc}") from exc
    return f"Restored the backup {source.name}; the damaged database is kept as {kept}."


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
