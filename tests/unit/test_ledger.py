"""The compensation ledger: every solution proposed, approved and carried out stays on record
with its types and the amount of each; a reopen adds an entry, never overwrites; the figures
count what was carried out, per type, in the month it was carried out."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from app.db import Database
from app.errors import ValidationError
from app.migrate import _config
from app.paths import resolve
from app.rules.compensation import UNSPLIT, carried_out_by_type, entry_amounts
from app.services import moves, resolution, revisits
from app.services.common import Actor
from app.services.complaints import get_detail
from app.services.lists import list_entries
from app.services.stats import month_stats
from tests.complaint_factory import advance, new_complaint, snapshot
from tests.conftest import PG_URL, ControlledClock


def _carry_out(db: Database, ref: str, clerk: Actor, supervisor: Actor, types: list[str],
               amounts: dict[str, str]) -> None:
    """From investigating: propose, approve if needed, agree, carry out → follow-up."""
    resolution.propose_solution(db, ref, types=types, amounts=amounts, actor=clerk)
    moves.move(db, ref, "proposed", clerk)
    if get_detail(db, ref).approval_state == "pending":
        resolution.decide_approval(db, ref, approve=True, comment="同意", actor=supervisor)
    resolution.record_agreement(db, ref, actor=clerk)
    moves.move(db, ref, "in_progress", clerk)
    resolution.record_implementation(db, ref, what_was_done="已处理", actor=clerk)
    moves.move(db, ref, "follow_up", clerk)


def test_a_reopen_adds_an_entry_and_the_month_counts_both(
        db: Database, clerk: Actor, supervisor: Actor, fixed_clock: ControlledClock) -> None:
    """The issue's case: a ¥800 refund carried out, the customer not satisfied, a ¥100 gift.
    Before the ledger the gift overwrote the refund and the month counted ¥100."""
    ref = new_complaint(db, clerk)
    advance(db, ref, "investigating", clerk, supervisor)
    _carry_out(db, ref, clerk, supervisor, ["refund"], {"refund": "800"})
    fixed_clock.advance(days=1)
    revisits.record_revisit(db, ref, method="phone", satisfaction=2, comment="仍不满意",
                            actor=clerk)
    fixed_clock.advance(hours=2)
    _carry_out(db, ref, clerk, supervisor, ["gift", "apology"], {"gift": "100"})
    ledger = get_detail(db, ref).ledger
    assert [(e.round, e.types, e.amounts, e.approval_state) for e in ledger] == [
        (0, ["refund"], {"refund": 80000}, "approved"),
        (1, ["gift", "apology"], {"gift": 10000, "apology": 0}, "not_needed")]
    assert all(e.implemented_at is not None and e.superseded_at is None for e in ledger)
    figures = month_stats(db, "2026-03")
    assert figures["compensation_total"] == 900.0
    assert figures["compensation_by_type"] == {"gift": 100.0, "refund": 800.0}


def test_a_mixed_solution_is_counted_per_type(
        db: Database, clerk: Actor, supervisor: Actor, fixed_clock: ControlledClock) -> None:
    """Before, statistics booked a mixed solution's whole amount under its first type."""
    ref = new_complaint(db, clerk)
    advance(db, ref, "investigating", clerk, supervisor)
    _carry_out(db, ref, clerk, supervisor, ["refund", "cash", "apology"],
               {"refund": "300", "cash": "150.50"})
    figures = month_stats(db, "2026-03")
    assert figures["compensation_by_type"] == {"cash": 150.5, "refund": 300.0}
    assert figures["compensation_total"] == 450.5


def test_revised_and_unfinished_proposals_stay_on_record_but_do_not_count(
        db: Database, clerk: Actor, supervisor: Actor, fixed_clock: ControlledClock) -> None:
    ref = new_complaint(db, clerk)
    advance(db, ref, "investigating", clerk, supervisor)
    resolution.propose_solution(db, ref, types=["cash"], amounts={"cash": "2000"}, actor=clerk)
    resolution.decide_approval(db, ref, approve=False, comment="金额过高", actor=supervisor)
    fixed_clock.advance(minutes=30)
    resolution.propose_solution(db, ref, types=["coupon"], amounts={"coupon": "200"},
                                actor=clerk)
    d = get_detail(db, ref)
    assert [(e.types, e.approval_state, e.superseded_at is not None) for e in d.ledger] == [
        (["cash"], "rejected", True), (["coupon"], "not_needed", False)]
    assert (d.solution_types, d.amount_cents, d.approval_state) == (["coupon"], 20000,
                                                                     "not_needed")
    figures = month_stats(db, "2026-03")
    assert figures["compensation_total"] == 0.0 and figures["compensation_by_type"] == {}
    # The lists page counts complaints using a type, not ledger entries.
    resolution.propose_solution(db, ref, types=["coupon"], amounts={"coupon": "100"},
                                actor=clerk)
    uses = {e.code: e.uses for e in list_entries(db, "solution_type")}
    assert (uses["coupon"], uses["cash"], uses["refund"]) == (1, 1, 0)


