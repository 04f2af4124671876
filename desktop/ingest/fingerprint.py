"""An article text's fingerprint: equal for texts that differ only in whitespace (how duplicates are found)."""

from __future__ import annotations

import hashlib

from desktop.core.text import collapse_whitespace


def text_hash(text: str) -> str:
    """The SHA-256 (hex) of ``text`` with its whitespace collapsed."""
    return hashlib.sha256(collapse_whitespace(text).encode("utf-8")).hexdigest()
