"""Undo and redo for every edit: the rows an action touched, before and after, restorable either way.

An action names the rows it may touch (its scope); the rows are read before and after it, and the
difference is its :class:`Edit`. Undo writes the "before" rows back, redo the "after" rows; ids and
times are restored exactly, so an undone action leaves the tables as they were.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, and_, delete, insert, select, tuple_, update
from sqlalchemy.orm import Session

from desktop.store.dialect import dialect_of
from desktop.store.models import Annotation, Base

#: parents before children: inserts go in this order, deletes in the reverse
TABLE_ORDER = ("tags", "articles", "notes", "annotations", "article_tags", "annotation_tags")

Row = dict[str, Any]
Key = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class RowChange:
    table: str
    key: Key
    before: Row | None
    after: Row | None


@dataclass(slots=True)
class Edit:
    """One user action as row changes; ``articles`` are the ones whose index entry must be rewritten."""

    label: str
    changes: list[RowChange] = field(default_factory=list)
    articles: set[int] = field(default_factory=set)
    created: int | None = None  # the id of what the action created (a note, an annotation), if any

    @property
    def empty(self) -> bool:
        return not self.changes


@dataclass(frozen=True, slots=True)
class Scope:
    """The rows an action may touch: whole tables, or rows of some articles."""

    articles: tuple[int, ...] = ()
    whole_tables: tuple[str, ...] = ()
    article_tables: tuple[str, ...] = ("article_tags", "notes", "annotations", "annotation_tags", "articles")


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _key(table: Table, row: Row) -> Key:
    return tuple(row[column.name] for column in table.primary_key.columns)


def snapshot(session: Session, scope: Scope) -> dict[tuple[str, Key], Row]:
    rows: dict[tuple[str, Key], Row] = {}
    ids = list(scope.articles)
    for name in TABLE_ORDER:
        table = _table(name)
        if name in scope.whole_tables:
            query = select(table)
        elif name in scope.article_tables and ids:
            if name == "articles":
                query = select(table).where(table.c.id.in_(ids))
            elif name == "annotation_tags":
                annotations = select(Annotation.id).where(Annotation.article_id.in_(ids))
                query = select(table).where(table.c.annotation_id.in_(annotations))
            else:
                query = select(table).where(table.c.article_id.in_(ids))
        else:
            continue
        for mapping in session.execute(query).mappings():
            row = dict(mapping)
            rows[(name, _key(table, row))] = row
    return rows


def difference(before: dict[tuple[str, Key], Row], after: dict[tuple[str, Key], Row]) -> list[RowChange]:
    changes = []
    for where in before.keys() | after.keys():
        old, new = before.get(where), after.get(where)
        if old != new:
            changes.append(RowChange(where[0], where[1], old, new))
    return changes


def _apply(session: Session, changes: Sequence[RowChange], *, backwards: bool) -> None:
    def target(change: RowChange) -> Row | None:
        return change.before if backwards else change.after

    def source(change: RowChange) -> Row | None:
        return change.after if backwards else change.before

    dialect_of(session).defer_constraints(session)
    by_order = sorted(changes, key=lambda change: (TABLE_ORDER.index(change.table), change.key))
    # 1. rows that stay get their values (a tag moves back under its old parent) ...
    for change in by_order:
        row = target(change)
        if row is not None and source(change) is not None:
            table = _table(change.table)
            session.execute(update(table).where(tuple_(*table.primary_key.columns) == tuple_(*change.key)).values(**row))
    # 2. ... before rows go, so a cascading delete finds no child that should stay (children first) ...
    for change in reversed(by_order):
        if target(change) is None:
            table = _table(change.table)
            columns = list(table.primary_key.columns)
            session.execute(delete(table).where(and_(*(column == value for column, value in zip(columns, change.key, strict=True)))))
    # 3. ... and rows come back last (parents first), when no row that goes holds their unique names
    for change in by_order:
        row = target(change)
        if row is not None and source(change) is None:
            session.execute(insert(_table(change.table)).values(**row))


def undo(session: Session, edit: Edit) -> None:
    _apply(session, edit.changes, backwards=True)


def redo(session: Session, edit: Edit) -> None:
    _apply(session, edit.changes, backwards=False)


def dump_tables(session: Session, names: Sequence[str]) -> dict[str, list[Row]]:
    """Every row of the named tables, as column → value."""
    return {name: [dict(row) for row in session.execute(select(_table(name))).mappings()] for name in names}


def load_tables(session: Session, tables: dict[str, list[Row]], order: Sequence[str]) -> None:
    """Insert the rows of ``tables`` as they are, ids included (into an archive that has none of them)."""
    dialect_of(session).defer_constraints(session)
    for name in order:
        rows = tables.get(name, [])
        if rows:
            session.execute(insert(_table(name)), rows)


def touched_articles(changes: Iterable[RowChange]) -> set[int]:
    """Articles whose index entry depends on the changed rows."""
    found: set[int] = set()
    for change in changes:
        for row in (change.before, change.after):
            if row is None:
                continue
            if change.table == "articles":
                found.add(int(row["id"]))
            elif "article_id" in row:
                found.add(int(row["article_id"]))
    return found
