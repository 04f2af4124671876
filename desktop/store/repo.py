"""Repository functions: a session first, plain ``core`` records out; no SQL outside this package."""

from __future__ import annotations

import datetime as dt
import sys
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, false, func, insert, not_, or_, select, true, update
from sqlalchemy.orm import Session

from desktop.core.errors import ArticleNotFoundError
from desktop.core.models import (
    AnnotationRecord,
    ArticleDetail,
    ArticleRow,
    ArticleSummary,
    ArticleText,
    MetaAll,
    MetaAny,
    MetaFilter,
    MetaNot,
    NoteRecord,
    ParsedArticle,
    PartialDate,
    Span,
    TagRecord,
)
from desktop.core.text import fold
from desktop.store.models import (
    Annotation,
    AnnotationTag,
    Article,
    ArticleTag,
    Base,
    IndexQueue,
    NameVariant,
    Note,
    Original,
    SavedSearch,
    Setting,
    SimilarityBucket,
    Tag,
    utcnow,
)

UPSERT = "upsert"
# Rows are fetched this many at a time where there may be 100,000: one fetchall() of them all builds the
# Python rows in one C call that holds the interpreter lock, and the window's event loop waits for it.
CHUNK = 2000
DELETE = "delete"


def _date(row: Any) -> PartialDate:
    """The date of an ``Article``, or of a row selected with its date columns."""
    return PartialDate(row.date_year, row.date_month, row.date_day)


def _spans(raw: Iterable[dict[str, Any]]) -> tuple[Span, ...]:
    return tuple(Span(int(item["start"]), int(item["end"]), str(item["kind"])) for item in raw)


def _summary(row: Any) -> ArticleSummary:
    """The summary of an ``Article``, or of a row of ``SUMMARY_COLUMNS``."""
    date = _date(row)
    return ArticleSummary(
        id=row.id,
        title=row.title,
        title_kind=row.title_kind,
        agency=row.agency,
        place=row.place,
        date=date.iso(),
        date_precision=date.precision,
    )


def _iso(value: dt.datetime) -> str:
    return value.replace(microsecond=0).isoformat() + "Z"


def _article_values(article: ParsedArticle, text_hash: str) -> dict[str, Any]:
    """The columns of ``articles`` that come from parsing a text."""
    return {
        "title": article.title,
        "title_kind": article.title_kind,
        "agency": article.agency,
        "place": article.place,
        "date_year": article.date.year,
        "date_month": article.date.month,
        "date_day": article.date.day,
        "date_precision": article.date.precision,
        "date_key": article.date.iso(),
        "text": article.text,
        "boilerplate": [span.to_json() for span in article.boilerplate],
        "text_hash": text_hash,
    }


def find_by_text_hash(session: Session, text_hash: str) -> int | None:
    return session.scalar(select(Article.id).where(Article.text_hash == text_hash))


def insert_article(
    session: Session,
    article: ParsedArticle,
    *,
    data: bytes,
    sha256: str,
    original_name: str,
    source: str,
    encoding: str,
    text_hash: str,
    minhash: bytes | None,
) -> int:
    """Insert the original, the article, its tags and an index-queue row; return the article id."""
    original_id = session.scalar(
        insert(Original)
        .values(sha256=sha256, data=data, original_name=original_name, source=source, encoding=encoding, size=len(data))
        .returning(Original.id)
    )
    now = utcnow()
    article_id = session.scalar(
        insert(Article)
        .values(
            original_id=original_id,
            **_article_values(article, text_hash),
            minhash=minhash,
            url=article.url,
            imported_at=now,
            modified_at=now,
        )
        .returning(Article.id)
    )
    if article_id is None:
        raise RuntimeError("the database returned no id for the new article")
    article_id = int(article_id)
    for name in article.tags:
        session.execute(insert(ArticleTag).values(article_id=article_id, tag_id=ensure_tag(session, name)))
    enqueue(session, [article_id], UPSERT)
    return article_id


def find_by_source(session: Session, source: str) -> int | None:
    """The live article last imported from ``source`` (a path, or ``path:line`` in a JSONL file)."""
    return session.scalar(
        select(Article.id)
        .join(Original, Original.id == Article.original_id)
        .where(Original.source == source, LIVE)
        .order_by(Article.id.desc())
        .limit(1)
    )


def replace_source(
    session: Session, article_id: int, article: ParsedArticle, *, data: bytes, sha256: str, encoding: str, text_hash: str
) -> None:
    """Point an article at a corrected original and take its text and metadata; the old original is kept."""
    previous = session.get(Original, session.scalar(select(Article.original_id).where(Article.id == article_id)))
    assert previous is not None
    original_id = session.execute(
        insert(Original)
        .values(sha256=sha256, data=data, original_name=previous.original_name, source=previous.source, encoding=encoding, size=len(data))
        .returning(Original.id)
    ).scalar_one()
    session.execute(
        update(Article)
        .where(Article.id == article_id)
        .values(
            original_id=original_id,
            **_article_values(article, text_hash),
            modified_at=utcnow(),
        )
    )


