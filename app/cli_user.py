"""Who runs a command (DESIGN.md §5) and whether their role allows it.

A database without staff accounts (new, or made by `import`) takes commands without signing
in. Once accounts exist, a command acts as `--user NAME` (or $COMPLAINT_DESK_USER), with the
password from $COMPLAINT_DESK_PASSWORD or asked on the terminal; wrong passwords count
towards the lock-out like at the window, and every sign-in is in the audit trail.

Two commands may run without signing in although accounts exist, because signing in needs a
readable database: `check` and `restore` when the database file is damaged or missing (the
damage is the finding, the restore the cure).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from app.db import Database
from app.errors import DeskError
from app.i18n import N_, _
from app.permissions import (
    BACKUP,
    CHECK_DATABASE,
    DEMO_DATA,
    ESCALATE,
    EXPORT,
    IMPORT,
    PRINT_HANDOVER,
    PRINT_SLIP,
    RESTORE,
    SEE_REPORTS,
    SEE_TYPICAL_CASES,
    require,
)
from app.services.common import SYSTEM, Actor

ENV_USER = "COMPLAINT_DESK_USER"
ENV_PASSWORD = "COMPLAINT_DESK_PASSWORD"

# The action each command needs (app/permissions.py says which role that is).
COMMAND_ACTIONS = {
    "demo": DEMO_DATA,
    "stats": SEE_REPORTS,
    "escalate": ESCALATE,
    "handover": PRINT_HANDOVER,
    "import": IMPORT,
    "export": EXPORT,
    "check": CHECK_DATABASE,
    "slip": PRINT_SLIP,
    "report": SEE_REPORTS,
    "print": PRINT_SLIP,  # a report's print also needs its own role (write_monthly_report)
    "case-sheet": SEE_TYPICAL_CASES,
    "backup": BACKUP,
    "restore": RESTORE,
}


def _password(username: str) -> str:
    value = os.environ.get(ENV_PASSWORD)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise DeskError(N_("No password: set {variable} or run the command in a terminal."),
                        variable=ENV_PASSWORD)
    return getpass.getpass(_("Password for {user}: ", user=username))


def _open_for_sign_in(args: argparse.Namespace) -> Database | None:
    """The database to sign in to, or None when the command runs without (see above)."""
    from app.damage import DamagedDatabase
    from app.migrate import open_database
    from app.paths import resolve

    if args.command == "restore":
        paths = resolve(args.db)
        if paths.db_file is not None and not paths.db_file.exists():
            return None
        try:
            return open_database(args.db)
        except DamagedDatabase:
            return None
    try:
        return open_database(args.db)
    except DamagedDatabase:
        if args.command == "check":
            return None
        raise


def command_actor(args: argparse.Namespace) -> Actor:
    """Sign the command in and check its role; PermissionDenied / SignInRefused / DeskError.

    Leaves the opened database in `args.opened_db` for the command to use."""
    from app.services.users import has_accounts, sign_in

    db = _open_for_sign_in(args)
    args.opened_db = db if args.command != "restore" else None
    if db is None or not has_accounts(db):
        if args.command == "restore" and db is not None:
            db.dispose()
        return SYSTEM
    try:
        username = (args.user or os.environ.get(ENV_USER) or "").strip()
        if not username:
            raise DeskError(N_("This database has staff accounts: run the command as one of "
                               "them with --user NAME."))
        actor = sign_in(db, username, _password(username)).as_actor()
        require(actor, COMMAND_ACTIONS.get(args.command, RESTORE))
        return actor
    finally:
        if args.command == "restore":
            db.dispose()  # the file is about to be replaced
