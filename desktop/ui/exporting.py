"""Export: the dialog (shape, scope, columns), its live preview, the file to write, then the writing in the background."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desktop.export.csv_export import ANNOTATION_COLUMNS, ARTICLE_COLUMNS
from desktop.library import Library
from desktop.ui.article_table import ArticleTable
from desktop.ui.dialogs import ExportDialog
from desktop.ui.operations import Operations
from desktop.ui.search_bar import SearchBar
from desktop.ui.status import StatusArea
from desktop.ui.text import tr
from desktop.ui.workers import Context


@dataclass(frozen=True, slots=True)
class ExportChoice:
    """What the dialog was left showing: ``per`` is "article", "annotation" (CSV) or "json"."""

    per: str
    scope: str
    columns: list[str]
    bom: bool

    @classmethod
    def of(cls, dialog: ExportDialog) -> ExportChoice:
        return cls(dialog.per(), str(dialog.scope.currentData()), dialog.selected_columns(), dialog.bom.isChecked())

    @property
    def suffix(self) -> str:
        return "json" if self.per == "json" else "csv"


def export_scopes(query: str, selected: list[int], saved: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The scopes the dialog offers, as (label, scope): all, this search, the selection, each saved search."""
    scopes = [(tr("All articles"), "all")]
    if query:
        scopes.append((tr("This search: {query}").format(query=query), f"search:{query}"))
    if selected:
        scopes.append((tr("The {n} selected articles").format(n=len(selected)), "selection:" + ",".join(map(str, selected))))
    for name, _query in saved:
        scopes.append((tr("Saved search: {name}").format(name=name), f"saved:{name}"))
    return scopes


def write_export(library: Library, choice: ExportChoice, target: Path) -> str:
    """Write the export (in a worker) and say what was written, with any warning about cells Excel would cut."""
    if choice.per == "json":
        count = library.exports.json(target)
        return tr("{n} articles exported to {path}").format(n=count, path=target)
    report = library.exports.csv(target, per=choice.per, scope=choice.scope, columns=choice.columns or None, bom=choice.bom)
    return "\n".join([tr("{n} rows exported to {path}").format(n=report.rows, path=target), *report.warnings()])


class ExportFlow(QObject):
    """Archive → Export: choose, preview, pick the file, write in the background, offer to open the folder."""

    exported = Signal(str)  # the path written

    def __init__(
        self, ops: Operations, status: StatusArea, settings: QSettings, search: SearchBar, table: ArticleTable, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._search = search
        self._table = table
        self._status = status
        self._settings = settings
        self._parent = parent
        self.dialog: ExportDialog | None = None
        self.export_box: QMessageBox | None = None

    def export(self) -> None:
        """Show the dialog (the columns chosen are remembered), then write where the user says."""
        if self._ops.library is None:
            return
        scopes = export_scopes(self._search.query(), self._table.selected_ids(), self._search.saved_names)
        chosen = {per: [str(c) for c in (self._settings.value(f"export/{per}") or [])] for per in ("article", "annotation")}
        dialog = ExportDialog(scopes, {"article": ARTICLE_COLUMNS, "annotation": ANNOTATION_COLUMNS}, chosen, self._parent)
        self.dialog = dialog
        dialog.shape.currentIndexChanged.connect(self._preview)
        dialog.scope.currentIndexChanged.connect(self._preview)
        dialog.columns.itemChanged.connect(self._preview)
        self._preview()
        if not dialog.exec():
            return
        choice = ExportChoice.of(dialog)
        path, _filter = QFileDialog.getSaveFileName(self._parent, tr("Export to"), f"archive-export.{choice.suffix}", f"*.{choice.suffix}")
        if not path:
            return
        if choice.per != "json":
            self._settings.setValue(f"export/{choice.per}", choice.columns)
        target = Path(path)
        self._status.show_progress(tr("Exporting"))
        (
            self._ops.op(lambda library, _context: write_export(library, choice, target))
            .always(self._status.hide_progress)
            .success(lambda message: self._exported(target, message))
            .write()
        )

    def _preview(self) -> None:
        dialog = self.dialog
        if dialog is None:
            return
        choice = ExportChoice.of(dialog)
        if choice.per == "json":
            dialog.show_preview(tr("The whole archive, originals included, as one JSON document."))
            return

        def preview(library: Library, _context: Context) -> str:
            return library.exports.csv_preview(per=choice.per, scope=choice.scope, columns=choice.columns or None)

        self._ops.op(preview).success(dialog.show_preview).known_error(lambda message: dialog.show_preview(message.splitlines()[-1])).read()

    def _exported(self, target: Path, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, tr("Export finished"), message, parent=self._parent)
        box.setTextFormat(Qt.TextFormat.PlainText)  # a path or a column may hold anything
        open_folder = box.addButton(tr("Open the folder"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.buttonClicked.connect(
            lambda button: QDesktopServices.openUrl(QUrl.fromLocalFile(str(target.parent))) if button is open_folder else None
        )
        box.open()
        self.export_box = box
        self.exported.emit(str(target))
