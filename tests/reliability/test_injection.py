"""Injection: markup, scripts, links and formulas in what the archive holds stay text; queries never become SQL; no pickle from outside."""

from __future__ import annotations

import ast
import base64
import contextlib
import csv
import http.server
import json
import pickle
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from PySide6 import QtGui
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QMessageBox, QToolTip
from whoosh import fields as whoosh_fields
from whoosh import index as whoosh_index

from desktop.app import archive_opener
from desktop.core.errors import KnownError
from desktop.core.models import ImportOutcome, ImportReport
from desktop.index.engine import INDEX_NAME, META_FILE
from desktop.index.schema import SCHEMA_VERSION
from desktop.library import Library
from desktop.ui.article_model import COLUMNS, SNIPPET_ROLE
from desktop.ui.dialogs import DetailsDialog, ImportSummary, TextEditDialog, TrashDialog
from desktop.ui.facets import SAVED_ROLE
from desktop.ui.main_window import MainWindow
from desktop.ui.reader import NOTE_ROLE
from desktop.ui.text import snippet_segments
from tests.conftest import REPO
from tests.test_editing import dump

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def shown(text: str, text_format: Qt.TextFormat = Qt.TextFormat.AutoText) -> str:
    """What a person sees of ``text`` in a Qt widget with this format (AutoText: Qt's own guess, as QLabel and tooltips do)."""
    rich = text_format == Qt.TextFormat.RichText or (text_format == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(text))
    if not rich:
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText().replace("\u2028", "\n")


class Counter(http.server.BaseHTTPRequestHandler):
    """Counts every request; the test fails if any arrives."""

    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Counter.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(b"\x89PNG\r\n\x1a\n")

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    """A local web server that counts requests: the address remote images and frames point to."""
    Counter.requests = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Counter)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def hostile_html(base: str) -> str:
    """An article whose visible headline and text are markup, beside real remote images, a frame, a script and a stylesheet."""
    return (
        f"<html><head><title>ignored</title><link rel='stylesheet' href='{base}/style.css'><script src='{base}/app.js'></script></head>"
        f"<body><h1>&lt;b&gt;bold&lt;/b&gt;&lt;img src=&quot;{base}/title.png&quot;&gt; headline</h1>"
        f"<p>Ha Noi (VNA) – Click &lt;a href=&quot;javascript:alert(1)&quot;&gt;here&lt;/a&gt; <img src='{base}/inline.png'>"
        "and read the &lt;script&gt;alert(2)&lt;/script&gt; bold text.</p>"
        f"<iframe src='{base}/frame.html'></iframe><a href='javascript:alert(3)'>a real link</a>"
        f"<p>&lt;qt&gt;&lt;font color=red&gt;rich&lt;/font&gt; &lt;img src=&quot;{base}/body.png&quot;&gt;</p></body></html>"
    )


