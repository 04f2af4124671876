"""A parsed query compiled to a Whoosh query (the tree and its parser are in ``query``)."""

from __future__ import annotations

from whoosh import query as wq

from desktop.core.text import fold
from desktop.index.analysis import FOLDED_PREFIX, exact_form
from desktop.index.phrase import ExactPhrase
from desktop.index.query import AnyOf, DateRange, Everything, FieldValue, Leaf, Node, NoneOf, stems

#: The index field of a query field where they differ: ``text:`` searches everything the article says.
INDEX_FIELDS = {"body": "text"}


def _wildcard_pattern(pattern: str) -> str:
    return "".join(ch if ch in "*?" else fold(ch) for ch in pattern)


def _wildcard(pattern: str) -> wq.Query:
    if pattern.endswith("*") and not any(ch in "*?" for ch in pattern[:-1]):
        return wq.Prefix("words", pattern[:-1])
    return wq.Wildcard("words", pattern)


def _compile_leaf(leaf: Leaf) -> wq.Query:
    # ``words`` holds each word as written (lower-case) and, when folding changes it, folded after "~"
    if leaf.kind == "exact":
        return wq.Term("words", exact_form(leaf.words[0]))
    if leaf.kind == "wildcard":
        pattern = _wildcard_pattern(leaf.words[0])
        return wq.Or([_wildcard(pattern), _wildcard(FOLDED_PREFIX + pattern)])
    if leaf.kind == "fuzzy":
        word = fold(leaf.words[0])
        return wq.Or(
            [
                wq.FuzzyTerm("words", word, maxdist=leaf.distance, prefixlength=1),
                wq.FuzzyTerm("words", FOLDED_PREFIX + word, maxdist=leaf.distance, prefixlength=2),
            ]
        )
    terms = stems(leaf.words)
    if not terms:
        return wq.NullQuery
    field_name = INDEX_FIELDS.get(leaf.field, leaf.field) if leaf.field else "text"
    if len(terms) == 1:
        return wq.Term(field_name, terms[0])
    return ExactPhrase(field_name, terms)


def compile_query(node: Node) -> wq.Query:
    """The Whoosh query for a tree."""
    if isinstance(node, Leaf):
        return _compile_leaf(node)
    if isinstance(node, FieldValue):
        return wq.Term(node.field, node.value)
    if isinstance(node, DateRange):
        return wq.TermRange("date", node.low, node.high)
    if isinstance(node, Everything):
        return wq.Every()
    if isinstance(node, AnyOf):
        return wq.Or([compile_query(child) for child in node.children])
    if isinstance(node, NoneOf):
        return wq.And([wq.Every(), wq.Not(compile_query(node.child))])
    children = [compile_query(child) for child in node.children]
    positives = [child for child in children if not _is_negation(child)]
    negatives = [child for child in children if _is_negation(child)]
    if not positives:
        return wq.And(children)
    return wq.And(positives + [child.subqueries[1] for child in negatives])


def _is_negation(query: wq.Query) -> bool:
    return isinstance(query, wq.And) and len(query.subqueries) == 2 and isinstance(query.subqueries[1], wq.Not)
