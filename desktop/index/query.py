"""The query language: the search box's text to a tree, name variants expanded (``whoosh_query`` compiles it).

A query that cannot be parsed raises :class:`QuerySyntaxError`; :func:`parse_query` then falls back to
a plain search for its words and says so in one line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from desktop.core.facets import FIELDS as FACET_FIELDS
from desktop.core.models import MetaAll, MetaAny, MetaClause, MetaFilter, MetaNot
from desktop.core.text import fold
from desktop.index.analysis import WORD, analyse

LeafKind = Literal["term", "phrase", "exact", "wildcard", "fuzzy"]

FIELD_ALIASES = {
    "title": "title",
    "text": "body",
    "body": "body",
    "note": "note",
    "notes": "note",
    "annotation": "annotation",
    "annotations": "annotation",
    "place": "place",
    # each facet narrowing by a field of its own name (agency:, publication:, tag:, cluster:)
    **{field: field for field in FACET_FIELDS},
    "tags": "tag",
    "date": "date",
}
MAX_FUZZY = 2
MAX_VARIANT_ALTERNATIVES = 24
_DATE = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
_DATE_RANGE = re.compile(rf"^(?P<low>{_DATE})?\.\.(?P<high>{_DATE})?$")
_DATE_COMPARE = re.compile(rf"^(?P<op>>=|<=|>|<)(?P<value>{_DATE})$")
_DATE_SINGLE = re.compile(rf"^{_DATE}$")
_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<lpar>\()
  | (?P<rpar>\))
  | (?P<field>[A-Za-z]+):(?=[^\s)])
  | (?P<phrase>"[^"]*")
  | (?P<open>"[^"]*$)
  | (?P<neg>-)(?=[^\s\-)])
  | (?P<word>[^\s()"]+)
    """,
    re.VERBOSE,
)
_HIGH = "\uffff"  # sorts after every ISO date that starts with the same characters
_LOWEST_DATE = "0"  # after "--MM-DD" (a date without a year), before every year


class QuerySyntaxError(ValueError):
    """The text is not a well-formed query; the message says what is wrong in a few words."""


# The tree --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Leaf:
    """Words to find in the text fields (``field`` None: every text field)."""

    kind: LeafKind
    words: tuple[str, ...]
    field: str | None = None
    distance: int = 1


@dataclass(frozen=True, slots=True)
class FieldValue:
    """A whole-value match on a facet's field (``desktop.core.facets.FIELDS``): a tag matches its children too."""

    field: str
    value: str


@dataclass(frozen=True, slots=True)
class DateRange:
    """Dates between two ISO bounds (inclusive, either open), compared as text."""

    low: str | None
    high: str | None


@dataclass(frozen=True, slots=True)
class Everything:
    pass


@dataclass(frozen=True, slots=True)
class AllOf:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class NoneOf:
    child: Node


Node = Leaf | FieldValue | DateRange | Everything | AllOf | AnyOf | NoneOf


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    tree: Node | None
    explanation: str | None = None

    def positive_leaves(self) -> list[Leaf | FieldValue]:
        """The leaves a result matched because of (everything not under NOT)."""
        found: list[Leaf | FieldValue] = []
        if self.tree is not None:
            _collect(self.tree, found)
        return found


def _collect(node: Node, found: list[Leaf | FieldValue]) -> None:
    if isinstance(node, Leaf | FieldValue):
        found.append(node)
    elif isinstance(node, AllOf | AnyOf):
        for child in node.children:
            _collect(child, found)


# Name variants ------------------------------------------------------------------------------------


