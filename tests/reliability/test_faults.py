"""Faults: a full disk, a read-only archive, a damaged index, a damaged database, a migration that fails.

Each ends with a clear message (a ``KnownError``: exit status 2 and ``error: …`` from the CLI, never an
internal error), the archive usable afterwards, and nothing committed lost.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import sqlite3
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic import command
from PySide6.QtCore import QSettings

from desktop.app import archive_opener
from desktop.core.errors import ArchiveNotWritableError, DatabaseDamagedError, IndexDamagedError, KnownError
from desktop.library import Library
from desktop.store.migrate import alembic_config
from desktop.store.sqlite import create_sqlite_engine
from desktop.ui.main_window import MainWindow
from tests.reliability.faults_disk import cli, fill, records, remount, small_disk, used_bytes
from tests.stories import write_stories

DISK_SIZE = "12m"
STORIES = 60
#: what a command may say when the disk refuses a write (and nothing else: no internal error)
DISK_WORDS = ("No space left on device", "disk is full", "could not be written", "File too large")


@pytest.fixture(scope="module")
def stories(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("stories")
    write_stories(folder, STORIES, seed=5)
    return folder


# a full disk ---------------------------------------------------------------------------------------------
COMMANDS: list[tuple[str, ...]] = [
    ("import", "{stories}", "--json"),
    ("tag", "1", "2", "3", "--add", "Full/Disk"),
    ("note", "1", "written on a nearly full disk"),
    ("annotate", "2", "--quote", "met representatives", "--note", "nearly full"),
    ("export", "csv", "{disk}/out.csv"),
    ("export", "json", "{disk}/out.json"),
    ("reindex",),
]


def run_on_a_nearly_full_disk(
    disk: Path, stories: Path, leave: int | None, *, after_import: bool = False
) -> tuple[list[tuple[str, int, str]], list[int]]:
    """Run ``COMMANDS`` with about ``leave`` bytes free (from the start, or from just after the import).

    Return (command, exit status, stderr) of each, and the disk's use after each.
    """
    archive = disk / "archive"
    filler = fill(disk, leave) if leave is not None and not after_import else None
    ran = []
    imported: list[int] = []
    used = []
    for template in COMMANDS:
        args = [part.format(stories=stories, disk=disk) for part in template]
        code, out, err = cli(archive, *args)
        used.append(used_bytes(disk))
        ran.append((args[0] if args[0] != "export" else f"export {args[1]}", code, err))
        if args[0] == "import":
            imported = [int(str(record["id"])) for record in records(out) if record["outcome"] == "imported"]
            if leave is not None and after_import:
                filler = fill(disk, leave)
    if filler is not None:
        filler.unlink()
    check_after_the_disk_has_room_again(disk, archive, ran, imported)
    return ran, used


def error_line(err: str) -> str:
    """The command's error message (stderr may also hold notes, such as a daily backup that could not be made)."""
    return next((line for line in reversed(err.splitlines()) if line.startswith("error: ")), "")


def fault_kind(command: str, err: str) -> str:
    """Where the full disk stopped a command, from its message."""
    err = error_line(err)
    if "Could not save to the archive" in err:
        return f"database write ({command})"
    if "search index" in err:
        return "index commit"
    if "Could not write" in err:
        return f"{command} file"
    if "Cannot open the archive" in err or "Could not create the archive" in err:
        return "opening"
    return "other"


