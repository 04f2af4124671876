"""A JSON export read back: tables cleared, or merged into an archive that has articles of its own."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from desktop.store.models import Annotation, AnnotationTag, Article, ArticleTag, Base, Note, Original, SavedSearch, SimilarityBucket, Tag
from desktop.store.repo.lookups import find_by_text_hash
from desktop.store.repo.tags import ensure_tag
from desktop.store.repo.vocabulary import add_variant_group, saved_search, variant_groups


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
