"""Hostile and broken input: every file gets one clear outcome, nothing crashes, the other files still arrive."""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.core.errors import KnownError
from desktop.core.models import ImportReport
from desktop.library import Library
from tests.conftest import REPO
from tests.test_editing import dump

GOOD = "Ferry line reopens\n\nCan Tho (VNA) – The ferry line across the Hau river reopened on Monday after repairs.\n"
MB = 1024 * 1024


def story(number: int) -> str:
    """A good article, different for every number (so none is a duplicate of another)."""
    return f"Good story {number} headline\n\nHa Noi (VNA) – Story {number} tells of the {number}th cooperation plan in the delta.\n"


def outcomes_by_name(report: ImportReport) -> dict[str, tuple[str, str]]:
    """File name → (outcome, reason); fails if any file got more or less than one outcome."""
    names = [Path(outcome.path).name for outcome in report.outcomes]
    assert len(names) == len(set(names)), names
    return {Path(o.path).name: (o.outcome, o.reason or "") for o in report.outcomes}


def test_a_folder_of_hostile_files_gives_each_file_one_outcome_and_keeps_the_good_ones(library: Library, tmp_path: Path) -> None:
    """Binary files named .txt, invalid and mixed encodings, NUL and control characters, RTL overrides,
    a name that is not UTF-8, links that loop, deep and scripted HTML: one outcome each, in one import."""
    src = tmp_path / "in"
    src.mkdir()
    rng = random.Random(4)
    hostile: dict[str, bytes] = {
        "png-named.txt": b"\x89PNG\r\n\x1a\n" + rng.randbytes(2000),
        "program-named.md": b"\x7fELF\x02\x01\x01" + rng.randbytes(2000),
        "pdf-named.html": b"%PDF-1.7\n" + rng.randbytes(2000),
        "random-bytes.txt": rng.randbytes(8192),
        "nul-bytes.txt": b"Headline\n\nA body\x00 with NUL\x00 bytes in it.\n",
        "controls-throughout.txt": b"\x01\x02\x1b[31m\x07" * 40 + b"some text",
        "empty.txt": b"",
        "whitespace.txt": b" \n\t\r\n ",
        # one stray byte in UTF-8, and a Windows-1252 paragraph pasted under a UTF-8 one
        "invalid-utf8.txt": "Cà phê giá tăng\n\nHà Nội (VNA) – Giá cà phê tăng \xff mạnh.\n".encode().replace(b"\xc3\xbf", b"\xff"),
        "mixed-encodings.txt": "Hội chợ mở cửa\n\nHà Nội (VNA) – Hội chợ mở cửa hôm nay.\n".encode()
        + "Café crème à la carte.\n".encode("cp1252"),
        "few-controls.txt": ("Bell rings\x07 twice\n\nHue (VNA) – The bell\x1b rang " + "at noon in the old citadel. " * 20).encode(),
        "rtl-override.txt": "Invoice \u202eexe.txt\u202c for May\n\nHa Noi (VNA) – An invoice with a reversed name arrived.\n".encode(),
        "deep.html": (
            "<div>" * 50_000 + "<h1>Deep page</h1><p>Text inside fifty thousand folders of markup.</p>" + "</div>" * 50_000
        ).encode(),
        "scripted.html": (
            b"<html><head><title>T</title><script>fetch('http://127.0.0.1:1/steal')</script></head><body>"
            b"<h1>Port traffic grows</h1><iframe src='http://127.0.0.1:1/frame'>frame text</iframe>"
            b"<p onclick='alert(1)'>Hai Phong (VNA) \xe2\x80\x93 Port traffic grew by a tenth.</p>"
            b"<img src='http://127.0.0.1:1/pixel.png'><object data='x.swf'>object text</object></body></html>"
        ),
        "good.txt": GOOD.encode(),
    }
    for name, data in hostile.items():
        (src / name).write_bytes(data)
    bad_name = Path(os.fsdecode(os.fsencode(src) + b"/name-not-utf8-\xff\xfe.txt"))
    bad_name.write_bytes(story(1).encode())
    (src / "loop").symlink_to(src)  # a folder that contains itself
    (src / "self.txt").symlink_to(src / "self.txt")  # a link to itself
    (src / "sub").mkdir()
    (src / "sub" / "up").symlink_to(src.parent)  # a link back up the tree
    (src / "sub" / "nested.txt").write_text(story(2), encoding="utf-8")

    report = library.imports.paths([src])

    got = outcomes_by_name(report)
    assert set(got) == {*hostile, "name-not-utf8-\\xff\\xfe.txt", "loop", "self.txt", "up", "nested.txt"}
    imported = {name for name, (outcome, _) in got.items() if outcome == "imported"}
    assert imported == {
        "invalid-utf8.txt",
        "mixed-encodings.txt",
        "few-controls.txt",
        "rtl-override.txt",
        "deep.html",
        "scripted.html",
        "good.txt",
        "name-not-utf8-\\xff\\xfe.txt",
        "nested.txt",
    }
    reasons = {name: reason for name, (outcome, reason) in got.items() if outcome == "skipped"}
    assert "PNG" in reasons["png-named.txt"]
    assert "a program" in reasons["program-named.md"]
    assert "PDF" in reasons["pdf-named.html"]
    assert "binary" in reasons["random-bytes.txt"]
    assert "NUL" in reasons["nul-bytes.txt"]
    assert "control characters" in reasons["controls-throughout.txt"]
    assert "empty" in reasons["empty.txt"]
    assert "empty" in reasons["whitespace.txt"]
    assert "not followed" in reasons["loop"]
    assert "not followed" in reasons["up"]
    assert "cannot read" in reasons["self.txt"]

    ids = {Path(o.path).name: o.id or 0 for o in report.outcomes if o.id}
    invalid = library.articles.get(ids["invalid-utf8.txt"])
    assert invalid.summary.title == "Cà phê giá tăng"  # the UTF-8 stays UTF-8; only the stray byte is read as cp1252
    assert "Giá cà phê tăng ÿ mạnh" in invalid.text
    assert invalid.encoding == "utf-8 (1 byte read as cp1252)"
    mixed = library.articles.get(ids["mixed-encodings.txt"])
    assert "Hà Nội (VNA) – Hội chợ mở cửa hôm nay." in mixed.text
    assert "Café crème à la carte." in mixed.text
    controls = library.articles.get(ids["few-controls.txt"])
    assert controls.summary.title == "Bell rings twice"
    assert not any(ch < " " and ch != "\n" for ch in controls.text)
    rtl = library.articles.get(ids["rtl-override.txt"])
    assert rtl.summary.title == "Invoice exe.txt for May"  # no override left to reverse what is shown
    assert library.articles.original(ids["rtl-override.txt"]) == hostile["rtl-override.txt"]  # the original keeps every byte
    assert library.articles.get(ids["deep.html"]).summary.title == "Deep page"
    scripted = library.articles.get(ids["scripted.html"])
    assert scripted.summary.title == "Port traffic grows"
    for leftover in ("fetch", "steal", "frame text", "object text", "alert", "pixel", "127.0.0.1"):
        assert leftover not in scripted.text
    odd = library.articles.get(ids["name-not-utf8-\\xff\\xfe.txt"])
    assert odd.source.endswith("/name-not-utf8-\\xff\\xfe.txt")
    assert library.articles.original(ids["name-not-utf8-\\xff\\xfe.txt"]) == story(1).encode()
    assert library.check.run().ok


