"""Errors a user can act on (shown in plain words) as opposed to bugs (shown with a traceback)."""

from __future__ import annotations


class KnownError(Exception):
    """An error with a message meant for the archivist, not a developer."""


class ArchiveLockedError(KnownError):
    """Another process already holds the archive open for writing."""


class ReadOnlyArchiveError(KnownError):
    """A write was asked of an archive opened read-only."""


class ArticleNotFoundError(KnownError):
    """No article has the requested id."""


class IndexUnavailableError(KnownError):
    """The search index is being prepared or rebuilt; search works again in a moment."""
