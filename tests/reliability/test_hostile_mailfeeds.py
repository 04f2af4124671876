"""Hostile e-mail, feeds and web archives: each gets one clear outcome, in bounded memory, and nothing expands or is fetched."""

from __future__ import annotations

import gzip
import io
import json
import random
import subprocess
import sys
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from desktop.ingest.files import Candidate, read_candidates
from desktop.ingest.patterns import NewsPatterns

DATA = Path(__file__).resolve().parent.parent / "data" / "mailfeeds"
MB = 1024 * 1024
ENTITY_REFUSAL = "not read: the feed declares XML entities that could expand without bound or come from outside the file"


def peak_memory(consume: Callable[[], list[Candidate]]) -> tuple[list[Candidate], int]:
    """The candidates and the most memory Python held while reading them."""
    tracemalloc.start()
    try:
        found = consume()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return found, peak


_MBOX_READER = """
import json, resource, sys
from pathlib import Path
from desktop.ingest.document import Extracted, SourceFile
from desktop.ingest.mail import read_mbox

path = Path(sys.argv[1])
source = SourceFile(path=path, label=str(path), size=path.stat().st_size, max_bytes=50 * 1024 * 1024)
items = read_mbox(source)
first = next(items)
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
articles = 1 + sum(isinstance(item, Extracted) for item in items)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"articles": articles, "first": first.hints.title, "grew_kb": peak - baseline}))
"""


def test_an_mbox_of_50000_messages_is_read_one_message_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "big.mbox"
    body = b"HANOI, March 2 - The rice harvest in the delta went on. " * 14  # about 800 bytes a message
    with path.open("wb") as output:
        for number in range(1, 50_001):
            output.write(
                b"From desk@example.com Mon Mar  2 08:00:00 2026\n"
                b"From: Desk <desk@example.com>\nSubject: Story %d\nDate: Mon, 02 Mar 2026 08:00:00 +0700\n\n%s\n\n" % (number, body)
            )
    size = path.stat().st_size
    assert size > 40 * MB
    # a process of its own, so its peak memory is its own: the file is 40+ MB, the reader may hold one message
    done = subprocess.run([sys.executable, "-c", _MBOX_READER, str(path)], capture_output=True, text=True, check=True, timeout=600)
    result = json.loads(done.stdout)
    assert result["articles"] == 50_000
    assert result["first"] == "Story 1"
    assert result["grew_kb"] * 1024 < 10 * MB, f"memory grew by {result['grew_kb']} KB reading a {size // MB} MB mailbox"


def test_a_mail_with_a_bogus_charset_is_read_with_a_detected_one(tmp_path: Path, patterns: NewsPatterns) -> None:
    for charset in ("x-no-such-charset", "base64", "utf-8"):  # unknown; a codec that is not text; bytes that are not UTF-8
        path = tmp_path / f"{charset}.eml"
        path.write_bytes(
            b"From: =?x-no-such-charset?q?Tr=E1=BA=A7n?= <tran@example.com>\nSubject: Bogus charset\n"
            b"Content-Type: text/plain; charset=" + charset.encode() + b"\n\n"
            b"HANOI - Ph\xe1\xbb\x91 c\xe1\xbb\x95 in UTF-8, then a caf\xe9 in Windows-1252.\n"
        )
        (candidate,) = read_candidates(path, patterns)
        assert candidate.article is not None, candidate.reason
        assert "Phố cổ in UTF-8, then a café in Windows-1252." in candidate.article.text
        assert candidate.original is not None
        assert candidate.original.encoding.endswith(f"(declared {charset}, which did not fit)")
        assert candidate.article.author is not None  # the undecodable encoded word kept as written, not a crash


def test_a_binary_file_named_eml_gets_one_reason(tmp_path: Path, patterns: NewsPatterns) -> None:
    path = tmp_path / "photo.eml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (candidate,) = read_candidates(path, patterns)
    assert candidate.article is None
    assert candidate.reason is not None
    assert candidate.reason == "not an e-mail message: binary file (a PNG image), not text"


def _billion_laughs(one_line: bool) -> str:
    previous = ["lol"] + [f"lol{n}" for n in range(1, 9)]
    entities = ['<!ENTITY lol "lol">'] + [f'<!ENTITY lol{n} "{f"&{previous[n - 1]};" * 10}">' for n in range(1, 10)]
    subset = ("" if one_line else "\n ").join(entities)
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [{subset}]>\n'
        '<rss version="2.0"><channel><title>t</title><item><title>Laughs</title><description>&lol9;</description></item></channel></rss>\n'
    )


