"""Highlights computed on the clean text from word offsets: hit spans, and snippets with ``<mark>``."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence

from desktop.core.models import Span
from desktop.core.text import fold, visible_text
from desktop.index.analysis import WordToken, exact_form, word_tokens
from desktop.index.query import Leaf, ParsedQuery, stems

SNIPPET_CHARS = 200
Spans = list[tuple[int, int]]


def _sequence_spans(tokens: Sequence[WordToken], stems: Sequence[str]) -> Spans:
    """One span per place where ``stems`` follow each other: a phrase lights up as one phrase."""
    size = len(stems)
    spans: Spans = []
    for index in range(len(tokens) - size + 1):
        if all(tokens[index + k].stem == stems[k] for k in range(size)):
            spans.append((tokens[index].start, tokens[index + size - 1].end))
    return spans


def _wildcard_regex(pattern: str) -> re.Pattern[str]:
    return re.compile("".join(".*" if ch == "*" else "." if ch == "?" else re.escape(fold(ch)) for ch in pattern))


def leaf_spans(tokens: Sequence[WordToken], leaf: Leaf, expansion: frozenset[str] | None = None) -> Spans:
    """Where one leaf of a query matches among ``tokens``."""
    if leaf.kind == "exact":
        wanted = exact_form(leaf.words[0])
        return [(t.start, t.end) for t in tokens if t.exact == wanted]
    if leaf.kind in ("wildcard", "fuzzy"):
        if expansion is not None:
            return [(t.start, t.end) for t in tokens if t.folded in expansion]
        if leaf.kind == "wildcard":
            regex = _wildcard_regex(leaf.words[0])
            return [(t.start, t.end) for t in tokens if regex.fullmatch(t.folded)]
        return [(t.start, t.end) for t in tokens if t.folded == fold(leaf.words[0])]
    terms = stems(leaf.words)
    if not terms:
        return []
    if len(terms) == 1:
        return [(t.start, t.end) for t in tokens if t.stem == terms[0]]
    return _sequence_spans(tokens, terms)


def _merge(spans: Spans) -> Spans:
    merged: Spans = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def query_spans(
    text: str,
    parsed: ParsedQuery,
    field: str,
    *,
    boilerplate: Sequence[Span] = (),
    expansions: Mapping[Leaf, frozenset[str]] | None = None,
) -> Spans:
    """Every hit of ``parsed`` in ``text`` (a value of index field ``field``), boilerplate left out."""
    leaves = [leaf for leaf in parsed.positive_leaves() if isinstance(leaf, Leaf) and leaf.field in (None, field)]
    if not leaves or not text:
        return []
    tokens = word_tokens(visible_text(text, boilerplate))
    spans: Spans = []
    for leaf in leaves:
        spans.extend(leaf_spans(tokens, leaf, (expansions or {}).get(leaf)))
    return _merge(spans)


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
        hit_start = max(hit_start, position)
        parts.append(html.escape(shown[position:hit_start]))
        parts.append("<mark>" + html.escape(shown[hit_start:hit_end]) + "</mark>")
        position = hit_end
    parts.append(html.escape(shown[position:end]))
    if end < len(shown.rstrip()):
        parts.append("…")
    return " ".join("".join(parts).split())
