"""Shared fixtures: real temporary archives, the sample articles, and an isolated per-user folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop.ingest.patterns import NewsPatterns, load_patterns
from desktop.library import Library

REPO = Path(__file__).resolve().parent.parent
SAMPLE_DIR = REPO / "data" / "sample"


@pytest.fixture(autouse=True)
def _isolated_user_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test away from the real per-user data, config and log folders."""
    home = tmp_path_factory.mktemp("home")
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))


@pytest.fixture(scope="session")
def patterns() -> NewsPatterns:
    return load_patterns()


@pytest.fixture
def sample_dir() -> Path:
    return SAMPLE_DIR


@pytest.fixture
def archive_dir(tmp_path: Path) -> Path:
    return tmp_path / "archive"


@pytest.fixture
def library(archive_dir: Path) -> Iterator[Library]:
    with Library.open(archive_dir) as opened:
        yield opened


@pytest.fixture
def seeded(library: Library, sample_dir: Path) -> Library:
    report = library.imports.paths([sample_dir])
    assert report.count("imported") == 5
    return library
