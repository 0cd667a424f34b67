"""Saves acknowledged are in the file, even when something in the program's own process
released SQLite's locks (../shared/PLATFORM.md, "SQLite in a program with file dialogs").

Each test runs a holder process (tests/safety/holder.py) that opens the database as the window
does, saves, then opens and closes the database, -wal and -shm with plain open() — which on
POSIX releases every SQLite lock of that process — while another process uses the database.
Afterwards every save the holder acknowledged must be in the file, read by plain sqlite3 after
the holder ended without a tidy close."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.safety.helpers import ROOT, integrity, references

HOLDER = Path(__file__).with_name("holder.py")
pytestmark = [pytest.mark.sqlite_only,
              pytest.mark.skipif(os.name != "posix", reason="the hazard is POSIX's")]
PLAIN_VISIT = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
               "print(c.execute('SELECT count(*) FROM complaints').fetchone()[0]); c.close()")


class Holder:
    def __init__(self, db_path: Path, *flags: str) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen([sys.executable, str(HOLDER), str(db_path), *flags],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
        self.lines: list[str] = []

    def until(self, prefix: str) -> str:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.strip())
            if line.startswith(prefix):
                return line.strip().partition(" ")[2]
        raise AssertionError(f"holder ended before {prefix!r}: {self.lines} "
                             f"{self.proc.stderr.read() if self.proc.stderr else ''}")

    def go(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()

    def finish(self) -> tuple[list[str], list[str]]:
        self.until("wal")
        assert self.proc.wait(30) == 0, self.proc.stderr.read() if self.proc.stderr else ""
        acked = [line.split(" ", 1)[1] for line in self.lines if line.startswith("ack ")]
        told = [line.split(" ", 1)[1] for line in self.lines if line.startswith("told ")]
        return acked, told


def _plain_visit(db_path: Path) -> None:
    """Another program (not ours: no desk lock, no anchor) opens, reads and closes the file."""
    done = subprocess.run([sys.executable, "-c", PLAIN_VISIT, str(db_path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def _inode(path: Path) -> str:
    return str(path.stat().st_ino) if path.exists() else "missing"


def test_saves_after_the_wal_was_deleted_under_the_process_are_in_the_file(
        db_path: Path) -> None:
    """The issue's sequence without a window: connection open, open().close() in the same
    process, a second process opens and closes the database, then saves, then the end."""
    before = references(db_path)
    holder = Holder(db_path)
    first = holder.until("ack")
    wal_inode = holder.until("sniffed")
    _plain_visit(db_path)
    # The hazard happened: the other process took itself for the last one and deleted the WAL.
    assert _inode(Path(f"{db_path}-wal")) != wal_inode
    holder.go()
    acked, told = holder.finish()
    assert len(acked) == 4 and not told, holder.lines
    assert first in acked
    assert set(acked) <= references(db_path) - before
    assert integrity(db_path) == ["ok"]
    assert len(set(acked)) == len(acked)  # no reference handed out twice


def test_a_save_whose_wal_is_deleted_during_the_save_is_rescued_and_not_acknowledged(
        db_path: Path) -> None:
    before = references(db_path)
    holder = Holder(db_path, "--straddle")
    holder.until("sniffed")
    holder.go()
    holder.until("in-save")
    _plain_visit(db_path)  # deletes the WAL after the save checked it, before it wrote
    holder.go()
    acked, told = holder.finish()
    # The straddling save was told, not acknowledged; the later ones were acknowledged.
    assert len(told) == 1 and "recovered into the database file" in told[0], holder.lines
    assert len(acked) == 3  # the first save and the two after the rescued one
    saved = references(db_path) - before
    assert set(acked) <= saved
    assert len(saved) == 4  # the rescued save is in the file too
    assert integrity(db_path) == ["ok"]


def test_the_programs_own_check_leaves_the_windows_wal_alone(db_path: Path) -> None:
    """The window (desk lock held) lost its locks; `check` from a terminal runs and ends: it
    must not delete the WAL the window writes into (no rescue is needed at all)."""
    from app.db import Database
    from app.paths import resolve
    from app.services.users import create_user

    db = Database(resolve(str(db_path)))
    create_user(db, "admin", "管理员", "admin", "demo1234")
    db.dispose()
    before = references(db_path)
    holder = Holder(db_path, "--window")
    holder.until("ack")
    wal_inode = holder.until("sniffed")
    env = dict(os.environ, COMPLAINT_DESK_PASSWORD="demo1234")
    for command in (["check"], ["backup"]):
        done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--lang", "en", "--user",
                               "admin", "--db", str(db_path), *command], capture_output=True,
                              text=True, cwd=ROOT, timeout=120, env=env)
        assert done.returncode == 0, done.stdout + done.stderr
        assert _inode(Path(f"{db_path}-wal")) == wal_inode, command
    holder.go()
    acked, told = holder.finish()
    assert not told and len(acked) == 4
    assert holder.lines[-1] == f"wal {wal_inode}"  # the same WAL all along
    assert set(acked) <= references(db_path) - before
    assert integrity(db_path) == ["ok"]


def test_without_a_window_the_last_command_still_tidies_the_wal(db_path: Path) -> None:
    from app.db import Database
    from app.paths import resolve
    from app.services.intake import IntakeInput, log_complaint

    db = Database(resolve(str(db_path)))
    log_complaint(db, IntakeInput(description="x", customer_name="y"))
    assert Path(f"{db_path}-wal").exists()
    db.dispose()
    assert not Path(f"{db_path}-wal").exists()  # checkpointed and removed, as SQLite does
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM complaints").fetchone()[0] == 1
    conn.close()


def test_when_another_program_wrote_meanwhile_nothing_is_mixed_and_the_view_is_kept(
        db_path: Path) -> None:
    """The WAL went, and another program has written since (its WAL holds frames): this
    process's pages are never checkpointed over its work page by page; the view this process
    had is kept whole beside the database, the user is told, and later saves go on."""
    before = references(db_path)
    holder = Holder(db_path)
    first = holder.until("ack")
    holder.until("sniffed")
    _plain_visit(db_path)  # the WAL is deleted
    writer = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1]); "
         "c.execute('CREATE TABLE notes_of_another_program(x)'); "
         "c.execute('INSERT INTO notes_of_another_program VALUES (1)'); c.commit(); "
         "print('wrote', flush=True); time.sleep(30)", str(db_path)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "wrote"
        holder.go()
        acked, told = holder.finish()
    finally:
        writer.kill()
        writer.wait()
    assert len(told) == 1 and "could not be stored" in told[0], holder.lines
    kept = sorted(db_path.parent.glob("desk.db.rescued-*"))
    assert len(kept) == 1 and integrity(kept[0]) == ["ok"] and first in references(kept[0])
    assert len(acked) == 3 and set(acked) <= references(db_path) - before
    assert integrity(db_path) == ["ok"]
