"""Small .docx, .odt and RTF writers for tests: the parts a reader looks at, and the odd ones hostile files have."""

from __future__ import annotations

import unicodedata
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CORE = (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">{}</cp:coreProperties>'
)


def docx_paragraph(text: str, style: str | None = None) -> str:
    style_xml = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f'<w:p>{style_xml}<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def docx_document(body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'


def write_docx(path: Path, body: str, *, title: str = "", creator: str = "", created: str = "", document: str | None = None) -> Path:
    """A .docx with ``body`` (WordprocessingML paragraphs) and core properties; ``document`` replaces document.xml whole."""
    core = ""
    if title:
        core += f"<dc:title>{escape(title)}</dc:title>"
    if creator:
        core += f"<dc:creator>{escape(creator)}</dc:creator>"
    if created:
        core += f'<dcterms:created xsi:type="dcterms:W3CDTF">{created}</dcterms:created>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(
            "[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
        )
        package.writestr("word/document.xml", document if document is not None else docx_document(body))
        package.writestr("docProps/core.xml", _CORE.format(core))
    return path


def odt_content(body: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0">'
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )


def write_odt(path: Path, body: str = "", *, content: str | None = None, mimetype: str = "application/vnd.oasis.opendocument.text") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        package.writestr("content.xml", content if content is not None else odt_content(body))
    return path


def billion_laughs(root: str) -> str:
    """An XML document whose one entity expands to 10^9 "lol"s: a reader that expands entities runs out of memory."""
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)]
    return f'<?xml version="1.0"?><!DOCTYPE {root.split()[0]} [{"".join(entities)}]><{root}>&lol9;</{root.split()[0]}>'


def cp1258_rtf_bytes(text: str) -> bytes:
    """``text`` as Windows-1258 bytes written the Vietnamese way: a letter with its tone mark as letter + combining mark."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(mark for mark in decomposed[1:] if mark in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(mark for mark in decomposed if mark not in tones))
        out += base.encode("cp1258") + tones.encode("cp1258")
    return bytes(out)


def rtf_escape(data: bytes) -> str:
    """Bytes as RTF text: ASCII as is, the rest as \\'xx."""
    return "".join(chr(byte) if 32 <= byte < 128 and chr(byte) not in "\\{}" else f"\\'{byte:02x}" for byte in data)