def ensure_tag(session: Session, name: str) -> int:
    """The id of tag ``name`` (a ``/`` path), creating it and its parents as needed."""
    parts = [part.strip() for part in name.split("/") if part.strip()]
    parent_id: int | None = None
    tag_id: int | None = None
    for depth in range(1, len(parts) + 1):
        path = "/".join(parts[:depth])
        tag_id = session.scalar(select(Tag.id).where(Tag.name == path))
        if tag_id is None:
            tag_id = int(session.execute(insert(Tag).values(name=path, parent_id=parent_id).returning(Tag.id)).scalar_one())
        parent_id = tag_id
    if tag_id is None:
        raise ValueError("a tag needs a name")
    return tag_id


def add_similarity_buckets(session: Session, article_id: int, keys: Sequence[tuple[int, int]]) -> None:
    if keys:
        session.execute(insert(SimilarityBucket), [{"article_id": article_id, "band": band, "bucket": bucket} for band, bucket in keys])


def similarity_candidates(session: Session, keys: Sequence[tuple[int, int]]) -> list[tuple[int, bytes, int | None]]:
    """Articles sharing at least one band bucket: ``(id, minhash, cluster_id)``."""
    if not keys:
        return []
    ids: set[int] = set()
    for band, bucket in keys:
        ids.update(
            session.scalars(select(SimilarityBucket.article_id).where(SimilarityBucket.band == band, SimilarityBucket.bucket == bucket))
        )
    if not ids:
        return []
    rows = session.execute(select(Article.id, Article.minhash, Article.cluster_id).where(Article.id.in_(ids)))
    return [(row.id, row.minhash, row.cluster_id) for row in rows if row.minhash is not None]


def set_cluster(session: Session, article_ids: Iterable[int], cluster_id: int) -> None:
    session.execute(update(Article).where(Article.id.in_(list(article_ids))).values(cluster_id=cluster_id))


LIVE = Article.trashed_at.is_(None)


def count_articles(session: Session) -> int:
    """Articles not in the trash."""
    return session.scalar(select(func.count()).select_from(Article).where(LIVE)) or 0


def article_ids(session: Session) -> list[int]:
    """Ids of the articles not in the trash: what the index must hold."""
    return list(session.scalars(select(Article.id).where(LIVE).order_by(Article.id)))


def trashed_ids(session: Session) -> list[int]:
    return list(session.scalars(select(Article.id).where(Article.trashed_at.is_not(None)).order_by(Article.trashed_at.desc(), Article.id)))


SUMMARY_COLUMNS = (
    Article.id,
    Article.title,
    Article.title_kind,
    Article.agency,
    Article.place,
    Article.date_year,
    Article.date_month,
    Article.date_day,
)


def summaries_for(session: Session, ids: Sequence[int]) -> dict[int, ArticleSummary]:
    """Summaries of ``ids`` from only the columns they show (not the texts)."""
    return {row.id: _summary(row) for row in session.execute(select(*SUMMARY_COLUMNS).where(Article.id.in_(list(ids))))}


def list_summaries(session: Session, *, offset: int = 0, limit: int | None = None) -> list[ArticleSummary]:
    query = select(*SUMMARY_COLUMNS).where(LIVE).order_by(Article.id).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [_summary(row) for row in session.execute(query)]


def get_detail(session: Session, article_id: int) -> ArticleDetail:
    row = session.get(Article, article_id)
    if row is None:
        raise ArticleNotFoundError(f"No article has id {article_id}.")
    original = session.get(Original, row.original_id)
    assert original is not None
    cluster: tuple[int, ...] = ()
    if row.cluster_id is not None:
        cluster = tuple(session.scalars(select(Article.id).where(Article.cluster_id == row.cluster_id).order_by(Article.id)))
    tags = tuple(
        session.scalars(
            select(Tag.name).join(ArticleTag, ArticleTag.tag_id == Tag.id).where(ArticleTag.article_id == article_id).order_by(Tag.name)
        )
    )
    return ArticleDetail(
        summary=_summary(row),
        text=row.text,
        sha256=original.sha256,
        source=original.source,
        original_name=original.original_name,
        encoding=original.encoding,
        url=row.url,
        boilerplate=_spans(row.boilerplate),
        cluster=cluster,
        tags=tags,
        imported_at=_iso(row.imported_at),
        modified_at=_iso(row.modified_at),
    )


def original_bytes(session: Session, article_id: int) -> bytes:
    data = session.scalar(select(Original.data).join(Article, Article.original_id == Original.id).where(Article.id == article_id))
    if data is None:
        raise ArticleNotFoundError(f"No article has id {article_id}.")
    return data


