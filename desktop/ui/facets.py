"""The sidebar: the facets of what the table shows (each of ``desktop.core.facets.FACETS``, tags as a tree) and the saved searches."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QContextMenuEvent, QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QWidget

from desktop.core.facets import FACETS, facet_clause
from desktop.ui.text import literal, tr

CLAUSE_ROLE = Qt.ItemDataRole.UserRole + 10
SAVED_ROLE = Qt.ItemDataRole.UserRole + 11
TAG_ROLE = Qt.ItemDataRole.UserRole + 12
SAVED = "saved"  # the section after the facets: the saved searches
NUMBERED = {"cluster"}  # values are numbers: shown as "#12", the section's title counts them
COLLAPSED = {"cluster"}  # sections folded until the user opens them

# The facets' labels are marked for lupdate where they are written (desktop/core/facets.py, context
# ArchiveBrowser); tr() translates them at run time.


def section_titles() -> dict[str, str]:
    """Each section's title by key: the facets in their declared order, then the saved searches."""
    return {**{facet.name: tr(facet.label) for facet in FACETS}, SAVED: tr("Saved searches")}


class FacetPanel(QTreeView):
    """Clicking a value narrows the search by a query clause; clicking a saved search runs it."""

    narrow = Signal(str)  # the clause to add to the query
    run_saved = Signal(str, str)  # name, query
    tag_menu_requested = Signal(str, QPoint)  # tag path, global position

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.facet_model = QStandardItemModel(self)
        self.setModel(self.facet_model)
        self.setHeaderHidden(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setUniformRowHeights(True)
        self.clicked.connect(self._activated)
        self._sections: dict[str, QStandardItem] = {}
        self._colours: dict[str, str] = {}
        self._expanded: set[str] = {key for key in section_titles() if key not in COLLAPSED}
        for key, title in section_titles().items():
            item = QStandardItem(title)
            item.setSelectable(False)
            item.setData(key, Qt.ItemDataRole.UserRole)
            self.facet_model.appendRow(item)
            self._sections[key] = item
        self.expanded.connect(lambda index: self._expanded.add(index.data(Qt.ItemDataRole.UserRole)))
        self.collapsed.connect(lambda index: self._expanded.discard(index.data(Qt.ItemDataRole.UserRole)))
        self._restore_expansion()

    def set_facets(self, facets: dict[str, list[tuple[str, int]]]) -> None:
        titles = section_titles()
        for facet in FACETS:
            key = facet.name
            section = self._sections[key]
            section.removeRows(0, section.rowCount())
            values = facets.get(key, [])
            section.setText(f"{titles[key]} ({len(values)})" if key in NUMBERED else titles[key])
            if facet.hierarchical:
                self._add_tree(section, key, values)
                self._paint_tag_colours(section)
                continue
            for value, count in values:
                label = f"#{value}" if key in NUMBERED else value
                item = QStandardItem(f"{label}  ({count:,})")
                item.setData(facet_clause(key, value), CLAUSE_ROLE)
                section.appendRow(item)
        self._restore_expansion()

    def set_tag_colours(self, colours: dict[str, str]) -> None:
        """Show each tag's colour as a swatch beside its name."""
        self._colours = dict(colours)
        self._paint_tag_colours(self._sections["tag"])

    def _paint_tag_colours(self, item: QStandardItem) -> None:
        for row in range(item.rowCount()):
            child = item.child(row)
            colour = self._colours.get(child.data(TAG_ROLE) or "")
            child.setData(QColor(colour) if colour else None, Qt.ItemDataRole.DecorationRole)
            self._paint_tag_colours(child)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        tag = self.indexAt(event.pos()).data(TAG_ROLE)
        if tag:
            self.tag_menu_requested.emit(tag, event.globalPos())

    def _add_tree(self, section: QStandardItem, key: str, values: list[tuple[str, int]]) -> None:
        """Paths (``Party/Diplomacy``) as a tree; a tag's items carry the tag, for its menu and its colour."""
        nodes: dict[str, QStandardItem] = {}
        for path, count in sorted(values, key=lambda pair: pair[0].casefold()):
            parent_path, _, name = path.rpartition("/")
            item = QStandardItem(f"{name}  ({count:,})")
            if key == "tag":
                item.setData(path, TAG_ROLE)
            item.setData(facet_clause(key, path), CLAUSE_ROLE)
            nodes[path] = item
            (nodes.get(parent_path) or section).appendRow(item)

    def set_saved(self, saved: list[tuple[str, str]]) -> None:
        section = self._sections[SAVED]
        section.removeRows(0, section.rowCount())
        if not saved:
            empty = QStandardItem(tr("None yet: search, then Save search (Ctrl+S)"))
            empty.setEnabled(False)
            section.appendRow(empty)
        for name, query in saved:
            item = QStandardItem(name)
            item.setToolTip(literal(query))
            item.setData((name, query), SAVED_ROLE)
            section.appendRow(item)
        self._restore_expansion()

    def _restore_expansion(self) -> None:
        for key, item in self._sections.items():
            self.setExpanded(item.index(), key in self._expanded)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._activated(self.currentIndex())
            return
        super().keyPressEvent(event)

    def _activated(self, index: QModelIndex) -> None:
        clause = index.data(CLAUSE_ROLE)
        if clause:
            self.narrow.emit(clause)
            return
        saved = index.data(SAVED_ROLE)
        if saved:
            self.run_saved.emit(*saved)
