"""The later parts of the procedure: solution and approval, the customer's agreement,
implementation, the revisit, and the close."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QListView, QPushButton, QWidget

from app.codes import choices, field_label, label
from app.formatting import format_money as money_text
from app.formatting import join_list
from app.i18n import N_, _
from app.money import format_money
from app.permissions import APPROVE_COMPENSATION, can
from app.rules.edits import can_edit
from app.services import resolution, revisits
from app.services.complaints import ComplaintDetail
from app.services.list_choices import list_choices
from app.workflow import (
    PART_AGREEMENT,
    PART_APPROVAL,
    PART_IMPLEMENTATION,
    PART_REVISIT,
    PART_SOLUTION,
)
from ui.complaint import dialogs
from ui.complaint.clock_text import short_date, short_datetime
from ui.complaint.section import WAIT_COLOUR, Section, enable, stage_label
from ui.complaint.sections_early import button_row, text_box
from ui.widgets.amounts_editor import AmountsEditor
from ui.widgets.check_group import CheckGroup
from ui.widgets.choice_combo import ChoiceCombo

SATISFACTION = (N_("Very dissatisfied"), N_("Dissatisfied"), N_("Acceptable"), N_("Satisfied"),
                N_("Very satisfied"))


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

    def __init__(self, panel: Any) -> None:
        super().__init__(panel)
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
        self.earlier = QLabel()  # the ledger's earlier entries, kept on record
        self.earlier.setWordWrap(True)
        self.earlier.setTextFormat(Qt.TextFormat.PlainText)
        self.earlier.setStyleSheet("color: palette(mid);")
        self.body.addWidget(self.earlier)
        decide = QWidget()
        row = QHBoxLayout(decide)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.approval_comment, 1)
        row.addWidget(self.approve_button)
        row.addWidget(self.reject_button)
        self.body.addWidget(decide)

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
        deciding = (can(self.panel.ctx.actor, APPROVE_COMPENSATION)
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
        ref, ctx = self.panel.reference, self.panel.ctx
        self.panel.save(self, lambda version: resolution.propose_solution(
            ctx.db, ref, types=self.types.codes(), amounts=self.amounts.amounts(),
            description=self.description.toPlainText(), actor=ctx.actor,
            expected_version=version))

    def decide(self, approve: bool) -> None:
        ref, ctx = self.panel.reference, self.panel.ctx
        comment = self.approval_comment.text()
        if self.panel.save(None, lambda version: resolution.decide_approval(
                ctx.db, ref, approve=approve, comment=comment, actor=ctx.actor,
                expected_version=version)):
            self.approval_comment.clear()

    def fill(self, d: ComplaintDetail) -> None:
        # The editable list; types retired since stay shown on this complaint.
        pairs = list_choices(self.panel.ctx.db, "solution_type", keep=d.solution_types)
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


class AgreementSection(Section):
    part = PART_AGREEMENT
    title_msgid = N_("4. Customer's agreement")

    def __init__(self, panel: Any) -> None:
        super().__init__(panel)
        self.grid.hide()
        self.agree_button = QPushButton()
        self.agree_button.clicked.connect(self.agree)
        self.body.addWidget(button_row(self.agree_button))

    def refresh(self, d: ComplaintDetail) -> None:
        f = d.facts
        assert f is not None
        can = (f.solution_proposed and not f.customer_agreed and d.approval_state != "rejected"
               and can_edit(d.stage, PART_AGREEMENT))
        enable(self.agree_button, can)
        if f.customer_agreed and d.customer_agreed_at:
            self.set_status(_("Done."), note=_("The customer agreed on {when}.",
                                               when=short_datetime(d.customer_agreed_at)))
        else:
            self.set_status(_("Needed for {stage}:", stage=stage_label("in_progress")),
                            [(_("customer's agreement"), False)],
                            _("If the customer declines, go back to investigating (button "
                              "above) and propose another solution."))

    def agree(self) -> None:
        ref, ctx = self.panel.reference, self.panel.ctx
        self.panel.save(None, lambda version: resolution.record_agreement(
            ctx.db, ref, actor=ctx.actor, expected_version=version))

    def retranslate_own(self) -> None:
        self.agree_button.setText(_("Customer agrees to the solution"))


class ImplementationSection(Section):
    part = PART_IMPLEMENTATION
    title_msgid = N_("5. Implementation")

    def __init__(self, panel: Any) -> None:
        super().__init__(panel)
        self.done_text = self.editor("implementation", text_box(56))
        self.grid.add("implementation", self.done_text, top_label=True)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save)
        self.body.addWidget(button_row(self.save_button))

    def values_from(self, d: ComplaintDetail) -> dict[str, Any]:
        return {"implementation": d.implementation}

    def refresh(self, d: ComplaintDetail) -> None:
        editable = can_edit(d.stage, PART_IMPLEMENTATION)
        self.set_editable(editable)
        enable(self.save_button, editable)
        f = d.facts
        assert f is not None
        if f.implemented and d.implemented_at:
            self.set_status(_("Done."), note=_("Carried out on {when}.",
                                               when=short_datetime(d.implemented_at)))
        else:
            self.set_status(_("Needed for {stage}:", stage=stage_label("follow_up")),
                            [(field_label("implementation"), False)])

    def save(self) -> None:
        ref, ctx = self.panel.reference, self.panel.ctx
        self.panel.save(self, lambda version: resolution.record_implementation(
            ctx.db, ref, what_was_done=self.done_text.toPlainText(), actor=ctx.actor,
            expected_version=version))

    def retranslate_own(self) -> None:
        self.save_button.setText(_("Record what was done"))


class RevisitSection(Section):
    part = PART_REVISIT
    title_msgid = N_("6. Revisit")

    def __init__(self, panel: Any) -> None:
        super().__init__(panel)
        self.history = QListView()
        self.history.setFixedHeight(52)
        self.history_model = QStringListModel()
        self.history.setModel(self.history_model)
        self.reschedule_button = QPushButton()
        self.reschedule_button.clicked.connect(self.reschedule)
        self.method = self.editor("revisit_method", ChoiceCombo())
        self.satisfaction = self.editor("satisfaction", ChoiceCombo(optional=True))
        self.comment = self.editor("comment", text_box(48))
        g = self.grid
        dates = QWidget()
        row = QHBoxLayout(dates)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.history, 1)
        row.addWidget(self.reschedule_button)
        g.add("revisit_date", dates)
        g.add_pair(("revisit_method", self.method), ("satisfaction", self.satisfaction))
        g.add("comment", self.comment, top_label=True)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.record_button = QPushButton()
        self.record_button.clicked.connect(self.record)
        actions = QWidget()
        row = QHBoxLayout(actions)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.hint, 1)
        row.addWidget(self.record_button)
        self.body.addWidget(actions)

    def values_from(self, d: ComplaintDetail) -> dict[str, Any]:
        return {"revisit_method": "phone", "satisfaction": None, "comment": ""}

    def fill(self, d: ComplaintDetail) -> None:
        super().fill(d)
        lines = []
        for v in d.revisits:
            if v.done_at is None:
                lines.append(_("{date}: scheduled", date=short_date(v.scheduled_for)))
            else:
                verdict = _("satisfied") if v.satisfied else _("not satisfied")
                lines.append(_("{date}: {method}, {score}/5, {verdict} {comment}",
                               date=short_date(v.done_at.date()),
                               method=label("revisit_method", v.method),
                               score=v.satisfaction, verdict=verdict,
                               comment=v.comment or "").strip())
        self.history_model.setStringList(lines or [_("No revisit scheduled yet.")])

    def refresh(self, d: ComplaintDetail) -> None:
        editable = can_edit(d.stage, PART_REVISIT)
        self.set_editable(editable)
        enable(self.record_button, editable)
        pending = [v for v in d.revisits if v.done_at is None]
        enable(self.reschedule_button, editable and bool(pending))
        if editable and pending:
            self.set_status(_("Needed for {stage}:", stage=stage_label("closed")),
                            [(_("a satisfied revisit"), False)],
                            _("Revisit due on {date}.", date=short_date(pending[0].scheduled_for)))
        elif d.stage == "closed":
            self.set_status(_("Done."))
        else:
            self.set_status(_("Scheduled when the solution is carried out (stage {stage}).",
                              stage=stage_label("follow_up")))

    def record(self) -> None:
        ref, ctx = self.panel.reference, self.panel.ctx
        self.panel.save(self, lambda version: revisits.record_revisit(
            ctx.db, ref, method=self.method.code() or "", satisfaction=self.satisfaction.code(),
            comment=self.comment.toPlainText(), actor=ctx.actor, expected_version=version))

    def reschedule(self) -> None:
        d = self.panel.detail
        pending = [v for v in d.revisits if v.done_at is None] if d else []
        if not pending:
            return
        day = dialogs.ask_date(self, _("Change the revisit date"), pending[0].scheduled_for)
        if day is not None:
            ref, ctx = self.panel.reference, self.panel.ctx
            self.panel.save(None, lambda _v: revisits.reschedule(ctx.db, ref, day, ctx.actor),
                            versioned=False)

    def retranslate_own(self) -> None:
        self.method.set_choices(choices("revisit_method"))
        self.satisfaction.set_choices([(str(n), f"{_(text)}")
                                       for n, text in enumerate(SATISFACTION, start=1)])
        self.reschedule_button.setText(_("Change date…"))
        self.hint.setText(_("3 or more: satisfied, the complaint closes. Less: it is reopened "
                            "for investigation."))
        self.record_button.setText(_("Record revisit"))


class CloseSection(Section):
    part = "close"
    title_msgid = N_("7. Close")

    def __init__(self, panel: Any) -> None:
        super().__init__(panel)
        self.grid.hide()

    def refresh(self, d: ComplaintDetail) -> None:
        if d.stage == "closed":
            if d.close_reason:
                note = _("Closed on {when}. Reason: {reason}",
                         when=short_datetime(d.closed_at), reason=escape(d.close_reason))
            else:
                note = _("Closed on {when} after a satisfied revisit ({score}/5).",
                         when=short_datetime(d.closed_at), score=d.satisfaction or "—")
            self.set_status(_("Done."), note=note)
        else:
            self.set_status(_("Open."), note=_(
                "It closes after a satisfied revisit. A supervisor can close it without a "
                "revisit, or reopen it once closed, giving a reason."))
