"""A news page's main content (trafilatura): the story and its metadata, without menus, banners, ads, related links or comments."""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from configparser import ConfigParser

_log = logging.getLogger(__name__)

#: past this many tags (after :func:`slim_markup`) a page is not given to trafilatura, whose time grows with the
#: tags (~30 µs each; real news pages have a few thousand); such a page is read as visible text
MAIN_CONTENT_MAX_TAGS = 150_000
# a saved "single file" page carries its images inline as data: URIs, often most of its size; they are never text
_DATA_URI = re.compile(r"data:[\w.+-]+/[\w.+-]+(?:;[\w.+=-]+)*;base64,[A-Za-z0-9+/=\s]{200,}")
# a tag whose attributes run past 64 KB (real pages' longest are ~30 KB): millions of attributes take GBs to parse
_HUGE_TAG = re.compile(r"<([A-Za-z][\w:.-]*)[^<>]{65536,}>")
# the extractor's own loggers call a short or empty page an ERROR on stderr; here that is an ordinary outcome (the
# visible text is read instead), so only their failures past that are heard
_QUIET_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext")
# publication dates from the page's markup only: the extensive search reads dates out of copyright lines and sidebars
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


@dataclass(frozen=True, slots=True)
class MainContent:
    """What trafilatura reads in a page: the article's paragraphs (one per line) and the metadata the page declares."""

    text: str
    title: str | None = None
    date: str | None = None
    author: str | None = None
    site: str | None = None
    url: str | None = None


@functools.cache
def _quiet_extractor_logs() -> None:
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)


def slim_markup(markup: str) -> str:
    """``markup`` without what holds no text and costs the parsers most: inline ``data:`` images, runaway attributes."""
    if "base64," in markup:
        markup = _DATA_URI.sub("data:,", markup)
    return _HUGE_TAG.sub(r"<\1>", markup) if len(markup) > 65536 else markup


def main_content(markup: str, *, url: str | None = None) -> MainContent | None:
    """The main content of a page (already slimmed), or None when there is none to find or too many tags to look."""
    if not markup.strip() or markup.count("<") > MAIN_CONTENT_MAX_TAGS:
        return None
    import trafilatura  # lxml, htmldate, courlan: loaded on the first web page, not when the app starts

    _quiet_extractor_logs()

    try:
        document = trafilatura.bare_extraction(
            markup,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            date_extraction_params=_DATE_PARAMS,
            config=_config(),
        )
    except Exception:  # any failure inside the extractor leaves the visible text to read, never a crash
        _log.warning("main content extraction failed; reading the page's visible text", exc_info=True)
        return None
    if document is None or isinstance(document, dict) or not (document.text or "").strip():
        return None
    return MainContent(
        text=document.text or "",
        title=_field(document.title),
        date=_field(document.date),
        author=_field(document.author),
        site=_field(document.sitename),
        url=_field(document.url),
    )


def _field(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


@functools.cache
def _config() -> ConfigParser:
    """trafilatura's settings with our size limit in place of its own (it drops pages over 20 MB without a word)."""
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MAX_FILE_SIZE", str(1 << 30))  # the page's size is ours to limit (desktop.ingest.html)
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config
