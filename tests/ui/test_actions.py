"""The declared actions: one list makes the menus, the toolbar, the F1 list and the enabled state of a writable window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar

from desktop.app import archive_opener
from desktop.core.facets import FACETS
from desktop.ui.actions import ACTIONS, MENUS
from desktop.ui.facets import TRANSLATABLE_LABELS, section_titles
from desktop.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, archive_dir: Path, tmp_path: Path) -> Iterator[MainWindow]:
    win = MainWindow(archive_opener(archive_dir), settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.archive_ready, timeout=20_000):
        win.show()
    yield win
    win.close()


def test_ids_are_unique_and_menus_known() -> None:
    assert len({spec.id for spec in ACTIONS}) == len(ACTIONS)
    assert {spec.menu for spec in ACTIONS} <= set(MENUS)


def test_no_two_actions_share_a_shortcut(qtbot) -> None:  # a standard key needs the application
    keys = [QKeySequence(spec.shortcut).toString() for spec in ACTIONS if spec.shortcut is not None]
    assert len(keys) == len(set(keys)), keys


def test_menus_toolbar_and_state_follow_the_declaration(window: MainWindow) -> None:
    menus = {action.text(): action.menu() for action in window.menuBar().actions()}
    assert list(menus) == ["&Archive", "&Search", "&View", "&Edit", "&Help"]
    edit = menus["&Edit"]
    assert isinstance(edit, QMenu)
    listed = [action.text() for action in edit.actions() if not action.isSeparator()]
    declared = [spec.id for spec in ACTIONS if spec.menu == "edit"]
    assert len(listed) == len(declared)
    assert listed[declared.index("edit_details")] == "Edit the article's details…"
    (toolbar,) = window.findChildren(QToolBar)
    assert [action.text() for action in toolbar.actions()] == ["Import files…", "Import folder…"]
    # a writable archive: everything that writes is enabled, except undo and redo with nothing to undo
    for spec in ACTIONS:
        expected = spec.undo_stack is None
        assert window.window_actions[spec.id].isEnabled() == expected, spec.id
    assert window.search.save_button.isEnabled()
    rows = window.window_actions.shortcuts()
    assert ("Edit the article's details…", "Ctrl+D", "Correct the title, agency, place and date.") in rows


def test_every_facet_label_is_marked_for_translation() -> None:
    assert {facet.label for facet in FACETS} <= set(TRANSLATABLE_LABELS)
    assert list(section_titles()) == [*(facet.name for facet in FACETS), "saved"]
