"""The repository split by topic: every name used from outside still reached as ``repo.<name>``; facets from the one list."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.facets import FACETS
from desktop.core.meta_columns import MetaColumns
from desktop.core.models import MetaAll, MetaAny, MetaClause, MetaFilter, MetaNot, ParsedArticle, PartialDate
from desktop.store import repo
from tests.store.conftest import add_article

ROOT = Path(__file__).resolve().parents[2]


def test_every_name_used_as_repo_dot_name_is_there() -> None:
    used = set()
    for folder in ("desktop", "tests", "bench"):
        for path in (ROOT / folder).rglob("*.py"):
            used.update(re.findall(r"\brepo\.([A-Za-z_]\w*)", path.read_text(encoding="utf-8")))
    assert used, "the search found no use at all"
    assert sorted(name for name in used if not hasattr(repo, name)) == []
    assert sorted(name for name in repo.__all__ if not hasattr(repo, name)) == []
    assert repo.MetaColumns is MetaColumns


def test_each_topic_module_stays_small() -> None:
    for path in (ROOT / "desktop" / "store" / "repo").glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) < 500, path.name


def test_the_store_knows_where_every_facet_is() -> None:
    assert set(repo.FACET_COLUMNS) == {facet.name for facet in FACETS}


@pytest.fixture
def archive(sessions: sessionmaker[Session]) -> tuple[sessionmaker[Session], dict[str, int]]:
    """Five articles: two near-duplicates from VNA, an AFP story whose duplicate is in the trash, one without metadata."""

    def article(title: str, agency: str | None, date: PartialDate, tags: list[str], publication: str | None = None) -> ParsedArticle:
        body = f"{title}\n\nBody of {title}."
        return ParsedArticle(title, "headline", body, agency=agency, date=date, tags=tags, publication=publication)

    with sessions.begin() as session:
        ids = {
            "a": add_article(session, article("A", "VNA", PartialDate(2016, 2, 3), ["Party/Diplomacy"], "Viet Nam News (Hanoi)")),
            "b": add_article(session, article("B", "VNA", PartialDate(2016), ["Party"])),
            "c": add_article(session, article("C", "AFP", PartialDate(2023, 7, 3), [], "Tuổi Trẻ")),
            "d": add_article(session, article("D", "AFP", PartialDate(None, 7, 3), ["Party"])),
            "e": add_article(session, article("E", None, PartialDate(), ["Đảng / Ngoại giao"])),
        }
        repo.insert_annotation(session, ids["c"], exact="Body", prefix="", suffix="", start=3, end=7, note="", tags=["Economy/Rice"])
        repo.set_cluster(session, [ids["a"], ids["b"]], 1)
        repo.set_cluster(session, [ids["c"], ids["d"]], 2)
        repo.set_trashed(session, [ids["d"]], True)
    return sessions, ids


def test_sql_facet_counts_follow_the_facet_list(archive: tuple[sessionmaker[Session], dict[str, int]]) -> None:
    sessions, _ids = archive
    with sessions() as session:
        counts = repo.facet_counts(session, None)
        narrowed = repo.facet_counts(session, MetaClause("agency", ("vna",)))
    assert list(counts) == [facet.name for facet in FACETS]
    assert counts == {
        "agency": [("VNA", 2), ("AFP", 1)],
        "publication": [("Tuổi Trẻ", 1), ("Viet Nam News (Hanoi)", 1)],  # in their own spelling
        "year": [("2016", 2), ("2023", 1)],
        # the articles' own tags, in their own spelling; a parent counts its children's articles
        "tag": [("Party", 2), ("Party/Diplomacy", 1), ("Đảng", 1), ("Đảng/Ngoại giao", 1)],
        "cluster": [("1", 2)],  # min_count 2: cluster 2 has one article out of the trash
    }
    assert narrowed == {
        "agency": [("VNA", 2)],
        "publication": [("Viet Nam News (Hanoi)", 1)],
        "year": [("2016", 2)],
        "tag": [("Party", 2), ("Party/Diplomacy", 1)],
        "cluster": [("1", 2)],
    }


def test_in_memory_facet_counts_follow_the_facet_list(archive: tuple[sessionmaker[Session], dict[str, int]]) -> None:
    sessions, ids = archive
    with sessions() as session:
        columns = repo.meta_columns(session)
    assert columns.all_ids == {ids["a"], ids["b"], ids["c"], ids["e"]}
    assert columns.facet_counts(set(columns.all_ids)) == {
        "agency": [("vna", 2), ("afp", 1)],
        "publication": [("tuoi tre", 1), ("viet nam news (hanoi)", 1)],  # folded, as the index counts them
        "year": [("2016", 2), ("2023", 1)],
        # folded, with the tags of passages, as the index counts them
        "tag": [("party", 2), ("dang", 1), ("dang/ngoai giao", 1), ("economy", 1), ("economy/rice", 1), ("party/diplomacy", 1)],
        "cluster": [("1", 2), ("2", 1)],
    }
    assert columns.facet_counts({ids["b"]}) == {
        "agency": [("vna", 1)],
        "publication": [],
        "year": [("2016", 1)],
        "tag": [("party", 1)],
        "cluster": [("1", 1)],
    }


FILTERS: list[MetaFilter] = [
    MetaClause("agency", ("vna",)),
    MetaClause("tag", ("party",)),
    MetaClause("tag", ("economy/rice",)),
    MetaClause("cluster", ("2",)),
    MetaClause("date", ("2016", "2023-06")),
    MetaClause("date", ("", "")),
    MetaClause("all", ()),
    MetaNot(MetaClause("tag", ("party",))),
    MetaAll((MetaClause("date", ("2016-01", "")), MetaAny((MetaClause("agency", ("afp",)), MetaClause("tag", ("party/diplomacy",)))))),
    MetaClause("publication", ("tuoi tre",)),
    MetaNot(MetaClause("publication", ("viet nam news (hanoi)",))),
    MetaNot(MetaClause("agency", ("vna",))),
    # every single-valued facet filters the same way, from its row of FACET_COLUMNS
    MetaNot(MetaClause("cluster", ("1",))),
    MetaClause("year", ("2016",)),
]


@pytest.mark.parametrize("where", FILTERS, ids=repr)
def test_in_memory_filters_give_the_same_articles_as_sql(archive: tuple[sessionmaker[Session], dict[str, int]], where: MetaFilter) -> None:
    sessions, _ids = archive
    with sessions() as session:
        columns = repo.meta_columns(session)
        by_sql = repo.browse_ids(session, where)
    assert set(by_sql) == columns.matching(where)


def test_a_filter_on_a_field_no_facet_has_is_refused(archive: tuple[sessionmaker[Session], dict[str, int]]) -> None:
    sessions, _ids = archive
    with sessions() as session, pytest.raises(ValueError, match="author"):
        repo.browse_ids(session, MetaClause("author", ("smith",)))


def test_folded_facets_are_spelled_as_the_store_has_them(archive: tuple[sessionmaker[Session], dict[str, int]]) -> None:
    sessions, _ids = archive
    with sessions() as session:
        spelled = {facet.name: repo.spellings(session, facet.name) for facet in FACETS}
    assert spelled["agency"] == {"vna": "VNA", "afp": "AFP"}
    assert spelled["publication"] == {"tuoi tre": "Tuổi Trẻ", "viet nam news (hanoi)": "Viet Nam News (Hanoi)"}
    assert spelled["tag"]["dang/ngoai giao"] == "Đảng/Ngoại giao"
    assert spelled["year"] == spelled["cluster"] == {}  # not folded: shown as counted


def test_filters_find_what_they_name(archive: tuple[sessionmaker[Session], dict[str, int]]) -> None:
    sessions, ids = archive
    with sessions() as session:
        names = ("agency", "tag", "passage", "cluster")
        found = {name: set(repo.browse_ids(session, where)) for name, where in zip(names, FILTERS, strict=False)}
    assert found == {"agency": {ids["a"], ids["b"]}, "tag": {ids["a"], ids["b"]}, "passage": {ids["c"]}, "cluster": {ids["c"]}}
