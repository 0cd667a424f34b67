"""3. Solution and approval: the solution types, amount and description; a supervisor's
approval when the amount is over the threshold."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton

from app.codes import label
from app.formatting import format_money as money_text
from app.i18n import N_, _, field_label
from app.money import format_money
from app.services import resolution
from app.services.complaints import ComplaintDetail
from app.services.list_choices import list_choices
from app.workflow import PART_SOLUTION
from ui.complaint.open_complaint import OpenComplaint
from ui.complaint.section import (
    WAIT_COLOUR,
    Section,
    button_row,
    enable,
    stage_label,
    text_box,
    widget_row,
)
from ui.widgets.check_group import CheckGroup


class SolutionSection(Section):
    part = PART_SOLUTION
    title_msgid = N_("3. Solution and approval")

    def __init__(self, complaint: OpenComplaint) -> None:
        super().__init__(complaint)
        g = self.grid
        self.types = self.editor("solution_types", CheckGroup(columns=4))
        self.amount = self.editor("amount", QLineEdit())
        self.amount.setPlaceholderText("0.00")
        self.description = self.editor("solution_description", text_box(56))
        g.add("solution_types", self.types)
        g.add("amount", self.amount)
        g.add("solution_description", self.description, top_label=True)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save)
        self.body.addWidget(button_row(self.save_button))
        self.approval = QLabel()
        self.approval.setWordWrap(True)
        self.approval.setTextFormat(Qt.TextFormat.PlainText)
        self.approval_comment = QLineEdit()
        self.approve_button = QPushButton()
        self.approve_button.clicked.connect(lambda: self.decide(True))
        self.reject_button = QPushButton()
        self.reject_button.clicked.connect(lambda: self.decide(False))
        self.body.addWidget(self.approval)
        self.body.addWidget(widget_row(self.approval_comment, self.approve_button,
                                       self.reject_button))

    def values_from(self, d: ComplaintDetail) -> dict[str, Any]:
        return {"solution_types": tuple(d.solution_types),
                "amount": format_money(d.amount_cents) if d.amount_cents else "",
                "solution_description": d.solution_description}

    def refresh(self, d: ComplaintDetail) -> None:
        editable = d.stage in ("assessed", "investigating", "proposed")
        self.set_editable(editable)
        enable(self.save_button, editable)
        deciding = self.complaint.ctx.actor.is_supervisor and d.approval_state == "pending"
        for w in (self.approval_comment, self.approve_button, self.reject_button):
            w.setVisible(deciding)
            w.setEnabled(deciding)
        f = d.facts
        assert f is not None
        items = [(field_label("solution_types"), f.solution_proposed)]
        if d.approval_state != "not_needed":
            items.append((label("approval", "approved"), d.approval_state == "approved"))
        done = f.solution_proposed and d.approval_state in ("approved", "not_needed")
        self.set_status(_("Done.") if done else
                        _("Needed for {stage}:", stage=stage_label("in_progress")), items)
        threshold = money_text(d.approval_threshold_cents)
        amount = money_text(d.amount_cents)
        if d.approval_state == "pending":
            text = _("Waiting for a supervisor's approval: {amount} is over {threshold}.",
                     amount=amount, threshold=threshold)
        elif d.approval_state == "approved":
            text = _("Approved by a supervisor: {comment}", comment=d.approval_comment or "—")
        elif d.approval_state == "rejected":
            text = _("Rejected by a supervisor: {comment} Propose another solution.",
                     comment=d.approval_comment or "—")
        else:
            text = _("Amounts over {threshold} need a supervisor's approval.",
                     threshold=threshold)
        colour = WAIT_COLOUR if d.approval_state in ("pending", "rejected") else "palette(text)"
        self.approval.setStyleSheet(f"color: {colour};")
        self.approval.setText(text)

    def save(self) -> None:
        ctx = self.complaint.ctx
        self.complaint.save(self, lambda ref, version: resolution.propose_solution(
            ctx.db, ref, types=self.types.codes(), amount=self.amount.text(),
            description=self.description.toPlainText(), actor=ctx.actor,
            expected_version=version))

    def decide(self, approve: bool) -> None:
        ctx = self.complaint.ctx
        comment = self.approval_comment.text()
        if self.complaint.save(None, lambda ref, version: resolution.decide_approval(
                ctx.db, ref, approve=approve, comment=comment, actor=ctx.actor,
                expected_version=version)):
            self.approval_comment.clear()

    def fill(self, d: ComplaintDetail) -> None:
        # The editable list; types retired since stay shown on this complaint.
        self.types.set_choices(list_choices(self.complaint.ctx.db, "solution_type",
                                            keep=d.solution_types))
        super().fill(d)

    def retranslate_own(self) -> None:
        self.save_button.setText(_("Save solution"))
        self.approval_comment.setPlaceholderText(_("Comment (needed to reject)"))
        self.approve_button.setText(_("Approve"))
        self.reject_button.setText(_("Reject"))
