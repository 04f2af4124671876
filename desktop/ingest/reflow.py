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
- the line is not a title: in capitals, or most of its words capitalised;
- the line does not end a sentence before a short line with no full stop (a signature, a credit).

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
_MAX_PAST_WIDTH_SHARE = 0.1
_LIST_ITEM = re.compile(r"^\s*(?:[-*•–—·+>#]|\d{1,3}[.)]|[a-zA-Z][.)])\s")
_TABLE_LIKE = re.compile(r"\t|\||\S {3,}\S")
_SENTENCE_END = re.compile(r"[.!?:;…\"”’)\]]$")
_HYPHENATED = re.compile(r"[^\W\d_]-$")
_DIGIT = re.compile(r"\d")


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
    """The lines of a paragraph on one line; a word hyphenated across lines (``inter-`` ``national``) keeps its hyphen."""
    pieces = [parts[0]]
    for previous, part in itertools.pairwise(parts):
        pieces.append(part if _HYPHENATED.search(previous[-2:]) else " " + part)
    return "".join(pieces)


def _wrap_width(lines: list[str]) -> int | None:
    """The column the text is wrapped at, or None when it is not hard-wrapped.

    Each line of prose that stops before its sentence ends says the width lies between its length and its length
    plus the next word; the width most lines agree with, less the lines longer than it, is the text's. Tables are
    left out: they often pass the margin.
    """
    sample = lines[:_SAMPLE_LINES]
    agree = [0] * (_MAX_WIDTH + 2)  # a difference array over the widths each wrapped line agrees with
    lengths = [0] * (_MAX_WIDTH + 2)  # how many lines have each length (the longest counted at _MAX_WIDTH + 1)
    counted = 0
    for line, following in itertools.pairwise([*sample, ""]):
        stripped = line.strip()
        if not stripped or _TABLE_LIKE.search(stripped):
            continue
        counted += 1
        lengths[min(len(line), _MAX_WIDTH + 1)] += 1
        if _may_continue(line, following) and not _SENTENCE_END.search(stripped):
            low, high = len(line), len(line) + len(following.split(maxsplit=1)[0])  # 1 + word - 1: the next word did not fit
            if high >= _MIN_WIDTH and low <= _MAX_WIDTH:
                agree[max(low, _MIN_WIDTH)] += 1
                agree[min(high, _MAX_WIDTH) + 1] -= 1
    if counted < 3:
        return None
    best: tuple[int, int, int] | None = None  # (score, agreeing lines, width)
    agreeing = sum(agree[:_MIN_WIDTH])
    longer = sum(lengths[_MIN_WIDTH + 1 :])
    for width in range(_MIN_WIDTH, _MAX_WIDTH + 1):
        agreeing += agree[width]
        if width > _MIN_WIDTH:
            longer -= lengths[width]
        score = agreeing - longer
        if best is None or score > best[0]:
            best = (score, agreeing, width)
        if longer == 0 and agreeing == 0 and width > _MIN_WIDTH:
            break
    assert best is not None
    _, agreeing, width = best
    longer = sum(lengths[width + 1 :])
    if agreeing < max(_MIN_WRAPPED_LINES, _MIN_WRAPPED_SHARE * counted) or longer > _MAX_PAST_WIDTH_SHARE * counted:
        return None
    return width


def _may_continue(line: str, following: str) -> bool:
    """Whether, by their shape alone, ``following`` could go on from ``line``: both prose, no new item or indent."""
    stripped, next_stripped = line.strip(), following.strip()
    if not stripped or not next_stripped:
        return False
    if _indent(following) > _indent(line) or _LIST_ITEM.match(following):
        return False
    return not any(_TABLE_LIKE.search(text) or _mostly_digits(text) for text in (stripped, next_stripped))


def _joins(line: str, following: str, width: int, *, starts_paragraph: bool) -> bool:
    """Whether ``following`` continues the paragraph of ``line`` in a text wrapped at ``width``."""
    if not _may_continue(line, following):
        return False
    if len(line) + 1 + len(following.split(maxsplit=1)[0]) <= width:
        return False  # the next word would have fit: the line ended by choice
    if _SENTENCE_END.search(line.rstrip()) and len(following) < width // 2 and not _SENTENCE_END.search(following.rstrip()):
        return False  # a short line without a full stop after a finished sentence: a signature, a credit, a heading
    return not (starts_paragraph and _is_title(line.strip()))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _mostly_digits(text: str) -> bool:
    """Figures more than a third of the line's characters (a row of numbers, a log line)."""
    return len(_DIGIT.findall(text)) * 3 > len(text)


def _is_title(text: str) -> bool:
    words = [word for word in text.split() if word[0].isalpha()]
    if len(words) < 3 or text.endswith((",", "-")):
        return False
    if text.isupper():
        return True
    return sum(word[0].isupper() for word in words) >= 0.8 * len(words)
