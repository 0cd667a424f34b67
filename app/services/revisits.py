"""Revisits (回访): scheduled when a complaint is resolved; recorded with satisfaction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock, validation
from app.codes import REVISIT_METHODS
from app.db import Database
from app.errors import MoveRefused, ValidationError
from app.i18n import N_
from app.models import TEXT_LEN, Complaint, Customer, Revisit
from app.rules.edits import require_editable
from app.services.common import SYSTEM, Actor, Saved, load_complaint, touch
from app.services.moves import apply_move
from app.services.questionnaire import add_answers, clean_answers
from app.timeline import record
from app.workflow import PART_REVISIT


def _pending(session: Session, c: Complaint) -> Revisit | None:
    return session.scalar(select(Revisit).where(
        Revisit.complaint_id == c.id, Revisit.done_at.is_(None)))


def reschedule(db: Database, reference: str, day: date | str, actor: Actor = SYSTEM) -> Saved:
    when = validation.parse_datetime("revisit_date", day if not isinstance(day, date) else
                                     datetime(day.year, day.month, day.day), allow_future=True)
    assert when is not None
    now = clock.now()
    with db.write() as session:
        c = load_complaint(session, reference)
        require_editable(c.stage, PART_REVISIT)
        pending = _pending(session, c)
        if pending is None:
            raise MoveRefused(N_("No revisit is scheduled."), PART_REVISIT)
        pending.scheduled_for = when.date()
        record(session, c, "revisit_scheduled", actor.user_id, actor.name, now,
               date=when.date().isoformat())
        touch(c, now)
        session.flush()
        return Saved(c.reference, c.stage, c.version)


def record_revisit(db: Database, reference: str, *, method: str, satisfaction: int | str,
                   comment: str = "", satisfied: bool | None = None, actor: Actor = SYSTEM,
                   expected_version: int | None = None,
                   answers: Mapping[Any, Any] | None = None) -> Saved:
    """Record the revisit: satisfied → closed; not satisfied → reopened to investigating.

    Unless told, a satisfaction of 3 or more counts as satisfied. `answers` are the
    questionnaire's (question id -> 1..5; unanswered questions left out or None), kept with
    this revisit against the words that were asked (app/services/questionnaire.py).
    """
    m = validation.code("revisit_method", method, REVISIT_METHODS, required=True)
    score = validation.satisfaction(satisfaction)
    note = validation.text("comment", comment, TEXT_LEN)
    assert score is not None
    ok = score >= 3 if satisfied is None else satisfied
    if not ok and not note:
        raise ValidationError("comment", N_("say why the customer is not satisfied"))
    now = clock.now()
    with db.write() as session:
        c = load_complaint(session, reference, expected_version)
        require_editable(c.stage, PART_REVISIT)
        given = clean_answers(session, answers)
        visit = _pending(session, c) or Revisit(complaint_id=c.id, scheduled_for=now.date())
        session.add(visit)
        visit.done_at, visit.method, visit.satisfaction = now, m, score
        visit.comment, visit.satisfied, visit.by_id = note, ok, actor.user_id
        c.satisfaction = score
        session.flush()
        add_answers(session, visit.id, given)
        record(session, c, "revisit_done", actor.user_id, actor.name, now, method=m,
               satisfaction=score, comment=note or "", satisfied=ok,
               answers={str(q): s for q, s in given.items()})
        session.flush()
        if ok:
            apply_move(session, c, "closed", actor, now, None)
        else:
            apply_move(session, c, "investigating", actor, now, note)
        session.flush()
        return Saved(c.reference, c.stage, c.version)


@dataclass(frozen=True)
class RevisitDue:
    reference: str
    customer_name: str
    phone: str | None
    scheduled_for: date
    severity: str
    overdue_days: int  # > 0 overdue, 0 today, < 0 upcoming
    phone_masked: bool = False  # the whole number needs privacy.reveal_phone (audited)


def revisits_due(db: Database, until: date | None = None) -> list[RevisitDue]:
    """Scheduled, not yet done revisits up to `until` (default: all), earliest first."""
    today = clock.now().date()
    q = (
        select(Complaint.reference, Customer.name, Customer.phone, Revisit.scheduled_for,
               Complaint.severity)
        .join(Complaint, Complaint.id == Revisit.complaint_id)
        .outerjoin(Customer, Customer.id == Complaint.customer_id)
        .where(Revisit.done_at.is_(None), Complaint.stage == "follow_up")
        .order_by(Revisit.scheduled_for, Complaint.reference)
    )
    if until is not None:
        q = q.where(Revisit.scheduled_for <= until)
    with db.read() as session:
        return [RevisitDue(ref, name or "", phone, day, sev, (today - day).days)
                for ref, name, phone, day, sev in session.execute(q)]
