"""News-database exports split into stories, field by field: our samples in each style and a published sample."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.models import ParsedArticle
from desktop.ingest.exports import html_cells_apart, iso_date, might_be_export, split_export
from desktop.ingest.files import read_candidates
from desktop.ingest.html import extract_html
from desktop.ingest.patterns import load_patterns
from desktop.library import Library
from tests.external import external_file

DATA = Path(__file__).parent.parent / "data" / "exports"
OURS = ("lexisnexis-4-stories.txt", "nexis-uni-4-stories.txt", "factiva-4-stories.txt")
HEADLINES = [
    "Party chief Nguyễn Phú Trọng receives US Secretary of State Antony Blinken in Hà Nội for talks on the comprehensive "
    "strategic partnership",
    "Mekong Delta rice exports climb as drought eases",
    None,
    "Thành phố Hồ Chí Minh khởi công tuyến metro số 2 Bến Thành – Tham Lương",
]
PUBLICATIONS = ["Viet Nam News (Hanoi)", "Saigon Times Daily", "Vietnam Investment Review", "Tuổi Trẻ"]
DATES = ["2024-03-14", "2024-04-02", "2024-05-20", "2024-06-01"]
BYLINES = ["Lê Hoài Trung; Hoang Binh Quan", "Nguyen Van An", None, "Trần Thị Mai; Phạm Quốc Bảo; Nguyễn Thanh Hà"]


def articles(path: Path) -> list[tuple[str, ParsedArticle]]:
    found = []
    for candidate in read_candidates(path, load_patterns()):
        assert candidate.article is not None, candidate.reason
        found.append((candidate.label, candidate.article))
    return found


@pytest.mark.parametrize("name", OURS)
def test_each_story_of_our_samples_is_an_article_with_its_fields(name: str) -> None:
    stories = articles(DATA / name)
    assert [label.rsplit(":", 1)[1] for label, _ in stories] == ["1", "2", "3", "4"]
    for (_label, article), headline, publication, date, byline in zip(stories, HEADLINES, PUBLICATIONS, DATES, BYLINES, strict=True):
        if headline is not None:
            assert article.title == headline
            assert article.title_kind == "headline"
        else:  # no headline: the title comes from the lead, never from a field label
            assert article.title.startswith("Foreign direct investment")
        assert article.publication == publication
        assert article.date.iso() == date
        assert article.author == byline
        assert article.agency is None  # the publication is not a wire agency
        assert article.details["database"] in {"LexisNexis", "Nexis Uni", "Factiva"}
        for label in ("HEADLINE:", "BYLINE:", "LOAD-DATE", "Load-Date", "End of Document", "Copyright", "\nHD", "\nAN"):
            assert label not in article.text


def test_lexisnexis_fields_section_page_edition_language_and_the_export_header() -> None:
    first = articles(DATA / "lexisnexis-4-stories.txt")[0][1]
    assert first.details["section"] == "POLITICS"
    assert first.details["page"] == "A01"
    assert first.details["edition"] == "Final Edition"
    assert first.details["language"] == "ENGLISH"
    assert first.details["length"] == "99 words"
    assert first.details["export terms"] == "(Vietnam OR Việt Nam) AND DATE(>=2024-03-01 and <=2024-06-30)"
    assert first.place == "Hà Nội"
    assert first.text.splitlines()[-1].endswith("self-reliant and prosperous Việt Nam.")


def test_factiva_fields_codes_and_document_id() -> None:
    first = articles(DATA / "factiva-4-stories.txt")[0][1]
    assert first.details["document id"] == "VNNEWS0020240114ek3e00001"
    assert first.details["regions"] == "vietn : Vietnam | asiaz : Asia"
    assert first.details["language"] == "English"
    assert first.details["page"] == "A01"
    # the lead paragraph and the rest of the text, in order, without the field codes
    assert "HÀ NỘI — General Secretary" in first.text
    assert first.text.index("General Secretary") < first.text.index("Blinken conveyed")


def test_factiva_html_table_export() -> None:
    markup = (DATA / "factiva-4-stories.html").read_text(encoding="utf-8")
    assert might_be_export(markup)
    export = split_export(extract_html(html_cells_apart(markup)).text)
    assert export is not None
    assert export.database == "Factiva"
    assert [story.headline for story in export.stories] == HEADLINES
    assert [story.publication for story in export.stories] == PUBLICATIONS
    assert [story.date for story in export.stories] == DATES
    assert export.stories[0].details["document id"] == "VNNEWS0020240114ek3e00001"


def test_the_published_lexisnexis_sample() -> None:
    """LexisNexisTools' sample: copyright after each story, headlines without a label, edition lines, no BODY: label."""
    stories = articles(external_file("exports/lexisnexistools-sample.TXT"))
    assert len(stories) == 10
    by_number = {int(label.rsplit(":", 1)[1]): article for label, article in stories}
    third = by_number[3]
    assert third.publication == "The Sun (England)"
    assert third.date.iso() == "2010-01-11"
    assert third.author == "TREVOR Kavanagh"
    assert third.details["section"] == "FEATURES"
    assert third.details["page"] == "6"
    assert third.details["edition"] == "Edition 1; Scotland"
    assert third.details["journal code"] == "SUN"
    assert by_number[8].title == "PRISONER OF HIS OWN CABINET"
    assert by_number[8].publication == "MAIL ON SUNDAY (London)"
    assert by_number[10].author is None
    assert by_number[10].title == "Wikipedia"
    assert by_number[7].date.iso() == "2010-01-08"  # a date line without a weekday
    for _label, article in stories:
        assert "LOAD-DATE" not in article.text
        assert "All Rights Reserved" not in article.text
        assert "LENGTH:" not in article.text
        assert "BYLINE:" not in article.text
    # every story's words, as LexisNexis counted them (its count takes in the headline), within a few
    for article in by_number.values():
        counted = int(article.details["length"].split()[0].replace(",", ""))
        assert abs(len(article.text.split()) - counted) <= 0.02 * counted + 25


