"""The archive's own words: name variants (spellings searched as one name) and saved searches."""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib import resources

from desktop.core.errors import KnownError
from desktop.core.text import fold
from desktop.index.analysis import WORD
from desktop.library.unit_of_work import UnitOfWork
from desktop.store import repo


class Vocabulary:
    """Name variants and saved searches."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    # name variants ------------------------------------------------------------------------------------------
    def variant_groups(self) -> list[list[str]]:
        with self._uow.read() as session:
            return list(repo.variant_groups(session).values())

    def add_variants(self, names: Sequence[str]) -> list[str]:
        """Make ``names`` spellings of one name, joining the group one of them is already in; return the group."""
        cleaned = [" ".join(name.split()) for name in names if name.strip()]
        if len(cleaned) < 1:
            raise KnownError("Give at least one spelling.")
        with self._uow.write() as session:
            groups = repo.variant_groups(session)
            keys = {tuple(fold(w) for w in WORD.findall(name)) for name in cleaned}
            join = next((gid for gid, members in groups.items() if keys & {tuple(fold(w) for w in WORD.findall(m)) for m in members}), None)
            if join is None and len(cleaned) < 2:
                raise KnownError("A new group needs two spellings or more (or one that joins an existing group).")
            group_id = repo.add_variant_group(session, cleaned, join)
            return repo.variant_groups(session)[group_id]

    def remove_variant(self, name: str) -> None:
        with self._uow.write() as session:
            if not repo.remove_variant(session, " ".join(name.split())):
                raise KnownError(f"No name variant is spelled {name!r}.")

    def add_shipped_variants(self) -> None:
        """Add the shipped name variants once, when the archive is new (the user may edit them after)."""
        with self._uow.write() as session:
            if repo.get_setting(session, "default_variants_added"):
                return
            data = json.loads(resources.files("desktop.resources").joinpath("name_variants.json").read_text(encoding="utf-8"))
            if not repo.variant_groups(session):
                for group in data["groups"]:
                    repo.add_variant_group(session, group)
            repo.put_setting(session, "default_variants_added", "1")

    # saved searches -----------------------------------------------------------------------------------------
    def saved_searches(self) -> list[tuple[str, str]]:
        """``(name, query)`` of each saved search."""
        with self._uow.read() as session:
            return repo.saved_searches(session)

    def save_search(self, name: str, query: str) -> None:
        """Save ``query`` as ``name`` (replacing a saved search of that name)."""
        if not name.strip() or not query.strip():
            raise KnownError("A saved search needs a name and a query.")
        with self._uow.write() as session:
            repo.put_saved_search(session, name.strip(), query.strip())

    def saved_query(self, name: str) -> str:
        with self._uow.read() as session:
            query = repo.saved_search(session, name)
        if query is None:
            raise KnownError(f"No saved search is named {name!r}.")
        return query

    def rename_saved_search(self, old: str, new: str) -> None:
        if not new.strip():
            raise KnownError("A saved search needs a name.")
        with self._uow.write() as session:
            if repo.saved_search(session, new.strip()) is not None:
                raise KnownError(f"A saved search is already named {new.strip()!r}.")
            if not repo.rename_saved_search(session, old, new.strip()):
                raise KnownError(f"No saved search is named {old!r}.")

    def delete_saved_search(self, name: str) -> None:
        with self._uow.write() as session:
            if not repo.delete_saved_search(session, name):
                raise KnownError(f"No saved search is named {name!r}.")
