"""Text normalisation: NFC and cleaning for storage, accent folding for search."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from desktop.core.models import Span

# Characters that carry no text: soft hyphen, zero-width space/joiners, word joiner, BOM.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
# Directional embeddings, overrides and isolates: in a title they can make "txt.exe" read "exe.txt"
# (the "Trojan Source" characters); the letters' own direction still lays out right-to-left text.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
# Spaces that should read as a plain space.
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u3000"), " ")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)
_WHITESPACE = re.compile(r"\s+")

# Letters that Unicode does not decompose into base + mark but a reader folds anyway.
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "ı": "i"})


def clean_text(text: str) -> str:
    """Return ``text`` in NFC with unified line endings and without invisible, directional or control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = text.translate(_INVISIBLE).translate(_BIDI_CONTROLS).translate(_SPACES)
    text = _CONTROL.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = _TRAILING_SPACE.sub("", text)
    return text.strip("\n")


def collapse_whitespace(text: str) -> str:
    """Collapse every run of whitespace to one space: the form used to spot exact duplicates."""
    return _WHITESPACE.sub(" ", text).strip()


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Fold case and accents, ``đ`` included: ``Nguyễn`` → ``nguyen``, ``Đà`` → ``da``."""
    decomposed = unicodedata.normalize("NFKD", word.translate(_FOLD_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def visible_text(text: str, boilerplate: Sequence[Span]) -> str:
    """``text`` with every boilerplate span blanked by spaces, so offsets stay those of the clean text."""
    if not boilerplate:
        return text
    parts: list[str] = []
    position = 0
    for span in boilerplate:
        parts.append(text[position : span.start])
        parts.append("".join("\n" if ch == "\n" else " " for ch in text[span.start : span.end]))
        position = span.end
    parts.append(text[position:])
    return "".join(parts)
