"""Web archives: every HTML page captured with status 200 in a WARC or ARC file is an article; the rest is skipped."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from desktop.ingest.files import Candidate, read_candidates
from desktop.ingest.patterns import NewsPatterns
from desktop.library import Library
from tests.external import external_file

DATA = Path(__file__).resolve().parent.parent / "data" / "mailfeeds"


def test_pages_of_a_warc_with_url_capture_date_and_payload(patterns: NewsPatterns) -> None:
    path = DATA / "capture.warc.gz"
    found = list(read_candidates(path, patterns))
    # record 1 warcinfo, 2 request, 3 page, 4 image, 5 page, 6 a 404 page: the pages only, by record number
    assert [c.label for c in found] == [f"{path}:3", f"{path}:5"]
    hue, coffee = (c.article for c in found)
    assert hue is not None
    assert coffee is not None
    assert hue.title == "Huế mở cửa Đại Nội về đêm"
    assert hue.url == "https://baomau.example/hue-dai-noi.html"
    assert hue.date.iso() == "2026-02-20"  # the page's own published date wins over the capture's
    assert "Ông Hoàng Việt Trung cho biết du khách có thể tham quan đến 22 giờ." in hue.text
    assert "analytics()" not in hue.text
    assert coffee.title == "Coffee exports climb as prices hold"
    assert coffee.url == "https://wire.example/coffee"
    assert coffee.date.iso() == "2026-03-09"  # its dateline gives no year: the capture date
    assert "Vietnam’s coffee exports" in coffee.text  # Windows-1252 with no charset declared, detected
    originals = [c.original for c in found if c.original is not None]
    assert originals[0].data.startswith(b"<!doctype html>")
    assert originals[0].data.endswith(b"</html>")
    assert originals[0].encoding == "utf-8"
    assert originals[1].data.decode("cp1252").startswith("<html><head><title>Coffee exports</title>")


def test_capture_date_when_the_page_has_none(tmp_path: Path, patterns: NewsPatterns) -> None:
    path = tmp_path / "one.warc"
    with path.open("wb") as output:
        writer = WARCWriter(output, gzip=False)
        body = b"<html><body><h1>Storm warning</h1><p>Fishing boats were called back to port.</p></body></html>"
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://news.example/storm",
                "response",
                payload=io.BytesIO(body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": "2025-11-30T23:59:59Z"},
            )
        )
    (candidate,) = read_candidates(path, patterns)
    assert candidate.article is not None
    assert (candidate.article.title, candidate.article.date.iso()) == ("Storm warning", "2025-11-30")


@pytest.mark.parametrize(
    ("name", "label", "url", "title", "date"),
    [
        ("warcio-example.warc.gz", "3", "http://example.com/", "Example Domain", "2017-03-06"),
        ("warcio-example.arc.gz", "2", "http://example.com/", "Example Domain", "2014-02-16"),
        ("warcio-example-iana.org-chunked.warc", "2", "http://www.iana.org/", "Internet Assigned Numbers Authority", "2017-03-06"),
    ],
)
def test_warcios_own_sample_archives(name: str, label: str, url: str, title: str, date: str, patterns: NewsPatterns) -> None:
    path = external_file(f"mailfeeds/{name}")
    found = list(read_candidates(path, patterns))
    assert [c.label for c in found] == [f"{path}:{label}"]
    article = found[0].article
    assert article is not None
    assert (article.url, article.title, article.date.iso()) == (url, title, date)


def test_an_archive_gzipped_whole_is_read_too(tmp_path: Path, patterns: NewsPatterns) -> None:
    whole = tmp_path / "whole.warc.gz"
    whole.write_bytes(gzip.compress(gzip.decompress((DATA / "capture.warc.gz").read_bytes())))
    assert [c.label.rsplit(":", 1)[1] for c in read_candidates(whole, patterns) if c.article] == ["3", "5"]


def _labels_and_reasons(found: list[Candidate]) -> list[tuple[str, str | None]]:
    return [(c.label.rsplit("/", 1)[1], c.reason) for c in found]


def test_not_an_archive_and_an_archive_without_pages(tmp_path: Path, patterns: NewsPatterns) -> None:
    text = tmp_path / "notes.warc"
    text.write_text("hello, this is not a web archive\n" * 5, encoding="utf-8")
    images = tmp_path / "images.warc"
    with images.open("wb") as output:
        writer = WARCWriter(output, gzip=False)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record("https://a.example/x.png", "response", payload=io.BytesIO(b"\x89PNG"), http_headers=headers)
        )
    found = list(read_candidates(text, patterns)) + list(read_candidates(images, patterns))
    assert _labels_and_reasons(found) == [
        ("notes.warc", "not a WARC or ARC web archive: it does not start with a WARC or ARC record"),
        ("images.warc", "no web pages in this archive (1 records, none an HTML page captured with status 200)"),
    ]


def test_a_library_imports_the_pages_of_a_warc(tmp_path: Path) -> None:
    path = DATA / "capture.warc.gz"
    with Library.open(tmp_path / "archive") as library:
        report = library.imports.paths([path])
        assert [(o.path, o.outcome) for o in report.outcomes] == [(f"{path}:3", "imported"), (f"{path}:5", "imported")]
        hue = library.articles.get(report.outcomes[0].id or 0)
        assert hue.summary.title == "Huế mở cửa Đại Nội về đêm"
        assert hue.url == "https://baomau.example/hue-dai-noi.html"
        assert hue.source == f"{path}:3"
        assert library.articles.original(hue.id).startswith(b"<!doctype html>")
        assert library.search.find("Đại Nội").total == 1
