"""The stage moves the workflow allows now, one button each, and what the next stage needs."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from app.codes import STAGES, label
from app.errors import MoveRefused
from app.i18n import _
from app.services.complaints import ComplaintDetail
from app.workflow import PART_REASON, MoveKind, check_move


def move_kind(d: ComplaintDetail, stage: str, role: str) -> MoveKind:
    assert d.facts is not None
    return check_move(d.facts, stage, role, reason="x")


def needs_reason(d: ComplaintDetail, stage: str, role: str) -> bool:
    """True when the workflow asks a reason for this move (withdraw, override, reopen)."""
    assert d.facts is not None
    try:
        check_move(d.facts, stage, role, reason=None)
    except MoveRefused as refused:
        return refused.missing == PART_REASON
    return False


def button_text(kind: MoveKind, stage: str) -> str:
    name = label("stage", stage)
    if kind is MoveKind.REWORK:
        return _("↩ Customer declined: back to {stage}", stage=name)
    if kind is MoveKind.REOPEN:
        return _("↩ Reopen ({stage})…", stage=name)
    if kind is MoveKind.CLOSE:
        return _("✓ Close")
    if kind is MoveKind.CLOSE_OVERRIDE:
        return _("Close without revisit…")
    if kind is MoveKind.WITHDRAW:
        return _("Withdraw (close)…")
    if kind is MoveKind.CLOSE_UNFOUNDED:
        return _("Close as unfounded…")
    return _("→ {stage}", stage=name)


class MoveBar(QWidget):
    """Buttons are exactly `detail.allowed_moves`; nothing else can move the complaint here."""

    move_requested = Signal(str)
    part_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = QLabel()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setTextFormat(Qt.TextFormat.RichText)
        self.hint.setStyleSheet("color: #8a5a00;")
        self.go_button = QPushButton()
        self.go_button.setFlat(True)
        self.go_button.setStyleSheet("color: #0b57d0; text-decoration: underline;")
        self.go_button.clicked.connect(lambda: self.part_requested.emit(self._missing or ""))
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.addWidget(self.caption)
        self.buttons: dict[str, QPushButton] = {}
        self._button_row = QHBoxLayout()
        self.row.addLayout(self._button_row)
        self.row.addWidget(self.hint, 1)
        self.row.addWidget(self.go_button)
        self.detail: ComplaintDetail | None = None
        self.role = "clerk"
        self._missing: str | None = None

    def show_detail(self, d: ComplaintDetail | None, role: str) -> None:
        self.detail, self.role = d, role
        for button in self.buttons.values():
            # Gone at once (deleteLater alone would leave it painted until the event loop).
            self._button_row.removeWidget(button)
            button.hide()
            button.setParent(None)
            button.deleteLater()
        self.buttons = {}
        if d is not None:
            for stage in d.allowed_moves:
                button = QPushButton()
                button.clicked.connect(lambda _c=False, s=stage: self.move_requested.emit(s))
                if move_kind(d, stage, role) is MoveKind.FORWARD:
                    button.setStyleSheet("font-weight: 600;")
                self._button_row.addWidget(button)
                button.show()  # added to a shown bar: not shown by itself
                self.buttons[stage] = button
        self.retranslate()

    def next_refusal(self) -> MoveRefused | None:
        """Why the complaint cannot enter its next stage yet (None if it can, or is closed)."""
        d = self.detail
        if d is None or d.facts is None or d.stage == "closed":
            return None
        nxt = STAGES[STAGES.index(d.stage) + 1]
        try:
            check_move(d.facts, nxt, self.role)
        except MoveRefused as refused:
            return refused
        return None

    def retranslate(self) -> None:
        d = self.detail
        self.caption.setText(_("Move:") if d and d.allowed_moves else "")
        if d is not None:
            for stage, button in self.buttons.items():
                button.setText(button_text(move_kind(d, stage, self.role), stage))
        refusal = self.next_refusal()
        self._missing = refusal.missing if refusal else None
        if refusal is not None and d is not None:
            nxt = STAGES[STAGES.index(d.stage) + 1]
            self.hint.setText(_("Before {stage}: {why}", stage=f"<i>{label('stage', nxt)}</i>",
                                why=escape(refusal.message())))
        elif d is not None and d.stage == "closed" and not self.buttons:
            self.hint.setText(escape(_("Closed. Only a supervisor can reopen it.")))
        else:
            self.hint.setText("")
        self.go_button.setVisible(bool(self._missing) and self._missing != PART_REASON)
        self.go_button.setText(_("Go there"))