def check_after_the_disk_has_room_again(disk: Path, archive: Path, ran: list[tuple[str, int, str]], imported: list[int]) -> None:
    for name, code, err in ran:
        assert code in (0, 2), f"{name}: exit {code}: {err[-1500:]}"
        assert "internal error" not in err, f"{name}: {err[-1500:]}"
        assert "Traceback" not in err, f"{name}: {err[-1500:]}"
        if code == 2:
            # a disk message, or the plain consequence of an import the full disk stopped early
            assert any(word in error_line(err) for word in (*DISK_WORDS, "No article has id")), f"{name}: {err[-800:]}"
    status = {name: code for name, code, _ in ran}
    with Library.open(archive) as library:
        report = library.check.run()
        assert report.ok, report.problems
        assert report.articles == report.indexed
        stored = {summary.id for summary in library.articles.summaries()}
        assert set(imported) <= stored, "an article reported imported is gone"
        if status["import"] == 0:
            assert len(stored) == STORIES
        if stored >= {1, 2, 3}:
            tagged = ["Full/Disk" in library.articles.get(article_id).tags for article_id in (1, 2, 3)]
            assert tagged in ([True] * 3, [False] * 3), "the tag edit is half there"
            assert all(tagged) or status["tag"] != 0
            notes = [note for note in library.notes.of(1) if note.body == "written on a nearly full disk"]
            assert len(notes) <= 1
            assert len(notes) == 1 or status["note"] != 0
            quoted = [record for record in library.annotations.of(2) if record.note == "nearly full"]
            assert len(quoted) <= 1
            assert len(quoted) == 1 or status["annotate"] != 0
        for kind, name in (("csv", "out.csv"), ("json", "out.json")):
            path = disk / name
            assert not path.with_name(name + ".part").exists(), f"a half-written {name} was left behind"
            if status[f"export {kind}"] == 0:
                if kind == "csv":
                    with path.open(encoding="utf-8-sig", newline="") as handle:
                        assert len(list(csv.reader(handle))) - 1 == library.articles.count()
                else:
                    assert len(json.loads(path.read_text(encoding="utf-8"))["tables"]["articles"]) == library.articles.count()
            else:
                assert not path.exists()
        assert len(library.search.find("representatives", limit=100).hits) == library.articles.count()


