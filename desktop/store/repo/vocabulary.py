"""The archive's own words and choices: name variants, saved searches and settings."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from desktop.store.models import NameVariant, SavedSearch, Setting, utcnow


def variant_groups(session: Session) -> dict[int, list[str]]:
    groups: dict[int, list[str]] = {}
    for group_id, variant in session.execute(
        select(NameVariant.group_id, NameVariant.variant).order_by(NameVariant.group_id, NameVariant.id)
    ):
        groups.setdefault(group_id, []).append(variant)
    return groups


def add_variant_group(session: Session, names: Sequence[str], join_group: int | None = None) -> int:
    """Add ``names`` to group ``join_group`` (or a new group); return the group id."""
    group_id = join_group
    if group_id is None:
        group_id = (session.scalar(select(func.max(NameVariant.group_id))) or 0) + 1
    existing = set(session.scalars(select(NameVariant.variant).where(NameVariant.group_id == group_id)))
    rows = [{"group_id": group_id, "variant": name} for name in dict.fromkeys(names) if name not in existing]
    if rows:
        session.execute(insert(NameVariant), rows)
    return group_id


def remove_variant(session: Session, name: str) -> int:
    """Remove the spelling ``name`` from every group; return how many rows went."""
    result = session.execute(delete(NameVariant).where(NameVariant.variant == name))
    return int(getattr(result, "rowcount", 0) or 0)


def saved_searches(session: Session) -> list[tuple[str, str]]:
    return [(row.name, row.query) for row in session.execute(select(SavedSearch.name, SavedSearch.query).order_by(SavedSearch.name))]


def saved_search(session: Session, name: str) -> str | None:
    return session.scalar(select(SavedSearch.query).where(SavedSearch.name == name))


def put_saved_search(session: Session, name: str, query: str) -> None:
    """Create the saved search ``name``, or replace its query."""
    if session.scalar(select(SavedSearch.id).where(SavedSearch.name == name)) is None:
        session.execute(insert(SavedSearch).values(name=name, query=query, created_at=utcnow()))
    else:
        session.execute(update(SavedSearch).where(SavedSearch.name == name).values(query=query))


def rename_saved_search(session: Session, old: str, new: str) -> bool:
    result = session.execute(update(SavedSearch).where(SavedSearch.name == old).values(name=new))
    return bool(getattr(result, "rowcount", 0))


def delete_saved_search(session: Session, name: str) -> bool:
    result = session.execute(delete(SavedSearch).where(SavedSearch.name == name))
    return bool(getattr(result, "rowcount", 0))


def get_setting(session: Session, key: str) -> str | None:
    return session.scalar(select(Setting.value).where(Setting.key == key))


def put_setting(session: Session, key: str, value: str) -> None:
    if get_setting(session, key) is None:
        session.execute(insert(Setting).values(key=key, value=value))
    else:
        session.execute(update(Setting).where(Setting.key == key).values(value=value))
