"""Importing files and folders: every file gets exactly one outcome; each article commits on its own."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from desktop.core.errors import KnownError
from desktop.core.models import ImportOutcome, ImportReport
from desktop.core.text import visible_text
from desktop.ingest.files import DEFAULT_MAX_BYTES, Candidate, collect_paths, display_path, read_candidates
from desktop.ingest.fingerprint import text_hash
from desktop.ingest.patterns import NewsPatterns
from desktop.ingest.similarity import NEAR_DUPLICATE_THRESHOLD, band_keys, signature, similarity
from desktop.library.indexing import INDEX_BATCH, Indexing
from desktop.library.rules import reanchor_annotations
from desktop.library.unit_of_work import Cancelled, Progress, UnitOfWork
from desktop.store import repo


class Imports:
    """Reads files into the archive: new articles, corrected versions of earlier ones, duplicates and skips."""

    def __init__(self, uow: UnitOfWork, indexing: Indexing, patterns: NewsPatterns) -> None:
        self._uow = uow
        self._indexing = indexing
        self._patterns = patterns

    def paths(
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

        ``on_outcome`` hears each outcome as soon as it is committed. Cancelling stops between files, or
        between the parts of a file that holds many (a mailbox, a feed, an export), and keeps (and indexes) what
        was committed. The index is brought up to date every
        ``index_every`` articles: fewer means shorter index commits (the window uses a small number,
        since a commit's sort holds the interpreter lock), more means a faster import.
        """
        self._uow.require_writable("This archive is open read-only here; close the other Archive Browser to import.")
        files = collect_paths(paths)
        outcomes: list[ImportOutcome] = []
        was_cancelled = False
        since_index = 0

        def record(outcome: ImportOutcome) -> None:
            outcomes.append(outcome)
            if on_outcome is not None:
                on_outcome(outcome)

        try:
            for done, path in enumerate(files):
                if cancelled is not None and cancelled():
                    was_cancelled = True
                    for rest in files[done:]:
                        record(ImportOutcome(display_path(rest), "skipped", reason="import cancelled before this file"))
                    break
                for part, candidate in enumerate(read_candidates(path, self._patterns, max_bytes=max_bytes)):
                    if part and cancelled is not None and cancelled():
                        # a mailbox, feed or export cancelled half way: its committed parts stay, the rest say so
                        was_cancelled = True
                        record(ImportOutcome(display_path(path), "skipped", reason=f"import cancelled after part {part} of this file"))
                        break
                    outcome = self._store(candidate)
                    record(outcome)
                    since_index += outcome.outcome == "imported"
                    if part and progress is not None:  # a file of many parts shows that it moves
                        progress(done, len(files), candidate.label)
                    if since_index >= index_every:
                        self._indexing.submit(max(index_every, INDEX_BATCH))
                        since_index = 0
                if was_cancelled:
                    for rest in files[done + 1 :]:
                        record(ImportOutcome(display_path(rest), "skipped", reason="import cancelled before this file"))
                    break
                if progress is not None:
                    progress(done + 1, len(files), display_path(path))
        finally:
            self._indexing.drain()
        return ImportReport(outcomes=tuple(outcomes), cancelled=was_cancelled)

    def _store(self, candidate: Candidate) -> ImportOutcome:
        if candidate.article is None or candidate.original is None:
            return ImportOutcome(candidate.label, "skipped", reason=candidate.reason)
        article = candidate.article
        original = candidate.original
        fingerprint = text_hash(article.text)
        sig = signature(visible_text(article.text, article.boilerplate))
        try:
            with self._uow.write() as session:
                duplicate_of = repo.find_by_text_hash(session, fingerprint)
                if duplicate_of is not None:
                    return ImportOutcome(
                        candidate.label, "duplicate", duplicate_of=duplicate_of, reason=f"same text as article #{duplicate_of}"
                    )
                earlier = repo.find_by_source(session, original.source) if candidate.correctable else None
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
                        text_hash=fingerprint,
                    )
                    reanchor_annotations(session, earlier, old_text, article.text)
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
                    text_hash=fingerprint,
                    minhash=sig,
                )
                if sig is not None:
                    keys = band_keys(sig)
                    _cluster(session, article_id, sig, keys)
                    repo.add_similarity_buckets(session, article_id, keys)
        except OSError as exc:
            raise KnownError(f"Could not write to the archive: {exc.strerror or exc}") from exc
        return ImportOutcome(candidate.label, "imported", id=article_id)


def _cluster(session: Session, article_id: int, sig: bytes, keys: Sequence[tuple[int, int]]) -> None:
    """Put a new article in the near-duplicate cluster of its closest match (making one if needed)."""
    scored = [
        (similarity(sig, other_sig), other_id, cluster_id) for other_id, other_sig, cluster_id in repo.similarity_candidates(session, keys)
    ]
    close = [item for item in scored if item[0] >= NEAR_DUPLICATE_THRESHOLD]
    if not close:
        return
    _score, best_id, best_cluster = max(close)
    cluster_id = best_cluster if best_cluster is not None else best_id
    repo.set_cluster(session, [article_id, best_id], cluster_id)
    if best_cluster is None:
        repo.enqueue(session, [best_id], repo.UPSERT)  # its cluster is part of its index entry
