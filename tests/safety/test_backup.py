"""Backups and restores: consistent copies (also while another process writes), rotation, the
checks a restore makes first, the copy it keeps, and the command line."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app import backup_rotation
from app.backup_rotation import BackupName
from app.db import Database
from app.errors import DeskError, PermissionDenied
from app.migrate import current_revision, head_revision
from app.paths import resolve
from app.services.backups import (
    DB_MEMBER,
    MANIFEST,
    BackupCancelled,
    auto_backup_if_due,
    create_backup,
    list_backups,
    set_backup_folder,
)
from app.services.common import Actor
from app.services.intake import IntakeInput, log_complaint
from app.services.restore import latest_good_backup, restore_backup
from tests.cli_process import run_main
from tests.conftest import ControlledClock
from tests.safety.helpers import Writer, integrity, references, table_counts

ADMIN = Actor(None, "admin", "admin")

pytestmark = pytest.mark.sqlite_only  # backups copy the SQLite file (a server: pg_dump)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _log(db: Database, n: int, tmp: Path, attach: bool = False) -> list[str]:
    refs = []
    for i in range(n):
        files = []
        if attach:
            f = tmp / f"照片-{i}.jpg"
            f.write_bytes(bytes([i % 256]) * 3000)
            files.append(f)
        refs.append(log_complaint(db, IntakeInput(description=f"说明 {i}", customer_name=f"客户{i}",
                                                  attachments=files)).reference)
    return refs


def _db_of(backup: Path, tmp: Path) -> Path:
    """The database file inside a backup zip, extracted for comparison."""
    with zipfile.ZipFile(backup) as zf:
        return Path(zf.extract(DB_MEMBER, tmp / f"x-{backup.stem}"))


# --- rotation ----------------------------------------------------------------------------


def test_rotation_keeps_7_daily_4_weekly_12_monthly() -> None:
    start = datetime(2025, 1, 1, 9, 0)
    backups = [BackupName(Path(f"d{i}.zip"), start + timedelta(days=i), "daily")
               for i in range(500)]
    doomed = set(backup_rotation.to_delete(backups, 7, 4, 12))
    kept = sorted((b for b in backups if b.path not in doomed), key=lambda b: b.made_at)
    newest = backups[-1].made_at
    days = {b.made_at.date() for b in kept if (newest - b.made_at).days < 7}
    assert len(days) == 7  # the last seven days
    months = {b.made_at.strftime("%Y-%m") for b in kept}
    assert len(months) == 12  # one per month for a year
    assert len(kept) <= 7 + 4 + 12
    assert backups[-1] in kept and backups[0] not in kept


def test_rotation_never_touches_other_files_and_keeps_safety_copies(tmp_path: Path) -> None:
    names = ["desk-20250101-090000-daily.zip", "desk-20250102-090000-daily.zip",
             "desk-20250103-090000-before-restore.zip", "other-20250101-090000-daily.zip",
             "desk-notes.zip", "desk-20250104-090000-manual.zip"]
    for n in names:
        (tmp_path / n).write_text("x")
    found = backup_rotation.scan(tmp_path, "desk")
    assert {b.path.name for b in found} == {n for n in names if n.startswith("desk-2")}
    doomed = {p.name for p in backup_rotation.to_delete(found, 1, 0, 0)}
    # The newest automatic backup stays although a manual one is newer (issue 15).
    assert doomed == {"desk-20250101-090000-daily.zip"}


def test_daily_backup_at_most_once_a_day_and_rotated(db: Database,
                                                     fixed_clock: ControlledClock) -> None:
    first = auto_backup_if_due(db)
    assert first is not None and first.kind == "daily"
    fixed_clock.advance(hours=5)
    assert auto_backup_if_due(db) is None  # same day
    for _day in range(30):
        fixed_clock.advance(days=1)
        assert auto_backup_if_due(db) is not None
    with db.write() as session:
        from app.settings import put

        put(session, "backup_keep_daily", 3)
        put(session, "backup_keep_weekly", 2)
        put(session, "backup_keep_monthly", 1)
    fixed_clock.advance(days=1)
    auto_backup_if_due(db)
    files = backup_rotation.scan(db.paths.backups, "desk")
    # 3 days + the newest of 2 weeks (one is today's) + this month's (today's): 4 files
    assert len(files) == 4, [f.path.name for f in files]


# --- backup and restore in one process ---------------------------------------------------


def test_round_trip_with_attachments_keeps_a_copy_of_what_it_replaces(
        db: Database, tmp_path: Path) -> None:
    kept_refs = _log(db, 4, tmp_path, attach=True)
    info = create_backup(db, actor=ADMIN)
    assert (info.complaints, info.attachments, info.kind) == (4, 4, "manual")
    manifest = json.loads(zipfile.ZipFile(info.path).read(MANIFEST))
    assert manifest["schema_revision"] == head_revision()
    assert manifest["version"]
    later = _log(db, 2, tmp_path)
    lost_file = next(db.paths.attachments.rglob("*.jpg"))
    lost_file.unlink()  # an attachment file lost since the backup
    result = restore_backup(db.paths, info.path, ADMIN)
    assert references(db.paths.db_file) == set(kept_refs)
    assert result.attachments_added == 1 and lost_file.is_file()
    assert result.kept is not None and result.kept.name.endswith("-before-restore.zip")
    assert set(later) <= references(_db_of(result.kept, tmp_path))
    # The numbers given out after the backup are on slips: a new complaint never reuses one.
    assert not set(_log(db, 1, tmp_path)) & set(later)
    from app.services.checks import run_checks

    assert run_checks(db).ok
    # The window's own connections see the restored data at once (restored in place).
    with db.read() as session:
        from sqlalchemy import text

        assert session.execute(text("SELECT count(*) FROM complaints")).scalar_one() == \
            len(references(db.paths.db_file))


def test_backup_while_another_process_writes_is_consistent_and_restorable(
        db_path: Path, tmp_path: Path) -> None:
    writer = Writer(db_path, count=0, tag="BW", attach_every=2)
    try:
        writer.wait_ready()
        writer.wait_acks(15)
        acked_before = set(writer.acked)
        db = Database(resolve(str(db_path)))
        info = create_backup(db, out=tmp_path / "during.zip", actor=ADMIN)
        acked_after = set(writer.acked)
        writer.wait_acks(len(acked_after) + 10)  # the writer carried on during and after
    finally:
        writer.kill()
    copy = _db_of(info.path, tmp_path)
    in_backup = references(copy)
    assert integrity(copy) == ["ok"]
    assert acked_before <= in_backup  # everything saved before the backup started
    assert len(in_backup - acked_after) <= 1  # at most the save whose ack was in flight
    assert len(references(db_path)) > len(in_backup)
    restore_backup(db.paths, info.path, ADMIN)
    assert references(db_path) == in_backup  # exactly that state
    restored, backed_up = table_counts(db_path), table_counts(copy)
    # ... plus one audit event: the restore itself, recorded in the restored trail
    assert restored.pop("audit_events") == backed_up.pop("audit_events") + 1
    assert restored == backed_up
    from app.services.checks import run_checks

    assert run_checks(db).ok
    db.dispose()
    print(f"\nbackup while writing: {len(in_backup)} complaints in the backup "
          f"({len(acked_before)} acknowledged before it started, {len(acked_after)} by its end); "
          f"restore brought back exactly that state")


def test_restore_refuses_bad_files_and_changes_nothing(db: Database, tmp_path: Path) -> None:
    _log(db, 2, tmp_path)
    good = create_backup(db, out=tmp_path / "good.zip", actor=ADMIN)
    live = db.paths.db_file
    assert live is not None

    newer = tmp_path / "newer.zip"
    extracted = _db_of(good.path, tmp_path)
    conn = sqlite3.connect(extracted)
    conn.execute("UPDATE alembic_version SET version_num = 'ffff_future'")
    conn.commit()
    conn.close()
    with zipfile.ZipFile(good.path) as src, zipfile.ZipFile(newer, "w") as dst:
        for item in src.infolist():
            data = extracted.read_bytes() if item.filename == DB_MEMBER else src.read(item)
            dst.writestr(item, data)
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE photos(id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()
    damaged = tmp_path / "damaged.zip"
    raw = bytearray(good.path.read_bytes())
    info = zipfile.ZipFile(good.path).getinfo(DB_MEMBER)
    middle = info.header_offset + 200 + info.compress_size // 2
    raw[middle:middle + 64] = bytes(64)
    damaged.write_bytes(bytes(raw))
    text = tmp_path / "notes.zip"
    text.write_text("not a backup", encoding="utf-8")

    cases = {newer: "newer version", foreign: "not a Complaint Desk backup",
             damaged: "damaged", text: "not a Complaint Desk backup",
             tmp_path / "missing.zip": "not found"}
    before = _sha(live)
    for source, expected in cases.items():
        with pytest.raises(DeskError) as caught:
            restore_backup(db.paths, source, ADMIN)
        assert expected in caught.value.message(), (source.name, caught.value.message())
        assert _sha(live) == before, source.name
    assert not [b for b in list_backups(db) if b.kind == "before-restore"]


def test_restore_of_an_older_schema_migrates_it_up(tmp_path: Path) -> None:
    from alembic import command
    from alembic.script import ScriptDirectory

    from app.migrate import _config

    script = ScriptDirectory.from_config(_config())
    base = list(script.walk_revisions())[-1].revision
    if base == head_revision():
        pytest.skip("only one schema revision so far")
    old = Database(resolve(str(tmp_path / "old.db")))
    cfg = _config()
    with old.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, base)
    old_backup = create_backup(old, out=tmp_path / "old.zip", actor=ADMIN)
    old.dispose()
    assert old_backup.revision == base
    target = Database(resolve(str(tmp_path / "desk.db")))
    result = restore_backup(target.paths, old_backup.path, ADMIN)
    assert result.migrated and current_revision(target) == head_revision()
    kinds = {b.kind for b in list_backups(target)}
    assert "before-migration" in kinds  # the older data copied before its schema changed
    target.dispose()


def test_roles_cancel_and_folder_choice(db: Database, clerk: Actor, tmp_path: Path) -> None:
    with pytest.raises(PermissionDenied):
        create_backup(db, actor=clerk)
    with pytest.raises(PermissionDenied):
        restore_backup(db.paths, tmp_path / "x.zip", clerk)
    _log(db, 1, tmp_path, attach=True)
    with pytest.raises(BackupCancelled):
        create_backup(db, actor=ADMIN, cancelled=lambda: True)
    assert not list(db.paths.backups.glob("*.zip*"))  # no half file left behind
    usb = tmp_path / "usb" / "desk-backups"
    set_backup_folder(db, str(usb), ADMIN)
    info = create_backup(db, actor=ADMIN)
    assert info.path.parent == usb
    assert latest_good_backup(db.paths).path == info.path  # found without the database
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    with pytest.raises(DeskError):
        set_backup_folder(db, str(not_a_folder / "sub"), ADMIN)


# --- command line ------------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The command line as the administrator (backup and restore are theirs)."""
    env = dict(os.environ, COMPLAINT_DESK_PASSWORD="demo1234")
    return run_main(["--lang", "en", "--user", "admin", *args], env, timeout=60)


