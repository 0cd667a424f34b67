"""A damaged database file at start: a clear message naming the latest good backup, the file
left byte for byte as it was, and a restore that keeps it aside instead of overwriting it."""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from app.damage import DamagedDatabase
from app.db import Database
from app.migrate import open_database
from app.paths import resolve
from app.services.backups import auto_backup_if_due
from app.services.common import Actor
from app.services.intake import IntakeInput, log_complaint
from app.services.restore import restore_backup
from tests.cli_process import run_main
from tests.safety.helpers import references

ADMIN = Actor(None, "admin", "admin")
PAGE = 4096


def _truncate_half(path: Path) -> None:
    with path.open("r+b") as fh:
        fh.truncate(path.stat().st_size // 2)


def _truncate_to_header(path: Path) -> None:
    with path.open("r+b") as fh:
        fh.truncate(60)


def _random_page(where: float) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        pages = path.stat().st_size // PAGE
        rng = random.Random(int(where * 1000))
        with path.open("r+b") as fh:
            fh.seek(max(1, int(pages * where)) * PAGE)
            fh.write(rng.randbytes(PAGE))
    return damage


def _text_file(path: Path) -> None:
    path.write_text("客户投诉记录\nThis is a text file saved under the database's name.\n" * 40,
                    encoding="utf-8")


def _other_program(path: Path) -> None:
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos(id INTEGER PRIMARY KEY, file TEXT)")
    conn.execute("INSERT INTO photos(file) VALUES ('x.jpg')")
    conn.commit()
    conn.close()


CORRUPTIONS: dict[str, Callable[[Path], None]] = {
    "truncated to half": _truncate_half,
    "truncated inside the header": _truncate_to_header,
    "random bytes at 1/3": _random_page(1 / 3),
    "random bytes in the middle": _random_page(1 / 2),
    "random bytes at 2/3": _random_page(2 / 3),
    "a text file named as the database": _text_file,
    "another program's database": _other_program,
}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def damaged_setup(db_path: Path) -> tuple[Path, set[str], Path]:
    """A database with 80 complaints, its daily backup, then 5 more saved after it."""
    db = Database(resolve(str(db_path)))
    for i in range(80):
        log_complaint(db, IntakeInput(description=f"第{i}条：电梯故障，被困十分钟。" * 20,
                                      customer_name=f"客户{i}"))
    backup = auto_backup_if_due(db)
    assert backup is not None
    in_backup = references(db_path)
    for i in range(5):
        log_complaint(db, IntakeInput(description=f"after {i}", customer_name="x"))
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return db_path, in_backup, backup.path


def _cli(db_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_main(["--lang", "en", "--db", str(db_path), *args], dict(os.environ),
                    timeout=60)


@pytest.mark.parametrize("kind", list(CORRUPTIONS))
def test_damaged_file_gives_clear_message_and_is_kept(
        kind: str, damaged_setup: tuple[Path, set[str], Path]) -> None:
    db_path, in_backup, backup = damaged_setup
    CORRUPTIONS[kind](db_path)
    fingerprint = _sha(db_path)

    with pytest.raises(DamagedDatabase) as caught:
        open_database(str(db_path))
    message = caught.value.message()
    assert "is damaged" in message and str(backup) in message, message
    assert caught.value.backup == backup
    assert _sha(db_path) == fingerprint

    stats = _cli(db_path, "stats", "--month", "2026-03")
    assert stats.returncode == 2 and len(stats.stderr.strip().splitlines()) == 1
    assert "is damaged" in stats.stderr and str(backup) in stats.stderr
    check = _cli(db_path, "check")
    assert check.returncode == 1 and check.stdout.startswith("BAD")
    assert _sha(db_path) == fingerprint  # nothing above wrote to it

    result = restore_backup(resolve(str(db_path)), backup, ADMIN)
    assert result.kept_damaged_file and result.kept is not None
    assert result.kept.name.startswith("desk.db.damaged-")
    assert _sha(result.kept) == fingerprint  # kept aside, byte for byte
    assert references(db_path) == in_backup
    open_database(str(db_path)).dispose()  # opens cleanly now
    print(f"\ncorruption '{kind}': {caught.value.diagnosis.text()}")


def test_without_a_backup_the_message_says_so(db_path: Path) -> None:
    _text_file(db_path)
    with pytest.raises(DamagedDatabase) as caught:
        open_database(str(db_path))
    assert caught.value.backup is None
    assert "No backup was found" in caught.value.message()


def test_new_and_empty_files_are_not_damage(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    open_database(str(empty)).dispose()
    open_database(str(tmp_path / "new.db")).dispose()


def test_check_reports_what_it_found(db_path: Path, tmp_path: Path) -> None:
    from app.services.checks import run_checks

    photo = tmp_path / "receipt.jpg"
    photo.write_bytes(b"\xff\xd8" + bytes(5000))
    db = Database(resolve(str(db_path)))
    log_complaint(db, IntakeInput(description="x", customer_name="y", attachments=[photo]))
    report = run_checks(db)
    assert report.ok, report.problems
    assert {"Database integrity", "Links between records", "Audit trail"} <= set(report.passed)
    stored = next(db.paths.attachments.rglob("*.jpg"))
    stored.write_bytes(b"changed")
    (db.paths.attachments / "stray.txt").write_text("left by an interrupted save")
    conn = sqlite3.connect(db_path)  # behind the program's back, foreign keys off
    conn.execute("INSERT INTO attachments(complaint_id, original_name, stored_name, sha256, "
                 "size, added_at) VALUES (9999, 'a', 'x/../../../etc/passwd', '0', 1, "
                 "'2026-03-10 10:00:00')")
    conn.commit()
    conn.close()
    report = run_checks(db)
    db.dispose()
    text = "\n".join(report.lines())
    assert not report.ok
    assert "Attachment changed" in text and "outside the attachments folder" in text
    assert "Broken link in table attachments" in text
    assert "1 file in the attachments folder belongs to no complaint" in text
    assert "Audit trail" in text and "BAD" in text
    env = dict(os.environ, COMPLAINT_DESK_PASSWORD="demo1234")  # the fixture's accounts
    done = run_main(["--lang", "en", "--user", "clerk1", "--db", str(db_path), "check"], env,
                    timeout=60)
    assert done.returncode == 1 and "BAD" in done.stdout


@pytest.mark.parametrize("kind", ["random bytes in the middle", "a text file named as the database"])
def test_a_file_changed_after_a_clean_close_is_scanned_in_full(
        kind: str, damaged_setup: tuple[Path, set[str], Path]) -> None:
    """The start skips the page scan only for a file exactly as the window left it."""
    from app.damage import remember_clean_close, unchanged_since_close

    db_path, _in_backup, backup = damaged_setup
    files = db_path.parent / "desk-files"
    remember_clean_close(db_path, files)
    assert unchanged_since_close(db_path, files)
    open_database(str(db_path)).dispose()  # opens (fast path); closing changes the file
    remember_clean_close(db_path, files)
    CORRUPTIONS[kind](db_path)
    assert not unchanged_since_close(db_path, files)
    with pytest.raises(DamagedDatabase) as caught:
        open_database(str(db_path))
    assert caught.value.backup == backup
