"""Reader of web archives (WARC and ARC, plain or gzipped): each captured HTML page an article, streamed record by record."""

from __future__ import annotations

import dataclasses
import re
import zlib
from collections.abc import Iterator
from typing import Any, BinaryIO

from desktop.ingest.decode import NotTextError, decode_bytes
from desktop.ingest.document import Extracted, Refused, SourceFile
from desktop.ingest.html import extract_page

_PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_ISO_DAY = re.compile(r"\s*(\d{4}-\d{2}-\d{2})")
_READ_PIECE = 1 << 20
_GZIP = 16 + zlib.MAX_WBITS  # zlib reading the gzip format
#: how a WARC and an ARC file begin (after their gzip layer)
_SIGNATURES = (b"WARC/", b"filedesc://")


class _Stream:
    """The archive's bytes for warcio, a gzipped archive decompressed here, member after member.

    Decompressing here notices an archive cut short (warcio takes it for the end), keeps every byte before the
    cut (``gzip.GzipFile`` drops the last block's), and also reads an archive gzipped whole (``gzip file.warc``),
    which warcio refuses. Each call decompresses at most what was asked for, so a gzip bomb costs time, not memory.
    """

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.position = 0
        self.cut_short = False
        self.damaged = False
        self.head = handle.read(2)
        self.gzipped = self.head == b"\x1f\x8b"
        self.decompressor = zlib.decompressobj(_GZIP) if self.gzipped else None
        self.compressed = self.head if self.gzipped else b""
        self.pending = b"" if self.gzipped else self.head
        self.finished = False

    def read(self, size: int = -1) -> bytes:
        want = size if size >= 0 else 1 << 62
        if self.decompressor is not None:
            self._decompress(want)
        elif len(self.pending) < want:
            self.pending += self.handle.read(want - len(self.pending)) if size >= 0 else self.handle.read()
        data, self.pending = self.pending[:want], self.pending[want:]
        self.position += len(data)
        return data

    def _decompress(self, want: int) -> None:
        while len(self.pending) < want and not self.finished and self.decompressor is not None:
            if self.decompressor.eof:  # one gzip member done: the next one, if any
                rest = self.decompressor.unused_data or self.handle.read(_READ_PIECE)
                if not rest.strip(b"\x00"):  # the end, or the zero padding some tools add
                    self.finished = True
                    break
                self.decompressor, self.compressed = zlib.decompressobj(_GZIP), rest
            if not self.compressed:
                self.compressed = self.handle.read(_READ_PIECE)
                if not self.compressed:
                    self.finished = self.cut_short = True
                    break
            try:
                self.pending += self.decompressor.decompress(self.compressed, want - len(self.pending))
            except zlib.error:
                self.finished = self.damaged = True  # what came before the damage is still read
                break
            self.compressed = self.decompressor.unconsumed_tail

    def tell(self) -> int:
        return self.position

    def read_ahead(self, signatures: tuple[bytes, ...]) -> bool:
        """Whether the (decompressed) archive starts with one of ``signatures``; nothing is consumed."""
        longest = max(len(signature) for signature in signatures)
        if self.decompressor is not None:
            self._decompress(longest)
        elif len(self.pending) < longest:
            self.pending += self.handle.read(longest - len(self.pending))
        return self.pending.lstrip().startswith(signatures)


def read_warc(source: SourceFile) -> Iterator[Extracted | Refused]:
    """A WARC or ARC file: one article per HTML page captured with status 200; other records skipped silently.

    A record is read only up to the file size limit, so a huge capture costs time, never memory. An archive cut
    short or damaged keeps the pages before and gets one outcome saying so; so does one that holds no page at all.
    """
    from warcio.archiveiterator import ArchiveIterator  # on first use: the app starts without it

    number = 0
    pages = 0
    cut_in_page = False
    with source.path.open("rb") as handle:
        stream = _Stream(handle)
        if not stream.read_ahead(_SIGNATURES):
            yield Refused("not a WARC or ARC web archive: it does not start with a WARC or ARC record")
            return
        records = ArchiveIterator(stream, arc2warc=True)
        try:
            for number, record in enumerate(records, start=1):
                try:
                    outcome = _page(record, number, source.max_bytes)
                except Exception as exc:  # a page that trips the HTML path or warcio: that record's outcome only
                    outcome = Refused(f"record {number}: cannot be read ({type(exc).__name__}: {_short(exc)})", str(number))
                if outcome is not None:
                    pages += 1
                    cut_in_page = isinstance(outcome, Refused) and (stream.cut_short or stream.damaged)
                    yield outcome
        except Exception as exc:  # warcio on a damaged or hostile archive: ArchiveLoadFailed, parse errors and its own slips
            yield Refused(_damaged(number, exc), str(number + 1))
            return
        finally:
            records.close()
    if stream.damaged and not cut_in_page:
        yield Refused(f"the archive is damaged at record {number + 1} (its compressed data cannot be read): the pages before were read")
    elif stream.cut_short and not cut_in_page:
        yield Refused(f"the archive is cut short at record {number} (an incomplete copy?): the pages before the cut were read")
    elif pages == 0:
        yield Refused(f"no web pages in this archive ({number} records, none an HTML page captured with status 200)")


def _short(exc: Exception) -> str:
    return " ".join(str(getattr(exc, "msg", None) or exc).split())[:200] or type(exc).__name__


def _damaged(number: int, exc: Exception) -> str:
    what = _short(exc)
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
    if getattr(record.raw_stream, "limit", 0) > 0:  # fewer bytes than the record declares: only at the file's end
        return Refused(f"{where}: {url or 'the page'} is incomplete: the archive ends or is damaged inside it", part)
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
