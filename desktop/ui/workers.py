"""Background work for the window: serial task runners whose results come back to the GUI thread by signal."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from desktop.core.errors import KnownError


class TaskSignals(QObject):
    progress = Signal(int, int, str)
    result = Signal(object)
    error = Signal(str, bool)  # message (a traceback for bugs), is_known_error
    finished = Signal()


class Context:
    """What a task's work may use: report progress, and ask whether it was cancelled."""

    def __init__(self, signals: TaskSignals) -> None:
        self._signals = signals
        self.cancelled = False

    def progress(self, done: int, total: int, label: str) -> None:
        self._signals.progress.emit(done, total, label)

    def is_cancelled(self) -> bool:
        return self.cancelled


class Task(QRunnable):
    """Run ``work(context)`` off the GUI thread; the work must never touch widgets."""

    def __init__(self, work: Callable[[Context], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.work = work
        self.signals = TaskSignals()
        self.context = Context(self.signals)

    def cancel(self) -> None:
        self.context.cancelled = True

    def run(self) -> None:
        try:
            value = self.work(self.context)
        except KnownError as exc:
            self.signals.error.emit(str(exc), True)
        except Exception:
            self.signals.error.emit(traceback.format_exc(), False)
        else:
            self.signals.result.emit(value)
        finally:
            self.signals.finished.emit()


class Runner(QObject):
    """Tasks run one after another on one background thread, in the order given (like Anki's task manager)."""

    crashed = Signal(str)  # a bug in a task without an error handler: the traceback

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._running: set[Task] = set()

    def submit(
        self,
        work: Callable[[Context], Any],
        *,
        on_result: Callable[[Any], None] | None = None,
        on_error: Callable[[str, bool], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
    ) -> Task:
        task = Task(work)
        if on_result is not None:
            task.signals.result.connect(on_result)
        if on_progress is not None:
            task.signals.progress.connect(on_progress)
        if on_error is not None:
            task.signals.error.connect(on_error)
        else:
            task.signals.error.connect(self._unhandled)
        task.signals.finished.connect(lambda: self._running.discard(task))
        self._running.add(task)
        self._pool.start(task)
        return task

    def _unhandled(self, message: str, known: bool) -> None:
        if not known:
            self.crashed.emit(message)

    def busy(self) -> bool:
        return bool(self._running)

    def wait(self, msecs: int = 30_000) -> bool:
        return bool(self._pool.waitForDone(msecs))