def test_a_name_that_is_not_utf8_reaches_the_command_lines_json(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    Path(os.fsdecode(os.fsencode(src) + b"/caf\xe9.txt")).write_text(GOOD, encoding="utf-8")
    out, err = _Text(), _Text()
    assert main(["--archive", str(tmp_path / "a"), "import", str(src), "--json"], out=out, err=err) == 0, err.getvalue()
    (printed,) = [json.loads(line) for line in out.getvalue().splitlines()]
    assert (Path(printed["path"]).name, printed["outcome"]) == ("caf\\xe9.txt", "imported")


class _Text(io.StringIO):
    """A text stream that, like a UTF-8 terminal, refuses what cannot be encoded (io.StringIO takes lone surrogates)."""

    def write(self, text: str) -> int:
        text.encode("utf-8")
        return super().write(text)


def test_files_of_several_hundred_mb_are_refused_by_size_without_being_read(library: Library, tmp_path: Path) -> None:
    """Sparse files: 400 MB each on paper, no disk used; the .txt is refused from its size, the .jsonl line by line."""
    src = tmp_path / "in"
    src.mkdir()
    with (src / "huge.txt").open("wb") as handle:
        handle.truncate(400 * MB)
    with (src / "huge.jsonl").open("wb") as handle:
        handle.write(json.dumps({"title": "Before the hole", "text": "Hue (VNA) – The line before the huge one."}).encode() + b"\n")
        handle.seek(400 * MB, os.SEEK_CUR)  # a 400 MB line of NUL bytes
        handle.write(b"\n" + json.dumps({"title": "After the hole", "text": "Hue (VNA) – The line after the huge one."}).encode() + b"\n")
    (src / "good.txt").write_text(GOOD, encoding="utf-8")
    report = library.imports.paths([src])
    got = {o.path.rsplit("/", 1)[1]: (o.outcome, o.reason or "") for o in report.outcomes}
    assert got["huge.txt"] == ("skipped", "too large for an article (400.0 MB; the limit is 50.0 MB)")
    assert got["huge.jsonl:2"] == ("skipped", "line 2: too large for an article (the limit is 50.0 MB)")
    assert got["huge.jsonl:1"][0] == got["huge.jsonl:3"][0] == got["good.txt"][0] == "imported"
    assert sorted(s.title for s in library.articles.summaries()) == ["After the hole", "Before the hole", "Ferry line reopens"]


def test_a_text_of_millions_of_characters_is_imported_whole(library: Library, tmp_path: Path) -> None:
    """No text is refused for its length alone (it once was past 3,000,000 characters): the archivist keeps the book."""
    path = tmp_path / "book.txt"
    body = "word " * 700_010
    path.write_text("A whole book\n\n" + body + "\nThe last line.", encoding="utf-8")
    (outcome,) = library.imports.paths([path]).outcomes
    assert outcome.outcome == "imported", outcome.reason
    (summary,) = library.articles.summaries()
    assert summary.title == "A whole book"
    assert len(library.articles.get(summary.id).text) > 3_500_000


def test_jsonl_with_bad_lines_imports_the_good_ones_and_names_each_bad_line(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"title": "Rice prices rise", "text": "Can Tho (VNA) – Rice prices rose in the delta."}).encode(),  # 1 good
        b"{not json",  # 2
        b"\xff\xfe not utf-8 \x80",  # 3
        json.dumps(["a", "list"]).encode(),  # 4
        json.dumps({"title": "No text"}).encode(),  # 5
        json.dumps({"text": 42}).encode(),  # 6
        b"",  # 7: blank lines are not records
        json.dumps({"title": 7, "text": "Hue (VNA) – A title that is a number is ignored.", "tags": {"x": 1}, "date": [1]}).encode(),  # 8
        json.dumps({"title": "NUL\u0000 and \u202eoverride", "text": "Hue (VNA) – Escaped\u0000 controls\u0007 go."}).encode(),  # 9
        b'{"text": "' + b"[" * 100_000 + b'"}',  # 10: a deep string is just a string
        b"[" * 100_000,  # 11: JSON nested past Python's recursion limit
        json.dumps({"title": "Last line", "text": "Da Nang (VNA) – The last line has no newline."}).encode(),  # 12 good
    ]
    path.write_bytes(b"\n".join(lines))
    report = library.imports.paths([path])
    got = {int(o.path.rsplit(":", 1)[1]): (o.outcome, o.reason or "") for o in report.outcomes}
    assert sorted(got) == [1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12]
    assert {number for number, (outcome, _) in got.items() if outcome == "imported"} == {1, 8, 9, 10, 12}
    for number, (outcome, reason) in got.items():
        if outcome == "skipped":
            assert reason.startswith(f"line {number}: "), (number, reason)
    assert "not valid JSON" in got[2][1]
    assert "not UTF-8" in got[3][1]
    assert "object" in got[4][1]
    assert "text" in got[5][1]
    assert "text" in got[6][1]
    titles = {summary.title for summary in library.articles.summaries()}
    assert "NUL and override" in titles
    assert library.check.run().ok


