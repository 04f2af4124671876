"""Composition root of the window: arguments, the archive to open, QApplication and the main window."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtWidgets import QApplication

from desktop import __version__
from desktop.archive_folder import default_archive_dir
from desktop.core.errors import ArchiveLockedError
from desktop.library import Library, Progress, open_default_archive
from desktop.ui.main_window import MainWindow


def archive_opener(archive: Path | None) -> Callable[[Progress], Library]:
    """A function that opens ``archive`` (or the default one) for writing, read-only if another copy holds it."""

    def open_library(progress: Progress) -> Library:
        try:
            if archive is None:
                return open_default_archive(progress=progress)
            return Library.open(archive, progress=progress)
        except ArchiveLockedError:
            return Library.open(archive or default_archive_dir(), read_only=True)

    return open_library


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="archive-browser", description="Read, search and annotate a news archive.")
    parser.add_argument("--archive", type=Path, default=None, metavar="DIR", help="the archive folder (default: your own archive)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    args, qt_args = parser.parse_known_args(argv)

    app = QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("Archive Browser")
    app.setOrganizationName("ArchiveBrowser")
    app.setApplicationVersion(__version__)
    window = MainWindow(archive_opener(args.archive))
    window.show()
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
