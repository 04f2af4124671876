"""How long the news parser takes on one very long text, and the index and highlights on one 4.3 MB article.

``python -m bench.long_text [--index] [--sizes 4.3,30]``:

1. builds texts of each size (MB of characters) in several shapes: paragraphs separated by blank lines,
   the same hard-wrapped at 72 columns, one single line, a million-style log of short numbered lines,
   and paragraphs that repeat (the repeated-paragraph search);
2. times ``parse_article`` (clean, re-flow, structure) on each, in this process;
3. with ``--index``, imports the 4.3 MB paragraphs text into a new archive (parse, store, near-duplicates,
   Whoosh) and times it, then a search with its snippet, and every hit span in it (``desktop/index/highlight.py``).

It prints a table and writes ``bench/results/long-text.json``. Nothing here is a test: the figures move with
the machine (and with its load: the CPU seconds are steadier than the wall-clock ones); what matters is that the
time grows with the length, not with its square.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

from bench.generate import _vocabulary, story

RESULTS = Path(__file__).parent / "results"
MB = 1_000_000


def _paragraphs(chars: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    vocabulary = _vocabulary(rng)
    parts: list[str] = []
    total = 0
    number = 0
    while total < chars:
        text = story(rng, number, vocabulary, 680)["text"]
        parts.append(text)
        total += len(text)
        number += 1
    return "A very long text\n\n" + "\n".join(parts)[:chars]


def shapes(chars: int) -> dict[str, Callable[[], str]]:
    """Each shape of a text of about ``chars`` characters, built when called."""

    def wrapped() -> str:
        return "\n\n".join(textwrap.fill(paragraph, 72) for paragraph in _paragraphs(chars).split("\n\n"))

    def one_line() -> str:
        return " ".join(_paragraphs(chars).split())

    def numbered() -> str:
        lines = ["A log of many lines", ""]
        total = 0
        number = 0
        while total < chars:
            line = f"line {number} ok"
            lines.append(line)
            total += len(line) + 1
            number += 1
        return "\n".join(lines)

    def repeats() -> str:
        paragraphs = _paragraphs(200_000).split("\n\n")
        rng = random.Random(3)
        out = ["Many paragraphs again and again", ""]
        total = 0
        while total < chars:
            paragraph = rng.choice(paragraphs)
            out.append(paragraph)
            total += len(paragraph) + 2
        return "\n\n".join(out)

    return {
        "paragraphs": lambda: _paragraphs(chars),
        "wrapped 72": wrapped,
        "one line": one_line,
        "numbered lines": numbered,
        "repeats": repeats,
    }


def time_parse(sizes: list[float]) -> list[dict[str, object]]:
    from desktop.ingest.patterns import load_patterns
    from desktop.ingest.structure import parse_article

    patterns = load_patterns()
    rows: list[dict[str, object]] = []
    for size in sizes:
        for shape, build in shapes(int(size * MB)).items():
            text = build()
            started, cpu_started = time.perf_counter(), time.process_time()
            parse_article(text, patterns)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
            lines = text.count("\n") + 1
            rows.append(
                {
                    "size_mb": size,
                    "shape": shape,
                    "chars": len(text),
                    "lines": lines,
                    "seconds": round(seconds, 2),
                    "cpu_seconds": round(cpu, 2),
                }
            )
            print(f"{size:>5} MB  {shape:<15} {len(text):>11,} chars {lines:>9,} lines  parse {seconds:7.2f} s (CPU {cpu:6.2f} s)")
    return rows


def time_index(size: float) -> dict[str, object]:
    from desktop.library import Library

    text = _paragraphs(int(size * MB))
    figures: dict[str, object] = {"size_mb": size}
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "long.txt"
        source.write_text(text, encoding="utf-8")
        with Library.open(Path(folder) / "archive") as library:
            started = time.perf_counter()
            report = library.imports.paths([source])
            figures["import_seconds"] = round(time.perf_counter() - started, 2)
            figures["outcome"] = report.outcomes[0].outcome
            (summary,) = library.articles.summaries()
            for query in ("trade", '"green energy"', "Hanoi AND investment"):
                started = time.perf_counter()
                result = library.search.find(query)
                search_seconds = time.perf_counter() - started
                started = time.perf_counter()
                spans = library.search.hit_spans(summary.id, query)
                span_seconds = time.perf_counter() - started
                figures[query] = {
                    "search_and_snippet_seconds": round(search_seconds, 2),
                    "hits": result.total,
                    "hit_spans_seconds": round(span_seconds, 2),
                    "spans": len(spans),
                }
    print(json.dumps(figures, indent=1))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="4.3,30", help="sizes in MB of characters, comma-separated")
    parser.add_argument("--index", action="store_true", help="also import, index, search and highlight a 4.3 MB article")
    args = parser.parse_args()
    results: dict[str, object] = {"parse": time_parse([float(size) for size in args.sizes.split(",")])}
    if args.index:
        results["index"] = time_index(4.3)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "long-text.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