def test_a_json_export_from_a_newer_version_or_damaged_is_refused_and_changes_nothing(seeded: Library, tmp_path: Path) -> None:
    exported = tmp_path / "export.json"
    seeded.exports.json(exported)
    document = json.loads(exported.read_text(encoding="utf-8"))
    before = dump(seeded)
    newer = dict(document, version=2)
    broken_rows = dict(document, tables=dict(document["tables"], articles="not rows"))
    wrong_columns = dict(document, tables=dict(document["tables"], tags=[{"colour_of_the_sky": "blue"}]))
    bad_bytes = dict(document, tables=dict(document["tables"], originals=[{"id": 99, "data": {"base64": 5}}]))
    cases = {
        "newer.json": (json.dumps(newer), "this export is version 2; this Archive Browser reads version 1"),
        "rows.json": (json.dumps(broken_rows), "not a list of rows"),
        "columns.json": (json.dumps(wrong_columns), "the export is damaged"),
        "bytes.json": (json.dumps(bad_bytes), "Cannot import"),
        "deep.json": ("[" * 100_000, "Cannot import"),
        "truncated.json": (exported.read_text(encoding="utf-8")[:5000], "Cannot import"),
        "latin1.json": (None, "Cannot import"),
    }
    for name, (text, message) in cases.items():
        path = tmp_path / name
        if text is None:
            path.write_bytes(b'{"format": "archive-browser-json", "caf\xe9": 1}')
        else:
            path.write_text(text, encoding="utf-8")
        with pytest.raises(KnownError, match=message):
            seeded.exports.import_json(path)
        assert dump(seeded) == before, name
    assert seeded.check.run().ok


