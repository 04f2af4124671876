"""Two copies of the app on one archive: never two writers; the second reads, or is refused plainly; a killed holder's lock is free.

The holder is a real second process (``python -c`` opening the archive with ``Library.open``), so the
lock is the kernel's ``flock`` between processes, as between two copies of the app.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.app import archive_opener
from desktop.core.errors import ArchiveLockedError, ReadOnlyArchiveError
from desktop.library import Library
from tests.reliability.faults_disk import REPO, cli, records
from tests.stories import write_stories

HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from desktop.library import Library

    library = Library.open(Path(sys.argv[1]))
    library.imports.paths([Path(sys.argv[2])])
    print("ready", flush=True)
    for line in sys.stdin:  # each line: an article id to tag, while the other copy watches
        library.tags.change([int(line)], add=["From the holder"])
        print("tagged", flush=True)
    library.close()
    """
)


@pytest.fixture
def holder(archive_dir: Path, sample_dir: Path) -> Iterator[subprocess.Popen[str]]:
    """A second process that has the archive open for writing (with the sample imported) until its stdin closes."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(archive_dir), str(sample_dir)],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    yield process
    if process.poll() is None:
        process.kill()
    process.wait()


def test_a_second_copy_is_refused_write_access_and_reads_instead(archive_dir: Path, holder: subprocess.Popen[str]) -> None:
    with pytest.raises(ArchiveLockedError, match=f"process {holder.pid} on "):
        Library.open(archive_dir)
    with Library.open(archive_dir, read_only=True) as reader:
        assert reader.read_only
        assert reader.articles.count() == 5
        with pytest.raises(ReadOnlyArchiveError):
            reader.tags.change([1], add=["Refused"])
        with pytest.raises(ReadOnlyArchiveError):
            reader.imports.paths([archive_dir])
        # the writer changes the archive; the reader sees it on its next read
        assert holder.stdin is not None
        assert holder.stdout is not None
        holder.stdin.write("2\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "tagged"
        assert "From the holder" in reader.articles.get(2).tags
        assert [hit.id for hit in reader.search.find("tag:Refused").hits] == []


def test_the_window_opens_read_only_and_the_cli_reads_but_refuses_to_write(archive_dir: Path, holder: subprocess.Popen[str]) -> None:
    library = archive_opener(archive_dir)(lambda _done, _total, _label: None)
    try:
        assert library.read_only
        assert any("read-only" in notice for notice in library.notices)
    finally:
        library.close()
    code, out, err = cli(archive_dir, "list", "--json")
    assert code == 0, err
    assert len(records(out)) == 5
    assert "Reading it read-only" in err
    code, _out, err = cli(archive_dir, "tag", "1", "--add", "Refused")
    assert code == 2
    assert f"open in another Archive Browser (process {holder.pid}" in err
    assert holder.poll() is None


def test_a_lock_left_by_a_killed_copy_is_recovered(archive_dir: Path, holder: subprocess.Popen[str]) -> None:
    assert str(holder.pid) in (archive_dir / ".lock").read_text(encoding="utf-8")
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert str(holder.pid) in (archive_dir / ".lock").read_text(encoding="utf-8"), "the killed copy's lock file is still there"
    with Library.open(archive_dir) as library:
        assert not library.read_only
        assert f"process {os.getpid()} on " in (archive_dir / ".lock").read_text(encoding="utf-8")
        assert library.articles.count() == 5
        library.tags.change([1], add=["After the kill"])
        assert library.check.run().ok


def test_copies_started_together_never_write_at_once(tmp_path: Path) -> None:
    """Four CLI imports of the same folder at the same moment: each imports or is refused; nothing is doubled."""
    stories = tmp_path / "stories"
    write_stories(stories, 120, seed=3)
    archive = tmp_path / "archive"
    Library.open(archive).close()
    command = [sys.executable, "-m", "desktop.cli", "--archive", str(archive), "import", str(stories)]
    processes = [subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    results = [(process.wait(timeout=300), process.stderr.read() if process.stderr else "") for process in processes]
    for code, err in results:
        assert code in (0, 2), err
        if code == 2:
            assert "open in another Archive Browser" in err
    assert any(code == 0 for code, _ in results)
    with Library.open(archive) as library:
        assert library.articles.count() == 120
        assert library.check.run().ok
