"""The audit trail: what it records, and edits made behind the program's back (with the raw
sqlite3 module, as an attacker with the file would) that `check` must catch and name."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.audit_check import check_chain
from app.db import Database
from app.paths import resolve
from app.services import moves, resolution
from app.services.checks import run_checks
from app.services.common import Actor
from app.services.exporting import export_csv
from app.services.settings_service import set_setting
from app.services.users import sign_in
from tests.cli_process import run_main, simulation_env
from tests.complaint_factory import advance, new_complaint

ROOT = Path(__file__).resolve().parents[2]


def raw(db_path: Path, sql: str, *params: Any) -> None:
    """Change the file the way another tool would: no program, no triggers of ours."""
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute(sql, params)
    conn.close()


def events(db_path: Path) -> list[tuple[int, str, str, str]]:
    with sqlite3.connect(db_path) as conn:
        return list(conn.execute("SELECT id, actor_name, action, target FROM audit_events "
                                 "ORDER BY id"))


@pytest.fixture
def worked(db: Database, clerk: Actor, supervisor: Actor, fixed_clock: Any) -> str:
    """A complaint carried to follow-up with an approval, plus a setting change."""
    ref = new_complaint(db, clerk)
    advance(db, ref, "follow_up", clerk, supervisor, amount="800")
    set_setting(db, "repeat_window_days", 60, supervisor)
    return ref


def test_changes_moves_approvals_and_sign_ins_are_events(db: Database, db_path: Path,
                                                          worked: str, tmp_path: Path,
                                                          supervisor: Actor) -> None:
    sign_in(db, "clerk1", "demo1234")
    export_csv(db, tmp_path / "all.csv", actor=supervisor)
    trail = events(db_path)
    actions = [a for _i, _n, a, _t in trail]
    for expected in ("complaint_intake", "complaint_assessed", "complaint_moved",
                     "complaint_approval_requested", "complaint_approved",
                     "complaint_implemented", "setting_changed", "sign_in", "export_csv",
                     "account_created"):
        assert expected in actions, expected
    approved = next(t for t in trail if t[2] == "complaint_approved")
    assert approved[1] == "王主管" and approved[3] == worked
    assert [t[0] for t in trail] == list(range(1, len(trail) + 1))
    assert check_chain(db) == []
    report = run_checks(db)
    assert report.ok and "Audit trail" in report.passed


def test_the_trail_holds_no_personal_data(db: Database, db_path: Path, clerk: Actor) -> None:
    new_complaint(db, clerk, customer_name="欧阳娜娜", phone="13912345678",
                  email="nana@example.com")
    with sqlite3.connect(db_path) as conn:
        text = json.dumps(list(conn.execute("SELECT * FROM audit_events")), ensure_ascii=False)
    for personal in ("欧阳娜娜", "13912345678", "nana@example.com", "洗发后头皮过敏"):
        assert personal not in text


def _bad(db: Database) -> list[str]:
    problems = check_chain(db)
    assert problems, "the change was not noticed"
    return problems


def test_an_edited_past_event_is_named(db: Database, db_path: Path, worked: str) -> None:
    victim = next(i for i, _n, a, _t in events(db_path) if a == "complaint_approved")
    raw(db_path, "UPDATE audit_events SET actor_name = '李小红' WHERE id = ?", victim)
    first = _bad(db)[0]
    assert f"audit event #{victim} " in first and "was changed" in first
    # Named in words (app/audit_labels.py), not by the code complaint_approved.
    assert "solution approved" in first and worked in first
    assert "complaint_approved" not in first


def test_an_edited_event_with_its_own_hash_recomputed_is_named(db: Database, db_path: Path,
                                                               worked: str) -> None:
    """A smarter edit: the attacker recomputes the edited event's hash too."""
    from app.audit import event_hash

    conn = sqlite3.connect(db_path, detect_types=sqlite3.PARSE_DECLTYPES)
    victim = next(i for i, _n, a, _t in events(db_path) if a == "complaint_approved")
    row = conn.execute("SELECT id, at, actor_id, actor_name, action, target, data, seals, "
                       "prev_hash FROM audit_events WHERE id = ?", (victim,)).fetchone()
    from datetime import datetime

    at = datetime.fromisoformat(row[1]) if isinstance(row[1], str) else row[1]
    forged = event_hash(row[0], at, None, "system", row[4], row[5], row[6], row[7], row[8])
    with conn:
        conn.execute("UPDATE audit_events SET actor_id = NULL, actor_name = 'system', hash = ? "
                     "WHERE id = ?", (forged, victim))
    conn.close()
    first = _bad(db)[0]
    assert f"audit event #{victim} " in first and "no longer follows" in first


