"""Background tasks: results come back by signal, and emitting signals keeps Python's references intact."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

from desktop.ui.workers import Runner


class _Emitter(QObject):
    value = Signal(object)
    counts = Signal(int, int, str)


def test_results_and_errors_come_back_to_the_gui_thread(qtbot) -> None:
    runner = Runner("test")
    results: list[object] = []
    errors: list[tuple[str, bool]] = []
    runner.submit(lambda _context: 41 + 1, on_result=results.append)
    runner.submit(lambda _context: None, on_result=results.append)
    runner.submit(lambda _context: 1 / 0, on_result=results.append, on_error=lambda message, known: errors.append((message, known)))
    qtbot.waitUntil(lambda: len(results) == 2 and len(errors) == 1, timeout=5000)
    assert results == [42, None]
    assert "ZeroDivisionError" in errors[0][0]
    assert errors[0][1] is False


def test_many_emits_do_not_eat_references_to_true_or_none(qtbot) -> None:
    """PySide6-Essentials 6.12.0 dropped a reference to True on every emit(); the app aborted after a long import."""
    emitter = _Emitter()
    emitter.value.connect(lambda _value: None)
    emitter.counts.connect(lambda *_args: None)
    runner = Runner("emits")
    before_true, before_none = sys.getrefcount(True), sys.getrefcount(None)

    def work(_context: object) -> None:
        for _ in range(500):
            emitter.value.emit(None)
            emitter.counts.emit(1, 2, "x")

    done: list[object] = []
    runner.submit(work, on_result=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    qtbot.wait(50)
    assert abs(sys.getrefcount(True) - before_true) < 50
    assert abs(sys.getrefcount(None) - before_none) < 50
