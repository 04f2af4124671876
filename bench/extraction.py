"""How much of a news page's text is its story: our web-page path beside all the visible text, on real pages.

``python -m bench.extraction`` (``make bench-extraction``) scores, on the pages of the article-extraction
benchmark (bench/data/README.md: what they are, their licence, where the file comes from), the text each
extractor keeps against the page's true article body, with that benchmark's measure: 4-word shingles
(``\\w+`` tokens) counted as true and false positives and negatives, normalised per page; precision and
recall are means over the pages, F1 their harmonic mean. Offline: the pages are read from one local file.

``python -m bench.extraction --prepare DIR`` makes that file from a copy of the benchmark (DIR holds its
``html/*.html.gz`` and ``ground-truth.json``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import lzma
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from desktop.ingest.html import extract_html, extract_page
from desktop.ingest.webpage import main_content

ROOT = Path(__file__).resolve().parent.parent
DATA_NAME = "article-extraction-benchmark.jsonl.xz"
#: where the pages are looked for, in order: beside this script, then in the project's shared corpus
DATA_PLACES = (ROOT / "bench" / "data" / DATA_NAME, ROOT.parent / "shared" / "corpus" / DATA_NAME)
_TOKEN = re.compile(r"\w+")
SHINGLE = 4


@dataclass(frozen=True, slots=True)
class Page:
    """One benchmark page: its markup and the text of its article body as people marked it."""

    id: str
    url: str | None
    html: str
    body: str


def shingles(text: str, n: int = SHINGLE) -> Counter[tuple[str, ...]]:
    """The text's n-word shingles with their counts (the benchmark's tokens: runs of word characters)."""
    tokens = _TOKEN.findall(text)
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def matching(true: str, predicted: str) -> tuple[float, float, float]:
    """True positives, false positives and false negatives over shingles, as shares of their sum (each page weighs the same)."""
    expected, got = shingles(true), shingles(predicted)
    tp = sum((expected & got).values())
    fp = sum((got - expected).values())
    fn = sum((expected - got).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    return 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))


def _recall(tp: float, fp: float, fn: float) -> float:
    return 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))


def scores(counts: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """F1, precision and recall over pages, as the benchmark computes them."""
    precision = statistics.mean(_precision(*c) for c in counts if c[0] + c[1] > 0)
    recall = statistics.mean(_recall(*c) for c in counts if c[0] + c[2] > 0)
    return 2 * precision * recall / (precision + recall), precision, recall


def shingle_f1(true: str, predicted: str) -> float:
    """One page's F1 (for tests and the worst-pages list)."""
    tp, fp, fn = matching(true, predicted)
    precision, recall = _precision(tp, fp, fn), _recall(tp, fp, fn)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def story(text: str, title: str | None) -> str:
    """The article's body as the archive separates it: a first line that is the headline is the title, not the story."""
    first, _, rest = text.partition("\n")
    return rest if title and first.strip().casefold() == title.strip().casefold() else text


def ours(page: Page) -> str:
    text, hints = extract_page(page.html)
    return story(text, hints.title)


def visible_text(page: Page) -> str:
    return extract_html(page.html).text


def trafilatura_alone(page: Page) -> str:
    main = main_content(page.html)
    return main.text if main else ""


EXTRACTORS: dict[str, Callable[[Page], str]] = {
    "ours (extract_page)": ours,
    "trafilatura alone": trafilatura_alone,
    "all visible text (before)": visible_text,
}


def load_pages(path: Path) -> Iterator[Page]:
    with lzma.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            yield Page(id=row["id"], url=row.get("url"), html=row["html"], body=row["body"])


def find_data() -> Path | None:
    return next((place for place in DATA_PLACES if place.is_file()), None)


def prepare(source: Path, target: Path) -> None:
    """One xz-compressed JSON Lines file (id, url, body, html) from the benchmark's folder: about half its gzip size."""
    truth = json.loads((source / "ground-truth.json").read_text(encoding="utf-8"))
    target.parent.mkdir(parents=True, exist_ok=True)
    with lzma.open(target, "wt", encoding="utf-8", preset=9 | lzma.PRESET_EXTREME) as out:
        for page_id in sorted(truth):
            html = gzip.decompress((source / "html" / f"{page_id}.html.gz").read_bytes()).decode("utf-8")
            row = {"id": page_id, "url": truth[page_id].get("url"), "body": truth[page_id].get("articleBody") or "", "html": html}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{target}: {sum(1 for _ in truth)} pages, {target.stat().st_size / 1e6:.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, help=f"the pages (default: the first of {', '.join(str(p) for p in DATA_PLACES)})")
    parser.add_argument("--prepare", type=Path, metavar="DIR", help="make the pages' file from a copy of the benchmark, then stop")
    parser.add_argument("--limit", type=int, help="only the first N pages")
    parser.add_argument("--worst", type=int, default=5, help="list our N lowest-scoring pages")
    args = parser.parse_args()
    if args.prepare:
        prepare(args.prepare, args.data or DATA_PLACES[0])
        return
    path = args.data or find_data()
    if path is None or not path.is_file():
        sys.exit(f"no benchmark pages: see bench/data/README.md (looked for {', '.join(str(p) for p in DATA_PLACES)})")
    pages = list(load_pages(path))[: args.limit]
    for page in pages[:3]:
        ours(page)  # lxml, trafilatura and their data loaded before the clock starts
    results: dict[str, tuple[list[tuple[float, float, float]], float]] = {}
    per_page: dict[str, float] = {}
    for name, extract in EXTRACTORS.items():
        counts = []
        elapsed = 0.0
        for page in pages:
            start = time.perf_counter()
            text = extract(page)
            elapsed += time.perf_counter() - start
            counts.append(matching(page.body, text))
            if extract is ours:
                per_page[page.id] = shingle_f1(page.body, text)
        results[name] = (counts, elapsed)
    print(f"Article text against the true article body: {len(pages)} real news pages ({path.name}), 4-word-shingle F1")
    print(f"{'extractor':<28} {'F1':>6} {'precision':>10} {'recall':>7} {'ms/page':>8}")
    for name, (counts, elapsed) in results.items():
        f1, precision, recall = scores(counts)
        print(f"{name:<28} {f1:>6.3f} {precision:>10.3f} {recall:>7.3f} {elapsed / len(pages) * 1000:>8.1f}")
    if args.worst:
        urls = {page.id: page.url for page in pages}
        lowest = sorted(per_page, key=lambda page_id: per_page[page_id])[: args.worst]
        print(f"\nOur {args.worst} lowest: " + "; ".join(f"{per_page[i]:.2f} {urls[i]}" for i in lowest))


if __name__ == "__main__":
    main()
