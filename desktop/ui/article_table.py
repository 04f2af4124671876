"""The article table's view: columns, the sort indicator, taller rows for snippets, and the selection kept across refreshes."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from desktop.ui.article_model import COLUMNS, ArticleTableModel
from desktop.ui.delegates import SnippetDelegate

COLUMN_WIDTHS = {"title": 420, "agency": 80, "date": 95, "place": 110, "tags": 140, "notes": 60}


class ArticleTable(QTableView):
    """Rows of the model over ids; sorting is asked of the archive through the model's ``sort_requested``."""

    def __init__(self, model: ArticleTableModel, sort: tuple[str, bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.article_model = model
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.show_sort(*sort)
        self.setSortingEnabled(True)  # sorts at once by the indicator: the window connects the request only after
        self.setWordWrap(False)
        self.verticalHeader().hide()
        # fixed row heights: with 100,000 rows the header must not measure each one
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setSectionsMovable(True)
        self.horizontalHeader().setStretchLastSection(False)
        self.setItemDelegateForColumn(0, SnippetDelegate(self))
        self.row_height = self.verticalHeader().defaultSectionSize()
        for column, width in COLUMN_WIDTHS.items():
            self.setColumnWidth(COLUMNS.index(column), width)

    def show_sort(self, sort: str, descending: bool) -> None:
        """Show the order in the header without asking for it again ("relevance" is no column: no indicator)."""
        header = self.horizontalHeader()
        header.setSortIndicatorShown(sort in COLUMNS)
        if sort in COLUMNS:
            header.blockSignals(True)
            header.setSortIndicator(COLUMNS.index(sort), Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder)
            header.blockSignals(False)

    def show_snippets(self, searched: bool) -> None:
        """Search results are three lines tall, for the snippet under the title."""
        self.verticalHeader().setDefaultSectionSize(self.row_height * 3 if searched else self.row_height)

    def selected_ids(self) -> list[int]:
        ids = []
        for index in self.selectionModel().selectedRows():
            article_id = self.article_model.article_id(index.row())
            if article_id is not None:
                ids.append(article_id)
        return ids

    def current_id(self) -> int | None:
        """The article of the current row, else of the first selected row."""
        index = self.currentIndex()
        rows = self.selectionModel().selectedRows()
        row = index.row() if index.isValid() else (rows[0].row() if rows else -1)
        return self.article_model.article_id(row)

    def reselect(self, ids: Sequence[int]) -> None:
        """Keep the selection across a refresh when its articles are still shown, else select the first row."""
        model = self.article_model
        rows = [row for row in (model.row_of(article_id) for article_id in ids[:50]) if row is not None] or [0]
        if not model.rowCount():
            return
        # select through the selection model: QTableView.selectRow() obeys the keyboard modifiers held now
        selection = QItemSelection()
        for row in rows:
            selection.select(model.index(row, 0), model.index(row, len(COLUMNS) - 1))
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.selectionModel().select(selection, flags)
        self.selectionModel().setCurrentIndex(model.index(rows[0], 0), QItemSelectionModel.SelectionFlag.NoUpdate)
