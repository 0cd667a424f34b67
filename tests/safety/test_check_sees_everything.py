"""`check` sees every row: rows made in bulk (demo data, imports) are fingerprinted like the
program's own writes, so a direct edit of any of them is found; the program changing them
later keeps the trail sound; `check` ends with a finding, never a traceback."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.db import Database
from app.paths import resolve
from app.services.checks import run_checks
from app.services.common import Actor
from app.services.demo import DemoOptions, make_demo
from app.services.importing import import_csv
from tests.safety.helpers import ROOT
from tests.unit.csv_support import MAPPING, good_row, write_csv

ADMIN = Actor(None, "admin", "admin")
pytestmark = pytest.mark.sqlite_only

# (what, SQL that changes one row behind the program's back, how check names it)
EDITS = [
    ("a description", "UPDATE complaints SET description = description || '!' WHERE id = "
                      "(SELECT min(id) FROM complaints)", "complaint TS-"),
    ("a stage", "UPDATE complaints SET stage = CASE stage WHEN 'closed' THEN 'new' ELSE "
                "'closed' END WHERE id = (SELECT max(id) FROM complaints)", "complaint TS-"),
    ("a satisfaction score", "UPDATE revisits SET satisfaction = coalesce(6 - satisfaction, 5) "
                             "WHERE id = (SELECT min(id) FROM revisits)", "table revisits"),
    ("a phone", "UPDATE customers SET phone = '13900000000' WHERE id = "
                "(SELECT min(id) FROM customers WHERE phone IS NOT NULL)", "table customers"),
    ("a compensation amount", "UPDATE solutions SET amount_cents = amount_cents + 100000 "
                              "WHERE id = (SELECT min(id) FROM solutions)", "table solutions"),
    ("a timeline event", "UPDATE complaint_events SET actor_name = 'someone' WHERE id = "
                         "(SELECT max(id) FROM complaint_events)", "complaint timelines"),
]


@pytest.fixture
def demo_db(db_path: Path) -> Iterator[Database]:
    db = Database(resolve(str(db_path)))
    make_demo(db, DemoOptions(count=60, seed=7, months=3), actor=ADMIN)
    yield db
    db.dispose()


def _edit_and_check(db: Database, sql: str) -> list[str]:
    path = db.paths.db_file
    assert path is not None
    conn = sqlite3.connect(path)
    conn.execute("SAVEPOINT x")
    conn.execute("PRAGMA foreign_keys=OFF")
    snapshot = conn.execute("SELECT count(*) FROM complaints").fetchone()
    assert snapshot
    conn.execute(sql)
    assert conn.total_changes >= 1, sql
    conn.execute("RELEASE x")
    conn.commit()
    conn.close()
    return run_checks(db).problems


@pytest.mark.parametrize("what,sql,named", EDITS, ids=[e[0] for e in EDITS])
def test_a_direct_edit_of_demo_data_is_found(demo_db: Database, what: str, sql: str,
                                             named: str) -> None:
    assert run_checks(demo_db).ok
    problems = _edit_and_check(demo_db, sql)
    assert any("changed outside the program" in p and named in p for p in problems), problems


def test_a_direct_edit_of_imported_rows_is_found(db: Database, tmp_path: Path) -> None:
    rows = [good_row(i, Phone=f"138 0013 {i:04d}", Status="Closed" if i % 2 else "Open",
                     Date_closed="01/09/2025 10:00" if i % 2 else "", Rating="4" if i % 2 else "")
            for i in range(1, 41)]
    result = import_csv(db, write_csv(tmp_path / "old.csv", rows), MAPPING, actor=ADMIN)
    assert result.added == 40
    assert run_checks(db).ok
    for _what, sql, named in (EDITS[0], EDITS[1], EDITS[3], EDITS[5]):
        problems = _edit_and_check(db, sql)
        assert any("changed outside the program" in p and named in p for p in problems), \
            (sql, problems)


def test_the_program_changing_bulk_rows_keeps_check_sound(demo_db: Database) -> None:
    from app.services.intake import IntakeInput, log_complaint
    from app.services.moves import move

    path = demo_db.paths.db_file
    conn = sqlite3.connect(path)
    refs = [r[0] for r in conn.execute("SELECT reference FROM complaints WHERE stage != "
                                       "'closed' ORDER BY id")]
    name, phone = conn.execute("SELECT name, phone FROM customers WHERE phone IS NOT NULL "
                               "ORDER BY id LIMIT 1").fetchone()
    conn.close()
    moved = 0
    for ref in refs[:10]:
        try:
            move(demo_db, ref, "closed", ADMIN, reason="顾客撤回投诉")
            moved += 1
        except Exception:  # noqa: BLE001 - some stages need more first; others will do
            continue
    assert moved, "no demo complaint could be closed"
    log_complaint(demo_db, IntakeInput(description="同一位顾客又来了", customer_name=name,
                                       phone=phone), ADMIN)
    report = run_checks(demo_db)
    assert report.ok, report.problems


def test_altering_a_bulk_seal_with_its_row_is_found(demo_db: Database) -> None:
    from app.audit import fingerprint, table_of

    path = demo_db.paths.db_file
    conn = sqlite3.connect(path)
    conn.execute("UPDATE customers SET name = '改过的名字' WHERE id = (SELECT min(id) FROM "
                 "customers)")
    conn.commit()
    conn.close()
    # ... and the seal index made to agree with the edited row (an informed forger).
    with demo_db.read() as session:
        from sqlalchemy import select

        table = table_of("customers")
        row = session.execute(select(table).order_by(table.c.id).limit(1)).mappings().one()
        fp = fingerprint(table, row)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE audit_seals SET fingerprint = ? WHERE table_name = 'customers' AND "
                 "row_key = ?", (fp, str(row["id"])))
    conn.commit()
    conn.close()
    problems = run_checks(demo_db).problems
    assert any("added in bulk" in p and "were altered" in p for p in problems), problems


def _cli_check(db_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, COMPLAINT_DESK_PASSWORD="demo")
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "--lang", "en", "--user",
                           "admin", "--db", str(db_path), "check"], capture_output=True,
                          text=True, cwd=ROOT, timeout=120, env=env)


def _break_an_index(db_path: Path) -> None:
    """The complaints' stage index no longer matches its table (a tool that wrote the table
    with the index dropped from the schema, then put the schema entry back)."""
    conn = sqlite3.connect(db_path)
    row = conn.execute("SELECT name, rootpage, sql FROM sqlite_master WHERE type = 'index' "
                       "AND tbl_name = 'complaints' AND sql LIKE '%(stage, due_at)%'").fetchone()
    assert row is not None, "complaints has no index to break"
    name, rootpage, sql = row
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("DELETE FROM sqlite_master WHERE name = ?", (name,))
    conn.commit()
    conn.close()
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE complaints SET stage = 'nowhere' WHERE id = "
                 "(SELECT min(id) FROM complaints)")
    conn.commit()
    conn.close()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("INSERT INTO sqlite_master(type, name, tbl_name, rootpage, sql) VALUES "
                 "('index', ?, 'complaints', ?, ?)", (name, rootpage, sql))
    conn.commit()
    conn.close()


CORRUPTIONS = {
    "a dropped audit table": lambda p: _sql(p, "DROP TABLE audit_events"),
    "a dropped attachments table": lambda p: _sql(p, "PRAGMA foreign_keys=OFF",
                                                   "DROP TABLE attachments"),
    "an index that no longer matches its table": _break_an_index,
}


def _sql(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    for s in statements:
        conn.execute(s)
    conn.commit()
    conn.close()


@pytest.mark.parametrize("kind", list(CORRUPTIONS))
def test_check_ends_with_a_finding_never_a_traceback(demo_db: Database, kind: str) -> None:
    path = demo_db.paths.db_file
    assert path is not None
    demo_db.dispose()
    CORRUPTIONS[kind](path)
    done = _cli_check(path)
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert "Traceback" not in out and "BAD" in done.stdout, out
    bad = [line for line in done.stdout.splitlines() if line.startswith("BAD")]
    print(f"\ncheck on {kind}: {bad[0]}")
    if kind == "an index that no longer matches its table":
        assert any("Database integrity" in line for line in bad), bad
