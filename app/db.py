"""Engine and sessions. SQLite and PostgreSQL specifics live here only; services stay portable.

SQLite is opened with foreign keys on, WAL, synchronous=FULL (an acknowledged save survives a
power cut) and a busy timeout. Write transactions start with BEGIN IMMEDIATE so two processes
on one file queue up for the write lock instead of failing half-way with "database is locked".

PostgreSQL (several counters on one server) keeps the same model: a write transaction first
takes a transaction-level advisory lock, so writers queue up one after the other exactly as on
SQLite, and every check a service makes inside its transaction (stage guards, the customer
looked up by phone, the next reference number, the audit chain's head) sees the latest
committed data. Writes run at READ COMMITTED (each statement after the lock sees everything
committed before it); read sessions run at REPEATABLE READ, READ ONLY: one consistent snapshot
per read, as a SQLite read transaction has, and a service that writes in a read session fails
loudly instead of having its change silently dropped.

Several counters (app/schema_versions.py): each connection names the program, its version and
the PC (application_name), so the server knows who is connected; once the schema is checked
(app/migrate.py sets `schema_guard`), every write transaction first reads the schema revision
and refuses to write into a schema this program does not know.

A counter that loses the network while saving gets ConnectionLost (its input stays on screen and
in its draft), within seconds when the connection is cut and within about half a minute when the
line goes silent (TCP keepalives and tcp_user_timeout, below); the server ends a transaction the
lost counter left open after PG_IDLE_IN_TRANSACTION_S, which releases the write lock it held.

A SQLite file is held through app/live_file.py: an anchor connection that keeps the WAL from
being deleted by this process's own closes, the desk lock the window holds, and the check
before every session and after every commit that the WAL on disk is still the one this process
writes into (a save whose WAL was deleted under it is rescued and reported, never acknowledged
as if nothing happened: JournalReplaced).

Optimistic locking: a complaint's `version` column (models.py) is checked by load_complaint
(app/services/common.py) against the version the window showed; should an UPDATE still find
the row changed underneath (SQLAlchemy's StaleDataError), write() reports it as the same
Conflict, in this one place.
"""

from __future__ import annotations

import atexit
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from app import live_file
from app.errors import Conflict, DeskError
from app.i18n import N_
from app.live_file import BUSY_TIMEOUT_S as BUSY_TIMEOUT_S
from app.live_file import Rescue
from app.paths import Paths
from app.schema_versions import application_name, check_writable

# PostgreSQL: one advisory lock key per database serialises writers ("CDsk" as a number).
WRITE_LOCK_KEY = 0x4344_736B
PG_CONNECT_TIMEOUT_S = 5  # an unreachable server is reported at once, not after minutes
# A transaction left open by a counter PC that froze (or slept) would keep the write lock;
# the server ends it after this long. Writes take milliseconds, imports seconds.
PG_IDLE_IN_TRANSACTION_S = 120
BUSY = N_("The database is busy with another counter's work (an import or a backup, for "
          "example); nothing was saved. Try again in a moment.")
# A server that stops answering (cable pulled, Wi-Fi gone): the connection is given up after
# about KEEPALIVE_IDLE + KEEPALIVE_INTERVAL * KEEPALIVE_COUNT seconds of silence, and data sent
# but not acknowledged for TCP_USER_TIMEOUT_MS fails the call (Linux; Windows uses keepalives).
KEEPALIVE_IDLE_S, KEEPALIVE_INTERVAL_S, KEEPALIVE_COUNT = 10, 5, 3
TCP_USER_TIMEOUT_MS = 25_000
PG_POOL = {"pool_size": 3, "max_overflow": 4, "pool_timeout": BUSY_TIMEOUT_S,
           "pool_recycle": 1800, "pool_pre_ping": True}


class JournalReplaced(DeskError):
    """A save went into a WAL that another process had deleted meanwhile (app/live_file.py);
    it was rescued, and the user is told instead of the save being acknowledged."""

    def __init__(self, rescue: Rescue, path: str) -> None:
        if rescue.into_database:
            super().__init__(N_("While this was being saved, another program removed the "
                                "database's journal file ({path}-wal). The save was recovered "
                                "into the database file; look it up before saving it again."),
                             path=path)
        else:
            super().__init__(N_("While this was being saved, another program changed the "
                                "database file {path}, so the save could not be stored in it. "
                                "Nothing was lost: the data as this window saw it is kept in "
                                "{kept}. Ask your administrator to compare the two."),
                             path=path, kept=str(rescue.kept_in))
        self.rescue = rescue


