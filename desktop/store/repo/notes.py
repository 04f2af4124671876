"""Notes on articles and annotations on passages (with their tags and anchors)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from desktop.core.models import AnnotationRecord, NoteRecord
from desktop.store.models import Annotation, AnnotationTag, Note, Tag, utcnow
from desktop.store.repo.common import iso_time
from desktop.store.repo.tags import ensure_tag


def insert_note(session: Session, article_id: int, body: str) -> int:
    now = utcnow()
    note_id = session.execute(
        insert(Note).values(article_id=article_id, body=body, created_at=now, modified_at=now).returning(Note.id)
    ).scalar_one()
    return int(note_id)


def note_article(session: Session, note_id: int) -> int | None:
    return session.scalar(select(Note.article_id).where(Note.id == note_id))


def update_note(session: Session, note_id: int, body: str) -> None:
    session.execute(update(Note).where(Note.id == note_id).values(body=body, modified_at=utcnow()))


def delete_note(session: Session, note_id: int) -> None:
    session.execute(delete(Note).where(Note.id == note_id))


def notes_of(session: Session, article_id: int) -> list[NoteRecord]:
    rows = session.scalars(select(Note).where(Note.article_id == article_id).order_by(Note.id))
    return [NoteRecord(row.id, row.article_id, row.body, iso_time(row.created_at), iso_time(row.modified_at)) for row in rows]


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
            iso_time(row.created_at),
            iso_time(row.modified_at),
        )
        for row in rows
    ]
