"""The PDF reader: the text layer page by page, paragraphs rebuilt, running headers, footers and page numbers left out."""

from __future__ import annotations

import logging
import math
import re
import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from itertools import pairwise

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTChar, LTPage, LTTextBox, LTTextBoxVertical, LTTextLine
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFObjRef, resolve1
from pdfminer.utils import decode_text

from desktop.ingest.document import Extracted, Refused, SourceFile
from desktop.ingest.meta import file_date_hint, meaningful_author, meaningful_title
from desktop.ingest.pdf_limits import StreamTooLargeError, inflation_budget, install
from desktop.ingest.structure import Hints

#: past this many pages a PDF is a book or a bound volume, not an article; it is refused before its pages are laid out
MAX_PAGES = 500
_EDGE_LINES = 2  # how many lines at the top and at the bottom of a page may be a running header or footer
_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|p\.|trang|seite|página|pagina)\s*)?[-–—(\[]?\s*\d{1,5}\s*[-–—)\]]?(?:\s*(?:of|/|trên|von|de|di)\s*\d{1,5})?$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?:;…][\"”’»)\]]*$")

log = logging.getLogger(__name__)
install()  # pdfminer inflates streams within bounds from here on
logging.getLogger("pdfminer").setLevel(logging.ERROR)  # it warns on every odd object a damaged file holds; the outcome says enough


class _LoopError(ValueError):
    """An object that is only a reference leads back to itself: pdfminer would follow it forever."""


class _GuardedDocument(PDFDocument):
    """A document whose object look-ups refuse a loop of bare references (``2 0 obj 3 0 R``, ``3 0 obj 2 0 R``)."""

    def getobj(self, objid: int) -> object:
        found = super().getobj(objid)
        seen = {objid}
        probe = found
        while isinstance(probe, PDFObjRef):
            if probe.objid in seen:
                raise _LoopError(f"object {objid} refers to itself through {len(seen)} references")
            seen.add(probe.objid)
            probe = super().getobj(probe.objid)
        return found


@dataclass(slots=True)
class _Line:
    text: str
    x0: float
    x1: float
    y0: float
    y1: float

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def read_pdf(source: SourceFile) -> Iterator[Extracted | Refused]:
    """A PDF: one article from its text layer, with its Title, Author and CreationDate as hints when they mean something."""
    data = source.read()
    if b"%PDF-" not in data[:1024]:
        yield Refused("not a PDF file (no %PDF header): it may be damaged, or another kind of file named .pdf")
        return
    try:
        with inflation_budget():
            outcome = _read(data)
    except StreamTooLargeError as exc:
        yield Refused(f"a PDF whose compressed streams inflate past {exc.limit // 1_048_576} MB: not read (a 'zip bomb'?)")
    except (RecursionError, _LoopError):
        yield Refused("a damaged PDF: its objects refer to each other in a loop")
    except MemoryError:
        yield Refused("a PDF too large to read in memory")
    except Exception as exc:  # pdfminer raises many kinds (PSEOF, PDFSyntaxError, KeyError, TypeError, ...) on damaged files
        log.debug("pdfminer failed on %s", source.label, exc_info=True)
        yield Refused(f"a damaged PDF that cannot be read ({type(exc).__name__}): open it in a PDF reader and print it to a new PDF")
    else:
        yield outcome


def _read(data: bytes) -> Extracted | Refused:
    try:
        document = _GuardedDocument(PDFParser(BytesIO(data)), password="")
    except PDFPasswordIncorrect:
        return Refused("an encrypted PDF that needs a password to open: open it in a PDF reader, print it to a new PDF, and import that")
    except PDFEncryptionError as exc:
        return Refused(f"an encrypted PDF this reader cannot open ({exc}): print it to a new PDF and import that")
    declared = resolve1(resolve1(document.catalog.get("Pages")) or {}).get("Count") if document.catalog else None
    if isinstance(declared, int) and declared > MAX_PAGES:
        return _too_many_pages(declared)
    pages: list[list[list[_Line]]] = []
    manager = PDFResourceManager(caching=True)
    device = PDFPageAggregator(manager, laparams=LAParams(detect_vertical=True))  # vertical CJK columns read as lines
    interpreter = PDFPageInterpreter(manager, device)
    for number, page in enumerate(PDFPage.create_pages(document), start=1):
        if number > MAX_PAGES:
            return _too_many_pages(None)
        interpreter.process_page(page)
        layout = device.get_result()
        pages.append(_boxes(layout))
    if not pages:
        return Refused("a PDF with no pages")
    _drop_running_lines(pages)
    paragraphs = _paragraphs(pages)
    text = "\n\n".join(paragraphs)
    if not text.strip():
        return Refused(
            "no text layer: a scanned image (or only pictures), not text; run it through OCR (text recognition), then import the result"
        )
    lines = "\n\n".join("\n".join(line.text for line in box) for boxes in pages for box in boxes)
    return Extracted(text, _hints(document, text), encoding="pdf", layout=lines)


def _too_many_pages(count: int | None) -> Refused:
    pages = f"{count:,} pages" if count else f"more than {MAX_PAGES:,} pages"
    return Refused(f"{pages}: a book or a bound volume, not an article (the limit is {MAX_PAGES:,}); split it into articles first")


def _line_text(line: LTTextLine) -> str:
    """A line's text without footnote marks (digits set much smaller than the line's letters)."""
    sizes = [item.size for item in line if isinstance(item, LTChar)]
    if not sizes:
        return str(line.get_text()).strip()
    normal = max(sizes)
    kept = [item.get_text() for item in line if not (isinstance(item, LTChar) and item.get_text().isdigit() and item.size < 0.75 * normal)]
    return "".join(kept).replace("\n", " ").strip()


