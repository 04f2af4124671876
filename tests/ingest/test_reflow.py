"""Re-flowing hard-wrapped text: paragraphs back on one line each, short and shaped lines left as they are."""

from __future__ import annotations

import textwrap

import pytest

from desktop.core.text import clean_text
from desktop.ingest.decode import decode_bytes
from desktop.ingest.patterns import NewsPatterns
from desktop.ingest.reflow import reflow
from desktop.ingest.structure import parse_article
from tests.conftest import SAMPLE_DIR

PARAGRAPHS = [
    "Hanoi (VNA) – The Communist Party of Vietnam will continue bolstering comprehensive and result-oriented relations with "
    "global political parties, a senior Party official said in Hanoi on February 26, at a meeting with ambassadors.",
    "Chairman of the Party Central Committee's Commission for External Relations Hoang Binh Quan made the remark "
    "at a meeting with ambassadors and heads of foreign representative agencies in the capital city.",
    "He thanked the diplomats for regularly exchanging information and closely cooperating with his commission "
    "in diplomatic activities between Vietnam and their nations over the past five years of work together.",
]
PARAGRAPHS_VI = [
    "Thủ đô Hà Nội đón đoàn đại biểu quốc tế trong tuần này với nhiều hoạt động văn hóa, nghệ thuật và giao lưu "
    "giữa nhân dân hai nước, theo thông báo của Ủy ban nhân dân thành phố.",
    "Đoàn sẽ thăm Huế, Đà Nẵng và Thành phố Hồ Chí Minh, làm việc với lãnh đạo các địa phương về hợp tác kinh tế, "
    "du lịch và giáo dục trong những năm tới.",
]


def wrapped(paragraphs: list[str], width: int = 72, indent: str = "", separator: str = "\n\n") -> str:
    return separator.join(textwrap.fill(p, width, initial_indent=indent) for p in paragraphs)


@pytest.mark.parametrize("width", [60, 64, 72, 80])
def test_paragraphs_wrapped_at_any_usual_width_come_back_whole(width: int) -> None:
    text = "Party to strengthen ties\n\n" + wrapped(PARAGRAPHS, width)
    assert reflow(text) == "Party to strengthen ties\n\n" + "\n\n".join(PARAGRAPHS)


def test_vietnamese_paragraphs_come_back_whole() -> None:
    assert reflow(wrapped(PARAGRAPHS_VI, 70)) == "\n\n".join(PARAGRAPHS_VI)


def test_paragraphs_told_apart_by_an_indented_first_line() -> None:
    text = "\n".join(textwrap.fill(p, 70, initial_indent="    ") for p in PARAGRAPHS)
    assert reflow(text) == "\n".join(PARAGRAPHS)


def test_a_block_indented_text_is_joined() -> None:
    text = "\n\n".join(textwrap.fill(p, 72, initial_indent="  ", subsequent_indent="  ") for p in PARAGRAPHS)
    assert reflow(text) == "\n\n".join(PARAGRAPHS)


def test_a_word_hyphenated_across_lines_keeps_its_hyphen() -> None:
    lines = [
        "The delegation met with representatives of the left-wing organisations and the",
        "movements of the United States, including the Communist Party USA, as part of a well-",
        "known working visit to the country on April 4 and 5, the commission said in a statement.",
    ]
    text = "\n".join(lines) + "\n\n" + wrapped(PARAGRAPHS[:2], 88)
    assert "a well-known working visit" in reflow(text)


def test_short_lines_lists_tables_and_signatures_are_not_joined() -> None:
    text = "\n".join(
        [
            "PORT OPENS ON THE PERFUME RIVER AFTER YEARS OF WORK BY THE PROVINCE AND",
            wrapped([PARAGRAPHS[0]], 72),
            "",
            wrapped([PARAGRAPHS[1]], 72),
            "The boats that will use the port, by the tonnage they carry each month:",
            "- Rice barges carrying goods from the delta to the city markets weekly",
            "- Tourist boats carrying visitors along the Perfume River to the tombs",
            "Port      Boats     Tonnes     Visitors   Opened     Province   Notes      A",
            "Hue       120       4500       30000      2024       Thua Thien  new        B",
            "",
            wrapped([PARAGRAPHS[2]], 72),
            "Nguyen Van A",
            "Reporter, Hue",
        ]
    )
    out = reflow(text).split("\n")
    assert out[0] == "PORT OPENS ON THE PERFUME RIVER AFTER YEARS OF WORK BY THE PROVINCE AND"
    assert out[1] == PARAGRAPHS[0]
    assert PARAGRAPHS[1] in out
    assert "- Rice barges carrying goods from the delta to the city markets weekly" in out
    assert "- Tourist boats carrying visitors along the Perfume River to the tombs" in out
    assert any(line.startswith("Port      Boats") for line in out)
    assert any(line.startswith("Hue       120") for line in out)
    assert out[-2:] == ["Nguyen Van A", "Reporter, Hue"]
    assert PARAGRAPHS[2] in out


