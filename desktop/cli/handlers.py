"""What each command does: the handlers the table in ``desktop.cli`` names, and how they print."""

from __future__ import annotations

import argparse
import json
import signal
import sys
from collections.abc import Callable
from types import FrameType
from typing import Any, TextIO

from desktop.core.errors import KnownError
from desktop.core.models import ImportOutcome
from desktop.library import Edit, Library

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_ERROR = 2
EXIT_BUG = 70
EXIT_INTERRUPTED = 130

Handler = Callable[[Library, "Output", argparse.Namespace], int]


class Output:
    def __init__(self, as_json: bool, out: TextIO, err: TextIO) -> None:
        self.as_json = as_json
        self.out = out
        self.err = err

    def record(self, data: dict[str, Any], human: str) -> None:
        if self.as_json:
            self.out.write(json.dumps(data, ensure_ascii=False) + "\n")
        else:
            self.out.write(human + "\n")
        self.out.flush()

    def note(self, message: str) -> None:
        self.err.write(message + "\n")
        self.err.flush()


def progress_printer(err: TextIO) -> Callable[[int, int, str], None]:
    def report(done: int, total: int, label: str) -> None:
        err.write(f"{label}: {done}/{total}\n")
        err.flush()

    return report


# reading --------------------------------------------------------------------------------------------------
def import_files(library: Library, output: Output, args: argparse.Namespace) -> int:
    interrupted = False

    def on_interrupt(_signum: int, _frame: FrameType | None) -> None:
        nonlocal interrupted
        if interrupted:
            raise KeyboardInterrupt
        interrupted = True
        output.note("Stopping after the current file (press Ctrl+C again to stop at once)…")

    def show(item: ImportOutcome) -> None:
        said = f"#{item.id}" if item.id else (f"duplicate of #{item.duplicate_of}" if item.duplicate_of else item.reason or "")
        output.record(item.to_json(), f"{item.outcome:<10} {item.path}  {said}")

    library.index.write_in_child_process()  # the index is written beside the parsing, on another core
    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        report = library.imports.paths(args.paths, cancelled=lambda: interrupted, on_outcome=show)
    finally:
        signal.signal(signal.SIGINT, previous)
    output.note(
        f"{report.count('imported')} imported, {report.count('duplicate')} duplicates, {report.count('skipped')} skipped"
        + (" (cancelled)" if report.cancelled else "")
    )
    return EXIT_INTERRUPTED if report.cancelled else EXIT_OK


def list_articles(library: Library, output: Output, args: argparse.Namespace) -> int:
    for summary in library.articles.summaries(offset=args.offset, limit=args.limit):
        date = summary.date or "—"
        output.record(summary.to_json(), f"{summary.id:>6}  {date:<10}  {summary.agency or '—':<8}  {summary.title}")
    return EXIT_OK


def show(library: Library, output: Output, args: argparse.Namespace) -> int:
    if args.original:
        sys.stdout.buffer.write(library.articles.original(args.id))
        return EXIT_OK
    detail = library.articles.get(args.id)
    summary = detail.summary
    human = "\n".join(
        [
            f"#{summary.id}  {summary.title}  ({summary.title_kind})",
            f"agency: {summary.agency or '—'}   place: {summary.place or '—'}",
            f"date: {summary.date or '—'} ({summary.date_precision})",
            f"source: {detail.source}   sha256: {detail.sha256}",
            f"cluster: {', '.join(f'#{i}' for i in detail.cluster) or '—'}",
            "",
            detail.text,
        ]
    )
    output.record(detail.to_json(), human)
    return EXIT_OK


def search(library: Library, output: Output, args: argparse.Namespace) -> int:
    return print_search(library, output, args.query, limit=args.limit, sort=args.sort, facets=args.facets, spans=args.spans)


