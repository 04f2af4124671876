"""The one list of facets: name, label, the query clause that narrows to a value, how values are counted.

The index, the store, the library, the sidebar and the CLI all read this list; adding a facet is one entry
here plus how its values are extracted (an index column and a store column, see docs/development.md).
"""

from __future__ import annotations

from dataclasses import dataclass


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate looks for
    """Mark ``text`` for translation in ``context`` and return it unchanged (core knows nothing of Qt; tr() translates)."""
    del context
    return text


@dataclass(frozen=True, slots=True)
class Facet:
    """One way to count and narrow the articles.

    Attributes:
        name: the key in facet counts (``agency``), also the CLI's and the JSON's name.
        label: what the sidebar shows (translated by the window).
        clause: the query clause narrowing to one value; ``{value}`` is the value as is, ``{quoted}`` in quotes.
        index_field: the Whoosh column counted for a word search.
        multi_valued: an article may have several values (tags), so counts overlap.
        hierarchical: values are paths (``Party/Diplomacy``) and a parent counts its children's articles.
        min_count: values counted fewer times are left out (a near-duplicate cluster of one is none).
    """

    name: str
    label: str
    clause: str
    index_field: str
    multi_valued: bool = False
    hierarchical: bool = False
    min_count: int = 1

    @property
    def field(self) -> str | None:
        """The query field narrowing to a value (``agency`` for ``agency:{quoted}``), or None for another field's clause."""
        return self.name if self.clause in (f"{self.name}:{{quoted}}", f"{self.name}:{{value}}") else None

    def clause_for(self, value: str) -> str:
        """The query clause that narrows a search to ``value`` (so a narrowed search can be saved)."""
        quoted = '"' + value.replace('"', " ") + '"'
        return self.clause.format(value=value, quoted=quoted)


FACETS: tuple[Facet, ...] = (
    # each label marked for lupdate under the window's context (desktop/ui translates it with tr())
    Facet("agency", QT_TRANSLATE_NOOP("ArchiveBrowser", "Agencies"), "agency:{quoted}", "agency"),
    Facet("publication", QT_TRANSLATE_NOOP("ArchiveBrowser", "Publications"), "publication:{quoted}", "publication"),
    Facet("year", QT_TRANSLATE_NOOP("ArchiveBrowser", "Years"), "date:{value}", "year"),
    Facet("tag", QT_TRANSLATE_NOOP("ArchiveBrowser", "Tags"), "tag:{quoted}", "tag", multi_valued=True, hierarchical=True),
    Facet("cluster", QT_TRANSLATE_NOOP("ArchiveBrowser", "Near-duplicate clusters"), "cluster:{value}", "cluster", min_count=2),
)
BY_NAME: dict[str, Facet] = {facet.name: facet for facet in FACETS}
NAMES: tuple[str, ...] = tuple(facet.name for facet in FACETS)
#: the query fields the facets narrow by (``agency:``, ``tag:``…); ``year`` narrows by ``date:`` and is not one
FIELDS: tuple[str, ...] = tuple(facet.field for facet in FACETS if facet.field is not None)
#: the fields whose value is a name in quotes (``agency:"VNA"``), not a number: results say they matched there
NAMED_FIELDS: tuple[str, ...] = tuple(facet.name for facet in FACETS if facet.clause == f"{facet.name}:{{quoted}}")


def facet_clause(facet: str, value: str) -> str:
    """The query clause that narrows a search to one value of the facet named ``facet``."""
    return BY_NAME[facet].clause_for(value)
