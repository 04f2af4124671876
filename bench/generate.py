"""A deterministic generator of wire stories in the sample's styles, as files or as JSONL.

Headline, photo caption or bare lead; datelines (``Hanoi (VNA) –``, ``HANOI, July 3 -``, a leading
``date 2023-07-03``); an agency tag at the end (``VNA``, ``-VNS``, ``/.`` then ``VNA``, ``VOV.VN``); names
with and without Vietnamese diacritics; a Zipf-like word-frequency tail; web leftovers (``See more``,
``{keywords}``). ``python -m bench.generate OUT --count N [--jsonl] [--words W]``.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from pathlib import Path

PEOPLE = [
    ("Nguyễn Phú Trọng", "Nguyen Phu Trong"), ("Hoàng Bình Quân", "Hoang Binh Quan"), ("Lê Hoài Trung", "Le Hoai Trung"),
    ("Ngô Lê Văn", "Ngo Le Van"), ("Trần Thanh Mẫn", "Tran Thanh Man"), ("Phạm Minh Chính", "Pham Minh Chinh"),
    ("Võ Văn Thưởng", "Vo Van Thuong"), ("Bùi Thanh Sơn", "Bui Thanh Son"), ("Đặng Thị Ngọc Thịnh", "Dang Thi Ngoc Thinh"),
]  # fmt: skip
PLACES = [
    ("Hà Nội", "Hanoi"),
    ("Đà Nẵng", "Da Nang"),
    ("Thành phố Hồ Chí Minh", "Ho Chi Minh City"),
    ("Huế", "Hue"),
    ("Cần Thơ", "Can Tho"),
    ("Hải Phòng", "Hai Phong"),
]
FOREIGN = ["Washington", "New York", "Tokyo", "Beijing", "Moscow", "Paris", "Canberra", "Seoul", "Vientiane", "Phnom Penh", "Jakarta"]
COUNTRIES = [
    "Viet Nam",
    "Vietnam",
    "Việt Nam",
    "the US",
    "Japan",
    "China",
    "Russia",
    "France",
    "Australia",
    "the Republic of Korea",
    "Laos",
    "Cambodia",
    "Indonesia",
]
BODIES = [
    "the Communist Party of Vietnam (CPV)",
    "the National Assembly",
    "the Ministry of Foreign Affairs",
    "ASEAN",
    "APEC",
    "the United Nations",
    "the Party Central Committee's Commission for External Relations",
    "the Government",
]
TOPICS = [
    "trade", "investment", "education", "climate change", "green energy", "defence", "agriculture", "tourism",
    "health care", "digital transformation", "infrastructure", "culture", "science and technology", "labour",
]  # fmt: skip
VERBS = ["discussed", "reviewed", "agreed on", "highlighted", "welcomed", "proposed", "affirmed", "praised", "stressed", "noted"]
NOUNS = [
    "cooperation", "relations", "partnership", "ties", "exchanges", "delegation", "visit", "talks", "meeting", "agreement",
    "development", "friendship", "peace", "stability", "integration", "policy", "achievements", "mechanism", "forum", "project",
]  # fmt: skip
FILLER = [
    "the", "of", "and", "to", "in", "a", "for", "on", "with", "both", "sides", "two", "countries", "said", "also", "will", "that",
    "as", "at", "by", "from", "their", "its", "this", "year", "region", "world", "people", "continue", "further", "important",
]  # fmt: skip
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
AGENCIES = ["VNA", "VOV", "VNS"]


def _zipf_word(rng: random.Random, vocabulary: list[str]) -> str:
    # rank r is drawn with probability ~ 1/r: a few words very common, a long tail of rare ones
    rank = int(len(vocabulary) ** rng.random()) - 1
    return vocabulary[max(0, min(rank, len(vocabulary) - 1))]


def _vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    words = FILLER + NOUNS + [word for topic in TOPICS for word in topic.split()]
    letters = "abcdeghiklmnoprstuvy"
    while len(words) < size:
        words.append("".join(rng.choice(letters) for _ in range(rng.randint(4, 10))))
    return words


class _Subject:
    """What one story is about: a few people, bodies, countries and topics, as a real story keeps to its own."""

    def __init__(self, rng: random.Random) -> None:
        self.people = rng.sample(PEOPLE, 2)
        self.bodies = rng.sample(BODIES, 2)
        self.countries = rng.sample(COUNTRIES, 2)
        self.topics = rng.sample(TOPICS, 2)
        self.verbs = rng.sample(VERBS, 4)
        self.nouns = rng.sample(NOUNS, 5)


def _sentence(rng: random.Random, vocabulary: list[str], subject: _Subject) -> str:
    person = rng.choice(subject.people)[rng.random() < 0.5]
    parts = [
        person if rng.random() < 0.4 else rng.choice(subject.bodies).capitalize(),
        rng.choice(subject.verbs),
        rng.choice(subject.nouns),
        "with" if rng.random() < 0.5 else "in",
        rng.choice(subject.countries),
        "on",
        rng.choice(subject.topics) + ",",
        *(_zipf_word(rng, vocabulary) for _ in range(rng.randint(6, 16))),
    ]
    return " ".join(parts) + "."


def story(rng: random.Random, number: int, vocabulary: list[str], words: int) -> dict[str, str]:
    """One story as ``{"text", "title", "date", "agency"}`` (the title and date as a reader would give them)."""
    agency = rng.choice(AGENCIES)
    year = rng.randint(2005, 2025)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    about = _Subject(rng)
    topic = about.topics[0]
    country = about.countries[0]
    subject = country.removeprefix("the ").capitalize() if country.startswith("the ") else country
    headline = f"{subject} and partners boost {topic} {rng.choice(NOUNS)} ({number})"
    body: list[str] = []
    while sum(len(paragraph.split()) for paragraph in body) < words:
        body.append(" ".join(_sentence(rng, vocabulary, about) for _ in range(rng.randint(2, 4))))
    style = rng.randrange(4)
    if style == 0:  # headline, "Hanoi (VNA) –" dateline, agency line at the end
        place = rng.choice(PLACES)[rng.random() < 0.6]
        lines = [headline, "", f"{place} ({agency}) – {body[0]}", *body[1:], agency]
    elif style == 1:  # a photo caption first, "/." then the agency on its own line
        lines = [f"{about.people[0][0]} at the meeting on {topic} (Photo: {agency})", *body[:-1], body[-1] + "/.", agency]
    elif style == 2:  # a leading date marker and an all-caps dateline, "— VNS" at the end
        place = rng.choice(FOREIGN).upper()
        lines = [
            f" date {year}-{month:02d}-{day:02d} VIETNAM, {MONTHS[month - 1]} {day} - {place} — {body[0]}",
            "",
            *body[1:-1],
            f"{body[-1]} — {agency}",
        ]
    else:  # a headline with web leftovers and a VOV footer
        agency = "VOV"
        lines = [headline, "", body[0], "{keywords}", *body[1:], "See more", "Mời quý độc giả theo dõi VOV.VN trên"]
    return {"text": "\n\n".join(lines) + "\n", "title": headline, "date": f"{year}-{month:02d}-{day:02d}", "agency": agency}


def stories(count: int, *, seed: int = 2024, words: int = 680) -> Iterator[dict[str, str]]:
    rng = random.Random(seed)
    vocabulary = _vocabulary(rng)
    for number in range(count):
        yield story(rng, number, vocabulary, words)


def write_files(folder: Path, count: int, *, seed: int = 2024, words: int = 680) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, item in enumerate(stories(count, seed=seed, words=words)):
        path = folder / f"story_{number:06d}.txt"
        path.write_text(item["text"], encoding="utf-8")
        paths.append(path)
    return paths


def write_jsonl(path: Path, count: int, *, seed: int = 2024, words: int = 680) -> Path:
    """One article per line with its text only (no metadata), so import reads the structure itself."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for item in stories(count, seed=seed, words=words):
            handle.write(json.dumps({"text": item["text"]}, ensure_ascii=False) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--words", type=int, default=680)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--jsonl", action="store_true", help="write one JSONL file instead of a folder of .txt files")
    args = parser.parse_args()
    if args.jsonl:
        write_jsonl(args.out, args.count, seed=args.seed, words=args.words)
    else:
        write_files(args.out, args.count, seed=args.seed, words=args.words)


if __name__ == "__main__":
    main()
