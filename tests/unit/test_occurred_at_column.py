"""Schema 0006 adds `occurred_at` to complaints: rows sealed before it existed keep their audit
fingerprints, the search index's triggers survive the change, and an imported occurred_at is
sealed with its row."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select, text

from app import audit, schema_revisions
from app.audit_check import check_chain
from app.audit_hashes import canonical, row_fingerprint, sha256
from app.db import Database
from app.migrate import _config
from app.models import Complaint
from app.services.common import Actor
from app.services.importing import import_csv

pytestmark = pytest.mark.usefixtures("fixed_clock")


def test_a_null_added_column_leaves_the_fingerprint_as_before() -> None:
    table = audit.table_of("complaints")
    row = {c.name: None for c in table.columns} | {"id": 7, "reference": "TS-20260310-0001"}
    before = sha256(canonical(["complaints", [
        row[c.name] for c in table.columns if c.name != "occurred_at"]]))
    assert audit.fingerprint(table, row) == before
    # The path `check` and the bulk seals take: the row's values in column order.
    assert row_fingerprint(table, tuple(row[c.name] for c in table.columns)) == before
    assert audit.fingerprint(table, row | {"occurred_at": datetime(2026, 3, 9)}) != before


@pytest.mark.sqlite_only
def test_down_to_0005_and_up_keeps_seals_and_search(db: Database, clerk: Actor,
                                                    tmp_path: Path) -> None:
    # A complaint without an incident time, as every complaint was before 0006 (intake now
    # gives one: by default the received time; dropping it would be a change the seal sees).
    earlier = tmp_path / "earlier.csv"
    earlier.write_text("Date,Issue\r\n2026-03-02 09:00,电梯停运三小时\r\n", encoding="utf-8")
    import_csv(db, earlier, {"received_at": "Date", "description": "Issue"})
    cfg = _config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005")
    # Up again as the program upgrades a desk: the later revisions' new tables (0008's
    # questions, added for a desk already set up) are sealed as they are at the head.
    schema_revisions.upgrade(db)
    assert check_chain(db) == []
    with db.read() as s:
        triggers = set(s.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
    assert "complaint_search_ai" in triggers
    f = tmp_path / "o.csv"
    f.write_text("Date,Issue,Happened\r\n2026-03-01 10:00,停车场刮车,2026-02-28 21:30\r\n",
                 encoding="utf-8")
    import_csv(db, f, {"received_at": "Date", "description": "Issue",
                       "occurred_at": "Happened"})
    with db.read() as s:
        assert s.scalar(select(Complaint.occurred_at).where(Complaint.description == "停车场刮车")
                        ) == datetime(2026, 2, 28, 21, 30)
    assert check_chain(db) == []
