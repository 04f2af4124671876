"""The Whoosh index of the archive: open or rebuild, apply queued changes, search with one long-lived searcher."""

from __future__ import annotations

import contextlib
import json
import shutil
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TypeVar

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import sorting
from whoosh.analysis import STOP_WORDS
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.reading import SegmentReader
from whoosh.searching import Searcher

from desktop.core.errors import IndexDamagedError, IndexUnavailableError, KnownError
from desktop.core.facets import FACETS
from desktop.core.models import ArticleText
from desktop.core.text import fold
from desktop.index.analysis import COMMON_STEMS, FOLDED_PREFIX
from desktop.index.fastscore import BlockScorer, quick
from desktop.index.query import Leaf, ParsedQuery
from desktop.index.schema import SCHEMA_VERSION, build_schema, document
from desktop.index.whoosh_query import compile_query

META_FILE = "archive-index.json"
INDEX_NAME = "MAIN"
WRITER_TIMEOUT_S = 30.0
#: Whoosh reads a segment packed into one file by copying each part into memory (a 100,000-article
#: index took 555 MB of heap); as separate files they are read from disk as needed.
COMPOUND = False
MAX_EXPANSIONS = 200
SIMILAR_TERMS = 25
#: sort name -> (sortable column, newest first)
SORTS: dict[str, tuple[str, bool] | None] = {
    "relevance": None,
    "date": ("date_asc", False),
    "-date": ("date_desc", True),
    "title": ("title_sort", False),
}

Progress = Callable[[int, int], None]
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class RawHit:
    id: int
    score: float


@dataclass(frozen=True, slots=True)
class RawResults:
    hits: tuple[RawHit, ...]
    total: int
    facets: dict[str, list[tuple[str, int]]]
    expansions: dict[Leaf, frozenset[str]]


