"""The command line acts as a named user once the database has staff accounts (DESIGN.md §5):
`--user NAME` with the password from COMPLAINT_DESK_PASSWORD or asked on the terminal."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from app.db import Database
from app.migrate import open_database
from tests.cli_process import clean_env, run_main

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "demo1234"  # the test template's accounts


def cli(*args: str, password: str | None = None, user: str | None = None,
        stdin: int | None = subprocess.DEVNULL) -> subprocess.CompletedProcess[str]:
    env = clean_env()
    if password is not None:
        env["COMPLAINT_DESK_PASSWORD"] = password
    if user is not None:
        env["COMPLAINT_DESK_USER"] = user
    return run_main(["--lang", "en", *args], env, stdin=stdin, timeout=60)


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def test_a_database_without_accounts_needs_no_sign_in(tmp_path: Path) -> None:
    db_file = tmp_path / "new.db"
    open_database(str(db_file)).dispose()
    done = cli("--db", str(db_file), "stats", "--month", "2026-03", "--json")
    assert done.returncode == 0, done.stderr


def test_right_password_works_and_the_role_is_checked(db_arg: str, tmp_path: Path) -> None:
    done = cli("--db", db_arg, "--user", "supervisor", "stats", "--month", "2026-03",
               "--json", password=PASSWORD)
    assert done.returncode == 0, done.stderr
    assert '"received": 0' in done.stdout
    out = tmp_path / "all.csv"
    ok = cli("--db", db_arg, "export", "csv", "--out", str(out), user="supervisor",
             password=PASSWORD)
    assert ok.returncode == 0, ok.stderr and out.exists()


def test_without_user_the_command_is_refused(db_arg: str) -> None:
    done = cli("--db", db_arg, "stats", "--month", "2026-03", password=PASSWORD)
    assert done.returncode == 2
    assert "--user NAME" in one_line(done)


def test_wrong_password_is_refused_and_counts_towards_the_lock_out(db: Database,
                                                                    db_arg: str) -> None:
    done = cli("--db", db_arg, "--user", "clerk1", "check", password="guess")
    assert done.returncode == 2
    assert one_line(done) == "Error: Wrong user name or password."
    assert done.stdout == ""  # the command did not run
    with db.engine.connect() as conn:  # SQLite or PostgreSQL (COMPLAINT_DESK_TEST_DB)
        tries = conn.execute(text("SELECT failed_attempts FROM users WHERE username = 'clerk1'")
                             ).scalar_one()
        actions = list(conn.execute(text(
            "SELECT action FROM audit_events WHERE target = 'user:clerk1' ORDER BY id")).scalars())
    assert tries == 1  # the same count as the window's (locked after 5: test_sign_in.py)
    assert actions == ["account_created", "sign_in_failed"]


@pytest.mark.parametrize(("user", "command", "role"), [
    ("clerk1", ["export", "csv", "--out", "{tmp}/x.csv"], "Supervisor"),
    ("clerk1", ["report", "monthly", "--month", "2026-03", "--out", "{tmp}/r.pdf"],
     "Supervisor"),
    ("clerk1", ["stats", "--month", "2026-03"], "Supervisor"),
    ("supervisor", ["backup", "--out", "{tmp}/b.zip"], "Administrator"),
    ("supervisor", ["restore", "{tmp}/b.zip"], "Administrator"),
    ("supervisor", ["demo", "--count", "1"], "Administrator"),
])
def test_a_role_too_low_is_refused_naming_the_role(db_arg: str, tmp_path: Path, user: str,
                                                   command: list[str], role: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    args = [a.replace("{tmp}", str(out)) for a in command]
    done = cli("--db", db_arg, "--user", user, *args, password=PASSWORD)
    assert done.returncode == 2
    assert one_line(done) == f"Error: This needs the role: {role}"
    assert list(out.iterdir()) == []  # no file written


def test_clerk_may_print_a_slip_and_check(db_arg: str, tmp_path: Path) -> None:
    from app.db import Database
    from app.paths import resolve
    from app.services.intake import IntakeInput, log_complaint

    db = Database(resolve(db_arg))
    ref = log_complaint(db, IntakeInput(description="镜子碎了", customer_name="陈")).reference
    db.dispose()
    done = cli("--db", db_arg, "--user", "clerk1", "slip", ref, "--out",
               str(tmp_path / "s.pdf"), password=PASSWORD)
    assert done.returncode == 0, done.stderr
    done = cli("--db", db_arg, "check", user="clerk1", password=PASSWORD)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK   Audit trail" in done.stdout


def test_the_password_is_asked_on_the_terminal(db_arg: str) -> None:
    # A terminal that is not stdin/stdout: POSIX only (Windows' getpass reads the console).
    pty = pytest.importorskip("pty", reason="no pseudo-terminals on this system")
    main, child = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "--lang", "en", "--db", db_arg, "--user",
         "supervisor", "stats", "--month", "2026-03", "--json"], stdin=child,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=clean_env(),
        start_new_session=True)  # no controlling terminal: getpass uses the pty on stdin
    os.close(child)
    assert proc.stderr is not None and proc.stdout is not None
    # The prompt arrives on stderr; a thread reads it (select() on pipes is POSIX-only).
    prompt = bytearray()
    prompted = threading.Event()

    def read_prompt() -> None:
        while not prompted.is_set() and (chunk := os.read(proc.stderr.fileno(), 200)):
            prompt.extend(chunk)
            if b"Password for supervisor" in prompt:
                prompted.set()

    reader = threading.Thread(target=read_prompt, daemon=True)
    reader.start()
    assert prompted.wait(60), bytes(prompt)
    reader.join(60)
    # The prompt is written once echo is off, so the typed password is not echoed.
    os.write(main, PASSWORD.encode() + b"\n")
    out, err = proc.communicate(timeout=60)
    os.close(main)
    assert proc.returncode == 0, err
    assert b'"month": "2026-03"' in out and PASSWORD.encode() not in prompt + err


def test_no_password_and_no_terminal_is_a_clear_refusal(db_arg: str) -> None:
    done = cli("--db", db_arg, "--user", "supervisor", "stats", "--month", "2026-03")
    assert done.returncode == 2
    assert "COMPLAINT_DESK_PASSWORD" in one_line(done)