def _boxes(layout: LTPage) -> list[list[_Line]]:
    boxes: list[list[_Line]] = []
    for element in layout:
        if not isinstance(element, LTTextBox):
            continue
        lines = [_Line(_line_text(line), line.x0, line.x1, line.y0, line.y1) for line in element if isinstance(line, LTTextLine)]
        lines = [line for line in lines if line.text]
        if isinstance(element, LTTextBoxVertical):
            boxes.extend([line] for line in lines)  # a vertical column: one line each, its geometry is not a paragraph's
        elif lines:
            boxes.append(lines)
    return boxes


def _edge_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.casefold().split()))


def _is_running(group: list[tuple[int, _Line]]) -> bool:
    """Whether lines alike but for their numbers are a running header or footer: the same, or numbered with the page."""
    if len({line.text for _, line in group}) == 1:
        return True
    numbers = [[int(n) for n in re.findall(r"\d+", line.text)] for _, line in group]
    if not numbers[0] or any(len(found) != len(numbers[0]) for found in numbers):
        return False
    return any(len({found[k] - page for found, (page, _) in zip(numbers, group, strict=True)}) == 1 for k in range(len(numbers[0])))


def _drop_running_lines(pages: list[list[list[_Line]]]) -> None:
    """Take out page numbers, and lines repeated at the top or bottom of most pages (running headers and footers).

    Only the two highest and two lowest lines of a page can be one; lines that differ only in their numbers count as
    one when the numbers follow the pages ("Page 3", "- 4 -"), not when they merely differ ("Paragraph 7", "Paragraph 12").
    """
    edges: list[list[_Line]] = []
    for boxes in pages:
        lines = sorted((line for box in boxes for line in box), key=lambda line: -line.y1)
        edges.append(lines[:_EDGE_LINES] + lines[-_EDGE_LINES:] if len(lines) > 2 * _EDGE_LINES else lines)
    groups: dict[str, list[tuple[int, _Line]]] = {}
    for page, page_edges in enumerate(edges):
        for line in page_edges:
            groups.setdefault(_edge_key(line.text), []).append((page, line))
    needed = max(2, math.ceil(len(pages) / 2))
    running = {id(line) for page_edges in edges for line in page_edges if _PAGE_NUMBER.match(line.text.strip())}
    for group in groups.values():
        if len({page for page, _ in group}) >= needed and _is_running(group):
            running.update(id(line) for _, line in group)
    for boxes in pages:
        boxes[:] = [kept for box in boxes if (kept := [line for line in box if id(line) not in running])]


def _breaks_before(previous: _Line, line: _Line, left: float, right: float, pitch: float | None) -> bool:
    """Whether ``line`` starts a new paragraph inside one text box: a wider gap, an indent, another size, or a short last line."""
    height = max(line.height, previous.height, 1.0)
    if abs(line.height - previous.height) > 0.25 * height:
        return True
    if pitch is not None and previous.y0 - line.y0 > 1.4 * pitch:
        return True
    if line.x0 > left + 0.8 * height and previous.x0 <= left + 0.3 * height:
        return True
    return previous.x1 < right - 0.15 * (right - left) and bool(_SENTENCE_END.search(previous.text))


def _join_line(paragraph: str, line: str) -> str:
    if paragraph.endswith(("-", "\u00ad")) and len(paragraph) > 1 and paragraph[-2].isalpha() and line[:1].islower():
        return paragraph[:-1] + line  # a word split at the line's end
    return f"{paragraph} {line}" if paragraph else line


def _paragraphs(pages: list[list[list[_Line]]]) -> list[str]:
    paragraphs: list[str] = []
    for boxes in pages:
        for box in boxes:
            left, right = min(line.x0 for line in box), max(line.x1 for line in box)
            steps = [a.y0 - b.y0 for a, b in pairwise(box) if a.y0 > b.y0]
            pitch = statistics.median(steps) if len(steps) >= 2 else None
            current = box[0].text
            if paragraphs and _continues(paragraphs[-1], current):
                current = _join_line(paragraphs.pop(), current)
            for previous, line in pairwise(box):
                if _breaks_before(previous, line, left, right, pitch):
                    paragraphs.append(current)
                    current = line.text
                else:
                    current = _join_line(current, line.text)
            paragraphs.append(current)
    return paragraphs


def _continues(paragraph: str, text: str) -> bool:
    """Whether ``text`` (the start of a box or page) goes on with ``paragraph``: it ended mid-sentence and ``text`` is lower case."""
    return bool(text[:1].islower()) and not _SENTENCE_END.search(paragraph)


def _info_text(info: dict[str, object], key: str) -> str | None:
    value = resolve1(info.get(key))
    if isinstance(value, bytes):
        text = decode_text(value)
    elif isinstance(value, str):
        text = value
    else:
        return None
    return " ".join(text.replace("\x00", "").split()) or None


def _pdf_date(value: str | None) -> str | None:
    """``D:20260314093000+07'00'`` -> ``2026-03-14``."""
    match = re.match(r"(?:D:)?(\d{4})(\d{2})?(\d{2})?", value or "")
    if not match:
        return None
    return "-".join(part for part in match.groups() if part)


def _hints(document: PDFDocument, text: str) -> Hints:
    info: dict[str, object] = {}
    for entry in document.info:
        if isinstance(entry, dict):
            info.update(entry)
    return Hints(
        title=meaningful_title(_info_text(info, "Title"), text),
        author=meaningful_author(_info_text(info, "Author")),
        date=file_date_hint(_pdf_date(_info_text(info, "CreationDate")), text),
    )