def disk_full_sweep(tmp_path: Path, stories: Path, trials: int) -> dict[str, object]:
    """Run the commands once with room to spare (to measure), then ``trials`` times with less room.

    Half the trials run short of room from the start (the import stops), half from just after the
    import (the edits, the index commits, the exports and the reindex meet the full disk).
    """
    with small_disk(tmp_path / "disk", DISK_SIZE) as disk:
        base = used_bytes(disk)
        _ran, used = run_on_a_nearly_full_disk(disk, stories, None)
        clear(disk)
        for_import, after_import = used[0] - base, max(used) - used[0] + 512 * 1024
        failed: Counter[str] = Counter()
        faults = 0
        for trial in range(trials):
            late = trial % 2 == 1
            share = (trial // 2 + 1) / (trials // 2 + 1)
            ran, _ = run_on_a_nearly_full_disk(disk, stories, int((after_import if late else for_import) * share), after_import=late)
            kinds = [fault_kind(name, err) for name, code, err in ran if code == 2 and any(w in error_line(err) for w in DISK_WORDS)]
            kinds += ["daily backup (a note)" for _name, _code, err in ran if "note: Could not write a backup" in err]
            faults += len(kinds)
            failed.update(kinds)
            clear(disk)
    figures = {"trials": trials, "faults_injected": faults, "stopped": dict(sorted(failed.items())), "bytes_for_import": for_import}
    (tmp_path / "disk-full.json").write_text(json.dumps(figures, indent=1), encoding="utf-8")
    print(f"\ndisk full: {figures}")
    return figures


def clear(disk: Path) -> None:
    shutil.rmtree(disk / "archive")
    for name in ("out.csv", "out.json"):
        (disk / name).unlink(missing_ok=True)


def test_a_full_disk_during_import_index_and_export_gives_a_clear_message_and_loses_nothing(tmp_path: Path, stories: Path) -> None:
    figures = disk_full_sweep(tmp_path, stories, trials=2)
    assert int(str(figures["faults_injected"])) >= 2


@pytest.mark.stress
def test_a_full_disk_at_every_point_of_the_commands(tmp_path: Path, stories: Path) -> None:
    figures = disk_full_sweep(tmp_path, stories, trials=int(os.environ.get("STRESS_DISK_TRIALS", "40")))
    stopped = dict(figures["stopped"])  # type: ignore[call-overload]
    assert {"database write (import)", "index commit", "export csv file", "export json file"} <= set(stopped), stopped


def test_a_backup_on_a_full_disk_fails_plainly_and_leaves_no_partial_copy(tmp_path: Path, sample_dir: Path) -> None:
    with small_disk(tmp_path / "disk", "4m") as disk:
        with Library.open(disk / "archive") as library:
            library.imports.paths([sample_dir])
            filler = fill(disk, 64 * 1024)
            with pytest.raises(KnownError, match="Could not write a backup"):
                library.backups.create()
            assert list((disk / "archive" / "backups").glob("*.part")) == []
            filler.unlink()
            assert library.backups.create().exists()
            assert library.check.run().ok
        for old in (disk / "archive" / "backups").iterdir():
            old.unlink()  # so the CLI makes its daily backup, on a full disk
        filler = fill(disk, 64 * 1024)
        code, out, err = cli(disk / "archive", "list")
        assert code == 0, err  # the daily backup failed with a note, and the command still ran
        assert "note: Could not write a backup" in err
        assert len(out.splitlines()) == 5


def test_a_file_size_limit_stops_an_import_cleanly_and_keeps_what_was_committed(tmp_path: Path, stories: Path) -> None:
    """RLIMIT_FSIZE (no root needed): the database's write-ahead log cannot grow past 300 kB."""
    archive = tmp_path / "archive"
    code, out, err = cli(archive, "import", str(stories), "--json", file_size_limit=300_000)
    assert code == 2, err[-1500:]
    assert err.strip().splitlines()[-1].startswith("error: "), err[-1500:]
    assert any(word in err for word in DISK_WORDS), err[-1500:]
    imported = [int(str(record["id"])) for record in records(out) if record["outcome"] == "imported"]
    assert 0 < len(imported) < STORIES
    with Library.open(archive) as library:
        assert {summary.id for summary in library.articles.summaries()} == set(imported)
        assert library.check.run().ok
        library.imports.paths([stories])
        assert library.articles.count() == STORIES


# a read-only archive ------------------------------------------------------------------------------------
def test_a_read_only_archive_opens_read_only_and_refuses_changes_clearly(tmp_path: Path, sample_dir: Path) -> None:
    with small_disk(tmp_path / "disk", "20m") as disk:
        archive = disk / "archive"
        with Library.open(archive) as library:
            library.imports.paths([sample_dir])
            library.tags.change([1], add=["Kept"])
        remount(disk, "ro")
        with pytest.raises(ArchiveNotWritableError, match="cannot be changed here"):
            Library.open(archive)
        with Library.open(archive, read_only=True) as library:
            assert library.articles.count() == 5
            assert [hit.id for hit in library.search.find("tag:Kept").hits] == [1]
        code, out, err = cli(archive, "list", "--json")
        assert code == 0
        assert len(records(out)) == 5
        assert "read-only" in err
        code, _out, err = cli(archive, "tag", "2", "--add", "New")
        assert code == 2
        assert "cannot be changed here" in err
        remount(disk, "rw")
        with Library.open(archive) as library:
            assert library.check.run().ok


# a damaged index ----------------------------------------------------------------------------------------
def _garble(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for offset in range(0, len(data), 7):
        data[offset] ^= 0xA5
    path.write_bytes(bytes(data))


def _each(index: Path, change: Callable[[Path], object], pattern: str = "*") -> None:
    for path in index.glob(pattern):
        change(path)


INDEX_DAMAGE: dict[str, Callable[[Path], object]] = {
    "folder deleted": shutil.rmtree,
    "every file emptied": lambda index: _each(index, lambda path: path.write_bytes(b"")),
    "every file cut in half": lambda index: _each(index, lambda path: path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])),
    "every file garbled": lambda index: _each(index, _garble),
    "table of contents garbled": lambda index: _each(index, _garble, "*.toc"),
    "segments garbled": lambda index: _each(index, _garble, "MAIN_*"),
    "version file deleted": lambda index: (index / "archive-index.json").unlink(),
}


