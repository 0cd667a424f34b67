"""3. Solution and approval: the solution types, an amount per type and the description; a
supervisor's approval when the amount is over the threshold; the compensation ledger's earlier
entries, kept on record."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton

from app.codes import field_label, label
from app.formatting import format_money as money_text
from app.formatting import join_list
from app.i18n import N_, _
from app.money import format_money
from app.permissions import APPROVE_COMPENSATION, can
from app.rules.edits import can_edit
from app.services import resolution
from app.services.complaints import ComplaintDetail
from app.services.list_choices import list_choices
from app.workflow import PART_APPROVAL, PART_SOLUTION
from ui.complaint.clock_text import short_datetime
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
from ui.widgets.amounts_editor import AmountsEditor
from ui.widgets.check_group import CheckGroup


def ledger_text(d: ComplaintDetail, type_labels: dict[str, str]) -> str:
    """The solutions proposed before the current one (the compensation ledger), one a line:
    each with its amount per type and what became of it."""
    lines = []
    current = d.ledger[-1] if d.ledger and d.ledger[-1].round == d.reopen_count else None
    for entry in d.ledger:
        if entry is current:
            continue
        parts = [f"{type_labels.get(t, t)} {money_text(entry.amounts[t])}"
                 if entry.amounts.get(t) else type_labels.get(t, t) for t in entry.types]
        if not entry.amounts and entry.amount_cents:
            parts.append(money_text(entry.amount_cents))
        if entry.implemented_at is not None:
            fate = _("carried out {when}", when=short_datetime(entry.implemented_at))
        elif entry.approval_state == "rejected":
            fate = _("rejected by a supervisor")
        else:
            fate = _("replaced by a later proposal")
        lines.append(_("{date}: {solution} — {fate}", date=short_datetime(entry.proposed_at),
                       solution=join_list(parts), fate=fate))
    return (_("Earlier solutions:") + "\n" + "\n".join(lines)) if lines else ""


class SolutionSection(Section):
    part = PART_SOLUTION
    title_msgid = N_("3. Solution and approval")

    def __init__(self, complaint: OpenComplaint) -> None:
        super().__init__(complaint)
        g = self.grid
        self.types = CheckGroup(columns=4)
        self.editor("solution_types", self.types)
        # The ledger keeps an amount per type: a field for each type ticked.
        self.amounts = AmountsEditor()
        self.editor("amount", self.amounts)
        self._type_labels: dict[str, str] = {}
        self.types.changed.connect(self._types_changed)
        self.description = self.editor("solution_description", text_box(56))
        self.amounts.tab_before, self.amounts.tab_after = self.types, self.description
        g.add("solution_types", self.types)
        g.add("amount", self.amounts)
        g.add("solution_description", self.description, top_label=True)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save)
        self.saves_with = self.save_button
        self.body.addWidget(button_row(self.save_button))
        self.approval = QLabel()
        self.approval.setWordWrap(True)
        self.approval.setTextFormat(Qt.TextFormat.PlainText)
        self.approval_comment = QLineEdit()
        self.approve_button = QPushButton()
        self.approve_button.clicked.connect(lambda: self.decide(True))
        self.decides_with = self.approve_button
        self.reject_button = QPushButton()
        self.reject_button.clicked.connect(lambda: self.decide(False))
        self.body.addWidget(self.approval)
        self.earlier = QLabel()  # the ledger's earlier entries, kept on record
        self.earlier.setWordWrap(True)
        self.earlier.setTextFormat(Qt.TextFormat.PlainText)
        self.earlier.setStyleSheet("color: palette(mid);")
        self.body.addWidget(self.earlier)
        self.body.addWidget(widget_row(self.approval_comment, self.approve_button,
                                       self.reject_button))

    def values_from(self, d: ComplaintDetail) -> dict[str, Any]:
        return {"solution_types": tuple(d.solution_types),
                "amount": tuple((code, format_money(cents))
                                for code, cents in d.solution_amounts.items() if cents),
                "solution_description": d.solution_description}

    def _types_changed(self) -> None:
        self.amounts.set_types([(c, self._type_labels.get(c, c)) for c in self.types.codes()])

    def refresh(self, d: ComplaintDetail) -> None:
        editable = can_edit(d.stage, PART_SOLUTION)
        self.set_editable(editable)
        enable(self.save_button, editable)
        deciding = (can(self.complaint.ctx.actor, APPROVE_COMPENSATION)
                    and can_edit(d.stage, PART_APPROVAL) and d.approval_state == "pending")
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
        actor = ctx.actor  # who asked, even if another person signs in meanwhile
        types, amounts = self.types.codes(), self.amounts.amounts()
        description = self.description.toPlainText()
        self.complaint.save(self, lambda ref, version: resolution.propose_solution(
            ctx.db, ref, types=types, amounts=amounts, description=description,
            actor=actor, expected_version=version))

    def decide(self, approve: bool) -> None:
        ctx = self.complaint.ctx
        actor = ctx.actor  # who asked, even if another person signs in meanwhile
        comment = self.approval_comment.text()
        self.complaint.save(None, lambda ref, version: resolution.decide_approval(
            ctx.db, ref, approve=approve, comment=comment, actor=actor,
            expected_version=version), then=self.approval_comment.clear)

    def fill(self, d: ComplaintDetail) -> None:
        # The editable list; types retired since stay shown on this complaint.
        pairs = list_choices(self.complaint.ctx.db, "solution_type", keep=d.solution_types)
        self._type_labels = dict(pairs)
        self.types.set_choices(pairs)
        super().fill(d)
        self._types_changed()
        self.earlier.setText(ledger_text(d, self._type_labels))
        self.earlier.setVisible(bool(self.earlier.text()))

    def retranslate_own(self) -> None:
        self.amounts.retranslate()
        self.save_button.setText(_("Save solution"))
        self.approval_comment.setPlaceholderText(_("Comment (needed to reject)"))
        self.approve_button.setText(_("Approve"))
        self.reject_button.setText(_("Reject"))
