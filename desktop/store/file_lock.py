"""An exclusive OS lock on a file: the single-writer lock of a database that is a file (SQLite)."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import logging
import os
import socket
import sys
from pathlib import Path
from typing import IO

from desktop.core.errors import ArchiveLockedError, ArchiveNotWritableError, KnownError

log = logging.getLogger(__name__)


class FileLock:
    """An exclusive OS lock on ``path`` (``.lock`` in the archive): released by the kernel when its process dies, so never stale."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] | None = None

    @property
    def held(self) -> bool:
        return self._handle is not None

    def acquire(self) -> None:
        """Take the lock, or raise ``ArchiveLockedError`` naming the process that holds it."""
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