def _sqlite_setup(engine: Engine, db: Database) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()
        live = db.hold()
        if live is not None:
            live.open_anchor()  # the file exists now

    @event.listens_for(engine, "begin")
    def on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def pg_connect_args(url: str) -> dict[str, Any]:
    """Connection settings for a server database; what the URL itself says wins."""
    given = set(make_url(url).query)
    wanted: dict[str, Any] = {
        "connect_timeout": PG_CONNECT_TIMEOUT_S,
        # Who is connected, for the other counters (app/schema_versions.py).
        "application_name": application_name(),
        # Waiting for the write lock as long as SQLite waits for its file lock, then an error.
        "options": f"-c lock_timeout={BUSY_TIMEOUT_S}s "
                   f"-c idle_in_transaction_session_timeout={PG_IDLE_IN_TRANSACTION_S}s",
        # A server gone (cable, reboot) is noticed within about half a minute, not hours.
        "keepalives": 1, "keepalives_idle": KEEPALIVE_IDLE_S,
        "keepalives_interval": KEEPALIVE_INTERVAL_S, "keepalives_count": KEEPALIVE_COUNT,
        "tcp_user_timeout": TCP_USER_TIMEOUT_MS,
    }
    return {k: v for k, v in wanted.items() if k not in given}


class ConnectionLost(DeskError):
    """The connection to the database server broke during a save (network, server restart, a
    transaction the server ended). `maybe_saved`: it broke while the commit was on its way, so
    the server may have kept the save; otherwise nothing of it was kept."""

    def __init__(self, maybe_saved: bool) -> None:
        if maybe_saved:
            super().__init__(N_("The connection to the database server was lost just as this "
                                "was being saved: it may or may not have been saved. What you "
                                "entered is kept; once the network is back, look for it in the "
                                "queue before saving it again."))
        else:
            super().__init__(N_("The connection to the database server was lost, so this was "
                                "not saved. What you entered is kept: save it again once the "
                                "network is back."))
        self.maybe_saved = maybe_saved


# SQLSTATEs of a connection that is gone: class 08 (connection exception), the server shutting
# down or ending the session (57P01-57P03), and idle_in_transaction_session_timeout (25P03).
_GONE_STATES = ("57P01", "57P02", "57P03", "25P03")


def connection_lost(error: DBAPIError) -> bool:
    state = getattr(error.orig, "sqlstate", None) or ""
    return bool(error.connection_invalidated) or state.startswith("08") or state in _GONE_STATES


_commit = threading.local()  # per thread: has the COMMIT of the current write been sent?


def _postgresql_setup(engine: Engine, database: Database) -> None:
    @event.listens_for(engine, "begin")
    def on_begin(conn: Any) -> None:
        if conn.get_execution_options().get("write", False):
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%(key)s)", {"key": WRITE_LOCK_KEY})
            if database.schema_guard is not None:
                check_writable(conn, *database.schema_guard)

    @event.listens_for(engine, "commit")
    def on_commit(_conn: Any) -> None:
        _commit.sent = True


def _note_changed_complaints(session: Session, _context: Any, _instances: Any) -> None:
    """Remember which complaints this flush updates: should the UPDATE find one changed
    underneath, the flush fails and expires them, and Conflict still names the complaint."""
    from app.models import Complaint

    session.info["changing"] = [o.reference for o in session.dirty if isinstance(o, Complaint)]


def _busy(error: OperationalError) -> bool:
    """The write lock was not had in time (PostgreSQL lock_not_available, SQLite's locked)."""
    return (getattr(error.orig, "sqlstate", None) == "55P03"
            or "database is locked" in str(error.orig))


def _stale_reference(session: Session) -> str:
    changing = session.info.get("changing") or [""]
    return str(changing[0])


_OPEN: weakref.WeakSet[Database] = weakref.WeakSet()


@atexit.register
def _dispose_all() -> None:
    """At exit, close each database before its anchor (app/live_file.py), in order."""
    for db in list(_OPEN):
        db.dispose()


