"""Re-flow hard-wrapped text: the lines of a paragraph wrapped at 60–80 columns joined back into one line.

A text is taken as hard-wrapped when its lines have a common right margin (the width: 40 to 100 columns,
few lines past it) and many of its lines stop short of the sentence's end only because the next word would
not have fit: a line of prose, not ending in . ! ? : ; or a closing quote, whose next line's first word would
have passed the width. In such a text each line is joined to the next when:

- the line is near the width (the next line's first word would not have fit on it), so a paragraph's last
  line, a headline, a dateline or a signature, all short, ends its paragraph;
- neither line is blank, a list item (``-``, ``*``, ``•``, ``1.``, ``a)``), a Markdown heading, or table-like
  (a tab, a ``|``, a run of spaces inside it, or more digits than letters);
- the next line is not indented more than the line (an indented first line starts a paragraph);
- the line is not a title: in capitals, or most of its words capitalised.

Any other text, such as one paragraph per line, comes back unchanged.
"""

from __future__ import annotations

import itertools
import re

_MIN_WIDTH = 40
_MAX_WIDTH = 100
_SAMPLE_LINES = 5_000  # the width and the verdict are read from the first lines: a book's margin does not change
_MIN_WRAPPED_LINES = 2
_MIN_WRAPPED_SHARE = 0.3  # of the lines that are not blank
_MAX_PAST_WIDTH_SHARE = 0.05
_LIST_ITEM = re.compile(r"^\s*(?:[-*•–—·+>#]|\d{1,3}[.)]|[a-zA-Z][.)])\s")
_TABLE_LIKE = re.compile(r"\t|\||\S {3,}\S")
_SENTENCE_END = re.compile(r"[.!?:;…\"”’)\]]$")
_HYPHENATED = re.compile(r"[^\W\d_]-$")


def reflow(text: str) -> str:
    """``text`` with the lines of each hard-wrapped paragraph joined by a space; ``text`` itself when it is not hard-wrapped."""
    lines = text.split("\n")
    width = _wrap_width(lines)
    if width is None:
        return text
    out: list[str] = []
    paragraph: list[str] = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        joins = _joins(line, following, width, starts_paragraph=not paragraph)
        if joins or paragraph:
            paragraph.append(line.strip())
            if not joins:
                out.append(_join(paragraph))
                paragraph = []
        else:
            out.append(line)
    return "\n".join(out)


def _join(parts: list[str]) -> str:
    joined = parts[0]
    for part in parts[1:]:
        joined += part if _HYPHENATED.search(joined) else " " + part
    return joined


def _wrap_width(lines: list[str]) -> int | None:
    """The column the text is wrapped at, or None when it is not hard-wrapped."""
    sample = lines[:_SAMPLE_LINES]
    lengths = sorted(len(line) for line in sample if line.strip())
    if len(lengths) < 3:
        return None
    margin = lengths[(len(lengths) - 1) * 9 // 10]
    if not _MIN_WIDTH <= margin <= _MAX_WIDTH:
        return None
    width = max(length for length in lengths if length <= margin + 8)
    if sum(1 for length in lengths if length > width) > _MAX_PAST_WIDTH_SHARE * len(lengths):
        return None
    wrapped = sum(
        1
        for line, following in itertools.pairwise(sample)
        if _joins(line, following, width, starts_paragraph=False) and not _SENTENCE_END.search(line.rstrip())
    )
    if wrapped < _MIN_WRAPPED_LINES or wrapped < _MIN_WRAPPED_SHARE * len(lengths):
        return None
    return width


def _joins(line: str, following: str, width: int, *, starts_paragraph: bool) -> bool:
    """Whether ``following`` continues the paragraph of ``line`` in a text wrapped at ``width``."""
    stripped, next_stripped = line.strip(), following.strip()
    if not stripped or not next_stripped:
        return False
    if len(line) + 1 + len(next_stripped.split(" ", 1)[0]) <= width:
        return False  # the next word would have fit: the line ended by choice
    if _indent(following) > _indent(line) or _LIST_ITEM.match(following):
        return False
    if any(_TABLE_LIKE.search(text) or _mostly_digits(text) for text in (stripped, next_stripped)):
        return False
    return not (starts_paragraph and _is_title(stripped))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _mostly_digits(text: str) -> bool:
    digits = sum(ch.isdigit() for ch in text)
    return digits > sum(ch.isalpha() for ch in text)


def _is_title(text: str) -> bool:
    words = [word for word in text.split() if word[0].isalpha()]
    if len(words) < 3 or text.endswith((",", "-")):
        return False
    if text.isupper():
        return True
    return sum(word[0].isupper() for word in words) >= 0.8 * len(words)
