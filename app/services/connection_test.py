"""The "Test connection" button: can this program use that database, and in what state is it?

`probe(value)` takes what `--db` takes (a SQLite file or a SQLAlchemy URL) and never changes
anything: a server database is only read; a SQLite file is looked at read-only (a file that
does not exist yet is not created). The answer says whether the database is ready, empty (the
program sets it up at start), older (it is upgraded at start, after a backup) or newer than
this program (refused), with the server's version and the number of complaints.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, func, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from app.db import pg_connect_args
from app.i18n import _, ngettext
from app.models import Complaint
from app.network_drive import NetworkDatabase, read_only_uri, require_local_disk
from app.paths import is_url

# What the database is, for this program (states, not texts: the dialog shows `message()`).
READY, EMPTY, OLDER, NEWER, FAILED = "ready", "empty", "older", "newer", "failed"


@dataclass(frozen=True)
class ProbeResult:
    state: str  # READY | EMPTY | OLDER | NEWER | FAILED
    target: str  # the database, for people (no password)
    server: str = ""  # "PostgreSQL 15.18" / "SQLite 3.40.1"
    revision: str | None = None
    complaints: int | None = None
    error: str = ""  # why it failed, one line
    ms: int = 0
    exists: bool = True  # False: a SQLite file that the program would create

    @property
    def ok(self) -> bool:
        return self.state in (READY, EMPTY, OLDER)

    def message(self) -> str:
        """One or two lines for the dialog, in the current language."""
        if self.state == FAILED:
            return _("Cannot use {target}: {reason}", target=self.target, reason=self.error)
        if not self.exists:
            return _("The file does not exist yet: the program creates it at the next start.")
        lines = [_("Connected to {server} in {ms} ms.", server=self.server, ms=self.ms)]
        if self.state == READY:
            n = self.complaints or 0
            lines.append(ngettext("Ready: {count} complaint.", "Ready: {count} complaints.", n,
                                  count=n))
        elif self.state == EMPTY:
            lines.append(_("The database is empty: the program sets it up at the next start."))
        elif self.state == OLDER:
            n = self.complaints or 0
            lines.append(ngettext("It holds {count} complaint in an older layout; the program "
                                  "upgrades it at the next start.",
                                  "It holds {count} complaints in an older layout; the program "
                                  "upgrades it at the next start.", n, count=n))
        else:
            lines.append(_("It was written by a newer version of the program (schema "
                           "{revision}): update this program first.", revision=self.revision))
        return "\n".join(lines)


def _scripts() -> ScriptDirectory:
    from app.schema_revisions import MIGRATIONS

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(cfg)


def _head() -> str | None:
    return _scripts().get_current_head()


def _known(revision: str) -> bool:
    try:
        return _scripts().get_revision(revision) is not None
    except Exception:  # noqa: BLE001 - alembic raises for a revision it has never heard of
        return False


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def probe(value: str) -> ProbeResult:
    """Try the database named by `value` (a file path or a URL); never raises."""
    value = value.strip()
    if not value:
        return ProbeResult(FAILED, "", error=_("no database given"))
    if is_url(value) and not value.startswith("sqlite"):
        return _probe_url(value)
    file = Path(value.removeprefix("sqlite:///")).expanduser()
    return _probe_file(file)


def _probe_url(url: str) -> ProbeResult:
    try:
        parsed = make_url(url)
        target = parsed.render_as_string(hide_password=True)
    except ArgumentError:
        return ProbeResult(FAILED, url, error=_("this is not a database address"))
    if not parsed.drivername.startswith("postgresql"):
        return ProbeResult(FAILED, target, error=_("only PostgreSQL servers are supported"))
    started = time.perf_counter()
    try:
        engine = create_engine(url, poolclass=NullPool, connect_args=pg_connect_args(url))
    except ModuleNotFoundError:
        # The driver comes with the program (a plain dependency): missing, the installation
        # is damaged, and installing it again is the remedy an administrator can apply.
        return ProbeResult(FAILED, target, error=_(
            "this installation lacks its PostgreSQL driver (psycopg); install Complaint Desk "
            "again"))
    try:
        with engine.connect() as conn:
            version = conn.exec_driver_sql("SHOW server_version").scalar()
            server = f"PostgreSQL {str(version).split()[0]}"
            revision = MigrationContext.configure(conn).get_current_revision()
            complaints = None
            if inspect(conn).has_table(Complaint.__tablename__):
                complaints = int(conn.execute(
                    select(func.count()).select_from(Complaint)).scalar_one())
    except SQLAlchemyError as e:
        return ProbeResult(FAILED, target, error=_first_line(e))
    finally:
        engine.dispose()
    ms = round((time.perf_counter() - started) * 1000)
    return ProbeResult(_state(revision, complaints), target, server, revision, complaints, ms=ms)


def _state(revision: str | None, complaints: int | None) -> str:
    if revision is None:
        return EMPTY if not complaints else FAILED
    if revision == _head():
        return READY
    return OLDER if _known(revision) else NEWER


def _probe_file(file: Path) -> ProbeResult:
    import sqlite3

    from app.damage import diagnose

    target = str(file)
    server = f"SQLite {sqlite3.sqlite_version}"
    if not file.exists():
        if not file.parent.is_dir():
            return ProbeResult(FAILED, target, error=_("the folder does not exist"))
        return ProbeResult(EMPTY, target, server, exists=False)
    try:
        require_local_disk(file.resolve())
    except NetworkDatabase as e:
        return ProbeResult(FAILED, target, server, error=e.message())
    started = time.perf_counter()
    problem = diagnose(file)
    if problem is not None:
        return ProbeResult(FAILED, target, server, error=problem.text())
    try:
        conn = sqlite3.connect(read_only_uri(file), uri=True, timeout=5)
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            count = conn.execute("SELECT count(*) FROM complaints").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as e:
        return ProbeResult(FAILED, target, server, error=str(e))
    ms = round((time.perf_counter() - started) * 1000)
    revision = row[0] if row else None
    return ProbeResult(_state(revision, count), target, server, revision, int(count), ms=ms)
