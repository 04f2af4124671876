"""The search index kept in step with the store: the queue drained in batches, a child process writing, rebuilds, catching up."""

from __future__ import annotations

import contextlib
import logging
import random
from collections.abc import Iterator

from desktop.archive_folder import ArchiveFolder
from desktop.core.errors import IndexDamagedError, KnownError
from desktop.core.models import ArticleText
from desktop.core.text import visible_text
from desktop.index.analysis import common_stems
from desktop.index.engine import ArticleIndex
from desktop.index.process import IndexWriterProcess
from desktop.library.unit_of_work import Progress, UnitOfWork
from desktop.store import repo

log = logging.getLogger(__name__)

INDEX_BATCH = 250
COMMON_SAMPLE = 2_000
INDEX_NOT_WRITTEN = (
    "Could not update the search index ({reason}). Everything is saved in the archive; "
    "the index catches up when the archive is next opened with space to write it."
)


class Indexing:
    """The index of one archive. Every write queues the articles it changed; :meth:`drain` writes them into the index."""

    def __init__(
        self, uow: UnitOfWork, folder: ArchiveFolder, index: ArticleIndex, notices: list[str], *, problem: str | None = None
    ) -> None:
        self._uow = uow
        self.folder = folder
        self.article_index = index
        self._notices = notices
        #: why the index cannot be read in a read-only archive (it is rebuilt when opened for writing), or None
        self.problem = problem
        self._process: IndexWriterProcess | None = None
        self._submitted: list[int] = []  # queue ids of the batch the indexing process is committing

    @property
    def ready(self) -> bool:
        return self.article_index.is_open and not self.problem and self.article_index.damage is None

    @property
    def damaged(self) -> bool:
        """A search found the index's files damaged since it was opened: :meth:`reindex` mends it."""
        return self.article_index.damage is not None

    @property
    def child_process(self) -> IndexWriterProcess | None:
        """The process writing the index, when :meth:`write_in_child_process` started one (and it has not failed)."""
        return self._process

    def require(self) -> None:
        """Raise a :class:`KnownError` saying why search cannot run now."""
        if not self.article_index.is_open and not self.problem:
            raise KnownError("The search index is still being prepared; search will work in a moment.")
        if self.problem:
            raise KnownError(f"Search is not available: {self.problem}. Open the archive for writing to rebuild it.")

    def prepare(self, progress: Progress | None = None) -> None:
        """Open the index; rebuild it if missing, damaged or old; drain the queue; catch up after a crash."""
        reason = self.article_index.open()
        if not reason:
            try:
                self._catch_up()
            except IndexDamagedError:
                reason = self.article_index.damage
        if reason:
            rebuilt = self.reindex(progress)
            if rebuilt:
                self._notices.append(f"Rebuilt the search index from the archive: {reason}.")

    def _catch_up(self) -> None:
        self.drain()
        with self._uow.read() as session:
            stored = repo.count_articles(session)
        if stored != self.article_index.doc_count():
            self._reconcile()

    def _reconcile(self) -> None:
        """Queue whatever the index lacks or holds in excess of the store (after a crash or power loss)."""
        with self._uow.write() as session:
            stored = set(repo.article_ids(session))
            indexed = self.article_index.ids()
            repo.enqueue(session, sorted(stored - indexed), repo.UPSERT)
            repo.enqueue(session, sorted(indexed - stored), repo.DELETE)
        self.drain()

    def drain(self, batch: int = INDEX_BATCH) -> int:
        """Write queued changes into the index; queue rows go only after the index has committed them."""
        drained = self._finish_submitted()
        while True:
            queued = self._next_batch(batch)
            if queued is None:
                return drained
            queue_ids, texts, deletes = queued
            try:
                self._write(texts, deletes)
            except IndexDamagedError:
                return drained  # left queued: the rebuild the damage calls for writes everything (the edit itself is saved)
            except OSError as exc:
                raise KnownError(INDEX_NOT_WRITTEN.format(reason=exc.strerror or exc)) from exc
            self._forget_queued(queue_ids)
            drained += len(queue_ids)

    def _next_batch(self, batch: int) -> tuple[list[int], list[ArticleText], list[int]] | None:
        """The oldest queued changes: their queue ids, the texts to write and the ids to remove."""
        with self._uow.read() as session:
            rows = repo.pending_queue(session, batch)
            if not rows:
                return None
            latest: dict[int, str] = {}
            for _queue_id, article_id, op in rows:
                latest[article_id] = op
            upsert_ids = [article_id for article_id, op in latest.items() if op == repo.UPSERT]
            texts = repo.texts_for(session, upsert_ids)
        found = {text.id for text in texts}
        deletes = [article_id for article_id, op in latest.items() if op == repo.DELETE or article_id not in found]
        return [queue_id for queue_id, _, _ in rows], texts, deletes

    def _forget_queued(self, queue_ids: list[int]) -> None:
        with self._uow.write() as session:
            repo.delete_queue_rows(session, queue_ids)

    def submit(self, batch: int) -> None:
        """Hand the next queued batch to the indexing process and go on while it commits (import's way).

        The batch before is finished first, so at most one is in flight; its queue rows stay until the
        child has committed it, so a crash of either process loses nothing.
        """
        self._finish_submitted()
        if self._process is None:
            self.drain(batch)
            return
        queued = self._next_batch(batch)
        if queued is None:
            return
        queue_ids, texts, deletes = queued
        try:
            self._process.submit(texts, deletes)
        except RuntimeError as exc:
            self._drop_process(exc)
            return  # still queued: the next drain writes it here
        self._submitted = queue_ids

    def _finish_submitted(self) -> int:
        """Wait for the batch in flight (if any) and forget its queue rows once it is committed."""
        queue_ids, self._submitted = self._submitted, []
        if not queue_ids or self._process is None:
            return 0
        try:
            self._process.result()
        except RuntimeError as exc:
            self._drop_process(exc)
            return 0  # still queued: written again, here
        self.article_index.refresh()
        self._forget_queued(queue_ids)
        return len(queue_ids)

    def _drop_process(self, exc: RuntimeError) -> None:
        # the child died or failed: write here instead (its lock went with it); nothing queued is lost
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        log.warning("the indexing process failed (%s); writing the index in this process", reason)
        log.debug("the indexing process's failure", exc_info=exc)
        if self._process is not None:
            self._process.close()
        self._process = None

    def _write(self, texts: list[ArticleText], deletes: list[int]) -> None:
        if self._process is not None:
            try:
                self._process.apply(texts, deletes)
            except RuntimeError as exc:
                self._drop_process(exc)
            else:
                self.article_index.refresh()
                return
        self.article_index.apply(texts, deletes)

    def reindex(self, progress: Progress | None = None) -> int:
        """Rebuild the index from the store; return the number of articles indexed."""
        if self._process is not None:
            self._finish_submitted()
            self._process.close()  # it holds the index being replaced; it starts again on next use
        with self._uow.read() as session:
            total = repo.count_articles(session)
            last_queued = repo.max_queue_id(session)
            ids = repo.article_ids(session)
            # the words common in this archive, from a sample: their pairs are indexed for quick phrases
            sample = random.Random(len(ids)).sample(ids, min(len(ids), COMMON_SAMPLE))  # noqa: S311 - a sample, not a secret
            common = common_stems(visible_text(text.text, text.boilerplate) for text in repo.texts_for(session, sample))

        def batches() -> Iterator[list[ArticleText]]:
            for start in range(0, len(ids), INDEX_BATCH):
                with self._uow.read() as session:
                    yield repo.texts_for(session, ids[start : start + INDEX_BATCH])

        def report(done: int, all_: int) -> None:
            if progress:
                progress(done, all_, "indexing")

        try:
            self.article_index.rebuild(batches(), total, report, common=common)
        except OSError as exc:
            raise KnownError(INDEX_NOT_WRITTEN.format(reason=exc.strerror or exc)) from exc
        if not self._uow.read_only:
            with self._uow.write() as session:
                repo.delete_queue_through(session, last_queued)
        self.problem = None
        return total

    def write_in_child_process(self) -> None:
        """Let a child process write the index from now on (the window's choice: its GIL stays free)."""
        if not self._uow.read_only and self._process is None:
            self._process = IndexWriterProcess(self.folder.index)

    def release(self) -> None:
        """Stop the child process and close the index (before its folder is replaced)."""
        if self._process is not None:
            self._process.close()
            self._process = None
        self.article_index.close()

    def close(self) -> None:
        if self._process is not None:
            with contextlib.suppress(Exception):  # what it has not committed stays queued for the next open
                self._finish_submitted()
            self._process.close()
        self.article_index.close()
