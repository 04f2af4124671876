"""The Whoosh schema and its version: a change to either means the index is rebuilt from the store."""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, FieldType, Schema
from whoosh.formats import Existence

from desktop.core.models import ArticleText
from desktop.core.text import fold, visible_text
from desktop.index.analysis import COMMON_STEMS, SECTION, news_analyzer, pairs_analyzer, words_analyzer

SCHEMA_VERSION = 6
UNDATED_LAST = "~"  # sorts after every ISO date


def build_schema(common: frozenset[str] = COMMON_STEMS) -> Schema:
    """``text`` holds all an article's words (title first, weighing double) for queries without a field;
    ``title``, ``note``, ``annotation``, ``tagwords`` and ``place`` answer queries with one. ``words``
    holds each word as written and folded (exact, wildcard, fuzzy); ``pairs`` neighbouring common words."""
    analyzer = news_analyzer()
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        text=TEXT(analyzer=analyzer, phrase=True),
        title=TEXT(analyzer=analyzer, phrase=True),
        note=TEXT(analyzer=analyzer, phrase=True),
        annotation=TEXT(analyzer=analyzer, phrase=True),
        tagwords=TEXT(analyzer=analyzer, phrase=False),
        place=TEXT(analyzer=analyzer, phrase=True),
        words=FieldType(Existence(), words_analyzer(), scorable=True),
        pairs=FieldType(Existence(), pairs_analyzer(common), scorable=True),
        agency=ID(sortable=True),
        publication=ID(sortable=True),
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
    body = _part(visible_text(article.text, article.boilerplate))
    title = _part(article.title)
    notes = _part("\n".join(article.notes))
    annotations = _part("\n".join(article.annotations))
    tag_words = _part("\n".join(tag.replace("/", " ") for tag in article.tags))
    place = _part(article.place or "")
    everything = SECTION.join((title, body, notes, annotations, tag_words, place, _part(article.agency or "")))
    dated = article.date is not None and not article.date.startswith("-")
    doc: dict[str, object] = {
        "id": str(article.id),
        "text": everything,
        "title": title,
        "note": notes,
        "annotation": annotations,
        "tagwords": tag_words,
        "place": place,
        "words": everything,
        "pairs": everything,
        "agency": fold(article.agency) if article.agency else "",
        "publication": fold(article.publication) if article.publication else "",
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


def _part(value: str) -> str:
    return value.replace(SECTION, " ")
