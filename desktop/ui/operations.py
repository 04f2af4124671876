"""One user action in the background: the no-archive guard, known errors versus bugs, undo, and one "changed" signal.

Each flow says what to do and what to show after (like Anki's ``CollectionOp(parent, op).success(...)``)::

    ops.op(lambda library, context: library.articles.trashed()).success(show_trash).read()
    ops.edit(lambda library: library.articles.trash(ids))  # written, pushed on the undo stack, then ``changed``

A ``KnownError`` is shown as its plain message (or handed to ``known_error``); anything else is a bug: the
crash dialog, with the traceback written to the log. Views refresh on ``changed``, never by being called.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.library import Library
from desktop.store.journal import Edit
from desktop.ui.dialogs import CrashDialog, write_crash_log
from desktop.ui.text import tr
from desktop.ui.workers import Context, Runner, Task

T = TypeVar("T")


class Operations(QObject):
    """The open archive, the three background runners, the undo stack, and how outcomes are reported."""

    changed = Signal()  # the archive changed (an edit, an undo, an import, an emptied trash): views refresh

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self.library: Library | None = None
        self.reads = Runner("reads", self)
        self.counts = Runner("counts", self)  # facet counts and warm-ups: never queued in front of the table's next ids
        self.writes = Runner("writes", self)  # one writer: writes are serialised
        for runner in (self.reads, self.counts, self.writes):
            runner.crashed.connect(self.show_bug)
        self.undo_stack = QUndoStack(self)
        self.error_box: QMessageBox | None = None
        self.last_crash: CrashDialog | None = None

    @property
    def writable(self) -> bool:
        return self.library is not None and not self.library.read_only

    def op(self, work: Callable[[Library, Context], T]) -> Op[T]:
        """An action on the open archive; it does nothing when none is open (the no-archive guard, written once)."""
        library = self.library
        if library is None:
            return Op(self, None, read_only=True)
        return Op(self, lambda context: work(library, context), read_only=library.read_only)

    def start(self, work: Callable[[Context], T]) -> Op[T]:
        """An action that needs no open archive (opening one)."""
        return Op(self, work, read_only=False)

    # edits and undo --------------------------------------------------------------------------------
    def edit(self, work: Callable[[Library], Edit]) -> Task | None:
        """Write an edit; when done, push it on the undo stack and announce the change. Refused when read-only."""
        return self.op(lambda library, _context: work(library)).success(self._edited).write()

    def _edited(self, edit: Edit) -> None:
        if not edit.empty:
            self.undo_stack.push(EditCommand(self, edit))
        self.changed.emit()

    def replay(self, edit: Edit, *, backwards: bool) -> None:
        """Undo (``backwards``) or redo an edit already in the journal."""

        def work(library: Library, _context: Context) -> None:
            (library.edits.undo if backwards else library.edits.redo)(edit)

        self.op(work).changes().write()

    # reporting -------------------------------------------------------------------------------------
    def show_error(self, message: str) -> None:
        """A known error: its plain message, as text (a message may quote a tag, a title or a query)."""
        box = QMessageBox(QMessageBox.Icon.Warning, tr("Archive Browser"), message, parent=self._parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.open()
        self.error_box = box

    def show_bug(self, details: str) -> None:
        """A bug: the traceback goes to the log file and into a dialog the user can copy from."""
        dialog = CrashDialog(details, write_crash_log(details), self._parent)
        dialog.setModal(False)
        dialog.show()
        self.last_crash = dialog

    def shut_down(self) -> None:
        """Wait for the runners, then close the archive (the window is closing)."""
        for runner in (self.reads, self.counts, self.writes):
            runner.wait()
        if self.library is not None:
            self.library.close()
            self.library = None


class Op(Generic[T]):
    """One action: the work for a background runner, then what the window does with its outcome.

    On a result: ``always``, ``success``, then ``changed`` if the op ``changes`` the archive. On an error:
    ``always``, ``failure``, then a known error goes to ``known_error`` (default: a message box) and a bug to
    the crash dialog. ``silent`` drops errors: for counts and warm-ups the next refresh asks again.
    """

    def __init__(self, operations: Operations, work: Callable[[Context], T] | None, *, read_only: bool) -> None:
        self._operations = operations
        self._work = work
        self._read_only = read_only
        self._success: Callable[[T], None] | None = None
        self._failure: Callable[[], None] | None = None
        self._known_error: Callable[[str], None] = operations.show_error
        self._always: Callable[[], None] | None = None
        self._progress: Callable[[int, int, str], None] | None = None
        self._changes = False
        self._silent = False

    def success(self, callback: Callable[[T], None]) -> Op[T]:
        self._success = callback
        return self

    def failure(self, callback: Callable[[], None]) -> Op[T]:
        """Also run ``callback`` on any error, before the error is shown."""
        self._failure = callback
        return self

    def known_error(self, callback: Callable[[str], None]) -> Op[T]:
        """Show a known error's message with ``callback`` instead of a message box."""
        self._known_error = callback
        return self

    def always(self, callback: Callable[[], None]) -> Op[T]:
        """Run ``callback`` first on either outcome (hide a progress bar, forget a task)."""
        self._always = callback
        return self

    def progress(self, callback: Callable[[int, int, str], None]) -> Op[T]:
        self._progress = callback
        return self

    def changes(self) -> Op[T]:
        """The op changes the archive: emit ``changed`` after it succeeds."""
        self._changes = True
        return self

    def silent(self) -> Op[T]:
        self._silent = True
        return self

    def read(self) -> Task | None:
        """Run on the readers' runner."""
        return self._submit(self._operations.reads)

    def count(self) -> Task | None:
        """Run on the runner for facet counts and warm-ups, behind nothing the table waits for."""
        return self._submit(self._operations.counts)

    def write(self) -> Task | None:
        """Run on the one writer; refused (``None``) when no archive is open or it is open read-only."""
        return None if self._read_only else self._submit(self._operations.writes)

    def _submit(self, runner: Runner) -> Task | None:
        if self._work is None:
            return None
        # lambdas, not bound methods: the connection then holds this op until its task reports
        return runner.submit(
            self._work,
            on_result=lambda value: self._succeeded(value),
            on_error=lambda message, known: self._failed(message, known),
            on_progress=self._progress,
        )

    def _succeeded(self, value: T) -> None:
        if self._always is not None:
            self._always()
        if self._success is not None:
            self._success(value)
        if self._changes:
            self._operations.changed.emit()

    def _failed(self, message: str, known: bool) -> None:
        if self._always is not None:
            self._always()
        if self._failure is not None:
            self._failure()
        if self._silent:
            return
        if known:
            self._known_error(message)
        else:
            self._operations.show_bug(message)


class EditCommand(QUndoCommand):
    """An edit already done in the archive: undo and redo ask the archive to replay it."""

    def __init__(self, operations: Operations, edit: Edit) -> None:
        super().__init__(edit.label)
        self.operations = operations
        self.edit = edit
        self.done = True  # pushed after the edit ran: the first redo() that push() makes does nothing

    def undo(self) -> None:
        self.operations.replay(self.edit, backwards=True)

    def redo(self) -> None:
        if self.done:
            self.done = False
            return
        self.operations.replay(self.edit, backwards=False)
