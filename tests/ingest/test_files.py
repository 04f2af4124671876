"""From files to candidates: formats, and one outcome for every awkward file."""

from __future__ import annotations

import json
import os
from pathlib import Path

from desktop.core.text import visible_text
from desktop.ingest.files import collect_paths, read_candidates
from desktop.ingest.patterns import NewsPatterns


def one(path: Path, patterns: NewsPatterns, **kwargs: int):
    candidates = list(read_candidates(path, patterns, **kwargs))
    assert len(candidates) == 1
    return candidates[0]


def test_html_keeps_visible_text_only(tmp_path: Path, patterns: NewsPatterns) -> None:
    page = tmp_path / "story.html"
    page.write_text(
        "<html><head><title>Site | Story</title><meta property='article:published_time' content='2022-03-04T08:00:00+07:00'>"
        "<script>alert('x')</script><style>p{color:red}</style></head><body>"
        "<h1>Ferry line reopens &amp; grows</h1><p>Can Tho (VNA) – The ferry line reopened on Monday.</p>"
        "<script>document.write('<p>injected</p>')</script><p>Passengers <b>cheered</b>.</p><img src='http://example.invalid/x.png'>"
        "</body></html>",
        encoding="utf-8",
    )
    candidate = one(page, patterns)
    article = candidate.article
    assert article is not None
    assert article.title == "Ferry line reopens & grows"
    assert article.place == "Can Tho"
    assert article.date.iso() == "2022-03-04"
    assert "alert" not in article.text
    assert "injected" not in article.text
    assert "color" not in article.text
    assert candidate.original is not None
    assert candidate.original.data == page.read_bytes()


def test_markdown_heading_is_the_headline(tmp_path: Path, patterns: NewsPatterns) -> None:
    path = tmp_path / "note.md"
    path.write_text("# Tea harvest begins\n\nGrowers in Thai Nguyen began the harvest.\n", encoding="utf-8")
    article = one(path, patterns).article
    assert article is not None
    assert (article.title, article.title_kind) == ("Tea harvest begins", "headline")


def test_jsonl_gives_one_outcome_per_line(tmp_path: Path, patterns: NewsPatterns) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps(
            {
                "title": "Rice prices rise",
                "text": "Rice prices rose in the delta.",
                "date": "2021-06",
                "source": "VNA",
                "tags": ["Economy/Rice"],
            }
        ),
        "{not json",
        json.dumps({"title": "No body"}),
        "",
        json.dumps(["a", "list"]),
        json.dumps({"text": "Hải Phòng (VNA) – Port traffic grew.", "url": "https://example.invalid/a", "tags": "Ports, Trade"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    candidates = list(read_candidates(path, patterns))
    assert [c.label.rsplit(":", 1)[1] for c in candidates] == ["1", "2", "3", "5", "6"]
    first, bad_json, no_text, a_list, last = candidates
    assert first.article is not None
    assert first.article.date.precision == "month"
    assert first.article.tags == ["Economy/Rice"]
    assert first.article.agency == "VNA"
    assert bad_json.reason is not None
    assert "not valid JSON" in bad_json.reason
    assert no_text.reason is not None
    assert "text" in no_text.reason
    assert a_list.reason is not None
    assert "object" in a_list.reason
    assert last.article is not None
    assert last.article.tags == ["Ports", "Trade"]
    assert last.article.url == "https://example.invalid/a"
    assert last.original is not None
    assert json.loads(last.original.data)["tags"] == "Ports, Trade"


def test_awkward_files_each_get_a_reason(tmp_path: Path, patterns: NewsPatterns) -> None:
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    (tmp_path / "big.txt").write_text("Headline\n\n" + "word " * 400, encoding="utf-8")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing-target.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    reasons = {path.name: one(path, patterns, max_bytes=1000).reason for path in collect_paths([tmp_path])}
    assert reasons["photo.jpg"] is not None
    assert "unsupported file type '.jpg'" in reasons["photo.jpg"]
    assert reasons[".DS_Store"] == "hidden file"
    assert reasons["big.txt"] is not None
    assert "too large" in reasons["big.txt"]
    assert reasons["gone.txt"] is not None
    assert "cannot read" in reasons["gone.txt"]
    assert reasons["pipe.txt"] == "not a regular file"


def test_folders_are_walked_recursively_in_a_stable_order(tmp_path: Path) -> None:
    for name in ["b/2.txt", "a/z.txt", "a/sub/1.txt", "c.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in collect_paths([tmp_path])]
    assert found == ["c.txt", "a/z.txt", "a/sub/1.txt", "b/2.txt"]
    assert collect_paths([tmp_path / "nope.txt"]) == [tmp_path / "nope.txt"]


def test_the_original_bytes_are_kept_exactly(tmp_path: Path, patterns: NewsPatterns) -> None:
    raw = b"\xef\xbb\xbfHeadline\r\n\r\nBody with a soft\xc2\xadhyphen.\r\n"
    path = tmp_path / "crlf.txt"
    path.write_bytes(raw)
    candidate = one(path, patterns)
    assert candidate.original is not None
    assert candidate.original.data == raw
    assert candidate.article is not None
    assert "\r" not in candidate.article.text
    assert "\u00ad" not in candidate.article.text
    assert visible_text(candidate.article.text, candidate.article.boilerplate).endswith("Body with a softhyphen.")
