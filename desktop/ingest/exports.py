"""News-database exports (LexisNexis, Nexis Uni, Factiva): one file's text split into its stories, with their fields.

A download from these databases holds tens to hundreds of stories in one TXT, RTF, DOCX, PDF or HTML file. Once a
format's reader has the file's text, :func:`split_export` recognises an export by its structure (never by the file's
name) and returns each story with its headline, publication, date, byline and the other labelled fields.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
            ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
#: "July 1, 2015 Wednesday", "January 11, 2010", "July 2, 2019 Tuesday 9:33 AM GMT", "1 July 2015", "01 July 2015 10:00"
_MONTH2 = _MONTH.replace("month", "month2")
_DATE_LINE = re.compile(
    rf"^\s*(?:{_WEEKDAY},?\s+)?(?:{_MONTH}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})|(?P<day2>\d{{1,2}})\s+{_MONTH2}"
    rf",?\s+(?P<year2>\d{{4}}))(?:,?\s+{_WEEKDAY})?(?:,?\s+\d{{1,2}}:\d{{2}}(?:\s*[AP]\.?M\.?)?(?:\s+[A-Z]{{2,5}})?)?\s*$",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(r"^\s*(?:copyright\b|©|\(c\)\s*\d{4}|all rights reserved\b)", re.IGNORECASE)
_BLANK = re.compile(r"^\s*$")

# LexisNexis (Academic, classic): "1 of 161 DOCUMENTS", labelled fields in capitals
_LN_MARKER = re.compile(r"^\s*(?:FOCUS - )?(\d+) of (\d+) DOCUMENTS?\s*$", re.MULTILINE)
_LN_FRONT = ("HEADLINE", "BYLINE", "SECTION", "LENGTH", "DATELINE", "HIGHLIGHT", "EDITION", "SERIES", "COLUMN", "SOURCE")
_LN_BACK = (
    "LOAD-DATE", "LANGUAGE", "PUBLICATION-TYPE", "GRAPHIC", "CORRECTION-DATE", "CORRECTION", "URL", "JOURNAL-CODE",
    "NOTES", "SUBJECT", "ORGANIZATION", "PERSON", "GEOGRAPHIC", "CITY", "STATE", "COUNTRY", "TICKER", "INDUSTRY",
    "DOCUMENT-TYPE", "TYPE", "ACC-NO", "DISTRIBUTION", "DESCRIPTION", "PHOTO", "CHART",
)  # fmt: skip
_LN_FIELD = re.compile(r"^(?P<label>[A-Z][A-Z-]+(?: [A-Z]+)?):[ \t]*(?P<value>.*)$")

# Nexis Uni: each story ends "End of Document" (page-image artefacts may glue digits to it)
_NU_END = re.compile(r"^\W*\d*\s*End of Document\s*$", re.MULTILINE | re.IGNORECASE)
_NU_FRONT = ("Section", "Length", "Byline", "Highlight", "Dateline", "Edition")
_NU_BACK = (
    "Classification", "Language", "Publication-Type", "Subject", "Geographic", "Person", "Organization", "Industry",
    "Load-Date", "Graphic", "Notes", "Document-Type", "Company", "Ticker", "Series", "Correction-Date", "Journal-Code",
)  # fmt: skip
_NU_FIELD = re.compile(r"^(?P<label>[A-Z][A-Za-z-]+):[ \t]*(?P<value>.*)$")
_DIGITS_ONLY = re.compile(r"^\s*\d+\s*$")

# Factiva: two-letter codes (HD headline, BY byline, WC words, PD date, SN source, LP lead, TD text, AN document id)
_FV_CODES = (
    "HD", "CR", "BY", "WC", "PD", "ET", "SN", "SC", "ED", "PG", "LA", "CY", "LP", "TD", "CT", "RF", "CO", "IN", "NS", "RE",
    "IPC", "IPD", "PUB", "AN",
)  # fmt: skip
_FV_FIELD = re.compile(r"^[ \t]*(?P<code>" + "|".join(_FV_CODES) + r")(?:[ \t]{2,}|\t|[ \t]*$)(?P<value>.*)$")
_FV_DOC_ID = re.compile(r"^\s*(?:AN\s+)?Document\s+([A-Za-z0-9]{16,})\s*$", re.MULTILINE)


@dataclass(slots=True)
class Story:
    """One story of an export: its text and the fields the database gave it."""

    number: int
    body: str
    headline: str | None = None
    publication: str | None = None
    date: str | None = None  # ISO date (day precision) when the date line could be read
    byline: str | None = None
    url: str | None = None
    details: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The story as the news parser reads it: headline, a blank line, then the body."""
        return f"{self.headline}\n\n{self.body}" if self.headline else self.body


