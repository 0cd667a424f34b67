"""The escalation rules (app/rules/escalation.py) as plain values, and their SQL twin
(app/rules/escalation_sql.py) giving the same answer on the same rows, on SQLite and on
PostgreSQL (COMPLAINT_DESK_TEST_DB)."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, case, insert, select

from app.codes import STAGES
from app.db import Database
from app.rules.escalation import (
    FIRST_CONTACT,
    REPEAT,
    RESOLUTION,
    SEVERITY,
    CaseClock,
    EscalationRules,
    clock_triggers,
    pending,
    save_triggers,
)
from app.rules.escalation_sql import first_contact_sql, resolution_sql

BASE = datetime(2026, 3, 10, 10, 0, 0)


def complaint(**kw: object) -> CaseClock:
    values: dict[str, object] = dict(stage="assessed", severity="normal",
                                     first_contact_due_at=BASE, first_contact_at=None,
                                     due_at=BASE + timedelta(days=1), paused_since=None,
                                     reopen_count=0)
    values.update(kw)
    return CaseClock(**values)  # type: ignore[arg-type]


def test_first_contact_fires_at_its_due_time_once_passed_and_only_while_unresolved() -> None:
    rules = EscalationRules()
    assert clock_triggers(complaint(), rules, BASE) == []  # due now: not passed yet
    (fired,) = clock_triggers(complaint(), rules, BASE + timedelta(minutes=1))
    assert (fired.rule, fired.key, fired.at) == (FIRST_CONTACT, "first_contact", BASE)
    assert fired.data == {"due_time": "2026-03-10 10:00:00"}
    later = BASE + timedelta(hours=2)
    assert clock_triggers(complaint(first_contact_at=BASE - timedelta(hours=1)), rules, later) == []
    assert clock_triggers(complaint(stage="follow_up"), rules, later) == []
    assert clock_triggers(complaint(), EscalationRules(first_contact=False), later) == []


def test_resolution_follows_the_overdue_rule_with_its_pause_and_round() -> None:
    rules = EscalationRules(first_contact=False)
    due = BASE + timedelta(days=1)
    after = due + timedelta(hours=1)
    (fired,) = clock_triggers(complaint(), rules, after)
    assert (fired.rule, fired.key, fired.at) == (RESOLUTION, "resolution:0", due)
    # Waiting on the customer since before the due time: the clock stands still.
    assert clock_triggers(complaint(stage="proposed", paused_since=due - timedelta(hours=1)),
                          rules, after) == []
    # A reopened complaint is a new round of work: a key of its own.
    assert clock_triggers(complaint(reopen_count=2), rules, after)[0].key == "resolution:2"


def test_clock_rules_apply_from_when_they_were_switched_on() -> None:
    since = {FIRST_CONTACT: BASE + timedelta(minutes=1), RESOLUTION: BASE}
    rules = EscalationRules(since=since)
    late = BASE + timedelta(days=2)
    fired = {t.rule for t in clock_triggers(complaint(), rules, late)}
    assert fired == {RESOLUTION}  # the first contact was due before its rule applied


def test_save_rules_severity_and_the_repeat_customer() -> None:
    rules = EscalationRules(severities=("serious", "urgent"), repeat_count=3, repeat_days=90)
    now = BASE
    assert [t.key for t in save_triggers(complaint(severity="urgent"), rules, now, 1)] == [
        "severity:urgent"]
    assert save_triggers(complaint(severity="normal"), rules, now, 2) == []
    (third,) = save_triggers(complaint(), rules, now, 3)
    assert (third.rule, third.key, third.data) == (REPEAT, "repeat", {"count": 3, "days": 90})
    assert save_triggers(complaint(severity="urgent"), rules, now, 5)[0].rule == SEVERITY
    assert save_triggers(complaint(stage="closed", severity="urgent"), rules, now, 5) == []
    assert save_triggers(complaint(), EscalationRules(repeat_count=0), now, 9) == []


def test_the_same_thing_is_never_escalated_twice() -> None:
    rules = EscalationRules()
    late = BASE + timedelta(days=3)
    triggers = clock_triggers(complaint(), rules, late) + clock_triggers(complaint(), rules, late)
    assert [t.key for t in pending(triggers, set())] == ["first_contact", "resolution:0"]
    assert pending(triggers, {"first_contact", "resolution:0"}) == []


MOMENTS = [BASE + timedelta(hours=h) for h in (-30, -1, 0, 1, 30)]
moments = st.one_of(st.sampled_from(MOMENTS),
                    st.datetimes(min_value=BASE - timedelta(days=40),
                                 max_value=BASE + timedelta(days=40)))
maybe = st.none() | moments
rows = st.lists(st.tuples(st.sampled_from([*STAGES, "retired_stage"]), maybe, maybe, maybe,
                          maybe), min_size=1, max_size=40)

_meta = MetaData()
SCRATCH = Table("escalation_twin_rows", _meta, Column("id", Integer, primary_key=True),
                Column("stage", String(20)), Column("first_contact_due_at", DateTime),
                Column("first_contact_at", DateTime), Column("due_at", DateTime),
                Column("paused_since", DateTime))


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=rows, now=moments, since=maybe)
def test_python_and_sql_agree_on_the_same_rows(
        db: Database, rows: list[tuple[str, datetime | None, datetime | None, datetime | None,
                                       datetime | None]],
        now: datetime, since: datetime | None) -> None:
    _meta.create_all(db.engine)
    try:
        with db.engine.begin() as conn:
            conn.execute(insert(SCRATCH), [
                {"id": i, "stage": s, "first_contact_due_at": fd, "first_contact_at": fa,
                 "due_at": d, "paused_since": p} for i, (s, fd, fa, d, p) in enumerate(rows)])
            t = SCRATCH.c
            found = {i: (bool(a), bool(b)) for i, a, b in conn.execute(select(
                t.id,
                case((first_contact_sql(t.stage, t.first_contact_due_at, t.first_contact_at,
                                        now, since), True), else_=False),
                case((resolution_sql(t.stage, t.due_at, t.paused_since, now, since), True),
                     else_=False)))}
        rules = EscalationRules(since={FIRST_CONTACT: since, RESOLUTION: since})
        expected = {}
        for i, (s, fd, fa, d, p) in enumerate(rows):
            fired = {t.rule for t in clock_triggers(CaseClock(s, "normal", fd, fa, d, p, 0),
                                                    rules, now)}
            expected[i] = (FIRST_CONTACT in fired, RESOLUTION in fired)
        assert found == expected
    finally:
        _meta.drop_all(db.engine)
