"""Program versions and schema revisions when several counters share one server database.

- A database records which program version brought it to each schema revision
  (`schema_info`, written by app/migrate.py after a migration).
- A counter whose program is older than the database's schema does not open it and, should the
  schema change under it while it runs, refuses every write (app/db.py asks `check_writable`
  at the start of each write transaction): "update this PC to version X".
- A counter with a newer program migrates a server database only when no other counter is
  connected to it: the server lists its connections (pg_stat_activity) with the
  application_name every counter sets (`application_name()`); the counter waits until the
  others have closed (`other_counters`, ui/schema_wait.py) and migrates under the write lock,
  so a counter starting meanwhile waits for the migration and then finds the new schema.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

import app
from app.errors import DeskError
from app.i18n import N_, _

APP_NAME_PREFIX = "complaint-desk"
_NAME_LEN = 63  # PostgreSQL keeps the first 63 bytes of application_name


def application_name() -> str:
    """What this program calls itself on the server: the program, its version, this PC and
    this process (so that it can leave out its own connections when it counts the others)."""
    host = socket.gethostname().encode("ascii", "replace").decode()[:24]
    name = f"{APP_NAME_PREFIX} {app.__version__} {host} {os.getpid()}"
    return name.encode("utf-8")[:_NAME_LEN].decode("utf-8", "ignore")


class NewerDatabase(DeskError):
    """The database was written by a newer version of the program."""

    def __init__(self, revision: str, needed_version: str | None = None) -> None:
        if needed_version:
            super().__init__(N_("This database was updated by Complaint Desk {version} (schema "
                                "{revision}); this PC has version {mine}. Update this PC to "
                                "version {version}; until then it cannot save anything."),
                             revision=revision, version=needed_version, mine=app.__version__)
        else:
            super().__init__(N_("This database was written by a newer version of the program "
                                "(schema {revision}); update the program to open it."),
                             revision=revision)
        self.revision = revision
        self.needed_version = needed_version


class SchemaChanged(DeskError):
    """The schema is no longer the one this running program opened (e.g. restored older)."""

    def __init__(self, revision: str | None) -> None:
        super().__init__(N_("The database's layout changed while this program was running "
                            "(schema {revision}); nothing was saved. Close the program and "
                            "start it again."), revision=revision or "—")


@dataclass(frozen=True)
class Counter:
    """Another program connected to the database (one line of pg_stat_activity)."""

    application_name: str
    address: str  # the PC's address as the server sees it ("" for a local socket)
    since: datetime | None

    def describe(self) -> str:
        parts = self.application_name.split(" ")
        version = parts[1] if len(parts) > 1 else "?"
        host = parts[2] if len(parts) > 2 else (self.address or "?")
        return _("{host} (version {version}, {address})", host=host, version=version,
                 address=self.address or _("this server"))


class OtherCountersConnected(DeskError):
    """A newer program must migrate the database, but other counters still use it."""

    def __init__(self, counters: list[Counter]) -> None:
        super().__init__(N_("Version {version} must update the database's layout, which it "
                            "does only once no other counter uses it. Still connected: "
                            "{counters}. Close Complaint Desk on those PCs; the update starts "
                            "as soon as they have closed."),
                         version=app.__version__,
                         counters="; ".join(c.describe() for c in counters))
        self.counters = counters


def _scalar(conn: Connection, sql: str, params: dict[str, str], tolerant: bool) -> str | None:
    """One value; `tolerant`: a table that does not exist yet gives None (in a savepoint, so
    the transaction goes on)."""
    if not tolerant:
        value = conn.execute(text(sql), params).scalar()
        return str(value) if value else None
    try:
        with conn.begin_nested():
            value = conn.execute(text(sql), params).scalar()
    except DBAPIError:  # an empty database, or one from before schema_info existed
        return None
    return str(value) if value else None


def needed_version(conn: Connection, revision: str, tolerant: bool = True) -> str | None:
    """The program version that brought the database to `revision`, if it recorded one."""
    return _scalar(conn, "SELECT program_version FROM schema_info WHERE revision = :r",
                   {"r": revision}, tolerant)


def current_revision_of(conn: Connection, tolerant: bool = True) -> str | None:
    return _scalar(conn, "SELECT version_num FROM alembic_version", {}, tolerant)


def record_version(conn: Connection, revision: str, now: datetime) -> None:
    """Note that this program version brought the database to `revision` (after migrating)."""
    conn.execute(text("DELETE FROM schema_info WHERE revision = :r"), {"r": revision})
    conn.execute(text("INSERT INTO schema_info (revision, program_version, migrated_at) "
                      "VALUES (:r, :v, :t)"), {"r": revision, "v": app.__version__, "t": now})


def check_writable(conn: Connection, expected: str, known: frozenset[str]) -> None:
    """Refuse the write transaction on `conn` unless the schema is the one this program
    opened (`expected`, its head revision); `known` is every revision this program has.
    Runs at the start of every write on a server database: one single-row read."""
    current = current_revision_of(conn, tolerant=False)
    if current == expected:
        return
    if current is not None and current not in known:
        raise NewerDatabase(current, needed_version(conn, current, tolerant=False))
    raise SchemaChanged(current)


def other_counters(conn: Connection) -> list[Counter]:
    """The other programs connected to this server database (not this process's own)."""
    # One line per program (a counter holds a few pooled connections).
    rows = conn.execute(text(
        "SELECT application_name, coalesce(host(client_addr), ''), min(backend_start) "
        "FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid() AND application_name LIKE :prefix "
        "AND application_name <> :me GROUP BY 1, 2 ORDER BY 3"),
        {"prefix": f"{APP_NAME_PREFIX}%", "me": application_name()}).all()
    return [Counter(str(r[0]), str(r[1]), r[2]) for r in rows]
