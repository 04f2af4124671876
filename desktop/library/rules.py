"""Small rules several capabilities share: a tag's path, an edit's name, annotations found again after the text changed."""

from __future__ import annotations

from sqlalchemy.orm import Session

from desktop.core.anchoring import Anchor, reanchor
from desktop.core.errors import KnownError
from desktop.store import repo


def tag_path(name: str) -> str:
    """``Party / Diplomacy/`` as ``Party/Diplomacy``; a name with no part raises :class:`KnownError`."""
    path = "/".join(part.strip() for part in name.split("/") if part.strip())
    if not path:
        raise KnownError("A tag needs a name.")
    return path


def count_label(verb: str, count: int) -> str:
    """``Tag 1 article`` / ``Tag 37 articles``: the name an edit has in the Edit menu."""
    return f"{verb} {count} article" + ("" if count == 1 else "s")


def reanchor_annotations(session: Session, article_id: int, old_text: str, new_text: str) -> None:
    """Find each annotation of the article again in its new text; one not found needs review."""
    for record in repo.annotations_of(session, article_id):
        anchor = Anchor(record.exact, record.prefix, record.suffix, record.start, record.end)
        found = reanchor(anchor, new_text, old_text)
        if found is None:
            repo.set_annotation_anchor(session, record.id, anchor=None)
        elif (found.start, found.end, found.exact) != (record.start, record.end, record.exact) or record.status != "anchored":
            repo.set_annotation_anchor(session, record.id, anchor=found)
