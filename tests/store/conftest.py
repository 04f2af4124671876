"""Store fixtures: a real SQLite database at the head revision, written through the repository alone (no Library)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.models import ParsedArticle
from desktop.store import migrate, repo
from desktop.store.sqlite import create_sqlite_engine


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    created = create_sqlite_engine(tmp_path / "archive.sqlite")
    migrate.upgrade(created)
    yield created
    created.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def add_article(session: Session, article: ParsedArticle, *, source: str | None = None) -> int:
    """Store ``article`` as an import would, its bytes being its text."""
    data = article.text.encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    return repo.insert_article(
        session,
        article,
        data=data,
        sha256=digest,
        original_name=f"{article.title}.txt",
        source=source or f"/news/{article.title}.txt",
        encoding="utf-8",
        text_hash=digest,
        minhash=None,
    )
