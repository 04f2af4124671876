"""The command line: the README's flows, JSON output, and errors without tracebacks."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from desktop.cli import main
from desktop.library import Library


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def records(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


def test_import_twice_then_list_show_search_check(tmp_path: Path, sample_dir: Path) -> None:
    archive = str(tmp_path / "demo-archive")
    code, out, err = cli("--archive", archive, "import", str(sample_dir), "--json")
    assert code == 0
    first = records(out)
    assert [r["outcome"] for r in first] == ["imported"] * 5
    assert set(first[0]) == {"path", "outcome", "id", "duplicate_of", "reason"}
    assert "5 imported, 0 duplicates, 0 skipped" in err

    code, out, _ = cli("--archive", archive, "import", str(sample_dir), "--json")
    assert [(r["outcome"], r["duplicate_of"]) for r in records(out)] == [("duplicate", r["id"]) for r in first]

    code, out, _ = cli("list", "--archive", archive, "--json")
    listed = {r["title"]: r for r in records(out)}
    assert listed["CPV delegation visits US"]["title_kind"] == "headline"
    assert listed["CPV delegation visits US"]["agency"] == "VOV"
    dated = [r for r in listed.values() if r["date"]]
    assert [(r["date"], r["date_precision"], r["agency"]) for r in dated] == [("2023-07-03", "day", "VNS")]

    code, out, _ = cli("--archive", archive, "--json", "search", "nguyen phu trong")
    hits = records(out)
    assert code == 0
    assert len(hits) == 1
    assert "<mark>Nguyễn Phú Trọng</mark>" in str(hits[0]["snippet"])
    assert set(hits[0]) == {"id", "title", "score", "snippet", "matched_in"}
    assert hits[0]["matched_in"] == ["text"]

    code, out, _ = cli("--archive", archive, "--json", "show", str(hits[0]["id"]))
    shown = records(out)[0]
    assert {"text", "sha256", "source", "boilerplate", "cluster"} <= set(shown)
    assert shown["date"] == "2023-07-03"

    code, out, _ = cli("--archive", archive, "check")
    assert code == 0
    assert "all consistent" in out
    code, out, err = cli("--archive", archive, "reindex", "--json")
    assert code == 0
    assert records(out) == [{"indexed": 5}]
    assert "indexing: 5/5" in err


def test_unknown_id_is_a_clear_error_without_traceback(tmp_path: Path) -> None:
    code, _out, err = cli("--archive", str(tmp_path / "a"), "show", "42")
    assert code == 2
    assert err.strip().endswith("error: No article has id 42.")
    assert "Traceback" not in err


def test_check_fails_with_named_problems(tmp_path: Path, sample_dir: Path) -> None:
    archive = tmp_path / "a"
    cli("--archive", str(archive), "import", str(sample_dir))
    import sqlite3

    with sqlite3.connect(archive / "archive.sqlite") as connection:
        connection.execute("UPDATE originals SET data = X'41' WHERE id = 1")
    connection.close()
    code, out, _ = cli("--archive", str(archive), "check", "--json")
    report = records(out)[0]
    assert code == 1
    assert report["ok"] is False
    assert any("#1" in str(problem) for problem in report["problems"])  # type: ignore[attr-defined]


def test_a_locked_archive_refuses_writes_and_reads_read_only(tmp_path: Path, sample_dir: Path) -> None:
    archive = tmp_path / "a"
    with Library.open(archive) as holder:
        holder.imports.paths([sample_dir])
        code, _, err = cli("--archive", str(archive), "import", str(sample_dir))
        assert code == 2
        assert "open in another Archive Browser" in err
        code, out, err = cli("--archive", str(archive), "list", "--json")
        assert code == 0
        assert len(records(out)) == 5
        assert "read-only" in err


def test_the_default_archive_is_created_with_the_sample(tmp_path: Path) -> None:
    code, out, err = cli("list", "--json")
    assert code == 0
    assert len(records(out)) == 5
    assert "sample articles" in err


def test_console_entry_point_runs_as_a_module(tmp_path: Path, sample_dir: Path) -> None:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "--archive", str(tmp_path / "a"), "--json", "import", str(sample_dir)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 5


def test_tagging_notes_annotations_text_and_trash_from_the_command_line(tmp_path: Path, sample_dir: Path) -> None:
    archive = str(tmp_path / "a")
    cli("--archive", archive, "import", str(sample_dir))
    assert cli("--archive", archive, "tag", "1", "2", "--add", "Party/Diplomacy/US")[0] == 0
    code, out, _ = cli("--archive", archive, "tags", "list", "--json")
    assert {r["name"]: r["articles"] for r in records(out)}["Party/Diplomacy/US"] == 2
    assert cli("--archive", archive, "tags", "rename", "Party/Diplomacy", "Diplomacy")[0] == 0
    assert cli("--archive", archive, "tags", "colour", "Diplomacy", "#336699")[0] == 0
    code, out, _ = cli("--archive", archive, "note", "3", "Verify the date", "--json")
    assert records(out)[0]["article_id"] == 3
    code, out, _ = cli(
        "--archive", archive, "annotate", "4", "--quote", "Joe Biden", "--occurrence", "2", "--note", "call", "--tag", "People", "--json"
    )
    annotation = records(out)[0]
    assert (annotation["exact"], annotation["status"], annotation["tags"]) == ("Joe Biden", "anchored", ["People"])
    assert set(annotation) >= {"article_id", "exact", "prefix", "suffix", "start", "end", "note", "tags", "status"}
    edited = tmp_path / "edited.txt"
    code, out, _ = cli("--archive", archive, "show", "4", "--json")
    edited.write_text(str(records(out)[0]["text"]).replace("President Joe Biden.", "President Biden."), encoding="utf-8")
    code, _, err = cli("--archive", archive, "edit-text", "4", "--file", str(edited))
    assert code == 0
    assert "1 annotations need your attention" in err
    code, out, _ = cli("--archive", archive, "annotations", "--needs-review", "--json")
    assert [r["status"] for r in records(out)] == ["needs-review"]
    assert cli("--archive", archive, "trash", "5")[0] == 0
    code, out, _ = cli("--archive", archive, "list", "--json")
    assert len(records(out)) == 4
    assert cli("--archive", archive, "restore", "5")[0] == 0
    code, out, _ = cli("--archive", archive, "search", "tag:Diplomacy", "--json")
    assert {r["id"] for r in records(out)} == {1, 2}
    code, out, _ = cli("--archive", archive, "check")
    assert code == 0
