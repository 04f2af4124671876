"""The library: one open archive (:class:`Library`) and its capabilities, each a small module.

``library.articles``, ``library.search``, ``library.tags``, ``library.notes``, ``library.annotations``,
``library.imports``, ``library.exports``, ``library.vocabulary``, ``library.backups``, ``library.index``,
``library.check`` and ``library.edits``; sessions and caches are in ``unit_of_work``, the index queue in
``indexing``. The window and the CLI use only what this module exports.
"""

from __future__ import annotations

from desktop.library.backups import KEEP_BACKUPS
from desktop.library.facade import Library, format_samples, open_default_archive, sample_files
from desktop.library.indexing import INDEX_BATCH
from desktop.library.search import SEARCH_LIMIT, SORT_ORDERS, Browse, SearchResult
from desktop.library.unit_of_work import Cancelled, Progress
from desktop.store.journal import Edit

__all__ = [
    "INDEX_BATCH",
    "KEEP_BACKUPS",
    "SEARCH_LIMIT",
    "SORT_ORDERS",
    "Browse",
    "Cancelled",
    "Edit",
    "Library",
    "Progress",
    "SearchResult",
    "format_samples",
    "open_default_archive",
    "sample_files",
]
