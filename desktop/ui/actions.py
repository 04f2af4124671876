"""The window's actions, declared once: menus, the toolbar, the F1 shortcut list and the read-only state all come from ACTIONS.

Adding a command is one entry here plus its handler (a method the window reaches, named by a dotted path).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar, QWidget

from desktop.ui.text import QT_TRANSLATE_NOOP, tr

Key = str | QKeySequence.StandardKey


#: menu key -> title, in menu-bar order; a key with a slash is a submenu of the menu before the slash
MENUS: dict[str, str] = {
    "archive": QT_TRANSLATE_NOOP("ArchiveBrowser", "&Archive"),
    "search": QT_TRANSLATE_NOOP("ArchiveBrowser", "&Search"),
    "view": QT_TRANSLATE_NOOP("ArchiveBrowser", "&View"),
    "view/theme": QT_TRANSLATE_NOOP("ArchiveBrowser", "Theme"),
    "edit": QT_TRANSLATE_NOOP("ArchiveBrowser", "&Edit"),
    "help": QT_TRANSLATE_NOOP("ArchiveBrowser", "&Help"),
}


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """One command of the window.

    Attributes:
        id: the key the window and the tests find the action by.
        text: the menu text (marked for translation).
        menu: the key in MENUS it is listed under; its place is its place in ACTIONS.
        handler: what it runs: a dotted path from the window (``importer.choose_files``), called with ``argument`` if given.
        shortcut: a key sequence ("Ctrl+I") or a platform's standard key.
        help: one sentence for the F1 list and the tooltip.
        needs_write: changes the archive: disabled until one is open for writing (so always in a read-only window).
        needs_archive: reads the archive: disabled until one is open.
        toolbar: also on the toolbar.
        separator_before: a separator above it in its menu.
        table_shortcut: its shortcut acts only where the table (or the window around it) has focus: Delete.
        argument: passed to the handler (the theme chosen).
        choice: actions sharing a choice are exclusive checkable items (one theme).
        undo_stack: "undo" or "redo": made by the undo stack, which sets its text and enables it when there is something
            to undo (never in a read-only window, whose stack stays empty).
    """

    id: str
    text: str
    menu: str
    handler: str
    shortcut: Key | None = None
    help: str = ""
    needs_write: bool = False
    needs_archive: bool = False
    toolbar: bool = False
    separator_before: bool = False
    table_shortcut: bool = False
    argument: str | None = None
    choice: str | None = None
    undo_stack: str | None = None


SK = QKeySequence.StandardKey
ACTIONS: tuple[ActionSpec, ...] = (
    # Archive
    ActionSpec(
        "import_files",
        QT_TRANSLATE_NOOP("ArchiveBrowser", "Import files…"),
        menu="archive",
        handler="importer.choose_files",
        shortcut="Ctrl+I",
        help=QT_TRANSLATE_NOOP("ArchiveBrowser", "Import article files (the dialog lists the formats read)."),
        needs_write=True,
        toolbar=True,
    ),
    ActionSpec(
        "import_folder",
        QT_TRANSLATE_NOOP("ArchiveBrowser", "Import folder…"),
        menu="archive",
        handler="importer.choose_folder",
        shortcut="Ctrl+Shift+I",
        help=QT_TRANSLATE_NOOP("ArchiveBrowser", "Import every article file in a folder and its subfolders."),
        needs_write=True,
        toolbar=True,
    ),
    ActionSpec(
        "export",
        QT_TRANSLATE_NOOP("ArchiveBrowser", "Export…"),
        menu="archive",
        handler="exporter.export",
        shortcut="Ctrl+E",
        help=QT_TRANSLATE_NOOP("ArchiveBrowser", "Write articles or annotations to CSV, or the whole archive to JSON."),
        needs_archive=True,
    ),
    ActionSpec(
        "rebuild_index",
        QT_TRANSLATE_NOOP("ArchiveBrowser", "Rebuild search index"),
        menu="archive",
        handler="session.rebuild_index",
        help=QT_TRANSLATE_NOOP("ArchiveBrowser", "Build the search index again from the archive."),
        needs_write=True,
        separator_before=True,
    ),
    ActionSpec(
        "quit",
        QT_TRANSLATE_NOOP("ArchiveBrowser", "Quit"),
        menu="archive",
        handler="close",
        shortcut=SK.Quit,
        help=QT_TRANSLATE_NOOP("ArchiveBrowser", "Close the window."),
        separator_before=True,
    ),
    # Search
    ActionSpec(
        "find",
        QT_TRANSLATE_NOOP("ArchiveBrowser", "Find"),
        menu="search",
        handler="search.focus",
        shortcut="Ctrl+F",
        help=QT_TRANSLATE_NOOP("ArchiveBrowser", "Go to the search box."),
    ),
    ActionSpec(
        "next_hit",
        QT_TRANSLATE_NOOP("ArchiveBrowser", "Next hit"),
        menu="search",
        handler="reader.next_hit",
        shortcut="F3",
        help=QT_TRANSLATE_NOOP("ArchiveBrowser", "Show the next hit in the article."),
    ),
    ActionSpec(
        "previous_hit",
        QT_TRANSLATE_NOOP("ArchiveBrowser", "Previous hit"),
        menu="search",
        handler="reader.previous_hit",
        shortcut="Shift+F3",
        help=QT_TRANSLATE_NOOP("ArchiveBrowser", "Show the previous hit in the article."),
    ),
    ActionSpec(
        "save_search",
        QT_TRANSLATE_NOOP("ArchiveBrowser", "Save search…"),
        menu="search",
        handler="search.save_search",
        shortcut="Ctrl+S",
        help=QT_TRANSLATE_NOOP("ArchiveBrowser", "Keep this search in the sidebar under a name."),
        needs_write=True,
    ),
    ActionSpec(
        "clear_search",
        QT_TRANSLATE_NOOP("ArchiveBrowser", "Clear search"),
        menu="search",
        handler="search.set_query",
        shortcut="Ctrl+Shift+F",
        help=QT_TRANSLATE_NOOP("ArchiveBrowser", "Show every article again."),
        argument="",
    ),
    # View
    ActionSpec(
        "sort_by_relevance",
        QT_TRANSLATE_NOOP("ArchiveBrowser", "Sort results by relevance"),
        menu="view",
        handler="browser.sort_by_relevance",
        shortcut="Ctrl+R",
        help=QT_TRANSLATE_NOOP("ArchiveBrowser", "Put the best matches of the search first."),
    ),
    ActionSpec(
        "toggle_original",
        QT_TRANSLATE_NOOP("ArchiveBrowser", "Show or hide the original"),
        menu="view",
        handler="reader.original_toggle.toggle",
        shortcut="Ctrl+O",
        help=QT_TRANSLATE_NOOP("ArchiveBrowser", "Show the file as it was imported beside the clean text."),
    ),
    ActionSpec(
        "theme_system",
        QT_TRANSLATE_NOOP("ArchiveBrowser", "Follow the system"),
        menu="view/theme",
        handler="set_theme",
        help=QT_TRANSLATE_NOOP("ArchiveBrowser", "Light or dark as the system is."),
        argument="system",
        choice="theme",
    ),
    ActionSpec(
        "theme_light",
        QT_TRANSLATE_NOOP("ArchiveBrowser", "Light"),
        menu="view/theme",
        handler="set_theme",
        help=QT_TRANSLATE_NOOP("ArchiveBrowser", "Dark text on a light background."),
        argument="light",
        choice="theme",
    ),
    ActionSpec(
        "theme_dark",
        QT_TRANSLATE_NOOP("ArchiveBrowser", "Dark"),
        menu="view/theme",
        handler="set_theme",
        help=QT_TRANSLATE_NOOP("ArchiveBrowser", "Light text on a dark background."),
        argument="dark",
        choice="theme",
    ),
    # Edit
    ActionSpec(
        "undo",
        QT_TRANSLATE_NOOP("ArchiveBrowser", "Undo"),
        menu="edit",
        handler="ops.undo_stack.undo",
        shortcut=SK.Undo,
        help=QT_TRANSLATE_NOOP("ArchiveBrowser", "Undo the last edit."),
        needs_write=True,
        undo_stack="undo",
    ),
    ActionSpec(
        "redo",
        QT_TRANSLATE_NOOP("ArchiveBrowser", "Redo"),
        menu="edit",
        handler="ops.undo_stack.redo",
        shortcut=SK.Redo,
        help=QT_TRANSLATE_NOOP("ArchiveBrowser", "Do the undone edit again."),
        needs_write=True,
        undo_stack="redo",
    ),
    ActionSpec(
        "tag",
        QT_TRANSLATE_NOOP("ArchiveBrowser", "Tag selected articles…"),
        menu="edit",
        handler="tagging.tag_selected",
        shortcut="Ctrl+T",
        help=QT_TRANSLATE_NOOP("ArchiveBrowser", "Add a tag to the selected articles (Parent/Child makes a hierarchy)."),
        needs_write=True,
        separator_before=True,
    ),
    ActionSpec(
        "untag",
        QT_TRANSLATE_NOOP("ArchiveBrowser", "Remove a tag from selected articles…"),
        menu="edit",
        handler="tagging.untag_selected",
        shortcut="Ctrl+Shift+T",
        help=QT_TRANSLATE_NOOP("ArchiveBrowser", "Remove a tag from the selected articles."),
        needs_write=True,
    ),
    ActionSpec(
        "add_note",
        QT_TRANSLATE_NOOP("ArchiveBrowser", "Add a note…"),
        menu="edit",
        handler="editing.add_note",
        shortcut="Ctrl+N",
        help=QT_TRANSLATE_NOOP("ArchiveBrowser", "Write a note on the article read."),
        needs_write=True,
    ),
    ActionSpec(
        "annotate",
        QT_TRANSLATE_NOOP("ArchiveBrowser", "Annotate the selected passage…"),
        menu="edit",
        handler="editing.annotate_selection",
        shortcut="Ctrl+Shift+A",
        help=QT_TRANSLATE_NOOP("ArchiveBrowser", "Note on the passage selected in the reader, with tags."),
        needs_write=True,
    ),
    ActionSpec(
        "edit_text",
        QT_TRANSLATE_NOOP("ArchiveBrowser", "Correct the article's text…"),
        menu="edit",
        handler="editing.edit_text",
        shortcut="Ctrl+Shift+E",
        help=QT_TRANSLATE_NOOP("ArchiveBrowser", "Correct the clean text; the original file is kept."),
        needs_write=True,
    ),
    ActionSpec(
        "edit_details",
        QT_TRANSLATE_NOOP("ArchiveBrowser", "Edit the article's details…"),
        menu="edit",
        handler="editing.edit_details",
        shortcut="Ctrl+D",
        help=QT_TRANSLATE_NOOP("ArchiveBrowser", "Correct the title, agency, place and date."),
        needs_write=True,
    ),
    ActionSpec(
        "trash",
        QT_TRANSLATE_NOOP("ArchiveBrowser", "Move to trash"),
        menu="edit",
        handler="editing.trash_selected",
        shortcut=SK.Delete,
        help=QT_TRANSLATE_NOOP("ArchiveBrowser", "Move the selected articles to the trash (undo brings them back)."),
        needs_write=True,
        table_shortcut=True,
    ),
    ActionSpec(
        "show_trash",
        QT_TRANSLATE_NOOP("ArchiveBrowser", "Trash…"),
        menu="edit",
        handler="editing.show_trash",
        help=QT_TRANSLATE_NOOP("ArchiveBrowser", "See the trash: restore articles, or empty it."),
        separator_before=True,
    ),
    # Help
    ActionSpec(
        "shortcuts",
        QT_TRANSLATE_NOOP("ArchiveBrowser", "Keyboard shortcuts"),
        menu="help",
        handler="show_shortcuts",
        shortcut="F1",
        help=QT_TRANSLATE_NOOP("ArchiveBrowser", "This list."),
    ),
)
BY_ID: dict[str, ActionSpec] = {spec.id: spec for spec in ACTIONS}
#: keys that are no menu command, listed in the F1 help after the actions
EXTRA_SHORTCUTS = (
    (
        QT_TRANSLATE_NOOP("ArchiveBrowser", "Next / previous hit from the search box"),
        "Enter / Shift+Enter",
        QT_TRANSLATE_NOOP("ArchiveBrowser", "Step through the hits of the search shown."),
    ),
)


def resolve(root: object, dotted: str) -> Callable[..., Any]:
    """The handler a dotted path names, from ``root`` (the window)."""
    target: Any = root
    for name in dotted.split("."):
        target = getattr(target, name)
    if not callable(target):
        raise TypeError(f"{dotted} is not callable")
    return target  # type: ignore[no-any-return]


class WindowActions(QObject):
    """The QActions made from ACTIONS, in the window's menus and toolbar; their enabled state follows the archive."""

    def __init__(self, window: QMainWindow, table: QWidget, undo_stack: QUndoStack, specs: Sequence[ActionSpec] = ACTIONS) -> None:
        super().__init__(window)
        self.specs = tuple(specs)
        self._by_id: dict[str, QAction] = {}
        menus: dict[str, QMenu] = {}
        for key, title in MENUS.items():
            parent_key, _, _ = key.rpartition("/")
            menus[key] = menus[parent_key].addMenu(tr(title)) if parent_key else window.menuBar().addMenu(tr(title))
        groups: dict[str, QActionGroup] = {}
        toolbar = QToolBar(tr("Main"), window)
        toolbar.setObjectName("mainToolbar")
        for spec in self.specs:
            action = self._make(spec, window, undo_stack)
            if spec.choice is not None:
                action.setCheckable(True)
                groups.setdefault(spec.choice, QActionGroup(window)).addAction(action)
            if spec.separator_before:
                menus[spec.menu].addSeparator()
            menus[spec.menu].addAction(action)
            window.addAction(action)
            if spec.table_shortcut:
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                table.addAction(action)
            if spec.toolbar:
                toolbar.addAction(action)
            self._by_id[spec.id] = action
        window.addToolBar(toolbar)
        self.set_archive(is_open=False, writable=False)

    @staticmethod
    def _make(spec: ActionSpec, window: QMainWindow, undo_stack: QUndoStack) -> QAction:
        if spec.undo_stack == "undo":
            action = undo_stack.createUndoAction(window, tr(spec.text))
        elif spec.undo_stack == "redo":
            action = undo_stack.createRedoAction(window, tr(spec.text))
        else:
            action = QAction(tr(spec.text), window)
            handler = resolve(window, spec.handler)
            argument = spec.argument
            action.triggered.connect(lambda _checked=False: handler() if argument is None else handler(argument))
        if spec.shortcut is not None:
            action.setShortcut(QKeySequence(spec.shortcut))
        if spec.help:
            action.setToolTip(tr(spec.help))
        return action

    def __getitem__(self, action_id: str) -> QAction:
        return self._by_id[action_id]

    def set_archive(self, *, is_open: bool, writable: bool) -> None:
        """Enable what the archive allows: reading once one is open, writing only when it is open for writing."""
        for spec in self.specs:
            if spec.undo_stack is not None:
                continue  # the undo stack enables these; a read-only window's stack never has anything to undo
            if spec.needs_write:
                self._by_id[spec.id].setEnabled(writable)
            elif spec.needs_archive:
                self._by_id[spec.id].setEnabled(is_open)

    def shortcuts(self) -> list[tuple[str, str, str]]:
        """(action, keys, what it does) for every action with a shortcut, then the keys that are no menu command."""
        listed = []
        for spec in self.specs:
            action = self._by_id[spec.id]
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            if keys:
                listed.append((tr(spec.text).replace("&", ""), keys, tr(spec.help)))
        listed += [(tr(text), keys, tr(help_text)) for text, keys, help_text in EXTRA_SHORTCUTS]
        return listed