def test_unreadable_files_and_folders_are_skipped_with_a_reason(tmp_path: Path) -> None:
    """chmod 000 on a file and on a folder beside a good file. Root reads through chmod, so as root the import
    runs in a forked child that has become the user ``nobody`` (a fork, not a new interpreter: the interpreter
    may live where ``nobody`` cannot reach); as any other user, in a forked child all the same."""
    base = Path(os.environ.get("TMPDIR", "/tmp")) / f"unreadable-{os.getpid()}-{time.monotonic_ns()}"
    src = base / "in"
    src.mkdir(parents=True)
    (src / "good.txt").write_text(GOOD, encoding="utf-8")
    (src / "secret.txt").write_text(story(3), encoding="utf-8")
    (src / "locked").mkdir()
    (src / "locked" / "inside.txt").write_text(story(4), encoding="utf-8")
    result = base / "result.json"
    as_nobody = os.geteuid() == 0
    with Library.open(tmp_path / "warm-up") as warm:  # load every module the import needs before the fork
        warm.imports.paths([src / "good.txt"])
        warm.check.run()
    try:
        if as_nobody:
            for root, dirs, files in os.walk(base):
                for name in [".", *dirs, *files]:
                    os.chown(Path(root) / name, 65534, 65534)
        (src / "secret.txt").chmod(0)
        (src / "locked").chmod(0)
        pid = os.fork()
        if pid == 0:  # the child: never returns into pytest
            code = 1
            try:
                if as_nobody:
                    os.setgroups([])
                    os.setgid(65534)
                    os.setuid(65534)
                with Library.open(base / "archive") as library:
                    report = library.imports.paths([src])
                    ok = library.check.run().ok
                outcomes = [[o.path, o.outcome, o.reason] for o in report.outcomes]
                result.write_text(json.dumps({"outcomes": outcomes, "ok": ok}), encoding="utf-8")
                code = 0
            except BaseException as exc:  # reported to the parent through the file
                with contextlib.suppress(Exception):
                    result.write_text(json.dumps({"error": repr(exc)}), encoding="utf-8")
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        printed = json.loads(result.read_text(encoding="utf-8"))
        assert os.waitstatus_to_exitcode(status) == 0, printed
        got = {Path(path).name: (outcome, reason) for path, outcome, reason in printed["outcomes"]}
        assert got == {
            "good.txt": ("imported", None),
            "secret.txt": ("skipped", "cannot read: permission denied"),
            "locked": ("skipped", "cannot read this folder: Permission denied"),
        }
        assert printed["ok"]
    finally:
        (src / "locked").chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


# -- the big ones: make stress -----------------------------------------------------------------------


