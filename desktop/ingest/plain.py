"""Readers of the plain formats: text, Markdown, HTML (the story on a saved page) and JSON Lines (one article per line)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from desktop.ingest.decode import NotTextError, decode_bytes, decode_markup
from desktop.ingest.document import Extracted, Refused, SourceFile
from desktop.ingest.exports import html_cells_apart, might_be_export, split_export
from desktop.ingest.html import PageTooLargeError, extract_html, extract_page
from desktop.ingest.structure import Hints

_MD_HEADING = re.compile(r"^#{1,6}\s+", re.MULTILINE)


def read_text(source: SourceFile) -> Iterator[Extracted | Refused]:
    """A text file: one article, its news structure read from the text."""
    try:
        decoded = decode_bytes(source.read())
    except NotTextError as exc:
        yield Refused(str(exc))
        return
    yield Extracted(decoded.text, encoding=decoded.encoding)


def read_markdown(source: SourceFile) -> Iterator[Extracted | Refused]:
    """A Markdown file: its text with the heading marks taken off."""
    for item in read_text(source):
        yield Extracted(_MD_HEADING.sub("", item.text), encoding=item.encoding) if isinstance(item, Extracted) else item


def read_html(source: SourceFile) -> Iterator[Extracted | Refused]:
    """A saved web page: its story (or visible text), with the headline, date, byline and site it declares."""
    try:
        decoded = decode_markup(source.read())
    except NotTextError as exc:
        yield Refused(str(exc))
        return
    if might_be_export(decoded.text):  # a database's export: every story is main content, its labels the structure
        visible = extract_html(html_cells_apart(decoded.text)).text
        if split_export(visible) is not None:
            yield Extracted(visible, encoding=decoded.encoding)
            return
    try:
        text, hints = extract_page(decoded.text)
    except PageTooLargeError as exc:
        yield Refused(str(exc))
        return
    yield Extracted(text, hints, encoding=decoded.encoding)


def _tags(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(tag.strip() for tag in value.split(",") if tag.strip())
    if isinstance(value, list):
        return tuple(str(tag).strip() for tag in value if str(tag).strip())
    return ()


def read_jsonl(source: SourceFile) -> Iterator[Extracted | Refused]:
    """JSON Lines: one article per line (``text`` with ``title``, ``date``, ``source``, ``url``, ``tags``)."""
    max_bytes = source.max_bytes
    with source.path.open("rb") as handle:
        number = 0
        while raw := handle.readline(max_bytes + 1):  # never more than the limit in memory, however long the line
            number += 1
            part = str(number)
            if len(raw) > max_bytes:
                while not raw.endswith(b"\n") and (raw := handle.readline(1 << 20)):
                    pass  # the rest of the line, read and dropped
                yield Refused(f"line {number}: too large for an article (the limit is {max_bytes / 1_048_576:.1f} MB)", part)
                continue
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8-sig"))
            except UnicodeDecodeError:
                yield Refused(f"line {number}: not UTF-8 text", part)
                continue
            except ValueError as exc:
                yield Refused(f"line {number}: not valid JSON ({exc.args[0] if exc.args else exc})", part)
                continue
            except RecursionError:
                yield Refused(f"line {number}: not valid JSON (nested too deeply)", part)
                continue
            if not isinstance(record, dict):
                yield Refused(f'line {number}: expected a JSON object with a "text" field', part)
                continue
            body = record.get("text") or record.get("body") or record.get("content")
            if not isinstance(body, str) or not body.strip():
                yield Refused(f'line {number}: no "text" field', part)
                continue
            title = record.get("title")
            hints = Hints(
                title=title if isinstance(title, str) and title.strip() else None,
                date=str(record["date"]) if record.get("date") else None,
                agency=str(record["source"]) if record.get("source") else None,
                url=str(record["url"]) if record.get("url") else None,
                tags=_tags(record.get("tags")),
            )
            yield Extracted(body, hints, part=part, where=f"line {number}", original=raw.rstrip(b"\r\n"))
