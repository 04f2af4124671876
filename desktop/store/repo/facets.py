"""Facets in the store: where each facet's values are (one table), counted by SQL or loaded into the in-memory index."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select, true
from sqlalchemy.orm import QueryableAttribute, Session

from desktop.core.facets import FACETS, NAMES, Facet
from desktop.core.meta_columns import MetaColumns, rank_counts
from desktop.core.models import MetaFilter
from desktop.core.text import fold
from desktop.store.models import Annotation, AnnotationTag, Article, ArticleTag, Tag
from desktop.store.repo.browse import filter_expression
from desktop.store.repo.common import CHUNK, LIVE, folded_path


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _folded(value: str | None) -> str | None:
    return fold(value) if value else None


def _year(date_key: str | None) -> str | None:
    # a month-day without a year ("--07-03") has no year
    return date_key[:4] if date_key and date_key[:4].isdigit() else None


def _folded_tag(name: str) -> str:
    return folded_path(name)


def _article_tags() -> Select[int, str]:
    return select(ArticleTag.article_id, Tag.name).join(Tag, Tag.id == ArticleTag.tag_id)


def _passage_tags() -> Select[int, str]:
    return (
        select(Annotation.article_id, Tag.name)
        .join(AnnotationTag, AnnotationTag.annotation_id == Annotation.id)
        .join(Tag, Tag.id == AnnotationTag.tag_id)
    )


@dataclass(frozen=True, slots=True)
class FacetColumn:
    """Where the store finds the values of one facet of ``desktop.core.facets``.

    Attributes:
        counted: what SQL facet counts group by (a column of ``articles``, or the value of ``counted_links``).
        remembered: the column the in-memory index reads (of ``articles``, or the value of ``remembered_links``).
        key: the in-memory index's key for a value of ``remembered`` (None: the article has no value).
        counted_links: for a multi-valued facet, selects of ``(article id, value)`` pairs that SQL counts.
        remembered_links: the same for the in-memory index.
    """

    counted: QueryableAttribute[Any]
    remembered: QueryableAttribute[Any]
    key: Callable[[Any], str | None]
    counted_links: tuple[Callable[[], Select[int, str]], ...] = field(default=())
    remembered_links: tuple[Callable[[], Select[int, str]], ...] = field(default=())


#: facet name → where its values are; a new facet in ``desktop.core.facets`` is one row here
FACET_COLUMNS: dict[str, FacetColumn] = {
    "agency": FacetColumn(Article.agency, Article.agency, _folded),
    "publication": FacetColumn(Article.publication, Article.publication, _folded),
    "year": FacetColumn(Article.date_year, Article.date_key, _year),
    # SQL counts the articles' own tags; the in-memory index also their passages' tags, as the index does
    "tag": FacetColumn(Tag.name, Tag.name, _folded_tag, counted_links=(_article_tags,), remembered_links=(_article_tags, _passage_tags)),
    "cluster": FacetColumn(Article.cluster_id, Article.cluster_id, _text),
}
if set(FACET_COLUMNS) != set(NAMES):  # pragma: no cover - a facet added to core without saying where the store finds it
    raise RuntimeError(f"the store has no column for facets {sorted(set(NAMES) ^ set(FACET_COLUMNS))}")


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
