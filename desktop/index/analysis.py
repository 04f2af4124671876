"""The analyzer: words with their character offsets, folded (accents, ``đ``) and stemmed with Porter2.

The classes are pickled into the index's schema by module path: keep this module's path and class
names stable, and bump ``SCHEMA_VERSION`` in ``desktop.index.schema`` whenever their output changes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any, NamedTuple

from whoosh.analysis import Filter, Token, Tokenizer
from whoosh.lang.porter2 import stem as porter2_stem

from desktop.core.text import fold

# Words, keeping inner apostrophes (Nam’s) and combining marks, so NFD text splits as NFC does.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
WORD = re.compile(rf"[\w{_MARKS}]+(?:['’][\w{_MARKS}]+)*")
_STEMS: dict[str, str] = {}
_STEM_CACHE_LIMIT = 500_000


def stem(word: str) -> str:
    """Porter2 stem of an already folded word, memoised (news reuses a small vocabulary)."""
    cached = _STEMS.get(word)
    if cached is None:
        cached = porter2_stem(word.replace("’", "'"))
        if len(_STEMS) < _STEM_CACHE_LIMIT:
            _STEMS[word] = cached
    return cached


class _Stateless:
    """Analysis components without settings: equal when of the same class (Whoosh compares schemas)."""

    def __eq__(self, other: object) -> bool:
        return other.__class__ is self.__class__

    def __hash__(self) -> int:
        return hash(self.__class__)


class _WordTokenizer(_Stateless, Tokenizer):  # type: ignore[misc]
    """Yield each word in the form ``form`` gives it, with positions and original character offsets."""

    @staticmethod
    def form(word: str) -> str:
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
        if not tokenize:
            token.original = token.text = self.form(value)
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar = start_char
                token.endchar = start_char + len(value)
            yield token
            return
        form = self.form
        for pos, match in enumerate(WORD.finditer(value)):
            word = match.group(0)
            token.text = form(word)
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


class FoldingTokenizer(_WordTokenizer):
    """Words folded to lower-case ASCII-like text (``Nguyễn`` → ``nguyen``)."""

    @staticmethod
    def form(word: str) -> str:
        return fold(word)


class Porter2Filter(_Stateless, Filter):  # type: ignore[misc]
    """Stem folded words with Porter2 (``delegations`` → ``deleg``, ``running`` → ``run``)."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            if not token.stopped:
                token.text = stem(token.text)
            yield token


def news_analyzer() -> Any:
    """Folding, stemming, no stop words: ``US``, ``May`` and ``will`` are words in this archive."""
    return FoldingTokenizer() | Porter2Filter()


def analyse(text: str) -> Iterator[tuple[str, int, int]]:
    """``(term, start, end)`` for every word of ``text``, as the index sees it."""
    for match in WORD.finditer(text):
        yield stem(fold(match.group(0))), match.start(), match.end()


class WordToken(NamedTuple):
    """One word of a text in every form a query can match it by."""

    stem: str
    folded: str
    exact: str
    start: int
    end: int


def exact_form(word: str) -> str:
    """Lower-case NFC without folding: what an exact (``=``) query term matches."""
    return unicodedata.normalize("NFC", word).lower()


def word_tokens(text: str) -> list[WordToken]:
    """Every word of ``text`` with its stem, folded and exact forms and its character offsets."""
    tokens = []
    for match in WORD.finditer(text):
        word = match.group(0)
        folded = fold(word)
        tokens.append(WordToken(stem(folded), folded, exact_form(word), match.start(), match.end()))
    return tokens


class ExactTokenizer(_WordTokenizer):
    """Words lower-cased in NFC, accents kept: the field exact (``=``) terms search."""

    @staticmethod
    def form(word: str) -> str:
        return exact_form(word)


def plain_analyzer() -> Any:
    """Folded but not stemmed: wildcards (``viet*``) and fuzzy terms (``quan~``) match whole words."""
    return FoldingTokenizer()


def exact_analyzer() -> Any:
    return ExactTokenizer()
