"""Automatic sign-out when nobody has used the program for a while (setting
`idle_signout_minutes`): a shared counter must not stay open under someone else's name.

An event filter on the QApplication notes the time of every key press, click, wheel turn and
mouse move (through app.clock, so tests move time without sleeping); a timer looks every few
seconds whether the idle time has passed and then emits `timed_out` once, until `resume()`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from app import clock

CHECK_EVERY_MS = 5_000
INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove, QEvent.Type.Wheel, QEvent.Type.TouchBegin,
    QEvent.Type.TabletPress, QEvent.Type.InputMethod,
})


class IdleGuard(QObject):
    timed_out = Signal()

    def __init__(self, minutes: Callable[[], int], parent: QObject | None = None) -> None:
        """`minutes()` gives the idle limit (read again before signing out, so a changed
        setting counts at once)."""
        super().__init__(parent)
        self._minutes = minutes
        self.limit = max(1, int(minutes()))
        self.last_input: datetime = clock.now()
        self.paused = False
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() in INPUT_EVENTS and not self.paused:
            self.last_input = clock.now()
        return False

    def idle_minutes(self) -> float:
        return (clock.now() - self.last_input).total_seconds() / 60

    def check(self) -> None:
        """Emit `timed_out` when the idle time has passed (and pause until resume())."""
        if self.paused or self.idle_minutes() < 1:  # the setting's least value
            return
        self.limit = max(1, int(self._minutes()))  # read again: it may have been changed
        if self.idle_minutes() < self.limit:
            return
        self.paused = True
        self.timed_out.emit()

    def resume(self) -> None:
        """Someone signed in again: count from now."""
        self.limit = max(1, int(self._minutes()))
        self.last_input = clock.now()
        self.paused = False

    def pause(self) -> None:
        self.paused = True

    def stop(self) -> None:
        self.paused = True
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
