"""Two counter processes on one SQLite file at the same moment (tests/pg/crowd.py, the same
checks as on PostgreSQL): references allocated and the same complaints changed concurrently,
then nothing lost, nothing duplicated, every conflict reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.db import Database
from app.services.common import Actor
from tests.pg.crowd import run_counters, snapshot, verify
from tests.pg.test_concurrency import prepared

pytestmark = pytest.mark.sqlite_only  # the PostgreSQL run has tests/pg/test_concurrency.py


def test_two_counters_on_one_file_lose_nothing_and_report_every_conflict(
        db: Database, db_path: Path, clerk: Actor, supervisor: Actor) -> None:
    shared, race = prepared(db, clerk, supervisor)
    before = snapshot(db)
    records = run_counters(str(db_path), ["A", "B"], "basic", "--ops", "60",
                           "--shared", ",".join(shared), "--race", ",".join(race))
    out = verify(db, before, records)
    print(f"\nSQLite, 2 counters: {out.line()}")

    assert out.complaints_logged >= 10
    assert out.acked["contact"] and out.acked["note"] and out.acked["edit"]
    assert out.conflicts["edit"] > 0
    moved = sorted(r["ref"] for lines in records.values() for r in lines
                   if r.get("op") == "move" and "version" in r)
    assert moved == sorted(race)  # each assessed complaint moved once, by one counter