def test_a_deleted_past_event_is_named(db: Database, db_path: Path, worked: str) -> None:
    victim = next(i for i, _n, a, _t in events(db_path) if a == "complaint_approved")
    raw(db_path, "DELETE FROM audit_events WHERE id = ?", victim)
    assert _bad(db)[0].startswith(f"Audit event #{victim} was deleted")


def test_deleting_the_newest_events_is_noticed(db: Database, db_path: Path,
                                               worked: str) -> None:
    last = events(db_path)[-1][0]
    raw(db_path, "DELETE FROM audit_events WHERE id >= ?", last - 1)
    assert _bad(db)[0].startswith(f"Audit event #{last - 1} and later were deleted")
    # ... also when the head is rewound to match: the seals of those events point nowhere.
    raw(db_path, "UPDATE audit_head SET last_id = (SELECT max(id) FROM audit_events), "
                 "last_hash = (SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1)")
    assert any("was altered" in p for p in _bad(db))


@pytest.mark.parametrize(("sql", "expected"), [
    ("UPDATE solutions SET amount_cents = 9900000", "was changed outside the program"),
    ("UPDATE complaints SET stage = 'closed'", "was changed outside the program"),
    ("UPDATE complaint_events SET data = '{\"comment\": \"ok\"}' WHERE kind = 'approved'",
     "was changed outside the program"),
    ("DELETE FROM complaint_events WHERE kind = 'approval_requested'",
     "was deleted outside the program"),
    ("INSERT INTO complaint_events (complaint_id, at, actor_id, actor_name, kind, data) "
     "VALUES (1, '2026-03-10 12:00:00', 1, '王主管', 'approved', '{}')",
     "was added outside the program"),
    ("UPDATE settings SET value = '5' WHERE key = 'repeat_window_days'",
     "setting repeat_window_days was changed outside the program"),
    ("UPDATE audit_seals SET fingerprint = 'x' WHERE table_name = 'solutions'",
     "was altered"),
])
def test_data_changed_behind_the_programs_back_is_caught(db: Database, db_path: Path,
                                                         worked: str, sql: str,
                                                         expected: str) -> None:
    raw(db_path, sql)
    assert any(expected in p for p in _bad(db)), check_chain(db)


def test_a_later_change_by_the_program_does_not_hide_an_edit(db: Database, db_path: Path,
                                                            worked: str, clerk: Actor) -> None:
    raw(db_path, "UPDATE complaints SET satisfaction = 5")
    resolution.add_note(db, worked, "回访前再确认一次", actor=clerk)  # reseals the row
    problems = _bad(db)
    assert any(p.startswith(f"complaint {worked} had been changed outside the program; "
                            "noticed when 李小红 changed it") for p in problems), problems


def test_check_command_names_the_broken_event(db: Database, db_path: Path, worked: str) -> None:
    victim = events(db_path)[3][0]
    db.dispose()
    raw(db_path, "UPDATE audit_events SET at = '2020-01-01 00:00:00' WHERE id = ?", victim)
    env = {"PATH": "/usr/bin:/bin", "COMPLAINT_DESK_USER": "clerk1",
           "COMPLAINT_DESK_PASSWORD": "demo1234", **simulation_env()}
    done = run_main(["--lang", "en", "--db", str(db_path), "check"], env, timeout=60)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"BAD  Audit trail: The audit event #{victim} (2020-01-01" in done.stdout


def test_bulk_demo_data_and_import_keep_the_chain_sound(tmp_path: Path) -> None:
    from app.migrate import open_database
    from app.services.demo import DemoOptions, make_demo
    from app.services.importing import import_csv

    db = open_database(str(tmp_path / "demo.db"))
    make_demo(db, DemoOptions(count=60, seed=4, months=2))
    assert check_chain(db) == []
    admin = sign_in(db, "admin", "demo").as_actor()
    first = tmp_path / "first.csv"
    export_csv(db, first, actor=admin)
    lines = first.read_text(encoding="utf-8-sig").splitlines()
    # Re-import as new complaints (a fresh external id each) updating known customers.
    header = lines[0].split(",")
    col = header.index("external_id")
    rows = [",".join(f"X{i}" if j == col else v for j, v in enumerate(line.split(",")))
            for i, line in enumerate(lines[1:20])]
    again = tmp_path / "again.csv"
    again.write_text("\n".join([lines[0], *rows]) + "\n", encoding="utf-8")
    mapping = {name: name for name in header if name != "reference"}
    result = import_csv(db, again, mapping, skip_bad=True, actor=admin)
    assert result.added > 0
    assert check_chain(db) == []
    db.dispose()
    raw(tmp_path / "demo.db", "DELETE FROM complaints WHERE id = 7")
    again_db = Database(resolve(str(tmp_path / "demo.db")))
    problems = check_chain(again_db)
    again_db.dispose()
    assert any("added in bulk" in p and "deleted outside the program" in p for p in problems)


