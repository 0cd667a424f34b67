"""What a stage move does to a complaint: the one rule both the services
(app/services/moves.py, on database rows) and the demo generator (app/services/demo_record.py,
on rows it inserts in bulk) apply.

`plan_move` checks the guards (app/workflow.py) and returns the complaint's state after the
move, the timeline event to write and the revisit to schedule; the caller writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from typing import Any

from app.rules.stages import WAITING_STAGES
from app.sla import SlaPolicy, extend_due, paused_minutes, revisit_date
from app.workflow import Facts, MoveKind, check_move, is_resolution


@dataclass(frozen=True)
class CaseState:
    """The columns of a complaint (app/models.py Complaint) that a move reads or changes."""

    stage: str
    severity: str
    due_at: datetime | None
    paused_since: datetime | None
    paused_minutes: int
    resolved_at: datetime | None
    closed_at: datetime | None
    close_reason: str | None
    withdrawn: bool
    reopen_count: int
    satisfaction: int | None


STATE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(CaseState))


def state_of(row: Any) -> CaseState:
    """The CaseState of a complaint row (an ORM object or a dict of its columns)."""
    get = row.get if isinstance(row, dict) else row.__getattribute__
    values: dict[str, Any] = {name: get(name) for name in STATE_FIELDS}
    return CaseState(**values)


@dataclass(frozen=True)
class MoveEffects:
    kind: MoveKind
    before: CaseState
    after: CaseState
    event: str  # timeline event kind (app/timeline.py): moved, reopened, withdrawn ...
    event_data: dict[str, Any]
    # Entering follow-up: the day the revisit is due (the caller schedules it unless one is
    # still pending).
    revisit_on: date | None

    def changes(self) -> dict[str, Any]:
        """The columns whose value the move changes: name -> new value."""
        return {name: getattr(self.after, name) for name in STATE_FIELDS
                if getattr(self.after, name) != getattr(self.before, name)}


def plan_move(facts: Facts, state: CaseState, to_stage: str, role: str, reason: str | None,
              now: datetime, policy: SlaPolicy) -> MoveEffects:
    """The move from `state.stage` to `to_stage` at `now`, or MoveRefused saying why not."""
    kind = check_move(facts, to_stage, role, reason)
    reason = (reason or "").strip() or None
    src = state.stage
    after = state
    # The SLA clock pauses while the desk waits on the customer; leaving the wait counts the
    # pause and moves the due time on by it.
    if src in WAITING_STAGES and state.paused_since is not None:
        minutes = paused_minutes(state.paused_since, now, policy)
        after = replace(after, paused_since=None, paused_minutes=state.paused_minutes + minutes,
                        due_at=extend_due(state.due_at, minutes, policy)
                        if state.due_at is not None else None)
    if to_stage in WAITING_STAGES:
        after = replace(after, paused_since=now)

    event: str
    data: dict[str, Any]
    if kind is MoveKind.REOPEN:
        # Worked again from the facts: a new solution is proposed, agreed and carried out
        # (a new entry in the compensation ledger; the earlier ones stay on record).
        after = replace(after, reopen_count=state.reopen_count + 1, resolved_at=None,
                        closed_at=None, close_reason=None, satisfaction=None)
        event, data = "reopened", {"from_stage": src, "to_stage": to_stage,
                                   "reason": reason or ""}
    elif kind is MoveKind.CLOSE_OVERRIDE:
        event, data = "closed_override", {"reason": reason}
    elif kind is MoveKind.WITHDRAW:
        after = replace(after, withdrawn=True)
        event, data = "withdrawn", {"reason": reason}
    elif kind is MoveKind.CLOSE_UNFOUNDED:
        event, data = "closed_unfounded", {"explanation": reason}
    else:
        event, data = "moved", {"from_stage": src, "to_stage": to_stage}

    if is_resolution(src, to_stage) and after.resolved_at is None:
        after = replace(after, resolved_at=now)
    revisit_on = revisit_date(now, state.severity, policy) if to_stage == "follow_up" else None
    if to_stage == "closed":
        after = replace(after, closed_at=now, close_reason=reason, paused_since=None)
    after = replace(after, stage=to_stage)
    return MoveEffects(kind, state, after, event, data, revisit_on)
