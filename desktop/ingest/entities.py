"""People, places and organisations named in an article: known names, then capitalised names read by their context."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from desktop.core.models import Span
from desktop.core.text import visible_text
from desktop.ingest.gazetteer import (
    CONNECTORS,
    KINDS,
    NAME_GAP,
    Gazetteer,
    Kind,
    Rules,
    Token,
    connector,
    known_names,
    load_gazetteer,
    mark_titles,
    name_key,
    sentence_start,
    tokenize,
    vietnamese_name,
)

__all__ = ["KINDS", "Kind", "Mention", "extract_entities", "load_gazetteer"]

# Lower-case words after a hyphen that end a compound, not a name: "Hanoi-based", "US-led".
_NOT_SYLLABLES = frozenset(
    {"led", "run", "made", "born", "type", "wide", "like", "free", "long", "year", "day", "old", "era", "war", "area", "zone", "bound"}
)
# Adjectives that make an institution's name a description of a local body ("the provincial Party Committee").
_LOCAL = frozenset({"provincial", "municipal", "city", "district", "local", "communal", "commune"})

# What ends the reach of a title: a sentence end, a new line, a comma, an opening bracket.
_CLAUSE_BREAK = re.compile(r"[.!?;]\s|\n|[,(]")

_ORGANISATION, _STRONG_PERSON, _PLACE, _WEAK_PERSON, _WEAK_PLACE = 55, 50, 30, 20, 10


@dataclass(frozen=True, slots=True)
class Mention:
    """One mention of an entity: ``text[start:end]`` names the entity ``name`` of ``kind``."""

    kind: Kind
    name: str  # the preferred name, the same for every spelling of the entity
    start: int
    end: int

    @property
    def key(self) -> str:
        """Accent- and case-free form of ``name``: the same entity from two articles has the same key."""
        return name_key(self.name)


@dataclass(slots=True)
class _Candidate:
    first: int  # token indices, end exclusive
    last: int
    score: dict[Kind, int] = field(default_factory=dict)

    def vote(self, kind: Kind, weight: int) -> None:
        self.score[kind] = max(self.score.get(kind, 0), weight)


def extract_entities(text: str, *, boilerplate: Sequence[Span] = (), gazetteer: Gazetteer) -> list[Mention]:
    """Every mention of a person, place or organisation in ``text`` (boilerplate spans skipped), in text order."""
    tokens = tokenize(visible_text(text, boilerplate))
    if not tokens:
        return []
    rules = gazetteer.rules
    known = known_names(tokens, gazetteer)
    mark_titles(tokens, rules)
    candidates = [candidate for run in _runs(tokens, rules) for candidate in _segments(run, tokens, rules)]
    for candidate in candidates:
        _classify(candidate, tokens, rules)
    return _resolve(tokens, known, candidates, gazetteer)


def _runs(tokens: list[Token], rules: Rules) -> list[tuple[int, int]]:
    """Maximal runs of free capitalised words (lower-case connectors inside), outside headlines."""
    runs: list[tuple[int, int]] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if not _name_word(token, rules):
            index += 1
            continue
        end = index + 1
        while end < len(tokens) and NAME_GAP.fullmatch(tokens[end].gap):
            nxt = tokens[end]
            if _name_word(nxt, rules) or _syllable_after_hyphen(nxt):
                end += 1
            elif nxt.low in CONNECTORS and not nxt.capital and not nxt.role:
                probe = end
                while probe < len(tokens) and tokens[probe].low in CONNECTORS and NAME_GAP.fullmatch(tokens[probe].gap):
                    probe += 1
                if probe < len(tokens) and _name_word(tokens[probe], rules) and NAME_GAP.fullmatch(tokens[probe].gap):
                    end = probe + 1
                else:
                    break
            else:
                break
        runs.append((index, end))
        index = end
    return runs


def _syllable_after_hyphen(token: Token) -> bool:
    """The lower-case half of a hyphenated given name: "Sang-sik", "Hang-seo", "Jae-in"."""
    return (
        token.gap == "-"
        and not token.capital
        and not token.role
        and token.text.isalpha()
        and len(token.text) <= 4
        and token.low not in _NOT_SYLLABLES
    )


def _name_word(token: Token, rules: Rules) -> bool:
    return token.capital and not token.role and not token.headline and token.text[0].isalpha() and token.low not in rules.calendar_words


def _non_name(low: str, rules: Rules) -> bool:
    """A word that is never part of a person's name: institutions, titles, adjectives of nations."""
    return (
        low in rules.organisation_words
        or (low,) in rules.organisation_heads
        or low in rules.never_alone
        or low in rules.demonyms
        or (low,) in rules.titles
        or low in rules.place_heads
    )


