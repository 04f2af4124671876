"""Tags: ``/`` paths created with their parents, counted, renamed, merged, coloured, deleted."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from desktop.core.models import TagRecord
from desktop.store.models import Annotation, AnnotationTag, ArticleTag, Tag


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


def tag_names(session: Session) -> list[str]:
    return list(session.scalars(select(Tag.name).order_by(Tag.name)))


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
