"""Text from web pages: the story (main content) with its metadata, else the visible text; nothing fetched."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

from desktop.ingest.document import FileTooLargeError
from desktop.ingest.structure import Hints
from desktop.ingest.webpage import MainContent, main_content, slim_markup

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
#: a web page's markup, inline images left out, is at most this long: real news pages are under 3 MB, and past
#: this a hostile page (millions of tags) would take minutes to read
MAX_PAGE_CHARS = 5_000_000


class PageTooLargeError(FileTooLargeError):
    """A web page's markup is over :data:`MAX_PAGE_CHARS`; the message says so in plain words.

    A :class:`FileTooLargeError`, so the import skips the file with this reason even where a reader lets it through;
    a reader of several pages catches it to refuse only that part.
    """


@dataclass(frozen=True, slots=True)
class HtmlText:
    text: str
    title: str | None
    date: str | None
    site: str | None
    h1: str | None = None


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
    """A web page's article text and what the page says of it: the one web-page path.

    Every format that holds web pages (saved pages, MHTML, e-mail HTML parts, web archives, feeds) goes through
    here. The text is the page's main content (trafilatura), one paragraph per blank-line-separated block, without
    the cookie banner, menus, ads, related links, comments and footer; the hints carry the headline, publication
    date, byline, site (as the publication, never as a wire agency) and URL (``url`` when given, else the page's
    canonical one). A page with no main content to find, or one whose main content is nearly all its text,
    gives its visible text.

    Raises:
        PageTooLargeError: the markup, inline images left out, is over :data:`MAX_PAGE_CHARS`.
    """
    markup = slim_markup(markup)
    if len(markup) > MAX_PAGE_CHARS:
        raise PageTooLargeError(
            f"too large for a web page ({len(markup) / 1_000_000:.1f} million characters of markup besides its images;"
            f" the limit is {MAX_PAGE_CHARS / 1_000_000:.0f} million)"
        )
    visible = extract_html(markup)
    main = main_content(markup, url=url)
    text = _main_text(main, visible)
    if main is None or text is visible.text:
        title = visible.title
    else:
        headline = _headline(visible.h1, main.title)
        if headline and headline == visible.h1 and not text.startswith(headline):
            text = f"{headline}\n\n{text}"  # the headline first, as on the page (and as the visible text has it)
        title = headline or visible.title
    return text, Hints(
        title=title,
        date=(main.date if main else None) or visible.date,
        url=url or (main.url if main else None),
        author=main.author if main else None,
        publication=(main.site if main else None) or visible.site,
    )


def _headline(h1: str | None, declared: str | None) -> str | None:
    """The story's headline: the page's ``<h1>`` when the page's declared title names it too, else the declared title.

    A site whose logo is its ``<h1>`` declares the story's title elsewhere (``og:title``, ``<title>``).
    """
    if h1 and (not declared or h1.casefold() in declared.casefold() or declared.casefold() in h1.casefold()):
        return h1
    return declared


#: when the main content leaves out no more than this share of the visible words, the page had no furniture
_NOTHING_LEFT_OUT = 0.02
#: main content shorter than this is no story (a menu's links kept from a contact page): the page's visible text is read
_MIN_STORY_WORDS = 25
_WORD = re.compile(r"\w+")


def _main_text(main: MainContent | None, visible: HtmlText) -> str:
    """The main content as blank-line-separated paragraphs, or the visible text when it left (nearly) nothing out.

    On a short page trafilatura may give the body's raw text runs, an inline ``<b>`` on a line of its own;
    the visible text keeps those in their paragraphs. A few words of main content are not a story either.
    """
    if main is None:
        return visible.text
    lines = (_SPACES.sub(" ", line).strip() for line in main.text.split("\n"))
    text = "\n\n".join(line for line in lines if line)
    visible_words = Counter(_WORD.findall(visible.text))
    kept = Counter(_WORD.findall(text))
    left_out = visible_words - kept - Counter(_WORD.findall(visible.h1 or ""))
    if kept.total() < _MIN_STORY_WORDS or left_out.total() <= _NOTHING_LEFT_OUT * visible_words.total():
        return visible.text
    return text


def extract_html(markup: str) -> HtmlText:
    """The visible text of ``markup``, one block per paragraph, with its headline, date and site hints."""
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
    return HtmlText(text=text, title=title, date=date, site=site, h1=h1 or None)
