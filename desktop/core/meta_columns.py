"""What metadata filters and facet counts look at, inverted (value → ids) and held in memory: narrowing without SQL."""

from __future__ import annotations

import sys
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from desktop.core.facets import FACETS
from desktop.core.models import MetaAll, MetaAny, MetaFilter, MetaNot


def rank_counts(pairs: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """Facet values with their counts, most first, then by value (so equal counts keep one order)."""
    return sorted(pairs, key=lambda pair: (-pair[1], pair[0]))


@dataclass(frozen=True, slots=True)
class MetaColumns:
    """The live articles' filter values, inverted; the store's ``meta_columns(session)`` builds it.

    Attributes:
        all_ids: every live article.
        by_facet: facet name → value → ids; agencies and tag paths folded, a tag path's parents included,
            tags from articles and from their annotations (as the index holds them).
        dates: ``(date key, id)`` sorted, for date ranges.
    """

    all_ids: frozenset[int]
    by_facet: dict[str, dict[str, set[int]]]
    dates: list[tuple[str, int]]

    def facet_counts(self, ids: set[int]) -> dict[str, list[tuple[str, int]]]:
        """How many of ``ids`` have each value of each facet, most first.

        ``min_count`` is not applied: these counts stand in for the index's own counts of a word search,
        which count every value (a near-duplicate cluster with one hit included).
        """

        def counted(index: dict[str, set[int]]) -> list[tuple[str, int]]:
            pairs = ((value, len(members & ids)) for value, members in index.items())
            return rank_counts((value, count) for value, count in pairs if count)

        return {facet.name: counted(self.by_facet.get(facet.name, {})) for facet in FACETS}

    def matching(self, node: MetaFilter) -> set[int]:
        """The ids passing a filter, by set operations (the same answers as the store's SQL for ``browse_ids``)."""
        if isinstance(node, MetaAll):
            found = set(self.all_ids)
            for child in node.children:
                found &= self.matching(child)
            return found
        if isinstance(node, MetaAny):
            return set().union(*(self.matching(child) for child in node.children))
        if isinstance(node, MetaNot):
            return set(self.all_ids) - self.matching(node.child)
        if node.field == "all":
            return set(self.all_ids)
        if node.field == "date":
            low, high = node.values
            first = bisect_left(self.dates, (low,)) if low else 0
            last = bisect_right(self.dates, (high, sys.maxsize)) if high else len(self.dates)
            return {article_id for _key, article_id in self.dates[first:last]}
        index = self.by_facet[node.field]
        return set().union(*(index.get(value, set()) for value in node.values))
