"""Drawing a search result: the title, then the snippet with its hits highlighted (never rendered as HTML)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QTextCharFormat, QTextLayout, QTextOption
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop.ui.article_model import SNIPPET_ROLE
from desktop.ui.text import snippet_segments

HIT_LIGHT = QColor("#ffe066")
HIT_DARK = QColor("#8a6d00")
SNIPPET_LINES = 2


def hit_color(palette: QPalette) -> QColor:
    return HIT_DARK if palette.color(QPalette.ColorRole.Base).lightness() < 128 else HIT_LIGHT


class SnippetDelegate(QStyledItemDelegate):
    """Title in bold and, under it, the snippet: ``<mark>`` spans drawn with a highlight, all else as plain text."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        snippet = index.data(SNIPPET_ROLE)
        if not snippet:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget is not None else QApplication.style()
        title = option.text
        option.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_color = option.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        rect = QRectF(option.rect.adjusted(4, 2, -4, -2))
        painter.save()
        painter.setClipRect(option.rect)
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text_color)
        line_height = option.fontMetrics.height()
        painter.drawText(QRectF(rect.left(), rect.top(), rect.width(), line_height), Qt.TextFlag.TextSingleLine, title)
        self._draw_snippet(
            painter,
            option,
            snippet,
            QRectF(rect.left(), rect.top() + line_height + 2, rect.width(), rect.height() - line_height - 2),
            text_color,
        )
        painter.restore()

    @staticmethod
    def _draw_snippet(painter: QPainter, option: QStyleOptionViewItem, snippet: str, rect: QRectF, color: QColor) -> None:
        text = ""
        formats = []
        for piece, hit in snippet_segments(snippet):
            if hit:
                fmt = QTextCharFormat()
                fmt.setBackground(hit_color(option.palette))
                fmt.setForeground(QColor("black") if hit_color(option.palette) == HIT_LIGHT else QColor("white"))
                selection = QTextLayout.FormatRange()
                selection.start, selection.length, selection.format = len(text), len(piece), fmt
                formats.append(selection)
            text += piece
        layout = QTextLayout(text, option.font)
        text_option = QTextOption()
        text_option.setWrapMode(QTextOption.WrapMode.WordWrap)
        layout.setTextOption(text_option)
        layout.setFormats(formats)
        layout.beginLayout()
        y = 0.0
        for _ in range(SNIPPET_LINES):
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(rect.width())
            line.setPosition(QPointF(0, y))
            y += line.height()
        layout.endLayout()
        painter.setPen(color)
        layout.draw(painter, rect.topLeft())

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        if index.data(SNIPPET_ROLE):
            size.setHeight(option.fontMetrics.height() * (1 + SNIPPET_LINES) + 8)
        return size
