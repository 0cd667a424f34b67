"""Message boxes behind one small module, so tests patch these names only."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from app.i18n import _


def inform(parent: QWidget | None, text: str, title: str | None = None) -> None:
    QMessageBox.information(parent, title or _("Complaint Desk"), text)


def warn(parent: QWidget | None, text: str, title: str | None = None) -> None:
    QMessageBox.warning(parent, title or _("Complaint Desk"), text)


def ask(parent: QWidget | None, text: str, title: str | None = None) -> bool:
    answer = QMessageBox.question(parent, title or _("Complaint Desk"), text)
    return answer == QMessageBox.StandardButton.Yes
