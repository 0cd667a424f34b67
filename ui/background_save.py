"""A screen's saves off the GUI thread, one at a time (DESIGN §4: a busy database shows
progress, never a frozen window).

While a save runs, the screen stays on view and readable (it scrolls) but takes no input: key
presses, clicks, drops and its own shortcuts are held back, so nothing typed meanwhile lands
in a form about to be cleared, and a second Ctrl+S starts no second save. A strip on the
screen says that it is saving and, when the database makes it wait (another program holds
the write lock, the server is slow), that it is still waiting and for how long. The rest of
the window works meanwhile.

The outcome comes back on the GUI thread as the service's result, or as its exception sorted
by `failure_kind`: refused (the input is wrong: shown at the field), busy (nothing saved, the
input kept), connection lost (the bundle's ConnectionLost, saying whether the save may have
reached the server), changed elsewhere. An exception nobody expects goes to the
unexpected-error path (ui/error_dialog.py) after the screen has kept its input.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import Enum
from typing import Any

import shiboken6
from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QProgressBar, QWidget

from app.db import BUSY, ConnectionLost
from app.errors import Conflict, DeskError
from app.i18n import _
from ui.tasks import run_task

SHOW_AFTER_MS = 250  # a save quicker than this shows no strip at all (no flicker)
WAITING_AFTER_MS = 1500  # from then on the strip says the database makes it wait

# What a frozen screen does not take. Wheel events pass: the screen can still be scrolled.
HELD_BACK = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride,
    QEvent.Type.InputMethod, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick, QEvent.Type.ContextMenu, QEvent.Type.DragEnter,
    QEvent.Type.DragMove, QEvent.Type.Drop, QEvent.Type.TouchBegin, QEvent.Type.TabletPress,
})


class Failure(Enum):
    REFUSED = "refused"  # the service refused the input or the action: shown where it belongs
    BUSY = "busy"  # the write lock was not had in time: nothing saved
    LOST = "lost"  # the server connection broke before the commit: nothing saved
    MAYBE_SAVED = "maybe_saved"  # it broke while the commit was on its way
    CONFLICT = "conflict"  # changed elsewhere since it was read
    UNEXPECTED = "unexpected"  # a fault: the error dialog and the log


def failure_kind(error: BaseException) -> Failure:
    if isinstance(error, ConnectionLost):
        return Failure.MAYBE_SAVED if error.maybe_saved else Failure.LOST
    if isinstance(error, Conflict):
        return Failure.CONFLICT
    if isinstance(error, DeskError):
        return Failure.BUSY if error.msgid == BUSY else Failure.REFUSED
    return Failure.UNEXPECTED


def report_unexpected(error: BaseException) -> None:
    """The unexpected-error path: the log and the error dialog (a failure under pytest-qt)."""
    sys.excepthook(type(error), error, error.__traceback__)


class BusyStrip(QFrame):
    """The screen's "saving…" line: a moving bar and what is happening, with the seconds."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("busyStrip")
        self.setStyleSheet("QFrame#busyStrip { background: #e8f1fb; border: 1px solid #90b4e0;"
                           " border-radius: 4px; } QFrame#busyStrip QLabel { color: #0d3c6e; }")
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy, no known end
        self.bar.setTextVisible(False)
        self.bar.setFixedWidth(90)
        self.bar.setMaximumHeight(12)
        self.text = QLabel()
        self.text.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 3, 8, 3)
        layout.addWidget(self.bar)
        layout.addWidget(self.text, 1)
        self.waiting = False
        self.hide()

    def show_progress(self, elapsed_ms: int) -> None:
        self.waiting = elapsed_ms >= WAITING_AFTER_MS
        if self.waiting:
            self.text.setText(_("Still saving: the database is busy (another program or counter "
                                "is writing to it) or slow to answer. What you entered stays "
                                "here; you will be told the outcome. {seconds} s",
                                seconds=elapsed_ms // 1000))
        else:
            self.text.setText(_("Saving…"))
        self.show()


class InputFreeze(QObject):
    """Holds back the input of one widget and its children (their shortcuts included)."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.widget = widget
        self.active = False
        self._disabled: list[QShortcut] = []

    def freeze(self) -> None:
        if self.active:
            return
        self.active = True
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._disabled = [s for s in self.widget.findChildren(QShortcut) if s.isEnabled()]
        for shortcut in self._disabled:
            shortcut.setEnabled(False)

    def thaw(self) -> None:
        if not self.active:
            return
        self.active = False
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        for shortcut in self._disabled:
            shortcut.setEnabled(True)
        self._disabled = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        return (self.active and event.type() in HELD_BACK and isinstance(watched, QWidget)
                and (watched is self.widget or self.widget.isAncestorOf(watched)))


class BackgroundSave(QObject):
    """Runs one save at a time for `screen`, its input frozen and `strip` showing meanwhile."""

    def __init__(self, screen: QWidget, strip: BusyStrip) -> None:
        super().__init__(screen)
        self.screen = screen
        self.strip = strip
        self.freeze = InputFreeze(screen)
        self.busy = False
        self.started_saves = 0  # for tests: saves actually started
        self._clock = QElapsedTimer()
        self._tick = QTimer(self)
        self._tick.setInterval(SHOW_AFTER_MS)
        self._tick.timeout.connect(self._show_progress)
        self._focus: QWidget | None = None
        self._afterwards: list[Callable[[], None]] = []

    def when_idle(self, action: Callable[[], None]) -> None:
        """Do `action` now, or, while a save runs, once its outcome has been shown (another
        person signing in, another complaint asked for: the save finishes for whoever made
        it, and its outcome is told on the screen it came from)."""
        if self.busy:
            self._afterwards.append(action)
        else:
            action()

    def run(self, work: Callable[[], Any], on_done: Callable[[Any], None],
            on_error: Callable[[BaseException], None]) -> bool:
        """Start `work` on the database thread; False (and nothing started) while a save of
        this screen is still running."""
        if self.busy:
            return False
        self.busy = True
        self.started_saves += 1
        focus = QApplication.focusWidget()
        self._focus = focus if focus is not None and self.screen.isAncestorOf(focus) else None
        self.freeze.freeze()
        self._clock.start()
        self._tick.start()

        def done(result: Any) -> None:
            self._finish()
            try:
                on_done(result)
            finally:
                self._catch_up()

        def failed(error: BaseException) -> None:
            self._finish()
            try:
                on_error(error)
            finally:
                self._catch_up()

        run_task(work, done, failed, write=True)
        return True

    def _catch_up(self) -> None:
        while self._afterwards and not self.busy:
            self._afterwards.pop(0)()

    def _show_progress(self) -> None:
        self._tick.setInterval(1000)  # then once a second, for the seconds shown
        self.strip.show_progress(int(self._clock.elapsed()))

    def _finish(self) -> None:
        self._tick.stop()
        self._tick.setInterval(SHOW_AFTER_MS)
        self.strip.hide()
        self.freeze.thaw()
        self.busy = False
        # The focus stays where the user left it, unless the outcome moves it.
        focus = self._focus
        self._focus = None
        if focus is not None and shiboken6.isValid(focus) and focus.isVisible() \
                and focus.isEnabled() and QApplication.focusWidget() is not focus:
            focus.setFocus(Qt.FocusReason.OtherFocusReason)
