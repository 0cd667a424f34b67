"""An import on PostgreSQL writes its rows and seals by COPY (app/bulk_copy.py, issue 17's
speed): the database holds exactly what row-by-row INSERTs stored — every column of every
table, as the server's text (json as written, text with tabs, newlines, backslashes and
`\\N`) — the seals match what `check` recomputes, and a later edit is still found."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import MetaData, Text, cast, select, text

from app import audit, bulk_copy
from app.audit_check import check_chain
from app.db import Database
from app.paths import Paths
from app.services import bulk_insert
from app.services.importing import import_csv
from tests.unit.csv_support import write_csv

pytestmark = [pytest.mark.postgres_only, pytest.mark.usefixtures("fixed_clock")]

HEADER = ["No", "When", "What", "Phone", "Name", "Kind", "Status", "Solved", "Wants", "Rating"]
MAPPING: dict[str, Any] = {
    "external_id": "No", "received_at": "When", "description": "What", "phone": "Phone",
    "customer_name": "Name", "category": "Kind",
    "stage": {"column": "Status", "values": {"新": "new", "关": "closed", "访": "follow_up"}},
    "resolved_at": "Solved", "customer_demand": "Wants", "satisfaction": "Rating",
}
NASTY = ["tab\there", "line\nbreak", "back\\slash", "\\N", "\\.", "quote \" and '", "逗号,分号;",
         "😡🙏🏽", "NULL", "{\"json\": 1}", "\\t literal", "end\\"]


def _rows(count: int) -> list[list[str]]:
    rows = []
    for i in range(count):
        stage = ("新", "关", "访")[i % 3]
        rows.append([
            f"P{i}", f"2024/3/{1 + i % 28} {i % 24}:{i % 60:02d}",
            f"{NASTY[i % len(NASTY)]} 第 {i} 号", ("", f"1380013{i:04d}",
                                                  "+852 9123 4567")[i % 3],
            ("张三", NASTY[i % len(NASTY)][:20], "")[i % 3], ("parking", "停车", "新\\类")[i % 3],
            stage, f"2024/4/{1 + i % 28} 9:15" if stage != "新" else "",
            ("refund;apology", "", "refund")[i % 3], ("", "5", "3")[i % 3]])
    return rows


def _tables(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    meta = MetaData()
    meta.reflect(db.engine)
    found = {}
    with db.engine.connect() as conn:
        for name, table in sorted(meta.tables.items()):
            order = list(table.primary_key.columns) or list(table.columns)
            found[name] = [tuple(r) for r in conn.execute(
                select(*[cast(c, Text) for c in table.columns]).order_by(*order))]
    return found


def test_copy_stores_what_inserts_stored(db: Database, new_database: Callable[[str], Database],
                                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         ) -> None:
    path = write_csv(tmp_path / "many.csv", _rows(700), header=HEADER)
    copied: list[str] = []
    real = bulk_copy.copy_rows

    def spy(conn: Any, table: str, *args: Any) -> None:
        copied.append(table)
        real(conn, table, *args)

    monkeypatch.setattr(bulk_copy, "copy_rows", spy)
    monkeypatch.setattr(bulk_insert, "copy_rows", spy)
    assert import_csv(db, path, MAPPING).added == 700
    # Complaints, their events and customers, and the seal index (through its staging table).
    assert {"complaints", "complaint_events", "customers", "audit_seals_copy"} <= set(copied)

    plain = new_database("inserts")
    monkeypatch.setattr(bulk_insert, "COPY_ABOVE", 10**9)
    monkeypatch.setattr(audit, "COPY_ABOVE", 10**9)
    copied.clear()
    assert import_csv(plain, path, MAPPING).added == 700
    assert copied == []
    by_copy, by_insert = _tables(db), _tables(plain)
    assert by_copy.keys() == by_insert.keys()
    for name in by_copy:
        assert by_copy[name] == by_insert[name], name
    assert len(by_copy["complaints"]) == 700

    assert check_chain(db) == []
    with db.engine.begin() as conn:  # behind the program's back
        conn.execute(text("UPDATE complaints SET description = 'edited' WHERE external_id = "
                          "'P3'"))
    assert [p for p in check_chain(db) if "was changed outside the program" in p]


def test_seals_copied_again_replace_the_older_ones(db: Database, tmp_path: Path) -> None:
    """The seal index is upserted: a second bulk event over rows already sealed (a re-seal)
    leaves one seal per row, the newest."""
    assert import_csv(db, write_csv(tmp_path / "a.csv", _rows(300), header=HEADER),
                      MAPPING).added == 300
    with db.engine.begin() as conn:
        before = conn.execute(text("SELECT count(*) FROM audit_seals")).scalar_one()
        rows = [("complaints", str(i), 1, "0" * 64) for i in range(1, 301)]
        bulk_copy.upsert_rows(conn, "audit_seals", ("table_name", "row_key", "audit_id",
                                                    "fingerprint"),
                              ("table_name", "row_key"), ("audit_id", "fingerprint"), rows)
        after = conn.execute(text("SELECT count(*) FROM audit_seals")).scalar_one()
        replaced = conn.execute(text("SELECT count(*) FROM audit_seals WHERE table_name = "
                                     "'complaints' AND fingerprint = :f"),
                                {"f": "0" * 64}).scalar_one()
        conn.rollback()
    assert after == before and replaced == 300


def test_a_server_without_temporary_tables_gets_its_seals_all_the_same(
        db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An account the server refuses temporary tables (TEMPORARY revoked from PUBLIC, as a
    hardened server may have it): the seal index goes in statement by statement instead,
    the import succeeds and every row is sealed."""
    name = f"desk_no_temp_{os.getpid()}_{tmp_path.name[-8:]}".lower().replace("-", "_")
    database = db.engine.url.database
    assert database is not None
    with psycopg.connect(str(db.engine.url.set(drivername="postgresql")),
                         autocommit=True) as owner:
        owner.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(name)))
        owner.execute(sql.SQL("REVOKE TEMPORARY ON DATABASE {} FROM PUBLIC").format(
            sql.Identifier(database)))
        for grant in ("GRANT CONNECT ON DATABASE {db} TO {role}",
                      "GRANT USAGE ON SCHEMA public TO {role}",
                      "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public "
                      "TO {role}",
                      "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}"):
            owner.execute(sql.SQL(grant).format(db=sql.Identifier(database),
                                                role=sql.Identifier(name)))
    clerk_db = Database(Paths(tmp_path / "files", db.engine.url.set(username=name)
                              .render_as_string(hide_password=False), None))
    answers: list[bool] = []
    real = bulk_copy.upsert_rows

    def spy(*args: Any) -> bool:
        answers.append(real(*args))
        return answers[-1]

    monkeypatch.setattr(audit, "upsert_rows", spy)
    try:
        path = write_csv(tmp_path / "many.csv", _rows(500), header=HEADER)
        assert import_csv(clerk_db, path, MAPPING).added == 500
        assert answers and not any(answers)  # refused: sealed statement by statement
        assert check_chain(clerk_db) == []
        with clerk_db.engine.connect() as conn:
            sealed = conn.execute(text("SELECT count(*) FROM audit_seals WHERE table_name "
                                       "= 'complaints'")).scalar_one()
        assert sealed == 500
    finally:
        clerk_db.dispose()
        db.dispose()
        with psycopg.connect(str(db.engine.url.set(drivername="postgresql")),
                             autocommit=True) as owner:
            owner.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(name)))
            owner.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))
