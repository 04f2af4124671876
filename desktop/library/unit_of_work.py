"""Sessions on the archive's database: one transaction per read or write, the read-only guard, and the caches writes clear.

Everything here that knows the database is SQLite (the engine, the online backup, the integrity check,
the plain reason for a full disk, the upgrade with a backup first) is in this one module.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from desktop.archive_folder import ArchiveFolder
from desktop.core.errors import KnownError, ReadOnlyArchiveError
from desktop.store import migrate
from desktop.store.sqlite import backup_database, create_sqlite_engine, integrity_problems, storage_problem

#: ``progress(done, total, label)``: called from the thread doing the work.
Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]

READ_ONLY_MESSAGE = "This archive is open read-only here; close the other Archive Browser to change it."


class CacheRegistry:
    """What reads keep in memory until the next write (any write may change what they hold)."""

    def __init__(self) -> None:
        self._clears: list[Callable[[], None]] = []

    def register(self, clear: Callable[[], None]) -> None:
        """``clear`` forgets one cache; it is called after every write."""
        self._clears.append(clear)

    def clear(self) -> None:
        for clear in self._clears:
            clear()


class UnitOfWork:
    """The database of one open archive: ``read()`` and ``write()`` each give one session in one transaction."""

    def __init__(self, database: Path, *, read_only: bool) -> None:
        self.database = database
        self.read_only = read_only
        self.caches = CacheRegistry()
        self.engine = create_sqlite_engine(database, read_only=read_only)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction that commits when the block ends; a full or failing disk becomes a :class:`KnownError`."""
        self.require_writable()
        try:
            with self._sessions() as session, session.begin():
                yield session
        except DBAPIError as exc:
            reason = storage_problem(exc)
            if reason is None:
                raise
            raise KnownError(
                f"Could not save to the archive: {reason}. This change was not saved; everything saved before is kept."
            ) from exc
        finally:
            self.caches.clear()  # any write may change what the table shows, and in which order

    def require_writable(self, message: str = READ_ONLY_MESSAGE) -> None:
        if self.read_only:
            raise ReadOnlyArchiveError(message)

    def dispose(self) -> None:
        self.engine.dispose()

    def reconnect(self) -> None:
        """A new engine on the database file (after another file was put in its place)."""
        self.engine.dispose()
        self.engine = create_sqlite_engine(self.database, read_only=self.read_only)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.caches.clear()

    # SQLite ------------------------------------------------------------------------------------------------
    def backup_to(self, target: Path) -> None:
        """A consistent copy of the live database (SQLite's online backup API)."""
        backup_database(self.engine, target)

    def integrity_problems(self) -> list[str]:
        return integrity_problems(self.engine)

    def needs_upgrade(self) -> bool:
        return migrate.needs_upgrade(self.engine)[0]

    def upgrade(self, folder: ArchiveFolder) -> list[str]:
        """Bring the schema up to date, keeping a backup of the previous version first; return what to tell the user."""
        needs, has_tables = migrate.needs_upgrade(self.engine)
        if not needs:
            return []
        notices = []
        if has_tables:
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            target = folder.backups / f"before-upgrade-{stamp}.sqlite"
            self.backup_to(target)
            notices.append(f"Upgraded the archive; the previous version is kept in {target}.")
        try:
            migrate.upgrade(self.engine)
        except Exception as exc:
            what = "upgrade the archive (nothing was changed)" if has_tables else "create the archive's tables"
            raise KnownError(f"Could not {what}: {storage_problem(exc) or exc}") from exc
        return notices


def storage_reason(exc: BaseException) -> str | None:
    """The plain reason when ``exc`` is the disk failing (full, read-only, I/O error); None for anything else."""
    return storage_problem(exc) or (exc.strerror if isinstance(exc, OSError) else None)
