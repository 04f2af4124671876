"""The SQLite dialect (``desktop.store.dialect``): pragmas, transactional BEGIN, WAL files, online backup, integrity check, lock."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session

from desktop.core.errors import KnownError
from desktop.store.dialect import Dialect, WriterLock
from desktop.store.file_lock import FileLock

#: the files beside the database that are part of it while it is open or after a crash (WAL mode)
COMPANION_SUFFIXES = ("-wal", "-shm")


def create_sqlite_engine(path: Path, *, read_only: bool = False) -> Engine:
    """An engine on ``path`` in WAL mode with foreign keys on and real transactions (DDL included)."""
    url = f"sqlite:///file:{path.as_posix()}?{_read_only_options(path)}&uri=true" if read_only else f"sqlite:///{path.as_posix()}"
    # JSON columns are stored with sorted keys: the same value is always the same text (exports compare)
    engine = create_engine(url, connect_args={"timeout": 10}, json_serializer=_canonical_json)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin, so DDL in a
        # migration is inside the transaction and rolls back with it.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not read_only:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


def database_files(path: Path) -> tuple[Path, ...]:
    """The database file and its write-ahead log and shared-memory files: moved, copied or removed together."""
    return (path, *(path.with_name(path.name + suffix) for suffix in COMPANION_SUFFIXES))


def _read_only_options(path: Path) -> str:
    """``mode=ro``, and ``immutable=1`` when the folder cannot be written (a read-only disk): SQLite can then
    neither create the shared-memory file a WAL database needs nor have anyone else change the file."""
    return "mode=ro" if os.access(path.parent, os.W_OK) else "mode=ro&immutable=1"


def _canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def backup_database(engine: Engine, destination: Path) -> None:
    """Copy the live database to ``destination`` with SQLite's online backup API (consistent under writes).

    Raises:
        OSError: the copy could not be written (a full disk, say); no partial copy is left.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".part")
    raw = engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        target = sqlite3.connect(partial)
        try:
            source.backup(target)
        finally:
            target.close()
        partial.replace(destination)
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise OSError(storage_problem(exc) or str(exc)) from exc
    except OSError:
        partial.unlink(missing_ok=True)
        raise
    finally:
        raw.close()


def integrity_problems(engine: Engine) -> list[str]:
    """The lines of ``PRAGMA quick_check`` other than ``ok``."""
    with engine.connect() as connection:
        rows = connection.execute(text("PRAGMA quick_check")).scalars().all()
    return [str(row) for row in rows if row != "ok"]


def database_problems(path: Path, *, read_only: bool = False) -> list[str]:
    """What ``PRAGMA quick_check`` finds wrong with the database file at ``path`` (a file it cannot read at all included).

    Without ``read_only``, call it only while holding the archive's writer lock: opening the file
    replays a leftover write-ahead log, as any writer would.
    """
    if not path.exists() or path.stat().st_size == 0:
        return []
    try:
        target = path.absolute().as_uri() + "?" + _read_only_options(path) if read_only else str(path)
        connection = sqlite3.connect(target, timeout=10, uri=read_only)
        try:
            rows = [str(row[0]) for row in connection.execute("PRAGMA quick_check")]
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorname", "").startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
            return [str(exc)]
        reason = storage_problem(exc)
        raise KnownError(f"Cannot open the archive's database {path}: {reason + f' ({exc})' if reason else exc}") from exc
    return [row for row in rows if row != "ok"]


#: SQLite's error names for a disk that refuses writes, and what to tell the user
_STORAGE_ERRORS = {
    "SQLITE_FULL": "the disk is full",
    "SQLITE_IOERR": "the disk could not be written",
    "SQLITE_READONLY": "the archive cannot be written here",
    "SQLITE_CANTOPEN": "the archive's files cannot be opened",
}


def storage_problem(exc: BaseException) -> str | None:
    """The plain reason when ``exc`` is SQLite failing to write to the disk (full, read-only, I/O); None for anything else."""
    orig = getattr(exc, "orig", exc)
    name = getattr(orig, "sqlite_errorname", "") if isinstance(orig, sqlite3.Error) else ""
    return next((reason for prefix, reason in _STORAGE_ERRORS.items() if name.startswith(prefix)), None)


def defer_constraints(session: Session) -> None:
    """Check foreign keys at commit rather than per statement, for the rest of this transaction.

    Undo writes rows back in an order that can pass through states no single statement may leave
    (a tag's parent deleted a moment before the tag is moved back under its old parent).
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA defer_foreign_keys = ON"))


class SqliteDialect:
    """SQLite behind the store's one seam: a file in WAL mode, one writer at a time by an OS lock on ``.lock``."""

    name = "sqlite"

    def create_engine(self, database: Path, *, read_only: bool = False) -> Engine:
        return create_sqlite_engine(database, read_only=read_only)

    def database_files(self, database: Path) -> tuple[Path, ...]:
        return database_files(database)

    def integrity_problems(self, engine: Engine) -> list[str]:
        return integrity_problems(engine)

    def database_problems(self, database: Path, *, read_only: bool = False) -> list[str]:
        return database_problems(database, read_only=read_only)

    def backup(self, engine: Engine, destination: Path) -> None:
        backup_database(engine, destination)

    def storage_problem(self, exc: BaseException) -> str | None:
        return storage_problem(exc)

    def defer_constraints(self, session: Session) -> None:
        defer_constraints(session)

    def writer_lock(self, lock_file: Path) -> WriterLock:
        return FileLock(lock_file)


DIALECT: Dialect = SqliteDialect()
