"""Checking an archive: the database, every original's SHA-256, the index's files, and store against index."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Sequence

from desktop.core.errors import IndexDamagedError
from desktop.core.models import CheckReport
from desktop.library.indexing import Indexing
from desktop.library.unit_of_work import UnitOfWork
from desktop.store import repo

REPORT_LIMIT = 20


class Check:
    """``run()`` reads the whole archive and says what is wrong; it changes nothing but draining the index queue."""

    def __init__(self, uow: UnitOfWork, indexing: Indexing) -> None:
        self._uow = uow
        self._indexing = indexing

    def run(self) -> CheckReport:
        """Compare store and index after draining the queue, verify every original's SHA-256, the database and every file of the index."""
        problems: list[str] = []
        read_only = self._uow.read_only
        if not read_only:
            self._indexing.drain()
        problems.extend(f"database: {line}" for line in self._uow.integrity_problems())
        with self._uow.read() as session:
            stored = set(repo.article_ids(session))
            queued = repo.queue_length(session)
            for article_id, sha256, data in repo.iter_fixity(session):
                if hashlib.sha256(data).hexdigest() != sha256:
                    problems.append(f"article #{article_id}: its original no longer matches its SHA-256")
        if queued:
            problems.append(f"{queued} index changes are still queued")
        index = self._indexing.article_index
        index_problem = self._indexing.problem
        indexed: set[int] = set()
        if index_problem is None:
            with contextlib.suppress(IndexDamagedError):
                indexed = index.ids()
            index_problem = index.verify()  # the whole index read: postings, stored fields, columns
        if index_problem:
            when = "when the archive is next opened for writing" if read_only else "the next time the archive is opened"
            problems.append(f"index: {index_problem}; it is rebuilt from the archive {when}, or now with reindex")
        missing = sorted(stored - indexed)
        extra = sorted(indexed - stored)
        if missing and not index_problem:
            problems.append(f"{len(missing)} articles are not in the index: {_some(missing)}")
        if extra:
            problems.append(f"{len(extra)} index entries have no article: {_some(extra)}")
        return CheckReport(articles=len(stored), indexed=len(indexed), problems=tuple(problems))


def _some(ids: Sequence[int]) -> str:
    shown = ", ".join(f"#{i}" for i in ids[:REPORT_LIMIT])
    return shown + (f" and {len(ids) - REPORT_LIMIT} more" if len(ids) > REPORT_LIMIT else "")
