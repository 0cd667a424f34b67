"""Three counter processes on one PostgreSQL database at the same moment (tests/pg/crowd.py):
references allocated and the same complaints changed concurrently, then nothing lost,
nothing duplicated, every conflict reported."""

from __future__ import annotations

import pytest

from app.db import Database
from app.services import resolution
from app.services.common import Actor
from app.services.complaints import get_detail
from app.services.intake import IntakeInput, log_complaint
from tests.pg.crowd import run_counters, snapshot, verify

pytestmark = pytest.mark.postgres_only


def prepared(db: Database, clerk: Actor, supervisor: Actor) -> tuple[list[str], list[str]]:
    """Two complaints everyone works on, three assessed ones everyone tries to move."""
    shared = [log_complaint(db, IntakeInput(description=f"共用投诉 {i}", customer_name="陈先生",
                                            phone=f"1380000000{i}"), clerk).reference
              for i in range(2)]
    race = []
    for i in range(3):
        ref = log_complaint(db, IntakeInput(description=f"抢着处理 {i}", customer_name="林女士",
                                            phone=f"1380000001{i}"), clerk).reference
        resolution.assess(db, ref, category="parking", severity="normal",
                          owner_id=supervisor.user_id, actor=supervisor)
        race.append(ref)
    return shared, race


def test_three_counters_lose_nothing_and_report_every_conflict(
        db: Database, db_arg: str, clerk: Actor, supervisor: Actor) -> None:
    shared, race = prepared(db, clerk, supervisor)
    before = snapshot(db)
    records = run_counters(db_arg, ["A", "B", "C"], "basic", "--ops", "70",
                           "--shared", ",".join(shared), "--race", ",".join(race))
    out = verify(db, before, records)
    print(f"\nPostgreSQL, 3 counters: {out.line()}")

    assert out.complaints_logged >= 20  # references were allocated side by side
    assert out.acked["contact"] and out.acked["note"] and out.acked["edit"]
    assert out.conflicts["edit"] > 0  # stale versions were refused, not written over
    # Each assessed complaint was moved exactly once, however many counters tried.
    moved = [r["ref"] for lines in records.values() for r in lines
             if r.get("op") == "move" and "version" in r]
    assert sorted(moved) == sorted(race)
    for ref in race:
        detail = get_detail(db, ref)
        assert detail.stage == "investigating"
        assert sum(1 for e in detail.timeline
                   if e.kind == "moved" and e.data.get("to_stage") == "investigating") == 1
