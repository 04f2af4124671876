"""Dialogs: the import summary, the trash, the keyboard shortcuts, and the crash report for bugs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import platformdirs
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.archive_folder import APP_NAME
from desktop.core.models import ArticleSummary, ImportReport
from desktop.ui.text import tr


def _save_or_cancel(dialog: QDialog, *parts: QWidget | QFormLayout) -> None:
    """Lay ``parts`` out one under the other, with Save and Cancel below them (the last part stretches)."""
    layout = QVBoxLayout(dialog)
    for number, part in enumerate(parts):
        if isinstance(part, QFormLayout):
            layout.addLayout(part)
        else:
            layout.addWidget(part, 1 if number == len(parts) - 1 else 0)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)


class ImportSummary(QDialog):
    """How an import went: counts, and each skipped file with its reason (selectable and copyable)."""

    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Import finished"))
        self.resize(720, 420)
        imported, duplicates, skipped = (report.count(kind) for kind in ("imported", "duplicate", "skipped"))
        headline = tr("{imported} imported, {duplicates} duplicates, {skipped} skipped").format(
            imported=f"{imported:,}", duplicates=f"{duplicates:,}", skipped=f"{skipped:,}"
        )
        if report.cancelled:
            headline += " — " + tr("cancelled; what was imported before is kept")
        self.summary = QLabel(headline)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        lines = [f"{item.path}\t{item.reason}" for item in report.outcomes if item.outcome == "skipped"]
        lines += [
            f"{item.path}\t{tr('duplicate of #{id}').format(id=item.duplicate_of)}"
            for item in report.outcomes
            if item.outcome == "duplicate"
        ]
        self.details.setPlainText("\n".join(lines) or tr("Every file was imported."))
        copy = QPushButton(tr("Copy"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(headline + "\n" + self.details.toPlainText()))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)


class TrashDialog(QDialog):
    """The articles in the trash: restore some, or empty it (after a question)."""

    restore_requested = Signal(list)
    empty_requested = Signal()

    def __init__(self, articles: list[ArticleSummary], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Trash"))
        self.resize(620, 380)
        self.articles = QListWidget()
        self.articles.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        for article in articles:
            item = QListWidgetItem(f"#{article.id}  {article.title}")
            item.setData(Qt.ItemDataRole.UserRole, article.id)
            self.articles.addItem(item)
        restore = QPushButton(tr("Restore selected"))
        empty = QPushButton(tr("Empty trash…"))
        restore.clicked.connect(self._restore)
        empty.clicked.connect(self.empty_requested)
        restore.setEnabled(bool(articles))
        empty.setEnabled(bool(articles))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(restore, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(empty, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("The trash is empty.") if not articles else tr("{n} articles in the trash").format(n=len(articles))))
        layout.addWidget(self.articles, 1)
        layout.addWidget(buttons)

    def _restore(self) -> None:
        ids = [int(item.data(Qt.ItemDataRole.UserRole)) for item in self.articles.selectedItems()]
        if ids:
            self.restore_requested.emit(ids)
            for item in self.articles.selectedItems():
                self.articles.takeItem(self.articles.row(item))


class TextEditDialog(QDialog):
    """Correct an article's clean text; the original file is never touched, annotations follow."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Correct the text of “{title}”").format(title=title))
        self.resize(760, 560)
        self.editor = QPlainTextEdit(text)
        _save_or_cancel(
            self,
            QLabel(tr("The original file stays as it was imported; passages you annotated are found again in the new text.")),
            self.editor,
        )

    def text(self) -> str:
        return self.editor.toPlainText()


