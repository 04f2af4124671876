"""The entity extractor's shipped knowledge (known names, context words) and its first reading of a text: words, known names, titles."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Literal

from desktop.core.text import fold

Kind = Literal["person", "place", "organisation"]
KINDS: tuple[Kind, ...] = ("person", "place", "organisation")

# A token is a run of letters and digits; everything between tokens is a gap.
TOKEN = re.compile(r"[^\W_]+")


def fold_tokens(text: str) -> tuple[str, ...]:
    """The folded tokens of ``text``: ``"Hà Nội"`` → ``("ha", "noi")``."""
    return tuple(fold(token) for token in TOKEN.findall(text))


def name_key(name: str) -> str:
    """The key that makes two spellings one entity: folded tokens joined by spaces."""
    return " ".join(fold_tokens(name))


@dataclass(frozen=True, slots=True)
class Spelling:
    """One way an entity is written: its tokens, folded, and which of them must be capitalised or in capitals."""

    folded: tuple[str, ...]
    shapes: tuple[str, ...]  # per token: "upper" (all capitals), "title" (initial capital) or "any"
    standalone: bool  # matches only when no other capitalised word touches it


@dataclass(slots=True)
class Entity:
    kind: Kind | None  # None: a name-table group nothing classifies yet
    name: str


@dataclass(frozen=True, slots=True)
class Rules:
    """Context words, each set folded."""

    titles: frozenset[tuple[str, ...]]
    exact_titles: frozenset[str]  # one-word titles with accents, matched only as written: "Bà" is Mrs, "Ba" a name
    abbreviated_titles: frozenset[str]
    person_verbs: frozenset[tuple[str, ...]]
    family_names: frozenset[str]
    given_names: frozenset[str]  # lower case, accents kept
    stopwords: frozenset[str]
    calendar_words: frozenset[str]
    demonyms: frozenset[str]
    never_alone: frozenset[str]
    organisation_heads: frozenset[tuple[str, ...]]
    organisation_words: frozenset[str]
    place_words_after: frozenset[str]
    place_heads: frozenset[str]
    place_words_before: frozenset[tuple[str, ...]]
    place_prepositions: frozenset[str]
    title_first_words: dict[str, int]  # first word of a title → its longest title's length


@dataclass(slots=True)
class Gazetteer:
    """Known spellings → entity, plus the rules; build with :func:`load_gazetteer`."""

    rules: Rules
    entities: list[Entity] = field(default_factory=list)
    spellings: dict[tuple[str, ...], list[tuple[Spelling, int]]] = field(default_factory=dict)
    by_key: dict[str, int] = field(default_factory=dict)
    longest: int = 1
    first_words: dict[str, int] = field(default_factory=dict)  # first word of a spelling → its longest spelling's length

    def entity_for(self, name: str) -> Entity | None:
        index = self.by_key.get(name_key(name))
        return None if index is None else self.entities[index]

    def add_group(self, kind: Kind | None, names: Sequence[str], standalone_names: Sequence[str] = ()) -> None:
        """Add an entity written ``names`` (the first preferred); a spelling already known joins the two."""
        known = next((self.by_key[key] for key in map(name_key, [*names, *standalone_names]) if key in self.by_key), None)
        if known is None:
            known = len(self.entities)
            self.entities.append(Entity(kind, " ".join(names[0].split())))
        elif self.entities[known].kind is None:
            self.entities[known].kind = kind
        for name, standalone in [*((n, False) for n in names), *((n, True) for n in standalone_names)]:
            tokens = TOKEN.findall(name)
            if not tokens:
                continue
            key = tuple(fold(t) for t in tokens)
            self.by_key.setdefault(" ".join(key), known)
            spelling = Spelling(key, tuple(_shape(t) for t in tokens), standalone)
            entries = self.spellings.setdefault(key, [])
            if all(existing.shapes != spelling.shapes for existing, _ in entries):
                entries.append((spelling, known))
            self.longest = max(self.longest, len(key))
            self.first_words[key[0]] = max(self.first_words.get(key[0], 0), len(key))


def _shape(token: str) -> str:
    if len(token) > 1 and token.isupper():
        return "upper"
    if token[:1].isupper():
        return "title"
    return "any"


def _read(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resources.files("desktop.resources").joinpath(name).read_text(encoding="utf-8"))
    return data


def _folded_words(words: Iterable[str]) -> frozenset[str]:
    return frozenset(fold(w) for w in words)


def _folded_phrases(words: Iterable[str]) -> frozenset[tuple[str, ...]]:
    return frozenset(key for key in map(fold_tokens, words) if key)


def _rules(data: dict[str, Any]) -> Rules:
    exact = {title.lower() for title in data["titles"] if " " not in title and fold(title) != title.lower()}
    titles = _folded_phrases(title for title in data["titles"] if title.lower() not in exact)
    return Rules(
        titles=titles,
        exact_titles=frozenset(exact),
        abbreviated_titles=_folded_words(data["abbreviated_titles"]),
        person_verbs=_folded_phrases(data["person_verbs"]),
        family_names=_folded_words(data["family_names"]),
        given_names=frozenset(name.lower() for name in data["given_names"]),  # as written: "Ben" is a name, "Bến" a wharf
        stopwords=_folded_words(data["stopwords"]),
        calendar_words=_folded_words(data["calendar_words"]),
        demonyms=_folded_words(data["demonyms"]),
        never_alone=_folded_words(data["never_alone"]),
        organisation_heads=_folded_phrases(data["organisation_heads"]),
        organisation_words=_folded_words(data["organisation_words"]),
        place_words_after=_folded_words(data["place_words_after"]),
        place_heads=_folded_words(data["place_heads"]),
        place_words_before=_folded_phrases(data["place_words_before"]),
        place_prepositions=_folded_words(data["place_prepositions"]),
        title_first_words={first: max(len(t) for t in titles if t[0] == first) for first in {t[0] for t in titles}},
    )


def load_gazetteer(extra_groups: Iterable[Sequence[str]] = ()) -> Gazetteer:
    """The shipped gazetteer (``resources/gazetteer.json``), the shipped name table and ``extra_groups`` (an archive's own).

    Each group is one entity; the gazetteer's preferred name wins, then a group's first spelling. A group that shares
    a spelling with a known entity joins it, so ``["Nguyen Phu Trong", "Nguyễn Phú Trọng"]`` stays one person.
    """
    gazetteer = Gazetteer(_rules(_read("entity_rules.json")))
    for item in _read("gazetteer.json")["entities"]:
        gazetteer.add_group(item["kind"], [item["name"], *item.get("names", [])], item.get("standalone_names", []))
    for group in [*_read("name_variants.json")["groups"], *extra_groups]:
        names = [name for name in group if name.strip()]
        if names:
            gazetteer.add_group(None, names)
    return gazetteer


# Between two tokens of one known name: spaces, a hyphen or dash, or a dot or apostrophe with no space ("TP.HCM", "U.S.").
_PHRASE_GAP = re.compile(r",?[ \t]+|[ \t]*[-–][ \t]*|[.'’]|")
# Between two words of one capitalised name: one space, or a hyphen ("Jean-Pierre", "Under-Secretary-General").
NAME_GAP = re.compile(r" |-")
# Lower-case words that may sit inside a name ("Ministry of Finance", "Ludwig van Beethoven").
CONNECTORS = frozenset({"of", "for", "the", "and", "on", "de", "du", "van", "von", "der", "bin", "al", "da", "del", "y"})
# What ends a sentence before a word: the word's capital tells nothing then.
_SENTENCE_END = re.compile(r"(?:[.!?:;\"“”(\[–—]|\s-)\s*$")
# A Vietnamese syllable without its tones: an optional initial, vowels, an optional final.
_SYLLABLE = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?")

# Institutions that a country's name describes rather than names: "the US Government", "the Vietnamese Embassy".
_GENERIC_HEADS = frozenset(
    {"government", "administration", "embassy", "consulate", "mission", "cabinet", "congress", "senate", "party"}
    | {"committee", "council", "court", "police", "department", "procuracy"}  # a province's own: "Hanoi People's Committee"
)


@dataclass(slots=True)
class Token:
    """A word of the text with its offsets, folded form and what the first reading made of it."""

    start: int
    end: int
    text: str
    low: str
    capital: bool
    gap: str  # the text between the previous token and this one
    headline: bool = False
    role: str = ""  # "known" (a gazetteer name), "title", or "" (free)


def tokenize(text: str) -> list[Token]:
    """The words of ``text``, title-case lines (headlines) marked."""
    tokens: list[Token] = []
    previous_end = 0
    for match in TOKEN.finditer(text):
        word = match.group()
        tokens.append(Token(match.start(), match.end(), word, fold(word), word[0].isupper(), text[previous_end : match.start()]))
        previous_end = match.end()
    _mark_headlines(tokens)
    return tokens


def _mark_headlines(tokens: list[Token]) -> None:
    """Lines in title case ("Party To Continue Strengthening Ties") give no new names: every word there is capitalised."""
    line: list[Token] = []
    for index, token in enumerate(tokens):
        line.append(token)
        if index + 1 == len(tokens) or "\n" in tokens[index + 1].gap:
            words = [t for t in line if t.text.isalpha() and len(t.text) > 2]
            lower = [t for t in words if not t.capital and len(t.text) > 4]
            if 4 <= len(words) <= 20 and not lower and sum(t.capital for t in words) >= 0.75 * len(words):
                for t in line:
                    t.headline = True
            line = []


def _shape_fits(token: Token, shape: str) -> bool:
    if shape == "upper":
        return token.text.isupper()
    return token.capital if shape == "title" else True


def known_names(tokens: list[Token], gazetteer: Gazetteer) -> list[tuple[int, int, int]]:
    """Gazetteer and name-table spellings in the text, longest first: (first token, end token, entity index)."""
    found: list[tuple[int, int, int]] = []
    index = 0
    count = len(tokens)
    joined = [bool(_PHRASE_GAP.fullmatch(t.gap)) for t in tokens]  # may this token continue a known name?
    while index < count:
        match: tuple[int, int] | None = None
        longest = gazetteer.first_words.get(tokens[index].low, 0)
        reach = 1
        while reach < min(longest, count - index) and joined[index + reach]:
            reach += 1
        for size in range(reach, 0, -1):
            entries = gazetteer.spellings.get(tuple(t.low for t in tokens[index : index + size]))
            if not entries:
                continue
            for spelling, entity in entries:
                if all(_shape_fits(t, shape) for t, shape in zip(tokens[index : index + size], spelling.shapes, strict=True)):
                    if spelling.standalone and not _stands_alone(tokens, index, index + size, gazetteer.rules):
                        continue
                    match = (size, entity)
                    break
            if match:
                break
        if match is None:
            index += 1
            continue
        size, entity = match
        if gazetteer.entities[entity].kind is not None and not _inside_a_name(tokens, index, index + size, gazetteer):
            found.append((index, index + size, entity))
            for token in tokens[index : index + size]:
                token.role = "known"
        index += size
    return found


def _inside_a_name(tokens: list[Token], first: int, end: int, gazetteer: Gazetteer) -> bool:
    """A place that ends a Vietnamese name is that name's end: "Nguyễn Hòa Bình" is a judge, not Hòa Bình province;
    a place that opens an institution's name is part of it: "Saigon Commercial Bank", "Vietnam Football Federation"."""
    if gazetteer.entities[gazetteer.spellings[tuple(t.low for t in tokens[first:end])][0][1]].kind != "place":
        return False
    rules = gazetteer.rules
    last = end
    while last < len(tokens) and NAME_GAP.fullmatch(tokens[last].gap) and (tokens[last].capital or connector(tokens[last])):
        low = tokens[last].low
        if (
            tokens[last].capital
            and low in gazetteer.first_words
            and low not in rules.organisation_words
            and (low,) not in rules.organisation_heads
        ):
            break  # another known name ("Vietnam Airlines" is known whole; "Hanoi Vietnam" is two)
        last += 1
    if last > end and (tokens[last - 1].low,) in rules.organisation_heads and tokens[last - 1].low not in _GENERIC_HEADS:
        return True
    for start in range(first - 1, max(first - 3, end - 4, -1) - 1, -1):
        if tokens[start].role or tokens[start + 1].gap != " ":
            return False
        if vietnamese_name(tokens[start:end], gazetteer.rules):
            return True
    return False


def _stands_alone(tokens: list[Token], first: int, end: int, rules: Rules) -> bool:
    """No capitalised word touches the name, and no title stands before it ("ông Đức" is a man, not Germany)."""
    before = tokens[first - 1] if first > 0 else None
    after = tokens[end] if end < len(tokens) else None
    if before is not None and before.gap.strip() == "" and (before.capital and not sentence_start(tokens, first - 1)):
        return False
    touched_after = after is not None and after.capital and tokens[end].gap == " "
    if before is not None and (before.low,) in rules.titles:
        return touched_after  # "Thủ tướng Úc Anthony Albanese": the title is the next name's
    return not touched_after


def sentence_start(tokens: list[Token], index: int) -> bool:
    """Whether the word opens a sentence or a line, where a capital tells nothing."""
    return index == 0 or bool(_SENTENCE_END.search(tokens[index].gap)) or "\n" in tokens[index].gap


def mark_titles(tokens: list[Token], rules: Rules) -> None:
    """Titles ("Deputy Prime Minister", "Tổng Bí thư", "Mr"): capitalised ones always, lower-case ones before a name."""
    index = 0
    while index < len(tokens):
        size = _title_at(tokens, index, rules)
        if size:
            after = tokens[index + size] if index + size < len(tokens) else None
            if tokens[index].capital or (after is not None and after.capital and after.role != "known"):
                for token in tokens[index : index + size]:
                    token.role = "title"
                index += size
                continue
        index += 1


def _title_at(tokens: list[Token], index: int, rules: Rules) -> int:
    longest = max(rules.title_first_words.get(tokens[index].low, 0), int(tokens[index].text.lower() in rules.exact_titles))
    for size in range(min(longest, len(tokens) - index), 0, -1):
        span = tokens[index : index + size]
        if any(t.role for t in span) or any(not _PHRASE_GAP.fullmatch(t.gap) for t in span[1:]):
            continue
        if tuple(t.low for t in span) in rules.titles or (size == 1 and span[0].text.lower() in rules.exact_titles):
            return size
    return 0


def connector(token: Token) -> bool:
    """A lower-case word that may join the words of a name ("of", "for", "van")."""
    return token.low in CONNECTORS and not token.capital


def vietnamese_name(tokens: Sequence[Token], rules: Rules) -> bool:
    """A common family name and one to three more syllables, all capitalised ("Lê Hoài Trung", "Hoang Binh Quan")."""
    return (
        2 <= len(tokens) <= 4
        and tokens[0].low in rules.family_names
        and all(t.capital and not t.text.isupper() and _SYLLABLE.fullmatch(t.low) for t in tokens)
        and not any(t.low in rules.never_alone or t.low in rules.place_heads for t in tokens)
    )
