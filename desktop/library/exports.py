"""Exports: CSV (per article or per annotation) of a scope, the whole archive as JSON and back, a CSV preview."""

from __future__ import annotations

import io
import itertools
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from desktop.core.errors import KnownError
from desktop.core.text import visible_text
from desktop.export import archive_json
from desktop.export.csv_export import ANNOTATION_COLUMNS, ARTICLE_COLUMNS, DEFAULT_ARTICLE_COLUMNS, CsvReport, write_csv, write_rows
from desktop.library.indexing import Indexing
from desktop.library.search import Search
from desktop.library.unit_of_work import UnitOfWork
from desktop.library.vocabulary import Vocabulary
from desktop.store import journal, repo

RECORD_BATCH = 200  # articles read in one session while records are written
Record = dict[str, object]


class Exports:
    """Writes what the archive holds to files others read (Excel, LibreOffice, another Archive Browser)."""

    def __init__(self, uow: UnitOfWork, indexing: Indexing, search: Search, vocabulary: Vocabulary) -> None:
        self._uow = uow
        self._indexing = indexing
        self._search = search
        self._vocabulary = vocabulary

    def scope_ids(self, scope: str) -> list[int]:
        """The articles a scope names: ``all``, ``selection:1,2,3``, ``search:QUERY``, ``tag:TAG``, ``saved:NAME``."""
        kind, _, value = scope.partition(":")
        if kind == "all" and not value:
            return self._search.browse("", sort="date", descending=False).ids
        if kind == "selection":
            try:
                return [int(part) for part in value.replace(" ", "").split(",") if part]
            except ValueError:
                raise KnownError(f"{value!r} is not a list of article ids (selection:1,2,3).") from None
        if kind == "search":
            return self._search.browse(value, sort="date", descending=False).ids
        if kind == "tag":
            return self._search.browse(f'tag:"{value}"', sort="date", descending=False).ids
        if kind == "saved":
            return self._search.browse(self._vocabulary.saved_query(value), sort="date", descending=False).ids
        raise KnownError(f"Unknown scope {scope!r}: use all, selection:IDS, search:QUERY, tag:TAG or saved:NAME.")

    def csv(
        self,
        path: Path,
        *,
        per: str = "article",
        scope: str = "all",
        columns: Sequence[str] | None = None,
        bom: bool = True,
        delimiter: str = ",",
    ) -> CsvReport:
        """Write one row per article or per annotation of ``scope`` to ``path`` (see ``desktop.export``)."""
        allowed = ARTICLE_COLUMNS if per == "article" else ANNOTATION_COLUMNS if per == "annotation" else None
        if allowed is None:
            raise KnownError("Export one row per article or per annotation.")
        chosen = list(columns or (DEFAULT_ARTICLE_COLUMNS if per == "article" else ANNOTATION_COLUMNS))
        unknown = [column for column in chosen if column not in allowed]
        if unknown:
            raise KnownError(f"Unknown columns {', '.join(unknown)}; choose from {', '.join(allowed)}.")
        ids = self.scope_ids(scope)
        records = self._article_records(ids) if per == "article" else self._annotation_records(ids)
        try:
            return write_csv(path, records, chosen, bom=bom, delimiter=delimiter)
        except ValueError as exc:
            raise KnownError(str(exc)) from exc
        except OSError as exc:
            raise KnownError(f"Could not write {path}: {exc.strerror or exc}. Nothing was left half written.") from exc

    def csv_preview(self, *, per: str = "article", scope: str = "all", columns: Sequence[str] | None = None, rows: int = 5) -> str:
        """The first ``rows`` rows the export would write, as CSV text."""
        chosen = list(columns or (DEFAULT_ARTICLE_COLUMNS if per == "article" else ANNOTATION_COLUMNS))
        ids = self.scope_ids(scope)[: rows if per == "article" else rows * 4]
        records = self._article_records(ids) if per == "article" else self._annotation_records(ids)
        buffer = io.StringIO(newline="")
        write_rows(buffer, itertools.islice(records, rows), chosen)
        return buffer.getvalue().replace("\r\n", "\n")

    def json(self, path: Path) -> int:
        """Write the whole archive (originals included) as one JSON document; return the number of articles."""
        with self._uow.read() as session:
            tables = journal.dump_tables(session, archive_json.TABLES)
        text = archive_json.dumps(tables)
        partial = path.with_name(path.name + ".part")
        try:
            with partial.open("w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            partial.replace(path)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise KnownError(f"Could not write {path}: {exc.strerror or exc}. Nothing was left half written.") from exc
        return len(tables["articles"])

    def import_json(self, path: Path) -> dict[str, int]:
        """Read a JSON export: into an empty archive as it was (ids included), else merged without duplicates."""
        try:
            tables = archive_json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError, TypeError, RecursionError) as exc:
            raise KnownError(f"Cannot import {path}: {exc}") from exc
        try:
            with self._uow.write() as session:
                if repo.count_all_articles(session) == 0 and not repo.tag_records(session) and not repo.saved_searches(session):
                    repo.clear_tables(session, ("name_variants", "settings"))  # the export's own take their place
                    journal.load_tables(session, tables, archive_json.TABLES)
                    counts = {"articles": len(tables["articles"]), "merged": 0}
                else:
                    counts = repo.merge_export(session, tables)
                repo.enqueue(session, repo.article_ids(session), repo.UPSERT)
        except (KeyError, TypeError, ValueError, SQLAlchemyError) as exc:  # rows that do not fit the tables: all rolled back
            raise KnownError(f"Cannot import {path}: the export is damaged ({type(exc).__name__}: {exc}); nothing was imported.") from exc
        self._indexing.drain()
        return counts

    def _article_records(self, ids: Sequence[int]) -> Iterator[Record]:
        """One record per article: a batch of articles is read in one session."""
        for start in range(0, len(ids), RECORD_BATCH):
            batch: list[Record] = []
            with self._uow.read() as session:
                for article_id in ids[start : start + RECORD_BATCH]:
                    detail = repo.get_detail(session, article_id)
                    summary = detail.summary
                    batch.append(
                        {
                            "id": summary.id,
                            "title": summary.title,
                            "title_kind": summary.title_kind,
                            "agency": summary.agency,
                            "place": summary.place,
                            "date": summary.date,
                            "date_precision": summary.date_precision,
                            "source": detail.source,
                            "sha256": detail.sha256,
                            "tags": list(detail.tags),
                            "notes": "\n\n".join(note.body for note in repo.notes_of(session, article_id)),
                            "annotation_count": len(repo.annotations_of(session, article_id)),
                            "reference": f"archive-browser:article/{summary.id}",
                            "text": visible_text(detail.text, detail.boilerplate),
                        }
                    )
            yield from batch

    def _annotation_records(self, ids: Sequence[int]) -> Iterator[Record]:
        """One record per annotation of the articles: a batch of articles is read in one session."""
        for start in range(0, len(ids), RECORD_BATCH):
            batch: list[Record] = []
            with self._uow.read() as session:
                for article_id in ids[start : start + RECORD_BATCH]:
                    summary = repo.get_detail(session, article_id).summary
                    batch.extend(
                        {
                            "article_id": article_id,
                            "article_title": summary.title,
                            "agency": summary.agency,
                            "date": summary.date,
                            "exact": record.exact,
                            "prefix": record.prefix,
                            "suffix": record.suffix,
                            "start": record.start,
                            "end": record.end,
                            "note": record.note,
                            "tags": list(record.tags),
                            "status": record.status,
                            "created": record.created_at,
                            "modified": record.modified_at,
                        }
                        for record in repo.annotations_of(session, article_id)
                    )
            yield from batch
