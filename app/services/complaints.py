"""Reading one complaint whole (detail panel, slip, CLI) and editing its intake fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import clock, validation
from app.codes import CHANNELS, DEMANDS, EMOTIONS, TIERS
from app.db import Database
from app.errors import ValidationError
from app.i18n import N_, get_language
from app.models import (
    SHORT_LEN,
    TEXT_LEN,
    Attachment,
    Complaint,
    ComplaintEvent,
    Contact,
    Customer,
    Investigation,
    ListValue,
    Revisit,
    TypicalCase,
    User,
)
from app.rules.edits import PART_INTAKE, require_editable
from app.rules.stages import UNRESOLVED_STAGES
from app.services.common import SYSTEM, Actor, Saved, facts_of, list_value, load_complaint, touch
from app.services.escalations import Alert, alerts_in, escalate_at_save
from app.services.ledger import current_solution, entries_of
from app.services.questionnaire import answers_of
from app.settings import get as get_setting
from app.settings import sla_policy
from app.sla import assessed_due_times, is_overdue
from app.timeline import actor_shown, describe, record
from app.workflow import Facts, allowed_moves


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    actor: str
    kind: str
    text: str  # in the language current when read
    data: dict[str, Any]


@dataclass(frozen=True)
class ContactEntry:
    at: datetime
    method: str
    summary: str
    unreachable: bool
    by: str


@dataclass(frozen=True)
class RevisitEntry:
    scheduled_for: date
    done_at: datetime | None
    method: str | None
    satisfaction: int | None
    comment: str | None
    satisfied: bool | None
    # The questionnaire as answered: (the question in the words asked, 1-5), in asking order.
    answers: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class AttachmentEntry:
    id: int
    name: str
    stored_name: str
    sha256: str
    size: int


@dataclass(frozen=True)
class LedgerEntry:
    """One solution proposed for the complaint (app/rules/compensation.py), oldest first."""

    round: int  # 0 before any reopen, 1 after the first ...
    types: list[str]
    amounts: dict[str, int]  # cents per type ({}: an old mixed entry, only the total known)
    amount_cents: int
    proposed_at: datetime
    approval_state: str
    customer_agreed_at: datetime | None
    implemented_at: datetime | None
    superseded_at: datetime | None


@dataclass(frozen=True)
class ComplaintDetail:
    id: int
    reference: str
    version: int
    stage: str
    received_at: datetime
    channel: str
    customer_id: int | None
    customer_name: str
    phone: str | None
    email: str | None
    tier: str
    customer_complaints: int
    subject: str | None  # codes (labels via `labels`)
    category: str | None
    department: str | None
    labels: dict[str, str]  # subject/category/department labels in the current language
    location: str | None
    staff_involved: str | None
    description: str
    emotion: str | None
    demands: list[str]
    severity: str
    owner_id: int | None
    owner_name: str
    recorded_by: str
    verified: str | None
    first_contact_due_at: datetime | None
    first_contact_at: datetime | None
    due_at: datetime | None
    paused_since: datetime | None
    paused_minutes: int
    overdue: bool
    resolved_at: datetime | None
    closed_at: datetime | None
    close_reason: str | None
    reopen_count: int
    is_repeat: bool
    satisfaction: int | None
    findings: str | None = None
    root_cause: str | None = None
    responsibility: str | None = None
    evidence: str | None = None
    # The current entry of the compensation ledger (none after a reopen until a new one).
    solution_types: list[str] = field(default_factory=list)
    amount_cents: int = 0
    solution_amounts: dict[str, int] = field(default_factory=dict)  # cents per type
    solution_description: str | None = None
    approval_state: str = "not_needed"
    approval_comment: str | None = None
    customer_agreed_at: datetime | None = None
    implementation: str | None = None
    implemented_at: datetime | None = None
    approval_threshold_cents: int = 0
    facts: Facts | None = None
    allowed_moves: list[str] = field(default_factory=list)
    ledger: list[LedgerEntry] = field(default_factory=list)
    contacts: list[ContactEntry] = field(default_factory=list)
    revisits: list[RevisitEntry] = field(default_factory=list)
    attachments: list[AttachmentEntry] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    # Its escalations to the supervisors, oldest first (app/services/escalations.py).
    escalations: list[Alert] = field(default_factory=list)
    # Chosen as a typical case (app/services/typical_cases.py): its title and lesson.
    case_title: str | None = None
    case_lesson: str | None = None
    case_marked_by: str = ""
    case_marked_at: datetime | None = None
    # When the incident happened (None: not known, e.g. imported history without it).
    occurred_at: datetime | None = None


def get_detail(db: Database, reference: str, role: str = "clerk") -> ComplaintDetail:
    """Everything about one complaint; NotFound if the reference is unknown."""
    lang = get_language()
    with db.read() as session:
        c = load_complaint(session, reference)
        cust = session.get(Customer, c.customer_id) if c.customer_id else None
        owner = session.get(User, c.owner_id) if c.owner_id else None
        recorder = session.get(User, c.recorded_by_id) if c.recorded_by_id else None
        inv = session.scalar(select(Investigation).where(Investigation.complaint_id == c.id))
        entries = entries_of(session, c.id)
        sol = current_solution(session, c)
        lists = {lv.id: lv for lv in session.scalars(select(ListValue).where(
            ListValue.id.in_([i for i in (c.subject_id, c.category_id, c.department_id) if i])))}
        users = {u.id: u.display_name for u in session.scalars(select(User))}
        count = session.scalar(select(func.count()).select_from(Complaint).where(
            Complaint.customer_id == c.customer_id)) if c.customer_id else 1
        facts = facts_of(session, c)

        def lv(i: int | None) -> ListValue | None:
            return lists.get(i) if i else None

        # Events name list values (category, root cause ...) by code; label them here.
        list_labels = {(v.kind, v.code): v.label(lang) for v in session.scalars(
            select(ListValue).where(ListValue.kind.in_(
                ("subject", "category", "department", "root_cause", "solution_type"))))}
        events = session.scalars(select(ComplaintEvent).where(
            ComplaintEvent.complaint_id == c.id).order_by(ComplaintEvent.id))
        contacts = session.scalars(select(Contact).where(Contact.complaint_id == c.id)
                                   .order_by(Contact.at, Contact.id))
        visits = list(session.scalars(select(Revisit).where(Revisit.complaint_id == c.id)
                                      .order_by(Revisit.id)))
        answers = answers_of(session, [v.id for v in visits], lang)
        files = session.scalars(select(Attachment).where(Attachment.complaint_id == c.id)
                                .order_by(Attachment.id))
        case = session.scalar(select(TypicalCase).where(TypicalCase.complaint_id == c.id))
        return ComplaintDetail(
            id=c.id, reference=c.reference, version=c.version, stage=c.stage,
            received_at=c.received_at, channel=c.channel, customer_id=c.customer_id,
            customer_name=cust.name if cust else "", phone=cust.phone if cust else None,
            email=cust.email if cust else None, tier=cust.tier if cust else "ordinary",
            customer_complaints=int(count or 1),
            subject=(s.code if (s := lv(c.subject_id)) else None),
            category=(k.code if (k := lv(c.category_id)) else None),
            department=(d.code if (d := lv(c.department_id)) else None),
            labels={name: v.label(lang) for name, i in (
                ("subject", c.subject_id), ("category", c.category_id),
                ("department", c.department_id)) if (v := lv(i)) is not None},
            location=c.location, staff_involved=c.staff_involved, description=c.description,
            emotion=c.emotion, demands=list(c.demands or []), severity=c.severity,
            owner_id=c.owner_id, owner_name=owner.display_name if owner else "",
            recorded_by=recorder.display_name if recorder else "",
            verified=c.verified, first_contact_due_at=c.first_contact_due_at,
            first_contact_at=c.first_contact_at, due_at=c.due_at, paused_since=c.paused_since,
            paused_minutes=c.paused_minutes,
            overdue=is_overdue(c.stage, c.due_at, clock.now(), c.paused_since),
            resolved_at=c.resolved_at, closed_at=c.closed_at, close_reason=c.close_reason,
            reopen_count=c.reopen_count, is_repeat=c.is_repeat, satisfaction=c.satisfaction,
            findings=inv.findings if inv else None, root_cause=inv.root_cause if inv else None,
            responsibility=inv.responsibility if inv else None,
            evidence=inv.evidence if inv else None,
            solution_types=list(sol.types) if sol else [],
            amount_cents=sol.amount_cents if sol else 0,
            solution_amounts=dict(sol.amounts or {}) if sol else {},
            solution_description=sol.description if sol else None,
            approval_state=sol.approval_state if sol else "not_needed",
            approval_comment=sol.approval_comment if sol else None,
            customer_agreed_at=sol.customer_agreed_at if sol else None,
            implementation=sol.implementation if sol else None,
            implemented_at=sol.implemented_at if sol else None,
            approval_threshold_cents=int(get_setting(session, "approval_threshold")),
            facts=facts, allowed_moves=allowed_moves(facts, role),
            ledger=[LedgerEntry(e.round, list(e.types or []), dict(e.amounts or {}),
                                e.amount_cents, e.proposed_at, e.approval_state,
                                e.customer_agreed_at, e.implemented_at, e.superseded_at)
                    for e in entries],
            contacts=[ContactEntry(x.at, x.method, x.summary, x.unreachable,
                                   users.get(x.by_id or 0, "")) for x in contacts],
            revisits=[RevisitEntry(v.scheduled_for, v.done_at, v.method, v.satisfaction,
                                   v.comment, v.satisfied, tuple(answers.get(v.id, ())))
                      for v in visits],
            attachments=[AttachmentEntry(a.id, a.original_name, a.stored_name, a.sha256, a.size)
                         for a in files],
            timeline=[TimelineEntry(e.at, actor_shown(e.actor_id, e.actor_name), e.kind,
                                    describe(e.kind, e.data, list_labels), dict(e.data))
                      for e in events],
            escalations=alerts_in(session, c.id, clock.now()),
            case_title=case.title if case else None, case_lesson=case.lesson if case else None,
            case_marked_by=users.get(case.marked_by_id or 0, "") if case else "",
            case_marked_at=case.marked_at if case else None, occurred_at=c.occurred_at,
        )


# Intake fields a clerk may correct after saving, with how to check each.
EDITABLE = ("channel", "subject", "category", "department", "location", "staff_involved",
            "description", "emotion", "customer_demand", "tier", "occurred_at")


def update_fields(db: Database, reference: str, changes: dict[str, Any], *,
                  actor: Actor = SYSTEM, expected_version: int | None = None) -> Saved:
    """Change intake fields; each change is a timeline event (old → new)."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(sorted(unknown)[0], N_("cannot be changed here"))
    now = clock.now()
    with db.write() as session:
        c = load_complaint(session, reference, expected_version)
        require_editable(c.stage, PART_INTAKE)
        tier_changed: tuple[str | None, str | None] | None = None
        for name, value in changes.items():
            old: Any
            new: Any
            if name in ("subject", "category", "department"):
                attr = f"{name}_id"
                item = list_value(session, name, value or None, name)
                before = session.get(ListValue, getattr(c, attr)) if getattr(c, attr) else None
                old, new = (before.code if before else None), (item.code if item else None)
                setattr(c, attr, item.id if item else None)
            elif name == "channel":
                old, new = c.channel, validation.code(name, value, CHANNELS, required=True)
                c.channel = new or c.channel
            elif name == "emotion":
                old, new = c.emotion, validation.code(name, value, EMOTIONS)
                c.emotion = new
            elif name == "customer_demand":
                new = [d for d in value if d]
                if any(d not in DEMANDS for d in new):
                    raise ValidationError(name, N_("has an unknown value"))
                old, c.demands = list(c.demands or []), new
            elif name == "occurred_at":
                old, new = c.occurred_at, validation.occurred_at(value, c.received_at)
                c.occurred_at = new
            elif name == "tier":
                tier = validation.code(name, value, TIERS, required=True)
                cust = session.get(Customer, c.customer_id) if c.customer_id else None
                if cust is None:
                    continue
                old, new, cust.tier = cust.tier, tier, tier or cust.tier
                if old != new:
                    tier_changed = (old, new)
            else:
                limit = TEXT_LEN if name == "description" else SHORT_LEN
                new = validation.text(name, value, limit, required=name == "description")
                old = getattr(c, name)
                setattr(c, name, new)
            if old != new:
                record(session, c, "field_changed", actor.user_id, actor.name, now, field=name,
                       old=_shown(old), new=_shown(new))
        if tier_changed is not None:
            _due_times_follow_tier(session, c, *tier_changed, actor, now)
        touch(c, now)
        escalate_at_save(session, c, now)
        session.flush()
        return Saved(c.reference, c.stage, c.version)


def _due_times_follow_tier(session: Session, c: Complaint, old_tier: str | None,
                           new_tier: str | None, actor: Actor, now: datetime) -> None:
    """A corrected tier gives the complaint the due times of its new tier (app/sla.py), each
    one that still is what the service levels gave the old tier: a due time set by hand stays.
    Once resolved the clock has stopped and nothing changes."""
    if c.stage not in UNRESOLVED_STAGES:
        return
    policy = sla_policy(session)
    before = assessed_due_times(c.received_at, c.severity, policy, c.paused_minutes, old_tier)
    after = assessed_due_times(c.received_at, c.severity, policy, c.paused_minutes, new_tier)
    if c.first_contact_due_at == before[0]:
        c.first_contact_due_at = after[0]
    if c.due_at == before[1] and after[1] != before[1]:
        record(session, c, "field_changed", actor.user_id, actor.name, now, field="due_at",
               old=_shown(c.due_at), new=_shown(after[1]))
        c.due_at = after[1]


def _shown(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)
