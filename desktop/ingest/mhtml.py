"""MHTML (.mhtml, .mht): a page saved with its images as one MIME message; its HTML part read as a saved web page."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from email.message import Message

from desktop.ingest.decode import NotTextError, decode_markup
from desktop.ingest.document import SNIFF_BYTES, Extracted, Refused, SourceFile
from desktop.ingest.html import PageTooLargeError, extract_page
from desktop.ingest.plain import read_html

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def read_mhtml(source: SourceFile) -> Iterator[Extracted | Refused]:
    """The page in an MHTML file: its first HTML part (quoted-printable or base64, in its charset) through the page path.

    The URL is the one the browser saved the page from (``Snapshot-Content-Location``, else the part's
    ``Content-Location``). The original kept is the whole file.
    """
    data = source.read()
    if not looks_like_mhtml(data[:SNIFF_BYTES]) and b"<html" in data[:SNIFF_BYTES].lower():
        yield from read_html(source)  # a web page saved under an .mht name
        return
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    part = next((part for part in message.walk() if part.get_content_type() in _HTML_TYPES), None)
    if part is None:
        yield Refused("no web page inside: this MHTML file has no HTML part")
        return
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes) or not payload.strip():
        yield Refused("the web page inside this MHTML file is empty")
        return
    try:
        decoded = decode_markup(payload, transport_charset=_charset(part))
    except NotTextError as exc:
        yield Refused(f"the web page inside: {exc}")
        return
    try:
        text, hints = extract_page(decoded.text, url=_location(message, part))
    except PageTooLargeError as exc:
        yield Refused(f"the web page inside: {exc}")
        return
    yield Extracted(text, hints, encoding=decoded.encoding)


def _charset(part: Message) -> str | None:
    charset = part.get_content_charset()
    return charset if isinstance(charset, str) else None


def _location(message: Message, part: Message) -> str | None:
    for value in (message.get("Snapshot-Content-Location"), part.get("Content-Location")):
        if isinstance(value, str) and value.strip():
            return "".join(value.split())  # a long URL is folded over several header lines
    return None


def looks_like_mhtml(head: bytes) -> bool:
    """Whether a file starts as a MIME message does (headers such as ``MIME-Version:`` or ``From:``)."""
    start = head.lstrip()[:2048].lower()
    return b"mime-version:" in start or b"content-type: multipart/related" in start
