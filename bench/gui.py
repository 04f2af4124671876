"""Window figures: the longest event-loop gap while importing, and browsing speed with many articles.

``python -m bench.gui [--files 2000] [--articles 100000]``: prints a table, writes bench/results/gui.json.
Runs offscreen. Times are medians of several passes; the machine is shared, so read ratios, not digits.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QMessageLogContext, QSettings, QTimer, QtMsgType, SignalInstance, qInstallMessageHandler
from PySide6.QtWidgets import QApplication
from sqlalchemy import insert

from bench.generate import AGENCIES, stories, write_files
from desktop.app import archive_opener
from desktop.library import Library
from desktop.store.models import Article, Original
from desktop.ui.main_window import MainWindow

RESULTS = Path(__file__).parent / "results"
PASSES = 5


class GapMonitor:
    """A 5 ms timer on the GUI thread: the longest time between two ticks is the longest freeze."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.gaps: list[float] = []
        self._last = 0.0

    def start(self) -> None:
        self.gaps.clear()
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self._last) * 1000)
        self._last = now

    @property
    def largest(self) -> float:
        return max(self.gaps, default=0.0)

    def p99(self) -> float:
        return statistics.quantiles(self.gaps, n=100)[98] if len(self.gaps) > 100 else self.largest


def wait_for(signal: SignalInstance, action: Callable[[], object], timeout_s: float = 600) -> float:
    """Run ``action`` and spin the event loop until ``signal``; return the milliseconds it took."""
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    started = time.perf_counter()
    action()
    loop.exec()
    signal.disconnect(loop.quit)
    return (time.perf_counter() - started) * 1000


def spin_until(done: Callable[[], bool], timeout_s: float = 60) -> float:
    started = time.perf_counter()
    app = QApplication.instance()
    while not done():
        if time.perf_counter() - started > timeout_s:
            raise TimeoutError("the window did not get there in time")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)  # type: ignore[union-attr]
    return (time.perf_counter() - started) * 1000


def open_window(archive: Path, settings_file: Path, *, prepare_index: bool) -> tuple[MainWindow, float]:
    window = MainWindow(
        archive_opener(archive), settings=QSettings(str(settings_file), QSettings.Format.IniFormat), prepare_index=prepare_index
    )
    elapsed = wait_for(window.view_updated, window.show)
    return window, elapsed


def import_gaps(work: Path, files: int) -> dict[str, float]:
    folder = work / "files"
    write_files(folder, files, words=300)
    window, _ = open_window(work / "import-archive", work / "import.ini", prepare_index=True)
    spin_until(lambda: not window.ops.writes.busy())
    monitor = GapMonitor()
    monitor.start()
    elapsed = wait_for(window.import_finished, lambda: window.importer.import_paths([folder]))
    spin_until(lambda: not window.ops.reads.busy())
    monitor.stop()
    assert window.importer.last_summary is not None
    window.importer.last_summary.close()
    window.close()
    window.deleteLater()
    QApplication.processEvents()
    return {
        "files": files,
        "import_s": elapsed / 1000,
        "files_per_s": files / (elapsed / 1000),
        "largest_gap_ms": monitor.largest,
        "p99_gap_ms": monitor.p99(),
    }


def synthetic_archive(path: Path, count: int, *, words: int = 60) -> None:
    """``count`` articles written straight into the store (the table needs rows, not an index)."""
    with Library.open(path, prepare_index=False) as library:
        engine = library._uow.engine  # a benchmark may reach inside: it builds data, it does not test paths
        batch_originals: list[dict[str, object]] = []
        batch_articles: list[dict[str, object]] = []
        with engine.begin() as connection:
            for number, item in enumerate(stories(count, seed=7, words=words), start=1):
                data = item["text"].encode("utf-8")
                batch_originals.append(
                    {
                        "id": number,
                        "sha256": f"{number:064x}",
                        "data": data,
                        "original_name": f"s{number}.txt",
                        "source": f"s{number}.txt",
                        "encoding": "utf-8",
                        "size": len(data),
                    }
                )
                year, month, day = (int(part) for part in item["date"].split("-"))
                batch_articles.append(
                    {
                        "id": number, "original_id": number, "title": item["title"], "title_kind": "headline",
                        "agency": AGENCIES[number % 3], "place": ["Hanoi", "Da Nang", "Hue", None][number % 4],
                        "date_year": year, "date_month": month, "date_day": day, "date_precision": "day", "date_key": item["date"],
                        "text": item["text"], "boilerplate": [], "text_hash": f"{number:064x}",
                    }
                )  # fmt: skip
                if len(batch_articles) == 5000:
                    connection.execute(insert(Original), batch_originals)
                    connection.execute(insert(Article), batch_articles)
                    batch_originals.clear()
                    batch_articles.clear()
            if batch_articles:
                connection.execute(insert(Original), batch_originals)
                connection.execute(insert(Article), batch_articles)


