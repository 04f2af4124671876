"""The real window on a real temporary archive, driven offscreen: import, search, read, narrow, sort."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QMessageBox

from desktop.app import archive_opener
from desktop.core.errors import KnownError
from desktop.core.models import ImportReport
from desktop.library import Library, Progress
from desktop.ui.actions import ACTIONS
from desktop.ui.article_model import COLUMNS, SNIPPET_ROLE, ArticleTableModel
from desktop.ui.main_window import MainWindow
from tests.stories import write_stories


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, archive_dir: Path, settings: QSettings) -> Iterator[MainWindow]:
    win = MainWindow(archive_opener(archive_dir), settings=settings)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.view_updated, timeout=20_000):
        win.show()
    yield win
    win.close()


def wait_view(qtbot, win: MainWindow, action) -> None:
    with qtbot.waitSignal(win.view_updated, timeout=20_000):
        action()


def wait_rows(qtbot, win: MainWindow) -> None:
    qtbot.waitUntil(lambda: win.browser.model.rowCount() == 0 or win.browser.model.index(0, 1).data() is not None, timeout=10_000)


def import_and_wait(qtbot, win: MainWindow, paths: list[Path]) -> ImportReport:
    with qtbot.waitSignal(win.import_finished, timeout=60_000) as blocker, qtbot.waitSignal(win.view_updated, timeout=60_000):
        win.importer.import_paths(paths)
    report = blocker.args[0]
    assert isinstance(report, ImportReport)
    assert win.importer.last_summary is not None
    win.importer.last_summary.close()
    return report


def test_article_model_passes_the_model_tester(qtbot, qtmodeltester, seeded: Library) -> None:
    def answer(ids: list[int], page: int, generation: int) -> None:
        rows = seeded.search.rows(ids)
        QTimer.singleShot(0, lambda: model.add_rows(generation, page, rows))  # rows arrive later, as from a worker

    model = ArticleTableModel(answer)
    model.set_ids(seeded.search.browse().ids)
    qtmodeltester.check(model)
    assert model.rowCount() == 5
    qtbot.waitUntil(lambda: model.index(0, COLUMNS.index("date")).data() == "2023-07-03", timeout=5000)
    qtmodeltester.check(model)


def test_empty_archive_says_how_to_start(window: MainWindow) -> None:
    assert window.browser.stack.currentWidget() is window.browser.empty
    assert "drop files here" in window.browser.empty.text()
    assert window.status.count_label.text() == "0 of 0 articles"


def test_import_search_read_step_narrow_sort(qtbot, window: MainWindow, sample_dir: Path, tmp_path: Path) -> None:
    stories = tmp_path / "stories"
    write_stories(stories, 20)
    report = import_and_wait(qtbot, window, [sample_dir, stories])
    assert report.count("imported") == 25
    assert window.browser.stack.currentWidget() is window.browser.table
    assert window.browser.model.rowCount() == 25
    assert window.status.count_label.text() == "25 of 25 articles"
    wait_rows(qtbot, window)

    # search as the user types (non-ASCII typed with insert, as QTest cannot)
    qtbot.waitUntil(lambda: window.library is not None and window.library.index.ready, timeout=20_000)

    def type_query() -> None:
        window.search.box.insert("Nguyễn Phú Trọng")
        window.search.box.textEdited.emit(window.search.box.text())  # insert() is not an edit by the user

    wait_view(qtbot, window, type_query)
    assert window.browser.model.rowCount() == 1
    qtbot.waitUntil(lambda: window.browser.model.index(0, 0).data(SNIPPET_ROLE) is not None, timeout=10_000)
    assert "<mark>Nguyễn Phú Trọng</mark>" in window.browser.model.index(0, 0).data(SNIPPET_ROLE)

    # the first result is read with its hits lit; F3 and Enter step through them
    qtbot.waitUntil(lambda: window.reader.article is not None and bool(window.reader.hits), timeout=10_000)
    assert window.reader.current_hit_text() == "Nguyễn Phú Trọng"
    assert len(window.reader.hits) == 2
    assert window.reader.hit_label.text() == "Hit 1 of 2"
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    qtbot.keyClick(window.browser.table, Qt.Key.Key_F3)
    assert window.reader.hit_label.text() == "Hit 2 of 2"
    window.search.box.setFocus()
    qtbot.keyClick(window.search.box, Qt.Key.Key_Return)
    assert window.reader.hit_label.text() == "Hit 1 of 2"
    qtbot.keyClick(window.search.box, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert window.reader.hit_label.text() == "Hit 2 of 2"
    assert "<mark>" not in window.reader.body.toPlainText()

    # a broken query explains itself in the small line under the box
    wait_view(qtbot, window, lambda: window.search.set_query('"Viet Nam'))
    assert window.search.explanation.text().startswith("Searched for the words Viet Nam")
    assert window.browser.model.rowCount() >= 5

    # facets narrow by a clause in the query
    with qtbot.waitSignal(window.facets_updated, timeout=20_000):
        wait_view(qtbot, window, lambda: window.search.set_query(""))
    assert window.browser.model.rowCount() == 25
    agencies = window.facets._sections["agency"]
    vov = next(agencies.child(row) for row in range(agencies.rowCount()) if agencies.child(row).text().startswith("VOV"))
    vov_count = int(vov.text().split("(")[1].rstrip(")"))
    wait_view(qtbot, window, lambda: window.facets.clicked.emit(vov.index()))
    assert window.search.box.text() == 'agency:"VOV"'
    assert window.browser.model.rowCount() == vov_count
    wait_rows(qtbot, window)
    assert {window.browser.model.index(row, COLUMNS.index("agency")).data() for row in range(window.browser.model.rowCount())} == {"VOV"}

    # sorting by a column is asked of the archive
    wait_view(qtbot, window, lambda: window.search.set_query(""))
    wait_view(qtbot, window, lambda: window.browser.table.sortByColumn(COLUMNS.index("title"), Qt.SortOrder.AscendingOrder))
    wait_rows(qtbot, window)
    titles = [window.browser.model.index(row, 0).data() for row in range(window.browser.model.rowCount())]
    qtbot.waitUntil(
        lambda: "…" not in [window.browser.model.index(row, 0).data() for row in range(window.browser.model.rowCount())], timeout=10_000
    )
    titles = [window.browser.model.index(row, 0).data() for row in range(window.browser.model.rowCount())]
    assert titles == sorted(titles)


def test_article_markup_is_shown_as_text(qtbot, window: MainWindow, tmp_path: Path) -> None:
    page = tmp_path / "in" / "evil.txt"
    page.parent.mkdir()
    page.write_text("Script story\n\nThe <b>bold</b> claim <script>alert(1)</script> & <img src=x onerror=alert(2)>.\n", encoding="utf-8")
    import_and_wait(qtbot, window, [page.parent])
    qtbot.waitUntil(lambda: window.reader.article is not None, timeout=10_000)
    assert "<script>alert(1)</script>" in window.reader.body.toPlainText()
    assert "<b>bold</b>" in window.reader.body.toPlainText()
    assert "<script>" not in window.reader.header.text()


def test_saved_search_from_the_box(qtbot, window: MainWindow, sample_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import_and_wait(qtbot, window, [sample_dir])
    qtbot.waitUntil(lambda: window.library is not None and window.library.index.ready, timeout=20_000)
    wait_view(qtbot, window, lambda: window.search.set_query("Biden OR Trump"))
    monkeypatch.setattr("desktop.ui.search_bar.QInputDialog.getText", lambda *args, **kwargs: ("Presidents", True))
    window.search.save_search()
    saved = window.facets._sections["saved"]
    qtbot.waitUntil(lambda: saved.rowCount() == 1 and saved.child(0).text() == "Presidents", timeout=10_000)


def test_cancelled_import_keeps_what_was_committed(qtbot, window: MainWindow, tmp_path: Path) -> None:
    stories = tmp_path / "many"
    write_stories(stories, 300)
    with qtbot.waitSignal(window.import_finished, timeout=60_000) as blocker:
        task = window.importer.import_paths([stories])
        assert task is not None
        qtbot.waitUntil(lambda: window.status.progress.value() >= 3, timeout=20_000)
        window.importer.cancel()
    report = blocker.args[0]
    assert window.importer.last_summary is not None
    window.importer.last_summary.close()
    assert report.cancelled
    assert 0 < report.count("imported") < 300
    assert window.library is not None
    assert window.library.articles.count() == report.count("imported")


def test_layout_and_history_are_remembered(qtbot, archive_dir: Path, settings: QSettings, sample_dir: Path) -> None:
    first = MainWindow(archive_opener(archive_dir), settings=settings)
    qtbot.addWidget(first)
    with qtbot.waitSignal(first.view_updated, timeout=20_000):
        first.show()
    import_and_wait(qtbot, first, [sample_dir])
    first.resize(700, 500)  # the offscreen screen is 800×600
    first.main_split.setSizes([250, 450])
    wait_view(qtbot, first, lambda: first.browser.table.sortByColumn(COLUMNS.index("agency"), Qt.SortOrder.AscendingOrder))
    qtbot.waitUntil(lambda: first.library is not None and first.library.index.ready, timeout=20_000)
    wait_view(qtbot, first, lambda: first.search.set_query("delegation"))
    first.close()
    second = MainWindow(archive_opener(archive_dir), settings=settings)
    qtbot.addWidget(second)
    with qtbot.waitSignal(second.view_updated, timeout=20_000):
        second.show()
    assert second.size().width() == 700
    assert second.main_split.sizes()[0] == 250
    assert second.browser.browse_sort == ("agency", False)
    assert second.search.history[0] == "delegation"
    assert settings.value("archive/last") == str(archive_dir)
    second.close()


def test_shortcuts_are_listed(window: MainWindow) -> None:
    listed = {keys for _action, keys, _help in window.window_actions.shortcuts()}
    for keys in ("Ctrl+F", "Ctrl+I", "F3", "Shift+F3", "Ctrl+S", "F1"):
        assert keys in listed


def test_a_locked_archive_opens_read_only(qtbot, archive_dir: Path, settings: QSettings, sample_dir: Path) -> None:
    with Library.open(archive_dir) as holder:
        holder.imports.paths([sample_dir])
        win = MainWindow(archive_opener(archive_dir), settings=settings)
        qtbot.addWidget(win)
        with qtbot.waitSignal(win.view_updated, timeout=20_000):
            win.show()
        assert win.browser.model.rowCount() == 5
        assert "read-only" in win.windowTitle()
        assert not win.window_actions["import_files"].isEnabled()
        win.close()


def test_a_read_only_window_disables_every_action_that_writes(qtbot, archive_dir: Path, settings: QSettings, sample_dir: Path) -> None:
    with Library.open(archive_dir) as holder:
        holder.imports.paths([sample_dir])
        win = MainWindow(archive_opener(archive_dir), settings=settings)
        qtbot.addWidget(win)
        with qtbot.waitSignal(win.view_updated, timeout=20_000):
            win.show()
        assert "read-only" in win.windowTitle()
        by_keys = {action.shortcut().toString(): action for action in win.actions() if not action.shortcut().isEmpty()}
        # found by its keys: Ctrl+D (the article's details) stayed enabled when the write actions were listed by hand
        assert not by_keys["Ctrl+D"].isEnabled()
        writes = [spec.id for spec in ACTIONS if spec.needs_write]
        assert {"edit_details", "tag", "trash", "import_files", "save_search", "undo"} <= set(writes)
        assert [action_id for action_id in writes if win.window_actions[action_id].isEnabled()] == []
        assert not win.search.save_button.isEnabled()  # the same command as Ctrl+S
        assert win.window_actions["export"].isEnabled()  # reading is allowed
        win.close()


def test_a_clear_message_when_the_archive_cannot_be_opened(qtbot, settings: QSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "open", lambda box: shown.append(box.text()))

    def refuse(_progress: Progress) -> Library:
        raise KnownError("The disk is full.")

    win = MainWindow(refuse, settings=settings)
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert shown == ["The disk is full."]
    assert win.statusBar().currentMessage() == "The archive could not be opened."


def test_the_default_archive_opens_filled_with_the_sample(qtbot, settings: QSettings) -> None:
    win = MainWindow(archive_opener(None), settings=settings)
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.browser.model.rowCount() == 5, timeout=30_000)
    win.close()


def test_dropping_files_imports_them(qtbot, window: MainWindow, sample_dir: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in sorted(sample_dir.glob("*.txt"))])
    enter = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.import_finished, timeout=60_000) as blocker, qtbot.waitSignal(window.view_updated, timeout=60_000):
        window.dropEvent(drop)
    assert blocker.args[0].count("imported") == 5
    assert window.importer.last_summary is not None
    window.importer.last_summary.close()
    assert window.browser.model.rowCount() == 5


def drag_enter(window: MainWindow, paths: list[Path]) -> bool:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    enter = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dragEnterEvent(enter)
    return enter.isAccepted()


def test_a_drag_is_accepted_for_folders_and_known_formats_only(window: MainWindow, tmp_path: Path) -> None:
    picture, page, packed = tmp_path / "photo.png", tmp_path / "story.HTML", tmp_path / "feed.jsonl"
    for path in (picture, page, packed):
        path.write_bytes(b"x")
    assert not drag_enter(window, [picture])
    assert drag_enter(window, [page])
    assert drag_enter(window, [picture, packed])  # the picture is then skipped, with its reason, in the summary
    assert drag_enter(window, [tmp_path])


def test_facet_model_passes_the_model_tester(qtbot, qtmodeltester, window: MainWindow, sample_dir: Path) -> None:
    import_and_wait(qtbot, window, [sample_dir])
    qtbot.waitUntil(lambda: window.facets._sections["agency"].rowCount() == 3, timeout=10_000)
    qtmodeltester.check(window.facets.facet_model)


def test_a_folder_of_every_format_imports_in_the_window(qtbot, window: MainWindow) -> None:
    """One file of each import format (the packaged self-test's folder): every file gives articles, all shown."""
    formats = Path(__file__).parent.parent.parent / "data" / "formats"
    report = import_and_wait(qtbot, window, [formats])
    by_file: dict[str, list[str]] = {}
    for outcome in report.outcomes:
        by_file.setdefault(Path(outcome.path.split(":")[0]).name, []).append(outcome.outcome)
    assert set(by_file) == {path.name for path in formats.iterdir()}
    for name, outcomes in by_file.items():
        assert set(outcomes) <= {"imported", "duplicate"}, (name, outcomes)
    wait_rows(qtbot, window)
    assert window.browser.model.rowCount() == report.count("imported")
    assert window.library is not None
    assert window.library.search.find("cookies").total == 0  # the saved page's banner stayed out


def test_the_sidebar_counts_publications_and_a_click_narrows_to_one(qtbot, window: MainWindow) -> None:
    export = Path(__file__).resolve().parent.parent / "data" / "exports" / "lexisnexis-4-stories.txt"
    import_and_wait(qtbot, window, [export])
    publications = window.facets._sections["publication"]
    assert publications.text() == "Publications"
    qtbot.waitUntil(lambda: publications.rowCount() == 4, timeout=10_000)  # the counts follow the import
    values = [publications.child(row).text() for row in range(publications.rowCount())]
    assert "Tuổi Trẻ  (1)" in values
    tuoi_tre = next(publications.child(row) for row in range(publications.rowCount()) if publications.child(row).text().startswith("Tuổi"))
    wait_view(qtbot, window, lambda: window.facets.clicked.emit(tuoi_tre.index()))
    assert window.search.box.text() == 'publication:"Tuổi Trẻ"'
    assert window.browser.model.rowCount() == 1
