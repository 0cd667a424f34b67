"""The record a demo complaint's life writes: its rows, its clock and its stage moves.

Every stage change is planned by the same rule as the program's own moves
(app/rules/move_effects.py `plan_move`: the guards, then the SLA pause, due time, resolution
time, revisit, reopen counting, closing) from facts built by the same rule
(app.workflow.facts_from) over the same ledger rule (app/rules/compensation.py), so the
generated record is one the program itself could have written. Times only move forward and
never pass `now` (demo_life.py says which steps a complaint takes).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from app.rules.compensation import Entry, current_entry
from app.rules.escalation import EscalationRules
from app.rules.move_effects import plan_move, state_of
from app.services.demo_text import Texts, weighted
from app.sla import SlaPolicy
from app.workflow import Facts, MoveKind, SolutionFacts, facts_from

Row = dict[str, Any]
Staff = tuple[int | None, str, str]  # user id, display name, role

# Typical hours per step for a `normal` complaint; severity scales them (urgent is fastest).
_STEP_HOURS = {"assess": 2.5, "start": 8.0, "findings": 10.0, "propose": 8.0,
               "approve": 10.0, "agree": 20.0, "implement": 18.0}
_SPEED = {"urgent": 0.15, "serious": 0.45, "normal": 1.0, "minor": 1.6}
# Staff record their work in these hours (urgent cases are handled at once, day or night).
_WORK_HOURS = {"mall": (9, 22), "salon": (10, 21), "hotel": (7, 23)}
# Events that enter a stage without naming it in their data (as app/timeline.py records them).
_ENTERS = {"intake": "new", "closed_override": "closed", "withdrawn": "closed",
           "closed_unfounded": "closed"}
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
    escalation: EscalationRules = field(default_factory=EscalationRules)


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
    # The customer's complaints in the escalation rule's window up to this one (itself
    # included): app/rules/escalation.py's repeat-customer rule.
    recent: int = 0
    tier: str = "ordinary"  # the customer's (due times follow it, app/sla.py)


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
    solutions: list[Row] = field(default_factory=list)  # the ledger's entries, in order
    escalations: list[Row] = field(default_factory=list)
    intake_severity: str = ""
    on_the_spot: bool = False  # resolved at the counter: no rule of a save fires
    assessed_at: datetime | None = None  # when the (last) assessment set the severity
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

    @property
    def sol(self) -> Row | None:
        """The ledger entry the complaint is worked on now (app.rules.compensation)."""
        entries = [Entry(n, row["round"], tuple(row["types"]), row["amounts"],
                         row["amount_cents"], row["implemented_at"])
                   for n, row in enumerate(self.solutions)]
        chosen = current_entry(entries, self.c["reopen_count"])
        return self.solutions[chosen.id] if chosen is not None else None

    def facts(self) -> Facts:
        c, inv, sol = self.c, self.inv, self.sol
        done = [r for r in self.revisits if r["done_at"] is not None]
        last = done[-1] if done else None
        return facts_from(
            stage=c["stage"], category_set=c["category_id"] is not None,
            severity_set=bool(c["severity"]), owner_set=c["owner_id"] is not None,
            due_set=c["due_at"] is not None, findings=inv["findings"] if inv else None,
            responsibility=inv["responsibility"] if inv else None,
            solution=SolutionFacts(tuple(sol["types"]), sol["approval_state"],
                                   sol["customer_agreed_at"] is not None,
                                   sol["implemented_at"] is not None) if sol else None,
            resolved_at=c["resolved_at"],
            last_revisit=(last["done_at"], last["satisfied"]) if last is not None else None,
            verdict=c["verified"],
        )

    def move(self, to_stage: str, actor: Staff, reason: str | None = None) -> MoveKind:
        """A move as app.services.moves.apply_move makes it, on this record's rows."""
        effects = plan_move(self.facts(), state_of(self.c), to_stage, actor[2], reason, self.t,
                            self.ctx.policy)
        self.c.update(effects.changes())
        self.event(effects.event, actor, **effects.event_data)
        if effects.revisit_on is not None and not any(r["done_at"] is None
                                                      for r in self.revisits):
            day = effects.revisit_on
            self.revisits.append({"complaint_id": self.plan.id, "scheduled_for": day,
                                  "done_at": None, "method": None, "satisfaction": None,
                                  "comment": None, "satisfied": None, "by_id": None})
            self.event("revisit_scheduled", actor, date=day.isoformat())
        return effects.kind
