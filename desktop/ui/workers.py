"""Background work for the window: a QRunnable that reports progress, result and error by signal."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Signal

from desktop.core.errors import KnownError


class TaskSignals(QObject):
    progress = Signal(int, int, str)
    result = Signal(object)
    error = Signal(str, bool)  # message, is_known_error


class Task(QRunnable):
    """Run ``work(progress)`` off the GUI thread; the work must never touch widgets."""

    def __init__(self, work: Callable[[Callable[[int, int, str], None]], Any]) -> None:
        super().__init__()
        self.work = work
        self.signals = TaskSignals()
        self.cancelled = False

    def run(self) -> None:
        try:
            value = self.work(self.signals.progress.emit)
        except KnownError as exc:
            self.signals.error.emit(str(exc), True)
        except Exception:
            self.signals.error.emit(traceback.format_exc(), False)
        else:
            self.signals.result.emit(value)
