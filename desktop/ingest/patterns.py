"""The news parser's patterns: shipped defaults merged with an archive's own ``patterns.json``."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from desktop.core.errors import KnownError

_PLACE_WORD = r"[^\W\d_][\w'’.-]*"
_CAPS_WORD = r"[^\W\d_a-z][^\W\d_a-z'’.-]+"
_ANY_DATE = re.compile(r"\{ANY_DATE(?::(?P<names>[\w,]+))?\}")
_TIME = r"(?:\d{1,2}(?::|h|\.)\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*(?i:[ap]\.?m\b\.?))?|\d{1,2}\s*(?i:[ap]\.?m\b\.?))"
# "(GMT+7)", "GMT+07:00", "UTC", "ICT", "+07:00", "Z"
_ZONE = (
    r"(?:\(?\s*(?:GMT|UTC)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?\s*\)?|\(?(?:ICT|EST|EDT|CST|CDT|MST|MDT|PST|PDT|BST|CET|CEST|ET|PT)\)?"
    r"|[+-]\d{2}:?\d{2}|Z)(?!\w)"
)


@dataclass(frozen=True, slots=True)
class LinePattern:
    regex: re.Pattern[str]
    kind: str


@dataclass(frozen=True, slots=True)
class NewsPatterns:
    """Compiled patterns; build with :func:`load_patterns`."""

    agency_aliases: dict[str, str]
    months: dict[str, int]
    #: a date opening a line, maybe followed by text (``Published: 14 March 2024 …``)
    date_markers: tuple[re.Pattern[str], ...]
    #: a line that is only a date, with its weekday, time and zone (``Thứ năm, 14/3/2024, 16:05 (GMT+7)``)
    date_lines: tuple[re.Pattern[str], ...]
    #: a date in the lead's first sentence (``… on March 14, 2024``, ``… ngày 14/3/2024``)
    lead_dates: tuple[re.Pattern[str], ...]
    #: ``March 14`` and ``14 March`` anywhere: which one a text uses hints how it writes ``3/4/2024``
    month_first: re.Pattern[str]
    day_first: re.Pattern[str]
    datelines: tuple[re.Pattern[str], ...]
    caption: re.Pattern[str]
    boilerplate_lines: tuple[LinePattern, ...]
    boilerplate_inline: tuple[LinePattern, ...]
    end_marks: tuple[str, ...]
    tail_agency: re.Pattern[str]
    line_agency: re.Pattern[str]

    def canonical_agency(self, name: str) -> str:
        """Map an alias (``VOV.VN``, ``TTXVN``) to its canonical agency name; unknown names pass through."""
        key = name.strip().strip(".").casefold()
        return self.agency_aliases.get(key, self.agency_aliases.get(name.strip().casefold(), name.strip()))

    def is_agency(self, name: str) -> bool:
        return name.strip().casefold() in self.agency_aliases or name.strip().strip(".").casefold() in self.agency_aliases


def _read_default() -> dict[str, Any]:
    text = resources.files("desktop.resources").joinpath("news_patterns.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = value + merged[key]  # the archive's own patterns are tried first
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def load_patterns(extra_file: Path | None = None) -> NewsPatterns:
    """Compile the default patterns, extended by ``extra_file`` when it exists."""
    data = _read_default()
    if extra_file is not None and extra_file.exists():
        try:
            extra = json.loads(extra_file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise KnownError(f"Cannot read the archive's patterns file {extra_file}: {exc}") from exc
        if not isinstance(extra, dict):
            raise KnownError(f"The patterns file {extra_file} must hold a JSON object")
        data = _merge(data, extra)
    try:
        return _compile(data)
    except (re.error, KeyError, TypeError) as exc:
        raise KnownError(f"A news pattern is not valid: {exc}") from exc


def _compile(data: dict[str, Any]) -> NewsPatterns:
    aliases: dict[str, str] = {}
    for canonical, names in data["agencies"].items():
        aliases[canonical.casefold()] = canonical
        for name in names:
            aliases[name.casefold()] = canonical
    months = {name.casefold(): int(number) for name, number in data["months"].items()}
    month_names = "|".join(sorted((re.escape(m) for m in months), key=len, reverse=True))
    month = rf"(?P<month>(?i:{month_names}))\.?"
    capitalised_months = "|".join(sorted((re.escape(m.capitalize()) for m in months), key=len, reverse=True))
    numeric = r"(?P<first>\d{1,2})(?P<separator>[/.-])(?P<second>\d{1,2})(?P=separator)(?P<year>\d{4})(?!\d)"
    placeholders = {
        "{PLACE}": rf"{_PLACE_WORD}(?:[ ]{_PLACE_WORD}){{0,3}}",
        "{CAPS_PLACE}": rf"{_CAPS_WORD}(?:[ ]{_CAPS_WORD}){{0,3}}",
        "{AGENCY}": r"[^\W_][\w.+]{1,15}",
        "{DASH}": r"(?:[-–—]{1,2})",
        "{DATE}": rf"{month}\s+(?P<day>\d{{1,2}})(?:,?\s+(?P<year>\d{{4}}))?",
        "{DATE_DMY}": rf"(?P<day>\d{{1,2}})\s+{month}(?:,?\s+(?P<year>\d{{4}}))?",
        "{NUMERIC}": numeric,
    }

    def expand(pattern: str) -> re.Pattern[str]:
        for key, value in placeholders.items():
            pattern = pattern.replace(key, value)
        return re.compile(pattern)

    date_parts = {
        "{DAY}": r"(?P<day>\d{1,2})(?:st|nd|rd|th)?(?!\d)",
        "{MONTH_NUMBER}": r"(?P<month>\d{1,2})(?!\d)",
        "{MONTH}": month,
        "{YEAR}": r"(?P<year>\d{4})(?!\d)",
        "{NUMERIC}": numeric,
        "{TIME}": _TIME,
    }
    forms: dict[str, str] = {}
    for name, form in data.get("date_forms", {}).items():
        for key, value in date_parts.items():
            form = form.replace(key, value)
        forms[name] = form
    date_words = {
        "{PREFIX}": _prefix_group(data.get("date_prefixes", []), data.get("update_prefixes", [])),
        "{WEEKDAY}": rf"(?i:{_alternatives(data.get('weekdays', []))})(?!\w)",
        "{TIME}": _TIME,
        "{ZONE}": _ZONE,
    }

    def expand_dates(templates: list[str]) -> tuple[re.Pattern[str], ...]:
        """One regex for each template and each date form it names: a form's group names repeat, so forms are not alternatives."""
        compiled: list[re.Pattern[str]] = []
        for template in templates:
            for key, value in date_words.items():
                template = template.replace(key, value)
            found = _ANY_DATE.search(template)
            if found is None:
                compiled.append(re.compile(template))
                continue
            names = found.group("names").split(",") if found.group("names") else list(forms)
            for name in names:
                compiled.append(re.compile(template[: found.start()] + f"(?:{forms[name]})" + template[found.end() :]))
        return tuple(compiled)

    alias_names = sorted({name for names in data["agencies"].values() for name in names} | set(data["agencies"]), key=len, reverse=True)
    alias_group = "|".join(re.escape(name) for name in alias_names)
    end_marks = tuple(data.get("end_marks", []))
    end_group = "|".join(re.escape(mark) for mark in end_marks) or "(?!)"
    return NewsPatterns(
        agency_aliases=aliases,
        months=months,
        date_markers=expand_dates(data.get("date_markers", [])),
        date_lines=expand_dates(data.get("date_lines", [])),
        lead_dates=expand_dates(data.get("lead_dates", [])),
        month_first=re.compile(rf"\b(?:{capitalised_months})\.?\s+\d{{1,2}}(?!\d)"),
        day_first=re.compile(rf"(?<!\d)\d{{1,2}}\s+(?:{capitalised_months})\b"),
        datelines=tuple(expand(p) for p in data.get("datelines", [])),
        caption=re.compile(data["caption"]),
        boilerplate_lines=tuple(
            LinePattern(re.compile(item["pattern"]), item.get("kind", "web")) for item in data.get("boilerplate_lines", [])
        ),
        boilerplate_inline=tuple(
            LinePattern(re.compile(item["pattern"]), item.get("kind", "web")) for item in data.get("boilerplate_inline", [])
        ),
        end_marks=end_marks,
        # "… the two nations./." or "…countries.-VNA" or "… time. — VNS" at the end of the last paragraph
        tail_agency=re.compile(
            rf"(?:(?<=[.!?\"”’)])\s*(?:{end_group})?\s*[-–—]+\s*|\s+[-–—]+\s+)(?P<agency>{alias_group})\s*(?:{end_group})?\s*$"
        ),
        # a line holding only the agency: "VNA", "-VNA", "— VNS", "VNA/."
        line_agency=re.compile(rf"^\s*[-–—]*\s*(?P<agency>{alias_group})\s*(?:{end_group})?\s*$"),
    )


def _alternatives(words: list[str]) -> str:
    """``words`` as a regex alternation, longest first (so ``thứ năm`` is tried before ``thứ``), spaces as any whitespace."""
    ordered = sorted({unicodedata.normalize("NFC", word) for word in words}, key=len, reverse=True)
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in ordered) or "(?!)"


def _prefix_group(published: list[str], updated: list[str]) -> str:
    """Words before a date (``Published:``); an update's words fill the group ``updated``, a date of lesser weight."""
    return rf"(?i:(?P<updated>{_alternatives(updated)})|{_alternatives(published)})(?!\w)"
