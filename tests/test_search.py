"""Search, table-driven over the sample and stories written for these tests, plus properties of highlights."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.errors import KnownError
from desktop.core.facets import facet_clause
from desktop.core.text import fold
from desktop.index.analysis import analyse, exact_form
from desktop.index.query import Leaf
from desktop.library import Library
from desktop.library.search import facet_labels
from tests.conftest import SAMPLE_DIR

# key -> (title, text); written in the sample's styles, each to pin down one behaviour
STORIES: dict[str, tuple[str, str]] = {
    "phrase": ("Rice exports climb", "Hai Phong (VNA) – Rice exports climbed in the first quarter, traders said."),
    "apart": ("Coffee and grain", "HUE – Exports of coffee rose while rice stayed flat, officials said."),
    "viet_one": ("Trade fair opens", "Vietnam opened a trade fair for furniture makers on Monday."),
    "viet_two": ("Furniture makers gather", "Viet Nam hosted furniture makers from ten countries."),
    "hanoi_two": ("Metro line tested", "Ha Noi tested its second metro line with passengers aboard."),
    "saigon": ("Old port museum", "A museum opened in the old port of Saigon this week."),
    "hcmc": ("Bus routes change", "HCM City changed twelve bus routes to ease traffic."),
    "nfd": ("Tin văn hóa", unicodedata.normalize("NFD", "Đà Nẵng (TTXVN) – Ông Nguyễn Văn Ân khai mạc lễ hội pháo hoa.")),
    "exact_accent": ("Phát biểu", "Ông Trọng phát biểu tại hội nghị về hợp tác."),
    "exact_plain": ("Hội nghị", "Trong khi đó, hội nghị bàn về giáo dục."),
    "stems": ("Visitors arrive", "Two delegations arrived for talks on ferries."),
    "fuzzy": ("Road works", "Quang Tri province repaired the coastal road."),
    "us_may": ("Flights in May", "US carriers will add flights in May, the airline said."),
}
JSONL = [
    {
        "key": "tagged", "title": "Party ties deepen", "text": "The two parties agreed to exchange delegations.",
        "date": "2016-02-10", "source": "VNA", "tags": ["Party/Diplomacy/US", "Economy"],
    },
    {"key": "old", "title": "Harbour expansion", "text": "The harbour expansion began in spring.", "date": "2012-05-01", "source": "VOV"},
    {"key": "month", "title": "Budget talks", "text": "Budget talks continued through the month.", "date": "2016-02", "source": "VNS"},
    {"key": "recent", "title": "Solar farms", "text": "Solar farms now power three provinces.", "date": "2021-03-03", "source": "VNA"},
]  # fmt: skip


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Library, dict[str, int]]]:
    folder = tmp_path_factory.mktemp("stories")
    for key, (title, text) in STORIES.items():
        (folder / f"{key}.txt").write_text(f"{title}\n\n{text}\n", encoding="utf-8")
    (folder / "feed.jsonl").write_text("\n".join(json.dumps(record, ensure_ascii=False) for record in JSONL), encoding="utf-8")
    with Library.open(tmp_path_factory.mktemp("search") / "archive") as library:
        ids: dict[str, int] = {}
        for outcome in library.imports.paths([SAMPLE_DIR, folder]).outcomes:
            assert outcome.outcome == "imported", outcome
            assert outcome.id is not None
            name = Path(outcome.path.split(":")[0]).name
            if name == "feed.jsonl":
                ids[JSONL[int(outcome.path.rsplit(":", 1)[1]) - 1]["key"]] = outcome.id  # type: ignore[index]
            elif name.endswith(".txt") and name[:3].isdigit():
                ids["seed" + name[:3]] = outcome.id
            else:
                ids[Path(name).stem] = outcome.id
        library.notes.add(ids["old"], "Check the draft figures with the port authority.")
        text = library.articles.get(ids["month"]).text
        start = text.index("Budget talks")
        library.annotations.add(
            ids["month"], start, start + len("Budget talks"), note="compare with the ministry's release", tags=["Finance/Budget"]
        )
        yield library, ids


# query, must find, must not find (keys of the corpus)
CASES: list[tuple[str, set[str], set[str]]] = [
    ("rice exports", {"phrase", "apart"}, {"viet_one"}),
    ('"rice exports"', {"phrase"}, {"apart"}),
    ("furniture makers", {"viet_one", "viet_two"}, set()),
    ("Vietnam furniture", {"viet_one", "viet_two"}, set()),
    ("Viet Nam furniture", {"viet_one", "viet_two"}, set()),
    ('"Việt Nam" furniture', {"viet_one", "viet_two"}, set()),
    ("Hanoi metro", {"hanoi_two"}, set()),
    ("Ho Chi Minh City", {"saigon", "hcmc"}, {"hanoi_two"}),
    ("nguyen van an", {"nfd"}, {"exact_accent"}),
    (unicodedata.normalize("NFD", "Nguyễn Văn Ân"), {"nfd"}, set()),
    ("Đà Nẵng", {"nfd"}, set()),
    ("da nang", {"nfd"}, set()),
    ("trong", {"exact_accent", "exact_plain"}, set()),
    ("=Trọng", {"exact_accent"}, {"exact_plain"}),
    ("delegation", {"stems", "tagged"}, {"fuzzy"}),
    ("quang~", {"fuzzy"}, {"stems"}),
    ("quan~", {"fuzzy", "seed001"}, {"stems"}),
    ("deleg*", {"stems", "tagged"}, {"fuzzy"}),
    ("fu?niture", {"viet_one", "viet_two"}, set()),
    ("US May will", {"us_may"}, {"stems"}),
    ("ferries OR harbour", {"stems", "old"}, {"fuzzy"}),
    ("(ferries OR harbour) spring", {"old"}, {"stems"}),
    ("delegations NOT parties", {"stems"}, {"tagged"}),
    ("delegations -parties", {"stems"}, {"tagged"}),
    ("title:solar", {"recent"}, set()),
    ("title:power", set(), {"recent"}),
    ("text:power", {"recent"}, set()),
    ("agency:VOV", {"old", "seed001"}, {"recent"}),
    ("agency:TTXVN", {"nfd", "seed000", "recent"}, {"old"}),
    ("place:Hue", {"apart"}, {"phrase"}),
    ("tag:Party", {"tagged"}, {"old"}),
    ("tag:Party/Diplomacy", {"tagged"}, set()),
    ("tag:Finance", {"month"}, {"tagged"}),
    ("diplomacy", {"tagged"}, set()),
    ("note:draft", {"old"}, {"month"}),
    ("draft figures", {"old"}, set()),
    ("annotation:ministry", {"month"}, {"old"}),
    ("date:2016", {"tagged", "month"}, {"old", "recent"}),
    ("date:2016-02", {"tagged", "month"}, {"old"}),
    ("date:2016-02-10", {"tagged"}, {"month"}),
    ("date:2012..2017", {"old", "tagged", "month"}, {"recent", "seed003"}),
    ("date:>2020", {"recent", "seed003"}, {"old"}),
    ("date:>=2016", {"tagged", "recent"}, {"old"}),
    ("date:<2016", {"old"}, {"month", "recent"}),
    ("date:<=2016-02", {"old", "month", "tagged"}, {"recent"}),
    ("* -delegation", {"fuzzy", "old"}, {"stems", "tagged"}),
]


def find(library: Library, query: str) -> set[int]:
    return {hit.id for hit in library.search.find(query, limit=100).hits}


@pytest.mark.parametrize(("query", "must", "must_not"), CASES, ids=[case[0] for case in CASES])
def test_query_finds_and_leaves_out(corpus: tuple[Library, dict[str, int]], query: str, must: set[str], must_not: set[str]) -> None:
    library, ids = corpus
    result = library.search.find(query, limit=100)
    assert result.explanation is None
    found = {hit.id for hit in result.hits}
    assert {ids[key] for key in must} <= found
    assert not ({ids[key] for key in must_not} & found)


def test_a_phrase_lights_up_as_a_phrase_and_not_its_loose_words(corpus: tuple[Library, dict[str, int]]) -> None:
    library, ids = corpus
    (hit,) = library.search.find('"rice exports"').hits
    assert "<mark>Rice exports</mark>" in hit.snippet
    assert library.search.hit_spans(ids["apart"], '"rice exports"') == []


def test_a_variant_lights_the_words_as_written(corpus: tuple[Library, dict[str, int]]) -> None:
    library, ids = corpus
    text = library.articles.get(ids["viet_two"]).text
    spans = library.search.hit_spans(ids["viet_two"], "Vietnam")
    assert [text[s:e] for s, e in spans] == ["Viet Nam"]
    nfd_text = library.articles.get(ids["nfd"]).text
    assert [nfd_text[s:e] for s, e in library.search.hit_spans(ids["nfd"], '"nguyen van an"')] == ["Nguyễn Văn Ân"]


def test_a_stemmed_hit_lights_the_whole_word(corpus: tuple[Library, dict[str, int]]) -> None:
    library, ids = corpus
    text = library.articles.get(ids["stems"]).text
    assert [text[s:e] for s, e in library.search.hit_spans(ids["stems"], "delegation")] == ["delegations"]


def test_results_say_where_they_matched(corpus: tuple[Library, dict[str, int]]) -> None:
    library, ids = corpus
    by_id = {hit.id: hit for hit in library.search.find("draft OR diplomacy OR ministry OR solar", limit=50).hits}
    assert by_id[ids["old"]].matched_in == ("note",)
    assert by_id[ids["tagged"]].matched_in == ("tag",)
    assert by_id[ids["month"]].matched_in == ("annotation",)
    assert by_id[ids["recent"]].matched_in[0] == "title"  # the headline is also the first line of the text
    assert library.search.find("agency:VOV").hits[0].matched_in == ("agency",)


def test_sorting(corpus: tuple[Library, dict[str, int]]) -> None:
    library, ids = corpus
    query = "date:2012..2030"
    oldest = [hit.id for hit in library.search.find(query, sort="date").hits]
    newest = [hit.id for hit in library.search.find(query, sort="-date").hits]
    assert oldest[0] == ids["old"]
    assert newest[0] == ids["seed003"]
    assert newest == list(reversed(oldest))
    titles = [hit.title for hit in library.search.find("*", sort="title", limit=100).hits]
    assert titles == sorted(titles, key=lambda title: fold(title))
    with pytest.raises(KnownError):
        library.search.find("rice", sort="size")


def test_undated_articles_come_last_either_way(corpus: tuple[Library, dict[str, int]]) -> None:
    library, _ids = corpus
    for order in ("date", "-date"):
        hits = library.search.find("*", sort=order, limit=100).hits
        dated = [library.articles.get(hit.id).summary.date is not None for hit in hits]
        assert dated == sorted(dated, reverse=True)


def test_facets_count_the_whole_result_set_and_narrow_by_a_clause(corpus: tuple[Library, dict[str, int]]) -> None:
    library, ids = corpus
    result = library.search.find("*", limit=3, facets=True)
    agencies = dict(result.facets["agency"])
    assert agencies["VNA"] >= 4
    assert dict(result.facets["year"])["2016"] == 2
    tags = dict(result.facets["tag"])
    assert tags["Party/Diplomacy/US"] == 1
    assert tags["Party"] == 1
    narrowed = library.search.find("* " + facet_clause("agency", "VOV"), limit=100)
    assert {hit.id for hit in narrowed.hits} == {ids["old"], ids["seed001"]}
    assert {hit.id for hit in library.search.find(facet_clause("year", "2016"), limit=100).hits} == {ids["tagged"], ids["month"]}
    assert {hit.id for hit in library.search.find(facet_clause("tag", "Party/Diplomacy"), limit=100).hits} == {ids["tagged"]}


def test_saved_searches(corpus: tuple[Library, dict[str, int]]) -> None:
    library, ids = corpus
    library.vocabulary.save_search("Ports", "harbour OR port")
    library.vocabulary.save_search("Ports", "harbour")
    assert library.vocabulary.saved_searches() == [("Ports", "harbour")]
    library.vocabulary.rename_saved_search("Ports", "Harbours")
    assert {hit.id for hit in library.search.find(library.vocabulary.saved_query("Harbours")).hits} == {ids["old"]}
    with pytest.raises(KnownError):
        library.vocabulary.rename_saved_search("nothing", "x")
    library.vocabulary.delete_saved_search("Harbours")
    assert library.vocabulary.saved_searches() == []
    with pytest.raises(KnownError):
        library.vocabulary.saved_query("Harbours")


def test_more_like_this_leaves_out_the_cluster(library: Library, tmp_path: Path) -> None:
    base = (
        "Officials in Can Tho discussed flood defences, river dykes, pumping stations and rice farming "
        "for the coming rainy season, with experts from the Mekong Delta provinces and the ministry."
    )
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(f"Flood plan\n\n{base}\n", encoding="utf-8")
    (folder / "b.txt").write_text(f"Flood plan agreed\n\n{base} They met on Monday.\n", encoding="utf-8")
    (folder / "c.txt").write_text(
        "Dykes and pumps\n\nRiver dykes and pumping stations protect rice farming from floods.\n", encoding="utf-8"
    )
    (folder / "d.txt").write_text("Football\n\nThe national team won the final.\n", encoding="utf-8")
    a, b, c, d = (o.id for o in library.imports.paths([folder]).outcomes)
    assert a is not None
    assert b is not None
    assert library.articles.get(a).cluster == (a, b)
    similar = [hit.id for hit in library.search.similar(a)]
    assert similar[0] == c
    assert a not in similar
    assert b not in similar
    assert d not in similar


def test_variants_can_be_edited(library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Ferry\n\nThe Cat Ba ferry resumed.\n", encoding="utf-8")
    library.imports.paths([folder])
    assert library.search.find("Catba").hits == ()
    assert library.vocabulary.add_variants(["Cat Ba", "Catba"]) == ["Cat Ba", "Catba"]
    assert len(library.search.find("Catba").hits) == 1
    assert library.vocabulary.add_variants(["Cát Bà", "Catba"]) == ["Cat Ba", "Catba", "Cát Bà"]
    library.vocabulary.remove_variant("Catba")
    assert library.search.find("Catba").hits == ()
    with pytest.raises(KnownError):
        library.vocabulary.remove_variant("Catba")
    assert any("Viet Nam" in group for group in library.vocabulary.variant_groups())


def _leaf_matches(words: list[str], leaf: Leaf) -> bool:
    stems = [term for word in leaf.words for term, _s, _e in analyse(word)]
    if leaf.kind in ("term", "phrase"):
        return [term for word in words for term, _s, _e in analyse(word)] == stems
    if len(words) != 1:
        return False
    if leaf.kind == "exact":
        return exact_form(words[0]) == exact_form(leaf.words[0])
    if leaf.kind == "wildcard":
        pattern = "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(fold(ch)) for ch in leaf.words[0])
        return re.fullmatch(pattern, fold(words[0])) is not None
    return fold(words[0])[:1] == fold(leaf.words[0])[:1]  # fuzzy: the index chose the word; same first letter


@pytest.mark.parametrize(
    "query",
    [
        "rice exports",
        '"rice exports" OR coffee',
        "Vietnam",
        "Ho Chi Minh City",
        "deleg*",
        "quan~",
        "=Trọng",
        "trong",
        "CPV",
        "nguyen phu trong",
    ],
)
def test_every_highlight_is_a_query_word_or_phrase(corpus: tuple[Library, dict[str, int]], query: str) -> None:
    library, _ids = corpus
    leaves = [leaf for leaf in library.search.parse(query).positive_leaves() if isinstance(leaf, Leaf)]
    result = library.search.find(query, limit=100, spans=True)
    assert result.hits
    for hit in result.hits:
        text = library.articles.get(hit.id).text
        assert hit.spans is not None
        for start, end in hit.spans:
            words = [token_text for token_text in (text[first + start : last + start] for _term, first, last in analyse(text[start:end]))]
            assert any(_leaf_matches(words, leaf) for leaf in leaves), (query, text[start:end])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=60))
def test_any_text_typed_as_a_query_gives_results_or_one_line(corpus: tuple[Library, dict[str, int]], query: str) -> None:
    library, _ids = corpus
    result = library.search.find(query, limit=5)
    assert result.hits or result.explanation is None or "\n" not in result.explanation
    if result.explanation is not None:
        assert "\n" not in result.explanation


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    words=st.lists(
        st.sampled_from(["rice", "OR", "NOT", "(", ")", '"', "-", "date:", "tag:", "*", "~", "=", "AND", "title:", "viet*"]), max_size=8
    )
)
def test_operator_soup_never_raises(corpus: tuple[Library, dict[str, int]], words: list[str]) -> None:
    library, _ids = corpus
    library.search.find(" ".join(words), limit=5)
    library.search.find("".join(words), limit=5)


@pytest.mark.parametrize("query", ["the", "party", '"the party"', "port OR harbour", "Nguyen Phu Trong", "delegation visit"])
def test_facets_counted_the_quick_way_are_the_index_s_own(corpus: tuple[Library, dict[str, int]], query: str) -> None:
    library, _ids = corpus
    quick = library.search.facets(query)
    parsed = library.search.parse(query)
    assert library.index.article_index.matching_ids(parsed) is not None, "this query should take the quick way"
    counted = library.index.article_index.search(parsed, limit=1, facets=True).facets
    with library._uow.read() as session:
        slow = facet_labels(session, counted)
    assert quick == slow
    assert any(quick.values()) or not library.search.find(query).hits


def test_publications_are_counted_and_narrow_by_their_clause(library: Library) -> None:
    export = Path(__file__).resolve().parent / "data" / "exports" / "lexisnexis-4-stories.txt"
    library.imports.paths([export, SAMPLE_DIR])
    expected = {"Saigon Times Daily": 1, "Tuổi Trẻ": 1, "Viet Nam News (Hanoi)": 1, "Vietnam Investment Review": 1}
    assert dict(library.search.facets("")["publication"]) == expected  # SQL, every article
    in_result = dict(library.search.find("vietnam", limit=100, facets=True).facets["publication"])  # the index's counts
    assert in_result == dict(library.search.facets("vietnam")["publication"])  # the same counted in memory
    assert in_result == {"Viet Nam News (Hanoi)": 1, "Vietnam Investment Review": 1}
    clause = facet_clause("publication", "Tuổi Trẻ")
    assert clause == 'publication:"Tuổi Trẻ"'
    for query in (clause, 'publication:"tuoi tre"', 'publication:"TUOI  TRE"'):
        found = library.search.browse(query)
        assert found.total == 1, query  # the table: in memory
        assert dict(library.search.facets(query)["publication"]) == {"Tuổi Trẻ": 1}, query  # SQL
        assert [hit.id for hit in library.search.find(query).hits] == found.ids, query  # the index
    assert library.search.find(clause).hits[0].matched_in == ("publication",)
    punctuated = library.search.browse(facet_clause("publication", "Viet Nam News (Hanoi)"))
    assert punctuated.total == 1
    outside = library.search.browse("-" + clause)
    assert found.ids[0] not in outside.ids
    assert outside.total == library.articles.count() - 1
