"""Files and folders to import candidates: one candidate (or one JSONL line) per outcome, never silence."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from desktop.core.models import ParsedArticle
from desktop.ingest.decode import NotTextError, decode_bytes
from desktop.ingest.html import extract_html
from desktop.ingest.patterns import NewsPatterns
from desktop.ingest.structure import Hints, NotAnArticleError, parse_article

FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
_MD_HEADING = re.compile(r"^#{1,6}\s+", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class OriginalFile:
    """The bytes exactly as read, with their fixity hash."""

    data: bytes
    sha256: str
    name: str
    source: str
    encoding: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """A parsed article ready to store, or the reason it cannot be."""

    label: str
    article: ParsedArticle | None = None
    original: OriginalFile | None = None
    reason: str | None = None


def display_path(path: Path | str) -> str:
    """``path`` as text that can be stored and shown: bytes that are not UTF-8 in a name become ``\\xff``.

    On Linux a file name is bytes; Python keeps undecodable ones as lone surrogates, which SQLite,
    JSON and Qt refuse. The escaped form is one-to-one for real names, so a source stays distinct.
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def collect_paths(paths: Iterable[Path]) -> list[Path]:
    """Every file under ``paths`` (folders walked recursively, in a stable order); missing paths kept for a reason.

    A link to a folder inside a walked folder is listed, not followed (it may loop back), and so is a
    folder that cannot be read: each then gets its reason from :func:`read_candidates`.
    """
    found: list[Path] = []
    unreadable: list[Path] = []

    def note(error: OSError) -> None:
        if error.filename is not None:
            unreadable.append(Path(error.filename))

    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path, onerror=note):
                dirs.sort()
                found.extend(Path(root) / name for name in sorted(files))
                found.extend(Path(root) / name for name in dirs if (Path(root) / name).is_symlink())
            found.extend(unreadable)
            unreadable.clear()
        else:
            found.append(path)
    return found


def _original(data: bytes, path: Path, source: str, encoding: str) -> OriginalFile:
    return OriginalFile(data=data, sha256=hashlib.sha256(data).hexdigest(), name=display_path(path.name), source=source, encoding=encoding)


def _skip(label: str, reason: str) -> Candidate:
    return Candidate(label=label, reason=reason)


def read_candidates(path: Path, patterns: NewsPatterns, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Candidate]:
    """Read one file and yield its candidates: one per file, or one per line of a JSONL file."""
    label = display_path(path)
    if path.is_dir():
        if path.is_symlink():
            yield _skip(label, "a link to a folder: not followed (it could lead back into the folders being imported)")
            return
        try:
            os.listdir(path)
        except OSError as exc:
            yield _skip(label, f"cannot read this folder: {exc.strerror or exc}")
        else:
            yield _skip(label, "a folder: import it as a folder to read the files in it")
        return
    if path.name.startswith("."):
        yield _skip(label, "hidden file")
        return
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        yield _skip(label, f"unsupported file type '{path.suffix or '(none)'}': Archive Browser reads .txt, .md, .html and .jsonl")
        return
    try:
        if not path.exists():
            yield _skip(label, "cannot read: no such file (a broken link?)")
            return
        if not path.is_file():
            yield _skip(label, "not a regular file")
            return
        size = path.stat().st_size
        if fmt == "jsonl":
            yield from _read_jsonl(path, patterns, max_bytes)
            return
        if size > max_bytes:
            yield _skip(label, f"too large for an article ({size / 1_048_576:.1f} MB; the limit is {max_bytes / 1_048_576:.1f} MB)")
            return
        data = path.read_bytes()
    except PermissionError:
        yield _skip(label, "cannot read: permission denied")
        return
    except OSError as exc:
        yield _skip(label, f"cannot read: {exc.strerror or exc}")
        return
    yield _candidate_from_bytes(data, path, label, fmt, patterns)


def _candidate_from_bytes(data: bytes, path: Path, label: str, fmt: str, patterns: NewsPatterns) -> Candidate:
    try:
        decoded = decode_bytes(data)
    except NotTextError as exc:
        return _skip(label, str(exc))
    text = decoded.text
    hints = Hints()
    if fmt == "html":
        extracted = extract_html(text)
        text = extracted.text
        hints = Hints(title=extracted.title, date=extracted.date, agency=extracted.site)
    elif fmt == "markdown":
        text = _MD_HEADING.sub("", text)
    try:
        article = parse_article(text, patterns, hints)
    except NotAnArticleError as exc:
        return _skip(label, str(exc))
    return Candidate(label=label, article=article, original=_original(data, path, label, decoded.encoding))


def _tags(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(tag.strip() for tag in value.split(",") if tag.strip())
    if isinstance(value, list):
        return tuple(str(tag).strip() for tag in value if str(tag).strip())
    return ()


def _read_jsonl(path: Path, patterns: NewsPatterns, max_bytes: int) -> Iterator[Candidate]:
    with path.open("rb") as handle:
        number = 0
        while raw := handle.readline(max_bytes + 1):  # never more than the limit in memory, however long the line
            number += 1
            label = f"{display_path(path)}:{number}"
            if len(raw) > max_bytes:
                while not raw.endswith(b"\n") and (raw := handle.readline(1 << 20)):
                    pass  # the rest of the line, read and dropped
                yield _skip(label, f"line {number}: too large for an article (the limit is {max_bytes / 1_048_576:.1f} MB)")
                continue
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8-sig"))
            except UnicodeDecodeError:
                yield _skip(label, f"line {number}: not UTF-8 text")
                continue
            except ValueError as exc:
                yield _skip(label, f"line {number}: not valid JSON ({exc.args[0] if exc.args else exc})")
                continue
            except RecursionError:
                yield _skip(label, f"line {number}: not valid JSON (nested too deeply)")
                continue
            if not isinstance(record, dict):
                yield _skip(label, f'line {number}: expected a JSON object with a "text" field')
                continue
            body = record.get("text") or record.get("body") or record.get("content")
            if not isinstance(body, str) or not body.strip():
                yield _skip(label, f'line {number}: no "text" field')
                continue
            title = record.get("title")
            hints = Hints(
                title=title if isinstance(title, str) and title.strip() else None,
                date=str(record["date"]) if record.get("date") else None,
                agency=str(record["source"]) if record.get("source") else None,
                url=str(record["url"]) if record.get("url") else None,
                tags=_tags(record.get("tags")),
            )
            try:
                article = parse_article(body, patterns, hints)
            except NotAnArticleError as exc:
                yield _skip(label, f"line {number}: {exc}")
                continue
            yield Candidate(label=label, article=article, original=_original(raw.rstrip(b"\r\n"), path, label, "utf-8"))
