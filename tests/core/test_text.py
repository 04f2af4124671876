"""Text normalisation and folding."""

from __future__ import annotations

import unicodedata

import pytest

from desktop.core.models import PartialDate, Span
from desktop.core.text import clean_text, collapse_whitespace, fold, visible_text


def test_clean_text_unifies_line_endings_and_drops_invisible_characters() -> None:
    raw = "Viet\u00adnam\r\nHa\u200bNoi\rline\u00a0three  \n\n"
    assert clean_text(raw) == "Vietnam\nHaNoi\nline three"


def test_clean_text_composes_nfd_into_nfc() -> None:
    nfd = unicodedata.normalize("NFD", "Nguyễn Phú Trọng")
    assert clean_text(nfd) == "Nguyễn Phú Trọng"
    assert unicodedata.is_normalized("NFC", clean_text(nfd))


def test_clean_text_drops_control_characters_but_keeps_tabs() -> None:
    assert clean_text("a\x00b\x07c\td") == "abc\td"


@pytest.mark.parametrize(
    ("word", "folded"),
    [
        ("Nguyễn", "nguyen"),
        ("Đà", "da"),
        ("đường", "duong"),
        ("VIỆT", "viet"),
        (unicodedata.normalize("NFD", "Trọng"), "trong"),
        ("Straße", "strasse"),
    ],
)
def test_fold_removes_accents_and_case(word: str, folded: str) -> None:
    assert fold(word) == folded


def test_collapse_whitespace_makes_line_endings_irrelevant() -> None:
    assert collapse_whitespace("a\r\n b\n\n c ") == collapse_whitespace("a b c")


def test_visible_text_blanks_spans_and_keeps_offsets() -> None:
    text = "Body text.\nSee more\nEnd"
    spans = [Span(11, 19, "web")]
    shown = visible_text(text, spans)
    assert len(shown) == len(text)
    assert "See more" not in shown
    assert shown.index("End") == text.index("End")


@pytest.mark.parametrize(
    ("date", "iso", "precision"),
    [
        (PartialDate(2023, 7, 3), "2023-07-03", "day"),
        (PartialDate(2016, 2), "2016-02", "month"),
        (PartialDate(2012), "2012", "year"),
        (PartialDate(None, 2, 26), "--02-26", "month-day"),
        (PartialDate(), None, "unknown"),
    ],
)
def test_partial_date_keeps_what_is_known(date: PartialDate, iso: str | None, precision: str) -> None:
    assert date.iso() == iso
    assert date.precision == precision
