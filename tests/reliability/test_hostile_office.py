"""Hostile PDF, Word, OpenDocument and RTF files: one clear outcome each, in bounded memory (measured with tracemalloc)."""

from __future__ import annotations

import ast
import random
import shutil
import struct
import subprocess
import sys
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.ingest.files import read_candidates
from desktop.ingest.office import MAX_XML_BYTES
from desktop.ingest.patterns import NewsPatterns
from desktop.ingest.pdf import MAX_PAGES
from desktop.ingest.pdf_limits import MAX_FILE_INFLATED_BYTES, MAX_STREAM_BYTES
from desktop.library import Library
from tests.conftest import REPO
from tests.ingest.officewriter import W_NS, billion_laughs, docx_document, docx_paragraph, odt_content, write_docx, write_odt
from tests.ingest.pdfwriter import PdfBuilder, content, many_pages
from tests.ingest.test_pdf import DATA, scan_only_pdf

MB = 1024 * 1024
#: what reading one hostile file may allocate at its peak (measured: 32 MB at most, for a part inflating to the 16 MB
#: limit); each bomb here would take from 256 MB to many GB if expanded
PEAK_LIMIT = 64 * MB
#: how much a child process's resident memory may grow reading one file (allocator slack and pdfminer's caches included)
RSS_GROWTH_LIMIT = 160 * MB
_CHILD = """
import resource, sys
from pathlib import Path
from desktop.ingest.files import read_candidates
from desktop.ingest.patterns import load_patterns
patterns = load_patterns()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
reasons = [candidate.reason for candidate in read_candidates(Path(sys.argv[1]), patterns)]
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
print(reasons)
"""


def one_reason(path: Path, patterns: NewsPatterns) -> tuple[str, int]:
    """The one refusal ``path`` gets, and the peak memory Python allocated while reading it."""
    tracemalloc.start()
    try:
        candidates = list(read_candidates(path, patterns))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(candidates) == 1, candidates
    assert candidates[0].article is None, candidates[0].article
    assert candidates[0].reason
    return candidates[0].reason, peak


def one_reason_in_a_child(path: Path) -> tuple[str, int]:
    """As :func:`one_reason`, measured as a child process's peak resident memory: tracemalloc would slow pdfminer tenfold."""
    done = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True, check=True, cwd=REPO, timeout=600)
    growth, reasons = done.stdout.splitlines()
    found = ast.literal_eval(reasons)
    assert len(found) == 1, found
    assert found[0]
    return str(found[0]), int(growth) * 1024


# --- zip packages ---------------------------------------------------------------------------------------------------