@pytest.mark.parametrize("damage", sorted(INDEX_DAMAGE))
def test_an_index_damaged_while_closed_is_rebuilt_from_the_store_with_a_message(archive_dir: Path, sample_dir: Path, damage: str) -> None:
    with Library.open(archive_dir) as library:
        library.imports.paths([sample_dir])
        library.tags.change([1, 2], add=["Kept"])
        library.notes.add(3, "a note to find")
    INDEX_DAMAGE[damage](archive_dir / "index")
    with Library.open(archive_dir) as library:
        assert any("Rebuilt the search index" in notice for notice in library.notices), library.notices
        report = library.check.run()
        assert report.ok, report
        assert report.indexed == 5
        assert {hit.id for hit in library.search.find("tag:Kept").hits} == {1, 2}
        assert [hit.id for hit in library.search.find("note:note").hits] == [3]


def test_postings_damaged_where_opening_does_not_read_are_found_by_a_search_then_rebuilt(archive_dir: Path, sample_dir: Path) -> None:
    """Opening reads the table of contents and stored fields, not every postings file: a search finds the rest."""
    with Library.open(archive_dir) as library:
        library.imports.paths([sample_dir])
        library.tags.change([1, 2], add=["Kept"])
    _each(archive_dir / "index", _garble, "MAIN_*.pst")
    with Library.open(archive_dir) as library:
        assert library.notices == []  # opening did not notice
        with pytest.raises(IndexDamagedError, match=r"index is damaged .*rebuilt from the archive the next time"):
            library.search.find("party")
        assert library.index.damaged
        with pytest.raises(IndexDamagedError):  # every later search says so too, no half answers
            library.search.find("tag:Kept")
        report = library.check.run()
        assert not report.ok
        assert any(problem.startswith("index: the search index is damaged") for problem in report.problems), report
        assert library.articles.count() == 5  # browsing the store still works
    code, _out, err = cli(archive_dir, "check")  # the damage was recorded: the next opening rebuilds
    assert code == 0, err
    with Library.open(archive_dir) as library:
        assert library.check.run().ok
        assert {hit.id for hit in library.search.find("tag:Kept").hits} == {1, 2}
        assert library.search.find("party").total > 0


def test_edits_on_an_index_with_damaged_postings_are_saved_and_indexed_by_the_rebuild(archive_dir: Path, sample_dir: Path) -> None:
    """Whoosh merges read old segments when it commits an edit: the damage stops the index write, never the edit."""
    with Library.open(archive_dir) as library:
        library.imports.paths([sample_dir])
    _each(archive_dir / "index", _garble, "MAIN_*.pst")
    with Library.open(archive_dir) as library:
        for article_id in range(1, 6):
            library.tags.change([article_id], add=["After/Damage"])
        library.notes.add(2, "written after the damage")
        assert library.index.damaged
        report = library.check.run()
        assert any("index is damaged" in problem for problem in report.problems), report
    with Library.open(archive_dir) as library:
        assert any("Rebuilt the search index" in notice for notice in library.notices), library.notices
        assert library.check.run().ok
        assert {hit.id for hit in library.search.find("tag:After/Damage").hits} == {1, 2, 3, 4, 5}
        assert [hit.id for hit in library.search.find('note:"after the damage"').hits] == [2]


def test_check_reads_every_postings_file(archive_dir: Path, sample_dir: Path) -> None:
    with Library.open(archive_dir) as library:
        library.imports.paths([sample_dir])
    _each(archive_dir / "index", _garble, "MAIN_*.pst")
    code, out, _err = cli(archive_dir, "check")
    assert code == 1, out
    assert "index: the search index is damaged" in out
    assert "rebuilt from the archive the next time" in out


