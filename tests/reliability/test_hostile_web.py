"""Hostile web pages (huge, deep, millions of tags or attributes): one outcome each, in bounded time and memory.

Each page is read in a child process whose address space is capped, so a page that took GBs would fail the test
instead of the machine; the generous time-out only keeps a hang from stopping the suite.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.ingest.files import read_candidates
from desktop.ingest.html import MAX_PAGE_CHARS
from desktop.ingest.patterns import NewsPatterns

MB = 1 << 20
MEMORY_CAP = 3 * 1024 * MB  # ten times what the worst page here needs
STORY = (
    b"<h1>Ferry line reopens</h1><p>Can Tho (VNA) - The ferry line reopened on Monday after months of repairs, officials said,"
    b" and the passengers cheered as the first boat of the morning left the pier for the islands.</p>"
)
READ = """
import json, sys
from pathlib import Path
from desktop.ingest.files import read_candidates
from desktop.ingest.patterns import load_patterns
outcomes = [[c.reason, c.article.text if c.article else None] for c in read_candidates(Path(sys.argv[1]), load_patterns())]
print(json.dumps(outcomes))
"""


def read_capped(path: Path) -> list[tuple[str | None, str | None]]:
    """The outcomes of importing ``path``, read in a child process that cannot take more than MEMORY_CAP."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    result = subprocess.run(
        [sys.executable, "-c", READ, str(path)], capture_output=True, text=True, timeout=600, preexec_fn=cap, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return [tuple(outcome) for outcome in json.loads(result.stdout)]


def write_repeated(path: Path, head: bytes, unit: bytes, size: int, tail: bytes) -> Path:
    with path.open("wb") as out:
        out.write(head)
        block = unit * (MB // len(unit))
        for _ in range(size // len(block)):
            out.write(block)
        out.write(tail)
    return path


def test_a_200_mb_page_is_skipped_at_once_as_too_large(tmp_path: Path, patterns: NewsPatterns) -> None:
    page = write_repeated(tmp_path / "huge.html", b"<html><body>", b"<div><p>more news</p></div>", 200 * MB, b"</body></html>")
    (candidate,) = read_candidates(page, patterns)
    assert candidate.article is None
    assert candidate.reason is not None
    assert "too large" in candidate.reason


@pytest.mark.stress
def test_a_40_mb_page_of_markup_is_refused_for_its_size_without_being_parsed(tmp_path: Path) -> None:
    page = write_repeated(tmp_path / "tags.html", b"<html><body>", b"<span><b>x</b></span>", 40 * MB, b"</body></html>")
    ((reason, text),) = read_capped(page)
    assert text is None
    assert reason is not None
    assert "too large for a web page" in reason


@pytest.mark.stress
def test_a_40_mb_single_file_page_is_read_for_its_story_its_inline_photo_left_out(tmp_path: Path) -> None:
    head = b"<html><body>" + STORY + b"<img src='data:image/jpeg;base64,"
    page = write_repeated(tmp_path / "photo.html", head, b"/9j/4AAQSkZJRgABAQ", 40 * MB, b"'></body></html>")
    ((reason, text),) = read_capped(page)
    assert reason is None
    assert text is not None
    assert "The ferry line reopened on Monday" in text
    assert "/9j/" not in text


def empty_tags(size: int) -> str:
    return "<html><body>" + "<b></b>" * (size // 7) + "</body></html>"


def deep_nesting(size: int) -> str:
    depth = size // 24
    return "<html><body>" + "<div><span>" * depth + "<p>Deep page text.</p>" + "</span></div>" * depth + "</body></html>"


def many_paragraphs(size: int) -> str:
    return "<html><body>" + "<p>Short paragraph of text here.</p>\n" * (size // 37) + "</body></html>"


def attribute_flood(size: int) -> str:
    """A story, then one tag with 45 MB of attributes (nine times ``size``): taken out before the size limit applies."""
    return "<html><body>" + STORY.decode() + "<a href='x' " + "a=b " * (9 * size // 4) + ">x</a></body></html>"


@pytest.mark.stress
@pytest.mark.parametrize("make", [empty_tags, deep_nesting, many_paragraphs, attribute_flood])
def test_hostile_pages_just_under_the_limit_get_one_outcome(tmp_path: Path, make: Callable[[int], str]) -> None:
    page = tmp_path / f"{make.__name__}.html"
    page.write_text(make(MAX_PAGE_CHARS - 1000), encoding="utf-8")
    outcomes = read_capped(page)
    assert len(outcomes) == 1
    ((reason, text),) = outcomes
    assert (reason is None) != (text is None)  # an article, or the reason there is none
    if make is attribute_flood:
        assert text is not None
        assert "The ferry line reopened on Monday" in text
