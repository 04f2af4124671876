"""The best hits of words, phrases, and ``And`` / ``Or`` of them, a block of postings at a time.

Whoosh scores a match with several Python calls per document; a word in most of 100,000 articles
then costs a fifth of a second. Here the postings are read block by block, the document lengths once
per searcher, and the BM25F score of each document is one arithmetic expression, as Whoosh computes it
(same lengths, idf and parameters, summed as its matchers sum them), so the hits and their order are
Whoosh's.

It reads Whoosh's segment internals (``_terms``, ``_perdoc``, a leaf matcher's block data) of the
pinned whoosh-reloaded 2.7.5; :meth:`BlockScorer.supported` says when a searcher is made of what it
knows, and ``tests/index/test_fastscore.py`` holds its answers to Whoosh's own.
"""

from __future__ import annotations

import heapq
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate
from typing import Any

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.reading import SegmentReader
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

from desktop.index.phrase import ExactPhrase

_LENGTH_OF_BYTE = [byte_to_length(value) for value in range(256)]


def quick(query: wq.Query) -> bool:
    """Whether :class:`BlockScorer` answers ``query``: terms, phrases, ``And`` and ``Or`` of them, unboosted."""
    if query.boost != 1.0:
        return False
    if isinstance(query, ExactPhrase):
        return True
    if isinstance(query, wq.Term):
        return True
    if type(query) in (wq.And, wq.Or) and query.subqueries:
        return all(quick(child) for child in query.subqueries)
    return False


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
        self._memo: dict[tuple[str, str], tuple[list[int], list[float], list[Any]]] = {}

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

    def postings(
        self, field: str, term: str, *, values: bool = False, wanted: Sequence[int] | None = None
    ) -> tuple[list[int], list[float], list[Any]]:
        """Document numbers and weights (and values, if asked) of ``term``, deleted documents left out.

        ``wanted`` (sorted document numbers): blocks holding none of them are not even decompressed.
        """
        key = (field, term)
        if not values and wanted is None and key in self._memo:
            return self._memo[key]
        ids: list[int] = []
        weights: list[float] = []
        found_values: list[Any] = []
        field_type = self.searcher.schema[field]
        data = field_type.to_bytes(term)
        for reader, offset in self.leaves:
            if (field, data) not in reader:
                continue
            matcher = reader._terms.matcher(field, data, field_type.format, scorer=None)
            if not isinstance(matcher, W3LeafMatcher):
                raise TypeError(f"unexpected postings reader {type(matcher).__name__}")
            deleted = reader.deleted_docs_set
            block_low = -1  # the block holds documents after the last one's highest, up to its own highest
            while matcher.is_active():
                if wanted is not None:
                    first = bisect_right(wanted, block_low + offset)
                    if first == len(wanted):
                        break
                    block_low = matcher._maxid
                    if wanted[first] > block_low + offset:
                        matcher._next_block()
                        continue
                matcher._read_data()
                raw_ids = matcher._data[0]  # steps between ids unless stored as bytes (Whoosh adds them up in Python)
                block_ids = raw_ids if matcher._byteids else list(accumulate(raw_ids))
                matcher._read_weights()
                block_weights = matcher._weights
                block_values = None
                if values:
                    matcher._read_values()
                    block_values = matcher._values
                if deleted:
                    kept = [i for i, docnum in enumerate(block_ids) if docnum not in deleted]
                    block_ids = [block_ids[i] for i in kept]
                    block_weights = [block_weights[i] for i in kept]
                    if block_values is not None:
                        block_values = [block_values[i] for i in kept]
                ids.extend([docnum + offset for docnum in block_ids] if offset else block_ids)
                weights.extend(block_weights)
                if block_values is not None:
                    found_values.extend(block_values)
                matcher._next_block()
        if not values and wanted is None:
            self._memo[key] = (ids, weights, found_values)
        return ids, weights, found_values

    def _bm25(self, field: str, term: str, ids: Sequence[int], weights: Sequence[float]) -> dict[int, float]:
        norms = self.norms(field)
        idf = self.searcher.idf(field, term)
        k1p = self.k1 + 1
        return {docnum: idf * ((w * k1p) / (w + norms[docnum])) for docnum, w in zip(ids, weights, strict=True)}

    def term_scores(self, field: str, term: str) -> dict[int, float]:
        """BM25F of ``term`` in each document holding it, as Whoosh's scorer computes it."""
        ids, weights, _values = self.postings(field, term)
        return self._bm25(field, term, ids, weights) if ids else {}

    def phrase_scores(self, phrase: ExactPhrase) -> dict[int, float]:
        """Documents where the phrase's words stand one after another, scored as the phrase's matcher is.

        Candidates come from the phrase's common pairs (short lists) or its scarcest word; each word's
        positions are then read only in the blocks that still hold a candidate, scarcest word first.
        """
        field, words = phrase.fieldname, list(phrase.words)
        pairs = phrase.pairs(self.searcher.schema)
        if len(words) == 2 and pairs:
            return self.term_scores("pairs", pairs[0])
        frequency = [self.searcher.doc_frequency(field, word) for word in words]
        if not all(frequency):
            return {}
        pair_scores = sorted((self.term_scores("pairs", pair) for pair in pairs), key=len)
        if pair_scores:
            candidates = set(pair_scores[0])
            for scores in pair_scores[1:]:
                candidates.intersection_update(scores)
        else:
            candidates = set(self.postings(field, words[frequency.index(min(frequency))])[0])
        field_format = self.searcher.schema[field].format
        starts: dict[int, set[int]] | None = None
        word_scores: list[dict[int, float]] = []
        for place in sorted(range(len(words)), key=lambda i: frequency[i]):
            if not candidates:
                return {}
            ids, weights, values = self.postings(field, words[place], values=True, wanted=sorted(candidates))
            kept: dict[int, set[int]] = {}
            for docnum, value in zip(ids, values, strict=True):
                if docnum not in candidates:
                    continue
                positions = {position - place for position in field_format.decode_positions(value)}
                if starts is not None:
                    positions &= starts[docnum]
                if positions:
                    kept[docnum] = positions
            word_scores.append(self._bm25(field, words[place], ids, weights))
            starts = kept
            candidates = set(kept)
        return {docnum: sum(scores[docnum] for scores in (*word_scores, *pair_scores)) for docnum in candidates}

    def scores(self, query: wq.Query) -> dict[int, float]:
        """The score of each document ``query`` matches (:func:`quick` queries only)."""
        self._memo.clear()  # postings read once per query (name variants repeat words), not kept after
        try:
            return self._scores(query)
        finally:
            self._memo.clear()

    def _scores(self, query: wq.Query) -> dict[int, float]:
        if isinstance(query, ExactPhrase):
            return self.phrase_scores(query)
        if isinstance(query, wq.Term):
            return self.term_scores(query.fieldname, query.text)
        parts = [self._scores(child) for child in query.subqueries]
        if isinstance(query, wq.And):
            parts.sort(key=len)
            found = parts[0]
            for part in parts[1:]:
                found = {docnum: score + part[docnum] for docnum, score in found.items() if docnum in part}
            return found
        union: dict[int, float] = {}
        for part in parts:
            for docnum, score in part.items():
                union[docnum] = union.get(docnum, 0.0) + score
        return union

    def top(self, query: wq.Query, limit: int | None) -> tuple[list[tuple[str, float]], int]:
        """The best ``limit`` (article id, score) pairs of the documents ``query`` matches, and how many match."""
        scores = self.scores(query)
        key = _best_first
        best = sorted(scores.items(), key=key) if limit is None else heapq.nsmallest(limit, scores.items(), key=key)
        article_ids = self.article_ids()
        return [(article_ids[docnum], score) for docnum, score in best], len(scores)


def _best_first(item: tuple[int, float]) -> tuple[float, int]:
    return (-item[1], item[0])