def test_an_ordinary_article_is_not_an_export(tmp_path: Path) -> None:
    assert split_export("HANOI, March 14 (VNA) – A story that mentions 1 of 3 documents in passing.\n\nEnd of story.") is None
    path = tmp_path / "story.txt"
    path.write_text("Headline here\n\nHANOI (VNA) – The body of the story, which says Document ABCDEFGHIJKLMNOPQRS.\n", encoding="utf-8")
    [(label, article)] = articles(path)
    assert label == str(path)
    assert not article.details


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("July 1, 2015 Wednesday", "2015-07-01"),
        ("January 8, 2010", "2010-01-08"),
        ("July 2, 2019 Tuesday 9:33 AM GMT", "2019-07-02"),
        ("1 July 2015", "2015-07-01"),
        ("Sept. 30, 2021", "2021-09-30"),
        ("Guardian.com", None),
        ("Edition 1;", None),
    ],
)
def test_date_lines(line: str, iso: str | None) -> None:
    assert iso_date(line) == iso


def test_a_factiva_html_export_file_imports_story_by_story() -> None:
    stories = articles(DATA / "factiva-4-stories.html")
    assert [article.publication for _label, article in stories] == PUBLICATIONS
    assert [article.date.iso() for _label, article in stories] == DATES
    assert stories[1][1].title == HEADLINES[1]
    assert stories[0][1].details["document id"] == "VNNEWS0020240114ek3e00001"


@pytest.mark.parametrize(("copy", "original"), [("lexisnexis-4-stories.pdf", OURS[0]), ("nexis-uni-4-stories.docx", OURS[1])])
def test_a_pdf_or_docx_copy_of_an_export_gives_the_same_stories(copy: str, original: str, tmp_path: Path) -> None:
    """A PDF reader rebuilds paragraphs and a word processor puts every field in its own paragraph: the splitter reads
    the PDF's laid-out lines and a word processor's paragraphs as lines, so the stories and their fields come out the same."""
    stories = articles(DATA / copy)
    assert [(a.title, a.publication, a.date.iso(), a.author) for _l, a in stories] == [
        (a.title, a.publication, a.date.iso(), a.author) for _l, a in articles(DATA / original)
    ]
    with Library.open(tmp_path / "archive") as library:
        assert {o.outcome for o in library.imports.paths([DATA / original]).outcomes} == {"imported"}
        again = library.imports.paths([DATA / copy]).outcomes
        assert [o.outcome for o in again] == ["duplicate"] * 4  # the same stories, known as the ones already stored


def test_the_published_nexis_uni_docx_sample() -> None:
    stories = articles(external_file("exports/lexisnexistools-sample.DOCX"))
    assert len(stories) == 10
    first, seventh = stories[0][1], stories[6][1]
    assert (first.publication, first.date.iso(), first.details["section"]) == ("The Guardian(London)", "2019-07-01", "POLITICS; Version:28")
    assert first.author == "Mattha Busby (now), Andrew Sparrow (earlier)"
    assert (seventh.title, seventh.details["language"], seventh.details["load date"]) == ("Sample Headline", "ENGLISH", "July 4, 2019")
    assert "Classification" not in seventh.text
