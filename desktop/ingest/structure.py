"""News structure: headline or caption, dateline, agency, date with its precision, boilerplate spans."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from desktop.core.models import ParsedArticle, PartialDate, Span, TitleKind
from desktop.core.text import clean_text, collapse_whitespace
from desktop.ingest.dates import DateReader, FoundDate, parse_iso_date
from desktop.ingest.patterns import NewsPatterns
from desktop.ingest.reflow import reflow

__all__ = ["Hints", "NotAnArticleError", "first_sentence", "normalise_place", "parse_article", "parse_iso_date", "title_from_lead"]

TITLE_MAX_CHARS = 120
_HEADLINE_MAX_CHARS = 200
_HEADLINE_MAX_WORDS = 25
_REPEAT_MIN_CHARS = 60
# A line held inside a later one (a page's teaser, then "Hanoi (VNA) – " and the same lead) is looked for among the first
# lines only, where pages repeat their lead: all pairs of a book's paragraphs would take hours. Whole repeated lines are
# found anywhere.
_REPEAT_WINDOW_LINES = 200
_REPEAT_WINDOW_CHARS = 200_000
_DATELINE_SEARCH_LINES = 4
_DATE_LINE_HEAD_LINES = 6  # a date line stands above or just below the headline…
_DATE_LINE_TAIL_LINES = 2  # …or at the foot of the story
_LEAD_SENTENCE_CHARS = 2_000
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
        end = match.start() + 1
        if _ABBREVIATION.search(text, max(0, end - 8), end):  # only the end: a search of all before it is quadratic
            continue
        return text[:end].strip()
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
        self.dates = DateReader(text, patterns)
        self.marker_line: int | None = None
        self.marker_end = 0

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

    def find_stated_date(self) -> PartialDate:
        """The date the text states: lines that are only a date near the top or the foot (hidden, never a title),
        then a date opening the first line (``Published: … text``); a publication date before an update's."""
        content = self.content()
        found: list[tuple[int, FoundDate]] = []
        for index in dict.fromkeys(content[:_DATE_LINE_HEAD_LINES] + content[-_DATE_LINE_TAIL_LINES:]):
            stated = self.dates.date_line(self.lines[index].text)
            if stated:
                self.mark_line(index, "date-line")
                found.append((index, stated))
        content = self.content()
        if content:
            line = self.lines[content[0]]
            marker = self.dates.date_marker(line.text)
            if marker:
                self.spans.append(Span(line.start, line.start + marker.end, "date-marker"))
                self.marker_line, self.marker_end = content[0], marker.end
                if not line.text[marker.end :].strip():
                    self.boiler_lines.add(content[0])
                found.append((content[0], marker))
        found.sort(key=lambda item: (item[1].updated, item[0]))
        return found[0][1].date if found else PartialDate()

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
                date=self.dates.from_match(match) if groups.get("month") or groups.get("first") else PartialDate(),
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
        repeated: set[int] = set()
        later_lines: set[str] = set()
        for index in reversed(body):
            own = collapsed.get(index)
            if own and len(own) >= _REPEAT_MIN_CHARS and own in later_lines:
                repeated.add(index)
            if own:
                later_lines.add(own)
        window: list[int] = []
        chars = 0
        for index in body:
            chars += len(collapsed.get(index, ""))
            if len(window) >= _REPEAT_WINDOW_LINES or chars > _REPEAT_WINDOW_CHARS:
                break
            window.append(index)
        for position, index in enumerate(window):
            own = collapsed.get(index)
            if own and len(own) >= _REPEAT_MIN_CHARS and any(own in collapsed.get(later, "") for later in window[position + 1 :]):
                repeated.add(index)
        for index in sorted(repeated):
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
        stated_date = self.find_stated_date()
        content = self.content()
        if not content:
            raise NotAnArticleError("no article text after the date line")
        self.mark_tail()
        content = self.content()
        if not content:
            raise NotAnArticleError("no article text: only an agency tag")
        first = content[0]
        first_offset = self.marker_end if first == self.marker_line else 0
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
        lead_index = dateline.line if dateline else body[0]
        lead_offset = dateline.body_offset if dateline else (first_offset if lead_index == first else 0)
        lead = self.lines[lead_index].text[lead_offset:]
        if title_kind == "lead":
            title = title_from_lead(lead)

        # the format's date first, then the one the text states, the dateline's, the lead's: each fills what the others lack
        date = parse_iso_date(self.hints.date)
        for better in (stated_date, dateline.date if dateline else PartialDate()):
            date = _refine(date, better)
        if date.year is None or date.day is None:
            date = _refine(date, self.dates.lead_date(first_sentence(lead[:_LEAD_SENTENCE_CHARS])))

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


def _refine(date: PartialDate, better: PartialDate) -> PartialDate:
    """``date`` with the parts it lacks taken from ``better``, when the parts both know agree; else ``date`` as it is."""
    known = (date.year, date.month, date.day)
    other = (better.year, better.month, better.day)
    if any(a is not None and b is not None and a != b for a, b in zip(known, other, strict=True)):
        return date
    year, month, day = (a if a is not None else b for a, b in zip(known, other, strict=True))
    merged = PartialDate(year, month, day if month is not None else None)
    return merged if merged.precision != "unknown" else date


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
    """Clean ``raw_text``, re-flow its hard-wrapped paragraphs, and read its news structure.

    Any length is read whole, in time that grows with the length (no step compares all lines with all lines).

    Raises:
        NotAnArticleError: the text is all leftovers.
    """
    text = reflow(clean_text(raw_text))
    return _Parser(text, patterns, hints or Hints()).parse()
