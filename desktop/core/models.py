"""Plain records passed between layers: parsed drafts, stored articles, outcomes and reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

TitleKind = Literal["headline", "caption", "lead", "given"]
DatePrecision = Literal["day", "month", "year", "month-day", "unknown"]
Outcome = Literal["imported", "updated", "duplicate", "skipped"]


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` of an article's clean text."""

    start: int
    end: int
    kind: str

    def to_json(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "kind": self.kind}


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A publication date of which only some parts may be known."""

    year: int | None = None
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> DatePrecision:
        if self.year is not None:
            if self.month is None:
                return "year"
            return "month" if self.day is None else "day"
        if self.month is not None and self.day is not None:
            return "month-day"
        return "unknown"

    def iso(self) -> str | None:
        """ISO 8601 text at the known precision: ``2023-07-03``, ``2023-07``, ``2023``, ``--07-03``."""
        precision = self.precision
        if precision == "day":
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if precision == "month":
            return f"{self.year:04d}-{self.month:02d}"
        if precision == "year":
            return f"{self.year:04d}"
        if precision == "month-day":
            return f"--{self.month:02d}-{self.day:02d}"
        return None


@dataclass(slots=True)
class ParsedArticle:
    """What the news parser reads from one text: metadata, clean text and boilerplate spans."""

    title: str
    title_kind: TitleKind
    text: str
    agency: str | None = None
    place: str | None = None
    date: PartialDate = field(default_factory=PartialDate)
    boilerplate: list[Span] = field(default_factory=list)
    url: str | None = None
    tags: list[str] = field(default_factory=list)
    author: str | None = None
    publication: str | None = None
    #: other fields the source gave: section, page, edition, language, a news database's document id
    details: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """One row of the article list."""

    id: int
    title: str
    title_kind: str
    agency: str | None
    place: str | None
    date: str | None
    date_precision: str

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "title_kind": self.title_kind,
            "agency": self.agency,
            "date": self.date,
            "date_precision": self.date_precision,
            "place": self.place,
        }


@dataclass(frozen=True, slots=True)
class ArticleDetail:
    """Everything about one article that the reader and ``show`` need."""

    summary: ArticleSummary
    text: str
    sha256: str
    source: str
    original_name: str
    encoding: str
    url: str | None
    boilerplate: tuple[Span, ...]
    cluster: tuple[int, ...]
    tags: tuple[str, ...]
    imported_at: str
    modified_at: str

    @property
    def id(self) -> int:
        return self.summary.id

    def to_json(self) -> dict[str, object]:
        data = self.summary.to_json()
        data.update(
            {
                "text": self.text,
                "sha256": self.sha256,
                "source": self.source,
                "original_name": self.original_name,
                "encoding": self.encoding,
                "url": self.url,
                "boilerplate": [span.to_json() for span in self.boilerplate],
                "cluster": list(self.cluster),
                "tags": list(self.tags),
                "imported_at": self.imported_at,
                "modified_at": self.modified_at,
            }
        )
        return data


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """The one outcome of one input file (or one line of a JSONL file)."""

    path: str
    outcome: Outcome
    id: int | None = None
    duplicate_of: int | None = None
    reason: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "outcome": self.outcome,
            "id": self.id,
            "duplicate_of": self.duplicate_of,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class ImportReport:
    """All outcomes of one import, and whether it was cancelled part way."""

    outcomes: tuple[ImportOutcome, ...]
    cancelled: bool = False

    def count(self, outcome: Outcome) -> int:
        return sum(1 for item in self.outcomes if item.outcome == outcome)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result: the article, its score and a snippet with ``<mark>`` around hits."""

    id: int
    title: str
    score: float
    snippet: str
    matched_in: tuple[str, ...] = ()
    spans: tuple[tuple[int, int], ...] | None = None

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "id": self.id,
            "title": self.title,
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "matched_in": list(self.matched_in),
        }
        if self.spans is not None:
            data["spans"] = [list(span) for span in self.spans]
        return data


@dataclass(frozen=True, slots=True)
class CheckReport:
    """The result of comparing the store, the index and the originals."""

    articles: int
    indexed: int
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True, slots=True)
class ArticleText:
    """What the index needs of one article."""

    id: int
    title: str
    text: str
    boilerplate: tuple[Span, ...]
    agency: str | None
    place: str | None
    date: str | None
    year: int | None
    cluster_id: int | None = None
    tags: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    annotations: tuple[str, ...] = ()
    publication: str | None = None


@dataclass(frozen=True, slots=True)
class MetaClause:
    """A filter on article metadata that SQL can answer without the index.

    ``field`` is a facet's query field (``desktop.core.facets.FIELDS``: ``agency``, ``publication``… folded names,
    ``tag`` folded paths with their children, ``cluster`` cluster ids), ``date`` (``(low, high)`` ISO bounds, either
    may be empty) or ``all`` (every article, no values).
    """

    field: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MetaAll:
    children: tuple[MetaFilter, ...]


@dataclass(frozen=True, slots=True)
class MetaAny:
    children: tuple[MetaFilter, ...]


@dataclass(frozen=True, slots=True)
class MetaNot:
    child: MetaFilter


MetaFilter = MetaClause | MetaAll | MetaAny | MetaNot


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """One row of the article table: the summary, its tags and its number of notes (and a snippet in search)."""

    summary: ArticleSummary
    tags: tuple[str, ...]
    notes: int
    snippet: str | None = None


@dataclass(frozen=True, slots=True)
class NoteRecord:
    id: int
    article_id: int
    body: str
    created_at: str
    modified_at: str

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "article_id": self.article_id, "body": self.body, "created": self.created_at, "modified": self.modified_at}


@dataclass(frozen=True, slots=True)
class AnnotationRecord:
    """A passage annotation with its W3C-style selectors and its status (``anchored`` or ``needs-review``)."""

    id: int
    article_id: int
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int
    note: str
    tags: tuple[str, ...]
    status: str
    created_at: str
    modified_at: str

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "article_id": self.article_id,
            "exact": self.exact,
            "prefix": self.prefix,
            "suffix": self.suffix,
            "start": self.start,
            "end": self.end,
            "note": self.note,
            "tags": list(self.tags),
            "status": self.status,
            "created": self.created_at,
            "modified": self.modified_at,
        }


@dataclass(frozen=True, slots=True)
class TagRecord:
    name: str
    color: str | None
    articles: int
    annotations: int
