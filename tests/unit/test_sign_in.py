"""Signing in: lock-out with a controlled clock, hashes only, accounts an administrator
manages, and an account edited behind the program's back."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from app.audit_check import check_chain
from app.db import Database
from app.errors import PermissionDenied, ValidationError
from app.services.common import Actor
from app.services.settings_service import set_setting
from app.services.users import (
    MAX_TRIES,
    SignInRefused,
    change_password,
    create_user,
    list_accounts,
    may_manage_accounts,
    reset_password,
    set_active,
    set_role,
    sign_in,
)

PASSWORD = "demo1234"


@pytest.fixture
def admin(db: Database) -> Actor:
    return create_user(db, "admin", "管理员", "admin", "Adm1n-pass").as_actor()


def test_right_password_signs_in(db: Database) -> None:
    member = sign_in(db, " clerk1 ", PASSWORD)
    assert (member.username, member.role, member.display_name) == ("clerk1", "clerk", "李小红")


@pytest.mark.parametrize(("name", "password"), [("clerk1", "wrong"), ("nobody", PASSWORD),
                                                ("", PASSWORD), ("clerk1", "")])
def test_wrong_name_or_password_gives_one_message(db: Database, name: str, password: str
                                                   ) -> None:
    with pytest.raises(SignInRefused) as refused:
        sign_in(db, name, password)
    # Never says which of the two was wrong.
    assert refused.value.message() == "Wrong user name or password."


def test_five_wrong_passwords_lock_the_account_for_the_setting(db: Database, fixed_clock: Any,
                                                               supervisor: Actor) -> None:
    set_setting(db, "lockout_minutes", 20, Actor(None, "admin", "admin"))
    for _ in range(MAX_TRIES - 1):
        with pytest.raises(SignInRefused) as refused:
            sign_in(db, "clerk1", "guess")
        assert refused.value.locked_until is None
    with pytest.raises(SignInRefused) as refused:
        sign_in(db, "clerk1", "guess")
    until = fixed_clock.now + timedelta(minutes=20)
    assert refused.value.locked_until == until
    assert "locked until 10:20" in refused.value.message()
    # Locked: even the right password is refused, and does not count.
    fixed_clock.advance(minutes=19)
    with pytest.raises(SignInRefused) as refused:
        sign_in(db, "clerk1", PASSWORD)
    assert refused.value.locked_until == until
    # Other accounts are not affected.
    assert sign_in(db, "clerk2", PASSWORD).username == "clerk2"
    fixed_clock.advance(minutes=1, seconds=1)
    assert sign_in(db, "clerk1", PASSWORD).username == "clerk1"


def test_a_right_password_resets_the_count(db: Database, fixed_clock: Any) -> None:
    for _ in range(MAX_TRIES - 1):
        with pytest.raises(SignInRefused):
            sign_in(db, "clerk1", "guess")
    sign_in(db, "clerk1", PASSWORD)
    for _ in range(MAX_TRIES - 1):  # four more wrong ones do not lock: the count restarted
        with pytest.raises(SignInRefused) as refused:
            sign_in(db, "clerk1", "guess")
        assert refused.value.locked_until is None


def test_the_count_survives_restarting_the_program(db: Database, fixed_clock: Any) -> None:
    for _ in range(MAX_TRIES):
        first = Database(db.paths)  # a new process would open it afresh
        with pytest.raises(SignInRefused):
            sign_in(first, "clerk1", "guess")
        first.dispose()
    again = Database(db.paths)
    with pytest.raises(SignInRefused) as refused:
        sign_in(again, "clerk1", PASSWORD)
    again.dispose()
    assert refused.value.locked_until is not None


def test_passwords_are_stored_only_as_salted_slow_hashes(db: Database, db_path: Path,
                                                         admin: Actor) -> None:
    secret = "Kumquat-Sunrise-4417"
    create_user(db, "clerk9", "张三", "clerk", secret, actor=admin)
    create_user(db, "clerk8", "李四", "clerk", secret, actor=admin)
    sign_in(db, "clerk9", secret)
    with pytest.raises(SignInRefused):
        sign_in(db, "clerk9", secret + "x")
    db.dispose()
    raw = b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*"))
    for form in (secret.encode(), secret.encode("utf-16-le"), secret.lower().encode()):
        assert form not in raw
    with sqlite3.connect(db_path) as conn:
        hashes = dict(conn.execute("SELECT username, password_hash FROM users"))
    assert hashes["clerk9"].startswith("scrypt$") and hashes["clerk8"].startswith("scrypt$")
    assert hashes["clerk9"] != hashes["clerk8"]  # salted: same password, different hash


def test_a_switched_off_account_cannot_sign_in(db: Database, admin: Actor, staff: dict) -> None:
    set_active(db, admin, staff["clerk2"].user_id, False)
    with pytest.raises(SignInRefused) as refused:
        sign_in(db, "clerk2", PASSWORD)
    assert "switched off" in refused.value.message()
    with pytest.raises(SignInRefused) as wrong:  # a wrong password still says only that
        sign_in(db, "clerk2", "nope")
    assert wrong.value.message() == "Wrong user name or password."


def test_an_account_changed_in_the_file_cannot_sign_in(db: Database, db_path: Path) -> None:
    """The attack: a clerk opens the database file and makes their own account admin."""
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE users SET role = 'admin' WHERE username = 'clerk1'")
    for _ in range(2):  # and a wrong password in between must not "bless" the row either
        with pytest.raises(SignInRefused) as refused:
            sign_in(db, "clerk1", PASSWORD)
        assert "changed outside the program" in refused.value.message()
        with pytest.raises(SignInRefused):
            sign_in(db, "clerk1", "wrong")
    assert any("account clerk1 was changed outside the program" in p for p in check_chain(db))
    assert sign_in(db, "clerk2", PASSWORD).role == "clerk"


def test_an_account_added_in_the_file_cannot_sign_in(db: Database, db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:
        stored = conn.execute("SELECT password_hash FROM users WHERE username = 'clerk1'"
                              ).fetchone()[0]
        conn.execute("INSERT INTO users (username, display_name, role, password_hash, active, "
                     "failed_attempts, created_at) VALUES ('boss', 'Boss', 'admin', ?, 1, 0, "
                     "'2026-01-01 00:00:00')", (stored,))
    with pytest.raises(SignInRefused):
        sign_in(db, "boss", PASSWORD)
    assert any("account boss was added outside the program" in p for p in check_chain(db))


def test_change_own_password(db: Database, clerk: Actor) -> None:
    with pytest.raises(ValidationError) as wrong:
        change_password(db, clerk, "not-it", "NewPass-1")
    assert wrong.value.field == "old_password"
    with pytest.raises(ValidationError) as short:
        change_password(db, clerk, PASSWORD, "123")
    assert short.value.field == "password"
    change_password(db, clerk, PASSWORD, "NewPass-1")
    with pytest.raises(SignInRefused):
        sign_in(db, "clerk1", PASSWORD)
    assert sign_in(db, "clerk1", "NewPass-1").username == "clerk1"


def test_accounts_are_managed_by_an_administrator(db: Database, admin: Actor, supervisor: Actor,
                                                  clerk: Actor, staff: dict,
                                                  fixed_clock: Any) -> None:
    for who in (supervisor, clerk):
        assert not may_manage_accounts(db, who)
        for attempt in (
            lambda a: create_user(db, "x1", "x", "clerk", "pass-1234", actor=a),
            lambda a: list_accounts(db, a),
            lambda a: set_role(db, a, staff["clerk2"].user_id, "supervisor"),
            lambda a: set_active(db, a, staff["clerk2"].user_id, False),
            lambda a: reset_password(db, a, staff["clerk2"].user_id, "pass-1234"),
        ):
            with pytest.raises(PermissionDenied) as refused:
                attempt(who)
            assert refused.value.message() == "This needs the role: Administrator"
    # The administrator: add, promote, reset a locked-out password, switch off.
    new = create_user(db, "clerk3", "王五", "clerk", "Start-2026", actor=admin)
    set_role(db, admin, new.id, "supervisor")
    for _ in range(MAX_TRIES):
        with pytest.raises(SignInRefused):
            sign_in(db, "clerk3", "guess")
    locked = {a.username: a for a in list_accounts(db, admin)}["clerk3"]
    assert locked.locked_until is not None and locked.role == "supervisor" and locked.intact
    reset_password(db, admin, new.id, "Again-2026")
    assert sign_in(db, "clerk3", "Again-2026").role == "supervisor"
    set_active(db, admin, new.id, False)
    assert not {a.username: a for a in list_accounts(db, admin)}["clerk3"].active
    with pytest.raises(ValidationError):  # not yourself
        set_active(db, admin, admin.user_id, False)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        set_role(db, admin, admin.user_id, "clerk")  # type: ignore[arg-type]
    assert check_chain(db) == []


def test_a_new_desk_supervisor_may_make_the_first_administrator(db: Database,
                                                                supervisor: Actor) -> None:
    """First start creates a supervisor only: until an administrator exists, the supervisors
    manage the accounts (else nobody could ever back up)."""
    assert may_manage_accounts(db, supervisor)
    boss = create_user(db, "admin", "管理员", "admin", "Adm1n-pass", actor=supervisor)
    assert not may_manage_accounts(db, supervisor)
    with pytest.raises(PermissionDenied):
        create_user(db, "x2", "x", "clerk", "pass-1234", actor=supervisor)
    system = Actor(None, "system", "admin")
    with pytest.raises(ValidationError):  # the last administrator stays one
        set_role(db, system, boss.id, "clerk")
    with pytest.raises(ValidationError):
        set_active(db, system, boss.id, False)


def test_password_rules(db: Database, admin: Actor) -> None:
    with pytest.raises(ValidationError) as same:
        create_user(db, "zhao", "赵", "clerk", "ZHAO", actor=admin)
    assert same.value.field == "password"
    with pytest.raises(ValidationError) as taken:
        create_user(db, "clerk1", "x", "clerk", "pass-1234", actor=admin)
    assert taken.value.field == "username"
