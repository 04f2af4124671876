"""Tags: tag and untag the selected articles, and the sidebar's tag menu (rename or move, merge, colour, delete)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint
from PySide6.QtWidgets import QColorDialog, QInputDialog, QMenu, QMessageBox, QWidget

from desktop.library import Library
from desktop.store.journal import Edit
from desktop.ui.article_table import ArticleTable
from desktop.ui.operations import Operations
from desktop.ui.status import StatusArea
from desktop.ui.text import literal, tr

#: what a tag edit does once the user named the new tag: ``make(name)(library)`` writes it
TagEdit = Callable[[str], Callable[[Library], Edit]]


class TagFlow(QObject):
    """Each tag action asks what it needs, then runs one undoable edit."""

    def __init__(self, ops: Operations, table: ArticleTable, status: StatusArea, parent: QWidget) -> None:
        super().__init__(parent)
        self._ops = ops
        self._table = table
        self._status = status
        self._parent = parent
        self.last_menu: QMenu | None = None

    def tag_selected(self) -> None:
        ids = self._table.selected_ids()
        if not ids:
            self._status.message(tr("Select articles to tag first."), 4000)
            return
        name, ok = QInputDialog.getText(
            self._parent, tr("Tag articles"), tr("Tag for {n} articles (Parent/Child makes a hierarchy):").format(n=len(ids))
        )
        if ok and name.strip():
            self._ops.edit(lambda library: library.tags.change(ids, add=[name]))

    def untag_selected(self) -> None:
        ids = self._table.selected_ids()
        if not ids:
            return
        name, ok = QInputDialog.getText(self._parent, tr("Remove a tag"), tr("Tag to remove from {n} articles:").format(n=len(ids)))
        if ok and name.strip():
            self._ops.edit(lambda library: library.tags.change(ids, remove=[name]))

    def tag_menu(self, tag: str, position: QPoint) -> None:
        """Rename, move, merge, colour or delete a tag (right-click in the sidebar's tag tree)."""
        menu = QMenu(self._parent)
        menu.addAction(
            tr("Rename or move…"),
            lambda: self.ask_tag(tag, tr("Rename or move “{tag}” to:"), lambda new: lambda library: library.tags.rename(tag, new)),
        )
        menu.addAction(
            tr("Merge into…"),
            lambda: self.ask_tag(tag, tr("Merge “{tag}” into:"), lambda target: lambda library: library.tags.merge(tag, target)),
        )
        menu.addAction(tr("Colour…"), lambda: self.choose_colour(tag))
        menu.addAction(tr("Delete…"), lambda: self.delete_tag(tag))
        menu.popup(position)
        self.last_menu = menu

    def ask_tag(self, tag: str, prompt: str, make: TagEdit) -> None:
        """Ask for a tag name (``prompt`` with ``{tag}``), then write ``make(name)`` unless the name is unchanged."""
        name, ok = QInputDialog.getText(self._parent, tr("Tag"), literal(prompt.format(tag=tag)), text=tag)
        if ok and name.strip() and name.strip() != tag:
            self._ops.edit(make(name.strip()))

    def choose_colour(self, tag: str) -> None:
        colour = QColorDialog.getColor(parent=self._parent, title=tr("Colour of “{tag}”").format(tag=tag))
        if colour.isValid():
            self._ops.edit(lambda library: library.tags.set_colour(tag, colour.name()))

    def delete_tag(self, tag: str) -> None:
        """Say how much the tag is used, and delete it (and the tags under it) if the user agrees."""

        def ask(usage: tuple[int, int]) -> None:
            articles, annotations = usage
            question = tr("Remove “{tag}” and the tags under it from {a} articles and {n} annotations? You can undo this.").format(
                tag=tag, a=articles, n=annotations
            )
            if QMessageBox.question(self._parent, tr("Delete tag"), literal(question)) == QMessageBox.StandardButton.Yes:
                self._ops.edit(lambda library: library.tags.delete(tag))

        self._ops.op(lambda library, _context: library.tags.usage(tag)).success(ask).read()
