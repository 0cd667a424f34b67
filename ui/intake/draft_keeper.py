"""Keeps the intake draft on disk while the clerk types: at most ~1 s of typing is lost to a
crash or power cut. Writes are atomic and fsynced (app.drafts)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from app import clock
from app.atomic_files import FileInUse
from app.drafts import Draft, discard_draft, load_draft, save_draft

WRITE_AFTER_MS = 1000


class DraftKeeper(QObject):
    """`snapshot()` returns the form's fields, or None when the form is empty (no draft)."""

    failed = Signal(str)  # the draft could not be written (disk full, folder read-only ...)

    def __init__(self, folder: Path, name: str, snapshot: Callable[[], dict[str, Any] | None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.folder, self.name, self.snapshot = folder, name, snapshot
        self.writes = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(WRITE_AFTER_MS)
        self._timer.timeout.connect(self.write)
        self._failing = False

    def touch(self) -> None:
        """Something changed: write within a second. The timer is not restarted by further
        changes, so steady typing still reaches the disk every second."""
        if not self._timer.isActive():
            self._timer.start()

    def pending(self) -> bool:
        return self._timer.isActive()

    def flush(self) -> None:
        """Write now if a change is waiting (closing the window, switching user ...)."""
        if self._timer.isActive():
            self._timer.stop()
            self.write()

    def write(self) -> None:
        data = self.snapshot()
        try:
            if data is None:
                discard_draft(self.folder, self.name)
            else:
                save_draft(self.folder, self.name, data, clock.now())
                self.writes += 1
        except (OSError, FileInUse) as e:  # FileInUse: held open for long (Windows)
            if not self._failing:  # say it once, not on every key press
                self.failed.emit(str(e))
            self._failing = True
        else:
            self._failing = False

    def load(self) -> Draft | None:
        return load_draft(self.folder, self.name)

    def discard(self) -> None:
        self._timer.stop()
        try:
            discard_draft(self.folder, self.name)
        except (OSError, FileInUse) as e:  # the form was saved all the same: say why it stays
            self.failed.emit(str(e))
