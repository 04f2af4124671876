"""Reader of news feeds (RSS 0.9x/1.0/2.0, Atom): each entry an article; nothing is fetched, no entity bomb expanded."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from xml.parsers import expat

from desktop.ingest.document import Extracted, Refused, SourceFile
from desktop.ingest.html import extract_page
from desktop.ingest.structure import Hints

#: the root elements of the feed formats: RSS 0.9x/2.0, Atom, RSS 1.0 (RDF)
_FEED_ROOT = re.compile(rb"\s*<(?:[\w.-]+:)?(rss|feed|RDF)[\s>/]")
_PROLOG_ITEM = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]*\[.*?\])?[^>]*>)", re.DOTALL)
_ENTRY_ELEMENTS = frozenset({"item", "entry"})
_ISO_DAY = re.compile(r"\s*(\d{4}-\d{2}-\d{2})")
_RSS_AUTHOR = re.compile(r"^[^\s@()]+@[^\s()]+\s*\((.+)\)$")
#: an entity may name one character (``&nbsp;``); a longer value repeated is how an "XML bomb" fills memory
_MAX_ENTITY_CHARS = 8


def sniff_feed(head: bytes) -> bool:
    """Whether a file's first bytes are a feed's: after the XML prolog, an ``<rss>``, ``<feed>`` or RDF root."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    elif head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    position = 0
    while match := _PROLOG_ITEM.match(head, position):
        position = match.end()
    root = _FEED_ROOT.match(head, position)
    if root is None:
        return False
    return root.group(1) != b"RDF" or b"purl.org/rss" in head or b"<channel" in head


class _UnsafeEntityError(Exception):
    """The feed declares an entity that could expand without bound, or one from outside the file."""


@dataclass(slots=True)
class _Vetting:
    """What one plain expat pass over the feed found: whether it is safe, and each entry's byte range."""

    safe: bool = True
    well_formed: bool = True
    spans: list[tuple[int, int]] = field(default_factory=list)


def _vet(data: bytes) -> _Vetting:
    """Refuse entity bombs and external entities, and find each ``<item>``/``<entry>``'s bytes, in one expat pass.

    feedparser drops entity declarations it finds unsafe, but its fallback parser still expands the ones it
    keeps; deciding here, before feedparser runs, leaves no path that expands them.
    """
    vetting = _Vetting()
    parser = expat.ParserCreate()
    depth = 0
    entry_depth: int | None = None
    entry_start = 0

    def declared(_name: str, is_parameter: int, value: str | None, *_rest: Any) -> None:
        if is_parameter or value is None or "&" in value or len(value) > _MAX_ENTITY_CHARS:
            raise _UnsafeEntityError

    def started(name: str, _attributes: Any) -> None:
        nonlocal depth, entry_depth, entry_start
        depth += 1
        if entry_depth is None and name.rpartition(":")[2] in _ENTRY_ELEMENTS:
            entry_depth, entry_start = depth, parser.CurrentByteIndex

    def ended(_name: str) -> None:
        nonlocal depth, entry_depth
        if entry_depth == depth:
            close = data.find(b">", parser.CurrentByteIndex)
            vetting.spans.append((entry_start, close + 1))
            entry_depth = None
        depth -= 1

    parser.EntityDeclHandler = declared
    parser.StartElementHandler = started
    parser.EndElementHandler = ended
    try:
        parser.Parse(data, True)
    except _UnsafeEntityError:
        vetting.safe = False
    except (expat.ExpatError, ValueError, LookupError):  # LookupError: an encoding Python does not know
        vetting.well_formed = False
        # expat stopped before it could see every declaration: refuse any the file spells out
        vetting.safe = not any("<!ENTITY".encode(encoding) in data for encoding in ("utf-8", "utf-16-le", "utf-16-be"))
    return vetting


