"""The index written by a child process: the window's way, so its interpreter lock stays free."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from desktop.core.models import ArticleText
from desktop.index.engine import ArticleIndex
from desktop.index.process import IndexWriterProcess
from desktop.library import Library
from tests.stories import write_stories


def article(article_id: int, text: str) -> ArticleText:
    return ArticleText(id=article_id, title=f"Title {article_id}", text=text, boilerplate=(), agency=None, place=None, date=None, year=None)


def test_the_child_writes_and_the_parent_searches(tmp_path: Path) -> None:
    index = ArticleIndex(tmp_path / "index")
    index.rebuild([[article(1, "rice exports")]], 1)
    writer = IndexWriterProcess(tmp_path / "index")
    try:
        writer.apply([article(2, "coffee harvest")], [1])
        index.refresh()
        assert index.ids() == {2}
    finally:
        writer.close()
        index.close()


def test_a_library_with_a_child_writer_imports_and_survives_the_childs_death(archive_dir: Path, tmp_path: Path, sample_dir: Path) -> None:
    with Library.open(archive_dir) as library:
        library.index.write_in_child_process()
        assert library.imports.paths([sample_dir]).count("imported") == 5
        assert library.search.find("Washington").hits
        process = library.index.child_process._process if library.index.child_process else None  # the test reaches in to kill it
        assert process is not None
        assert process.pid is not None
        os.kill(process.pid, signal.SIGKILL)
        process.join(10)
        write_stories(tmp_path / "more", 5)
        assert library.imports.paths([tmp_path / "more"]).count("imported") == 5
        report = library.check.run()
        assert report.ok, report.problems
        assert report.indexed == 10