HOSTILE_FEEDS = {
    "billion-laughs.rss": _billion_laughs(one_line=False),
    "billion-laughs-one-line.xml": _billion_laughs(one_line=True),
    "quadratic.atom": (
        f'<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY a "{"x" * 50_000}">]>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>q</title>'
        f"<entry><title>Quadratic</title><content>{'&a;' * 50_000}</content></entry></feed>\n"
    ),
    "external.rss": (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
        '<rss version="2.0"><channel><title>t</title><item><title>x</title><description>&secret;</description></item></channel></rss>\n'
    ),
    "parameter.rss": (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>\n'
        '<rss version="2.0"><channel><title>t</title><item><title>x</title><description>story</description></item></channel></rss>\n'
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_FEEDS))
def test_entity_bombs_and_external_entities_are_refused_before_any_expansion(name: str, tmp_path: Path, patterns: NewsPatterns) -> None:
    path = tmp_path / name
    path.write_text(HOSTILE_FEEDS[name], encoding="utf-8")
    found, peak = peak_memory(lambda: list(read_candidates(path, patterns)))
    assert [(c.label, c.reason) for c in found] == [(str(path), ENTITY_REFUSAL)]
    assert peak < 20 * MB


def test_a_feed_declaring_a_character_entity_is_read(tmp_path: Path, patterns: NewsPatterns) -> None:
    path = tmp_path / "nbsp.rss"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY nbsp "&#160;">]>\n<rss version="2.0"><channel><title>t</title>'
        "<item><title>Rice</title><description>HANOI&nbsp;- Rice prices rose.</description></item></channel></rss>\n",
        encoding="utf-8",
    )
    (candidate,) = read_candidates(path, patterns)
    assert candidate.article is not None
    assert "Rice prices rose." in candidate.article.text


def _http_record(url: str, http_head: bytes, declared_body: int) -> bytes:
    """A WARC response record's header for an HTTP message whose body is ``declared_body`` bytes long."""
    return (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: %s\r\nWARC-Date: 2026-03-01T00:00:00Z\r\n"
        b"WARC-Record-ID: <urn:uuid:%s>\r\nContent-Type: application/http; msgtype=response\r\n"
        b"Content-Length: %d\r\n\r\n" % (url.encode(), url.encode().hex()[:32].encode(), len(http_head) + declared_body)
    ) + http_head


def _small_page_record() -> bytes:
    output = io.BytesIO()
    writer = WARCWriter(output, gzip=False)
    body = b"<html><body><h1>After the giant</h1><p>HANOI - This page comes after a huge record.</p></body></html>"
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://after.example/", "response", payload=io.BytesIO(body), http_headers=headers))
    return output.getvalue()


def _sparse_huge_warc(path: Path, payload: int) -> None:
    """A WARC whose first record holds ``payload`` bytes of page (a hole on disk), then a small page."""
    http_head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
    with path.open("wb") as output:
        output.write(_http_record("https://huge.example/", http_head, payload))
        output.seek(payload, io.SEEK_CUR)  # sparse: nothing written, the file system reads zeros
        output.write(b"\r\n\r\n" + _small_page_record())


def _huge_record_outcomes(path: Path, patterns: NewsPatterns) -> None:
    found, peak = peak_memory(lambda: list(read_candidates(path, patterns)))
    assert [(c.label.rsplit(":", 1)[1], c.reason) for c in found] == [
        ("1", "record 1: https://huge.example/ is too large for an article (the limit is 50.0 MB)"),
        ("2", None),
    ]
    assert found[1].article is not None
    assert found[1].article.title == "After the giant"
    assert peak < 20 * MB


def test_a_warc_record_past_the_limit_is_skipped_in_bounded_memory(tmp_path: Path, patterns: NewsPatterns) -> None:
    path = tmp_path / "huge.warc"
    _sparse_huge_warc(path, 256 * MB)
    _huge_record_outcomes(path, patterns)


@pytest.mark.stress
def test_a_2_gb_warc_record_is_skipped_in_bounded_memory(tmp_path: Path, patterns: NewsPatterns) -> None:
    path = tmp_path / "huge.warc"
    _sparse_huge_warc(path, 2048 * MB)
    _huge_record_outcomes(path, patterns)


