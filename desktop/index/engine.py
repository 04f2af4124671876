"""The Whoosh index of the archive: open or rebuild, apply queued changes, search with one long-lived searcher."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.qparser import AndGroup, MultifieldParser, OrGroup
from whoosh.query import Query
from whoosh.searching import Searcher

from desktop.core.models import ArticleText
from desktop.index.schema import SCHEMA_VERSION, build_schema, document

META_FILE = "archive-index.json"
INDEX_NAME = "MAIN"
WRITER_TIMEOUT_S = 30.0
SEARCH_FIELDS = ("title", "body", "place", "agency")

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class RawHit:
    id: int
    score: float


@dataclass(frozen=True, slots=True)
class RawResults:
    hits: tuple[RawHit, ...]
    terms: frozenset[str]
    total: int
    explanation: str | None


class ArticleIndex:
    """The index folder of one archive. Not thread-safe: one owner thread, as the store's writer."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._ix: whoosh_index.Index | None = None
        self._searcher: Searcher | None = None

    # opening ------------------------------------------------------------------------------------
    def open(self) -> str | None:
        """Open the index; return why it must be rebuilt (missing, damaged, old schema), or None."""
        self.close()
        meta_path = self.folder / META_FILE
        if not self.folder.exists() or not any(self.folder.glob(f"_{INDEX_NAME}_*.toc")):
            return "the search index is missing"
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return "the search index has no readable version file"
        if meta.get("schema_version") != SCHEMA_VERSION:
            return f"the search index is of an older version ({meta.get('schema_version')}, now {SCHEMA_VERSION})"
        try:
            ix = whoosh_index.open_dir(str(self.folder), indexname=INDEX_NAME)
            ix.doc_count()
            searcher = ix.searcher()
            next(iter(searcher.reader().all_stored_fields()), None)  # reads a segment: fails if one is damaged
        except Exception as exc:  # whoosh raises many kinds of errors on a damaged index
            return f"the search index is damaged ({type(exc).__name__}: {exc})"
        self._ix = ix
        self._searcher = searcher
        return None

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
        self._searcher = None
        if self._ix is not None:
            self._ix.close()
        self._ix = None

    @property
    def ix(self) -> whoosh_index.Index:
        if self._ix is None:
            raise RuntimeError("the index is not open")
        return self._ix

    def _refresh(self) -> None:
        # A new searcher, not Searcher.refresh(): refresh() reuses segment readers whose deletions
        # changed (a deleted article stays visible) and fails outright on an empty index.
        if self._searcher is not None:
            self._searcher.close()
        self._searcher = self.ix.searcher()

    @property
    def searcher(self) -> Searcher:
        if self._searcher is None:
            self._searcher = self.ix.searcher()
        return self._searcher

    # writing ------------------------------------------------------------------------------------
    def apply(self, upserts: Iterable[ArticleText], deletes: Iterable[int]) -> None:
        """Write ``upserts`` and remove ``deletes`` in one Whoosh commit (or none on error)."""
        writer = self.ix.writer(timeout=WRITER_TIMEOUT_S)
        try:
            for article_id in deletes:
                writer.delete_by_term("id", str(article_id))
            for article in upserts:
                writer.update_document(**document(article))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        self._refresh()

    def rebuild(self, batches: Iterable[list[ArticleText]], total: int, progress: Progress | None = None) -> None:
        """Build a new index beside the old one from ``batches`` and swap it in only when complete."""
        self.close()
        fresh = self.folder.with_name(self.folder.name + ".new")
        stale = self.folder.with_name(self.folder.name + ".old")
        for leftover in (fresh, stale):
            shutil.rmtree(leftover, ignore_errors=True)
        fresh.mkdir(parents=True)
        ix = whoosh_index.create_in(str(fresh), build_schema(), indexname=INDEX_NAME)
        done = 0
        if progress:
            progress(0, total)
        writer = ix.writer(timeout=WRITER_TIMEOUT_S)
        try:
            for batch in batches:
                for article in batch:
                    writer.add_document(**document(article))
                done += len(batch)
                if progress:
                    progress(done, total)
        except BaseException:
            writer.cancel()
            ix.close()
            shutil.rmtree(fresh, ignore_errors=True)
            raise
        writer.commit()
        ix.close()
        (fresh / META_FILE).write_text(json.dumps({"schema_version": SCHEMA_VERSION}), encoding="utf-8")
        if self.folder.exists():
            self.folder.rename(stale)
        fresh.rename(self.folder)
        shutil.rmtree(stale, ignore_errors=True)
        reason = self.open()
        if reason:
            raise RuntimeError(f"the rebuilt index does not open: {reason}")

    # reading ------------------------------------------------------------------------------------
    def doc_count(self) -> int:
        return int(self.ix.doc_count())

    def ids(self) -> set[int]:
        return {int(fields["id"]) for fields in self.searcher.reader().all_stored_fields()}

    def parse(self, text: str) -> tuple[Query, str | None]:
        """Parse the query box's text: all words must match; on a syntax error, fall back to plain words."""
        parser = MultifieldParser(list(SEARCH_FIELDS), schema=self.ix.schema, group=AndGroup)
        try:
            return parser.parse(text), None
        except Exception:
            words = " ".join("".join(ch if ch.isalnum() else " " for ch in text).split())
            fallback = MultifieldParser(list(SEARCH_FIELDS), schema=self.ix.schema, group=OrGroup)
            return fallback.parse(words), f"Could not read the query as written; searched for the words {words!r}."

    def search(self, text: str, limit: int) -> RawResults:
        query, explanation = self.parse(text)
        terms = frozenset(
            term.decode("utf-8") if isinstance(term, bytes) else str(term)
            for field, term in query.iter_all_terms()
            if field in ("title", "body")
        )
        results = self.searcher.search(query, limit=limit)
        hits = tuple(RawHit(int(hit["id"]), float(hit.score or 0.0)) for hit in results)
        return RawResults(hits=hits, terms=terms, total=results.estimated_length(), explanation=explanation)
