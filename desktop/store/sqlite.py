"""Everything SQLite-specific lives here: engine pragmas, transactional BEGIN, online backup, integrity check."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session


def create_sqlite_engine(path: Path, *, read_only: bool = False) -> Engine:
    """An engine on ``path`` in WAL mode with foreign keys on and real transactions (DDL included)."""
    url = f"sqlite:///file:{path.as_posix()}?mode=ro&uri=true" if read_only else f"sqlite:///{path.as_posix()}"
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


def _canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def backup_database(engine: Engine, destination: Path) -> None:
    """Copy the live database to ``destination`` with SQLite's online backup API (consistent under writes)."""
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
    finally:
        raw.close()
    partial.replace(destination)


def integrity_problems(engine: Engine) -> list[str]:
    """The lines of ``PRAGMA quick_check`` other than ``ok``."""
    with engine.connect() as connection:
        rows = connection.execute(text("PRAGMA quick_check")).scalars().all()
    return [str(row) for row in rows if row != "ok"]


def defer_constraints(session: Session) -> None:
    """Check foreign keys at commit rather than per statement, for the rest of this transaction.

    Undo writes rows back in an order that can pass through states no single statement may leave
    (a tag's parent deleted a moment before the tag is moved back under its old parent).
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA defer_foreign_keys = ON"))
