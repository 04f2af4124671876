"""Decoding bytes: BOMs, UTF-16 without BOM, legacy code pages, and binary files refused."""

from __future__ import annotations

import codecs
import unicodedata

import pytest

from desktop.ingest.decode import NotTextError, decode_bytes

VIETNAMESE = "Nguyễn Phú Trọng gặp Tổng thống ở Hà Nội. Đường phố đông đúc hơn mọi năm."
WESTERN = "Café crème — “quoted” naïve façade résumé, a longer English line about the délégation."


def to_cp1258(text: str) -> bytes:
    """Encode Vietnamese as legacy Windows-1258 does: base letters plus combining tone marks."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        for i in range(1, len(parts)):
            base = unicodedata.normalize("NFC", parts[0] + parts[i])
            rest = parts[1:i] + parts[i + 1 :]
            try:
                out += base.encode("cp1258") + rest.encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
        else:
            out += parts.encode("cp1258")
    return out


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (VIETNAMESE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + VIETNAMESE.encode("utf-8"), "utf-8 (BOM)"),
        (codecs.BOM_UTF16_LE + VIETNAMESE.encode("utf-16-le"), "utf-16-le (BOM)"),
        (codecs.BOM_UTF16_BE + VIETNAMESE.encode("utf-16-be"), "utf-16-be (BOM)"),
        (VIETNAMESE.encode("utf-16-le"), "utf-16-le"),
        (VIETNAMESE.encode("utf-16-be"), "utf-16-be"),
        (to_cp1258(VIETNAMESE), "cp1258"),
    ],
)
def test_vietnamese_in_every_encoding_reads_the_same(data: bytes, encoding: str) -> None:
    decoded = decode_bytes(data)
    assert decoded.encoding == encoding
    assert unicodedata.normalize("NFC", decoded.text) == VIETNAMESE


def test_western_legacy_text_is_read_as_windows_1252() -> None:
    decoded = decode_bytes(WESTERN.encode("cp1252"))
    assert (decoded.text, decoded.encoding) == (WESTERN, "cp1252")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\t\n", "empty file"),
        (b"%PDF-1.7\n%binary", "PDF"),
        (b"PK\x03\x04rest-of-zip", "ZIP"),
        (b"\x89PNG\r\n\x1a\n....", "PNG"),
        (bytes(range(256)) * 8, "binary"),
        (b"text\x00with\x00nul\x00bytes\x01\x02", "binary"),
    ],
)
def test_what_is_not_text_is_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(NotTextError, match=reason):
        decode_bytes(data)
