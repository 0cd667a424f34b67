"""The panel's header: reference, stage, severity, customer (tier, history), owner, SLA clock."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.codes import label
from app.db import Database
from app.i18n import _, ngettext
from app.services.complaints import ComplaintDetail
from app.services.customer_lookup import customer_summary
from ui.complaint.clock_text import duration, short_datetime, sla_clock

SEVERITY_COLOURS = {"urgent": "#b3261e", "serious": "#c25e00", "normal": "#3f5f8a",
                    "minor": "#6b6b6b"}
CLOCK_COLOURS = {"overdue": "#b3261e", "paused": "#8a5a00", "ok": "#1b5e20", "done": "#444",
                 "none": "#444"}


def chip(text: str, colour: str) -> str:
    return (f'<span style="background-color:{colour}; color:white;">&nbsp;{text}&nbsp;</span>')


class HeaderBar(QFrame):
    history_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("complaintHeader")
        self.setStyleSheet("QFrame#complaintHeader { background: #f4f6f9; "
                           "border: 1px solid #d5dbe3; border-radius: 4px; }")
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.customer = QLabel()
        self.customer.setTextFormat(Qt.TextFormat.RichText)
        self.history_button = QPushButton()
        self.history_button.setFlat(True)
        self.history_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.history_button.setStyleSheet("color: #0b57d0; text-decoration: underline;")
        self.history_button.clicked.connect(self.history_requested)
        self.clock = QLabel()
        self.clock.setTextFormat(Qt.TextFormat.RichText)
        self.first_contact = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.clock)
        bottom = QHBoxLayout()
        bottom.addWidget(self.customer)
        bottom.addWidget(self.history_button)
        bottom.addStretch(1)
        bottom.addWidget(self.first_contact)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addLayout(bottom)
        self.detail: ComplaintDetail | None = None
        self.customer_count = 0

    def show_detail(self, d: ComplaintDetail | None, role: str, db: Database) -> None:
        self.detail = d
        if d is not None and d.customer_id:
            summary = customer_summary(db, d.customer_id, role)
            self._phone = summary.phone if summary else ""
        else:
            self._phone = ""
        self.retranslate()

    def retranslate(self) -> None:
        d = self.detail
        self.history_button.setVisible(bool(d and d.customer_id))
        if d is None:
            self.title.setText(f"<b>{_('No complaint open')}</b>")
            for w in (self.customer, self.clock, self.first_contact):
                w.clear()
            return
        parts = [f'<span style="font-size:15pt; font-weight:600;">{d.reference}</span>',
                 chip(label("stage", d.stage), "#37474f"),
                 chip(label("severity", d.severity), SEVERITY_COLOURS.get(d.severity, "#555"))]
        if d.is_repeat:
            parts.append(chip(_("Repeat complaint"), "#6a1b9a"))
        if d.reopen_count:
            parts.append(chip(_("Reopened {count}×", count=d.reopen_count), "#8e2424"))
        owner = d.owner_name or _("nobody yet")
        parts.append(_("Owner: {name}", name=owner))
        self.title.setText("&nbsp;&nbsp;".join(parts))
        who = escape(d.customer_name) or _("(no name)")
        self.customer.setText(_("Customer: <b>{name}</b> {phone} · {tier}", name=who,
                                phone=escape(self._phone), tier=label("tier", d.tier)))
        self.history_button.setText(ngettext("History ({count} complaint)",
                                             "History ({count} complaints)",
                                             d.customer_complaints,
                                             count=d.customer_complaints))
        text, kind = sla_clock(d)
        if d.paused_minutes and kind != "paused":
            text += " · " + _("paused {time} in total", time=duration(d.paused_minutes))
        weight = "600" if kind in ("overdue", "paused") else "400"
        icon = {"overdue": "! ", "paused": "‖ "}.get(kind, "")
        self.clock.setText(f'<span style="color:{CLOCK_COLOURS[kind]}; font-weight:{weight}">'
                           f"{icon}{text}</span>")
        if d.first_contact_at is not None:
            self.first_contact.setText(_("First contact: {when}",
                                         when=short_datetime(d.first_contact_at)))
        elif d.first_contact_due_at is not None:
            self.first_contact.setText(_("First contact due: {when}",
                                         when=short_datetime(d.first_contact_due_at)))
        else:
            self.first_contact.clear()