def _segments(run: tuple[int, int], tokens: list[Token], rules: Rules) -> list[_Candidate]:
    """Split a run into names: leading function words off, "and" between two names, an institution before a person."""
    first, end = run
    while first < end and (tokens[first].low in rules.stopwords or tokens[first].low in rules.demonyms or connector(tokens[first])):
        first += 1
    while end > first and connector(tokens[end - 1]):
        end -= 1
    if first >= end:
        return []
    pieces: list[tuple[int, int]] = [(first, end)]
    ands = [i for i in range(first, end) if tokens[i].low == "and" and not tokens[i].capital]
    if ands and not any((tokens[i].low,) in rules.organisation_heads for i in range(first, end)):
        bounds = [first, *ands, end]
        pieces = [(bounds[0], bounds[1]), *((a + 1, b) for a, b in pairwise(bounds[1:]))]
    candidates: list[_Candidate] = []
    for start, stop in pieces:
        while start < stop and connector(tokens[start]):
            start += 1
        if start >= stop:
            continue
        split = _person_tail(tokens, start, stop, rules)
        if split is not None and split > start:
            head_end = split
            while head_end > start and connector(tokens[head_end - 1]):
                head_end -= 1
            if head_end > start:
                candidates.append(_Candidate(start, head_end))
            tail = _Candidate(split, stop)
            tail.vote("person", _WEAK_PERSON)
            candidates.append(tail)
        else:
            candidates.append(_Candidate(start, stop))
    return candidates


def _person_tail(tokens: list[Token], first: int, end: int, rules: Rules) -> int | None:
    """Where a person's name starts at the end of ``tokens[first:end]``, if one does."""
    for index in range(max(first, end - 4), end - 1):
        if vietnamese_name(tokens[index:end], rules):
            return index
    for index in range(max(first, end - 3), end - 1):
        if tokens[index].text.lower() in rules.given_names and all(t.capital and not _non_name(t.low, rules) for t in tokens[index:end]):
            return index
    last_non_name = max((i for i in range(first, end) if _non_name(tokens[i].low, rules)), default=None)
    if last_non_name is not None and last_non_name > first and 1 <= end - last_non_name - 1 <= 4:
        tail = tokens[last_non_name + 1 : end]
        if all(t.capital and not t.text.isupper() for t in tail):
            return last_non_name + 1
    return None


def _classify(candidate: _Candidate, tokens: list[Token], rules: Rules) -> None:
    words = tokens[candidate.first : candidate.last]
    size = len(words)
    lows = [t.low for t in words]
    before = tokens[candidate.first - 1] if candidate.first > 0 else None
    after = tokens[candidate.last] if candidate.last < len(tokens) else None
    following = tuple(t.low for t in tokens[candidate.last : candidate.last + 2])
    proper = [t for t in words if not _non_name(t.low, rules) and t.low not in CONNECTORS and t.low not in rules.stopwords]
    # "Ministry of Mining", "National Centre for Hydro-Meteorological Forecasting": an institution and what it is for
    named_body = any((lows[k],) in rules.organisation_heads and lows[k + 1] in {"of", "for", "on"} for k in range(size - 2))
    # connectors make a phrase, not a person's name ("van", "de", "bin" do not count)
    phrase = any(not t.capital and t.low in {"of", "for", "the", "and", "on"} for t in words)
    shouted = all(t.text.isupper() for t in words)  # capitals tell nothing in "SECTION: XÃ HỘI"
    if (not proper and not named_body) or shouted or (before is not None and not before.capital and before.low in _LOCAL):
        candidate.score.clear()  # "Permanent Mission", "National Congress"; "the provincial Department of Tourism"
        return
    speaks = after is not None and after.gap in (" ", ", ") and (following[:1] in rules.person_verbs or following in rules.person_verbs)
    spoken_of = before is not None and before.gap.strip() == "" and words[0].gap == " " and (before.low,) in rules.person_verbs
    if not phrase and _titled(tokens, candidate.first, rules):
        candidate.vote("person", _STRONG_PERSON)
    elif not phrase and size > 1 and (speaks or spoken_of):
        candidate.vote("person", _STRONG_PERSON)  # a lone word that speaks may be a company ("Nvidia said")
    if size >= 2 and ((lows[-1],) in rules.organisation_heads or lows[-1] in {"co", "ltd", "jsc", "inc", "corp", "plc"}):
        candidate.vote("organisation", _ORGANISATION)
    if named_body:
        candidate.vote("organisation", _ORGANISATION)
    if after is not None and after.low in rules.place_words_after and not after.capital and after.gap == " ":
        candidate.vote("place", _PLACE)
    if size >= 2 and lows[-1] in rules.place_heads:
        candidate.vote("place", _PLACE)
    if any(tuple(t.low for t in tokens[max(0, candidate.first - n) : candidate.first]) in rules.place_words_before for n in (1, 2)):
        candidate.vote("place", _PLACE)
    if vietnamese_name(words, rules) and (size >= 3 or candidate.score.get("person")):
        candidate.vote("person", _WEAK_PERSON + 5)
    if 2 <= size <= 3 and words[0].text.lower() in rules.given_names and all(t.capital for t in words):
        candidate.vote("person", _WEAK_PERSON + 5)
    if (
        before is not None
        and before.low in rules.place_prepositions
        and not before.capital
        and words[0].gap == " "
        and size <= 3
        and not any(_non_name(low, rules) for low in lows)
    ):
        candidate.vote("place", _WEAK_PLACE)
    if size == 1 and (sentence_start(tokens, candidate.first) or words[0].text.isupper()):
        # A lone capitalised word opening a sentence, or an unknown acronym: only a title or a verb of speech makes it a name.
        for kind in list(candidate.score):
            if candidate.score[kind] < _STRONG_PERSON:
                del candidate.score[kind]
    if size == 1 and candidate.score.get("person", 0) <= _WEAK_PERSON and "person" in candidate.score:
        del candidate.score["person"]


