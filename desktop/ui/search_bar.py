"""The search bar: the box (searched as you type, slow queries on Enter), its history, saved searches, the fallback explanation."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, QSettings, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCompleter, QHBoxLayout, QInputDialog, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from desktop.library import Library
from desktop.ui.operations import Operations
from desktop.ui.status import StatusArea
from desktop.ui.text import literal, tr
from desktop.ui.workers import Context

SEARCH_DELAY_MS = 250
HISTORY_SIZE = 50
# phrases, wildcards and fuzzy words are searched on Enter only: they are the slow queries
_HEAVY = re.compile(r'["*?~]')


class SearchBar(QWidget):
    """Says when to search (``search_requested``) and when Enter should step through hits instead (``enter_pressed``)."""

    search_requested = Signal()
    enter_pressed = Signal(bool)  # backwards (Shift held)
    saved_listed = Signal(list)  # [(name, query)] after the saved searches were read

    def __init__(self, ops: Operations, status: StatusArea, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._status = status
        self._settings = settings
        saved_history = settings.value("search/history", [])
        self.history: list[str] = [str(item) for item in saved_history] if isinstance(saved_history, list) else []
        self.saved_names: list[tuple[str, str]] = []
        self.box = QLineEdit()
        self.box.setPlaceholderText(tr('Search: words, "phrases", title:, agency:, date:2023, viet*, quan~ … (Ctrl+F)'))
        self.box.setClearButtonEnabled(True)
        self.box.installEventFilter(self)
        self.history_model = QStringListModel(self.history, self)
        completer = QCompleter(self.history_model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.box.setCompleter(completer)
        self.save_button = QPushButton(tr("Save search…"))
        self.explanation = QLabel()
        self.explanation.setObjectName("explanation")
        self.explanation.setTextFormat(Qt.TextFormat.PlainText)
        self.explanation.setWordWrap(True)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.search_requested)
        self.box.textEdited.connect(self._typed)
        self.save_button.clicked.connect(self.save_search)
        row = QHBoxLayout()
        row.addWidget(self.box, 1)
        row.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.explanation)

    def query(self) -> str:
        return self.box.text().strip()

    def focus(self) -> None:
        self.box.setFocus()
        self.box.selectAll()

    def set_query(self, query: str) -> None:
        self.box.setText(query)
        self.search_requested.emit()

    def narrow(self, clause: str) -> None:
        """Add a facet's clause to the query, so the narrowed search can be saved like any other."""
        query = self.query()
        if clause not in query:
            query = f"{query} {clause}".strip()
        self.set_query(query)

    def explain(self, text: str) -> None:
        """Say how the query was read when it was not as typed (a broken phrase, an unknown field), or why it failed."""
        self.explanation.setText(text)
        self.explanation.setVisible(bool(text))

    def _typed(self, text: str) -> None:
        if _HEAVY.search(text):
            self.timer.stop()  # wait for Enter
        else:
            self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        is_enter = (
            isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        )
        if watched is self.box and is_enter and isinstance(event, QKeyEvent):
            self.timer.stop()
            self.enter_pressed.emit(bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
            return True
        return super().eventFilter(watched, event)

    def remember(self, query: str) -> None:
        """Put a query that found something first in the history (kept in the settings)."""
        if query in self.history:
            self.history.remove(query)
        self.history.insert(0, query)
        del self.history[HISTORY_SIZE:]
        self.history_model.setStringList(self.history)
        self._settings.setValue("search/history", self.history)

    # saved searches --------------------------------------------------------------------------------
    def reload_saved(self) -> None:
        self._ops.op(lambda library, _context: library.vocabulary.saved_searches()).success(self._saved_listed).read()

    def _saved_listed(self, saved: list[tuple[str, str]]) -> None:
        self.saved_names = saved
        self.saved_listed.emit(saved)

    def save_search(self) -> None:
        query = self.query()
        if self._ops.library is None or not query:
            self._status.message(tr("Type a search first, then save it."), 5000)
            return
        name, ok = QInputDialog.getText(self, tr("Save search"), literal(tr("Name for “{query}”:").format(query=query)), text=query)
        if ok and name.strip():

            def save(library: Library, _context: Context) -> None:
                library.vocabulary.save_search(name, query)

            self._ops.op(save).success(lambda _value: self.reload_saved()).write()
