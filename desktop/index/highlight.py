"""Highlights computed on the clean text from token offsets: hit spans, and snippets with ``<mark>``."""

from __future__ import annotations

import html
from collections.abc import Collection, Sequence

from desktop.core.models import Span
from desktop.core.text import visible_text
from desktop.index.analysis import analyse

SNIPPET_CHARS = 200


def hit_spans(text: str, boilerplate: Sequence[Span], terms: Collection[str]) -> list[tuple[int, int]]:
    """``(start, end)`` of every word of the visible text whose index term is in ``terms``."""
    if not terms:
        return []
    return [(start, end) for term, start, end in analyse(visible_text(text, boilerplate)) if term in terms]


def _best_window(spans: Sequence[tuple[int, int]], width: int) -> int:
    """Start of the ``width``-character window holding the most hits (the earliest such window)."""
    best_start, best_count = spans[0][0], 0
    right = 0
    for left, (start, _end) in enumerate(spans):
        right = max(right, left)
        while right < len(spans) and spans[right][1] - start <= width:
            right += 1
        if right - left > best_count:
            best_start, best_count = start, right - left
    return best_start


def snippet(text: str, boilerplate: Sequence[Span], spans: Sequence[tuple[int, int]], width: int = SNIPPET_CHARS) -> str:
    """About ``width`` characters around the densest hits, HTML-escaped, hits inside ``<mark>``."""
    shown = visible_text(text, boilerplate)
    if spans:
        first_hit = _best_window(spans, width)
        start = max(0, first_hit - width // 4)
    else:
        start = len(shown) - len(shown.lstrip())
    end = min(len(shown), start + width)
    # widen to word boundaries so no word is cut in half
    while start > 0 and not shown[start - 1].isspace():
        start -= 1
    while end < len(shown) and not shown[end].isspace():
        end += 1
    parts: list[str] = ["…"] if start > 0 else []
    position = start
    for hit_start, hit_end in spans:
        if hit_end <= start or hit_start >= end:
            continue
        parts.append(html.escape(shown[position:hit_start]))
        parts.append("<mark>" + html.escape(shown[hit_start:hit_end]) + "</mark>")
        position = hit_end
    parts.append(html.escape(shown[position:end]))
    if end < len(shown.rstrip()):
        parts.append("…")
    return " ".join("".join(parts).split())
