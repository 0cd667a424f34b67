"""The escalations a demo complaint's life would have had (app/rules/escalation.py), and the
supervisors handling them: rows and timeline events as app/services/escalations.py writes them.

The rules of a save are asked at the moments the program would have asked them (intake, the
assessment); the clock rules of a complaint still open are asked as the program's clock would
ask them now, with the same keys, so the first sweep after the demo finds nothing left to add.
A complaint resolved before now was overdue if it was resolved after its due time (the due
time already holds its pauses). Demo history is not cut at `since`: that is a real desk's
upgrade, not a story's.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from app.rules.escalation import (
    FIRST_CONTACT,
    MANUAL,
    RESOLUTION,
    CaseClock,
    Trigger,
    clock_triggers,
    first_contact_key,
    pending,
    resolution_key,
    save_triggers,
)
from app.rules.stages import UNRESOLVED_STAGES
from app.services.demo_record import Record

_BY_HAND = 0.03  # assessed complaints a clerk escalates by hand
# Alerts a supervisor has handled: nearly all after a couple of days, some of the recent.
_HANDLED, _HANDLED_RECENT, _RECENT = 0.985, 0.6, timedelta(days=2)
_SYSTEM = (None, "system", "admin")


def _case(life: Record, first_contact_at: datetime | None) -> CaseClock:
    c = life.c
    return CaseClock(stage=c["stage"], severity=c["severity"],
                     first_contact_due_at=c["first_contact_due_at"],
                     first_contact_at=first_contact_at, due_at=c["due_at"],
                     paused_since=c["paused_since"], reopen_count=c["reopen_count"])


def _clock(life: Record, first_contact_at: datetime | None) -> list[Trigger]:
    c, rules, now = life.c, life.ctx.escalation, life.ctx.now
    unlimited = replace(rules, since={})
    if c["stage"] in UNRESOLVED_STAGES:
        return clock_triggers(_case(life, first_contact_at), unlimited, now)
    stopped = c["resolved_at"] or c["closed_at"] or now
    out = []
    due = c["first_contact_due_at"]
    if (rules.first_contact and due is not None and due < stopped
            and (first_contact_at is None or first_contact_at > due)):
        out.append(Trigger(FIRST_CONTACT, first_contact_key(), due,
                           {"due_time": due.isoformat(sep=" ")}))
    due = c["due_at"]
    if rules.resolution and due is not None and due < stopped:
        out.append(Trigger(RESOLUTION, resolution_key(c["reopen_count"]), due,
                           {"due_time": due.isoformat(sep=" ")}))
    return out


def escalate_history(life: Record) -> None:
    """Add the life's escalations (and their handling) to its rows and timeline."""
    p, c, ctx, rng = life.plan, life.c, life.ctx, life.rng
    rules, now = ctx.escalation, ctx.now
    reached = [r["at"] for r in life.contacts if not r["unreachable"]]
    first_contact_at = min(reached) if reached else None
    triggers: list[Trigger] = []
    if not life.on_the_spot:
        at_intake = CaseClock("new", life.intake_severity, None, None, None, None, 0)
        triggers += save_triggers(at_intake, rules, p.received_at, p.recent)
    if life.assessed_at is not None:
        assessed = CaseClock("assessed", c["severity"], None, None, None, None, 0)
        triggers += save_triggers(assessed, rules, life.assessed_at, 0)
    triggers += _clock(life, first_contact_at)
    triggers = pending(sorted(triggers, key=lambda t: t.at), set())
    stopped = c["resolved_at"] or c["closed_at"] or now
    rows: list[tuple[datetime, str, str | None, dict[str, object], tuple[int | None, str, str],
                     str | None]] = [
        (t.at, t.rule, t.key, dict(t.data), _SYSTEM, None) for t in triggers]
    if life.assessed_at is not None and rng.random() < _BY_HAND:
        at = life.assessed_at + timedelta(hours=rng.uniform(1, 48))
        if at < min(stopped, now):
            rows.append((at, MANUAL, None, {}, life.owner,
                         ctx.texts.line("escalate_by_hand", p.lang)))
    for at, rule, key, data, by, reason in sorted(rows, key=lambda r: r[0]):
        handled_at = None
        if rng.random() < (_HANDLED if at < now - _RECENT else _HANDLED_RECENT):
            handled_at = at + timedelta(hours=rng.uniform(0.3, 20))
            if handled_at > now - timedelta(minutes=5):
                handled_at = None  # too recent: still an open alert
        note = ctx.texts.line("escalation_handled", p.lang) if handled_at else None
        life.escalations.append({
            "complaint_id": p.id, "rule": rule, "key": key, "at": at, "recorded_at": at,
            "by_id": by[0], "reason": reason, "data": data, "handled_at": handled_at,
            "handled_by_id": ctx.supervisor[0] if handled_at else None, "handled_note": note})
        extra = {"reason": reason} if reason else data
        life.event("escalated", by, at, rule=rule, **extra)
        if handled_at is not None:
            life.event("escalation_handled", ctx.supervisor, handled_at, rule=rule,
                       note=note or "")
