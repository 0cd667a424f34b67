"""For the smoke tests and the start-up benchmark: with $COMPLAINT_DESK_EXIT_AFTER_SHOW=1 the
first screen shown (the window, the sign-in or the first-start dialog) prints a marker line
with the time since start, and the program ends."""

from __future__ import annotations

import os
import time

from PySide6.QtWidgets import QApplication

from app.i18n import get_language

ENV_EXIT_AFTER_SHOW = "COMPLAINT_DESK_EXIT_AFTER_SHOW"
SHOWN_MARKER = "COMPLAINT_DESK_WINDOW_SHOWN"
STARTED = time.perf_counter()


def exit_after_show() -> bool:
    return os.environ.get(ENV_EXIT_AFTER_SHOW) == "1"


def report_shown(app: QApplication | None, what: str = "window") -> None:
    ms = (time.perf_counter() - STARTED) * 1000
    print(f"{SHOWN_MARKER} {what} {ms:.0f} ms {get_language()}", flush=True)
    if app is not None:
        app.quit()
