"""Document properties (PDF info, Office core properties) as hints, kept only when they say something about the story."""

from __future__ import annotations

import re

_OPENING_CHARS = 1_500  # where a dateline or a date line stands, if the story has one
_FILE_NAME = re.compile(r"\.(?:docx?|odt|rtf|pdf|txt|indd|qxd|pages|html?)$", re.IGNORECASE)
_JUNK_TITLES = re.compile(
    r"^(?:untitled\b.*|document\s*\d*|doc\d*|title|no title|slide \d+|microsoft word\b.*|powerpoint presentation)$", re.IGNORECASE
)
_JUNK_AUTHORS = frozenset(
    {"admin", "administrator", "user", "owner", "windows user", "microsoft office user", "unknown", "author", "default", "guest", "pc"}
)
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_DATE_IN_TEXT = re.compile(
    rf"\b(?:(?:{_MONTHS})\.?\s+\d{{1,2}}\b|\d{{1,2}}\s+(?:{_MONTHS})\b|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}\b|\d{{4}}-\d{{1,2}}-\d{{1,2}}\b|"
    r"ngày\s+\d{1,2}|tháng\s+\d{1,2})",
    re.IGNORECASE,
)


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


def meaningful_title(title: str | None, text: str) -> str | None:
    """The document's Title property when it is one of the text's first paragraphs (then it confirms the headline).

    A Title that the text does not open with is most often a template's or a file name left behind
    ("Microsoft Word - draft3.doc", "Press release"); taken as a hint it would win over the real headline.
    """
    if not title or _FILE_NAME.search(title.strip()) or _JUNK_TITLES.match(title.strip()):
        return None
    wanted = _normal(title)
    opening = [_normal(paragraph) for paragraph in text.split("\n") if paragraph.strip()][:3]
    return title.strip() if wanted in opening else None


def meaningful_author(author: str | None) -> str | None:
    """The Author / creator property, unless it is an installation's default user name."""
    if not author or not author.strip() or _normal(author) in _JUNK_AUTHORS:
        return None
    return author.strip()


def file_date_hint(date: str | None, text: str) -> str | None:
    """The file's creation date as a hint only when the story's opening shows no date of its own.

    Structure reading takes a hint's date over the dateline's, and a file's creation date is most often the
    day it was typed up, scanned or converted, not the day the story ran.
    """
    if not date or _DATE_IN_TEXT.search(text[:_OPENING_CHARS]):
        return None
    return date