def _titled(tokens: list[Token], first: int, rules: Rules) -> bool:
    """A title stands before the name, maybe across its institution: "Chairman of the US Communist Party Sam Webb"."""
    index = first - 1
    steps = 0
    institution = False
    while index >= 0 and steps < 12:
        token = tokens[index + 1]
        abbreviation = tokens[index].role == "title" and tokens[index].low in rules.abbreviated_titles  # "Mr. Smith"
        if _CLAUSE_BREAK.search(token.gap) and not abbreviation and token.gap.strip() not in (")", "(", "’", "'"):
            return False
        current = tokens[index]
        if current.role == "title":
            return True
        if connector(current) or current.low == "s":
            if not institution:
                return False  # "Chairman of the Asia ...": a title's complement is not a name
        elif current.role == "known" or (current.capital and _non_name(current.low, rules)):
            institution = True
        else:
            return False
        index -= 1
        steps += 1
    return False


def _resolve(tokens: list[Token], known: list[tuple[int, int, int]], candidates: list[_Candidate], gazetteer: Gazetteer) -> list[Mention]:
    """Merge spellings into entities, link "Trọng said" to the full name, and give every mention its preferred name."""
    mentions: list[Mention] = []
    people: dict[str, str] = {}  # folded first or last word of a full name → preferred name
    for entity in {entity for _, _, entity in known}:
        if gazetteer.entities[entity].kind == "person":
            _remember_person(people, gazetteer.entities[entity].name)
    # Spellings of one entity of the name table are one group; a name the tables do not know is grouped by its key.
    groups: dict[int | str, list[_Candidate]] = {}
    for candidate in candidates:
        key = _surface_key(tokens, candidate)
        groups.setdefault(gazetteer.by_key.get(key, key), []).append(candidate)
    resolved: list[tuple[_Candidate, Kind, str]] = []
    for group_id, group in groups.items():
        kind = _best_kind(group)
        if kind is None:
            continue
        name = gazetteer.entities[group_id].name if isinstance(group_id, int) else _preferred_spelling(tokens, group)
        for candidate in group:
            resolved.append((candidate, kind, name))
        if kind == "person" and len(name.split()) > 1:
            _remember_person(people, name)
    for first, end, entity in known:
        kind = gazetteer.entities[entity].kind
        name = gazetteer.entities[entity].name
        if kind is not None and end - first == 1 and tokens[first].low in people and _speaks_or_titled(tokens, first, gazetteer.rules):
            kind, name = "person", people[tokens[first].low]  # "Hue briefed" after "Vuong Dinh Hue": not the city of Huế
        if kind is not None:
            mentions.append(Mention(kind, name, tokens[first].start, tokens[end - 1].end))
    full_names = {name_key(name): name for name in people.values()}
    for candidate, kind, name in resolved:
        if kind == "person" and candidate.last - candidate.first == 1 and name_key(name) in people:
            name = people[name_key(name)]
        elif kind == "person":
            # "Von der Leyen" after "Ursula von der Leyen": the end of a full name found in the text
            key = name_key(name)
            name = next((full for full_key, full in full_names.items() if full_key.endswith(" " + key)), name)
        mentions.append(Mention(kind, name, tokens[candidate.first].start, tokens[candidate.last - 1].end))
    covered = {i for candidate, _, _ in resolved for i in range(candidate.first, candidate.last)}
    for candidate in candidates:
        if candidate.last - candidate.first == 1 and candidate.first not in covered:
            token = tokens[candidate.first]
            full = people.get(token.low)
            if full is not None and not token.text.isupper():
                mentions.append(Mention("person", full, token.start, token.end))
    mentions.extend(_linked_function_words(tokens, mentions, gazetteer.rules))
    mentions.extend(_acronyms(tokens, mentions))
    mentions.sort(key=lambda m: (m.start, m.end))
    return mentions


