"""Loading the board off the GUI thread, and noticing changes made elsewhere.

Requests made while a load runs coalesce into one more load; a result that a newer request
has overtaken is dropped. Polling reads only the cheap change marker and asks for a load
when it moved (another window, an import, another counter on a shared database).
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, Signal

from app.db import Database
from app.services.board import BoardData, load_board
from app.services.changes import ChangeMarker, change_marker
from app.services.queue import QueueFilter
from app.services.search_index import search_terms
from ui.tasks import run_task


class BoardLoader(QObject):
    loaded = Signal(object)  # BoardData, on the GUI thread
    failed = Signal(str)

    def __init__(self, db: Database, request: Callable[[], tuple[QueueFilter, bool]],
                 parent: QObject | None = None) -> None:
        """`request()` gives the filter and whether closed complaints are shown, when asked."""
        super().__init__(parent)
        self.db = db
        self.request = request
        self.marker: ChangeMarker | None = None
        # The last load without search words: a search typed over it is narrowed from it
        # while the data has not changed (app/services/board.py).
        self.base: BoardData | None = None
        self.loading = False
        self.polling = False
        self._wanted = 0  # load requests made so far

    def reload(self) -> None:
        self._wanted += 1
        if not self.loading:
            self._start()

    def _start(self) -> None:
        self.loading = True
        wanted = self._wanted
        f, closed = self.request()
        db, base = self.db, self.base
        run_task(lambda: load_board(db, f, show_closed=closed, base=base),
                 lambda data: self._done(wanted, data), self._failed)

    def _done(self, wanted: int, data: BoardData) -> None:
        if not shiboken6.isValid(self):
            return
        self.loading = False
        if wanted != self._wanted:  # the filter or the data changed meanwhile: load again
            self._start()
            return
        self.marker = data.marker
        if data.query is not None and not search_terms(data.query.text):
            self.base = data
        self.loaded.emit(data)

    def _failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self.loading = False
        self.failed.emit(str(exc))

    def poll(self) -> None:
        """Read the change marker (well under a millisecond) and reload if it moved."""
        if self.loading or self.polling:
            return
        self.polling = True
        db = self.db
        run_task(lambda: change_marker(db), self._polled, self._poll_failed)

    def _polled(self, marker: ChangeMarker) -> None:
        if not shiboken6.isValid(self):
            return
        self.polling = False
        if marker != self.marker:
            self.reload()

    def _poll_failed(self, _exc: BaseException) -> None:
        if shiboken6.isValid(self):
            self.polling = False  # try again at the next tick (a busy shared server)
