"""Readers of word-processor files: Word .docx and OpenDocument .odt (zip + XML, read with bounds), and the old .doc refused."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from io import BytesIO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from desktop.ingest.document import Extracted, Refused, SourceFile
from desktop.ingest.meta import file_date_hint, meaningful_author, meaningful_title
from desktop.ingest.structure import Hints

#: the most a zip may hold; a document has a few dozen parts
MAX_MEMBERS = 5_000
#: the most one XML part may inflate to (a news story's document.xml is tens of KB); a "zip bomb" stops here
MAX_XML_BYTES = 16 * 1024 * 1024
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADLINE_WITHIN = 3  # a Title or first heading counts as the headline when it is one of the first paragraphs

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"  # the same content again, for old readers
_DC = "{http://purl.org/dc/elements/1.1/}"
_DCTERMS = "{http://purl.org/dc/terms/}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
_HEADING_STYLE = re.compile(r"^(?:title|heading\s*1|heading|überschrift\s*1|titre\s*1?|tiêu đề\s*1?)$", re.IGNORECASE)


class _UnreadableError(Exception):
    """The package cannot be read safely; the message is the refusal's reason."""


def is_ole(head: bytes) -> bool:
    """Whether ``head`` starts like an OLE compound file (Word 97-2003 .doc, old .xls, .ppt)."""
    return head.startswith(OLE_SIGNATURE)


def read_word(source: SourceFile) -> Iterator[Extracted | Refused]:
    """A .docx, or a .doc that is not RTF inside: a .docx renamed is read, a Word 97-2003 binary file refused with what to do.

    No small library under a permissive licence reads the Word 97-2003 binary format well, so it is refused by name.
    """
    with source.path.open("rb") as handle:
        head = handle.read(1024)
    if source.path.suffix.lower() == ".doc":
        if is_ole(head):
            yield Refused("a Word 97-2003 .doc file: open it in Word or LibreOffice and save it as .docx, then import that")
            return
        if b"<html" in head.lower() or head.startswith(b"MIME-Version"):
            yield Refused(
                "a web page saved with the name .doc: rename it to .html (or .mht: open it in Word and save it as .docx), then import that"
            )
            return
        if not head.startswith(b"PK"):
            yield Refused(
                "not a Word document this reader knows (neither .docx, RTF nor Word 97-2003 inside): open it in Word and save it as .docx"
            )
            return
    yield from read_docx(source)


class _Package:
    """A zip package read with bounds: a limited number of parts, each inflated no further than a limit."""

    def __init__(self, data: bytes, kind: str) -> None:
        self.kind = kind
        try:
            self.zip = zipfile.ZipFile(BytesIO(data))
            members = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
            raise _UnreadableError(f"a damaged {kind} file (not a readable zip package: {exc})") from exc
        if len(members) > MAX_MEMBERS:
            raise _UnreadableError(f"a {kind} file with {len(members):,} parts: not a document (the limit is {MAX_MEMBERS:,})")
        self.names = {member.filename for member in members}

    def xml(self, name: str) -> Element | None:
        """Part ``name`` parsed, or None when absent; refuses a part past the size limit, DTDs and entities."""
        if name not in self.names:
            return None
        info = self.zip.getinfo(name)
        if info.file_size > MAX_XML_BYTES:
            raise _UnreadableError(self._too_large(name, info.file_size))
        try:
            with self.zip.open(info) as handle:
                data = handle.read(MAX_XML_BYTES + 1)  # the declared size can lie: never more than the limit in memory
        except (zipfile.BadZipFile, NotImplementedError, EOFError, OSError, ValueError, RuntimeError) as exc:
            raise _UnreadableError(f"a damaged {self.kind} file: its part {name} cannot be read ({exc})") from exc
        if len(data) > MAX_XML_BYTES:
            raise _UnreadableError(self._too_large(name, None))
        try:
            root: Element = fromstring(data, forbid_dtd=True)
        except DefusedXmlException as exc:
            raise _UnreadableError(
                f"a {self.kind} file whose {name} declares a DTD or entities (not what Word or LibreOffice write): not read"
            ) from exc
        except (ParseError, ValueError) as exc:
            raise _UnreadableError(f"a damaged {self.kind} file: its part {name} is not well-formed XML ({exc})") from exc
        return root

    def _too_large(self, name: str, size: int | None) -> str:
        told = f" ({size / 1_048_576:.0f} MB)" if size else ""
        return f"a {self.kind} file whose {name} inflates past {MAX_XML_BYTES // 1_048_576} MB{told}: not read (a 'zip bomb'?)"


