"""A phrase query that checks word positions only where every word (and every indexed common pair) is.

Whoosh's own phrase matcher builds span objects for every position of every word in every document
that holds all the words, and an ``And`` around it does not stop it from walking documents the other
clauses have ruled out. Here the ``pairs`` terms join the intersection itself, and positions are
compared as sets of integers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from whoosh import matching
from whoosh import query as wq
from whoosh.matching.binary import IntersectionMatcher
from whoosh.query.spans import SpanWrappingMatcher
from whoosh.util import make_binary_tree

from desktop.index.analysis import pair_terms


class PositionsMatcher(SpanWrappingMatcher):  # type: ignore[misc]
    """Documents of ``child`` (the intersection) where the ``words`` matchers stand one after another."""

    def __init__(self, child: Any, words: Sequence[Any]) -> None:
        self.words = list(words)
        super().__init__(child)

    def copy(self) -> PositionsMatcher:
        return PositionsMatcher(self.child.copy(), [word.copy() for word in self.words])

    def _replacement(self, newchild: Any) -> PositionsMatcher:
        return PositionsMatcher(newchild, self.words)

    def supports_block_quality(self) -> bool:
        return False  # skipping by quality would land on documents whose positions were never checked

    def replace(self, minquality: float = 0) -> Any:
        return self if self.is_active() else matching.NullMatcher()

    def _get_spans(self) -> list[int]:
        starts = set(self.words[0].value_as("positions"))
        for offset, word in enumerate(self.words[1:], start=1):
            starts.intersection_update([position - offset for position in word.value_as("positions")])
            if not starts:
                return []
        return sorted(starts)


class ExactPhrase(wq.Phrase):  # type: ignore[misc]
    """``words`` (index terms) next to each other in ``fieldname``; in ``text``, with their common pairs."""

    def pairs(self, schema: Any) -> list[str]:
        """The ``pairs`` terms this phrase holds, by the common words of the index searched."""
        if self.fieldname != "text" or "pairs" not in schema.names():
            return []
        return pair_terms(self.words, schema["pairs"].analyzer.common)

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        reader = searcher.reader()
        field = searcher.schema[self.fieldname] if self.fieldname in searcher.schema.names() else None
        if field is None or not field.format or not field.format.supports("positions"):
            return matching.NullMatcher()
        pairs = self.pairs(searcher.schema)
        if len(self.words) == 2 and pairs:
            return wq.Term("pairs", pairs[0]).matcher(searcher, context)  # the pair term is the phrase
        required = [wq.Term("pairs", pair) for pair in pairs]
        sized = []
        for word in self.words:
            if (self.fieldname, word) not in reader:
                return matching.NullMatcher()
            sized.append((reader.doc_frequency(self.fieldname, word), wq.Term(self.fieldname, word).matcher(searcher, context)))
        words = [matcher for _size, matcher in sized]
        for query in required:
            if (query.fieldname, query.text) not in reader:
                return matching.NullMatcher()
            sized.append((reader.doc_frequency(query.fieldname, query.text), query.matcher(searcher, context)))
        # the scarcest first; the word matchers themselves are in the intersection, so when it stands on
        # a document they do too, and their positions are that document's
        sized.sort(key=lambda pair: pair[0])
        intersection = make_binary_tree(IntersectionMatcher, [matcher for _size, matcher in sized])
        return PositionsMatcher(intersection, words)