def texts_for(session: Session, ids: Sequence[int]) -> list[ArticleText]:
    """What the index needs for ``ids`` (missing ids are left out): text, metadata, tags, notes, annotations."""
    wanted = list(ids)
    rows = list(session.scalars(select(Article).where(Article.id.in_(wanted), LIVE).order_by(Article.id)))
    tags: dict[int, list[str]] = {}
    for article_id, name in session.execute(
        select(ArticleTag.article_id, Tag.name).join(Tag, Tag.id == ArticleTag.tag_id).where(ArticleTag.article_id.in_(wanted))
    ):
        tags.setdefault(article_id, []).append(name)
    for article_id, name in session.execute(
        select(Annotation.article_id, Tag.name)
        .join(AnnotationTag, AnnotationTag.annotation_id == Annotation.id)
        .join(Tag, Tag.id == AnnotationTag.tag_id)
        .where(Annotation.article_id.in_(wanted))
    ):
        tags.setdefault(article_id, []).append(name)
    notes: dict[int, list[str]] = {}
    for article_id, body in session.execute(select(Note.article_id, Note.body).where(Note.article_id.in_(wanted)).order_by(Note.id)):
        notes.setdefault(article_id, []).append(body)
    annotations: dict[int, list[str]] = {}
    for article_id, note in session.execute(
        select(Annotation.article_id, Annotation.note).where(Annotation.article_id.in_(wanted)).order_by(Annotation.id)
    ):
        if note:
            annotations.setdefault(article_id, []).append(note)
    return [
        ArticleText(
            id=row.id,
            title=row.title,
            text=row.text,
            boilerplate=_spans(row.boilerplate),
            agency=row.agency,
            place=row.place,
            date=_date(row).iso(),
            year=row.date_year,
            cluster_id=row.cluster_id,
            tags=tuple(sorted(set(tags.get(row.id, ())))),
            notes=tuple(notes.get(row.id, ())),
            annotations=tuple(annotations.get(row.id, ())),
        )
        for row in rows
    ]


def cluster_members(session: Session, article_id: int) -> list[int]:
    """The ids in ``article_id``'s near-duplicate cluster, itself included (just itself when in none)."""
    cluster_id = session.scalar(select(Article.cluster_id).where(Article.id == article_id))
    if cluster_id is None:
        return [article_id]
    return list(session.scalars(select(Article.id).where(Article.cluster_id == cluster_id).order_by(Article.id)))


def tag_names(session: Session) -> list[str]:
    return list(session.scalars(select(Tag.name).order_by(Tag.name)))


def agency_names(session: Session) -> list[str]:
    return [name for name in session.scalars(select(Article.agency).distinct()) if name]


# browsing ------------------------------------------------------------------------------------------------

#: table column -> how SQL orders by it
SORT_COLUMNS = ("title", "agency", "date", "place", "tags", "notes")


def _tag_ids(session: Session, folded_path: str) -> list[int]:
    """Ids of the tag whose folded path is ``folded_path`` and of all its children."""
    found = []
    for tag_id, name in session.execute(select(Tag.id, Tag.name)):
        path = "/".join(fold(part.strip()) for part in name.split("/"))
        if path == folded_path or path.startswith(folded_path + "/"):
            found.append(tag_id)
    return found


def _filter_expression(session: Session, node: MetaFilter) -> ColumnElement[bool]:
    if isinstance(node, MetaAll):
        return and_(true(), *(_filter_expression(session, child) for child in node.children))
    if isinstance(node, MetaAny):
        return or_(false(), *(_filter_expression(session, child) for child in node.children))
    if isinstance(node, MetaNot):
        return not_(_filter_expression(session, node.child))
    if node.field == "all":
        return true()
    if node.field == "agency":
        names = [name for name in agency_names(session) if fold(name) in node.values]
        return Article.agency.in_(names)
    if node.field == "cluster":
        return Article.cluster_id.in_([int(value) for value in node.values])
    if node.field == "date":
        low, high = node.values
        clauses: list[ColumnElement[bool]] = [Article.date_key.is_not(None)]
        if low:
            clauses.append(Article.date_key >= low)
        if high:
            clauses.append(Article.date_key <= high)
        return and_(*clauses)
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
        query = query.where(_filter_expression(session, where))
    return list(session.scalars(query.execution_options(yield_per=CHUNK)))