def _child_import(tmp_path: Path, src: Path) -> dict[str, object]:
    """Import ``src`` into a new archive in a child process; return its outcomes, seconds and peak memory (MB)."""
    script = textwrap.dedent(
        f"""
        import json, time
        from pathlib import Path
        from desktop.library import Library
        with Library.open(Path({str(tmp_path / "archive")!r})) as library:
            started = time.monotonic()
            report = library.imports.paths([Path({str(src)!r})])
            seconds = time.monotonic() - started
            ok = library.check.run().ok
        # VmHWM: this program's own peak (ru_maxrss would carry the forking pytest's size across exec)
        status = Path("/proc/self/status").read_text()
        peak = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))) / 1024
        outcomes = [[o.path, o.outcome, o.reason] for o in report.outcomes]
        print(json.dumps({{"outcomes": outcomes, "seconds": seconds, "peak_mb": peak, "ok": ok}}))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=1200, check=False)
    assert result.returncode == 0, result.stderr
    figures: dict[str, object] = json.loads(result.stdout.splitlines()[-1])
    names = ", ".join(sorted(path.name for path in src.iterdir()))
    print(f"\n{names}: {figures['seconds']:.1f} s, peak {figures['peak_mb']:.0f} MB")  # the figures docs/reliability.md cites
    return figures


@pytest.mark.stress
def test_a_million_line_file_is_imported_with_memory_kept_sane(tmp_path: Path) -> None:
    """A million short lines (2 MB of text) is an article, imported whole: no text is refused for its length alone."""
    src = tmp_path / "in"
    src.mkdir()
    with (src / "million-short-lines.txt").open("w", encoding="utf-8") as handle:
        handle.write("A file of a million lines\n\nHa Noi (VNA) – This body is followed by a million one-letter lines.\n")
        handle.write("a\n" * 1_000_000)
    figures = _child_import(tmp_path, src)
    got = {Path(path).name: (outcome, reason) for path, outcome, reason in figures["outcomes"]}  # type: ignore[attr-defined]
    assert got["million-short-lines.txt"][0] == "imported"
    assert figures["ok"]
    assert figures["peak_mb"] < 800  # type: ignore[operator]


@pytest.mark.stress
def test_a_million_distinct_words_are_imported_with_memory_bounded(tmp_path: Path) -> None:
    """A million numbered lines (13 MB, a million distinct words) is imported whole too. Indexing a million distinct
    words in one document is what costs here (the analyzer's memo and Whoosh's postings pool, measured 1.5 GB at the
    peak, docs/reliability.md): the bound says it stays that, not that it is small."""
    src = tmp_path / "in"
    src.mkdir()
    with (src / "million-numbered-lines.txt").open("w", encoding="utf-8") as handle:
        handle.write("A log of a million lines\n\n")
        handle.writelines(f"line {number} ok\n" for number in range(1_000_000))
    figures = _child_import(tmp_path, src)
    got = {Path(path).name: (outcome, reason) for path, outcome, reason in figures["outcomes"]}  # type: ignore[attr-defined]
    assert got["million-numbered-lines.txt"][0] == "imported"
    assert figures["ok"]
    assert figures["peak_mb"] < 2_000  # type: ignore[operator]


@pytest.mark.stress
def test_several_hundred_mb_of_real_bytes_are_refused_with_memory_kept_sane(tmp_path: Path) -> None:
    """Not sparse: 300 MB written, in a .txt and as one JSONL line between two good ones; memory stays near the 50 MB limit."""
    src = tmp_path / "in"
    src.mkdir()
    chunk = (b"The same sentence about the delta, again and again. " * 20_000)[: 1 * MB]
    with (src / "huge.txt").open("wb") as handle:
        for _ in range(300):
            handle.write(chunk)
    with (src / "huge.jsonl").open("wb") as handle:
        handle.write(json.dumps({"title": "Before", "text": "Hue (VNA) – Before the huge line."}).encode() + b"\n")
        handle.write(b'{"text": "')
        for _ in range(300):
            handle.write(chunk)
        handle.write(b'"}\n' + json.dumps({"title": "After", "text": "Hue (VNA) – After the huge line."}).encode() + b"\n")
    figures = _child_import(tmp_path, src)
    got = {Path(path).name: (outcome, reason) for path, outcome, reason in figures["outcomes"]}  # type: ignore[attr-defined]
    assert got["huge.txt"][0] == "skipped"
    assert "too large" in got["huge.txt"][1]
    assert got["huge.jsonl:2"] == ("skipped", "line 2: too large for an article (the limit is 50.0 MB)")
    assert got["huge.jsonl:1"][0] == got["huge.jsonl:3"][0] == "imported"
    assert figures["ok"]
    assert figures["peak_mb"] < 400  # type: ignore[operator]