@dataclass(slots=True)
class VariantTable:
    """Groups of spellings of one name; a query word sequence in a group searches the whole group."""

    groups: list[tuple[str, ...]] = field(default_factory=list)
    _by_key: dict[tuple[str, ...], int] = field(default_factory=dict)
    longest: int = 0

    @classmethod
    def from_groups(cls, groups: Sequence[Sequence[str]]) -> VariantTable:
        table = cls()
        for group in groups:
            words_of = [tuple(fold(w) for w in WORD.findall(name)) for name in group]
            index = len(table.groups)
            table.groups.append(tuple(group))
            for key in words_of:
                if key:
                    table._by_key.setdefault(key, index)
                    table.longest = max(table.longest, len(key))
        return table

    def group_of(self, words: Sequence[str]) -> int | None:
        return self._by_key.get(tuple(fold(w) for w in words))

    def alternatives(self, group: int) -> list[tuple[str, ...]]:
        """The group's spellings as word sequences, one per folded form."""
        seen: dict[tuple[str, ...], tuple[str, ...]] = {}
        for name in self.groups[group]:
            words = tuple(WORD.findall(name))
            if words:
                seen.setdefault(tuple(fold(w) for w in words), words)
        return list(seen.values())


def _word_leaf(words: Sequence[str], field_name: str | None) -> Leaf:
    return Leaf("term" if len(words) == 1 else "phrase", tuple(words), field_name)


def _variant_node(words: Sequence[str], field_name: str | None, variants: VariantTable) -> Node:
    """A leaf for ``words``, or an AnyOf over every spelling when part of it is a known name."""
    alternatives: list[list[str]] = [[]]
    position = 0
    expanded = False
    while position < len(words):
        for size in range(min(variants.longest, len(words) - position), 0, -1):
            group = variants.group_of(words[position : position + size])
            if group is not None:
                options = variants.alternatives(group)
                alternatives = [prefix + list(option) for prefix in alternatives for option in options][:MAX_VARIANT_ALTERNATIVES]
                position += size
                expanded = True
                break
        else:
            alternatives = [[*prefix, words[position]] for prefix in alternatives]
            position += 1
    if not expanded:
        return _word_leaf(words, field_name)
    leaves: list[Node] = [_word_leaf(option, field_name) for option in alternatives]
    return leaves[0] if len(leaves) == 1 else AnyOf(tuple(leaves))


# The parser -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str
    text: str