@dataclass(frozen=True, slots=True)
class MetaColumns:
    """What metadata filters look at, inverted (value → ids) and held in memory, to narrow without SQL."""

    all_ids: frozenset[int]
    by_agency: dict[str, set[int]]  # folded agency
    by_cluster: dict[str, set[int]]
    by_tag: dict[str, set[int]]  # folded tag paths and their parents, from articles and their annotations
    dates: list[tuple[str, int]]  # (date key, id), sorted
    by_year: dict[str, set[int]]

    def facet_counts(self, ids: set[int]) -> dict[str, list[tuple[str, int]]]:
        """How many of ``ids`` have each agency (folded), year, tag path (folded) and cluster, most first."""

        def ranked(index: dict[str, set[int]]) -> list[tuple[str, int]]:
            pairs = ((value, len(members & ids)) for value, members in index.items())
            return sorted(((value, count) for value, count in pairs if count), key=lambda pair: (-pair[1], pair[0]))

        return {
            "agency": ranked(self.by_agency),
            "year": ranked(self.by_year),
            "cluster": ranked(self.by_cluster),
            "tag": ranked(self.by_tag),
        }

    def matching(self, node: MetaFilter) -> set[int]:
        """The ids passing a filter, by set operations (the same answers as the SQL of ``browse_ids``)."""
        if isinstance(node, MetaAll):
            found = set(self.all_ids)
            for child in node.children:
                found &= self.matching(child)
            return found
        if isinstance(node, MetaAny):
            return set().union(*(self.matching(child) for child in node.children))
        if isinstance(node, MetaNot):
            return set(self.all_ids) - self.matching(node.child)
        if node.field == "all":
            return set(self.all_ids)
        if node.field in ("agency", "cluster", "tag"):
            index = {"agency": self.by_agency, "cluster": self.by_cluster, "tag": self.by_tag}[node.field]
            return set().union(*(index.get(value, set()) for value in node.values))
        low, high = node.values
        first = bisect_left(self.dates, (low,)) if low else 0
        last = bisect_right(self.dates, (high, sys.maxsize)) if high else len(self.dates)
        return {article_id for _key, article_id in self.dates[first:last]}


def meta_columns(session: Session) -> MetaColumns:
    ids: set[int] = set()
    by_agency: dict[str, set[int]] = {}
    by_cluster: dict[str, set[int]] = {}
    dates: list[tuple[str, int]] = []
    columns = select(Article.id, Article.agency, Article.date_key, Article.cluster_id).where(LIVE).execution_options(yield_per=CHUNK)
    for article_id, name, key, cluster_id in session.execute(columns):
        ids.add(article_id)
        if name:
            by_agency.setdefault(fold(name), set()).add(article_id)
        if key:
            dates.append((key, article_id))
        if cluster_id is not None:
            by_cluster.setdefault(str(cluster_id), set()).add(article_id)
    by_tag: dict[str, set[int]] = {}
    tag_rows = list(session.execute(select(ArticleTag.article_id, Tag.name).join(Tag, Tag.id == ArticleTag.tag_id)).all())
    tag_rows += session.execute(
        select(Annotation.article_id, Tag.name)
        .join(AnnotationTag, AnnotationTag.annotation_id == Annotation.id)
        .join(Tag, Tag.id == AnnotationTag.tag_id)
    ).all()
    for article_id, name in tag_rows:
        if article_id not in ids:
            continue
        parts = [fold(part.strip()) for part in name.split("/")]
        for depth in range(1, len(parts) + 1):
            by_tag.setdefault("/".join(parts[:depth]), set()).add(article_id)
    by_year: dict[str, set[int]] = {}
    for key, article_id in dates:
        if key[:4].isdigit():  # a month-day without a year ("-07-03") has no year
            by_year.setdefault(key[:4], set()).add(article_id)
    return MetaColumns(frozenset(ids), by_agency, by_cluster, by_tag, sorted(dates), by_year)


def facet_counts(session: Session, where: MetaFilter | None) -> dict[str, list[tuple[str, int]]]:
    """Counts by agency, year, tag (parents include their children) and cluster, for the filtered articles."""
    condition = and_(LIVE, _filter_expression(session, where) if where is not None else true())
    agencies = session.execute(select(Article.agency, func.count()).where(condition, Article.agency.is_not(None)).group_by(Article.agency))
    years = session.execute(
        select(Article.date_year, func.count()).where(condition, Article.date_year.is_not(None)).group_by(Article.date_year)
    )
    clusters = session.execute(
        select(Article.cluster_id, func.count())
        .where(condition, Article.cluster_id.is_not(None))
        .group_by(Article.cluster_id)
        .having(func.count() > 1)
    )
    tag_rows = session.execute(
        select(ArticleTag.article_id, Tag.name)
        .join(Tag, Tag.id == ArticleTag.tag_id)
        .join(Article, Article.id == ArticleTag.article_id)
        .where(condition)
    )
    tagged: dict[str, set[int]] = {}
    for article_id, name in tag_rows:
        parts = name.split("/")
        for depth in range(1, len(parts) + 1):
            tagged.setdefault("/".join(parts[:depth]), set()).add(article_id)

    def ranked(pairs: Iterable[tuple[Any, int]]) -> list[tuple[str, int]]:
        return sorted(((str(value), int(count)) for value, count in pairs), key=lambda pair: (-pair[1], pair[0]))

    return {
        "agency": ranked(agencies),
        "year": ranked(years),
        "tag": ranked((name, len(ids)) for name, ids in tagged.items()),
        "cluster": ranked(clusters),
    }


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