def test_compensation_counts_in_the_month_it_was_carried_out(
        db: Database, clerk: Actor, supervisor: Actor, fixed_clock: ControlledClock) -> None:
    fixed_clock.at(datetime(2026, 3, 30, 10, 0))
    ref = new_complaint(db, clerk)
    advance(db, ref, "in_progress", clerk, supervisor, amount="100")
    fixed_clock.at(datetime(2026, 4, 2, 10, 0))
    resolution.record_implementation(db, ref, what_was_done="已退款", actor=clerk)
    assert month_stats(db, "2026-03")["compensation_total"] == 0.0
    assert month_stats(db, "2026-04")["compensation_by_type"] == {"refund": 100.0}


def test_an_amount_for_a_type_not_chosen_is_refused_and_changes_nothing(
        db: Database, clerk: Actor, supervisor: Actor) -> None:
    ref = new_complaint(db, clerk)
    advance(db, ref, "investigating", clerk, supervisor)
    before = snapshot(db)
    with pytest.raises(ValidationError) as refused:
        resolution.propose_solution(db, ref, types=["apology"], amounts={"refund": "50"},
                                    actor=clerk)
    assert refused.value.field == "amount" and "Refund" in refused.value.message()
    with pytest.raises(ValidationError) as refused:
        resolution.propose_solution(db, ref, types=["refund"], amounts={"refund": "五十"},
                                    actor=clerk)
    assert refused.value.field == "amount" and "Refund" in refused.value.message()
    assert snapshot(db) == before


def test_rules_of_the_ledger() -> None:
    assert entry_amounts(["refund", "apology"], {"refund": 500}) == {"refund": 500,
                                                                     "apology": 0}
    from app.rules.compensation import Entry

    done = datetime(2026, 3, 1)
    entries = [Entry(1, 0, ("refund", "gift"), {"refund": 500, "gift": 100}, 600, done),
               Entry(2, 0, ("refund", "gift"), {}, 700, done),  # old, not split
               Entry(3, 1, ("cash",), {"cash": 900}, 900, None)]  # not carried out
    assert carried_out_by_type(entries) == {"refund": 500, "gift": 100, UNSPLIT: 700}


@pytest.mark.skipif(PG_URL is not None, reason="builds an old SQLite file")
def test_the_migration_carries_todays_solutions_into_the_ledger(tmp_path: Path) -> None:
    """Schema 0003 (one solution row per complaint, one amount) to the ledger: one type keeps
    its amount, several without money get 0 each, an apology beside one paid type leaves it
    the amount, several paid types keep only the total (never split by guess); a reopened
    complaint's solution is its current round's entry."""
    db = Database(resolve(str(tmp_path / "old.db")))
    cfg = _config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
        t = datetime(2026, 3, 1, 10, 0)
        for n, reopens in ((1, 0), (2, 0), (3, 2), (4, 0)):
            conn.execute(sa.text(
                "INSERT INTO complaints (id, reference, version, received_at, channel, "
                "description, demands, is_repeat, stage, severity, withdrawn, reopen_count, "
                "paused_minutes, updated_at) VALUES (:id, :ref, 1, :t, 'counter', 'x', '[]', "
                "0, 'follow_up', 'normal', 0, :reopens, 0, :t)"),
                {"id": n, "ref": f"TS-20260301-000{n}", "t": t, "reopens": reopens})
        for n, types, cents in ((1, '["refund"]', 80000), (2, '["apology", "explanation"]', 0),
                                (3, '["refund", "gift", "apology"]', 20000),
                                (4, '["apology", "cash"]', 5000)):
            conn.execute(sa.text(
                "INSERT INTO solutions (id, complaint_id, types, amount_cents, approval_state, "
                "proposed_at, implemented_at) VALUES (:id, :id, :types, :cents, 'not_needed', "
                ":t, :t)"), {"id": n, "types": types, "cents": cents, "t": t})
    from app.migrate import upgrade

    upgrade(db)
    with db.engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT id, round, amounts, amount_cents FROM solutions ORDER BY id")).all()
    import json

    assert [(r[0], r[1], json.loads(r[2]), r[3]) for r in rows] == [
        (1, 0, {"refund": 80000}, 80000),
        (2, 0, {"apology": 0, "explanation": 0}, 0),
        (3, 2, {}, 20000),
        (4, 0, {"apology": 0, "cash": 5000}, 5000)]
    figures = month_stats(db, "2026-03")
    assert figures["compensation_by_type"] == {"refund": 800.0, "cash": 50.0, UNSPLIT: 200.0}
    assert figures["compensation_total"] == 1050.0
    db.dispose()
