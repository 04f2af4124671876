"""Archive Browser: read, search, annotate and report on a news archive."""

__version__ = "0.1.0"
