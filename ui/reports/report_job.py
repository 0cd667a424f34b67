"""Building the monthly report off the GUI thread, with progress and a cancel flag.

The build checks the flag between sections and after every page (cooperative
cancellation); progress is emitted from the worker and reaches the GUI thread queued.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.db import Database
from app.reports.monthly import MonthlyReport, write_monthly_report
from app.services.common import SYSTEM, Actor
from ui.tasks import run_task


class ReportJob(QObject):
    progressed = Signal(int, str)  # percent, what is being done
    finished = Signal(object)  # MonthlyReport
    failed = Signal(object)  # the exception (ReportCancelled when cancelled)

    def __init__(self, db: Database, month: str, lang: str, out: Path,
                 parent: QObject | None = None, actor: Actor = SYSTEM) -> None:
        super().__init__(parent)
        self.db, self.month, self.lang, self.out = db, month, lang, out
        self.actor = actor  # the service checks the role (app/permissions.py)
        self._cancel = threading.Event()
        self.running = False

    def start(self) -> None:
        self.running = True
        run_task(self._work, self._done, self._failed)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def _work(self) -> MonthlyReport:
        return write_monthly_report(self.db, self.month, self.out, self.lang,
                                    progress=self.progressed.emit,
                                    cancelled=self._cancel.is_set, actor=self.actor)

    def _done(self, result: MonthlyReport) -> None:
        self.running = False
        self.finished.emit(result)

    def _failed(self, error: BaseException) -> None:
        self.running = False
        self.failed.emit(error)
