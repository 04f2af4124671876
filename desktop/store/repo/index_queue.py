"""The index queue: articles whose index entry must be written or removed, until the index commits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from desktop.store.models import IndexQueue


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