def _speaks_or_titled(tokens: list[Token], index: int, rules: Rules) -> bool:
    after = tokens[index + 1] if index + 1 < len(tokens) else None
    speaks = after is not None and after.gap in (" ", ", ") and (after.low,) in rules.person_verbs
    return speaks or (index > 0 and tokens[index - 1].role == "title" and tokens[index].gap == " ")


def _remember_person(people: dict[str, str], name: str) -> None:
    words = name_key(name).split()
    if len(words) > 1:
        for word in (words[0], words[-1]):
            people.setdefault(word, name)


def _best_kind(group: list[_Candidate]) -> Kind | None:
    totals: dict[Kind, int] = {}
    for candidate in group:
        for kind, weight in candidate.score.items():
            totals[kind] = max(totals.get(kind, 0), weight)
    if not totals:
        return None
    best: Kind = max(KINDS, key=lambda each: totals.get(each, 0))
    return best if totals.get(best, 0) > 0 else None


def _surface_key(tokens: list[Token], candidate: _Candidate) -> str:
    return " ".join(t.low for t in tokens[candidate.first : candidate.last])


def _preferred_spelling(tokens: list[Token], group: list[_Candidate]) -> str:
    """The spelling with the most accents (it carries the most information), else the first."""
    spellings = [_surface(tokens, candidate) for candidate in group]
    return max(spellings, key=lambda s: sum(1 for ch in s if ord(ch) > 127))


def _surface(tokens: list[Token], candidate: _Candidate) -> str:
    parts = [tokens[candidate.first].text]
    for token in tokens[candidate.first + 1 : candidate.last]:
        parts.append(("-" if "-" in token.gap else " ") + token.text)
    return "".join(parts)


def _linked_function_words(tokens: list[Token], mentions: list[Mention], rules: Rules) -> list[Mention]:
    """A name that is also a function word ("Trong said" after "Nguyen Phu Trong") links when spelled so and speaking."""
    written: dict[str, str] = {}
    taken = {m.start for m in mentions}
    for mention in mentions:
        if mention.kind == "person":
            words = [t for t in tokens if mention.start <= t.start < mention.end]
            if len(words) > 1:
                for word in (words[0], words[-1]):
                    written.setdefault(word.text, mention.name)
    linked: list[Mention] = []
    for index, token in enumerate(tokens[:-1]):
        following = tokens[index + 1]
        speaks = following.gap == " " and (following.low,) in rules.person_verbs
        if speaks and token.text in written and token.low in rules.stopwords and token.start not in taken:
            linked.append(Mention("person", written[token.text], token.start, token.end))
    return linked


def _acronyms(tokens: list[Token], mentions: list[Mention]) -> list[Mention]:
    """An acronym in brackets after an organisation's name ("Saigon Commercial Bank (SCB)") names it there and after."""
    starts = {m.start for m in mentions}
    ends = {m.end: m for m in mentions if m.kind == "organisation"}
    short: dict[str, str] = {}
    for index, token in enumerate(tokens[:-1]):
        previous = tokens[index - 1] if index > 0 else None
        bracketed = token.gap.strip() == "(" and tokens[index + 1].gap.startswith(")")
        if previous is not None and bracketed and previous.end in ends and 2 <= len(token.text) <= 8 and token.text.isupper():
            short.setdefault(token.text, ends[previous.end].name)
    found: list[Mention] = []
    for token in tokens:
        if token.text in short and token.start not in starts and not token.role:
            found.append(Mention("organisation", short[token.text], token.start, token.end))
    return found
