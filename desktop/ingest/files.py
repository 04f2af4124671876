"""Files and folders to import candidates: one candidate (or one JSONL line) per outcome, never silence."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from desktop.core.models import ParsedArticle
from desktop.ingest import formats
from desktop.ingest.document import SNIFF_BYTES, Extracted, FileTooLargeError, Refused, SourceFile
from desktop.ingest.exports import split_export
from desktop.ingest.patterns import NewsPatterns
from desktop.ingest.structure import Hints, NotAnArticleError, parse_article

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
#: what of an export's header each story keeps: the search that found it and when it was asked
_EXPORT_HEADER = frozenset({"terms", "search terms", "time of request", "date and time"})


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
    #: whether a stored article from the same source with another text is this one corrected: true for a whole
    #: file; a part named by its position (the third entry of a feed, the fifth story of an export) may be another
    #: story next time, so a changed part is stored beside the earlier one, never over it
    correctable: bool = True


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
    """Read one file and yield its candidates: one per article it holds, or one reason it holds none."""
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
    if not formats.is_known(path):
        yield _skip(label, _unsupported(path))
        return
    try:
        if not path.exists():
            yield _skip(label, "cannot read: no such file (a broken link?)")
            return
        if not path.is_file():
            yield _skip(label, "not a regular file")
            return
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
        fmt = formats.format_for(path, head)
        if fmt is None:
            kinds = formats.labels_for(path)
            yield _skip(
                label, f"not one of the kinds of {path.suffix} file Archive Browser reads ({kinds})" if kinds else _unsupported(path)
            )
            return
        source = SourceFile(path=path, label=label, size=path.stat().st_size, max_bytes=max_bytes)
        for item in fmt.read(source):
            for piece in stories_of(item):
                yield _candidate(piece, source, patterns)
    except FileTooLargeError as exc:
        yield _skip(label, str(exc))
    except PermissionError:
        yield _skip(label, "cannot read: permission denied")
    except OSError as exc:
        yield _skip(label, f"cannot read: {exc.strerror or exc}")


def stories_of(item: Extracted | Refused) -> Iterator[Extracted | Refused]:
    """A whole file's text split into its stories when it is a news-database export; anything else as it is."""
    export = split_export(item.layout or item.text) if isinstance(item, Extracted) and item.part is None else None
    if export is None:
        yield item
        return
    assert isinstance(item, Extracted)
    header = tuple((f"export {key}", value) for key, value in export.header.items() if key in _EXPORT_HEADER)
    for story in export.stories:
        hints = Hints(title=story.headline, date=story.date, author=story.byline, publication=story.publication, url=story.url)
        details = (("database", export.database), *story.details.items(), *header)
        yield Extracted(story.text, hints, item.encoding, part=str(story.number), where=f"story {story.number}", details=details)


def _unsupported(path: Path) -> str:
    return f"unsupported file type '{path.suffix or '(none)'}': Archive Browser reads {formats.supported_summary()}"


def _candidate(item: Extracted | Refused, source: SourceFile, patterns: NewsPatterns) -> Candidate:
    label = source.label if item.part is None else f"{source.label}:{item.part}"
    if isinstance(item, Refused):
        return _skip(label, item.reason)
    try:
        article = parse_article(item.text, patterns, item.hints)
    except NotAnArticleError as exc:
        return _skip(label, f"{item.where}: {exc}" if item.where else str(exc))
    article.details = dict(item.details)
    data = item.original if item.original is not None else source.read()
    return Candidate(
        label=label, article=article, original=_original(data, source.path, label, item.encoding), correctable=item.part is None
    )
