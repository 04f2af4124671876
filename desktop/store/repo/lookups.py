"""What an import looks up: an article by its text or its source file, and near-duplicate candidates."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from desktop.store.models import Article, Original, SimilarityBucket
from desktop.store.repo.common import LIVE


def find_by_text_hash(session: Session, text_hash: str) -> int | None:
    return session.scalar(select(Article.id).where(Article.text_hash == text_hash))


def find_by_source(session: Session, source: str) -> int | None:
    """The live article last imported from ``source`` (a path, or ``path:line`` in a JSONL file)."""
    return session.scalar(
        select(Article.id)
        .join(Original, Original.id == Article.original_id)
        .where(Original.source == source, LIVE)
        .order_by(Article.id.desc())
        .limit(1)
    )


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
