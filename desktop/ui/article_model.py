"""The article table: a model over a list of ids whose rows arrive in pages from a background task."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from desktop.core.models import ArticleRow
from desktop.ui.text import literal, tr

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SNIPPET_ROLE = Qt.ItemDataRole.UserRole + 2
PAGE_SIZE = 200
COLUMNS = ("title", "agency", "date", "place", "tags", "notes")
PRECISION_NOTE = {"month-day": "year unknown", "unknown": ""}


def column_titles() -> dict[str, str]:
    return {
        "title": tr("Title"),
        "agency": tr("Agency"),
        "date": tr("Date"),
        "place": tr("Place"),
        "tags": tr("Tags"),
        "notes": tr("Notes"),
    }


#: ``request(ids, page, generation)``: ask for the rows of one page (answer with :meth:`ArticleTableModel.add_rows`).
PageRequest = Callable[[list[int], int, int], None]


class ArticleTableModel(QAbstractTableModel):
    """Rows are fetched a page at a time, never one query per row and never all at once."""

    sort_requested = Signal(str, bool)  # column key, descending

    def __init__(self, request_page: PageRequest) -> None:
        super().__init__()
        self._request_page = request_page
        self._ids: list[int] = []
        self._rows: dict[int, ArticleRow] = {}
        self._asked: set[int] = set()
        self.generation = 0
        self.query = ""

    # what is shown ----------------------------------------------------------------------------------
    def set_ids(self, ids: Sequence[int], query: str = "") -> None:
        """Show ``ids`` in this order; rows already known for another query are forgotten."""
        self.beginResetModel()
        self.generation += 1
        self._ids = list(ids)
        self._asked.clear()
        if query != self.query:
            self._rows.clear()
        self.query = query
        self.endResetModel()

    def add_rows(self, generation: int, page: int, rows: dict[int, ArticleRow]) -> None:
        """Rows of one page arrived; ignore them if the table has moved on since they were asked for."""
        if generation != self.generation:
            return
        self._rows.update(rows)
        first = page * PAGE_SIZE
        last = min(len(self._ids), first + PAGE_SIZE) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    def refresh_rows(self) -> None:
        """Ask again for every row (after an edit), keeping what is shown until the new rows arrive."""
        self.generation += 1
        self._asked.clear()
        self._rows.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(COLUMNS) - 1))

    def article_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, article_id: int) -> int | None:
        try:
            return self._ids.index(article_id)
        except ValueError:
            return None

    # Qt's model interface -----------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def _row(self, row: int) -> ArticleRow | None:
        article_id = self._ids[row]
        found = self._rows.get(article_id)
        if found is None:
            page = row // PAGE_SIZE
            if page not in self._asked:
                self._asked.add(page)
                self._request_page(self._ids[page * PAGE_SIZE : (page + 1) * PAGE_SIZE], page, self.generation)
        return found

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids) or not 0 <= index.column() < len(COLUMNS):
            return None
        if role == ID_ROLE:
            return self._ids[index.row()]
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, SNIPPET_ROLE):
            return None
        row = self._row(index.row())
        if row is None:
            return "…" if role == Qt.ItemDataRole.DisplayRole and index.column() == 0 else None
        if role == SNIPPET_ROLE:
            return row.snippet if index.column() == 0 else None
        if role == Qt.ItemDataRole.ToolTipRole:  # a tooltip guesses rich text: a title like "<img src=…>" must stay text
            shown = _cell(row, COLUMNS[index.column()], tooltip=True)
            return literal(shown) if shown else ""
        return _cell(row, COLUMNS[index.column()], tooltip=False)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return column_titles()[COLUMNS[section]]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is asked of the archive (SQL or the index), never done on the rows held here."""
        if 0 <= column < len(COLUMNS):
            self.sort_requested.emit(COLUMNS[column], order == Qt.SortOrder.DescendingOrder)


def _cell(row: ArticleRow, column: str, *, tooltip: bool) -> str:
    summary = row.summary
    if column == "title":
        return summary.title
    if column == "agency":
        return summary.agency or ""
    if column == "date":
        if summary.date is None:
            return ""
        note = PRECISION_NOTE.get(summary.date_precision)
        return f"{summary.date} ({tr(note)})" if tooltip and note else summary.date
    if column == "place":
        return summary.place or ""
    if column == "tags":
        return ", ".join(row.tags)
    return str(row.notes) if row.notes else ""
