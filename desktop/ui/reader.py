"""The reader: an article's clean text with boilerplate hidden, every search hit lit, F3 to step through them."""

from __future__ import annotations

import html
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.core.models import AnnotationRecord, ArticleDetail, NoteRecord, Span
from desktop.ui.delegates import hit_color
from desktop.ui.text import literal, tr

CURRENT_HIT = QColor("#ff9f43")
ANNOTATION = QColor("#b8e0d2")
NOTE_ROLE = Qt.ItemDataRole.UserRole + 1  # passages the archivist annotated: distinct from search hits
PRECISIONS = {"day": "", "month": "month only", "year": "year only", "month-day": "year unknown", "unknown": "date unknown"}


@dataclass(frozen=True, slots=True)
class ReadingText:
    """The clean text without its boilerplate, and how offsets move between the two."""

    text: str
    _clean_starts: tuple[int, ...]  # where each kept piece starts in the clean text
    _reading_starts: tuple[int, ...]  # and in the reading text

    @classmethod
    def build(cls, text: str, boilerplate: Sequence[Span]) -> ReadingText:
        parts: list[str] = []
        clean_starts: list[int] = []
        reading_starts: list[int] = []
        position = 0
        length = 0
        for span in [*sorted(boilerplate, key=lambda s: s.start), Span(len(text), len(text), "end")]:
            if span.start < position:
                continue
            clean_starts.append(position)
            reading_starts.append(length)
            parts.append(text[position : span.start])
            length += span.start - position
            position = span.end
        return cls("".join(parts), tuple(clean_starts), tuple(reading_starts))

    def offset(self, clean: int) -> int:
        """Where a clean-text offset lands in the reading text (inside boilerplate: where it was cut)."""
        index = max(0, bisect_right(self._clean_starts, clean) - 1)
        piece_end = self._reading_starts[index + 1] if index + 1 < len(self._reading_starts) else len(self.text)
        return min(self._reading_starts[index] + clean - self._clean_starts[index], piece_end)

    def clean_offset(self, reading: int) -> int:
        """Where a reading-text offset (a selection in the reader) is in the clean text."""
        index = max(0, bisect_right(self._reading_starts, reading) - 1)
        return self._clean_starts[index] + reading - self._reading_starts[index]


