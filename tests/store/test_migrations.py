"""The schema: migrations match the models, run on open after a backup, and roll back on failure."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from desktop.core.errors import KnownError
from desktop.library import Library
from desktop.store.migrate import head_revision
from desktop.store.models import Base
from desktop.store.sqlite import create_sqlite_engine


def test_a_new_archive_is_at_head_in_wal_mode_with_foreign_keys(library: Library) -> None:
    engine = create_sqlite_engine(library.folder.database)
    with engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == head_revision()
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_migrations_create_exactly_the_models(library: Library) -> None:
    engine = create_sqlite_engine(library.folder.database)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def test_a_failing_migration_changes_nothing_and_leaves_a_backup(archive_dir: Path) -> None:
    archive_dir.mkdir(parents=True)
    with sqlite3.connect(archive_dir / "archive.sqlite") as connection:
        # an older, unknown layout: the upgrade's CREATE TABLE tags fails half way through
        connection.execute("CREATE TABLE tags (label TEXT)")
        connection.execute("INSERT INTO tags VALUES ('kept')")
    connection.close()
    with pytest.raises(KnownError, match="nothing was changed"):
        Library.open(archive_dir)
    with sqlite3.connect(archive_dir / "archive.sqlite") as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert tables == {"tags"}
        assert connection.execute("SELECT label FROM tags").fetchall() == [("kept",)]
    connection.close()
    backups = list((archive_dir / "backups").glob("before-upgrade-*.sqlite"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as connection:
        assert connection.execute("SELECT label FROM tags").fetchall() == [("kept",)]
    connection.close()
    # and the lock was released: the archive can be opened again (and fails the same clear way)
    with pytest.raises(KnownError):
        Library.open(archive_dir)


def test_an_older_archive_is_backed_up_then_upgraded_keeping_its_articles(archive_dir: Path, sample_dir: Path) -> None:
    from alembic import command

    from desktop.store.migrate import alembic_config

    archive_dir.mkdir(parents=True)
    engine = create_sqlite_engine(archive_dir / "archive.sqlite")
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    engine.dispose()
    with Library.open(archive_dir) as library:
        assert any("Upgraded the archive" in notice for notice in library.notices)
        library.imports.paths([sample_dir])
    backups = list((archive_dir / "backups").glob("before-upgrade-*.sqlite"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as backup:
        assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    backup.close()
    with Library.open(archive_dir) as library:
        assert library.articles.count() == 5
        assert library.notices == []
