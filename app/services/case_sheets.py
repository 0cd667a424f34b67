"""What a typical case's sheet shows (app/reports/case_sheet.py): the complaint's story from
intake to revisit, the lesson learned, in one language, anonymised for a training meeting.

Who is shown, and why: the sheet teaches from what happened, not from who. The customer is
"the customer" (name, phone, email, and any long number, email address, licence plate or
person called by title in the texts are taken out); no staff member is named either: the
staff named in a complaint are the customer's account of events, not a finding, and the
people who handled it are shown by their role. The one name printed is the supervisor who
chose the case and wrote its lesson, who answers for the sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from app import clock
from app.db import Database
from app.errors import NotFound
from app.i18n import N_, normalise_language, translate
from app.models import (
    Customer,
    ImprovementAction,
    Investigation,
    ListValue,
    Revisit,
    TypicalCase,
    User,
    improvement_action_complaints,
)
from app.permissions import SEE_TYPICAL_CASES, require
from app.privacy import TrainingMarks, anonymise_for_training
from app.services.common import SYSTEM, Actor, load_complaint
from app.services.ledger import current_solution, given_by_complaint
from app.services.questionnaire import answers_of
from app.settings import get as get_setting

MARKS = (N_("[customer]"), N_("[staff]"), N_("[someone]"), N_("[number]"), N_("[email]"))


@dataclass(frozen=True)
class CaseSheet:
    lang: str
    business_name: str
    currency_symbol: str
    generated_at: datetime
    reference: str
    title: str
    lesson: str
    marked_at: datetime
    marked_by: str
    stage: str
    category: str  # labels in the sheet's language ("" when not set)
    subject: str
    department: str
    location: str
    channel: str  # codes
    severity: str
    tier: str
    emotion: str | None
    demands: list[str]
    received_at: datetime
    occurred_at: datetime | None  # when the incident happened (None: not known)
    first_contact_at: datetime | None
    due_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    withdrawn: bool
    reopen_count: int
    verified: str | None
    description: str
    findings: str
    root_cause: str
    responsibility: str | None
    solution_types: list[str]  # labels
    amount_cents: int
    solution: str  # what was proposed and what was done, anonymised
    satisfaction: int | None
    revisit_method: str | None
    revisit_comment: str
    answers: list[tuple[str, int]] = field(default_factory=list)
    staff_named: bool = False  # the complaint names staff (not printed)
    handled_by_role: str | None = None  # the owner's role
    actions: list[tuple[str, str]] = field(default_factory=list)  # (action, status code)

    @property
    def hours_to_resolve(self) -> float | None:
        if self.resolved_at is None:
            return None
        return round((self.resolved_at - self.received_at).total_seconds() / 3600, 1)

    @property
    def in_time(self) -> bool | None:
        if self.resolved_at is None or self.due_at is None:
            return None
        return self.resolved_at <= self.due_at


def case_sheet_data(db: Database, reference: str, lang: str, *,
                    actor: Actor = SYSTEM) -> CaseSheet:
    """The sheet of a typical case in `lang`; NotFound when the complaint is not a case."""
    require(actor, SEE_TYPICAL_CASES)
    lang = normalise_language(lang)
    marks = TrainingMarks(*(translate(m, lang) for m in MARKS))
    with db.read() as session:
        c = load_complaint(session, reference)
        case = session.scalar(select(TypicalCase).where(TypicalCase.complaint_id == c.id))
        if case is None:
            raise NotFound(N_("Complaint {reference} is not a typical case."),
                           reference=c.reference)
        customer = session.get(Customer, c.customer_id) if c.customer_id else None
        users = list(session.scalars(select(User)))
        by_id = {u.id: u for u in users}
        staff_names = [n for u in users for n in (u.display_name, u.username)]
        if c.staff_involved:
            staff_names.append(c.staff_involved)

        def clean(text: str | None) -> str:
            return anonymise_for_training(
                text, marks, customer_names=[customer.name] if customer else [],
                customer_contacts=[v for v in ((customer.phone, customer.email)
                                               if customer else ()) if v],
                staff_names=staff_names)

        ids = [i for i in (c.category_id, c.subject_id, c.department_id) if i]
        values = {v.id: v for v in session.scalars(select(ListValue).where(
            ListValue.id.in_(ids)))} if ids else {}

        def list_label(value_id: int | None) -> str:
            v = values.get(value_id) if value_id else None
            return v.label(lang) if v is not None else ""

        inv = session.scalar(select(Investigation).where(Investigation.complaint_id == c.id))
        cause = ""
        if inv is not None and inv.root_cause:
            cv = session.scalar(select(ListValue).where(ListValue.kind == "root_cause",
                                                        ListValue.code == inv.root_cause))
            cause = cv.label(lang) if cv is not None else clean(inv.root_cause)
        given = given_by_complaint(session, [c.id]).get(c.id)
        type_labels = {v.code: v.label(lang) for v in session.scalars(select(ListValue).where(
            ListValue.kind == "solution_type"))}
        sol = current_solution(session, c)
        visits = list(session.scalars(select(Revisit).where(
            Revisit.complaint_id == c.id, Revisit.done_at.is_not(None)).order_by(Revisit.id)))
        last = visits[-1] if visits else None
        answers = answers_of(session, [last.id], lang).get(last.id, []) if last else []
        actions = session.execute(
            select(ImprovementAction.action, ImprovementAction.status)
            .join(improvement_action_complaints,
                  improvement_action_complaints.c.action_id == ImprovementAction.id)
            .where(improvement_action_complaints.c.complaint_id == c.id)
            .order_by(ImprovementAction.id)).all()
        owner = by_id.get(c.owner_id) if c.owner_id else None
        marker = by_id.get(case.marked_by_id) if case.marked_by_id else None
        solution_parts = [clean(sol.description)] if sol is not None and sol.description else []
        if sol is not None and sol.implementation and sol.implementation != sol.description:
            solution_parts.append(clean(sol.implementation))
        return CaseSheet(
            lang=lang,
            business_name=str(get_setting(session, "business_name") or ""),
            currency_symbol=str(get_setting(session, "currency_symbol")),
            generated_at=clock.now(),
            reference=c.reference, title=case.title, lesson=case.lesson,
            marked_at=case.marked_at, marked_by=marker.display_name if marker else "",
            stage=c.stage, category=list_label(c.category_id),
            subject=list_label(c.subject_id), department=list_label(c.department_id),
            location=clean(c.location), channel=c.channel, severity=c.severity,
            tier=customer.tier if customer else "ordinary", emotion=c.emotion,
            demands=list(c.demands or []), received_at=c.received_at,
            occurred_at=c.occurred_at,
            first_contact_at=c.first_contact_at, due_at=c.due_at, resolved_at=c.resolved_at,
            closed_at=c.closed_at, withdrawn=bool(c.withdrawn), reopen_count=c.reopen_count,
            verified=c.verified, description=clean(c.description),
            findings=clean(inv.findings) if inv else "", root_cause=cause,
            responsibility=inv.responsibility if inv else None,
            solution_types=[type_labels.get(t, t) for t in (given.types if given else [])],
            amount_cents=given.amount_cents if given else 0,
            solution=" ".join(p for p in solution_parts if p),
            satisfaction=last.satisfaction if last else None,
            revisit_method=last.method if last else None,
            revisit_comment=clean(last.comment) if last else "",
            answers=answers, staff_named=bool((c.staff_involved or "").strip()),
            handled_by_role=owner.role if owner else None,
            actions=[(clean(text), status) for text, status in actions])

