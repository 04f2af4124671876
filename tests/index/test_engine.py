"""The index folder: opening, rebuilding, applying changes, and noticing damage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.core.errors import IndexDamagedError
from desktop.core.models import ArticleText, Span
from desktop.index.engine import META_FILE, ArticleIndex
from desktop.index.query import VariantTable, parse_query


def article(article_id: int, text: str, boilerplate: tuple[Span, ...] = ()) -> ArticleText:
    return ArticleText(
        id=article_id, title=f"Title {article_id}", text=text, boilerplate=boilerplate, agency="VNA", place=None, date=None, year=None
    )


def find(index: ArticleIndex, query: str) -> list[int]:
    return [hit.id for hit in index.search(parse_query(query, VariantTable()), limit=10).hits]


def built(folder: Path, articles: list[ArticleText]) -> ArticleIndex:
    index = ArticleIndex(folder)
    index.rebuild([articles], len(articles))
    return index


def test_a_missing_index_asks_for_a_rebuild(tmp_path: Path) -> None:
    assert "missing" in (ArticleIndex(tmp_path / "index").open() or "")


def test_rebuild_then_apply_upserts_and_deletes(tmp_path: Path) -> None:
    index = built(tmp_path / "index", [article(1, "rice exports"), article(2, "coffee harvest")])
    assert index.ids() == {1, 2}
    index.apply([article(3, "tea growers"), article(1, "rice imports")], [2])
    assert index.ids() == {1, 3}
    assert find(index, "imports") == [1]
    assert find(index, "exports") == []
    index.close()


def test_boilerplate_is_not_searchable(tmp_path: Path) -> None:
    text = "Ferries run again.\nSee more"
    index = built(tmp_path / "index", [article(1, text, (Span(19, 27, "web"),))])
    assert find(index, "ferries") == [1]
    assert find(index, "more") == []
    index.close()


def test_an_old_schema_version_asks_for_a_rebuild(tmp_path: Path) -> None:
    built(tmp_path / "index", [article(1, "x y")]).close()
    (tmp_path / "index" / META_FILE).write_text(json.dumps({"schema_version": 0}), encoding="utf-8")
    assert "older version" in (ArticleIndex(tmp_path / "index").open() or "")


def test_garbled_segments_are_noticed(tmp_path: Path) -> None:
    built(tmp_path / "index", [article(i, f"word{i} common") for i in range(1, 30)]).close()
    for path in (tmp_path / "index").iterdir():
        if path.name != META_FILE:
            path.write_bytes(b"\x00garbage" * 10)
    reason = ArticleIndex(tmp_path / "index").open()
    assert reason is not None
    assert "damaged" in reason or "missing" in reason


def _garble_postings(folder: Path) -> None:
    for path in folder.glob("*.pst"):
        path.write_bytes(bytes(byte ^ 0x5A for byte in path.read_bytes()))


def test_damaged_postings_are_found_by_verify_and_by_a_search_which_records_them(tmp_path: Path) -> None:
    built(tmp_path / "index", [article(i, f"word{i} common rice") for i in range(1, 30)]).close()
    index = ArticleIndex(tmp_path / "index")
    assert index.open() is None
    assert index.verify() is None  # nothing read yet says so
    _garble_postings(tmp_path / "index")
    index = ArticleIndex(tmp_path / "index", writable=False)
    assert index.open() is None  # opening reads no postings
    assert "damaged" in (index.verify() or "")
    with pytest.raises(IndexDamagedError, match="Open the archive for writing"):
        find(index, "rice")
    index.close()
    assert ArticleIndex(tmp_path / "index").open() is None, "a read-only reader recorded nothing"
    index = ArticleIndex(tmp_path / "index")
    index.open()
    with pytest.raises(IndexDamagedError, match="rebuilt from the archive the next time"):
        find(index, "common")
    index.close()
    assert "damaged" in (ArticleIndex(tmp_path / "index").open() or "")


def test_an_error_of_ours_is_not_taken_for_damage(tmp_path: Path) -> None:
    index = built(tmp_path / "index", [article(1, "rice exports")])
    with pytest.raises(ValueError, match="unknown sort"):  # the index reads whole: the error is raised as it is
        index.search(parse_query("rice", VariantTable()), limit=5, sort="nonsense")
    assert index.damage is None
    assert find(index, "rice") == [1]
    index.close()


def test_a_search_after_another_process_merged_the_segments_away_reads_the_new_ones(tmp_path: Path) -> None:
    """The indexing process's commits merge segments and delete their files, which this searcher may not have opened."""
    index = built(tmp_path / "index", [article(i, f"word{i} common") for i in range(1, 21)])
    other = ArticleIndex(tmp_path / "index")  # the indexing process's copy
    assert other.open() is None
    for i in range(21, 41):
        other.apply([article(i, f"word{i} common")], [])
    other.close()
    assert len(find(index, "common")) == 10  # no error, and the new segments read
    assert index.damage is None
    assert index.search(parse_query("common", VariantTable()), limit=50).total == 40
    index.close()


def test_a_rebuild_clears_the_damage(tmp_path: Path) -> None:
    articles = [article(i, f"word{i} common rice") for i in range(1, 10)]
    built(tmp_path / "index", articles).close()
    _garble_postings(tmp_path / "index")
    index = ArticleIndex(tmp_path / "index")
    index.open()
    with pytest.raises(IndexDamagedError):
        find(index, "rice")
    index.rebuild([articles], len(articles))
    assert index.damage is None
    assert len(find(index, "rice")) == 9
    assert index.verify() is None
    index.close()


def test_a_broken_query_falls_back_to_words(tmp_path: Path) -> None:
    index = built(tmp_path / "index", [article(1, "rice exports grow")])
    for query in ['"rice exports', "(rice", "NOT", "rice AND", "title:", ")))", "*"]:
        find(index, query)  # never raises
    index.close()
