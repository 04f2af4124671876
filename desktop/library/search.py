"""Finding articles: the search, the table's ordered ids, its rows with snippets, facet counts, hit spans, similar articles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from desktop.core.errors import ArticleNotFoundError, KnownError
from desktop.core.facets import FACETS
from desktop.core.models import ArticleRow, MetaFilter, SearchHit
from desktop.core.text import visible_text
from desktop.index.engine import SORTS
from desktop.index.highlight import matched_in, query_spans, snippet
from desktop.index.query import ParsedQuery, VariantTable, meta_filter, parse_query
from desktop.library.indexing import Indexing
from desktop.library.unit_of_work import UnitOfWork
from desktop.store import repo

SEARCH_LIMIT = 10_000  # the most search results the table lists
#: search orders: relevance, date (oldest first), -date (newest first), title
SORT_ORDERS: tuple[str, ...] = tuple(SORTS)
FacetCounts = dict[str, list[tuple[str, int]]]


@dataclass(frozen=True, slots=True)
class Browse:
    """What the article table shows: ids in order, about how many matched, and the query's explanation."""

    ids: list[int]
    total: int
    explanation: str | None
    searched: bool


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The hits shown, about how many matched, the fallback explanation, and facet counts when asked."""

    hits: tuple[SearchHit, ...]
    total: int
    explanation: str | None
    facets: FacetCounts


class Search:
    """Queries over the archive (docs/search.md). What it keeps in memory is forgotten at every write."""

    def __init__(self, uow: UnitOfWork, indexing: Indexing) -> None:
        self._uow = uow
        self._indexing = indexing
        self._orders: dict[tuple[str, bool], list[int]] = {}
        self._columns: repo.MetaColumns | None = None
        self._variant_table: VariantTable | None = None
        uow.caches.register(self._forget)

    def _forget(self) -> None:
        self._orders.clear()
        self._columns = None
        self._variant_table = None

    def parse(self, query: str) -> ParsedQuery:
        """The query as the search understands it (with the one-line explanation when it fell back)."""
        return parse_query(query, self._variants())

    def _variants(self) -> VariantTable:
        """The name variants, kept until the next write (read-only: another process may change them)."""
        table = self._variant_table
        if table is None:
            with self._uow.read() as session:
                table = VariantTable.from_groups(list(repo.variant_groups(session).values()))
            if not self._uow.read_only:
                self._variant_table = table
        return table

    def find(self, query: str, *, limit: int = 20, sort: str = "relevance", facets: bool = False, spans: bool = False) -> SearchResult:
        """Search the index; each hit says where it matched and carries a snippet with ``<mark>`` around hits.

        Args:
            sort: ``relevance``, ``date`` (oldest first), ``-date`` (newest first) or ``title``.
            facets: count the whole result set by each facet (core/facets.py).
            spans: include every hit span of each result's clean text.
        """
        self._indexing.require()
        if sort not in SORTS:
            raise KnownError(f"Unknown sort {sort!r}: use one of {', '.join(SORTS)}.")
        parsed = self.parse(query)
        if parsed.tree is None:
            return SearchResult(hits=(), total=0, explanation=parsed.explanation or "Type a word to search.", facets={})
        raw = self._indexing.article_index.search(parsed, limit=limit, sort=sort, facets=facets)
        ids = [hit.id for hit in raw.hits]
        with self._uow.read() as session:
            texts = {text.id: text for text in repo.texts_for(session, ids)}
            summaries = repo.summaries_for(session, ids)
            facet_counts = facet_labels(session, raw.facets) if facets else {}
        hits = []
        for hit in raw.hits:
            text = texts.get(hit.id)
            summary = summaries.get(hit.id)
            if text is None or summary is None:
                continue  # indexed but gone from the store: the queue will remove it
            body_spans = query_spans(text.text, parsed, "body", boilerplate=text.boilerplate, expansions=raw.expansions)
            hits.append(
                SearchHit(
                    id=hit.id,
                    title=summary.title,
                    score=hit.score,
                    snippet=snippet(text.text, text.boilerplate, body_spans),
                    matched_in=matched_in(text, parsed, body_spans, raw.expansions),
                    spans=tuple(body_spans) if spans else None,
                )
            )
        return SearchResult(hits=tuple(hits), total=raw.total, explanation=parsed.explanation, facets=facet_counts)

    def browse(self, query: str = "", *, sort: str = "date", descending: bool = True) -> Browse:
        """The ids the article table shows for ``query``, in order.

        No query, or one made only of metadata clauses (a facet's field such as ``agency:`` or ``tag:``, and ``date:``),
        is answered by SQL over every article; a query with words goes to the index (its best
        ``SEARCH_LIMIT`` hits), then ``sort`` (``relevance`` or a table column) orders them.
        """
        parsed = self.parse(query) if query.strip() else ParsedQuery(None)
        if parsed.tree is None and query.strip():
            return Browse(ids=[], total=0, explanation=parsed.explanation, searched=True)
        meta = meta_filter(parsed.tree) if parsed.tree is not None else None
        column = sort if sort in repo.SORT_COLUMNS else "date"
        if parsed.tree is None or meta is not None:
            ids = self._ordered_ids(meta, column, descending if sort in repo.SORT_COLUMNS else True)
            return Browse(ids=ids, total=len(ids), explanation=parsed.explanation, searched=False)
        self._indexing.require()
        raw = self._indexing.article_index.search(parsed, limit=SEARCH_LIMIT)
        ids = [hit.id for hit in raw.hits]
        if sort in repo.SORT_COLUMNS:  # the column's order is kept in memory: the hits in that order
            wanted = set(ids)
            ids = [article_id for article_id in self._ordered_ids(None, sort, descending) if article_id in wanted]
        return Browse(ids=ids, total=max(raw.total, len(ids)), explanation=parsed.explanation, searched=True)

    def _ordered_ids(self, meta: MetaFilter | None, column: str, descending: bool) -> list[int]:
        """Every article's id in a column's order, kept until the next write (re-sorting 100,000 rows is then a copy)."""
        if self._uow.read_only:  # another process writes, unseen here: always ask SQL
            with self._uow.read() as session:
                return repo.browse_ids(session, meta, sort=column, descending=descending)
        key = (column, descending)
        cached = self._orders.get(key)
        if cached is None:
            with self._uow.read() as session:
                cached = repo.browse_ids(session, None, sort=column, descending=descending)
            self._orders[key] = cached
        if meta is None:
            return list(cached)
        wanted = self._meta_columns().matching(meta)
        return [article_id for article_id in cached if article_id in wanted]

    def warm(self) -> None:
        """Read ahead what narrowing needs, so the first facet click after opening or an edit is quick."""
        if not self._uow.read_only:
            self._meta_columns()

    def _meta_columns(self) -> repo.MetaColumns:
        columns = self._columns
        if columns is None:
            with self._uow.read() as session:
                columns = repo.meta_columns(session)
            self._columns = columns
        return columns

    def rows(self, ids: Sequence[int], query: str = "") -> dict[int, ArticleRow]:
        """Table rows for ``ids``; with a query, each carries its snippet (only these rows are highlighted)."""
        with self._uow.read() as session:
            rows = repo.rows_for(session, ids)
            texts = repo.texts_for(session, ids) if query.strip() else []
        if texts:
            parsed = self.parse(query)
            index = self._indexing.article_index
            expansions = index.expansions(parsed) if self._indexing.ready else {}
            for text in texts:
                spans = query_spans(text.text, parsed, "body", boilerplate=text.boilerplate, expansions=expansions)
                rows[text.id] = replace(rows[text.id], snippet=snippet(text.text, text.boilerplate, spans))
        return rows

    def facets(self, query: str = "") -> FacetCounts:
        """Counts by each facet (core/facets.py) for what :meth:`browse` shows for ``query``."""
        parsed = self.parse(query) if query.strip() else ParsedQuery(None)
        meta = meta_filter(parsed.tree) if parsed.tree is not None else None
        if parsed.tree is None or meta is not None:
            with self._uow.read() as session:
                return repo.facet_counts(session, meta)
        self._indexing.require()
        index = self._indexing.article_index
        found = None if self._uow.read_only else index.matching_ids(parsed)
        # counted in memory where it can be: a word in most of 100,000 articles takes milliseconds
        counts = self._meta_columns().facet_counts(set(found)) if found is not None else index.search(parsed, limit=1, facets=True).facets
        with self._uow.read() as session:
            return facet_labels(session, counts)

    def hit_spans(self, article_id: int, query: str) -> list[tuple[int, int]]:
        """Every hit of ``query`` in the article's clean text, for the reader to step through (n of N)."""
        self._indexing.require()
        parsed = self.parse(query)
        with self._uow.read() as session:
            texts = repo.texts_for(session, [article_id])
        if not texts:
            raise ArticleNotFoundError(f"No article has id {article_id}.")
        expansions = self._indexing.article_index.expansions(parsed)
        return query_spans(texts[0].text, parsed, "body", boilerplate=texts[0].boilerplate, expansions=expansions)

    def similar(self, article_id: int, *, limit: int = 10) -> list[SearchHit]:
        """More like this: articles sharing the most telling words, leaving out its near-duplicate cluster."""
        self._indexing.require()
        with self._uow.read() as session:
            texts = repo.texts_for(session, [article_id])
            if not texts:
                raise ArticleNotFoundError(f"No article has id {article_id}.")
            exclude = repo.cluster_members(session, article_id)
        source = texts[0]
        raw = self._indexing.article_index.similar(visible_text(source.text, source.boilerplate), exclude=exclude, limit=limit)
        with self._uow.read() as session:
            found = {text.id: text for text in repo.texts_for(session, [hit.id for hit in raw])}
        return [
            SearchHit(
                id=hit.id, title=found[hit.id].title, score=hit.score, snippet=snippet(found[hit.id].text, found[hit.id].boilerplate, [])
            )
            for hit in raw
            if hit.id in found
        ]


def facet_labels(session: Session, facets: FacetCounts) -> FacetCounts:
    """Facet values as a person reads them: a folded facet's values (agencies, tags…) in the store's own spelling."""
    spelled = {facet.name: repo.spellings(session, facet.name) for facet in FACETS if facet.name in facets}
    return {
        facet.name: [(spelled.get(facet.name, {}).get(value, value), count) for value, count in facets[facet.name]]
        for facet in FACETS
        if facet.name in facets
    }