def test_two_processes_writing_at_once_keep_one_chain(db: Database, db_path: Path) -> None:
    writer = ROOT / "tests" / "safety" / "writer.py"
    db.dispose()
    procs = [subprocess.Popen([sys.executable, str(writer), str(db_path), "12", tag],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              cwd=ROOT) for tag in ("A", "B")]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert len(out.split()) == 13  # "ready" + 12 references
    fresh = Database(resolve(str(db_path)))
    try:
        assert check_chain(fresh) == []
        with fresh.read() as session:
            from sqlalchemy import text

            intakes = session.execute(text("SELECT count(*) FROM audit_events WHERE action = "
                                           "'complaint_intake'")).scalar_one()
        assert intakes == 24
    finally:
        fresh.dispose()


def test_a_refused_change_leaves_no_event(db: Database, db_path: Path, clerk: Actor,
                                          worked: str) -> None:
    before = events(db_path)
    with pytest.raises(Exception):  # noqa: B017 - any refusal
        moves.move(db, worked, "assessed", clerk)
    assert events(db_path) == before


@pytest.mark.postgres_only
def test_writers_at_once_on_postgresql_keep_one_chain(db: Database, db_arg: str) -> None:
    """PostgreSQL runs writers truly side by side: the locked head row keeps one chain."""
    from concurrent.futures import ThreadPoolExecutor

    from app.services.intake import IntakeInput, log_complaint

    def work(tag: str) -> None:
        mine = Database(resolve(db_arg))
        try:
            for i in range(10):
                log_complaint(mine, IntakeInput(description=f"{tag} {i}", customer_name=tag,
                                                phone=f"139{ord(tag):03d}{i:05d}"))
        finally:
            mine.dispose()

    with ThreadPoolExecutor(3) as pool:
        list(pool.map(work, "ABC"))
    assert check_chain(db) == []
    with db.read() as session:
        from sqlalchemy import text

        assert session.execute(text("SELECT count(*) FROM audit_events WHERE action = "
                                    "'complaint_intake'")).scalar_one() == 30


def _rewrite_whole_chain(db_path: Path, victim: int) -> None:
    """The strongest edit on the file alone: change an event and recompute every hash after
    it and the head, as someone who read app/audit.py would."""
    from datetime import datetime

    from app.audit import event_hash

    conn = sqlite3.connect(db_path)
    rows = conn.execute("SELECT id, at, actor_id, actor_name, action, target, data, seals "
                        "FROM audit_events ORDER BY id").fetchall()
    prev = "0" * 64
    with conn:
        for r in rows:
            name = "system" if r[0] == victim else r[3]
            at = datetime.fromisoformat(r[1])
            digest = event_hash(r[0], at, r[2], name, r[4], r[5], r[6], r[7], prev)
            conn.execute("UPDATE audit_events SET actor_name = ?, prev_hash = ?, hash = ? "
                         "WHERE id = ?", (name, prev, digest, r[0]))
            prev = digest
        conn.execute("UPDATE audit_head SET last_hash = ?", (prev,))
    conn.close()


def test_a_rewritten_chain_is_caught_by_the_backups(db: Database, db_path: Path, worked: str,
                                                    clerk: Actor) -> None:
    from app.services.backups import create_backup

    admin = Actor(None, "admin", "admin")
    create_backup(db, actor=admin)
    resolution.add_note(db, worked, "之后的记录", actor=clerk)
    assert check_chain(db) == []
    victim = next(i for i, _n, a, _t in events(db_path) if a == "complaint_approved")
    _rewrite_whole_chain(db_path, victim)
    problems = check_chain(db)
    assert len(problems) == 1 and "the trail was rewritten after" in problems[0], problems


def test_a_restore_is_not_taken_for_a_rewrite(db: Database, db_path: Path, worked: str,
                                              clerk: Actor, fixed_clock: Any) -> None:
    from app.services.backups import create_backup
    from app.services.restore import restore_backup

    admin = Actor(None, "admin", "admin")
    older = create_backup(db, out=db_path.parent / "usb" / "older.zip", actor=admin)
    fixed_clock.advance(minutes=5)
    resolution.add_note(db, worked, "备份之后", actor=clerk)
    create_backup(db, actor=admin)  # holds events the restore below drops
    fixed_clock.advance(minutes=5)
    db.dispose()
    restore_backup(db.paths, older.path, admin)
    restored = Database(resolve(str(db_path)))
    try:
        assert check_chain(restored) == []
        assert events(db_path)[-1][2] == "restore"
    finally:
        restored.dispose()
