"""The investigation's verdict (hotel 2.3 核实, issue 20): required to leave the investigation,
whoever moves the complaint; an unfounded one closes with the explanation given to the
customer; the month's figures count the verdicts (DESIGN.md §5 by_verification); the demo
follows the rule, imported history bypasses it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.db import Database
from app.errors import MoveRefused, ValidationError, ValidationErrors
from app.models import Complaint, Investigation
from app.services import moves, resolution
from app.services.common import Actor
from app.services.complaints import get_detail
from app.services.customer_history import customer_history
from app.services.demo import DemoOptions, make_demo
from app.services.importing import import_csv
from app.services.intake import IntakeInput, OnTheSpot, log_complaint
from app.services.stats import month_stats
from app.workflow import PART_INVESTIGATION, PART_REASON
from tests.complaint_factory import new_complaint, snapshot
from tests.conftest import ControlledClock
from tests.unit.csv_support import write_csv


def investigated(db: Database, clerk: Actor, verdict: str | None = None,
                 phone: str = "13800138000") -> str:
    """A complaint in investigation with findings and a proposed solution."""
    ref = new_complaint(db, clerk, phone=phone)
    resolution.assess(db, ref, category="product_quality", severity="normal",
                      owner_id=clerk.user_id, actor=clerk)
    resolution.record_investigation(db, ref, findings="调取监控核查", responsibility="tenant",
                                    verdict=verdict, actor=clerk)
    resolution.propose_solution(db, ref, types=["apology"], actor=clerk)
    return ref


def test_no_leaving_the_investigation_without_a_verdict(
        db: Database, clerk: Actor, fixed_clock: ControlledClock) -> None:
    ref = investigated(db, clerk)
    before = snapshot(db)
    with pytest.raises(MoveRefused) as refused:
        moves.move(db, ref, "proposed", clerk)
    assert refused.value.missing == PART_INVESTIGATION
    assert refused.value.message() == ("Record the investigation's verdict first (verified "
                                       "true, unfounded or not verifiable).")
    assert snapshot(db) == before
    assert "proposed" not in get_detail(db, ref).allowed_moves
    resolution.record_investigation(db, ref, findings="调取监控核查", responsibility="tenant",
                                    verdict="not_verifiable", actor=clerk)
    assert moves.move(db, ref, "proposed", clerk).stage == "proposed"
    assert get_detail(db, ref).verified == "not_verifiable"


def test_a_verdict_left_out_is_kept_an_empty_one_clears_it(db: Database, clerk: Actor) -> None:
    ref = investigated(db, clerk, verdict="true")
    resolution.record_investigation(db, ref, findings="补充", responsibility="tenant",
                                    actor=clerk)
    assert get_detail(db, ref).verified == "true"
    resolution.record_investigation(db, ref, findings="补充", responsibility="tenant",
                                    verdict="", actor=clerk)
    assert get_detail(db, ref).verified is None


def test_an_unfounded_complaint_closes_with_the_explanation(
        db: Database, clerk: Actor, fixed_clock: ControlledClock) -> None:
    ref = investigated(db, clerk, verdict="unfounded")
    with pytest.raises(MoveRefused) as refused:
        moves.move(db, ref, "closed", clerk)
    assert refused.value.missing == PART_REASON
    assert "explanation the customer was given" in refused.value.message()
    fixed_clock.advance(hours=2)
    moves.move(db, ref, "closed", clerk, "已调取监控向顾客说明，顾客认可")
    d = get_detail(db, ref)
    assert (d.stage, d.close_reason, d.closed_at, d.resolved_at) == (
        "closed", "已调取监控向顾客说明，顾客认可", fixed_clock.now, fixed_clock.now)
    assert d.timeline[-1].kind == "closed_unfounded"
    assert d.timeline[-1].text == ("Closed as unfounded; explained to the customer: "
                                   "已调取监控向顾客说明，顾客认可")
    with db.read() as session:
        assert not session.scalar(select(Complaint.withdrawn).where(Complaint.id == d.id))
    (row,) = customer_history(db, "13800138000").complaints
    assert row.outcome == "unfounded"


def test_a_founded_complaint_closed_early_is_a_withdrawal(db: Database, clerk: Actor) -> None:
    ref = investigated(db, clerk, verdict="true")
    moves.move(db, ref, "closed", clerk, "顾客撤回投诉")
    assert get_detail(db, ref).timeline[-1].kind == "withdrawn"


def test_resolving_on_the_spot_asks_for_the_verdict(db: Database, clerk: Actor) -> None:
    spot = OnTheSpot(["apology"], "当场致歉")
    data = IntakeInput(description="收银员态度差", customer_name="林先生", category="parking",
                       on_the_spot=spot)
    with pytest.raises(ValidationErrors) as refused:
        log_complaint(db, data, clerk)
    assert [e.field for e in refused.value.errors] == ["verified"]
    spot.verdict = "unfounded"
    ref = log_complaint(db, data, clerk).reference
    assert (get_detail(db, ref).stage, get_detail(db, ref).verified) == ("follow_up",
                                                                          "unfounded")


def test_the_month_counts_the_verdicts(db: Database, clerk: Actor,
                                      fixed_clock: ControlledClock) -> None:
    for n, verdict in enumerate(["true", "true", "true", "unfounded", "not_verifiable", None]):
        investigated(db, clerk, verdict=verdict, phone=f"1390000{n:04d}")
    new_complaint(db, clerk, phone="13900009999")
    stats = month_stats(db, "2026-03")
    assert stats["by_verification"] == {"verified": 3, "unfounded": 1, "not_verifiable": 1,
                                        "pending": 2}
    assert sum(stats["by_verification"].values()) == stats["received"] == 7
    assert stats["founded_pct"] == 60.0  # 3 of the 5 with a verdict
    assert stats["previous_month"]["by_verification"] == {
        "verified": 0, "unfounded": 0, "not_verifiable": 0, "pending": 0}
    assert stats["previous_month"]["founded_pct"] is None


def test_imported_history_takes_its_stage_without_a_verdict(
        db: Database, tmp_path: Path, fixed_clock: ControlledClock) -> None:
    f = write_csv(tmp_path / "h.csv", [["h1", "2026-03-02 10:00", "旧投诉：方案待确认",
                                         "proposed"]], header=["id", "when", "what", "stage"])
    mapping = {"external_id": "id", "received_at": "when", "description": "what",
               "stage": "stage"}
    assert import_csv(db, f, mapping).added == 1
    with db.read() as session:
        c = session.scalars(select(Complaint)).one()
        assert (c.stage, c.verified) == ("proposed", None)
    assert month_stats(db, "2026-03")["by_verification"]["pending"] == 1


def test_the_demo_follows_the_rule(db: Database) -> None:
    make_demo(db, DemoOptions(count=400, seed=5, months=2))
    with db.read() as session:
        rows = session.execute(select(Complaint.stage, Complaint.verified, Complaint.withdrawn,
                                      Complaint.close_reason, Investigation.id)
                               .outerjoin(Investigation,
                                          Investigation.complaint_id == Complaint.id)).all()
    past = [r for r in rows if r.stage in ("proposed", "in_progress", "follow_up")]
    assert past and all(r.verified for r in past)  # none left the investigation without one
    closed = [r for r in rows if r.stage == "closed" and not r.withdrawn]
    assert all(r.verified for r in closed)
    unfounded_closes = [r for r in closed if r.verified == "unfounded" and r.close_reason]
    assert unfounded_closes  # some were closed with the explanation
    assert any(r.verified is None for r in rows if r.stage in ("new", "assessed"))


def test_past_the_investigation_the_verdict_may_change_but_not_go(
        db: Database, clerk: Actor) -> None:
    ref = investigated(db, clerk, verdict="true")
    moves.move(db, ref, "proposed", clerk)
    before = snapshot(db)
    with pytest.raises(ValidationError) as refused:
        resolution.record_investigation(db, ref, findings="补充", responsibility="tenant",
                                        verdict="", actor=clerk)
    assert refused.value.field == "verified"
    assert refused.value.message() == ("Verification: is required once the complaint has "
                                       "left the investigation")
    assert snapshot(db) == before  # the complaint keeps its verdict, nothing else changed
    resolution.record_investigation(db, ref, findings="补充：监控显示另有原因",
                                    responsibility="tenant", verdict="not_verifiable",
                                    actor=clerk)
    assert get_detail(db, ref).verified == "not_verifiable"
