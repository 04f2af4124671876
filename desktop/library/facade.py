"""The one object both faces hold: an open archive, its capabilities as attributes (``library.tags.rename(...)``)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from desktop.archive_folder import ArchiveFolder, ArchiveLock, default_archive_dir, put_backup_in_place, refuse_damaged
from desktop.core.errors import KnownError
from desktop.index.engine import ArticleIndex
from desktop.ingest.patterns import NewsPatterns, load_patterns
from desktop.library.annotations import Annotations
from desktop.library.articles import Articles
from desktop.library.backups import Backups
from desktop.library.check import Check
from desktop.library.edits import Edits
from desktop.library.exports import Exports
from desktop.library.imports import Imports
from desktop.library.indexing import Indexing
from desktop.library.notes import Notes
from desktop.library.search import Search
from desktop.library.tags import Tags
from desktop.library.unit_of_work import Progress, UnitOfWork, storage_reason
from desktop.library.vocabulary import Vocabulary


class Library:
    """One open archive. Use :meth:`open`; close it (or use ``with``) to release the writer lock.

    Each capability is an attribute: ``articles``, ``search``, ``tags``, ``notes``, ``annotations``,
    ``imports``, ``exports``, ``vocabulary``, ``backups``, ``index``, ``check``, ``edits``. Every write
    is one transaction; every undoable one returns an ``Edit`` that ``edits.undo`` and ``edits.redo`` take.
    """

    def __init__(
        self, *, folder: ArchiveFolder, uow: UnitOfWork, index: ArticleIndex, patterns: NewsPatterns, lock: ArchiveLock | None
    ) -> None:
        self.folder = folder
        self.patterns = patterns
        self.notices: list[str] = []
        self._uow = uow
        self._lock = lock
        self.index = Indexing(uow, folder, index, self.notices)
        self.edits = Edits(uow, self.index)
        self.articles = Articles(uow, self.index, self.edits, patterns)
        self.search = Search(uow, self.index)
        self.tags = Tags(uow, self.edits)
        self.notes = Notes(uow, self.edits)
        self.annotations = Annotations(uow, self.edits)
        self.imports = Imports(uow, self.index, patterns)
        self.vocabulary = Vocabulary(uow)
        self.exports = Exports(uow, self.index, self.search, self.vocabulary)
        self.backups = Backups(uow, self.index, folder, self.notices)
        self.check = Check(uow, self.index)

    @classmethod
    def open(
        cls,
        root: Path,
        *,
        read_only: bool = False,
        progress: Progress | None = None,
        prepare_index: bool = True,
        restore: str | None = None,
    ) -> Library:
        """Open (creating if needed) the archive in ``root``, migrate it after a backup, and bring its index up to date.

        With ``prepare_index=False`` the index is left for ``index.prepare()``, so a window can show
        the table first and catch the index up in the background. ``restore`` names a backup to put in
        place of a database too damaged to open (the damaged file is moved into ``backups/``).

        Raises:
            ArchiveLockedError: another process holds the archive for writing.
            DatabaseDamagedError: the database fails SQLite's integrity check; nothing was changed.
        """
        folder = ArchiveFolder(root)
        if read_only:
            if not folder.database.exists():
                raise KnownError(f"There is no archive in {root}.")
            refuse_damaged(folder, read_only=True)
            return cls._open_read_only(folder)
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise KnownError(f"Cannot create the archive folder {root}: {exc.strerror or exc}") from exc
        lock = ArchiveLock(folder.lock_file)
        lock.acquire()
        uow: UnitOfWork | None = None
        try:
            restored = [put_backup_in_place(folder, restore)] if restore else []
            refuse_damaged(folder)
            uow = UnitOfWork(folder.database, read_only=False)
            notices = restored + uow.upgrade(folder)
            library = cls(folder=folder, uow=uow, index=ArticleIndex(folder.index), patterns=load_patterns(folder.patterns), lock=lock)
            library.notices.extend(notices)
            library.vocabulary.add_shipped_variants()
            if prepare_index:
                library.index.prepare(progress)
            return library
        except BaseException as exc:
            if uow is not None:
                uow.dispose()
            lock.release()
            reason = storage_reason(exc)
            if reason:  # a full or failing disk while opening: say so, not as a bug
                raise KnownError(f"Cannot open the archive {root}: {reason}. Nothing saved in it was changed.") from exc
            raise

    @classmethod
    def _open_read_only(cls, folder: ArchiveFolder) -> Library:
        uow = UnitOfWork(folder.database, read_only=True)
        if uow.needs_upgrade():
            uow.dispose()
            raise KnownError("This archive needs an upgrade; open it for writing once (close the other Archive Browser first).")
        index = ArticleIndex(folder.index, writable=False)
        problem = index.open()
        library = cls(folder=folder, uow=uow, index=index, patterns=load_patterns(folder.patterns), lock=None)
        library.index.problem = problem
        library.notices.append("Opened read-only: another Archive Browser has this archive open for writing.")
        return library

    def close(self) -> None:
        self.index.close()
        self._uow.dispose()
        if self._lock is not None:
            self._lock.release()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def read_only(self) -> bool:
        """Opened read-only (another process holds the archive for writing): every write raises ReadOnlyArchiveError."""
        return self._lock is None


@contextlib.contextmanager
def sample_files() -> Iterator[list[Path]]:
    """The bundled sample articles as real paths (extracted to a temporary folder when frozen in a zip)."""
    folder = resources.files("desktop.data").joinpath("sample")
    with resources.as_file(folder) as path:
        yield sorted(p for p in Path(path).iterdir() if p.suffix == ".txt")


@contextlib.contextmanager
def format_samples() -> Iterator[list[Path]]:
    """One bundled file of each import format (the packaged app's self-test imports them all)."""
    folder = resources.files("desktop.data").joinpath("formats")
    with resources.as_file(folder) as path:
        yield sorted(p for p in Path(path).iterdir() if p.is_file() and not p.name.startswith(("_", ".")))


def open_default_archive(progress: Progress | None = None, *, prepare_index: bool = True) -> Library:
    """Open the per-user archive, creating it and filling it with the sample articles on first run."""
    root = default_archive_dir()
    first_run = not ArchiveFolder(root).database.exists()
    library = Library.open(root, progress=progress, prepare_index=prepare_index)
    if first_run and library.articles.count() == 0:
        if not prepare_index:
            library.index.prepare(progress)
        with sample_files() as paths:
            library.imports.paths(paths, progress=progress)
        library.notices.append(f"Created your archive in {root} with {library.articles.count()} sample articles.")
    return library