class Reader(QWidget):
    """Shows one article as text only: markup inside an article never renders or runs."""

    note_edit_requested = Signal(int)  # note id (double-click a note)
    annotation_edit_requested = Signal(int)  # annotation id (double-click a passage)
    delete_requested = Signal(str, int)  # "note" or "annotation", id (Delete key in the list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.RichText)  # built from escaped values only
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hit_label = QLabel()
        self.previous_button = QPushButton(tr("Previous hit"))
        self.next_button = QPushButton(tr("Next hit"))
        self.original_toggle = QCheckBox(tr("Show the original as imported"))
        self.body = QPlainTextEdit()
        self.body.setReadOnly(True)
        self.body.setObjectName("readerBody")
        self.annotation_list = QListWidget()
        self.annotation_list.setObjectName("annotations")
        self.annotation_list.setMaximumHeight(110)
        self.annotation_list.itemClicked.connect(self._annotation_clicked)
        self.annotation_list.itemDoubleClicked.connect(self._item_double_clicked)
        self.annotation_list.installEventFilter(self)
        self.review_label = QLabel()
        self.review_label.setObjectName("needsReview")
        bar = QHBoxLayout()
        bar.addWidget(self.hit_label)
        bar.addStretch(1)
        bar.addWidget(self.original_toggle)
        bar.addWidget(self.previous_button)
        bar.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.header)
        layout.addLayout(bar)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.review_label)
        layout.addWidget(self.annotation_list)
        self.previous_button.clicked.connect(self.previous_hit)
        self.next_button.clicked.connect(self.next_hit)
        self.original_toggle.toggled.connect(self._show_text)
        self.article: ArticleDetail | None = None
        self.original_text = ""
        self.reading: ReadingText | None = None
        self.hits: list[tuple[int, int]] = []
        self.annotations: list[AnnotationRecord] = []
        self.notes: list[NoteRecord] = []
        self.current = -1
        self.clear()

    def clear(self, message: str | None = None) -> None:
        self.article = None
        self.reading = None
        self.hits = []
        self.annotations = []
        self.notes = []
        self.annotation_list.clear()
        self.review_label.hide()
        self.current = -1
        self.header.setText(html.escape(message or tr("Select an article to read it.")))
        self.body.setPlainText("")
        self._update_hit_controls()

    def show_article(
        self,
        article: ArticleDetail,
        original_text: str,
        hits: Sequence[tuple[int, int]],
        annotations: Sequence[AnnotationRecord] = (),
        notes: Sequence[NoteRecord] = (),
    ) -> None:
        self.article = article
        self.annotations = list(annotations)
        self.notes = list(notes)
        self._list_annotations()
        self.original_text = original_text
        self.reading = ReadingText.build(article.text, article.boilerplate)
        self.hits = [(self.reading.offset(start), self.reading.offset(end)) for start, end in hits]
        self.current = 0 if self.hits else -1
        self.header.setText(_header(article))
        self._show_text()

    def _show_text(self) -> None:
        if self.article is None or self.reading is None:
            return
        original = self.original_toggle.isChecked()
        self.body.setPlainText(self.original_text if original else self.reading.text)
        self._paint_hits(show=not original)
        if self.hits and not original:
            self._scroll_to_current()
        else:
            self.body.moveCursor(QTextCursor.MoveOperation.Start)
        self._update_hit_controls()

    def _list_annotations(self) -> None:
        self.annotation_list.clear()
        for note in self.notes:
            item = QListWidgetItem("📝 " + note.body.replace("\n", " ") + f"  ({note.modified_at[:10]})")
            item.setToolTip(literal(note.body + "\n\n" + tr("Double-click to edit, Delete to remove.")))
            item.setData(NOTE_ROLE, note.id)
            self.annotation_list.addItem(item)
        review = 0
        for record in self.annotations:
            flag = ""
            if record.status != "anchored":
                review += 1
                flag = "⚠ " + tr("needs review") + ": "
            tags = f"  [{', '.join(record.tags)}]" if record.tags else ""
            item = QListWidgetItem(f"{flag}“{record.exact}” — {record.note}{tags}")
            item.setData(Qt.ItemDataRole.UserRole, record.id)
            self.annotation_list.addItem(item)
        self.annotation_list.setVisible(bool(self.annotations or self.notes))
        self.review_label.setText(tr("{n} annotations need your attention").format(n=review))
        self.review_label.setVisible(review > 0)

    def _item_double_clicked(self, item: QListWidgetItem) -> None:
        if item.data(NOTE_ROLE) is not None:
            self.note_edit_requested.emit(int(item.data(NOTE_ROLE)))
        elif item.data(Qt.ItemDataRole.UserRole) is not None:
            self.annotation_edit_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        is_delete = isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Delete
        item = self.annotation_list.currentItem()
        if watched is self.annotation_list and is_delete and item is not None:
            if item.data(NOTE_ROLE) is not None:
                self.delete_requested.emit("note", int(item.data(NOTE_ROLE)))
            elif item.data(Qt.ItemDataRole.UserRole) is not None:
                self.delete_requested.emit("annotation", int(item.data(Qt.ItemDataRole.UserRole)))
            return True
        return super().eventFilter(watched, event)

    def _annotation_clicked(self, item: QListWidgetItem) -> None:
        if item.data(Qt.ItemDataRole.UserRole) is None:
            return  # a note, not a passage
        annotation_id = int(item.data(Qt.ItemDataRole.UserRole))
        record = next((a for a in self.annotations if a.id == annotation_id), None)
        if record is not None and self.reading is not None and record.status == "anchored" and not self.original_toggle.isChecked():
            cursor = self.body.textCursor()
            cursor.setPosition(self.reading.offset(record.start))
            self.body.setTextCursor(cursor)
            self.body.centerCursor()

    def selected_passage(self) -> tuple[int, int] | None:
        """The selection in the reader as clean-text offsets, or None when nothing is selected."""
        cursor = self.body.textCursor()
        if self.reading is None or not cursor.hasSelection() or self.original_toggle.isChecked():
            return None
        start = self.reading.clean_offset(cursor.selectionStart())
        end = self.reading.clean_offset(cursor.selectionEnd())
        return (start, end) if end > start else None

    def _paint_hits(self, *, show: bool) -> None:
        selections = []
        if show:
            annotated = QTextCharFormat()
            annotated.setBackground(ANNOTATION)
            annotated.setFontUnderline(True)
            for record in self.annotations:
                if record.status != "anchored" or self.reading is None:
                    continue
                selection = QTextEdit.ExtraSelection()
                cursor = self.body.textCursor()
                cursor.setPosition(self.reading.offset(record.start))
                cursor.setPosition(self.reading.offset(record.end), QTextCursor.MoveMode.KeepAnchor)
                selection.cursor = cursor
                selection.format = annotated
                selections.append(selection)
            base = hit_color(self.body.palette())
            for number, (start, end) in enumerate(self.hits):
                selection = QTextEdit.ExtraSelection()
                cursor = self.body.textCursor()
                cursor.setPosition(start)
                cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                fmt = QTextCharFormat()
                fmt.setBackground(CURRENT_HIT if number == self.current else base)
                selection.cursor = cursor
                selection.format = fmt
                selections.append(selection)
        self.body.setExtraSelections(selections)

    def _scroll_to_current(self) -> None:
        start, _end = self.hits[self.current]
        cursor = self.body.textCursor()
        cursor.setPosition(start)  # no selection: it would hide the current hit's own colour
        self.body.setTextCursor(cursor)
        self.body.centerCursor()

    def _update_hit_controls(self) -> None:
        total = len(self.hits)
        has = total > 0 and not self.original_toggle.isChecked()
        self.previous_button.setEnabled(has)
        self.next_button.setEnabled(has)
        self.hit_label.setText(tr("Hit {n} of {total}").format(n=self.current + 1, total=total) if has else "")

    def next_hit(self) -> None:
        self._step(1)

    def previous_hit(self) -> None:
        self._step(-1)

    def _step(self, delta: int) -> None:
        if not self.hits or self.original_toggle.isChecked():
            return
        self.current = (self.current + delta) % len(self.hits)
        self._paint_hits(show=True)
        self._scroll_to_current()
        self._update_hit_controls()

    def current_hit_text(self) -> str:
        if self.reading is None or self.current < 0:
            return ""
        start, end = self.hits[self.current]
        return self.reading.text[start:end]


def _header(article: ArticleDetail) -> str:
    summary = article.summary
    date = summary.date or tr("no date")
    precision = PRECISIONS.get(summary.date_precision, "")
    facts = [
        (tr("Agency"), summary.agency or "—"),
        (tr("Place"), summary.place or "—"),
        (tr("Date"), f"{date} ({tr(precision)})" if precision and summary.date else date),
        (tr("Title from"), tr(summary.title_kind)),
        (tr("Source"), article.source),
        (tr("SHA-256"), article.sha256),
    ]
    siblings = [f"#{other}" for other in article.cluster if other != article.id]
    if siblings:
        facts.append((tr("Near-duplicates"), ", ".join(siblings)))
    if article.tags:
        facts.append((tr("Tags"), ", ".join(article.tags)))
    rows = "".join(f"<tr><td><b>{html.escape(name)}</b></td><td>{html.escape(value)}</td></tr>" for name, value in facts)
    return f"<h3>{html.escape(summary.title)}</h3><table cellspacing='2'>{rows}</table>"
