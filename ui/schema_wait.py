"""A newer program must change a server database's layout while other counters still use it:
say which counters, and wait until they have closed (checked every few seconds, off the UI
thread), or let the person give up for now."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.i18n import _
from app.migrate import counters_still_connected
from app.schema_versions import Counter, OtherCountersConnected
from ui.tasks import run_task

CHECK_EVERY_MS = 3000


class WaitForCountersDialog(QDialog):
    """Accepted once no other counter is connected; rejected when the person cancels."""

    def __init__(self, error: OtherCountersConnected, db_arg: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wait_for_counters")
        self.db_arg = db_arg
        self.setWindowTitle(_("Waiting for the other counters"))
        self.text = QLabel(error.message())
        self.text.setWordWrap(True)
        self.state = QLabel()
        self.state.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Quit for now"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.state)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        self._show(error.counters)
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        self._checking = False

    def _show(self, counters: list[Counter]) -> None:
        self.state.setText(_("Still connected: {counters}",
                             counters="; ".join(c.describe() for c in counters)))

    def check(self) -> None:
        if self._checking:
            return
        self._checking = True

        def done(counters: list[Counter]) -> None:
            self._checking = False
            if not counters:
                self.timer.stop()
                self.accept()
            else:
                self._show(counters)

        def failed(error: BaseException) -> None:
            self._checking = False
            self.state.setText(_("The server cannot be asked just now: {reason}",
                                 reason=str(error).splitlines()[0] if str(error) else ""))

        run_task(lambda: counters_still_connected(self.db_arg), done, failed)


def wait_for_other_counters(error: OtherCountersConnected, db_arg: str | None) -> bool:
    """True once the other counters have closed (start again), False to quit."""
    return WaitForCountersDialog(error, db_arg).exec() == QDialog.DialogCode.Accepted