def _tokens(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "word"
        if kind == "space":
            continue
        if kind == "open":
            raise QuerySyntaxError("a quotation mark is not closed")
        value = match.group(kind)
        if kind == "word" and value in ("OR", "NOT", "AND"):
            kind = value
        elif kind == "field" and value.lower() not in FIELD_ALIASES:
            kind, value = "word", value + ":"
        tokens.append(_Tok(kind, value))
    return tokens


@dataclass(slots=True)
class _PlainWords:
    """Unfielded plain words in a row, kept together until name variants have been looked for."""

    words: list[str]


class _Parser:
    def __init__(self, text: str, variants: VariantTable) -> None:
        self.tokens = _tokens(text)
        self.position = 0
        self.variants = variants

    def peek(self) -> str | None:
        return self.tokens[self.position].kind if self.position < len(self.tokens) else None

    def take(self) -> _Tok:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def parse(self) -> Node | None:
        if not self.tokens:
            return None
        node = self.parse_or()
        if self.peek() == "rpar":
            raise QuerySyntaxError("a closing parenthesis has no opening one")
        return node

    def parse_or(self) -> Node:
        if self.peek() == "OR":
            raise QuerySyntaxError("OR has nothing before it")
        options = [self.parse_and()]
        while self.peek() == "OR":
            self.take()
            if self.peek() in (None, "rpar", "OR"):
                raise QuerySyntaxError("OR has nothing after it")
            options.append(self.parse_and())
        return options[0] if len(options) == 1 else AnyOf(tuple(options))

    def parse_and(self) -> Node:
        items: list[Node | _PlainWords] = []
        while self.peek() not in (None, "OR", "rpar"):
            if self.peek() == "AND":
                self.take()
                if not items or self.peek() in (None, "OR", "rpar", "AND"):
                    raise QuerySyntaxError("AND needs something on both sides")
                continue
            item = self.parse_unary()
            if isinstance(item, _PlainWords) and items and isinstance(items[-1], _PlainWords):
                items[-1].words.extend(item.words)
            else:
                items.append(item)
        if not items:
            raise QuerySyntaxError("empty parentheses" if self.peek() == "rpar" else "nothing to search for")
        nodes: list[Node] = []
        for item in items:
            if isinstance(item, _PlainWords):
                nodes.extend(self.group_words(item.words))
            else:
                nodes.append(item)
        if not nodes:
            raise QuerySyntaxError("no words to search for")
        return nodes[0] if len(nodes) == 1 else AllOf(tuple(nodes))

    def group_words(self, words: list[str]) -> Iterator[Node]:
        """Each plain word on its own, except runs that spell a known name, which search all its spellings."""
        position = 0
        while position < len(words):
            for size in range(min(self.variants.longest, len(words) - position), 0, -1):
                chunk = words[position : position + size]
                if self.variants.group_of(chunk) is not None:
                    yield _variant_node(chunk, None, self.variants)
                    position += size
                    break
            else:
                yield _word_leaf([words[position]], None)
                position += 1

    def parse_unary(self) -> Node | _PlainWords:
        if self.peek() in ("neg", "NOT"):
            self.take()
            if self.peek() in (None, "OR", "rpar", "AND"):
                raise QuerySyntaxError("NOT has nothing after it")
            item = self.parse_unary()
            if isinstance(item, _PlainWords):
                if not item.words:
                    raise QuerySyntaxError("NOT has no word after it")
                grouped = tuple(self.group_words(item.words))
                return NoneOf(grouped[0] if len(grouped) == 1 else AllOf(grouped))
            return NoneOf(item)
        return self.parse_primary()

    def parse_primary(self) -> Node | _PlainWords:
        token = self.take()
        if token.kind == "lpar":
            if self.peek() is None:
                raise QuerySyntaxError("a parenthesis is not closed")
            node = self.parse_or()
            if self.peek() != "rpar":
                raise QuerySyntaxError("a parenthesis is not closed")
            self.take()
            return node
        if token.kind == "rpar":
            raise QuerySyntaxError("a closing parenthesis has no opening one")
        if token.kind == "phrase":
            words = WORD.findall(token.text[1:-1])
            if not words:
                raise QuerySyntaxError("empty quotation marks")
            return _variant_node(words, None, self.variants)
        if token.kind == "field":
            if self.peek() not in ("word", "phrase"):
                raise QuerySyntaxError(f"{token.text}: needs a value")
            return self.fielded(FIELD_ALIASES[token.text.lower()], self.take())
        return self.word(token.text)

    def word(self, text: str) -> Node | _PlainWords:
        if text == "*":
            return Everything()
        if text.startswith("=") and len(text) > 1:
            words = WORD.findall(text[1:])
            if not words:
                raise QuerySyntaxError(f"nothing to match exactly in {text}")
            return Leaf("exact", tuple(words)) if len(words) == 1 else AllOf(tuple(Leaf("exact", (w,)) for w in words))
        fuzzy = re.fullmatch(r"(.+?)~(\d?)", text)
        if fuzzy:
            words = WORD.findall(fuzzy.group(1))
            if len(words) != 1:
                raise QuerySyntaxError(f"~ follows one word, not {fuzzy.group(1)!r}")
            distance = int(fuzzy.group(2) or 1)
            return Leaf("fuzzy", (words[0],), distance=max(1, min(distance, MAX_FUZZY)))
        if "*" in text or "?" in text:
            pattern = "".join(ch for ch in text if ch in "*?" or WORD.fullmatch(ch) or ch in "'’")
            if not pattern.strip("*?"):
                raise QuerySyntaxError(f"{text} has no letters to match")
            return Leaf("wildcard", (pattern,))
        words = WORD.findall(text)
        return _PlainWords(words) if words else _PlainWords([])

    def fielded(self, name: str, token: _Tok) -> Node:
        value = token.text[1:-1] if token.kind == "phrase" else token.text
        if name == "date":
            return date_range(value)
        if name in FACET_FIELDS:
            return self.facet_value(name, value)
        words = WORD.findall(value)
        if not words:
            raise QuerySyntaxError(f"{name}: needs a word")
        if token.kind == "word":
            inner = self.word(value)
            if isinstance(inner, Leaf):
                return Leaf(inner.kind, inner.words, name, inner.distance)
        return _variant_node(words, name, self.variants)

    def facet_value(self, name: str, value: str) -> Node:
        """A facet's whole value: a cluster number, a tag path, an agency (its name variants too), any other name as written."""
        if name == "cluster":
            if not value.isdigit():
                raise QuerySyntaxError(f"cluster:{value} is not a cluster number")
            return FieldValue("cluster", value)
        if name == "tag":
            path = "/".join(part.strip() for part in value.split("/") if part.strip())
            if not path:
                raise QuerySyntaxError("tag: needs a tag name")
            return FieldValue("tag", fold(path))
        if name == "agency":
            words = WORD.findall(value)
            if not words:
                raise QuerySyntaxError("agency: needs a name")
            group = self.variants.group_of(words)
            names = [" ".join(option) for option in self.variants.alternatives(group)] if group is not None else [" ".join(words)]
            values: list[Node] = [FieldValue("agency", fold(name)) for name in names]
            return values[0] if len(values) == 1 else AnyOf(tuple(values))
        # a name as written, punctuation kept ("Viet Nam News (Hanoi)"), folded as the store and the index fold it
        if not WORD.search(value):
            raise QuerySyntaxError(f"{name}: needs a name")
        return FieldValue(name, fold(" ".join(value.split())))


def date_range(value: str) -> DateRange:
    """``2023``, ``2016-02``, ``2012..2017``, ``>2020``, ``<=2019-06`` as a range of ISO dates."""
    match = _DATE_RANGE.match(value)
    if match and (match.group("low") or match.group("high")):
        low, high = match.group("low"), match.group("high")
        return DateRange(low, high + _HIGH if high else None)
    match = _DATE_COMPARE.match(value)
    if match:
        op, when = match.group("op"), match.group("value")
        return {
            ">": DateRange(when + _HIGH, None),
            ">=": DateRange(when, None),
            "<": DateRange(_LOWEST_DATE, when),
            "<=": DateRange(_LOWEST_DATE, when + _HIGH),
        }[op]
    if _DATE_SINGLE.match(value):
        return DateRange(value, value + _HIGH)
    raise QuerySyntaxError(f"date:{value} is not a date (try 2023, 2016-02, 2012..2017 or >2020)")


def parse_query(text: str, variants: VariantTable) -> ParsedQuery:
    """Parse ``text``; on a syntax error, search its words instead and say so."""
    try:
        return ParsedQuery(_Parser(text, variants).parse())
    except QuerySyntaxError as exc:
        words = WORD.findall(text)
        if not words:
            return ParsedQuery(None, f"Nothing to search for: {exc}.")
        # every word as a plain word: operators included, since they could not be read as operators
        nodes = tuple(_Parser("", variants).group_words(words))
        fallback = nodes[0] if len(nodes) == 1 else AllOf(nodes)
        return ParsedQuery(fallback, f"Searched for the words {' '.join(words)} ({exc}).")


def stems(words: Sequence[str]) -> list[str]:
    """The index terms of ``words``: folded and stemmed, as the analyzer makes them."""
    return [term for word in words for term, _start, _end in analyse(word)]


# As a metadata filter -------------------------------------------------------------------------------


def meta_filter(node: Node) -> MetaFilter | None:
    """The query as a metadata filter SQL can answer, or None when it needs the index (it has words)."""
    if isinstance(node, FieldValue):
        return MetaClause(node.field, (node.value,))
    if isinstance(node, DateRange):
        return MetaClause("date", (node.low or "", node.high or ""))
    if isinstance(node, Everything):
        return MetaClause("all", ())
    if isinstance(node, NoneOf):
        inner = meta_filter(node.child)
        return MetaNot(inner) if inner is not None else None
    if isinstance(node, AllOf | AnyOf):
        children = [meta_filter(child) for child in node.children]
        if any(child is None for child in children):
            return None
        kept = tuple(child for child in children if child is not None)
        return MetaAll(kept) if isinstance(node, AllOf) else MetaAny(kept)
    return None
