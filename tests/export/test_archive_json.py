"""JSON export and import: a round trip gives the same archive; importing twice adds nothing."""

from __future__ import annotations

import io
import json
import os
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.cli import main
from desktop.core.errors import KnownError
from desktop.library import Library
from tests.stories import write_stories
from tests.test_editing import dump


@pytest.fixture
def worked_on(seeded: Library) -> Library:
    seeded.tags.change([1, 2], add=["Party/Diplomacy/US"])
    seeded.tags.set_colour("Party", "#aa3300")
    seeded.notes.add(3, 'Ask about the "Moroccan" ambassador,\nsecond line')
    seeded.annotations.add_quote(4, "Nguyễn Phú Trọng", note="General Secretary", tags=["People/Leaders"])
    seeded.vocabulary.add_variants(["Ngo Le Van", "Ngô Lê Văn"])
    seeded.vocabulary.save_search("Presidents", "Biden OR Trump")
    seeded.articles.trash([5])
    return seeded


def test_export_import_export_gives_identical_files_and_the_same_archive(worked_on: Library, tmp_path: Path) -> None:
    first = tmp_path / "first.json"
    assert worked_on.exports.json(first) == 5
    document = json.loads(first.read_text(encoding="utf-8"))
    assert (document["format"], document["version"]) == ("archive-browser-json", 1)
    with Library.open(tmp_path / "copy") as copy:
        assert copy.exports.import_json(first) == {"articles": 5, "merged": 0}
        second = tmp_path / "second.json"
        copy.exports.json(second)
        assert second.read_bytes() == first.read_bytes()
        assert dump(copy) == dump(worked_on)
        assert copy.check.run().ok
        assert [hit.id for hit in copy.search.find("annotation:secretary").hits] == [4]
        assert copy.articles.original(4) == worked_on.articles.original(4)
        assert [s.id for s in copy.articles.trashed()] == [5]


def test_importing_into_a_non_empty_archive_merges_without_duplicates(worked_on: Library, tmp_path: Path, sample_dir: Path) -> None:
    exported = tmp_path / "export.json"
    worked_on.exports.json(exported)
    with Library.open(tmp_path / "other") as other:
        other.imports.paths([sorted(sample_dir.glob("*.txt"))[0]])
        other.tags.change([1], add=["Local"])
        counts = other.exports.import_json(exported)
        assert counts == {"articles": 4, "merged": 1}
        before = dump(other)
        assert other.exports.import_json(exported) == {"articles": 0, "merged": 5}
        assert dump(other) == before
        assert {tag.name for tag in other.tags.all()} >= {"Local", "Party/Diplomacy/US", "People/Leaders"}
        assert [name for name, _query in other.vocabulary.saved_searches()] == ["Presidents"]
        assert other.check.run().ok


def test_a_file_that_is_not_an_export_is_refused(library: Library, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(KnownError, match="not an Archive Browser JSON export"):
        library.exports.import_json(wrong)


def test_json_from_the_command_line(worked_on: Library, tmp_path: Path) -> None:
    worked_on.close()
    out, err = io.StringIO(), io.StringIO()
    assert main(["--archive", str(worked_on.folder.root), "export", "json", str(tmp_path / "all.json")], out=out, err=err) == 0
    assert main(["--archive", str(tmp_path / "new"), "import-json", str(tmp_path / "all.json"), "--json"], out=out, err=err) == 0, (
        err.getvalue()
    )
    assert '"articles": 5' in out.getvalue()


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    stories=st.integers(min_value=1, max_value=6),
    tags=st.lists(st.tuples(st.integers(min_value=1, max_value=6), st.sampled_from(["A", "A/B", "Ä/ß", "C D"])), max_size=5),
    notes=st.lists(st.tuples(st.integers(min_value=1, max_value=6), st.text(min_size=1, max_size=30).filter(str.strip)), max_size=3),
)
def test_random_archives_survive_the_round_trip(
    tmp_path_factory: pytest.TempPathFactory, stories: int, tags: list[tuple[int, str]], notes: list[tuple[int, str]]
) -> None:
    random.seed(os.urandom(16))  # Whoosh names segments with the random module, which Hypothesis replays
    work = tmp_path_factory.mktemp("roundtrip")
    write_stories(work / "in", stories, seed=stories)
    with Library.open(work / "a") as original:
        original.imports.paths([work / "in"])
        for article_id, tag in tags:
            if article_id <= stories:
                original.tags.change([article_id], add=[tag])
        for article_id, body in notes:
            if article_id <= stories:
                original.notes.add(article_id, body)
        if stories >= 2:
            original.annotations.add(2, 0, 5, note="start", tags=["Z"])
        original.exports.json(work / "first.json")
    with Library.open(work / "b") as copy:
        copy.exports.import_json(work / "first.json")
        copy.exports.json(work / "second.json")
        assert copy.check.run().ok
    assert (work / "second.json").read_bytes() == (work / "first.json").read_bytes()