def read_feed(source: SourceFile) -> Iterator[Extracted | Refused]:
    """An RSS or Atom feed: one article per entry, with its title, link, date, author, categories and the feed's name."""
    data = source.read()
    vetting = _vet(data)
    if not vetting.safe:
        yield Refused("not read: the feed declares XML entities that could expand without bound or come from outside the file")
        return
    import feedparser  # on first use: the app starts without it (about 50 ms)

    try:  # bytes in a stream: feedparser fetches a string that looks like a URL, and opens one that names a file
        parsed = feedparser.parse(io.BytesIO(data), sanitize_html=False, resolve_relative_uris=False)
    except Exception as exc:  # feedparser's lenient parser trips on some broken feeds: one outcome, never a crash
        yield Refused(f"not a feed that can be read ({type(exc).__name__}: {_short(exc)})")
        return
    entries: list[Mapping[str, Any]] = list(parsed.get("entries", []))
    if not entries:
        problem = parsed.get("bozo_exception")
        if parsed.get("bozo") and problem is not None:
            yield Refused(f"not a feed that can be read ({_short(problem)})")
        else:
            yield Refused("the feed holds no entries")
        return
    cut = vetting.well_formed and len(vetting.spans) == len(entries) and not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    publication = _text(parsed.get("feed", {}).get("title"))
    for number, entry in enumerate(entries, start=1):
        original = data[slice(*vetting.spans[number - 1])] if cut else None
        try:
            yield _entry(entry, number, publication, original)
        except Exception as exc:  # an entry whose fields trip the HTML path: that entry's outcome, not the feed's end
            yield Refused(f"entry {number}: cannot be read ({type(exc).__name__}: {_short(exc)})", str(number))


def _entry(entry: Mapping[str, Any], number: int, publication: str | None, original: bytes | None) -> Extracted | Refused:
    part, where = str(number), f"entry {number}"
    link = _text(entry.get("link"))
    text, page_hints = _content(entry, link)
    if not text.strip():
        return Refused(f"{where}: no text in this entry, only a title or a link (the linked page is not fetched)", part)
    tags = tuple(term for tag in entry.get("tags") or () if (term := _text(tag.get("term") or tag.get("label"))))
    hints = Hints(
        title=_title(entry) or page_hints.title,
        date=_date(entry) or page_hints.date,
        url=link,
        tags=tags,
        author=_author(entry),
        publication=publication,
    )
    return Extracted(text, hints, encoding="utf-8", part=part, where=where, original=original)


def _content(entry: Mapping[str, Any], link: str | None) -> tuple[str, Hints]:
    """The entry's text: its full content when it has one, else its summary; HTML through the one web-page path."""
    candidates = [item for item in entry.get("content") or () if _text(item.get("value"))]
    candidates.sort(key=lambda item: item.get("type") not in ("text/html", "application/xhtml+xml"))
    if candidates:
        value, kind = str(candidates[0].get("value")), str(candidates[0].get("type", "text/html"))
    else:
        detail = entry.get("summary_detail") or {}
        value, kind = str(entry.get("summary") or ""), str(detail.get("type", "text/html"))
    if kind == "text/plain":
        return value, Hints(url=link)
    return extract_page(value, url=link)


def _title(entry: Mapping[str, Any]) -> str | None:
    title = _text(entry.get("title"))
    if title and (entry.get("title_detail") or {}).get("type") == "text/html":
        title = " ".join(extract_page(title)[0].split()) or None
    return title


def _date(entry: Mapping[str, Any]) -> str | None:
    """The day the entry was published, as the feed's own clock gives it (feedparser's parsed dates are in UTC)."""
    fields = dict(entry)  # the plain fields: feedparser's own lookup maps a missing "updated" to "published", with a warning
    for key in ("published", "updated", "created"):
        raw = _text(fields.get(key))
        if not raw:
            continue
        if match := _ISO_DAY.match(raw):
            return match.group(1)
        try:
            return parsedate_to_datetime(raw).date().isoformat()
        except (ValueError, TypeError, IndexError, OverflowError):
            parsed = fields.get(f"{key}_parsed")
            if parsed:
                return f"{parsed.tm_year:04d}-{parsed.tm_mon:02d}-{parsed.tm_mday:02d}"
    return None


def _author(entry: Mapping[str, Any]) -> str | None:
    """The byline: RSS writes ``email (Name)``, which feedparser splits wrongly for a long domain ending."""
    if (written := _RSS_AUTHOR.match(_text(entry.get("author")) or "")) is not None:
        return written.group(1).strip()
    names = [_text(person.get("name")) for person in entry.get("authors") or () if isinstance(person, Mapping)]
    found = [name for name in names if name]
    if found:
        return "; ".join(dict.fromkeys(found))
    return _text((entry.get("author_detail") or {}).get("name")) or _text(entry.get("author"))


def _text(value: object) -> str | None:
    return " ".join(value.split()) or None if isinstance(value, str) else None


def _short(problem: object) -> str:
    message = " ".join(str(problem).split())
    return message[:200] or type(problem).__name__
