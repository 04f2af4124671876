"""The Whoosh schema and its version: a change to either means the index is rebuilt from the store."""

from __future__ import annotations

from whoosh.fields import ID, NUMERIC, TEXT, Schema

from desktop.core.models import ArticleText
from desktop.core.text import visible_text
from desktop.index.analysis import news_analyzer

SCHEMA_VERSION = 1


def build_schema() -> Schema:
    analyzer = news_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=analyzer, phrase=True, chars=True, field_boost=2.0),
        body=TEXT(analyzer=analyzer, phrase=True, chars=True),
        agency=TEXT(analyzer=analyzer),
        place=TEXT(analyzer=analyzer),
        date=ID(sortable=True),
        year=NUMERIC(int, signed=False, sortable=True),
    )


def document(article: ArticleText) -> dict[str, object]:
    """The index document of one article: boilerplate blanked so offsets stay those of the clean text."""
    doc: dict[str, object] = {
        "id": str(article.id),
        "title": article.title,
        "body": visible_text(article.text, article.boilerplate),
        "agency": article.agency or "",
        "place": article.place or "",
        "date": article.date or "",
    }
    if article.year is not None:
        doc["year"] = article.year
    return doc
