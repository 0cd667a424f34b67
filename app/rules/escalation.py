"""When a complaint is escalated to the supervisors (通报, 升级): the rules, as plain values.

Two kinds of rule, each a setting (app/settings.py, group "Escalation"):
- by the clock: the first contact or the resolution overdue. They fire when the due time
  passes, whether or not a program is running then; whoever looks next (a window's timer, any
  command that reads the figures, the `escalate` command a scheduler runs) records it, dated
  when it fired (`Trigger.at`). Their SQL twin is app/rules/escalation_sql.py.
- at a save: the severity (serious/urgent), a customer's Nth complaint within N days.

A clerk may also escalate by hand, with a reason (MANUAL). Each trigger has a key: the same
thing is never escalated twice (the database holds the key unique per complaint, so two
counters recording it at once still make one escalation). What counts as "the same thing":
the first contact is missed once per complaint; the resolution once per round of work (a
reopen starts a new round, app/rules/move_effects.py); a severity once per severity (serious,
then urgent later, is a second one); the repeat customer once per complaint.

Clock rules apply only to due times from when the rule was switched on (`since`): switching
a rule on, or upgrading a desk, does not turn last year's overdue complaints into alerts
dated last year.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.codes import ESCALATION_RULES
from app.rules.stages import UNRESOLVED_STAGES
from app.sla import is_overdue

# The rules' codes (labels: app.codes.label("escalation_rule", code)).
FIRST_CONTACT, RESOLUTION, SEVERITY, REPEAT, MANUAL = ESCALATION_RULES
CLOCK_RULES = (FIRST_CONTACT, RESOLUTION)

# The settings behind each clock rule (switching one on stamps its `since`, app/settings.py).
CLOCK_RULE_SETTINGS: dict[str, str] = {"escalate_first_contact": FIRST_CONTACT,
                                       "escalate_resolution": RESOLUTION}
SEVERITIES_FOR = {"off": (), "urgent": ("urgent",), "serious": ("serious", "urgent")}


@dataclass(frozen=True)
class EscalationRules:
    """The escalation settings of a desk (app/services/escalations.py reads them)."""

    first_contact: bool = True
    resolution: bool = True
    severities: tuple[str, ...] = ("serious", "urgent")
    repeat_count: int = 3  # the customer's Nth complaint in `repeat_days` escalates; 0: never
    repeat_days: int = 90
    # Clock rule -> due times from this moment on escalate (None: no due time is too old).
    since: Mapping[str, datetime | None] = field(default_factory=dict)

    def clock_rule_on(self, rule: str) -> bool:
        return self.first_contact if rule == FIRST_CONTACT else self.resolution


@dataclass(frozen=True)
class CaseClock:
    """What the rules read of one complaint (the columns of app/models.py Complaint)."""

    stage: str
    severity: str
    first_contact_due_at: datetime | None
    first_contact_at: datetime | None
    due_at: datetime | None
    paused_since: datetime | None
    reopen_count: int


@dataclass(frozen=True)
class Trigger:
    rule: str
    key: str  # unique per complaint: the same thing is not escalated twice
    at: datetime  # when the rule fired
    data: dict[str, Any]


def first_contact_key() -> str:
    return "first_contact"


def resolution_key(reopen_count: int) -> str:
    return f"resolution:{reopen_count}"


def severity_key(severity: str) -> str:
    return f"severity:{severity}"


def repeat_key() -> str:
    return "repeat"


def _after_since(due: datetime, rules: EscalationRules, rule: str) -> bool:
    since = rules.since.get(rule)
    return since is None or due >= since


def first_contact_overdue(case: CaseClock, now: datetime) -> bool:
    """Nobody has reached the customer and the first-contact time has passed, while the desk
    still owes a resolution (a solved complaint is not chased for its first call)."""
    return (case.stage in UNRESOLVED_STAGES and case.first_contact_at is None
            and case.first_contact_due_at is not None and now > case.first_contact_due_at)


def clock_triggers(case: CaseClock, rules: EscalationRules, now: datetime) -> list[Trigger]:
    """The clock rules that have fired for `case` by `now` (app/rules/escalation_sql.py is
    their SQL twin, tested equal)."""
    out: list[Trigger] = []
    due = case.first_contact_due_at
    if (rules.first_contact and due is not None and first_contact_overdue(case, now)
            and _after_since(due, rules, FIRST_CONTACT)):
        out.append(Trigger(FIRST_CONTACT, first_contact_key(), due,
                           {"due_time": due.isoformat(sep=" ")}))
    due = case.due_at
    if (rules.resolution and due is not None
            and is_overdue(case.stage, due, now, case.paused_since)
            and _after_since(due, rules, RESOLUTION)):
        out.append(Trigger(RESOLUTION, resolution_key(case.reopen_count), due,
                           {"due_time": due.isoformat(sep=" ")}))
    return out


def save_triggers(case: CaseClock, rules: EscalationRules, now: datetime,
                  customer_complaints: int) -> list[Trigger]:
    """The rules a save can fire, besides the clock's: the severity, and the repeat customer
    (`customer_complaints`: the customer's complaints received in the last `repeat_days`,
    this one included; 0 for a complaint without a known customer)."""
    out: list[Trigger] = []
    if case.stage not in UNRESOLVED_STAGES:
        return out
    if case.severity in rules.severities:
        out.append(Trigger(SEVERITY, severity_key(case.severity), now,
                           {"severity": case.severity}))
    if rules.repeat_count and customer_complaints >= rules.repeat_count:
        out.append(Trigger(REPEAT, repeat_key(), now,
                           {"count": customer_complaints, "days": rules.repeat_days}))
    return out


def pending(triggers: list[Trigger], recorded: set[str]) -> list[Trigger]:
    """The triggers not recorded yet (by key), each key once."""
    seen = set(recorded)
    out = []
    for trigger in triggers:
        if trigger.key not in seen:
            seen.add(trigger.key)
            out.append(trigger)
    return out
