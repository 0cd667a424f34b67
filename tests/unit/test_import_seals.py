"""Imported rows are sealed from the values the import wrote, not read back (issue 17): each
seal equals the fingerprint `check` recomputes from the row in the database, on SQLite and on
PostgreSQL, and a row changed after the import is still found."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from app import audit, audit_bulk
from app.audit_check import check_chain
from app.audit_hashes import fingerprint
from app.db import Database
from app.models import AuditSeal
from app.services.common import Actor
from app.services.importing import import_csv
from tests.unit.csv_support import write_csv

ADMIN = Actor(None, "admin", "admin")
HEADER = ["No", "When", "What", "Phone", "Name", "Kind", "Status", "Solved", "Wants",
          "Happened"]
MAPPING: dict[str, Any] = {
    "external_id": "No", "received_at": "When", "description": "What", "phone": "Phone",
    "customer_name": "Name", "category": "Kind",
    "stage": {"column": "Status", "values": {"新登记": "new", "已关闭": "closed",
                                               "待回访": "follow_up"}},
    "resolved_at": "Solved", "customer_demand": "Wants", "occurred_at": "Happened",
}
BULK = ("customers", "complaints", "complaint_events")


def _rows(start: int, count: int) -> list[list[str]]:
    """Chinese and Latin names, the same phone on several rows, rows with a name but no phone
    (a customer of their own), rows with nobody, new categories, demands, some incident
    times (a column added later: counted only when it holds a value)."""
    rows = []
    for i in range(start, start + count):
        stage = ("新登记", "已关闭", "待回访")[i % 3]
        phone = ("", f"1380013{i % 7:04d}", "+852 9123 4567", f"139{i:08d}")[i % 4]
        name = ("张三", "Chan Tai Man", "", "Hélène «O'Brien»")[i % 5 % 4]
        rows.append([f"K{i}", f"2024/3/{1 + i % 28} {8 + i % 10}:{i % 60:02d}",
                     f"顾客反映第 {i} 号问题：商品质量差\n要求退货, \"急\"", phone, name,
                     ("parking", "停车", f"新类别{i % 3}")[i % 3], stage,
                     f"2024/4/{1 + i % 28} 09:15" if stage != "新登记" else "",
                     ("refund;apology", "", "refund")[i % 3],
                     f"2024/2/{1 + i % 28} 07:00" if i % 4 == 0 else ""])
    return rows


def _import(db: Database, tmp_path: Path, name: str, rows: list[list[str]]) -> int:
    path = write_csv(tmp_path / name, rows, header=HEADER)
    result = import_csv(db, path, MAPPING, actor=ADMIN)
    assert not result.problems, result.problems[:3]
    return result.added


def _seals_equal_check(db: Database) -> int:
    """Every row of the bulk tables has a seal equal to the fingerprint recomputed from the
    row as the database gives it back (what `check` does); returns the rows compared."""
    compared = 0
    with db.read() as session:
        for name in BULK:
            table = audit.table_of(name)
            index = dict(session.execute(select(AuditSeal.row_key, AuditSeal.fingerprint)
                                         .where(AuditSeal.table_name == name)).all())
            for row in session.execute(select(table)).mappings():
                assert index.get(str(row["id"])) == fingerprint(table, row), (name, dict(row))
                compared += 1
    return compared


def test_seals_taken_from_the_written_values_equal_what_check_recomputes(
        db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read_back: list[str] = []
    real = audit_bulk.seal_range

    def spy(conn: Any, table: Any, *args: Any) -> Any:
        read_back.append(table.name)
        return real(conn, table, *args)

    monkeypatch.setattr(audit_bulk, "seal_range", spy)
    assert _import(db, tmp_path, "first.csv", _rows(0, 120)) == 120
    # A second file: known customers found by phone and updated (a bulk UPDATE, resealed
    # one by one), new ones added in bulk.
    assert _import(db, tmp_path, "second.csv", _rows(500, 80)) == 80
    assert not set(read_back) & set(BULK), read_back  # sealed from the held values
    assert _seals_equal_check(db) >= 200 + 200 + 2
    assert check_chain(db) == []


def test_a_row_changed_after_the_import_is_found(db: Database, tmp_path: Path) -> None:
    _import(db, tmp_path, "file.csv", _rows(0, 40))
    assert check_chain(db) == []
    with db.engine.begin() as conn:  # behind the program's back
        conn.execute(text("UPDATE complaints SET description = 'edited' WHERE external_id = 'K7'"))
        conn.execute(text("UPDATE complaint_events SET to_stage = 'closed' WHERE id = "
                          "(SELECT min(id) FROM complaint_events)"))
        conn.execute(text("UPDATE customers SET name = 'someone else' WHERE phone = "
                          "(SELECT min(phone) FROM customers)"))
    problems = check_chain(db)
    changed = [p for p in problems if "was changed outside the program" in p]
    assert len(changed) == 3, problems
    assert any("complaint" in p.lower() for p in changed)


def test_held_fingerprints_are_used_only_for_exactly_the_range() -> None:
    held = [("5", "a"), ("6", "b"), ("7", "c")]
    assert audit_bulk.covers(held, 5, 7, 3)
    assert not audit_bulk.covers(held, 5, 8, 4)  # a row not handed in: read them back
    assert not audit_bulk.covers(held, 6, 7, 2)
    assert not audit_bulk.covers([("5", "a"), ("5", "a"), ("7", "c")], 5, 7, 3)
    assert audit_bulk.seal_held([("10", "x"), ("9", "y"), ("8", "z")], {"9"}) == [
        ("10", "x"), ("8", "z")]  # sorted as text, like seal_range


def test_a_row_without_every_column_is_refused() -> None:
    table = audit.table_of("customers")
    row = {"name": "张三", "phone": "+8613800138000", "email": None, "tier": "ordinary",
           "created_at": None}  # anonymised_at missing: the database would fill it in
    with pytest.raises(KeyError):
        audit_bulk.held_fingerprints(table, [(1, row)])


def test_rows_not_handed_in_are_read_back(db: Database, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Held fingerprints that do not account for the whole range are ignored: the rows are
    read back, as before."""
    monkeypatch.setattr(audit_bulk, "covers", lambda *args: False)
    _import(db, tmp_path, "file.csv", _rows(0, 30))
    assert _seals_equal_check(db) > 0
    assert check_chain(db) == []
