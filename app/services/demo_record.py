"""The record a demo complaint's life writes: its rows, its clock and its stage moves.

Every stage change goes through `app.workflow.check_move` with the facts built so far and
applies the same side effects as `app.services.moves.apply_move` (SLA pause, resolution time,
revisit scheduling, reopen counting, closing), so the generated record is one the program
itself could have written. Times only move forward and never pass `now` (demo_life.py says
which steps a complaint takes).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from app.services.demo_text import Texts, weighted
from app.sla import SlaPolicy, add_open_hours, open_hours_between, revisit_date
from app.workflow import Facts, MoveKind, check_move, is_resolution

Row = dict[str, Any]
Staff = tuple[int | None, str, str]  # user id, display name, role

# Typical hours per step for a `normal` complaint; severity scales them (urgent is fastest).
_STEP_HOURS = {"assess": 2.5, "start": 8.0, "findings": 10.0, "propose": 8.0,
               "approve": 10.0, "agree": 20.0, "implement": 18.0}
_SPEED = {"urgent": 0.15, "serious": 0.45, "normal": 1.0, "minor": 1.6}
# Staff record their work in these hours (urgent cases are handled at once, day or night).
_WORK_HOURS = {"mall": (9, 22), "salon": (10, 21), "hotel": (7, 23)}
# Events that enter a stage without naming it in their data (as app/timeline.py records them).
_ENTERS = {"intake": "new", "closed_override": "closed", "withdrawn": "closed"}
_CONTACT_METHODS = [("phone", 75), ("wechat", 12), ("sms", 6), ("email", 4), ("in_person", 3)]


class Stop(Exception):
    """The next step would happen after now (or the complaint ended): its life stops here."""


@dataclass
class Context:
    """What every complaint's life needs to know about the database and the clock."""

    now: datetime
    profile: str
    policy: SlaPolicy
    threshold: int  # approval threshold in cents
    texts: Texts
    clerks: list[Staff]
    supervisor: Staff
    category_ids: dict[str, int]
    subject_ids: dict[str, int]
    department_ids: dict[str, int]


@dataclass
class Planned:
    """A complaint decided at planning time (chronological order, customer already chosen)."""

    id: int
    reference: str
    received_at: datetime
    channel: str
    category: str
    severity: str
    customer_id: int
    lang: int
    is_repeat: bool
    recorder: Staff
    seed: int  # its own random stream: a change near `now` cannot shift the others


