"""The plain window: opens the archive off the GUI thread and lists its articles."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop.app import archive_opener
from desktop.core.errors import KnownError
from desktop.library import Library, Progress
from desktop.ui.main_window import ArticleListModel, MainWindow


def test_model_passes_the_model_tester(qtmodeltester, seeded: Library) -> None:
    model = ArticleListModel()
    model.set_rows(seeded.list_articles())
    qtmodeltester.check(model)
    assert model.rowCount() == 5


def test_window_lists_the_archive(qtbot, archive_dir: Path, sample_dir: Path) -> None:
    with Library.open(archive_dir) as library:
        library.import_paths([sample_dir])
    window = MainWindow(archive_opener(archive_dir))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.model.rowCount() == 5, timeout=20_000)
    assert window.stack.currentWidget() is window.table
    assert "5 articles" in window.statusBar().currentMessage()
    titles = {window.model.index(row, 0).data() for row in range(5)}
    assert "CPV delegation visits US" in titles
    window.close()


def test_window_opens_the_default_archive_filled_with_the_sample(qtbot) -> None:
    window = MainWindow(archive_opener(None))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.model.rowCount() == 5, timeout=20_000)
    window.close()


def test_window_shows_a_clear_message_when_the_archive_cannot_be_opened(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "open", lambda box: shown.append(box.text()))

    def refuse(_progress: Progress) -> Library:
        raise KnownError("The disk is full.")

    window = MainWindow(refuse)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert shown == ["The disk is full."]
    assert window.statusBar().currentMessage() == "The archive could not be opened."
