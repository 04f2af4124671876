"""The main window: facet sidebar · article table · reader; search box; import with progress; all I/O in workers."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QObject,
    QPoint,
    QSettings,
    QStringListModel,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QCompleter,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import DatabaseDamagedError
from desktop.core.models import AnnotationRecord, ArticleDetail, ArticleRow, ArticleSummary, ImportReport, NoteRecord
from desktop.export.csv_export import ANNOTATION_COLUMNS, ARTICLE_COLUMNS
from desktop.ingest import formats
from desktop.library import Browse, Library, Progress
from desktop.store.journal import Edit
from desktop.ui.article_model import COLUMNS, ArticleTableModel
from desktop.ui.delegates import SnippetDelegate
from desktop.ui.dialogs import (
    CrashDialog,
    DetailsDialog,
    ExportDialog,
    ImportSummary,
    ShortcutsDialog,
    TextEditDialog,
    TrashDialog,
    write_crash_log,
)
from desktop.ui.facets import FacetPanel
from desktop.ui.reader import Reader
from desktop.ui.text import literal, tr
from desktop.ui.workers import Context, Runner, Task

SEARCH_DELAY_MS = 250
BACKUP_CHECK_MS = 3_600_000  # look every hour whether the day's backup is due
# Small index commits keep each one short (bench/gui.py measures the longest event-loop gap)
WINDOW_INDEX_EVERY = 50
# Hand the interpreter lock to the GUI thread every 0.5 ms instead of 5 ms while workers run Python
# code: measured, the longest event-loop gap during an import fell from ~100 ms to ~40 ms.
GIL_SWITCH_INTERVAL_S = 0.0005
HISTORY_SIZE = 50
# phrases, wildcards and fuzzy words are searched on Enter only: they are the slow queries
_HEAVY = re.compile(r'["*?~]')

OpenLibrary = Callable[[Progress], Library]
ArticleView = tuple[ArticleDetail, str, list[tuple[int, int]], list[AnnotationRecord], list[NoteRecord]]


class MainWindow(QMainWindow):
    """Opens the archive in a worker, shows the table first, and catches the index up in the background."""

    archive_ready = Signal()
    view_updated = Signal()  # the table shows the latest query (tests wait on this)
    facets_updated = Signal()
    article_shown = Signal(int)
    import_finished = Signal(object)
    exported = Signal(str)
    edited = Signal()  # an edit, undo or redo has been written and the view asked to refresh

    def __init__(self, open_library: OpenLibrary, *, settings: QSettings | None = None, prepare_index: bool = True) -> None:
        super().__init__()
        sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
        self._prepare_index = prepare_index
        self.setWindowTitle(tr("Archive Browser"))
        self.setAcceptDrops(True)
        self.settings = settings or QSettings()
        self.library: Library | None = None
        self.reads = Runner("reads", self)
        self.counts = Runner("counts", self)  # facet counts: never queued in front of the table's next ids
        self.writes = Runner("writes", self)
        for runner in (self.reads, self.counts, self.writes):
            runner.crashed.connect(self.show_bug)
        self.shown_query = ""
        self.browse_sort = (str(self.settings.value("table/sort", "date")), _bool(self.settings.value("table/descending", True)))
        self.search_sort: tuple[str, bool] = ("relevance", False)
        self.view_generation = 0
        self.facets_query: str | None = None
        self.facets_stale = True
        self.article_generation = 0
        self.import_task: Task | None = None
        self.rebuilding_index = False
        self.damage_rebuilds = 0  # rebuilds started on finding the index damaged: one per session, then the message stays
        saved_history = self.settings.value("search/history", [])
        self.history: list[str] = [str(item) for item in saved_history] if isinstance(saved_history, list) else []
        self.undo_stack = QUndoStack(self)
        self.saved_names: list[tuple[str, str]] = []
        self._build_widgets()
        self._build_actions()
        self._restore_layout()
        self.statusBar().showMessage(tr("Opening the archive…"))
        self.damaged: DatabaseDamagedError | None = None
        self.open_box: QMessageBox | None = None
        self.writes.submit(
            lambda context: self._open_with(open_library, context),
            on_result=self._opened,
            on_error=self._open_failed,
            on_progress=self._progress,
        )

    # building ---------------------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText(tr('Search: words, "phrases", title:, agency:, date:2023, viet*, quan~ … (Ctrl+F)'))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.installEventFilter(self)
        self.history_model = QStringListModel(self.history, self)
        completer = QCompleter(self.history_model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.search_box.setCompleter(completer)
        self.save_button = QPushButton(tr("Save search…"))
        self.explanation = QLabel()
        self.explanation.setObjectName("explanation")
        self.explanation.setTextFormat(Qt.TextFormat.PlainText)
        self.explanation.setWordWrap(True)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.refresh)
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(BACKUP_CHECK_MS)
        self.backup_timer.timeout.connect(self._daily_backup)
        self.search_box.textEdited.connect(self._typed)
        self.save_button.clicked.connect(self.save_search)

        self.facets = FacetPanel()
        self.facets.narrow.connect(self.narrow)
        self.facets.run_saved.connect(lambda _name, query: self.set_query(query))
        self.facets.tag_menu_requested.connect(self.tag_menu)

        self.model = ArticleTableModel(self._request_page)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        sort, descending = self.browse_sort
        if sort in COLUMNS:
            self.table.horizontalHeader().setSortIndicator(
                COLUMNS.index(sort), Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
            )
        self.table.setSortingEnabled(True)  # sorts at once by the indicator: connect the request only after
        self.model.sort_requested.connect(self._sort_requested)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        # fixed row heights: with 100,000 rows the header must not measure each one
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setSectionsMovable(True)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.setItemDelegateForColumn(0, SnippetDelegate(self.table))
        self.row_height = self.table.verticalHeader().defaultSectionSize()
        for column, width in zip(COLUMNS, (420, 80, 95, 110, 140, 60), strict=True):
            self.table.setColumnWidth(COLUMNS.index(column), width)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.table_stack = QStackedWidget()
        self.table_stack.addWidget(self.empty)
        self.table_stack.addWidget(self.table)
        self.empty.setText(tr("Opening the archive…"))

        self.reader = Reader()
        self.reader.note_edit_requested.connect(self.edit_note)
        self.reader.annotation_edit_requested.connect(self.edit_annotation)
        self.reader.delete_requested.connect(self._delete_from_reader)

        search_row = QHBoxLayout()
        search_row.addWidget(self.search_box, 1)
        search_row.addWidget(self.save_button)
        center = QWidget()
        center_layout = QVBoxLayout(center)
        center_layout.setContentsMargins(0, 0, 0, 0)
        center_layout.addLayout(search_row)
        center_layout.addWidget(self.explanation)
        self.reader_split = QSplitter(Qt.Orientation.Vertical)
        self.reader_split.setObjectName("readerSplit")
        self.reader_split.addWidget(self.table_stack)
        self.reader_split.addWidget(self.reader)
        self.reader_split.setStretchFactor(0, 2)
        self.reader_split.setStretchFactor(1, 3)
        self.reader_split.setSizes([320, 480])
        center_layout.addWidget(self.reader_split, 1)
        self.main_split = QSplitter(Qt.Orientation.Horizontal)
        self.main_split.setObjectName("mainSplit")
        self.main_split.addWidget(self.facets)
        self.main_split.addWidget(center)
        self.main_split.setStretchFactor(1, 1)
        self.main_split.setSizes([230, 970])
        self.setCentralWidget(self.main_split)

        self.count_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.hide()
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel_import)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.cancel_button)
        self.statusBar().addPermanentWidget(self.count_label)

    def _action(
        self, text: str, slot: Callable[[], Any], shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None, menu: Any = None
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        if menu is not None:
            menu.addAction(action)
        return action

    def _build_actions(self) -> None:
        menu = self.menuBar()
        archive = menu.addMenu(tr("&Archive"))
        self.import_action = self._action(tr("Import files…"), self.choose_files, "Ctrl+I", archive)
        self.import_folder_action = self._action(tr("Import folder…"), self.choose_folder, "Ctrl+Shift+I", archive)
        self.export_action = self._action(tr("Export…"), self.export, "Ctrl+E", archive)
        archive.addSeparator()
        self.reindex_action = self._action(tr("Rebuild search index"), self.rebuild_index, None, archive)
        archive.addSeparator()
        self._action(tr("Quit"), self.close, QKeySequence.StandardKey.Quit, archive)
        search = menu.addMenu(tr("&Search"))
        self._action(tr("Find"), self.focus_search, "Ctrl+F", search)
        self._action(tr("Next hit"), self.reader.next_hit, "F3", search)
        self._action(tr("Previous hit"), self.reader.previous_hit, "Shift+F3", search)
        self.save_action = self._action(tr("Save search…"), self.save_search, "Ctrl+S", search)
        self._action(tr("Clear search"), lambda: self.set_query(""), "Ctrl+Shift+F", search)
        view = menu.addMenu(tr("&View"))
        self._action(tr("Sort results by relevance"), self.sort_by_relevance, "Ctrl+R", view)
        self._action(tr("Show or hide the original"), self.reader.original_toggle.toggle, "Ctrl+O", view)
        theme_menu = view.addMenu(tr("Theme"))
        self.theme_group = QActionGroup(self)
        current = str(self.settings.value("view/theme", "system"))
        for key, label in (("system", tr("Follow the system")), ("light", tr("Light")), ("dark", tr("Dark"))):
            action = QAction(label, self, checkable=True)
            action.setChecked(key == current)
            action.triggered.connect(lambda _checked=False, key=key: self.set_theme(key))
            self.theme_group.addAction(action)
            theme_menu.addAction(action)
        edit = menu.addMenu(tr("&Edit"))
        self.undo_action = self.undo_stack.createUndoAction(self, tr("Undo"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, tr("Redo"))
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        for action in (self.undo_action, self.redo_action):
            self.addAction(action)
            edit.addAction(action)
        edit.addSeparator()
        self.tag_action = self._action(tr("Tag selected articles…"), self.tag_selected, "Ctrl+T", edit)
        self.untag_action = self._action(tr("Remove a tag from selected articles…"), self.untag_selected, "Ctrl+Shift+T", edit)
        self.note_action = self._action(tr("Add a note…"), self.add_note, "Ctrl+N", edit)
        self.annotate_action = self._action(tr("Annotate the selected passage…"), self.annotate_selection, "Ctrl+Shift+A", edit)
        self.edit_text_action = self._action(tr("Correct the article's text…"), self.edit_text, "Ctrl+Shift+E", edit)
        self.details_action = self._action(tr("Edit the article's details…"), self.edit_details, "Ctrl+D", edit)
        self.trash_action = self._action(tr("Move to trash"), self.trash_selected, QKeySequence.StandardKey.Delete, edit)
        self.trash_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.table.addAction(self.trash_action)
        edit.addSeparator()
        self._action(tr("Trash…"), self.show_trash, None, edit)
        self.edit_actions = (
            self.tag_action,
            self.untag_action,
            self.note_action,
            self.annotate_action,
            self.edit_text_action,
            self.trash_action,
        )
        help_menu = menu.addMenu(tr("&Help"))
        self._action(tr("Keyboard shortcuts"), self.show_shortcuts, "F1", help_menu)
        #: what changes the archive: enabled once one is open for writing
        self.write_actions = (self.import_action, self.import_folder_action, self.save_action, self.reindex_action, *self.edit_actions)
        for action in (*self.write_actions, self.export_action):
            action.setEnabled(False)
        toolbar = self.addToolBar(tr("Main"))
        toolbar.setObjectName("mainToolbar")
        toolbar.addAction(self.import_action)
        toolbar.addAction(self.import_folder_action)
        self.set_theme(current, remember=False)

    def shortcuts(self) -> list[tuple[str, str]]:
        listed = []
        for action in self.actions():
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            if keys:
                listed.append((action.text().replace("&", ""), keys))
        listed.append((tr("Next / previous hit from the search box"), "Enter / Shift+Enter"))
        return listed

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self.shortcuts(), self).exec()

    def set_theme(self, key: str, *, remember: bool = True) -> None:
        schemes = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark, "system": Qt.ColorScheme.Unknown}
        QGuiApplication.styleHints().setColorScheme(schemes.get(key, Qt.ColorScheme.Unknown))
        if remember:
            self.settings.setValue("view/theme", key)

    # opening ----------------------------------------------------------------------------------------
    def _opened(self, library: Library) -> None:
        self.library = library
        for action in self.write_actions:
            action.setEnabled(not library.read_only)
        self.export_action.setEnabled(True)
        self.setWindowTitle(
            tr("Archive Browser — {folder}").format(folder=library.folder.root) + (tr(" (read-only)") if library.read_only else "")
        )
        self.settings.setValue("archive/last", str(library.folder.root))
        for notice in library.notices:
            self.statusBar().showMessage(notice, 10_000)
        self.refresh()
        self.reload_saved()
        self.archive_ready.emit()
        if not library.read_only:
            # a backup a day while the window runs (the first one right after opening)
            self.writes.submit(lambda _context: library.daily_backup(), on_error=self._known_error_or_bug)
            self.backup_timer.start()
        if not library.read_only and self._prepare_index:
            self._show_progress(tr("Preparing the search index"))
            self.writes.submit(
                lambda context: library.prepare_index(context.progress),
                on_result=self._index_ready,
                on_error=self._index_failed,
                on_progress=self._progress,
            )

    def rebuild_index(self) -> None:
        """Rebuild the search index from the archive in the background (the menu's command, or on finding it damaged)."""
        library = self.library
        if library is None or library.read_only or self.rebuilding_index:
            return
        self.rebuilding_index = True
        self._show_progress(tr("Rebuilding the search index"))

        def done(_value: object) -> None:
            self.rebuilding_index = False
            self._hide_progress()
            self.statusBar().showMessage(tr("The search index was rebuilt from the archive."), 5000)
            self.facets_stale = True
            self.refresh()

        def failed(message: str, known: bool) -> None:
            self.rebuilding_index = False
            self._index_failed(message, known)

        self.writes.submit(lambda context: library.reindex(context.progress), on_result=done, on_error=failed, on_progress=self._progress)

    def _daily_backup(self) -> None:
        library = self.library
        if library is not None and not library.read_only:
            self.writes.submit(lambda _context: library.daily_backup(), on_error=self._known_error_or_bug)

    def _index_ready(self, _value: object) -> None:
        self._hide_progress()
        self.statusBar().showMessage(tr("The search index is ready."), 3000)
        if self.shown_query:
            self.facets_stale = True
            self.refresh()

    def _index_failed(self, message: str, known: bool) -> None:
        self._hide_progress()
        if known:
            self.statusBar().showMessage(message, 15_000)
        else:
            self.show_bug(message)

    def _open_with(self, open_library: OpenLibrary, context: Context) -> Library:
        try:
            return open_library(context.progress)
        except DatabaseDamagedError as exc:
            self.damaged = exc  # for _open_failed, which the error signal brings to the GUI thread after this
            raise

    def _open_failed(self, message: str, known: bool) -> None:
        self.empty.setText(tr("The archive could not be opened."))
        self.statusBar().showMessage(tr("The archive could not be opened."))
        if not known:
            self.show_bug(message)
            return
        box = QMessageBox(QMessageBox.Icon.Warning, tr("Archive Browser"), message, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        damaged, self.damaged = self.damaged, None
        if damaged is not None and damaged.backup:  # offer the newest good backup; nothing is replaced unless asked
            restore = box.addButton(tr("Restore {name}").format(name=damaged.backup), QMessageBox.ButtonRole.AcceptRole)
            box.addButton(QMessageBox.StandardButton.Close)
            restore.clicked.connect(lambda: self.restore_damaged(damaged))
        self.open_box = box
        box.open()

    def restore_damaged(self, damaged: DatabaseDamagedError) -> None:
        """Open the archive with the chosen backup in place of its damaged database (which is kept in backups/)."""
        self.statusBar().showMessage(tr("Restoring {name}…").format(name=damaged.backup))

        def work(context: Context) -> Library:
            library = Library.open(damaged.root, restore=damaged.backup, progress=context.progress, prepare_index=False)
            library.write_index_in_child_process()
            return library

        self.writes.submit(work, on_result=self._opened, on_error=self._open_failed, on_progress=self._progress)

    # searching and browsing -------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def set_query(self, query: str) -> None:
        self.search_box.setText(query)
        self.refresh()

    def narrow(self, clause: str) -> None:
        """Add a facet's clause to the query, so the narrowed search can be saved like any other."""
        query = self.search_box.text().strip()
        if clause not in query:
            query = f"{query} {clause}".strip()
        self.set_query(query)

    def _typed(self, text: str) -> None:
        if _HEAVY.search(text):
            self.search_timer.stop()  # wait for Enter
        else:
            self.search_timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        is_enter = (
            isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        )
        if watched is self.search_box and is_enter and isinstance(event, QKeyEvent):
            backwards = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            if self.search_box.text().strip() == self.shown_query and self.reader.hits:
                (self.reader.previous_hit if backwards else self.reader.next_hit)()
            else:
                self.search_timer.stop()
                self.refresh()
            return True
        return super().eventFilter(watched, event)

    def current_sort(self) -> tuple[str, bool]:
        return self.search_sort if self.search_box.text().strip() else self.browse_sort

    def _sort_requested(self, column: str, descending: bool) -> None:
        if self.search_box.text().strip():
            self.search_sort = (column, descending)
        else:
            self.browse_sort = (column, descending)
            self.settings.setValue("table/sort", column)
            self.settings.setValue("table/descending", descending)
        self.refresh()

    def sort_by_relevance(self) -> None:
        self.search_sort = ("relevance", False)
        self.refresh()

    def refresh(self) -> None:
        """Ask (in the background) for the ids of the current query, then for its facets; newer asks win.

        The table shows as soon as its ids arrive; facet counts follow in a task of their own, and are
        not asked again when only the sort order changed.
        """
        library = self.library
        if library is None:
            return
        query = self.search_box.text().strip()
        if query != self.shown_query and query:
            self.search_sort = ("relevance", False)
        sort, descending = self.current_sort()
        self.view_generation += 1
        generation = self.view_generation
        facets_needed = query != self.facets_query or self.facets_stale

        def work(_context: Context) -> tuple[Browse, int] | None:
            if generation != self.view_generation:
                return None  # typed on since: skip the stale ask (the runner is serial, it would delay the new one)
            return library.browse(query, sort=sort, descending=descending), library.count()

        self.reads.submit(
            work,
            on_result=lambda result: self._show_view(generation, query, result),
            on_error=lambda message, known: self._view_failed(generation, message, known),
        )
        if facets_needed:
            self.facets_query = query
            self.facets_stale = False

            def facets(_context: Context) -> tuple[dict[str, list[tuple[str, int]]], dict[str, str]] | None:
                if generation != self.view_generation:
                    self.facets_stale = True
                    return None
                colours = {tag.name: tag.color for tag in library.tags() if tag.color}
                return library.facets(query), colours

            self.counts.submit(facets, on_result=lambda counts: self._show_facets(generation, counts), on_error=lambda _m, _k: None)

    def _show_facets(self, generation: int, result: tuple[dict[str, list[tuple[str, int]]], dict[str, str]] | None) -> None:
        if result is not None and generation == self.view_generation:
            counts, colours = result
            self.facets.set_facets(counts)
            self.facets.set_tag_colours(colours)
            self.facets_updated.emit()

    def _show_view(self, generation: int, query: str, result: tuple[Browse, int] | None) -> None:
        if result is None or generation != self.view_generation:
            return  # the user has typed on since
        browse, total = result
        selected = self.selected_ids()
        self.shown_query = query
        self.model.set_ids(browse.ids, query if browse.searched else "")
        self.table.verticalHeader().setDefaultSectionSize(self.row_height * 3 if browse.searched else self.row_height)
        sort, descending = self.current_sort()
        header = self.table.horizontalHeader()
        header.setSortIndicatorShown(sort in COLUMNS)
        if sort in COLUMNS:
            header.blockSignals(True)
            header.setSortIndicator(COLUMNS.index(sort), Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder)
            header.blockSignals(False)
        self.explanation.setText(browse.explanation or "")
        self.explanation.setVisible(bool(browse.explanation))
        if browse.ids:
            self.table_stack.setCurrentWidget(self.table)
        elif total == 0:
            self.empty.setText(tr("No articles yet: drop files here or use Import… (Ctrl+I)"))
            self.table_stack.setCurrentWidget(self.empty)
        else:
            self.empty.setText(tr("No articles match this search."))
            self.table_stack.setCurrentWidget(self.empty)
        shown = len(browse.ids)
        if browse.searched and browse.total > shown:
            self.count_label.setText(
                tr("{shown} best of about {found} matches, {total} articles").format(
                    shown=f"{shown:,}", found=f"{browse.total:,}", total=f"{total:,}"
                )
            )
        else:
            self.count_label.setText(tr("{shown} of {total} articles").format(shown=f"{shown:,}", total=f"{total:,}"))
        if query and browse.ids:
            self._remember(query)
        self._reselect(selected)
        self.view_updated.emit()
        library = self.library
        if library is not None:
            self.counts.submit(lambda _context: library.warm(), on_error=lambda _message, _known: None)

    def _view_failed(self, generation: int, message: str, known: bool) -> None:
        if generation != self.view_generation:
            return
        if not known:
            self.show_bug(message)
            return
        self.explanation.setText(message)
        self.explanation.show()
        self.view_updated.emit()
        library = self.library
        damaged = library is not None and library.index_damaged and not library.read_only
        if damaged and not self.rebuilding_index and not self.damage_rebuilds:
            # a search found the index's files damaged: rebuild it from the archive (once: a second failure stays shown)
            self.damage_rebuilds += 1
            self.statusBar().showMessage(tr("The search index is damaged; rebuilding it from the archive."), 10_000)
            self.rebuild_index()

    def _remember(self, query: str) -> None:
        if query in self.history:
            self.history.remove(query)
        self.history.insert(0, query)
        del self.history[HISTORY_SIZE:]
        self.history_model.setStringList(self.history)
        self.settings.setValue("search/history", self.history)

    def _request_page(self, ids: list[int], page: int, generation: int) -> None:
        library = self.library
        if library is None:
            return
        query = self.model.query
        self.reads.submit(
            lambda _context: library.rows(ids, query),
            on_result=lambda rows: self._rows_arrived(generation, page, rows),
            on_error=lambda message, known: None if known else self.show_bug(message),
        )

    def _rows_arrived(self, generation: int, page: int, rows: dict[int, ArticleRow]) -> None:
        self.model.add_rows(generation, page, rows)

    # selection and the reader ----------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        ids = []
        for index in self.table.selectionModel().selectedRows():
            article_id = self.model.article_id(index.row())
            if article_id is not None:
                ids.append(article_id)
        return ids

    def _reselect(self, ids: Sequence[int]) -> None:
        """Keep the selection across a refresh when its articles are still shown, else select the first row."""
        rows = [row for row in (self.model.row_of(article_id) for article_id in ids[:50]) if row is not None] or [0]
        if not self.model.rowCount():
            self.reader.clear()
            return
        # select through the selection model: QTableView.selectRow() obeys the keyboard modifiers held now
        selection = QItemSelection()
        for row in rows:
            selection.select(self.model.index(row, 0), self.model.index(row, len(COLUMNS) - 1))
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().select(selection, flags)
        self.table.selectionModel().setCurrentIndex(self.model.index(rows[0], 0), QItemSelectionModel.SelectionFlag.NoUpdate)

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        index = self.table.currentIndex()
        rows = self.table.selectionModel().selectedRows()
        row = index.row() if index.isValid() else (rows[0].row() if rows else -1)
        article_id = self.model.article_id(row)
        if article_id is None or self.library is None:
            return
        self.open_article(article_id)

    def open_article(self, article_id: int) -> None:
        library = self.library
        if library is None:
            return
        query = self.shown_query if self.model.query else ""
        self.article_generation += 1
        generation = self.article_generation

        def work(_context: Context) -> ArticleView:
            article = library.article(article_id)
            original = library.original_text(article_id)
            hits = library.hit_spans(article_id, query) if query and library.index_ready else []
            return article, original, hits, library.annotations(article_id), library.notes(article_id)

        self.reads.submit(work, on_result=lambda result: self._show_article(generation, result), on_error=self._article_failed)

    def _show_article(self, generation: int, result: ArticleView) -> None:
        if generation != self.article_generation:
            return
        article, original, hits, annotations, notes = result
        self.reader.show_article(article, original, hits, annotations, notes)
        self.article_shown.emit(article.id)

    def _article_failed(self, message: str, known: bool) -> None:
        if known:
            self.reader.clear(message)
        else:
            self.show_bug(message)

    # editing: each edit runs in the writer, then goes on the undo stack ------------------------------
    def run_edit(self, work: Callable[[Library], Edit]) -> None:
        """Do an edit in the background; when done, push it on the undo stack and show its effect."""
        library = self.library
        if library is None or library.read_only:
            return
        self.writes.submit(lambda _context: work(library), on_result=self._edited, on_error=self._known_error_or_bug)

    def _edited(self, edit: Edit) -> None:
        if not edit.empty:
            self.undo_stack.push(EditCommand(self, edit))
        self.after_edit()

    def replay(self, edit: Edit, *, backwards: bool) -> None:
        library = self.library
        if library is None:
            return

        def work(_context: Context) -> None:
            (library.undo if backwards else library.redo)(edit)

        self.writes.submit(work, on_result=lambda _value: self.after_edit(), on_error=self._known_error_or_bug)

    def after_edit(self) -> None:
        self.facets_stale = True
        self.model.refresh_rows()
        self.refresh()
        current = self.model.article_id(self.table.currentIndex().row())
        if current is not None:
            self.open_article(current)
        self.edited.emit()

    def _known_error_or_bug(self, message: str, known: bool) -> None:
        if known:
            self._known_error(message)
        else:
            self.show_bug(message)

    def tag_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            self.statusBar().showMessage(tr("Select articles to tag first."), 4000)
            return
        name, ok = QInputDialog.getText(
            self, tr("Tag articles"), tr("Tag for {n} articles (Parent/Child makes a hierarchy):").format(n=len(ids))
        )
        if ok and name.strip():
            self.run_edit(lambda library: library.tag(ids, add=[name]))

    def untag_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        name, ok = QInputDialog.getText(self, tr("Remove a tag"), tr("Tag to remove from {n} articles:").format(n=len(ids)))
        if ok and name.strip():
            self.run_edit(lambda library: library.tag(ids, remove=[name]))

    def add_note(self) -> None:
        article = self.reader.article
        if article is None:
            return
        body, ok = QInputDialog.getMultiLineText(
            self, tr("Add a note"), literal(tr("Note on “{title}”:").format(title=article.summary.title))
        )
        if ok and body.strip():
            self.run_edit(lambda library: library.add_note(article.id, body))

    def annotate_selection(self) -> None:
        article = self.reader.article
        passage = self.reader.selected_passage()
        if article is None or passage is None:
            self.statusBar().showMessage(tr("Select a passage in the reader first."), 4000)
            return
        text, ok = QInputDialog.getMultiLineText(self, tr("Annotate passage"), tr("Note (a last line “tags: A, B/C” adds tags):"))
        if not ok:
            return
        note, tags = _note_and_tags(text)
        start, end = passage
        self.run_edit(lambda library: library.annotate(article.id, start, end, note=note, tags=tags))

    def edit_text(self) -> None:
        article = self.reader.article
        if article is None:
            return
        dialog = TextEditDialog(article.summary.title, article.text, self)
        if dialog.exec():
            new_text = dialog.text()
            if new_text != article.text:
                self.run_edit(lambda library: library.edit_text(article.id, new_text))

    def edit_details(self) -> None:
        article = self.reader.article
        if article is None:
            return
        dialog = DetailsDialog(article.summary, self)
        if dialog.exec():
            values = dialog.values()
            self.run_edit(lambda library: library.edit_details(article.id, **values))

    def edit_note(self, note_id: int) -> None:
        note = next((n for n in self.reader.notes if n.id == note_id), None)
        if note is None:
            return
        body, ok = QInputDialog.getMultiLineText(self, tr("Edit note"), tr("Note (empty it to delete the note):"), note.body)
        if ok:
            self.run_edit(lambda library: library.edit_note(note_id, body) if body.strip() else library.delete_note(note_id))

    def edit_annotation(self, annotation_id: int) -> None:
        record = next((a for a in self.reader.annotations if a.id == annotation_id), None)
        if record is None:
            return
        current = record.note + (f"\ntags: {', '.join(record.tags)}" if record.tags else "")
        text, ok = QInputDialog.getMultiLineText(
            self,
            tr("Edit annotation"),
            literal(tr("Note on “{quote}” (a last line “tags: A, B” sets its tags):").format(quote=record.exact)),
            current,
        )
        if ok:
            note, tags = _note_and_tags(text)
            self.run_edit(lambda library: library.edit_annotation(annotation_id, note=note, tags=tags))

    def _delete_from_reader(self, kind: str, item_id: int) -> None:
        if kind == "note":
            self.run_edit(lambda library: library.delete_note(item_id))
        else:
            self.run_edit(lambda library: library.delete_annotation(item_id))

    def tag_menu(self, tag: str, position: QPoint) -> None:
        """Rename, move, merge, colour or delete a tag (right-click in the sidebar's tag tree)."""
        menu = QMenu(self)
        menu.addAction(
            tr("Rename or move…"),
            lambda: self._ask_tag(tag, tr("Rename or move “{tag}” to:"), lambda new: lambda lib: lib.rename_tag(tag, new)),
        )
        menu.addAction(
            tr("Merge into…"), lambda: self._ask_tag(tag, tr("Merge “{tag}” into:"), lambda target: lambda lib: lib.merge_tags(tag, target))
        )
        menu.addAction(tr("Colour…"), lambda: self._choose_colour(tag))
        menu.addAction(tr("Delete…"), lambda: self._delete_tag(tag))
        menu.popup(position)
        self.last_menu = menu

    def _ask_tag(self, tag: str, prompt: str, make: Callable[[str], Callable[[Library], Edit]]) -> None:
        name, ok = QInputDialog.getText(self, tr("Tag"), literal(prompt.format(tag=tag)), text=tag)
        if ok and name.strip() and name.strip() != tag:
            self.run_edit(make(name.strip()))

    def _choose_colour(self, tag: str) -> None:
        colour = QColorDialog.getColor(parent=self, title=tr("Colour of “{tag}”").format(tag=tag))
        if colour.isValid():
            self.run_edit(lambda library: library.set_tag_colour(tag, colour.name()))

    def _delete_tag(self, tag: str) -> None:
        library = self.library
        if library is None:
            return

        def ask(usage: tuple[int, int]) -> None:
            articles, annotations = usage
            question = tr("Remove “{tag}” and the tags under it from {a} articles and {n} annotations? You can undo this.").format(
                tag=tag, a=articles, n=annotations
            )
            if QMessageBox.question(self, tr("Delete tag"), literal(question)) == QMessageBox.StandardButton.Yes:
                self.run_edit(lambda lib: lib.delete_tag(tag))

        self.reads.submit(lambda _context: library.tag_usage(tag), on_result=ask, on_error=self._known_error_or_bug)

    def trash_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.run_edit(lambda library: library.trash(ids))

    def show_trash(self) -> None:
        library = self.library
        if library is None:
            return
        self.reads.submit(lambda _context: library.trashed(), on_result=self._trash_listed)

    def _trash_listed(self, articles: list[ArticleSummary]) -> None:
        dialog = TrashDialog(articles, self)
        dialog.restore_requested.connect(lambda ids: self.run_edit(lambda library: library.restore(ids)))
        dialog.empty_requested.connect(self._empty_trash)
        dialog.show()
        self.trash_dialog = dialog

    def _empty_trash(self) -> None:
        library = self.library
        if library is None:
            return
        answer = QMessageBox.question(self, tr("Empty the trash"), tr("Delete the articles in the trash for good? This cannot be undone."))
        if answer == QMessageBox.StandardButton.Yes:
            self.writes.submit(
                lambda _context: library.empty_trash(), on_result=lambda _count: self.after_edit(), on_error=self._known_error_or_bug
            )

    # export -----------------------------------------------------------------------------------------------
    def export_scopes(self) -> list[tuple[str, str]]:
        scopes = [(tr("All articles"), "all")]
        query = self.search_box.text().strip()
        if query:
            scopes.append((tr("This search: {query}").format(query=query), f"search:{query}"))
        ids = self.selected_ids()
        if ids:
            scopes.append((tr("The {n} selected articles").format(n=len(ids)), "selection:" + ",".join(map(str, ids))))
        for name, _query in self.saved_names:
            scopes.append((tr("Saved search: {name}").format(name=name), f"saved:{name}"))
        return scopes

    def export(self) -> None:
        """File → Export: choose, preview, then write in the background and offer to open the folder."""
        library = self.library
        if library is None:
            return
        chosen = {per: [str(c) for c in (self.settings.value(f"export/{per}") or [])] for per in ("article", "annotation")}
        dialog = ExportDialog(self.export_scopes(), {"article": ARTICLE_COLUMNS, "annotation": ANNOTATION_COLUMNS}, chosen, self)
        self.export_dialog = dialog

        def preview() -> None:
            per, scope, columns = dialog.per(), str(dialog.scope.currentData()), dialog.selected_columns()
            if per == "json":
                dialog.show_preview(tr("The whole archive, originals included, as one JSON document."))
                return
            self.reads.submit(
                lambda _context: library.csv_preview(per=per, scope=scope, columns=columns or None),
                on_result=dialog.show_preview,
                on_error=lambda message, _known: dialog.show_preview(message.splitlines()[-1]),
            )

        dialog.shape.currentIndexChanged.connect(preview)
        dialog.scope.currentIndexChanged.connect(preview)
        dialog.columns.itemChanged.connect(preview)
        preview()
        if not dialog.exec():
            return
        per, scope, columns, bom = dialog.per(), str(dialog.scope.currentData()), dialog.selected_columns(), dialog.bom.isChecked()
        suffix = "json" if per == "json" else "csv"
        path, _filter = QFileDialog.getSaveFileName(self, tr("Export to"), f"archive-export.{suffix}", f"*.{suffix}")
        if not path:
            return
        if per != "json":
            self.settings.setValue(f"export/{per}", columns)
        target = Path(path)
        self._show_progress(tr("Exporting"))

        def work(_context: Context) -> str:
            if per == "json":
                count = library.export_json(target)
                return tr("{n} articles exported to {path}").format(n=count, path=target)
            report = library.export_csv(target, per=per, scope=scope, columns=columns or None, bom=bom)
            return "\n".join([tr("{n} rows exported to {path}").format(n=report.rows, path=target), *report.warnings()])

        self.writes.submit(work, on_result=lambda message: self._exported(target, message), on_error=self._export_failed)

    def _exported(self, target: Path, message: str) -> None:
        self._hide_progress()
        box = QMessageBox(QMessageBox.Icon.Information, tr("Export finished"), message, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)  # a path or a column may hold anything
        open_folder = box.addButton(tr("Open the folder"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.buttonClicked.connect(
            lambda button: QDesktopServices.openUrl(QUrl.fromLocalFile(str(target.parent))) if button is open_folder else None
        )
        box.open()
        self.export_box = box
        self.exported.emit(str(target))

    def _export_failed(self, message: str, known: bool) -> None:
        self._hide_progress()
        self._known_error_or_bug(message, known)

    # saved searches -----------------------------------------------------------------------------------
    def reload_saved(self) -> None:
        library = self.library
        if library is not None:
            self.reads.submit(lambda _context: library.saved_searches(), on_result=self._saved_listed)

    def _saved_listed(self, saved: list[tuple[str, str]]) -> None:
        self.saved_names = saved
        self.facets.set_saved(saved)

    def save_search(self) -> None:
        library = self.library
        query = self.search_box.text().strip()
        if library is None or not query:
            self.statusBar().showMessage(tr("Type a search first, then save it."), 5000)
            return
        name, ok = QInputDialog.getText(self, tr("Save search"), literal(tr("Name for “{query}”:").format(query=query)), text=query)
        if ok and name.strip():
            self.writes.submit(
                lambda _context: library.save_search(name, query), on_result=lambda _value: self.reload_saved(), on_error=self._known_error
            )

    # importing --------------------------------------------------------------------------------------
    def choose_files(self) -> None:
        files, _filter = QFileDialog.getOpenFileNames(self, tr("Import articles"), "", formats.dialog_filter())
        if files:
            self.import_paths([Path(name) for name in files])

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("Import a folder of articles"))
        if folder:
            self.import_paths([Path(folder)])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if urls and all(url.isLocalFile() for url in urls) and self.library is not None and not self.library.read_only:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    def import_paths(self, paths: Sequence[Path]) -> Task | None:
        """Import in the background with a progress bar and Cancel; the same path for menus and drops."""
        library = self.library
        if library is None or self.import_task is not None:
            self.statusBar().showMessage(tr("An import is already running."), 5000)
            return None
        self._show_progress(tr("Importing"), cancellable=True)
        wanted = list(paths)

        def work(context: Context) -> ImportReport:
            return library.import_paths(wanted, progress=context.progress, cancelled=context.is_cancelled, index_every=WINDOW_INDEX_EVERY)

        self.import_task = self.writes.submit(work, on_result=self._imported, on_error=self._import_failed, on_progress=self._progress)
        return self.import_task

    def cancel_import(self) -> None:
        if self.import_task is not None:
            self.import_task.cancel()
            self.cancel_button.setEnabled(False)
            self.statusBar().showMessage(tr("Stopping after the current file…"))

    def _imported(self, report: ImportReport) -> None:
        self.import_task = None
        self._hide_progress()
        self.facets_stale = True
        self.refresh()
        self.import_finished.emit(report)
        summary = ImportSummary(report, self)
        summary.setModal(False)
        summary.show()
        self.last_summary = summary

    def _import_failed(self, message: str, known: bool) -> None:
        self.import_task = None
        self._hide_progress()
        self.facets_stale = True
        self.refresh()
        self.import_finished.emit(None)
        if known:
            self._known_error(message, True)
        else:
            self.show_bug(message)

    # progress and errors ----------------------------------------------------------------------------
    def _show_progress(self, label: str, *, cancellable: bool = False) -> None:
        self.progress.setRange(0, 0)
        self.progress.setFormat(label + " %v/%m")
        self.progress.show()
        self.cancel_button.setVisible(cancellable)
        self.cancel_button.setEnabled(cancellable)

    def _hide_progress(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()

    def _progress(self, done: int, total: int, label: str) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        self.progress.setToolTip(literal(label))
        self.statusBar().showMessage(f"{label} ({done:,}/{total:,})" if total else label)

    def _known_error(self, message: str, _known: bool = True) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, tr("Archive Browser"), message, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)  # a message may quote a tag, a title or a query
        box.open()
        self.error_box = box

    def show_bug(self, details: str) -> None:
        log = write_crash_log(details)
        dialog = CrashDialog(details, log, self)
        dialog.setModal(False)
        dialog.show()
        self.last_crash = dialog

    # remembering the layout -------------------------------------------------------------------------
    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        state = self.settings.value("window/state")
        if state is not None:
            self.restoreState(state)
        for splitter in (self.main_split, self.reader_split):
            saved = self.settings.value(f"window/{splitter.objectName()}")
            if saved is not None:
                splitter.restoreState(saved)
        header = self.settings.value("table/header")
        if header is not None:
            self.table.horizontalHeader().restoreState(header)

    def save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        for splitter in (self.main_split, self.reader_split):
            self.settings.setValue(f"window/{splitter.objectName()}", splitter.saveState())
        self.settings.setValue("table/header", self.table.horizontalHeader().saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self.backup_timer.stop()
        if self.import_task is not None:
            self.import_task.cancel()
        for runner in (self.reads, self.counts, self.writes):
            runner.wait()
        if self.library is not None:
            self.library.close()
            self.library = None
        super().closeEvent(event)


class EditCommand(QUndoCommand):
    """An edit already done in the archive: undo and redo ask the archive to replay it."""

    def __init__(self, window: MainWindow, edit: Edit) -> None:
        super().__init__(edit.label)
        self.window = window
        self.edit = edit
        self.done = True  # pushed after the edit ran: the first redo() that push() makes does nothing

    def undo(self) -> None:
        self.window.replay(self.edit, backwards=True)

    def redo(self) -> None:
        if self.done:
            self.done = False
            return
        self.window.replay(self.edit, backwards=False)


def _note_and_tags(text: str) -> tuple[str, list[str]]:
    """A note, and the tags of its last line when that line reads ``tags: A, B/C``."""
    lines = text.strip().splitlines()
    if lines and lines[-1].lower().startswith("tags:"):
        tags = [tag.strip() for tag in lines[-1][5:].split(",") if tag.strip()]
        return "\n".join(lines[:-1]).strip(), tags
    return text.strip(), []


def _bool(value: object) -> bool:
    return value if isinstance(value, bool) else str(value).lower() in ("true", "1", "yes")
