"""Composition root of the window: arguments, the archive to open, QApplication, the crash hook, the window."""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from desktop import __version__
from desktop.archive_folder import default_archive_dir
from desktop.core.errors import ArchiveLockedError
from desktop.library import Library, Progress, open_default_archive
from desktop.ui.dialogs import CrashDialog, write_crash_log
from desktop.ui.main_window import MainWindow

ORGANIZATION = "ArchiveBrowser"
APPLICATION = "Archive Browser"


def archive_opener(archive: Path | None) -> Callable[[Progress], Library]:
    """A function that opens ``archive`` (or the default one) for writing, read-only if another copy holds it.

    The index is left for the window to prepare in the background, so the table shows first.
    """

    def open_library(progress: Progress) -> Library:
        try:
            if archive is None:
                library = open_default_archive(progress=progress, prepare_index=False)
            else:
                library = Library.open(archive, progress=progress, prepare_index=False)
        except ArchiveLockedError:
            return Library.open(archive or default_archive_dir(), read_only=True)
        library.write_index_in_child_process()
        return library

    return open_library


def install_crash_hook(app: QApplication) -> None:
    """Bugs on the GUI thread get the crash dialog and the log file, not a silent exit."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        details = "".join(traceback.format_exception(kind, value, tb))
        sys.stderr.write(details)
        log = write_crash_log(details)
        CrashDialog(details, log, app.activeWindow()).exec()

    sys.excepthook = hook


def main(argv: Sequence[str] | None = None) -> int:
    multiprocessing.freeze_support()  # the index writer runs in a child process, also from a frozen app
    parser = argparse.ArgumentParser(prog="archive-browser", description="Read, search and annotate a news archive.")
    parser.add_argument(
        "--archive", type=Path, default=None, metavar="DIR", help="the archive folder (default: the last one, or your own archive)"
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    args, qt_args = parser.parse_known_args(argv)

    app = QApplication([sys.argv[0], *qt_args])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(__version__)
    app.setStyle("Fusion")
    install_crash_hook(app)
    settings = QSettings()
    archive = args.archive
    if archive is None:
        last = settings.value("archive/last")
        if last and (Path(str(last)) / "archive.sqlite").exists() and Path(str(last)) != default_archive_dir():
            archive = Path(str(last))
    window = MainWindow(archive_opener(archive), settings=settings)
    window.show()
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
