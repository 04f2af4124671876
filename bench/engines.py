"""Our search stack beside SQLite FTS5, in the same run and on the same corpus.

``python -m bench.engines --articles 100000 [--gui]`` (``make bench``; ``make bench-quick`` is 2,000 articles):

1. generates N wire stories (``bench.generate``) as files;
2. imports them through ``Library.import_paths`` (parse, store, near-duplicates, index) and times it;
3. rebuilds the index alone (``Library.reindex``) and times it;
4. builds SQLite FTS5 (``porter unicode61 remove_diacritics 2``) over the same titles and bodies, read
   from the same archive, and times it;
5. searches both, each in its own child process (so its peak memory is its own): at least 50 queries of
   each kind, top 20 with highlighted snippets (``Library.search``; FTS5's ``snippet()``), several passes,
   median and p95; and the agreement of the full result sets;
6. with ``--gui``, the window figures of ``bench.gui`` (event-loop gaps during import and search,
   browsing at N).

It prints a table and writes ``bench/results/engines-<N>.json``. Nothing here is a test: the figures move
with the machine, the ratios to FTS5 much less.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.generate import PEOPLE, PLACES, write_files

RESULTS = Path(__file__).parent / "results"
KINDS = ("term", "and", "phrase2", "phrase3", "field", "name")
FTS5_TOKENIZER = "porter unicode61 remove_diacritics 2"
_WORD = re.compile(r"[^\W\d_]{2,}")


# the corpus and the queries ---------------------------------------------------------------------------
def corpus_texts(archive: Path) -> Iterator[tuple[int, str, str]]:
    """``(id, title, body)`` of every article as the index sees it (boilerplate blanked), read from the archive."""
    from desktop.core.text import visible_text
    from desktop.library import Library
    from desktop.store import repo

    with Library.open(archive, read_only=True, prepare_index=False) as library, library._uow.read() as session:
        ids = repo.article_ids(session)
        for start in range(0, len(ids), 1000):
            for article in repo.texts_for(session, ids[start : start + 1000]):
                yield article.id, article.title, visible_text(article.text, article.boilerplate)


def make_queries(archive: Path, per_kind: int, seed: int = 7) -> dict[str, list[str]]:
    """The same queries for both engines: words, pairs and phrases drawn from random articles, titles, names."""
    rng = random.Random(seed)
    docs = list(corpus_texts(archive))
    sample = [docs[rng.randrange(len(docs))] for _ in range(per_kind * 4)]
    queries: dict[str, list[str]] = {kind: [] for kind in KINDS}
    for _id, title, body in sample:
        words = _WORD.findall(body)
        title_words = [word for word in _WORD.findall(title) if len(word) > 3]
        if len(words) < 4:
            continue
        at = rng.randrange(len(words) - 3)
        if len(queries["term"]) < per_kind:
            queries["term"].append(words[rng.randrange(len(words))])
        if len(queries["and"]) < per_kind:
            queries["and"].append(f"{words[rng.randrange(len(words))]} {words[rng.randrange(len(words))]}")
        if len(queries["phrase2"]) < per_kind:
            queries["phrase2"].append(f'"{words[at]} {words[at + 1]}"')
        if len(queries["phrase3"]) < per_kind:
            queries["phrase3"].append(f'"{words[at]} {words[at + 1]} {words[at + 2]}"')
        if len(queries["field"]) < per_kind and title_words:
            queries["field"].append(f"title:{rng.choice(title_words)}")
    names = [form for pair in PEOPLE + PLACES for form in pair if len(form.split()) > 1]
    queries["name"] = [names[index % len(names)] for index in range(per_kind)]
    return queries


def fts5_match(query: str, kind: str) -> str:
    """The FTS5 form of one of our benchmark queries: each word quoted, phrases and names as phrases."""
    if kind == "field":
        return f'title : "{query.removeprefix("title:")}"'
    if kind in ("phrase2", "phrase3"):
        return query
    if kind == "name":  # our name variants match the name's spellings as phrases
        return '"' + query + '"'
    return " AND ".join(f'"{word}"' for word in query.split())


# building ---------------------------------------------------------------------------------------------
def import_archive(files: Path, archive: Path, imported: int) -> dict[str, float]:
    """Import the first ``imported`` files through ``Library.import_paths`` (timed), store the rest
    parsed but straight into the store (untimed: only the searching needs them), then rebuild the index (timed)."""
    import hashlib

    from desktop.core.text import collapse_whitespace
    from desktop.ingest.files import read_candidates
    from desktop.library import Library
    from desktop.store import repo

    paths = sorted(files.iterdir())
    through, rest = paths[:imported], paths[imported:]
    staged = files.parent / "import"
    staged.mkdir()
    for path in through:
        path.rename(staged / path.name)
    start = time.perf_counter()
    with Library.open(archive) as library:
        library.index.write_in_child_process()  # as the window and the command line import
        report = library.imports.paths([staged])
        count = report.count("imported")
    import_s = time.perf_counter() - start
    with Library.open(archive, prepare_index=False) as library:
        for first in range(0, len(rest), 2000):
            with library._uow.write() as session:
                for path in rest[first : first + 2000]:
                    for candidate in read_candidates(path, library.patterns):
                        article, original = candidate.article, candidate.original
                        if article is None or original is None:
                            continue
                        text_hash = hashlib.sha256(collapse_whitespace(article.text).encode("utf-8")).hexdigest()
                        if repo.find_by_text_hash(session, text_hash) is None:
                            repo.insert_article(
                                session, article, data=original.data, sha256=original.sha256, original_name=original.name,
                                source=original.source, encoding=original.encoding, text_hash=text_hash, minhash=None,
                            )  # fmt: skip
        articles = library.articles.count()
        print(f"imported {count:,} in {import_s:.0f} s; {articles - count:,} more stored straight", flush=True)
        start = time.perf_counter()
        library.index.reindex()
        index_s = time.perf_counter() - start
    return {
        "articles": articles,
        "imported": count,
        "import_s": import_s,
        "import_docs_s": count / import_s,
        "index_s": index_s,
        "index_docs_s": articles / index_s,
    }


def build_fts5(archive: Path, database: Path) -> dict[str, float]:
    start = time.perf_counter()
    connection = sqlite3.connect(database)
    connection.execute(f"CREATE VIRTUAL TABLE articles USING fts5(title, body, tokenize='{FTS5_TOKENIZER}')")
    count = 0
    with connection:
        for article_id, title, body in corpus_texts(archive):
            connection.execute("INSERT INTO articles(rowid, title, body) VALUES (?, ?, ?)", (article_id, title, body))
            count += 1
        connection.execute("INSERT INTO articles(articles) VALUES ('optimize')")
    connection.close()
    seconds = time.perf_counter() - start
    return {"fts5_s": seconds, "fts5_docs_s": count / seconds}


def folder_bytes(path: Path) -> int:
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file()) if path.is_dir() else path.stat().st_size


# searching (each engine in its own child process) -------------------------------------------------------
def memory_mb(field: str) -> float:
    """A figure of ``/proc/self/status`` in MB: ``VmHWM`` (peak resident, mapped index files included),
    ``RssAnon`` (the heap now: what the process itself holds)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mb() -> float:
    return memory_mb("VmHWM")