class _Document:
    """Paragraph text gathered in reading order, with notes kept for the end."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self.notes: list[str] = []
        self.headline: str | None = None

    def add(self, text: str, heading: bool) -> None:
        text = "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()
        if not text:
            return
        if heading and self.headline is None and len(self.paragraphs) < _HEADLINE_WITHIN:
            self.headline = " ".join(text.split())
        self.paragraphs.append(text)

    def text(self) -> str:
        return "\n\n".join(self.paragraphs + self.notes)


def _reading(source: SourceFile, kind: str) -> _Package | Refused:
    data = source.read()
    if is_ole(data[:8]):
        return Refused(
            f"a password-protected (encrypted) {kind} file, or an older Word file renamed: open it in Word or LibreOffice, "
            "save it as .docx without a password, and import that"
        )
    try:
        return _Package(data, kind)
    except _UnreadableError as exc:
        return Refused(str(exc))


def _hints(document: _Document, title: str | None, author: str | None, created: str | None, text: str) -> Hints:
    return Hints(
        title=document.headline or meaningful_title(title, text),
        author=meaningful_author(author),
        date=file_date_hint(created[:10] if created else None, text),
    )


def _child_text(root: Element | None, tag: str) -> str | None:
    found = root.find(f".//{tag}") if root is not None else None
    return " ".join(found.text.split()) if found is not None and found.text and found.text.strip() else None


# --- Word .docx -------------------------------------------------------------------------------------------------


def read_docx(source: SourceFile) -> Iterator[Extracted | Refused]:
    """A Word .docx: its paragraphs and tables in order, then its footnotes and endnotes; core properties as hints."""
    package = _reading(source, ".docx")
    if isinstance(package, Refused):
        yield package
        return
    try:
        body = package.xml("word/document.xml")
        if body is None:
            yield Refused("not a Word document: the .docx package has no word/document.xml")
            return
        headings = _docx_heading_styles(package.xml("word/styles.xml"))
        document = _Document()
        for element in body.iter(f"{_W}body"):
            _docx_blocks(element, document, headings)
            break
        for part, tag in (("word/footnotes.xml", "footnote"), ("word/endnotes.xml", "endnote")):
            notes = package.xml(part)
            for note in notes.iter(f"{_W}{tag}") if notes is not None else ():
                if note.get(f"{_W}type") in (None, "normal"):
                    note_document = _Document()
                    _docx_blocks(note, note_document, set())
                    document.notes.extend(note_document.paragraphs)
        core = package.xml("docProps/core.xml")
    except _UnreadableError as exc:
        yield Refused(str(exc))
        return
    text = document.text()
    if not text.strip():
        yield Refused("an empty Word document: no text in it")
        return
    hints = _hints(
        document, _child_text(core, f"{_DC}title"), _child_text(core, f"{_DC}creator"), _child_text(core, f"{_DCTERMS}created"), text
    )
    yield Extracted(text, hints, encoding="docx")


def _docx_heading_styles(styles: Element | None) -> set[str]:
    """The style ids that are a Title or a first-level heading, by their names (ids differ by language)."""
    found = {"Title", "Heading1"}
    for style in styles.iter(f"{_W}style") if styles is not None else ():
        name = style.find(f"{_W}name")
        outline = style.find(f"{_W}pPr/{_W}outlineLvl")
        if (name is not None and _HEADING_STYLE.match(name.get(f"{_W}val", ""))) or (
            outline is not None and outline.get(f"{_W}val") == "0"
        ):
            found.add(style.get(f"{_W}styleId", ""))
    return found


def _docx_blocks(container: Element, document: _Document, headings: set[str]) -> None:
    """Paragraphs of ``container`` in order, those in tables, text boxes and content controls included."""
    for child in container:
        if child.tag == f"{_W}p":
            parts: list[str] = []
            nested = _Document()
            _docx_runs(child, parts, nested, headings)
            style = child.find(f"{_W}pPr/{_W}pStyle")
            outline = child.find(f"{_W}pPr/{_W}outlineLvl")
            heading = (style is not None and style.get(f"{_W}val") in headings) or (outline is not None and outline.get(f"{_W}val") == "0")
            document.add("".join(parts), heading)
            for paragraph in nested.paragraphs:
                document.add(paragraph, False)
        elif child.tag in (f"{_W}del", f"{_W}moveFrom", _FALLBACK):
            continue  # tracked deletions are not the document's text
        else:
            _docx_blocks(child, document, headings)


def _docx_runs(element: Element, parts: list[str], nested: _Document, headings: set[str]) -> None:
    for child in element:
        tag = child.tag
        if tag == f"{_W}t":
            parts.append(child.text or "")
        elif tag in (f"{_W}tab", f"{_W}noBreakHyphen"):
            parts.append(" " if tag == f"{_W}tab" else "-")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif tag == f"{_W}txbxContent":
            _docx_blocks(child, nested, headings)
        elif tag in (
            f"{_W}del",
            f"{_W}moveFrom",
            f"{_W}instrText",
            f"{_W}delText",
            f"{_W}footnoteReference",
            f"{_W}pPr",
            f"{_W}rPr",
            _FALLBACK,
        ):
            continue
        else:
            _docx_runs(child, parts, nested, headings)


# --- OpenDocument .odt ------------------------------------------------------------------------------------------


def read_odt(source: SourceFile) -> Iterator[Extracted | Refused]:
    """An OpenDocument text: its headings, paragraphs, lists and tables in order, then its notes; meta.xml as hints."""
    package = _reading(source, ".odt")
    if isinstance(package, Refused):
        yield package
        return
    try:
        mimetype = package.zip.read("mimetype")[:100].decode("ascii", "replace").strip() if "mimetype" in package.names else ""
        if mimetype and not mimetype.startswith("application/vnd.oasis.opendocument.text"):
            yield Refused(f"an OpenDocument file that is not a text document ({mimetype}): not an article")
            return
        content = package.xml("content.xml")
        if content is None:
            yield Refused("not an OpenDocument text: the package has no content.xml")
            return
        titles = _odt_title_styles(content, package.xml("styles.xml"))
        document = _Document()
        for text_body in content.iter(f"{_OFFICE}text"):
            _odt_blocks(text_body, document, titles)
            break
        meta = package.xml("meta.xml")
    except _UnreadableError as exc:
        yield Refused(str(exc))
        return
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError) as exc:
        yield Refused(f"a damaged .odt file ({exc})")
        return
    text = document.text()
    if not text.strip():
        yield Refused("an empty OpenDocument text: no text in it")
        return
    author = _child_text(meta, f"{_DC}creator") or _child_text(meta, f"{_META}initial-creator")
    yield Extracted(
        text, _hints(document, _child_text(meta, f"{_DC}title"), author, _child_text(meta, f"{_META}creation-date"), text), encoding="odt"
    )


def _odt_title_styles(content: Element, styles: Element | None) -> set[str]:
    """Paragraph style names that are the Title style or derive from it (automatic styles P1... name their parent)."""
    titles = {"Title"}
    for root in (styles, content):
        for style in root.iter(f"{_STYLE}style") if root is not None else ():
            if style.get(f"{_STYLE}parent-style-name") in titles or (style.get(f"{_STYLE}display-name") or "").casefold() == "title":
                titles.add(style.get(f"{_STYLE}name", ""))
    return titles


def _odt_blocks(container: Element, document: _Document, titles: set[str]) -> None:
    for child in container:
        tag = child.tag
        if tag in (f"{_TEXT}p", f"{_TEXT}h"):
            parts: list[str] = []
            nested = _Document()
            _odt_inline(child, parts, nested, document, titles)
            heading = tag == f"{_TEXT}h" and child.get(f"{_TEXT}outline-level", "1") == "1"
            document.add("".join(parts), heading or child.get(f"{_TEXT}style-name") in titles)
            for paragraph in nested.paragraphs:
                document.add(paragraph, False)
        elif tag in (f"{_TEXT}tracked-changes", f"{_TEXT}sequence-decls", f"{_OFFICE}annotation", f"{_TEXT}table-of-content"):
            continue
        else:
            _odt_blocks(child, document, titles)


def _odt_inline(element: Element, parts: list[str], nested: _Document, document: _Document, titles: set[str]) -> None:
    parts.append(element.text or "")
    for child in element:
        tag = child.tag
        if tag == f"{_TEXT}s":
            count = child.get(f"{_TEXT}c", "1")
            parts.append(" " * min(int(count), 100) if count.isdigit() else " ")
        elif tag == f"{_TEXT}tab":
            parts.append(" ")
        elif tag == f"{_TEXT}line-break":
            parts.append("\n")
        elif tag == f"{_TEXT}note":
            body = child.find(f"{_TEXT}note-body")
            if body is not None:
                note = _Document()
                _odt_blocks(body, note, set())
                document.notes.extend(note.paragraphs)
        elif tag in (f"{_OFFICE}annotation", f"{_OFFICE}annotation-end"):
            pass
        elif tag.startswith("{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"):
            _odt_blocks(child, nested, titles)  # a frame's text box: its paragraphs after this one
        else:
            _odt_inline(child, parts, nested, document, titles)
        parts.append(child.tail or "")
