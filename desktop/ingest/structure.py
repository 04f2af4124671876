"""News structure: headline or caption, dateline, agency, date with its precision, boilerplate spans."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from desktop.core.models import ParsedArticle, PartialDate, Span, TitleKind
from desktop.core.text import clean_text, collapse_whitespace
from desktop.ingest.patterns import NewsPatterns

TITLE_MAX_CHARS = 120
#: thirty times the longest news story; past it a file is a book, a log or a dump, and indexing it could take minutes and GBs
MAX_ARTICLE_CHARS = 3_000_000
_HEADLINE_MAX_CHARS = 200
_HEADLINE_MAX_WORDS = 25
_REPEAT_MIN_CHARS = 60
_REPEAT_SCAN_LINES = 2_000  # past this many lines, a repeat is found only when a whole line recurs
_DATELINE_SEARCH_LINES = 4
_ACRONYMS = frozenset({"HCM", "US", "USA", "UK", "UN", "EU", "DC", "UAE", "ASEAN", "APEC"})
_ABBREVIATION = re.compile(r"(?:\b[A-Z]\.|\b(?:Mr|Mrs|Ms|Dr|St|No|Gen|Lt|Col|Prof|Sen|Rep|Gov|Jr|Sr|Vol|Co|Inc|Ltd)\.)$")
_SENTENCE_END = re.compile(r"[.!?][\"”’)]*\s+(?=[\"“‘(]?[^\W\d_])")


class NotAnArticleError(ValueError):
    """The text holds nothing but web leftovers."""


@dataclass(frozen=True, slots=True)
class Hints:
    """Metadata a file format already knows (HTML ``<h1>``, JSONL fields); it wins over guessing.

    ``agency`` is a wire agency (VNA, Reuters); ``publication`` the paper, site or feed that published the story
    (The Washington Post, VnExpress); ``author`` the byline as written (several names separated by ``;``).
    """

    title: str | None = None
    date: str | None = None
    agency: str | None = None
    url: str | None = None
    tags: tuple[str, ...] = ()
    author: str | None = None
    publication: str | None = None


@dataclass(slots=True)
class _Line:
    start: int
    end: int
    text: str


@dataclass(slots=True)
class _Dateline:
    line: int
    body_offset: int
    place: str | None = None
    agency: str | None = None
    date: PartialDate = field(default_factory=PartialDate)


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    start = 0
    for raw in text.split("\n"):
        lines.append(_Line(start, start + len(raw), raw))
        start += len(raw) + 1
    return lines


def _valid_date(year: int | None, month: int | None, day: int | None) -> PartialDate:
    if month is not None and not 1 <= month <= 12:
        return PartialDate(year if year and 1800 <= year <= 2100 else None)
    if year is not None and not 1800 <= year <= 2100:
        year = None
    if day is not None:
        try:
            dt.date(year or 2000, month or 1, day)
        except ValueError:
            day = None
    return PartialDate(year, month, day if month is not None else None)


def _date_from_match(match: re.Match[str], patterns: NewsPatterns) -> PartialDate:
    groups = match.groupdict()
    month_text = groups.get("month")
    month: int | None = None
    if month_text:
        month = int(month_text) if month_text.isdigit() else patterns.months.get(month_text.casefold())
    year = int(groups["year"]) if groups.get("year") else None
    day = int(groups["day"]) if groups.get("day") else None
    return _valid_date(year, month, day)


def parse_iso_date(text: str | None) -> PartialDate:
    """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a longer timestamp is cut to the day)."""
    if not text:
        return PartialDate()
    match = re.match(r"\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text)
    if not match:
        return PartialDate()
    year, month, day = (int(g) if g else None for g in match.groups())
    return _valid_date(year, month, day)


def normalise_place(place: str) -> str:
    """``WASHINGTON`` → ``Washington``; mixed-case names are kept as written."""
    place = place.strip(" ,.")
    if not place.isupper():
        return place
    return " ".join(word if word in _ACRONYMS else word.title() for word in place.split())


def _looks_like_headline(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= _HEADLINE_MAX_WORDS and len(text) <= _HEADLINE_MAX_CHARS and not text.endswith((".", ",", ";", ":"))


def first_sentence(text: str) -> str:
    """The first sentence of ``text``, not cut after abbreviations such as ``U.S.`` or ``Mr.``."""
    for match in _SENTENCE_END.finditer(text):
        before = text[: match.start() + 1]
        if _ABBREVIATION.search(before):
            continue
        return before.strip()
    return text.strip()


def title_from_lead(lead: str) -> str:
    """A title made from a lead paragraph: its first sentence, cut at a word near 120 characters."""
    sentence = collapse_whitespace(first_sentence(lead))
    if len(sentence) <= TITLE_MAX_CHARS:
        return sentence.rstrip("./ ") or sentence
    cut = sentence[:TITLE_MAX_CHARS]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-–—") + "…"


class _Parser:
    def __init__(self, text: str, patterns: NewsPatterns, hints: Hints) -> None:
        self.text = text
        self.patterns = patterns
        self.hints = hints
        self.lines = _split_lines(text)
        self.spans: list[Span] = []
        self.boiler_lines: set[int] = set()
        self.found_agencies: list[str] = []

    def content(self) -> list[int]:
        return [i for i, line in enumerate(self.lines) if line.text.strip() and i not in self.boiler_lines]

    def mark_line(self, index: int, kind: str) -> None:
        line = self.lines[index]
        self.spans.append(Span(line.start, line.end, kind))
        self.boiler_lines.add(index)

    def mark_boilerplate_lines(self) -> None:
        for index, line in enumerate(self.lines):
            stripped = line.text.strip()
            if not stripped:
                continue
            for pattern in self.patterns.boilerplate_lines:
                match = pattern.regex.search(stripped)
                if match:
                    self.mark_line(index, pattern.kind)
                    agency = match.groupdict().get("agency")
                    if agency and self.patterns.is_agency(agency):
                        self.found_agencies.append(self.patterns.canonical_agency(agency))
                    break
        for index, line in enumerate(self.lines):
            if index in self.boiler_lines:
                continue
            for pattern in self.patterns.boilerplate_inline:
                for match in pattern.regex.finditer(line.text):
                    self.spans.append(Span(line.start + match.start(), line.start + match.end(), pattern.kind))

    def date_marker(self, index: int) -> tuple[PartialDate, int]:
        line = self.lines[index]
        for regex in self.patterns.date_markers:
            match = regex.match(line.text)
            if match:
                self.spans.append(Span(line.start, line.start + match.end(), "date-marker"))
                if not line.text[match.end() :].strip():
                    self.boiler_lines.add(index)
                return _date_from_match(match, self.patterns), match.end()
        return PartialDate(), 0

    def dateline_at(self, index: int, offset: int) -> _Dateline | None:
        text = self.lines[index].text[offset:]
        for regex in self.patterns.datelines:
            match = regex.match(text)
            if not match:
                continue
            groups = match.groupdict()
            place = groups.get("place")
            if place and not all(word[0].isupper() for word in place.split()):
                continue
            agency = groups.get("agency")
            if agency and not (self.patterns.is_agency(agency) or agency.isupper()):
                continue
            if not text[match.end() :].strip():
                continue
            return _Dateline(
                line=index,
                body_offset=offset + match.end(),
                place=normalise_place(place) if place else None,
                agency=self.patterns.canonical_agency(agency) if agency else None,
                date=_date_from_match(match, self.patterns) if groups.get("month") else PartialDate(),
            )
        return None

    def mark_repeats(self, title: str, body: list[int]) -> None:
        folded_title = title.casefold()
        for index in body:
            line = self.lines[index]
            stripped = line.text.lstrip()
            if len(folded_title) >= 20 and stripped.casefold().startswith(folded_title):
                lead_space = len(line.text) - len(stripped)
                end = line.start + lead_space + len(title)
                if line.text[lead_space + len(title) :].strip():
                    self.spans.append(Span(line.start, end, "repeated-headline"))
                else:
                    self.mark_line(index, "repeated-headline")
        collapsed = {i: collapse_whitespace(self.lines[i].text) for i in body if i not in self.boiler_lines}
        if len(body) > _REPEAT_SCAN_LINES:
            # a file of many lines (a log, a data dump): only exact repeats, so the time grows with the lines, not their square
            later_lines: set[str] = set()
            for index in reversed(body):
                own = collapsed.get(index)
                if own and len(own) >= _REPEAT_MIN_CHARS and own in later_lines:
                    self.mark_line(index, "repeated")
                if own:
                    later_lines.add(own)
            return
        for position, index in enumerate(body):
            own = collapsed.get(index)
            if not own or len(own) < _REPEAT_MIN_CHARS:
                continue
            if any(own in collapsed.get(later, "") for later in body[position + 1 :]):
                self.mark_line(index, "repeated")

    def mark_tail(self) -> None:
        for index in reversed(self.content()):
            line = self.lines[index]
            match = self.patterns.line_agency.match(line.text)
            if match:
                self.found_agencies.insert(0, self.patterns.canonical_agency(match.group("agency")))
                self.mark_line(index, "agency-tag")
                continue
            match = self.patterns.tail_agency.search(line.text)
            if match:
                self.found_agencies.insert(0, self.patterns.canonical_agency(match.group("agency")))
                self.spans.append(Span(line.start + match.start(), line.end, "agency-tag"))
                return
            stripped = line.text.rstrip()
            for mark in self.patterns.end_marks:
                if stripped.endswith(mark):
                    self.spans.append(Span(line.start + len(stripped) - len(mark), line.start + len(stripped), "end-mark"))
                    return
            return

    def parse(self) -> ParsedArticle:
        self.mark_boilerplate_lines()
        content = self.content()
        if not content:
            raise NotAnArticleError("no article text: only web leftovers such as 'See more'")
        marker_date, marker_end = self.date_marker(content[0])
        content = self.content()
        if not content:
            raise NotAnArticleError("no article text after the date line")
        self.mark_tail()
        content = self.content()
        if not content:
            raise NotAnArticleError("no article text: only an agency tag")
        first = content[0]
        first_offset = marker_end if self.spans and first in self._marker_lines() else 0
        first_text = self.lines[first].text[first_offset:].strip()

        title_kind: TitleKind
        title = ""
        body = content
        caption = self.patterns.caption.search(first_text)
        hint_title = collapse_whitespace(clean_text(self.hints.title)) if self.hints.title else ""
        if hint_title:
            title, title_kind = hint_title, "headline"
            if collapse_whitespace(first_text).casefold() == hint_title.casefold():
                body = content[1:]
        elif caption and caption.start() > 0:
            title, title_kind, body = first_text[: caption.start()].strip(), "caption", content[1:]
        elif len(content) > 1 and _looks_like_headline(first_text) and self.dateline_at(first, first_offset) is None:
            title, title_kind, body = first_text, "headline", content[1:]
        else:
            title_kind = "lead"
        if title:
            self.mark_repeats(title, body)
        body = [i for i in body if i not in self.boiler_lines]
        if not body:
            body = [first]

        dateline = None
        for index in body[:_DATELINE_SEARCH_LINES]:
            offset = first_offset if index == first else 0
            dateline = self.dateline_at(index, offset)
            if dateline:
                break
        if title_kind == "lead":
            lead_index = dateline.line if dateline else body[0]
            lead_offset = dateline.body_offset if dateline else (first_offset if lead_index == first else 0)
            title = title_from_lead(self.lines[lead_index].text[lead_offset:])

        date = marker_date
        if date.precision == "unknown" and self.hints.date:
            date = parse_iso_date(self.hints.date)
        if date.precision in ("unknown", "year") and dateline and dateline.date.precision != "unknown":
            year = dateline.date.year if dateline.date.year is not None else date.year
            date = _valid_date(year, dateline.date.month, dateline.date.day)

        agency = (dateline.agency if dateline else None) or next(iter(self.found_agencies), None)
        if agency is None and self.hints.agency:
            agency = self.patterns.canonical_agency(self.hints.agency)
        return ParsedArticle(
            title=title,
            title_kind=title_kind,
            text=self.text,
            agency=agency,
            place=dateline.place if dateline else None,
            date=date,
            boilerplate=_merge_spans(self.spans),
            url=self.hints.url,
            tags=list(self.hints.tags),
            author=_hint(self.hints.author),
            publication=_hint(self.hints.publication),
        )

    def _marker_lines(self) -> set[int]:
        starts = {span.start for span in self.spans if span.kind == "date-marker"}
        return {i for i, line in enumerate(self.lines) if line.start in starts}


def _hint(value: str | None) -> str | None:
    """A metadata hint as stored: clean, on one line, None when empty."""
    return collapse_whitespace(clean_text(value)) or None if value else None


def _merge_spans(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.end <= span.start:
            continue
        if merged and span.start <= merged[-1].end:
            last = merged[-1]
            if span.end > last.end:
                merged[-1] = Span(last.start, span.end, last.kind)
            continue
        merged.append(span)
    return merged


def parse_article(raw_text: str, patterns: NewsPatterns, hints: Hints | None = None) -> ParsedArticle:
    """Clean ``raw_text`` and read its news structure.

    Raises:
        NotAnArticleError: the text is all leftovers, or longer than :data:`MAX_ARTICLE_CHARS`.
    """
    text = clean_text(raw_text)
    if len(text) > MAX_ARTICLE_CHARS:
        raise NotAnArticleError(
            f"too long for one article ({len(text):,} characters; the limit is {MAX_ARTICLE_CHARS:,}): "
            "split it into articles, or into the lines of a .jsonl file"
        )
    return _Parser(text, patterns, hints or Hints()).parse()