def browse_speed(work: Path, articles: int) -> dict[str, float]:
    archive = work / "big-archive"
    started = time.perf_counter()
    synthetic_archive(archive, articles)
    built = time.perf_counter() - started
    window, opened = open_window(archive, work / "big.ini", prepare_index=False)
    monitor = GapMonitor()
    monitor.start()
    figures: dict[str, list[float]] = {"scroll_ms": [], "sort_date_ms": [], "sort_title_ms": [], "narrow_agency_ms": [], "clear_ms": []}
    model = window.browser.model
    for _ in range(PASSES):
        model.refresh_rows()  # forget the rows held, so each jump waits for its page
        for fraction in (0.25, 0.5, 0.75, 0.999):
            row = int(model.rowCount() * fraction)
            started = time.perf_counter()
            window.browser.table.scrollTo(model.index(row, 0))
            spin_until(lambda row=row: model.index(row, 1).data() is not None)
            figures["scroll_ms"].append((time.perf_counter() - started) * 1000)
        figures["sort_date_ms"].append(wait_for(window.view_updated, lambda: window.browser.sort_requested("date", False)))
        figures["sort_title_ms"].append(wait_for(window.view_updated, lambda: window.browser.sort_requested("title", False)))
        figures["narrow_agency_ms"].append(wait_for(window.view_updated, lambda: window.search.set_query('agency:"VNA"')))
        figures["clear_ms"].append(wait_for(window.view_updated, lambda: window.search.set_query("")))
    monitor.stop()
    window.close()
    window.deleteLater()
    QApplication.processEvents()
    result = {"articles": articles, "build_s": built, "open_to_table_ms": opened, "largest_gap_ms": monitor.largest}
    result.update({name: statistics.median(values) for name, values in figures.items()})
    return result


def search_speed(archive: Path, queries: list[str], settings_file: Path) -> dict[str, float]:
    """Each query set in the search box: the time until the table shows its hits, and the longest freeze."""
    window, _opened = open_window(archive, settings_file, prepare_index=True)
    spin_until(lambda: window.library is not None and window.library.index.ready and not window.ops.reads.busy(), timeout_s=600)
    monitor = GapMonitor()
    monitor.start()
    times = [wait_for(window.view_updated, lambda query=query: window.search.set_query(query)) for query in queries]
    spin_until(lambda: not window.ops.reads.busy(), timeout_s=600)  # the facet counts that follow each search
    monitor.stop()
    window.close()
    window.deleteLater()
    QApplication.processEvents()
    ordered = sorted(times)
    return {
        "queries": len(queries),
        "search_median_ms": statistics.median(times),
        "search_p95_ms": ordered[round(0.95 * (len(ordered) - 1))],
        "largest_gap_ms": monitor.largest,
        "p99_gap_ms": monitor.p99(),
    }


def _quiet(_mode: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    if "propagateSizeHints" not in message:  # the offscreen platform's, once per window: harmless
        sys.stderr.write(message + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=2000, help="files imported while the event loop is watched")
    parser.add_argument("--articles", type=int, default=100_000, help="articles in the archive that is browsed")
    parser.add_argument("--search-archive", type=Path, help="an indexed archive to search in the window (bench.engines passes its own)")
    parser.add_argument("--queries", type=Path, help="a JSON file of query lists (bench.engines writes one) for --search-archive")
    parser.add_argument("--search-only", action="store_true", help="only the searching in the window (with --search-archive)")
    args = parser.parse_args()
    qInstallMessageHandler(_quiet)
    app = QApplication(sys.argv[:1])
    app.setOrganizationName("ArchiveBrowserBench")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        os.environ["XDG_DATA_HOME"] = str(work / "data")
        gaps = {} if args.search_only else import_gaps(work, args.files)
        browse = {} if args.search_only else browse_speed(work, args.articles)
        search: dict[str, float] = {}
        if args.search_archive and args.queries:
            queries = [query for kind in json.loads(args.queries.read_text(encoding="utf-8")).values() for query in kind]
            search = search_speed(args.search_archive, queries, work / "search.ini")
    machine = {"python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count()}
    if gaps:
        print(f"Import of {gaps['files']:,} files in the window: {gaps['import_s']:.1f} s ({gaps['files_per_s']:.0f} files/s)")
        print(f"  largest event-loop gap {gaps['largest_gap_ms']:.1f} ms, p99 {gaps['p99_gap_ms']:.1f} ms (target: no gap above 50 ms)")
    if browse:
        print(f"Browsing {browse['articles']:,} articles (medians of {PASSES} passes; a frame is 16.7 ms):")
        for key in ("open_to_table_ms", "scroll_ms", "sort_date_ms", "sort_title_ms", "narrow_agency_ms", "clear_ms", "largest_gap_ms"):
            print(f"  {key:<20} {browse[key]:8.1f} ms")
    if search:
        print(f"Searching {args.search_archive} in the window ({search['queries']} queries, each until the table shows its hits):")
        print(f"  median {search['search_median_ms']:.1f} ms, p95 {search['search_p95_ms']:.1f} ms")
        print(f"  largest event-loop gap {search['largest_gap_ms']:.1f} ms, p99 {search['p99_gap_ms']:.1f} ms (target: no gap above 50 ms)")
    RESULTS.mkdir(exist_ok=True)
    figures = {"machine": machine, "import": gaps, "browse": browse, "search": search}
    (RESULTS / ("gui-search.json" if args.search_only else "gui.json")).write_text(json.dumps(figures, indent=2), encoding="utf-8")
    sys.stdout.flush()
    # PySide6 can crash while the interpreter tears down thread pools at exit; the figures are written
    os._exit(0)


if __name__ == "__main__":
    main()
