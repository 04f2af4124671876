"""Highlights computed on the clean text from word offsets: hit spans, and snippets with ``<mark>``."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from re import Match

from desktop.core.facets import NAMED_FIELDS
from desktop.core.models import ArticleText, Span
from desktop.core.text import fold, visible_text
from desktop.index.analysis import WORD, WORD_CHARS, Forms, exact_form, forms
from desktop.index.query import FieldValue, Leaf, ParsedQuery, stems

SNIPPET_CHARS = 200
Spans = list[tuple[int, int]]


def _wildcard_regex(pattern: str) -> re.Pattern[str]:
    return re.compile("".join(".*" if ch == "*" else "." if ch == "?" else re.escape(fold(ch)) for ch in pattern))


def _first_word_test(leaf: Leaf, expansion: frozenset[str] | None) -> Callable[[Forms], bool] | None:
    """Whether a word can be where ``leaf`` matches (its first word, for a phrase); None if nothing can."""
    if leaf.kind == "exact":
        wanted = exact_form(leaf.words[0])
        return lambda word: word.exact == wanted
    if leaf.kind in ("wildcard", "fuzzy"):
        if expansion is not None:
            return lambda word: word.folded in expansion
        if leaf.kind == "wildcard":
            regex = _wildcard_regex(leaf.words[0])
            return lambda word: regex.fullmatch(word.folded) is not None
        folded = fold(leaf.words[0])
        return lambda word: word.folded == folded
    terms = stems(leaf.words)
    if not terms:
        return None
    return lambda word: word.stem == terms[0]


class _Decisions(dict[str, bool]):
    """Whether each word as written can start a leaf's match, decided once per word."""

    def __init__(self, test: Callable[[Forms], bool]) -> None:
        super().__init__()
        self.test = test

    def __missing__(self, word: str) -> bool:
        decision = self.test(forms(word))
        if len(self) < _DECISIONS_WORDS:
            self[word] = decision
        return decision


_DECISIONS_WORDS = 100_000
_DECISIONS_LEAVES = 64
_decided: dict[tuple[Leaf, frozenset[str] | None], _Decisions] = {}


def _decisions(leaf: Leaf, expansion: frozenset[str] | None) -> _Decisions | None:
    """The word decisions of one leaf, kept for the next texts of the same search (and the next search)."""
    key = (leaf, expansion)
    found = _decided.get(key)
    if found is None:
        test = _first_word_test(leaf, expansion)
        if test is None:
            return None
        if len(_decided) >= _DECISIONS_LEAVES:
            _decided.clear()
        found = _decided[key] = _Decisions(test)
    return found


def _occurrences(text: str, words: set[str]) -> Iterator[re.Match[str]]:
    """Every place one of ``words`` stands in ``text`` as a whole word (as the analyzer splits words)."""
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.finditer(rf"(?<![{WORD_CHARS}])(?<![{WORD_CHARS}]['’])(?:{alternatives})(?!['’]?[{WORD_CHARS}])", text)


def _phrase_end(text: str, start: Match[str], rest: Sequence[str]) -> int | None:
    """Where the phrase that ``start`` begins ends, if the words after it have the stems ``rest``."""
    end = start.end()
    for term in rest:
        following = WORD.search(text, end)
        if following is None or forms(following.group(0)).stem != term:
            return None
        end = following.end()
    return end


def leaf_spans(text: str, distinct: set[str], leaf: Leaf, expansion: frozenset[str] | None = None) -> Spans:
    """Where one leaf of a query matches in ``text``, whose distinct words are ``distinct``."""
    decided = _decisions(leaf, expansion)
    if decided is None:
        return []
    firsts = {word for word in distinct if decided[word]}
    if not firsts:
        return []
    rest = stems(leaf.words)[1:] if leaf.kind in ("term", "phrase") else []
    spans: Spans = []
    for match in _occurrences(text, firsts):
        end = _phrase_end(text, match, rest) if rest else match.end()
        if end is not None:
            spans.append((match.start(), end))
    return spans


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
    shown = visible_text(text, boilerplate)
    distinct = set(WORD.findall(shown))
    spans: Spans = []
    for leaf in leaves:
        spans.extend(leaf_spans(shown, distinct, leaf, (expansions or {}).get(leaf)))
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


def matched_in(
    text: ArticleText, parsed: ParsedQuery, body_spans: Sequence[tuple[int, int]], expansions: Mapping[Leaf, frozenset[str]]
) -> tuple[str, ...]:
    """Where a result matched: text, title, note, annotation, tag, place, agency, or any facet narrowing by a name."""
    found: list[str] = []
    if query_spans(text.title, parsed, "title", expansions=expansions):
        found.append("title")
    if body_spans:
        found.append("text")
    for name, field, value in (
        ("note", "note", "\n".join(text.notes)),
        ("annotation", "annotation", "\n".join(text.annotations)),
        ("tag", "tagwords", "\n".join(tag.replace("/", " ") for tag in text.tags)),
        ("place", "place", text.place or ""),
    ):
        if query_spans(value, parsed, field, expansions=expansions):
            found.append(name)
    for leaf in parsed.positive_leaves():
        if isinstance(leaf, FieldValue) and leaf.field in NAMED_FIELDS and leaf.field not in found:
            found.append(leaf.field)
    if text.agency and "agency" not in found:
        agency = fold(text.agency)
        if any(isinstance(leaf, Leaf) and leaf.field is None and fold(" ".join(leaf.words)) == agency for leaf in parsed.positive_leaves()):
            found.append("agency")
    return tuple(found)
