"""The declared actions: one list makes the menus, the toolbar, the F1 list and the enabled state of a writable window."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar

from desktop.app import archive_opener
from desktop.core import facets as core_facets
from desktop.core.facets import FACETS
from desktop.ui.actions import ACTIONS, MENUS
from desktop.ui.facets import section_titles
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


def test_every_facet_label_is_marked_for_translation(tmp_path: Path) -> None:
    # lupdate itself reads desktop/core/facets.py: each label is found under the window's context
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    catalogue = tmp_path / "facets.ts"
    subprocess.run([str(lupdate), str(core_facets.__file__), "-ts", str(catalogue)], check=True, capture_output=True)
    contexts = {
        context.findtext("name"): {message.findtext("source") for message in context.iter("message")}
        for context in ET.parse(catalogue).getroot().iter("context")
    }
    assert {facet.label for facet in FACETS} <= contexts["ArchiveBrowser"]
    assert list(section_titles()) == [*(facet.name for facet in FACETS), "saved"]
