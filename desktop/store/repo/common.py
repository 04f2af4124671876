"""Shared by the repository's modules: the live-article condition, summary columns and row conversions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from desktop.core.models import ArticleSummary, PartialDate, Span
from desktop.core.text import fold
from desktop.store.models import Article

#: the index-queue operations
UPSERT = "upsert"
DELETE = "delete"
# Rows are fetched this many at a time where there may be 100,000: one fetchall() of them all builds the
# Python rows in one C call that holds the interpreter lock, and the window's event loop waits for it.
CHUNK = 2000
#: the articles not in the trash
LIVE = Article.trashed_at.is_(None)


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


def date_of(row: Any) -> PartialDate:
    """The date of an ``Article``, or of a row selected with its date columns."""
    return PartialDate(row.date_year, row.date_month, row.date_day)


def spans_of(raw: Iterable[dict[str, Any]]) -> tuple[Span, ...]:
    return tuple(Span(int(item["start"]), int(item["end"]), str(item["kind"])) for item in raw)


def summary_of(row: Any) -> ArticleSummary:
    """The summary of an ``Article``, or of a row of ``SUMMARY_COLUMNS``."""
    date = date_of(row)
    return ArticleSummary(
        id=row.id,
        title=row.title,
        title_kind=row.title_kind,
        agency=row.agency,
        place=row.place,
        date=date.iso(),
        date_precision=date.precision,
    )


def iso_time(value: dt.datetime) -> str:
    return value.replace(microsecond=0).isoformat() + "Z"


def folded_path(name: str) -> str:
    """A tag path as filters and facets compare it: each part trimmed and folded (``Đảng / Ngoại giao`` → ``dang/ngoai giao``)."""
    return "/".join(fold(part.strip()) for part in name.split("/"))