# notes and annotations --------------------------------------------------------------------------------


def article_text(session: Session, article_id: int) -> str:
    text = session.scalar(select(Article.text).where(Article.id == article_id))
    if text is None:
        raise ArticleNotFoundError(f"No article has id {article_id}.")
    return text


def insert_note(session: Session, article_id: int, body: str) -> int:
    now = utcnow()
    note_id = session.execute(
        insert(Note).values(article_id=article_id, body=body, created_at=now, modified_at=now).returning(Note.id)
    ).scalar_one()
    return int(note_id)


def insert_annotation(
    session: Session, article_id: int, *, exact: str, prefix: str, suffix: str, start: int, end: int, note: str, tags: Sequence[str]
) -> int:
    now = utcnow()
    annotation_id = session.execute(
        insert(Annotation)
        .values(
            article_id=article_id,
            exact=exact,
            prefix=prefix,
            suffix=suffix,
            start=start,
            end=end,
            note=note,
            status="anchored",
            created_at=now,
            modified_at=now,
        )
        .returning(Annotation.id)
    ).scalar_one()
    for name in dict.fromkeys(tags):
        session.execute(insert(AnnotationTag).values(annotation_id=annotation_id, tag_id=ensure_tag(session, name)))
    return int(annotation_id)


def change_article_tags(session: Session, article_ids: Sequence[int], add: Sequence[str], remove: Sequence[str]) -> None:
    ids = list(dict.fromkeys(article_ids))
    for name in add:
        tag_id = ensure_tag(session, name)
        have = set(session.scalars(select(ArticleTag.article_id).where(ArticleTag.tag_id == tag_id, ArticleTag.article_id.in_(ids))))
        rows = [{"article_id": article_id, "tag_id": tag_id} for article_id in ids if article_id not in have]
        if rows:
            session.execute(insert(ArticleTag), rows)
    for name in remove:
        found = session.scalar(select(Tag.id).where(Tag.name == name))
        if found is not None:
            session.execute(delete(ArticleTag).where(ArticleTag.tag_id == found, ArticleTag.article_id.in_(ids)))


def annotation_tag_count(session: Session, tag_ids: Sequence[int]) -> int:
    return session.scalar(select(func.count()).select_from(AnnotationTag).where(AnnotationTag.tag_id.in_(tag_ids))) or 0


def rename_tag(session: Session, old: str, new: str) -> None:
    """Rename ``old`` and its children to sit under ``new``, creating ``new``'s parents as needed."""
    parent_path = new.rpartition("/")[0]
    parent_id = ensure_tag(session, parent_path) if parent_path else None
    for tag in tag_subtree(session, old):
        renamed = new + tag.name[len(old) :]
        values: dict[str, object] = {"name": renamed}
        if tag.name == old:
            values["parent_id"] = parent_id
        session.execute(update(Tag).where(Tag.id == tag.id).values(**values))


def merge_tag(session: Session, source: str, target: str) -> None:
    """Move every use of ``source`` (and its children, to the same place under ``target``), then delete ``source``."""
    for tag in sorted(tag_subtree(session, source), key=lambda t: t.name.count("/")):
        target_id = ensure_tag(session, target + tag.name[len(source) :])
        for link, column in ((ArticleTag, ArticleTag.article_id), (AnnotationTag, AnnotationTag.annotation_id)):
            moving = set(session.scalars(select(column).where(link.tag_id == tag.id)))
            present = set(session.scalars(select(column).where(link.tag_id == target_id)))
            session.execute(delete(link).where(link.tag_id == tag.id))
            rows = [{column.key: owner, "tag_id": target_id} for owner in sorted(moving - present)]
            if rows:
                session.execute(insert(link), rows)
    delete_tag(session, source)


def delete_tag(session: Session, name: str) -> None:
    tags = tag_subtree(session, name)
    ids = [tag.id for tag in tags]
    session.execute(delete(ArticleTag).where(ArticleTag.tag_id.in_(ids)))
    session.execute(delete(AnnotationTag).where(AnnotationTag.tag_id.in_(ids)))
    for tag in sorted(tags, key=lambda t: -t.name.count("/")):  # children before parents
        session.execute(delete(Tag).where(Tag.id == tag.id))


def set_tag_colour(session: Session, name: str, colour: str | None) -> bool:
    result = session.execute(update(Tag).where(Tag.name == name).values(color=colour))
    return bool(getattr(result, "rowcount", 0))


def note_article(session: Session, note_id: int) -> int | None:
    return session.scalar(select(Note.article_id).where(Note.id == note_id))


def update_note(session: Session, note_id: int, body: str) -> None:
    session.execute(update(Note).where(Note.id == note_id).values(body=body, modified_at=utcnow()))


def delete_note(session: Session, note_id: int) -> None:
    session.execute(delete(Note).where(Note.id == note_id))