def search_ours(archive: Path, queries: dict[str, list[str]], passes: int) -> dict[str, Any]:
    from desktop.index.whoosh_query import compile_query
    from desktop.library import Library

    times: dict[str, list[float]] = {kind: [] for kind in KINDS}
    window: dict[str, list[float]] = {kind: [] for kind in KINDS}
    ids: dict[str, list[list[int]]] = {kind: [] for kind in KINDS}
    heap = 0.0
    with Library.open(archive, read_only=True) as library:
        library.search.find("warm up the searcher")
        for _ in range(passes):
            for kind in KINDS:
                for query in queries[kind]:
                    start = time.perf_counter()
                    result = library.search.find(query, limit=20)
                    times[kind].append((time.perf_counter() - start) * 1000)
                    if kind != "field":  # a title match has no hit in the body's snippet
                        assert all("<mark>" in hit.snippet for hit in result.hits), query
                    start = time.perf_counter()
                    shown = library.search.browse(query, sort="relevance").ids
                    library.search.rows(shown[:20], query)
                    window[kind].append((time.perf_counter() - start) * 1000)
                    heap = max(heap, memory_mb("RssAnon"))
        index = library.index.article_index
        for kind in KINDS:
            for query in queries[kind]:
                parsed = library.search.parse(query)
                assert parsed.tree is not None
                with index._lock:
                    found = index.searcher.search(compile_query(parsed.tree), limit=None)
                    ids[kind].append(sorted(int(hit["id"]) for hit in found))
    return {"times": times, "window": window, "ids": ids, "peak_mb": peak_rss_mb(), "heap_mb": heap}


def search_fts5(database: Path, queries: dict[str, list[str]], passes: int) -> dict[str, Any]:
    connection = sqlite3.connect(database)
    top = "SELECT rowid, snippet(articles, 1, '<mark>', '</mark>', '…', 24) FROM articles WHERE articles MATCH ? ORDER BY rank LIMIT 20"
    times: dict[str, list[float]] = {kind: [] for kind in KINDS}
    ids: dict[str, list[list[int]]] = {kind: [] for kind in KINDS}
    connection.execute(top, ('"warm"',)).fetchall()
    for _ in range(passes):
        for kind in KINDS:
            for query in queries[kind]:
                start = time.perf_counter()
                connection.execute(top, (fts5_match(query, kind),)).fetchall()
                connection.execute("SELECT count(*) FROM articles WHERE articles MATCH ?", (fts5_match(query, kind),)).fetchone()
                times[kind].append((time.perf_counter() - start) * 1000)
    for kind in KINDS:
        for query in queries[kind]:
            rows = connection.execute("SELECT rowid FROM articles WHERE articles MATCH ?", (fts5_match(query, kind),)).fetchall()
            ids[kind].append(sorted(row[0] for row in rows))
    connection.close()
    return {"times": times, "ids": ids, "peak_mb": peak_rss_mb()}


