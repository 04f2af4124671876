"""The entity extractor's shipped knowledge: known entities by name (gazetteer) and the context words it reads."""

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
