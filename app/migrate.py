"""Bring a database to the program's schema: backup copy first, then Alembic upgrade."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from app import audit, clock
from app.db import WRITE_LOCK_KEY, Database
from app.paths import Paths
from app.schema_versions import (
    Counter,
    NewerDatabase,
    OtherCountersConnected,
    needed_version,
    other_counters,
    record_version,
)

__all__ = ["NewerDatabase", "OtherCountersConnected", "open_database", "upgrade"]
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def backup_copy(db: Database, label: str) -> Path | None:
    """A consistent copy of the SQLite file (online backup API), before changing its schema.

    Written as a `before-migration` backup into the backup folder (app/services/backups.py),
    so it is listed and restorable like any other; `label` is kept for callers' logs.
    """
    if not db.is_sqlite or db.paths.db_file is None or not db.paths.db_file.exists():
        return None
    from app.backup_rotation import KIND_BEFORE_MIGRATION
    from app.services.backups import create_backup

    return create_backup(db, KIND_BEFORE_MIGRATION).path


def known_revisions() -> frozenset[str]:
    return frozenset(r.revision for r in ScriptDirectory.from_config(_config()).walk_revisions())


def guard_writes(db: Database) -> None:
    """From now on every write on this server database first checks that the schema is still
    the one this program knows (app/schema_versions.check_writable)."""
    if db.is_postgresql:
        db.schema_guard = (head_revision(), known_revisions())


def upgrade(db: Database) -> Path | None:
    """Upgrade to head if needed; returns the backup made before migrating, if any.

    NewerDatabase when a newer program wrote the database; on a server database that other
    counters still use, OtherCountersConnected (nothing changed: they must close first)."""
    current = current_revision(db)
    script = ScriptDirectory.from_config(_config())
    head = script.get_current_head()
    assert head is not None
    if current == head:
        guard_writes(db)
        return None
    if current is not None and current not in known_revisions():
        with db.engine.connect() as conn:
            raise NewerDatabase(current, needed_version(conn, current))
    backup = backup_copy(db, f"before-{head}") if current is not None else None
    cfg = _config()
    with db.engine.begin() as conn:
        if db.is_postgresql:
            # Two counters starting a new version at once: one migrates, the other waits for
            # the write lock (app/db.py) and then finds the work done. Counters starting
            # meanwhile wait for the lock as well before they write.
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%(key)s)",
                                 {"key": WRITE_LOCK_KEY})
            now_at = MigrationContext.configure(conn).get_current_revision()
            if now_at == head:
                guard_writes(db)
                return backup
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
    guard_writes(db)
    return backup


def counters_still_connected(db_arg: str | None) -> list[Counter]:
    """The other counters connected to the server database named by `db_arg` (what the
    window waits for before a newer program may change the layout)."""
    from app.paths import resolve

    db = Database(resolve(db_arg))
    try:
        with db.engine.connect() as conn:
            return other_counters(conn)
    finally:
        db.dispose()


def open_database(db_arg: str | None = None) -> Database:
    """The database named by --db / $COMPLAINT_DESK_DB / the default, at the current schema."""
    from app.paths import resolve

    paths = resolve(db_arg)
    check_file(paths)
    db = Database(paths)
    upgrade(db)
    from app.services.phone_keys import rekey_legacy

    rekey_legacy(db)  # customers keyed before E.164 phone keys (app/services/phone_keys.py)
    return db


def check_file(paths: Paths) -> None:
    """Raise DamagedDatabase (naming the latest good backup) before anything touches a file
    that is not a sound Complaint Desk database; the file itself is left as it is."""
    from app.damage import DamagedDatabase, diagnose, unchanged_since_close
    from app.network_drive import require_local_disk

    if paths.db_file is None:
        return
    require_local_disk(paths.db_file)  # before it would be called damaged (app/network_drive)
    problem = diagnose(paths.db_file,
                       scan=not unchanged_since_close(paths.db_file, paths.data_dir))
    if problem is not None:
        from app.services.restore import latest_good_backup

        backup = latest_good_backup(paths)
        raise DamagedDatabase(paths.db_file, problem, backup.path if backup else None,
                              backup.made_at if backup else None)
