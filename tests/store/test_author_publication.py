"""Migration 0007: articles gain an author and a publication, kept from an older archive and written on import."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from alembic import command
from sqlalchemy import Engine, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.models import ParsedArticle, PartialDate
from desktop.store import migrate, repo
from desktop.store.models import Article
from desktop.store.sqlite import create_sqlite_engine
from tests.store.conftest import add_article


def _upgrade(engine: Engine, revision: str) -> None:
    config = migrate.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def test_an_archive_at_0006_keeps_its_articles_and_gains_empty_author_and_publication(tmp_path: Path) -> None:
    path = tmp_path / "archive.sqlite"
    engine = create_sqlite_engine(path)
    _upgrade(engine, "0006")
    engine.dispose()
    with sqlite3.connect(path) as raw:
        for number in (1, 2):
            text = f"Story {number}"
            digest = hashlib.sha256(text.encode()).hexdigest()
            raw.execute(
                "INSERT INTO originals (id, sha256, data, original_name, source, encoding, size) VALUES (?, ?, ?, ?, ?, 'utf-8', ?)",
                (number, digest, text.encode(), f"{number}.txt", f"/news/{number}.txt", len(text)),
            )
            raw.execute(
                "INSERT INTO articles (id, original_id, title, title_kind, agency, date_precision, text, boilerplate, text_hash,"
                " imported_at, modified_at) VALUES (?, ?, ?, 'headline', 'VNA', 'unknown', ?, '[]', ?, '2026-12-01', '2026-12-01')",
                (number, number, text, text, digest),
            )
    raw.close()
    engine = create_sqlite_engine(path)
    try:
        assert migrate.needs_upgrade(engine) == (True, True)
        migrate.upgrade(engine)
        assert migrate.needs_upgrade(engine) == (False, True)
        with engine.connect() as connection:
            columns = {column["name"]: column for column in inspect(connection).get_columns("articles")}
            indexes = {index["name"]: index["column_names"] for index in inspect(connection).get_indexes("articles")}
        assert columns["author"]["nullable"]
        assert columns["publication"]["nullable"]
        assert indexes["ix_articles_publication"] == ["publication"]
        with Session(engine) as session:
            columns_read = (Article.id, Article.title, Article.agency, Article.author, Article.publication)
            rows = session.execute(select(*columns_read).order_by(Article.id))
            assert [tuple(row) for row in rows] == [(1, "Story 1", "VNA", None, None), (2, "Story 2", "VNA", None, None)]
            # the older articles read as before
            assert [summary.title for summary in repo.list_summaries(session)] == ["Story 1", "Story 2"]
    finally:
        engine.dispose()


def test_the_downgrade_to_0006_drops_both_columns_and_keeps_the_articles(engine: Engine, sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        add_article(session, ParsedArticle("Kept", "headline", "Kept\n\nbody", author="Lan Anh", publication="Tuoi Tre"))
    config = migrate.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")
    with engine.connect() as connection:
        assert "author" not in {column["name"] for column in inspect(connection).get_columns("articles")}
        assert migrate.current_revision(connection) == "0006"
        assert connection.exec_driver_sql("SELECT title FROM articles").scalars().all() == ["Kept"]


def test_insert_article_writes_the_author_and_the_publication(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        signed_story = ParsedArticle("Rice", "headline", "Rice\n\nBody.", agency="VNA", author="Minh Chau", publication="Nhan Dan")
        signed = add_article(session, signed_story)
        unsigned = add_article(session, ParsedArticle("Port opens", "headline", "Port opens\n\nBody."))
    with sessions() as session:
        stored = {row.id: (row.agency, row.author, row.publication) for row in session.scalars(select(Article))}
    assert stored == {signed: ("VNA", "Minh Chau", "Nhan Dan"), unsigned: (None, None, None)}


def test_replace_source_takes_the_corrected_author_and_publication(sessions: sessionmaker[Session]) -> None:
    first = ParsedArticle("Flood warning", "headline", "Flood warning\n\nRain.", author="Wrong Name", publication="Old Paper")
    with sessions.begin() as session:
        article_id = add_article(session, first, source="/news/flood.txt")
    corrected = ParsedArticle(
        "Flood warning", "headline", "Flood warning\n\nHeavy rain.", date=PartialDate(2023, 7, 3), author="Right Name", publication=None
    )
    data = corrected.text.encode()
    digest = hashlib.sha256(data).hexdigest()
    with sessions.begin() as session:
        assert repo.find_by_source(session, "/news/flood.txt") == article_id
        repo.replace_source(session, article_id, corrected, data=data, sha256=digest, encoding="utf-8", text_hash=digest)
    with sessions() as session:
        row = session.get(Article, article_id)
        assert row is not None
        assert (row.author, row.publication, row.date_key, row.text) == ("Right Name", None, "2023-07-03", corrected.text)
        assert repo.original_bytes(session, article_id) == data
