"""The Word .docx, OpenDocument .odt and RTF readers (and .doc by what is inside), field by field, and a real import."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desktop.core.models import PartialDate
from desktop.ingest.patterns import NewsPatterns
from desktop.library import Library
from tests.external import external_file
from tests.ingest.officewriter import cp1258_rtf_bytes, docx_paragraph, odt_content, rtf_escape, write_docx, write_odt
from tests.ingest.test_pdf import DATA, article, only, paragraphs

RICE_TITLE = "Việt Nam đẩy mạnh xuất khẩu gạo sang châu Phi"
STORM_TITLE = "Bão số 3 đổ bộ vào Quảng Ninh, hàng nghìn người sơ tán"


@pytest.mark.parametrize("name", ["rice.docx", "rice.odt", "rice.rtf"])
def test_a_long_story_reads_field_by_field_with_its_footnote_and_no_page_furniture(name: str, patterns: NewsPatterns) -> None:
    parsed = article(DATA / name, patterns)
    assert (parsed.title, parsed.title_kind) == (RICE_TITLE, "headline")
    assert (parsed.agency, parsed.place, parsed.date, parsed.author) == ("VNA", "Hanoi", PartialDate(None, 3, 14), "Nguyễn Thị Lan")
    found = paragraphs(parsed)
    assert len(found) == 24
    assert found[0] == RICE_TITLE
    assert found[1].startswith("HANOI, March 14 (VNA) – Vietnamese rice exporters")
    assert found[1].endswith("turned to Vietnamese fragrant varieties.")
    assert found[3].startswith("“African consumers now know the ST25 name,” said Trần Văn Đức, director of a rice company in Sóc Trăng")
    assert found[-2] == "The ministry expects rice exports to Africa to reach two million tonnes this year."
    assert found[-1] == "Figures from the General Department of Vietnam Customs."  # the footnote, after the text
    assert "Bulletin" not in parsed.text
    assert "Page" not in parsed.text


@pytest.mark.parametrize("name", ["storm.docx", "storm.odt", "storm.rtf", "storm-rtf-named.doc"])
def test_a_heading_1_headline_and_a_doc_that_is_rtf_inside(name: str, patterns: NewsPatterns) -> None:
    parsed = article(DATA / name, patterns)
    assert (parsed.title, parsed.title_kind) == (STORM_TITLE, "headline")
    assert (parsed.agency, parsed.place, parsed.date, parsed.author) == ("VNA", "Hạ Long", PartialDate(None, 9, 7), "Lê Minh Hoàng")
    assert paragraphs(parsed) == [
        STORM_TITLE,
        "HẠ LONG, September 7 (VNA) – Typhoon Yagi made landfall in Quảng Ninh province on Saturday afternoon with winds of up to "
        "150 km an hour, and more than 50,000 people were moved from coastal villages to schools and offices.",
        "Chairman of the provincial People's Committee Cao Tường Huy said fishing boats had been called back to port two days earlier "
        "and that rescue teams were ready in every district.",
        "Flights to Vân Đồn airport were cancelled until Sunday evening.",
    ]


def test_a_word_97_doc_is_refused_with_what_to_do(patterns: NewsPatterns) -> None:
    reason = only(DATA / "storm-word97.doc", patterns).reason
    assert reason == "a Word 97-2003 .doc file: open it in Word or LibreOffice and save it as .docx, then import that"


def test_a_doc_is_read_by_what_is_inside(tmp_path: Path, patterns: NewsPatterns) -> None:
    shutil.copy(DATA / "storm.docx", tmp_path / "renamed-docx.doc")
    assert article(tmp_path / "renamed-docx.doc", patterns).title == STORM_TITLE
    (tmp_path / "page.doc").write_bytes(b"<html><body><p>Saved from Word as a web page</p></body></html>")
    assert "a web page saved with the name .doc" in (only(tmp_path / "page.doc", patterns).reason or "")
    (tmp_path / "noise.doc").write_bytes(b"\x00\x01 not a document")
    assert "not a Word document this reader knows" in (only(tmp_path / "noise.doc", patterns).reason or "")
    shutil.copy(DATA / "storm-word97.doc", tmp_path / "locked.docx")  # what a password-protected .docx looks like: an OLE file
    assert "password-protected (encrypted) .docx" in (only(tmp_path / "locked.docx", patterns).reason or "")


def test_docx_tables_text_boxes_and_tracked_changes(tmp_path: Path, patterns: NewsPatterns) -> None:
    table = f"<w:tbl><w:tr><w:tc>{docx_paragraph('Province')}</w:tc><w:tc>{docx_paragraph('Tonnes')}</w:tc></w:tr></w:tbl>"
    deleted = (
        "<w:p><w:r><w:t>Rice prices </w:t></w:r><w:del><w:r><w:delText>fell</w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t>rose</w:t></w:r></w:ins></w:p>"
    )
    # Word writes a text box twice: for readers that know shapes (mc:Choice) and for older ones (mc:Fallback)
    box = (
        '<w:p><w:r><w:t>Main text.</w:t><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        f"<mc:Choice><w:drawing><w:txbxContent>{docx_paragraph('Text in a box.')}</w:txbxContent></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><w:txbxContent>{docx_paragraph('Text in a box.')}</w:txbxContent></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r></w:p>"
    )
    breaks = "<w:p><w:r><w:t>First line</w:t><w:br/><w:t>second line</w:t><w:tab/><w:t>after a tab</w:t></w:r></w:p>"
    path = write_docx(tmp_path / "t.docx", docx_paragraph("Rice prices rise", "Heading1") + deleted + table + box + breaks)
    parsed = article(path, patterns)
    assert (parsed.title, parsed.title_kind) == ("Rice prices rise", "headline")
    assert paragraphs(parsed) == [
        "Rice prices rise",
        "Rice prices rose",
        "Province",
        "Tonnes",
        "Main text.",
        "Text in a box.",
        "First line\nsecond line after a tab",
    ]


def test_core_properties_are_hints_only_when_they_mean_something(tmp_path: Path, patterns: NewsPatterns) -> None:
    body = docx_paragraph("Schools reopen after the floods") + docx_paragraph("Schools in the province reopened on Monday.")
    junk = write_docx(
        tmp_path / "junk.docx", body, title="Microsoft Word - Document1", creator="Administrator", created="2019-04-05T08:00:00Z"
    )
    parsed = article(junk, patterns)
    assert (parsed.title, parsed.author, parsed.date) == ("Schools reopen after the floods", None, PartialDate(2019, 4, 5))
    dated = docx_paragraph("Schools reopen") + docx_paragraph("HUẾ, Oct. 12 (VNA) – Schools in the province reopened on Monday.")
    good = write_docx(tmp_path / "good.docx", dated, title="Schools reopen", creator="Phạm Văn Nam", created="2025-01-01T00:00:00Z")
    parsed = article(good, patterns)
    assert (parsed.title, parsed.author, parsed.place, parsed.date) == ("Schools reopen", "Phạm Văn Nam", "Huế", PartialDate(None, 10, 12))


def test_odt_spaces_notes_lists_and_a_document_that_is_not_text(tmp_path: Path, patterns: NewsPatterns) -> None:
    body = (
        '<text:h text:outline-level="1">Ferry service resumes</text:h>'
        '<text:p>Ferries<text:s text:c="3"/>to Cô Tô<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation>'
        "<text:note-body><text:p>Cô Tô is in Quảng Ninh.</text:p></text:note-body></text:note> sail again.</text:p>"
        "<text:list><text:list-item><text:p>Two boats a day.</text:p></text:list-item></text:list>"
        "<text:tracked-changes><text:changed-region><text:deletion><text:p>Deleted words.</text:p></text:deletion>"
        "</text:changed-region></text:tracked-changes>"
    )
    parsed = article(write_odt(tmp_path / "ferry.odt", body), patterns)
    assert (parsed.title, parsed.title_kind) == ("Ferry service resumes", "headline")
    assert paragraphs(parsed) == ["Ferry service resumes", "Ferries to Cô Tô sail again.", "Two boats a day.", "Cô Tô is in Quảng Ninh."]
    sheet = write_odt(
        tmp_path / "sheet.odt", content=odt_content("<text:p>x</text:p>"), mimetype="application/vnd.oasis.opendocument.spreadsheet"
    )
    assert "not a text document" in (only(sheet, patterns).reason or "")


def test_rtf_in_a_legacy_code_page_with_unicode_escapes(tmp_path: Path, patterns: NewsPatterns) -> None:
    title = rtf_escape(cp1258_rtf_bytes("Đà Nẵng mở đường bay mới"))
    lead = rtf_escape(cp1258_rtf_bytes("ĐÀ NẴNG, May 5 (VNA) – Hãng bay mở đường bay mới"))
    rtf = (
        r"{\rtf1\ansi\ansicpg1258\deff0{\fonttbl{\f0\fswiss\fcharset0 Arial;}{\f1\fswiss\fcharset163 Arial;}}"
        r"{\info{\title " + title + r"}{\author Nguy\u7877?n V\u259?n An}{\creatim\yr2019\mo5\dy5}}"
        r"\pard\plain\f1 " + title + r"\par"
        "\n" + r"\pard " + lead + r" \u-10179?\u-8704? \'93quoted\'94 and a \{brace\}.\par"
        r"{\*\generator Hidden}{\header Running header\par}\pard Second\line line\tab end.\par}"
    )
    path = tmp_path / "danang.rtf"
    path.write_bytes(rtf.encode("ascii"))
    candidate = only(path, patterns)
    assert candidate.article is not None, candidate.reason
    parsed = candidate.article
    assert (parsed.title, parsed.author, parsed.place, parsed.agency) == ("Đà Nẵng mở đường bay mới", "Nguyễn Văn An", "Đà Nẵng", "VNA")
    assert paragraphs(parsed) == [
        "Đà Nẵng mở đường bay mới",
        "ĐÀ NẴNG, May 5 (VNA) – Hãng bay mở đường bay mới 😀 “quoted” and a {brace}.",
        "Second\nline end.",
    ]
    assert candidate.original is not None
    assert candidate.original.encoding == "rtf (cp1258)"


def test_files_from_python_docx(patterns: NewsPatterns) -> None:
    tables = article(external_file("formats/blk-paras-and-tables.docx"), patterns)
    assert paragraphs(tables)[0] == "Lorem ipsum dolor sit amet, consectetur adipiscing elit."
    assert paragraphs(tables)[-1] == "Donec semper facilisis metus finibus malesuada."
    assert tables.author == "Steve Canny"
    header = article(external_file("formats/hdr-header-footer.docx"), patterns)
    assert paragraphs(header) == ["section with header", "section without header of its own."]


def test_a_docx_an_odt_and_an_rtf_import_into_a_library(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    for name in ("rice.docx", "storm.odt", "storm.rtf"):
        shutil.copy(DATA / name, source / name)
    with Library.open(tmp_path / "archive") as library:
        report = library.imports.paths([source])
        outcomes = {Path(o.path).name: o for o in report.outcomes}
        assert {name: o.outcome for name, o in outcomes.items()} == {
            "rice.docx": "imported",
            "storm.odt": "imported",
            "storm.rtf": "duplicate",
        }
        rice = library.articles.get(outcomes["rice.docx"].id or 0)
        assert (rice.summary.title, rice.summary.agency, rice.summary.place, rice.encoding) == (RICE_TITLE, "VNA", "Hanoi", "docx")
        assert library.articles.original(rice.id) == (DATA / "rice.docx").read_bytes()
        storm = library.articles.get(outcomes["storm.odt"].id or 0)
        assert (storm.summary.title, storm.summary.place, storm.encoding) == (STORM_TITLE, "Hạ Long", "odt")
        assert [hit.id for hit in library.search.find("Vân Đồn").hits] == [storm.id]
