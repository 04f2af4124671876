"""docs/search.md is true: every example in its tables runs against the sample archive as it says."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.library import Library
from tests.conftest import REPO, SAMPLE_DIR

ROW = re.compile(r"^\| `(?P<query>[^`]+)` \| (?P<middle>.*?) \| (?P<finds>none|(?:\d{3} ?)+) \|$")


def examples() -> list[tuple[str, str, str]]:
    rows = []
    for line in (REPO / "docs" / "search.md").read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            rows.append((match.group("query"), match.group("middle"), match.group("finds")))
    return rows


@pytest.fixture(scope="module")
def sample_archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    with Library.open(tmp_path_factory.mktemp("docs") / "archive") as library:
        library.imports.paths([SAMPLE_DIR])
        yield library


def sample_number(library: Library, article_id: int) -> str:
    return Path(library.articles.get(article_id).source).name[:3]


def test_the_doc_has_examples() -> None:
    assert len(examples()) >= 30


@pytest.mark.parametrize(("query", "middle", "finds"), examples())
def test_doc_example(sample_archive: Library, query: str, middle: str, finds: str) -> None:
    result = sample_archive.search.find(query, limit=50)
    found = sorted(sample_number(sample_archive, hit.id) for hit in result.hits)
    assert found == ([] if finds == "none" else finds.split())
    if middle.startswith("Searched for"):
        assert result.explanation == middle
    else:
        assert result.explanation is None