def test_cli_backup_and_restore(db_path: Path, tmp_path: Path) -> None:
    from app.services.users import create_user

    db = Database(resolve(str(db_path)))
    create_user(db, "admin", "管理员", "admin", "demo1234")
    refs = set(_log(db, 3, tmp_path, attach=True))
    db.dispose()
    out = tmp_path / "usb" / "copy.zip"
    done = _cli("--db", str(db_path), "backup", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert str(out) in done.stdout and "3 complaints" in done.stdout
    db = Database(resolve(str(db_path)))
    _log(db, 2, tmp_path)
    db.dispose()
    done = _cli("--db", str(db_path), "restore", str(out))
    assert done.returncode == 0, done.stderr
    assert references(db_path) == refs
    assert "before-restore" in done.stdout
    bad = _cli("--db", str(db_path), "restore", str(tmp_path / "nothing.zip"))
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert references(db_path) == refs


def test_unplugged_backup_folder_falls_back_to_the_default(db: Database, tmp_path: Path) -> None:
    from app.services.settings_service import set_setting

    blocker = tmp_path / "usb-not-mounted"
    blocker.write_text("a file where the folder should be")
    set_setting(db, "backup_dir", str(blocker / "backups"), ADMIN)
    info = auto_backup_if_due(db)
    assert info is not None and info.path.parent == db.paths.backups
    assert "not available" in info.note and str(blocker / "backups") in info.note
