"""The one seam between the store and its database: what a dialect provides, and which module provides it.

Everything that differs between databases goes through :class:`Dialect`: connecting, the files a
database is made of, the integrity check, the online backup, the single-writer lock, reading a storage
failure, and checking constraints at commit. ``desktop/store/sqlite.py`` is the SQLite dialect; a
PostgreSQL store is one more module that provides ``DIALECT`` and one more row in :data:`MODULES`.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

#: dialect name (SQLAlchemy's ``engine.dialect.name``) → the module whose ``DIALECT`` implements it
MODULES: dict[str, str] = {"sqlite": "desktop.store.sqlite"}


class WriterLock(Protocol):
    """One writer at a time: ``acquire`` raises ``ArchiveLockedError`` (or ``ArchiveNotWritableError``) when it cannot."""

    def acquire(self) -> None: ...

    def release(self) -> None: ...


class Dialect(Protocol):
    """What the store and the archive folder need from a database, and nothing more."""

    name: str

    def create_engine(self, database: Path, *, read_only: bool = False) -> Engine:
        """An engine with real transactions (DDL included) and foreign keys enforced."""
        ...

    def database_files(self, database: Path) -> tuple[Path, ...]:
        """The files that together are the database (the main file first): moved, copied or removed together."""
        ...

    def integrity_problems(self, engine: Engine) -> list[str]:
        """What the database's own consistency check finds wrong with the open database (empty: nothing)."""
        ...

    def database_problems(self, database: Path, *, read_only: bool = False) -> list[str]:
        """The same check on a database that is not open (a backup, or before opening); ``KnownError`` if unreadable."""
        ...

    def backup(self, engine: Engine, destination: Path) -> None:
        """A consistent copy of the open database at ``destination``, taken while it may be written; ``OSError`` on failure."""
        ...

    def storage_problem(self, exc: BaseException) -> str | None:
        """The plain reason when ``exc`` is the database failing to write (a full or read-only disk); None otherwise."""
        ...

    def defer_constraints(self, session: Session) -> None:
        """Check foreign keys at commit, not per statement, for the rest of the transaction (the journal's undo needs it)."""
        ...

    def writer_lock(self, lock_file: Path) -> WriterLock:
        """The lock that lets one process at a time write the archive (not yet taken)."""
        ...


def dialect_named(name: str) -> Dialect:
    """The dialect called ``name`` (``sqlite``)."""
    if name not in MODULES:
        raise ValueError(f"no store dialect named {name!r}; known: {', '.join(sorted(MODULES))}")
    dialect: Dialect = importlib.import_module(MODULES[name]).DIALECT
    return dialect


def dialect_of(bind: Engine | Connection | Session) -> Dialect:
    """The dialect of an engine, a connection, or a session's bind."""
    engine = bind.get_bind() if isinstance(bind, Session) else bind
    return dialect_named(engine.dialect.name)