def zip_bomb(path: Path, member: str, prefix: bytes, suffix: bytes, size: int) -> Path:
    """A package whose ``member`` inflates to ``size`` bytes of one repeated letter (written in pieces)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        with package.open(member, "w", force_zip64=True) as handle:
            handle.write(prefix)
            piece = b"a" * MB
            for _ in range(size // MB):
                handle.write(piece)
            handle.write(suffix)
    return path


def docx_bomb(path: Path) -> Path:
    return zip_bomb(
        path,
        "word/document.xml",
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>'.encode(),
        b"</w:t></w:r></w:p></w:body></w:document>",
        256 * MB,
    )


def odt_bomb(path: Path) -> Path:
    head = odt_content("<text:p>").split("<text:p>")[0].encode() + b"<text:p>"
    return zip_bomb(path, "content.xml", head, b"</text:p></office:text></office:body></office:document-content>", 256 * MB)


def lying_sizes(path: Path) -> Path:
    """A .docx whose document.xml says it is 1,000 bytes but inflates to 32 MB (its size fields rewritten)."""
    write_docx(path, "", document=docx_document(docx_paragraph("x" * (32 * MB))))
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            name_length = struct.unpack_from("<H", data, start + (26 if signature == b"PK\x03\x04" else 28))[0]
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + name_length] == b"word/document.xml":
                struct.pack_into("<I", data, start + offset, 1000)
            start += 4
    path.write_bytes(bytes(data))
    return path


def many_members(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as package:
        for number in range(6000):
            package.writestr(f"junk/{number}.xml", "")
    return path


def docx_laughs(path: Path) -> Path:
    return write_docx(path, "", document=billion_laughs(f'w:document xmlns:w="{W_NS}"'))


def odt_laughs(path: Path) -> Path:
    return write_odt(
        path, content=billion_laughs('office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"')
    )


def docx_external_entity(path: Path) -> Path:
    document = (
        '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        f'<w:document xmlns:w="{W_NS}">&secret;</w:document>'
    )
    return write_docx(path, "", document=document)


def truncated_docx(path: Path) -> Path:
    shutil.copy(DATA / "rice.docx", path)
    path.write_bytes(path.read_bytes()[:3000])
    return path


PACKAGES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "bomb.docx": (docx_bomb, "inflates past 16 MB"),
    "bomb.odt": (odt_bomb, "inflates past 16 MB"),
    "lying-sizes.docx": (lying_sizes, "damaged .docx file"),
    "many-parts.docx": (many_members, "6,000 parts: not a document"),
    "laughs.docx": (docx_laughs, "declares a DTD or entities"),
    "laughs.odt": (odt_laughs, "declares a DTD or entities"),
    "external-entity.docx": (docx_external_entity, "declares a DTD or entities"),
    "truncated.docx": (truncated_docx, "damaged .docx file"),
}


@pytest.mark.parametrize("name", list(PACKAGES))
def test_a_hostile_package_is_refused_in_bounded_memory(name: str, tmp_path: Path, patterns: NewsPatterns) -> None:
    make, expected = PACKAGES[name]
    reason, peak = one_reason(make(tmp_path / name), patterns)
    assert expected in reason
    assert peak < PEAK_LIMIT


def test_the_xml_limit_leaves_room_for_a_real_story() -> None:
    assert MAX_XML_BYTES >= 8 * MB  # a 300-page report's document.xml is about 5 MB


# --- PDF ------------------------------------------------------------------------------------------------------------


def pdf_reference_loop(path: Path) -> Path:
    pdf = PdfBuilder()
    catalog = pdf.add(b"<< /Type /Catalog /Pages 2 0 R >>")
    pdf.add(b"3 0 R")
    pdf.add(b"2 0 R")
    path.write_bytes(pdf.build(catalog))
    return path


def pdf_self_drawing_form(path: Path) -> Path:
    """A page tree that lists itself among its kids, and a form that draws itself."""
    pdf = PdfBuilder()
    catalog = pdf.add(b"<< /Type /Catalog /Pages 2 0 R >>")
    pdf.add(b"<< /Type /Pages /Count 2 /Kids [2 0 R 3 0 R] >>")
    pdf.add(b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /XObject << /X 5 0 R >> >> >>")
    pdf.stream(b"/X Do")
    pdf.add(
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Length 5 /Resources << /XObject << /X 5 0 R >> >> >>"
        b"\nstream\n/X Do\nendstream"
    )
    path.write_bytes(pdf.build(catalog))
    return path


def pdf_with_contents(path: Path, *streams: bytes, extra: bytes = b"", compress: bool = True) -> Path:
    """One page whose contents are ``streams`` (Flate-compressed unless told)."""
    pdf = PdfBuilder()
    catalog = pdf.add(b"<< /Type /Catalog /Pages 2 0 R >>")
    pdf.add(b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>")
    page = pdf.add(b"")
    numbers = [pdf.stream(data, compress=compress, extra=extra) for data in streams]
    pdf.set(page, b"<< /Type /Page /Parent 2 0 R /Contents [%s] >>" % b" ".join(b"%d 0 R" % number for number in numbers))
    path.write_bytes(pdf.build(catalog))
    return path


def pdf_flate_bomb(path: Path) -> Path:
    """One content stream of 160 MB of spaces: 160 KB in the file."""
    return pdf_with_contents(path, content([(72, 700, "Bomb")]) + b"\n" + b" " * (160 * MB))


def pdf_many_flate_streams(path: Path) -> Path:
    """Streams each under the limit for one, together past the limit for a file."""
    each = MAX_STREAM_BYTES - MB
    return pdf_with_contents(path, *[b" " * each] * (MAX_FILE_INFLATED_BYTES // each + 1))


def pdf_run_length_bomb(path: Path) -> Path:
    """RunLength: two bytes make 128; 600 KB make 38 MB."""
    return pdf_with_contents(path, b"\x81 " * (300 * 1024) + b"\x80", extra=b" /Filter /RunLengthDecode", compress=False)


def write(data: bytes) -> Callable[[Path], Path]:
    def make(path: Path) -> Path:
        path.write_bytes(data)
        return path

    return make


PDFS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "reference-loop.pdf": (pdf_reference_loop, "refer to each other in a loop"),
    "self-drawing.pdf": (pdf_self_drawing_form, "no text layer"),
    "lying-page-count.pdf": (lambda path: write(many_pages(MAX_PAGES + 100, declared=1))(path), f"more than {MAX_PAGES} pages"),
    "flate-bomb.pdf": (pdf_flate_bomb, f"compressed streams inflate past {MAX_STREAM_BYTES // MB} MB"),
    "many-flate-streams.pdf": (pdf_many_flate_streams, f"compressed streams inflate past {MAX_FILE_INFLATED_BYTES // MB} MB"),
    "run-length-bomb.pdf": (pdf_run_length_bomb, f"compressed streams inflate past {MAX_STREAM_BYTES // MB} MB"),
    "garbage.pdf": (write(b"%PDF-1.7\n" + random.Random(7).randbytes(300_000)), "a damaged PDF that cannot be read"),
    "truncated.pdf": (lambda path: write((DATA / "rice.pdf").read_bytes()[:4000])(path), "a damaged PDF"),
    "scan.pdf": (write(scan_only_pdf()), "no text layer: a scanned image"),
    "password.pdf": (lambda path: write((DATA / "storm-password.pdf").read_bytes())(path), "encrypted PDF that needs a password"),
}


@pytest.mark.parametrize("name", list(PDFS))
def test_a_hostile_pdf_gets_one_clear_outcome_in_bounded_memory(name: str, tmp_path: Path, patterns: NewsPatterns) -> None:
    make, expected = PDFS[name]
    reason, peak = one_reason(make(tmp_path / name), patterns)
    assert expected in reason
    # streams are kept once inflated, up to the budget for a file
    assert peak < (MAX_FILE_INFLATED_BYTES + PEAK_LIMIT if name == "many-flate-streams.pdf" else PEAK_LIMIT)


def test_a_100000_page_pdf_is_refused_by_its_page_count_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "100000-pages.pdf"
    path.write_bytes(many_pages(100_000))
    reason, growth = one_reason_in_a_child(path)
    assert reason == f"100,000 pages: a book or a bound volume, not an article (the limit is {MAX_PAGES}); split it into articles first"
    assert growth < RSS_GROWTH_LIMIT


# --- .doc and RTF ---------------------------------------------------------------------------------------------------


RTFS: dict[str, tuple[bytes, str]] = {
    "deep.rtf": (b"{\\rtf1 " + b"{" * 200_000 + b"text", "a damaged RTF file: groups nested more than 500 deep"),
    "huge-bin.rtf": (b"{\\rtf1 \\bin999999999 " + b"\x00" * 1000 + b"}", "an empty RTF document"),
    "only-controls.rtf": (b"{\\rtf1\\ansi " + b"\\b\\i\\ul0 " * 50_000 + b"}", "an empty RTF document"),
    "not-rtf.rtf": (b"\x00\x01binary", "not an RTF file"),
    "word97.doc": ((DATA / "storm-word97.doc").read_bytes(), "a Word 97-2003 .doc file"),
}


@pytest.mark.parametrize("name", list(RTFS))
def test_a_hostile_rtf_or_doc_gets_one_clear_outcome_in_bounded_memory(name: str, tmp_path: Path, patterns: NewsPatterns) -> None:
    data, expected = RTFS[name]
    path = tmp_path / name
    path.write_bytes(data)
    reason, peak = one_reason(path, patterns)
    assert expected in reason
    assert peak < PEAK_LIMIT


def test_a_folder_of_hostile_documents_imports_the_good_one_and_one_reason_for_each_other(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    for name, (make, _) in {**PACKAGES, **PDFS}.items():
        if name not in ("bomb.docx", "bomb.odt", "flate-bomb.pdf", "many-flate-streams.pdf"):  # each big one is measured above
            make(source / name)
    for name, (data, _) in RTFS.items():
        (source / name).write_bytes(data)
    shutil.copy(DATA / "storm.docx", source / "good.docx")
    with Library.open(tmp_path / "archive") as library:
        report = library.imports.paths([source])
        names = [Path(outcome.path).name for outcome in report.outcomes]
        assert sorted(names) == sorted(path.name for path in source.iterdir())
        outcomes = {Path(o.path).name: (o.outcome, o.reason) for o in report.outcomes}
        assert outcomes.pop("good.docx") == ("imported", None)
        assert all(outcome == "skipped" and reason for outcome, reason in outcomes.values()), outcomes
        assert library.articles.count() == 1
        assert library.check.run().ok
