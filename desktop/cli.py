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
from desktop.core.errors import ArchiveLockedError, KnownError
from desktop.core.models import ImportOutcome
from desktop.library import SORT_ORDERS, Library, open_default_archive

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_ERROR = 2
EXIT_BUG = 70
EXIT_INTERRUPTED = 130
READ_ONLY_COMMANDS = frozenset({"list", "show", "search", "similar"})


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
    cmd = commands.add_parser("import", parents=[common], help="import files and folders (.txt .md .html .jsonl)")
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
        if args.command == "import":

            def show(item: ImportOutcome) -> None:
                said = f"#{item.id}" if item.id else (f"duplicate of #{item.duplicate_of}" if item.duplicate_of else item.reason or "")
                output.record(item.to_json(), f"{item.outcome:<10} {item.path}  {said}")

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