class Database:
    """One database: engine plus read and write session factories."""

    def __init__(self, paths: Paths, echo: bool = False) -> None:
        self.paths = paths
        self.url = paths.db_url
        self.is_sqlite = self.url.startswith("sqlite")
        self.is_postgresql = self.url.startswith("postgresql")
        # (head revision, every known revision): set once the schema was checked (migrate.py)
        self.schema_guard: tuple[str, frozenset[str]] | None = None
        self.live: live_file.LiveFile | None = None
        read_options: dict[str, Any] = {}
        write_options: dict[str, Any] = {"write": True}
        if self.is_sqlite:
            assert paths.db_file is not None
            paths.db_file.parent.mkdir(parents=True, exist_ok=True)
            self.engine = create_engine(
                self.url, echo=echo, connect_args={"timeout": BUSY_TIMEOUT_S}
            )
            _sqlite_setup(self.engine, self)
        elif self.is_postgresql:
            self.engine = create_engine(self.url, echo=echo,
                                        connect_args=pg_connect_args(self.url), **PG_POOL)
            _postgresql_setup(self.engine, self)
            read_options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
            write_options["isolation_level"] = "READ COMMITTED"
        else:
            self.engine = create_engine(self.url, echo=echo, pool_pre_ping=True)
        self._read = sessionmaker(
            self.engine.execution_options(**read_options), expire_on_commit=False
        )
        self._write = sessionmaker(
            self.engine.execution_options(**write_options), expire_on_commit=False
        )
        event.listen(self._write, "before_flush", _note_changed_complaints)
        from app import audit  # every write transaction keeps the audit trail (app/audit.py)

        audit.install(self._write)

    def hold(self) -> live_file.LiveFile | None:
        """This process's hold on the SQLite file (None for a server), taken on first use and
        again after dispose()."""
        if not self.is_sqlite or self.paths.db_file is None:
            return None
        if self.live is None:
            self.live = live_file.acquire(self.paths.db_file, self.paths.data_dir)
            self.live.on_close(self.engine.dispose)
            _OPEN.add(self)
        return self.live

    @contextmanager
    def _session_scope(self) -> Iterator[None]:
        """Sessions share the file with the others of this process; the outermost one first
        makes sure the WAL is still the one on disk (app/live_file.py)."""
        live = self.hold()
        if live is None:
            yield
            return
        if live.gate.depth() == 0:
            rescue = live.check()
            if rescue is not None and not rescue.into_database:
                raise JournalReplaced(rescue, str(self.paths.db_file))
        with live.gate.shared():
            yield

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries; rolled back at the end."""
        with self._session_scope(), self._read() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose work is committed at the end of the block, or not at all.

        Raises Conflict when a complaint changed elsewhere between reading and writing it,
        DeskError(BUSY) when the write lock could not be had within BUSY_TIMEOUT_S,
        ConnectionLost when the server connection broke meanwhile (commit included), and
        JournalReplaced when the commit went into a WAL deleted meanwhile (it was rescued).
        """
        _commit.sent = False
        try:
            with self._session_scope(), self._write() as session, session.begin():
                try:
                    yield session
                    session.flush()  # a stale UPDATE fails here, where its complaint is known
                except StaleDataError as e:
                    raise Conflict(_stale_reference(session)) from e
        except DBAPIError as e:
            if isinstance(e, OperationalError) and _busy(e):
                raise DeskError(BUSY) from e  # waited BUSY_TIMEOUT_S for another counter
            if self.is_postgresql and connection_lost(e):
                raise ConnectionLost(maybe_saved=bool(getattr(_commit, "sent", False))) from e
            raise
        if self.live is not None:
            rescue = self.live.check()
            if rescue is not None:
                raise JournalReplaced(rescue, str(self.paths.db_file))

    def close_file(self) -> None:
        """Close every connection of this process to the SQLite file (all its Database
        objects), e.g. before a restore replaces it; each opens again on its next use."""
        live = self.hold()
        if live is not None:
            live.close_all()

    def dispose(self) -> None:
        self.engine.dispose()
        if self.live is not None:
            live, self.live = self.live, None
            live.forget_closer(self.engine.dispose)
            live_file.release(live)
        _OPEN.discard(self)
