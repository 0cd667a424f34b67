"""Message boxes and the small questions (a reason, a date) behind one module, so tests patch
these names only."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.i18n import _
from ui.widgets.qt_dates import qdate, to_date


def inform(parent: QWidget | None, text: str, title: str | None = None) -> None:
    QMessageBox.information(parent, title or _("Complaint Desk"), text)


def warn(parent: QWidget | None, text: str, title: str | None = None) -> None:
    QMessageBox.warning(parent, title or _("Complaint Desk"), text)


def error(parent: QWidget | None, text: str, title: str | None = None) -> None:
    """A refusal: something could not be done (the error icon, not a warning's)."""
    QMessageBox.critical(parent, title or _("Complaint Desk"), text)


def ask(parent: QWidget | None, text: str, title: str | None = None) -> bool:
    answer = QMessageBox.question(parent, title or _("Complaint Desk"), text)
    return answer == QMessageBox.StandardButton.Yes


def ask_reason(parent: QWidget | None, prompt: str) -> str | None:
    """A reason typed by the user (a move that needs one); None when cancelled or empty."""
    text, ok = QInputDialog.getMultiLineText(parent, _("Reason"), prompt)
    text = text.strip()
    return text if ok and text else None


def ask_text(parent: QWidget | None, title: str, prompt: str) -> str | None:
    """A text that may be left empty (a note); None only when cancelled."""
    text, ok = QInputDialog.getMultiLineText(parent, title, prompt)
    return text.strip() if ok else None


def ask_date(parent: QWidget | None, title: str, current: date) -> date | None:
    """A date from today on (a revisit moved); None when cancelled."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    edit = QDateEdit(qdate(current))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(qdate(clock.now().date()))
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(edit)
    layout.addWidget(buttons)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return to_date(edit.date())
