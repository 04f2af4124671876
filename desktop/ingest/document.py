"""What a format's reader gives back: the text of one article (with what the format knows of it), or a refusal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from desktop.ingest.structure import Hints

#: how much of a file's start a format's sniffer is shown
SNIFF_BYTES = 4096


class FileTooLargeError(ValueError):
    """The file is over the reader's limit for holding it in memory."""


@dataclass(slots=True)
class SourceFile:
    """A file being imported: its path, the label its outcomes carry, and its bytes on demand (read once)."""

    path: Path
    label: str
    size: int
    max_bytes: int
    _data: bytes | None = None

    def read(self) -> bytes:
        """The whole file, as read (raises :class:`FileTooLargeError` past ``max_bytes``)."""
        if self._data is None:
            if self.size > self.max_bytes:
                raise FileTooLargeError(
                    f"too large for an article ({self.size / 1_048_576:.1f} MB; the limit is {self.max_bytes / 1_048_576:.1f} MB)"
                )
            self._data = self.path.read_bytes()
        return self._data


@dataclass(frozen=True, slots=True)
class Extracted:
    """The text of one article read out of a file, before its news structure is read.

    Attributes:
        text: the article's text, one paragraph per line or blank-line separated.
        hints: what the format itself says (title, date, author, publication, URL); it wins over guessing.
        encoding: how the bytes were decoded (``utf-8``, ``cp1258``; ``pdf``, ``docx`` for binary formats).
        part: which part of the file this is when it holds several (``3``: the third message), added to the
            outcome's label (``feed.rss:3``); None for the whole file.
        where: the part in words (``line 3``, ``message 3``), put before a reason this part is refused.
        original: the part's own bytes, kept byte for byte; None when the original is the whole file.
        details: other fields the source gave (section, page, edition, language, a database's document id).
        layout: the text line by line as the document lays it out, where ``text`` has rebuilt paragraphs from lines
            (a PDF): structure that lives in lines, such as a news database's field labels, is read from it.
    """

    text: str
    hints: Hints = field(default_factory=Hints)
    encoding: str = "utf-8"
    part: str | None = None
    where: str | None = None
    original: bytes | None = None
    details: tuple[tuple[str, str], ...] = ()
    layout: str | None = None


@dataclass(frozen=True, slots=True)
class Refused:
    """Why a file (or one part of it) yields no article, in words the archivist can act on."""

    reason: str
    part: str | None = None


Reader = Callable[[SourceFile], Iterator[Extracted | Refused]]
Sniffer = Callable[[bytes], bool]
