"""Facets in the store: each facet's values (found through ``FACET_COLUMNS``) counted by SQL or loaded into the in-memory index."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select, true
from sqlalchemy.orm import Session

from desktop.core.facets import FACETS, Facet
from desktop.core.meta_columns import MetaColumns, rank_counts
from desktop.core.models import MetaFilter
from desktop.store.models import Article
from desktop.store.repo.browse import filter_expression
from desktop.store.repo.common import CHUNK, LIVE
from desktop.store.repo.facet_columns import FACET_COLUMNS


def _file(index: dict[str, set[int]], value: str, article_id: int, *, hierarchical: bool) -> None:
    """Put ``article_id`` under ``value`` (and under each parent of a path, for a hierarchical facet)."""
    if not hierarchical:
        index.setdefault(value, set()).add(article_id)
        return
    parts = value.split("/")
    for depth in range(1, len(parts) + 1):
        index.setdefault("/".join(parts[:depth]), set()).add(article_id)


def _linked_counts(session: Session, facet: Facet, condition: ColumnElement[bool]) -> list[tuple[str, int]]:
    members: dict[str, set[int]] = {}
    for link in FACET_COLUMNS[facet.name].counted_links:
        query = link()
        query = query.join(Article, Article.id == query.selected_columns[0]).where(condition)
        for article_id, value in session.execute(query):
            _file(members, value, article_id, hierarchical=facet.hierarchical)
    return [(value, len(ids)) for value, ids in members.items() if len(ids) >= facet.min_count]


def _column_counts(session: Session, facet: Facet, condition: ColumnElement[bool]) -> Iterable[tuple[Any, int]]:
    column = FACET_COLUMNS[facet.name].counted
    query = select(column, func.count()).where(condition, column.is_not(None)).group_by(column)
    if facet.min_count > 1:
        query = query.having(func.count() >= facet.min_count)
    return [(row[0], int(row[1])) for row in session.execute(query)]


def facet_counts(session: Session, where: MetaFilter | None) -> dict[str, list[tuple[str, int]]]:
    """Counts of each facet's values for the filtered articles (a tag path counts its children's), most first."""
    condition = and_(LIVE, filter_expression(session, where) if where is not None else true())
    counts: dict[str, list[tuple[str, int]]] = {}
    for facet in FACETS:
        pairs = _linked_counts(session, facet, condition) if facet.multi_valued else _column_counts(session, facet, condition)
        counts[facet.name] = rank_counts((str(value), int(count)) for value, count in pairs)
    return counts


def meta_columns(session: Session) -> MetaColumns:
    """The live articles' filter values, inverted and held in memory (see ``MetaColumns``)."""
    singles = [facet for facet in FACETS if not facet.multi_valued]
    keys = [FACET_COLUMNS[facet.name].key for facet in singles]
    by_facet: dict[str, dict[str, set[int]]] = {facet.name: {} for facet in FACETS}
    ids: set[int] = set()
    dates: list[tuple[str, int]] = []
    columns = [FACET_COLUMNS[facet.name].remembered.label(f"facet_{facet.name}") for facet in singles]
    query = select(Article.id, Article.date_key, *columns).where(LIVE).execution_options(yield_per=CHUNK)
    for article_id, date_key, *values in session.execute(query):
        ids.add(article_id)
        if date_key:
            dates.append((date_key, article_id))
        for facet, key, value in zip(singles, keys, values, strict=True):
            found = key(value)
            if found is not None:
                _file(by_facet[facet.name], found, article_id, hierarchical=facet.hierarchical)
    for facet in FACETS:
        if not facet.multi_valued:
            continue
        source = FACET_COLUMNS[facet.name]
        for link in source.remembered_links:
            for article_id, value in session.execute(link()).all():
                found = source.key(value)
                if article_id in ids and found is not None:
                    _file(by_facet[facet.name], found, article_id, hierarchical=facet.hierarchical)
    return MetaColumns(frozenset(ids), by_facet, sorted(dates))
