"""Readers of e-mail: one message (.eml) or a Unix mailbox of them (.mbox), each message one article."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from email import policy
from email.errors import MessageError
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

from desktop.ingest.decode import NotTextError, decode_bytes
from desktop.ingest.document import Extracted, Refused, SourceFile
from desktop.ingest.html import extract_page
from desktop.ingest.structure import Hints

#: an mbox is read a line at a time; a longer "line" is read in pieces of this size, so memory stays bounded
_LINE_PIECE = 1 << 20
_SNIFF_BYTES = 8192
_MBOXRD_QUOTED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)
# the email package is lenient, but a malformed header can still trip its parser when the header is read
_HEADER_ERRORS = (MessageError, ValueError, TypeError, IndexError, AttributeError, LookupError)


def read_eml(source: SourceFile) -> Iterator[Extracted | Refused]:
    """One e-mail message: its text (plain part, else the HTML part), with subject, sender and date."""
    yield _article(source.read())


def read_mbox(source: SourceFile) -> Iterator[Extracted | Refused]:
    """A Unix mailbox: one article per message, read one message at a time (memory holds one message)."""
    number = 0
    for number, raw in enumerate(_mbox_messages(source.path, source.max_bytes), start=1):
        part = str(number)
        if raw is None:
            yield Refused(f"message {number}: too large for an article (the limit is {source.max_bytes / 1_048_576:.1f} MB)", part)
            continue
        yield _article(raw, number=number)
    if number == 0:
        yield Refused("no messages in this mailbox: an mbox file starts each message with a line beginning 'From '")


def _mbox_messages(path: Path, max_bytes: int) -> Iterator[bytes | None]:
    """Each message's bytes (its ``From`` separator line left out), or None for one over ``max_bytes``.

    The stdlib ``mailbox.mbox`` opens the file for writing and lists every message before giving the first,
    reading each line whole; this reads the file once, read-only, a bounded piece at a time.
    """
    with path.open("rb") as handle:
        lines: list[bytes] | None = None  # None: before the first "From " line
        size = 0
        too_large = False
        at_line_start = True
        while piece := handle.readline(_LINE_PIECE):
            starts_message = at_line_start and piece.startswith(b"From ")
            at_line_start = piece.endswith(b"\n")
            if starts_message:
                if lines is not None:
                    yield None if too_large else _without_separator(lines)
                lines, size, too_large = [], 0, False
                if not at_line_start:  # a separator line longer than a piece: drop the rest of it
                    while (rest := handle.readline(_LINE_PIECE)) and not rest.endswith(b"\n"):
                        pass
                    at_line_start = True
                continue
            if lines is None:
                if piece.strip():
                    return  # text before any "From " line: not a mailbox (the caller says so)
                continue
            size += len(piece)
            if size > max_bytes:
                too_large = True
                lines.clear()
            elif not too_large:
                lines.append(piece)
        if lines is not None:
            yield None if too_large else _without_separator(lines)


def _without_separator(lines: list[bytes]) -> bytes:
    """The message bytes without the blank line that separates it from the next ``From`` line."""
    if lines and lines[-1] in (b"\n", b"\r\n"):
        lines = lines[:-1]
    return b"".join(lines)


def _article(raw: bytes, *, number: int | None = None) -> Extracted | Refused:
    """One message's article, or why it has none: one outcome whatever the message holds."""
    try:
        return _read_message(raw, number)
    except Exception as exc:  # the email package on a hostile message: one outcome for it, never a crash of the import
        prefix = "" if number is None else f"message {number}: "
        return Refused(f"{prefix}cannot read this message ({type(exc).__name__}: {' '.join(str(exc).split())[:160]})", _part(number))


def _part(number: int | None) -> str | None:
    return None if number is None else str(number)


