"""Staff accounts: signing in (with lock-out), passwords, and the accounts an administrator
manages. Passwords are kept only as salted scrypt hashes (app/passwords.py).

Lock-out: after MAX_TRIES wrong passwords in a row an account is locked for the setting
`lockout_minutes`; the count lives in the database (users.failed_attempts), so closing the
program or using the command line does not reset it; a right password resets it.

An account whose row was changed outside the program (its audit seal no longer matches, see
app/audit.py) cannot sign in: a clerk who edits their own role in the file gains nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import audit, clock, validation
from app.codes import ROLES
from app.db import Database
from app.errors import DeskError, NotFound, ValidationError
from app.i18n import N_
from app.models import NAME_LEN, User
from app.passwords import hash_password, verify_password
from app.permissions import (
    ADMIN,
    CHANGE_OWN_PASSWORD,
    MANAGE_ACCOUNTS,
    SET_UP_ACCOUNTS,
    can,
    require,
)
from app.services.common import SYSTEM, Actor
from app.settings import get as get_setting

MAX_TRIES = 5
MIN_PASSWORD = 4  # a PIN of 4 digits is allowed at a shared counter
# Checked against when the user name is unknown, so both cases take the same time.
_DUMMY_HASH = hash_password("not a password of anyone")


@dataclass(frozen=True)
class StaffMember:
    id: int
    username: str
    display_name: str
    role: str
    active: bool

    def as_actor(self) -> Actor:
        return Actor(self.id, self.display_name, self.role)


class SignInRefused(DeskError):
    """Sign-in refused; the message says why (never whether the name or the password was
    wrong). `locked_until` is set while the account is locked."""

    def __init__(self, msgid: str, locked_until: datetime | None = None, **params: object
                 ) -> None:
        super().__init__(msgid, **params)
        self.locked_until = locked_until


WRONG = N_("Wrong user name or password.")
LOCKED = N_("Too many wrong passwords: this account is locked until {time}.")


def _member(u: User) -> StaffMember:
    return StaffMember(u.id, u.username, u.display_name, u.role, u.active)


def _check_password(username: str, password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise ValidationError("password", N_("must have at least {count} characters"),
                              count=MIN_PASSWORD)
    if password.strip().casefold() == username.strip().casefold():
        raise ValidationError("password", N_("must not be the user name"))


def create_user(db: Database, username: str, display_name: str, role: str,
                password: str, actor: Actor = SYSTEM) -> StaffMember:
    """A new account (the first one at first start; later an administrator's task)."""
    name = validation.text("username", username, NAME_LEN, required=True)
    shown = validation.text("customer_name", display_name, NAME_LEN) or name
    r = validation.code("role", role, ROLES, required=True)
    assert name is not None and r is not None
    _check_password(name, password)
    with db.write() as session:
        if session.scalar(select(User.id).limit(1)) is not None:
            require_account_manager(session, actor)
        if session.scalar(select(User).where(User.username == name)) is not None:
            raise ValidationError("username", N_("is already taken"))
        user = User(username=name, display_name=shown, role=r,
                    password_hash=hash_password(password), active=True, failed_attempts=0,
                    created_at=clock.now())
        session.add(user)
        session.flush()
        audit.record(session, actor, "account_created", f"user:{name}", role=r)
        return _member(user)


def list_staff(db: Database, active_only: bool = True) -> list[StaffMember]:
    with db.read() as session:
        q = select(User).order_by(User.display_name)
        if active_only:
            q = q.where(User.active.is_(True))
        return [_member(u) for u in session.scalars(q)]


def has_accounts(db: Database) -> bool:
    """Does this database have staff accounts? (Without, it runs without signing in.)"""
    with db.read() as session:
        return bool(session.scalar(select(func.count()).select_from(User)))


def sign_in(db: Database, username: str, password: str) -> StaffMember:
    """The account, once the password is right; SignInRefused saying why not.

    Every attempt is in the audit trail; wrong passwords count towards the lock-out."""
    name = (username or "").strip()
    now = clock.now()
    refused: SignInRefused | None = None
    member: StaffMember | None = None
    with db.write() as session:
        user = session.scalar(select(User).where(User.username == name)) if name else None
        if user is None:
            verify_password(password or "", _DUMMY_HASH)
            refused = SignInRefused(WRONG)
            audit.record(session, Actor(None, name[:NAME_LEN] or "?", "clerk"),
                         "sign_in_failed", f"user:{name[:80]}", reason="unknown_user")
        else:
            refused = _attempt(session, user, password or "", now)
            member = _member(user)
    if refused is not None or member is None:
        raise refused or SignInRefused(WRONG)
    audit.set_signed_in(member.as_actor())
    return member


def _attempt(session: Session, user: User, password: str, now: datetime
             ) -> SignInRefused | None:
    who = Actor(user.id, user.display_name, user.role)
    target = f"user:{user.username}"
    if not audit.row_intact(session, "users", user.id):
        # Leave the row as it is: changing it would seal the outside edit.
        audit.record(session, who, "sign_in_refused", target, reason="changed_outside")
        return SignInRefused(N_("This account was changed outside the program. An "
                                "administrator must check the database first."))
    if user.locked_until is not None and user.locked_until > now:
        audit.record(session, who, "sign_in_refused", target, reason="locked")
        return SignInRefused(LOCKED, user.locked_until, time=f"{user.locked_until:%H:%M}")
    if not verify_password(password, user.password_hash):
        user.failed_attempts = (user.failed_attempts or 0) + 1
        if user.failed_attempts >= MAX_TRIES:
            minutes = int(get_setting(session, "lockout_minutes"))
            user.locked_until = now + timedelta(minutes=minutes)
            user.failed_attempts = 0
            audit.record(session, who, "account_locked", target, minutes=minutes)
            return SignInRefused(LOCKED, user.locked_until, time=f"{user.locked_until:%H:%M}")
        audit.record(session, who, "sign_in_failed", target, reason="wrong_password")
        return SignInRefused(WRONG)
    if not user.active:
        audit.record(session, who, "sign_in_refused", target, reason="inactive")
        return SignInRefused(N_("This account is switched off. Ask an administrator."))
    if user.failed_attempts or user.locked_until is not None:
        user.failed_attempts, user.locked_until = 0, None
    audit.record(session, who, "sign_in", target)
    return None


def authenticate(db: Database, username: str, password: str) -> StaffMember | None:
    """The account if the name and password are right, else None (see sign_in)."""
    try:
        return sign_in(db, username, password)
    except SignInRefused:
        return None


def sign_out(db: Database, actor: Actor, idle: bool = False) -> None:
    """Note the sign-out (by hand or after the idle time) in the audit trail."""
    if actor.user_id is not None:
        audit.log(db, actor, "sign_out_idle" if idle else "sign_out", f"user:{actor.name}")
    audit.set_signed_in(None)


def change_password(db: Database, actor: Actor, old_password: str, new_password: str) -> None:
    """The signed-in person changes their own password (the old one is asked again)."""
    require(actor, CHANGE_OWN_PASSWORD)
    with db.write() as session:
        user = session.get(User, actor.user_id) if actor.user_id is not None else None
        if user is None:
            raise NotFound(N_("No such account"))
        if not verify_password(old_password or "", user.password_hash):
            raise ValidationError("old_password", N_("is not your current password"))
        _check_password(user.username, new_password)
        user.password_hash = hash_password(new_password)
        audit.record(session, actor, "password_changed", f"user:{user.username}")


# --- accounts (administrators) ----------------------------------------------------------


@dataclass(frozen=True)
class AccountInfo:
    id: int
    username: str
    display_name: str
    role: str
    active: bool
    locked_until: datetime | None  # set while locked out
    intact: bool  # False: the row was changed outside the program


def _has_active_admin(session: Session) -> bool:
    return session.scalar(select(User.id).where(User.role == ADMIN, User.active.is_(True))
                          .limit(1)) is not None


def require_account_manager(session: Session, actor: Actor) -> None:
    """Administrators manage accounts. A desk set up at first start has only a supervisor:
    until it has an active administrator, its supervisors may (to make the first one)."""
    if can(actor, SET_UP_ACCOUNTS) and not _has_active_admin(session):
        return
    require(actor, MANAGE_ACCOUNTS)


def may_manage_accounts(db: Database, actor: Actor) -> bool:
    """For the window: show the accounts dialog to this person?"""
    with db.read() as session:
        try:
            require_account_manager(session, actor)
        except DeskError:
            return False
        return True


def list_accounts(db: Database, actor: Actor) -> list[AccountInfo]:
    now = clock.now()
    with db.read() as session:
        require_account_manager(session, actor)
        return [AccountInfo(u.id, u.username, u.display_name, u.role, u.active,
                            u.locked_until if u.locked_until and u.locked_until > now else None,
                            audit.row_intact(session, "users", u.id))
                for u in session.scalars(select(User).order_by(User.active.desc(),
                                                               User.display_name))]


def _account(session: Session, actor: Actor, user_id: int) -> User:
    require_account_manager(session, actor)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(N_("No such account"))
    return user


def _keep_an_admin(session: Session, user: User) -> None:
    """Refuse a change that would leave a desk that had an administrator without one."""
    others = session.scalar(select(func.count()).select_from(User).where(
        User.role == ADMIN, User.active.is_(True), User.id != user.id))
    if user.role == ADMIN and user.active and not others:
        raise ValidationError("role", N_("the last administrator must stay an active "
                                         "administrator"))


def set_role(db: Database, actor: Actor, user_id: int, role: str) -> StaffMember:
    r = validation.code("role", role, ROLES, required=True)
    with db.write() as session:
        user = _account(session, actor, user_id)
        if user.id == actor.user_id:
            raise ValidationError("role", N_("cannot be changed for your own account"))
        if r != user.role:
            _keep_an_admin(session, user)
            audit.record(session, actor, "account_role_changed", f"user:{user.username}",
                         old=user.role, new=r)
            user.role = r or user.role
        return _member(user)


def set_active(db: Database, actor: Actor, user_id: int, active: bool) -> StaffMember:
    """Switch an account off (it stays in the history, never deleted) or on again."""
    with db.write() as session:
        user = _account(session, actor, user_id)
        if user.id == actor.user_id and not active:
            raise ValidationError("active", N_("you cannot switch off your own account"))
        if user.active and not active:
            _keep_an_admin(session, user)
        if user.active != active:
            user.active = active
            audit.record(session, actor, "account_activated" if active
                         else "account_deactivated", f"user:{user.username}")
        return _member(user)


def reset_password(db: Database, actor: Actor, user_id: int, new_password: str) -> None:
    """An administrator sets a new password for someone who forgot theirs; it also ends a
    lock-out."""
    with db.write() as session:
        user = _account(session, actor, user_id)
        _check_password(user.username, new_password)
        user.password_hash = hash_password(new_password)
        user.failed_attempts, user.locked_until = 0, None
        audit.record(session, actor, "password_reset", f"user:{user.username}")


def unlock(db: Database, actor: Actor, user_id: int) -> None:
    with db.write() as session:
        user = _account(session, actor, user_id)
        user.failed_attempts, user.locked_until = 0, None
        audit.record(session, actor, "account_unlocked", f"user:{user.username}")
