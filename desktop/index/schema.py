"""The Whoosh schema and its version: a change to either means the index is rebuilt from the store."""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema

from desktop.core.models import ArticleText
from desktop.core.text import fold, visible_text
from desktop.index.analysis import exact_analyzer, news_analyzer, plain_analyzer

SCHEMA_VERSION = 2
UNDATED_LAST = "~"  # sorts after every ISO date


def build_schema() -> Schema:
    analyzer = news_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=analyzer, phrase=True, chars=True, field_boost=2.0),
        body=TEXT(analyzer=analyzer, phrase=True, chars=True),
        note=TEXT(analyzer=analyzer, phrase=True),
        annotation=TEXT(analyzer=analyzer, phrase=True),
        tagwords=TEXT(analyzer=analyzer, phrase=False),
        place=TEXT(analyzer=analyzer, phrase=True),
        plain=TEXT(analyzer=plain_analyzer(), phrase=False),
        exact=TEXT(analyzer=exact_analyzer(), phrase=False),
        agency=ID(sortable=True),
        tag=KEYWORD(commas=True, scorable=False),
        cluster=ID(sortable=True),
        date=ID(),
        date_asc=ID(sortable=True),
        date_desc=ID(sortable=True),
        year=NUMERIC(int, signed=False, sortable=True),
        title_sort=ID(sortable=True),
    )


def tag_paths(tags: tuple[str, ...]) -> list[str]:
    """Each tag's folded path and the paths of its parents: ``tag:Party`` finds ``Party/Diplomacy/US``."""
    paths: set[str] = set()
    for tag in tags:
        parts = [fold(part.strip()).replace(",", " ") for part in tag.split("/") if part.strip()]
        paths.update("/".join(parts[:depth]) for depth in range(1, len(parts) + 1))
    return sorted(paths)


def document(article: ArticleText) -> dict[str, object]:
    """The index document of one article: boilerplate blanked so offsets stay those of the clean text."""
    body = visible_text(article.text, article.boilerplate)
    notes = "\n".join(article.notes)
    annotations = "\n".join(article.annotations)
    tag_words = "\n".join(tag.replace("/", " ") for tag in article.tags)
    dated = article.date is not None and not article.date.startswith("-")
    doc: dict[str, object] = {
        "id": str(article.id),
        "title": article.title,
        "body": body,
        "note": notes,
        "annotation": annotations,
        "tagwords": tag_words,
        "place": article.place or "",
        "plain": "\n".join((article.title, body, notes, annotations, tag_words, article.place or "")),
        "exact": "\n".join((article.title, body, notes, annotations, tag_words)),
        "agency": fold(article.agency) if article.agency else "",
        "tag": ",".join(tag_paths(article.tags)),
        "cluster": str(article.cluster_id) if article.cluster_id is not None else "",
        "date": article.date or "",
        "date_asc": article.date if dated and article.date else UNDATED_LAST,
        "date_desc": article.date if dated and article.date else "",
        "title_sort": fold(article.title),
    }
    if article.year is not None:
        doc["year"] = article.year
    return doc
