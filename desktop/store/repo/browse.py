"""Browsing: metadata filters as SQL, the table's sort orders, and the rows it shows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, not_, or_, select, true
from sqlalchemy.orm import Session

from desktop.core.facets import BY_NAME
from desktop.core.models import ArticleRow, MetaAll, MetaAny, MetaFilter, MetaNot
from desktop.store.models import Annotation, AnnotationTag, Article, ArticleTag, Note, Tag
from desktop.store.repo.articles import summaries_for
from desktop.store.repo.common import CHUNK, LIVE, folded_path
from desktop.store.repo.facet_columns import FACET_COLUMNS

#: table column -> how SQL orders by it
SORT_COLUMNS = ("title", "agency", "date", "place", "tags", "notes")


def _tag_ids(session: Session, wanted: str) -> list[int]:
    """Ids of the tag whose folded path is ``wanted`` and of all its children."""
    found = []
    for tag_id, name in session.execute(select(Tag.id, Tag.name)):
        path = folded_path(name)
        if path == wanted or path.startswith(wanted + "/"):
            found.append(tag_id)
    return found


def _single_valued(session: Session, name: str, values: tuple[str, ...]) -> ColumnElement[bool]:
    """Articles whose value of the single-valued facet ``name``, folded as the in-memory index folds it, is one of ``values``."""
    source = FACET_COLUMNS[name]
    column = source.remembered
    wanted = set(values)
    stored = [value for value in session.scalars(select(column).distinct()) if value is not None and source.key(value) in wanted]
    # IS NOT NULL: so that NOT (…) keeps the articles without a value, as the in-memory filter does
    return and_(column.is_not(None), column.in_(stored))


def filter_expression(session: Session, node: MetaFilter) -> ColumnElement[bool]:
    """The SQL condition for a metadata filter; a field that is neither a facet's, ``date`` nor ``all`` raises ValueError."""
    if isinstance(node, MetaAll):
        return and_(true(), *(filter_expression(session, child) for child in node.children))
    if isinstance(node, MetaAny):
        return or_(false(), *(filter_expression(session, child) for child in node.children))
    if isinstance(node, MetaNot):
        return not_(filter_expression(session, node.child))
    if node.field == "all":
        return true()
    if node.field == "date":
        low, high = node.values
        clauses: list[ColumnElement[bool]] = [Article.date_key.is_not(None)]
        if low:
            clauses.append(Article.date_key >= low)
        if high:
            clauses.append(Article.date_key <= high)
        return and_(*clauses)
    facet = BY_NAME.get(node.field)
    if facet is None:
        raise ValueError(f"no metadata filter on {node.field!r}")
    if not facet.multi_valued:
        return _single_valued(session, node.field, node.values)
    if node.field != "tag":  # pragma: no cover - a multi-valued facet says here how its links are filtered
        raise ValueError(f"no metadata filter on the multi-valued facet {node.field!r}")
    tag_ids = [tag_id for value in node.values for tag_id in _tag_ids(session, value)]
    tagged = select(ArticleTag.article_id).where(ArticleTag.tag_id.in_(tag_ids))
    annotated = (
        select(Annotation.article_id)
        .join(AnnotationTag, AnnotationTag.annotation_id == Annotation.id)
        .where(AnnotationTag.tag_id.in_(tag_ids))
    )
    return or_(Article.id.in_(tagged), Article.id.in_(annotated))


def _order(column: str, descending: bool) -> list[Any]:
    notes = select(func.count(Note.id)).where(Note.article_id == Article.id).scalar_subquery()
    first_tag = (
        select(func.min(Tag.name))
        .join(ArticleTag, ArticleTag.tag_id == Tag.id)
        .where(ArticleTag.article_id == Article.id)
        .scalar_subquery()
    )
    key: Any = {
        "title": Article.title,
        "agency": Article.agency,
        "date": Article.date_key,
        "place": Article.place,
        "tags": first_tag,
        "notes": notes,
    }[column]
    # empty values last in either direction (NULLS LAST is SQL standard; SQLite still walks the index),
    # then the id, so equal values keep one order
    if descending:
        return [key.desc().nulls_last(), Article.id.desc()]
    return [key.asc().nulls_last(), Article.id.asc()]


def browse_ids(session: Session, where: MetaFilter | None, *, sort: str = "date", descending: bool = True) -> list[int]:
    """The ids of the articles matching ``where``, in table order."""
    query = select(Article.id).where(LIVE).order_by(*_order(sort, descending))
    if where is not None:
        query = query.where(filter_expression(session, where))
    return list(session.scalars(query.execution_options(yield_per=CHUNK)))


def rows_for(session: Session, ids: Sequence[int]) -> dict[int, ArticleRow]:
    """Table rows for ``ids`` in three queries, whatever their number."""
    wanted = list(ids)
    summaries = summaries_for(session, wanted)
    tags: dict[int, list[str]] = {}
    for article_id, name in session.execute(
        select(ArticleTag.article_id, Tag.name)
        .join(Tag, Tag.id == ArticleTag.tag_id)
        .where(ArticleTag.article_id.in_(wanted))
        .order_by(Tag.name)
    ):
        tags.setdefault(article_id, []).append(name)
    notes = {
        int(article_id): int(count)
        for article_id, count in session.execute(
            select(Note.article_id, func.count()).where(Note.article_id.in_(wanted)).group_by(Note.article_id)
        )
    }
    return {
        article_id: ArticleRow(summary=summary, tags=tuple(tags.get(article_id, ())), notes=int(notes.get(article_id, 0)))
        for article_id, summary in summaries.items()
    }