def annotation_article(session: Session, annotation_id: int) -> int | None:
    return session.scalar(select(Annotation.article_id).where(Annotation.id == annotation_id))


def update_annotation(session: Session, annotation_id: int, *, note: str | None, tags: Sequence[str] | None) -> None:
    values: dict[str, object] = {"modified_at": utcnow()}
    if note is not None:
        values["note"] = note
    session.execute(update(Annotation).where(Annotation.id == annotation_id).values(**values))
    if tags is not None:
        session.execute(delete(AnnotationTag).where(AnnotationTag.annotation_id == annotation_id))
        for name in dict.fromkeys(tags):
            session.execute(insert(AnnotationTag).values(annotation_id=annotation_id, tag_id=ensure_tag(session, name)))


def delete_annotation(session: Session, annotation_id: int) -> None:
    session.execute(delete(AnnotationTag).where(AnnotationTag.annotation_id == annotation_id))
    session.execute(delete(Annotation).where(Annotation.id == annotation_id))


def set_annotation_anchor(session: Session, annotation_id: int, *, anchor: Any) -> None:
    """Move an annotation to ``anchor`` (an ``Anchor``), or mark it for review when it could not be placed."""
    if anchor is None:
        session.execute(update(Annotation).where(Annotation.id == annotation_id).values(status="needs-review"))
        return
    session.execute(
        update(Annotation)
        .where(Annotation.id == annotation_id)
        .values(exact=anchor.exact, prefix=anchor.prefix, suffix=anchor.suffix, start=anchor.start, end=anchor.end, status="anchored")
    )


def update_text(session: Session, article_id: int, text: str, boilerplate: Sequence[Span], text_hash: str) -> None:
    session.execute(
        update(Article)
        .where(Article.id == article_id)
        .values(text=text, boilerplate=[span.to_json() for span in boilerplate], text_hash=text_hash, modified_at=utcnow())
    )


def update_details(session: Session, article_id: int, values: dict[str, object]) -> None:
    session.execute(update(Article).where(Article.id == article_id).values(**values, modified_at=utcnow()))


def set_trashed(session: Session, article_ids: Sequence[int], trashed: bool) -> None:
    session.execute(update(Article).where(Article.id.in_(list(article_ids))).values(trashed_at=utcnow() if trashed else None))


def delete_articles(session: Session, article_ids: Sequence[int]) -> None:
    """Delete articles for good, with everything that hangs on them."""
    ids = list(article_ids)
    if not ids:
        return
    originals = list(session.scalars(select(Article.original_id).where(Article.id.in_(ids))))
    annotations = select(Annotation.id).where(Annotation.article_id.in_(ids))
    session.execute(delete(AnnotationTag).where(AnnotationTag.annotation_id.in_(annotations)))
    for table in (Annotation, Note, ArticleTag, SimilarityBucket):
        session.execute(delete(table).where(table.article_id.in_(ids)))
    session.execute(delete(Article).where(Article.id.in_(ids)))
    session.execute(delete(Original).where(Original.id.in_(originals)))


def notes_of(session: Session, article_id: int) -> list[NoteRecord]:
    rows = session.scalars(select(Note).where(Note.article_id == article_id).order_by(Note.id))
    return [NoteRecord(row.id, row.article_id, row.body, _iso(row.created_at), _iso(row.modified_at)) for row in rows]


def annotations_of(session: Session, article_id: int | None = None, *, needs_review: bool = False) -> list[AnnotationRecord]:
    query = select(Annotation).order_by(Annotation.article_id, Annotation.start, Annotation.id)
    if article_id is not None:
        query = query.where(Annotation.article_id == article_id)
    if needs_review:
        query = query.where(Annotation.status == "needs-review")
    rows = list(session.scalars(query))
    tags: dict[int, list[str]] = {}
    for annotation_id, name in session.execute(
        select(AnnotationTag.annotation_id, Tag.name)
        .join(Tag, Tag.id == AnnotationTag.tag_id)
        .where(AnnotationTag.annotation_id.in_([r.id for r in rows]))
    ):
        tags.setdefault(annotation_id, []).append(name)
    return [
        AnnotationRecord(
            row.id,
            row.article_id,
            row.exact,
            row.prefix,
            row.suffix,
            row.start,
            row.end,
            row.note,
            tuple(sorted(tags.get(row.id, ()))),
            row.status,
            _iso(row.created_at),
            _iso(row.modified_at),
        )
        for row in rows
    ]


def tag_records(session: Session) -> list[TagRecord]:
    article_counts = dict(session.execute(select(ArticleTag.tag_id, func.count()).group_by(ArticleTag.tag_id)).all())
    annotation_counts = dict(session.execute(select(AnnotationTag.tag_id, func.count()).group_by(AnnotationTag.tag_id)).all())
    return [
        TagRecord(row.name, row.color, int(article_counts.get(row.id, 0)), int(annotation_counts.get(row.id, 0)))
        for row in session.scalars(select(Tag).order_by(Tag.name))
    ]


