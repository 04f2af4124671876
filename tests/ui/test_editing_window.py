"""Tagging, annotating, trashing and undo through the real window (offscreen)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QSettings
from PySide6.QtGui import QColor, QTextCursor
from PySide6.QtWidgets import QMessageBox

from desktop.app import archive_opener
from desktop.ui.main_window import MainWindow
from tests.test_editing import dump


@pytest.fixture
def window(qtbot, archive_dir: Path, tmp_path: Path, sample_dir: Path) -> Iterator[MainWindow]:
    win = MainWindow(archive_opener(archive_dir), settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.view_updated, timeout=20_000):
        win.show()
    with qtbot.waitSignal(win.import_finished, timeout=60_000), qtbot.waitSignal(win.view_updated, timeout=60_000):
        win.importer.import_paths([sample_dir])
    assert win.importer.last_summary is not None
    win.importer.last_summary.close()
    qtbot.waitUntil(lambda: win.library is not None and win.library.index.ready, timeout=20_000)
    yield win
    win.close()


def select_rows(win: MainWindow, rows: list[int]) -> None:
    model = win.browser.table.selectionModel()
    model.clearSelection()
    for row in rows:
        model.select(win.browser.model.index(row, 0), QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)


def edit_and_wait(qtbot, win: MainWindow, action) -> None:
    with qtbot.waitSignal(win.edited, timeout=20_000):
        action()


def test_tag_undo_redo_through_the_edit_menu(qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    assert window.library is not None
    before = dump(window.library)
    select_rows(window, [0, 1])
    monkeypatch.setattr("desktop.ui.tagging.QInputDialog.getText", lambda *args, **kwargs: ("Party/Diplomacy", True))
    edit_and_wait(qtbot, window, window.tagging.tag_selected)
    assert window.window_actions["undo"].text() == "Undo Tag 2 articles"
    qtbot.waitUntil(lambda: window.facets._sections["tag"].rowCount() == 1, timeout=10_000)
    after = dump(window.library)
    assert after != before
    edit_and_wait(qtbot, window, window.ops.undo_stack.undo)
    assert dump(window.library) == before
    edit_and_wait(qtbot, window, window.ops.undo_stack.redo)
    assert dump(window.library) == after


def test_annotate_a_selected_passage_then_undo(qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    assert window.library is not None
    qtbot.waitUntil(lambda: window.reader.article is not None, timeout=10_000)
    article = window.reader.article
    assert article is not None
    body = window.reader.body
    start = body.toPlainText().index("Washington")
    cursor = body.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len("Washington"), QTextCursor.MoveMode.KeepAnchor)
    body.setTextCursor(cursor)
    before = dump(window.library)
    answer = ("the capital\ntags: Places/US", True)
    monkeypatch.setattr("desktop.ui.editing.QInputDialog.getMultiLineText", lambda *args, **kwargs: answer)
    with qtbot.waitSignal(window.article_shown, timeout=20_000):
        edit_and_wait(qtbot, window, window.editing.annotate_selection)
    (record,) = window.library.annotations.of(article.id)
    assert (record.exact, record.note, record.tags) == ("Washington", "the capital", ("Places/US",))
    assert article.text[record.start : record.end] == "Washington"
    qtbot.waitUntil(lambda: window.reader.annotation_list.count() == 1, timeout=10_000)
    assert "Washington" in window.reader.annotation_list.item(0).text()
    edit_and_wait(qtbot, window, window.ops.undo_stack.undo)
    assert dump(window.library) == before


def test_delete_moves_to_trash_and_undo_restores(qtbot, window: MainWindow) -> None:
    assert window.library is not None
    select_rows(window, [0])
    window.browser.table.setFocus()
    with qtbot.waitSignal(window.view_updated, timeout=20_000):
        edit_and_wait(qtbot, window, window.window_actions["trash"].trigger)
    qtbot.waitUntil(lambda: window.browser.model.rowCount() == 4, timeout=10_000)
    assert window.status.count_label.text() == "4 of 4 articles"
    with qtbot.waitSignal(window.view_updated, timeout=20_000):
        edit_and_wait(qtbot, window, window.ops.undo_stack.undo)
    qtbot.waitUntil(lambda: window.browser.model.rowCount() == 5, timeout=10_000)
    assert window.library.check.run().ok


def test_edit_shortcuts_are_listed(window: MainWindow) -> None:
    keys = {keys for _action, keys, _help in window.window_actions.shortcuts()}
    assert {"Ctrl+Z", "Ctrl+T", "Ctrl+N", "Ctrl+Shift+A"} <= keys
    assert keys & {"Del", "Delete"}


def test_rename_colour_and_delete_a_tag_from_the_sidebar(qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    assert window.library is not None
    select_rows(window, [0, 1])
    monkeypatch.setattr("desktop.ui.tagging.QInputDialog.getText", lambda *args, **kwargs: ("Diplomacy", True))
    edit_and_wait(qtbot, window, window.tagging.tag_selected)
    monkeypatch.setattr("desktop.ui.tagging.QInputDialog.getText", lambda *args, **kwargs: ("Party/Diplomacy", True))
    edit_and_wait(
        qtbot, window, lambda: window.tagging.ask_tag("Diplomacy", "{tag}", lambda new: lambda lib: lib.tags.rename("Diplomacy", new))
    )
    assert [tag.name for tag in window.library.tags.all()] == ["Party", "Party/Diplomacy"]
    monkeypatch.setattr("desktop.ui.tagging.QColorDialog.getColor", lambda *args, **kwargs: QColor("#aa3300"))
    edit_and_wait(qtbot, window, lambda: window.tagging.choose_colour("Party"))
    assert {tag.name: tag.color for tag in window.library.tags.all()}["Party"] == "#aa3300"
    monkeypatch.setattr("desktop.ui.tagging.QMessageBox.question", lambda *args, **kwargs: QMessageBox.StandardButton.Yes)
    edit_and_wait(qtbot, window, lambda: window.tagging.delete_tag("Party"))
    assert window.library.tags.all() == []
    edit_and_wait(qtbot, window, window.ops.undo_stack.undo)
    assert [tag.name for tag in window.library.tags.all()] == ["Party", "Party/Diplomacy"]


def test_correct_the_text_and_see_notes(qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    assert window.library is not None
    qtbot.waitUntil(lambda: window.reader.article is not None, timeout=10_000)
    article = window.reader.article
    assert article is not None
    monkeypatch.setattr("desktop.ui.editing.QInputDialog.getMultiLineText", lambda *args, **kwargs: ("Check with the embassy", True))
    with qtbot.waitSignal(window.article_shown, timeout=20_000):
        edit_and_wait(qtbot, window, window.editing.add_note)
    qtbot.waitUntil(lambda: window.reader.annotation_list.count() == 1, timeout=10_000)
    assert "Check with the embassy" in window.reader.annotation_list.item(0).text()
    monkeypatch.setattr("desktop.ui.editing.TextEditDialog.exec", lambda dialog: True)
    monkeypatch.setattr("desktop.ui.editing.TextEditDialog.text", lambda dialog: "Corrected headline\n\n" + article.text)
    edit_and_wait(qtbot, window, window.editing.edit_text)
    assert window.library.articles.get(article.id).text.startswith("Corrected headline")
    assert window.library.articles.original(article.id) == Path(article.source).read_bytes()
    edit_and_wait(qtbot, window, window.ops.undo_stack.undo)
    assert window.library.articles.get(article.id).text == article.text


def test_details_notes_and_annotations_edited_and_deleted_from_the_reader(
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert window.library is not None
    qtbot.waitUntil(lambda: window.reader.article is not None, timeout=10_000)
    article = window.reader.article
    assert article is not None
    monkeypatch.setattr("desktop.ui.editing.DetailsDialog.exec", lambda dialog: True)
    monkeypatch.setattr(
        "desktop.ui.editing.DetailsDialog.values",
        lambda dialog: {"title": "Party talks in Washington", "agency": "TTXVN", "place": "", "date": "2023-07"},
    )
    edit_and_wait(qtbot, window, window.editing.edit_details)
    summary = window.library.articles.get(article.id).summary
    assert (summary.title, summary.agency, summary.place, summary.date, summary.date_precision) == (
        "Party talks in Washington",
        "VNA",
        None,
        "2023-07",
        "month",
    )
    window.library.notes.add(article.id, "first draft")
    window.library.annotations.add_quote(article.id, "Washington", note="capital")
    with qtbot.waitSignal(window.article_shown, timeout=20_000):
        window.browser.open_article(article.id)
    note_id = window.reader.notes[0].id
    monkeypatch.setattr("desktop.ui.editing.QInputDialog.getMultiLineText", lambda *args, **kwargs: ("second draft", True))
    edit_and_wait(qtbot, window, lambda: window.editing.edit_note(note_id))
    assert [n.body for n in window.library.notes.of(article.id)] == ["second draft"]
    qtbot.waitUntil(lambda: bool(window.reader.annotations), timeout=10_000)
    annotation_id = window.reader.annotations[0].id
    monkeypatch.setattr("desktop.ui.editing.QInputDialog.getMultiLineText", lambda *args, **kwargs: ("the US capital\ntags: Places", True))
    edit_and_wait(qtbot, window, lambda: window.editing.edit_annotation(annotation_id))
    assert [(a.note, a.tags) for a in window.library.annotations.of(article.id)] == [("the US capital", ("Places",))]
    edit_and_wait(qtbot, window, lambda: window.reader.delete_requested.emit("annotation", annotation_id))
    assert window.library.annotations.of(article.id) == []
    edit_and_wait(qtbot, window, window.ops.undo_stack.undo)
    assert len(window.library.annotations.of(article.id)) == 1


def test_export_from_the_window_with_a_preview(qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    previews: list[str] = []

    def run_dialog(dialog) -> bool:
        qtbot.waitUntil(lambda: "title" in dialog.preview.toPlainText(), timeout=10_000)
        previews.append(dialog.preview.toPlainText())
        return True

    target = tmp_path / "out.csv"
    monkeypatch.setattr("desktop.ui.exporting.ExportDialog.exec", run_dialog)
    monkeypatch.setattr("desktop.ui.exporting.QFileDialog.getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    with qtbot.waitSignal(window.exported, timeout=20_000):
        window.exporter.export()
    assert previews[0].splitlines()[0].startswith("id,title,")
    assert target.read_bytes().startswith(b"\xef\xbb\xbfid,title,")
    assert len(target.read_text(encoding="utf-8-sig").splitlines()) == 6
    assert window.exporter.export_box is not None
    window.exporter.export_box.close()
    keys = {keys for _action, keys, _help in window.window_actions.shortcuts()}
    assert "Ctrl+E" in keys
