"""The headless face, calibredb-style: the same ``Library`` capabilities the window calls, one command each.

Every command takes ``--archive DIR`` and ``--json`` (one JSON object per line on stdout); errors go to
stderr with a non-zero exit status and no traceback (``--debug`` shows it).
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import platformdirs

from desktop import __version__
from desktop.archive_folder import APP_NAME, default_archive_dir
from desktop.cli import handlers as do
from desktop.cli.handlers import EXIT_BUG, EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, Handler, Output
from desktop.core.errors import ArchiveLockedError, DatabaseDamagedError, KnownError
from desktop.core.facets import NAMES as FACET_NAMES
from desktop.ingest import formats
from desktop.library import SORT_ORDERS, Library, open_default_archive

Setup = Callable[[argparse.ArgumentParser], None]


def _no_arguments(_parser: argparse.ArgumentParser) -> None:
    pass


@dataclass(frozen=True, slots=True)
class Command:
    """One command (or one action of a command): its name, help, arguments and what runs it.

    A command with ``actions`` has no handler of its own: its actions (``tags rename``) are chosen by
    the argument ``group`` names. ``read_only``: it can run on an archive another process writes.
    """

    name: str
    help: str
    run: Handler | None = None
    setup: Setup = _no_arguments
    actions: tuple[Command, ...] = ()
    group: str = "action"
    aliases: tuple[str, ...] = ()
    read_only: bool = False


# the table of commands -------------------------------------------------------------------------------------
def _args(*specs: tuple[tuple[str, ...], dict[str, Any]]) -> Setup:
    """A setup adding each ``(names, options)`` as ``parser.add_argument(*names, **options)``."""

    def setup(parser: argparse.ArgumentParser) -> None:
        for names, options in specs:
            parser.add_argument(*names, **options)

    return setup


def _arg(*names: str, **options: Any) -> tuple[tuple[str, ...], dict[str, Any]]:
    """One argument: the names and options ``add_argument`` takes."""
    return names, options


_IDS = _arg("ids", nargs="+", type=int, metavar="ID")
_ID = _arg("id", type=int)
_NAME = _arg("name")
_LIMIT_20 = _arg("--limit", type=int, default=20)
_OUT = _arg("out", type=Path, metavar="OUT")
_SEARCH_OPTIONS = (
    _arg("--sort", choices=SORT_ORDERS, default="relevance"),
    _arg("--facets", action="store_true", help=f"count the results by {', '.join(FACET_NAMES[:-1])} and {FACET_NAMES[-1]}"),
    _arg("--spans", action="store_true", help="give every hit's [start, end] on the clean text"),
)
_CSV_OPTIONS = (
    _arg("--per", choices=("article", "annotation"), default="article", help="one row per article or per annotation"),
    _arg("--scope", default="all", help="all | selection:IDS | search:QUERY | tag:TAG | saved:NAME"),
    _arg("--columns", default=None, help="comma-separated columns, in order"),
    _arg("--no-bom", action="store_true", help="plain UTF-8 without the byte-order mark Excel wants"),
    _arg("--delimiter", default=",", help="the field separator (for example ';')"),
)
_ANNOTATE_OPTIONS = (
    _arg("--quote", required=True),
    _arg("--occurrence", type=int, default=1, help="which occurrence of the quote (default: the first)"),
    _arg("--note", default=""),
    _arg("--tag", action="append", default=[], metavar="TAG"),
)
_TAG_OPTIONS = (
    _arg("--add", action="append", default=[], metavar="TAG", help="a tag to add (Party/Diplomacy/US makes its parents)"),
    _arg("--remove", action="append", default=[], metavar="TAG"),
)

COMMANDS: tuple[Command, ...] = (
    Command(
        "import",
        f"import files and folders ({formats.supported_summary()})",
        do.import_files,
        _args(_arg("paths", nargs="+", type=Path, metavar="PATH")),
    ),
    Command(
        "list",
        "list the articles",
        do.list_articles,
        _args(_arg("--limit", type=int, default=None), _arg("--offset", type=int, default=0)),
        read_only=True,
    ),
    Command(
        "show",
        "show one article with its text",
        do.show,
        _args(_ID, _arg("--original", action="store_true", help="write the original file's bytes to stdout")),
        read_only=True,
    ),
    Command(
        "search",
        "search (docs/search.md); hits are in <mark>…</mark>",
        do.search,
        _args(_arg("query"), _LIMIT_20, *_SEARCH_OPTIONS),
        read_only=True,
    ),
    Command(
        "similar",
        "more like this article, leaving out its near-duplicates",
        do.similar,
        _args(_ID, _arg("--limit", type=int, default=10)),
        read_only=True,
    ),
    Command(
        "variants",
        "name variants: spellings searched as one",
        actions=(
            Command("list", "list the groups", do.variants_list),
            Command(
                "add",
                "make these spellings one name (joins a group one is in)",
                do.variants_add,
                _args(_arg("names", nargs="+", metavar="NAME")),
            ),
            Command("remove", "remove a spelling", do.variants_remove, _args(_NAME)),
        ),
    ),
    Command(
        "saved",
        "saved searches",
        actions=(
            Command("list", "list saved searches", do.saved_list),
            Command("add", "save QUERY as NAME (replaces one of that name)", do.saved_add, _args(_NAME, _arg("query"))),
            Command("run", "run a saved search", do.saved_run, _args(_NAME, _LIMIT_20)),
            Command("rename", "rename a saved search", do.saved_rename, _args(_NAME, _arg("new_name"))),
            Command("remove", "delete a saved search", do.saved_remove, _args(_NAME)),
        ),
    ),
    Command("tag", "add or remove tags on articles", do.tag, _args(_IDS, *_TAG_OPTIONS)),
    Command(
        "tags",
        "list, rename, merge, colour or delete tags",
        actions=(
            Command("list", "every tag with its uses", do.tags_list),
            Command(
                "rename",
                "rename or move a tag with its children",
                do.say_edit(lambda lib, a: lib.tags.rename(a.old, a.new)),
                _args(_arg("old"), _arg("new")),
            ),
            Command(
                "merge",
                "merge tag A into tag B",
                do.say_edit(lambda lib, a: lib.tags.merge(a.source, a.target)),
                _args(_arg("source", metavar="A"), _arg("target", metavar="B")),
            ),
            Command(
                "colour",
                "give a tag a colour (#rrggbb)",
                do.say_edit(lambda lib, a: lib.tags.set_colour(a.tag, a.colour)),
                _args(_arg("tag"), _arg("colour")),
                aliases=("color",),
            ),
            Command("delete", "remove a tag and its children everywhere", do.tags_delete, _args(_arg("tag"))),
        ),
    ),
    Command("note", "add a note to an article", do.note, _args(_ID, _arg("text"))),
    Command("annotate", "annotate a passage, found by its quote", do.annotate, _args(_ID, *_ANNOTATE_OPTIONS)),
    Command(
        "annotations",
        "list passage annotations",
        do.annotations_list,
        _args(
            _arg("id", nargs="?", type=int),
            _arg("--needs-review", action="store_true", help="only those that could not be placed after an edit"),
        ),
    ),
    Command(
        "edit-text",
        "replace an article's clean text (the original file is kept)",
        do.edit_text,
        _args(_ID, _arg("--file", type=Path, required=True, metavar="F")),
    ),
    Command("trash", "move articles to the trash", do.say_edit(lambda lib, a: lib.articles.trash(a.ids)), _args(_IDS)),
    Command("restore", "take articles out of the trash", do.say_edit(lambda lib, a: lib.articles.restore(a.ids)), _args(_IDS)),
    Command(
        "export",
        "export records (csv)",
        group="format",
        read_only=True,
        actions=(
            Command("csv", "CSV for Excel and LibreOffice (UTF-8 with BOM, CRLF)", do.export_csv, _args(_OUT, *_CSV_OPTIONS)),
            Command("json", "everything, originals included, in one JSON file (docs/export.md)", do.export_json, _args(_OUT)),
        ),
    ),
    Command(
        "import-json", "read a JSON export (merged without duplicates)", do.import_json, _args(_arg("file", type=Path, metavar="FILE"))
    ),
    Command("backup", "copy the database into the archive's backups/ folder", do.backup),
    Command(
        "backups",
        "list or restore backups",
        actions=(
            Command("list", "the backups, newest first", do.backups_list),
            Command("restore", "put a backup in place of the database (the current one is kept)", do.backups_restore, _args(_NAME)),
        ),
    ),
    Command("check", "verify the store, the index and every original's SHA-256", do.check),
    Command("reindex", "rebuild the search index from the store", do.reindex),
)
#: the commands that may read an archive another Archive Browser has open for writing
READ_ONLY_COMMANDS = frozenset(command.name for command in COMMANDS if command.read_only)


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
    for command in COMMANDS:
        _add_command(commands, command, common)
    return parser


def _add_command(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], command: Command, common: argparse.ArgumentParser
) -> None:
    parser = subparsers.add_parser(
        command.name, parents=[common], help=command.help, description=command.help, aliases=list(command.aliases)
    )
    command.setup(parser)
    if command.actions:
        actions = parser.add_subparsers(dest=command.group, required=True, metavar=command.group.upper())
        for action in command.actions:
            _add_command(actions, action, common)
    else:
        parser.set_defaults(handler=command.run)


def _open(args: argparse.Namespace, output: Output) -> Library:
    progress = do.progress_printer(output.err)
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


def _run(args: argparse.Namespace, output: Output) -> int:
    handler: Handler = args.handler
    with _open(args, output) as library:
        for notice in library.notices:
            output.note(notice)
        try:
            library.backups.daily()
        except KnownError as exc:  # the command itself may still succeed: say so, and go on
            output.note(f"note: {exc}")
        return handler(library, output, args)


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run one command; return its exit status."""
    out = out or sys.stdout
    err = err or sys.stderr
    args = _parser().parse_args(argv)
    output = Output(bool(getattr(args, "json", False)), out, err)
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
