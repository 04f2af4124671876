"""Finding a passage again after its text changed: by position, by quote and context, then fuzzily.

The quote is stored as the W3C Web Annotation model's TextQuoteSelector (exact, prefix, suffix) and
TextPositionSelector (start, end) on the clean text.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

FUZZY_MIN_RATIO = 0.75
CONTEXT_SHARE = 4  # a quote found elsewhere must keep at least a quarter of its prefix and of its suffix
CONTEXT = 32  # characters of prefix and suffix kept with a quote


@dataclass(frozen=True, slots=True)
class Anchor:
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


def anchor_at(text: str, start: int, end: int) -> Anchor:
    """The selectors of the passage ``text[start:end]``."""
    return Anchor(text[start:end], text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT], start, end)


def _context_scores(text: str, start: int, end: int, anchor: Anchor) -> tuple[int, int]:
    """How many characters of the stored prefix and of the suffix still surround ``[start, end)``."""
    before = text[max(0, start - len(anchor.prefix)) : start]
    after = text[end : end + len(anchor.suffix)]
    prefix = 0
    for a, b in zip(reversed(before), reversed(anchor.prefix), strict=False):
        if a != b:
            break
        prefix += 1
    suffix = 0
    for a, b in zip(after, anchor.suffix, strict=False):
        if a != b:
            break
        suffix += 1
    return prefix, suffix


def _context_kept(scores: tuple[int, int], anchor: Anchor) -> bool:
    """Each side of the context keeps at least a share of itself (a side that was empty needs nothing)."""
    prefix, suffix = scores
    return prefix >= len(anchor.prefix) // CONTEXT_SHARE and suffix >= len(anchor.suffix) // CONTEXT_SHARE


def _mapped(old_text: str, new_text: str, position: int) -> int:
    """Where ``position`` of ``old_text`` went in ``new_text``, following the differences between them."""
    matcher = SequenceMatcher(None, old_text, new_text, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if i1 <= position < i2 or (position == i2 and tag == "equal"):
            if tag == "equal":
                return j1 + (position - i1)
            return j1 if position - i1 < (i2 - i1) / 2 else j2
    return len(new_text)


def reanchor(anchor: Anchor, new_text: str, old_text: str | None = None) -> Anchor | None:
    """The passage's place in ``new_text``, or None when it cannot be found (it then needs review).

    1. by position, when the quote still sits there;
    2. by the quote, the occurrence whose prefix and suffix match best (ties: nearest the old place),
       if enough of that context is still around it;
    3. fuzzily: where the old passage's ends went in the edited text, if what lies there is close enough.
    """
    if not anchor.exact:
        return None
    if new_text[anchor.start : anchor.end] == anchor.exact:
        return anchor_at(new_text, anchor.start, anchor.end)
    candidates = []
    position = new_text.find(anchor.exact)
    while position != -1:
        candidates.append(position)
        position = new_text.find(anchor.exact, position + 1)
    if candidates:
        size = len(anchor.exact)
        best = max(candidates, key=lambda start: (sum(_context_scores(new_text, start, start + size, anchor)), -abs(start - anchor.start)))
        # the same words elsewhere, in other surroundings, are another passage: a name mentioned twice
        if _context_kept(_context_scores(new_text, best, best + size, anchor), anchor):
            return anchor_at(new_text, best, best + size)
    if old_text is None:
        return None
    start = _mapped(old_text, new_text, anchor.start)
    end = _mapped(old_text, new_text, anchor.end)
    if end <= start:
        return None
    found = new_text[start:end]
    if SequenceMatcher(None, anchor.exact, found, autojunk=False).ratio() < FUZZY_MIN_RATIO:
        return None
    return anchor_at(new_text, start, end)