def test_a_headline_near_the_width_is_not_joined_to_the_lead() -> None:
    text = "Vietnam And The United States Strengthen Party Ties In Washington Talks\n" + wrapped(PARAGRAPHS, 72)
    out = reflow(text).split("\n")
    assert out[0] == "Vietnam And The United States Strengthen Party Ties In Washington Talks"
    assert out[1] == PARAGRAPHS[0]


@pytest.mark.parametrize(
    "text",
    [
        "\n".join(PARAGRAPHS),  # one paragraph a line, as web pages and most files give them
        "\n\n".join(PARAGRAPHS),
        "Flood relief reaches Quang Tri villages\n\nDa Nang (VNA) – Relief teams reached villages cut off by floods on Tuesday.\n"
        "More teams are on the way./.\nVNA",
        "\n".join(f"line {number} ok" for number in range(500)),
        "\n".join(f"Paragraph {n} is a short one-sentence paragraph of the kind some sites write, ending here." for n in range(30)),
        "A poem\n\nThe river runs down to the sea\nThe boats go with it, one by one\nAnd the city waits for the sun",
        "",
        "one line only",
    ],
)
def test_text_that_is_not_hard_wrapped_comes_back_unchanged(text: str) -> None:
    assert reflow(text) == text


@pytest.mark.parametrize("path", sorted(SAMPLE_DIR.glob("*.txt")), ids=lambda path: path.name[:3])
def test_the_sample_articles_are_not_touched(path: object) -> None:
    text = clean_text(decode_bytes(path.read_bytes()).text)  # type: ignore[attr-defined]
    assert reflow(text) == text


def test_a_wrapped_story_parses_as_the_same_story_unwrapped(patterns: NewsPatterns) -> None:
    flat = "Party to strengthen ties\n\n" + "\n\n".join(PARAGRAPHS) + "\nVNA"
    hard = "Party to strengthen ties\n\n" + wrapped(PARAGRAPHS, 66) + "\nVNA"
    one, other = parse_article(flat, patterns), parse_article(hard, patterns)
    fields = ("title", "title_kind", "place", "agency", "text")
    assert [getattr(other, name) for name in fields] == [getattr(one, name) for name in fields]


def test_reflowed_text_stays_clean() -> None:
    text = wrapped(PARAGRAPHS, 72, indent="   ")
    assert clean_text(reflow(text)) == reflow(text)


WIRE_STORY = """\
                 Vietnam Party Opens Congress

   HANOI, Vietnam (AP) -- Vietnam's Communist Party opened its
congress Tuesday, pledging to continue economic reforms while
keeping a firm grip on power in the one-party state.
   More than 1,000 delegates gathered in the capital's Ba Dinh
Hall for the eight-day meeting, which is held every five years
and sets the country's course.
   ``We must press on with renovation,'' the party chief told the
delegates.

   AP-NY-03-14-24 1605EST
"""


def test_an_old_wire_story_with_indented_paragraphs(patterns: NewsPatterns) -> None:
    lines = reflow(WIRE_STORY).split("\n")
    assert lines[0] == "                 Vietnam Party Opens Congress"
    assert lines[2].startswith("HANOI, Vietnam (AP) -- Vietnam's Communist Party opened its congress Tuesday, pledging")
    assert lines[2].endswith("in the one-party state.")
    assert lines[3].endswith("which is held every five years and sets the country's course.")
    assert lines[4] == "``We must press on with renovation,'' the party chief told the delegates."
    assert lines[6] == "   AP-NY-03-14-24 1605EST"
    article = parse_article(WIRE_STORY, patterns)
    assert (article.title, article.place, article.agency) == ("Vietnam Party Opens Congress", "Hanoi", "AP")
