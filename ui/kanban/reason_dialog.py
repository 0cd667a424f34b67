"""Asking for the reason a move needs (withdrawal, closing without a revisit, reopening).

Behind one function so tests patch `ui.kanban.reason_dialog.ask_reason`.
"""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QWidget

from app.i18n import _


def ask_reason(parent: QWidget | None, prompt: str) -> str | None:
    """The reason typed, or None when cancelled or left empty."""
    text, ok = QInputDialog.getMultiLineText(parent, _("Reason"), prompt)
    text = text.strip()
    return text if ok and text else None
