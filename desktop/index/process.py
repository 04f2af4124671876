"""Writing the index in a child process, so an import in the window never holds the GUI's interpreter lock.

Whoosh sorts a commit's postings in one call that holds the GIL for tens of milliseconds; in a child
process that time is not the window's. The parent reads the texts, the child only writes them.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import traceback
from multiprocessing.connection import Connection
from pathlib import Path

from desktop.core.models import ArticleText
from desktop.index.engine import ArticleIndex

STOP_TIMEOUT_S = 30.0


def _serve(connection: Connection, folder: str) -> None:
    """The child: open the index once, then apply each batch it is sent and answer ``ok`` or a traceback.

    Ctrl+C in a terminal reaches the whole process group: the parent decides when to stop, not the child.
    When the parent dies, the next ``recv`` fails and the child ends after the commit it is making.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    index = ArticleIndex(Path(folder))
    problem = index.open()
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            break
        if message is None:
            break
        if problem is not None:
            connection.send(f"the index cannot be opened: {problem}")
            continue
        upserts, deletes = message
        try:
            index.apply(upserts, deletes, refresh=False)
        except Exception:
            connection.send(traceback.format_exc())
        else:
            connection.send("ok")
    index.close()


class IndexWriterProcess:
    """One child process that owns the index writer; started on first use, stopped by :meth:`close`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._process: multiprocessing.process.BaseProcess | None = None
        self._connection: Connection | None = None

    def apply(self, upserts: list[ArticleText], deletes: list[int]) -> None:
        """Write one batch and wait for the child's commit (the wait releases the interpreter lock)."""
        self.submit(upserts, deletes)
        self.result()

    def submit(self, upserts: list[ArticleText], deletes: list[int]) -> None:
        """Send one batch to the child and return at once: call :meth:`result` before the next one."""
        if self._connection is None:
            context = multiprocessing.get_context("spawn")
            parent, child = context.Pipe()
            self._process = context.Process(target=_serve, args=(child, str(self.folder)), daemon=True, name="archive-browser-indexer")
            self._process.start()
            child.close()
            self._connection = parent
        try:
            self._connection.send((upserts, deletes))
        except OSError as exc:
            self.close()
            raise RuntimeError("the indexing process stopped") from exc

    def result(self) -> None:
        """Wait for the child's commit of the batch last submitted; raise RuntimeError if it failed."""
        if self._connection is None:
            raise RuntimeError("the indexing process stopped")
        try:
            answer = self._connection.recv()
        except (EOFError, OSError) as exc:
            self.close()
            raise RuntimeError("the indexing process stopped") from exc
        if answer != "ok":
            raise RuntimeError(f"the indexing process failed:\n{answer}")

    def close(self) -> None:
        connection, process = self._connection, self._process
        self._connection = None
        self._process = None
        if connection is not None:
            with contextlib.suppress(OSError):
                connection.send(None)
            connection.close()
        if process is not None:
            process.join(STOP_TIMEOUT_S)
            if process.is_alive():
                process.kill()
