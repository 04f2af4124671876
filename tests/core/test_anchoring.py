"""Finding a passage again after its text changed."""

from __future__ import annotations

import pytest

from desktop.core.anchoring import anchor_at, reanchor

OLD = "The delegation met officials in Hanoi on Monday.\nThey discussed trade and investment.\nThe talks ended."
PASSAGE = "officials in Hanoi"


def placed(new: str) -> str | None:
    start = OLD.index(PASSAGE)
    found = reanchor(anchor_at(OLD, start, start + len(PASSAGE)), new, OLD)
    return None if found is None else new[found.start : found.end]


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        (OLD, PASSAGE),
        ("Yesterday, " + OLD, PASSAGE),
        (OLD.replace("officials in Hanoi", "officials in central Hanoi"), "officials in central Hanoi"),
        (OLD.replace(" ", "  "), "officials  in  Hanoi"),
        (OLD.replace("\n", "\r\n"), PASSAGE),
        (OLD.replace("The delegation met officials in Hanoi on Monday.\n", ""), None),
    ],
    ids=["unchanged", "words-before", "words-inside", "whitespace", "line-endings", "deleted"],
)
def test_passage_is_found_again_or_given_up(new: str, expected: str | None) -> None:
    assert placed(new) == expected


def test_a_repeated_passage_goes_where_its_context_is() -> None:
    start = OLD.index(PASSAGE)
    anchor = anchor_at(OLD, start, start + len(PASSAGE))
    new = "Earlier, officials in Hanoi said little. " + OLD
    found = reanchor(anchor, new, OLD)
    assert found is not None
    assert new[found.start - len("The delegation met ") : found.start] == "The delegation met "


def test_the_position_wins_when_the_quote_is_still_there() -> None:
    text = "a b a b a b"
    anchor = anchor_at(text, 4, 5)
    found = reanchor(anchor, text)
    assert found is not None
    assert (found.start, found.end) == (4, 5)
