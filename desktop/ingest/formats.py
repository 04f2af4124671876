"""The registry of import formats: extension (and, where one extension means several, a sniff) -> reader, label.

Everything that names the formats reads this list: the import itself, the Import dialog's filter, drag and
drop, the CLI's help, the skip message for an unknown type, and docs/import.md. Adding a format is one
reader module and one entry here (see docs/development.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from desktop.ingest import feeds, mail, mhtml, office, plain, rtf, warc
from desktop.ingest.document import Extracted, Reader, Refused, Sniffer, SourceFile


@dataclass(frozen=True, slots=True)
class Format:
    """One kind of file Archive Browser imports.

    Attributes:
        name: a short key (``html``), shown in the debug log and the docs.
        label: what the Import dialog's filter calls it (``Web pages``).
        extensions: the file name endings it is chosen by, lower case with the dot.
        read: the reader: a file -> its articles' texts, or refusals.
        sniff: for an extension several formats share (``.xml``, ``.doc``), whether the file's first bytes are this
            format's; formats without one take their extensions unconditionally, after those with one.
    """

    name: str
    label: str
    extensions: tuple[str, ...]
    read: Reader
    sniff: Sniffer | None = None


def _read_pdf(source: SourceFile) -> Iterator[Extracted | Refused]:
    from desktop.ingest import pdf  # pdfminer and the cryptography it loads: on the first PDF, not at start

    yield from pdf.read_pdf(source)


FORMATS: tuple[Format, ...] = (
    Format("text", "Text files", (".txt", ".text"), plain.read_text),
    Format("markdown", "Markdown", (".md", ".markdown"), plain.read_markdown),
    Format("html", "Web pages", (".html", ".htm", ".xhtml"), plain.read_html),
    Format("mhtml", "Web pages saved as one file (MHTML)", (".mhtml", ".mht"), mhtml.read_mhtml),
    Format("pdf", "PDF documents", (".pdf",), _read_pdf),
    Format("docx", "Word documents", (".docx", ".doc"), office.read_word),
    Format("doc-rtf", "Word documents saved as RTF", (".doc",), rtf.read_rtf, sniff=rtf.is_rtf),
    Format("odt", "OpenDocument text", (".odt",), office.read_odt),
    Format("rtf", "Rich Text", (".rtf",), rtf.read_rtf),
    Format("email", "E-mail messages", (".eml",), mail.read_eml),
    Format("mbox", "Mailboxes (one article per message)", (".mbox",), mail.read_mbox),
    Format("feed", "News feeds, RSS and Atom (one article per entry)", (".rss", ".atom"), feeds.read_feed),
    Format("feed-xml", "News feeds saved as .xml", (".xml", ".rdf"), feeds.read_feed, feeds.sniff_feed),
    Format("warc", "Web archives, WARC and ARC (one article per page)", (".warc", ".warc.gz", ".arc", ".arc.gz"), warc.read_warc),
    Format("jsonl", "JSON Lines (one article per line)", (".jsonl", ".ndjson"), plain.read_jsonl),
)


def extensions() -> tuple[str, ...]:
    """Every extension some format reads, in registry order, once each."""
    return tuple(dict.fromkeys(ext for fmt in FORMATS for ext in fmt.extensions))


def _named(path: Path) -> list[Format]:
    """The formats whose extensions name ``path`` (``.warc.gz``: the last two suffixes of a gzipped file)."""
    suffix = "".join(path.suffixes[-2:]).lower() if path.name.lower().endswith(".gz") else path.suffix.lower()
    return [fmt for fmt in FORMATS if suffix in fmt.extensions]


def is_known(path: Path) -> bool:
    """Whether some format reads files named like ``path`` (its content may still decide it is none of them)."""
    return bool(_named(path))


def format_for(path: Path, head: bytes) -> Format | None:
    """The format of ``path``: by its extension, the sniffers of formats sharing it deciding first."""
    matching = _named(path)
    for fmt in matching:
        if fmt.sniff is not None and fmt.sniff(head):
            return fmt
    return next((fmt for fmt in matching if fmt.sniff is None), None)


def labels_for(path: Path) -> str:
    """The labels of the formats that read files named like ``path``, for saying what a file is not."""
    return "; ".join(fmt.label for fmt in _named(path))


def supported_summary() -> str:
    """The extensions as a short phrase for messages and help: ``.txt, .md, .html and .jsonl``."""
    names = [fmt.extensions[0] for fmt in FORMATS]
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]


def dialog_filter() -> str:
    """A file dialog's filter: every supported file first, then one line per format, then all files."""

    def patterns(exts: tuple[str, ...]) -> str:
        return " ".join(f"*{ext}" for ext in exts)

    lines = [f"Articles ({patterns(extensions())})"]
    lines += [f"{fmt.label} ({patterns(fmt.extensions)})" for fmt in FORMATS]
    lines.append("All files (*)")
    return ";;".join(lines)
