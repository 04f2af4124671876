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

#: markup past this (after inline images are taken out) is not given to trafilatura: its trees and their copies
#: would take GBs; such a page is read as visible text, which streams. Real article pages are well under 3 MB.
MAIN_CONTENT_MAX_CHARS = 10_000_000
# a saved "single file" page carries its images inline as data: URIs, often most of its size; they are never text
_DATA_URI = re.compile(r"data:[\w.+-]+/[\w.+-]+(?:;[\w.+=-]+)*;base64,[A-Za-z0-9+/=\s]{200,}")
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


def slim_markup(markup: str) -> str:
    """``markup`` with the payloads of inline ``data:`` images taken out (they hold no text)."""
    return _DATA_URI.sub("data:,", markup) if "base64," in markup else markup


def main_content(markup: str, *, url: str | None = None) -> MainContent | None:
    """The page's main content, or None when there is none to find (or the page is too large to look for it)."""
    markup = slim_markup(markup)
    if len(markup) > MAIN_CONTENT_MAX_CHARS or not markup.strip():
        return None
    import trafilatura  # lxml, htmldate, courlan: loaded on the first web page, not when the app starts

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
    config.set("DEFAULT", "MAX_FILE_SIZE", str(MAIN_CONTENT_MAX_CHARS * 4))
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config
