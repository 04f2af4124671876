"""The news parser on the five sample articles and on stories written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.core.models import ParsedArticle
from desktop.core.text import visible_text
from desktop.ingest.decode import decode_bytes
from desktop.ingest.patterns import NewsPatterns, load_patterns
from desktop.ingest.structure import Hints, NotAnArticleError, first_sentence, parse_article, title_from_lead
from tests.conftest import SAMPLE_DIR


def parse_sample(name: str, patterns: NewsPatterns) -> ParsedArticle:
    path = next(SAMPLE_DIR.glob(f"{name}_*.txt"))
    return parse_article(decode_bytes(path.read_bytes()).text, patterns)


def shown(article: ParsedArticle) -> str:
    return visible_text(article.text, article.boilerplate)


# (sample, title or its start, title kind, agency, place, date, precision)
SAMPLES = [
    (
        "000",
        "A meeting between the Vietnamese Party delegation with representatives of leftist US organisations and movements",
        "caption",
        "VNA",
        None,
        None,
        "unknown",
    ),
    ("001", "CPV delegation visits US", "headline", "VOV", None, None, "unknown"),
    ("002", "Party to continue strengthening ties with global political parties", "headline", "VNA", "Hanoi", None, "unknown"),
    ("003", "Việt Nam attaches importance to relations with the US", "lead", "VNS", "Washington", "2023-07-03", "day"),
    ("004", "A delegation of the Communist Party of Vietnam led by", "lead", "VNA", None, None, "unknown"),
]


@pytest.mark.parametrize(("sample", "title", "kind", "agency", "place", "date", "precision"), SAMPLES)
def test_samples_field_by_field(
    patterns: NewsPatterns, sample: str, title: str, kind: str, agency: str, place: str | None, date: str | None, precision: str
) -> None:
    article = parse_sample(sample, patterns)
    assert article.title.startswith(title)
    assert article.title_kind == kind
    assert article.agency == agency
    assert article.place == place
    assert article.date.iso() == date
    assert article.date.precision == precision


def test_titles_made_from_a_lead_are_cut_at_a_word(patterns: NewsPatterns) -> None:
    article = parse_sample("004", patterns)
    assert len(article.title) <= 121
    assert article.title.endswith("…")
    assert not article.title.endswith(" …")


def test_web_leftovers_are_hidden_but_kept_in_the_text(patterns: NewsPatterns) -> None:
    for sample, leftover in [("001", "Mời quý độc giả theo dõi VOV.VN trên"), ("002", "See more"), ("002", "ảnh 1"), ("004", "{keywords}")]:
        article = parse_sample(sample, patterns)
        assert leftover in article.text
        assert leftover not in shown(article)


def test_caption_credit_and_agency_tail_are_not_reading_text(patterns: NewsPatterns) -> None:
    article = parse_sample("000", patterns)
    assert shown(article).rstrip().endswith("between the two nations.")
    kinds = {span.kind for span in article.boilerplate}
    assert {"agency-tag", "end-mark"} <= kinds


def test_repeated_headline_and_lead_are_boilerplate(patterns: NewsPatterns) -> None:
    article = parse_sample("002", patterns)
    text = shown(article)
    assert text.count("will continue bolstering comprehensive") == 1
    assert text.count("Party to continue strengthening ties") == 1  # the headline itself, not its repeat as a caption
    assert "Chairman of the Party Central Committee’s Commission for External Relations Hoang Binh Quan (Photo: VNA)" in text


def test_date_marker_is_hidden_and_dateline_kept(patterns: NewsPatterns) -> None:
    article = parse_sample("003", patterns)
    assert not shown(article).lstrip().startswith("date")
    assert "WASHINGTON —" in shown(article)


def test_boilerplate_spans_lie_inside_the_text_in_order(patterns: NewsPatterns) -> None:
    for sample, *_ in SAMPLES:
        article = parse_sample(sample, patterns)
        previous_end = 0
        for span in article.boilerplate:
            assert previous_end <= span.start < span.end <= len(article.text)
            previous_end = span.end


# Stories written for these tests, one per style the parser should read.
OWN = [
    (
        "Flood relief reaches Quang Tri villages\n\nDa Nang (VNA) – Relief teams reached villages cut off by floods on Tuesday.\n"
        "More teams are on the way./.\nVNA",
        {"title": "Flood relief reaches Quang Tri villages", "title_kind": "headline", "agency": "VNA", "place": "Da Nang"},
    ),
    (
        "Hà Nội (TTXVN) - Thủ đô đón đoàn đại biểu quốc tế trong tuần này với nhiều hoạt động văn hóa.\nĐoàn sẽ thăm Huế.",
        {"title_kind": "lead", "agency": "VNA", "place": "Hà Nội"},
    ),
    (
        "Port upgrade approved\n\nHO CHI MINH CITY, March 8 (VNA) - The city approved a port upgrade on Friday.\nWork starts soon.",
        {"place": "Ho Chi Minh City", "agency": "VNA", "date": "--03-08", "precision": "month-day"},
    ),
    (
        "Talks held in Washington\n\nWASHINGTON, December 10, 2012 (VNA) – Officials of both sides held talks.\nThey agreed to meet again.",
        {"place": "Washington", "date": "2012-12-10", "precision": "day"},
    ),
    (
        "published: 2020-01-02 HANOI, Jan 2 - The new year began with a ceremony in the capital and a parade.\nMore followed. — VNS",
        {"title_kind": "lead", "place": "Hanoi", "agency": "VNS", "date": "2020-01-02", "precision": "day"},
    ),
    (
        "Coffee exporters see record May\n\nExporters shipped more coffee in May than in any month before, traders said.\n\nVOV.VN",
        {"title_kind": "headline", "agency": "VOV"},
    ),
    (
        "Students plant mangroves along the coast (Photo: VNS)\nHundreds of students planted mangroves in Ca Mau.\n"
        "The trees protect the shore.-VNS",
        {"title": "Students plant mangroves along the coast", "title_kind": "caption", "agency": "VNS"},
    ),
]


@pytest.mark.parametrize(("text", "expected"), OWN)
def test_own_stories(patterns: NewsPatterns, text: str, expected: dict[str, str]) -> None:
    article = parse_article(text, patterns)
    values = {
        "title": article.title,
        "title_kind": article.title_kind,
        "agency": article.agency,
        "place": article.place,
        "date": article.date.iso(),
        "precision": article.date.precision,
    }
    assert {key: values[key] for key in expected} == expected


def test_an_unknown_agency_in_a_dateline_is_kept_as_written(patterns: NewsPatterns) -> None:
    article = parse_article("Hue (XYZN) – A festival opened in the old capital on Sunday.\nCrowds came.", patterns)
    assert article.agency == "XYZN"
    assert article.place == "Hue"


def test_no_dateline_inside_a_sentence(patterns: NewsPatterns) -> None:
    article = parse_article("Rain expected\n\nThe minister said rain (VNA) – would come.\nMore.", patterns)
    assert article.place is None


def test_only_leftovers_is_not_an_article(patterns: NewsPatterns) -> None:
    with pytest.raises(NotAnArticleError):
        parse_article("See more\n{keywords}\n", patterns)


def test_hints_from_the_file_format_win(patterns: NewsPatterns) -> None:
    article = parse_article(
        "Body of the story.\nMore body.", patterns, Hints(title="Given title", date="2019-05-04T10:00", agency="VOV.VN")
    )
    assert (article.title, article.title_kind, article.date.iso(), article.agency) == ("Given title", "headline", "2019-05-04", "VOV")


def test_an_archive_can_extend_the_patterns(tmp_path: Path) -> None:
    extra = tmp_path / "patterns.json"
    extra.write_text(
        json.dumps(
            {
                "agencies": {"Tin Tuc": ["TTXVN-TT", "Tin Tức"]},
                "boilerplate_lines": [{"pattern": "^Đọc thêm:.*$", "kind": "web"}],
            }
        ),
        encoding="utf-8",
    )
    patterns = load_patterns(extra)
    article = parse_article("Market opens\n\nThe market opened early.\nĐọc thêm: bài khác\nTin Tức", patterns)
    assert article.agency == "Tin Tuc"
    assert "Đọc thêm" not in visible_text(article.text, article.boilerplate)


def test_first_sentence_does_not_stop_at_abbreviations() -> None:
    assert first_sentence("The U.S. delegation met Mr. Lam in Hanoi. Then it left.") == "The U.S. delegation met Mr. Lam in Hanoi."


def test_title_from_a_short_lead_is_the_sentence_without_its_full_stop() -> None:
    assert title_from_lead("Rain fell in Hue. It stopped.") == "Rain fell in Hue"


def test_a_text_of_millions_of_characters_is_read_whole(patterns: NewsPatterns) -> None:
    """No length limit: a book-sized text is one article, its repeated paragraphs still found past the first lines."""
    paragraph = "The river port handled more rice barges this year than in any year before, the port authority said."
    body = "\n".join(f"Paragraph {number}: {paragraph}" for number in range(40_000))
    last = body.splitlines()[-1]
    text = f"A book about the port\n\nHue (VNA) – {paragraph}\n{body}\n{last}\n"  # the last paragraph twice, far past the first lines
    article = parse_article(text, patterns)
    assert len(article.text) > 4_000_000
    assert (article.title, article.place, article.agency) == ("A book about the port", "Hue", "VNA")
    repeated = [span for span in article.boilerplate if span.kind == "repeated"]
    assert [article.text[span.start : span.end] for span in repeated] == [last]


def test_a_headline_is_not_taken_for_a_date_line_nor_a_date_line_for_a_headline(patterns: NewsPatterns) -> None:
    article = parse_article(
        "Thứ năm, 14/3/2024, 16:05 (GMT+7)\n\nHue (VNA) – A festival opened in the old capital on Sunday.\nCrowds came.", patterns
    )
    assert (article.title_kind, article.date.iso(), article.place) == ("lead", "2024-03-14", "Hue")
    assert article.title == "A festival opened in the old capital on Sunday"
