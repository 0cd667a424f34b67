"""Working a complaint through the services (issue 5): every step, and every refusal leaves
the database exactly as it was."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest

from app.db import Database
from app.errors import (
    Conflict,
    DeskError,
    EditRefused,
    MoveRefused,
    PermissionDenied,
    ValidationError,
)
from app.services import moves, resolution, revisits
from app.services.approvals import pending_approvals, pending_count
from app.services.common import Actor
from app.services.complaints import get_detail, update_fields
from app.services.customer_history import customer_history
from app.workflow import (
    PART_APPROVAL,
    PART_IMPLEMENTATION,
    PART_INVESTIGATION,
    PART_REASON,
    PART_REVISIT,
    PART_SOLUTION,
)
from tests.complaint_factory import advance, new_complaint, snapshot
from tests.conftest import ControlledClock


def kinds(db: Database, ref: str) -> list[str]:
    return [e.kind for e in get_detail(db, ref).timeline]


def test_whole_life_through_the_services(db: Database, clerk: Actor, supervisor: Actor,
                                         fixed_clock: ControlledClock) -> None:
    ref = new_complaint(db, clerk)
    resolution.assess(db, ref, category="product_quality", severity="serious",
                      owner_id=clerk.user_id, department="customer_service",
                      actor=clerk, expected_version=get_detail(db, ref).version)
    d = get_detail(db, ref)
    assert (d.stage, d.severity, d.owner_name, d.department) == (
        "assessed", "serious", "李小红", "customer_service")
    assert d.due_at is not None and d.first_contact_due_at is not None

    fixed_clock.advance(hours=1)
    resolution.add_contact(db, ref, method="phone", summary="无人接听", unreachable=True,
                           actor=clerk)
    assert get_detail(db, ref).first_contact_at is None  # an unreachable call is no response
    resolution.add_contact(db, ref, method="phone", summary="已联系顾客，说明处理流程",
                           actor=clerk)
    assert get_detail(db, ref).first_contact_at == datetime(2026, 3, 10, 11, 0)

    resolution.record_investigation(db, ref, findings="同批次洗发水有三起过敏反馈",
                                    responsibility="supplier", root_cause="product_defect",
                                    evidence="检测报告", verdict="true", actor=clerk,
                                    expected_version=get_detail(db, ref).version)
    d = get_detail(db, ref)
    assert (d.stage, d.responsibility, d.root_cause) == (
        "investigating", "supplier", "product_defect")

    resolution.propose_solution(db, ref, types=["refund", "cash"], amounts={"refund": "800"},
                                description="退款并补偿医药费", actor=clerk,
                                expected_version=d.version)
    d = get_detail(db, ref)
    assert (d.approval_state, d.amount_cents) == ("pending", 80000)
    assert [p.reference for p in pending_approvals(db)] == [ref]
    assert pending_approvals(db)[0].proposed_by == "李小红"
    moves.move(db, ref, "proposed", clerk, expected_version=d.version)
    d = get_detail(db, ref)
    assert d.stage == "proposed" and d.paused_since is not None
    assert "in_progress" not in d.allowed_moves  # waits for the approval

    resolution.decide_approval(db, ref, approve=True, comment="金额合理", actor=supervisor,
                               expected_version=d.version)
    assert pending_count(db) == 0
    resolution.record_agreement(db, ref, actor=clerk)
    fixed_clock.advance(hours=2)
    moves.move(db, ref, "in_progress", clerk)
    d = get_detail(db, ref)
    assert d.stage == "in_progress" and d.paused_since is None and d.paused_minutes == 120

    resolution.record_implementation(db, ref, what_was_done="已退款 800 元", actor=clerk)
    moves.move(db, ref, "follow_up", clerk)
    d = get_detail(db, ref)
    assert d.resolved_at is not None
    assert [r.scheduled_for for r in d.revisits] == [date(2026, 3, 13)]  # serious: 3 days after

    revisits.record_revisit(db, ref, method="phone", satisfaction=2, comment="仍有红肿",
                            actor=clerk)
    d = get_detail(db, ref)
    assert (d.stage, d.reopen_count, d.resolved_at) == ("investigating", 1, None)

    advance(db, ref, "follow_up", clerk, supervisor, amount="800")
    revisits.record_revisit(db, ref, method="in_person", satisfaction=5, comment="已痊愈",
                            actor=clerk)
    d = get_detail(db, ref)
    assert (d.stage, d.satisfaction, d.reopen_count) == ("closed", 5, 1)
    assert d.closed_at is not None
    # A serious complaint is escalated to the supervisors as it is assessed (issue 20).
    assert kinds(db, ref)[:5] == ["intake", "assessed", "moved", "escalated", "contact"]
    assert kinds(db, ref).count("revisit_done") == 2
    assert kinds(db, ref).count("reopened") == 1
    assert kinds(db, ref)[-2:] == ["revisit_done", "moved"]


def test_supervisor_closes_without_revisit_and_reopens_with_reason(
        db: Database, clerk: Actor, supervisor: Actor, fixed_clock: ControlledClock) -> None:
    ref = new_complaint(db, clerk)
    advance(db, ref, "follow_up", clerk, supervisor)
    moves.move(db, ref, "closed", supervisor, reason="顾客出国，无法回访")
    d = get_detail(db, ref)
    assert (d.stage, d.close_reason) == ("closed", "顾客出国，无法回访")
    assert d.timeline[-1].kind == "closed_override"
    moves.move(db, ref, "investigating", supervisor, reason="顾客回国后再次投诉")
    d = get_detail(db, ref)
    assert (d.stage, d.reopen_count, d.closed_at) == ("investigating", 1, None)
    assert "顾客回国后再次投诉" in d.timeline[-1].text


def test_customer_history_lists_outcomes_and_satisfaction(
        db: Database, clerk: Actor, supervisor: Actor, fixed_clock: ControlledClock) -> None:
    first = new_complaint(db, clerk)
    advance(db, first, "closed", clerk, supervisor)
    fixed_clock.advance(days=1)
    second = new_complaint(db, clerk, phone="+86 138-0013-8000", description="二次投诉")
    third = new_complaint(db, clerk, phone="13900139000", customer_name="别人")
    moves.move(db, second, "closed", clerk, reason="顾客撤回")
    history = customer_history(db, "138 0013 8000", role="supervisor")
    assert history.phone == "+8613800138000"
    assert [(r.reference, r.outcome, r.satisfaction) for r in history.complaints] == [
        (second, "withdrawn", None), (first, "satisfied", 5)]
    assert history.complaints[1].category == "Product quality"
    assert history.average_satisfaction == 5
    assert customer_history(db, "13800138000", role="clerk").phone == "138****8000"
    assert third not in [r.reference for r in history.complaints]
    with pytest.raises(DeskError):
        customer_history(db, "13700000000")


def test_timeline_texts_read_in_each_language(db: Database, clerk: Actor, supervisor: Actor,
                                              fixed_clock: ControlledClock) -> None:
    from app.i18n import set_language

    ref = new_complaint(db, clerk)
    update_fields(db, ref, {"channel": "phone", "location": "二楼 A 区"}, actor=clerk)
    advance(db, ref, "follow_up", clerk, supervisor)
    revisits.record_revisit(db, ref, method="phone", satisfaction=2, comment="还没退款",
                            actor=clerk)
    texts = [e.text for e in get_detail(db, ref).timeline]
    assert "Channel: Walk-in at counter → Phone" in texts
    assert "Location set to 二楼 A 区" in texts
    assert "Investigation recorded: Verified true, responsibility Tenant shop" in texts
    assert "Revisit by Phone: satisfaction 2/5, not satisfied — 还没退款" in texts
    assert "Reopened Follow-up → Investigating: 还没退款" in texts
    set_language("zh-Hans")
    texts = [e.text for e in get_detail(db, ref).timeline]
    assert any("回访" in t and "不满意" in t for t in texts)
    assert not any("→" in t and "Phone" in t for t in texts)


# --- refusals: each leaves every table unchanged -------------------------------------------

Call = Callable[[Database, str, Actor, Actor], Any]


def _stale_assess(db: Database, ref: str, clerk: Actor, s: Actor) -> Any:
    version = get_detail(db, ref).version
    return resolution.assess(db, ref, category="product_quality", severity="minor",
                             owner_id=clerk.user_id, actor=clerk, expected_version=version - 1)


REFUSALS: list[tuple[str, str, Call, type[DeskError], str | None]] = [
    # (name, stage the complaint is in, call, error, missing part or field)
    ("assess bad severity", "new", lambda db, r, c, s: resolution.assess(
        db, r, category="product_quality", severity="huge", owner_id=c.user_id, actor=c),
     ValidationError, "severity"),
    ("assess no owner", "new", lambda db, r, c, s: resolution.assess(
        db, r, category="product_quality", severity="minor", owner_id=None, actor=c),
     ValidationError, "owner"),
    ("assess unknown category", "new", lambda db, r, c, s: resolution.assess(
        db, r, category="nope", severity="minor", owner_id=c.user_id, actor=c),
     ValidationError, "category"),
    ("assess unknown owner", "new", lambda db, r, c, s: resolution.assess(
        db, r, category="product_quality", severity="minor", owner_id=9999, actor=c),
     ValidationError, "owner"),
    ("assess stale version", "new", _stale_assess, Conflict, None),
    ("findings missing", "assessed", lambda db, r, c, s: resolution.record_investigation(
        db, r, findings="  ", responsibility="tenant", actor=c), ValidationError, "findings"),
    ("bad responsibility", "assessed", lambda db, r, c, s: resolution.record_investigation(
        db, r, findings="x", responsibility="aliens", actor=c),
     ValidationError, "responsibility"),
    ("root cause too long", "assessed", lambda db, r, c, s: resolution.record_investigation(
        db, r, findings="x", responsibility="tenant", root_cause="因" * 201, actor=c),
     ValidationError, "root_cause"),
    ("solution without type", "investigating", lambda db, r, c, s:
     resolution.propose_solution(db, r, types=[], actor=c), ValidationError, "solution_types"),
    ("unknown solution type", "investigating", lambda db, r, c, s:
     resolution.propose_solution(db, r, types=["magic"], actor=c),
     ValidationError, "solution_types"),
    ("negative amount", "investigating", lambda db, r, c, s: resolution.propose_solution(
        db, r, types=["refund"], amounts={"refund": "-5"}, actor=c), ValidationError, "amount"),
    ("amount not a number", "investigating", lambda db, r, c, s: resolution.propose_solution(
        db, r, types=["refund"], amounts={"refund": "五百"}, actor=c), ValidationError, "amount"),
    ("solution while new", "new", lambda db, r, c, s: resolution.propose_solution(
        db, r, types=["refund"], actor=c), EditRefused, PART_SOLUTION),
    ("solution once in progress", "in_progress", lambda db, r, c, s:
     resolution.propose_solution(db, r, types=["refund"], actor=c), EditRefused, PART_SOLUTION),
    ("clerk approves", "proposed", lambda db, r, c, s: resolution.decide_approval(
        db, r, approve=True, comment="ok", actor=c), PermissionDenied, None),
    ("nothing to approve", "investigating", lambda db, r, c, s: resolution.decide_approval(
        db, r, approve=True, actor=s), MoveRefused, PART_SOLUTION),
    ("reject without comment", "proposed", lambda db, r, c, s: resolution.decide_approval(
        db, r, approve=False, comment="", actor=s), ValidationError, "comment"),
    ("agreement without solution", "assessed", lambda db, r, c, s:
     resolution.record_agreement(db, r, actor=c), MoveRefused, PART_SOLUTION),
    ("implementation too early", "proposed", lambda db, r, c, s:
     resolution.record_implementation(db, r, what_was_done="done", actor=c), EditRefused,
     PART_IMPLEMENTATION),
    ("implementation empty", "in_progress", lambda db, r, c, s:
     resolution.record_implementation(db, r, what_was_done="", actor=c),
     ValidationError, "implementation"),
    ("skip to proposed", "assessed", lambda db, r, c, s: moves.move(db, r, "proposed", c),
     MoveRefused, PART_INVESTIGATION),
    ("in progress while approval waits", "proposed", lambda db, r, c, s: moves.move(
        db, r, "in_progress", c), MoveRefused, PART_APPROVAL),
    ("clerk closes without revisit", "follow_up", lambda db, r, c, s: moves.move(
        db, r, "closed", c, reason="x"), MoveRefused, PART_REVISIT),
    ("supervisor closes without reason", "follow_up", lambda db, r, c, s: moves.move(
        db, r, "closed", s), MoveRefused, PART_REASON),
    ("clerk reopens closed", "closed", lambda db, r, c, s: moves.move(
        db, r, "investigating", c, reason="x"), MoveRefused, None),
    ("supervisor reopens without reason", "closed", lambda db, r, c, s: moves.move(
        db, r, "investigating", s), MoveRefused, PART_REASON),
    ("withdraw without reason", "investigating", lambda db, r, c, s: moves.move(
        db, r, "closed", c), MoveRefused, PART_REASON),
    ("revisit too early", "in_progress", lambda db, r, c, s: revisits.record_revisit(
        db, r, method="phone", satisfaction=5, actor=c), EditRefused, PART_REVISIT),
    ("satisfaction 6", "follow_up", lambda db, r, c, s: revisits.record_revisit(
        db, r, method="phone", satisfaction=6, actor=c), ValidationError, "satisfaction"),
    ("satisfaction text", "follow_up", lambda db, r, c, s: revisits.record_revisit(
        db, r, method="phone", satisfaction="good", actor=c), ValidationError, "satisfaction"),
    ("not satisfied without why", "follow_up", lambda db, r, c, s: revisits.record_revisit(
        db, r, method="phone", satisfaction=1, actor=c), ValidationError, "comment"),
    ("bad revisit method", "follow_up", lambda db, r, c, s: revisits.record_revisit(
        db, r, method="pigeon", satisfaction=5, actor=c), ValidationError, "revisit_method"),
    ("reschedule without revisit", "in_progress", lambda db, r, c, s: revisits.reschedule(
        db, r, "2026-04-01", actor=c), EditRefused, PART_REVISIT),
    ("reschedule bad date", "follow_up", lambda db, r, c, s: revisits.reschedule(
        db, r, "next week", actor=c), ValidationError, "revisit_date"),
    ("contact bad method", "assessed", lambda db, r, c, s: resolution.add_contact(
        db, r, method="telepathy", summary="x", actor=c), ValidationError, "contact_method"),
    ("contact empty summary", "assessed", lambda db, r, c, s: resolution.add_contact(
        db, r, method="phone", summary=" ", actor=c), ValidationError, "summary"),
    ("contact in the future", "assessed", lambda db, r, c, s: resolution.add_contact(
        db, r, method="phone", summary="x", at="2030-01-01 10:00", actor=c),
     ValidationError, "contacted_at"),
    ("note empty", "assessed", lambda db, r, c, s: resolution.add_note(db, r, "", actor=c),
     ValidationError, "comment"),
    ("unknown reference", "new", lambda db, r, c, s: moves.move(db, "TS-19990101-0001",
                                                                "assessed", c), DeskError, None),
]


@pytest.mark.parametrize(("name", "stage", "call", "error", "part"), REFUSALS,
                         ids=[r[0] for r in REFUSALS])
def test_refusal_changes_nothing(db: Database, clerk: Actor, supervisor: Actor,
                                 fixed_clock: ControlledClock, name: str, stage: str,
                                 call: Call, error: type[DeskError], part: str | None) -> None:
    ref = new_complaint(db, clerk)
    advance(db, ref, stage, clerk, supervisor, amount="900")  # 900 > 500: approval needed
    if stage == "proposed":
        assert get_detail(db, ref).approval_state == "pending"
    if stage == "closed":
        assert get_detail(db, ref).stage == "closed"
    before = snapshot(db)
    with pytest.raises(error) as info:
        call(db, ref, clerk, supervisor)
    assert snapshot(db) == before, name
    if isinstance(info.value, ValidationError):
        assert info.value.field == part
    elif isinstance(info.value, MoveRefused) and part is not None:
        assert info.value.missing == part
    elif isinstance(info.value, EditRefused):
        assert info.value.part == part
    assert info.value.message()  # a sentence for the user, never empty