def print_search(
    library: Library, output: Output, query: str, *, limit: int, sort: str = "relevance", facets: bool = False, spans: bool = False
) -> int:
    result = library.search.find(query, limit=limit, sort=sort, facets=facets, spans=spans)
    if result.explanation:
        output.note(result.explanation)
    for hit in result.hits:
        where = ", ".join(hit.matched_in)
        output.record(hit.to_json(), f"{hit.id:>6}  {hit.score:6.2f}  {hit.title}  [{where}]\n        {hit.snippet}")
    if facets:
        lines = [f"{name}: " + ", ".join(f"{value} ({count})" for value, count in values) for name, values in result.facets.items()]
        summary = {
            "total": result.total,
            "explanation": result.explanation,
            "facets": {k: [list(p) for p in v] for k, v in result.facets.items()},
        }
        output.record(summary, "\n".join(lines))
    if not output.as_json:
        output.note(f"{len(result.hits)} shown of about {result.total} matching articles")
    return EXIT_OK


def similar(library: Library, output: Output, args: argparse.Namespace) -> int:
    for hit in library.search.similar(args.id, limit=args.limit):
        output.record(hit.to_json(), f"{hit.id:>6}  {hit.score:6.2f}  {hit.title}")
    return EXIT_OK


# name variants and saved searches ------------------------------------------------------------------------
def variants_list(library: Library, output: Output, _args: argparse.Namespace) -> int:
    for group in library.vocabulary.variant_groups():
        output.record({"group": group}, " = ".join(group))
    return EXIT_OK


def variants_add(library: Library, output: Output, args: argparse.Namespace) -> int:
    group = library.vocabulary.add_variants(args.names)
    output.record({"group": group}, " = ".join(group))
    return EXIT_OK


def variants_remove(library: Library, output: Output, args: argparse.Namespace) -> int:
    library.vocabulary.remove_variant(args.name)
    output.note(f"removed {args.name!r}")
    return EXIT_OK


def saved_list(library: Library, output: Output, _args: argparse.Namespace) -> int:
    for name, query in library.vocabulary.saved_searches():
        output.record({"name": name, "query": query}, f"{name}: {query}")
    return EXIT_OK


def saved_add(library: Library, output: Output, args: argparse.Namespace) -> int:
    library.vocabulary.save_search(args.name, args.query)
    output.note(f"saved {args.name!r}")
    return EXIT_OK


def saved_run(library: Library, output: Output, args: argparse.Namespace) -> int:
    return print_search(library, output, library.vocabulary.saved_query(args.name), limit=args.limit)


def saved_rename(library: Library, output: Output, args: argparse.Namespace) -> int:
    library.vocabulary.rename_saved_search(args.name, args.new_name)
    output.note(f"renamed {args.name!r} to {args.new_name!r}")
    return EXIT_OK


def saved_remove(library: Library, output: Output, args: argparse.Namespace) -> int:
    library.vocabulary.delete_saved_search(args.name)
    output.note(f"removed {args.name!r}")
    return EXIT_OK


# tags, notes, annotations, text edits and the trash (each one undoable in the window) ---------------------
def tag(library: Library, output: Output, args: argparse.Namespace) -> int:
    edit = library.tags.change(args.ids, add=args.add, remove=args.remove)
    output.note(f"{edit.label}: {len(edit.changes)} changes")
    return EXIT_OK


def tags_list(library: Library, output: Output, _args: argparse.Namespace) -> int:
    for tag in library.tags.all():
        data = {"name": tag.name, "colour": tag.color, "articles": tag.articles, "annotations": tag.annotations}
        output.record(data, f"{tag.name}  ({tag.articles} articles, {tag.annotations} annotations){'  ' + tag.color if tag.color else ''}")
    return EXIT_OK


def say_edit(edit_of: Callable[[Library, argparse.Namespace], Edit]) -> Handler:
    """A handler making one edit and saying its name (as the window's Edit menu does)."""

    def run(library: Library, output: Output, args: argparse.Namespace) -> int:
        output.note(edit_of(library, args).label)
        return EXIT_OK

    return run


def tags_delete(library: Library, output: Output, args: argparse.Namespace) -> int:
    articles, annotations = library.tags.usage(args.tag)
    edit = library.tags.delete(args.tag)
    output.note(f"removed from {articles} articles and {annotations} annotations")
    output.note(edit.label)
    return EXIT_OK


def note(library: Library, output: Output, args: argparse.Namespace) -> int:
    edit = library.notes.add(args.id, args.text)
    output.record({"id": edit.created, "article_id": args.id}, f"note {edit.created} added to #{args.id}")
    return EXIT_OK


