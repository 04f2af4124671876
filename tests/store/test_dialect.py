"""The dialect seam: SQLite's lock, integrity check, online backup and WAL files, and the one restore path."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from desktop.archive_folder import ArchiveFolder, ArchiveLock, put_backup_in_place, refuse_damaged, restore_database
from desktop.core.errors import ArchiveLockedError, DatabaseDamagedError, KnownError
from desktop.core.models import ParsedArticle
from desktop.store import migrate
from desktop.store.dialect import Dialect, dialect_named, dialect_of
from desktop.store.models import Article
from desktop.store.sqlite import DIALECT, create_sqlite_engine
from tests.store.conftest import add_article

REPO = Path(__file__).resolve().parents[2]


def _damage(path: Path) -> None:
    """Overwrite the pages after the first with garbage, as a failing disk might."""
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data), 4096):
        data[offset + 8 : offset + 64] = b"\xa5" * 56
    path.write_bytes(bytes(data))


def _titles(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        titles = [str(row[0]) for row in connection.execute("SELECT title FROM articles ORDER BY id")]
    connection.close()
    return titles


def _archive(root: Path, titles: list[str]) -> ArchiveFolder:
    """An archive folder whose database holds articles titled ``titles`` (closed, no engine left open)."""
    folder = ArchiveFolder(root)
    root.mkdir(parents=True, exist_ok=True)
    engine = create_sqlite_engine(folder.database)
    migrate.upgrade(engine)
    with Session(engine) as session, session.begin():
        for title in titles:
            add_article(session, ParsedArticle(title, "headline", f"{title}\n\n" + "Body text. " * 200))
    engine.dispose()
    return folder


def _backup(folder: ArchiveFolder, name: str) -> None:
    engine = create_sqlite_engine(folder.database)
    try:
        DIALECT.backup(engine, folder.backups / name)
    finally:
        engine.dispose()


# the seam --------------------------------------------------------------------------------------------
def test_the_dialect_is_found_by_name_and_by_engine_session_or_connection(engine: Engine, sessions: sessionmaker[Session]) -> None:
    sqlite_dialect: Dialect = dialect_named("sqlite")
    assert sqlite_dialect is DIALECT
    assert sqlite_dialect.name == "sqlite"
    assert dialect_of(engine) is DIALECT
    with sessions() as session:
        assert dialect_of(session) is DIALECT
    with engine.connect() as connection:
        assert dialect_of(connection) is DIALECT
    with pytest.raises(ValueError, match="no store dialect named 'oracle'"):
        dialect_named("oracle")


def test_the_database_files_are_the_file_its_write_ahead_log_and_shared_memory(tmp_path: Path) -> None:
    database = tmp_path / "archive.sqlite"
    assert DIALECT.database_files(database) == (database, tmp_path / "archive.sqlite-wal", tmp_path / "archive.sqlite-shm")
    engine = DIALECT.create_engine(database)
    with engine.begin() as connection:  # WAL mode: while a connection is open, the log and shared memory are there
        connection.exec_driver_sql("CREATE TABLE t (x)")
        assert all(path.exists() for path in DIALECT.database_files(database))
    engine.dispose()


# the single-writer lock ------------------------------------------------------------------------------
def test_the_writer_lock_refuses_a_second_holder_naming_the_first_until_released(tmp_path: Path) -> None:
    first = DIALECT.writer_lock(tmp_path / ".lock")
    first.acquire()
    second = ArchiveLock(tmp_path / ".lock")
    with pytest.raises(ArchiveLockedError, match=r"process \d+ on "):
        second.acquire()
    first.release()
    second.acquire()
    second.release()


def test_the_writer_lock_of_a_killed_process_is_free(tmp_path: Path) -> None:
    holder = textwrap.dedent(
        """
        import sys, time
        from pathlib import Path
        from desktop.store.sqlite import DIALECT

        lock = DIALECT.writer_lock(Path(sys.argv[1]))
        lock.acquire()
        print("held", flush=True)
        time.sleep(60)
        """
    )
    process = subprocess.Popen([sys.executable, "-c", holder, str(tmp_path / ".lock")], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "held"
        lock = DIALECT.writer_lock(tmp_path / ".lock")
        with pytest.raises(ArchiveLockedError, match=f"process {process.pid} on "):
            lock.acquire()
        process.kill()
        process.wait()
        lock.acquire()  # the kernel released the dead holder's lock: never stale
        lock.release()
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


# the integrity check and the online backup ---------------------------------------------------------
def test_quick_check_passes_a_good_database_and_names_what_is_wrong_with_a_damaged_one(tmp_path: Path) -> None:
    folder = _archive(tmp_path / "archive", [f"Story {number}" for number in range(40)])
    engine = DIALECT.create_engine(folder.database)
    assert DIALECT.integrity_problems(engine) == []
    engine.dispose()
    assert DIALECT.database_problems(folder.database) == []
    assert DIALECT.database_problems(folder.database, read_only=True) == []
    assert DIALECT.database_problems(tmp_path / "missing.sqlite") == []  # nothing there yet: a new archive
    _damage(folder.database)
    assert DIALECT.database_problems(folder.database, read_only=True) != []
    with pytest.raises(DatabaseDamagedError, match="There is no good backup"):
        refuse_damaged(folder, read_only=True)


def test_the_online_backup_is_a_consistent_copy_taken_while_the_database_is_open(tmp_path: Path) -> None:
    folder = _archive(tmp_path / "archive", ["One", "Two"])
    engine = DIALECT.create_engine(folder.database)
    try:
        with Session(engine) as session, session.begin():
            add_article(session, ParsedArticle("Three", "headline", "Three\n\nBody."))  # committed, still only in the log
            DIALECT.backup(engine, folder.backups / "manual-1.sqlite")
    finally:
        engine.dispose()
    assert not (folder.backups / "manual-1.sqlite.part").exists()
    assert DIALECT.database_problems(folder.backups / "manual-1.sqlite", read_only=True) == []
    assert _titles(folder.backups / "manual-1.sqlite") == ["One", "Two"]  # the open transaction is not in it


# restoring --------------------------------------------------------------------------------------------
def test_restore_keeps_the_damaged_database_with_its_log_and_puts_the_backup_in_place(tmp_path: Path) -> None:
    folder = _archive(tmp_path / "archive", ["One", "Two"])
    _backup(folder, "daily-1.sqlite")
    (folder.index).mkdir()
    (folder.index / "segment").write_text("built from the damaged database")
    _damage(folder.database)
    damaged = folder.database.read_bytes()
    with pytest.raises(DatabaseDamagedError) as raised:
        refuse_damaged(folder)
    assert raised.value.backup == "daily-1.sqlite"
    # a write-ahead log and shared memory left beside it (by a crash, or a copy of the folder)
    for path in DIALECT.database_files(folder.database)[1:]:
        path.write_bytes(b"stale " + path.name.encode())
    notice = restore_database(folder, "daily-1.sqlite")
    kept = sorted(folder.backups.glob("damaged-*"))
    assert [path.name.rpartition(".sqlite")[2] for path in kept] == ["", "-shm", "-wal"]
    assert f"kept as {kept[0]}" in notice
    assert kept[0].read_bytes() == damaged
    assert not any(path.exists() for path in DIALECT.database_files(folder.database)[1:]), "a stale log beside the restored file"
    assert not folder.index.exists()
    refuse_damaged(folder)
    assert _titles(folder.database) == ["One", "Two"]


def test_restore_without_keeping_removes_the_current_files_and_says_so_plainly(tmp_path: Path) -> None:
    folder = _archive(tmp_path / "archive", ["Old"])
    _backup(folder, "manual-1.sqlite")
    engine = DIALECT.create_engine(folder.database)
    with Session(engine) as session, session.begin():
        add_article(session, ParsedArticle("New", "headline", "New\n\nBody."))
    engine.dispose()
    assert restore_database(folder, "manual-1.sqlite", keep_current=False) == "Restored the backup manual-1.sqlite."
    assert _titles(folder.database) == ["Old"]
    assert not list(folder.backups.glob("damaged-*"))
    assert [path.name for path in folder.backups.glob("*.sqlite")] == ["manual-1.sqlite"]


def test_a_damaged_or_missing_backup_is_refused_and_nothing_is_changed(tmp_path: Path) -> None:
    folder = _archive(tmp_path / "archive", [f"Story {number}" for number in range(40)])
    _backup(folder, "manual-1.sqlite")
    _damage(folder.backups / "manual-1.sqlite")
    before = folder.database.read_bytes()
    with pytest.raises(KnownError, match="damaged too"):
        restore_database(folder, "manual-1.sqlite")
    with pytest.raises(KnownError, match="no backup named"):
        put_backup_in_place(folder, "../archive.sqlite")
    with pytest.raises(KnownError, match="no backup named"):
        restore_database(folder, "missing.sqlite")
    assert folder.database.read_bytes() == before
    assert [path.name for path in folder.backups.glob("*.sqlite")] == ["manual-1.sqlite"]
    assert not list(folder.backups.glob("damaged-*"))
    assert not folder.database.with_name("archive.sqlite.restoring").exists()


def test_the_journal_defers_constraints_through_the_dialect(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        DIALECT.defer_constraints(session)
        assert session.execute(select(Article.id)).all() == []
        assert session.connection().exec_driver_sql("PRAGMA defer_foreign_keys").scalar() == 1
    with sessions.begin() as session:
        assert session.connection().exec_driver_sql("PRAGMA defer_foreign_keys").scalar() == 0  # for that transaction only