@pytest.fixture
def window(qtbot, archive_dir: Path, tmp_path: Path) -> Iterator[MainWindow]:
    win = MainWindow(archive_opener(archive_dir), settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.view_updated, timeout=20_000):
        win.show()
    yield win
    win.close()


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # a tooltip shown offscreen
def test_markup_in_titles_text_notes_tags_and_queries_is_shown_as_text_everywhere_and_nothing_is_fetched(
    qtbot, window: MainWindow, tmp_path: Path, server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "in" / "hostile.html"
    page.parent.mkdir()
    page.write_text(hostile_html(server), encoding="utf-8")
    title = f'<b>bold</b><img src="{server}/title.png"> headline'
    note = f"<i>note</i><img src='{server}/note.png'> <a href='javascript:alert(4)'>go</a>"
    tag = "<u>Tag <img src=x onerror=alert(1)> <b>bold <a href=javascript:alert(5)>x"  # no "/": that makes a hierarchy
    query = f"<b>bold</b> OR <img src='{server}/query.png'>"

    with qtbot.waitSignal(window.import_finished, timeout=60_000) as blocker, qtbot.waitSignal(window.view_updated, timeout=60_000):
        window.importer.import_paths([page])
    report = blocker.args[0]
    assert isinstance(report, ImportReport)
    assert report.count("imported") == 1
    assert window.importer.last_summary is not None
    window.importer.last_summary.close()
    library = window.library
    assert library is not None
    qtbot.waitUntil(lambda: library.index.ready, timeout=20_000)
    (article_id,) = library.search.browse().ids
    assert library.articles.get(article_id).summary.title == title

    def edit(work) -> None:
        with qtbot.waitSignal(window.edited, timeout=20_000):
            window.ops.edit(work)

    edit(lambda lib: lib.tags.change([article_id], add=[tag]))
    edit(lambda lib: lib.notes.add(article_id, note))
    edit(lambda lib: lib.annotations.add_quote(article_id, "javascript:alert(1)", note=note, tags=[tag]))
    library.vocabulary.save_search(query, query)
    window.search.reload_saved()

    # the table and its snippets
    with qtbot.waitSignal(window.view_updated, timeout=20_000):
        window.search.set_query("bold")
    qtbot.waitUntil(lambda: window.browser.model.index(0, 0).data(SNIPPET_ROLE) is not None, timeout=10_000)
    assert window.browser.model.index(0, COLUMNS.index("title")).data() == title  # a view item draws its text as plain text
    assert shown(window.browser.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)) == title
    assert tag in window.browser.model.index(0, COLUMNS.index("tags")).data()
    snippet = window.browser.model.index(0, 0).data(SNIPPET_ROLE)
    pieces = snippet_segments(snippet)
    drawn = "".join(piece for piece, _hit in pieces)  # exactly what the delegate lays out, as plain text
    assert '<a href="javascript:alert(1)">here</a>' in drawn
    assert "<script>alert(2)</script>" in drawn
    assert {piece.lower() for piece, hit in pieces if hit} == {"bold"}

    # the reader: header, text, notes and passages
    with qtbot.waitSignal(window.article_shown, timeout=10_000):
        window.browser.open_article(article_id)
    reader = window.reader
    header = shown(reader.header.text(), reader.header.textFormat())
    assert title in header
    assert tag in header
    body = reader.body.toPlainText()
    assert '<a href="javascript:alert(1)">here</a>' in body
    assert "<script>alert(2)</script>" in body
    assert f'<qt><font color=red>rich</font> <img src="{server}/body.png">' in body
    assert reader.current_hit_text().lower() == "bold"
    items = [reader.annotation_list.item(row) for row in range(reader.annotation_list.count())]
    note_item = next(item for item in items if item.data(NOTE_ROLE) is not None)
    passage_item = next(item for item in items if item.data(NOTE_ROLE) is None)
    assert note in note_item.text()
    assert shown(note_item.toolTip()).startswith(note)
    assert note in passage_item.text()
    assert "javascript:alert(1)" in passage_item.text()
    reader.original_toggle.setChecked(True)
    assert f"<img src='{server}/inline.png'>" in reader.body.toPlainText()  # the original file as text, markup and all
    reader.original_toggle.setChecked(False)

    # the sidebar
    qtbot.waitUntil(lambda: window.facets._sections["tag"].rowCount() > 0, timeout=10_000)
    tag_items = [window.facets._sections["tag"].child(row) for row in range(window.facets._sections["tag"].rowCount())]
    assert any(item.text().startswith(tag) for item in tag_items)
    saved = window.facets._sections["saved"]
    qtbot.waitUntil(lambda: saved.rowCount() > 0 and saved.child(0).data(SAVED_ROLE) is not None, timeout=10_000)
    assert saved.child(0).text() == query
    assert shown(saved.child(0).toolTip()) == query

    # dialogs that quote the archivist's words back
    labels: list[str] = []

    def ask(_parent: object, _title: str, label: str, *_args: object, **_kwargs: object) -> tuple[str, bool]:
        labels.append(label)  # what the dialog's label would show; the archivist then cancels
        return "", False

    monkeypatch.setattr("desktop.ui.editing.QInputDialog.getMultiLineText", ask)
    monkeypatch.setattr("PySide6.QtWidgets.QInputDialog.getText", ask)
    window.editing.add_note()
    window.editing.edit_annotation(library.annotations.of(article_id)[0].id)
    window.search.box.setText(query)
    window.search.save_search()
    window.tagging.ask_tag(tag, "Rename or move “{tag}” to:", lambda _new: lambda lib: lib.tags.change([], add=[]))
    assert title in shown(labels[0])
    assert "javascript:alert(1)" in shown(labels[1])
    assert query in shown(labels[2])
    assert tag in shown(labels[3])
    questions: list[str] = []

    def question(_parent: object, _title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        questions.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr("desktop.ui.tagging.QMessageBox.question", question)
    window.tagging.delete_tag(tag)
    qtbot.waitUntil(lambda: bool(questions), timeout=10_000)
    assert tag in shown(questions[0])
    window.ops.edit(lambda lib: lib.tags.rename(tag, tag))  # a KnownError that quotes the tag
    qtbot.waitUntil(lambda: window.ops.error_box is not None, timeout=10_000)
    assert window.ops.error_box is not None
    assert window.ops.error_box.textFormat() == Qt.TextFormat.PlainText
    assert tag in window.ops.error_box.text()
    window.ops.error_box.close()
    summary = library.articles.get(article_id).summary
    assert TrashDialog([summary]).articles.item(0).text() == f"#{article_id}  {title}"
    assert title in TextEditDialog(title, "text").windowTitle()
    assert DetailsDialog(summary).title.text() == title
    skipped = ImportSummary(
        ImportReport(outcomes=(ImportOutcome(f"/in/{title}.txt", "skipped", reason=f"{note} reason"),), cancelled=False)
    )
    assert f"/in/{title}.txt\t{note} reason" in skipped.details.toPlainText()
    window.search.set_query(query)
    qtbot.waitUntil(lambda: window.search.explanation.text() != "" or window.browser.model.rowCount() > 0, timeout=10_000)
    assert window.search.explanation.textFormat() == Qt.TextFormat.PlainText

    # paint it all, tooltips included: a rich-text label would ask for its images now
    for tip in (note_item.toolTip(), saved.child(0).toolTip(), window.browser.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) or ""):
        QToolTip.showText(QPoint(20, 20), tip, window)
        qtbot.wait(50)
    QToolTip.hideText()
    window.grab()
    probe = QLabel(labels[0])
    probe.grab()
    qtbot.wait(200)
    assert Counter.requests == []


