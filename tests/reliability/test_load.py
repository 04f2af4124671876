"""Load: many articles imported in one go, then 1,000 tag and annotation edits while another thread searches.

``STRESS_ARTICLES`` (default 20,000) sets the size; docs/reliability.md has the figures of a 100,000-article
run. The figures go to ``load.json`` in the test's temporary folder and are printed.
"""

from __future__ import annotations

import json
import os
import random
import threading
import time
import traceback
from pathlib import Path

import pytest

from bench.generate import write_jsonl
from desktop.library import Library

EDITS = 1000
PER_FILE = 1000  # articles per JSONL file (a file is read whole; keep each well under the 50 MB limit)
WORDS = 300
PAUSE_S = 0.05  # between searches: someone typing, not a loop that starves the edits of the interpreter lock
QUERIES = ["Vietnam", "Hanoi", "trade cooperation", '"Viet Nam"', "tag:Load", "minister*", "nguyen phu trong", "annotation:checked"]


def memory_mb() -> dict[str, float]:
    """This process's memory from ``/proc/self/status``, in MB: resident now (``VmRSS``), at its peak
    (``VmHWM``), and the anonymous part of it (``RssAnon``: the heap, leaving out the mapped index
    and database files, which the kernel may drop and read again)."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return {name: round(int(fields[name].split()[0]) / 1024, 1) for name in ("VmRSS", "VmHWM", "RssAnon")}


def write_corpus(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True)
    paths = []
    for number, start in enumerate(range(0, count, PER_FILE)):
        path = folder / f"part-{number:04d}.jsonl"
        write_jsonl(path, min(PER_FILE, count - start), seed=1000 + number, words=WORDS)
        paths.append(path)
    return paths


def _described(exc: BaseException) -> str:
    cause = exc.__cause__
    where = "".join(traceback.format_exception(cause)[-6:]) if cause is not None else ""
    return f"{type(exc).__name__}: {exc}\n{where}"


class Searcher(threading.Thread):
    """Search without pause until told to stop, as the window's reads worker does while edits are written."""

    def __init__(self, library: Library) -> None:
        super().__init__(daemon=True)
        self.library = library
        self.stop = threading.Event()
        self.searches = 0
        self.errors: list[str] = []

    def run(self) -> None:
        rng = random.Random(3)
        while not self.stop.wait(PAUSE_S):
            try:
                self.library.search.find(rng.choice(QUERIES), limit=20)
                self.searches += 1
            except Exception as exc:  # never expected: say what it was, with where its cause was raised
                self.errors.append(_described(exc))


@pytest.mark.stress
def test_a_large_import_then_a_thousand_edits_while_searching(tmp_path: Path) -> None:
    random.seed(os.urandom(16))
    count = int(os.environ.get("STRESS_ARTICLES", "20000"))
    corpus = write_corpus(tmp_path / "corpus", count)
    figures: dict[str, object] = {"articles": count, "edits": EDITS}
    with Library.open(tmp_path / "archive") as library:
        started = time.perf_counter()
        report = library.imports.paths(corpus)
        elapsed = time.perf_counter() - started
        figures["import_s"] = round(elapsed, 1)
        figures["import_per_s"] = round(count / elapsed, 1)
        assert report.count("imported") + report.count("duplicate") == count, [o for o in report.outcomes if o.outcome == "skipped"][:3]
        stored = library.articles.count()
        figures["stored"] = stored
        figures["memory_mb_after_import"] = memory_mb()

        rng = random.Random(11)
        ids = library.search.browse("", sort="date").ids
        searcher = Searcher(library)
        searcher.start()
        memory: dict[int, dict[str, float]] = {}
        started = time.perf_counter()
        annotated: list[int] = []
        try:
            for edit in range(EDITS):
                article_id = rng.choice(ids)
                kind = edit % 4
                if kind == 0:
                    library.tags.change([article_id, rng.choice(ids)], add=[f"Load/{edit % 17}"])
                elif kind == 1:
                    text = library.articles.get(article_id).text
                    start = rng.randrange(0, max(1, len(text) - 40))
                    library.annotations.add(article_id, start, start + 30, note=f"load edit {edit}", tags=["Load"])
                    annotated.append(article_id)
                elif kind == 2:
                    library.tags.change([article_id], remove=[f"Load/{(edit - 2) % 17}"])
                else:
                    records = library.annotations.of(annotated[-1])
                    library.annotations.edit(records[-1].id, note=f"checked in edit {edit}")
                if edit + 1 in (200, 600, EDITS):
                    memory[edit + 1] = memory_mb()
        finally:
            searcher.stop.set()
            searcher.join(timeout=60)
        figures["edits_s"] = round(time.perf_counter() - started, 1)
        figures["searches_during_edits"] = searcher.searches
        figures["memory_mb_after_edits"] = {str(edits): values for edits, values in memory.items()}
        assert searcher.errors == []
        assert searcher.searches > 0
        started = time.perf_counter()
        check = library.check.run()
        figures["check_s"] = round(time.perf_counter() - started, 1)
        assert check.ok, check.problems
        assert check.indexed == stored
        assert len(library.annotations.of()) == EDITS // 4
        assert library.search.find("annotation:checked", limit=5).total > 0
    (tmp_path / "load.json").write_text(json.dumps(figures, indent=1), encoding="utf-8")
    print(f"\nload: {figures}")
    # memory stays level over the last 400 edits: a leak per edit or per search would show here
    assert memory[EDITS]["RssAnon"] - memory[600]["RssAnon"] < 48, figures
