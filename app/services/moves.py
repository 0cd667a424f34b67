"""Moving a complaint between stages: the one path every move takes (board, panel, CLI).

The guards (app/workflow.py) and the move's effects (app/rules/move_effects.py) are rules;
this writes what they say: the complaint's changed columns, the timeline event, the revisit.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.db import Database
from app.models import Complaint, Revisit
from app.rules.move_effects import plan_move, state_of
from app.services.common import SYSTEM, Actor, Saved, facts_of, load_complaint, touch
from app.settings import sla_policy
from app.timeline import record
from app.workflow import MoveKind


def apply_move(session: Session, c: Complaint, to_stage: str, actor: Actor, now: datetime,
               reason: str | None) -> MoveKind:
    """Check the guards and apply a move with its effects, in the caller's transaction."""
    effects = plan_move(facts_of(session, c), state_of(c), to_stage, actor.role, reason, now,
                        sla_policy(session))
    for name, value in effects.changes().items():
        setattr(c, name, value)
    record(session, c, effects.event, actor.user_id, actor.name, now, **effects.event_data)
    if effects.revisit_on is not None:
        pending = session.scalar(select(Revisit).where(
            Revisit.complaint_id == c.id, Revisit.done_at.is_(None)))
        if pending is None:
            session.add(Revisit(complaint_id=c.id, scheduled_for=effects.revisit_on))
            record(session, c, "revisit_scheduled", actor.user_id, actor.name, now,
                   date=effects.revisit_on.isoformat())
    touch(c, now)
    return effects.kind


def move(db: Database, reference: str, to_stage: str, actor: Actor = SYSTEM,
         reason: str | None = None, expected_version: int | None = None) -> Saved:
    """Move a complaint; MoveRefused (with the missing part) or Conflict leave it unchanged."""
    now = clock.now()
    with db.write() as session:
        c = load_complaint(session, reference, expected_version)
        apply_move(session, c, to_stage, actor, now, reason)
        session.flush()
        return Saved(c.reference, c.stage, c.version)
