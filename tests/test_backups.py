"""Backups: made with SQLite's online backup API, listed, restored after the database is gone."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.core.errors import KnownError
from desktop.library import KEEP_BACKUPS, Library
from tests.test_editing import dump


def test_a_backup_restored_after_the_database_is_deleted_gives_the_same_archive(archive_dir: Path, sample_dir: Path) -> None:
    with Library.open(archive_dir) as library:
        library.imports.paths([sample_dir])
        library.tags.change([1, 2], add=["Party"])
        library.annotations.add_quote(4, "Joe Biden", note="call")
        before = dump(library)
        name = library.backups.create().name
    for part in ("archive.sqlite", "archive.sqlite-wal", "archive.sqlite-shm"):
        (archive_dir / part).unlink(missing_ok=True)
    with Library.open(archive_dir) as library:
        assert library.articles.count() == 0
        library.backups.restore(name)
        assert dump(library) == before
        assert library.check.run().ok
        assert [hit.id for hit in library.search.find("tag:Party").hits] == [1, 2] or {
            hit.id for hit in library.search.find("tag:Party").hits
        } == {1, 2}


def test_restore_keeps_the_current_database_as_a_backup(seeded: Library) -> None:
    first = seeded.backups.create().name
    seeded.articles.trash([1, 2])
    seeded.backups.restore(first)
    assert seeded.articles.count() == 5
    assert any(name.startswith("before-restore-") for name, _size, _when in seeded.backups.all())
    with pytest.raises(KnownError):
        seeded.backups.restore("nothing.sqlite")


def test_daily_backups_are_made_once_a_day_and_old_ones_pruned(seeded: Library) -> None:
    assert seeded.backups.daily() is not None
    assert seeded.backups.daily() is None
    for _ in range(KEEP_BACKUPS + 3):
        seeded.backups.create()
    assert sum(1 for name, _size, _when in seeded.backups.all() if name.startswith("manual-")) == KEEP_BACKUPS


def test_backups_from_the_command_line(seeded: Library) -> None:
    seeded.close()
    out, err = io.StringIO(), io.StringIO()
    root = str(seeded.folder.root)
    assert main(["--archive", root, "backup"], out=out, err=err) == 0
    assert main(["--archive", root, "backups", "list", "--json"], out=out, err=err) == 0
    name = next(line for line in out.getvalue().splitlines() if '"name": "manual-' in line).split('"name": "')[1].split('"')[0]
    assert main(["--archive", root, "backups", "restore", name], out=out, err=err) == 0, err.getvalue()
    assert main(["--archive", root, "check"], out=out, err=err) == 0


def test_restoring_a_damaged_backup_is_refused_and_the_archive_goes_on_unchanged(seeded: Library) -> None:
    seeded.tags.change([1], add=["Kept"])
    backup = seeded.backups.create()
    data = bytearray(backup.read_bytes())
    for page in range(2, len(data) // 4096, 3):  # page headers garbled: SQLite's check finds it
        data[page * 4096 : page * 4096 + 12] = b"\xff" * 12
    backup.write_bytes(bytes(data))
    with pytest.raises(KnownError, match="damaged too"):
        seeded.backups.restore(backup.name)
    assert seeded.articles.count() == 5
    assert [hit.id for hit in seeded.search.find("tag:Kept").hits] == [1]
    seeded.tags.change([2], add=["Kept"])  # still open for writing
    assert seeded.check.run().ok


def test_a_restore_sets_the_current_database_aside_with_its_write_ahead_log(seeded: Library) -> None:
    first = seeded.backups.create().name
    seeded.tags.change([1], add=["After"])
    seeded.backups.restore(first)
    kept = [name for name, _size, _when in seeded.backups.all() if name.startswith("damaged-")]
    assert len(kept) == 1
    Library.open(seeded.folder.root / "set-aside").close()  # an archive to put the set-aside database in
    aside = seeded.folder.root / "set-aside" / "archive.sqlite"
    aside.unlink()
    shutil.copyfile(seeded.folder.backups / kept[0], aside)
    for suffix in ("-wal", "-shm"):
        if (seeded.folder.backups / (kept[0] + suffix)).exists():
            shutil.copyfile(seeded.folder.backups / (kept[0] + suffix), aside.with_name(aside.name + suffix))
    with Library.open(aside.parent) as other:
        assert [hit.id for hit in other.search.find("tag:After").hits] == [1]  # what was there before the restore is kept
    assert seeded.search.find("tag:After").hits == ()
