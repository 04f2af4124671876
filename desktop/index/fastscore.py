"""The best hits of one term, or of terms that must all be there, a block of postings at a time.

Whoosh scores a match with several Python calls per document; a word in most of 100,000 articles
then costs a fifth of a second. Here the postings are read block by block, the document lengths once
per searcher, and the BM25F score of each document is one arithmetic expression, as Whoosh computes it
(same lengths, idf and parameters, summed over the terms), so the hits and their order are Whoosh's.

It reads Whoosh's segment internals (``_terms``, ``_perdoc``, a leaf matcher's block arrays) of the
pinned whoosh-reloaded 2.7.5; :func:`supported` says when a searcher is made of what it knows, and
``tests/index/test_fastscore.py`` holds its answers to Whoosh's own.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import Any

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.reading import SegmentReader
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

_LENGTH_OF_BYTE = [byte_to_length(value) for value in range(256)]


def terms_of(query: wq.Query) -> tuple[str, list[str]] | None:
    """``(field, terms)`` when ``query`` is one term or an ``And`` of terms of one field, else None."""
    if isinstance(query, wq.Term) and query.boost == 1.0:
        return query.fieldname, [query.text]
    if isinstance(query, wq.And) and query.boost == 1.0 and query.subqueries:
        children = query.subqueries
        if all(isinstance(child, wq.Term) and child.boost == 1.0 for child in children):
            fields = {child.fieldname for child in children}
            if len(fields) == 1:
                return fields.pop(), [child.text for child in children]
    return None


class BlockScorer:
    """The lengths and postings of one searcher (build a new one when the searcher is replaced)."""

    def __init__(self, searcher: Any) -> None:
        self.searcher = searcher
        self.leaves: list[tuple[SegmentReader, int]] = [(leaf.reader(), offset) for leaf, offset in searcher.leaf_searchers()]
        weighting = searcher.weighting
        self.k1: float = weighting.K1 if isinstance(weighting, BM25F) else 1.2
        self.b: float = weighting.B if isinstance(weighting, BM25F) else 0.75
        self._norms: dict[str, list[float]] = {}
        self._ids: list[str] | None = None

    @staticmethod
    def supported(searcher: Any) -> bool:
        weighting = searcher.weighting
        return (
            isinstance(weighting, BM25F)
            and not weighting._field_B
            and all(isinstance(leaf.reader(), SegmentReader) for leaf, _offset in searcher.leaf_searchers())
        )

    def norms(self, field: str) -> list[float]:
        """``K1 * (1 - B + B * length / average length)`` of every document, by document number."""
        found = self._norms.get(field)
        if found is None:
            average = self.searcher.avg_field_length(field) or 1.0
            k1, b = self.k1, self.b
            by_byte = [k1 * ((1 - b) + b * length / average) for length in _LENGTH_OF_BYTE]
            found = []
            for reader, _offset in self.leaves:
                column = reader._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
                if column is None:
                    found.extend([by_byte[0]] * reader.doc_count_all())
                else:
                    found.extend(by_byte[value] for value in column.load())
            self._norms[field] = found
        return found

    def article_ids(self) -> list[str]:
        """The stored ``id`` of every document, by document number (from its column: one read)."""
        if self._ids is None:
            ids: list[str] = []
            for reader, _offset in self.leaves:
                ids.extend(reader.column_reader("id"))
            self._ids = ids
        return self._ids

    def postings(self, field: str, term: str) -> tuple[list[int], list[float]]:
        """Document numbers and weights of ``term``, deleted documents left out."""
        ids: list[int] = []
        weights: list[float] = []
        field_type = self.searcher.schema[field]
        data = field_type.to_bytes(term)
        for reader, offset in self.leaves:
            if (field, data) not in reader:
                continue
            matcher = reader._terms.matcher(field, data, field_type.format, scorer=None)
            if not isinstance(matcher, W3LeafMatcher):
                raise TypeError(f"unexpected postings reader {type(matcher).__name__}")
            deleted = reader.deleted_docs_set
            while matcher.is_active():
                matcher._read_ids()
                matcher._read_weights()
                block_ids, block_weights = matcher._ids, matcher._weights
                if deleted:
                    kept = [i for i, docnum in enumerate(block_ids) if docnum not in deleted]
                    block_ids = [block_ids[i] for i in kept]
                    block_weights = [block_weights[i] for i in kept]
                ids.extend([docnum + offset for docnum in block_ids] if offset else block_ids)
                weights.extend(block_weights)
                matcher._next_block()
        return ids, weights

    def top(self, field: str, terms: Sequence[str], limit: int | None) -> tuple[list[tuple[str, float]], int]:
        """The best ``limit`` (article id, score) pairs of documents holding every term, and how many hold them."""
        norms = self.norms(field)
        k1p = self.k1 + 1
        scores: dict[int, float] | None = None
        for term in terms:
            idf = self.searcher.idf(field, term)
            ids, weights = self.postings(field, term)
            if scores is None:
                scores = {docnum: idf * ((w * k1p) / (w + norms[docnum])) for docnum, w in zip(ids, weights, strict=True)}
            else:
                previous = scores
                scores = {
                    docnum: previous[docnum] + idf * ((w * k1p) / (w + norms[docnum]))
                    for docnum, w in zip(ids, weights, strict=True)
                    if docnum in previous
                }
            if not scores:
                return [], 0
        assert scores is not None
        key = _best_first
        best = sorted(scores.items(), key=key) if limit is None else heapq.nsmallest(limit, scores.items(), key=key)
        article_ids = self.article_ids()
        return [(article_ids[docnum], score) for docnum, score in best], len(scores)


def _best_first(item: tuple[int, float]) -> tuple[float, int]:
    return (-item[1], item[0])
