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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from desktop.core.models import PartialDate
from desktop.ingest.patterns import NewsPatterns

DateOrder = Literal["day-first", "month-first"]

#: how much of a text the locale hint reads: enough for any article's own words, linear on a book
_HINT_SAMPLE_CHARS = 20_000
#: a text is Vietnamese when this share of its letters are Vietnamese (marked vowels, đ)
_VIETNAMESE_SHARE = 0.05
_VIETNAMESE_LETTER = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ]"
)
_LETTER = re.compile(r"[^\W\d_]")
_LEAD_SAMPLE_CHARS = 2_000
_DATE_LINE_MAX_CHARS = 160  # the longest date line is far shorter; a paragraph is never one


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
    letters = len(_LETTER.findall(sample))
    if letters and len(_VIETNAMESE_LETTER.findall(sample)) / letters >= _VIETNAMESE_SHARE:
        return "day-first"
    month_first = sum(1 for _ in patterns.month_first.finditer(sample))
    day_first = sum(1 for _ in patterns.day_first.finditer(sample))
    return "month-first" if month_first > day_first else "day-first"


def date_from_match(match: re.Match[str], patterns: NewsPatterns, order: DateOrder | Callable[[], DateOrder] = "day-first") -> PartialDate:
    """The date a date pattern matched: named groups ``day``, ``month`` (a number or a name), ``year``, or ``first``/``second``.

    ``order`` (or a function giving it, asked only when the numbers could be read both ways) reads ``first/second``.
    """
    groups = match.groupdict()
    month_text = groups.get("month")
    month: int | None = None
    if month_text:
        month = int(month_text) if month_text.isdigit() else patterns.months.get(month_text.casefold())
    year = int(groups["year"]) if groups.get("year") else None
    day = int(groups["day"]) if groups.get("day") else None
    if groups.get("first") and groups.get("second"):
        first, second = int(groups["first"]), int(groups["second"])
        ambiguous = first <= 12 and second <= 12
        month_first = (order if isinstance(order, str) else order()) == "month-first" if ambiguous else second > 12
        month, day = (first, second) if month_first else (second, first)
    return valid_date(year, month, day)


class DateReader:
    """Reads the dates of one text; the text's locale hint is worked out only if a numeric date needs it."""

    def __init__(self, text: str, patterns: NewsPatterns) -> None:
        self.text = text
        self.patterns = patterns
        self._order: DateOrder | None = None

    def order(self) -> DateOrder:
        if self._order is None:
            self._order = locale_hint(self.text, self.patterns)
        return self._order

    def from_match(self, match: re.Match[str]) -> PartialDate:
        return date_from_match(match, self.patterns, self.order)

    def _first_match(self, regexes: tuple[re.Pattern[str], ...], text: str) -> FoundDate | None:
        for regex in regexes:
            match = regex.match(text)
            if match:
                date = self.from_match(match)
                if date.precision != "unknown":
                    return FoundDate(date, match.end(), bool(match.groupdict().get("updated")))
        return None

    def date_line(self, line: str) -> FoundDate | None:
        """The date of a line that holds nothing but a date (with its weekday, prefix, time and zone), else None."""
        if len(line) > _DATE_LINE_MAX_CHARS:
            return None
        return self._first_match(self.patterns.date_lines, line)

    def date_marker(self, line: str) -> FoundDate | None:
        """The date that opens ``line`` after a word such as ``Published:``; ``end`` is where the text after it starts."""
        return self._first_match(self.patterns.date_markers, line)

    def lead_date(self, sentence: str) -> PartialDate:
        """The earliest date with a year and a month in the lead's first sentence (``… on March 14, 2024``), else unknown."""
        sentence = sentence[:_LEAD_SAMPLE_CHARS]
        best: tuple[int, PartialDate] | None = None
        for regex in self.patterns.lead_dates:
            match = regex.search(sentence)
            if match is None or (best is not None and match.start() >= best[0]):
                continue
            date = self.from_match(match)
            if date.year is not None and date.month is not None:
                best = (match.start(), date)
        return best[1] if best else PartialDate()
