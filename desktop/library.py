"""The facade both faces hold: every user action is one method, each write one transaction."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import itertools
import json
import logging
import os
import random
import re
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from desktop.archive_folder import ArchiveFolder, ArchiveLock, default_archive_dir, put_backup_in_place, refuse_damaged
from desktop.core.anchoring import Anchor, anchor_at, reanchor
from desktop.core.errors import ArticleNotFoundError, IndexDamagedError, KnownError, ReadOnlyArchiveError
from desktop.core.models import (
    AnnotationRecord,
    ArticleDetail,
    ArticleRow,
    ArticleSummary,
    ArticleText,
    CheckReport,
    ImportOutcome,
    ImportReport,
    MetaAll,
    MetaAny,
    MetaClause,
    MetaFilter,
    MetaNot,
    NoteRecord,
    SearchHit,
    TagRecord,
)
from desktop.core.text import clean_text, collapse_whitespace, fold, visible_text
from desktop.export import archive_json
from desktop.export.csv_export import ANNOTATION_COLUMNS, ARTICLE_COLUMNS, DEFAULT_ARTICLE_COLUMNS, CsvReport, write_csv, write_rows
from desktop.index.analysis import WORD, common_stems
from desktop.index.engine import SORTS, ArticleIndex
from desktop.index.highlight import query_spans, snippet
from desktop.index.process import IndexWriterProcess
from desktop.index.query import (
    AllOf,
    AnyOf,
    DateRange,
    Everything,
    FieldValue,
    Leaf,
    Node,
    NoneOf,
    ParsedQuery,
    VariantTable,
    parse_query,
)
from desktop.ingest.decode import NotTextError, decode_bytes
from desktop.ingest.files import DEFAULT_MAX_BYTES, Candidate, collect_paths, display_path, read_candidates
from desktop.ingest.patterns import NewsPatterns, load_patterns
from desktop.ingest.similarity import NEAR_DUPLICATE_THRESHOLD, band_keys, signature, similarity
from desktop.ingest.structure import NotAnArticleError, parse_article, parse_iso_date
from desktop.store import journal, migrate, repo
from desktop.store.journal import Edit
from desktop.store.sqlite import backup_database, create_sqlite_engine, integrity_problems, storage_problem

log = logging.getLogger(__name__)

#: ``progress(done, total, label)``: called from the thread doing the work.
Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]

INDEX_BATCH = 250
COMMON_SAMPLE = 2_000
SEARCH_LIMIT = 10_000
KEEP_BACKUPS = 10  # of each kind: daily, manual, before-restore (backups before an upgrade are all kept)
DAY_S = 24 * 3600  # the most search results the table lists
#: search orders: relevance, date (oldest first), -date (newest first), title
SORT_ORDERS: tuple[str, ...] = tuple(SORTS)
REPORT_LIMIT = 20
_INDEX_NOT_WRITTEN = (
    "Could not update the search index ({reason}). Everything is saved in the archive; "
    "the index catches up when the archive is next opened with space to write it."
)


@dataclass(frozen=True, slots=True)
class Browse:
    """What the article table shows: ids in order, about how many matched, and the query's explanation."""

    ids: list[int]
    total: int
    explanation: str | None
    searched: bool


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The hits shown, about how many matched, the fallback explanation, and facet counts when asked."""

    hits: tuple[SearchHit, ...]
    total: int
    explanation: str | None
    facets: dict[str, list[tuple[str, int]]]


class Library:
    """One open archive. Use :meth:`open`; close it (or use ``with``) to release the writer lock."""

    def __init__(
        self,
        *,
        folder: ArchiveFolder,
        engine: Engine,
        index: ArticleIndex,
        patterns: NewsPatterns,
        lock: ArchiveLock | None,
        index_problem: str | None = None,
    ) -> None:
        self.folder = folder
        self._engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._index = index
        self.patterns = patterns
        self._lock = lock
        self._index_problem = index_problem
        self.notices: list[str] = []
        self._orders: dict[tuple[str, bool], list[int]] = {}
        self._index_process: IndexWriterProcess | None = None
        self._columns: repo.MetaColumns | None = None
        self._variant_table: VariantTable | None = None
        self._submitted: list[int] = []  # queue ids of the batch the indexing process is committing

    # opening and closing ----------------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        root: Path,
        *,
        read_only: bool = False,
        progress: Progress | None = None,
        prepare_index: bool = True,
        restore: str | None = None,
    ) -> Library:
        """Open (creating if needed) the archive in ``root``, migrate it after a backup, and bring its index up to date.

        With ``prepare_index=False`` the index is left for :meth:`prepare_index`, so a window can show
        the table first and catch the index up in the background. ``restore`` names a backup to put in
        place of a database too damaged to open (the damaged file is moved into ``backups/``).

        Raises:
            ArchiveLockedError: another process holds the archive for writing.
            DatabaseDamagedError: the database fails SQLite's integrity check; nothing was changed.
        """
        folder = ArchiveFolder(root)
        if read_only:
            if not folder.database.exists():
                raise KnownError(f"There is no archive in {root}.")
            refuse_damaged(folder, read_only=True)
            return cls._open_read_only(folder)
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise KnownError(f"Cannot create the archive folder {root}: {exc.strerror or exc}") from exc
        lock = ArchiveLock(folder.lock_file)
        lock.acquire()
        engine: Engine | None = None
        try:
            restored = [put_backup_in_place(folder, restore)] if restore else []
            refuse_damaged(folder)
            engine = create_sqlite_engine(folder.database)
            notices = restored + _migrate(engine, folder)
            library = cls(
                folder=folder, engine=engine, index=ArticleIndex(folder.index), patterns=load_patterns(folder.patterns), lock=lock
            )
            library.notices.extend(notices)
            library._seed_variants()
            if prepare_index:
                library.prepare_index(progress)
            return library
        except BaseException as exc:
            if engine is not None:
                engine.dispose()
            lock.release()
            reason = storage_problem(exc) or (exc.strerror if isinstance(exc, OSError) else None)
            if reason:  # a full or failing disk while opening: say so, not as a bug
                raise KnownError(f"Cannot open the archive {root}: {reason}. Nothing saved in it was changed.") from exc
            raise

    @classmethod
    def _open_read_only(cls, folder: ArchiveFolder) -> Library:
        engine = create_sqlite_engine(folder.database, read_only=True)
        needs, _ = migrate.needs_upgrade(engine)
        if needs:
            engine.dispose()
            raise KnownError("This archive needs an upgrade; open it for writing once (close the other Archive Browser first).")
        index = ArticleIndex(folder.index, writable=False)
        problem = index.open()
        library = cls(folder=folder, engine=engine, index=index, patterns=load_patterns(folder.patterns), lock=None, index_problem=problem)
        library.notices.append("Opened read-only: another Archive Browser has this archive open for writing.")
        return library

    def close(self) -> None:
        if self._index_process is not None:
            with contextlib.suppress(Exception):  # what it has not committed stays queued for the next open
                self._finish_submitted()
            self._index_process.close()
        self._index.close()
        self._engine.dispose()
        if self._lock is not None:
            self._lock.release()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def read_only(self) -> bool:
        return self._lock is None

    @contextlib.contextmanager
    def _write(self) -> Iterator[Session]:
        if self.read_only:
            raise ReadOnlyArchiveError("This archive is open read-only here; close the other Archive Browser to change it.")
        try:
            with self._sessions() as session, session.begin():
                yield session
        except DBAPIError as exc:
            reason = storage_problem(exc)
            if reason is None:
                raise
            raise KnownError(
                f"Could not save to the archive: {reason}. This change was not saved; everything saved before is kept."
            ) from exc
        finally:
            self._orders.clear()  # any write may change what the table shows, and in which order
            self._columns = None
            self._variant_table = None

    @contextlib.contextmanager
    def _read(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    # the index ------------------------------------------------------------------------------------------
    def prepare_index(self, progress: Progress | None = None) -> None:
        """Open the index; rebuild it if missing, damaged or old; drain the queue; catch up after a crash."""
        reason = self._index.open()
        if not reason:
            try:
                self._catch_up_index()
            except IndexDamagedError:
                reason = self._index.damage
        if reason:
            rebuilt = self.reindex(progress)
            if rebuilt:
                self.notices.append(f"Rebuilt the search index from the archive: {reason}.")

    def _catch_up_index(self) -> None:
        self.drain_index_queue()
        with self._read() as session:
            stored = repo.count_articles(session)
        if stored != self._index.doc_count():
            self._reconcile()

    def _reconcile(self) -> None:
        """Queue whatever the index lacks or holds in excess of the store (after a crash or power loss)."""
        with self._write() as session:
            stored = set(repo.article_ids(session))
            indexed = self._index.ids()
            repo.enqueue(session, sorted(stored - indexed), repo.UPSERT)
            repo.enqueue(session, sorted(indexed - stored), repo.DELETE)
        self.drain_index_queue()

    def drain_index_queue(self, batch: int = INDEX_BATCH) -> int:
        """Write queued changes into the index; queue rows go only after the index has committed them."""
        drained = self._finish_submitted()
        while True:
            queued = self._next_index_batch(batch)
            if queued is None:
                return drained
            queue_ids, texts, deletes = queued
            try:
                self._write_index(texts, deletes)
            except IndexDamagedError:
                return drained  # left queued: the rebuild the damage calls for writes everything (the edit itself is saved)
            except OSError as exc:
                raise KnownError(_INDEX_NOT_WRITTEN.format(reason=exc.strerror or exc)) from exc
            self._forget_queued(queue_ids)
            drained += len(queue_ids)

    def _next_index_batch(self, batch: int) -> tuple[list[int], list[ArticleText], list[int]] | None:
        """The oldest queued changes: their queue ids, the texts to write and the ids to remove."""
        with self._read() as session:
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
        with self._write() as session:
            repo.delete_queue_rows(session, queue_ids)

    def _submit_index_batch(self, batch: int) -> None:
        """Hand the next queued batch to the indexing process and go on while it commits (import's way).

        The batch before is finished first, so at most one is in flight; its queue rows stay until the
        child has committed it, so a crash of either process loses nothing.
        """
        self._finish_submitted()
        if self._index_process is None:
            self.drain_index_queue(batch)
            return
        queued = self._next_index_batch(batch)
        if queued is None:
            return
        queue_ids, texts, deletes = queued
        try:
            self._index_process.submit(texts, deletes)
        except RuntimeError as exc:
            self._drop_index_process(exc)
            return  # still queued: the next drain writes it here
        self._submitted = queue_ids

    def _finish_submitted(self) -> int:
        """Wait for the batch in flight (if any) and forget its queue rows once it is committed."""
        queue_ids, self._submitted = self._submitted, []
        if not queue_ids or self._index_process is None:
            return 0
        try:
            self._index_process.result()
        except RuntimeError as exc:
            self._drop_index_process(exc)
            return 0  # still queued: written again, here
        self._index.refresh()
        self._forget_queued(queue_ids)
        return len(queue_ids)

    def _drop_index_process(self, exc: RuntimeError) -> None:
        # the child died or failed: write here instead (its lock went with it); nothing queued is lost
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        log.warning("the indexing process failed (%s); writing the index in this process", reason)
        log.debug("the indexing process's failure", exc_info=exc)
        if self._index_process is not None:
            self._index_process.close()
        self._index_process = None

    def _write_index(self, texts: list[ArticleText], deletes: list[int]) -> None:
        if self._index_process is not None:
            try:
                self._index_process.apply(texts, deletes)
            except RuntimeError as exc:
                self._drop_index_process(exc)
            else:
                self._index.refresh()
                return
        self._index.apply(texts, deletes)

    def reindex(self, progress: Progress | None = None) -> int:
        """Rebuild the index from the store; return the number of articles indexed."""
        if self._index_process is not None:
            self._finish_submitted()
            self._index_process.close()  # it holds the index being replaced; it starts again on next use
        with self._read() as session:
            total = repo.count_articles(session)
            last_queued = repo.max_queue_id(session)
            ids = repo.article_ids(session)
            # the words common in this archive, from a sample: their pairs are indexed for quick phrases
            sample = random.Random(len(ids)).sample(ids, min(len(ids), COMMON_SAMPLE))  # noqa: S311 - a sample, not a secret
            common = common_stems(visible_text(text.text, text.boilerplate) for text in repo.texts_for(session, sample))

        def batches() -> Iterator[list[ArticleText]]:
            for start in range(0, len(ids), INDEX_BATCH):
                with self._read() as session:
                    yield repo.texts_for(session, ids[start : start + INDEX_BATCH])

        def report(done: int, all_: int) -> None:
            if progress:
                progress(done, all_, "indexing")

        try:
            self._index.rebuild(batches(), total, report, common=common)
        except OSError as exc:
            raise KnownError(_INDEX_NOT_WRITTEN.format(reason=exc.strerror or exc)) from exc
        if not self.read_only:
            with self._write() as session:
                repo.delete_queue_through(session, last_queued)
        self._index_problem = None
        return total

    def write_index_in_child_process(self) -> None:
        """Let a child process write the index from now on (the window's choice: its GIL stays free)."""
        if not self.read_only and self._index_process is None:
            self._index_process = IndexWriterProcess(self.folder.index)

    @property
    def index_ready(self) -> bool:
        return self._index.is_open and not self._index_problem and self._index.damage is None

    @property
    def index_damaged(self) -> bool:
        """A search found the index's files damaged since it was opened: :meth:`reindex` mends it."""
        return self._index.damage is not None

    # import -----------------------------------------------------------------------------------------------
    def import_paths(
        self,
        paths: Iterable[Path],
        *,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
        on_outcome: Callable[[ImportOutcome], None] | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        index_every: int = INDEX_BATCH,
    ) -> ImportReport:
        """Import files and folders: every file gets exactly one outcome; each article commits on its own.

        ``on_outcome`` hears each outcome as soon as it is committed. Cancelling stops between files
        and keeps (and indexes) what was committed. The index is brought up to date every
        ``index_every`` articles: fewer means shorter index commits (the window uses a small number,
        since a commit's sort holds the interpreter lock), more means a faster import.
        """
        if self.read_only:
            raise ReadOnlyArchiveError("This archive is open read-only here; close the other Archive Browser to import.")
        files = collect_paths(paths)
        outcomes: list[ImportOutcome] = []
        was_cancelled = False
        since_index = 0
        try:
            for done, path in enumerate(files):
                if cancelled is not None and cancelled():
                    was_cancelled = True
                    for rest in files[done:]:
                        outcomes.append(ImportOutcome(display_path(rest), "skipped", reason="import cancelled before this file"))
                        if on_outcome is not None:
                            on_outcome(outcomes[-1])
                    break
                for candidate in read_candidates(path, self.patterns, max_bytes=max_bytes):
                    outcome = self._store(candidate)
                    outcomes.append(outcome)
                    if on_outcome is not None:
                        on_outcome(outcome)
                    since_index += outcome.outcome == "imported"
                if progress is not None:
                    progress(done + 1, len(files), display_path(path))
                if since_index >= index_every:
                    self._submit_index_batch(max(index_every, INDEX_BATCH))
                    since_index = 0
        finally:
            self.drain_index_queue()
        return ImportReport(outcomes=tuple(outcomes), cancelled=was_cancelled)

    def _store(self, candidate: Candidate) -> ImportOutcome:
        if candidate.article is None or candidate.original is None:
            return ImportOutcome(candidate.label, "skipped", reason=candidate.reason)
        article = candidate.article
        original = candidate.original
        text_hash = hashlib.sha256(collapse_whitespace(article.text).encode("utf-8")).hexdigest()
        sig = signature(visible_text(article.text, article.boilerplate))
        try:
            with self._write() as session:
                duplicate_of = repo.find_by_text_hash(session, text_hash)
                if duplicate_of is not None:
                    return ImportOutcome(
                        candidate.label, "duplicate", duplicate_of=duplicate_of, reason=f"same text as article #{duplicate_of}"
                    )
                earlier = repo.find_by_source(session, original.source)
                if earlier is not None:
                    # the same source again with another text: a corrected version of that article
                    old_text = repo.article_text(session, earlier)
                    repo.replace_source(
                        session,
                        earlier,
                        article,
                        data=original.data,
                        sha256=original.sha256,
                        encoding=original.encoding,
                        text_hash=text_hash,
                    )
                    self._reanchor(session, earlier, old_text, article.text)
                    review = len(repo.annotations_of(session, earlier, needs_review=True))
                    repo.enqueue(session, [earlier], repo.UPSERT)
                    note = f"; {review} annotations need review" if review else ""
                    return ImportOutcome(candidate.label, "updated", id=earlier, reason=f"corrected text of article #{earlier}{note}")
                article_id = repo.insert_article(
                    session,
                    article,
                    data=original.data,
                    sha256=original.sha256,
                    original_name=original.name,
                    source=original.source,
                    encoding=original.encoding,
                    text_hash=text_hash,
                    minhash=sig,
                )
                if sig is not None:
                    keys = band_keys(sig)
                    self._cluster(session, article_id, sig, keys)
                    repo.add_similarity_buckets(session, article_id, keys)
        except OSError as exc:
            raise KnownError(f"Could not write to the archive: {exc.strerror or exc}") from exc
        return ImportOutcome(candidate.label, "imported", id=article_id)

    @staticmethod
    def _cluster(session: Session, article_id: int, sig: bytes, keys: Sequence[tuple[int, int]]) -> None:
        scored = [
            (similarity(sig, other_sig), other_id, cluster_id)
            for other_id, other_sig, cluster_id in repo.similarity_candidates(session, keys)
        ]
        close = [item for item in scored if item[0] >= NEAR_DUPLICATE_THRESHOLD]
        if not close:
            return
        _score, best_id, best_cluster = max(close)
        cluster_id = best_cluster if best_cluster is not None else best_id
        repo.set_cluster(session, [article_id, best_id], cluster_id)
        if best_cluster is None:
            repo.enqueue(session, [best_id], repo.UPSERT)  # its cluster is part of its index entry

    # editing: every edit returns an Edit that undo() and redo() take ----------------------------------------
    def _edit(
        self, label: str, action: Callable[[Session], object], *, articles: Iterable[int] = (), whole_tables: tuple[str, ...] = ()
    ) -> Edit:
        """Run ``action`` in one transaction, recording the rows it changed so it can be undone."""
        with self._write() as session:
            scope = journal.Scope(articles=tuple(sorted(set(articles))), whole_tables=whole_tables)
            before = journal.snapshot(session, scope)
            created = action(session)
            session.flush()
            changes = journal.difference(before, journal.snapshot(session, scope))
            edit = Edit(
                label, changes, set(scope.articles) | journal.touched_articles(changes), created if isinstance(created, int) else None
            )
            repo.enqueue(session, sorted(edit.articles), repo.UPSERT)
        self.drain_index_queue()
        return edit

    def undo(self, edit: Edit) -> None:
        """Put back every row ``edit`` changed, as it was before."""
        self._replay(edit, backwards=True)

    def redo(self, edit: Edit) -> None:
        self._replay(edit, backwards=False)

    def _replay(self, edit: Edit, *, backwards: bool) -> None:
        with self._write() as session:
            (journal.undo if backwards else journal.redo)(session, edit)
            repo.enqueue(session, sorted(edit.articles), repo.UPSERT)
        self.drain_index_queue()

    @staticmethod
    def _tag_name(name: str) -> str:
        path = "/".join(part.strip() for part in name.split("/") if part.strip())
        if not path:
            raise KnownError("A tag needs a name.")
        return path

    def tag(self, article_ids: Sequence[int], *, add: Sequence[str] = (), remove: Sequence[str] = ()) -> Edit:
        """Add and remove tags on articles in one step (``Party/Diplomacy/US`` creates its parents)."""
        adding = [self._tag_name(name) for name in add]
        removing = [self._tag_name(name) for name in remove]
        count = len(set(article_ids))
        label = (_count_label("Tag", count) if adding else _count_label("Untag", count)) if adding or removing else "Tag"

        def action(session: Session) -> None:
            for article_id in article_ids:
                repo.article_text(session, article_id)
            repo.change_article_tags(session, article_ids, adding, removing)

        return self._edit(label, action, articles=article_ids, whole_tables=("tags",))

    def tags(self) -> list[TagRecord]:
        with self._read() as session:
            return repo.tag_records(session)

    def tag_usage(self, name: str) -> tuple[int, int]:
        """How many articles and annotations a tag (with its children) is on: for the confirmation."""
        with self._read() as session:
            subtree = repo.tag_subtree(session, self._tag_name(name))
            if not subtree:
                raise KnownError(f"There is no tag {name!r}.")
            ids = [tag.id for tag in subtree]
            return len(repo.articles_with_tags(session, ids)), repo.annotation_tag_count(session, ids)

    def rename_tag(self, old: str, new: str) -> Edit:
        """Rename or move a tag with its children (``Diplomacy`` → ``Party/Diplomacy``)."""
        old_name, new_name = self._tag_name(old), self._tag_name(new)
        with self._read() as session:
            subtree = repo.tag_subtree(session, old_name)
            if not subtree:
                raise KnownError(f"There is no tag {old!r}.")
            if repo.tag_subtree(session, new_name):
                raise KnownError(f"A tag {new!r} already exists: merge the two instead.")
            if new_name.startswith(old_name + "/"):
                raise KnownError("A tag cannot move inside itself.")
            affected = repo.articles_with_tags(session, [tag.id for tag in subtree])
        return self._edit(
            f"Rename tag {old_name} to {new_name}",
            lambda session: repo.rename_tag(session, old_name, new_name),
            articles=affected,
            whole_tables=("tags",),
        )

    def merge_tags(self, source: str, target: str) -> Edit:
        """Put everything tagged ``source`` (and its children) under ``target``, then remove ``source``."""
        source_name, target_name = self._tag_name(source), self._tag_name(target)
        if source_name == target_name or target_name.startswith(source_name + "/"):
            raise KnownError("A tag cannot be merged into itself.")
        with self._read() as session:
            subtree = repo.tag_subtree(session, source_name)
            if not subtree:
                raise KnownError(f"There is no tag {source!r}.")
            affected = repo.articles_with_tags(session, [tag.id for tag in subtree])
        return self._edit(
            f"Merge tag {source_name} into {target_name}",
            lambda session: repo.merge_tag(session, source_name, target_name),
            articles=affected,
            whole_tables=("tags",),
        )

    def delete_tag(self, name: str) -> Edit:
        """Remove a tag and its children from every article and annotation (undoable)."""
        tag_name = self._tag_name(name)
        with self._read() as session:
            subtree = repo.tag_subtree(session, tag_name)
            if not subtree:
                raise KnownError(f"There is no tag {name!r}.")
            affected = repo.articles_with_tags(session, [tag.id for tag in subtree])
        return self._edit(
            f"Delete tag {tag_name}", lambda session: repo.delete_tag(session, tag_name), articles=affected, whole_tables=("tags",)
        )

    def set_tag_colour(self, name: str, colour: str | None) -> Edit:
        tag_name = self._tag_name(name)
        if colour is not None and not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
            raise KnownError(f"{colour!r} is not a colour: use #rrggbb.")

        def action(session: Session) -> None:
            if not repo.set_tag_colour(session, tag_name, colour):
                raise KnownError(f"There is no tag {name!r}.")

        return self._edit(f"Colour tag {tag_name}", action, whole_tables=("tags",))

    def notes(self, article_id: int) -> list[NoteRecord]:
        with self._read() as session:
            return repo.notes_of(session, article_id)

    def add_note(self, article_id: int, body: str) -> Edit:
        """Add a note to an article; it is searchable at once (``note:`` or any word)."""
        if not body.strip():
            raise KnownError("A note needs some text.")

        def action(session: Session) -> int:
            repo.article_text(session, article_id)
            return repo.insert_note(session, article_id, body)

        return self._edit("Add note", action, articles=[article_id])

    def edit_note(self, note_id: int, body: str) -> Edit:
        article_id = self._note_article(note_id)
        if not body.strip():
            raise KnownError("A note needs some text; delete it instead.")
        return self._edit("Edit note", lambda session: repo.update_note(session, note_id, body), articles=[article_id])

    def delete_note(self, note_id: int) -> Edit:
        article_id = self._note_article(note_id)
        return self._edit("Delete note", lambda session: repo.delete_note(session, note_id), articles=[article_id])

    def _note_article(self, note_id: int) -> int:
        with self._read() as session:
            article_id = repo.note_article(session, note_id)
        if article_id is None:
            raise KnownError(f"There is no note {note_id}.")
        return article_id

    def annotations(self, article_id: int | None = None, *, needs_review: bool = False) -> list[AnnotationRecord]:
        with self._read() as session:
            return repo.annotations_of(session, article_id, needs_review=needs_review)

    def annotate(self, article_id: int, start: int, end: int, *, note: str = "", tags: Sequence[str] = ()) -> Edit:
        """Annotate the passage ``[start, end)`` of the clean text, anchored by quote and by position."""
        tag_names = [self._tag_name(name) for name in tags]

        def action(session: Session) -> int:
            text = repo.article_text(session, article_id)
            if not 0 <= start < end <= len(text):
                raise KnownError(f"The passage {start}–{end} is not inside the article ({len(text)} characters).")
            anchor = anchor_at(text, start, end)
            return repo.insert_annotation(
                session,
                article_id,
                exact=anchor.exact,
                prefix=anchor.prefix,
                suffix=anchor.suffix,
                start=start,
                end=end,
                note=note,
                tags=tag_names,
            )

        return self._edit("Annotate passage", action, articles=[article_id], whole_tables=("tags",))

    def annotate_quote(self, article_id: int, quote: str, *, occurrence: int = 1, note: str = "", tags: Sequence[str] = ()) -> Edit:
        """Annotate the ``occurrence``-th place where ``quote`` appears in the article's clean text."""
        with self._read() as session:
            text = repo.article_text(session, article_id)
        position = -1
        for _ in range(max(1, occurrence)):
            position = text.find(quote, position + 1)
            if position == -1:
                raise KnownError(f"The article does not contain {quote!r}" + (f" {occurrence} times." if occurrence > 1 else "."))
        return self.annotate(article_id, position, position + len(quote), note=note, tags=tags)

    def edit_annotation(self, annotation_id: int, *, note: str | None = None, tags: Sequence[str] | None = None) -> Edit:
        with self._read() as session:
            article_id = repo.annotation_article(session, annotation_id)
        if article_id is None:
            raise KnownError(f"There is no annotation {annotation_id}.")
        tag_names = None if tags is None else [self._tag_name(name) for name in tags]
        return self._edit(
            "Edit annotation",
            lambda session: repo.update_annotation(session, annotation_id, note=note, tags=tag_names),
            articles=[article_id],
            whole_tables=("tags",),
        )

    def delete_annotation(self, annotation_id: int) -> Edit:
        with self._read() as session:
            article_id = repo.annotation_article(session, annotation_id)
        if article_id is None:
            raise KnownError(f"There is no annotation {annotation_id}.")
        return self._edit("Delete annotation", lambda session: repo.delete_annotation(session, annotation_id), articles=[article_id])

    def edit_details(
        self,
        article_id: int,
        *,
        title: str | None = None,
        agency: str | None = None,
        place: str | None = None,
        date: str | None = None,
    ) -> Edit:
        """Correct what was read from the text: title, agency, place, date (``2023-07-03``, ``2016-02``, ``2012`` or empty)."""
        values: dict[str, object] = {}
        if title is not None:
            if not title.strip():
                raise KnownError("An article needs a title.")
            values["title"] = " ".join(title.split())
        if agency is not None:
            values["agency"] = self.patterns.canonical_agency(agency) if agency.strip() else None
        if place is not None:
            values["place"] = " ".join(place.split()) or None
        if date is not None:
            parsed = parse_iso_date(date)
            if date.strip() and parsed.precision == "unknown":
                raise KnownError(f"{date!r} is not a date: use 2023-07-03, 2016-02 or 2012.")
            values.update(
                date_year=parsed.year, date_month=parsed.month, date_day=parsed.day, date_precision=parsed.precision, date_key=parsed.iso()
            )
        if not values:
            raise KnownError("Nothing to change.")

        def action(session: Session) -> None:
            repo.article_text(session, article_id)
            repo.update_details(session, article_id, values)

        return self._edit(f"Edit details of #{article_id}", action, articles=[article_id])

    def edit_text(self, article_id: int, new_text: str) -> Edit:
        """Correct an article's clean text (the original file is untouched); annotations are found again."""
        text = clean_text(new_text)
        if not text.strip():
            raise KnownError("An article's text cannot be empty.")
        try:
            parsed = parse_article(text, self.patterns)
        except NotAnArticleError as exc:
            raise KnownError(f"This text cannot be an article's: {exc}.") from exc

        def action(session: Session) -> None:
            old = repo.article_text(session, article_id)
            text_hash = hashlib.sha256(collapse_whitespace(parsed.text).encode("utf-8")).hexdigest()
            duplicate = repo.find_by_text_hash(session, text_hash)
            if duplicate is not None and duplicate != article_id:
                raise KnownError(f"Article #{duplicate} already has exactly this text.")
            repo.update_text(session, article_id, parsed.text, parsed.boilerplate, text_hash)
            self._reanchor(session, article_id, old, parsed.text)

        return self._edit(f"Edit text of #{article_id}", action, articles=[article_id])

    @staticmethod
    def _reanchor(session: Session, article_id: int, old_text: str, new_text: str) -> None:
        for record in repo.annotations_of(session, article_id):
            anchor = Anchor(record.exact, record.prefix, record.suffix, record.start, record.end)
            found = reanchor(anchor, new_text, old_text)
            if found is None:
                repo.set_annotation_anchor(session, record.id, anchor=None)
            elif (found.start, found.end, found.exact) != (record.start, record.end, record.exact) or record.status != "anchored":
                repo.set_annotation_anchor(session, record.id, anchor=found)

    def trash(self, article_ids: Sequence[int]) -> Edit:
        """Move articles to the trash: out of the table and the search, restorable."""
        count = len(set(article_ids))
        return self._edit(
            _count_label("Move to trash", count), lambda session: repo.set_trashed(session, article_ids, True), articles=article_ids
        )

    def restore(self, article_ids: Sequence[int]) -> Edit:
        count = len(set(article_ids))
        return self._edit(
            _count_label("Restore", count), lambda session: repo.set_trashed(session, article_ids, False), articles=article_ids
        )

    def trashed(self) -> list[ArticleSummary]:
        with self._read() as session:
            ids = repo.trashed_ids(session)
            summaries = repo.summaries_for(session, ids)
        return [summaries[article_id] for article_id in ids]

    def empty_trash(self) -> int:
        """Delete the articles in the trash for good (with their originals, notes and annotations). Not undoable."""
        with self._write() as session:
            ids = repo.trashed_ids(session)
            repo.delete_articles(session, ids)
            repo.enqueue(session, ids, repo.DELETE)
        self.drain_index_queue()
        return len(ids)

    # backups --------------------------------------------------------------------------------------------------
    def backup(self, kind: str = "manual") -> Path:
        """Copy the database into ``backups/`` with SQLite's online backup API; keep the newest few of each kind."""
        if self.read_only:
            raise ReadOnlyArchiveError("This archive is open read-only here; back it up from the Archive Browser that has it open.")
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        target = self.folder.backups / f"{kind}-{stamp}.sqlite"
        try:
            backup_database(self._engine, target)
        except OSError as exc:
            raise KnownError(f"Could not write a backup in {self.folder.backups}: {exc.strerror or exc}") from exc
        for old in sorted(self.folder.backups.glob(f"{kind}-*.sqlite"))[:-KEEP_BACKUPS]:
            old.unlink(missing_ok=True)
        return target

    def backups(self) -> list[tuple[str, int, str]]:
        """``(name, size in bytes, time)`` of each backup, newest first."""
        found = []
        for path in self.folder.backups.glob("*.sqlite"):
            stat = path.stat()
            when = dt.datetime.fromtimestamp(stat.st_mtime).isoformat(timespec="seconds")
            found.append((path.name, stat.st_size, when))
        return sorted(found, key=lambda item: item[2], reverse=True)

    def daily_backup(self) -> Path | None:
        """A backup when the newest daily one is older than a day (the window and the CLI call this on open)."""
        if self.read_only:
            return None
        newest = max((path.stat().st_mtime for path in self.folder.backups.glob("daily-*.sqlite")), default=0.0)
        if dt.datetime.now().timestamp() - newest < DAY_S:
            return None
        with self._read() as session:
            if repo.count_all_articles(session) == 0:
                return None
        return self.backup("daily")

    def restore_backup(self, name: str, progress: Progress | None = None) -> None:
        """Put a backup in place of the database (the current one is kept as a backup first), then rebuild the index."""
        source = self.folder.backups / Path(name).name
        if not source.is_file():
            raise KnownError(f"There is no backup named {name!r} in {self.folder.backups}.")
        if self.read_only:
            raise ReadOnlyArchiveError("This archive is open read-only here; restore it from the Archive Browser that has it open.")
        if self.folder.database.exists() and self.count() > 0:
            self.backup("before-restore")
        if self._index_process is not None:
            self._index_process.close()
            self._index_process = None
        self._index.close()
        self._engine.dispose()
        partial = self.folder.database.with_name("archive.sqlite.restoring")
        shutil.copyfile(source, partial)
        for leftover in ("archive.sqlite-wal", "archive.sqlite-shm"):
            (self.folder.root / leftover).unlink(missing_ok=True)
        partial.replace(self.folder.database)
        self._engine = create_sqlite_engine(self.folder.database)
        self._sessions = sessionmaker(self._engine, expire_on_commit=False)
        self.notices.extend(_migrate(self._engine, self.folder))
        self._orders.clear()
        self._columns = None
        self._index.open()
        self.reindex(progress)

    # export ---------------------------------------------------------------------------------------------------
    def scope_ids(self, scope: str) -> list[int]:
        """The articles a scope names: ``all``, ``selection:1,2,3``, ``search:QUERY``, ``tag:TAG``, ``saved:NAME``."""
        kind, _, value = scope.partition(":")
        if kind == "all" and not value:
            return self.browse("", sort="date", descending=False).ids
        if kind == "selection":
            try:
                return [int(part) for part in value.replace(" ", "").split(",") if part]
            except ValueError:
                raise KnownError(f"{value!r} is not a list of article ids (selection:1,2,3).") from None
        if kind == "search":
            return self.browse(value, sort="date", descending=False).ids
        if kind == "tag":
            return self.browse(f'tag:"{value}"', sort="date", descending=False).ids
        if kind == "saved":
            return self.browse(self.saved_query(value), sort="date", descending=False).ids
        raise KnownError(f"Unknown scope {scope!r}: use all, selection:IDS, search:QUERY, tag:TAG or saved:NAME.")

    def export_csv(
        self,
        path: Path,
        *,
        per: str = "article",
        scope: str = "all",
        columns: Sequence[str] | None = None,
        bom: bool = True,
        delimiter: str = ",",
    ) -> CsvReport:
        """Write one row per article or per annotation of ``scope`` to ``path`` (see ``desktop.export``)."""
        allowed = ARTICLE_COLUMNS if per == "article" else ANNOTATION_COLUMNS if per == "annotation" else None
        if allowed is None:
            raise KnownError("Export one row per article or per annotation.")
        chosen = list(columns or (DEFAULT_ARTICLE_COLUMNS if per == "article" else ANNOTATION_COLUMNS))
        unknown = [column for column in chosen if column not in allowed]
        if unknown:
            raise KnownError(f"Unknown columns {', '.join(unknown)}; choose from {', '.join(allowed)}.")
        ids = self.scope_ids(scope)
        records = self._article_records(ids) if per == "article" else self._annotation_records(ids)
        try:
            return write_csv(path, records, chosen, bom=bom, delimiter=delimiter)
        except ValueError as exc:
            raise KnownError(str(exc)) from exc
        except OSError as exc:
            raise KnownError(f"Could not write {path}: {exc.strerror or exc}. Nothing was left half written.") from exc

    def export_json(self, path: Path) -> int:
        """Write the whole archive (originals included) as one JSON document; return the number of articles."""
        with self._read() as session:
            tables = journal.dump_tables(session, archive_json.TABLES)
        text = archive_json.dumps(tables)
        partial = path.with_name(path.name + ".part")
        try:
            with partial.open("w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            partial.replace(path)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise KnownError(f"Could not write {path}: {exc.strerror or exc}. Nothing was left half written.") from exc
        return len(tables["articles"])

    def import_json(self, path: Path) -> dict[str, int]:
        """Read a JSON export: into an empty archive as it was (ids included), else merged without duplicates."""
        try:
            tables = archive_json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError, TypeError, RecursionError) as exc:
            raise KnownError(f"Cannot import {path}: {exc}") from exc
        try:
            with self._write() as session:
                if repo.count_all_articles(session) == 0 and not repo.tag_records(session) and not repo.saved_searches(session):
                    repo.clear_tables(session, ("name_variants", "settings"))  # the export's own take their place
                    journal.load_tables(session, tables, archive_json.TABLES)
                    counts = {"articles": len(tables["articles"]), "merged": 0}
                else:
                    counts = repo.merge_export(session, tables)
                repo.enqueue(session, repo.article_ids(session), repo.UPSERT)
        except (KeyError, TypeError, ValueError, SQLAlchemyError) as exc:  # rows that do not fit the tables: all rolled back
            raise KnownError(f"Cannot import {path}: the export is damaged ({type(exc).__name__}: {exc}); nothing was imported.") from exc
        self.drain_index_queue()
        return counts

    def csv_preview(self, *, per: str = "article", scope: str = "all", columns: Sequence[str] | None = None, rows: int = 5) -> str:
        """The first ``rows`` rows the export would write, as CSV text."""
        chosen = list(columns or (DEFAULT_ARTICLE_COLUMNS if per == "article" else ANNOTATION_COLUMNS))
        ids = self.scope_ids(scope)[: rows if per == "article" else rows * 4]
        records = self._article_records(ids) if per == "article" else self._annotation_records(ids)
        buffer = io.StringIO(newline="")
        write_rows(buffer, itertools.islice(records, rows), chosen)
        return buffer.getvalue().replace("\r\n", "\n")

    def _article_records(self, ids: Sequence[int]) -> Iterator[dict[str, object]]:
        for article_id in ids:
            detail = self.article(article_id)
            summary = detail.summary
            yield {
                "id": summary.id,
                "title": summary.title,
                "title_kind": summary.title_kind,
                "agency": summary.agency,
                "place": summary.place,
                "date": summary.date,
                "date_precision": summary.date_precision,
                "source": detail.source,
                "sha256": detail.sha256,
                "tags": list(detail.tags),
                "notes": "\n\n".join(note.body for note in self.notes(article_id)),
                "annotation_count": len(self.annotations(article_id)),
                "reference": f"archive-browser:article/{summary.id}",
                "text": visible_text(detail.text, detail.boilerplate),
            }

    def _annotation_records(self, ids: Sequence[int]) -> Iterator[dict[str, object]]:
        for article_id in ids:
            summary = self.article(article_id).summary
            for record in self.annotations(article_id):
                yield {
                    "article_id": article_id,
                    "article_title": summary.title,
                    "agency": summary.agency,
                    "date": summary.date,
                    "exact": record.exact,
                    "prefix": record.prefix,
                    "suffix": record.suffix,
                    "start": record.start,
                    "end": record.end,
                    "note": record.note,
                    "tags": list(record.tags),
                    "status": record.status,
                    "created": record.created_at,
                    "modified": record.modified_at,
                }

    # reading ------------------------------------------------------------------------------------------------
    def count(self) -> int:
        with self._read() as session:
            return repo.count_articles(session)

    def list_articles(self, *, offset: int = 0, limit: int | None = None) -> list[ArticleSummary]:
        with self._read() as session:
            return repo.list_summaries(session, offset=offset, limit=limit)

    def article(self, article_id: int) -> ArticleDetail:
        with self._read() as session:
            return repo.get_detail(session, article_id)

    def original(self, article_id: int) -> bytes:
        with self._read() as session:
            return repo.original_bytes(session, article_id)

    def _variants(self) -> VariantTable:
        """The name variants, kept until the next write (read-only: another process may change them)."""
        table = self._variant_table
        if table is None:
            with self._read() as session:
                table = VariantTable.from_groups(list(repo.variant_groups(session).values()))
            if not self.read_only:
                self._variant_table = table
        return table

    def parse(self, query: str) -> ParsedQuery:
        """The query as the search understands it (with the one-line explanation when it fell back)."""
        return parse_query(query, self._variants())

    def _require_index(self) -> None:
        if not self._index.is_open and not self._index_problem:
            raise KnownError("The search index is still being prepared; search will work in a moment.")
        if self._index_problem:
            raise KnownError(f"Search is not available: {self._index_problem}. Open the archive for writing to rebuild it.")

    def original_text(self, article_id: int) -> str:
        """The original file as text, exactly as imported (markup included), for the reader's toggle."""
        data = self.original(article_id)
        try:
            return decode_bytes(data).text
        except NotTextError:
            return data.decode("utf-8", errors="replace")

    def search(self, query: str, *, limit: int = 20, sort: str = "relevance", facets: bool = False, spans: bool = False) -> SearchResult:
        """Search the index; each hit says where it matched and carries a snippet with ``<mark>`` around hits.

        Args:
            sort: ``relevance``, ``date`` (oldest first), ``-date`` (newest first) or ``title``.
            facets: count the whole result set by agency, year, tag and near-duplicate cluster.
            spans: include every hit span of each result's clean text.
        """
        self._require_index()
        if sort not in SORTS:
            raise KnownError(f"Unknown sort {sort!r}: use one of {', '.join(SORTS)}.")
        parsed = self.parse(query)
        if parsed.tree is None:
            return SearchResult(hits=(), total=0, explanation=parsed.explanation or "Type a word to search.", facets={})
        raw = self._index.search(parsed, limit=limit, sort=sort, facets=facets)
        ids = [hit.id for hit in raw.hits]
        with self._read() as session:
            texts = {text.id: text for text in repo.texts_for(session, ids)}
            summaries = repo.summaries_for(session, ids)
            facet_counts = self._facet_labels(session, raw.facets) if facets else {}
        hits = []
        for hit in raw.hits:
            text = texts.get(hit.id)
            summary = summaries.get(hit.id)
            if text is None or summary is None:
                continue  # indexed but gone from the store: the queue will remove it
            body_spans = query_spans(text.text, parsed, "body", boilerplate=text.boilerplate, expansions=raw.expansions)
            hits.append(
                SearchHit(
                    id=hit.id,
                    title=summary.title,
                    score=hit.score,
                    snippet=snippet(text.text, text.boilerplate, body_spans),
                    matched_in=_matched_in(text, parsed, body_spans, raw.expansions),
                    spans=tuple(body_spans) if spans else None,
                )
            )
        return SearchResult(hits=tuple(hits), total=raw.total, explanation=parsed.explanation, facets=facet_counts)

    @staticmethod
    def _facet_labels(session: Session, facets: dict[str, list[tuple[str, int]]]) -> dict[str, list[tuple[str, int]]]:
        """Facet values as a person reads them: agencies and tags in their own spelling."""
        names = {fold(name): name for name in repo.agency_names(session)}
        names_of_tags = {"/".join(fold(part.strip()) for part in name.split("/")): name for name in repo.tag_names(session)}
        labelled = dict(facets)
        labelled["agency"] = [(names.get(value, value), count) for value, count in facets.get("agency", [])]
        labelled["tag"] = [(names_of_tags.get(value, value), count) for value, count in facets.get("tag", [])]
        return labelled

    def browse(self, query: str = "", *, sort: str = "date", descending: bool = True) -> Browse:
        """The ids the article table shows for ``query``, in order.

        No query, or one made only of metadata clauses (``agency:``, ``tag:``, ``date:``, ``cluster:``),
        is answered by SQL over every article; a query with words goes to the index (its best
        ``SEARCH_LIMIT`` hits), then ``sort`` (``relevance`` or a table column) orders them.
        """
        parsed = self.parse(query) if query.strip() else ParsedQuery(None)
        if parsed.tree is None and query.strip():
            return Browse(ids=[], total=0, explanation=parsed.explanation, searched=True)
        meta = _meta_filter(parsed.tree) if parsed.tree is not None else None
        column = sort if sort in repo.SORT_COLUMNS else "date"
        if parsed.tree is None or meta is not None:
            ids = self._ordered_ids(meta, column, descending if sort in repo.SORT_COLUMNS else True)
            return Browse(ids=ids, total=len(ids), explanation=parsed.explanation, searched=False)
        self._require_index()
        raw = self._index.search(parsed, limit=SEARCH_LIMIT)
        ids = [hit.id for hit in raw.hits]
        if sort in repo.SORT_COLUMNS:  # the column's order is kept in memory: the hits in that order
            wanted = set(ids)
            ids = [article_id for article_id in self._ordered_ids(None, sort, descending) if article_id in wanted]
        return Browse(ids=ids, total=max(raw.total, len(ids)), explanation=parsed.explanation, searched=True)

    def _ordered_ids(self, meta: MetaFilter | None, column: str, descending: bool) -> list[int]:
        """Every article's id in a column's order, kept until the next write (re-sorting 100,000 rows is then a copy)."""
        if self.read_only:  # another process writes, unseen here: always ask SQL
            with self._read() as session:
                return repo.browse_ids(session, meta, sort=column, descending=descending)
        key = (column, descending)
        cached = self._orders.get(key)
        if cached is None:
            with self._read() as session:
                cached = repo.browse_ids(session, None, sort=column, descending=descending)
            self._orders[key] = cached
        if meta is None:
            return list(cached)
        wanted = self._meta_columns().matching(meta)
        return [article_id for article_id in cached if article_id in wanted]

    def warm(self) -> None:
        """Read ahead what narrowing needs, so the first facet click after opening or an edit is quick."""
        if not self.read_only:
            self._meta_columns()

    def _meta_columns(self) -> repo.MetaColumns:
        columns = self._columns
        if columns is None:
            with self._read() as session:
                columns = repo.meta_columns(session)
            self._columns = columns
        return columns

    def rows(self, ids: Sequence[int], query: str = "") -> dict[int, ArticleRow]:
        """Table rows for ``ids``; with a query, each carries its snippet (only these rows are highlighted)."""
        with self._read() as session:
            rows = repo.rows_for(session, ids)
            texts = repo.texts_for(session, ids) if query.strip() else []
        if texts:
            parsed = self.parse(query)
            expansions = self._index.expansions(parsed) if self.index_ready else {}
            for text in texts:
                spans = query_spans(text.text, parsed, "body", boilerplate=text.boilerplate, expansions=expansions)
                rows[text.id] = replace(rows[text.id], snippet=snippet(text.text, text.boilerplate, spans))
        return rows

    def facets(self, query: str = "") -> dict[str, list[tuple[str, int]]]:
        """Counts by agency, year, tag and cluster for what :meth:`browse` shows for ``query``."""
        parsed = self.parse(query) if query.strip() else ParsedQuery(None)
        meta = _meta_filter(parsed.tree) if parsed.tree is not None else None
        if parsed.tree is None or meta is not None:
            with self._read() as session:
                return repo.facet_counts(session, meta)
        self._require_index()
        found = None if self.read_only else self._index.matching_ids(parsed)
        if found is not None:  # counted in memory: a word in most of 100,000 articles takes milliseconds
            counts = self._meta_columns().facet_counts(set(found))
        else:
            counts = self._index.search(parsed, limit=1, facets=True).facets
        with self._read() as session:
            return self._facet_labels(session, counts)

    def hit_spans(self, article_id: int, query: str) -> list[tuple[int, int]]:
        """Every hit of ``query`` in the article's clean text, for the reader to step through (n of N)."""
        self._require_index()
        parsed = self.parse(query)
        with self._read() as session:
            texts = repo.texts_for(session, [article_id])
        if not texts:
            raise ArticleNotFoundError(f"No article has id {article_id}.")
        expansions = self._index.expansions(parsed)
        return query_spans(texts[0].text, parsed, "body", boilerplate=texts[0].boilerplate, expansions=expansions)

    def similar(self, article_id: int, *, limit: int = 10) -> list[SearchHit]:
        """More like this: articles sharing the most telling words, leaving out its near-duplicate cluster."""
        self._require_index()
        with self._read() as session:
            texts = repo.texts_for(session, [article_id])
            if not texts:
                raise ArticleNotFoundError(f"No article has id {article_id}.")
            exclude = repo.cluster_members(session, article_id)
        source = texts[0]
        raw = self._index.similar(visible_text(source.text, source.boilerplate), exclude=exclude, limit=limit)
        with self._read() as session:
            found = {text.id: text for text in repo.texts_for(session, [hit.id for hit in raw])}
        return [
            SearchHit(
                id=hit.id, title=found[hit.id].title, score=hit.score, snippet=snippet(found[hit.id].text, found[hit.id].boilerplate, [])
            )
            for hit in raw
            if hit.id in found
        ]

    # name variants ------------------------------------------------------------------------------------------
    def variant_groups(self) -> list[list[str]]:
        with self._read() as session:
            return list(repo.variant_groups(session).values())

    def add_variants(self, names: Sequence[str]) -> list[str]:
        """Make ``names`` spellings of one name, joining the group one of them is already in; return the group."""
        cleaned = [" ".join(name.split()) for name in names if name.strip()]
        if len(cleaned) < 1:
            raise KnownError("Give at least one spelling.")
        with self._write() as session:
            groups = repo.variant_groups(session)
            keys = {tuple(fold(w) for w in WORD.findall(name)) for name in cleaned}
            join = next((gid for gid, members in groups.items() if keys & {tuple(fold(w) for w in WORD.findall(m)) for m in members}), None)
            if join is None and len(cleaned) < 2:
                raise KnownError("A new group needs two spellings or more (or one that joins an existing group).")
            group_id = repo.add_variant_group(session, cleaned, join)
            return repo.variant_groups(session)[group_id]

    def remove_variant(self, name: str) -> None:
        with self._write() as session:
            if not repo.remove_variant(session, " ".join(name.split())):
                raise KnownError(f"No name variant is spelled {name!r}.")

    def _seed_variants(self) -> None:
        """Add the shipped name variants once, when the archive is new (the user may edit them after)."""
        with self._write() as session:
            if repo.get_setting(session, "default_variants_added"):
                return
            data = json.loads(resources.files("desktop.resources").joinpath("name_variants.json").read_text(encoding="utf-8"))
            if not repo.variant_groups(session):
                for group in data["groups"]:
                    repo.add_variant_group(session, group)
            repo.put_setting(session, "default_variants_added", "1")

    # saved searches -----------------------------------------------------------------------------------------
    def saved_searches(self) -> list[tuple[str, str]]:
        with self._read() as session:
            return repo.saved_searches(session)

    def save_search(self, name: str, query: str) -> None:
        """Save ``query`` as ``name`` (replacing a saved search of that name)."""
        if not name.strip() or not query.strip():
            raise KnownError("A saved search needs a name and a query.")
        with self._write() as session:
            repo.put_saved_search(session, name.strip(), query.strip())

    def saved_query(self, name: str) -> str:
        with self._read() as session:
            query = repo.saved_search(session, name)
        if query is None:
            raise KnownError(f"No saved search is named {name!r}.")
        return query

    def rename_saved_search(self, old: str, new: str) -> None:
        if not new.strip():
            raise KnownError("A saved search needs a name.")
        with self._write() as session:
            if repo.saved_search(session, new.strip()) is not None:
                raise KnownError(f"A saved search is already named {new.strip()!r}.")
            if not repo.rename_saved_search(session, old, new.strip()):
                raise KnownError(f"No saved search is named {old!r}.")

    def delete_saved_search(self, name: str) -> None:
        with self._write() as session:
            if not repo.delete_saved_search(session, name):
                raise KnownError(f"No saved search is named {name!r}.")

    # checking -----------------------------------------------------------------------------------------------
    def check(self) -> CheckReport:
        """Compare store and index after draining the queue, verify every original's SHA-256, the database and every file of the index."""
        problems: list[str] = []
        if not self.read_only:
            self.drain_index_queue()
        problems.extend(f"database: {line}" for line in integrity_problems(self._engine))
        with self._read() as session:
            stored = set(repo.article_ids(session))
            queued = repo.queue_length(session)
            for article_id, sha256, data in repo.iter_fixity(session):
                if hashlib.sha256(data).hexdigest() != sha256:
                    problems.append(f"article #{article_id}: its original no longer matches its SHA-256")
        if queued:
            problems.append(f"{queued} index changes are still queued")
        index_problem = self._index_problem
        indexed: set[int] = set()
        if index_problem is None:
            with contextlib.suppress(IndexDamagedError):
                indexed = self._index.ids()
            index_problem = self._index.verify()  # the whole index read: postings, stored fields, columns
        if index_problem:
            when = "when the archive is next opened for writing" if self.read_only else "the next time the archive is opened"
            problems.append(f"index: {index_problem}; it is rebuilt from the archive {when}, or now with reindex")
        missing = sorted(stored - indexed)
        extra = sorted(indexed - stored)
        if missing and not index_problem:
            problems.append(f"{len(missing)} articles are not in the index: {_some(missing)}")
        if extra:
            problems.append(f"{len(extra)} index entries have no article: {_some(extra)}")
        return CheckReport(articles=len(stored), indexed=len(indexed), problems=tuple(problems))


def _meta_filter(node: Node) -> MetaFilter | None:
    """The query as a metadata filter SQL can answer, or None when it needs the index (it has words)."""
    if isinstance(node, FieldValue):
        return MetaClause(node.field, (node.value,))  # type: ignore[arg-type]
    if isinstance(node, DateRange):
        return MetaClause("date", (node.low or "", node.high or ""))
    if isinstance(node, Everything):
        return MetaClause("all", ())
    if isinstance(node, NoneOf):
        inner = _meta_filter(node.child)
        return MetaNot(inner) if inner is not None else None
    if isinstance(node, AllOf | AnyOf):
        children = [_meta_filter(child) for child in node.children]
        if any(child is None for child in children):
            return None
        kept = tuple(child for child in children if child is not None)
        return MetaAll(kept) if isinstance(node, AllOf) else MetaAny(kept)
    return None


def _count_label(verb: str, count: int) -> str:
    """``Tag 1 article`` / ``Tag 37 articles``: the name an edit has in the Edit menu."""
    return f"{verb} {count} article" + ("" if count == 1 else "s")


def _matched_in(
    text: ArticleText, parsed: ParsedQuery, body_spans: Sequence[tuple[int, int]], expansions: dict[Leaf, frozenset[str]]
) -> tuple[str, ...]:
    """Where a result matched: text, title, note, annotation, tag, place, agency."""
    found: list[str] = []
    if query_spans(text.title, parsed, "title", expansions=expansions):
        found.append("title")
    if body_spans:
        found.append("text")
    for name, field, value in (
        ("note", "note", "\n".join(text.notes)),
        ("annotation", "annotation", "\n".join(text.annotations)),
        ("tag", "tagwords", "\n".join(tag.replace("/", " ") for tag in text.tags)),
        ("place", "place", text.place or ""),
    ):
        if query_spans(value, parsed, field, expansions=expansions):
            found.append(name)
    for leaf in parsed.positive_leaves():
        if isinstance(leaf, FieldValue) and leaf.field in ("agency", "tag") and leaf.field not in found:
            found.append(leaf.field)
    if text.agency and "agency" not in found:
        agency = fold(text.agency)
        if any(isinstance(leaf, Leaf) and leaf.field is None and fold(" ".join(leaf.words)) == agency for leaf in parsed.positive_leaves()):
            found.append("agency")
    return tuple(found)


def _some(ids: Sequence[int]) -> str:
    shown = ", ".join(f"#{i}" for i in ids[:REPORT_LIMIT])
    return shown + (f" and {len(ids) - REPORT_LIMIT} more" if len(ids) > REPORT_LIMIT else "")


def _migrate(engine: Engine, folder: ArchiveFolder) -> list[str]:
    needs, has_tables = migrate.needs_upgrade(engine)
    if not needs:
        return []
    notices = []
    if has_tables:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = folder.backups / f"before-upgrade-{stamp}.sqlite"
        backup_database(engine, target)
        notices.append(f"Upgraded the archive; the previous version is kept in {target}.")
    try:
        migrate.upgrade(engine)
    except Exception as exc:
        what = "upgrade the archive (nothing was changed)" if has_tables else "create the archive's tables"
        raise KnownError(f"Could not {what}: {storage_problem(exc) or exc}") from exc
    return notices


@contextlib.contextmanager
def sample_files() -> Iterator[list[Path]]:
    """The bundled sample articles as real paths (extracted to a temporary folder when frozen in a zip)."""
    folder = resources.files("desktop.data").joinpath("sample")
    with resources.as_file(folder) as path:
        yield sorted(p for p in Path(path).iterdir() if p.suffix == ".txt")


def open_default_archive(progress: Progress | None = None, *, prepare_index: bool = True) -> Library:
    """Open the per-user archive, creating it and filling it with the sample articles on first run."""
    root = default_archive_dir()
    first_run = not ArchiveFolder(root).database.exists()
    library = Library.open(root, progress=progress, prepare_index=prepare_index)
    if first_run and library.count() == 0:
        if not prepare_index:
            library.prepare_index(progress)
        with sample_files() as paths:
            library.import_paths(paths, progress=progress)
        library.notices.append(f"Created your archive in {root} with {library.count()} sample articles.")
    return library
