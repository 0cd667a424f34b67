"""Escalation to the supervisors (通报, 升级): the complaint's escalations, by the rules
(overdue, serious or urgent, a repeat customer: app/rules/escalation.py) or by hand, each
open until a supervisor marks it handled. A clerk escalates by hand here, with a reason."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QStringListModel
from PySide6.QtWidgets import QListView, QPushButton

from app.i18n import N_, _, ngettext
from app.permissions import ESCALATE, HANDLE_ESCALATIONS, can
from app.rules.escalation import MANUAL
from app.rules.stages import OPEN_STAGES
from app.services.complaints import ComplaintDetail
from app.services.escalations import Alert, escalate_by_hand, mark_handled
from ui import messages
from ui.complaint.open_complaint import OpenComplaint
from ui.complaint.section import Section, button_row, enable
from ui.widgets.alert_text import handled, handled_question, short_datetime, why

PART_ESCALATION = "escalation"


def line(alert: Alert) -> str:
    state = handled(alert) or _("open")
    return f"{short_datetime(alert.at)}  {why(alert)} — {state}"


class EscalationSection(Section):
    part = PART_ESCALATION
    title_msgid = N_("Escalation to the supervisors")

    def __init__(self, complaint: OpenComplaint) -> None:
        super().__init__(complaint)
        self.grid.hide()
        self.list = QListView()
        self.list.setObjectName("escalations")
        self.list.setFixedHeight(64)
        self.list.setWordWrap(True)
        self.model = QStringListModel()
        self.list.setModel(self.model)
        self.list.selectionModel().currentChanged.connect(lambda *_a: self._enable())
        self.alerts: list[Alert] = []
        self.escalate_button = QPushButton()
        self.escalate_button.setObjectName("escalateByHand")
        self.escalate_button.clicked.connect(self.escalate)
        self.handle_button = QPushButton()
        self.handle_button.setObjectName("markEscalationHandled")
        self.handle_button.clicked.connect(self.mark_handled)
        self.body.addWidget(self.list)
        self.body.addWidget(button_row(self.handle_button, self.escalate_button))
        self.detail: ComplaintDetail | None = None

    def fill(self, d: ComplaintDetail) -> None:
        super().fill(d)
        self.detail = d
        self.alerts = list(d.escalations)
        self.model.setStringList([line(a) for a in self.alerts])
        self.list.setVisible(bool(self.alerts))
        open_ones = [i for i, a in enumerate(self.alerts) if a.handled_at is None]
        if open_ones:
            self.list.setCurrentIndex(self.model.index(open_ones[0]))

    def selected(self) -> Alert | None:
        row = self.list.currentIndex().row()
        return self.alerts[row] if 0 <= row < len(self.alerts) else None

    def refresh(self, d: ComplaintDetail) -> None:
        waiting = sum(1 for a in d.escalations if a.handled_at is None)
        if not d.escalations:
            self.set_status(_("Not escalated."), note=escape(_(
                "The rules escalate overdue, serious or urgent complaints and repeat "
                "customers; escalate by hand when a supervisor must step in.")))
        elif waiting:
            self.set_status(ngettext("Escalated: {count} alert waits for a supervisor.",
                                     "Escalated: {count} alerts wait for a supervisor.",
                                     waiting, count=waiting))
        else:
            self.set_status(_("Escalated; handled by the supervisors."))
        self._enable()

    def _enable(self) -> None:
        d, actor = self.detail, self.complaint.ctx.actor
        manual_open = d is not None and any(a.rule == MANUAL and a.handled_at is None
                                            for a in d.escalations)
        enable(self.escalate_button, d is not None and d.stage in OPEN_STAGES
               and not manual_open, visible=can(actor, ESCALATE))
        alert = self.selected()
        enable(self.handle_button, alert is not None and alert.handled_at is None,
               visible=can(actor, HANDLE_ESCALATIONS))

    def escalate(self) -> None:
        d = self.detail
        if d is None:
            return
        reason = messages.ask_reason(self, _(
            "Why must a supervisor step in on complaint {reference}?", reference=d.reference))
        if not reason:
            return
        ctx = self.complaint.ctx
        actor = ctx.actor  # who asked, even if another person signs in meanwhile
        self.complaint.save(None, lambda ref, _v: escalate_by_hand(ctx.db, ref, reason, actor),
                            versioned=False)

    def mark_handled(self) -> None:
        alert = self.selected()
        if alert is None or alert.handled_at is not None:
            return
        note = messages.ask_text(self, _("Mark handled"), handled_question(alert))
        if note is None:
            return
        ctx = self.complaint.ctx
        actor = ctx.actor  # who asked, even if another person signs in meanwhile
        self.complaint.save(None, lambda _ref, _v: mark_handled(ctx.db, alert.id, note, actor),
                            versioned=False)

    def retranslate_own(self) -> None:
        self.escalate_button.setText(_("Escalate to a supervisor…"))
        self.handle_button.setText(_("Mark handled…"))
        if self.detail is not None:
            self.model.setStringList([line(a) for a in self.detail.escalations])
