"""The trash: articles put in it and taken out, and deleting them for good."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from desktop.store.models import Annotation, AnnotationTag, Article, ArticleTag, Note, Original, SimilarityBucket, utcnow


def trashed_ids(session: Session) -> list[int]:
    return list(session.scalars(select(Article.id).where(Article.trashed_at.is_not(None)).order_by(Article.trashed_at.desc(), Article.id)))


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
