"""Kill an importing process with SIGKILL at random moments; the archive must reopen consistent."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.core.text import collapse_whitespace
from desktop.library import Library
from tests.stories import write_stories

STORIES = 300


@pytest.fixture(scope="module")
def stories(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("stories")
    write_stories(folder, STORIES, seed=11)
    return folder


def import_and_kill(archive: Path, stories: Path, rng: random.Random) -> bool:
    """Start an import and SIGKILL it after a random number of reported files (or during start-up).

    Return whether the process was still running when killed.
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", "--archive", str(archive), "import", str(stories)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdout is not None
    kill_after = rng.randrange(-10, STORIES)
    if kill_after < 0:
        time.sleep(rng.uniform(0.0, 0.6))  # start-up: opening, migrating, creating the index
    else:
        for _ in range(kill_after):
            if not process.stdout.readline():
                break
    running = process.poll() is None
    if running:  # not yet reaped, so the pid is still this process even if it has just exited
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    process.stdout.close()
    return running


@pytest.mark.parametrize("seed", range(8))
def test_kill_9_during_import_leaves_a_consistent_archive(tmp_path: Path, stories: Path, seed: int) -> None:
    rng = random.Random(seed)
    archive = tmp_path / "archive"
    # a first kill somewhere in start-up or import, a second one in the resumed import
    killed_running = [import_and_kill(archive, stories, rng) for _round in range(2)]
    assert any(killed_running), "the harness never interrupted a running import"
    with Library.open(archive) as library:
        report = library.check.run()
        assert report.ok, report.problems
        stored = library.articles.summaries()
        texts = [collapse_whitespace(library.articles.get(s.id).text) for s in stored]
        assert len(texts) == len(set(texts)), "an article was stored twice"
        finished = library.imports.paths([stories])
        assert finished.count("imported") + finished.count("duplicate") == STORIES
        assert library.articles.count() == STORIES
        assert library.check.run().ok
