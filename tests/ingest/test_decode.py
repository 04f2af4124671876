"""Decoding bytes: BOMs, UTF-16 without BOM, legacy code pages, and binary files refused."""

from __future__ import annotations

import codecs
import unicodedata

import pytest

from desktop.ingest.decode import NotTextError, declared_charset, decode_bytes, decode_markup

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


RUSSIAN = "Четвёртый мост через Обь открыли для движения в субботу утром, и жители вышли на набережную."


def page(charset_markup: str, body: str = RUSSIAN) -> str:
    return f"<!DOCTYPE html><html><head>{charset_markup}<title>News</title></head><body><p>{body}</p></body></html>"


@pytest.mark.parametrize(
    ("head", "encoding"),
    [
        ('<meta charset="windows-1251">', "cp1251 (declared)"),
        ("<meta charset=cp1251>", "cp1251 (declared)"),
        ('<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=Windows-1251">', "cp1251 (declared)"),
        ("<meta content='text/html;charset=koi8-r' http-equiv='content-type'>", "koi8-r (declared)"),
    ],
)
def test_a_page_is_decoded_in_the_charset_it_declares(head: str, encoding: str) -> None:
    codec = encoding.split()[0]
    decoded = decode_markup(page(head).encode(codec))
    assert decoded.encoding == encoding
    assert RUSSIAN in decoded.text


def test_an_xhtml_page_declares_its_charset_in_the_xml_declaration() -> None:
    data = ("<?xml version='1.0' encoding='windows-1250'?>" + page("", "Řeka Bečva se vylila z koryta.")).encode("cp1250")
    assert declared_charset(data) == "windows-1250"
    assert "Řeka Bečva" in decode_markup(data).text


def test_the_containers_charset_comes_before_the_pages_own_and_a_bom_before_both() -> None:
    data = page('<meta charset="iso-8859-5">').encode("cp1251")
    assert decode_markup(data, transport_charset="windows-1251").encoding == "cp1251 (given)"
    bom = codecs.BOM_UTF8 + page('<meta charset="windows-1251">').encode("utf-8")
    decoded = decode_markup(bom)
    assert decoded.encoding == "utf-8 (BOM)"
    assert RUSSIAN in decoded.text


def test_latin_1_and_ascii_labels_are_read_as_windows_1252_as_browsers_do() -> None:
    decoded = decode_markup(page('<meta charset="iso-8859-1">', WESTERN).encode("cp1252"))  # “quotes” are not Latin-1
    assert decoded.encoding == "cp1252 (declared)"
    assert WESTERN in decoded.text


def test_a_wrong_or_unknown_declaration_leaves_the_bytes_to_decide() -> None:
    wrong = decode_markup(page('<meta charset="utf-8">').encode("cp1251"))  # not UTF-8 at all: detected
    assert RUSSIAN in wrong.text
    unknown = decode_markup(page('<meta charset="x-no-such-charset">').encode("utf-8"))
    assert (unknown.encoding, RUSSIAN in unknown.text) == ("utf-8", True)
    utf16_named = decode_markup(page('<meta charset="utf-16">').encode("utf-8"))  # ASCII markup cannot be UTF-16
    assert utf16_named.encoding == "utf-8"


def test_an_undeclared_vietnamese_legacy_page_still_reads_as_cp1258() -> None:
    decoded = decode_markup(to_cp1258(page("", VIETNAMESE)))
    assert VIETNAMESE in unicodedata.normalize("NFC", decoded.text)


def test_a_binary_file_named_html_is_refused_even_with_a_declaration() -> None:
    with pytest.raises(NotTextError, match="PDF"):
        decode_markup(b"%PDF-1.7 <meta charset='utf-8'>" + bytes(range(256)))
