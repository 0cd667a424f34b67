"""Restores that cannot hurt: a refused one writes nothing, an emptied database is damage,
killed work leaves nothing behind after the next start, a hostile manifest is not loaded, and
rotation keeps what matters."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from app import backup_rotation
from app.damage import DamagedDatabase
from app.db import Database
from app.errors import DeskError
from app.migrate import open_database
from app.paths import resolve
from app.services.backups import auto_backup_if_due, create_backup, list_backups, rotate
from app.services.common import Actor
from app.services.intake import IntakeInput, log_complaint
from app.services.restore import restore_backup
from tests.conftest import ControlledClock
from tests.safety.helpers import ROOT, integrity, references

ADMIN = Actor(None, "admin", "admin")
pytestmark = pytest.mark.sqlite_only


def _files(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.rglob("*") if p.is_file()} if folder.is_dir() else {}


def _with_photos(db: Database, tmp_path: Path, n: int) -> list[str]:
    refs = []
    for i in range(n):
        photo = tmp_path / f"收据{i}.jpg"
        photo.write_bytes(bytes([i]) * (4000 + i))
        refs.append(log_complaint(db, IntakeInput(description=f"投诉{i}", customer_name="林",
                                                  attachments=[photo])).reference)
    return refs


def _rewrite(zip_path: Path, target: Path, change: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(zip_path) as src, zipfile.ZipFile(target, "w",
                                                           zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, change.get(item.filename, src.read(item)))
    return target


def test_a_refused_restore_writes_nothing(db: Database, tmp_path: Path) -> None:
    _with_photos(db, tmp_path, 3)
    good = create_backup(db, out=tmp_path / "good.zip", actor=ADMIN).path
    with zipfile.ZipFile(good) as zf:
        names = sorted(n for n in zf.namelist() if n.startswith("attachments/"))
        last = names[-1]
        body = zf.read(last)
    bad = _rewrite(good, tmp_path / "bad.zip", {last: body[:-1] + b"!"})  # last one altered
    for stored in list(db.paths.attachments.rglob("*.jpg")):
        stored.unlink()  # the restore would bring these back ... if it went ahead
    files_before, refs_before = _files(db.paths.data_dir), references(db.paths.db_file)
    with pytest.raises(DeskError) as caught:
        restore_backup(db.paths, bad, ADMIN)
    assert "does not match its checksum" in caught.value.message()
    assert _files(db.paths.data_dir) == files_before  # not even the first attachments
    assert references(db.paths.db_file) == refs_before
    assert not list(db.paths.db_file.parent.glob(".restore-*"))


def test_an_emptied_database_is_damage_and_offers_its_backup(db_path: Path) -> None:
    db = Database(resolve(str(db_path)))
    saved = {log_complaint(db, IntakeInput(description="电梯", customer_name="x")).reference}
    backup = auto_backup_if_due(db)
    assert backup is not None
    db.dispose()
    db_path.write_bytes(b"")  # emptied: a sync tool, a full disk, a careless copy
    for side in ("-wal", "-shm"):
        Path(f"{db_path}{side}").unlink(missing_ok=True)
    with pytest.raises(DamagedDatabase) as caught:
        open_database(str(db_path))
    assert "0 bytes" in caught.value.message() and caught.value.backup == backup.path
    assert db_path.stat().st_size == 0  # nothing created inside it
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--lang", "en", "--db",
                           str(db_path), "stats", "--month", "2026-03"], capture_output=True,
                          text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 2 and "0 bytes" in done.stderr
    assert db_path.stat().st_size == 0
    result = restore_backup(resolve(str(db_path)), backup.path, ADMIN)
    assert result.kept is not None and result.kept.stat().st_size == 0
    assert references(db_path) == saved


def test_leftovers_of_killed_work_go_at_the_next_start(db_path: Path, tmp_path: Path) -> None:
    db = Database(resolve(str(db_path)))
    auto_backup_if_due(db)
    paths = db.paths
    db.dispose()
    old = time.time() - 3600
    left = [db_path.parent / ".backup-abc123", db_path.parent / ".restore-def456"]
    for folder in left:
        folder.mkdir()
        (folder / "database.db").write_bytes(b"customers' data")
        os.utime(folder, (old, old))
    parts = [paths.backups / ".desk-20260101-090000-manual.zip.1a2b3c4d.part",
             db_path.parent / ".slip.pdf.0a0b0c0d.part"]
    for part in parts:
        part.write_bytes(b"half")
        os.utime(part, (old, old))
    # A backup running in another process keeps its folder (its lock is held).
    busy = db_path.parent / ".backup-running"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from filelock import FileLock; "
         "l = FileLock(sys.argv[1], thread_local=False, preserve_lock_file=True); "
         "l.acquire(); print('held', flush=True); time.sleep(60)", str(busy / ".busy")],
        stdout=subprocess.PIPE, text=True)
    busy.mkdir()
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        open_database(str(db_path)).dispose()
        assert busy.is_dir()
    finally:
        holder.kill()
        holder.wait()
    assert not any(p.exists() for p in left + parts)
    open_database(str(db_path)).dispose()
    assert not busy.exists()  # its process is gone: now it is a leftover


def test_a_manual_backup_never_pushes_out_the_automatic_one(
        db: Database, fixed_clock: ControlledClock) -> None:
    from app.services.settings_service import set_setting

    set_setting(db, "backup_keep_daily", 1, ADMIN)
    set_setting(db, "backup_keep_weekly", 0, ADMIN)
    set_setting(db, "backup_keep_monthly", 0, ADMIN)
    morning = auto_backup_if_due(db)
    assert morning is not None
    fixed_clock.advance(hours=2)
    create_backup(db, actor=ADMIN)  # "立即备份" the same morning
    kinds = {b.path: b.kind for b in list_backups(db)}
    assert morning.path in kinds and "manual" in kinds.values()


def test_rotation_never_deletes_the_newest_good_backup(
        db: Database, fixed_clock: ControlledClock) -> None:
    from app.services.settings_service import set_setting

    good = auto_backup_if_due(db)
    assert good is not None
    set_setting(db, "backup_keep_daily", 1, ADMIN)
    set_setting(db, "backup_keep_weekly", 0, ADMIN)
    set_setting(db, "backup_keep_monthly", 0, ADMIN)
    # Later backups that turned out unreadable (a failing USB stick): the good one stays.
    for _day in (1, 2):
        fixed_clock.advance(days=1)
        for kind in ("daily", "manual"):
            broken = db.paths.backups / backup_rotation.file_name("desk", fixed_clock.now, kind)
            broken.write_bytes(b"PK\x03\x04 not really a zip")
    doomed = rotate(db, db.paths.backups)
    assert doomed and good.path not in doomed and good.path.exists()


def _hostile_manifest_zip(good: Path, target: Path, gigabytes: float) -> Path:
    """The good backup with its manifest replaced by `gigabytes` of whitespace + the JSON."""
    with zipfile.ZipFile(good) as src:
        manifest = src.read("manifest.json")
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
            for item in src.infolist():
                if item.filename != "manifest.json":
                    dst.writestr(item, src.read(item))
            info = zipfile.ZipInfo("manifest.json", date_time=(2026, 3, 10, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            block = b" " * (1 << 24)
            with dst.open(info, "w", force_zip64=True) as out:
                for _ in range(int(gigabytes * 1024 / 16)):
                    out.write(block)
                out.write(manifest)
    return target


# Linux counts in a child's max RSS the memory of the process it was forked from (the
# forked copy's high-water mark is carried over at exec). Started straight from this test
# process, hundreds of MB deep into the suite, the command would be charged with the suite's
# memory; a small launcher starts it instead and reports its wait4 figure.
_LAUNCHER = r"""
import os, subprocess, sys
proc = subprocess.Popen(sys.argv[2:])
_pid, status, usage = os.wait4(proc.pid, 0)
with open(sys.argv[1], "w") as fh:
    fh.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}")
