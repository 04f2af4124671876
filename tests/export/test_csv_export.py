"""CSV read back with Python's csv module: every field as in the archive, nothing a spreadsheet would run."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.core.errors import KnownError
from desktop.export.csv_export import EXCEL_CELL_LIMIT, neutralise, write_csv
from desktop.library import Library

AWKWARD = (
    "Hà Nội và “đối tác”\n\n"
    'Hà Nội (TTXVN) – Ông Nguyễn Văn Ân nói: "Hợp tác, hữu nghị", và =HYPERLINK("http://example.invalid") vẫn là chữ.\n'
    "+ Dòng bắt đầu bằng dấu cộng\n@ và dấu a còng\n"
)


def read_back(path: Path, *, delimiter: str = ",") -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert b"\r\n" in raw
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


@pytest.fixture
def archive(seeded: Library, tmp_path: Path) -> Library:
    source = tmp_path / "in" / "awkward.txt"
    source.parent.mkdir()
    source.write_text(AWKWARD, encoding="utf-8")
    seeded.imports.paths([source])
    seeded.tags.change([1, 6], add=["Party/Diplomacy", "Người/Lãnh đạo"])
    seeded.notes.add(6, '=1+1 is not a formula, and "quotes", commas, and\nnew lines stay in one cell')
    seeded.annotations.add_quote(6, "Nguyễn Văn Ân", note="-the speaker", tags=["People"])
    return seeded


def test_one_row_per_article_reads_back_field_by_field(archive: Library, tmp_path: Path) -> None:
    out = tmp_path / "articles.csv"
    report = archive.exports.csv(
        out, columns=["id", "title", "agency", "place", "date", "date_precision", "sha256", "tags", "notes", "annotation_count", "text"]
    )
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = read_back(out)
    assert report.rows == len(rows) == 6
    by_id = {int(row["id"]): row for row in rows}
    awkward = by_id[6]
    detail = archive.articles.get(6)
    assert awkward["title"] == detail.summary.title == "Hà Nội và “đối tác”"
    assert awkward["agency"] == "VNA"
    assert awkward["place"] == "Hà Nội"
    assert awkward["sha256"] == detail.sha256
    assert awkward["tags"] == "Người/Lãnh đạo; Party/Diplomacy"
    assert awkward["notes"] == "'" + archive.notes.of(6)[0].body  # a would-be formula, kept as text
    assert "\n" in awkward["notes"]
    assert awkward["annotation_count"] == "1"
    assert 'Ông Nguyễn Văn Ân nói: "Hợp tác, hữu nghị"' in awkward["text"]
    assert by_id[4]["date"] == "2023-07-03"
    assert by_id[4]["date_precision"] == "day"


def test_one_row_per_annotation(archive: Library, tmp_path: Path) -> None:
    out = tmp_path / "annotations.csv"
    archive.exports.csv(out, per="annotation")
    (row,) = read_back(out)
    (record,) = archive.annotations.of(6)
    assert (row["article_id"], row["exact"], row["prefix"], row["suffix"]) == ("6", record.exact, record.prefix, record.suffix)
    assert (int(row["start"]), int(row["end"])) == (record.start, record.end)
    assert row["note"] == "'-the speaker"
    assert row["tags"] == "People"
    assert row["status"] == "anchored"


def test_scopes_and_options(archive: Library, tmp_path: Path) -> None:
    archive.vocabulary.save_search("Biden", "Biden")
    for scope, expected in [
        ("selection:2,4", {2, 4}),
        ("search:Biden OR Trump", {4, 5}),
        ("tag:Party", {1, 6}),
        ("saved:Biden", {4}),
        ("all", {1, 2, 3, 4, 5, 6}),
    ]:
        out = tmp_path / "scoped.csv"
        archive.exports.csv(out, scope=scope, columns=["id"], bom=False, delimiter=";")
        assert not out.read_bytes().startswith(b"\xef\xbb\xbf")
        assert {int(row["id"]) for row in read_back(out, delimiter=";")} == expected, scope
    with pytest.raises(KnownError):
        archive.exports.csv(tmp_path / "x.csv", scope="everything")
    with pytest.raises(KnownError):
        archive.exports.csv(tmp_path / "x.csv", columns=["id", "colour"])


@pytest.mark.parametrize("value", ["=SUM(A1)", "+1", "-1", "@cmd", "\tx", "\rx"])
def test_formula_starts_are_neutralised(value: str) -> None:
    assert neutralise(value) == "'" + value
    assert neutralise("plain " + value) == "plain " + value


def test_cells_past_excels_limit_are_named(tmp_path: Path) -> None:
    report = write_csv(tmp_path / "long.csv", [{"a": "x"}, {"a": "y" * (EXCEL_CELL_LIMIT + 1)}], ["a"])
    assert report.long_cells == [(3, "a")]
    assert "row 3" in report.warnings()[0]


def test_the_command_line_exports(archive: Library, tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    archive.close()
    code = main(
        ["--archive", str(archive.folder.root), "export", "csv", str(tmp_path / "cli.csv"), "--per", "annotation", "--json"],
        out=out,
        err=err,
    )
    assert code == 0, err.getvalue()
    assert '"rows": 1' in out.getvalue()
