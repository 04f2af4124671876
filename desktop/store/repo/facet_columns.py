"""Where the store finds each facet's values (one table): the columns counted and filtered, and how a value is folded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import QueryableAttribute, Session

from desktop.core.facets import NAMES
from desktop.core.text import fold
from desktop.store.models import Annotation, AnnotationTag, Article, ArticleTag, Tag
from desktop.store.repo.common import folded_path


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
        folded: ``key`` folds case and accents, so a value is shown in the store's spelling (``spellings``).
    """

    counted: QueryableAttribute[Any]
    remembered: QueryableAttribute[Any]
    key: Callable[[Any], str | None]
    counted_links: tuple[Callable[[], Select[int, str]], ...] = field(default=())
    remembered_links: tuple[Callable[[], Select[int, str]], ...] = field(default=())
    folded: bool = False


def spellings(session: Session, name: str) -> dict[str, str]:
    """A folded facet's values (as ``key`` makes them) → the store's own spelling; empty for a facet not folded."""
    source = FACET_COLUMNS[name]
    if not source.folded:
        return {}
    spelled: dict[str, str] = {}
    for value in session.scalars(select(source.counted).distinct().order_by(source.counted)):
        found = source.key(value) if value is not None else None
        if found is not None:
            spelled[found] = str(value)
    return spelled


#: facet name → where its values are; a new facet in ``desktop.core.facets`` is one row here
FACET_COLUMNS: dict[str, FacetColumn] = {
    "agency": FacetColumn(Article.agency, Article.agency, _folded, folded=True),
    "publication": FacetColumn(Article.publication, Article.publication, _folded, folded=True),
    "year": FacetColumn(Article.date_year, Article.date_key, _year),
    # SQL counts the articles' own tags; the in-memory index also their passages' tags, as the index does
    "tag": FacetColumn(
        Tag.name, Tag.name, _folded_tag, counted_links=(_article_tags,), remembered_links=(_article_tags, _passage_tags), folded=True
    ),
    "cluster": FacetColumn(Article.cluster_id, Article.cluster_id, _text),
}
if set(FACET_COLUMNS) != set(NAMES):  # pragma: no cover - a facet added to core without saying where the store finds it
    raise RuntimeError(f"the store has no column for facets {sorted(set(NAMES) ^ set(FACET_COLUMNS))}")