def test_the_window_rebuilds_an_index_a_search_finds_damaged(qtbot, archive_dir: Path, sample_dir: Path, tmp_path: Path) -> None:
    with Library.open(archive_dir) as library:
        library.imports.paths([sample_dir])
    _each(archive_dir / "index", _garble, "MAIN_*.pst")
    window = MainWindow(archive_opener(archive_dir), settings=QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.library is not None and window.library.index.ready, timeout=20_000)
    with qtbot.waitSignal(window.view_updated, timeout=20_000):
        window.search.set_query("party")
    assert "index is damaged" in window.search.explanation.text()
    qtbot.waitUntil(lambda: not window.session.rebuilding_index and window.browser.model.rowCount() > 0, timeout=30_000)
    assert window.library is not None
    assert not window.library.index.damaged
    assert window.session.damage_rebuilds == 1
    assert window.library.check.run().ok
    window.close()


# a damaged database -------------------------------------------------------------------------------------
def _damage_pages(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for page in range(2, len(data) // 4096, 3):
        data[page * 4096 : page * 4096 + 12] = b"\xff" * 12
    path.write_bytes(bytes(data))


def _damage_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    start = len(data) // 3
    data[start : start + 8192] = b"Z" * 8192
    path.write_bytes(bytes(data))


DATABASE_DAMAGE = {
    "header overwritten": lambda path: path.write_bytes(b"not a database!!" + path.read_bytes()[16:]),
    "cut in half": lambda path: path.write_bytes(path.read_bytes()[: path.stat().st_size // 2]),
    "page headers garbled": _damage_pages,
    "8 kB in the middle overwritten": _damage_middle,
}


def _archive_with_a_backup(root: Path, sample_dir: Path) -> tuple[str, int]:
    """An archive with one backup of five articles, then changed after it; return the backup's name and the count."""
    with Library.open(root) as library:
        library.imports.paths([sample_dir])
        library.tags.change([1], add=["Before"])
        name = library.backups.create().name
        library.tags.change([2], add=["After"])
    return name, 5


@pytest.mark.parametrize("damage", sorted(DATABASE_DAMAGE))
def test_a_damaged_database_is_refused_on_open_naming_the_newest_good_backup_and_nothing_is_overwritten(
    archive_dir: Path, sample_dir: Path, damage: str
) -> None:
    name, count = _archive_with_a_backup(archive_dir, sample_dir)
    database = archive_dir / "archive.sqlite"
    DATABASE_DAMAGE[damage](database)
    damaged = hashlib.sha256(database.read_bytes()).hexdigest()
    with pytest.raises(DatabaseDamagedError) as raised:
        Library.open(archive_dir)
    assert raised.value.backup == name
    assert f"backups restore {name}" in str(raised.value)
    assert "Nothing was changed" in str(raised.value)
    with pytest.raises(DatabaseDamagedError):
        Library.open(archive_dir, read_only=True)
    assert hashlib.sha256(database.read_bytes()).hexdigest() == damaged, "the damaged database was changed"
    code, _out, err = cli(archive_dir, "list")
    assert code == 2
    assert f"backups restore {name}" in err
    # the user restores the backup the message named: the damaged file is set aside, not overwritten
    code, _out, err = cli(archive_dir, "backups", "restore", name)
    assert code == 0, err
    kept = list((archive_dir / "backups").glob("damaged-*.sqlite"))
    assert len(kept) == 1
    assert hashlib.sha256(kept[0].read_bytes()).hexdigest() == damaged
    with Library.open(archive_dir) as library:
        assert library.articles.count() == count
        assert library.check.run().ok
        assert [hit.id for hit in library.search.find("tag:Before").hits] == [1]
        assert library.search.find("tag:After").hits == ()


def test_a_damaged_newest_backup_is_passed_over_for_an_older_good_one(archive_dir: Path, sample_dir: Path) -> None:
    good, _count = _archive_with_a_backup(archive_dir, sample_dir)
    with Library.open(archive_dir) as library:
        newer = library.backups.create().name
    newer_path = archive_dir / "backups" / newer
    _damage_pages(newer_path)
    os.utime(newer_path)  # newest by time
    _damage_pages(archive_dir / "archive.sqlite")
    with pytest.raises(DatabaseDamagedError) as raised:
        Library.open(archive_dir)
    assert raised.value.backup == good
    with pytest.raises(KnownError, match="damaged too"):
        Library.open(archive_dir, restore=newer)
    with Library.open(archive_dir, restore=good) as library:
        assert library.articles.count() == 5
        assert library.check.run().ok
        assert any("Restored the backup" in notice for notice in library.notices)


def test_a_damaged_database_without_a_backup_says_so(archive_dir: Path, sample_dir: Path) -> None:
    with Library.open(archive_dir) as library:
        library.imports.paths([sample_dir])
    _damage_pages(archive_dir / "archive.sqlite")
    with pytest.raises(DatabaseDamagedError, match="There is no good backup") as raised:
        Library.open(archive_dir)
    assert raised.value.backup is None


# a migration that fails half way ------------------------------------------------------------------------
def test_a_migration_failing_half_way_rolls_back_every_step_and_keeps_the_backup(archive_dir: Path) -> None:
    """An archive at revision 0003 whose upgrade applies 0004, then fails inside 0005 (a clashing index)."""
    archive_dir.mkdir(parents=True)
    engine = create_sqlite_engine(archive_dir / "archive.sqlite")
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
    engine.dispose()
    with sqlite3.connect(archive_dir / "archive.sqlite") as raw:
        raw.execute("INSERT INTO tags (id, name, parent_id) VALUES (1, 'Kept', NULL)")
        raw.execute("CREATE INDEX ix_articles_trashed_at ON articles (title)")  # 0005 creates this name
    raw.close()
    before = _schema_and_rows(archive_dir / "archive.sqlite")
    with pytest.raises(KnownError, match="nothing was changed"):
        Library.open(archive_dir)
    after = _schema_and_rows(archive_dir / "archive.sqlite")
    assert after == before, "the failed upgrade left part of itself behind"
    assert "ix_articles_title" not in after[0]  # made by 0004, which had succeeded: rolled back with the rest
    backups = list((archive_dir / "backups").glob("before-upgrade-*.sqlite"))
    assert len(backups) == 1
    assert _schema_and_rows(backups[0]) == before
    # once the clash is removed, the same archive upgrades and keeps its rows
    with sqlite3.connect(archive_dir / "archive.sqlite") as raw:
        raw.execute("DROP INDEX ix_articles_trashed_at")
    raw.close()
    with Library.open(archive_dir) as library:
        assert [tag.name for tag in library.tags.all()] == ["Kept"]
        assert library.check.run().ok


def _schema_and_rows(path: Path) -> tuple[str, list[tuple[object, ...]], list[tuple[object, ...]]]:
    with sqlite3.connect(path) as connection:
        schema = "\n".join(str(row[0]) for row in connection.execute("SELECT sql FROM sqlite_master ORDER BY name") if row[0])
        version = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        tags = connection.execute("SELECT id, name FROM tags").fetchall()
    connection.close()
    return schema, version, tags


def test_the_window_offers_the_newest_good_backup_for_a_damaged_database(
    qtbot, archive_dir: Path, sample_dir: Path, tmp_path: Path
) -> None:
    name, count = _archive_with_a_backup(archive_dir, sample_dir)
    _damage_pages(archive_dir / "archive.sqlite")
    damaged = hashlib.sha256((archive_dir / "archive.sqlite").read_bytes()).hexdigest()
    window = MainWindow(archive_opener(archive_dir), settings=QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.session.open_box is not None, timeout=20_000)
    box = window.session.open_box
    assert box is not None
    assert "is damaged" in box.text()
    assert hashlib.sha256((archive_dir / "archive.sqlite").read_bytes()).hexdigest() == damaged, "replaced before the user chose"
    restore = next(button for button in box.buttons() if button.text() == f"Restore {name}")
    with qtbot.waitSignal(window.view_updated, timeout=30_000):
        restore.click()
    assert window.browser.model.rowCount() == count
    assert window.library is not None
    assert not window.library.read_only
    kept = list((archive_dir / "backups").glob("damaged-*.sqlite"))
    assert [hashlib.sha256(path.read_bytes()).hexdigest() for path in kept] == [damaged]
    window.close()