class ArticleIndex:
    """The index folder of one archive: one writing thread at a time, searches from any thread.

    A file of the index damaged in a way opening does not notice (a postings file, say: opening reads
    only the table of contents and the stored fields) is found when a search reads it: the search
    raises :class:`IndexDamagedError`, every later one too, and with ``writable`` the version file
    records the damage so the next opening rebuilds the index.
    """

    def __init__(self, folder: Path, *, writable: bool = True) -> None:
        self.folder = folder
        self.writable = writable
        #: why the index cannot be read (found by a search since it was opened), or None
        self.damage: str | None = None
        self._ix: whoosh_index.Index | None = None
        self._searcher: Searcher | None = None
        self._block_scorer: BlockScorer | None = None
        # The window reads (searches) on one thread while another writes (imports): the searcher is
        # swapped after each commit, never while a search is using it.
        self._lock = threading.RLock()

    # opening ------------------------------------------------------------------------------------
    def open(self) -> str | None:
        """Open the index; return why it must be rebuilt (missing, damaged, old schema), or None."""
        self.close()
        meta_path = self.folder / META_FILE
        if self.folder.is_symlink():
            # Whoosh's table of contents is a pickle: opening an index from elsewhere could run its code
            return "the search index folder is a link to somewhere else, never opened from there"
        if not self.folder.exists() or not any(self.folder.glob(f"_{INDEX_NAME}_*.toc")):
            return "the search index is missing"
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return "the search index has no readable version file"
        if meta.get("schema_version") != SCHEMA_VERSION:
            return f"the search index is of an older version ({meta.get('schema_version')}, now {SCHEMA_VERSION})"
        if meta.get("damaged"):
            return str(meta["damaged"])
        try:
            ix = whoosh_index.open_dir(str(self.folder), indexname=INDEX_NAME)
            ix.doc_count()
            searcher = ix.searcher()
            next(iter(searcher.reader().all_stored_fields()), None)  # reads a segment: fails if one is damaged
        except Exception as exc:  # whoosh raises many kinds of errors on a damaged index
            return f"the search index is damaged ({type(exc).__name__}: {exc})"
        self._ix = ix
        self._searcher = searcher
        self.damage = None
        return None

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = None
            if self._ix is not None:
                self._ix.close()
            self._ix = None

    @property
    def is_open(self) -> bool:
        return self._ix is not None

    @property
    def ix(self) -> whoosh_index.Index:
        if self._ix is None:
            raise IndexUnavailableError("The search index is being prepared; search will work in a moment.")
        return self._ix

    def refresh(self) -> None:
        """Search what the last commit wrote (this process's or another's)."""
        # A new searcher, not Searcher.refresh(): refresh() reuses segment readers whose deletions
        # changed (a deleted article stays visible) and fails outright on an empty index.
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = self.ix.searcher()

    @property
    def searcher(self) -> Searcher:
        if self._searcher is None:
            self._searcher = self.ix.searcher()
        return self._searcher

    @property
    def block_scorer(self) -> BlockScorer | None:
        """The quick scorer of the current searcher (None if its segments are of a kind it does not read)."""
        searcher = self.searcher
        if self._block_scorer is None or self._block_scorer.searcher is not searcher:
            self._block_scorer = BlockScorer(searcher) if BlockScorer.supported(searcher) else None
        return self._block_scorer

    # writing ------------------------------------------------------------------------------------
    def apply(self, upserts: Iterable[ArticleText], deletes: Iterable[int], *, refresh: bool = True) -> None:
        """Write ``upserts`` and remove ``deletes`` in one Whoosh commit (or none on error).

        A damaged index (a merge reads old segments) raises :class:`IndexDamagedError`: nothing is written.
        """
        if self.damage is not None:
            raise IndexDamagedError(self._damage_message())
        writer = self.ix.writer(timeout=WRITER_TIMEOUT_S, compound=COMPOUND)
        try:
            for article_id in deletes:
                writer.delete_by_term("id", str(article_id))
            for article in upserts:
                writer.update_document(**document(article))
            writer.commit()
        except BaseException as exc:
            # never leave the writer lock held: the queue rows stay, and the next drain writes them again
            with contextlib.suppress(Exception):
                writer.cancel()
            if isinstance(exc, Exception) and not isinstance(exc, OSError | KnownError):
                with self._lock:
                    if self._find_damage() is not None:
                        raise IndexDamagedError(self._damage_message()) from exc
            raise
        if refresh:
            self.refresh()

    def rebuild(
        self, batches: Iterable[list[ArticleText]], total: int, progress: Progress | None = None, *, common: frozenset[str] = COMMON_STEMS
    ) -> None:
        """Build a new index beside the old one from ``batches`` and swap it in only when complete.

        ``common``: the stems whose neighbouring pairs are indexed (see ``analysis.common_stems``).
        """
        self.close()
        fresh = self.folder.with_name(self.folder.name + ".new")
        stale = self.folder.with_name(self.folder.name + ".old")
        for leftover in (fresh, stale):
            _remove(leftover)
        fresh.mkdir(parents=True)
        ix = whoosh_index.create_in(str(fresh), build_schema(common), indexname=INDEX_NAME)
        done = 0
        if progress:
            progress(0, total)
        writer = ix.writer(timeout=WRITER_TIMEOUT_S, compound=COMPOUND)
        try:
            for batch in batches:
                for article in batch:
                    writer.add_document(**document(article))
                done += len(batch)
                if progress:
                    progress(done, total)
            writer.commit()
            (fresh / META_FILE).write_text(json.dumps({"schema_version": SCHEMA_VERSION}), encoding="utf-8")
        except BaseException:
            # a full disk, say: drop the half-built index and go on searching the old one
            with contextlib.suppress(Exception):
                writer.cancel()
            ix.close()
            shutil.rmtree(fresh, ignore_errors=True)
            self.open()
            raise
        ix.close()
        if self.folder.exists():
            self.folder.rename(stale)
        fresh.rename(self.folder)
        _remove(stale)
        reason = self.open()
        if reason:
            raise RuntimeError(f"the rebuilt index does not open: {reason}")

    # reading ------------------------------------------------------------------------------------
    def _read(self, work: Callable[[], _T]) -> _T:
        """Run ``work`` under the lock; when it fails, tell a stale searcher, a damaged file and a bug of ours apart.

        A commit (here or in the indexing process) merges segments and deletes the old ones' files, which
        a searcher opened before it may not have opened yet: so a failure is first tried again with a new
        searcher. If that fails too, the whole index is read: Whoosh reads its files with pickle, struct,
        zlib and array, so a garbled file can raise almost anything. When the whole read fails, the error
        becomes :class:`IndexDamagedError` (the original chained); otherwise it is raised as it is.
        """
        with self._lock:
            if self.damage is not None:
                raise IndexDamagedError(self._damage_message())
            try:
                return work()
            except KnownError:
                raise
            except Exception:
                self.refresh()
            try:
                return work()
            except KnownError:
                raise
            except Exception as exc:
                if self._find_damage() is None:
                    raise
                raise IndexDamagedError(self._damage_message()) from exc

    def _find_damage(self) -> str | None:
        """Read the whole index with a new searcher; on failure remember why (and, when writable, record it for the next opening)."""
        try:
            self.refresh()
            self._read_everything()
        except KnownError:
            raise
        except Exception as exc:
            self.damage = f"the search index is damaged ({type(exc).__name__}: {_short(exc)})"
            if self.writable:
                self._record_damage()
        return self.damage

    def _read_everything(self) -> None:
        """Every term and block of postings, every stored field, column and field length of every segment."""
        for reader, _offset in self.searcher.reader().leaf_readers():
            for field, term in reader.all_terms():
                if not reader.schema[field].format:
                    continue  # a column, not postings
                matcher = reader.postings(field, term)
                if not isinstance(matcher, W3LeafMatcher):
                    list(matcher.all_ids())  # postings kept in the term's entry
                    continue
                while matcher.is_active():
                    matcher._read_data()
                    matcher._read_ids()
                    matcher._next_block()
            for _fields in reader.all_stored_fields():
                pass
            for name, field_type in reader.schema.items():
                if field_type.column_type is not None and reader.has_column(name):
                    list(reader.column_reader(name))
                if field_type.scorable and isinstance(reader, SegmentReader):  # an empty index has no segment
                    lengths = reader._perdoc._cached_reader(_lenfield(name), LENGTHS_COLUMN)
                    if lengths is not None:
                        lengths.load()

    def _damage_message(self) -> str:
        mend = "It is rebuilt from the archive the next time the archive is opened"
        if not self.writable:
            mend = "Open the archive for writing to rebuild it"
        return f"Search is not available: {self.damage}. {mend}; nothing in the archive is affected."

    def _record_damage(self) -> None:
        """Say in the version file that the index must be rebuilt (it is written whole, then renamed in place)."""
        meta_path = self.folder / META_FILE
        with contextlib.suppress(OSError, ValueError):
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            meta["damaged"] = self.damage
            part = meta_path.with_name(META_FILE + ".part")
            part.write_text(json.dumps(meta), encoding="utf-8")
            part.replace(meta_path)

    def doc_count(self) -> int:
        return self._read(lambda: int(self.ix.doc_count()))

    def ids(self) -> set[int]:
        return self._read(lambda: {int(fields["id"]) for fields in self.searcher.reader().all_stored_fields()})

    def verify(self) -> str | None:
        """Read the whole index; return what is damaged, or None.

        About 20 s for 100,000 articles: :meth:`open` reads only enough to start.
        """
        with self._lock:
            return self.damage if self.damage is not None else self._find_damage()

    def expansions(self, parsed: ParsedQuery) -> dict[Leaf, frozenset[str]]:
        """The index words each wildcard or fuzzy leaf stands for, so highlights light exactly those."""
        return self._read(lambda: self._expansions(parsed))

    def _expansions(self, parsed: ParsedQuery) -> dict[Leaf, frozenset[str]]:
        reader = self.searcher.reader()
        found: dict[Leaf, frozenset[str]] = {}
        for leaf in parsed.positive_leaves():
            if isinstance(leaf, Leaf) and leaf.kind in ("wildcard", "fuzzy"):
                terms = compile_query(leaf).expanded_terms(reader)
                # the words as the highlighter sees them: folded ("~ha" is how "hà" is folded)
                found[leaf] = frozenset(fold(_text(term).removeprefix(FOLDED_PREFIX)) for _field, term in islice(terms, MAX_EXPANSIONS))
        return found

    def search(self, parsed: ParsedQuery, *, limit: int, sort: str = "relevance", facets: bool = False) -> RawResults:
        """Run a parsed query: the top ``limit`` hits in ``sort`` order, and facet counts when asked."""
        return self._read(lambda: self._search(parsed, limit=limit, sort=sort, facets=facets))

    def _search(self, parsed: ParsedQuery, *, limit: int, sort: str, facets: bool) -> RawResults:
        if parsed.tree is None:
            return RawResults(hits=(), total=0, facets={}, expansions={})
        options: dict[str, object] = {}
        if sort not in SORTS:
            raise ValueError(f"unknown sort {sort!r}")
        order = SORTS[sort]
        if order is not None:
            column, reverse = order
            options["sortedby"] = sorting.FieldFacet(column, reverse=reverse)
        if facets:
            options["groupedby"] = {
                facet.name: sorting.FieldFacet(facet.index_field, allow_overlap=facet.multi_valued, maptype=sorting.Count)
                for facet in FACETS
            }
        query = compile_query(parsed.tree)
        scorer = self.block_scorer if order is None and not facets and quick(query) else None
        if scorer is not None:
            best, total = scorer.top(query, limit)
            found = tuple(RawHit(int(article_id), score) for article_id, score in best)
            return RawResults(hits=found, total=total, facets={}, expansions=self._expansions(parsed))
        results = self.searcher.search(query, limit=limit, **options)
        hits = tuple(RawHit(int(hit["id"]), _score(hit.score)) for hit in results)
        counts: dict[str, list[tuple[str, int]]] = {}
        if facets:
            for facet in FACETS:
                groups = results.groups(facet.name)
                pairs = [(_text(value), int(count)) for value, count in groups.items() if _facet_value_known(value)]
                counts[facet.name] = sorted(pairs, key=lambda pair: (-pair[1], pair[0]))
        return RawResults(hits=hits, total=results.estimated_length(), facets=counts, expansions=self._expansions(parsed))

    def matching_ids(self, parsed: ParsedQuery) -> list[int] | None:
        """Every article ``parsed`` matches, the quick way; None when it cannot go the quick way."""
        if parsed.tree is None:
            return []
        query = compile_query(parsed.tree)

        def work() -> list[int] | None:
            scorer = self.block_scorer if quick(query) else None
            if scorer is None:
                return None
            article_ids = scorer.article_ids()
            return [int(article_ids[docnum]) for docnum in scorer.scores(query)]

        return self._read(work)

    def similar(self, text: str, *, exclude: Iterable[int], limit: int) -> list[RawHit]:
        """Articles that share the most telling words of ``text``, leaving out ``exclude``."""
        return self._read(lambda: self._similar(text, exclude=exclude, limit=limit))

    def _similar(self, text: str, *, exclude: Iterable[int], limit: int) -> list[RawHit]:
        # function words say nothing about what a story is about (the index itself keeps them: US, May)
        candidates = self.searcher.key_terms_from_text("text", text, numterms=SIMILAR_TERMS * 2)
        key_terms = [(term, weight) for term, weight in candidates if term not in STOP_WORDS and len(term) > 2][:SIMILAR_TERMS]
        if not key_terms:
            return []
        query = wq.Or([wq.Term("text", term, boost=weight) for term, weight in key_terms])
        mask = wq.Or([wq.Term("id", str(article_id)) for article_id in exclude])
        results = self.searcher.search(query, limit=limit, mask=mask)
        return [RawHit(int(hit["id"]), _score(hit.score)) for hit in results]


def _facet_value_known(value: object) -> bool:
    """Leave out the placeholders of articles with no value (no cluster, no year: Whoosh's largest number)."""
    if isinstance(value, int):  # a numeric column (the year): its placeholder is out of range
        return 0 < value < 10_000
    return value not in (None, "", b"")


def _score(value: object) -> float:
    """A hit's relevance; sorted searches give the sort key instead, which is no score."""
    return float(value) if isinstance(value, int | float) else 0.0


def _text(value: object) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _short(exc: BaseException, limit: int = 120) -> str:
    text = str(exc).rstrip(".") or "no detail"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _remove(path: Path) -> None:
    """Remove a folder of ours, or just the link if it is one (never what a link points to)."""
    if path.is_symlink():
        path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)
