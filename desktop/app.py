"""Composition root of the window: arguments, the archive to open, QApplication, the crash hook, the window."""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from desktop import __version__
from desktop.archive_folder import default_archive_dir
from desktop.core.errors import ArchiveLockedError
from desktop.library import Library, Progress, format_samples, open_default_archive, sample_files
from desktop.ui.dialogs import CrashDialog, write_crash_log
from desktop.ui.main_window import MainWindow

_IMPORTED_AT = time.perf_counter()
_IMPORTED_AT = time.perf_counter()
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
        library.index.write_in_child_process()
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


def process_age() -> float:
    """Seconds since this process started (a frozen app's bootloader included, where /proc tells)."""
    try:
        start_ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.perf_counter() - _IMPORTED_AT


def formats_self_test(archive: Path) -> bool:
    """Import one bundled file of each format into a new archive: every file must give at least one article."""
    with Library.open(archive) as library, format_samples() as paths:
        failed = []
        for path in paths:
            outcomes = library.imports.paths([path]).outcomes
            stored = [o for o in outcomes if o.outcome in ("imported", "duplicate", "updated")]
            print(f"format {path.name}: {len(stored)} of {len(outcomes)} stored", flush=True)
            if not stored:
                failed.append(f"{path.name}: {outcomes[0].reason if outcomes else 'nothing read'}")
        # a web page's story without its furniture: the extractor (and the data files it reads) is really there
        furniture = library.search.find("cookies").total
        if furniture:
            failed.append(f"the saved web page kept its cookie banner ({furniture} hits): main content extraction is missing")
        if failed or not library.check.run().ok:
            print("FAILED: formats not imported: " + ("; ".join(failed) or "check found problems"), file=sys.stderr)
            return False
    return True


def self_test(qt_args: Sequence[str]) -> int:
    """Smoke mode for a build: import the bundled sample into a new archive, search, export, show the window."""
    with tempfile.TemporaryDirectory(prefix="archive-browser-self-test-") as folder:
        root = Path(folder)
        with Library.open(root / "archive") as library, sample_files() as paths:
            report = library.imports.paths(paths)
            print(f"imported {report.count('imported')} sample articles into {root / 'archive'}", flush=True)
            hits = library.search.find("nguyen phu trong").hits
            if not hits or "<mark>" not in hits[0].snippet:
                print("FAILED: the search found no highlighted hit", file=sys.stderr)
                return 1
            print(f"search: {len(hits)} hit: {hits[0].snippet[:90]}…", flush=True)
            exported = library.exports.csv(root / "export.csv")
            print(f"export: {exported.rows} rows of CSV", flush=True)
            if not library.check.run().ok:
                print("FAILED: check found problems", file=sys.stderr)
                return 1
        if not formats_self_test(root / "formats"):
            return 1
        app = QApplication([sys.argv[0], *qt_args])
        window = MainWindow(archive_opener(root / "archive"), settings=QSettings(str(root / "settings.ini"), QSettings.Format.IniFormat))
        shown: list[float] = []

        def ready() -> None:
            if not shown:
                shown.append(process_age())
                QTimer.singleShot(0, window.close)
                QTimer.singleShot(0, app.quit)

        window.view_updated.connect(ready)
        QTimer.singleShot(60_000, app.quit)
        window.show()
        app.exec()
        rows = window.browser.model.rowCount()
        if not shown or rows != report.count("imported"):
            print("FAILED: the window did not show the archive", file=sys.stderr)
            return 1
        print(f"window shown {shown[0]:.2f} s after the process started, {rows} articles in the table", flush=True)
    print("self-test passed", flush=True)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    multiprocessing.freeze_support()  # the index writer runs in a child process, also from a frozen app
    parser = argparse.ArgumentParser(prog="archive-browser", description="Read, search and annotate a news archive.")
    parser.add_argument(
        "--archive", type=Path, default=None, metavar="DIR", help="the archive folder (default: the last one, or your own archive)"
    )
    parser.add_argument(
        "--self-test", action="store_true", help="import the sample into a temporary archive, search, export, show the window, exit"
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    args, qt_args = parser.parse_known_args(argv)
    if args.self_test:
        return self_test(qt_args)

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
