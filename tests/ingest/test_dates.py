"""Dates as Vietnamese and English papers write them: date lines, markers, datelines and the lead's first sentence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.core.models import ParsedArticle
from desktop.core.text import visible_text
from desktop.ingest.dates import locale_hint
from desktop.ingest.patterns import NewsPatterns, load_patterns
from desktop.ingest.structure import Hints, parse_article

HEADLINE = "Hue opens a new river port"
BODY = "The province opened a new river port for the boats that carry rice and tourists along the river.\nMore boats will come."
BODY_VI = "Tỉnh đã khánh thành cảng sông mới cho tàu chở gạo và du khách trên sông Hương.\nSẽ có thêm nhiều tàu."

# (the line as the press writes it, the date read, its precision)
DATE_LINES = [
    ("Thứ năm, 14/3/2024, 16:05 (GMT+7)", "2024-03-14", "day"),
    ("Thu nam, 14/3/2024, 16:05 (GMT+7)", "2024-03-14", "day"),
    ("thứ Năm, 14/3/2024 - 16:05", "2024-03-14", "day"),
    ("Chủ nhật, 3/3/2024, 07:00 (GMT+7)", "2024-03-03", "day"),
    ("Chu nhat, ngay 3/3/2024", "2024-03-03", "day"),
    ("Thứ 5, 14/03/2024 16:05", "2024-03-14", "day"),
    ("Ngày 14 tháng 3 năm 2024", "2024-03-14", "day"),
    ("ngay 14 thang 3 nam 2024", "2024-03-14", "day"),
    ("14/03/2024", "2024-03-14", "day"),
    ("14/3/2024", "2024-03-14", "day"),
    ("14.03.2024", "2024-03-14", "day"),
    ("16:05 14/03/2024", "2024-03-14", "day"),
    ("Published: 14 March 2024", "2024-03-14", "day"),
    ("Published on 14 Mar 2024, 16:05 GMT", "2024-03-14", "day"),
    ("Updated: March 14, 2024 at 4:05 pm", "2024-03-14", "day"),
    ("March 14, 2024 at 4:05 pm", "2024-03-14", "day"),
    ("March 14, 2024 4:05 p.m. EDT", "2024-03-14", "day"),
    ("Thursday, March 14, 2024", "2024-03-14", "day"),
    ("Thu, 14 March 2024 16:05:00 +0700", "2024-03-14", "day"),
    ("14 March 2024", "2024-03-14", "day"),
    ("14th March 2024", "2024-03-14", "day"),
    ("2024-03-14T16:05:00+07:00", "2024-03-14", "day"),
    ("2024-03-14 16:05", "2024-03-14", "day"),
    ("2024-03-14T09:05:00Z", "2024-03-14", "day"),
    ("Cập nhật: 14/3/2024 16:05", "2024-03-14", "day"),
    ("Ngày đăng: 14/03/2024", "2024-03-14", "day"),
    ("Monday 4 March 2024 07.00 GMT", "2024-03-04", "day"),
    ("Posted: 03/14/2024 04:05 PM ET", "2024-03-14", "day"),
    ("2024/03/14", "2024-03-14", "day"),
    ("Thứ Năm, ngày 14 tháng 3 năm 2024", "2024-03-14", "day"),
    ("Last updated: 14 March 2024 16:05 ICT", "2024-03-14", "day"),
    ("March 2024", "2024-03", "month"),
    ("Tháng 3/2024", "2024-03", "month"),
    ("tháng 3 năm 2024", "2024-03", "month"),
    ("Thursday, March 14", "--03-14", "month-day"),
    ("Thứ năm, 14 March", "--03-14", "month-day"),
]


@pytest.mark.parametrize(("line", "iso", "precision"), DATE_LINES)
def test_a_date_line_above_the_headline_gives_the_date_and_is_never_the_title(
    patterns: NewsPatterns, line: str, iso: str, precision: str
) -> None:
    article = parse_article(f"{line}\n{HEADLINE}\n\n{BODY}", patterns)
    assert (article.date.iso(), article.date.precision) == (iso, precision)
    assert article.title == HEADLINE
    assert article.title_kind == "headline"
    assert line not in visible_text(article.text, article.boilerplate)
    assert line in article.text  # hidden from reading, kept in the text


@pytest.mark.parametrize(("line", "iso", "precision"), DATE_LINES)
def test_a_date_line_below_the_headline_gives_the_date(patterns: NewsPatterns, line: str, iso: str, precision: str) -> None:
    article = parse_article(f"{HEADLINE}\n{line}\n\n{BODY_VI}", patterns)
    assert (article.date.iso(), article.date.precision) == (iso, precision)
    assert article.title == HEADLINE


def test_a_date_line_alone_above_a_lead_is_not_the_title(patterns: NewsPatterns) -> None:
    article = parse_article(f"Thứ năm, 14/3/2024, 16:05 (GMT+7)\n{BODY}", patterns)
    assert article.title_kind == "lead"
    assert article.title.startswith("The province opened")
    assert article.date.iso() == "2024-03-14"


def test_a_date_line_at_the_foot_of_the_story(patterns: NewsPatterns) -> None:
    article = parse_article(f"{HEADLINE}\n\n{BODY}\nPublished: 14 March 2024", patterns)
    assert article.date.iso() == "2024-03-14"
    assert "Published" not in visible_text(article.text, article.boilerplate)


def test_the_publication_date_wins_over_the_update(patterns: NewsPatterns) -> None:
    article = parse_article(f"{HEADLINE}\nUpdated: 16 March 2024\nPublished: 14 March 2024\n\n{BODY}", patterns)
    assert article.date.iso() == "2024-03-14"


def test_a_date_opening_the_first_line_before_the_text(patterns: NewsPatterns) -> None:
    article = parse_article("Published: 14 March 2024 HANOI, March 14 - The city opened a port for river boats today.\nMore.", patterns)
    assert (article.date.iso(), article.place) == ("2024-03-14", "Hanoi")
    assert not visible_text(article.text, article.boilerplate).lstrip().startswith("Published")


@pytest.mark.parametrize(
    ("lead", "iso", "precision"),
    [
        ("The province opened a river port on March 14, 2024, officials said.", "2024-03-14", "day"),
        ("The province opened a river port on Thursday, March 14, 2024, officials said.", "2024-03-14", "day"),
        ("The province opened a river port on 14 March 2024, officials said.", "2024-03-14", "day"),
        ("The province opened a river port in March 2024, officials said.", "2024-03", "month"),
        ("Tỉnh đã khánh thành cảng sông mới ngày 14/3/2024 tại Huế.", "2024-03-14", "day"),
        ("Tinh da khanh thanh cang song moi ngay 14/3/2024 tai Hue.", "2024-03-14", "day"),
        ("Ngày 14 tháng 3 năm 2024, tỉnh đã khánh thành cảng sông mới.", "2024-03-14", "day"),
        ("Trong tháng 3/2024, tỉnh đã khánh thành cảng sông mới.", "2024-03", "month"),
    ],
)
def test_a_date_in_the_first_sentence_of_the_lead(patterns: NewsPatterns, lead: str, iso: str, precision: str) -> None:
    article = parse_article(f"{HEADLINE}\n\n{lead} Later, on April 2, 2025, it grew.\nMore boats came.", patterns)
    assert (article.date.iso(), article.date.precision) == (iso, precision)


def test_a_lead_date_after_a_dateline(patterns: NewsPatterns) -> None:
    article = parse_article(f"{HEADLINE}\n\nHue (VNA) – The province opened a river port on March 14, 2024.\nMore.", patterns)
    assert (article.date.iso(), article.place, article.agency) == ("2024-03-14", "Hue", "VNA")


def test_dates_past_the_first_sentence_or_without_a_year_are_not_the_lead_date(patterns: NewsPatterns) -> None:
    for lead in ("The province opened a river port. It was planned on March 14, 2024.", "The port opened on March 14."):
        article = parse_article(f"{HEADLINE}\n\n{lead}\nMore.", patterns)
        assert article.date.precision == "unknown", lead


def test_the_lead_gives_the_year_a_dateline_lacks(patterns: NewsPatterns) -> None:
    article = parse_article(f"{HEADLINE}\n\nHUE, March 14 (VNA) - The port opened on March 14, 2024.\nMore.", patterns)
    assert (article.date.iso(), article.date.precision) == ("2024-03-14", "day")


def test_a_numeric_dateline(patterns: NewsPatterns) -> None:
    article = parse_article("Hà Nội, ngày 14/3/2024 (TTXVN) - Thủ đô đón đoàn đại biểu quốc tế.\nĐoàn sẽ thăm Huế.", patterns)
    assert (article.place, article.agency, article.date.iso()) == ("Hà Nội", "VNA", "2024-03-14")


def test_numeric_dates_are_day_first_unless_the_text_is_us_english(patterns: NewsPatterns) -> None:
    british = parse_article(f"04/03/2024\n{HEADLINE}\n\nThe port opened on 4 March, the minister said.\nMore.", patterns)
    us = parse_article(f"04/03/2024\n{HEADLINE}\n\nThe port opened on April 3, the minister said.\nMore.", patterns)
    vietnamese = parse_article(f"04/03/2024\n{HEADLINE}\n\n{BODY_VI}", patterns)
    plain = parse_article(f"04/03/2024\n{HEADLINE}\n\n{BODY}", patterns)
    assert british.date.iso() == vietnamese.date.iso() == plain.date.iso() == "2024-03-04"
    assert us.date.iso() == "2024-04-03"


def test_a_numeric_date_that_can_be_read_one_way_only_is_read_that_way(patterns: NewsPatterns) -> None:
    us = f"{HEADLINE}\n\nThe port opened on April 3, the minister said.\nMore."
    assert parse_article(f"14/3/2024\n{us}", patterns).date.iso() == "2024-03-14"
    assert parse_article(f"3/14/2024\n{HEADLINE}\n\n{BODY_VI}", patterns).date.iso() == "2024-03-14"


def test_the_locale_hint(patterns: NewsPatterns) -> None:
    assert locale_hint("Thủ đô Hà Nội đón đoàn đại biểu quốc tế trong tuần này.", patterns) == "day-first"
    assert locale_hint("The talks ended on March 3 and resumed on March 9.", patterns) == "month-first"
    assert locale_hint("The talks ended on 3 March and resumed on 9 March.", patterns) == "day-first"
    assert locale_hint("The talks ended on Friday.", patterns) == "day-first"
    # Vietnamese words in English text (names, places) do not make it Vietnamese
    assert locale_hint("Le Hoài Trung met officials in Washington on March 3 and March 9.", patterns) == "month-first"


def test_the_format_date_still_wins(patterns: NewsPatterns) -> None:
    article = parse_article(f"14/03/2024\n{HEADLINE}\n\n{BODY}", patterns, Hints(date="2024-03-15T08:00:00+07:00"))
    assert article.date.iso() == "2024-03-15"
    refined = parse_article(f"14/03/2024\n{HEADLINE}\n\n{BODY}", patterns, Hints(date="2024"))
    assert refined.date.iso() == "2024-03-14"  # a year from the format, the day from the text that agrees with it


def test_impossible_dates_are_not_dates(patterns: NewsPatterns) -> None:
    for line in ("31/02/2024", "14/13/2024", "Ngày 40 tháng 3 năm 2024"):
        article: ParsedArticle = parse_article(f"{line}\n{HEADLINE}\n\n{BODY}", patterns)
        assert article.date.precision in ("unknown", "month", "year"), line
        assert article.date.iso() != "2024-02-31"


def test_a_date_line_deep_in_the_body_is_text(patterns: NewsPatterns) -> None:
    paragraphs = "\n".join(f"Paragraph {number} of the story about the port and its boats." for number in range(10))
    article = parse_article(f"{HEADLINE}\n\n{paragraphs}\n14/03/2024\n{paragraphs}", patterns)
    assert article.date.precision == "unknown"
    assert "14/03/2024" in visible_text(article.text, article.boilerplate)


def test_a_headline_that_mentions_a_date_is_still_the_headline(patterns: NewsPatterns) -> None:
    article = parse_article(f"Port to open on 14 March 2024\n\n{BODY}", patterns)
    assert article.title == "Port to open on 14 March 2024"


def test_an_archive_can_add_a_date_form(tmp_path: Path) -> None:
    extra = tmp_path / "patterns.json"
    extra.write_text(json.dumps({"date_lines": ["^\\s*Số ra ngày {ANY_DATE:numeric}\\s*$"]}), encoding="utf-8")
    article = parse_article(f"Số ra ngày 14/3/2024\n{HEADLINE}\n\n{BODY_VI}", load_patterns(extra))
    assert (article.date.iso(), article.title) == ("2024-03-14", HEADLINE)