class DetailsDialog(QDialog):
    """Correct the title, agency, place and date read from an article's text."""

    def __init__(self, summary: ArticleSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Article details"))
        self.title = QLineEdit(summary.title)
        self.agency = QLineEdit(summary.agency or "")
        self.place = QLineEdit(summary.place or "")
        self.date = QLineEdit(summary.date if summary.date and not summary.date.startswith("-") else "")
        self.date.setPlaceholderText(tr("2023-07-03, 2016-02, 2012 or empty"))
        form = QFormLayout()
        form.addRow(tr("Title"), self.title)
        form.addRow(tr("Agency"), self.agency)
        form.addRow(tr("Place"), self.place)
        form.addRow(tr("Date"), self.date)
        _save_or_cancel(self, form)

    def values(self) -> dict[str, str]:
        return {"title": self.title.text(), "agency": self.agency.text(), "place": self.place.text(), "date": self.date.text()}


class ExportDialog(QDialog):
    """File → Export: the shape, the scope, the columns (remembered), a preview of the first rows."""

    def __init__(
        self,
        scopes: list[tuple[str, str]],
        columns: dict[str, tuple[str, ...]],
        chosen: dict[str, list[str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Export"))
        self.resize(720, 560)
        self.all_columns = columns
        self.shape = QComboBox()
        self.shape.addItem(tr("CSV, one row per article"), "article")
        self.shape.addItem(tr("CSV, one row per annotation"), "annotation")
        self.shape.addItem(tr("JSON, everything (can be imported back)"), "json")
        self.scope = QComboBox()
        for label, scope in scopes:
            self.scope.addItem(label, scope)
        self.columns = QListWidget()
        self.columns.setDragDropMode(QListWidget.DragDropMode.InternalMove)
        self.bom = QCheckBox(tr("For Excel (UTF-8 with a byte-order mark)"))
        self.bom.setChecked(True)
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setPlaceholderText(tr("The first rows appear here."))
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.chosen = chosen
        form = QFormLayout()
        form.addRow(tr("What"), self.shape)
        form.addRow(tr("Which articles"), self.scope)
        form.addRow(tr("Columns (tick, drag to order)"), self.columns)
        form.addRow("", self.bom)
        form.addRow(tr("Preview"), self.preview)
        _save_or_cancel(self, form)
        self.shape.currentIndexChanged.connect(self._fill_columns)
        self._fill_columns()

    def _fill_columns(self) -> None:
        per = self.per()
        self.columns.clear()
        self.columns.setEnabled(per != "json")
        self.bom.setEnabled(per != "json")
        if per == "json":
            return
        ticked = self.chosen.get(per) or []
        ordered = [*ticked, *(column for column in self.all_columns[per] if column not in ticked)]
        for column in ordered:
            item = QListWidgetItem(column)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsDragEnabled)
            item.setCheckState(Qt.CheckState.Checked if column in ticked or (not ticked and column != "text") else Qt.CheckState.Unchecked)
            self.columns.addItem(item)

    def per(self) -> str:
        return str(self.shape.currentData())

    def selected_columns(self) -> list[str]:
        return [
            self.columns.item(row).text()
            for row in range(self.columns.count())
            if self.columns.item(row).checkState() == Qt.CheckState.Checked
        ]

    def show_preview(self, text: str) -> None:
        self.preview.setPlainText(text)


class ShortcutsDialog(QDialog):
    """Help → Keyboard shortcuts: every action that has one, with what it does."""

    def __init__(self, shortcuts: list[tuple[str, str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Keyboard shortcuts"))
        self.resize(960, 520)
        table = QTableWidget(len(shortcuts), 3)
        table.setHorizontalHeaderLabels([tr("Action"), tr("Keys"), tr("What it does")])
        for row, (action, keys, help_text) in enumerate(shortcuts):
            for column, text in enumerate((action, keys, help_text)):
                table.setItem(row, column, QTableWidgetItem(text))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        self.table = table
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)


def write_crash_log(details: str) -> Path:
    """Append a bug's traceback to the log file and return its path."""
    folder = platformdirs.user_log_path(APP_NAME, appauthor=False)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "archive-browser.log"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"--- {dt.datetime.now().isoformat(timespec='seconds')}\n{details}\n")
    return path


class CrashDialog(QDialog):
    """For bugs only: what happened, where the log is, and the traceback to send."""

    def __init__(self, details: str, log_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Archive Browser ran into a bug"))
        self.resize(700, 440)
        message = QLabel(
            tr("Something went wrong inside Archive Browser. Your archive is safe: every change is saved as it is made.")
            + "\n"
            + tr("The details below were written to {path}; please send them with your report.").format(path=log_path)
        )
        message.setWordWrap(True)
        text = QPlainTextEdit(details)
        text.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addWidget(text, 1)
        layout.addWidget(buttons)
