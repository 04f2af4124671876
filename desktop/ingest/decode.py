"""Bytes to text: BOMs, UTF-8, UTF-16 without BOM, declared (web pages) and detected legacy charsets; binary files refused."""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from charset_normalizer import from_bytes


class NotTextError(ValueError):
    """The bytes are not a text file we can read; the message says why in plain words."""


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str


_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive or an Office document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a Windows program"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
)

_ALLOWED_CONTROLS = frozenset("\t\n\r\f")


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    controls = sum(1 for ch in text if ch < " " and ch not in _ALLOWED_CONTROLS)
    return controls / len(text)


def _utf16_without_bom(data: bytes) -> str | None:
    """Name the UTF-16 byte order when NUL bytes sit in every other place, as in ASCII-heavy UTF-16."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    half = len(data) // 2
    if odd_nuls > 0.3 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.3 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes) -> Decoded:
    """Decode ``data`` as text or raise :class:`NotTextError` with a reason a person understands.

    For plain text the two legacy code pages are guessed before statistical detection (see :func:`_legacy_decode`).
    """
    early = _bom_binary_or_utf(data)
    if early is not None:
        return early
    legacy = _legacy_decode(data)
    if legacy is not None:
        return _checked(*legacy)
    return _detected(data)


def decode_markup(data: bytes, *, transport_charset: str | None = None) -> Decoded:
    """Decode a web page's bytes as a browser would: BOM, then the declared charset, then detection.

    ``transport_charset`` is what the page's container says (an MHTML or e-mail part's ``Content-Type``); it
    comes before the page's own ``<meta charset>`` or ``http-equiv`` declaration. A page that declares nothing
    (or declares what its bytes are not) is read as UTF-8, else by charset_normalizer, and only when detection
    finds nothing by the legacy Vietnamese and Western guesses: a page is long enough for detection to be right,
    and a Russian or Czech page read as cp1252 is garbled throughout.
    """
    if not data.strip():
        raise NotTextError("empty file")
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            raise NotTextError(f"binary file ({what}), not text")
    if not any(data.startswith(bom) for bom, _ in _BOMS):
        for declared, how in ((transport_charset, "given"), (declared_charset(data), "declared")):
            codec = _markup_codec(declared)
            if codec is None:
                continue
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue  # the declaration is wrong: the bytes decide
            if codec == "cp1258":
                text = unicodedata.normalize("NFC", text)
            return _checked(text, f"{codec} ({how})")
    early = _bom_binary_or_utf(data)
    if early is not None:
        return early
    try:
        return _detected(data)
    except NotTextError:
        legacy = _legacy_decode(data)
        if legacy is None:
            raise
        return _checked(*legacy)


def _bom_binary_or_utf(data: bytes) -> Decoded | None:
    """What is certain before any guessing: empty, a BOM, a binary signature, UTF-16 or UTF-8 (None: none of them)."""
    if not data.strip():
        raise NotTextError("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom) :].decode(encoding), encoding + " (BOM)")
            except UnicodeDecodeError as exc:
                raise NotTextError(f"marked as {encoding} but not valid {encoding} at byte {exc.start}") from exc
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            raise NotTextError(f"binary file ({what}), not text")
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise NotTextError("binary file (contains NUL bytes), not text")
        try:
            return _checked(data.decode(utf16), utf16)
        except UnicodeDecodeError as exc:
            raise NotTextError("binary file (contains NUL bytes), not text") from exc
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    mixed = _utf8_with_stray_bytes(data)
    if mixed is not None:
        return _checked(*mixed)
    return None


def _detected(data: bytes) -> Decoded:
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise NotTextError("unknown encoding or binary file: no text encoding fits these bytes")
    return _checked(str(best), best.encoding)


#: how far into a page its charset declaration is looked for (browsers look at 1 KB first, then re-read on a later one)
DECLARATION_SCAN_BYTES = 64 * 1024
_META_CHARSET = re.compile(rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.IGNORECASE)
# labels the web platform reads otherwise than Python does (WHATWG Encoding: latin-1 and ASCII pages are windows-1252)
_WEB_LABELS = {
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "windows-874": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-sjis": "shift_jis",
    "euc_kr": "cp949",
    "unicode-1-1-utf-8": "utf-8",
    "iso-8859-8-i": "iso8859-8",
}


def declared_charset(data: bytes) -> str | None:
    """The charset a page names in its start: ``<meta charset>``, ``<meta http-equiv content="…; charset=…">``, ``<?xml encoding>``."""
    head = data[:DECLARATION_SCAN_BYTES]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def _markup_codec(label: str | None) -> str | None:
    """Python's codec for a charset label as browsers read it; None for no label, an unknown one, or UTF-16/32 named in ASCII."""
    if not label:
        return None
    label = label.strip().lower()
    label = _WEB_LABELS.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    name = _WEB_LABELS.get(name, name)
    if name.startswith(("utf-16", "utf-32")):
        return None  # a page that could state this in ASCII is not UTF-16: browsers read it as UTF-8
    return name


_STRAY = re.compile("[\udc80-\udcff]+")
_UTF8_LETTER = re.compile("[^\x00-\x7f\udc80-\udcff]")


def _utf8_with_stray_bytes(data: bytes) -> tuple[str, str] | None:
    """UTF-8 with some bytes that are not (one stray byte, a paragraph pasted from a Windows-1252 file).

    When the valid UTF-8 letters are at least as many as the stray bytes, the UTF-8 is kept and only
    the stray bytes are read as Windows-1252: a legacy code page for the whole file would turn every
    ``ệ`` into ``á»‡``.
    """
    text = data.decode("utf-8", errors="surrogateescape")
    stray = sum(len(run) for run in _STRAY.findall(text))
    letters = len(_UTF8_LETTER.findall(text))
    if not letters or stray > letters:
        return None
    repaired = _STRAY.sub(lambda run: bytes(ord(ch) - 0xDC00 for ch in run.group()).decode("cp1252", errors="replace"), text)
    return repaired, f"utf-8 ({stray} byte{'' if stray == 1 else 's'} read as cp1252)"


def _is_vietnamese_letter(ch: str) -> bool:
    return "\u1ea0" <= ch <= "\u1ef9" or ch in "ăâđêôơưĂÂĐÊÔƠƯ"


def _legacy_decode(data: bytes) -> tuple[str, str] | None:
    """Try the two legacy code pages news archives hold most: Vietnamese cp1258, then Western cp1252.

    Statistical detectors guess poorly on short articles (cp1252 read as cp1250 turns ``crème``
    into ``crčme``), so these two are tried first with checks that fail loudly when wrong.
    """
    try:
        vietnamese = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        vietnamese = ""
    if vietnamese and not any(unicodedata.combining(ch) for ch in vietnamese) and any(_is_vietnamese_letter(ch) for ch in vietnamese):
        return vietnamese, "cp1258"
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return None


def _checked(text: str, encoding: str) -> Decoded:
    if _control_ratio(text) > 0.01:
        raise NotTextError(f"binary file (control characters throughout, read as {encoding}), not text")
    if not text.strip():
        raise NotTextError("empty file (only whitespace)")
    return Decoded(text, encoding)
