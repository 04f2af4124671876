"""The Library facade on real archives: import outcomes, duplicates, clusters, search, check, recovery."""

from __future__ import annotations

import shutil
import sqlite3
import unicodedata
from pathlib import Path

import pytest

from desktop.core.errors import ArchiveLockedError, KnownError, ReadOnlyArchiveError
from desktop.index.engine import ArticleIndex
from desktop.library import Library
from tests.stories import write_stories


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A folder of input files, apart from the archive folder."""
    folder = tmp_path / "input"
    folder.mkdir()
    return folder


WIRE = (
    "Mekong provinces step up drought response\n\n"
    "Can Tho (VNA) – Provinces in the Mekong Delta have stepped up measures against drought and saltwater intrusion, "
    "officials said at a meeting on Tuesday. Farmers were advised to store fresh water and to delay planting of the "
    "winter-spring rice crop in the worst hit districts. The agriculture ministry will send pumps and water tanks to "
    "the coastal provinces, and experts will visit farms to advise on salt-tolerant varieties. Local authorities also "
    "plan to dredge canals and build temporary dams to keep salt water out of the fields during the dry season.\n"
    "VNA\n"
)


def test_import_reports_one_outcome_per_file_and_duplicates_the_second_time(library: Library, sample_dir: Path) -> None:
    first = library.imports.paths([sample_dir])
    assert [o.outcome for o in first.outcomes] == ["imported"] * 5
    second = library.imports.paths([sample_dir])
    assert [o.outcome for o in second.outcomes] == ["duplicate"] * 5
    assert [o.duplicate_of for o in second.outcomes] == [o.id for o in first.outcomes]
    assert library.articles.count() == 5
    assert library.check.run().ok


def test_the_original_is_kept_byte_for_byte_with_its_hash(seeded: Library, sample_dir: Path) -> None:
    import hashlib

    for summary in seeded.articles.summaries():
        detail = seeded.articles.get(summary.id)
        original = seeded.articles.original(summary.id)
        assert original == Path(detail.source).read_bytes()
        assert hashlib.sha256(original).hexdigest() == detail.sha256


def test_a_duplicate_with_other_line_endings_and_encoding_is_reported(library: Library, source: Path) -> None:
    (source / "a.txt").write_bytes(WIRE.encode("utf-8"))
    (source / "b.txt").write_bytes(b"\xef\xbb\xbf" + WIRE.replace("\n", "\r\n").encode("utf-8"))
    (source / "c.txt").write_bytes(WIRE.encode("utf-16"))
    report = library.imports.paths([source])
    assert [(o.outcome, o.duplicate_of) for o in report.outcomes] == [("imported", None), ("duplicate", 1), ("duplicate", 1)]


def test_a_lightly_edited_wire_story_joins_a_cluster_and_others_do_not(library: Library, source: Path) -> None:
    edited = WIRE.replace("on Tuesday", "on Tuesday morning").replace("VNA\n", "VNS\n").replace("Can Tho (VNA)", "CAN THO —")
    (source / "1.txt").write_text(WIRE, encoding="utf-8")
    (source / "2.txt").write_text(edited, encoding="utf-8")
    write_stories(source / "other", 6)
    report = library.imports.paths([source])
    assert report.count("imported") == 8
    first, second = report.outcomes[0].id, report.outcomes[1].id
    assert first is not None
    assert second is not None
    assert library.articles.get(first).cluster == (first, second)
    assert library.articles.get(second).cluster == (first, second)
    for outcome in report.outcomes[2:]:
        assert outcome.id is not None
        assert library.articles.get(outcome.id).cluster == ()


def test_the_seeds_are_not_near_duplicates_of_each_other(seeded: Library) -> None:
    assert all(seeded.articles.get(s.id).cluster == () for s in seeded.articles.summaries())


def test_a_bad_file_among_good_ones_is_skipped_and_the_rest_imported(library: Library, source: Path) -> None:
    paths = write_stories(source, 12)
    paths[3].write_bytes(b"\x00\x01\x02binary")
    paths[7].write_bytes(b"")
    (source / "scan.pdf").write_bytes(b"%PDF-1.4")
    report = library.imports.paths([source])
    assert len(report.outcomes) == 13
    assert report.count("imported") == 10
    assert report.count("skipped") == 3
    assert all(o.reason for o in report.outcomes if o.outcome == "skipped")


def test_import_reports_progress_and_can_be_cancelled_keeping_what_was_committed(library: Library, source: Path) -> None:
    write_stories(source, 10)
    seen: list[tuple[int, int]] = []
    report = library.imports.paths(
        [source], progress=lambda done, total, _label: seen.append((done, total)), cancelled=lambda: len(seen) >= 4
    )
    assert report.cancelled
    assert seen == [(1, 10), (2, 10), (3, 10), (4, 10)]
    assert report.count("imported") == 4
    assert report.count("skipped") == 6
    assert {o.reason for o in report.outcomes if o.outcome == "skipped"} == {"import cancelled before this file"}
    assert library.articles.count() == 4
    assert library.check.run().ok


def test_search_marks_accented_words_for_a_plain_query(seeded: Library) -> None:
    hits = seeded.search.find("nguyen phu trong").hits
    assert len(hits) == 1
    assert "<mark>Nguyễn Phú Trọng</mark>" in hits[0].snippet
    nfd = seeded.search.find(unicodedata.normalize("NFD", "Nguyễn Phú Trọng")).hits
    assert [hit.id for hit in nfd] == [hits[0].id]


def test_search_keeps_us_and_may_and_stems(seeded: Library) -> None:
    assert {hit.id for hit in seeded.search.find("US").hits} == {1, 2, 4, 5}  # every seed but the one on global parties
    assert seeded.search.find("delegations").hits  # stems to match "delegation"


def test_search_does_not_find_boilerplate(seeded: Library) -> None:
    assert seeded.search.find("keywords").hits == ()
    assert seeded.search.find("quý độc giả").hits == ()


def test_snippets_escape_markup_in_articles(library: Library, source: Path) -> None:
    (source / "x.txt").write_text("Script test\n\nThe <script>alert('rice')</script> & rice story.\nMore rice.", encoding="utf-8")
    library.imports.paths([source])
    snippet = library.search.find("rice").hits[0].snippet
    assert "<script>" not in snippet
    assert "&lt;script&gt;" in snippet


def test_empty_and_broken_queries_explain_instead_of_failing(seeded: Library) -> None:
    assert seeded.search.find("   ").explanation
    for query in ['"Viet Nam', "(party", "NOT", "AND OR", "title:(", "\x00", "*?~^"]:
        seeded.search.find(query)


def test_check_names_an_original_that_no_longer_matches_its_hash(seeded: Library) -> None:
    with sqlite3.connect(seeded.folder.database) as connection:
        connection.execute("UPDATE originals SET data = X'00' WHERE id = 2")
    connection.close()
    report = seeded.check.run()
    assert not report.ok
    assert any("#2" in problem and "SHA-256" in problem for problem in report.problems)


def test_a_deleted_index_is_rebuilt_on_open(archive_dir: Path, sample_dir: Path) -> None:
    with Library.open(archive_dir) as library:
        library.imports.paths([sample_dir])
    shutil.rmtree(archive_dir / "index")
    with Library.open(archive_dir) as library:
        assert any("Rebuilt the search index" in notice for notice in library.notices)
        assert library.check.run().ok
        assert library.search.find("Washington").hits


def test_a_garbled_index_is_rebuilt_on_open(archive_dir: Path, sample_dir: Path) -> None:
    with Library.open(archive_dir) as library:
        library.imports.paths([sample_dir])
    for path in (archive_dir / "index").iterdir():
        path.write_bytes(b"garbage")
    with Library.open(archive_dir) as library:
        assert library.check.run().ok


def test_an_index_missing_articles_is_caught_up_on_open(archive_dir: Path, sample_dir: Path) -> None:
    with Library.open(archive_dir) as library:
        library.imports.paths([sample_dir])
    index = ArticleIndex(archive_dir / "index")
    assert index.open() is None
    index.apply([], [2, 4])
    index.close()
    with Library.open(archive_dir) as library:
        report = library.check.run()
        assert report.ok
        assert report.indexed == 5


def test_pending_queue_rows_are_drained_on_open(archive_dir: Path, sample_dir: Path) -> None:
    with Library.open(archive_dir) as library:
        library.imports.paths([sample_dir])
    with sqlite3.connect(archive_dir / "archive.sqlite") as connection:
        connection.execute("INSERT INTO index_queue (article_id, op, queued_at) VALUES (3, 'upsert', '2026-01-01')")
    connection.close()
    with Library.open(archive_dir) as library, sqlite3.connect(archive_dir / "archive.sqlite") as connection:
        assert connection.execute("SELECT count(*) FROM index_queue").fetchone() == (0,)
        assert library.check.run().ok


def test_reindex_rebuilds_from_the_store(seeded: Library) -> None:
    assert seeded.index.reindex() == 5
    assert seeded.check.run().ok


def test_a_second_writer_is_refused_and_a_reader_is_allowed(seeded: Library) -> None:
    with pytest.raises(ArchiveLockedError, match="open in another Archive Browser"):
        Library.open(seeded.folder.root)
    with Library.open(seeded.folder.root, read_only=True) as reader:
        assert reader.read_only
        assert reader.articles.count() == 5
        assert reader.search.find("Washington").hits
        with pytest.raises(ReadOnlyArchiveError):
            reader.imports.paths([Path("/nonexistent")])


def test_the_lock_is_released_on_close(archive_dir: Path) -> None:
    Library.open(archive_dir).close()
    Library.open(archive_dir).close()


def test_read_only_needs_an_existing_archive(source: Path) -> None:
    with pytest.raises(KnownError, match="no archive"):
        Library.open(source / "nothing", read_only=True)


def test_a_folder_of_awkward_inputs_gives_each_file_its_one_outcome(library: Library, source: Path) -> None:
    from tests.ingest.test_decode import to_cp1258

    vietnamese = "Đà Nẵng mở đường bay mới\n\nĐà Nẵng (TTXVN) – Thành phố Đà Nẵng mở đường bay mới tới Huế.\nTTXVN"
    (source / "legacy-vietnamese.txt").write_bytes(to_cp1258(vietnamese))
    (source / "legacy-western.txt").write_bytes("Café owners meet\n\nHUE – Café owners met on Monday — “again”.".encode("cp1252"))
    (source / "utf16-bom.txt").write_bytes("Ferry news\n\nCan Tho (VNA) – Ferries ran late.".encode("utf-16"))
    (source / "utf16-nobom.txt").write_bytes("Rail news\n\nHanoi (VNA) – Trains ran on time today.".encode("utf-16-le"))
    (source / "nfd.txt").write_text(
        unicodedata.normalize("NFD", "Tin Hà Nội\n\nHà Nội (VNA) – Nguyễn Phú Trọng tiếp đoàn khách."), encoding="utf-8"
    )
    (source / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (source / "empty.txt").write_bytes(b"")
    (source / "huge.txt").write_text("Long report\n\n" + "The delta grows rice. " * 100_000, encoding="utf-8")
    (source / "too-huge.txt").write_text("x " * 1_600_000, encoding="utf-8")
    (source / "story.txt").write_text(WIRE, encoding="utf-8")
    (source / "story-crlf.txt").write_bytes(WIRE.replace("\n", "\r\n").encode("utf-8"))
    (source / "unreadable.txt").symlink_to(source / "nowhere.txt")
    (source / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    report = library.imports.paths([source], max_bytes=3_000_000)
    outcomes = {Path(o.path).name: o for o in report.outcomes}
    assert len(outcomes) == len(report.outcomes) == 13
    # the two copies of one story differ only in line endings; folders are read in name order
    imported = {"legacy-vietnamese.txt", "legacy-western.txt", "utf16-bom.txt", "utf16-nobom.txt", "nfd.txt", "huge.txt", "story-crlf.txt"}
    assert {name for name, o in outcomes.items() if o.outcome == "imported"} == imported
    assert outcomes["story.txt"].outcome == "duplicate"
    assert outcomes["story.txt"].duplicate_of == outcomes["story-crlf.txt"].id
    skipped = {name: o.reason or "" for name, o in outcomes.items() if o.outcome == "skipped"}
    assert set(skipped) == {"binary.txt", "empty.txt", "too-huge.txt", "unreadable.txt", "photo.png"}
    assert "binary" in skipped["binary.txt"]
    assert "empty" in skipped["empty.txt"]
    assert "too large" in skipped["too-huge.txt"]
    assert "cannot read" in skipped["unreadable.txt"]
    assert "unsupported" in skipped["photo.png"]
    legacy = library.articles.get(outcomes["legacy-vietnamese.txt"].id or 0)
    assert (legacy.summary.title, legacy.summary.agency, legacy.summary.place, legacy.encoding) == (
        "Đà Nẵng mở đường bay mới",
        "VNA",
        "Đà Nẵng",
        "cp1258",
    )
    assert [hit.id for hit in library.search.find("Nguyễn Phú Trọng").hits] == [outcomes["nfd.txt"].id]
    assert library.check.run().ok


def test_cancelling_inside_a_mailbox_keeps_the_messages_committed_and_says_where_it_stopped(tmp_path: Path) -> None:
    mbox = tmp_path / "desk.mbox"
    messages = [
        f"From desk@example.com Mon Mar  4 09:00:00 2024\nSubject: Story {n}\nFrom: Desk <desk@example.com>\n\n"
        f"HANOI (VNA) – Story number {n} about the Mekong Delta harvest, told in a sentence of its own.\n\n"
        for n in range(1, 6)
    ]
    mbox.write_text("".join(messages), encoding="utf-8")
    later = tmp_path / "later.txt"
    later.write_text("A later file\n\nHUE (VNA) – Never read: the import was cancelled before it.\n", encoding="utf-8")
    seen: list[str] = []
    with Library.open(tmp_path / "archive") as library:
        report = library.imports.paths([mbox, later], on_outcome=lambda o: seen.append(o.outcome), cancelled=lambda: len(seen) >= 2)
        assert report.cancelled
        assert [o.outcome for o in report.outcomes] == ["imported", "imported", "skipped", "skipped"]
        assert report.outcomes[2].reason == "import cancelled after part 2 of this file"
        assert report.outcomes[3].reason == "import cancelled before this file"
        assert library.articles.count() == 2
        assert library.check.run().ok
