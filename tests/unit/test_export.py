"""CSV export: BOM and header, codes not labels, date range, formula injection neutralised,
and export → import into a fresh database giving back every field."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.db import Database
from app.errors import DeskError
from app.migrate import open_database
from app.models import Complaint, Customer, ListValue
from app.services.common import Actor
from app.services.csv_text import restore
from app.services.exporting import HEADER, export_csv, identity_mapping
from app.services.importing import import_csv
from app.services.intake import IntakeInput, OnTheSpot, log_complaint
from tests.conftest import ControlledClock
from tests.unit.csv_support import read_export, write_csv

FIELDS = ("received_at", "channel", "category", "subject", "severity", "customer_name", "phone",
          "email", "tier", "description", "customer_demand", "department", "location",
          "external_id", "stage", "resolved_at", "closed_at", "satisfaction", "occurred_at")
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def _facts(db: Database) -> list[dict[str, Any]]:
    """Every exported field straight from the tables (not through the export), in a stable
    order that does not depend on references."""
    cat, sub, dep = aliased(ListValue), aliased(ListValue), aliased(ListValue)
    c = Complaint
    query = (select(c.received_at, c.channel, cat.code, sub.code, c.severity, Customer.name,
                    Customer.phone, Customer.email, Customer.tier, c.description, c.demands,
                    dep.code, c.location, c.external_id, c.stage, c.resolved_at, c.closed_at,
                    c.satisfaction, c.occurred_at)
             .outerjoin(Customer, Customer.id == c.customer_id)
             .outerjoin(cat, cat.id == c.category_id).outerjoin(sub, sub.id == c.subject_id)
             .outerjoin(dep, dep.id == c.department_id))
    with db.read() as s:
        rows = [dict(zip(FIELDS, r, strict=True)) for r in s.execute(query)]
    return sorted(rows, key=lambda r: (r["received_at"], r["description"]))


def _fill(db: Database, tmp_path: Path, clerk: Actor) -> None:
    """Complaints in many scripts and stages, with cells a spreadsheet would run."""
    texts = [
        ("新买的皮鞋穿了两天就开胶，要求退货。", "张伟", "13800138000"),
        ("房間冷氣壞了，整晚沒法入睡；櫃檯說「明天再修」。", "陳大文", "+852 9123 4567"),
        ("Service was slow 😡🙏 — 服务太慢了, \"really\" slow", "Ms. O'Brien 李", "+886 912 345 678"),
        ("多行\n第二行\r\n第三行, with commas, \"quotes\" and 'apostrophes'", "Ānh Nguyễn", ""),
        ("=HYPERLINK(\"http://evil\",\"click\")", "@boss", "13900001111"),
        ("+1 charged twice", "-minus", "13900002222"),
        ("'=already quoted", "Ω ☃ 𠀀 𪚥", "13900003333"),
    ]
    for i, (text, name, phone) in enumerate(texts):
        log_complaint(db, IntakeInput(
            description=text, customer_name=name, phone=phone, channel="counter",
            email=f"u{i}@example.com" if i % 2 else "", tier=("core", "key", "")[i % 3],
            received_at=f"2026-02-{i + 1:02d} 09:{i:02d}:00", category="parking",
            subject="service", department="security", location="-1F 停车场" if i == 5 else "",
            demands=["refund", "apology"] if i % 2 else ["explanation"],
            severity=("minor", "normal", "serious", "urgent")[i % 4]))
    log_complaint(db, IntakeInput(
        description="当场解决：收银多收 5 元", customer_name="Resolved", phone="13900004444",
        category="price_promotion", received_at="2026-03-10 09:30",
        on_the_spot=OnTheSpot(["refund"], "退还 5 元", verdict="true")), clerk)
    history = write_csv(tmp_path / "history.csv", [
        ["H-1", "2025-12-01 08:00", "旧投诉：已关闭", "closed", "2025-12-02 10:00",
         "2025-12-09 11:00", "5", "@@new cat", "2025-11-30 20:15"],
        ["H-2", "2025-12-03 08:00", "旧投訴：待回訪", "follow_up", "2025-12-04 10:00", "", "",
         "新分類", ""],
    ], header=["id", "when", "what", "stage", "resolved", "closed", "sat", "cat", "occurred"])
    result = import_csv(db, history, {
        "external_id": "id", "received_at": "when", "description": "what", "stage": "stage",
        "resolved_at": "resolved", "closed_at": "closed", "satisfaction": "sat",
        "category": "cat", "occurred_at": "occurred"})
    assert result.added == 2 and not result.problems


def test_bom_header_codes_and_dates(db: Database, tmp_path: Path, clerk: Actor,
                                    fixed_clock: ControlledClock) -> None:
    _fill(db, tmp_path, clerk)
    out = tmp_path / "out.csv"
    assert export_csv(db, out) == 10
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data[3:].split(b"\r\n", 1)[0].decode() == ",".join(HEADER)
    assert ("reference", *FIELDS) == HEADER
    rows = read_export(out)
    assert [r["received_at"] for r in rows] == sorted(r["received_at"] for r in rows)
    first = next(r for r in rows if r["description"].startswith("新买的皮鞋"))
    assert first["reference"] == "TS-20260201-0001"
    assert (first["channel"], first["category"], first["subject"], first["department"]) == (
        "counter", "parking", "service", "security")
    assert (first["severity"], first["tier"], first["stage"]) == ("minor", "core", "new")
    assert first["received_at"] == "2026-02-01 09:00:00"
    assert first["customer_demand"] == "explanation"
    second = next(r for r in rows if r["description"].startswith("房間"))
    assert second["customer_demand"] == "refund;apology" and restore(second["phone"]) == "+85291234567"
    closed = next(r for r in rows if r["external_id"] == "H-1")
    assert (closed["stage"], closed["closed_at"], closed["satisfaction"]) == (
        "closed", "2025-12-09 11:00:00", "5")
    assert closed["occurred_at"] == "2025-11-30 20:15:00"
    spot = next(r for r in rows if r["customer_name"] == "Resolved")
    assert spot["stage"] == "follow_up" and spot["resolved_at"] == "2026-03-10 10:00:00"


def test_formula_cells_are_neutralised_in_the_file_bytes(
        db: Database, tmp_path: Path, clerk: Actor, fixed_clock: ControlledClock) -> None:
    _fill(db, tmp_path, clerk)
    out = tmp_path / "out.csv"
    export_csv(db, out)
    text = out.read_bytes().decode("utf-8-sig")
    cells = [cell for record in csv.reader(text.splitlines(keepends=True)) for cell in record]
    assert not [c for c in cells if c.startswith(DANGEROUS)]
    for expected in ("'=HYPERLINK(\"\"http://evil\"\",\"\"click\"\")", "'@boss", "'+1 charged",
                     "'-minus", "'-1F 停车场", "'@@new cat", "''=already quoted"):
        assert expected in text, expected


def test_round_trip_into_a_fresh_database_keeps_every_field(
        db: Database, tmp_path: Path, clerk: Actor, fixed_clock: ControlledClock) -> None:
    _fill(db, tmp_path, clerk)
    out = tmp_path / "out.csv"
    assert export_csv(db, out) == 10
    fresh = open_database(str(tmp_path / "fresh.db"))
    try:
        result = import_csv(fresh, out, identity_mapping())
        assert (result.added, result.problems) == (10, [])
        before, after = _facts(db), _facts(fresh)
        assert len(before) == len(after) == 10
        for old, new in zip(before, after, strict=True):
            for name in FIELDS:
                assert old[name] == new[name], (name, old[name], new[name])
        # And the file the fresh database exports is the same but for the references.
        again = tmp_path / "again.csv"
        export_csv(fresh, again)
        strip = [{k: v for k, v in r.items() if k != "reference"} for r in read_export(out)]
        assert strip == [{k: v for k, v in r.items() if k != "reference"}
                         for r in read_export(again)]
        # Importing the export again adds nothing where an external_id identifies a row.
        repeat = import_csv(fresh, out, identity_mapping())
        assert repeat.duplicates == 2
    finally:
        fresh.dispose()


def test_date_range_includes_both_days(db: Database, tmp_path: Path,
                                       fixed_clock: ControlledClock) -> None:
    for day in (1, 2, 3, 4):
        log_complaint(db, IntakeInput(description=f"d{day}", customer_name="A",
                                      received_at=f"2026-02-0{day} 23:59:59"))
    out = tmp_path / "range.csv"
    assert export_csv(db, out, "2026-02-02", "2026-02-03") == 2
    assert [r["description"] for r in read_export(out)] == ["d2", "d3"]
    assert export_csv(db, out, date_from="2026-02-04") == 1
    assert export_csv(db, out, date_to="2026-02-01") == 1
    assert export_csv(db, out, "2026-03-01") == 0
    assert read_export(out) == []  # header only


@pytest.mark.parametrize("date_from, date_to, message", [
    ("2026-02-30", None, '--from is not a date (use YYYY-MM-DD): "2026-02-30"'),
    (None, "02/03/2026", "--to is not a date"),
    ("2026-02-05", "2026-02-01", "--to is before --from"),
])
def test_bad_range_refused(db: Database, tmp_path: Path, date_from: str | None,
                           date_to: str | None, message: str) -> None:
    out = tmp_path / "x.csv"
    with pytest.raises(DeskError) as err:
        export_csv(db, out, date_from, date_to)
    assert message in err.value.message()
    assert not out.exists()


def test_unwritable_target_leaves_no_partial_file(db: Database, tmp_path: Path) -> None:
    log_complaint(db, IntakeInput(description="x", customer_name="A"))
    with pytest.raises(DeskError, match="Cannot write"):
        export_csv(db, tmp_path / "no-such-dir" / "x.csv")
    existing = tmp_path / "keep.csv"
    existing.write_text("old", encoding="utf-8")
    blocked = tmp_path / "blocked"
    blocked.write_text("a file, not a folder", encoding="utf-8")
    # the temporary file beside the target cannot be created
    with mock.patch("app.atomic_files.part_name", lambda target: blocked / "x.part"), \
            pytest.raises(DeskError):
        export_csv(db, existing)
    assert existing.read_text(encoding="utf-8") == "old"
