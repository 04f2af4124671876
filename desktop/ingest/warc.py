"""Reader of web archives (WARC and ARC, plain or gzipped): each captured HTML page an article, streamed record by record."""

from __future__ import annotations

import dataclasses
import gzip
import io
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParserException

from desktop.ingest.decode import NotTextError, decode_bytes
from desktop.ingest.document import Extracted, Refused, SourceFile
from desktop.ingest.html import extract_page

_PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_ISO_DAY = re.compile(r"\s*(\d{4}-\d{2}-\d{2})")
_READ_PIECE = 1 << 20
# what warcio raises on a record it cannot parse; BadGzipFile and zlib.error for a damaged compressed archive
_DAMAGED = (ArchiveLoadFailed, StatusAndHeadersParserException, ValueError, zlib.error, gzip.BadGzipFile)


class _Stream:
    """The archive's bytes for warcio: a gzipped archive decompressed here, and its being cut short noticed.

    warcio reads an early end of the gzip data as the end of the archive; this notes it, so the archivist hears it.
    Decompressing here also reads an archive gzipped whole (``gzip file.warc``), which warcio refuses.
    """

    def __init__(self, handle: io.BufferedIOBase) -> None:
        self.handle = handle
        self.position = 0
        self.cut_short = False

    def read(self, size: int = -1) -> bytes:
        try:
            data = self.handle.read(size)
        except EOFError:
            self.cut_short = True
            return b""
        self.position += len(data)
        return data

    def tell(self) -> int:
        return self.position


def _open(path: Path) -> io.BufferedIOBase:
    handle = path.open("rb")
    if handle.read(2) == b"\x1f\x8b":
        handle.seek(0)
        return gzip.GzipFile(fileobj=handle, mode="rb")
    handle.seek(0)
    return handle


def read_warc(source: SourceFile) -> Iterator[Extracted | Refused]:
    """A WARC or ARC file: one article per HTML page captured with status 200; other records skipped silently.

    A record is read only up to the file size limit, so a huge capture costs time, never memory. When the
    archive holds no page at all, one outcome says so.
    """
    number = 0
    pages = 0
    with _open(source.path) as handle:
        stream = _Stream(handle)
        records = ArchiveIterator(stream, arc2warc=True)
        try:
            for number, record in enumerate(records, start=1):
                outcome = _page(record, number, source.max_bytes)
                if outcome is not None:
                    pages += 1
                    yield outcome
        except _DAMAGED as exc:
            yield Refused(_damaged(number, exc), str(number + 1))
            return
        finally:
            records.close()
    if stream.cut_short:
        yield Refused(f"the archive is cut short after record {number} (an incomplete copy?): the records before it were read")
    elif pages == 0:
        yield Refused(f"no web pages in this archive ({number} records, none an HTML page captured with status 200)")


def _damaged(number: int, exc: Exception) -> str:
    what = " ".join(str(getattr(exc, "msg", None) or exc).split())[:200]
    if number == 0:
        return f"not a WARC or ARC web archive ({what})"
    return f"record {number + 1}: damaged, the archive cannot be read past record {number} ({what})"


def _page(record: Any, number: int, max_bytes: int) -> Extracted | Refused | None:
    """A captured HTML page's article, why it has none, or None for a record that is not a page."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    if record.http_headers.get_statuscode() != "200":
        return None
    content_type = record.http_headers.get_header("Content-Type") or ""
    if content_type.split(";")[0].strip().lower() not in _PAGE_TYPES:
        return None
    part, where = str(number), f"record {number}"
    url = record.rec_headers.get_header("WARC-Target-URI") or None
    limit = f"too large for an article (the limit is {max_bytes / 1_048_576:.1f} MB)"
    if record.length is not None and record.length > max_bytes:
        return Refused(f"{where}: {url or 'a page'} is {limit}", part)
    payload = _read_capped(record.content_stream(), max_bytes)
    if payload is None:
        return Refused(f"{where}: {url or 'a page'} is {limit}", part)
    try:
        markup, encoding = _decode(payload, content_type)
    except NotTextError as exc:
        return Refused(f"{where}: the page cannot be read as text: {exc}", part)
    text, hints = extract_page(markup, url=url)
    if not hints.date:
        captured = _ISO_DAY.match(record.rec_headers.get_header("WARC-Date") or "")
        hints = dataclasses.replace(hints, date=captured.group(1) if captured else None)
    return Extracted(text, hints, encoding=encoding, part=part, where=where, original=payload)


def _read_capped(stream: Any, max_bytes: int) -> bytes | None:
    """The whole stream, or None as soon as it passes ``max_bytes`` (the rest is left for warcio to skip)."""
    pieces: list[bytes] = []
    size = 0
    while piece := stream.read(_READ_PIECE):
        size += len(piece)
        if size > max_bytes:
            return None
        pieces.append(piece)
    return b"".join(pieces)


def _decode(payload: bytes, content_type: str) -> tuple[str, str]:
    """The page as text: the charset its HTTP header or its ``<meta>`` declares, else one detected."""
    declared = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    meta = _META_CHARSET.search(payload[:4096])
    for charset in (declared.group(1) if declared else None, meta.group(1).decode("ascii") if meta else None):
        if charset:
            try:
                return payload.decode(charset), charset.lower()
            except (LookupError, UnicodeDecodeError):
                continue
    decoded = decode_bytes(payload)
    return decoded.text, decoded.encoding
