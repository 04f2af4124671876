"""The main window: lays out the sidebar, the search bar, the table and the reader, and wires the flows that act.

What each command does lives in its flow (importing, exporting, tagging, editing, search_bar, browsing, session),
run through ``operations.Operations``; the commands themselves are declared in ``actions.ACTIONS``.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QMainWindow, QSplitter, QVBoxLayout, QWidget

from desktop.library import Library
from desktop.ui.actions import WindowActions
from desktop.ui.browsing import Browser
from desktop.ui.dialogs import ShortcutsDialog
from desktop.ui.editing import EditFlow
from desktop.ui.exporting import ExportFlow
from desktop.ui.facets import FacetPanel
from desktop.ui.importing import ImportFlow
from desktop.ui.operations import Operations
from desktop.ui.reader import Reader
from desktop.ui.search_bar import SearchBar
from desktop.ui.session import ArchiveSession, OpenLibrary
from desktop.ui.status import StatusArea
from desktop.ui.tagging import TagFlow
from desktop.ui.text import tr

# Hand the interpreter lock to the GUI thread every 0.5 ms instead of 5 ms while workers run Python
# code: measured, the longest event-loop gap during an import fell from ~100 ms to ~40 ms.
GIL_SWITCH_INTERVAL_S = 0.0005
THEMES = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark, "system": Qt.ColorScheme.Unknown}


class MainWindow(QMainWindow):
    """Opens the archive in a worker, shows the table first, and catches the index up in the background."""

    archive_ready = Signal()
    view_updated = Signal()  # the table shows the latest query (tests wait on this)
    facets_updated = Signal()
    article_shown = Signal(int)
    import_finished = Signal(object)  # the ImportReport, or None when the import failed
    exported = Signal(str)
    edited = Signal()  # the archive changed (an edit, an undo or redo, an import) and the views were asked to refresh

    def __init__(self, open_library: OpenLibrary, *, settings: QSettings | None = None, prepare_index: bool = True) -> None:
        super().__init__()
        sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
        self.setWindowTitle(tr("Archive Browser"))
        self.setAcceptDrops(True)
        self.settings = settings or QSettings()
        # the parts: views, and the flows that act through the operations
        self.ops = Operations(self)
        self.status = StatusArea(self.statusBar())
        self.search = SearchBar(self.ops, self.status, self.settings)
        self.facets = FacetPanel()
        self.reader = Reader()
        self.browser = Browser(self.ops, self.settings, self.search, self.facets, self.reader, self.status, self)
        self.session = ArchiveSession(self.ops, self.status, self.settings, self, prepare_index=prepare_index)
        self.importer = ImportFlow(self.ops, self.status, self)
        self.exporter = ExportFlow(self.ops, self.status, self.settings, self.search, self.browser.table, self)
        self.tagging = TagFlow(self.ops, self.browser.table, self.status, self)
        self.editing = EditFlow(self.ops, self.reader, self.browser.table, self.status, self)
        self.main_split = QSplitter(Qt.Orientation.Horizontal)
        self.reader_split = QSplitter(Qt.Orientation.Vertical)
        self._lay_out()
        self.window_actions = WindowActions(self, self.browser.table, self.ops.undo_stack)
        self._wire()
        self._restore_layout()
        theme = str(self.settings.value("view/theme", "system"))
        self.window_actions[f"theme_{theme if theme in THEMES else 'system'}"].setChecked(True)
        self.set_theme(theme, remember=False)
        self.session.open(open_library)

    @property
    def library(self) -> Library | None:
        """The open archive (None until it is open, and after the window closed)."""
        return self.ops.library

    # building ---------------------------------------------------------------------------------------
    def _lay_out(self) -> None:
        """Sidebar | (search bar over (table over reader)), the splitters named so their sizes are remembered."""
        self.reader_split.setObjectName("readerSplit")
        self.reader_split.addWidget(self.browser.stack)
        self.reader_split.addWidget(self.reader)
        self.reader_split.setStretchFactor(0, 2)
        self.reader_split.setStretchFactor(1, 3)
        self.reader_split.setSizes([320, 480])
        center = QWidget()
        center_layout = QVBoxLayout(center)
        center_layout.setContentsMargins(0, 0, 0, 0)
        center_layout.addWidget(self.search)
        center_layout.addWidget(self.reader_split, 1)
        self.main_split.setObjectName("mainSplit")
        self.main_split.addWidget(self.facets)
        self.main_split.addWidget(center)
        self.main_split.setStretchFactor(1, 1)
        self.main_split.setSizes([230, 970])
        self.setCentralWidget(self.main_split)

    def _wire(self) -> None:
        """Who tells whom: the flows' signals to the views, and to the window's own signals (which tests and benches wait on)."""
        session, browser, search, facets = self.session, self.browser, self.search, self.facets
        session.opened.connect(self._opened)
        session.open_failed.connect(lambda: browser.empty.setText(tr("The archive could not be opened.")))
        session.index_ready.connect(browser.index_ready)
        session.index_rebuilt.connect(browser.reload)
        browser.index_damaged.connect(session.rebuild_once_damaged)
        self.ops.changed.connect(browser.after_change)
        self.ops.changed.connect(self.edited)  # after the views were asked to refresh
        search.saved_listed.connect(facets.set_saved)
        save = self.window_actions["save_search"]  # the box's button is the same command: enabled with it
        search.save_button.setEnabled(save.isEnabled())
        save.enabledChanged.connect(search.save_button.setEnabled)
        facets.narrow.connect(search.narrow)
        facets.run_saved.connect(lambda _name, query: search.set_query(query))
        facets.tag_menu_requested.connect(self.tagging.tag_menu)
        browser.view_updated.connect(self.view_updated)
        browser.facets_updated.connect(self.facets_updated)
        browser.article_shown.connect(self.article_shown)
        self.importer.finished.connect(self.import_finished)
        self.exporter.exported.connect(self.exported)

    def _opened(self, folder: str, read_only: bool) -> None:
        self.window_actions.set_archive(is_open=True, writable=not read_only)
        self.setWindowTitle(tr("Archive Browser — {folder}").format(folder=folder) + (tr(" (read-only)") if read_only else ""))
        self.browser.refresh()
        self.search.reload_saved()
        self.archive_ready.emit()

    # commands the window itself answers ---------------------------------------------------------------
    def show_shortcuts(self) -> None:
        ShortcutsDialog(self.window_actions.shortcuts(), self).exec()

    def set_theme(self, key: str, *, remember: bool = True) -> None:
        QGuiApplication.styleHints().setColorScheme(THEMES.get(key, Qt.ColorScheme.Unknown))
        if remember:
            self.settings.setValue("view/theme", key)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.importer.accepts(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        if self.importer.drop(event.mimeData()):
            event.acceptProposedAction()

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
            self.browser.table.horizontalHeader().restoreState(header)

    def save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        for splitter in (self.main_split, self.reader_split):
            self.settings.setValue(f"window/{splitter.objectName()}", splitter.saveState())
        self.settings.setValue("table/header", self.browser.table.horizontalHeader().saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self.session.stop()
        self.importer.cancel()
        self.ops.shut_down()
        super().closeEvent(event)