def annotate(library: Library, output: Output, args: argparse.Namespace) -> int:
    edit = library.annotations.add_quote(args.id, args.quote, occurrence=args.occurrence, note=args.note, tags=args.tag)
    record = next(a for a in library.annotations.of(args.id) if a.id == edit.created)
    output.record(record.to_json(), f"annotation {record.id} on #{args.id} at {record.start}–{record.end}")
    return EXIT_OK


def annotations_list(library: Library, output: Output, args: argparse.Namespace) -> int:
    records = library.annotations.of(args.id, needs_review=args.needs_review)
    for record in records:
        flag = "  NEEDS REVIEW" if record.status != "anchored" else ""
        output.record(
            record.to_json(),
            f"{record.id:>5}  #{record.article_id}  {record.start}–{record.end}  “{record.exact}”  {record.note}{flag}",
        )
    review = sum(1 for record in records if record.status != "anchored")
    if review and not output.as_json:
        output.note(f"{review} annotations need your attention")
    return EXIT_OK


def edit_text(library: Library, output: Output, args: argparse.Namespace) -> int:
    try:
        text = args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KnownError(f"Cannot read {args.file} as UTF-8 text: {exc}") from exc
    library.articles.edit_text(args.id, text)
    lost = library.annotations.of(args.id, needs_review=True)
    output.note(f"text of #{args.id} replaced" + (f"; {len(lost)} annotations need your attention" if lost else ""))
    return EXIT_OK


# export, backups, check ------------------------------------------------------------------------------------
def export_csv(library: Library, output: Output, args: argparse.Namespace) -> int:
    columns = [column.strip() for column in args.columns.split(",")] if args.columns else None
    exported = library.exports.csv(args.out, per=args.per, scope=args.scope, columns=columns, bom=not args.no_bom, delimiter=args.delimiter)
    for warning in exported.warnings():
        output.note(f"warning: {warning}")
    written = {"path": str(exported.path), "rows": exported.rows, "warnings": exported.warnings()}
    output.record(written, f"{exported.rows} rows written to {exported.path}")
    return EXIT_OK


def export_json(library: Library, output: Output, args: argparse.Namespace) -> int:
    count = library.exports.json(args.out)
    output.record({"path": str(args.out), "articles": count}, f"{count} articles written to {args.out}")
    return EXIT_OK


def import_json(library: Library, output: Output, args: argparse.Namespace) -> int:
    counts = library.exports.import_json(args.file)
    output.record(counts, f"{counts['articles']} articles added, {counts['merged']} already here")
    return EXIT_OK


def backup(library: Library, output: Output, _args: argparse.Namespace) -> int:
    made = library.backups.create()
    output.record({"path": str(made)}, f"backup written to {made}")
    return EXIT_OK


def backups_list(library: Library, output: Output, _args: argparse.Namespace) -> int:
    for name, size, when in library.backups.all():
        output.record({"name": name, "size": size, "time": when}, f"{name}  {size / 1_048_576:.1f} MB  {when}")
    return EXIT_OK


def backups_restore(library: Library, output: Output, args: argparse.Namespace) -> int:
    if not getattr(args, "restored", False):
        library.backups.restore(args.name, progress=progress_printer(output.err))
    output.note(f"restored {args.name}; the previous database is kept in backups/")
    return EXIT_OK


def check(library: Library, output: Output, _args: argparse.Namespace) -> int:
    check = library.check.run()
    data = {"ok": check.ok, "articles": check.articles, "indexed": check.indexed, "problems": list(check.problems)}
    lines = [f"{check.articles} articles, {check.indexed} indexed: " + ("all consistent" if check.ok else "PROBLEMS FOUND")]
    lines.extend(f"  - {problem}" for problem in check.problems)
    output.record(data, "\n".join(lines))
    return EXIT_OK if check.ok else EXIT_PROBLEMS


def reindex(library: Library, output: Output, _args: argparse.Namespace) -> int:
    count = library.index.reindex(progress=progress_printer(output.err))
    output.record({"indexed": count}, f"indexed {count} articles")
    return EXIT_OK