def run_child(*args: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "bench.engines", *args], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"the search child failed:\n{done.stderr}")
    return dict(json.loads(done.stdout.splitlines()[-1]))


# figures ----------------------------------------------------------------------------------------------
def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def agreement(ours: list[list[int]], theirs: list[list[int]]) -> tuple[float, float]:
    """(share of queries with the same result set, mean Jaccard similarity of the sets)."""
    same = sum(a == b for a, b in zip(ours, theirs, strict=True))
    jaccard = [len(set(a) & set(b)) / len(set(a) | set(b)) if a or b else 1.0 for a, b in zip(ours, theirs, strict=True)]
    return same / len(ours), statistics.fmean(jaccard)


def machine() -> dict[str, Any]:
    model = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), ""
    )
    return {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "cpu": model,
        "sqlite": sqlite3.sqlite_version,
    }


def run(articles: int, per_kind: int, passes: int, gui: int, work: Path, *, imported: int, search_only: bool = False) -> dict[str, Any]:
    files, archive, database = work / "files", work / "archive", work / "fts5.sqlite"
    started = time.perf_counter()
    if search_only:  # the corpus and both indexes of an earlier --keep run; the build figures are that run's
        built = json.loads((work / "build.json").read_text(encoding="utf-8"))
    else:
        write_files(files, articles)
        print(f"generated {articles:,} stories in {time.perf_counter() - started:.0f} s", flush=True)
        built = import_archive(files, archive, min(articles, imported))
        print(f"imported in {built['import_s']:.0f} s, index rebuilt in {built['index_s']:.0f} s", flush=True)
        built |= build_fts5(archive, database)
        (work / "build.json").write_text(json.dumps(built), encoding="utf-8")
    text_bytes = sum(path.stat().st_size for folder in (files, work / "import") for path in folder.iterdir())
    queries = make_queries(archive, per_kind)
    (work / "queries.json").write_text(json.dumps(queries), encoding="utf-8")
    ours = run_child("_ours", str(archive), str(work / "queries.json"), str(passes))
    theirs = run_child("_fts5", str(database), str(work / "queries.json"), str(passes))
    search: dict[str, Any] = {}
    for kind in KINDS:
        same, jaccard = agreement(ours["ids"][kind], theirs["ids"][kind])
        search[kind] = {
            "queries": len(queries[kind]),
            "ours_median_ms": statistics.median(ours["times"][kind]),
            "ours_p95_ms": percentile(ours["times"][kind], 0.95),
            "window_median_ms": statistics.median(ours["window"][kind]),
            "window_p95_ms": percentile(ours["window"][kind], 0.95),
            "fts5_median_ms": statistics.median(theirs["times"][kind]),
            "fts5_p95_ms": percentile(theirs["times"][kind], 0.95),
            "same_results": same,
            "jaccard": jaccard,
            "mean_hits": statistics.fmean(len(found) for found in ours["ids"][kind]),
            "examples": queries[kind][:3],
        }
    result: dict[str, Any] = {
        "machine": machine(),
        "articles": articles,
        "passes": passes,
        "build": built,
        "sizes": {
            "text_mb": text_bytes / 1e6,
            "index_mb": folder_bytes(archive / "index") / 1e6,
            "sqlite_mb": folder_bytes(archive / "archive.sqlite") / 1e6,
            "fts5_mb": folder_bytes(database) / 1e6,
        },
        "memory": {
            "ours_search_peak_mb": ours["peak_mb"],
            "ours_search_heap_mb": ours["heap_mb"],
            "fts5_search_peak_mb": theirs["peak_mb"],
        },
        "search": search,
    }
    if gui:
        window = [sys.executable, "-m", "bench.gui", "--files", str(gui), "--articles", str(articles)]
        subprocess.run([*window, "--search-archive", str(archive), "--queries", str(work / "queries.json")], check=True)
        result["gui"] = json.loads((RESULTS / "gui.json").read_text(encoding="utf-8"))
    result["total_s"] = time.perf_counter() - started
    return result


def _row(what: str, ours: str, fts5: str, ratio: str) -> str:
    return f"| {what} | {ours} | {fts5} | {ratio} |"