@dataclass
class Record:
    """The rows of one complaint as its life goes on (`c` is the complaints row)."""

    ctx: Context
    plan: Planned
    c: Row = field(default_factory=dict)
    events: list[Row] = field(default_factory=list)
    contacts: list[Row] = field(default_factory=list)
    revisits: list[Row] = field(default_factory=list)
    inv: Row | None = None
    sol: Row | None = None
    t: datetime = datetime.min
    slow: float = 1.0  # a few complaints get stuck: every step takes several times longer
    withdraw_at: str | None = None  # the stage at which the customer withdraws, if ever
    owner: Staff = (None, "", "clerk")
    fill: dict[str, str] = field(default_factory=dict)
    rng: random.Random = field(init=False, repr=False)  # the complaint's own stream (run)

    # Clock ---------------------------------------------------------------------------------

    def later(self, step: str | float, work: bool = True) -> datetime:
        """Advance the clock by a step's (random) duration; Stop if that passes now."""
        rng = self.rng
        hours = step if isinstance(step, float) else (
            _STEP_HOURS[step] * _SPEED[self.c["severity"]] * rng.lognormvariate(0, 0.75))
        t = self.t + timedelta(hours=hours * self.slow)
        if work and self.c["severity"] != "urgent":
            t = self._working(t)
        if t > self.ctx.now:
            raise Stop
        self.t = t
        return t

    def _working(self, t: datetime) -> datetime:
        start, end = _WORK_HOURS[self.ctx.profile]
        minutes = timedelta(minutes=self.rng.randrange(50))
        if t.hour < start:
            return datetime.combine(t.date(), time(start)) + minutes
        if t.hour >= end:
            return datetime.combine(t.date() + timedelta(days=1), time(start)) + minutes
        return t

    # Records -------------------------------------------------------------------------------

    def event(self, kind: str, actor: Staff, at: datetime | None = None, **data: Any) -> None:
        """A timeline row as app.timeline.record writes it (to_stage from the data or kind)."""
        to_stage = data.get("to_stage") or _ENTERS.get(kind)
        self.events.append({"complaint_id": self.plan.id, "at": at or self.t,
                            "actor_id": actor[0], "actor_name": actor[1], "kind": kind,
                            "to_stage": to_stage, "data": data})

    def contact(self, at: datetime, key: str, actor: Staff, unreachable: bool = False) -> None:
        if at > self.ctx.now:
            return
        method = weighted(self.rng, _CONTACT_METHODS)
        summary = self.ctx.texts.line(key, self.plan.lang)
        self.contacts.append({"complaint_id": self.plan.id, "at": at, "method": method,
                              "summary": summary, "unreachable": unreachable,
                              "by_id": actor[0]})
        if self.c["first_contact_at"] is None and not unreachable:
            self.c["first_contact_at"] = at
        self.event("contact", actor, at, method=method, summary=summary, unreachable=unreachable)

    def facts(self) -> Facts:
        c, inv, sol = self.c, self.inv, self.sol
        done = [r for r in self.revisits if r["done_at"] is not None]
        last = done[-1] if done else None
        current = last is not None and (c["resolved_at"] is None
                                        or last["done_at"] >= c["resolved_at"])
        return Facts(
            stage=c["stage"], category_set=c["category_id"] is not None,
            severity_set=bool(c["severity"]), owner_set=c["owner_id"] is not None,
            due_set=c["due_at"] is not None,
            findings=bool(inv and inv["findings"]), responsibility=bool(inv and inv["responsibility"]),
            solution_proposed=bool(sol and sol["types"]),
            approval_state=sol["approval_state"] if sol else "not_needed",
            customer_agreed=bool(sol and sol["customer_agreed_at"]),
            implemented=bool(sol and sol["implemented_at"]),
            revisit_done=current,
            revisit_satisfied=last["satisfied"] if current and last is not None else None,
        )

    def move(self, to_stage: str, actor: Staff, reason: str | None = None) -> MoveKind:
        """The workflow's check and the side effects of app.services.moves.apply_move."""
        c, policy = self.c, self.ctx.policy
        kind = check_move(self.facts(), to_stage, actor[2], reason)
        from_stage = c["stage"]
        if from_stage == "proposed" and c["paused_since"] is not None:
            paused = open_hours_between(c["paused_since"], self.t, policy.hours)
            c["paused_minutes"] += int(paused * 60)
            if c["due_at"] is not None:
                c["due_at"] = add_open_hours(c["due_at"], paused, policy.hours)
            c["paused_since"] = None
        if to_stage == "proposed":
            c["paused_since"] = self.t
        if kind is MoveKind.REOPEN:
            c["reopen_count"] += 1
            c["resolved_at"] = c["closed_at"] = c["close_reason"] = c["satisfaction"] = None
            self.event("reopened", actor, from_stage=from_stage, to_stage=to_stage,
                       reason=reason or "")
        elif kind is MoveKind.CLOSE_OVERRIDE:
            self.event("closed_override", actor, reason=reason)
        elif kind is MoveKind.WITHDRAW:
            c["withdrawn"] = True
            self.event("withdrawn", actor, reason=reason)
        else:
            self.event("moved", actor, from_stage=from_stage, to_stage=to_stage)
        if is_resolution(from_stage, to_stage) and c["resolved_at"] is None:
            c["resolved_at"] = self.t
        if to_stage == "follow_up" and not any(r["done_at"] is None for r in self.revisits):
            day = revisit_date(self.t, c["severity"], policy)
            self.revisits.append({"complaint_id": self.plan.id, "scheduled_for": day,
                                  "done_at": None, "method": None, "satisfaction": None,
                                  "comment": None, "satisfied": None, "by_id": None})
            self.event("revisit_scheduled", actor, date=day.isoformat())
        if to_stage == "closed":
            c["closed_at"], c["close_reason"], c["paused_since"] = self.t, reason, None
        c["stage"] = to_stage
        return kind
