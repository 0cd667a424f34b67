"""Improvement actions (整改): what the business changes so a complaint does not recur.

An action is linked to one or more complaints, has an owner, a due date and a status
(open → in_progress → done, or cancelled). Linking writes an event on each complaint's
timeline; it does not bump the complaint's version, because no field of the complaint
changes (an open panel's unsaved edits stay valid).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock, validation
from app.codes import ACTION_STATUSES
from app.db import Database
from app.errors import NotFound, ValidationError
from app.i18n import N_
from app.models import (
    NAME_LEN,
    TEXT_LEN,
    Complaint,
    ImprovementAction,
    improvement_action_complaints,
)
from app.services.common import SYSTEM, Actor, load_complaint
from app.timeline import record

OPEN_STATUSES = ("open", "in_progress")


@dataclass(frozen=True)
class ActionInfo:
    id: int
    action: str
    owner: str
    due_date: date | None
    status: str
    references: list[str]
    created_at: datetime
    updated_at: datetime
    overdue: bool  # open, and its due date has passed


def _due(value: date | datetime | str | None, field: str = "due_date") -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    when = validation.parse_datetime(field, value, allow_future=True)
    return when.date() if when else None


def _info(session: Session, a: ImprovementAction, today: date) -> ActionInfo:
    refs = list(session.scalars(
        select(Complaint.reference)
        .join(improvement_action_complaints,
              improvement_action_complaints.c.complaint_id == Complaint.id)
        .where(improvement_action_complaints.c.action_id == a.id)
        .order_by(Complaint.reference)))
    overdue = a.status in OPEN_STATUSES and a.due_date is not None and a.due_date < today
    return ActionInfo(a.id, a.action, a.owner, a.due_date, a.status, refs, a.created_at,
                      a.updated_at, overdue)


def create_action(db: Database, references: list[str], *, action: str, owner: str,
                  due_date: date | datetime | str | None = None, status: str = "open",
                  actor: Actor = SYSTEM) -> ActionInfo:
    """A new action linked to the given complaints; bad input changes nothing."""
    refs = list(dict.fromkeys(r.strip() for r in references if r and r.strip()))
    if not refs:
        raise ValidationError("references", N_("link at least one complaint"))
    text = validation.text("action", action, TEXT_LEN, required=True)
    who = validation.text("owner", owner, NAME_LEN, required=True)
    state = validation.code("action_status", status, ACTION_STATUSES, required=True)
    due = _due(due_date)
    now = clock.now()
    if due is not None and due < now.date():
        raise ValidationError("due_date", N_("is in the past"))
    assert text is not None and who is not None and state is not None
    with db.write() as session:
        complaints = [load_complaint(session, ref) for ref in refs]
        row = ImprovementAction(action=text, owner=who, due_date=due, status=state,
                                created_at=now, updated_at=now)
        session.add(row)
        session.flush()
        for c in complaints:
            session.execute(improvement_action_complaints.insert().values(
                action_id=row.id, complaint_id=c.id))
            record(session, c, "action_linked", actor.user_id, actor.name, now, action=text,
                   owner=who, due=due.isoformat() if due else "")
        session.flush()
        return _info(session, row, now.date())


def update_action(db: Database, action_id: int, *, status: str | None = None,
                  owner: str | None = None, due_date: date | datetime | str | None = None,
                  action: str | None = None, actor: Actor = SYSTEM) -> ActionInfo:
    """Change an action's status, owner, due date or text (None keeps the value)."""
    state = validation.code("action_status", status, ACTION_STATUSES) if status else None
    who = validation.text("owner", owner, NAME_LEN, required=True) if owner is not None else None
    text = (validation.text("action", action, TEXT_LEN, required=True)
            if action is not None else None)
    due = _due(due_date) if due_date is not None else None
    now = clock.now()
    with db.write() as session:
        row = session.get(ImprovementAction, action_id)
        if row is None:
            raise NotFound(N_("No improvement action number {number}"), number=action_id)
        row.status = state or row.status
        row.owner = who or row.owner
        row.action = text or row.action
        if due is not None:
            row.due_date = due
        row.updated_at = now
        session.flush()
        return _info(session, row, now.date())


def list_actions(db: Database, *, open_only: bool = True,
                 reference: str | None = None) -> list[ActionInfo]:
    """Actions (open ones by default), earliest due first; or those of one complaint."""
    q = select(ImprovementAction)
    if open_only:
        q = q.where(ImprovementAction.status.in_(OPEN_STATUSES))
    if reference:
        q = q.join(improvement_action_complaints,
                   improvement_action_complaints.c.action_id == ImprovementAction.id
                   ).join(Complaint, Complaint.id == improvement_action_complaints.c.complaint_id
                          ).where(Complaint.reference == reference.strip())
    # Actions without a due date go last.
    q = q.order_by(ImprovementAction.due_date.is_(None), ImprovementAction.due_date,
                   ImprovementAction.id)
    today = clock.now().date()
    with db.read() as session:
        return [_info(session, a, today) for a in session.scalars(q)]
