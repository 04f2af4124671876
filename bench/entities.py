"""Precision, recall and speed of the entity extractor on stories we wrote and labelled (bench/data/entities/).

``python -m bench.entities`` (``make bench-entities``) prints, for the development stories (``dev.txt`` and the five
sample articles, the rules were tuned on them) and for the held-out stories (``heldout.txt``, never tuned on),
precision and recall per kind at the entity level per article: an article's set of (kind, preferred name) found
against its labels, counted over all articles. Then the extraction's speed in ms per article. ``--errors`` lists
what was missed and what was wrong, per article.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from desktop.ingest.entities import KINDS, extract_entities, load_gazetteer
from desktop.ingest.gazetteer import Gazetteer, name_key

DATA = Path(__file__).parent / "data" / "entities"
SAMPLES = Path(__file__).parent.parent / "data" / "sample"


@dataclass
class Story:
    name: str
    text: str
    labels: set[tuple[str, str]]  # (kind, name as written in the labels)


def read_stories(path: Path) -> list[Story]:
    """Stories of one labelled file; a story without text is read from data/sample/ by its name."""
    stories: list[Story] = []
    for block in path.read_text(encoding="utf-8").split("\n=== ")[1:]:
        head, _, text = block.partition("\n---\n")
        lines = head.splitlines()
        labels: set[tuple[str, str]] = set()
        for line in lines[1:]:
            kind, _, names = line.partition(":")
            if kind.strip() in KINDS:
                labels |= {(kind.strip(), name.strip()) for name in names.split(";") if name.strip()}
        name = lines[0].strip()
        if not text.strip():
            text = (SAMPLES / name).read_text(encoding="utf-8")
        stories.append(Story(name, text.strip("\n"), labels))
    return stories


def canonical(gazetteer: Gazetteer, kind: str, name: str) -> tuple[str, str]:
    """A label in any known spelling, as the extractor's (kind, key of the preferred name)."""
    entity = gazetteer.entity_for(name)
    return kind, name_key(entity.name if entity is not None else name)


@dataclass
class Score:
    found: int = 0
    correct: int = 0
    labelled: int = 0

    def precision(self) -> float:
        return self.correct / self.found if self.found else 1.0

    def recall(self) -> float:
        return self.correct / self.labelled if self.labelled else 1.0


def evaluate(stories: list[Story], gazetteer: Gazetteer, show_errors: bool) -> tuple[dict[str, Score], list[float]]:
    scores = {kind: Score() for kind in KINDS}
    times: list[float] = []
    for story in stories:
        started = time.perf_counter()
        mentions = extract_entities(story.text, gazetteer=gazetteer)
        times.append((time.perf_counter() - started) * 1000)
        found = {(m.kind, m.key) for m in mentions}
        names = {(m.kind, m.key): m.name for m in mentions}
        truth = {canonical(gazetteer, kind, name) for kind, name in story.labels}
        for kind in KINDS:
            mine = {item for item in found if item[0] == kind}
            theirs = {item for item in truth if item[0] == kind}
            scores[kind].found += len(mine)
            scores[kind].labelled += len(theirs)
            scores[kind].correct += len(mine & theirs)
        if show_errors and found != truth:
            print(f"--- {story.name}")
            for item in sorted(truth - found):
                print(f"  missed  {item[0]:12} {item[1]}")
            for item in sorted(found - truth):
                print(f"  wrong   {item[0]:12} {names[item]}")
    return scores, times


def speed(stories: list[Story], gazetteer: Gazetteer, rounds: int) -> float:
    """Median ms per article over ``rounds`` passes of all stories."""
    per_article: list[float] = []
    for _ in range(rounds):
        started = time.perf_counter()
        for story in stories:
            extract_entities(story.text, gazetteer=gazetteer)
        per_article.append((time.perf_counter() - started) * 1000 / len(stories))
    return statistics.median(per_article)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list the misses and the wrong entities per article")
    parser.add_argument("--rounds", type=int, default=20, help="passes over all stories for the speed figure")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    gazetteer = load_gazetteer()
    load_ms = (time.perf_counter() - started) * 1000
    sets = {
        "development": read_stories(DATA / "dev.txt") + read_stories(DATA / "samples.txt"),
        "held-out A": read_stories(DATA / "heldout.txt"),
        "held-out B": read_stories(DATA / "heldout-b.txt"),
    }
    print(f"{'set':12} {'kind':13} {'articles':>8} {'labelled':>8} {'found':>6} {'precision':>9} {'recall':>7}")
    for set_name, stories in sets.items():
        if args.errors:
            print(f"\n# errors in {set_name}")
        scores, _ = evaluate(stories, gazetteer, args.errors)
        for kind in KINDS:
            score = scores[kind]
            print(
                f"{set_name:12} {kind:13} {len(stories):>8} {score.labelled:>8} {score.found:>6} "
                f"{score.precision():>9.3f} {score.recall():>7.3f}"
            )
    every = [story for stories in sets.values() for story in stories]
    words = statistics.mean(len(story.text.split()) for story in every)
    per_article = speed(every, gazetteer, args.rounds)
    print(f"\nspeed: {per_article:.2f} ms per article (median of {args.rounds} passes over {len(every)} articles, {words:.0f} words each)")
    print(f"gazetteer load: {load_ms:.0f} ms ({len(gazetteer.entities)} entities, {sum(map(len, gazetteer.spellings.values()))} spellings)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
