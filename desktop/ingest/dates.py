"""Dates as the press writes them: a line that is only a date, a date opening a line, a date in the lead.

The forms live in ``news_patterns.json`` (``date_forms`` and the templates ``date_lines``, ``date_markers``,
``lead_dates``, compiled by :mod:`desktop.ingest.patterns`); this module reads what they match.

A numeric date such as ``4/3/2024`` is read day first (Vietnamese and European use) unless the text's
locale hint says US English (:func:`locale_hint`). A date whose numbers can only be read one way
(``14/3/2024``, ``3/14/2024``) is read that way whatever the hint.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from desktop.core.models import PartialDate
from desktop.ingest.patterns import NewsPatterns

DateOrder = Literal["day-first", "month-first"]

#: how much of a text the locale hint reads: enough for any article's own words, linear on a book
_HINT_SAMPLE_CHARS = 20_000
#: a text is Vietnamese when this share of its letters are Vietnamese (marked vowels, đ)
_VIETNAMESE_SHARE = 0.05
_VIETNAMESE_LETTERS = frozenset(
    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
)
_LEAD_SAMPLE_CHARS = 2_000


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date read from a text: the date, where its words end, and whether it is an update's date (less weight)."""

    date: PartialDate
    end: int
    updated: bool = False


def valid_date(year: int | None, month: int | None, day: int | None) -> PartialDate:
    """A :class:`PartialDate` of the parts that can be true: a 13th month or a 31 February is dropped, not kept."""
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


def parse_iso_date(text: str | None) -> PartialDate:
    """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a longer timestamp is cut to the day)."""
    if not text:
        return PartialDate()
    match = re.match(r"\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text)
    if not match:
        return PartialDate()
    year, month, day = (int(g) if g else None for g in match.groups())
    return valid_date(year, month, day)


def locale_hint(text: str, patterns: NewsPatterns) -> DateOrder:
    """How the text writes numeric dates: ``month-first`` only for English in the US style.

    Read from the first 20,000 characters: a text of which 5% or more of the letters are Vietnamese
    (marked vowels, đ) is day-first; otherwise one that writes more month-first dates (``March 14``)
    than day-first ones (``14 March``) is month-first; anything else is day-first, the Vietnamese and
    European default.
    """
    sample = text[:_HINT_SAMPLE_CHARS]
    letters = sum(1 for ch in sample if ch.isalpha())
    vietnamese = sum(1 for ch in sample if ch in _VIETNAMESE_LETTERS)
    if letters and vietnamese / letters >= _VIETNAMESE_SHARE:
        return "day-first"
    month_first = sum(1 for _ in patterns.month_first.finditer(sample))
    day_first = sum(1 for _ in patterns.day_first.finditer(sample))
    return "month-first" if month_first > day_first else "day-first"


def date_from_match(match: re.Match[str], patterns: NewsPatterns, order: DateOrder = "day-first") -> PartialDate:
    """The date a date pattern matched: named groups ``day``, ``month`` (a number or a name), ``year``, or ``first``/``second``."""
    groups = match.groupdict()
    month_text = groups.get("month")
    month: int | None = None
    if month_text:
        month = int(month_text) if month_text.isdigit() else patterns.months.get(month_text.casefold())
    year = int(groups["year"]) if groups.get("year") else None
    day = int(groups["day"]) if groups.get("day") else None
    if groups.get("first") and groups.get("second"):
        first, second = int(groups["first"]), int(groups["second"])
        month_first = second > 12 or (order == "month-first" and first <= 12)
        month, day = (first, second) if month_first else (second, first)
    return valid_date(year, month, day)


def _first_match(regexes: tuple[re.Pattern[str], ...], text: str, patterns: NewsPatterns, order: DateOrder) -> FoundDate | None:
    for regex in regexes:
        match = regex.match(text)
        if match:
            date = date_from_match(match, patterns, order)
            if date.precision != "unknown":
                return FoundDate(date, match.end(), bool(match.groupdict().get("updated")))
    return None


def date_line(line: str, patterns: NewsPatterns, order: DateOrder) -> FoundDate | None:
    """The date of a line that holds nothing but a date (with its weekday, prefix, time and zone), else None."""
    if len(line) > 160:  # the longest date line is far shorter; a paragraph is never one
        return None
    return _first_match(patterns.date_lines, line, patterns, order)


def date_marker(line: str, patterns: NewsPatterns, order: DateOrder) -> FoundDate | None:
    """The date that opens ``line`` after a word such as ``Published:``; ``end`` is where the text after it starts."""
    return _first_match(patterns.date_markers, line, patterns, order)


def lead_date(sentence: str, patterns: NewsPatterns, order: DateOrder) -> PartialDate:
    """The earliest date with a year in the lead's first sentence (``… on March 14, 2024``), else an unknown date."""
    sentence = sentence[:_LEAD_SAMPLE_CHARS]
    best: tuple[int, PartialDate] | None = None
    for regex in patterns.lead_dates:
        match = regex.search(sentence)
        if match is None or (best is not None and match.start() >= best[0]):
            continue
        date = date_from_match(match, patterns, order)
        if date.year is not None and date.month is not None:
            best = (match.start(), date)
    return best[1] if best else PartialDate()
