"""What moved below the library: a query as a metadata filter, and where a result matched."""

from __future__ import annotations

from desktop.core.facets import FACETS, FIELDS
from desktop.core.models import ArticleText, MetaAll, MetaAny, MetaClause, MetaNot
from desktop.index.highlight import matched_in, query_spans
from desktop.index.query import VariantTable, meta_filter, parse_query

NO_VARIANTS = VariantTable()


def test_a_query_of_metadata_clauses_only_is_a_filter_sql_answers() -> None:
    parsed = parse_query("agency:Reuters (tag:Party OR cluster:7) -date:2020", NO_VARIANTS)
    assert parsed.tree is not None
    found = meta_filter(parsed.tree)
    assert isinstance(found, MetaAll)
    agency, either, not_dated = found.children
    assert agency == MetaClause("agency", ("reuters",))
    assert either == MetaAny((MetaClause("tag", ("party",)), MetaClause("cluster", ("7",))))
    assert isinstance(not_dated, MetaNot)
    assert isinstance(not_dated.child, MetaClause)
    assert not_dated.child.field == "date"
    everything = parse_query("*", NO_VARIANTS).tree
    assert everything is not None
    assert meta_filter(everything) == MetaClause("all", ())


def test_each_facets_clause_reads_back_as_a_filter_on_its_field() -> None:
    # the fields come from the facet list: a facet narrowing by a field of its own name is a metadata field
    assert {"agency", "publication", "tag", "cluster"} <= set(FIELDS)
    assert "year" not in FIELDS  # it narrows by date:
    for facet in FACETS:
        value = "7" if facet.name == "cluster" else "2023" if facet.name == "year" else "Tuổi Trẻ (Hà Nội)"
        tree = parse_query(facet.clause_for(value), NO_VARIANTS).tree
        assert tree is not None
        found = meta_filter(tree)
        assert isinstance(found, MetaClause), facet.name
        assert found.field == (facet.name if facet.name in FIELDS else "date")
    publication = parse_query('publication:"Tuổi Trẻ (Hà Nội)"', NO_VARIANTS).tree
    assert publication is not None
    assert meta_filter(publication) == MetaClause("publication", ("tuoi tre (ha noi)",))


def test_a_query_with_words_needs_the_index() -> None:
    for query in ("vietnam", "agency:Reuters vietnam", "tag:Party OR harbour", "-vietnam"):
        tree = parse_query(query, NO_VARIANTS).tree
        assert tree is not None
        assert meta_filter(tree) is None, query


def _text(**fields: object) -> ArticleText:
    values: dict[str, object] = {
        "id": 1,
        "title": "Delegation visits Hanoi",
        "text": "The delegation met the minister in Hanoi.",
        "boilerplate": (),
        "agency": "Reuters",
        "place": "Hanoi",
        "date": "2020-05-01",
        "year": 2020,
        "tags": ("Party/Diplomacy",),
        "notes": ("call the minister",),
        "annotations": (),
    }
    values.update(fields)
    return ArticleText(**values)  # type: ignore[arg-type]


def test_a_result_says_where_it_matched() -> None:
    text = _text()
    for query, expected in (
        ("hanoi", ("title", "text", "place")),
        ("minister", ("text", "note")),
        ("diplomacy", ("tag",)),
        ("reuters", ("agency",)),
        ("tag:Party", ("tag",)),
    ):
        parsed = parse_query(query, NO_VARIANTS)
        body = query_spans(text.text, parsed, "body", boilerplate=text.boilerplate)
        assert matched_in(text, parsed, body, {}) == expected, query
