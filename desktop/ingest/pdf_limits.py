"""Bounds on what pdfminer inflates: each stream, and all of one file's streams, so a "zip bomb" stream is refused.

pdfminer unpacks a stream whole (``zlib.decompress``, LZW, RunLength) when it reads it: one crafted stream of
a few MB can inflate to gigabytes. :func:`install` swaps those three decoders, in pdfminer's own module only, for
versions that stop at :data:`MAX_STREAM_BYTES` and charge the budget opened by :func:`inflation_budget`.
Pictures are not unpacked by pdfminer at all, so a scan with large pages is not affected.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO

from pdfminer import pdftypes
from pdfminer.lzw import LZWDecoder

#: the most one stream may inflate to (a page's contents are kilobytes; a detailed map a few MB)
MAX_STREAM_BYTES = 32 * 1024 * 1024
#: the most all the streams read from one file may inflate to, together
MAX_FILE_INFLATED_BYTES = 128 * 1024 * 1024
_PIECE = 1 << 20

_budget = threading.local()


class StreamTooLargeError(Exception):
    """A stream, or one file's streams together, inflate past the limit; ``limit`` says which."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"inflate past {limit // 1_048_576} MB")
        self.limit = limit


@contextmanager
def inflation_budget(total: int = MAX_FILE_INFLATED_BYTES) -> Iterator[None]:
    """Charge every stream inflated in this thread, until the block ends, to one budget of ``total`` bytes."""
    _budget.left = total
    _budget.total = total
    try:
        yield
    finally:
        del _budget.left, _budget.total


def _charge(size: int, stream_size: int) -> None:
    if stream_size > MAX_STREAM_BYTES:
        raise StreamTooLargeError(MAX_STREAM_BYTES)
    left: int | None = getattr(_budget, "left", None)
    if left is not None:
        if size > left:
            raise StreamTooLargeError(_budget.total)
        _budget.left = left - size


class _BoundedZlib:
    """What pdfminer's ``pdftypes`` uses of ``zlib``, with ``decompress`` inflating in bounded pieces."""

    error = zlib.error
    decompressobj = staticmethod(zlib.decompressobj)

    @staticmethod
    def decompress(data: bytes) -> bytes:
        inflater = zlib.decompressobj()
        pieces: list[bytes] = []
        size = 0
        pending = data
        try:
            while pending and not inflater.eof:
                piece = inflater.decompress(pending, _PIECE)
                pending = inflater.unconsumed_tail
                size += len(piece)
                _charge(len(piece), size)
                pieces.append(piece)
        except zlib.error:
            if not pieces:
                raise
            # a damaged end (pdfminer's own fallback keeps what inflated too, but byte by byte, in quadratic time)
        return b"".join(pieces)


def _lzw_decode(data: bytes) -> bytes:
    pieces: list[bytes] = []
    size = 0
    for piece in LZWDecoder(BytesIO(data)).run():
        size += len(piece)
        _charge(len(piece), size)
        pieces.append(piece)
    return b"".join(pieces)


def _run_length_decode(data: bytes) -> bytes:
    """RunLength (PDF Reference 3.3.4): a length byte, then length+1 literal bytes (0-127) or one byte 257-length times."""
    out = bytearray()
    position = 0
    while position < len(data):
        length = data[position]
        if length == 128:
            break
        if length < 128:
            piece = data[position + 1 : position + 2 + length]
            position += 2 + length
        else:
            piece = data[position + 1 : position + 2] * (257 - length)
            position += 2
        _charge(len(piece), len(out) + len(piece))
        out += piece
    return bytes(out)


def install() -> None:
    """Put the bounded decoders in pdfminer's stream module (once; pdfminer looks them up there when it decodes)."""
    names = vars(pdftypes)
    names["zlib"] = _BoundedZlib
    names["lzwdecode"] = _lzw_decode
    names["rldecode"] = _run_length_decode
