"""The PDF reader, field by field, on LibreOffice-made and hand-made PDFs, through read_candidates and a real import."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from desktop.core.models import ParsedArticle, PartialDate
from desktop.ingest.files import Candidate, read_candidates
from desktop.ingest.patterns import NewsPatterns
from desktop.library import Library
from tests.external import external_file
from tests.ingest.pdfwriter import A4, PdfBuilder, make_pdf, wrap

DATA = Path(__file__).resolve().parent.parent / "data" / "formats"


def only(path: Path, patterns: NewsPatterns) -> Candidate:
    candidates = list(read_candidates(path, patterns))
    assert len(candidates) == 1, candidates
    return candidates[0]


def article(path: Path, patterns: NewsPatterns) -> ParsedArticle:
    candidate = only(path, patterns)
    assert candidate.reason is None, candidate.reason
    assert candidate.article is not None
    return candidate.article


def paragraphs(parsed: ParsedArticle) -> list[str]:
    return [p for p in parsed.text.split("\n\n") if p.strip()]


def test_a_three_page_story_reads_field_by_field_without_running_header_footer_or_page_numbers(patterns: NewsPatterns) -> None:
    parsed = article(DATA / "rice.pdf", patterns)
    assert (parsed.title, parsed.title_kind) == ("Việt Nam đẩy mạnh xuất khẩu gạo sang châu Phi", "headline")
    assert (parsed.agency, parsed.place, parsed.date) == ("VNA", "Hanoi", PartialDate(None, 3, 14))
    assert parsed.author == "Nguyễn Thị Lan"
    found = paragraphs(parsed)
    # headline + 3 paragraphs + 18 report paragraphs + the last one + the footnote: each paragraph whole, on one line
    assert len(found) == 24
    assert found[0] == "Việt Nam đẩy mạnh xuất khẩu gạo sang châu Phi"
    assert found[1].startswith("HANOI, March 14 (VNA) – Vietnamese rice exporters")
    assert found[1].endswith("turned to Vietnamese fragrant varieties.")  # the footnote mark "1" is not glued to the word
    for n in range(1, 19):
        assert f"Paragraph {n} of the ministry's report lists the provinces of the Mekong Delta – Cần Thơ, An Giang," in parsed.text
        assert re.search(rf"Paragraph {n} of the ministry's report [^\n]* more than last year\.", parsed.text)  # not cut by a page
    assert "The ministry expects rice exports to Africa to reach two million tonnes this year." in found
    assert "Figures from the General Department of Vietnam Customs." in parsed.text
    assert "Bulletin" not in parsed.text
    assert not re.search(r"Page \d", parsed.text)
    assert not any(p.strip().isdigit() for p in found)


def test_a_heading_story_and_one_that_opens_with_an_owner_password_only(patterns: NewsPatterns) -> None:
    for name in ("storm.pdf", "storm-owner-password.pdf"):
        parsed = article(DATA / name, patterns)
        assert (parsed.title, parsed.title_kind) == ("Bão số 3 đổ bộ vào Quảng Ninh, hàng nghìn người sơ tán", "headline")
        assert (parsed.agency, parsed.place, parsed.date, parsed.author) == ("VNA", "Hạ Long", PartialDate(None, 9, 7), "Lê Minh Hoàng")
        assert paragraphs(parsed)[-1] == "Flights to Vân Đồn airport were cancelled until Sunday evening."
        assert len(paragraphs(parsed)) == 4


@pytest.mark.parametrize("name", ["storm-password.pdf", "external:formats/rc4-40.pdf"])
def test_a_pdf_that_needs_a_password_is_refused_saying_so(name: str, patterns: NewsPatterns) -> None:
    path = external_file(name.removeprefix("external:")) if name.startswith("external:") else DATA / name
    reason = only(path, patterns).reason
    assert reason is not None
    assert "encrypted PDF that needs a password" in reason


def test_vertical_japanese_from_pdfminer_samples_reads_column_by_column(patterns: NewsPatterns) -> None:
    parsed = article(external_file("formats/jo.pdf"), patterns)
    assert parsed.title == "序"
    assert "わたくしといふ現象は" in paragraphs(parsed)
    assert "宮澤賢治" in parsed.text
    assert " た く し" not in parsed.text  # characters of a column are not spaced out


def _page(lines: list[str], *, top: str | None, bottom: str | None, start_y: float = 760) -> list[tuple[float, float, str]]:
    placed: list[tuple[float, float, str]] = []
    if top:
        placed.append((72, 800, top))
    y = start_y
    for text in lines:
        if text:
            placed.append((72, y, text))
        y -= 14 if text else 28  # an empty string: a paragraph gap
    if bottom:
        placed.append((290, 40, bottom))
    return placed


def test_hyphenated_line_ends_join_words_and_paragraphs_run_on_across_pages(tmp_path: Path, patterns: NewsPatterns) -> None:
    first = "HUE, June 2 (VNA) – The provincial committee will reconsider the pro-"
    rest = wrap("posal to restore the citadel walls next week, officials said, after the experts from the institute", 70)
    page_one = _page(["Hue restores its citadel walls", "", first, *rest], top="THE HUE HERALD", bottom="- 1 -")
    page_two = _page(
        [*wrap("sent their report to the ministry in Hanoi.", 70), "", *wrap("Work is to start in the dry season and end in 2028.", 70)],
        top="THE HUE HERALD",
        bottom="- 2 -",
    )
    page_three = _page(["The budget is 120 billion dong."], top="THE HUE HERALD", bottom="- 3 -")
    path = tmp_path / "hue.pdf"
    path.write_bytes(make_pdf([page_one, page_two, page_three]))
    parsed = article(path, patterns)
    assert (parsed.title, parsed.place, parsed.date) == ("Hue restores its citadel walls", "Hue", PartialDate(None, 6, 2))
    assert paragraphs(parsed) == [
        "Hue restores its citadel walls",
        "HUE, June 2 (VNA) – The provincial committee will reconsider the proposal to restore the citadel walls next week, "
        "officials said, after the experts from the institute sent their report to the ministry in Hanoi.",
        "Work is to start in the dry season and end in 2028.",
        "The budget is 120 billion dong.",
    ]


def test_lines_alike_but_for_numbers_go_only_when_the_numbers_follow_the_pages(tmp_path: Path, patterns: NewsPatterns) -> None:
    texts = {1: (7, "Farmers sold early."), 2: (12, "Prices held."), 3: (19, "Exports grew.")}
    pages = [
        _page([f"Paragraph {n} says the delta earned more.", "", last], top=f"Saigon Times {page}", bottom=None)
        for page, (n, last) in texts.items()
    ]
    path = tmp_path / "report.pdf"
    path.write_bytes(make_pdf(pages))
    assert paragraphs(article(path, patterns)) == [
        text for n, last in texts.values() for text in (f"Paragraph {n} says the delta earned more.", last)
    ]


@pytest.mark.parametrize("footer", ["1", "Page 1 of 1", "- 1 -", "Trang 1/1"])
def test_a_page_number_alone_on_a_one_page_pdf_is_left_out(footer: str, tmp_path: Path, patterns: NewsPatterns) -> None:
    path = tmp_path / "one.pdf"
    path.write_bytes(make_pdf([_page(["Floods close schools in Hue", "", "Schools in Hue closed on Monday."], top=None, bottom=footer)]))
    assert paragraphs(article(path, patterns)) == ["Floods close schools in Hue", "Schools in Hue closed on Monday."]


def test_metadata_is_a_hint_only_when_it_means_something(tmp_path: Path, patterns: NewsPatterns) -> None:
    lines = _page(["Floods close schools", "", "Schools closed on Monday after the river rose."], top=None, bottom=None)
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(
        make_pdf([lines], {"Title": "Microsoft Word - floods3.docx", "Author": "Administrator", "CreationDate": "D:20190405101500+07'00'"})
    )
    parsed = article(junk, patterns)
    assert (parsed.title, parsed.author) == ("Floods close schools", None)
    assert parsed.date == PartialDate(2019, 4, 5)  # the text gives no date: the file's is better than none
    good = tmp_path / "good.pdf"
    dated = _page(["Floods close schools", "", "HUE, Oct. 12 (VNA) – Schools closed on Monday."], top=None, bottom=None)
    good.write_bytes(make_pdf([dated], {"Title": "Floods close schools", "Author": "Trần Thị Mai", "CreationDate": "D:20250101"}))
    parsed = article(good, patterns)
    assert (parsed.title, parsed.title_kind, parsed.author) == ("Floods close schools", "headline", "Trần Thị Mai")
    assert parsed.date == PartialDate(None, 10, 12)  # the dateline's date, not the day the file was made


def scan_only_pdf() -> bytes:
    """A page holding only a picture, as a scanner writes it."""
    pdf = PdfBuilder()
    catalog = pdf.add(b"")
    tree = pdf.add(b"")
    image = pdf.stream(
        bytes(range(64)), extra=b" /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8"
    )
    drawing = pdf.stream(b"q 500 0 0 700 40 60 cm /Im0 Do Q")
    page = pdf.add(
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>"
        % (*A4, image, drawing)
    )
    pdf.set(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % tree)
    pdf.set(tree, b"<< /Type /Pages /Count 1 /Kids [%d 0 R] >>" % page)
    return pdf.build(catalog)


def test_a_scan_without_a_text_layer_is_refused_never_an_empty_article(tmp_path: Path, patterns: NewsPatterns) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(scan_only_pdf())
    reason = only(path, patterns).reason
    assert reason is not None
    assert reason.startswith("no text layer: a scanned image")


def test_a_file_named_pdf_that_is_not_one_is_refused(tmp_path: Path, patterns: NewsPatterns) -> None:
    path = tmp_path / "letter.pdf"
    path.write_bytes(b"Dear editor,\nthis is plain text.\n")
    assert "not a PDF file" in (only(path, patterns).reason or "")


def test_a_pdf_imports_into_a_library_with_its_original_kept_byte_for_byte(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(DATA / "rice.pdf", source / "rice.pdf")
    with Library.open(tmp_path / "archive") as library:
        report = library.imports.paths([source / "rice.pdf"])
        assert [o.outcome for o in report.outcomes] == ["imported"]
        detail = library.articles.get(report.outcomes[0].id or 0)
        assert (detail.summary.title, detail.summary.agency, detail.summary.place) == (
            "Việt Nam đẩy mạnh xuất khẩu gạo sang châu Phi",
            "VNA",
            "Hanoi",
        )
        assert detail.encoding == "pdf"
        assert library.articles.original(detail.id) == (DATA / "rice.pdf").read_bytes()
        assert [hit.id for hit in library.search.find("Sóc Trăng").hits] == [detail.id]
