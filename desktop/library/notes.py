"""Notes on articles: added, edited, deleted (undoable), searchable at once (``note:`` or any word)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from desktop.core.errors import KnownError
from desktop.core.models import NoteRecord
from desktop.library.edits import Edits
from desktop.library.unit_of_work import UnitOfWork
from desktop.store import repo
from desktop.store.journal import Edit


class Notes:
    """The notes of the archive's articles."""

    def __init__(self, uow: UnitOfWork, edits: Edits) -> None:
        self._uow = uow
        self._edits = edits

    def of(self, article_id: int) -> list[NoteRecord]:
        """The notes of one article."""
        with self._uow.read() as session:
            return repo.notes_of(session, article_id)

    def add(self, article_id: int, body: str) -> Edit:
        """Add a note to an article; the edit's ``created`` is the new note's id."""
        if not body.strip():
            raise KnownError("A note needs some text.")

        def action(session: Session) -> int:
            repo.article_text(session, article_id)
            return repo.insert_note(session, article_id, body)

        return self._edits.record("Add note", action, articles=[article_id])

    def edit(self, note_id: int, body: str) -> Edit:
        article_id = self._article_of(note_id)
        if not body.strip():
            raise KnownError("A note needs some text; delete it instead.")
        return self._edits.record("Edit note", lambda session: repo.update_note(session, note_id, body), articles=[article_id])

    def delete(self, note_id: int) -> Edit:
        article_id = self._article_of(note_id)
        return self._edits.record("Delete note", lambda session: repo.delete_note(session, note_id), articles=[article_id])

    def _article_of(self, note_id: int) -> int:
        with self._uow.read() as session:
            article_id = repo.note_article(session, note_id)
        if article_id is None:
            raise KnownError(f"There is no note {note_id}.")
        return article_id
