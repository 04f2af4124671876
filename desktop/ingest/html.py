"""Text from HTML: visible text only; scripts, styles and embedded objects dropped, nothing fetched."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from desktop.ingest.structure import Hints

_SKIPPED = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas", "head"})
_BLOCKS = frozenset(
    {
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
        "section", "article", "header", "footer", "blockquote", "figure", "figcaption", "pre", "hr", "dd", "dt",
    }
)  # fmt: skip
_DATE_META = ("article:published_time", "datepublished", "date", "pubdate", "dc.date", "publishdate")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_SPACES = re.compile(r"[ \t\f\v]+")


@dataclass(frozen=True, slots=True)
class HtmlText:
    text: str
    title: str | None
    date: str | None
    site: str | None


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.in_title = False
        self.in_h1 = False
        self.title_parts: list[str] = []
        self.h1_parts: list[str] = []
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            values = {key.lower(): (value or "") for key, value in attrs}
            name = (values.get("property") or values.get("name") or values.get("itemprop") or "").lower()
            if name and "content" in values:
                self.meta.setdefault(name, values["content"])
            return
        if tag == "title":
            self.in_title = True
        if tag in _SKIPPED:
            self.skip_depth += 1
        elif tag == "h1" and not self.h1_parts:
            self.in_h1 = True
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            self.handle_starttag(tag, attrs)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in _SKIPPED and self.skip_depth:
            self.skip_depth -= 1
        if tag == "h1":
            self.in_h1 = False
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)
        if self.skip_depth:
            return
        if self.in_h1:
            self.h1_parts.append(data)
        self.parts.append(data)


def extract_page(markup: str, *, url: str | None = None) -> tuple[str, Hints]:
    """A web page's article text and what the page says of it (headline, date, site): the one web-page path.

    Every format that holds web pages (saved pages, MHTML, e-mail HTML parts, web archives) goes through here.
    """
    page = extract_html(markup)
    return page.text, Hints(title=page.title, date=page.date, agency=page.site, url=url)


def extract_html(markup: str) -> HtmlText:
    """Return the visible text of ``markup`` one block per line, with its headline and date hints."""
    parser = _Extractor()
    parser.feed(markup)
    parser.close()
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parser.parts).split("\n"))
    text = "\n\n".join(line for line in lines if line)
    h1 = _SPACES.sub(" ", "".join(parser.h1_parts)).strip()
    title = h1 or _SPACES.sub(" ", "".join(parser.title_parts)).strip() or None
    date = None
    for key in _DATE_META:
        match = _ISO_DATE.search(parser.meta.get(key, ""))
        if match:
            date = match.group(0)
            break
    site = parser.meta.get("og:site_name") or None
    return HtmlText(text=text, title=title, date=date, site=site)
