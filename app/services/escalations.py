"""Escalating complaints to the supervisors (通报, 升级) and the supervisors' alerts.

The rules are app/rules/escalation.py; this records what they say:
- at a save (intake, assessment, a corrected tier), in the saving transaction:
  `escalate_at_save` checks every rule for that complaint;
- by the clock: `escalate_by_clock` finds, in one query, the complaints whose first contact
  or resolution has become overdue since they were last looked at. Every window runs it on a
  timer and at sign-in; every command that reads the figures or prints the hand-over sheet
  runs it first; `main.py escalate` runs it for a scheduler (cron, Windows' Task Scheduler)
  on a desk where no window is open. It reads first and writes only when there is something
  new, under the write lock, checking again there: several counters sweeping one server
  database at once record each escalation once (the key is also unique in the database);
- by hand: `escalate_by_hand`, a clerk with a reason.

Each escalation is an alert for the supervisors until one of them marks it handled
(`mark_handled`); both are on the complaint's timeline and so in the audit trail. An
escalation is not a change of the complaint: its version stays, so nobody editing it at
another counter is told it changed meanwhile.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, cast, exists, func, literal, select
from sqlalchemy.orm import Session, aliased

from app import clock, validation
from app.db import Database
from app.errors import DeskError, NotFound
from app.i18n import N_
from app.models import TEXT_LEN, Complaint, Customer, Escalation, User
from app.permissions import ESCALATE, HANDLE_ESCALATIONS, require
from app.rules.escalation import (
    FIRST_CONTACT,
    MANUAL,
    RESOLUTION,
    CaseClock,
    EscalationRules,
    Trigger,
    clock_triggers,
    first_contact_key,
    pending,
    save_triggers,
)
from app.rules.escalation_sql import first_contact_sql, resolution_sql
from app.rules.stages import OPEN_STAGES
from app.services.common import SYSTEM, Actor, load_complaint
from app.settings import escalation_rules
from app.sla import is_overdue
from app.timeline import record

CHUNK = 500  # complaints per write transaction of a sweep (the write lock is held briefly)


def case_of(c: Complaint) -> CaseClock:
    return CaseClock(stage=c.stage, severity=c.severity,
                     first_contact_due_at=c.first_contact_due_at,
                     first_contact_at=c.first_contact_at, due_at=c.due_at,
                     paused_since=c.paused_since, reopen_count=c.reopen_count)


def _recorded_keys(session: Session, complaint_ids: Sequence[int]) -> dict[int, set[str]]:
    keys: dict[int, set[str]] = {cid: set() for cid in complaint_ids}
    for cid, key in session.execute(select(Escalation.complaint_id, Escalation.key).where(
            Escalation.complaint_id.in_(complaint_ids), Escalation.key.is_not(None))):
        keys[cid].add(str(key))
    return keys


def _customer_complaints(session: Session, c: Complaint, days: int) -> int:
    """The customer's complaints received in the `days` up to this one's (itself included).
    A customer without a phone number is no returning customer (as at intake)."""
    if c.customer_id is None:
        return 0
    customer = session.get(Customer, c.customer_id)
    if customer is None or (customer.phone is None and customer.anonymised_at is None):
        return 0
    return int(session.scalar(select(func.count()).select_from(Complaint).where(
        Complaint.customer_id == c.customer_id,
        Complaint.received_at > c.received_at - timedelta(days=days),
        Complaint.received_at <= c.received_at)) or 0)


def _write(session: Session, c: Complaint, triggers: Iterable[Trigger], recorded: set[str],
           now: datetime) -> int:
    """Add the escalations not recorded yet, each with its timeline event (by the rules)."""
    added = 0
    for trigger in pending(list(triggers), recorded):
        session.add(Escalation(complaint_id=c.id, rule=trigger.rule, key=trigger.key,
                               at=trigger.at, recorded_at=now, data=dict(trigger.data)))
        record(session, c, "escalated", SYSTEM.user_id, SYSTEM.name, now, rule=trigger.rule,
               **trigger.data)
        recorded.add(trigger.key)
        added += 1
    return added


def escalate_at_save(session: Session, c: Complaint, now: datetime) -> int:
    """Every rule for one complaint just saved, in the saving transaction; the number of
    escalations added."""
    rules = escalation_rules(session)
    session.flush()  # the complaint (new or changed) is what the rules and counts see
    count = _customer_complaints(session, c, rules.repeat_days) if rules.repeat_count else 0
    triggers = clock_triggers(case_of(c), rules, now) + save_triggers(case_of(c), rules, now,
                                                                       count)
    if not triggers:
        return 0
    return _write(session, c, triggers, _recorded_keys(session, [c.id])[c.id], now)


def _resolution_key_sql() -> Any:
    return literal("resolution:") + cast(Complaint.reopen_count, String)


def _candidates(session: Session, rules: EscalationRules, now: datetime) -> list[int]:
    """Complaints for which a clock rule has fired and is not recorded yet (by its key)."""
    found: set[int] = set()

    def unrecorded(key: Any) -> Any:
        return ~exists().where(Escalation.complaint_id == Complaint.id, Escalation.key == key)

    if rules.first_contact:
        found.update(session.scalars(select(Complaint.id).where(
            first_contact_sql(Complaint.stage, Complaint.first_contact_due_at,
                              Complaint.first_contact_at, now, rules.since.get(FIRST_CONTACT)),
            unrecorded(literal(first_contact_key())))))
    if rules.resolution:
        found.update(session.scalars(select(Complaint.id).where(
            resolution_sql(Complaint.stage, Complaint.due_at, Complaint.paused_since, now,
                           rules.since.get(RESOLUTION)),
            unrecorded(_resolution_key_sql()))))
    return sorted(found)


def escalate_by_clock(db: Database, now: datetime | None = None) -> int:
    """Record the clock rules that have fired (overdue first contact or resolution) and are
    not recorded yet; the number of escalations added. Cheap when there is nothing new: one
    read, no write lock."""
    now = now or clock.now()
    with db.read() as session:
        rules = escalation_rules(session)
        if not (rules.first_contact or rules.resolution) or not _candidates(session, rules, now):
            return 0
    added = 0
    while True:
        # Under the write lock, found again: another counter may have recorded some meanwhile.
        # A chunk at a time, so the lock is held briefly even after a long pause.
        with db.write() as session:
            rules = escalation_rules(session)
            part = _candidates(session, rules, now)[:CHUNK]
            recorded = _recorded_keys(session, part)
            now_added = 0
            for c in session.scalars(select(Complaint).where(Complaint.id.in_(part))):
                now_added += _write(session, c, clock_triggers(case_of(c), rules, now),
                                    recorded[c.id], now)
        added += now_added
        if len(part) < CHUNK or not now_added:
            return added


def escalate_by_hand(db: Database, reference: str, reason: str, actor: Actor = SYSTEM) -> int:
    """A clerk escalates a complaint to the supervisors, saying why; the escalation's id.

    Refused on a closed complaint, and while an escalation by hand of it still waits for a
    supervisor (the reason goes to the complaint's notes or its contacts instead)."""
    require(actor, ESCALATE)
    text = validation.text("reason", reason, TEXT_LEN, required=True)
    now = clock.now()
    with db.write() as session:
        c = load_complaint(session, reference)
        if c.stage not in OPEN_STAGES:
            raise DeskError(N_("Complaint {reference} is closed: it cannot be escalated."),
                            reference=c.reference)
        waiting = session.scalar(select(Escalation.id).where(
            Escalation.complaint_id == c.id, Escalation.rule == MANUAL,
            Escalation.handled_at.is_(None)))
        if waiting is not None:
            raise DeskError(N_("Complaint {reference} is already escalated by hand and waits "
                               "for a supervisor."), reference=c.reference)
        escalation = Escalation(complaint_id=c.id, rule=MANUAL, key=None, at=now,
                                recorded_at=now, by_id=actor.user_id, reason=text, data={})
        session.add(escalation)
        record(session, c, "escalated", actor.user_id, actor.name, now, rule=MANUAL,
               reason=text)
        session.flush()
        return int(escalation.id)


def mark_handled(db: Database, escalation_id: int, note: str = "",
                 actor: Actor = SYSTEM) -> None:
    """A supervisor marks an alert handled (what was done: `note`, optional)."""
    require(actor, HANDLE_ESCALATIONS)
    text = validation.text("comment", note, TEXT_LEN)
    now = clock.now()
    with db.write() as session:
        escalation = session.get(Escalation, escalation_id)
        if escalation is None:
            raise NotFound(N_("No such escalation"))
        c = session.get(Complaint, escalation.complaint_id)
        assert c is not None
        if escalation.handled_at is not None:
            by = session.get(User, escalation.handled_by_id) if escalation.handled_by_id \
                else None
            raise DeskError(N_("This escalation of {reference} was already handled by {name} "
                               "({time})."), reference=c.reference,
                            name=by.display_name if by else "—",
                            time=escalation.handled_at.strftime("%Y-%m-%d %H:%M"))
        escalation.handled_at, escalation.handled_by_id = now, actor.user_id
        escalation.handled_note = text
        record(session, c, "escalation_handled", actor.user_id, actor.name, now,
               rule=escalation.rule, note=text or "")


@dataclass(frozen=True)
class Alert:
    """One escalation as the supervisors' list shows it."""

    id: int
    reference: str
    rule: str
    at: datetime  # when the rule fired
    recorded_at: datetime
    reason: str  # by hand: why
    data: dict[str, Any]
    escalated_by: str  # by hand: who ("" for the rules)
    stage: str
    severity: str
    owner: str
    customer_name: str
    overdue: bool  # the complaint's resolution, now
    handled_at: datetime | None = None
    handled_by: str = ""
    handled_note: str = ""


@dataclass(frozen=True)
class AlertList:
    alerts: list[Alert]
    open_count: int  # every open alert (the list may be cut at `limit`)


def _alert_query() -> Any:
    by, handler, owner = aliased(User), aliased(User), aliased(User)
    return (select(Escalation.id, Complaint.reference, Escalation.rule, Escalation.at,
                   Escalation.recorded_at, Escalation.reason, Escalation.data,
                   by.display_name, Complaint.stage, Complaint.severity, owner.display_name,
                   Customer.name, Complaint.due_at, Complaint.paused_since,
                   Escalation.handled_at, handler.display_name, Escalation.handled_note)
            .join(Complaint, Complaint.id == Escalation.complaint_id)
            .outerjoin(Customer, Customer.id == Complaint.customer_id)
            .outerjoin(by, by.id == Escalation.by_id)
            .outerjoin(owner, owner.id == Complaint.owner_id)
            .outerjoin(handler, handler.id == Escalation.handled_by_id))


def _alert(row: Any, now: datetime) -> Alert:
    (eid, ref, rule, at, recorded, reason, data, by, stage, severity, owner, customer, due,
     paused, handled_at, handler, note) = row
    return Alert(int(eid), ref, rule, at, recorded, reason or "", dict(data or {}), by or "",
                 stage, severity, owner or "", customer or "",
                 is_overdue(stage, due, now, paused), handled_at, handler or "", note or "")


def list_alerts(db: Database, *, handled: bool = False, limit: int = 500) -> AlertList:
    """Open alerts, newest first (or, `handled`, the latest handled ones)."""
    now = clock.now()
    q = _alert_query()
    q = (q.where(Escalation.handled_at.is_not(None)).order_by(Escalation.handled_at.desc())
         if handled else q.where(Escalation.handled_at.is_(None))
         .order_by(Escalation.at.desc(), Escalation.id.desc()))
    with db.read() as session:
        rows = session.execute(q.limit(limit)).all()
        count = int(session.scalar(select(func.count()).select_from(Escalation).where(
            Escalation.handled_at.is_(None))) or 0)
    return AlertList([_alert(r, now) for r in rows], count)


def open_alert_count(db: Database) -> int:
    """How many alerts wait for a supervisor (the status bar's badge)."""
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(Escalation).where(
            Escalation.handled_at.is_(None))) or 0)


def alerts_in(session: Session, complaint_id: int, now: datetime) -> list[Alert]:
    """Every escalation of one complaint, oldest first (the detail panel)."""
    rows = session.execute(_alert_query().where(Escalation.complaint_id == complaint_id)
                           .order_by(Escalation.at, Escalation.id)).all()
    return [_alert(r, now) for r in rows]
