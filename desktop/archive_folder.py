"""The archive folder's layout, its single-writer lock, and the default per-user archive location."""

from __future__ import annotations

import datetime as dt
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import platformdirs

from desktop.core.errors import ArchiveLockedError

APP_NAME = "ArchiveBrowser"


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
        handle = self.path.open("a+", encoding="utf-8")
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
        handle.seek(0)
        handle.truncate()
        started = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        handle.write(f"process {os.getpid()} on {socket.gethostname()}, since {started}")
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            _unlock(self._handle)
            self._handle.close()
            self._handle = None


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
