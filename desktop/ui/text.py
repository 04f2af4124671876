"""Translatable strings and small text helpers for the window."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import Qt

_MARK = re.compile(r"<mark>(.*?)</mark>", re.DOTALL)


def tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """Qt's translation function, so a Vietnamese translation can follow."""
    return QCoreApplication.translate("ArchiveBrowser", text, disambiguation, n)


def snippet_segments(snippet: str) -> list[tuple[str, bool]]:
    """Split a ``<mark>`` snippet into ``(plain text, is_hit)`` pieces, entities decoded (never rendered as HTML)."""
    segments: list[tuple[str, bool]] = []
    position = 0
    for match in _MARK.finditer(snippet):
        if match.start() > position:
            segments.append((html.unescape(snippet[position : match.start()]), False))
        segments.append((html.unescape(match.group(1)), True))
        position = match.end()
    if position < len(snippet):
        segments.append((html.unescape(snippet[position:]), False))
    return segments


def literal(text: str) -> str:
    """``text`` for a widget that guesses rich text (a tooltip, a dialog's label): shown as typed, markup and all.

    Qt renders a string whose first line holds a tag (``<b>``, ``<img src=…>``) as HTML; an article's
    title, a note or a tag name must never be, so it goes to such widgets escaped, as a paragraph.
    """
    return Qt.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate looks for
    """Mark ``text`` for lupdate in ``context`` (which must be "ArchiveBrowser", ``tr``'s) without translating it yet.

    For text declared before a translator is installed (actions, the facets' labels): ``tr`` translates it when shown.
    PySide6's own QT_TRANSLATE_NOOP does the same but is typed to return ``object``.
    """
    del context
    return text
