"""What the table, the sidebar and the reader show: the query, the sort, the facet counts, the pages of rows, the article read."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import QLabel, QStackedWidget

from desktop.core.models import AnnotationRecord, ArticleDetail, ArticleRow, NoteRecord
from desktop.library import Browse, Library
from desktop.ui.article_model import ArticleTableModel
from desktop.ui.article_table import ArticleTable
from desktop.ui.facets import FacetPanel
from desktop.ui.operations import Operations
from desktop.ui.reader import Reader
from desktop.ui.search_bar import SearchBar
from desktop.ui.status import StatusArea
from desktop.ui.text import tr
from desktop.ui.workers import Context

ArticleView = tuple[ArticleDetail, str, list[tuple[int, int]], list[AnnotationRecord], list[NoteRecord]]
FacetCounts = tuple[dict[str, list[tuple[str, int]]], dict[str, str]]


def _bool(value: object) -> bool:
    return value if isinstance(value, bool) else str(value).lower() in ("true", "1", "yes")


class Browser(QObject):
    """Asks the archive in the background for what the views show; a newer ask always wins over an older one."""

    view_updated = Signal()  # the table shows the latest query
    facets_updated = Signal()
    article_shown = Signal(int)
    index_damaged = Signal()  # a search found the index's files damaged (in an archive open for writing)

    def __init__(
        self,
        ops: Operations,
        settings: QSettings,
        search: SearchBar,
        facets: FacetPanel,
        reader: Reader,
        status: StatusArea,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._settings = settings
        self.search = search
        self.facets = facets
        self.reader = reader
        self.status = status
        self.browse_sort = (str(settings.value("table/sort", "date")), _bool(settings.value("table/descending", True)))
        self.search_sort: tuple[str, bool] = ("relevance", False)
        self.shown_query = ""
        self.view_generation = 0
        self.facets_query: str | None = None
        self.facets_stale = True
        self.article_generation = 0
        self.model = ArticleTableModel(self.request_page)
        self.table = ArticleTable(self.model, self.browse_sort)
        self.model.sort_requested.connect(self.sort_requested)  # after the table's first sort by its indicator
        self.table.selectionModel().selectionChanged.connect(self.selection_changed)
        self.empty = QLabel(tr("Opening the archive…"))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget()  # the table, or a line saying why it is empty
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.table)
        search.search_requested.connect(self.refresh)
        search.enter_pressed.connect(self.enter_pressed)

    # the query and its order -------------------------------------------------------------------------
    def current_sort(self) -> tuple[str, bool]:
        return self.search_sort if self.search.query() else self.browse_sort

    def sort_requested(self, column: str, descending: bool) -> None:
        if self.search.query():
            self.search_sort = (column, descending)
        else:
            self.browse_sort = (column, descending)
            self._settings.setValue("table/sort", column)
            self._settings.setValue("table/descending", descending)
        self.refresh()

    def sort_by_relevance(self) -> None:
        self.search_sort = ("relevance", False)
        self.refresh()

    def enter_pressed(self, backwards: bool) -> None:
        """Enter in the box steps through the hits of the search shown, else searches now."""
        if self.search.query() == self.shown_query and self.reader.hits:
            (self.reader.previous_hit if backwards else self.reader.next_hit)()
        else:
            self.refresh()

    def reload(self) -> None:
        """Ask again for everything, facet counts included (the index was rebuilt, or became ready)."""
        self.facets_stale = True
        self.refresh()

    def after_change(self) -> None:
        """The archive changed: rows, counts and the article read are asked again."""
        self.facets_stale = True
        self.model.refresh_rows()
        self.refresh()
        current = self.model.article_id(self.table.currentIndex().row())
        if current is not None:
            self.open_article(current)

    def index_ready(self) -> None:
        if self.shown_query:
            self.reload()

    # the table and the facets ------------------------------------------------------------------------
    def refresh(self) -> None:
        """Ask for the ids of the current query, then for its facets; facet counts are not asked again for a new sort."""
        library = self._ops.library
        if library is None:
            return
        query = self.search.query()
        if query != self.shown_query and query:
            self.search_sort = ("relevance", False)
        sort, descending = self.current_sort()
        self.view_generation += 1
        generation = self.view_generation

        def view(library: Library, _context: Context) -> tuple[Browse, int] | None:
            if generation != self.view_generation:
                return None  # typed on since: skip the stale ask (the runner is serial, it would delay the new one)
            return library.search.browse(query, sort=sort, descending=descending), library.articles.count()

        (
            self._ops.op(view)
            .success(lambda result: self._show_view(generation, query, result))
            .known_error(lambda message: self._view_failed(generation, message))
            .read()
        )
        if query != self.facets_query or self.facets_stale:
            self.facets_query = query
            self.facets_stale = False

            def facets(library: Library, _context: Context) -> FacetCounts | None:
                if generation != self.view_generation:
                    self.facets_stale = True
                    return None
                colours = {tag.name: tag.color for tag in library.tags.all() if tag.color}
                return library.search.facets(query), colours

            self._ops.op(facets).success(lambda counts: self._show_facets(generation, counts)).silent().count()

    def _show_facets(self, generation: int, result: FacetCounts | None) -> None:
        if result is not None and generation == self.view_generation:
            counts, colours = result
            self.facets.set_facets(counts)
            self.facets.set_tag_colours(colours)
            self.facets_updated.emit()

    def _show_view(self, generation: int, query: str, result: tuple[Browse, int] | None) -> None:
        if result is None or generation != self.view_generation:
            return  # the user has typed on since
        browse, total = result
        selected = self.table.selected_ids()
        self.shown_query = query
        self.model.set_ids(browse.ids, query if browse.searched else "")
        self.table.show_snippets(browse.searched)
        self.table.show_sort(*self.current_sort())
        self.search.explain(browse.explanation or "")
        if browse.ids:
            self.stack.setCurrentWidget(self.table)
        else:
            self.empty.setText(
                tr("No articles yet: drop files here or use Import… (Ctrl+I)") if total == 0 else tr("No articles match this search.")
            )
            self.stack.setCurrentWidget(self.empty)
        self.status.show_count(len(browse.ids), total, browse.total if browse.searched else None)
        if query and browse.ids:
            self.search.remember(query)
        if self.model.rowCount():
            self.table.reselect(selected)
        else:
            self.reader.clear()
        self.view_updated.emit()
        self._ops.op(lambda library, _context: library.search.warm()).silent().count()

    def _view_failed(self, generation: int, message: str) -> None:
        if generation != self.view_generation:
            return
        self.search.explain(message)
        self.view_updated.emit()
        library = self._ops.library
        if library is not None and library.index.damaged and not library.read_only:
            self.index_damaged.emit()

    def request_page(self, ids: list[int], page: int, generation: int) -> None:
        """The model asks for the rows of one page (the answer is dropped if the table moved on)."""
        query = self.model.query
        (
            self._ops.op(lambda library, _context: library.search.rows(ids, query))
            .success(lambda rows: self._rows_arrived(generation, page, rows))
            .known_error(lambda _message: None)
            .read()
        )

    def _rows_arrived(self, generation: int, page: int, rows: dict[int, ArticleRow]) -> None:
        self.model.add_rows(generation, page, rows)

    # the article read ----------------------------------------------------------------------------------
    def selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        article_id = self.table.current_id()
        if article_id is not None:
            self.open_article(article_id)

    def open_article(self, article_id: int) -> None:
        """Read an article with the hits of the search shown lit, its annotations and its notes."""
        query = self.shown_query if self.model.query else ""
        self.article_generation += 1
        generation = self.article_generation

        def read(library: Library, _context: Context) -> ArticleView:
            article = library.articles.get(article_id)
            original = library.articles.original_text(article_id)
            hits = library.search.hit_spans(article_id, query) if query and library.index.ready else []
            return article, original, hits, library.annotations.of(article_id), library.notes.of(article_id)

        self._ops.op(read).success(lambda result: self._show_article(generation, result)).known_error(self.reader.clear).read()

    def _show_article(self, generation: int, result: ArticleView) -> None:
        if generation != self.article_generation:
            return
        article, original, hits, annotations, notes = result
        self.reader.show_article(article, original, hits, annotations, notes)
        self.article_shown.emit(article.id)