def report(result: dict[str, Any]) -> str:
    build, sizes, memory, where = result["build"], result["sizes"], result["memory"], result["machine"]
    fts5_rate = build["fts5_docs_s"]
    text = sizes["text_mb"]
    lines = [
        f"{result['articles']:,} articles; {where['cpus']} CPUs ({where['cpu']}), Python {where['python']}, SQLite {where['sqlite']}",
        "",
        _row("what", "ours", "SQLite FTS5", "ratio (ours/FTS5)"),
        "|---|---|---|---|",
        _row(
            f"import of {build['imported']:,} files: parse, store, near-duplicates, index (docs/s)",
            f"{build['import_docs_s']:.0f}",
            f"{fts5_rate:.0f}",
            f"1/{fts5_rate / build['import_docs_s']:.1f}",
        ),
        _row(
            "index build alone (docs/s)", f"{build['index_docs_s']:.0f}", f"{fts5_rate:.0f}", f"1/{fts5_rate / build['index_docs_s']:.1f}"
        ),
        _row(
            f"index size (MB; text {text:.0f} MB)",
            f"{sizes['index_mb']:.0f} ({sizes['index_mb'] / text:.2f}× text)",
            f"{sizes['fts5_mb']:.0f} ({sizes['fts5_mb'] / text:.2f}× text)",
            f"{sizes['index_mb'] / sizes['fts5_mb']:.2f}",
        ),
        _row(
            "search process: most heap (RssAnon) while searching (MB)",
            f"{memory['ours_search_heap_mb']:.0f}",
            "",
            "",
        ),
        _row(
            "search process peak memory, mapped index files included (VmHWM, MB)",
            f"{memory['ours_search_peak_mb']:.0f}",
            f"{memory['fts5_search_peak_mb']:.0f}",
            f"{memory['ours_search_peak_mb'] / memory['fts5_search_peak_mb']:.1f}",
        ),
        "",
        f"Top 20 with highlighted snippets, ms (median / p95 over {result['passes']} passes);",
        "window = the table's path (all hits ranked, then 20 rows with snippets):",
        "",
        "| query kind | ours | window | FTS5 | ratio of medians | ratio of p95 | same result set | mean Jaccard | mean hits |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for kind, row in result["search"].items():
        lines.append(
            f"| {kind} ({row['queries']}, e.g. `{row['examples'][0]}`) | {row['ours_median_ms']:.1f} / {row['ours_p95_ms']:.1f} | "
            f"{row['window_median_ms']:.1f} / {row['window_p95_ms']:.1f} | {row['fts5_median_ms']:.1f} / {row['fts5_p95_ms']:.1f} | "
            f"{row['ours_median_ms'] / max(row['fts5_median_ms'], 0.01):.1f} | {row['ours_p95_ms'] / max(row['fts5_p95_ms'], 0.01):.1f} | "
            f"{row['same_results']:.0%} | {row['jaccard']:.3f} | {row['mean_hits']:.0f} |"
        )
    if "gui" in result:
        gaps, browse, search = result["gui"]["import"], result["gui"]["browse"], result["gui"]["search"]
        lines += [
            "",
            f"Window: largest event-loop gap importing {gaps['files']:,} files {gaps['largest_gap_ms']:.1f} ms; "
            f"searching {search['queries']} queries: table shown in {search['search_median_ms']:.0f} ms median, "
            f"{search['search_p95_ms']:.0f} ms p95, largest gap {search['largest_gap_ms']:.1f} ms; browsing at {browse['articles']:,}: "
            + ", ".join(f"{key.removesuffix('_ms')} {value:.1f}" for key, value in browse.items() if key.endswith("_ms"))
            + " ms",
        ]
    lines.append(f"\nWhole run: {result['total_s'] / 60:.1f} min")
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in ("_ours", "_fts5"):
        where, queries_file, passes = Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
        queries = json.loads(queries_file.read_text(encoding="utf-8"))
        found = search_ours(where, queries, passes) if sys.argv[1] == "_ours" else search_fts5(where, queries, passes)
        print(json.dumps(found))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=50, help="queries of each kind")
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument(
        "--import",
        dest="imported",
        type=int,
        default=10_000,
        help="articles imported through Library.import_paths and timed (the rest are stored straight, for searching)",
    )
    parser.add_argument("--gui", type=int, default=0, metavar="FILES", help="also the window figures (bench.gui), importing FILES files")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary folder)")
    parser.add_argument(
        "--search-only", action="store_true", help="search the corpus and indexes an earlier --keep run left in that folder"
    )
    args = parser.parse_args()
    if args.search_only and args.keep is None:
        parser.error("--search-only needs --keep FOLDER")
    work = args.keep or Path(tempfile.mkdtemp(prefix="archive-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        result = run(args.articles, args.queries, args.passes, args.gui, work, imported=args.imported, search_only=args.search_only)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"engines-{args.articles}.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(report(result))


if __name__ == "__main__":
    main()
