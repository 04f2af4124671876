"""SQLAlchemy 2 typed models: the schema of ``archive.sqlite`` (every change goes through a migration)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Index, Integer, LargeBinary, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Original(Base):
    """The bytes of an imported file, exactly as read, with their SHA-256."""

    __tablename__ = "originals"
    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    original_name: Mapped[str] = mapped_column(String(512))
    source: Mapped[str] = mapped_column(Text, index=True)
    encoding: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)


class Article(Base):
    """One article: its clean text and the metadata read from it."""

    __tablename__ = "articles"
    id: Mapped[int] = mapped_column(primary_key=True)
    original_id: Mapped[int] = mapped_column(ForeignKey("originals.id", ondelete="RESTRICT"), unique=True)
    title: Mapped[str] = mapped_column(Text, index=True)
    title_kind: Mapped[str] = mapped_column(String(16))
    agency: Mapped[str | None] = mapped_column(String(128), index=True)
    place: Mapped[str | None] = mapped_column(String(256), index=True)
    date_year: Mapped[int | None] = mapped_column(Integer, index=True)
    date_month: Mapped[int | None] = mapped_column(Integer)
    date_day: Mapped[int | None] = mapped_column(Integer)
    date_precision: Mapped[str] = mapped_column(String(16), default="unknown")
    #: the date as ISO text at its precision (``2023-07-03``, ``2016-02``, ``--03-08``), for sorting and ranges
    date_key: Mapped[str | None] = mapped_column(String(10), index=True)
    text: Mapped[str] = mapped_column(Text)
    boilerplate: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    text_hash: Mapped[str] = mapped_column(String(64), unique=True)
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    cluster_id: Mapped[int | None] = mapped_column(Integer, index=True)
    url: Mapped[str | None] = mapped_column(Text)
    #: who wrote it, and the paper or site it appeared in (apart from the wire ``agency``); migration 0007
    author: Mapped[str | None] = mapped_column(Text)
    publication: Mapped[str | None] = mapped_column(String(256), index=True)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    modified_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    #: when the article was put in the trash (None: not in it); the trash can be restored from
    trashed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)
    # narrowing by agency shows the newest first: one index answers both
    __table_args__ = (Index("ix_articles_agency_date_key", "agency", "date_key"),)


class SimilarityBucket(Base):
    """MinHash band buckets: articles sharing a bucket are near-duplicate candidates."""

    __tablename__ = "similarity_buckets"
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    bucket: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (Index("ix_similarity_buckets_band_bucket", "band", "bucket"),)


class Tag(Base):
    """A tag; ``name`` is the full path (``Party/Diplomacy/US``), ``parent_id`` its parent."""

    __tablename__ = "tags"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(512), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"))
    color: Mapped[str | None] = mapped_column(String(16))


class ArticleTag(Base):
    __tablename__ = "article_tags"
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True)


class Note(Base):
    """A note on an article."""

    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    modified_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Annotation(Base):
    """A note on a passage, anchored by quote (exact, prefix, suffix) and position (start, end)."""

    __tablename__ = "annotations"
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    exact: Mapped[str] = mapped_column(Text)
    prefix: Mapped[str] = mapped_column(Text, default="")
    suffix: Mapped[str] = mapped_column(Text, default="")
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="anchored")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    modified_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class AnnotationTag(Base):
    __tablename__ = "annotation_tags"
    annotation_id: Mapped[int] = mapped_column(ForeignKey("annotations.id", ondelete="CASCADE"), primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True)


class SavedSearch(Base):
    __tablename__ = "saved_searches"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(256), unique=True)
    query: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class NameVariant(Base):
    """One spelling in a group of spellings that name the same thing (``Viet Nam`` = ``Vietnam``)."""

    __tablename__ = "name_variants"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(Integer, index=True)
    variant: Mapped[str] = mapped_column(String(256))
    __table_args__ = (UniqueConstraint("group_id", "variant"),)


class IndexQueue(Base):
    """Articles whose index entry must be written or removed; rows go only after the index commits."""

    __tablename__ = "index_queue"
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(Integer, index=True)
    op: Mapped[str] = mapped_column(String(8))
    queued_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Setting(Base):
    """A per-archive setting, such as whether the default name variants were added."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