def tag_subtree(session: Session, name: str) -> list[Tag]:
    """The tag ``name`` and every tag below it."""
    return list(
        session.scalars(select(Tag).where(or_(Tag.name == name, Tag.name.startswith(name + "/", autoescape=True))).order_by(Tag.name))
    )


def articles_with_tags(session: Session, tag_ids: Sequence[int]) -> set[int]:
    direct = set(session.scalars(select(ArticleTag.article_id).where(ArticleTag.tag_id.in_(tag_ids))))
    on_passages = set(
        session.scalars(
            select(Annotation.article_id)
            .join(AnnotationTag, AnnotationTag.annotation_id == Annotation.id)
            .where(AnnotationTag.tag_id.in_(tag_ids))
        )
    )
    return direct | on_passages


# JSON import ----------------------------------------------------------------------------------------------


def count_all_articles(session: Session) -> int:
    """Articles, the trashed ones included."""
    return session.scalar(select(func.count()).select_from(Article)) or 0


def clear_tables(session: Session, names: Sequence[str]) -> None:
    for name in names:
        session.execute(delete(Base.metadata.tables[name]))


def merge_export(session: Session, tables: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    """Add what an export holds and this archive does not: articles by their text, tags by name, the rest by content."""
    originals = {row["id"]: row for row in tables["originals"]}
    article_ids: dict[int, int] = {}
    added = 0
    for row in sorted(tables["articles"], key=lambda r: r["id"]):
        existing = find_by_text_hash(session, row["text_hash"])
        if existing is not None:
            article_ids[row["id"]] = existing
            continue
        original = {key: value for key, value in originals[row["original_id"]].items() if key != "id"}
        original_id = session.execute(insert(Original).values(**original).returning(Original.id)).scalar_one()
        values = {key: value for key, value in row.items() if key not in ("id", "original_id", "cluster_id")}
        article_ids[row["id"]] = session.execute(
            insert(Article).values(**values, original_id=original_id).returning(Article.id)
        ).scalar_one()
        added += 1
    for bucket in tables["similarity_buckets"]:
        if bucket["article_id"] in article_ids and not session.get(SimilarityBucket, (article_ids[bucket["article_id"]], bucket["band"])):
            session.execute(
                insert(SimilarityBucket).values(article_id=article_ids[bucket["article_id"]], band=bucket["band"], bucket=bucket["bucket"])
            )
    tag_ids: dict[int, int] = {}
    for row in sorted(tables["tags"], key=lambda r: r["name"]):
        tag_ids[row["id"]] = ensure_tag(session, row["name"])
        if row.get("color"):
            session.execute(update(Tag).where(Tag.id == tag_ids[row["id"]], Tag.color.is_(None)).values(color=row["color"]))
    for link in tables["article_tags"]:
        article_id, tag_id = article_ids.get(link["article_id"]), tag_ids.get(link["tag_id"])
        if article_id is not None and tag_id is not None and not session.get(ArticleTag, (article_id, tag_id)):
            session.execute(insert(ArticleTag).values(article_id=article_id, tag_id=tag_id))
    for note in tables["notes"]:
        article_id = article_ids.get(note["article_id"])
        if article_id is None or session.scalar(select(Note.id).where(Note.article_id == article_id, Note.body == note["body"])):
            continue
        session.execute(
            insert(Note).values(article_id=article_id, body=note["body"], created_at=note["created_at"], modified_at=note["modified_at"])
        )
    annotation_ids: dict[int, int] = {}
    for annotation in tables["annotations"]:
        article_id = article_ids.get(annotation["article_id"])
        if article_id is None:
            continue
        same = session.scalar(
            select(Annotation.id).where(
                Annotation.article_id == article_id,
                Annotation.exact == annotation["exact"],
                Annotation.start == annotation["start"],
                Annotation.note == annotation["note"],
            )
        )
        if same is None:
            values = {key: value for key, value in annotation.items() if key not in ("id", "article_id")}
            same = session.execute(insert(Annotation).values(**values, article_id=article_id).returning(Annotation.id)).scalar_one()
        annotation_ids[annotation["id"]] = same
    for link in tables["annotation_tags"]:
        annotation_id, tag_id = annotation_ids.get(link["annotation_id"]), tag_ids.get(link["tag_id"])
        if annotation_id is not None and tag_id is not None and not session.get(AnnotationTag, (annotation_id, tag_id)):
            session.execute(insert(AnnotationTag).values(annotation_id=annotation_id, tag_id=tag_id))
    groups: dict[int, list[str]] = {}
    for row in tables["name_variants"]:
        groups.setdefault(row["group_id"], []).append(row["variant"])
    existing_groups = variant_groups(session)
    for names in groups.values():
        join = next((gid for gid, members in existing_groups.items() if set(members) & set(names)), None)
        add_variant_group(session, names, join)
    for saved in tables["saved_searches"]:
        if saved_search(session, saved["name"]) is None:
            session.execute(insert(SavedSearch).values(name=saved["name"], query=saved["query"], created_at=saved["created_at"]))
    return {"articles": added, "merged": len(article_ids) - added}


# name variants -------------------------------------------------------------------------------------------


def variant_groups(session: Session) -> dict[int, list[str]]:
    groups: dict[int, list[str]] = {}
    for group_id, variant in session.execute(
        select(NameVariant.group_id, NameVariant.variant).order_by(NameVariant.group_id, NameVariant.id)
    ):
        groups.setdefault(group_id, []).append(variant)
    return groups


def add_variant_group(session: Session, names: Sequence[str], join_group: int | None = None) -> int:
    """Add ``names`` to group ``join_group`` (or a new group); return the group id."""
    group_id = join_group
    if group_id is None:
        group_id = (session.scalar(select(func.max(NameVariant.group_id))) or 0) + 1
    existing = set(session.scalars(select(NameVariant.variant).where(NameVariant.group_id == group_id)))
    rows = [{"group_id": group_id, "variant": name} for name in dict.fromkeys(names) if name not in existing]
    if rows:
        session.execute(insert(NameVariant), rows)
    return group_id


def remove_variant(session: Session, name: str) -> int:
    """Remove the spelling ``name`` from every group; return how many rows went."""
    result = session.execute(delete(NameVariant).where(NameVariant.variant == name))
    return int(getattr(result, "rowcount", 0) or 0)


# saved searches -----------------------------------------------------------------------------------------


def saved_searches(session: Session) -> list[tuple[str, str]]:
    return [(row.name, row.query) for row in session.execute(select(SavedSearch.name, SavedSearch.query).order_by(SavedSearch.name))]


def saved_search(session: Session, name: str) -> str | None:
    return session.scalar(select(SavedSearch.query).where(SavedSearch.name == name))


def put_saved_search(session: Session, name: str, query: str) -> None:
    """Create the saved search ``name``, or replace its query."""
    if session.scalar(select(SavedSearch.id).where(SavedSearch.name == name)) is None:
        session.execute(insert(SavedSearch).values(name=name, query=query, created_at=utcnow()))
    else:
        session.execute(update(SavedSearch).where(SavedSearch.name == name).values(query=query))


def rename_saved_search(session: Session, old: str, new: str) -> bool:
    result = session.execute(update(SavedSearch).where(SavedSearch.name == old).values(name=new))
    return bool(getattr(result, "rowcount", 0))


def delete_saved_search(session: Session, name: str) -> bool:
    result = session.execute(delete(SavedSearch).where(SavedSearch.name == name))
    return bool(getattr(result, "rowcount", 0))


# settings ------------------------------------------------------------------------------------------------


def get_setting(session: Session, key: str) -> str | None:
    return session.scalar(select(Setting.value).where(Setting.key == key))


def put_setting(session: Session, key: str, value: str) -> None:
    if get_setting(session, key) is None:
        session.execute(insert(Setting).values(key=key, value=value))
    else:
        session.execute(update(Setting).where(Setting.key == key).values(value=value))


def iter_fixity(session: Session, batch: int = 200) -> Iterator[tuple[int, str, bytes]]:
    """``(article_id, stored sha256, original bytes)`` for every article, a batch at a time."""
    last = 0
    while True:
        rows = session.execute(
            select(Article.id, Original.sha256, Original.data)
            .join(Original, Article.original_id == Original.id)
            .where(Article.id > last)
            .order_by(Article.id)
            .limit(batch)
        ).all()
        if not rows:
            return
        for row in rows:
            yield row.id, row.sha256, row.data
        last = rows[-1].id


def enqueue(session: Session, ids: Iterable[int], op: str) -> None:
    rows = [{"article_id": article_id, "op": op} for article_id in ids]
    if rows:
        session.execute(insert(IndexQueue), rows)


def pending_queue(session: Session, limit: int) -> list[tuple[int, int, str]]:
    """The oldest ``limit`` queue rows: ``(queue_id, article_id, op)``."""
    rows = session.execute(select(IndexQueue.id, IndexQueue.article_id, IndexQueue.op).order_by(IndexQueue.id).limit(limit))
    return [(row.id, row.article_id, row.op) for row in rows]


def queue_length(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(IndexQueue)) or 0


def max_queue_id(session: Session) -> int:
    return session.scalar(select(func.max(IndexQueue.id))) or 0


def delete_queue_rows(session: Session, queue_ids: Sequence[int]) -> None:
    if queue_ids:
        session.execute(delete(IndexQueue).where(IndexQueue.id.in_(list(queue_ids))))


def delete_queue_through(session: Session, last_id: int) -> None:
    session.execute(delete(IndexQueue).where(IndexQueue.id <= last_id))
