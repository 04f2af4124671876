"""News feeds: RSS 2.0, RSS 1.0 and Atom, each entry an article with the feed's own fields; nothing fetched."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.ingest import formats
from desktop.ingest.feeds import sniff_feed
from desktop.ingest.files import Candidate, read_candidates
from desktop.ingest.patterns import NewsPatterns
from desktop.library import Library
from tests.external import external_file

DATA = Path(__file__).resolve().parent.parent / "data" / "mailfeeds"


def articles(path: Path, patterns: NewsPatterns) -> list[Candidate]:
    found = list(read_candidates(path, patterns))
    assert all(c.article is not None for c in found), [c.reason for c in found]
    return found


def test_rss_entries_carry_title_link_date_author_categories_and_the_feed_name(patterns: NewsPatterns) -> None:
    path = DATA / "baomau.rss"
    found = articles(path, patterns)
    assert [c.label for c in found] == [f"{path}:{n}" for n in (1, 2, 3)]
    first, second, third = (c.article for c in found)
    assert first is not None
    assert second is not None
    assert third is not None
    assert first.title == "Đà Nẵng khánh thành cầu mới qua sông Hàn"
    assert first.url == "https://baomau.example/da-nang-cau-moi.html"
    assert first.date.iso() == "2026-03-03"  # the feed's own day (+07:00), not the UTC one
    assert first.author == "Nguyễn Thị Ánh Tuyết"  # dc:creator
    assert first.publication == "Báo Mẫu – Thời sự"
    assert first.tags == ["Thời sự", "Giao thông"]
    assert "Cầu dài 800 mét, rộng 30 mét" in first.text  # content:encoded wins over the short description
    assert "track()" not in first.text
    assert (second.author, second.date.iso()) == ("Trần Quốc Vượng", "2026-03-02")  # "email (Name)"
    assert second.place == "Hanoi"
    assert "700,000 tonnes of rice" in second.text  # the escaped HTML description
    assert (third.title, third.author, third.tags) == ("Lễ hội hoa ban Điện Biên", None, [])


def test_each_entry_keeps_its_own_bytes(patterns: NewsPatterns) -> None:
    path = DATA / "baomau.rss"
    originals = [c.original.data for c in articles(path, patterns) if c.original is not None]
    assert len(originals) == 3
    assert all(o.startswith(b"<item>") and o.endswith(b"</item>") for o in originals)
    assert all(o in path.read_bytes() for o in originals)
    assert "Lễ hội hoa ban".encode() in originals[2]


def test_atom_entries(patterns: NewsPatterns) -> None:
    path = DATA / "world-desk.atom"
    first, second, third = (c.article for c in articles(path, patterns))
    assert first is not None
    assert second is not None
    assert third is not None
    assert (first.title, first.url, first.date.iso()) == (
        "Mekong delta farmers switch to salt-tolerant rice",
        "https://world.example/mekong-rice",
        "2026-03-08",
    )
    assert first.author == "Hoàng Anh Tuấn"
    assert first.publication == "World Desk"
    assert first.tags == ["Agriculture"]
    assert "Some 40,000 hectares were switched this season." in first.text
    assert second.title == "Tet travel: record rail bookings"  # an HTML title as text
    assert second.author == "Bùi Thanh Hà; Lý Văn Sơn"
    assert "sold a record number of Tet tickets" in second.text  # XHTML content
    assert (third.title, third.date.iso()) == ("Typhoon season forecast", "2026-01-15")  # updated, no published
    assert "up to 13 storms" in third.text  # a plain text summary


def test_xml_is_a_feed_only_when_it_holds_one(patterns: NewsPatterns) -> None:
    saved = articles(DATA / "baomau-saved-as.xml", patterns)
    assert [c.article.title for c in saved if c.article] == [
        "Đà Nẵng khánh thành cầu mới qua sông Hàn",
        "Rice exports rise in February",
        "Lễ hội hoa ban Điện Biên",
    ]
    (sitemap,) = read_candidates(DATA / "not-a-feed.xml", patterns)
    assert sitemap.article is None
    assert sitemap.reason is not None
    assert sitemap.reason == "not one of the kinds of .xml file Archive Browser reads (News feeds saved as .xml)"
    assert sniff_feed(b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- generated -->\n<rss version="2.0">')
    assert sniff_feed('<?xml version="1.0" encoding="utf-16"?><feed xmlns="http://www.w3.org/2005/Atom">'.encode("utf-16"))
    assert sniff_feed(b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">')
    assert not sniff_feed(b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description/>')
    assert not sniff_feed(b"<html><body>feed</body></html>")
    assert formats.format_for(Path("news.rss"), b"anything") is not None  # .rss and .atom need no sniffing


@pytest.mark.parametrize(
    ("name", "title", "url", "date", "author"),
    [
        ("feedparser-rss20.xml", "First item title", "http://example.org/item/1", "2002-09-05", "mark@example.org"),
        ("feedparser-atom10.xml", "First entry title", "http://example.org/entry/3", "2005-11-09", "Mark Pilgrim"),
        ("feedparser-rss10.rdf", "First of all", "http://example.org/archives/2002/09/04.html#first_of_all", "2004-05-30", "Aaron Swartz"),
    ],
)
def test_feedparsers_own_sample_feeds(name: str, title: str, url: str, date: str, author: str, patterns: NewsPatterns) -> None:
    (candidate,) = articles(external_file(f"mailfeeds/{name}"), patterns)
    article = candidate.article
    assert article is not None
    assert (article.title, article.url, article.date.iso(), article.author, article.publication) == (
        title,
        url,
        date,
        author,
        "Sample Feed",
    )
    assert "javascript" not in article.text


def test_an_entry_without_text_and_a_feed_without_entries_are_named(tmp_path: Path, patterns: NewsPatterns) -> None:
    path = tmp_path / "links.rss"
    path.write_text(
        '<rss version="2.0"><channel><title>Links</title>'
        "<item><title>Only a link</title><link>https://example.org/a</link></item>"
        "<item><title>A story</title><description>HANOI - A story about rice.</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    first, second = read_candidates(path, patterns)
    assert first.reason == "entry 1: no text in this entry, only a title or a link (the linked page is not fetched)"
    assert second.article is not None
    assert second.article.title == "A story"
    empty = tmp_path / "empty.atom"
    empty.write_text('<feed xmlns="http://www.w3.org/2005/Atom"><title>Nothing yet</title></feed>', encoding="utf-8")
    (only,) = read_candidates(empty, patterns)
    assert only.reason == "the feed holds no entries"
    garbage = tmp_path / "garbage.rss"
    garbage.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (refused,) = read_candidates(garbage, patterns)
    assert refused.article is None
    assert refused.reason is not None


def test_a_broken_feed_is_read_by_the_lenient_parser_and_keeps_the_whole_file(tmp_path: Path, patterns: NewsPatterns) -> None:
    path = tmp_path / "broken.rss"
    path.write_text(
        '<rss version="2.0"><channel><title>Desk</title><item><title>Rice & beans</title>'
        "<description>HANOI - Rice prices rose in the delta.</description></item>",
        encoding="utf-8",
    )
    (candidate,) = articles(path, patterns)
    assert candidate.article is not None
    assert candidate.article.title == "Rice & beans"
    assert candidate.original is not None
    assert candidate.original.data == path.read_bytes()


@pytest.fixture
def counting_server() -> Iterator[tuple[str, list[str]]]:
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'<rss version="2.0"><channel><item><title>fetched</title></item></channel></rss>')

        def log_message(self, *_args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def test_nothing_is_fetched(tmp_path: Path, patterns: NewsPatterns, counting_server: tuple[str, list[str]]) -> None:
    base, requests = counting_server
    url_only = tmp_path / "url.rss"
    url_only.write_text(f"{base}/feed.rss", encoding="utf-8")  # a file holding just a URL: feedparser would fetch it
    dtd = tmp_path / "dtd.rss"
    dtd.write_text(
        f'<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "{base}/rss.dtd">'
        f'<rss version="0.91"><channel><title>t</title><item><title>Story</title><link>{base}/story</link>'
        f'<description>HANOI - A story &eacute; about rice.&lt;img src="{base}/x.png"&gt;</description></item></channel></rss>',
        encoding="utf-8",
    )
    outcomes = list(read_candidates(url_only, patterns)) + list(read_candidates(dtd, patterns))
    assert outcomes[0].article is None
    assert outcomes[-1].article is not None
    assert "about rice" in outcomes[-1].article.text
    assert requests == []


def test_a_library_imports_a_feed_entry_by_entry(tmp_path: Path) -> None:
    path = DATA / "world-desk.atom"
    with Library.open(tmp_path / "archive") as library:
        report = library.imports.paths([path])
        assert [(o.path, o.outcome) for o in report.outcomes] == [(f"{path}:{n}", "imported") for n in (1, 2, 3)]
        first = library.articles.get(report.outcomes[0].id or 0)
        assert first.summary.title == "Mekong delta farmers switch to salt-tolerant rice"
        assert first.summary.date == "2026-03-08"
        assert first.url == "https://world.example/mekong-rice"
        assert first.tags == ("Agriculture",)
        assert library.articles.original(first.id).startswith(b"<entry>")
        assert library.articles.original(first.id).endswith(b"</entry>")
        assert library.search.find("hectares").total == 1
