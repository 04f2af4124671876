"""The block scorer gives Whoosh's own answers: the same hits, scores and order, deletions and segments included."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh import query as wq

from desktop.index.engine import ArticleIndex
from desktop.index.fastscore import quick
from desktop.index.phrase import ExactPhrase
from desktop.index.query import stems
from desktop.library import Library
from tests.stories import write_stories


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> ArticleIndex:
    """An archive whose index has several segments and deleted documents (edited and trashed articles)."""
    folder = tmp_path_factory.mktemp("fastscore")
    write_stories(folder / "a", 120, seed=5)
    write_stories(folder / "b", 80, seed=6)
    library = Library.open(folder / "archive")
    library.imports.paths([folder / "a"])
    library.imports.paths([folder / "b"])  # a second commit: a second segment
    ids = [summary.id for summary in library.articles.summaries()]
    rng = random.Random(3)
    for article_id in rng.sample(ids, 15):  # re-indexed: the old documents are deleted ones now
        library.tags.change([article_id], add=["checked"])
    library.articles.trash(rng.sample(ids, 5))
    library.articles.empty_trash()
    index = library.index.article_index
    return index


def whoosh_answer(index: ArticleIndex, query: wq.Query) -> list[tuple[int, float]]:
    results = index.searcher.search(query, limit=None)
    return [(int(hit["id"]), hit.score) for hit in results]


def quick_answer(index: ArticleIndex, query: wq.Query, limit: int | None = None) -> tuple[list[tuple[int, float]], int]:
    scorer = index.block_scorer
    assert scorer is not None
    assert quick(query)
    best, total = scorer.top(query, limit)
    return [(int(article_id), score) for article_id, score in best], total


def same(ours: list[tuple[int, float]], theirs: list[tuple[int, float]]) -> None:
    assert len(ours) == len(theirs)
    assert [score for _id, score in ours] == pytest.approx([score for _id, score in theirs], rel=1e-9)
    # equal scores may come in either order; everything else in Whoosh's
    assert sorted((-round(score, 9), hit) for hit, score in ours) == sorted((-round(score, 9), hit) for hit, score in theirs)


def test_the_index_under_test_has_segments_and_deletions(index: ArticleIndex) -> None:
    reader = index.searcher.reader()
    assert len(index.searcher.leaf_searchers()) > 1 or reader.has_deletions()
    assert any(leaf.reader().has_deletions() for leaf, _offset in index.searcher.leaf_searchers())


def word_choices(index: ArticleIndex) -> list[list[str]]:
    """Words of every frequency in this index, alone and in pairs, and one that is nowhere."""
    reader = index.searcher.reader()
    by_frequency = [text.decode() for _count, text in sorted(reader.most_frequent_terms("text", number=400), reverse=True)]
    common, middling, rare = by_frequency[:4], by_frequency[150:154], by_frequency[-4:]
    assert len(rare) == 4
    singles = [[word] for word in common + middling + rare]
    pairs = [[common[0], common[1]], [common[2], middling[0]], [middling[1], rare[0]], [common[3], common[3]]]
    return [*singles, *pairs, ["nosuchword"], [common[0], "nosuchword"]]


def test_terms_score_as_whoosh_scores_them(index: ArticleIndex) -> None:
    matched = 0
    for words in word_choices(index):
        query = wq.Term("text", words[0]) if len(words) == 1 else wq.And([wq.Term("text", word) for word in words])
        theirs = whoosh_answer(index, query)
        ours, total = quick_answer(index, query)
        same(ours, theirs)
        assert total == len(theirs)
        matched += bool(theirs)
    assert matched >= 12, "most queries should match something, or the comparison proves little"


def test_the_top_few_are_whooshs_top_few(index: ArticleIndex) -> None:
    query = wq.Term("text", "the")
    ours, total = quick_answer(index, query, limit=5)
    theirs = whoosh_answer(index, query)
    assert total == len(theirs)
    same(ours, theirs[:5])


def test_phrases_and_either_or_score_as_whoosh_scores_them(index: ArticleIndex) -> None:
    reader = index.searcher.reader()
    common = [text.decode() for _count, text in sorted(reader.most_frequent_terms("text", number=30), reverse=True)]
    # phrases as the stories have them: runs of two to four words from a few articles
    phrases = ("at the meeting on", "to discuss cooperation", "the plan", "fishing fleets", "said the plan")
    runs = [stems(words.split()) for words in phrases]
    queries: list[wq.Query] = [ExactPhrase("text", run) for run in runs]
    queries += [
        ExactPhrase("text", ["nosuchword", "the"]),
        ExactPhrase("title", runs[3]),
        wq.Or([ExactPhrase("text", runs[0]), wq.Term("text", common[5])]),
        wq.And([wq.Or([wq.Term("text", common[3]), wq.Term("text", common[4])]), ExactPhrase("text", runs[1])]),
    ]
    matched = 0
    for query in queries:
        theirs = whoosh_answer(index, query)
        ours, total = quick_answer(index, query)
        same(ours, theirs)
        assert total == len(theirs)
        matched += bool(theirs)
    assert matched >= 5


def test_what_takes_the_quick_way() -> None:
    assert quick(wq.Term("text", "a"))
    assert quick(wq.And([wq.Term("text", "a"), wq.Or([wq.Term("title", "b"), ExactPhrase("text", ["a", "b"])])]))
    assert not quick(wq.And([wq.Term("text", "a"), wq.Not(wq.Term("text", "b"))]))
    assert not quick(wq.Prefix("words", "a"))
    assert not quick(wq.Term("text", "a", boost=2.0))


def test_search_through_the_library_gives_the_same_hits_either_way(tmp_path: Path) -> None:
    write_stories(tmp_path / "s", 60, seed=9)
    with Library.open(tmp_path / "archive") as library:
        library.imports.paths([tmp_path / "s"])
        quick = [hit.id for hit in library.search.find("the party", limit=50).hits]
        index = library.index.article_index
        index._block_scorer = None
        slow = [int(hit["id"]) for hit in index.searcher.search(wq.And([wq.Term("text", "the"), wq.Term("text", "parti")]), limit=50)]
        assert quick == slow
