"""Articles and their originals: insert, replace, read (summaries, details, texts for the index), edit."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from desktop.core.errors import ArticleNotFoundError
from desktop.core.models import ArticleDetail, ArticleSummary, ArticleText, ParsedArticle, Span
from desktop.store.models import Annotation, AnnotationTag, Article, ArticleTag, Note, Original, Tag, utcnow
from desktop.store.repo.common import LIVE, SUMMARY_COLUMNS, UPSERT, date_of, iso_time, spans_of, summary_of
from desktop.store.repo.index_queue import enqueue
from desktop.store.repo.tags import ensure_tag


def _article_values(article: ParsedArticle, text_hash: str) -> dict[str, Any]:
    """The columns of ``articles`` that come from parsing a text."""
    return {
        "title": article.title,
        "title_kind": article.title_kind,
        "agency": article.agency,
        "place": article.place,
        "author": article.author,
        "publication": article.publication,
        "date_year": article.date.year,
        "date_month": article.date.month,
        "date_day": article.date.day,
        "date_precision": article.date.precision,
        "date_key": article.date.iso(),
        "text": article.text,
        "boilerplate": [span.to_json() for span in article.boilerplate],
        "text_hash": text_hash,
    }


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


def count_articles(session: Session) -> int:
    """Articles not in the trash."""
    return session.scalar(select(func.count()).select_from(Article).where(LIVE)) or 0


def count_all_articles(session: Session) -> int:
    """Articles, the trashed ones included."""
    return session.scalar(select(func.count()).select_from(Article)) or 0


def article_ids(session: Session) -> list[int]:
    """Ids of the articles not in the trash: what the index must hold."""
    return list(session.scalars(select(Article.id).where(LIVE).order_by(Article.id)))


def summaries_for(session: Session, ids: Sequence[int]) -> dict[int, ArticleSummary]:
    """Summaries of ``ids`` from only the columns they show (not the texts)."""
    return {row.id: summary_of(row) for row in session.execute(select(*SUMMARY_COLUMNS).where(Article.id.in_(list(ids))))}


def list_summaries(session: Session, *, offset: int = 0, limit: int | None = None) -> list[ArticleSummary]:
    query = select(*SUMMARY_COLUMNS).where(LIVE).order_by(Article.id).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [summary_of(row) for row in session.execute(query)]


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
        summary=summary_of(row),
        text=row.text,
        sha256=original.sha256,
        source=original.source,
        original_name=original.original_name,
        encoding=original.encoding,
        url=row.url,
        boilerplate=spans_of(row.boilerplate),
        cluster=cluster,
        tags=tags,
        imported_at=iso_time(row.imported_at),
        modified_at=iso_time(row.modified_at),
    )


def original_bytes(session: Session, article_id: int) -> bytes:
    data = session.scalar(select(Original.data).join(Article, Article.original_id == Original.id).where(Article.id == article_id))
    if data is None:
        raise ArticleNotFoundError(f"No article has id {article_id}.")
    return data


def article_text(session: Session, article_id: int) -> str:
    text = session.scalar(select(Article.text).where(Article.id == article_id))
    if text is None:
        raise ArticleNotFoundError(f"No article has id {article_id}.")
    return text


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
            boilerplate=spans_of(row.boilerplate),
            agency=row.agency,
            place=row.place,
            date=date_of(row).iso(),
            year=row.date_year,
            cluster_id=row.cluster_id,
            tags=tuple(sorted(set(tags.get(row.id, ())))),
            notes=tuple(notes.get(row.id, ())),
            annotations=tuple(annotations.get(row.id, ())),
            publication=row.publication,
        )
        for row in rows
    ]


def cluster_members(session: Session, article_id: int) -> list[int]:
    """The ids in ``article_id``'s near-duplicate cluster, itself included (just itself when in none)."""
    cluster_id = session.scalar(select(Article.cluster_id).where(Article.id == article_id))
    if cluster_id is None:
        return [article_id]
    return list(session.scalars(select(Article.id).where(Article.cluster_id == cluster_id).order_by(Article.id)))


def update_text(session: Session, article_id: int, text: str, boilerplate: Sequence[Span], text_hash: str) -> None:
    session.execute(
        update(Article)
        .where(Article.id == article_id)
        .values(text=text, boilerplate=[span.to_json() for span in boilerplate], text_hash=text_hash, modified_at=utcnow())
    )


def update_details(session: Session, article_id: int, values: dict[str, object]) -> None:
    session.execute(update(Article).where(Article.id == article_id).values(**values, modified_at=utcnow()))


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
