"""The news parser's patterns: shipped defaults merged with an archive's own ``patterns.json``."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from desktop.core.errors import KnownError

_PLACE_WORD = r"[^\W\d_][\w'’.-]*"
_CAPS_WORD = r"[^\W\d_a-z][^\W\d_a-z'’.-]+"


@dataclass(frozen=True, slots=True)
class LinePattern:
    regex: re.Pattern[str]
    kind: str


@dataclass(frozen=True, slots=True)
class NewsPatterns:
    """Compiled patterns; build with :func:`load_patterns`."""

    agency_aliases: dict[str, str]
    months: dict[str, int]
    date_markers: tuple[re.Pattern[str], ...]
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
    placeholders = {
        "{PLACE}": rf"{_PLACE_WORD}(?:[ ]{_PLACE_WORD}){{0,3}}",
        "{CAPS_PLACE}": rf"{_CAPS_WORD}(?:[ ]{_CAPS_WORD}){{0,3}}",
        "{AGENCY}": r"[^\W_][\w.+]{1,15}",
        "{DASH}": r"(?:[-–—]{1,2})",
        "{DATE}": rf"{month}\s+(?P<day>\d{{1,2}})(?:,?\s+(?P<year>\d{{4}}))?",
        "{DATE_DMY}": rf"(?P<day>\d{{1,2}})\s+{month}(?:,?\s+(?P<year>\d{{4}}))?",
    }

    def expand(pattern: str) -> re.Pattern[str]:
        for key, value in placeholders.items():
            pattern = pattern.replace(key, value)
        return re.compile(pattern)

    alias_names = sorted({name for names in data["agencies"].values() for name in names} | set(data["agencies"]), key=len, reverse=True)
    alias_group = "|".join(re.escape(name) for name in alias_names)
    end_marks = tuple(data.get("end_marks", []))
    end_group = "|".join(re.escape(mark) for mark in end_marks) or "(?!)"
    return NewsPatterns(
        agency_aliases=aliases,
        months=months,
        date_markers=tuple(re.compile(p) for p in data.get("date_markers", [])),
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