"""


def _peak_mb(args: list[str]) -> tuple[int, str, float]:
    """Run a command; its exit code, its output and its peak memory (max RSS) in MB."""
    with tempfile.TemporaryDirectory() as folder:
        figures = Path(folder) / "figures"
        proc = subprocess.run([sys.executable, "-c", _LAUNCHER, str(figures), *args],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              cwd=ROOT, env=dict(os.environ, COMPLAINT_DESK_PASSWORD="demo1234"))
        code, kilobytes = figures.read_text().split()
    return int(code), proc.stdout, int(kilobytes) / 1024  # KB on Linux


@pytest.mark.skipif(sys.platform != "linux", reason="peak memory read from wait4 (Linux)")
def test_a_commands_peak_memory_is_its_own_not_this_process() -> None:
    ballast = bytearray(400 << 20)  # this process grows by 400 MB, as it does deep in the suite
    ballast[::4096] = b"\1" * len(range(0, len(ballast), 4096))
    code, _out, peak = _peak_mb([sys.executable, "-c", "pass"])
    assert code == 0 and peak < 100, peak
    del ballast


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="peak memory read from wait4 (Linux)")
def test_a_gigabyte_manifest_is_refused_in_little_memory(db_path: Path, tmp_path: Path) -> None:
    from app.services.users import create_user

    db = Database(resolve(str(db_path)))
    create_user(db, "admin", "管理员", "admin", "demo1234")
    refs = {log_complaint(db, IntakeInput(description="x", customer_name="y")).reference}
    good = create_backup(db, out=tmp_path / "good.zip", actor=ADMIN).path
    db.dispose()
    db.paths.backups.mkdir(parents=True, exist_ok=True)  # where `check` looks for backups
    started = time.monotonic()
    hostile = _hostile_manifest_zip(good, db.paths.backups / backup_rotation.file_name(
        "desk", datetime(2026, 3, 10, 9, 0), "manual"), gigabytes=1.0)
    built = time.monotonic() - started
    with zipfile.ZipFile(hostile) as zf:
        assert zf.getinfo("manifest.json").file_size > 1 << 30
    main = [sys.executable, str(ROOT / "main.py"), "--lang", "en", "--user", "admin", "--db",
            str(db_path)]
    code, out, restore_mb = _peak_mb([*main, "restore", str(hostile)])
    assert code == 2 and "not a Complaint Desk backup" in out and "Traceback" not in out
    assert restore_mb < 350, restore_mb
    assert references(db_path) == refs and integrity(db_path) == ["ok"]
    code, out, check_mb = _peak_mb([*main, "check"])
    assert "Traceback" not in out and check_mb < 350, (out, check_mb)
    print(f"\n1 GB manifest (built in {built:.1f} s): restore refused, peak {restore_mb:.0f} MB; "
          f"check peak {check_mb:.0f} MB, exit {code}")


def test_manifest_members_are_read_no_further_than_declared(db: Database,
                                                            tmp_path: Path) -> None:
    _with_photos(db, tmp_path, 1)
    good = create_backup(db, out=tmp_path / "good.zip", actor=ADMIN).path
    with zipfile.ZipFile(good) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    manifest["attachments"][0]["size"] = 10  # says 10 bytes, holds 4000
    lying = _rewrite(good, tmp_path / "lying.zip",
                     {"manifest.json": json.dumps(manifest).encode("utf-8")})
    before = _files(db.paths.data_dir)
    with pytest.raises(DeskError) as caught:
        restore_backup(db.paths, lying, ADMIN)
    assert "larger than it says" in caught.value.message()
    assert _files(db.paths.data_dir) == before


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads /proc/self/fd")
def test_restore_closes_this_process_connections_before_replacing_the_file(
        db_path: Path, tmp_path: Path) -> None:
    """On Windows a file the process holds open can be neither replaced nor moved: before the
    restore puts a new file in place, no connection of this process holds the old one."""
    db = Database(resolve(str(db_path)))
    saved = {log_complaint(db, IntakeInput(description="电梯", customer_name="x")).reference}
    backup = create_backup(db, out=tmp_path / "b.zip", actor=ADMIN).path
    with db.read() as session:  # pooled connections of this process hold the file open
        from sqlalchemy import text

        session.execute(text("SELECT count(*) FROM complaints")).scalar_one()
    old_inode = db_path.stat().st_ino
    with db.engine.connect() as conn:  # everything in the main file, then damage it there
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    with db_path.open("r+b") as fh:  # damaged under the open window (a disk error, say)
        fh.truncate(db_path.stat().st_size // 2)

    def held_inodes() -> set[int]:
        found = set()
        for fd in Path("/proc/self/fd").iterdir():
            try:
                found.add(os.stat(fd).st_ino)
            except OSError:
                continue
        return found

    assert old_inode in held_inodes()
    result = restore_backup(db.paths, backup, ADMIN)
    assert result.kept_damaged_file and db_path.stat().st_ino != old_inode
    assert old_inode not in held_inodes()  # nothing of this process kept the old file
    assert references(db_path) == saved
    with db.read() as session:  # and the same Database works on the restored file
        assert session.execute(text("SELECT count(*) FROM complaints")).scalar_one() == 1
    db.dispose()
