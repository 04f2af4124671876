"""Passage annotations: anchored by quote and by position, with a note and tags; edited and deleted (undoable)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from desktop.core.anchoring import anchor_at
from desktop.core.errors import KnownError
from desktop.core.models import AnnotationRecord
from desktop.library.edits import Edits
from desktop.library.rules import tag_path
from desktop.library.unit_of_work import UnitOfWork
from desktop.store import repo
from desktop.store.journal import Edit


class Annotations:
    """The annotations of the archive's articles."""

    def __init__(self, uow: UnitOfWork, edits: Edits) -> None:
        self._uow = uow
        self._edits = edits

    def of(self, article_id: int | None = None, *, needs_review: bool = False) -> list[AnnotationRecord]:
        """The annotations of one article (every article's with None); only those needing review, if asked."""
        with self._uow.read() as session:
            return repo.annotations_of(session, article_id, needs_review=needs_review)

    def add(self, article_id: int, start: int, end: int, *, note: str = "", tags: Sequence[str] = ()) -> Edit:
        """Annotate the passage ``[start, end)`` of the clean text; the edit's ``created`` is the annotation's id."""
        tag_names = [tag_path(name) for name in tags]

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

        return self._edits.record("Annotate passage", action, articles=[article_id], whole_tables=("tags",))

    def add_quote(self, article_id: int, quote: str, *, occurrence: int = 1, note: str = "", tags: Sequence[str] = ()) -> Edit:
        """Annotate the ``occurrence``-th place where ``quote`` appears in the article's clean text."""
        with self._uow.read() as session:
            text = repo.article_text(session, article_id)
        position = -1
        for _ in range(max(1, occurrence)):
            position = text.find(quote, position + 1)
            if position == -1:
                raise KnownError(f"The article does not contain {quote!r}" + (f" {occurrence} times." if occurrence > 1 else "."))
        return self.add(article_id, position, position + len(quote), note=note, tags=tags)

    def edit(self, annotation_id: int, *, note: str | None = None, tags: Sequence[str] | None = None) -> Edit:
        """Change an annotation's note or tags (None leaves it as it is)."""
        article_id = self._article_of(annotation_id)
        tag_names = None if tags is None else [tag_path(name) for name in tags]
        return self._edits.record(
            "Edit annotation",
            lambda session: repo.update_annotation(session, annotation_id, note=note, tags=tag_names),
            articles=[article_id],
            whole_tables=("tags",),
        )

    def delete(self, annotation_id: int) -> Edit:
        article_id = self._article_of(annotation_id)
        return self._edits.record(
            "Delete annotation", lambda session: repo.delete_annotation(session, annotation_id), articles=[article_id]
        )

    def _article_of(self, annotation_id: int) -> int:
        with self._uow.read() as session:
            article_id = repo.annotation_article(session, annotation_id)
        if article_id is None:
            raise KnownError(f"There is no annotation {annotation_id}.")
        return article_id
