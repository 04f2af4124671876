"""Fuzzing the import path, bytes → decode → extract → clean → structure: a refusal with a reason, or a sound article.

Hypothesis, not atheris: its generation is random and shrinking, steered by ``target()`` towards inputs that
give more structure (spans, long titles); it is not coverage-guided. The quick run is part of ``make test``,
the long one of ``make stress``; the figures are in docs/reliability.md.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import random
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, target
from hypothesis import strategies as st

from desktop.core.text import clean_text
from desktop.ingest.files import Candidate, read_candidates
from desktop.ingest.patterns import NewsPatterns, load_patterns
from desktop.library import Library

PATTERNS: NewsPatterns = load_patterns()
SUFFIXES = (".txt", ".md", ".html", ".jsonl")
FRAGMENTS = [
    "Hà Nội (VNA) – ", "HANOI (VNS) — ", "Đà Nẵng, ngày 3/7/2023 (TTXVN) - ", "WASHINGTON, July 3 (AP) -- ", "(Photo: VNA)",
    "See more", "Xem thêm", "/.", "VNA", "TTXVN", " date 2021-07-03 ", "Nguyễn Phú Trọng", "U.S. Mr. Dr.", "May 2023",
    "<h1>", "</h1>", "<title>", "</title>", "<script>", "</script>", "<style>", "<iframe src='http://127.0.0.1:1/'>", "<p>", "<br/>",
    "<meta property='article:published_time' content='2022-03-04'>", "<img src=x onerror=alert(1)>", "&amp;", "&#0;", "&#x202e;",
    '{"title": "', '", "text": "', '"}', "\n", "\n\n", "\r\n", "\t", "\x00", "\x07", "\x1b[0m", "\u202e", "\u200b", "\ufeff", "\u00ad",
    "\u0301", "\ud7ff", "=SUM(A1)", "# ", "  ", ".", "“", "”", "…",
]  # fmt: skip
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1258", "cp1252", "latin-1")


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


news_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=30)), max_size=40).map("".join)
encoded_news = st.builds(_encode, news_text, st.sampled_from(ENCODINGS))
mangled = st.builds(
    lambda data, cut, noise: data[:cut] + noise + data[cut:],
    encoded_news,
    st.integers(min_value=0, max_value=400),
    st.binary(max_size=8),
)
file_bytes = st.one_of(
    st.binary(max_size=2000),
    encoded_news,
    mangled,
    st.builds(
        lambda bom, data: bom + data,
        st.sampled_from([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF32_BE, b"%PDF", b"MZ"]),
        encoded_news,
    ),
)


def check(candidate: Candidate, data: bytes, suffix: str) -> None:
    """The invariants every outcome keeps: one of article or reason, and an article that is sound."""
    assert (candidate.article is None) == (candidate.original is None) == (candidate.reason is not None)
    candidate.label.encode("utf-8")
    if candidate.reason is not None:
        assert candidate.reason.strip()
        candidate.reason.encode("utf-8")
        return
    article, original = candidate.article, candidate.original
    assert article is not None
    assert original is not None
    assert original.sha256 == hashlib.sha256(original.data).hexdigest()
    if suffix != ".jsonl":
        assert original.data == data
    text = article.text
    text.encode("utf-8")  # no lone surrogates: SQLite and Whoosh take it
    assert text.strip()
    assert clean_text(text) == text
    assert article.title.strip()
    assert clean_text(article.title) == article.title or article.title_kind == "lead"
    assert article.title_kind in ("headline", "caption", "lead", "given")
    position = 0
    for span in article.boilerplate:
        assert position <= span.start < span.end <= len(text), (span, len(text))
        position = span.end
    date = article.date
    assert date.year is None or 1800 <= date.year <= 2100
    assert date.month is None or 1 <= date.month <= 12
    date.iso()
    target(float(len(article.boilerplate)), label="boilerplate spans")
    target(float(min(len(article.title), 200)), label="title length")


def fuzz_once(folder: Path, data: bytes, suffix: str) -> tuple[int, int]:
    path = folder / f"input{suffix}"
    path.write_bytes(data)
    candidates = list(read_candidates(path, PATTERNS))
    assert candidates or suffix == ".jsonl"  # a JSONL file of blank lines has no records
    for candidate in candidates:
        check(candidate, data, suffix)
    return len(candidates), sum(candidate.article is not None for candidate in candidates)


def run_parse_fuzz(folder: Path, examples: int) -> dict[str, float]:
    tried = {"examples": 0, "candidates": 0, "articles": 0}
    started = time.monotonic()

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )
    @given(data=file_bytes, suffix=st.sampled_from(SUFFIXES))
    def target_parse(data: bytes, suffix: str) -> None:
        outcomes, articles = fuzz_once(folder, data, suffix)
        tried["examples"] += 1
        tried["candidates"] += outcomes
        tried["articles"] += articles

    target_parse()
    return {**tried, "seconds": time.monotonic() - started}


def test_fuzz_decode_and_parse_quick(tmp_path: Path) -> None:
    figures = run_parse_fuzz(tmp_path, 200)
    assert figures["examples"] >= 200
    assert 0 < figures["articles"] < figures["candidates"]  # the inputs reach both outcomes: refused and parsed


@pytest.mark.stress
def test_fuzz_decode_and_parse_long(tmp_path: Path) -> None:
    figures = run_parse_fuzz(tmp_path, 20_000)
    print(
        f"\nfuzz parse: {figures['examples']:.0f} examples, {figures['candidates']:.0f} outcomes "
        f"({figures['articles']:.0f} articles), {figures['seconds']:.1f} s"
    )
    assert figures["examples"] >= 20_000


@pytest.mark.stress
def test_fuzz_into_a_real_archive_loses_nothing(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Fuzzed files imported into one real archive: each gets its outcome, and store and index agree at the end."""
    work = tmp_path_factory.mktemp("fuzz-archive")
    counts = {"files": 0, "imported": 0, "duplicate": 0, "skipped": 0, "updated": 0}
    started = time.monotonic()
    with Library.open(work / "archive") as library:

        @settings(max_examples=2000, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
        @given(files=st.lists(st.tuples(file_bytes, st.sampled_from(SUFFIXES)), min_size=1, max_size=4))
        def target_import(files: list[tuple[bytes, str]]) -> None:
            random.seed(os.urandom(16))  # Whoosh names segments with the random module, which Hypothesis replays
            folder = work / f"batch-{counts['files']}"
            folder.mkdir()
            for number, (data, suffix) in enumerate(files):
                (folder / f"{number}{suffix}").write_bytes(data)
            report = library.imports.paths([folder])
            counts["files"] += len(files)
            for outcome in report.outcomes:
                counts[outcome.outcome] += 1
                assert (outcome.outcome == "skipped") == (
                    outcome.reason is not None and outcome.id is None and outcome.duplicate_of is None
                )
            named = {Path(o.path.rsplit(":", 1)[0] if ".jsonl:" in o.path else o.path).name for o in report.outcomes}
            assert named >= {name for name in os.listdir(folder) if not name.endswith(".jsonl")}  # every file has its outcome

        target_import()
        assert library.articles.count() == counts["imported"]
        report = library.check.run()
        assert report.ok, report.problems
    print(f"\nfuzz import: {counts} in {time.monotonic() - started:.1f} s")
