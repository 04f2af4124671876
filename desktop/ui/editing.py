"""Edits of the article read and of the selection: notes, annotations, the text, the details, the trash."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from desktop.core.models import ArticleSummary
from desktop.library import Library
from desktop.ui.article_table import ArticleTable
from desktop.ui.dialogs import DetailsDialog, TextEditDialog, TrashDialog
from desktop.ui.operations import Operations
from desktop.ui.reader import Reader
from desktop.ui.status import StatusArea
from desktop.ui.text import literal, tr
from desktop.ui.workers import Context


def note_and_tags(text: str) -> tuple[str, list[str]]:
    """A note, and the tags of its last line when that line reads ``tags: A, B/C``."""
    lines = text.strip().splitlines()
    if lines and lines[-1].lower().startswith("tags:"):
        tags = [tag.strip() for tag in lines[-1][5:].split(",") if tag.strip()]
        return "\n".join(lines[:-1]).strip(), tags
    return text.strip(), []


class EditFlow(QObject):
    """Each edit asks what it needs, then runs one undoable edit (emptying the trash is the one that cannot be undone)."""

    def __init__(self, ops: Operations, reader: Reader, table: ArticleTable, status: StatusArea, parent: QWidget) -> None:
        super().__init__(parent)
        self._ops = ops
        self._reader = reader
        self._table = table
        self._status = status
        self._parent = parent
        self.trash_dialog: TrashDialog | None = None
        reader.note_edit_requested.connect(self.edit_note)
        reader.annotation_edit_requested.connect(self.edit_annotation)
        reader.delete_requested.connect(self.delete_from_reader)

    # the article read ------------------------------------------------------------------------------
    def add_note(self) -> None:
        article = self._reader.article
        if article is None:
            return
        title = tr("Note on “{title}”:").format(title=article.summary.title)
        body, ok = QInputDialog.getMultiLineText(self._parent, tr("Add a note"), literal(title))
        if ok and body.strip():
            self._ops.edit(lambda library: library.notes.add(article.id, body))

    def annotate_selection(self) -> None:
        article = self._reader.article
        passage = self._reader.selected_passage()
        if article is None or passage is None:
            self._status.message(tr("Select a passage in the reader first."), 4000)
            return
        text, ok = QInputDialog.getMultiLineText(self._parent, tr("Annotate passage"), tr("Note (a last line “tags: A, B/C” adds tags):"))
        if not ok:
            return
        note, tags = note_and_tags(text)
        start, end = passage
        self._ops.edit(lambda library: library.annotations.add(article.id, start, end, note=note, tags=tags))

    def edit_text(self) -> None:
        article = self._reader.article
        if article is None:
            return
        dialog = TextEditDialog(article.summary.title, article.text, self._parent)
        if dialog.exec():
            new_text = dialog.text()
            if new_text != article.text:
                self._ops.edit(lambda library: library.articles.edit_text(article.id, new_text))

    def edit_details(self) -> None:
        article = self._reader.article
        if article is None:
            return
        dialog = DetailsDialog(article.summary, self._parent)
        if dialog.exec():
            values = dialog.values()
            self._ops.edit(lambda library: library.articles.edit_details(article.id, **values))

    def edit_note(self, note_id: int) -> None:
        note = next((n for n in self._reader.notes if n.id == note_id), None)
        if note is None:
            return
        body, ok = QInputDialog.getMultiLineText(self._parent, tr("Edit note"), tr("Note (empty it to delete the note):"), note.body)
        if ok:
            self._ops.edit(lambda library: library.notes.edit(note_id, body) if body.strip() else library.notes.delete(note_id))

    def edit_annotation(self, annotation_id: int) -> None:
        record = next((a for a in self._reader.annotations if a.id == annotation_id), None)
        if record is None:
            return
        current = record.note + (f"\ntags: {', '.join(record.tags)}" if record.tags else "")
        prompt = tr("Note on “{quote}” (a last line “tags: A, B” sets its tags):").format(quote=record.exact)
        text, ok = QInputDialog.getMultiLineText(self._parent, tr("Edit annotation"), literal(prompt), current)
        if ok:
            note, tags = note_and_tags(text)
            self._ops.edit(lambda library: library.annotations.edit(annotation_id, note=note, tags=tags))

    def delete_from_reader(self, kind: str, item_id: int) -> None:
        if kind == "note":
            self._ops.edit(lambda library: library.notes.delete(item_id))
        else:
            self._ops.edit(lambda library: library.annotations.delete(item_id))

    # the trash -------------------------------------------------------------------------------------
    def trash_selected(self) -> None:
        ids = self._table.selected_ids()
        if ids:
            self._ops.edit(lambda library: library.articles.trash(ids))

    def show_trash(self) -> None:
        self._ops.op(lambda library, _context: library.articles.trashed()).success(self._trash_listed).read()

    def _trash_listed(self, articles: list[ArticleSummary]) -> None:
        dialog = TrashDialog(articles, self._parent)
        dialog.restore_requested.connect(lambda ids: self._ops.edit(lambda library: library.articles.restore(ids)))
        dialog.empty_requested.connect(self._empty_trash)
        dialog.show()
        self.trash_dialog = dialog

    def _empty_trash(self) -> None:
        answer = QMessageBox.question(
            self._parent, tr("Empty the trash"), tr("Delete the articles in the trash for good? This cannot be undone.")
        )
        if answer == QMessageBox.StandardButton.Yes:

            def empty(library: Library, _context: Context) -> None:
                library.articles.empty_trash()

            self._ops.op(empty).changes().write()
