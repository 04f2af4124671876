"""A small PDF writer for tests: pages of Helvetica lines placed by hand, and the odd structures hostile files have."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

Line = tuple[float, float, str]  # x, y (from the bottom, in points), text
A4 = (595, 842)


def _literal(text: str) -> bytes:
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def content(lines: list[Line], size: float = 11) -> bytes:
    """A page's content stream: each line set at its place in Helvetica."""
    parts = [b"BT /F1 %.1f Tf" % size]
    for x, y, text in lines:
        parts.append(b"1 0 0 1 %.1f %.1f Tm %s Tj" % (x, y, _literal(text)))
    parts.append(b"ET")
    return b"\n".join(parts)


@dataclass
class PdfBuilder:
    """Objects numbered from 1; ``build`` writes them with a correct cross-reference table."""

    objects: list[bytes] = field(default_factory=list)

    def add(self, body: bytes) -> int:
        self.objects.append(body)
        return len(self.objects)

    def set(self, number: int, body: bytes) -> None:
        self.objects[number - 1] = body

    def stream(self, data: bytes, *, compress: bool = False, extra: bytes = b"") -> int:
        if compress:
            data = zlib.compress(data, 9)
            extra += b" /Filter /FlateDecode"
        return self.add(b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream")

    def build(self, root: int, info: int | None = None) -> bytes:
        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(self.objects, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(self.objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        trailer = b"<< /Size %d /Root %d 0 R" % (len(self.objects) + 1, root) + (b" /Info %d 0 R" % info if info else b"") + b" >>"
        out += b"trailer\n" + trailer + b"\nstartxref\n%d\n%%%%EOF\n" % xref
        return bytes(out)


def _text_string(value: str) -> bytes:
    return b"<feff" + value.encode("utf-16-be").hex().encode() + b">"


def make_pdf(pages: list[list[Line]], info: dict[str, str] | None = None, *, size: float = 11) -> bytes:
    """A PDF with one page per list of lines, and an Info dictionary (Title, Author, CreationDate...)."""
    pdf = PdfBuilder()
    catalog = pdf.add(b"")
    tree = pdf.add(b"")
    font = pdf.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    for lines in pages:
        stream = pdf.stream(content(lines, size), compress=True)
        kids.append(
            pdf.add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                % (tree, *A4, font, stream)
            )
        )
    pdf.set(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % tree)
    pdf.set(tree, b"<< /Type /Pages /Count %d /Kids [%s] >>" % (len(kids), b" ".join(b"%d 0 R" % kid for kid in kids)))
    info_number = None
    if info:
        info_number = pdf.add(b"<< " + b" ".join(b"/%s %s" % (key.encode(), _text_string(value)) for key, value in info.items()) + b" >>")
    return pdf.build(catalog, info_number)


def wrap(text: str, width: int = 80) -> list[str]:
    """``text`` cut into lines of at most ``width`` characters at spaces."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return [*lines, current] if current else lines


def many_pages(count: int, *, declared: int | None = None) -> bytes:
    """``count`` pages sharing one content stream; the page tree may declare another ``/Count`` (a lying file)."""
    pdf = PdfBuilder()
    catalog = pdf.add(b"")
    tree = pdf.add(b"")
    font = pdf.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    stream = pdf.stream(content([(72, 700, "A page of a very long file.")]))
    first = len(pdf.objects) + 1
    page = b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (
        tree,
        font,
        stream,
    )
    pdf.objects.extend([page] * count)
    kids = b" ".join(b"%d 0 R" % number for number in range(first, first + count))
    pdf.set(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % tree)
    pdf.set(tree, b"<< /Type /Pages /Count %d /Kids [%s] >>" % (declared if declared is not None else count, kids))
    return pdf.build(catalog)
