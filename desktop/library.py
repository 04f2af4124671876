"""The facade both faces hold: every user action is one method, each write one transaction."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from desktop.archive_folder import ArchiveFolder, ArchiveLock, default_archive_dir
from desktop.core.errors import KnownError, ReadOnlyArchiveError
from desktop.core.models import ArticleDetail, ArticleSummary, ArticleText, CheckReport, ImportOutcome, ImportReport, SearchHit
from desktop.core.text import collapse_whitespace, visible_text
from desktop.index.engine import ArticleIndex
from desktop.index.highlight import hit_spans, snippet
from desktop.ingest.files import DEFAULT_MAX_BYTES, Candidate, collect_paths, read_candidates
from desktop.ingest.patterns import NewsPatterns, load_patterns
from desktop.ingest.similarity import NEAR_DUPLICATE_THRESHOLD, band_keys, signature, similarity
from desktop.store import migrate, repo
from desktop.store.sqlite import backup_database, create_sqlite_engine, integrity_problems

log = logging.getLogger(__name__)

#: ``progress(done, total, label)``: called from the thread doing the work.
Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]

INDEX_BATCH = 250
REPORT_LIMIT = 20


@dataclass(frozen=True, slots=True)
class SearchResult:
    hits: tuple[SearchHit, ...]
    total: int
    explanation: str | None


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

    # opening and closing ----------------------------------------------------------------------------
    @classmethod
    def open(cls, root: Path, *, read_only: bool = False, progress: Progress | None = None) -> Library:
        """Open (creating if needed) the archive in ``root``, migrate it after a backup, and bring its index up to date.

        Raises:
            ArchiveLockedError: another process holds the archive for writing.
        """
        folder = ArchiveFolder(root)
        if read_only:
            if not folder.database.exists():
                raise KnownError(f"There is no archive in {root}.")
            return cls._open_read_only(folder)
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise KnownError(f"Cannot create the archive folder {root}: {exc.strerror or exc}") from exc
        lock = ArchiveLock(folder.lock_file)
        lock.acquire()
        engine: Engine | None = None
        try:
            engine = create_sqlite_engine(folder.database)
            notices = _migrate(engine, folder)
            library = cls(
                folder=folder, engine=engine, index=ArticleIndex(folder.index), patterns=load_patterns(folder.patterns), lock=lock
            )
            library.notices.extend(notices)
            library._prepare_index(progress)
            return library
        except BaseException:
            if engine is not None:
                engine.dispose()
            lock.release()
            raise

    @classmethod
    def _open_read_only(cls, folder: ArchiveFolder) -> Library:
        engine = create_sqlite_engine(folder.database, read_only=True)
        needs, _ = migrate.needs_upgrade(engine)
        if needs:
            engine.dispose()
            raise KnownError("This archive needs an upgrade; open it for writing once (close the other Archive Browser first).")
        index = ArticleIndex(folder.index)
        problem = index.open()
        library = cls(folder=folder, engine=engine, index=index, patterns=load_patterns(folder.patterns), lock=None, index_problem=problem)
        library.notices.append("Opened read-only: another Archive Browser has this archive open for writing.")
        return library

    def close(self) -> None:
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
        with self._sessions() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def _read(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    # the index ------------------------------------------------------------------------------------------
    def _prepare_index(self, progress: Progress | None) -> None:
        reason = self._index.open()
        if reason:
            rebuilt = self.reindex(progress)
            if rebuilt:
                self.notices.append(f"Rebuilt the search index from the archive: {reason}.")
            return
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
        drained = 0
        while True:
            with self._read() as session:
                rows = repo.pending_queue(session, batch)
                if not rows:
                    return drained
                latest: dict[int, str] = {}
                for _queue_id, article_id, op in rows:
                    latest[article_id] = op
                upsert_ids = [article_id for article_id, op in latest.items() if op == repo.UPSERT]
                texts = repo.texts_for(session, upsert_ids)
            found = {text.id for text in texts}
            deletes = [article_id for article_id, op in latest.items() if op == repo.DELETE or article_id not in found]
            self._index.apply(texts, deletes)
            with self._write() as session:
                repo.delete_queue_rows(session, [queue_id for queue_id, _, _ in rows])
            drained += len(rows)

    def reindex(self, progress: Progress | None = None) -> int:
        """Rebuild the index from the store; return the number of articles indexed."""
        with self._read() as session:
            total = repo.count_articles(session)
            last_queued = repo.max_queue_id(session)
            ids = repo.article_ids(session)

        def batches() -> Iterator[list[ArticleText]]:
            for start in range(0, len(ids), INDEX_BATCH):
                with self._read() as session:
                    yield repo.texts_for(session, ids[start : start + INDEX_BATCH])

        def report(done: int, all_: int) -> None:
            if progress:
                progress(done, all_, "indexing")

        self._index.rebuild(batches(), total, report)
        if not self.read_only:
            with self._write() as session:
                repo.delete_queue_through(session, last_queued)
        self._index_problem = None
        return total

    # import -----------------------------------------------------------------------------------------------
    def import_paths(
        self,
        paths: Iterable[Path],
        *,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
        on_outcome: Callable[[ImportOutcome], None] | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> ImportReport:
        """Import files and folders: every file gets exactly one outcome; each article commits on its own.

        ``on_outcome`` hears each outcome as soon as it is committed. Cancelling stops between files
        and keeps (and indexes) what was committed.
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
                        outcomes.append(ImportOutcome(str(rest), "skipped", reason="import cancelled before this file"))
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
                    progress(done + 1, len(files), str(path))
                if since_index >= INDEX_BATCH:
                    self.drain_index_queue()
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

    def search(self, query: str, *, limit: int = 20) -> SearchResult:
        """Search the index; snippets come from the stored text with every hit in ``<mark>``."""
        if self._index_problem:
            raise KnownError(f"Search is not available: {self._index_problem}. Open the archive for writing to rebuild it.")
        if not query.strip():
            return SearchResult(hits=(), total=0, explanation="Type a word to search.")
        raw = self._index.search(query, limit)
        ids = [hit.id for hit in raw.hits]
        with self._read() as session:
            texts = {text.id: text for text in repo.texts_for(session, ids)}
            summaries = repo.summaries_for(session, ids)
        hits = []
        for hit in raw.hits:
            text = texts.get(hit.id)
            summary = summaries.get(hit.id)
            if text is None or summary is None:
                continue  # indexed but gone from the store: the queue will remove it
            spans = hit_spans(text.text, text.boilerplate, raw.terms)
            hits.append(SearchHit(id=hit.id, title=summary.title, score=hit.score, snippet=snippet(text.text, text.boilerplate, spans)))
        return SearchResult(hits=tuple(hits), total=raw.total, explanation=raw.explanation)

    # checking -----------------------------------------------------------------------------------------------
    def check(self) -> CheckReport:
        """Compare store and index after draining the queue, verify every original's SHA-256 and the database."""
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
        if self._index_problem:
            problems.append(f"index: {self._index_problem}")
            indexed: set[int] = set()
        else:
            indexed = self._index.ids()
        missing = sorted(stored - indexed)
        extra = sorted(indexed - stored)
        if missing and not self._index_problem:
            problems.append(f"{len(missing)} articles are not in the index: {_some(missing)}")
        if extra:
            problems.append(f"{len(extra)} index entries have no article: {_some(extra)}")
        return CheckReport(articles=len(stored), indexed=len(indexed), problems=tuple(problems))


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
        raise KnownError(f"Could not upgrade the archive (nothing was changed): {exc}") from exc
    return notices


@contextlib.contextmanager
def sample_files() -> Iterator[list[Path]]:
    """The bundled sample articles as real paths (extracted to a temporary folder when frozen in a zip)."""
    folder = resources.files("desktop.data").joinpath("sample")
    with resources.as_file(folder) as path:
        yield sorted(p for p in Path(path).iterdir() if p.suffix == ".txt")


def open_default_archive(progress: Progress | None = None) -> Library:
    """Open the per-user archive, creating it and filling it with the sample articles on first run."""
    root = default_archive_dir()
    first_run = not ArchiveFolder(root).database.exists()
    library = Library.open(root, progress=progress)
    if first_run and library.count() == 0:
        with sample_files() as paths:
            library.import_paths(paths, progress=progress)
        library.notices.append(f"Created your archive in {root} with {library.count()} sample articles.")
    return library
