"""The window's part in escalation: the supervisors' alert badge in the status bar, the
alerts shown when a supervisor signs in, and the clock that escalates what becomes overdue.

Every window, whoever is signed in, runs the escalation clock (app/services/escalations.py
`escalate_by_clock`) at start and every minute, off the UI thread: the rules fire by the
clock wherever a desk is open (and `main.py escalate` runs it where none is). The badge
counts the open alerts for supervisors and administrators; a click opens the alerts (F8),
and at sign-in a supervisor with open alerts is shown them first.
"""

from __future__ import annotations

import logging

import shiboken6
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMainWindow, QPushButton

from app.i18n import _, ngettext
from app.permissions import HANDLE_ESCALATIONS, can
from app.services.escalations import escalate_by_clock, open_alert_count
from ui.context import DeskContext
from ui.tasks import run_task

SWEEP_MS = 60_000  # overdue complaints are escalated within a minute of their due time
COUNT_MS = 15_000  # other counters' escalations and handling show in the badge this soon
ALERTS_VIEW = "alerts"
_log = logging.getLogger(__name__)


class AlertWatch(QObject):
    def __init__(self, window: QMainWindow, ctx: DeskContext) -> None:
        super().__init__(window)
        self.window, self.ctx = window, ctx
        self.count = 0
        self.sweeping = self.counting = False
        self.badge = QPushButton()
        self.badge.setObjectName("alertBadge")
        self.badge.setFlat(True)
        self.badge.clicked.connect(lambda: ctx.signals.show_view.emit(ALERTS_VIEW))
        window.statusBar().addPermanentWidget(self.badge)
        self.sweep_timer = QTimer(self)
        self.sweep_timer.setInterval(SWEEP_MS)
        self.sweep_timer.timeout.connect(self.sweep)
        self.sweep_timer.start()
        self.count_timer = QTimer(self)
        self.count_timer.setInterval(COUNT_MS)
        self.count_timer.timeout.connect(lambda: self.update_count())
        self.count_timer.start()
        ctx.signals.actor_changed.connect(lambda: self.update_count(show=True))
        ctx.signals.data_changed.connect(lambda _ref: self.update_count())
        ctx.signals.language_changed.connect(lambda _lang: self.retranslate())
        self.retranslate()
        self.sweep(show=True)

    def supervising(self) -> bool:
        return can(self.ctx.actor, HANDLE_ESCALATIONS)

    def sweep(self, show: bool = False) -> None:
        """Escalate what the clock rules say now (a write, off the UI thread), then count."""
        if self.sweeping:
            return
        self.sweeping = True
        db = self.ctx.db

        def done(added: int) -> None:
            if not shiboken6.isValid(self):
                return
            self.sweeping = False
            if added:
                self.ctx.signals.data_changed.emit("")  # timelines and lists show them
            self.update_count(show=show)

        def failed(error: BaseException) -> None:
            if not shiboken6.isValid(self):
                return
            self.sweeping = False
            # A busy or briefly unreachable database: the next minute tries again.
            _log.warning("escalation clock: %s", error)
            self.update_count(show=show)

        run_task(lambda: escalate_by_clock(db), done, failed, write=True)

    def update_count(self, show: bool = False) -> None:
        if self.counting and not show:
            return
        self.counting = True
        db = self.ctx.db

        def done(count: int) -> None:
            if not shiboken6.isValid(self):
                return
            self.counting = False
            self.count = count
            self.retranslate()
            if show and count and self.supervising():
                self.ctx.signals.show_view.emit(ALERTS_VIEW)

        def failed(error: BaseException) -> None:
            if shiboken6.isValid(self):
                self.counting = False
                _log.warning("alert count: %s", error)

        run_task(lambda: open_alert_count(db), done, failed)

    def retranslate(self) -> None:
        self.badge.setVisible(self.supervising())
        # The flag is drawn, not translated: the texts stay within Windows' code pages.
        self.badge.setText("⚑ " + ngettext("{count} alert", "{count} alerts", self.count,
                                           count=self.count))
        self.badge.setToolTip(_("Complaints escalated to the supervisors, not yet handled "
                                "(F8)"))
        colour = "#b3261e" if self.count else "#555555"
        weight = 600 if self.count else 400
        self.badge.setStyleSheet(f"QPushButton {{ color: {colour}; font-weight: {weight}; "
                                 "border: none; padding: 0 6px; }")


def attach(window: QMainWindow, ctx: DeskContext) -> AlertWatch:
    watch = AlertWatch(window, ctx)
    window.alert_watch = watch  # type: ignore[attr-defined]  # keep it alive
    return watch
