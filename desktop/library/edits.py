"""Undoable edits: each runs in one transaction and returns an :class:`Edit` that undo and redo take."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy.orm import Session

from desktop.library.indexing import Indexing
from desktop.library.unit_of_work import UnitOfWork
from desktop.store import journal, repo
from desktop.store.journal import Edit


class Edits:
    """Records what each edit changed (the rows of the articles and tables it may touch) and plays it back."""

    def __init__(self, uow: UnitOfWork, indexing: Indexing) -> None:
        self._uow = uow
        self._indexing = indexing

    def record(
        self, label: str, action: Callable[[Session], object], *, articles: Iterable[int] = (), whole_tables: tuple[str, ...] = ()
    ) -> Edit:
        """Run ``action`` in one transaction, recording the rows it changed so it can be undone.

        ``action`` may return the id of what it created (a note, an annotation): the edit carries it.
        """
        with self._uow.write() as session:
            scope = journal.Scope(articles=tuple(sorted(set(articles))), whole_tables=whole_tables)
            before = journal.snapshot(session, scope)
            created = action(session)
            session.flush()
            changes = journal.difference(before, journal.snapshot(session, scope))
            edit = Edit(
                label, changes, set(scope.articles) | journal.touched_articles(changes), created if isinstance(created, int) else None
            )
            repo.enqueue(session, sorted(edit.articles), repo.UPSERT)
        self._indexing.drain()
        return edit

    def undo(self, edit: Edit) -> None:
        """Put back every row ``edit`` changed, as it was before."""
        self._replay(edit, backwards=True)

    def redo(self, edit: Edit) -> None:
        self._replay(edit, backwards=False)

    def _replay(self, edit: Edit, *, backwards: bool) -> None:
        with self._uow.write() as session:
            (journal.undo if backwards else journal.redo)(session, edit)
            repo.enqueue(session, sorted(edit.articles), repo.UPSERT)
        self._indexing.drain()