def test_a_page_that_decompresses_past_the_limit_is_skipped(tmp_path: Path, patterns: NewsPatterns) -> None:
    bomb = gzip.compress(b"<p>" + b"a" * (100 * MB), compresslevel=9)  # 100 KB that become 100 MB
    http_head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(bomb)
    path = tmp_path / "bomb.warc"
    path.write_bytes(_http_record("https://bomb.example/", http_head, len(bomb)) + bomb + b"\r\n\r\n" + _small_page_record())
    found, peak = peak_memory(lambda: list(read_candidates(path, patterns, max_bytes=MB)))
    assert [(c.label.rsplit(":", 1)[1], c.reason) for c in found] == [
        ("1", "record 1: https://bomb.example/ is too large for an article (the limit is 1.0 MB)"),
        ("2", None),
    ]
    # warcio inflates 16 KB of compressed data at a time, at most 1032 times larger: bounded, whatever the page's size
    assert peak < 64 * MB


def _cut(data: bytes, before: bytes) -> Iterator[bytes]:
    """Cuts of a gzipped archive, shortest first, whose decompressed start holds ``before``."""
    import zlib

    for end in range(len(data) // 2, len(data)):
        decompressor = zlib.decompressobj(31)
        out, rest = b"", data[:end]
        try:
            while rest:
                out += decompressor.decompress(rest)
                rest = decompressor.unused_data
                if decompressor.eof and rest:
                    decompressor = zlib.decompressobj(31)
                elif not decompressor.eof:
                    break
        except zlib.error:
            continue
        if before in out:
            yield data[:end]


def test_a_truncated_warc_gz_keeps_the_pages_before_the_cut_and_says_so(tmp_path: Path, patterns: NewsPatterns) -> None:
    data = (DATA / "capture.warc.gz").read_bytes()
    inside_page = next(_cut(data, b"BUON MA THUOT"))  # the archive ends in the middle of the second page
    after_pages = data[: len(data) - 40]  # the archive ends in its last record, a 404 page (not an article)
    cut_in_page = tmp_path / "cut-in-page.warc.gz"
    cut_in_page.write_bytes(inside_page)
    cut_after = tmp_path / "cut-after.warc.gz"
    cut_after.write_bytes(after_pages)
    found = list(read_candidates(cut_in_page, patterns)) + list(read_candidates(cut_after, patterns))
    assert [(c.label.rsplit("/", 1)[1], c.article is not None, c.reason) for c in found] == [
        ("cut-in-page.warc.gz:3", True, None),
        ("cut-in-page.warc.gz:5", False, "record 5: https://wire.example/coffee is incomplete: the archive ends or is damaged inside it"),
        ("cut-after.warc.gz:3", True, None),
        ("cut-after.warc.gz:5", True, None),
        ("cut-after.warc.gz", False, "the archive is cut short at record 6 (an incomplete copy?): the pages before the cut were read"),
    ]


def test_a_damaged_warc_gz_gets_a_reason(tmp_path: Path, patterns: NewsPatterns) -> None:
    data = bytearray((DATA / "capture.warc.gz").read_bytes())
    data[600:900] = bytes(300)  # zeros over the middle of the compressed data
    path = tmp_path / "damaged.warc.gz"
    path.write_bytes(bytes(data))
    found = list(read_candidates(path, patterns))
    assert [(c.label.rsplit("/", 1)[1], c.article is not None, c.reason) for c in found] == [
        ("damaged.warc.gz", False, "the archive is damaged at record 3 (its compressed data cannot be read): the pages before were read")
    ]


_SPLICES = (b"<", b">", b"&", b"\n", b"From ", b"=?utf-8?b?", b"\x00", b"]]>", b"<!ENTITY", b"<![CDh", b"charset=")


@pytest.mark.parametrize("name", ["newsroom.mbox", "metro-alternative-attachment.eml", "baomau.rss", "world-desk.atom", "capture.warc.gz"])
def test_mangled_samples_each_get_outcomes_and_never_crash(name: str, tmp_path: Path, patterns: NewsPatterns) -> None:
    """Bytes changed, cut, spliced in: feedparser, warcio, the email package and the HTML path each tripped on some."""
    rng = random.Random(name)
    original = (DATA / name).read_bytes()
    if name.endswith(".gz"):
        original, name = gzip.decompress(original), name[: -len(".gz")]
    for round_number in range(150):
        data = bytearray(original)
        for _ in range(rng.randint(1, 8)):
            position = rng.randrange(len(data))
            choice = rng.random()
            if choice < 0.4:
                data[position] = rng.randrange(256)
            elif choice < 0.6:
                del data[position : position + rng.randint(1, 50)]
            else:
                data[position:position] = rng.choice(_SPLICES)
        path = tmp_path / f"{round_number}-{name}"
        path.write_bytes(bytes(data))
        found = list(read_candidates(path, patterns))
        assert found, f"no outcome for {path.name}"
        assert all((c.article is None) != (c.reason is None) for c in found)
