"""The status bar: messages, the progress bar with its Cancel button, and the count of articles shown."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QStatusBar

from desktop.ui.text import literal, tr


class StatusArea(QObject):
    """What the window is doing and what the table shows, in the status bar."""

    cancel_requested = Signal()

    def __init__(self, bar: QStatusBar) -> None:
        super().__init__(bar)
        self.bar = bar
        self.count_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.hide()
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel_requested)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        bar.addPermanentWidget(self.count_label)

    def message(self, text: str, timeout_ms: int = 0) -> None:
        self.bar.showMessage(text, timeout_ms)

    def show_progress(self, label: str, *, cancellable: bool = False) -> None:
        """A busy bar until the first report says how much there is to do."""
        self.progress.setRange(0, 0)
        self.progress.setFormat(label + " %v/%m")
        self.progress.show()
        self.cancel_button.setVisible(cancellable)
        self.cancel_button.setEnabled(cancellable)

    def hide_progress(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()

    def report(self, done: int, total: int, label: str) -> None:
        """A worker's progress report (the ``on_progress`` of a task)."""
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        self.progress.setToolTip(literal(label))
        self.bar.showMessage(f"{label} ({done:,}/{total:,})" if total else label)

    def stopping(self) -> None:
        """Cancel was pressed: the work stops at its next safe point."""
        self.cancel_button.setEnabled(False)
        self.bar.showMessage(tr("Stopping after the current file…"))

    def show_count(self, shown: int, total: int, found: int | None = None) -> None:
        """``found``: about how many a search matched, when more than the ``shown`` best."""
        if found is not None and found > shown:
            self.count_label.setText(
                tr("{shown} best of about {found} matches, {total} articles").format(
                    shown=f"{shown:,}", found=f"{found:,}", total=f"{total:,}"
                )
            )
        else:
            self.count_label.setText(tr("{shown} of {total} articles").format(shown=f"{shown:,}", total=f"{total:,}"))
