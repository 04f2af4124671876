"""Articles: counted, listed, read (clean text and original), corrected (details, text), trashed and restored."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from desktop.core.errors import KnownError
from desktop.core.models import ArticleDetail, ArticleSummary
from desktop.core.text import clean_text
from desktop.ingest.decode import NotTextError, decode_bytes
from desktop.ingest.fingerprint import text_hash
from desktop.ingest.patterns import NewsPatterns
from desktop.ingest.structure import NotAnArticleError, parse_article, parse_iso_date
from desktop.library.edits import Edits
from desktop.library.indexing import Indexing
from desktop.library.rules import count_label, reanchor_annotations
from desktop.library.unit_of_work import UnitOfWork
from desktop.store import repo
from desktop.store.journal import Edit


class Articles:
    """The archive's articles (those in the trash apart)."""

    def __init__(self, uow: UnitOfWork, indexing: Indexing, edits: Edits, patterns: NewsPatterns) -> None:
        self._uow = uow
        self._indexing = indexing
        self._edits = edits
        self._patterns = patterns

    # reading ------------------------------------------------------------------------------------------------
    def count(self) -> int:
        with self._uow.read() as session:
            return repo.count_articles(session)

    def summaries(self, *, offset: int = 0, limit: int | None = None) -> list[ArticleSummary]:
        """The articles' summaries, oldest import first."""
        with self._uow.read() as session:
            return repo.list_summaries(session, offset=offset, limit=limit)

    def get(self, article_id: int) -> ArticleDetail:
        """One article with its text, tags and cluster (raises ArticleNotFoundError)."""
        with self._uow.read() as session:
            return repo.get_detail(session, article_id)

    def original(self, article_id: int) -> bytes:
        """The original file's bytes, exactly as imported."""
        with self._uow.read() as session:
            return repo.original_bytes(session, article_id)

    def original_text(self, article_id: int) -> str:
        """The original file as text, exactly as imported (markup included), for the reader's toggle."""
        data = self.original(article_id)
        try:
            return decode_bytes(data).text
        except NotTextError:
            return data.decode("utf-8", errors="replace")

    # correcting ---------------------------------------------------------------------------------------------
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
            values["agency"] = self._patterns.canonical_agency(agency) if agency.strip() else None
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

        return self._edits.record(f"Edit details of #{article_id}", action, articles=[article_id])

    def edit_text(self, article_id: int, new_text: str) -> Edit:
        """Correct an article's clean text (the original file is untouched); annotations are found again."""
        text = clean_text(new_text)
        if not text.strip():
            raise KnownError("An article's text cannot be empty.")
        try:
            parsed = parse_article(text, self._patterns)
        except NotAnArticleError as exc:
            raise KnownError(f"This text cannot be an article's: {exc}.") from exc

        def action(session: Session) -> None:
            old = repo.article_text(session, article_id)
            fingerprint = text_hash(parsed.text)
            duplicate = repo.find_by_text_hash(session, fingerprint)
            if duplicate is not None and duplicate != article_id:
                raise KnownError(f"Article #{duplicate} already has exactly this text.")
            repo.update_text(session, article_id, parsed.text, parsed.boilerplate, fingerprint)
            reanchor_annotations(session, article_id, old, parsed.text)

        return self._edits.record(f"Edit text of #{article_id}", action, articles=[article_id])

    # the trash ----------------------------------------------------------------------------------------------
    def trash(self, article_ids: Sequence[int]) -> Edit:
        """Move articles to the trash: out of the table and the search, restorable."""
        count = len(set(article_ids))
        return self._edits.record(
            count_label("Move to trash", count), lambda session: repo.set_trashed(session, article_ids, True), articles=article_ids
        )

    def restore(self, article_ids: Sequence[int]) -> Edit:
        """Take articles out of the trash."""
        count = len(set(article_ids))
        return self._edits.record(
            count_label("Restore", count), lambda session: repo.set_trashed(session, article_ids, False), articles=article_ids
        )

    def trashed(self) -> list[ArticleSummary]:
        with self._uow.read() as session:
            ids = repo.trashed_ids(session)
            summaries = repo.summaries_for(session, ids)
        return [summaries[article_id] for article_id in ids]

    def empty_trash(self) -> int:
        """Delete the articles in the trash for good (with their originals, notes and annotations). Not undoable."""
        with self._uow.write() as session:
            ids = repo.trashed_ids(session)
            repo.delete_articles(session, ids)
            repo.enqueue(session, ids, repo.DELETE)
        self._indexing.drain()
        return len(ids)
