"""Wire stories written for the tests, in the styles of the sample (not copies of it)."""

from __future__ import annotations

import random
from pathlib import Path

PEOPLE = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoài Nam", "Phạm Minh Đức", "Hoàng Thu Hà", "Đặng Quốc Việt"]
PLACES = ["Hà Nội", "Đà Nẵng", "Huế", "Cần Thơ", "Hải Phòng"]
TOPICS = ["rice exports", "port logistics", "river ferries", "coffee harvests", "rail freight", "tea growers", "fishing fleets"]
AGENCIES = ["VNA", "VOV", "VNS"]


def story(rng: random.Random, number: int) -> str:
    """One story with a headline or caption, a dateline, body paragraphs and an agency tag."""
    person = rng.choice(PEOPLE)
    place = rng.choice(PLACES)
    topic = rng.choice(TOPICS)
    agency = rng.choice(AGENCIES)
    style = number % 3
    body = [
        f"{person} met representatives of {topic} associations to discuss cooperation plan number {number}.",
        f"The talks covered {rng.randint(2, 40)} proposals on {topic} and {rng.choice(TOPICS)} for the coming year.",
        f"Officials in {place} said the plan {number} would be reviewed in {rng.choice(['May', 'June', 'October'])}.",
    ]
    if style == 0:
        lines = [f"{topic.capitalize()} plan {number} discussed in {place}", "", f"{place} ({agency}) – " + body[0], *body[1:], agency]
    elif style == 1:
        lines = [f"{person} at the meeting on {topic} (Photo: {agency})", *body[:-1], body[-1] + "/.", agency]
    else:
        lines = [f" date 2021-0{1 + number % 9}-1{number % 10} " + body[0], "", *body[1:], "See more", f"{body[-1]} — {agency}"]
    return "\n".join(lines) + "\n"


def write_stories(folder: Path, count: int, seed: int = 7) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for number in range(count):
        path = folder / f"story_{number:04d}.txt"
        path.write_text(story(rng, number), encoding="utf-8")
        paths.append(path)
    return paths
