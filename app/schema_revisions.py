"""The program's schema revisions (Alembic scripts in app/migrations) and the upgrade to the
newest: which revision is the head, whether a revision found in a file is one this program
knows, and bringing a database up to the head.

Below the services: restore migrates a backup's copy with it. Opening a database (the backup
before an upgrade, the damage check) is app/migrate.py, above the services; it hands the
upgrade the backup to make first.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from app import audit, clock
from app.db import WRITE_LOCK_KEY, Database
from app.schema_versions import (
    NewerDatabase,
    OtherCountersConnected,
    needed_version,
    other_counters,
    record_version,
)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BackupFn = Callable[[Database], Path | None]  # the copy made before the schema changes


def alembic_config(folder: Path = MIGRATIONS) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(folder))
    return cfg


def head_revision(folder: Path = MIGRATIONS) -> str:
    head = ScriptDirectory.from_config(alembic_config(folder)).get_current_head()
    assert head is not None
    return head


def known_revisions(folder: Path = MIGRATIONS) -> frozenset[str]:
    return frozenset(r.revision
                     for r in ScriptDirectory.from_config(alembic_config(folder)).walk_revisions())


def known_revision(revision: str) -> bool:
    """Is `revision` one of this program's (else: a newer program wrote it)?"""
    try:
        return (ScriptDirectory.from_config(alembic_config()).get_revision(revision)
                is not None)
    except Exception:  # noqa: BLE001 - alembic raises for ids it does not know
        return False


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def guard_writes(db: Database, folder: Path = MIGRATIONS) -> None:
    """From now on every write on this server database first checks that the schema is still
    the one this program knows (app/schema_versions.check_writable)."""
    if db.is_postgresql:
        db.schema_guard = (head_revision(folder), known_revisions(folder))


def upgrade(db: Database, folder: Path = MIGRATIONS, backup: BackupFn | None = None
            ) -> Path | None:
    """Upgrade to head if needed; returns what `backup` made before migrating, if anything.

    NewerDatabase when a newer program wrote the database; on a server database that other
    counters still use, OtherCountersConnected (nothing changed: they must close first)."""
    current = current_revision(db)
    script = ScriptDirectory.from_config(alembic_config(folder))
    head = script.get_current_head()
    assert head is not None
    if current == head:
        guard_writes(db, folder)
        return None
    if current is not None and current not in known_revisions(folder):
        with db.engine.connect() as conn:
            raise NewerDatabase(current, needed_version(conn, current))
    copy = backup(db) if backup is not None and current is not None else None
    cfg = alembic_config(folder)
    with db.engine.begin() as conn:
        if db.is_postgresql:
            # Two counters starting a new version at once: one migrates, the other waits for
            # the write lock (app/db.py) and then finds the work done. Counters starting
            # meanwhile wait for the lock as well before they write.
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%(key)s)",
                                 {"key": WRITE_LOCK_KEY})
            now_at = MigrationContext.configure(conn).get_current_revision()
            if now_at == head:
                guard_writes(db, folder)
                return copy
            if now_at is not None:  # an existing desk: only once every other counter closed
                others = other_counters(conn)
                if others:
                    raise OtherCountersConnected(others)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        # A migration that changed the values of sealed rows names their tables; the rows
        # are sealed again as they are at the head schema (what `check` compares with).
        tables = conn.info.pop("reseal_tables", None)
        if tables:
            audit.seal_migrated(conn, sorted(tables), str(head))
        record_version(conn, head, clock.now())
    guard_writes(db, folder)
    return copy
