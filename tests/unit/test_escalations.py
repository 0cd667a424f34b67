"""Escalation to the supervisors (issue 20): the rules at a save, by the clock and by hand, the
alerts marked handled, never the same thing twice (also with several counters sweeping one
database at once), all on the timeline and in the audit trail, and the month's figure."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.audit_check import check_chain
from app.db import Database
from app.errors import DeskError, PermissionDenied, ValidationError
from app.models import AuditEvent, Escalation
from app.services import moves, resolution
from app.services.common import Actor
from app.services.complaints import get_detail, update_fields
from app.services.escalations import (
    escalate_by_clock,
    escalate_by_hand,
    list_alerts,
    mark_handled,
    open_alert_count,
)
from app.services.settings_service import set_setting
from app.services.stats import month_stats
from tests.cli_process import MAIN, clean_env, output_encoding, run_main
from tests.complaint_factory import advance, new_complaint
from tests.conftest import ControlledClock


def escalations(db: Database, ref: str) -> list[tuple[str, str | None, datetime]]:
    with db.read() as session:
        cid = get_detail(db, ref).id
        return [(e.rule, e.key, e.at) for e in session.scalars(
            select(Escalation).where(Escalation.complaint_id == cid).order_by(Escalation.id))]


def clock_rules_from_now(db: Database, supervisor: Actor) -> None:
    """Switch the clock rules off and on: they then apply to due times from now on."""
    for key in ("escalate_first_contact", "escalate_resolution"):
        set_setting(db, key, False, supervisor)
        set_setting(db, key, True, supervisor)


def test_a_serious_complaint_is_escalated_when_saved_and_only_once(
        db: Database, clerk: Actor, supervisor: Actor, fixed_clock: ControlledClock) -> None:
    ref = new_complaint(db, clerk, severity="urgent")
    assert escalations(db, ref) == [("severity", "severity:urgent", fixed_clock.now)]
    fixed_clock.advance(minutes=5)
    resolution.assess(db, ref, category="product_quality", severity="urgent",
                      owner_id=clerk.user_id, actor=clerk)
    assert len(escalations(db, ref)) == 1  # saved again: not escalated twice
    calm = new_complaint(db, clerk, phone="13900001111")
    assert escalations(db, calm) == []
    fixed_clock.advance(minutes=5)
    resolution.assess(db, calm, category="parking", severity="serious",
                      owner_id=clerk.user_id, actor=clerk)
    assert escalations(db, calm) == [("severity", "severity:serious", fixed_clock.now)]
    kinds = [e.kind for e in get_detail(db, calm).timeline]
    assert kinds.count("escalated") == 1
    text = next(e.text for e in get_detail(db, calm).timeline if e.kind == "escalated")
    assert text == "Escalated to the supervisors: severity Serious"


def test_only_the_severities_the_setting_names(db: Database, clerk: Actor,
                                               supervisor: Actor) -> None:
    set_setting(db, "escalate_severity", "urgent", supervisor)
    assert escalations(db, new_complaint(db, clerk, severity="serious")) == []
    set_setting(db, "escalate_severity", "off", supervisor)
    assert escalations(db, new_complaint(db, clerk, severity="urgent",
                                         phone="13900002222")) == []


def test_a_customers_third_complaint_in_90_days(db: Database, clerk: Actor,
                                               fixed_clock: ControlledClock) -> None:
    phone = "138 0013 8000"
    first = new_complaint(db, clerk, phone=phone, received_at="2025-12-20 10:00")
    second = new_complaint(db, clerk, phone=phone, received_at="2026-01-20 10:00")
    assert escalations(db, first) == escalations(db, second) == []
    third = new_complaint(db, clerk, phone="+86 13800138000")  # the same customer
    assert escalations(db, third) == [("repeat_customer", "repeat", fixed_clock.now)]
    detail = get_detail(db, third)
    assert detail.timeline[-1].text == (
        "Escalated to the supervisors: the customer's complaint number 3 in 90 days")
    # 100 days later the first two are out of the window: the next one is no third.
    fixed_clock.advance(days=100)
    assert escalations(db, new_complaint(db, clerk, phone=phone)) == []


def test_the_clock_escalates_overdue_complaints_once_whoever_sweeps(
        db: Database, clerk: Actor, supervisor: Actor, fixed_clock: ControlledClock) -> None:
    clock_rules_from_now(db, supervisor)
    ref = new_complaint(db, clerk)  # normal: first contact within 1 day, resolved in 7
    assert escalate_by_clock(db) == 0
    fixed_clock.advance(days=1, minutes=1)
    version = get_detail(db, ref).version
    assert escalate_by_clock(db) == 1
    # An escalation is not a change of the complaint: whoever is editing it saves unhindered.
    assert get_detail(db, ref).version == version
    assert escalations(db, ref) == [("first_contact_overdue", "first_contact",
                                     datetime(2026, 3, 11, 10, 0))]
    assert escalate_by_clock(db) == 0  # swept again: nothing new
    fixed_clock.advance(days=7)
    assert escalate_by_clock(db) == 1
    assert escalations(db, ref)[-1] == ("resolution_overdue", "resolution:0",
                                        datetime(2026, 3, 17, 10, 0))
    texts = [e.text for e in get_detail(db, ref).timeline if e.kind == "escalated"]
    assert texts == [
        "Escalated to the supervisors: first contact overdue (due 11 Mar 2026 10:00)",
        "Escalated to the supervisors: resolution overdue (due 17 Mar 2026 10:00)"]


def test_due_times_before_the_rule_applied_are_not_escalated(
        db: Database, clerk: Actor, supervisor: Actor, fixed_clock: ControlledClock) -> None:
    old = new_complaint(db, clerk)
    fixed_clock.advance(days=2)
    clock_rules_from_now(db, supervisor)  # switched on after `old` was due for contact
    fixed_clock.advance(days=10)
    escalate_by_clock(db)
    assert [r for r, _k, _a in escalations(db, old)] == ["resolution_overdue"]


def test_a_clock_rule_switched_off_escalates_nothing(
        db: Database, clerk: Actor, supervisor: Actor, fixed_clock: ControlledClock) -> None:
    clock_rules_from_now(db, supervisor)
    set_setting(db, "escalate_first_contact", False, supervisor)
    ref = new_complaint(db, clerk)
    fixed_clock.advance(days=2)
    assert escalate_by_clock(db) == 0 and escalations(db, ref) == []


def test_a_late_entry_already_overdue_is_escalated_as_it_is_saved(
        db: Database, clerk: Actor, supervisor: Actor, fixed_clock: ControlledClock) -> None:
    clock_rules_from_now(db, supervisor)
    fixed_clock.advance(days=3)
    # A phone complaint of two days ago, logged only now: its first contact is already late.
    ref = new_complaint(db, clerk, channel="phone", received_at="2026-03-11 09:00")
    assert [r for r, _k, _a in escalations(db, ref)] == ["first_contact_overdue"]


def test_a_reopened_complaint_is_a_new_round(db: Database, clerk: Actor, supervisor: Actor,
                                            fixed_clock: ControlledClock) -> None:
    clock_rules_from_now(db, supervisor)
    ref = new_complaint(db, clerk)
    advance(db, ref, "in_progress", clerk, supervisor)
    fixed_clock.advance(days=8)
    escalate_by_clock(db)
    assert "resolution:0" in {k for _r, k, _a in escalations(db, ref)}
    advance(db, ref, "follow_up", clerk, supervisor)
    from app.services import revisits

    revisits.record_revisit(db, ref, method="phone", satisfaction=1, comment="没解决",
                            actor=clerk)
    assert get_detail(db, ref).stage == "investigating"
    escalate_by_clock(db)
    keys = [k for _r, k, _a in escalations(db, ref)]
    assert keys.count("resolution:0") == 1 and "resolution:1" in keys


def test_escalating_by_hand_needs_a_reason_and_waits_for_a_supervisor(
        db: Database, clerk: Actor, supervisor: Actor, fixed_clock: ControlledClock) -> None:
    ref = new_complaint(db, clerk)
    with pytest.raises(ValidationError) as refused:
        escalate_by_hand(db, ref, "   ", clerk)
    assert refused.value.field == "reason"
    version = get_detail(db, ref).version
    first = escalate_by_hand(db, ref, "顾客情绪激动，要求主管出面", clerk)
    assert get_detail(db, ref).version == version
    with pytest.raises(DeskError, match="already escalated by hand"):
        escalate_by_hand(db, ref, "再次要求", clerk)
    alert = next(a for a in list_alerts(db).alerts if a.id == first)
    assert (alert.rule, alert.reason, alert.escalated_by) == (
        "manual", "顾客情绪激动，要求主管出面", "李小红")
    assert get_detail(db, ref).timeline[-1].text == (
        "Escalated to the supervisors by hand: 顾客情绪激动，要求主管出面")
    with pytest.raises(PermissionDenied):
        mark_handled(db, first, "", clerk)
    fixed_clock.advance(minutes=30)
    mark_handled(db, first, "已致电顾客", supervisor)
    with pytest.raises(DeskError, match="already handled by 王主管"):
        mark_handled(db, first, "again", supervisor)
    assert open_alert_count(db) == 0
    handled = list_alerts(db, handled=True).alerts[0]
    assert (handled.handled_by, handled.handled_note, handled.handled_at) == (
        "王主管", "已致电顾客", fixed_clock.now)
    assert get_detail(db, ref).timeline[-1].text == (
        "Escalation handled (Escalated by hand): 已致电顾客")
    escalate_by_hand(db, ref, "顾客第二次来电", clerk)  # handled: a new one may be raised
    moves.move(db, ref, "closed", clerk, "顾客撤回")
    with pytest.raises(DeskError, match="is closed"):
        escalate_by_hand(db, ref, "太晚了", clerk)


def test_everything_is_in_the_audit_trail(db: Database, clerk: Actor,
                                         supervisor: Actor) -> None:
    ref = new_complaint(db, clerk, severity="urgent")
    eid = next(a.id for a in list_alerts(db).alerts if a.reference == ref)
    mark_handled(db, eid, "ok", supervisor)
    with db.read() as session:
        actions = [a for (a,) in session.execute(select(AuditEvent.action).where(
            AuditEvent.target == ref))]
    assert "complaint_escalated" in actions and "complaint_escalation_handled" in actions
    assert check_chain(db) == []  # the escalation rows are sealed like every other


def test_the_month_counts_complaints_escalated_in_it(
        db: Database, clerk: Actor, supervisor: Actor, fixed_clock: ControlledClock) -> None:
    clock_rules_from_now(db, supervisor)
    urgent = new_complaint(db, clerk, severity="urgent")  # severity, then overdue: still one
    new_complaint(db, clerk, phone="13900003333")
    fixed_clock.at(datetime(2026, 4, 2, 9, 0))
    escalate_by_clock(db)
    march, april = month_stats(db, "2026-03"), month_stats(db, "2026-04")
    # The urgent one: severity at intake and first contact (due 11:00) in March, resolution
    # (due the 11th) too; the normal one: first contact on the 11th, resolution on the 17th.
    assert march["escalated"] == 2 and april["escalated"] == 0
    assert april["previous_month"]["escalated"] == 2
    assert len(escalations(db, urgent)) == 3


@pytest.mark.slow
def test_counters_sweeping_one_database_at_once_record_each_escalation_once(
        db: Database, db_arg: str, clerk: Actor, supervisor: Actor) -> None:
    with clock.frozen(datetime.now().replace(microsecond=0) - timedelta(days=3)):
        clock_rules_from_now(db, supervisor)
        refs = [new_complaint(db, clerk, phone=f"1390000{i:04d}", severity="minor")
                for i in range(12)]
    env = clean_env(COMPLAINT_DESK_PASSWORD="demo1234")
    args = ["--db", db_arg, "--user", "clerk1", "--lang", "en", "escalate"]
    env["PYTHONIOENCODING"] = output_encoding(args, env)
    procs = [subprocess.Popen([sys.executable, str(MAIN), *args], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env,
                              encoding=env["PYTHONIOENCODING"]) for _ in range(4)]
    outputs = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, outputs
    added = sum(int(out.split(":")[-1].split()[0]) for out, _err in outputs)
    for ref in refs:  # minor: first contact within 2 days, not resolved within 14
        assert [k for _r, k, _a in escalations(db, ref)] == ["first_contact"]
    assert added == len(refs)
    assert run_main(args, env).stdout.strip() == "Escalated to the supervisors: 0 new"


def test_a_tier_corrected_moves_the_due_times_the_service_levels_gave(
        db: Database, clerk: Actor, fixed_clock: ControlledClock) -> None:
    ref = new_complaint(db, clerk, severity="normal")
    d = get_detail(db, ref)
    assert (d.first_contact_due_at, d.due_at) == (datetime(2026, 3, 11, 10, 0),
                                                  datetime(2026, 3, 17, 10, 0))
    update_fields(db, ref, {"tier": "core"}, actor=clerk)  # core: half the usual time
    d = get_detail(db, ref)
    assert (d.first_contact_due_at, d.due_at) == (datetime(2026, 3, 10, 22, 0),
                                                  datetime(2026, 3, 13, 22, 0))
    assert [e.text for e in d.timeline][-2:] == [
        "Customer tier: Ordinary customer → Core customer",
        "Due time: 17 Mar 2026 10:00 → 13 Mar 2026 22:00"]


def test_the_database_itself_refuses_the_same_key_twice(db: Database, clerk: Actor) -> None:
    """The backstop under the write lock: (complaint, key) is unique in the table, on SQLite
    and PostgreSQL alike; escalations by hand have no key and may be many."""
    from sqlalchemy.exc import IntegrityError

    ref = new_complaint(db, clerk, severity="urgent")
    cid = get_detail(db, ref).id
    now = datetime.now()
    with pytest.raises(IntegrityError), db.write() as session:
        session.add(Escalation(complaint_id=cid, rule="severity", key="severity:urgent",
                               at=now, recorded_at=now, data={}))
    with db.write() as session:
        for _ in range(2):
            session.add(Escalation(complaint_id=cid, rule="manual", key=None, at=now,
                                   recorded_at=now, reason="x", data={}))
    assert len(escalations(db, ref)) == 3
