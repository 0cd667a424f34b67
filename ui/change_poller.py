"""Noticing other counters' changes: read the cheap change marker (app/services/changes.py)
off the UI thread every few seconds while a list is on screen, and say when it moved.

For screens that show a shared list (the revisits due; the board has its own loader) on a
database that several counters use. A failed read (a busy or briefly unreachable server) is
simply tried again at the next tick.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from app.db import Database
from app.services.changes import ChangeMarker, change_marker
from ui.tasks import run_task

POLL_MS = 4000  # other counters' changes show within about this long


class ChangePoller(QObject):
    changed = Signal()

    def __init__(self, db: Database, widget: QWidget, interval_ms: int = POLL_MS) -> None:
        super().__init__(widget)
        self.db, self.widget = db, widget
        self.marker: ChangeMarker | None = None
        self.polling = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def poll(self) -> None:
        if self.polling or not self.widget.isVisible():
            return
        self.polling = True
        db = self.db
        run_task(lambda: change_marker(db), self._polled, self._failed)

    def _polled(self, marker: ChangeMarker) -> None:
        if not shiboken6.isValid(self):
            return
        self.polling = False
        before, self.marker = self.marker, marker
        if before is not None and marker != before:
            self.changed.emit()

    def _failed(self, _exc: BaseException) -> None:
        if shiboken6.isValid(self):
            self.polling = False
