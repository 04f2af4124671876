"""The headless face, calibredb-style: the same ``Library`` methods the window calls.

Every command takes ``--archive DIR`` and ``--json`` (one JSON object per line on stdout); errors go to
stderr with a non-zero exit status and no traceback (``--debug`` shows it).
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

import platformdirs

from desktop import __version__
from desktop.archive_folder import APP_NAME, default_archive_dir
from desktop.core.errors import ArchiveLockedError, DatabaseDamagedError, KnownError
from desktop.core.models import ImportOutcome
from desktop.ingest import formats
from desktop.library import SORT_ORDERS, Library, open_default_archive

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_ERROR = 2
EXIT_BUG = 70
EXIT_INTERRUPTED = 130
READ_ONLY_COMMANDS = frozenset({"list", "show", "search", "similar", "export"})


class _Output:
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


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--archive", type=Path, default=argparse.SUPPRESS, metavar="DIR", help="the archive folder (default: your own archive)"
    )
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print one JSON object per line")
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks of internal errors")
    parser = argparse.ArgumentParser(
        prog="archive-browser-cli", description="Work with an Archive Browser archive from the command line.", parents=[common]
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    cmd = commands.add_parser("import", parents=[common], help=f"import files and folders ({formats.supported_summary()})")
    cmd.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    cmd = commands.add_parser("list", parents=[common], help="list the articles")
    cmd.add_argument("--limit", type=int, default=None)
    cmd.add_argument("--offset", type=int, default=0)
    cmd = commands.add_parser("show", parents=[common], help="show one article with its text")
    cmd.add_argument("id", type=int)
    cmd.add_argument("--original", action="store_true", help="write the original file's bytes to stdout")
    cmd = commands.add_parser("search", parents=[common], help="search (docs/search.md); hits are in <mark>…</mark>")
    cmd.add_argument("query")
    cmd.add_argument("--limit", type=int, default=20)
    cmd.add_argument("--sort", choices=SORT_ORDERS, default="relevance")
    cmd.add_argument("--facets", action="store_true", help="count the results by agency, year, tag and cluster")
    cmd.add_argument("--spans", action="store_true", help="give every hit's [start, end] on the clean text")
    cmd = commands.add_parser("similar", parents=[common], help="more like this article, leaving out its near-duplicates")
    cmd.add_argument("id", type=int)
    cmd.add_argument("--limit", type=int, default=10)
    cmd = commands.add_parser("variants", parents=[common], help="name variants: spellings searched as one")
    actions = cmd.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("list", parents=[common], help="list the groups")
    action = actions.add_parser("add", parents=[common], help="make these spellings one name (joins a group one is in)")
    action.add_argument("names", nargs="+", metavar="NAME")
    action = actions.add_parser("remove", parents=[common], help="remove a spelling")
    action.add_argument("name")
    cmd = commands.add_parser("saved", parents=[common], help="saved searches")
    actions = cmd.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("list", parents=[common], help="list saved searches")
    action = actions.add_parser("add", parents=[common], help="save QUERY as NAME (replaces one of that name)")
    action.add_argument("name")
    action.add_argument("query")
    action = actions.add_parser("run", parents=[common], help="run a saved search")
    action.add_argument("name")
    action.add_argument("--limit", type=int, default=20)
    action = actions.add_parser("rename", parents=[common], help="rename a saved search")
    action.add_argument("name")
    action.add_argument("new_name")
    action = actions.add_parser("remove", parents=[common], help="delete a saved search")
    action.add_argument("name")
    cmd = commands.add_parser("tag", parents=[common], help="add or remove tags on articles")
    cmd.add_argument("ids", nargs="+", type=int, metavar="ID")
    cmd.add_argument("--add", action="append", default=[], metavar="TAG", help="a tag to add (Party/Diplomacy/US makes its parents)")
    cmd.add_argument("--remove", action="append", default=[], metavar="TAG")
    cmd = commands.add_parser("tags", parents=[common], help="list, rename, merge, colour or delete tags")
    actions = cmd.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("list", parents=[common], help="every tag with its uses")
    action = actions.add_parser("rename", parents=[common], help="rename or move a tag with its children")
    action.add_argument("old")
    action.add_argument("new")
    action = actions.add_parser("merge", parents=[common], help="merge tag A into tag B")
    action.add_argument("source", metavar="A")
    action.add_argument("target", metavar="B")
    action = actions.add_parser("colour", parents=[common], aliases=["color"], help="give a tag a colour (#rrggbb)")
    action.add_argument("tag")
    action.add_argument("colour")
    action = actions.add_parser("delete", parents=[common], help="remove a tag and its children everywhere")
    action.add_argument("tag")
    cmd = commands.add_parser("note", parents=[common], help="add a note to an article")
    cmd.add_argument("id", type=int)
    cmd.add_argument("text")
    cmd = commands.add_parser("annotate", parents=[common], help="annotate a passage, found by its quote")
    cmd.add_argument("id", type=int)
    cmd.add_argument("--quote", required=True)
    cmd.add_argument("--occurrence", type=int, default=1, help="which occurrence of the quote (default: the first)")
    cmd.add_argument("--note", default="")
    cmd.add_argument("--tag", action="append", default=[], metavar="TAG")
    cmd = commands.add_parser("annotations", parents=[common], help="list passage annotations")
    cmd.add_argument("id", nargs="?", type=int)
    cmd.add_argument("--needs-review", action="store_true", help="only those that could not be placed after an edit")
    cmd = commands.add_parser("edit-text", parents=[common], help="replace an article's clean text (the original file is kept)")
    cmd.add_argument("id", type=int)
    cmd.add_argument("--file", type=Path, required=True, metavar="F")
    cmd = commands.add_parser("trash", parents=[common], help="move articles to the trash")
    cmd.add_argument("ids", nargs="+", type=int, metavar="ID")
    cmd = commands.add_parser("restore", parents=[common], help="take articles out of the trash")
    cmd.add_argument("ids", nargs="+", type=int, metavar="ID")
    cmd = commands.add_parser("export", parents=[common], help="export records (csv)")
    export_formats = cmd.add_subparsers(dest="format", required=True, metavar="FORMAT")
    action = export_formats.add_parser("csv", parents=[common], help="CSV for Excel and LibreOffice (UTF-8 with BOM, CRLF)")
    action.add_argument("out", type=Path, metavar="OUT")
    action.add_argument("--per", choices=("article", "annotation"), default="article", help="one row per article or per annotation")
    action.add_argument("--scope", default="all", help="all | selection:IDS | search:QUERY | tag:TAG | saved:NAME")
    action.add_argument("--columns", default=None, help="comma-separated columns, in order")
    action.add_argument("--no-bom", action="store_true", help="plain UTF-8 without the byte-order mark Excel wants")
    action.add_argument("--delimiter", default=",", help="the field separator (for example ';')")
    action = export_formats.add_parser("json", parents=[common], help="everything, originals included, in one JSON file (docs/export.md)")
    action.add_argument("out", type=Path, metavar="OUT")
    cmd = commands.add_parser("import-json", parents=[common], help="read a JSON export (merged without duplicates)")
    cmd.add_argument("file", type=Path, metavar="FILE")
    commands.add_parser("backup", parents=[common], help="copy the database into the archive's backups/ folder")
    cmd = commands.add_parser("backups", parents=[common], help="list or restore backups")
    actions = cmd.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("list", parents=[common], help="the backups, newest first")
    action = actions.add_parser("restore", parents=[common], help="put a backup in place of the database (the current one is kept)")
    action.add_argument("name")
    commands.add_parser("check", parents=[common], help="verify the store, the index and every original's SHA-256")
    commands.add_parser("reindex", parents=[common], help="rebuild the search index from the store")
    return parser


def _progress_printer(err: TextIO) -> Callable[[int, int, str], None]:
    def report(done: int, total: int, label: str) -> None:
        err.write(f"{label}: {done}/{total}\n")
        err.flush()

    return report


def _open(args: argparse.Namespace, output: _Output) -> Library:
    progress = _progress_printer(output.err)
    archive: Path | None = getattr(args, "archive", None)
    try:
        if archive is None:
            return open_default_archive(progress=progress)
        return Library.open(archive, progress=progress)
    except DatabaseDamagedError:
        if args.command != "backups" or args.action != "restore":
            raise
        args.restored = True  # the damaged database is set aside and the backup put in its place while opening
        return Library.open(archive or default_archive_dir(), progress=progress, restore=args.name)
    except ArchiveLockedError as exc:
        if args.command not in READ_ONLY_COMMANDS:
            raise
        output.note(f"note: {exc} Reading it read-only.")
        return Library.open(archive or default_archive_dir(), read_only=True)


def _run(args: argparse.Namespace, output: _Output) -> int:
    interrupted = False

    def on_interrupt(_signum: int, _frame: FrameType | None) -> None:
        nonlocal interrupted
        if interrupted:
            raise KeyboardInterrupt
        interrupted = True
        output.note("Stopping after the current file (press Ctrl+C again to stop at once)…")

    with _open(args, output) as library:
        for notice in library.notices:
            output.note(notice)
        try:
            library.daily_backup()
        except KnownError as exc:  # the command itself may still succeed: say so, and go on
            output.note(f"note: {exc}")
        if args.command == "import":

            def show(item: ImportOutcome) -> None:
                said = f"#{item.id}" if item.id else (f"duplicate of #{item.duplicate_of}" if item.duplicate_of else item.reason or "")
                output.record(item.to_json(), f"{item.outcome:<10} {item.path}  {said}")

            library.write_index_in_child_process()  # the index is written beside the parsing, on another core
            previous = signal.signal(signal.SIGINT, on_interrupt)
            try:
                report = library.import_paths(args.paths, cancelled=lambda: interrupted, on_outcome=show)
            finally:
                signal.signal(signal.SIGINT, previous)
            output.note(
                f"{report.count('imported')} imported, {report.count('duplicate')} duplicates, {report.count('skipped')} skipped"
                + (" (cancelled)" if report.cancelled else "")
            )
            return EXIT_INTERRUPTED if report.cancelled else EXIT_OK
        if args.command == "list":
            for summary in library.list_articles(offset=args.offset, limit=args.limit):
                date = summary.date or "—"
                output.record(summary.to_json(), f"{summary.id:>6}  {date:<10}  {summary.agency or '—':<8}  {summary.title}")
            return EXIT_OK
        if args.command == "show":
            if args.original:
                sys.stdout.buffer.write(library.original(args.id))
                return EXIT_OK
            detail = library.article(args.id)
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
        if args.command == "search":
            return _search(library, output, args.query, limit=args.limit, sort=args.sort, facets=args.facets, spans=args.spans)
        if args.command == "similar":
            for hit in library.similar(args.id, limit=args.limit):
                output.record(hit.to_json(), f"{hit.id:>6}  {hit.score:6.2f}  {hit.title}")
            return EXIT_OK
        if args.command == "variants":
            return _variants(library, output, args)
        if args.command in EDIT_COMMANDS:
            return _edit(library, output, args)
        if args.command == "export" and args.format == "json":
            count = library.export_json(args.out)
            output.record({"path": str(args.out), "articles": count}, f"{count} articles written to {args.out}")
            return EXIT_OK
        if args.command == "backup":
            made = library.backup()
            output.record({"path": str(made)}, f"backup written to {made}")
            return EXIT_OK
        if args.command == "backups":
            if args.action == "restore":
                if not getattr(args, "restored", False):
                    library.restore_backup(args.name, progress=_progress_printer(output.err))
                output.note(f"restored {args.name}; the previous database is kept in backups/")
                return EXIT_OK
            for name, size, when in library.backups():
                output.record({"name": name, "size": size, "time": when}, f"{name}  {size / 1_048_576:.1f} MB  {when}")
            return EXIT_OK
        if args.command == "import-json":
            counts = library.import_json(args.file)
            output.record(counts, f"{counts['articles']} articles added, {counts['merged']} already here")
            return EXIT_OK
        if args.command == "export":
            columns = [column.strip() for column in args.columns.split(",")] if args.columns else None
            exported = library.export_csv(
                args.out, per=args.per, scope=args.scope, columns=columns, bom=not args.no_bom, delimiter=args.delimiter
            )
            for warning in exported.warnings():
                output.note(f"warning: {warning}")
            written = {"path": str(exported.path), "rows": exported.rows, "warnings": exported.warnings()}
            output.record(written, f"{exported.rows} rows written to {exported.path}")
            return EXIT_OK
        if args.command == "saved":
            return _saved(library, output, args)
        if args.command == "check":
            check = library.check()
            data = {"ok": check.ok, "articles": check.articles, "indexed": check.indexed, "problems": list(check.problems)}
            lines = [f"{check.articles} articles, {check.indexed} indexed: " + ("all consistent" if check.ok else "PROBLEMS FOUND")]
            lines.extend(f"  - {problem}" for problem in check.problems)
            output.record(data, "\n".join(lines))
            return EXIT_OK if check.ok else EXIT_PROBLEMS
        if args.command == "reindex":
            count = library.reindex(progress=_progress_printer(output.err))
            output.record({"indexed": count}, f"indexed {count} articles")
            return EXIT_OK
    raise AssertionError(f"unhandled command {args.command}")


def _search(
    library: Library, output: _Output, query: str, *, limit: int, sort: str = "relevance", facets: bool = False, spans: bool = False
) -> int:
    result = library.search(query, limit=limit, sort=sort, facets=facets, spans=spans)
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


EDIT_COMMANDS = frozenset({"tag", "tags", "note", "annotate", "annotations", "edit-text", "trash", "restore"})


def _edit(library: Library, output: _Output, args: argparse.Namespace) -> int:
    """Tags, notes, annotations, text edits and the trash (each one undoable in the window)."""
    command = args.command
    if command == "tag":
        edit = library.tag(args.ids, add=args.add, remove=args.remove)
        output.note(f"{edit.label}: {len(edit.changes)} changes")
    elif command == "tags":
        if args.action == "list":
            for tag in library.tags():
                data = {"name": tag.name, "colour": tag.color, "articles": tag.articles, "annotations": tag.annotations}
                output.record(
                    data, f"{tag.name}  ({tag.articles} articles, {tag.annotations} annotations){'  ' + tag.color if tag.color else ''}"
                )
            return EXIT_OK
        if args.action == "rename":
            edit = library.rename_tag(args.old, args.new)
        elif args.action == "merge":
            edit = library.merge_tags(args.source, args.target)
        elif args.action in ("colour", "color"):
            edit = library.set_tag_colour(args.tag, args.colour)
        else:
            articles, annotations = library.tag_usage(args.tag)
            edit = library.delete_tag(args.tag)
            output.note(f"removed from {articles} articles and {annotations} annotations")
        output.note(edit.label)
    elif command == "note":
        edit = library.add_note(args.id, args.text)
        output.record({"id": edit.created, "article_id": args.id}, f"note {edit.created} added to #{args.id}")
    elif command == "annotate":
        edit = library.annotate_quote(args.id, args.quote, occurrence=args.occurrence, note=args.note, tags=args.tag)
        record = next(a for a in library.annotations(args.id) if a.id == edit.created)
        output.record(record.to_json(), f"annotation {record.id} on #{args.id} at {record.start}–{record.end}")
    elif command == "annotations":
        records = library.annotations(args.id, needs_review=args.needs_review)
        for record in records:
            flag = "  NEEDS REVIEW" if record.status != "anchored" else ""
            output.record(
                record.to_json(),
                f"{record.id:>5}  #{record.article_id}  {record.start}–{record.end}  “{record.exact}”  {record.note}{flag}",
            )
        review = sum(1 for record in records if record.status != "anchored")
        if review and not output.as_json:
            output.note(f"{review} annotations need your attention")
    elif command == "edit-text":
        try:
            text = args.file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise KnownError(f"Cannot read {args.file} as UTF-8 text: {exc}") from exc
        library.edit_text(args.id, text)
        lost = library.annotations(args.id, needs_review=True)
        output.note(f"text of #{args.id} replaced" + (f"; {len(lost)} annotations need your attention" if lost else ""))
    elif command == "trash":
        output.note(library.trash(args.ids).label)
    else:
        output.note(library.restore(args.ids).label)
    return EXIT_OK


def _variants(library: Library, output: _Output, args: argparse.Namespace) -> int:
    if args.action == "add":
        group = library.add_variants(args.names)
        output.record({"group": group}, " = ".join(group))
    elif args.action == "remove":
        library.remove_variant(args.name)
        output.note(f"removed {args.name!r}")
    else:
        for group in library.variant_groups():
            output.record({"group": group}, " = ".join(group))
    return EXIT_OK


def _saved(library: Library, output: _Output, args: argparse.Namespace) -> int:
    if args.action == "add":
        library.save_search(args.name, args.query)
        output.note(f"saved {args.name!r}")
    elif args.action == "run":
        return _search(library, output, library.saved_query(args.name), limit=args.limit)
    elif args.action == "rename":
        library.rename_saved_search(args.name, args.new_name)
        output.note(f"renamed {args.name!r} to {args.new_name!r}")
    elif args.action == "remove":
        library.delete_saved_search(args.name)
        output.note(f"removed {args.name!r}")
    else:
        for name, query in library.saved_searches():
            output.record({"name": name, "query": query}, f"{name}: {query}")
    return EXIT_OK


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run one command; return its exit status."""
    out = out or sys.stdout
    err = err or sys.stderr
    args = _parser().parse_args(argv)
    output = _Output(bool(getattr(args, "json", False)), out, err)
    logging.basicConfig(level=logging.WARNING, stream=err, format="%(levelname)s: %(message)s")
    try:
        return _run(args, output)
    except KnownError as exc:
        output.note(f"error: {exc}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        output.note("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug: say so plainly, keep the traceback in the log
        if getattr(args, "debug", False):
            traceback.print_exc(file=err)
        log_path = _write_crash_log()
        output.note(f"internal error: {type(exc).__name__}: {exc}. Details are in {log_path}; please report it.")
        return EXIT_BUG


def _write_crash_log() -> Path:
    log_dir = platformdirs.user_log_path(APP_NAME, appauthor=False)
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "cli-errors.log"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(traceback.format_exc() + "\n")
    return path


if __name__ == "__main__":
    sys.exit(main())