def test_csv_neutralises_formulas_in_titles_notes_tags_and_annotations(library: Library, tmp_path: Path) -> None:
    """Every cell a spreadsheet would read as a formula starts with ``'`` in both CSV shapes; JSON keeps the words exactly."""
    src = tmp_path / "in"
    src.mkdir()
    payloads = ['=HYPERLINK("http://127.0.0.1:1/x","click")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)", "\t=1+1", "\r=1+1"]
    for number, payload in enumerate(payloads):
        (src / f"{number}.txt").write_text(
            f"{payload.strip()} headline {number}\n\nHue (VNA) – {payload} appears in the text of story {number} on purpose.\n",
            encoding="utf-8",
        )
    report = library.imports.paths([src])
    ids = [outcome.id or 0 for outcome in report.outcomes]
    assert len(ids) == len(payloads)
    assert all(ids)
    for article_id, payload in zip(ids, payloads, strict=True):
        library.articles.edit_details(article_id, title=payload)
        library.tags.change([article_id], add=[payload.strip()])
        library.notes.add(article_id, payload)
        library.annotations.add_quote(article_id, payload.strip(), note=payload, tags=[payload.strip()])
    articles = tmp_path / "articles.csv"
    annotations = tmp_path / "annotations.csv"
    library.exports.csv(articles, columns=["id", "title", "tags", "notes", "text"])
    library.exports.csv(annotations, per="annotation")
    checked = 0
    for path in (articles, annotations):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        for row in rows[1:]:
            for cell in row:
                assert not cell.startswith(FORMULA_STARTS), (path.name, cell)
                checked += cell.startswith("'")
    assert checked >= 4 * len(payloads)  # titles, tags, notes; annotation notes, quotes and tags
    preview = library.exports.csv_preview(columns=["title", "notes"])
    assert all(not line.startswith(FORMULA_STARTS) for line in preview.splitlines())
    exported = tmp_path / "all.json"
    library.exports.json(exported)
    document = json.loads(exported.read_text(encoding="utf-8"))
    assert {row["body"] for row in document["tables"]["notes"]} == set(payloads)  # JSON is for machines: nothing added


HOSTILE_QUERIES = [
    "'; DROP TABLE articles; --",
    '" OR 1=1 --',
    "' OR '1'='1",
    "1; DELETE FROM tags",
    "%",
    "_",
    "\\",
    "\x00",
    "tag:\"x' OR '1'='1\"",
    'tag:"%"',
    'agency:"VNA\' --"',
    "agency:'",
    "date:2020' OR 1=1",
    "date:2020..'",
    "cluster:1 OR 1=1",
    "cluster:'1'",
    'title:"); DROP TABLE notes; --"',
    'place:"Ha Noi" AND "',
    '"unclosed phrase',
    "((((((((",
    "NOT NOT NOT",
    "*",
    "~",
    "a" * 5000,
]


def test_query_text_never_reaches_sql_and_the_archive_stays_whole(seeded: Library, tmp_path: Path) -> None:
    seeded.tags.change([1], add=['Bob\'s "quoted" tag', "100%_sure"])
    seeded.notes.add(2, "'; DROP TABLE notes; --")
    seeded.vocabulary.save_search("Robert'); DROP TABLE saved_searches;--", "Vietnam")
    before = dump(seeded)
    plain = {query: set(seeded.search.browse(query).ids) for query in ("", "Vietnam")}
    for query in HOSTILE_QUERIES:
        for run in (
            lambda q=query: seeded.search.find(q, facets=True),
            lambda q=query: seeded.search.browse(q),
            lambda q=query: seeded.search.facets(q),
            lambda q=query: seeded.exports.scope_ids(f"search:{q}"),
            lambda q=query: seeded.exports.scope_ids(f"tag:{q}"),
        ):
            with contextlib.suppress(KnownError):  # a plain message is a fine answer; anything else fails the test
                run()
        assert dump(seeded) == before, query
    assert {hit.id for hit in seeded.search.find("DROP TABLE").hits} == {2}  # the note's words, found as words
    assert set(seeded.search.browse('tag:"Bob\'s \\"quoted\\" tag"').ids) <= {1}
    assert seeded.search.browse('tag:"100%_sure"').ids == [1]
    assert seeded.search.browse('tag:"100%"').ids == []  # % and _ are no wildcards in a tag
    assert seeded.vocabulary.saved_query("Robert'); DROP TABLE saved_searches;--") == "Vietnam"
    assert {query: set(seeded.search.browse(query).ids) for query in ("", "Vietnam")} == plain
    assert seeded.check.run().ok


def test_no_sql_is_ever_built_from_strings() -> None:
    """Every raw statement in the product is a literal: the rest is SQLAlchemy expressions with bound parameters."""
    raw_calls = {"text", "exec_driver_sql", "execute", "executescript", "executemany"}
    built: list[str] = []
    raw = 0
    for path in sorted((REPO / "desktop").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id if isinstance(node.func, ast.Name) else ""
            if name not in raw_calls:
                continue
            statement = node.args[0]
            if isinstance(statement, ast.Constant):
                raw += 1
            elif isinstance(statement, ast.JoinedStr | ast.BinOp) or (
                isinstance(statement, ast.Call) and isinstance(statement.func, ast.Attribute) and statement.func.attr == "format"
            ):
                built.append(f"{path.relative_to(REPO)}:{node.lineno}: {ast.unparse(node)[:80]}")
    assert built == []
    assert raw >= 5  # the pragmas and BEGIN of store/sqlite.py: the scan does see raw SQL


class Marker:
    """Unpickling this writes a file: the proof that some code unpickled it."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (Path.write_text, (Path(self.path), "pickle ran"))  # type: ignore[return-value]


class Trap(whoosh_fields.ID):  # type: ignore[misc]
    """A field whose pickle, in the index's table of contents, runs code when the index is opened."""

    def __init__(self, marker: Path) -> None:
        super().__init__(stored=True)
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[Path, str]]:
        return (Path.write_text, (self.marker, "pickle ran"))


def plant_foreign_index(folder: Path, marker: Path) -> None:
    """A real Whoosh index that looks current to the archive and whose table of contents runs code when unpickled."""
    folder.mkdir(parents=True, exist_ok=True)
    whoosh_index.create_in(str(folder), whoosh_fields.Schema(id=Trap(marker)), indexname=INDEX_NAME)
    (folder / META_FILE).write_text(json.dumps({"schema_version": SCHEMA_VERSION}), encoding="utf-8")


def test_the_index_is_only_ever_opened_from_the_archive_folder_and_never_through_a_link(seeded: Library, tmp_path: Path) -> None:
    """Whoosh's table of contents is a pickle, so an index from elsewhere is never opened: a foreign index beside the
    archive, in the working folder, or linked in as the archive's own ``index`` is not read; the index is rebuilt."""
    root = seeded.folder.root
    seeded.close()
    marker = tmp_path / "ran.txt"
    for elsewhere in (root.parent / "index", root / "backups" / "index", root / "index.new", root / "index.old"):
        plant_foreign_index(elsewhere, marker)
    foreign = tmp_path / "foreign-index"
    plant_foreign_index(foreign, marker)
    control = tmp_path / "control"
    plant_foreign_index(control, tmp_path / "control-ran.txt")
    with contextlib.suppress(Exception):
        whoosh_index.open_dir(str(control), indexname=INDEX_NAME)  # the trap is live: opening it runs its code
    assert (tmp_path / "control-ran.txt").read_text(encoding="utf-8") == "pickle ran"
    own = root / "index"
    shutil.rmtree(own)
    own.symlink_to(foreign, target_is_directory=True)
    with Library.open(root) as reopened:
        assert any("link to somewhere else" in notice for notice in reopened.notices), reopened.notices
        assert [hit.id for hit in reopened.search.find("Vietnam").hits]
        assert reopened.check.run().ok
    assert not marker.exists()
    assert not own.is_symlink()
    assert own.is_dir()
    assert any(foreign.glob(f"_{INDEX_NAME}_*.toc"))  # the link's target is left alone, never deleted through the link
    with Library.open(root, read_only=True) as reader:
        assert reader.articles.count() == 5
    assert not marker.exists()
    constructed = [
        f"{path.relative_to(REPO)}:{node.lineno}"
        for path in sorted((REPO / "desktop").rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("ArticleIndex", "IndexWriterProcess")
        and not (ast.unparse(node.args[0]) in ("folder.index", "self.folder.index") or path.name == "process.py")
    ]
    assert constructed == []  # every index the product opens is <archive>/index


def test_a_json_import_never_unpickles_and_pickles_inside_it_are_just_data(library: Library, tmp_path: Path) -> None:
    marker = tmp_path / "ran.txt"
    payload = pickle.dumps(Marker(marker))
    pickle.loads(pickle.dumps(Marker(tmp_path / "control.txt")))  # the payload is live: unpickling it runs its code
    assert (tmp_path / "control.txt").exists()
    document = {
        "format": "archive-browser-json",
        "version": 1,
        "tables": {
            "originals": [{"id": 1, "data": {"base64": base64.b64encode(payload).decode()}, "sha256": "0" * 64, "encoding": "pickle"}],
            "settings": [{"key": "pickled", "value": payload.decode("latin-1")}],
            "index": [{"toc": {"base64": base64.b64encode(payload).decode()}}],
        },
    }
    path = tmp_path / "pickled.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with contextlib.suppress(KnownError):  # a damaged export is refused in plain words; what matters: nothing unpickled
        library.exports.import_json(path)
    assert not marker.exists()
    jsonl = tmp_path / "pickled.jsonl"
    jsonl.write_bytes(
        json.dumps({"title": "Pickle", "text": "Hue (VNA) – " + payload.decode("latin-1")}).encode() + b"\n" + payload + b"\n"
    )
    library.imports.paths([jsonl])
    assert not marker.exists()
    unsafe = {"pickle", "marshal", "shelve", "dill", "yaml", "eval", "exec"}  # modules and builtins that run what they read
    for path in sorted((REPO / "desktop").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = {alias.name.split(".")[0] for alias in node.names} | {(getattr(node, "module", None) or "").split(".")[0]}
                assert not names & unsafe, (path.name, node.lineno)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in unsafe, (path.name, node.lineno)
