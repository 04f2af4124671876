"""The analyzers: words with their positions, folded (accents, ``đ``) and stemmed with Porter2.

Every distinct word is analysed once and remembered (news reuses a small vocabulary), so analysing a
text is one regular-expression pass and a dictionary look-up per word. One document value feeds three
fields (``text``, ``words``, ``pairs``): the words of the last value are kept, so it is split only once.

The classes are pickled into the index's schema by module path: keep this module's path and class
names stable, and bump ``SCHEMA_VERSION`` in ``desktop.index.schema`` whenever their output changes.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from whoosh.analysis import Token, Tokenizer
from whoosh.lang.porter2 import stem as porter2_stem

from desktop.core.text import fold
from desktop.index.common_words import COMMON_WORDS

# Words, keeping inner apostrophes (Nam’s) and combining marks, so NFD text splits as NFC does.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
#: What a word is made of, for a character class: letters, digits, ``_`` and combining marks.
WORD_CHARS = rf"\w{_MARKS}"
WORD = re.compile(rf"[{WORD_CHARS}]+(?:['’][{WORD_CHARS}]+)*")
#: Between the parts of one field value (title, text, notes…): no phrase spans it, and the first part
#: (the title) weighs ``HEAD_BOOST`` times a word of the others.
SECTION = "\u2029"
HEAD_BOOST = 2.0
#: The prefix of a folded form in the ``words`` field when it differs from the word as written.
FOLDED_PREFIX = "~"
_CACHE_LIMIT = 500_000
#: A stem in this share of an archive's articles is common: a phrase of such words is checked through
#: its pairs, since checking positions would take in too many articles.
COMMON_SHARE = 0.10
COMMON_MIN_SAMPLE = 500
COMMON_MORE = 300  # at most this many stems beyond the shipped list: every pair of them is a term


class Forms(NamedTuple):
    stem: str
    folded: str
    exact: str


_FORMS: dict[str, Forms] = {}
_STEMS: dict[str, str] = {}


def stem(word: str) -> str:
    """Porter2 stem of an already folded word, memoised."""
    cached = _STEMS.get(word)
    if cached is None:
        cached = porter2_stem(word.replace("’", "'"))
        if len(_STEMS) < _CACHE_LIMIT:
            _STEMS[word] = cached
    return cached


def exact_form(word: str) -> str:
    """Lower-case NFC without folding: what an exact (``=``) query term matches."""
    return unicodedata.normalize("NFC", word).lower()


def forms(word: str) -> Forms:
    """The stem, folded and exact forms of one word as written, memoised."""
    found = _FORMS.get(word)
    if found is None:
        folded = fold(word)
        found = Forms(stem(folded), folded, exact_form(word))
        if len(_FORMS) < _CACHE_LIMIT:
            _FORMS[word] = found
    return found


COMMON_STEMS = frozenset(forms(word).stem for word in COMMON_WORDS)

_Words = list[tuple[Forms, int, int, int, float]]
#: The words of the last few values, by identity (a document's fields are analysed in name order, so
#: its small fields come between the three that share one value). Entries hold their value alive.
_recent: dict[int, tuple[str, _Words]] = {}
_RECENT_LIMIT = 16


def _words(value: str) -> _Words:
    """``(forms, position, start, end, boost)`` of each word of a field value (sections included)."""
    known = _recent.get(id(value))
    if known is not None and known[0] is value:
        return known[1]
    found: _Words = []
    sections = value.split(SECTION)
    boost = HEAD_BOOST if len(sections) > 1 else 1.0
    position = offset = 0
    for section in sections:
        for match in WORD.finditer(section):
            found.append((forms(match.group(0)), position, offset + match.start(), offset + match.end(), boost))
            position += 1
        position += 1  # a gap: no phrase runs from one section into the next
        offset += len(section) + 1
        boost = 1.0
    if len(_recent) >= _RECENT_LIMIT:
        _recent.clear()
    _recent[id(value)] = (value, found)
    return found


class _Terms(Tokenizer):  # type: ignore[misc]
    """A tokenizer yielding the terms :meth:`terms` makes of a value (all of it at once, no filter after).

    Without settings, tokenizers of one class are equal (Whoosh compares schemas).
    """

    def __eq__(self, other: object) -> bool:
        return other.__class__ is self.__class__

    def __hash__(self) -> int:
        return hash(self.__class__)

    def terms(self, value: str) -> Iterator[tuple[str, int, int, int, float]]:
        raise NotImplementedError

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.stopped = False
        for text, position, start, end, boost in self.terms(value) if tokenize else [(value, 0, 0, len(value), 1.0)]:
            token.text = text
            token.boost = boost
            if keeporiginal:
                token.original = value[start:end]
            if positions:
                token.pos = start_pos + position
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


class StemTokenizer(_Terms):
    """Folded, stemmed words (``Delegations`` → ``deleg``) with positions; the head section boosted."""

    def terms(self, value: str) -> Iterator[tuple[str, int, int, int, float]]:
        for word, position, start, end, boost in _words(value):
            yield word.stem, position, start, end, boost


class WordsTokenizer(_Terms):
    """Each word as written (lower-case NFC), and its folded form after ``~`` when that differs.

    Exact queries (``=Việt``) look up the first; wildcards and fuzzy words search both, folded.
    """

    def terms(self, value: str) -> Iterator[tuple[str, int, int, int, float]]:
        for word, position, start, end, _boost in _words(value):
            yield word.exact, position, start, end, 1.0
            if word.folded != word.exact:
                yield FOLDED_PREFIX + word.folded, position, start, end, 1.0


class PairsTokenizer(_Terms):
    """Each two neighbouring words that are both common, as one term (``of the``): quick phrases.

    Which words are common is chosen when the index is built (from the archive's own words) and kept
    in the index's schema, so every document of one index is split the same way.
    """

    def __init__(self, common: frozenset[str] = COMMON_STEMS) -> None:
        self.common = common

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PairsTokenizer) and other.common == self.common

    def __hash__(self) -> int:
        return hash((self.__class__, len(self.common)))

    def terms(self, value: str) -> Iterator[tuple[str, int, int, int, float]]:
        common = self.common
        previous: tuple[Forms, int, int] | None = None
        for word, position, start, end, _boost in _words(value):
            if word.stem in common:
                if previous is not None and previous[1] == position - 1:
                    yield f"{previous[0].stem} {word.stem}", previous[1], previous[2], end, 1.0
                previous = (word, position, start)
            else:
                previous = None


def pair_terms(stems: Sequence[str], common: frozenset[str]) -> list[str]:
    """The ``pairs`` terms of a phrase's stems: each neighbouring two that are both common."""
    return [f"{first} {second}" for first, second in itertools.pairwise(stems) if first in common and second in common]


def common_stems(texts: Iterable[str], share: float = COMMON_SHARE) -> frozenset[str]:
    """The stems in at least ``share`` of ``texts`` (a sample of the archive), with the shipped list."""
    counts: Counter[str] = Counter()
    seen = 0
    for text in texts:
        counts.update({forms(word).stem for word in WORD.findall(text)})
        seen += 1
    if seen < COMMON_MIN_SAMPLE:
        return COMMON_STEMS
    frequent = [stem for stem, count in counts.most_common() if count >= share * seen and stem not in COMMON_STEMS]
    return COMMON_STEMS | frozenset(frequent[:COMMON_MORE])


def news_analyzer() -> Any:
    """Folding, stemming, no stop words: ``US``, ``May`` and ``will`` are words in this archive."""
    return StemTokenizer()


def words_analyzer() -> Any:
    return WordsTokenizer()


def pairs_analyzer(common: frozenset[str] = COMMON_STEMS) -> Any:
    return PairsTokenizer(common)


def analyse(text: str) -> Iterator[tuple[str, int, int]]:
    """``(term, start, end)`` for every word of ``text``, as the index sees it."""
    for match in WORD.finditer(text):
        yield forms(match.group(0)).stem, match.start(), match.end()