@dataclass(frozen=True, slots=True)
class Export:
    """An export's stories, the database it came from, and its header (the query terms, the time of request)."""

    database: str
    stories: tuple[Story, ...]
    header: dict[str, str]


def iso_date(text: str) -> str | None:
    """``2015-07-01`` from a press date line (``July 1, 2015 Wednesday``, ``1 July 2015``), None if it is not one."""
    match = _DATE_LINE.match(text)
    if not match:
        return None
    month = _MONTHS[(match["month"] or match["month2"]).lower()]
    day, year = int(match["day"] or match["day2"]), int(match["year"] or match["year2"])
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= day <= 31 else None


def _clean(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


def _paragraphs(lines: Sequence[str], *, one_a_line: bool = False) -> str:
    """Lines back to text, blank runs collapsed to one blank line, no leading or trailing blanks (each line a paragraph
    of its own when ``one_a_line``: a word processor's paragraphs)."""
    if one_a_line:
        return "\n\n".join(line.strip() for line in lines if line.strip())
    text = "\n".join(line.rstrip() for line in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def _fields(
    lines: Sequence[str], pattern: re.Pattern[str], labels: Sequence[str], *, wrapped: bool = True
) -> tuple[dict[str, str], list[int]]:
    """Labelled fields and the line numbers they take; a wrapped value runs on until a blank line or the next label."""
    wanted = {label.casefold() for label in labels}
    found: dict[str, str] = {}
    used: list[int] = []
    index = 0
    while index < len(lines):
        match = pattern.match(lines[index].strip())
        if match and match["label"].casefold() in wanted:
            value = [match["value"]]
            used.append(index)
            while wrapped and index + 1 < len(lines) and not _BLANK.match(lines[index + 1]) and not pattern.match(lines[index + 1].strip()):
                index += 1
                value.append(lines[index])
                used.append(index)
            found.setdefault(match["label"].casefold(), _clean(" ".join(value)))
        index += 1
    return found, used


def _first_label(lines: Sequence[str], pattern: re.Pattern[str], labels: Sequence[str], start: int = 0) -> int:
    wanted = {label.casefold() for label in labels}
    for index in range(start, len(lines)):
        match = pattern.match(lines[index].strip())
        if match and match["label"].casefold() in wanted:
            return index
    return len(lines)


def _details(fields: dict[str, str], names: dict[str, str]) -> dict[str, str]:
    return {name: fields[key] for key, name in names.items() if fields.get(key)}


def _section_and_page(section: str | None, details: dict[str, str]) -> None:
    """``A-SECTION; Pg. A01`` into a section and a page."""
    if not section:
        return
    parts = [part.strip() for part in section.split(";")]
    kept = []
    for part in parts:
        page = re.match(r"^(?:Pg\.?|Page|P\.)\s*(\S+)$", part, re.IGNORECASE)
        if page:
            details["page"] = page.group(1)
        elif part:
            kept.append(part)
    if kept:
        details["section"] = "; ".join(kept)


# --- LexisNexis ------------------------------------------------------------------------------------------------


def _lexisnexis_story(number: int, chunk: str, one_a_line: bool = False) -> Story:
    lines = chunk.split("\n")
    front_end = _first_label(lines, _LN_FIELD, _LN_FRONT)
    header = [(i, line) for i, line in enumerate(lines[:front_end]) if not _BLANK.match(line) and not _COPYRIGHT.match(line)]
    date_at = next((i for i, line in header if iso_date(line)), None)
    publication = date = None
    headline_lines: list[str] = []
    edition: list[str] = []
    if date_at is not None:
        date = iso_date(lines[date_at])
        before = [line for i, line in header if i < date_at]
        publication = _clean(before[-1]) if before else None
        after = [(i, line) for i, line in header if i > date_at]
        for i, line in after:
            indented = len(line) - len(line.lstrip()) >= 8
            continues = bool(edition) and edition[-1].endswith(";")
            if not headline_lines and (indented or "edition" in line.casefold() or continues):
                edition.append(line.strip())
            else:
                headline_lines.append(lines[i])
    fields, used = _fields(lines, _LN_FIELD, (*_LN_FRONT, *_LN_BACK), wrapped=not one_a_line)
    headline = fields.get("headline") or (_clean(" ".join(headline_lines)) or None)
    body_label = _first_label(lines, _LN_FIELD, ("BODY",))
    if body_label < len(lines):
        body_start = body_label + 1
    else:
        body_start = max((i for i in used if i < _first_label(lines, _LN_FIELD, _LN_BACK, front_end)), default=front_end - 1) + 1
        body_start = max(body_start, front_end)
    body_end = _first_label(lines, _LN_FIELD, _LN_BACK, body_start)
    body = [line.strip() for line in lines[body_start:body_end] if not _COPYRIGHT.match(line)]
    details = _details(
        fields,
        {"length": "length", "language": "language", "dateline": "dateline", "load-date": "load date",
         "publication-type": "publication type", "graphic": "graphic", "correction-date": "correction date",
         "highlight": "highlight", "subject": "subjects", "geographic": "regions", "journal-code": "journal code"},
    )  # fmt: skip
    _section_and_page(fields.get("section"), details)
    if edition:
        details["edition"] = _clean(" ".join(edition)).rstrip(";")
    return Story(
        number, _paragraphs(body, one_a_line=one_a_line), headline, publication, date, fields.get("byline"), fields.get("url"), details
    )


def _lexisnexis(text: str, one_a_line: bool) -> Export | None:
    markers = list(_LN_MARKER.finditer(text))
    if not markers:
        return None
    header_fields, _ = _fields(text[: markers[0].start()].split("\n"), re.compile(r"^(?P<label>[A-Za-z][A-Za-z ]+):[ \t]*(?P<value>.*)$"),
                               ("Download Request", "Time Of Request", "Terms", "Source", "Search Terms"))  # fmt: skip
    stories = []
    for index, marker in enumerate(markers):
        end = markers[index + 1].start() if index + 1 < len(markers) else len(text)
        stories.append(_lexisnexis_story(index + 1, text[marker.end() : end], one_a_line))
    return Export("LexisNexis", tuple(stories), header_fields)


def _stories(text: str, markers: Sequence[re.Match[str]], read: Callable[[int, str], Story | None], *, with_marker: bool) -> list[Story]:
    """The stories between markers that end them (the marker itself kept with its story when it holds a field)."""
    stories: list[Story] = []
    start = 0
    for marker in markers:
        story = read(len(stories) + 1, text[start : marker.end() if with_marker else marker.start()])
        if story is not None:
            stories.append(story)
        start = marker.end()
    return stories


# --- Nexis Uni -------------------------------------------------------------------------------------------------


def _nexis_uni_story(number: int, chunk: str, one_a_line: bool = False) -> Story | None:
    lines = chunk.split("\n")
    front = _first_label(lines, _NU_FIELD, _NU_FRONT)
    body_at = next((i for i in range(front, len(lines)) if lines[i].strip() == "Body"), None)
    if front == len(lines) and body_at is None:
        return None
    start = front if body_at is None else min(front, body_at)
    header = [i for i in range(start) if not _BLANK.match(lines[i]) and not _COPYRIGHT.match(lines[i])]
    date_at = next((i for i in reversed(header) if iso_date(lines[i])), None)
    publication = headline = date = None
    if date_at is not None:
        date = iso_date(lines[date_at])
        before = [i for i in header if i < date_at]
        if before:
            publication = _clean(lines[before[-1]])
            title: list[str] = []
            for i in reversed(range(before[-1])):
                if _BLANK.match(lines[i]) or len(title) == (1 if one_a_line else 3):
                    break
                title.insert(0, lines[i])
            headline = _clean(" ".join(title)) or None
    fields, _ = _fields(lines, _NU_FIELD, (*_NU_FRONT, *_NU_BACK), wrapped=False)
    body_start = body_at + 1 if body_at is not None else max(start, 0)
    body_end = min(
        _first_label(lines, _NU_FIELD, _NU_BACK, body_start),
        next((i for i in range(body_start, len(lines)) if lines[i].strip() == "Classification"), len(lines)),
    )
    body = [line for line in lines[body_start:body_end] if not _DIGITS_ONLY.match(line)]
    details = _details(
        fields,
        {"length": "length", "language": "language", "dateline": "dateline", "load-date": "load date", "highlight": "highlight",
         "publication-type": "publication type", "subject": "subjects", "geographic": "regions", "edition": "edition"},
    )  # fmt: skip
    _section_and_page(fields.get("section"), details)
    return Story(number, _paragraphs(body, one_a_line=one_a_line), headline, publication, date, fields.get("byline"), None, details)


def _nexis_uni(text: str, one_a_line: bool) -> Export | None:
    ends = list(_NU_END.finditer(text))
    if not ends:
        return None
    stories = _stories(text, ends, functools.partial(_nexis_uni_story, one_a_line=one_a_line), with_marker=False)
    header_fields, _ = _fields(text.split("\n")[:6], re.compile(r"^(?P<label>[A-Za-z][A-Za-z ]+):[ \t]*(?P<value>.*)$"),
                               ("Date and Time", "Job Number", "Search Terms"), wrapped=False)  # fmt: skip
    return Export("Nexis Uni", tuple(stories), header_fields) if stories else None


# --- Factiva ---------------------------------------------------------------------------------------------------


def _factiva_story(number: int, chunk: str, one_a_line: bool = False) -> Story | None:
    fields: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in chunk.split("\n"):
        match = _FV_FIELD.match(line)
        if match:
            current = fields.setdefault(match["code"], [])
            if match["value"].strip():
                current.append(match["value"].strip())
        elif current is not None:
            current.append(line.strip())
    if "HD" not in fields and "LP" not in fields and "TD" not in fields:
        return None

    def one(code: str) -> str | None:
        return _clean(" ".join(fields.get(code, []))) or None

    body = _paragraphs([*fields.get("LP", []), "", *fields.get("TD", [])], one_a_line=one_a_line)
    details = {name: value for code, name in (
        ("WC", "length"), ("LA", "language"), ("SC", "source code"), ("ED", "edition"), ("PG", "page"), ("ET", "time"),
        ("CO", "companies"), ("IN", "industries"), ("NS", "subjects"), ("RE", "regions"), ("CY", "copyright"), ("SE", "section"),
    ) if (value := one(code))}  # fmt: skip
    doc_id = one("AN")
    if doc_id:
        details["document id"] = re.sub(r"^Document\s+", "", doc_id)
    date = one("PD")
    return Story(number, body, one("HD"), one("SN"), iso_date(date) if date else None, one("BY"), None, details)


def _factiva(text: str, one_a_line: bool) -> Export | None:
    ids = list(_FV_DOC_ID.finditer(text))
    if not ids or not re.search(r"^[ \t]*HD(?:[ \t]|$)", text, re.MULTILINE):
        return None
    stories = _stories(text, ids, functools.partial(_factiva_story, one_a_line=one_a_line), with_marker=True)
    return Export("Factiva", tuple(stories), {}) if stories else None


_RECOGNISERS: tuple[Callable[[str, bool], Export | None], ...] = (_lexisnexis, _nexis_uni, _factiva)


_HTML_HINT = re.compile(r"\d+ of \d+ DOCUMENTS|End of Document|Document\s+[A-Za-z0-9]{16,}", re.IGNORECASE)


def might_be_export(markup: str) -> bool:
    """A quick look at a web page's markup: could it be an export (worth reading its visible text whole)?"""
    return _HTML_HINT.search(markup) is not None


def html_cells_apart(markup: str) -> str:
    """Markup whose table cells end a line, so a cell's label and its value stay apart in the visible text."""
    return re.sub(r"(</t[dh]\s*>)", "\\1<br>", markup, flags=re.IGNORECASE)


def _word_processor_lines(text: str) -> str | None:
    """A word processor's text (every paragraph, field or headline its own paragraph, a blank line between each) as
    one line a paragraph; None for a text whose blank lines mean something (a TXT export)."""
    lines = text.split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    apart = sum(1 for i in filled if i + 1 < len(lines) and not lines[i + 1].strip())
    if len(filled) < 12 or apart < 0.85 * len(filled):
        return None
    return "\n".join(lines[i].strip() for i in filled)


def split_export(text: str) -> Export | None:
    """The stories of a news-database export, or None when ``text`` is not one (an ordinary article)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    lines = _word_processor_lines(text)
    for recognise in _RECOGNISERS:
        export = recognise(text if lines is None else lines, lines is not None)
        if export is not None and export.stories:
            return export
    return None
