"""The main window, for now a plain list of the archive's articles (the main window issue replaces it)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QThreadPool
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QStackedWidget, QTableView

from desktop.core.models import ArticleSummary
from desktop.library import Library
from desktop.ui.workers import Task

Index = QModelIndex | QPersistentModelIndex


class ArticleListModel(QAbstractTableModel):
    """Article summaries as rows: title, agency, date, place."""

    COLUMNS = ("Title", "Agency", "Date", "Place")

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[ArticleSummary] = []

    def set_rows(self, rows: list[ArticleSummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            values = (row.title, row.agency or "", row.date or "", row.place or "")
            return values[index.column()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS):
            return self.COLUMNS[section]
        return None


class MainWindow(QMainWindow):
    """Opens the archive in a worker, then lists its articles."""

    def __init__(self, open_library: Any) -> None:
        super().__init__()
        self.setWindowTitle("Archive Browser")
        self.resize(1000, 640)
        self.library: Library | None = None
        self.model = ArticleListModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.setColumnWidth(0, 560)
        self.empty = QLabel("Opening the archive…")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.table)
        self.setCentralWidget(self.stack)
        self.statusBar().showMessage("Opening the archive…")
        self._task = Task(lambda progress: _load(open_library, progress))
        self._task.signals.progress.connect(self._on_progress)
        self._task.signals.result.connect(self._on_loaded)
        self._task.signals.error.connect(self._on_error)
        QThreadPool.globalInstance().start(self._task)

    def _on_progress(self, done: int, total: int, label: str) -> None:
        self.statusBar().showMessage(f"{label}: {done} of {total}")

    def _on_loaded(self, loaded: tuple[Library, list[ArticleSummary]]) -> None:
        self.library, rows = loaded
        self.model.set_rows(rows)
        if rows:
            self.stack.setCurrentWidget(self.table)
        else:
            self.empty.setText("No articles yet: import files with archive-browser-cli import PATH…")
        notices = " ".join(self.library.notices)
        self.statusBar().showMessage(f"{len(rows):,} articles in {self.library.folder.root}" + (f" — {notices}" if notices else ""))

    def _on_error(self, message: str, known: bool) -> None:
        self.empty.setText("The archive could not be opened.")
        self.statusBar().showMessage("The archive could not be opened.")
        box = QMessageBox(
            QMessageBox.Icon.Warning if known else QMessageBox.Icon.Critical,
            "Archive Browser",
            message.splitlines()[-1] if not known else message,
            parent=self,
        )
        if not known:
            box.setDetailedText(message)
        box.open()

    def closeEvent(self, event: Any) -> None:
        QThreadPool.globalInstance().waitForDone(5000)
        if self.library is not None:
            self.library.close()
            self.library = None
        super().closeEvent(event)


def _load(open_library: Any, progress: Any) -> tuple[Library, list[ArticleSummary]]:
    library: Library = open_library(progress)
    return library, library.list_articles()
