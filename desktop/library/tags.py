"""Tags: put on and taken off articles, listed, renamed or moved, merged, coloured, deleted (every change undoable)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy.orm import Session

from desktop.core.errors import KnownError
from desktop.core.models import TagRecord
from desktop.library.edits import Edits
from desktop.library.rules import count_label, tag_path
from desktop.library.unit_of_work import UnitOfWork
from desktop.store import repo
from desktop.store.journal import Edit


class Tags:
    """The archive's tags; a path such as ``Party/Diplomacy/US`` makes its parents."""

    def __init__(self, uow: UnitOfWork, edits: Edits) -> None:
        self._uow = uow
        self._edits = edits

    def all(self) -> list[TagRecord]:
        """Every tag with how many articles and annotations it is on."""
        with self._uow.read() as session:
            return repo.tag_records(session)

    def change(self, article_ids: Sequence[int], *, add: Sequence[str] = (), remove: Sequence[str] = ()) -> Edit:
        """Add and remove tags on articles in one step (one edit)."""
        adding = [tag_path(name) for name in add]
        removing = [tag_path(name) for name in remove]
        count = len(set(article_ids))
        label = (count_label("Tag", count) if adding else count_label("Untag", count)) if adding or removing else "Tag"

        def action(session: Session) -> None:
            for article_id in article_ids:
                repo.article_text(session, article_id)  # an unknown id raises ArticleNotFoundError
            repo.change_article_tags(session, article_ids, adding, removing)

        return self._edits.record(label, action, articles=article_ids, whole_tables=("tags",))

    def add(self, article_ids: Sequence[int], names: Sequence[str]) -> Edit:
        """Put the tags ``names`` on the articles."""
        return self.change(article_ids, add=names)

    def remove(self, article_ids: Sequence[int], names: Sequence[str]) -> Edit:
        """Take the tags ``names`` off the articles."""
        return self.change(article_ids, remove=names)

    def usage(self, name: str) -> tuple[int, int]:
        """How many articles and annotations a tag (with its children) is on: for the confirmation."""
        with self._uow.read() as session:
            subtree = repo.tag_subtree(session, tag_path(name))
            if not subtree:
                raise KnownError(f"There is no tag {name!r}.")
            ids = [tag.id for tag in subtree]
            return len(repo.articles_with_tags(session, ids)), repo.annotation_tag_count(session, ids)

    def rename(self, old: str, new: str) -> Edit:
        """Rename or move a tag with its children (``Diplomacy`` → ``Party/Diplomacy``)."""
        old_name, new_name = tag_path(old), tag_path(new)
        with self._uow.read() as session:
            subtree = repo.tag_subtree(session, old_name)
            if not subtree:
                raise KnownError(f"There is no tag {old!r}.")
            if repo.tag_subtree(session, new_name):
                raise KnownError(f"A tag {new!r} already exists: merge the two instead.")
            if new_name.startswith(old_name + "/"):
                raise KnownError("A tag cannot move inside itself.")
            affected = repo.articles_with_tags(session, [tag.id for tag in subtree])
        return self._edits.record(
            f"Rename tag {old_name} to {new_name}",
            lambda session: repo.rename_tag(session, old_name, new_name),
            articles=affected,
            whole_tables=("tags",),
        )

    def merge(self, source: str, target: str) -> Edit:
        """Put everything tagged ``source`` (and its children) under ``target``, then remove ``source``."""
        source_name, target_name = tag_path(source), tag_path(target)
        if source_name == target_name or target_name.startswith(source_name + "/"):
            raise KnownError("A tag cannot be merged into itself.")
        with self._uow.read() as session:
            subtree = repo.tag_subtree(session, source_name)
            if not subtree:
                raise KnownError(f"There is no tag {source!r}.")
            affected = repo.articles_with_tags(session, [tag.id for tag in subtree])
        return self._edits.record(
            f"Merge tag {source_name} into {target_name}",
            lambda session: repo.merge_tag(session, source_name, target_name),
            articles=affected,
            whole_tables=("tags",),
        )

    def delete(self, name: str) -> Edit:
        """Remove a tag and its children from every article and annotation (undoable)."""
        name_path = tag_path(name)
        with self._uow.read() as session:
            subtree = repo.tag_subtree(session, name_path)
            if not subtree:
                raise KnownError(f"There is no tag {name!r}.")
            affected = repo.articles_with_tags(session, [tag.id for tag in subtree])
        return self._edits.record(
            f"Delete tag {name_path}", lambda session: repo.delete_tag(session, name_path), articles=affected, whole_tables=("tags",)
        )

    def set_colour(self, name: str, colour: str | None) -> Edit:
        """Give a tag a colour (``#rrggbb``), or none."""
        name_path = tag_path(name)
        if colour is not None and not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
            raise KnownError(f"{colour!r} is not a colour: use #rrggbb.")

        def action(session: Session) -> None:
            if not repo.set_tag_colour(session, name_path, colour):
                raise KnownError(f"There is no tag {name!r}.")

        return self._edits.record(f"Colour tag {name_path}", action, whole_tables=("tags",))