def _read_message(raw: bytes, number: int | None) -> Extracted | Refused:
    part = _part(number)
    where = None if number is None else f"message {number}"
    prefix = "" if where is None else f"{where}: "
    if not raw.strip():
        return Refused(f"{prefix}empty message", part)
    try:
        decode_bytes(raw[:_SNIFF_BYTES])  # a mail is text (attachments are base64): this refuses a photo or a program
    except NotTextError as exc:
        return Refused(f"{prefix}not an e-mail message: {exc}", part)
    parsed = BytesParser(policy=policy.default).parsebytes(_MBOXRD_QUOTED_FROM.sub(rb"\1", raw) if number else raw)
    assert isinstance(parsed, EmailMessage)  # policy.default builds EmailMessage objects
    body = _body(parsed)
    if body is None:
        return Refused(f"{prefix}no text in this message (attachments are not imported)", part)
    try:
        text, encoding = _part_text(body)
    except NotTextError as exc:
        return Refused(f"{prefix}the message text cannot be read: {exc}", part)
    page_hints = Hints()
    if body.get_content_type() == "text/html":
        text, page_hints = extract_page(text)
    elif str(body.get_param("format", "")).lower() == "flowed":
        text = _unflow(text, delete_space=str(body.get_param("delsp", "")).lower() == "yes")
    if not text.strip():
        return Refused(f"{prefix}the message has no text", part)
    hints = Hints(
        title=_header(parsed, "subject") or page_hints.title,
        date=_date(parsed) or page_hints.date,
        author=_sender(parsed),
        url=page_hints.url,
        publication=page_hints.publication,
    )
    return Extracted(text, hints, encoding=encoding, part=part, where=where, original=None if number is None else raw)


def _body(message: EmailMessage) -> Message | None:
    """The part holding the message's text: the plain text one, else the HTML one; attachments never."""
    try:
        return message.get_body(preferencelist=("plain",)) or message.get_body(preferencelist=("html",))
    except _HEADER_ERRORS:
        return None


def _part_text(part: Message) -> tuple[str, str]:
    """A text part's content decoded: transfer encoding undone, then its declared charset, else a detected one."""
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    charset = part.get_content_charset()
    if not data.strip():
        return "", charset or "ascii"
    if charset:
        try:
            return unicodedata.normalize("NFC", data.decode(charset)), charset
        except (LookupError, UnicodeDecodeError):
            pass  # an unknown charset, or bytes that do not fit the declared one: detect it as for a text file
    decoded = decode_bytes(data)
    return decoded.text, decoded.encoding if not charset else f"{decoded.encoding} (declared {charset[:40]}, which did not fit)"


def _unflow(text: str, *, delete_space: bool) -> str:
    """Join the soft line breaks of ``format=flowed`` text (RFC 3676): a line ending in a space goes on."""
    joined: list[str] = []
    pending = ""
    for line in text.splitlines():
        if line.endswith(" ") and line != "-- ":
            pending += line[:-1] if delete_space else line
            continue
        joined.append(pending + line)
        pending = ""
    if pending:
        joined.append(pending)
    return "\n".join(joined)


def _raw(message: EmailMessage, name: str) -> str | None:
    """A header's value as written (``raw_items`` skips the header objects, which cost a millisecond a message)."""
    for key, value in message.raw_items():
        if key.lower() == name:
            return str(value)
    return None


def _decoded(value: str) -> str:
    """Encoded words (``=?utf-8?b?...?=``) decoded; bytes that are not ASCII read as UTF-8, else detected."""
    if any("\udc80" <= char <= "\udcff" for char in value):
        raw = value.encode("ascii", "surrogateescape")
        try:
            value = raw.decode("utf-8")
        except UnicodeDecodeError:
            value = raw.decode("cp1252", "replace")
    try:
        value = str(make_header(decode_header(value)))
    except (*_HEADER_ERRORS, UnicodeError):
        pass  # an encoded word that cannot be decoded: kept as written
    return unicodedata.normalize("NFC", " ".join(value.split()))


def _header(message: EmailMessage, name: str) -> str | None:
    """A header's text, encoded words decoded, or None when missing or empty."""
    value = _raw(message, name)
    return _decoded(value) or None if value is not None else None


def _date(message: EmailMessage) -> str | None:
    """The day the message was sent, as the sender's clock had it (ISO ``YYYY-MM-DD``)."""
    value = _raw(message, "date")
    if value is None:
        return None
    try:
        return parsedate_to_datetime(" ".join(value.split())).date().isoformat()
    except (ValueError, TypeError, IndexError, OverflowError):
        return None


def _sender(message: EmailMessage) -> str | None:
    """The sender's name as written (their address when the header gives no name); several joined by ``;``."""
    value = _raw(message, "from")
    if value is None:
        return None
    names = [_decoded(name) or address for name, address in getaddresses([value])]
    found = [name for name in names if name]
    return "; ".join(found) if found else _decoded(value) or None
