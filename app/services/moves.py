"""Moving a complaint between stages: the one path every move takes (board, panel, CLI)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.db import Database
from app.models import Complaint, Revisit, Solution
from app.services.common import SYSTEM, Actor, Saved, facts_of, load_complaint, touch
from app.settings import sla_policy
from app.sla import add_open_hours, open_hours_between, revisit_date
from app.timeline import record
from app.workflow import MoveKind, check_move, is_resolution


def apply_move(session: Session, c: Complaint, to_stage: str, actor: Actor, now: datetime,
               reason: str | None) -> MoveKind:
    """Check the guards and apply a move with its side effects, in the caller's transaction."""
    kind = check_move(facts_of(session, c), to_stage, actor.role, reason)
    from_stage = c.stage
    policy = sla_policy(session)
    reason = (reason or "").strip() or None

    # The SLA clock pauses while the desk waits on the customer to accept a proposal.
    if from_stage == "proposed" and c.paused_since is not None:
        paused = open_hours_between(c.paused_since, now, policy.hours)
        c.paused_minutes += int(paused * 60)
        if c.due_at is not None:
            c.due_at = add_open_hours(c.due_at, paused, policy.hours)
        c.paused_since = None
    if to_stage == "proposed":
        c.paused_since = now

    if kind is MoveKind.REOPEN:
        # The customer must agree again and the fix be carried out again; the earlier
        # agreement and implementation stay in the timeline.
        solution = session.scalar(select(Solution).where(Solution.complaint_id == c.id))
        if solution is not None:
            solution.customer_agreed_at = None
            solution.implemented_at = None
        c.reopen_count += 1
        c.resolved_at = None
        c.closed_at = None
        c.close_reason = None
        c.satisfaction = None
        record(session, c, "reopened", actor.user_id, actor.name, now,
               from_stage=from_stage, to_stage=to_stage, reason=reason or "")
    elif kind is MoveKind.CLOSE_OVERRIDE:
        record(session, c, "closed_override", actor.user_id, actor.name, now, reason=reason)
    elif kind is MoveKind.WITHDRAW:
        c.withdrawn = True
        record(session, c, "withdrawn", actor.user_id, actor.name, now, reason=reason)
    else:
        record(session, c, "moved", actor.user_id, actor.name, now,
               from_stage=from_stage, to_stage=to_stage)

    if is_resolution(from_stage, to_stage) and c.resolved_at is None:
        c.resolved_at = now
    if to_stage == "follow_up":
        day = revisit_date(now, c.severity, policy)
        pending = session.scalar(select(Revisit).where(
            Revisit.complaint_id == c.id, Revisit.done_at.is_(None)))
        if pending is None:
            session.add(Revisit(complaint_id=c.id, scheduled_for=day))
            record(session, c, "revisit_scheduled", actor.user_id, actor.name, now,
                   date=day.isoformat())
    if to_stage == "closed":
        c.closed_at = now
        c.close_reason = reason
        c.paused_since = None
    c.stage = to_stage
    touch(c, now)
    return kind


def move(db: Database, reference: str, to_stage: str, actor: Actor = SYSTEM,
         reason: str | None = None, expected_version: int | None = None) -> Saved:
    """Move a complaint; MoveRefused (with the missing part) or Conflict leave it unchanged."""
    now = clock.now()
    with db.write() as session:
        c = load_complaint(session, reference, expected_version)
        apply_move(session, c, to_stage, actor, now, reason)
        session.flush()
        return Saved(c.reference, c.stage, c.version)
